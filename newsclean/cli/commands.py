"""The bodies of the commands but `run` (newsclean/cli/run.py): rerun, stages, diff,
versions, report, prune, serve, init. Each imports what it needs when it runs: a command that needs
no engine never loads Prefect."""

from __future__ import annotations

import argparse
import os
import shutil
from contextlib import ExitStack
from pathlib import Path

from newsclean.cli.common import finish_interrupted, holding_output, print_json, say, stage_names
from newsclean.cli.engine import EngineError, engine_started_early
from newsclean.cli.preflight import UsageError, check_input, check_target_file, check_writable
from newsclean.cli.run import format_summary
from newsclean.settings import load_settings

CONFIG_FILES = ("pipeline.toml", "rules.toml")


def command_rerun(args: argparse.Namespace) -> int:
    from newsclean import atomic, runlog, shardstore
    from newsclean.diff import format_changes

    finish_interrupted(args, args.output)
    run_id = shardstore.resolve_run_id(args.output, args.run_id)
    plan = shardstore.read_plan(args.output, run_id)
    settings = load_settings(args.config or plan.config_path)
    with holding_output(args.output):
        from newsclean.planning import check_rerun

        check_rerun(args.output, plan, args.stage, args.shard)
        if args.only and args.engine == "auto":
            from newsclean.direct import rerun_only

            result = rerun_only(args.output, run_id, args.stage, args.shard,
                                str(args.config) if args.config else None, log=lambda line: say(args, line))
        else:
            with engine_started_early() as engine_ready:
                from newsclean.pipeline import rerun_stage, task_runner_for

                api_url = engine_ready()
                flow = rerun_stage.with_options(task_runner=task_runner_for(settings, api_url))
                result = flow(run_id=run_id, stage=args.stage, output_dir=str(args.output), shard=args.shard,
                              only=args.only, config_path=str(args.config) if args.config else None)
    if args.json:
        print_json(result)
        return 0
    which = "every shard" if args.shard is None else f"shard {args.shard}"
    after = "" if args.only else " and the stages after it, then committed"
    say(args, f"run {run_id}: reran {args.stage} on {which}{after} in {result['seconds']:.1f} s")
    if result["changes"] is not None:
        say(args, format_changes(result["changes"]))
    if result["manifest"]:
        say(args, format_summary(result["manifest"]))
    return 0


def command_prune(args: argparse.Namespace) -> int:
    from newsclean import atomic, runlog, shardstore

    keep = getattr(args, "keep", None)
    if keep is None:
        keep = load_settings(args.config).run.keep_stage_runs  # resolved as a run resolves it
        if keep == 0:
            say(args, "[run] keep_stage_runs = 0 keeps every run's stage files; nothing pruned (pass --keep N)")
            return 0
    if keep < 0:
        raise UsageError("--keep must be 0 or more")
    if not args.output.is_dir():
        raise UsageError(f"no output folder {args.output}")
    finish_interrupted(args, args.output)
    with holding_output(args.output):
        pruned = shardstore.prune_stages(args.output, keep, dry_run=args.dry_run)
    verb = "would delete" if args.dry_run else "deleted"
    for run_id, size in pruned:
        say(args, f"{verb} _stages/{run_id} ({size / 1e6:.1f} MB)")
    total = sum(size for _, size in pruned) / 1e6
    say(args, f"{verb} the stage files of {len(pruned)} runs ({total:.1f} MB); "
              f"the newest {keep} committed runs and any unfinished run keep theirs")
    return 0


def command_stages(args: argparse.Namespace) -> int:
    from newsclean import atomic, runlog, shardstore

    finish_interrupted(args, args.output)
    run_id = shardstore.resolve_run_id(args.output, args.run_id)
    shardstore.require_stage_files(args.output, run_id)
    status, total, reruns, rows = stage_rows(run_id, args.output)
    if args.json:
        print_json({"run_id": run_id, "status": status, "shards": total, "reruns": reruns, "stages": rows})
        return 0
    say(args, format_stages(run_id, status, total, reruns, rows))
    return 0


def stage_rows(run_id: str, output: Path) -> tuple[str, int, list[dict], list[dict]]:
    """A run's status, shard count, reruns, and per stage: status, shards done and totals."""
    from newsclean import atomic, runlog, shardstore

    try:
        total = len(shardstore.read_plan(output, run_id).shards)
    except FileNotFoundError:
        total = runlog.read_manifest(output, run_id)["shards"]
    status = "committed" if runlog.is_committed(output, run_id) else "unfinished"
    if runlog.commit_journal(output, run_id).exists():  # another process is finishing it
        status = "commit interrupted"
    reruns = runlog.read_manifest(output, run_id).get("reruns", []) if status == "committed" else []
    summaries = shardstore.read_summaries(output, run_id)
    rows = []
    for stage in stage_names():
        mine = [s for s in summaries if s["stage"] == stage]
        state = "done" if len(mine) == total else ("partial" if mine else "missing")
        totals = {k: sum(s[k] for s in mine) for k in ("documents", "paragraphs", "rejects", "seconds")}
        rows.append({"stage": stage, "status": state, "shards_done": len(mine), **totals})
    return status, total, reruns, rows


