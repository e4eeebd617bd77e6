"""One thin Prefect task per stage over a shard: read the shard the stage before
persisted, call the pure stage function, persist, count, log.

Tasks pass shard ids and small summaries, never lists of documents; their inputs are
not cached (NO_CACHE): hashing settings and file lists buys nothing here. Only the
tasks that touch input or output files retry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from time import perf_counter
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from flows import io
from flows.settings import Settings
from flows.stages.classify import classify_shard
from flows.stages.decode import decode_shard
from flows.stages.extract import extract_shard
from flows.stages.ingest import ingest_shard
from flows.stages.language import language_shard
from flows.stages.records import Shard
from flows.stages.segment import segment_shard

# Stages in pipeline order; each reads the persisted output of the one before it.
STAGES = ("ingest", "decode", "extract", "segment", "classify", "language", "publish")

# The pure function of each stage after ingest, given the settings.
TRANSFORMS: dict[str, Callable[[Shard, Settings], Shard]] = {
    "decode": lambda shard, s: decode_shard(shard, s.decode),
    "extract": lambda shard, s: extract_shard(shard, s.extract),
    "segment": lambda shard, s: segment_shard(shard, s.segment),
    "classify": lambda shard, s: classify_shard(shard, s.classify, s.offtopic, s.language),
    "language": lambda shard, s: language_shard(shard, s.language),
}
IO_RETRIES = {"retries": 2, "retry_delay_seconds": 2}


def summarise(stage: str, shard: Shard, seconds: float) -> dict[str, Any]:
    """Counts of one stage's output for one shard, for logs, manifests and reports."""
    summary: dict[str, Any] = {
        "stage": stage,
        "shard": shard.shard_id,
        "seconds": round(seconds, 4),
        "documents": len(shard.documents),
        "paragraphs": len(shard.paragraphs),
        "rejects": len(shard.rejects),
    }
    if shard.paragraphs and shard.paragraphs[0].label is not None:
        summary["labels"] = dict(Counter(p.label for p in shard.paragraphs))
        summary["reasons"] = dict(Counter(f"{p.label}/{p.reason}" for p in shard.paragraphs))
    if stage in ("language", "publish"):
        summary["languages"] = dict(Counter(d.language or "unknown" for d in shard.documents))
        summary["reject_reasons"] = dict(Counter(r.reason for r in shard.rejects))
    return summary


def _log(summary: dict[str, Any]) -> None:
    get_run_logger().info(
        "%s shard %d: %d documents, %d paragraphs, %d rejects in %.2fs",
        summary["stage"], summary["shard"], summary["documents"], summary["paragraphs"],
        summary["rejects"], summary["seconds"],
    )


@task(name="ingest", task_run_name="ingest-shard-{shard_id}", cache_policy=NO_CACHE, **IO_RETRIES)
def ingest_task(
    output: Path, run_id: str, shard_id: int, files: Sequence[io.InputFile], settings: Settings
) -> dict[str, Any]:
    """Read a shard's input files and turn them into documents or rejects."""
    start = perf_counter()
    inputs, unreadable = io.read_inputs(files, settings.ingest.max_file_bytes)
    shard = ingest_shard(inputs, shard_id, settings.ingest)
    shard = shard.with_(rejects=tuple(unreadable) + shard.rejects)
    io.write_shard(output, run_id, "ingest", shard)
    summary = summarise("ingest", shard, perf_counter() - start)
    summary["files"] = len(files)
    _log(summary)
    return summary


def run_transform(stage: str, output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Run one transform stage on one shard from the previous stage's persisted output."""
    start = perf_counter()
    before = STAGES[STAGES.index(stage) - 1]
    shard = TRANSFORMS[stage](io.read_shard(output, run_id, before, shard_id), settings)
    io.write_shard(output, run_id, stage, shard)
    summary = summarise(stage, shard, perf_counter() - start)
    _log(summary)
    return summary


@task(name="decode", task_run_name="decode-shard-{shard_id}", cache_policy=NO_CACHE)
def decode_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Detect charsets and repair text (mojibake, entities, odd spaces, controls)."""
    return run_transform("decode", output, run_id, shard_id, settings)


@task(name="extract", task_run_name="extract-shard-{shard_id}", cache_policy=NO_CACHE)
def extract_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Extract the main text of HTML pages."""
    return run_transform("extract", output, run_id, shard_id, settings)


@task(name="segment", task_run_name="segment-shard-{shard_id}", cache_policy=NO_CACHE)
def segment_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Split texts into paragraphs with offsets."""
    return run_transform("segment", output, run_id, shard_id, settings)


@task(name="classify", task_run_name="classify-shard-{shard_id}", cache_policy=NO_CACHE)
def classify_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Label every paragraph and parse title, date, dateline and credit."""
    return run_transform("classify", output, run_id, shard_id, settings)


@task(name="language", task_run_name="language-shard-{shard_id}", cache_policy=NO_CACHE)
def language_task(output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Detect each article's language from its body."""
    return run_transform("language", output, run_id, shard_id, settings)


@task(name="publish", task_run_name="publish-shard-{shard_id}", cache_policy=NO_CACHE, **IO_RETRIES)
def publish_task(output: Path, run_id: str, shard_id: int, ingest_date: str) -> dict[str, Any]:
    """Write a shard's rows of the four datasets into the run's (invisible) staging area."""
    start = perf_counter()
    shard = io.read_shard(output, run_id, "language", shard_id)
    rows = io.write_published_shard(output, run_id, ingest_date, shard)
    summary = summarise("publish", shard, perf_counter() - start)
    summary["rows"] = rows
    _log(summary)
    return summary


TRANSFORM_TASKS = {
    "decode": decode_task,
    "extract": extract_task,
    "segment": segment_task,
    "classify": classify_task,
    "language": language_task,
}
