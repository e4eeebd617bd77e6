"""`newsclean run`: check, plan (before Prefect's engine starts), run the flow, summarise;
`run --dry-run`: the plan alone, nothing written."""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from contextlib import ExitStack
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from newsclean.cli.common import holding_output, print_json, say
from newsclean.cli.engine import engine_started_early
from newsclean.cli.preflight import UsageError, check_input, check_writable
from newsclean.settings import Settings, load_settings, with_run_options


def command_run(args: argparse.Namespace) -> int:
    from newsclean.settings import config_path

    check_input(args.input)
    check_writable(args.output, "output")
    if args.workers is not None and args.workers < 1:
        raise UsageError("--workers must be at least 1")
    if args.run_id is not None:
        from newsclean.runlog import check_run_id

        check_run_id(args.run_id)
    config = config_path(args.config)
    settings = with_run_options(load_settings(config), args.runner, args.workers)
    if args.dry_run:
        return dry_run(args, config, settings)
    args.output.mkdir(parents=True, exist_ok=True)
    with holding_output(args.output):
        run_id = plan_before_engine(args, config, settings)
        if run_id is None:
            return nothing_new(args, {"run_id": None, "status": "nothing_new", "resumed_runs": []})
        manifest = run_flow(args, config, settings, run_id)
    for resumed in manifest.get("resumed_runs", []):
        say(args, f"finished run {resumed}, which a crash had left unfinished")
    if manifest["status"] == "nothing_new":
        return nothing_new(args, manifest)
    if args.json:
        print_json(manifest)
    else:
        say(args, format_summary(manifest))
    return 0


def nothing_new(args: argparse.Namespace, result: dict[str, Any]) -> int:
    if args.json:
        print_json({**result, "input": str(args.input), "output": str(args.output)})
    say(args, f"nothing new in {args.input}: every input was processed by an earlier run "
              "(`newsclean run --full` reprocesses them)")
    return 0


def run_flow(args: argparse.Namespace, config: Path, settings: Settings, run_id: str) -> dict[str, Any]:
    """Start Prefect's engine (and the worker processes) and run the flow on the plan
    `run_id` ("": resume a crashed run first, then plan). A plan whose run never started
    (the engine did not answer, Ctrl-C while it started) is removed: no unfinished run is
    left for the next command to resume."""
    from newsclean import progress, workers

    log = log_file(args.output, run_id)
    with ExitStack() as stack:
        bar = stack.enter_context(progress.showing(terminal_progress(args, f"run {run_id or '(resuming)'}")))
        bar.status("starting Prefect's engine")
        try:
            # Prefect's server, the worker processes' warm-up and Prefect's import in this
            # process all start now, side by side
            engine_ready = stack.enter_context(engine_started_early(log=log))
            if settings.run.task_runner == "processes":
                stack.callback(workers.stop_fork_server)
                stack.enter_context(workers.stage_pool(settings.run.workers))
            from newsclean.pipeline import clean_news, task_runner_for  # Prefect loads only when needed

            stack.enter_context(progress.routed_logs(console_level(args), log))  # once Prefect set its up
            api_url = engine_ready()
        except BaseException:
            discard_plan(args.output, run_id)
            raise
        bar.status("planning")
        flow = clean_news.with_options(task_runner=task_runner_for(settings, api_url))
        return flow(
            input_path=str(args.input),
            output_dir=str(args.output),
            config_path=str(config),
            run_id=run_id or args.run_id,
            full=args.full,
            runner=args.runner,
            workers=args.workers,
            planned=bool(run_id),
        )


def console_level(args: argparse.Namespace) -> str:
    """The level of the log lines shown on the terminal (the log file gets every line)."""
    return "error" if args.quiet else args.log_level