def format_stages(run_id: str, status: str, total: int, reruns: list[dict], rows: list[dict]) -> str:
    """The table `newsclean stages` prints."""
    lines = [f"run {run_id} ({status}), {total} shards"]
    lines += [f"  rerun from {event['stage']} ({event['shards']}) at {event['at']}" for event in reruns]
    lines.append(f"{'stage':10} {'status':8} {'shards':>9} {'documents':>10} {'paragraphs':>11} {'rejects':>8} "
                 f"{'seconds':>9}")
    for r in rows:
        lines.append(
            f"{r['stage']:10} {r['status']:8} {r['shards_done']:>4}/{total:<4} {r['documents']:>10} "
            f"{r['paragraphs']:>11} {r['rejects']:>8} {r['seconds']:>9.2f}"
        )
    return "\n".join(lines)


def command_diff(args: argparse.Namespace) -> int:
    from newsclean import atomic, runlog, shardstore
    from newsclean.diff import compare_paragraphs, format_changes

    finish_interrupted(args, args.output)
    tables = []
    for given in (args.run_a, args.run_b):
        run_id = shardstore.resolve_run_id(args.output, given)
        shardstore.require_stage_files(args.output, run_id)
        table = shardstore.read_stage_table(args.output, run_id, "classify", "paragraphs")
        if not shardstore.stage_dir(args.output, run_id, "classify").exists():
            raise UsageError(f"run {run_id} has no classify output to compare")
        tables.append((run_id, table))
    (a, before), (b, after) = tables
    say(args, f"diff {a} -> {b}")
    say(args, format_changes(compare_paragraphs(before, after, examples=args.examples)))
    return 0


def command_versions(args: argparse.Namespace) -> int:
    from newsclean.crossdoc import compare_versions

    finish_interrupted(args, args.output)
    try:
        result = compare_versions(args.output, args.doc_key, args.old, args.new)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    if args.json:
        print_json(result)
        return 0
    say(args, f"{result['doc_key']}: {len(result['versions'])} article rows")
    for r in result["versions"]:
        say(args, f"  version {r['version']}  article {r['article_id']}  run {r['run_id']}")
    say(args, f"version {result['old']} -> {result['new']}: {len(result['removed'])} paragraphs removed, "
              f"{len(result['added'])} added")
    for sign, text in result["changes"]:
        say(args, f"{sign} {text}")
    return 0


def command_report(args: argparse.Namespace) -> int:
    from newsclean import atomic, report, runlog, shardstore

    if args.to:  # before the report is computed
        check_target_file(args.to, "report")
    else:
        check_writable(args.output / "reports", "reports folder")
    finish_interrupted(args, args.output)
    run_id = shardstore.resolve_run_id(args.output, args.run_id)
    shardstore.require_stage_files(args.output, run_id)
    target = args.to or args.output / "reports" / f"{run_id}.html"
    page = report.render_html(report.collect(args.output, run_id))
    try:
        atomic.write_text_atomic(page, target)
    except OSError as exc:
        raise UsageError(f"report {target} cannot be written: {exc.strerror or exc}") from None
    say(args, f"report of run {run_id}: {target}")
    return 0


def command_serve(args: argparse.Namespace) -> int:
    from newsclean.settings import config_path

    check_input(args.input, empty_ok=True)  # the crawler may fill it later
    check_writable(args.output, "output")
    config = config_path(args.config)
    settings = load_settings(config)
    args.output.mkdir(parents=True, exist_ok=True)
    from newsclean import serve

    if os.environ.get("PREFECT_API_URL"):
        serve.serve(settings, args.input, args.output, config)
        return 0
    say(args, f"starting a Prefect server on http://127.0.0.1:{args.port} (UI and API) ...")
    with ExitStack() as stack:
        try:
            api_url = stack.enter_context(serve.local_server(args.port))
        except RuntimeError as exc:  # it exited, or never answered: one line
            raise EngineError(f"{exc} (is port {args.port} free? --port picks another)") from None
        os.environ["PREFECT_API_URL"] = api_url  # read by Prefect when it loads, just below
        say(args, f"serving newsclean/scheduled on cron {settings.schedule.cron!r} "
                  f"({settings.schedule.timezone}); run it now with: "
                  f"PREFECT_API_URL={api_url} prefect deployment run newsclean/scheduled")
        try:
            serve.serve(settings, args.input, args.output, config)
        finally:
            serve.flush_logs()  # before the server goes away
    return 0


def command_init(args: argparse.Namespace) -> int:
    """Write editable copies of the shipped pipeline.toml and rules.toml into DIR."""
    from newsclean.settings import shipped_config_dir

    folder: Path = args.dir
    targets = [folder / name for name in CONFIG_FILES]
    existing = [t for t in targets if t.exists()]
    if existing and not args.force:
        raise UsageError(f"{existing[0]} exists; `newsclean init --force` overwrites "
                         f"{'it' if len(existing) == 1 else 'both files'}")
    check_writable(folder, "config folder")
    folder.mkdir(parents=True, exist_ok=True)
    for name, target in zip(CONFIG_FILES, targets):
        shutil.copyfile(shipped_config_dir() / name, target)
    used = ("`newsclean run` in this folder uses them" if folder.resolve() == Path("config").resolve()
            else f"use them with --config {targets[0]}")
    say(args, f"wrote {targets[0]} and {targets[1]} (the shipped defaults, to edit); {used}")
    return 0
