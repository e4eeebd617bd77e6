"""The `newsclean` command."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

# Prefect's embedded server would try to send telemetry; this machine may be offline.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Without PREFECT_API_URL a run starts Prefect's local server process; on a loaded
# machine it needs more than Prefect's default 20 s to answer (8 of 8 starts failed with
# two busy processes on 2 cores). Seconds per attempt; see `start_engine`.
ENGINE_STARTUP_SECONDS = 90
ENGINE_START_ATTEMPTS = 2
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(ENGINE_STARTUP_SECONDS))

from newsclean.settings import DEFAULT_CONFIG, TASK_RUNNERS, ConfigError, load_settings, with_run_options

DESCRIPTION = """\
Clean scraped news articles (.txt, .html, .jsonl/.ndjson/.json records, optionally
.gz; any encoding) into Parquet datasets: articles/, paragraphs/ (every paragraph with its label and the rule
that decided it), offtopic/ and rejects/, plus a manifest per run in runs/.
"""

EPILOG = """\
examples:
  newsclean run                                   clean the new inputs of seeds/ into output/
  newsclean run --input crawl/ --output data/     a folder tree of scraped pages
  newsclean run --full                            reprocess every input, not only new ones
  newsclean run --runner dask --workers 4         scale out on a local Dask cluster
  newsclean stages latest                         what each stage of the newest run did
  newsclean rerun latest --stage classify         rerun classify (then language, publish)
  newsclean diff RUN_A RUN_B                      paragraphs whose label or reason changed
  newsclean report latest                         an HTML report: output/reports/<run>.html
  newsclean prune --keep 5 --dry-run              what deleting older runs' stage files frees
  newsclean serve                                 run on the cron of [schedule] (Prefect server)

