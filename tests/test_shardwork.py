"""A stage's work on a shard outside Prefect: the per-document wall-clock limit of
extract and classify, and that running them document by document changes no row."""

from __future__ import annotations

import dataclasses
import random
import threading

import pytest

from newsclean import shardwork
from newsclean.settings import Settings, load_settings
from newsclean.stages.records import Document, Shard
from tests.conftest import CONFIG
from tests.corpus import article_text


def limited(settings: Settings, seconds: float) -> Settings:
    return dataclasses.replace(settings, run=dataclasses.replace(settings.run, document_seconds=seconds))


@pytest.fixture(scope="module")
def segmented() -> tuple[Settings, Shard]:
    """Eight articles (one HTML page) through decode, extract and segment."""
    settings = load_settings(CONFIG)
    rng = random.Random(3)
    docs = [Document(f"a{i}", f"site/{i:02d}.txt", "text", str(i), raw=article_text(i, rng).encode()) for i in range(7)]
    page = "<html><body><article><h1>Budget passes</h1>" + "".join(
        f"<p>{p}</p>" for p in article_text(50, rng).split("\n\n")) + "</article></body></html>"
    docs.append(Document("a7", "site/page.html", "html", "7", raw=page.encode()))
    shard = Shard(0, tuple(docs))
    for stage in ("decode", "extract", "segment"):
        shard = shardwork.transform_shard(stage, shard, settings)
    return settings, shard


@pytest.mark.parametrize("stage", shardwork.LIMITED_STAGES)
def test_one_document_at_a_time_gives_the_rows_of_one_call(segmented, stage):
    settings, shard = segmented
    if stage == "extract":  # extract's input is the decoded shard: rebuild it
        shard = shard.with_(paragraphs=())
    whole = shardwork.transform_function(stage)(shard, settings)
    assert shardwork.can_limit_time()
    one_by_one = shardwork.transform_shard(stage, shard, limited(settings, 60))
    assert one_by_one == whole


@pytest.mark.parametrize("stage", shardwork.LIMITED_STAGES)
def test_a_document_over_the_limit_is_a_timeout_reject_and_the_shard_goes_on(segmented, stage, monkeypatch):
    settings, shard = segmented
    slow = shard.documents[2]
    monkeypatch.setenv(shardwork.SLOW_DOCUMENT_ENV, f"{stage}:{slow.source_path}")
    result = shardwork.transform_shard(stage, shard, limited(settings, 0.2))
    timeouts = [r for r in result.rejects if r.reason == "timeout"]
    assert [(r.source_path, r.stage) for r in timeouts] == [(slow.source_path, stage)]
    assert timeouts[0].detail == f"{stage} took longer than 0.2 s"
    assert [d.article_id for d in result.documents] == [d.article_id for d in shard.documents if d is not slow]
    assert not [p for p in result.paragraphs if p.article_id == slow.article_id]


def test_the_hook_names_one_stage_and_one_document(monkeypatch):
    monkeypatch.setenv(shardwork.SLOW_DOCUMENT_ENV, "classify:site/02.txt")
    assert shardwork.slow_document("classify") == "site/02.txt"
    assert shardwork.slow_document("extract") is None


def test_no_limit_where_no_timer_can_interrupt(segmented, monkeypatch):
    """In a thread other than the main one (the "threads" runner) no signal arrives:
    the stage runs on the whole shard, unlimited."""
    settings, shard = segmented
    monkeypatch.setenv(shardwork.SLOW_DOCUMENT_ENV, f"classify:{shard.documents[0].source_path}")
    seen = {}
    thread = threading.Thread(target=lambda: seen.update(can=shardwork.can_limit_time()))
    thread.start()
    thread.join()
    assert seen == {"can": False}
    unlimited = shardwork.transform_shard("classify", shard, limited(settings, 0))
    assert not [r for r in unlimited.rejects if r.reason == "timeout"]


def test_the_transform_stages_a_shard_needs_run_as_one_task():
    from newsclean.tasks import stage_groups

    assert stage_groups(["classify", "language", "publish"]) == [("classify", "language"), ("publish",)]
    assert stage_groups(["language"]) == [("language",)]
    assert stage_groups(["publish"]) == [("publish",)]
