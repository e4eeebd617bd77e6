"""The Prefect flows. A run: finish any run a crash left unfinished, find the new
inputs, cut them into shards, run the stages over every shard, commit the run in one
step. A rerun: one stage of an existing run (and the stages after it) from the
persisted output of the stage before it."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from datetime import datetime, timezone
from pathlib import Path
from time import perf_counter
from typing import Any

from prefect import flow
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from newsclean import atomic, datasets, progress, runlog, shardstore, workers
from newsclean.diff import compare_paragraphs
from newsclean.planning import check_rerun
from newsclean.report import collect, counts_table, markdown_summary, render_html
from newsclean.runlog import build_manifest
from newsclean.settings import RunSettings, Settings, load_settings, with_run_options
from newsclean.stages.memory import use_system_arrow_pool
from newsclean.tasks import STAGES, crossdoc_task, plan_task, stage_groups, submit_stage, submit_stages, templates_task
from newsclean.templatestore import needs_counts, read_summary

# The stage whose output holds the paragraph labels compared by reruns and diffs.
LABEL_STAGE = "classify"


def pipeline_threads(workers: int) -> int:
    """Threads of the flow's pool when the CPU-bound stages run in `workers` processes: a
    task holds a thread while it waits for the task before it, so each shard in flight
    needs one per stage; `workers + 1` shards in flight keep every process busy."""
    return (len(STAGES) - 1) * (workers + 1)


@contextmanager
def stage_workers(settings: Settings) -> Iterator[None]:
    """The run's worker processes for the CPU-bound stages, with the "processes" runner
    (the command may have started them already, before Prefect's engine)."""
    if settings.run.task_runner != "processes":
        yield
        return
    with workers.stage_pool(settings.run.workers):
        yield


@flow(name="newsclean", log_prints=True, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner(max_workers=pipeline_threads(RunSettings().workers)))
def clean_news(
    input_path: str = "seeds",
    output_dir: str = "output",
    config_path: str = "config/pipeline.toml",
    run_id: str | None = None,
    full: bool = False,
    runner: str | None = None,
    workers: int | None = None,
    planned: bool = False,
) -> dict[str, Any]:
    """Clean the articles under `input_path` that no earlier run processed (all of them
    if `full`) into Parquet datasets under `output_dir`; first finish any run a crash
    left unfinished. `runner` and `workers` override [run]'s; `planned`: the command
    already planned run `run_id` (before starting Prefect's engine), run that plan."""
    if run_id is not None:
        runlog.check_run_id(run_id)  # it names folders under the output: never `../x`
    settings = with_run_options(load_settings(config_path), runner, workers)
    output = Path(output_dir)
    use_system_arrow_pool()  # (the command has; a flow served or called from Python has not)
    with runlog.output_lock(output), stage_workers(settings):
        atomic.remove_temporaries(output)
        finish_interrupted_commits(output)
        unfinished = [r for r in shardstore.unfinished_runs(output) if not (planned and r == run_id)]
        resumed = [resume_run(output, r) for r in unfinished]
        if planned and run_id is not None:
            plan = shardstore.read_plan(output, run_id)
        else:
            started = datetime.now(timezone.utc)
            run_id = run_id or runlog.new_run_id(started)
            plan = plan_task(Path(input_path), output, run_id, started, config_path, full, settings)
        if plan is None:
            return {"run_id": None, "status": "nothing_new", "input": input_path, "output": output_dir,
                    "resumed_runs": [m["run_id"] for m in resumed]}
        manifest = finish_run(plan, output, settings)
        pruned = shardstore.prune_stages(output, settings.run.keep_stage_runs) if settings.run.keep_stage_runs else []
    if pruned:
        run_logger().info("pruned the stage files of %d older runs (%.1f MB; [run] keep_stage_runs = %d)",
                          len(pruned), sum(size for _, size in pruned) / 1e6, settings.run.keep_stage_runs)
    manifest["resumed_runs"] = [m["run_id"] for m in resumed]
    manifest["pruned_stage_runs"] = [run for run, _ in pruned]
    return manifest


@flow(name="newsclean-rerun", log_prints=True, validate_parameters=False,
      task_runner=ThreadPoolTaskRunner(max_workers=pipeline_threads(RunSettings().workers)))
def rerun_stage(
    run_id: str,
    stage: str,
    output_dir: str = "output",
    shard: int | None = None,
    only: bool = False,
    config_path: str | None = None,
) -> dict[str, Any]:
    """Rerun `stage` of a run (one shard or all) from the stage before it, then the stages
    after it and the commit, unless `only`. Returns what changed in the paragraph labels
    and, when committed, the new manifest."""
    output = Path(output_dir)
    clock = perf_counter()
    with runlog.output_lock(output), ExitStack() as stack:
        atomic.remove_temporaries(output)
        finish_interrupted_commits(output)
        run_id = shardstore.resolve_run_id(output, run_id)
        plan = shardstore.read_plan(output, run_id)
        if config_path:
            plan = shardstore.update_plan(output, run_id, config_path=str(Path(config_path).resolve()))
        settings = load_settings(plan.config_path)
        every_shard = list(range(len(plan.shards)))
        shard_ids = check_rerun(output, plan, stage, shard)
        stack.enter_context(stage_workers(settings))
        compare = STAGES.index(stage) <= STAGES.index(LABEL_STAGE)
        before = shardstore.read_stage_table(output, run_id, LABEL_STAGE, "paragraphs") if compare else None
        if only:
            shardstore.forget_shards(output, run_id, stage, shard_ids)
            execute(plan, output, settings, [stage], shard_ids)
        else:
            for later in STAGES[STAGES.index(stage):]:
                # publish is redone for every shard: a commit replaces the run's whole partitions
                shardstore.forget_shards(output, run_id, later, every_shard if later == "publish" else shard_ids)
            execute(plan, output, settings, STAGES, every_shard)
        changes = None
        if compare:
            changes = compare_paragraphs(before, shardstore.read_stage_table(output, run_id, LABEL_STAGE, "paragraphs"))
        result: dict[str, Any] = {
            "run_id": run_id, "stage": stage, "shards": shard_ids, "only": only,
            "seconds": round(perf_counter() - clock, 3), "changes": changes, "manifest": None,
        }
        if not only:
            event = {"stage": stage, "shards": "all" if shard is None else [shard], "config": plan.config_path,
                     "at": datetime.now(timezone.utc).isoformat()}
            result["manifest"] = commit(plan, output, settings, perf_counter() - clock, rerun=event)
    return result


def finish_interrupted_commits(output: Path) -> None:
    """Complete the commits a crash interrupted, before anything else (with the lock held)."""
    for run_id in runlog.finish_commits(output):
        run_logger().warning("finished the commit of run %s, which a crash had interrupted", run_id)


def resume_run(output: Path, run_id: str) -> dict[str, Any]:
    """Finish a run that has a plan but no manifest, reusing every shard already done."""
    plan = shardstore.read_plan(output, run_id)
    run_logger().warning("resuming unfinished run %s", run_id)
    return finish_run(plan, output, load_settings(plan.config_path), resumed=True)


def finish_run(plan: shardstore.RunPlan, output: Path, settings: Settings, resumed: bool = False) -> dict[str, Any]:
    """Run every stage not yet done on every shard of the plan, then commit the run."""
    clock = perf_counter()
    execute(plan, output, settings, STAGES, range(len(plan.shards)))
    return commit(plan, output, settings, perf_counter() - clock, resumed=resumed)


def execute(
    plan: shardstore.RunPlan, output: Path, settings: Settings, stages: Sequence[str], shard_ids: Sequence[int]
) -> None:
    """Submit, shard by shard, the listed stages not yet done (and everything after the
    first one that runs), each waiting for the one before; wait for them all."""
    run_id = plan.run_id
    done = shardstore.done_shards(output, run_id)
    pending_publish = any(("publish", s) not in done for s in shard_ids) and "publish" in stages
    if pending_publish:
        supersede = plan.full and not runlog.is_committed(output, run_id)
        datasets.write_published_keys(output, run_id, None if supersede else datasets.published_keys(output, run_id))
    futures, finals, ingests = [], [], []
    publish_after: dict[int, Any] = {}  # shard -> its future before publish (None: on disk)
    bar = progress.current()
    bar.start(f"run {run_id}", len(shard_ids), sum(all((st, s) in done for st in stages) for s in shard_ids))
    groups: dict[int, list[tuple[str, ...]]] = {}
    for shard_id in shard_ids:
        todo = list(stages)
        while todo and (todo[0], shard_id) in done:  # from the first stage not done, all
            todo.pop(0)
        groups[shard_id] = stage_groups(todo)  # decode to segment, classify and language: a task each
    upstreams: dict[int, Any] = dict.fromkeys(shard_ids)

    def submit(shard_id: int, group: tuple[str, ...]) -> None:
        upstream = upstreams[shard_id]
        upstreams[shard_id] = submit_stages(group, plan, output, shard_id, settings, [upstream] if upstream else [])
        for stage in group:
            bar.track(stage, upstreams[shard_id])
        futures.append(upstreams[shard_id])
        if "ingest" in group:
            ingests.append(upstreams[shard_id])

    # Up to segment, every shard; then the templates reduce across them, before any classify.
    early = {s: [g for g in gs if STAGES.index(g[0]) < STAGES.index("classify")] for s, gs in groups.items()}
    for shard_id in shard_ids:
        for group in early[shard_id]:
            submit(shard_id, group)
    classifying = any(g[0] == "classify" for gs in groups.values() for g in gs)
    segmenting = any("segment" in g for gs in early.values() for g in gs)
    if classifying and (segmenting or needs_counts(output, run_id)):
        for future in futures:
            future.result()  # raises the first failure: the run stays unfinished, to resume
        templates_task(output, run_id, len(plan.shards), settings)
    for shard_id in shard_ids:
        for group in groups[shard_id][len(early[shard_id]):]:
            if group == ("publish",):  # submitted below, once every shard's ingest is submitted
                publish_after[shard_id] = upstreams[shard_id]
                break
            submit(shard_id, group)
        if upstreams[shard_id] is not None and shard_id not in publish_after:  # the shard's last stage
            finals.append(upstreams[shard_id])
    # A shard's publish leaves out the articles an earlier shard also holds (one JSONL
    # record in two files): list those once every shard's ingest is done.
    if publish_after:
        for future in ingests:
            future.result()  # raises the first failure: the run stays unfinished, to resume
        shardstore.write_record_copies(output, run_id, len(plan.shards))
    for shard_id, upstream in publish_after.items():
        final = submit_stage("publish", plan, output, shard_id, settings, [upstream] if upstream else [])
        bar.track("publish", final)
        futures.append(final)
        finals.append(final)
    try:
        for future in as_completed(finals):
            bar.advance(future.result()["documents"])
    finally:
        bar.finish()
    for future in futures:
        future.result()  # raises the first failure: the run stays unfinished, to resume


def commit(
    plan: shardstore.RunPlan,
    output: Path,
    settings: Settings,
    wall_seconds: float,
    resumed: bool = False,
    rerun: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Link the run's articles across documents (every shard published: a reduce step),
    write the run's manifest and make its rows visible; leave Prefect artifacts."""
    run_id = plan.run_id
    crossdoc = crossdoc_task(output, run_id, plan.ingest_date, settings)
    previous = runlog.read_manifest(output, run_id) if runlog.is_committed(output, run_id) else None
    history = list(previous.get("reruns", [])) if previous else []
    if rerun:
        history.append(rerun)
    manifest = build_manifest(
        run_id=run_id,
        input_root=plan.input_root,
        output=str(output),
        ingest_date=plan.ingest_date,
        started_at=plan.started_at,
        finished_at=datetime.now(timezone.utc).isoformat(),
        wall_seconds=wall_seconds,
        input_files=[f.relative for f in plan.files()],
        summaries=shardstore.read_summaries(output, run_id),
        settings=settings,
        n_shards=len(plan.shards),
        extra={
            "full": plan.full,
            "resumed": resumed or bool(previous and previous.get("resumed")),
            "reruns": history,
            "config_path": plan.config_path,
            "crossdoc": crossdoc,
            "templates": read_summary(output, run_id),
            "skipped_inputs": {"already_processed": plan.skipped_known, "duplicate_content": list(plan.duplicate_content)},
        },
    )
    ledger = runlog.ledger_table(run_id, [*plan.files(), *plan.also_seen])
    runlog.commit_run(output, run_id, plan.ingest_date, manifest, ledger, supersede=plan.full and previous is None)
    report = write_report(output, run_id, manifest["counts"]["paragraphs"])
    uri = report.resolve().as_uri() if report else None
    how = (f"[{report}]({uri})" if uri else
           f"`newsclean report {run_id} --output {output}` writes it (a run this large gets none at commit)")
    create_markdown_artifact(markdown=f"{markdown_summary(manifest)}\n\nHTML report: {how}\n",
                             key="newsclean-run-summary", description=f"newsclean run {run_id}")
    create_table_artifact(table=counts_table(manifest), key="newsclean-run-counts",
                          description=f"counts of newsclean run {run_id}")
    if uri:
        create_link_artifact(link=uri, link_text=f"HTML report of run {run_id}", key="newsclean-run-report",
                             description=f"newsclean report {run_id}, written at commit")
    return manifest


# The report holds a run's paragraphs in memory (report.collect): 0.8-0.9 KB each as Python
# rows (measured on the seeds' paragraphs, 196 characters on average), so a run of a million
# would add most of a GB at commit; larger runs get theirs from `newsclean report`.
REPORT_AT_COMMIT_MAX_PARAGRAPHS = 200_000


def write_report(output: Path, run_id: str, paragraphs: int) -> Path | None:
    """Write the committed run's HTML report where `newsclean report` would, for the
    artifacts to link; None (with a warning if it failed: the run stays committed) for a
    run over REPORT_AT_COMMIT_MAX_PARAGRAPHS or a report that could not be written."""
    if paragraphs > REPORT_AT_COMMIT_MAX_PARAGRAPHS:
        return None
    target = output / "reports" / f"{run_id}.html"
    try:
        atomic.write_text_atomic(render_html(collect(output, run_id)), target)
    except Exception as exc:  # noqa: BLE001  (a report is a view of a run, not part of it)
        run_logger().warning("no HTML report for run %s: %s", run_id, exc)
        return None
    return target


def run_logger() -> Any:
    from prefect.logging import get_run_logger

    return get_run_logger()


def task_runner_for(settings: Settings, api_url: str | None = None) -> Any:
    """The flow's task runner: threads (the CPU-bound stages then run in the worker
    processes of `stage_workers`, or, with the "threads" runner, in these threads), or a
    Dask cluster (local processes, or an existing one). Local Dask workers are pointed at
    `api_url`, the Prefect API the flow uses, so none starts a server of its own."""
    if settings.run.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.run.dask_address:
            return DaskTaskRunner(address=settings.run.dask_address)
        cluster = {"n_workers": settings.run.workers, "threads_per_worker": 1, "processes": True}
        if api_url:
            cluster["env"] = {"PREFECT_API_URL": api_url}
        return DaskTaskRunner(cluster_kwargs=cluster)
    if settings.run.task_runner == "processes":
        return ThreadPoolTaskRunner(max_workers=pipeline_threads(settings.run.workers))
    return ThreadPoolTaskRunner(max_workers=settings.run.workers)
