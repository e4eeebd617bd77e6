"""The Prefect flow: find inputs, cut them into shards, run the stages over every
shard, then publish the run's rows and manifest in one step."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from time import perf_counter
from typing import Any

from prefect import flow
from prefect.task_runners import ThreadPoolTaskRunner

from flows import io
from flows.manifest import build_manifest
from flows.settings import Settings, load_settings
from flows.tasks import TRANSFORM_TASKS, ingest_task, publish_task


@flow(name="newsclean", log_prints=True, validate_parameters=False)
def clean_news(
    input_path: str = "seeds",
    output_dir: str = "output",
    config_path: str = "config/pipeline.toml",
    run_id: str | None = None,
) -> dict[str, Any]:
    """Clean every article under `input_path` into Parquet datasets under `output_dir`."""
    settings = load_settings(config_path)
    return run_pipeline(Path(input_path), Path(output_dir), settings, run_id)


def run_pipeline(input_root: Path, output: Path, settings: Settings, run_id: str | None) -> dict[str, Any]:
    """The body of the flow: stages per shard, then one commit of the whole run."""
    started, clock = datetime.now(timezone.utc), perf_counter()
    run_id = run_id or io.new_run_id(started)
    ingest_date = started.date().isoformat()
    files = io.discover_inputs(input_root)
    shards = io.plan_shards(files, settings.run.shard_size, settings.run.shard_max_bytes)

    futures = []
    for shard_id, shard_files in enumerate(shards):
        future = ingest_task.submit(output, run_id, shard_id, shard_files, settings)
        futures.append(future)
        for stage_task in TRANSFORM_TASKS.values():  # decode, extract, segment, classify, language
            future = stage_task.submit(output, run_id, shard_id, settings, wait_for=[future])
            futures.append(future)
        futures.append(publish_task.submit(output, run_id, shard_id, ingest_date, wait_for=[future]))
    summaries = [f.result() for f in futures]

    manifest = build_manifest(
        run_id=run_id,
        input_root=str(input_root),
        output=str(output),
        ingest_date=ingest_date,
        started_at=started.isoformat(),
        finished_at=datetime.now(timezone.utc).isoformat(),
        wall_seconds=perf_counter() - clock,
        input_files=[f.relative for f in files],
        summaries=summaries,
        settings=settings,
        n_shards=len(shards),
    )
    io.commit_run(output, run_id, ingest_date, manifest)
    return manifest


def task_runner_for(settings: Settings) -> Any:
    """Prefect's thread pool, or a Dask cluster (local processes, or an existing one)."""
    if settings.run.task_runner == "dask":
        from prefect_dask import DaskTaskRunner

        if settings.run.dask_address:
            return DaskTaskRunner(address=settings.run.dask_address)
        return DaskTaskRunner(
            cluster_kwargs={"n_workers": settings.run.workers, "threads_per_worker": 1, "processes": True}
        )
    return ThreadPoolTaskRunner(max_workers=settings.run.workers)
