"""One thin Prefect task per stage over a shard: read the shard the stage before
persisted, call the pure stage function, persist, count, log. A task writes its
summary last (io.write_summary): a summary on disk means the shard is done, which is
what lets a crashed run resume and a stage rerun alone.

Tasks pass shard ids and small summaries, never lists of documents; their inputs are
not cached (NO_CACHE): hashing settings and file lists buys nothing here. Only the
tasks that touch input or output files retry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from time import perf_counter
from typing import Any

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from flows import io
from flows.ledger import restat_known, select_inputs
from flows.settings import Settings
from flows.stages.classify import classify_shard
from flows.stages.decode import decode_shard
from flows.stages.extract import extract_shard
from flows.stages.ingest import ingest_shard
from flows.stages.language import language_shard
from flows.stages.records import Reject, Shard
from flows.stages.segment import segment_shard

STAGES = io.STAGES  # in pipeline order; each reads the persisted output of the one before it

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


def drop_published(shard: Shard, keys: dict[str, frozenset[str]]) -> Shard:
    """The shard without articles (and their paragraphs) or rejects that another run
    already published: the exactly-once rule of the datasets."""
    articles, rejects = keys.get("articles", frozenset()), keys.get("rejects", frozenset())
    if not articles and not rejects:
        return shard
    return shard.with_(
        documents=tuple(d for d in shard.documents if d.article_id not in articles),
        paragraphs=tuple(p for p in shard.paragraphs if p.article_id not in articles),
        rejects=tuple(r for r in shard.rejects if r.source_path not in rejects),
    )


def drop_earlier_copies(shard: Shard, earlier: dict[str, str]) -> Shard:
    """The shard without the articles an earlier shard of the same run also holds (the
    same JSONL record, id and text, in two input files): each copy becomes a
    `duplicate_record` reject naming the file whose copy is kept, as within a shard.
    `earlier` maps the ids of such articles to the source path of the copy kept."""
    copies = {d.article_id: d for d in shard.documents if d.article_id in earlier}
    if not copies:
        return shard
    rejects = tuple(
        Reject(d.source_path, "duplicate_record", f"same record as {earlier[d.article_id]}", "publish")
        for d in copies.values()
    )
    return shard.with_(
        documents=tuple(d for d in shard.documents if d.article_id not in copies),
        paragraphs=tuple(p for p in shard.paragraphs if p.article_id not in copies),
        rejects=shard.rejects + rejects,
    )


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
    files: Sequence[io.InputFile],
    settings: Settings,
    duplicates: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Read a shard's input files and turn them into documents or rejects; `duplicates`
    (copy, original) are inputs the plan skipped as byte-for-byte copies of another
    input of the run: they become rejects, so every input file is accounted for."""
    start = perf_counter()
    inputs, unreadable = io.read_inputs(files, settings.ingest.max_file_bytes)
    shard = ingest_shard(inputs, shard_id, settings.ingest)
    copies = tuple(Reject(copy, "duplicate_content", f"same bytes as {original}", "ingest") for copy, original in duplicates)
    shard = shard.with_(rejects=tuple(unreadable) + copies + shard.rejects)
    io.write_shard(output, run_id, "ingest", shard)
    summary = summarise("ingest", shard, perf_counter() - start)
    summary["files"] = len(files)
    if shard.skipped:  # WARC records that are not documents, by kind (the manifest adds them up)
        summary["warc_records_skipped"] = dict(shard.skipped)
    io.write_summary(output, run_id, "ingest", shard_id, summary)
    _log(summary)
    return summary


def run_transform(stage: str, output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Run one transform stage on one shard from the previous stage's persisted output."""
    start = perf_counter()
    before = STAGES[STAGES.index(stage) - 1]
    shard = TRANSFORMS[stage](io.read_shard(output, run_id, before, shard_id), settings)
    io.write_shard(output, run_id, stage, shard)
    summary = summarise(stage, shard, perf_counter() - start)
    io.write_summary(output, run_id, stage, shard_id, summary)
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
    """Write a shard's rows of the four datasets into the run's (invisible) staging area,
    leaving out what other runs already published and the articles an earlier shard of
    this run holds too (their copies become `duplicate_record` rejects; the flow lists
    them once every shard's ingest is done, see `pipeline.execute`)."""
    start = perf_counter()
    finished = io.read_shard(output, run_id, "language", shard_id)
    deduped = drop_earlier_copies(finished, io.read_record_copies(output, run_id, shard_id))
    shard = drop_published(deduped, io.read_published_keys(output, run_id))
    rows = io.write_published_shard(output, run_id, ingest_date, shard)
    summary = summarise("publish", shard, perf_counter() - start)
    summary["rows"] = rows
    summary["copies_in_earlier_shards"] = len(finished.documents) - len(deduped.documents)
    summary["already_published"] = {
        "articles": len(deduped.documents) - len(shard.documents),
        "rejects": len(deduped.rejects) - len(shard.rejects),
    }
    io.write_summary(output, run_id, "publish", shard_id, summary)
    _log(summary)
    return summary


TRANSFORM_TASKS = {
    "decode": decode_task,
    "extract": extract_task,
    "segment": segment_task,
    "classify": classify_task,
    "language": language_task,
}


def submit_stage(
    stage: str, plan: io.RunPlan, output: Path, shard_id: int, settings: Settings, wait_for: list[Any]
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


def duplicate_pairs(selection: Any) -> tuple[tuple[str, str], ...]:
    """(copy, original) relative paths of the inputs skipped as copies of another input."""
    first = {}
    for f in selection.new:
        first.setdefault(f.sha256, f.relative)
    return tuple((f.relative, first.get(f.sha256, "")) for f in selection.duplicates)


@task(name="plan", task_run_name="plan-inputs", cache_policy=NO_CACHE, **IO_RETRIES)
def plan_task(
    input_root: Path,
    output: Path,
    run_id: str,
    started_at: datetime,
    config_path: str,
    full: bool,
    settings: Settings,
) -> io.RunPlan | None:
    """Find the inputs, keep those the ledger has not seen (all if `full`), cut them into
    shards and persist the run's plan; None when there is nothing new."""
    files = io.discover_inputs(input_root, skip=[output])  # never the run's own output
    ledger = io.read_ledger(output)
    selection = select_inputs(files, ledger, full)
    get_run_logger().info(
        "%d inputs: %d new, %d already processed, %d copies; %d hashed",
        len(files), len(selection.new), len(selection.known), len(selection.duplicates), selection.hashed,
    )
    if not selection.new:
        return None
    # gzip counts at its decompressed size: the shard cap bounds the memory a shard needs
    sizes = [io.unpacked_size(f, settings.ingest.max_file_bytes) for f in selection.new]
    shards = io.plan_shards(selection.new, settings.run.shard_size, settings.run.shard_max_bytes, sizes)
    plan = io.RunPlan(
        run_id=run_id,
        input_root=str(Path(input_root).resolve()),
        config_path=str(Path(config_path).resolve()),
        ingest_date=started_at.date().isoformat(),
        started_at=started_at.isoformat(),
        full=full,
        shards=tuple(tuple(shard) for shard in shards),
        skipped_known=len(selection.known),
        duplicate_content=duplicate_pairs(selection),
        also_seen=selection.duplicates + restat_known(selection, ledger),
    )
    io.write_plan(output, plan)
    return plan
