"""The `newsclean` command."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# Prefect's embedded server would try to send telemetry; this machine may be offline.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from flows.settings import DEFAULT_CONFIG, ConfigError, Settings, load_settings

DESCRIPTION = """\
Clean scraped news articles (.txt, .html, .jsonl, optionally .gz; any encoding) into
Parquet datasets: articles/, paragraphs/ (every paragraph with its label and the rule
that decided it), offtopic/ and rejects/, plus a manifest per run in runs/.
"""

EPILOG = """\
examples:
  newsclean run                                   clean seeds/ into output/
  newsclean run --input crawl/ --output data/     a folder tree of scraped pages
  newsclean run --runner dask --workers 4         scale out on a local Dask cluster

Runs use Prefect's embedded mode unless PREFECT_API_URL points at a Prefect server.
"""


class UsageError(Exception):
    """Bad command-line usage: reported in one line, exit status 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsclean",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    run = commands.add_parser(
        "run",
        help="clean a folder of scraped articles into Parquet datasets",
        description="Clean every article under --input into Parquet datasets under --output, "
        "then print a summary: articles, paragraphs kept and removed by label, off-topic "
        "paragraphs, rejects and time.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    run.add_argument("--input", type=Path, default=Path("seeds"),
                     help="a file or a folder tree of .txt/.html/.htm/.jsonl files (each may be .gz)")
    run.add_argument("--output", type=Path, default=Path("output"),
                     help="folder for the datasets, per-stage shard files and run manifests")
    run.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                     help="pipeline settings (TOML); word lists and patterns sit beside it")
    run.add_argument("--runner", choices=("threads", "dask"), default=None,
                     help="task runner (default: [run] task_runner in the config)")
    run.add_argument("--workers", type=int, default=None,
                     help="threads or Dask worker processes (default: [run] workers in the config)")
    run.add_argument("--run-id", default=None, help=argparse.SUPPRESS)
    run.set_defaults(handler=command_run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsclean` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, ConfigError) as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("newsclean: interrupted", file=sys.stderr)
        return 130


def command_run(args: argparse.Namespace) -> int:
    if not args.input.exists():
        raise UsageError(f"input not found: {args.input}")
    if args.output.exists() and not args.output.is_dir():
        raise UsageError(f"output is not a folder: {args.output}")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    settings = load_settings(args.config)
    settings = _with_run_overrides(settings, args.runner, args.workers)
    args.output.mkdir(parents=True, exist_ok=True)

    from flows.pipeline import clean_news, task_runner_for  # Prefect loads only when needed

    flow = clean_news.with_options(task_runner=task_runner_for(settings))
    manifest = flow(
        input_path=str(args.input),
        output_dir=str(args.output),
        config_path=str(args.config),
        run_id=args.run_id,
    )
    print(format_summary(manifest))
    return 0


def _with_run_overrides(settings: Settings, runner: str | None, workers: int | None) -> Settings:
    changes: dict[str, Any] = {}
    if runner:
        changes["task_runner"] = runner
    if workers:
        changes["workers"] = workers
    if not changes:
        return settings
    return dataclasses.replace(settings, run=dataclasses.replace(settings.run, **changes))


def format_summary(manifest: dict[str, Any]) -> str:
    """The few lines `newsclean run` prints when it is done."""
    counts = manifest["counts"]
    labels = counts["labels"]
    kept = labels.get("body", 0)
    removed = ", ".join(f"{label} {n}" for label, n in sorted(labels.items()) if label != "body")
    rejects = ", ".join(f"{reason} {n}" for reason, n in counts["reject_reasons"].items())
    lines = [
        f"run {manifest['run_id']}: {manifest['inputs']['files']} input files in "
        f"{manifest['shards']} shards, {manifest['wall_seconds']:.1f} s",
        f"  articles    {counts['articles']}",
        f"  paragraphs  {counts['paragraphs']}: kept {kept} body; removed {removed or 'none'}",
        f"  off-topic   {counts['offtopic']}",
        f"  rejects     {counts['rejects']}" + (f" ({rejects})" if rejects else ""),
        f"  output      {manifest['output']}{os.sep} (manifest runs/{manifest['run_id']}.json)",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
