"""One thin Prefect task per stage over a shard: call the stage's work on the shard files
(newsclean/shardwork.py: read the shard the stage before persisted, call the pure stage
function, persist, count, write the summary last), log. The CPU-bound stages run in a
worker process of the run's pool when there is one (newsclean/workers.py), the task waiting
for it in its thread; ingest and publish (file I/O) run in the task's thread.

The transform stages a shard still needs run as two tasks (`stages_task`: decode to
segment, then classify and language, each in one worker call, shardwork.transform_chain),
with the templates reduce over every shard between them (`templates_task`): the shard
goes from stage to stage in memory, each stage's output still persisted with its
summary, so resumes and `rerun --stage X` work as with one task per stage, without
reading each shard back at every stage or paying Prefect's cost of a task run per stage.

Tasks pass shard ids and small summaries, never lists of documents; their inputs are
not cached (NO_CACHE): hashing settings and file lists buys nothing here. Only the
tasks that touch input or output files retry, and a stage whose worker process died.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from newsclean import inputs, planning, shardstore, shardwork, workers
from newsclean.settings import Settings

STAGES = shardstore.STAGES  # in pipeline order; each reads the persisted output of the one before it
IO_RETRIES = {"retries": 2, "retry_delay_seconds": 2}


def is_lost_worker(task: Any, task_run: Any, state: Any) -> bool:
    """Retry a CPU-bound stage only when its worker process died under it."""
    try:
        state.result()
    except workers.WorkerLost:
        return True
    except BaseException:
        return False
    return False


# A stage whose worker process died (killed, out of memory) is run once more on a new one.
WORKER_RETRIES = {"retries": 1, "retry_condition_fn": is_lost_worker}


def _log(summary: dict[str, Any]) -> None:
    get_run_logger().info(
        "%s shard %d: %d documents, %d paragraphs, %d rejects in %.2fs",
        summary["stage"], summary["shard"], summary["documents"], summary["paragraphs"],
        summary["rejects"], summary["seconds"],
    )


@task(name="ingest", task_run_name="ingest-shard-{shard_id}", cache_policy=NO_CACHE, **IO_RETRIES)
def ingest_task(
    output: Path,
    run_id: str,
    shard_id: int,
    files: Sequence[inputs.InputFile],
    settings: Settings,
    duplicates: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Read a shard's input files and turn them into documents or rejects (and the
    inputs the plan skipped as copies of another into rejects)."""
    summary = shardwork.ingest_files(output, run_id, shard_id, files, settings, duplicates)
    _log(summary)
    return summary