def terminal_progress(args: argparse.Namespace, label: str) -> Any:
    """How this command shows the run's progress: a bar on a terminal, a line per shard
    on stderr otherwise; with --log-level info or debug the run's own log lines (Prefect's
    too) say it; --quiet: only in the log file and the UI."""
    from newsclean import progress

    if args.quiet or console_level(args) in ("info", "debug"):
        return progress.LogProgress()
    if sys.stderr.isatty():
        return progress.BarProgress(label)
    return progress.LineProgress()


def log_file(output: Path, run_id: str) -> Path:
    """Where a run's log lines (all of them: Prefect's per-task lines too) are written."""
    name = run_id or "resume-" + datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return output / "_logs" / f"{name}.log"


def discard_plan(output: Path, run_id: str) -> None:
    """Remove the plan of run `run_id` if none of its stages has run."""
    from newsclean import atomic, runlog, shardstore

    if not run_id:
        return
    folder = shardstore.plan_path(output, run_id).parent
    if folder.is_dir() and all(p.name == "run.json" for p in folder.iterdir()):
        shutil.rmtree(folder)


def plan_before_engine(args: argparse.Namespace, config: Path, settings: Settings) -> str | None:
    """Plan the run before Prefect's engine starts (the caller holds the output lock):
    the new run's id when there is something to do, None when there is nothing new, ""
    when a run a crash left unfinished must be resumed first (the flow resumes it, then
    plans). Commits a crash interrupted are finished here first."""
    from newsclean import atomic, planning, runlog, shardstore

    atomic.remove_temporaries(args.output)
    for finished in runlog.finish_commits(args.output):
        say(args, f"finished the commit of run {finished}, which a crash had interrupted")
    if shardstore.unfinished_runs(args.output):
        return ""
    started = datetime.now(timezone.utc)
    plan, _ = planning.plan_run(args.input, args.output, args.run_id or runlog.new_run_id(started), started,
                                str(config), args.full, settings)
    return plan.run_id if plan is not None else None


def dry_run(args: argparse.Namespace, config: Path, settings: Settings) -> int:
    """Say what `run` would do: the commits and runs it would finish first, the new
    inputs and their shards. Writes nothing (no output folder, lock, plan or ledger)."""
    from newsclean import atomic, planning, runlog, shardstore

    started = datetime.now(timezone.utc)
    plan, found = planning.plan_run(args.input, args.output, "dry-run", started, str(config), args.full,
                                    settings, persist=False)
    result = {
        "dry_run": True,
        "input": str(args.input),
        "output": str(args.output),
        "config": str(config),
        "found": found,
        "finish_commits": runlog.interrupted_commits(args.output),
        "resume_runs": shardstore.unfinished_runs(args.output),
        "shards": [{"shard": n, "inputs": [f.relative for f in shard], "bytes": sum(f.size for f in shard)}
                   for n, shard in enumerate(plan.shards if plan else ())],
        "copies": [list(pair) for pair in (plan.duplicate_content if plan else ())],
    }
    if args.json:
        print_json(result)
        return 0
    lines = [f"dry run (nothing written): {found}"]
    lines += [f"would first finish the commit of run {r}, which a crash had interrupted" for r in result["finish_commits"]]
    lines += [f"would first resume run {r}, which a crash had left unfinished" for r in result["resume_runs"]]
    if plan is None:
        lines.append(f"nothing new in {args.input}" + ("" if args.full else " (`--full` reprocesses every input)"))
    else:
        n_inputs = sum(len(s["inputs"]) for s in result["shards"])
        lines.append(f"would process {n_inputs} inputs in {len(plan.shards)} shards "
                     f"(runner {settings.run.task_runner}, {settings.run.workers} workers):")
        for shard in result["shards"]:
            lines.append(f"  shard {shard['shard']}: {len(shard['inputs'])} inputs, {shard['bytes'] / 1e6:.1f} MB")
            lines += [f"    {name}" for name in shard["inputs"]]
        lines += [f"  skipped, a copy of {original}: {copy}" for copy, original in result["copies"]]
    say(args, "\n".join(lines))
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
