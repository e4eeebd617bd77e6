"""One stage of a run rerun without Prefect's engine: what `newsclean rerun --only` does.

A rerun with `--only` rewrites one stage's shard files and commits nothing (no datasets,
no manifest, no artifacts), so it needs none of what the engine gives (the UI's task
graph, retries of file I/O, artifacts); starting it costs more than the work (importing
Prefect 2.3 s, its local server 8-25 s). Here it runs in the command's own process, one
shard after another, or in the worker processes when there are several shards and the
"processes" runner. The per-document limit holds: the work runs in a main thread.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from time import perf_counter
from typing import Any

from newsclean import atomic, runlog, shardstore, shardwork, workers
from newsclean.planning import check_rerun
from newsclean.settings import Settings, load_settings

LABEL_STAGE = "classify"  # as newsclean/pipeline.py: the stage whose labels a rerun compares


def rerun_only(
    output: Path,
    run_id: str,
    stage: str,
    shard: int | None = None,
    config_path: str | None = None,
    log: Callable[[str], None] = lambda line: None,
) -> dict[str, Any]:
    """Rerun `stage` of run `run_id` (one shard or all) from the stage before it, and
    nothing after it; the result as `pipeline.rerun_stage(only=True)` returns it."""
    from newsclean.diff import compare_paragraphs

    clock = perf_counter()
    with runlog.output_lock(output):
        atomic.remove_temporaries(output)
        for finished in runlog.finish_commits(output):
            log(f"finished the commit of run {finished}, which a crash had interrupted")
        run_id = shardstore.resolve_run_id(output, run_id)
        plan = shardstore.read_plan(output, run_id)
        if config_path:
            plan = shardstore.update_plan(output, run_id, config_path=str(Path(config_path).resolve()))
        settings = load_settings(plan.config_path)
        shard_ids = check_rerun(output, plan, stage, shard)
        compare = shardstore.STAGES.index(stage) <= shardstore.STAGES.index(LABEL_STAGE)
        before = shardstore.read_stage_table(output, run_id, LABEL_STAGE, "paragraphs") if compare else None
        shardstore.forget_shards(output, run_id, stage, shard_ids)
        for summary in run_stage(plan, output, settings, stage, shard_ids):
            log(f"{stage} shard {summary['shard']}: {summary['documents']} documents, {summary['paragraphs']} "
                f"paragraphs, {summary['rejects']} rejects in {summary['seconds']:.2f}s")
        changes = None
        if compare:
            changes = compare_paragraphs(before, shardstore.read_stage_table(output, run_id, LABEL_STAGE, "paragraphs"))
    return {"run_id": run_id, "stage": stage, "shards": shard_ids, "only": True,
            "seconds": round(perf_counter() - clock, 3), "changes": changes, "manifest": None}


def run_stage(plan: shardstore.RunPlan, output: Path, settings: Settings, stage: str, shard_ids: list[int]) -> list[dict[str, Any]]:
    """Run one stage on the listed shards; their summaries, in shard order."""
    run_id = plan.run_id
    if stage == "ingest":
        return [shardwork.ingest_files(output, run_id, s, list(plan.shards[s]), settings,
                                       plan.duplicate_content if s == 0 else ()) for s in shard_ids]
    if stage == "publish":
        return [shardwork.publish_files(output, run_id, s, plan.ingest_date) for s in shard_ids]
    if stage == "classify":
        from newsclean.templatestore import count_run, needs_counts

        if needs_counts(output, run_id):  # a segment rerun since: count its lines again first
            count_run(output, run_id, len(plan.shards), settings.templates)
    if len(shard_ids) > 1 and settings.run.task_runner == "processes" and settings.run.workers > 1:
        try:
            with workers.stage_pool(settings.run.workers) as pool:
                futures: list[Future[dict[str, Any]]] = [pool.submit(stage, output, run_id, s, settings) for s in shard_ids]
                return [future.result() for future in futures]
        finally:
            workers.stop_fork_server()
    return [shardwork.transform_files(stage, output, run_id, s, settings) for s in shard_ids]