def run_transform(stage: str, output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Run one transform stage on one shard, in the run's worker pool if it has one."""
    pool = workers.current()
    if pool is not None:
        summary = pool.run(stage, output, run_id, shard_id, settings)
    else:
        summary = shardwork.transform_files(stage, output, run_id, shard_id, settings)
    _log(summary)
    return summary


def run_chain(stages: tuple[str, ...], output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Run consecutive transform stages on one shard, in the run's worker pool if it has
    one; log each stage's summary; return the last one."""
    pool = workers.current()
    if pool is not None:
        summaries = pool.run_chain(stages, output, run_id, shard_id, settings)
    else:
        summaries = shardwork.transform_chain(stages, output, run_id, shard_id, settings)
    for summary in summaries:
        _log(summary)
    return summaries[-1]


@task(name="stages", task_run_name="{label}-shard-{shard_id}", cache_policy=NO_CACHE, **WORKER_RETRIES)
def stages_task(
    output: Path, run_id: str, shard_id: int, stages: tuple[str, ...], settings: Settings, label: str
) -> dict[str, Any]:
    """Run consecutive transform stages a shard still needs (decode to segment, classify
    and language) in one go; the last one's summary. `label` names the task run
    ("decode-segment")."""
    return run_chain(stages, output, run_id, shard_id, settings)


@task(name="decode", task_run_name="decode-shard-{shard_id}", cache_policy=NO_CACHE, **WORKER_RETRIES)
def decode_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Detect charsets and repair text (mojibake, entities, odd spaces, controls)."""
    return run_transform("decode", output, run_id, shard_id, settings)


@task(name="extract", task_run_name="extract-shard-{shard_id}", cache_policy=NO_CACHE, **WORKER_RETRIES)
def extract_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Extract the main text of HTML pages."""
    return run_transform("extract", output, run_id, shard_id, settings)


@task(name="segment", task_run_name="segment-shard-{shard_id}", cache_policy=NO_CACHE, **WORKER_RETRIES)
def segment_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Split texts into paragraphs with offsets."""
    return run_transform("segment", output, run_id, shard_id, settings)


@task(name="classify", task_run_name="classify-shard-{shard_id}", cache_policy=NO_CACHE, **WORKER_RETRIES)
def classify_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Label every paragraph and parse title, date, dateline and credit."""
    return run_transform("classify", output, run_id, shard_id, settings)


@task(name="language", task_run_name="language-shard-{shard_id}", cache_policy=NO_CACHE, **WORKER_RETRIES)
def language_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Detect each article's language from its body."""
    return run_transform("language", output, run_id, shard_id, settings)


@task(name="publish", task_run_name="publish-shard-{shard_id}", cache_policy=NO_CACHE, **IO_RETRIES)
def publish_task(output: Path, run_id: str, shard_id: int, ingest_date: str) -> dict[str, Any]:
    """Write a shard's rows of the four datasets into the run's (invisible) staging area
    (see shardwork.publish_files)."""
    summary = shardwork.publish_files(output, run_id, shard_id, ingest_date)
    _log(summary)
    return summary


TRANSFORM_TASKS = {
    "decode": decode_task,
    "extract": extract_task,
    "segment": segment_task,
    "classify": classify_task,
    "language": language_task,
}


def stage_groups(stages: Sequence[str]) -> list[tuple[str, ...]]:
    """The stages in pipeline order as the tasks that run them: consecutive transform
    stages together but for classify, which starts a group (the templates reduce runs
    before it, across shards), ingest and publish alone.

    >>> stage_groups(["ingest", "decode", "extract", "segment", "classify", "language", "publish"])
    [('ingest',), ('decode', 'extract', 'segment'), ('classify', 'language'), ('publish',)]
    """
    groups: list[tuple[str, ...]] = []
    for stage in stages:
        if stage in TRANSFORM_TASKS and groups and groups[-1][-1] in TRANSFORM_TASKS and stage != "classify":
            groups[-1] += (stage,)
        else:
            groups.append((stage,))
    return groups


def submit_stages(
    stages: tuple[str, ...], plan: shardstore.RunPlan, output: Path, shard_id: int, settings: Settings,
    wait_for: list[Any],
) -> Any:
    """Submit one group of `stage_groups` of one shard as a task run; returns its future."""
    if len(stages) > 1:
        return stages_task.submit(output, plan.run_id, shard_id, tuple(stages), settings,
                                  f"{stages[0]}-{stages[-1]}", wait_for=wait_for)
    return submit_stage(stages[0], plan, output, shard_id, settings, wait_for)


def submit_stage(
    stage: str, plan: shardstore.RunPlan, output: Path, shard_id: int, settings: Settings, wait_for: list[Any]
) -> Any:
    """Submit one stage of one shard as a task run; returns its future."""
    run_id = plan.run_id
    if stage == "ingest":
        duplicates = plan.duplicate_content if shard_id == 0 else ()
        return ingest_task.submit(
            output, run_id, shard_id, list(plan.shards[shard_id]), settings, duplicates, wait_for=wait_for
        )
    if stage == "publish":
        return publish_task.submit(output, run_id, shard_id, plan.ingest_date, wait_for=wait_for)
    return TRANSFORM_TASKS[stage].submit(output, run_id, shard_id, settings, wait_for=wait_for)


@task(name="plan", task_run_name="plan-inputs", cache_policy=NO_CACHE, **IO_RETRIES)
def plan_task(
    input_root: Path,
    output: Path,
    run_id: str,
    started_at: datetime,
    config_path: str,
    full: bool,
    settings: Settings,
) -> shardstore.RunPlan | None:
    """Find the inputs, keep those the ledger has not seen (all if `full`), cut them into
    shards and persist the run's plan; None when there is nothing new."""
    plan, found = planning.plan_run(input_root, output, run_id, started_at, config_path, full, settings)
    get_run_logger().info(found)
    return plan


@task(name="crossdoc", task_run_name="crossdoc-{run_id}", cache_policy=NO_CACHE, **IO_RETRIES)
def crossdoc_task(output: Path, run_id: str, ingest_date: str, settings: Settings) -> dict[str, Any]:
    """Once every shard is published: versions and near-duplicate clusters of the run's
    articles against the runs before it (a reduce step; see newsclean/crossdoc.py)."""
    from newsclean.crossdoc import fingerprints_here, link_run, link_run_apart, staged_articles

    if staged_articles(output, run_id, ingest_date) >= settings.neardup.own_process_min_articles:
        summary = link_run_apart(output, run_id, ingest_date, settings.neardup)
    else:  # the signatures in the stage workers, when the run has them
        pool = workers.current()
        summary = link_run(output, run_id, ingest_date, settings.neardup,
                           pool.fingerprints if pool is not None else fingerprints_here)
    get_run_logger().info("crossdoc: %d articles, %d new versions, %d near-duplicates in %d clusters",
                          summary["articles"], summary["new_versions"], summary["in_clusters"],
                          summary["clusters_with_copies"])
    return summary


@task(name="templates", task_run_name="templates-{run_id}", cache_policy=NO_CACHE, **IO_RETRIES)
def templates_task(output: Path, run_id: str, n_shards: int, settings: Settings) -> dict[str, Any]:
    """Once every shard is segmented, before any is classified: count the run's lines per
    site against the runs before it (a reduce step; see newsclean/templatestore.py)."""
    from newsclean.templatestore import count_run

    summary = count_run(output, run_id, n_shards, settings.templates)
    get_run_logger().info("templates: %d lines of %d sites, %d template lines (%d learned from earlier runs) in %.2fs",
                          summary["lines"], summary["sites"], summary["template_lines"],
                          summary["learned_from_earlier_runs"], summary["seconds"])
    return summary
