"""The run's worker processes: a stage run in one gives the rows it gives here, the
per-document limit holds there, and a worker that dies is replaced."""

from __future__ import annotations

import dataclasses
import os
import signal
import threading
from datetime import datetime, timezone
from pathlib import Path

import pytest

from newsclean import planning, shardstore, shardwork, workers
from newsclean.settings import Settings, load_settings
from tests.conftest import CONFIG
from tests.corpus import write_corpus

TRANSFORMS = shardwork.TRANSFORM_STAGES


def with_limit(settings: Settings, seconds: float) -> Settings:
    return dataclasses.replace(settings, run=dataclasses.replace(settings.run, document_seconds=seconds))


def ingested(tmp_path: Path, name: str, settings: Settings) -> tuple[Path, shardstore.RunPlan]:
    """A planned run of 12 articles, 3 JSONL records and a few bad inputs in one shard, ingested."""
    inputs = tmp_path / "in"
    if not inputs.exists():
        write_corpus(inputs, 12)
    output = tmp_path / name
    output.mkdir()
    plan, _ = planning.plan_run(inputs, output, "r1", datetime.now(timezone.utc), str(CONFIG), False, settings)
    assert plan is not None and len(plan.shards) == 1
    shardwork.ingest_files(output, plan.run_id, 0, list(plan.shards[0]), settings)
    return output, plan


@pytest.fixture
def pool():
    with workers.stage_pool(2) as started:
        yield started


def test_stages_in_a_worker_process_give_the_rows_they_give_here(tmp_path, pool):
    settings = load_settings(CONFIG)
    here, plan = ingested(tmp_path, "here", settings)
    there, _ = ingested(tmp_path, "there", settings)
    for stage in TRANSFORMS:
        shardwork.transform_files(stage, here, plan.run_id, 0, settings)
        summary = pool.run(stage, there, plan.run_id, 0, settings)
        assert summary["stage"] == stage and shardstore.has_shard(there, plan.run_id, stage, 0)
        assert shardstore.read_shard(there, plan.run_id, stage, 0) == shardstore.read_shard(here, plan.run_id, stage, 0), stage
    assert os.getpid() not in {process.pid for process in pool._executor._processes.values()}  # type: ignore[union-attr]


def test_the_document_limit_holds_in_a_worker_process(tmp_path, pool, monkeypatch):
    settings = with_limit(load_settings(CONFIG), 0.5)
    output, plan = ingested(tmp_path, "out", settings)
    for stage in ("decode", "extract", "segment"):
        pool.run(stage, output, plan.run_id, 0, settings)
    segmented = shardstore.read_shard(output, plan.run_id, "segment", 0)
    slow = segmented.documents[3]
    monkeypatch.setenv(shardwork.SLOW_DOCUMENT_ENV, f"classify:{slow.source_path}")
    summary = pool.run("classify", output, plan.run_id, 0, settings)
    shard = shardstore.read_shard(output, plan.run_id, "classify", 0)
    assert [(r.source_path, r.reason, r.detail) for r in shard.rejects if r.stage == "classify"] == [
        (slow.source_path, "timeout", "classify took longer than 0.5 s")]
    assert slow.article_id not in {d.article_id for d in shard.documents}
    assert summary["documents"] == len(shard.documents) == len(segmented.documents) - 1


def test_a_worker_that_dies_is_a_worker_lost_and_the_pool_goes_on(tmp_path, monkeypatch):
    settings = with_limit(load_settings(CONFIG), 600)
    output, plan = ingested(tmp_path, "out", settings)
    for stage in ("decode", "extract", "segment"):
        shardwork.transform_files(stage, output, plan.run_id, 0, settings)
    slow = shardstore.read_shard(output, plan.run_id, "segment", 0).documents[0]
    monkeypatch.setenv(shardwork.SLOW_DOCUMENT_ENV, f"classify:{slow.source_path}")  # it sleeps: kill it
    pool = workers.StagePool(1).start()
    try:
        started = pool.submit("segment", output, plan.run_id, 0, settings).result()  # the worker is up
        assert started["stage"] == "segment"
        (worker,) = list(pool._executor._processes.values())  # type: ignore[union-attr]
        killer = threading.Timer(1.0, os.kill, (worker.pid, signal.SIGKILL))
        killer.start()
        with pytest.raises(workers.WorkerLost):
            pool.run("classify", output, plan.run_id, 0, settings)
        killer.join()
        monkeypatch.delenv(shardwork.SLOW_DOCUMENT_ENV)
        assert pool.run("classify", output, plan.run_id, 0, settings)["documents"] == 15  # 12 files, 3 JSONL records
    finally:
        pool.close()


