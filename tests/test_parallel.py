"""The flow with its CPU-bound stages in worker processes: the same rows as on threads,
and a document over the time limit is a `timeout` reject in rejects/."""

from __future__ import annotations

import pytest

from tests.corpus import all_datasets, dataset_rows, small_shard_config, write_corpus

pytestmark = pytest.mark.engine


def run_flow(inputs, output, config, runner, workers=2):
    from newsclean.pipeline import clean_news, task_runner_for
    from newsclean.settings import load_settings, with_run_options

    settings = with_run_options(load_settings(config), runner, workers)
    flow = clean_news.with_options(task_runner=task_runner_for(settings))
    return flow(input_path=str(inputs), output_dir=str(output), config_path=str(config), runner=runner, workers=workers)


def test_threads_and_processes_give_the_same_rows(tmp_path, prefect_engine):
    """Two workers of each kind on 60 articles in 4 shards (langdetect is seeded and
    loaded once per process: the same languages in every process)."""
    write_corpus(tmp_path / "in", 60)
    config = small_shard_config(tmp_path / "config", shard_size=16)
    threads = run_flow(tmp_path / "in", tmp_path / "threads", config, "threads")
    processes = run_flow(tmp_path / "in", tmp_path / "processes", config, "processes")
    assert threads["shards"] == processes["shards"] == 4
    rows = all_datasets(tmp_path / "threads")
    assert len(rows["articles"]) == 63 and rows["rejects"] and rows["offtopic"] is not None
    assert all_datasets(tmp_path / "processes") == rows


def test_a_document_over_the_time_limit_is_a_timeout_reject(tmp_path, prefect_engine, monkeypatch):
    import re

    from newsclean.shardwork import SLOW_DOCUMENT_ENV

    write_corpus(tmp_path / "in", 20)
    config = small_shard_config(tmp_path / "config", shard_size=10)
    text = config.read_text(encoding="utf-8")
    config.write_text(re.sub(r"(?m)^document_seconds = .*$", "document_seconds = 0.5", text), encoding="utf-8")
    slow = "daily/00004.txt"
    monkeypatch.setenv(SLOW_DOCUMENT_ENV, f"classify:{slow}")
    manifest = run_flow(tmp_path / "in", tmp_path / "out", config, "processes")
    rejects = {r["source_path"]: r for r in dataset_rows(tmp_path / "out", "rejects")}
    assert (rejects[slow]["reason"], rejects[slow]["detail"]) == ("timeout", "classify took longer than 0.5 s")
    assert slow not in {a["source_path"] for a in dataset_rows(tmp_path / "out", "articles")}
    assert manifest["counts"]["articles"] == 22 and manifest["counts"]["reject_reasons"]["timeout"] == 1