Runs use Prefect's embedded mode unless PREFECT_API_URL points at a Prefect server.
"""


class UsageError(Exception):
    """Bad command-line usage: reported in one line, exit status 2."""


class EngineError(Exception):
    """Prefect's local server did not start: reported in one line, exit status 1."""


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
                     help="a file or a folder tree of .txt/.html/.htm pages and .jsonl/.ndjson/.json records "
                     "(each may be .gz)")
    run.add_argument("--output", type=Path, default=Path("output"),
                     help="folder for the datasets, per-stage shard files and run manifests")
    run.add_argument("--config", type=Path, default=DEFAULT_CONFIG,
                     help="pipeline settings (TOML); word lists and patterns sit beside it")
    run.add_argument("--runner", choices=TASK_RUNNERS, default=None,
                     help="where the stages run: `processes` (the CPU-bound stages in worker processes, "
                     "file I/O in threads), `threads` (one process) or `dask` (default: [run] task_runner "
                     "in the config)")
    run.add_argument("--workers", type=int, default=None,
                     help="worker processes (threads, Dask workers) (default: [run] workers in the config)")
    run.add_argument("--full", action="store_true",
                     help="process every input, also those the ledger says earlier runs processed; "
                     "their rows replace the earlier runs' rows")
    run.add_argument("--run-id", default=None, help=argparse.SUPPRESS)
    run.set_defaults(handler=command_run)

    rerun = commands.add_parser(
        "rerun",
        help="rerun one stage of a run from the persisted output of the stage before it",
        description="Rerun STAGE of RUN_ID (one shard or all) from the output the stage before it "
        "persisted, without reading the inputs again; then the stages after it and the commit, "
        "which replaces the run's rows and rewrites its manifest. Prints the paragraphs whose "
        "label or reason changed.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    rerun.add_argument("run_id", metavar="RUN_ID", help="a run id, or `latest`")
    rerun.add_argument("--stage", required=True, choices=_stage_names(), help="the stage to rerun")
    rerun.add_argument("--shard", type=int, default=None, help="only this shard (default: every shard)")
    rerun.add_argument("--only", action="store_true",
                       help="run just this stage: no later stages, no commit (the datasets stay as they are)")
    rerun.add_argument("--config", type=Path, default=None,
                       help="settings to rerun with (default: the config the run was made with); "
                       "later reruns and resumes of the run use it too")
    rerun.add_argument("--engine", choices=("auto", "prefect"), default="auto",
                       help="`auto`: a rerun with --only (it commits nothing) runs without Prefect's engine, "
                       "in a few seconds; `prefect`: always through Prefect (its UI shows the tasks)")
    _add_output(rerun)
    rerun.set_defaults(handler=command_rerun)

    show = commands.add_parser(
        "stages", help="list a run's stages: status, shards, rows, durations",
        description="List the stages of RUN_ID with their status (done, partial, missing), shards "
        "done, documents, paragraphs and rejects written, and time spent.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    show.add_argument("run_id", metavar="RUN_ID", help="a run id, or `latest`")
    _add_output(show)
    show.set_defaults(handler=command_stages)

    diff = commands.add_parser(
        "diff", help="paragraphs whose label or reason changed between two runs",
        description="Compare the paragraph labels of two runs (as their classify stage left them), "
        "matching paragraphs by article id and character span, else by position; print counts by "
        "`old label/reason -> new label/reason` and a few examples.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    diff.add_argument("run_a", metavar="RUN_A", help="the earlier run (or `latest`)")
    diff.add_argument("run_b", metavar="RUN_B", help="the later run (or `latest`)")
    diff.add_argument("--examples", type=int, default=5, help="how many changed paragraphs to show")
    _add_output(diff)
    diff.set_defaults(handler=command_diff)

    report = commands.add_parser(
        "report", help="write a self-contained HTML report of a run",
        description="Write an HTML report of RUN_ID with charts (no network needed to view it): "
        "paragraphs removed by reason, off-topic scores, junk share per source site, languages, "
        "encoding fixes, rejects and the slowest stages.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    report.add_argument("run_id", metavar="RUN_ID", help="a run id, or `latest`")
    report.add_argument("--to", type=Path, default=None, help="the HTML file (default: OUTPUT/reports/RUN_ID.html)")
    _add_output(report)
    report.set_defaults(handler=command_report)

    prune = commands.add_parser(
        "prune", help="delete the stage files of older committed runs",
        description="Delete _stages/<run_id>/ (every stage's shard files, raw input bytes included) "
        "of committed runs but the newest --keep ones. Datasets, manifests and the ledger stay; "
        "unfinished runs are never touched. `rerun`, `diff` and `stages` need a run's stage "
        "files. `run` prunes by itself after each commit ([run] keep_stage_runs).",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    prune.add_argument("--keep", type=int, default=argparse.SUPPRESS, metavar="N",
                       help="how many of the newest committed runs keep their stage files; 0 deletes "
                       "them all (default: [run] keep_stage_runs of --config, where 0 means keep all)")
    prune.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="pipeline settings (TOML)")
    prune.add_argument("--dry-run", action="store_true", help="list what would be deleted, delete nothing")
    _add_output(prune)
    prune.set_defaults(handler=command_prune)

    serve = commands.add_parser(
        "serve", help="run the pipeline on the cron schedule of the config (Prefect deployment)",
        description="Serve the `newsclean/scheduled` deployment from this process on the cron of "
        "[schedule] in the config: each scheduled run cleans the new inputs of --input. Uses the "
        "Prefect server at PREFECT_API_URL, or starts a local one on --port. Trigger a run by hand "
        "with `prefect deployment run newsclean/scheduled`. Stop with Ctrl-C.",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    serve.add_argument("--input", type=Path, default=Path("seeds"), help="the folder the crawler fills")
    serve.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="pipeline settings (TOML)")
    serve.add_argument("--port", type=int, default=4200,
                       help="port of the local Prefect server started when PREFECT_API_URL is not set")
    _add_output(serve)
    serve.set_defaults(handler=command_serve)
    return parser


def _stage_names() -> tuple[str, ...]:
    from newsclean.shardstore import STAGES  # shardstore loads pyarrow, not Prefect

    return STAGES


@contextmanager
def holding_output(output: Path) -> Iterator[None]:
    """Hold the output folder's lock from before Prefect starts until the command is
    done (its flow takes the same lock again): a second command started while this one
    starts is refused at once with a one-line error, not inside Prefect."""
    from newsclean import runlog

    try:
        with runlog.output_lock(output):
            yield
    except runlog.OutputBusyError as exc:
        raise UsageError(str(exc)) from None


def finish_interrupted(output: Path) -> None:
    """Complete, before this command reads the output, any commit a crash interrupted
    (saying so); if another process holds the output, it finishes them itself."""
    from newsclean import runlog

    if not runlog.interrupted_commits(output):
        return
    try:
        with runlog.output_lock(output):
            for run_id in runlog.finish_commits(output):
                print(f"finished the commit of run {run_id}, which a crash had interrupted")
    except runlog.OutputBusyError:
        return


def start_engine(attempts: int = ENGINE_START_ATTEMPTS) -> str | None:
    """Start Prefect's local server now, unless PREFECT_API_URL names one, trying twice
    on a machine too busy for it to answer in time; EngineError (one line) if it never
    does. A run then uses the server started here. Returns the API URL of the server
    started (None when there is none to start), for processes that must use it too."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return PREFECT_API_URL.value() or None
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    for _ in range(attempts):
        try:
            server.start()
            return server.api_url
        except RuntimeError:  # timed out: stop the slow process before trying again
            server.stop()
    timeout = os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", ENGINE_STARTUP_SECONDS)
    raise EngineError(
        f"Prefect's local server did not start within {timeout} s ({attempts} tries); the machine may be "
        "overloaded: try again, raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or set PREFECT_API_URL"
    )


class LocalServer:
    """Prefect's local API server for one command, started as the ephemeral server is
    (the same uvicorn command, the same database under PREFECT_HOME) but before this
    process imports Prefect: the server boots (8-25 s) while Prefect, the flow and the
    worker processes load, instead of after them."""

    SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}

    def __init__(self) -> None:
        self.process: Any = None
        self.port = 0

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> None:
        """Start the server process without waiting for it."""
        import importlib.util
        import socket
        import subprocess

        spec = importlib.util.find_spec("prefect")
        if spec is None or spec.origin is None:
            raise EngineError("Prefect is not installed")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(spec.origin).parent.parent),
                   "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                   "--port", str(self.port), "--log-level", "error", "--lifespan", "on"]
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | self.SERVER_ENV
        self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL)

    def wait(self, timeout: float) -> bool:
        """Whether the server answers its health check within `timeout` seconds."""
        import time
        import urllib.error
        import urllib.request

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            try:
                with urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as response:
                    if response.status == 200:
                        return True
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        import subprocess

        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def can_start_early() -> bool:
    """Whether this command may launch Prefect's local server itself: Prefect is not yet
    loaded here, no server is named (PREFECT_API_URL), the ephemeral server is allowed."""
    return not ("prefect" in sys.modules or os.environ.get("PREFECT_API_URL")
                or os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "").lower() in ("0", "false"))


@contextmanager
def engine_started_early(attempts: int = ENGINE_START_ATTEMPTS) -> Iterator[Any]:
    """Launch Prefect's local server now and point this process at it (PREFECT_API_URL,
    read when Prefect loads); yields `ready()`, which waits for the server to answer
    (ENGINE_STARTUP_SECONDS per try, a slow start relaunched once; EngineError, one
    line, if it never answers) and returns its API URL. Without launching anything when
    PREFECT_API_URL names a server, or when Prefect is already loaded here (a test
    harness, a caller's own engine): then `ready()` starts the engine as `start_engine`."""
    if not can_start_early():
        yield start_engine
        return
    timeout = float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", ENGINE_STARTUP_SECONDS))
    server = LocalServer()
    server.launch()
    os.environ["PREFECT_API_URL"] = server.api_url

    def ready() -> str:
        for attempt in range(attempts):
            if server.wait(timeout):
                return server.api_url
            server.stop()  # too slow (or it died): start a fresh one
            if attempt + 1 < attempts:
                server.launch()
                os.environ["PREFECT_API_URL"] = server.api_url
        raise EngineError(
            f"Prefect's local server did not start within {timeout:g} s ({attempts} tries); the machine may be "
            "overloaded: try again, raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, or set PREFECT_API_URL"
        )

    try:
        yield ready
    finally:
        if "prefect" in sys.modules:
            from newsclean.serve import flush_logs

            try:
                flush_logs()  # the run's last log lines, before the server goes away
            except Exception:  # noqa: BLE001  (a log line lost must not fail a finished run)
                pass
        server.stop()
        os.environ.pop("PREFECT_API_URL", None)


def _add_output(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--output", type=Path, default=Path("output"),
                        help="the output folder of the runs")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `newsclean` console script; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except (UsageError, ConfigError, FileNotFoundError, ValueError) as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return 2
    except EngineError as exc:
        print(f"newsclean: error: {exc}", file=sys.stderr)
        return 1
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
    if args.run_id is not None:
        from newsclean.runlog import check_run_id

        check_run_id(args.run_id)
    settings = with_run_options(load_settings(args.config), args.runner, args.workers)
    args.output.mkdir(parents=True, exist_ok=True)

    with holding_output(args.output):
        run_id = plan_before_engine(args, settings)
        if run_id is None:
            print(f"nothing new in {args.input}: every input was processed by an earlier run "
                  "(`newsclean run --full` reprocesses them)")
            return 0
        from newsclean import workers

        with ExitStack() as stack:
            # Prefect's server, the worker processes' warm-up and Prefect's import in this
            # process all start now, side by side
            engine_ready = stack.enter_context(engine_started_early())
            if settings.run.task_runner == "processes":
                stack.callback(workers.stop_fork_server)
                stack.enter_context(workers.stage_pool(settings.run.workers))
            from newsclean import progress
            from newsclean.pipeline import clean_news, task_runner_for  # Prefect loads only when needed

            api_url = engine_ready()
            if sys.stdout.isatty():
                progress.use(progress.BarProgress())
            flow = clean_news.with_options(task_runner=task_runner_for(settings, api_url))
            manifest = flow(
                input_path=str(args.input),
                output_dir=str(args.output),
                config_path=str(args.config),
                run_id=run_id or args.run_id,
                full=args.full,
                runner=args.runner,
                workers=args.workers,
                planned=bool(run_id),
            )
    for resumed in manifest.get("resumed_runs", []):
        print(f"finished run {resumed}, which a crash had left unfinished")
    if manifest["status"] == "nothing_new":
        print(f"nothing new in {args.input}: every input was processed by an earlier run "
              "(`newsclean run --full` reprocesses them)")
        return 0
    print(format_summary(manifest))
    return 0


def plan_before_engine(args: argparse.Namespace, settings: Any) -> str | None:
    """Plan the run before Prefect's engine starts (the caller holds the output lock):
    the new run's id when there is something to do, None when there is nothing new, ""
    when a run a crash left unfinished must be resumed first (the flow resumes it, then
    plans). Commits a crash interrupted are finished here first."""
    from datetime import datetime, timezone

    from newsclean import atomic, planning, runlog, shardstore

    atomic.remove_temporaries(args.output)
    for finished in runlog.finish_commits(args.output):
        print(f"finished the commit of run {finished}, which a crash had interrupted")
    if shardstore.unfinished_runs(args.output):
        return ""
    started = datetime.now(timezone.utc)
    plan, _ = planning.plan_run(args.input, args.output, args.run_id or runlog.new_run_id(started), started,
                                str(args.config), args.full, settings)
    return plan.run_id if plan is not None else None


def command_rerun(args: argparse.Namespace) -> int:
    from newsclean import shardstore
    from newsclean.diff import format_changes

    finish_interrupted(args.output)
    run_id = shardstore.resolve_run_id(args.output, args.run_id)
    plan = shardstore.read_plan(args.output, run_id)
    settings = load_settings(args.config or plan.config_path)
    with holding_output(args.output):
        from newsclean.planning import check_rerun

        check_rerun(args.output, plan, args.stage, args.shard)
        if args.only and args.engine == "auto":
            from newsclean.direct import rerun_only

            result = rerun_only(args.output, run_id, args.stage, args.shard,
                                str(args.config) if args.config else None, log=print)
        else:
            with engine_started_early() as engine_ready:
                from newsclean.pipeline import rerun_stage, task_runner_for

                api_url = engine_ready()
                flow = rerun_stage.with_options(task_runner=task_runner_for(settings, api_url))
                result = flow(run_id=run_id, stage=args.stage, output_dir=str(args.output), shard=args.shard,
                              only=args.only, config_path=str(args.config) if args.config else None)
    which = "every shard" if args.shard is None else f"shard {args.shard}"
    after = "" if args.only else " and the stages after it, then committed"
    print(f"run {run_id}: reran {args.stage} on {which}{after} in {result['seconds']:.1f} s")
    if result["changes"] is not None:
        print(format_changes(result["changes"]))
    if result["manifest"]:
        print(format_summary(result["manifest"]))
    return 0


def command_prune(args: argparse.Namespace) -> int:
    from newsclean import runlog, shardstore
    from newsclean.settings import load_settings

    keep = getattr(args, "keep", None)
    if keep is None:
        keep = load_settings(args.config).run.keep_stage_runs
        if keep == 0:
            print("[run] keep_stage_runs = 0 keeps every run's stage files; nothing pruned (pass --keep N)")
            return 0
    if keep < 0:
        raise UsageError("--keep must be 0 or more")
    if not args.output.is_dir():
        raise UsageError(f"no output folder {args.output}")
    finish_interrupted(args.output)
    try:
        with runlog.output_lock(args.output):
            pruned = shardstore.prune_stages(args.output, keep, dry_run=args.dry_run)
    except runlog.OutputBusyError as exc:
        raise UsageError(str(exc)) from None
    verb = "would delete" if args.dry_run else "deleted"
    for run_id, size in pruned:
        print(f"{verb} _stages/{run_id} ({size / 1e6:.1f} MB)")
    total = sum(size for _, size in pruned) / 1e6
    print(f"{verb} the stage files of {len(pruned)} runs ({total:.1f} MB); "
          f"the newest {keep} committed runs and any unfinished run keep theirs")
    return 0


def command_stages(args: argparse.Namespace) -> int:
    from newsclean import shardstore

    finish_interrupted(args.output)
    run_id = shardstore.resolve_run_id(args.output, args.run_id)
    shardstore.require_stage_files(args.output, run_id)
    print(format_stages(run_id, args.output))
    return 0


def format_stages(run_id: str, output: Path) -> str:
    """The table `newsclean stages` prints, from the run's plan and shard summaries."""
    from newsclean import runlog, shardstore

    try:
        total = len(shardstore.read_plan(output, run_id).shards)
    except FileNotFoundError:
        total = runlog.read_manifest(output, run_id)["shards"]
    status = "committed" if runlog.is_committed(output, run_id) else "unfinished"
    if runlog.commit_journal(output, run_id).exists():  # another process is finishing it
        status = "commit interrupted"
    lines = [f"run {run_id} ({status}), {total} shards"]
    if status == "committed":
        for event in runlog.read_manifest(output, run_id).get("reruns", []):
            lines.append(f"  rerun from {event['stage']} ({event['shards']}) at {event['at']}")
    header = f"{'stage':10} {'status':8} {'shards':>9} {'documents':>10} {'paragraphs':>11} {'rejects':>8} {'seconds':>9}"
    lines.append(header)
    summaries = shardstore.read_summaries(output, run_id)
    for stage in _stage_names():
        mine = [s for s in summaries if s["stage"] == stage]
        state = "done" if len(mine) == total else ("partial" if mine else "missing")
        totals = {k: sum(s[k] for s in mine) for k in ("documents", "paragraphs", "rejects", "seconds")}
        lines.append(
            f"{stage:10} {state:8} {len(mine):>4}/{total:<4} {totals['documents']:>10} "
            f"{totals['paragraphs']:>11} {totals['rejects']:>8} {totals['seconds']:>9.2f}"
        )
    return "\n".join(lines)


def command_diff(args: argparse.Namespace) -> int:
    from newsclean import shardstore
    from newsclean.diff import compare_paragraphs, format_changes

    finish_interrupted(args.output)
    tables = []
    for given in (args.run_a, args.run_b):
        run_id = shardstore.resolve_run_id(args.output, given)
        shardstore.require_stage_files(args.output, run_id)
        table = shardstore.read_stage_table(args.output, run_id, "classify", "paragraphs")
        if not shardstore.stage_dir(args.output, run_id, "classify").exists():
            raise UsageError(f"run {run_id} has no classify output to compare")
        tables.append((run_id, table))
    (a, before), (b, after) = tables
    print(f"diff {a} -> {b}")
    print(format_changes(compare_paragraphs(before, after, examples=args.examples)))
    return 0


def command_report(args: argparse.Namespace) -> int:
    from newsclean import atomic, report, shardstore

    finish_interrupted(args.output)
    run_id = shardstore.resolve_run_id(args.output, args.run_id)
    shardstore.require_stage_files(args.output, run_id)
    target = args.to or args.output / "reports" / f"{run_id}.html"
    atomic.write_text_atomic(report.render_html(report.collect(args.output, run_id)), target)
    print(f"report of run {run_id}: {target}")
    return 0


def command_serve(args: argparse.Namespace) -> int:
    if not args.input.exists():
        raise UsageError(f"input not found: {args.input}")
    settings = load_settings(args.config)
    args.output.mkdir(parents=True, exist_ok=True)
    from newsclean import serve

    if os.environ.get("PREFECT_API_URL"):
        serve.serve(settings, args.input, args.output, args.config)
        return 0
    print(f"starting a Prefect server on http://127.0.0.1:{args.port} (UI and API) ...", flush=True)
    with serve.local_server(args.port) as api_url:
        os.environ["PREFECT_API_URL"] = api_url  # read by Prefect when it loads, just below
        print(f"serving newsclean/scheduled on cron {settings.schedule.cron!r} "
              f"({settings.schedule.timezone}); run it now with: "
              f"PREFECT_API_URL={api_url} prefect deployment run newsclean/scheduled", flush=True)
        try:
            serve.serve(settings, args.input, args.output, args.config)
        finally:
            serve.flush_logs()  # before the server goes away
    return 0


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