def test_one_pool_per_run(monkeypatch):
    """A pool already set up (by the command, before Prefect's engine) is the one used."""
    with workers.stage_pool(1) as outer:
        with workers.stage_pool(2) as inner:
            assert inner is outer and workers.current() is outer
    assert workers.current() is None


def test_stages_chained_in_one_worker_call_persist_what_one_call_per_stage_does(tmp_path, pool):
    """decode to language in one call (tasks.stages_task): every stage's output and summary
    on disk, the same rows as one call per stage; a rerun can start from any of them."""
    settings = load_settings(CONFIG)
    apart, plan = ingested(tmp_path, "apart", settings)
    chained, _ = ingested(tmp_path, "chained", settings)
    for stage in TRANSFORMS:
        shardwork.transform_files(stage, apart, plan.run_id, 0, settings)
    summaries = pool.run_chain(TRANSFORMS[:3], chained, plan.run_id, 0, settings)
    summaries += pool.run_chain(TRANSFORMS[3:], chained, plan.run_id, 0, settings)  # (the templates reduce between)
    assert [s["stage"] for s in summaries] == list(TRANSFORMS)
    assert {("language", 0), ("decode", 0)} <= shardstore.done_shards(chained, plan.run_id)
    for stage in TRANSFORMS:
        assert shardstore.read_shard(chained, plan.run_id, stage, 0) == shardstore.read_shard(apart, plan.run_id, stage, 0), stage
    # from the middle of the chain, in this process
    assert [s["stage"] for s in shardwork.transform_chain(TRANSFORMS[3:], chained, plan.run_id, 0, settings)] == ["classify", "language"]


def test_a_chain_must_be_consecutive_transform_stages():
    for bad in ((), ("decode", "segment"), ("ingest", "decode"), ("language", "classify"), ("segment", "classify")):
        with pytest.raises(ValueError):
            shardwork.check_chain(bad)


def test_the_cross_document_fingerprints_are_computed_in_the_workers(tmp_path, pool, monkeypatch):
    """The step's signatures and content hashes of each staged file come from the workers,
    in file order, equal to those computed here."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsclean import crossdoc

    bodies = [
        "The harbour ferry will run every twenty minutes from Monday, the transit authority said, "
        "after the new pier opened to passengers on the east side of the bay this week.",
        "A short line.",
        "The museum reopened its west wing on Saturday after a two-year renovation that restored the "
        "glass roof, and curators said the collection of maps would be shown in full for the first time.",
    ]
    paths = []
    for k in range(3):
        path = tmp_path / f"part-{k}.parquet"
        pq.write_table(pa.table({"text": bodies[k:] + bodies[:k]}), path)
        paths.append(str(path))
    settings = load_settings(CONFIG).neardup
    expected = list(crossdoc.fingerprints_here(paths, settings))

    def not_here(*args, **kwargs):
        raise AssertionError("fingerprinted in the command")

    monkeypatch.setattr(crossdoc, "file_fingerprints", not_here)  # the workers have their own copy
    found = pool.fingerprints(paths, settings)
    assert [hashes for hashes, _ in found] == [hashes for hashes, _ in expected]
    for (_, sigs), (_, want) in zip(found, expected):
        for s, w in zip(sigs, want):
            assert (s is None and w is None) or np.array_equal(s, w)
    assert sum(s is None for _, sigs in found for s in sigs) == 3, "the short body in each file has no signature"
