"""A stage's work on one shard, from the shard files of the stage before it to its own:
read, call the pure stage function, write, count, write the summary last (a summary on
disk means the shard is done: what lets a crashed run resume and a stage rerun alone).

No Prefect here: the same functions run inside a Prefect task (newsclean/tasks.py), in a
worker process of the run's pool (newsclean/workers.py) and, for a one-stage rerun, in the
command's own process without Prefect's engine. Stage modules are imported when a
stage first runs, so a process that only orchestrates never loads them.

Extraction and classification run one document at a time under a wall-clock limit
(`[run] document_seconds`) where the work runs in a process's main thread (the worker
processes, a rerun without the engine): a document over it becomes a `timeout` reject
and the shard goes on.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter
from typing import Any

from newsclean import datasets, shardstore
from newsclean.inputs import InputFile, read_inputs
from newsclean.settings import Settings
from newsclean.stages.records import Reject, Shard

STAGES = shardstore.STAGES  # in pipeline order; each reads the persisted output of the one before it
TRANSFORM_STAGES = ("decode", "extract", "segment", "classify", "language")
# The stages whose cost per document can run away on a hostile input (markup parsing,
# rule regexes, date parsing): each document runs under the [run] document_seconds limit.
LIMITED_STAGES = ("extract", "classify")
# Test hook: "<stage>:<source_path>" makes that document's stage sleep (stand-in for a
# pathological input), so the per-document limit can be tested without one.
SLOW_DOCUMENT_ENV = "NEWSCLEAN_SLOW_DOCUMENT"


def transform_function(stage: str, site_templates: Any = None) -> Callable[[Shard, Settings], Shard]:
    """The pure function of a transform stage, given the settings (imported on first use);
    classify's takes the run's template lines (a stages.templates.TemplateSet; none if None)."""
    if stage == "decode":
        from newsclean.stages.decode import decode_shard

        return lambda shard, s: decode_shard(shard, s.decode)
    if stage == "extract":
        from newsclean.stages.extract import extract_shard

        return lambda shard, s: extract_shard(shard, s.extract)
    if stage == "segment":
        from newsclean.stages.segment import segment_shard

        return lambda shard, s: segment_shard(shard, s.segment)
    if stage == "classify":
        from newsclean.stages.classify import classify_shard
        from newsclean.stages.templates import TemplateSet

        templates = site_templates if site_templates is not None else TemplateSet()
        return lambda shard, s: classify_shard(shard, s.classify, s.offtopic, s.language, templates)
    if stage == "language":
        from newsclean.stages.language import language_shard

        return lambda shard, s: language_shard(shard, s.language)
    raise ValueError(f"{stage!r} is not a transform stage; they are {', '.join(TRANSFORM_STAGES)}")


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


# ---------------------------------------------------------------- the per-document limit


class DocumentTimeout(BaseException):
    """Raised in a document's stage work when its time is up. A BaseException, so the
    stages' `except Exception` (a bad document becomes a stage_error) lets it through."""


def can_limit_time() -> bool:
    """Whether this thread can be interrupted by a timer: only a process's main thread
    receives signals (worker processes and the command itself; not Prefect's threads)."""
    return threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer")


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise DocumentTimeout in this (main) thread once `seconds` of wall time have passed."""

    def expire(signum: int, frame: Any) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def slow_document(stage: str) -> str | None:
    """The source path the test hook slows down in this stage, if any."""
    hook = os.environ.get(SLOW_DOCUMENT_ENV, "")
    named_stage, _, source_path = hook.partition(":")
    return source_path if named_stage == stage and source_path else None


def transform_shard(stage: str, shard: Shard, settings: Settings, site_templates: Any = None) -> Shard:
    """Run a transform stage on a shard; in a limited stage, where a timer can interrupt
    this thread, one document at a time, each under [run] document_seconds: a document
    over it becomes a `timeout` reject (its paragraphs go with it) and the shard goes on.
    The stage functions treat documents independently, so the rows are the same as one
    call on the whole shard. `site_templates`: the run's template lines, for classify."""
    function = transform_function(stage, site_templates)
    limit = settings.run.document_seconds
    if stage not in LIMITED_STAGES or not limit or not can_limit_time():
        return function(shard, settings)
    slow = slow_document(stage)
    grouped = shard.paragraphs_by_article()
    documents, paragraphs, rejects = [], [], list(shard.rejects)
    for doc in shard.documents:
        alone = Shard(shard.shard_id, (doc,), tuple(grouped.get(doc.article_id, ())))
        try:
            with deadline(limit):
                if doc.source_path == slow:
                    time.sleep(limit + 3600)
                done = function(alone, settings)
        except DocumentTimeout:
            rejects.append(Reject(doc.source_path, "timeout", f"{stage} took longer than {limit:g} s", stage))
            continue
        documents += done.documents
        paragraphs += done.paragraphs
        rejects += done.rejects
    return shard.with_(documents=tuple(documents), paragraphs=tuple(paragraphs), rejects=tuple(rejects))


# ---------------------------------------------------------------- a stage over shard files


def transform_files(stage: str, output: Path, run_id: str, shard_id: int, settings: Settings) -> dict[str, Any]:
    """Run one transform stage on one shard from the previous stage's persisted output;
    persist it and its summary (last); return the summary."""
    return transform_chain((stage,), output, run_id, shard_id, settings)[0]


def transform_chain(
    stages: Sequence[str], output: Path, run_id: str, shard_id: int, settings: Settings
) -> list[dict[str, Any]]:
    """Run consecutive transform stages on one shard in one go: read the persisted output
    of the stage before the first once, then pass the shard from stage to stage in
    memory, persisting each stage's output and then its summary as it is done (so a
    crash resumes after the last stage done, and `rerun --stage X` finds X's input on
    disk, exactly as when each stage is its own task). Only one stage's shard is held at
    a time. Returns the summaries, in stage order; a stage's seconds include the read
    for the first and each one's write.

    Segment also writes the shard's line rows for the templates reduce (the flow runs
    it before any classify, see newsclean/templatestore.py); classify reads the run's
    counts it made."""
    check_chain(stages)
    start = perf_counter()
    before = STAGES[STAGES.index(stages[0]) - 1]
    shard = shardstore.read_shard(output, run_id, before, shard_id)
    site_templates = None
    if "classify" in stages:
        from newsclean.templatestore import load_run_templates

        site_templates = load_run_templates(output, run_id, settings.templates)
    summaries = []
    for stage in stages:
        shard = transform_shard(stage, shard, settings, site_templates)
        shardstore.write_shard(output, run_id, stage, shard)
        if stage == "segment":
            from newsclean.stages.templates import shard_lines

            shardstore.write_lines(output, run_id, shard_id, shard_lines(shard))
        summary = summarise(stage, shard, perf_counter() - start)
        shardstore.write_summary(output, run_id, stage, shard_id, summary)
        summaries.append(summary)
        start = perf_counter()
    return summaries


# The stages a chain may not join: the templates reduce, across every shard of the run,
# runs between them (newsclean/templatestore.py).
REDUCE_BETWEEN = ("segment", "classify")


def check_chain(stages: Sequence[str]) -> None:
    """ValueError unless `stages` are transform stages in pipeline order, none skipped,
    and not across the templates reduce (segment and classify)."""
    first = TRANSFORM_STAGES.index(stages[0]) if stages and stages[0] in TRANSFORM_STAGES else -1
    if first < 0 or tuple(stages) != TRANSFORM_STAGES[first:first + len(stages)]:
        raise ValueError(f"not consecutive transform stages: {', '.join(stages) or 'none'} "
                         f"(they are {', '.join(TRANSFORM_STAGES)})")
    if all(stage in stages for stage in REDUCE_BETWEEN):
        raise ValueError(f"{' and '.join(REDUCE_BETWEEN)} cannot run in one chain: the templates reduce "
                         "over every shard of the run runs between them")


def ingest_files(
    output: Path,
    run_id: str,
    shard_id: int,
    files: Sequence[InputFile],
    settings: Settings,
    duplicates: Sequence[tuple[str, str]] = (),
) -> dict[str, Any]:
    """Read a shard's input files and turn them into documents or rejects; `duplicates`
    (copy, original) are inputs the plan skipped as byte-for-byte copies of another
    input of the run: they become rejects, so every input file is accounted for."""
    from newsclean.stages.ingest import ingest_shard

    start = perf_counter()
    inputs, unreadable = read_inputs(files, settings.ingest.max_file_bytes)
    shard = ingest_shard(inputs, shard_id, settings.ingest)
    copies = tuple(Reject(copy, "duplicate_content", f"same bytes as {original}", "ingest") for copy, original in duplicates)
    shard = shard.with_(rejects=tuple(unreadable) + copies + shard.rejects)
    shardstore.write_shard(output, run_id, "ingest", shard)
    summary = summarise("ingest", shard, perf_counter() - start)
    summary["files"] = len(files)
    if shard.skipped:  # WARC records that are not documents, by kind (the manifest adds them up)
        summary["warc_records_skipped"] = dict(shard.skipped)
    shardstore.write_summary(output, run_id, "ingest", shard_id, summary)
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


def publish_files(output: Path, run_id: str, shard_id: int, ingest_date: str) -> dict[str, Any]:
    """Write a shard's rows of the four datasets into the run's (invisible) staging area,
    leaving out what other runs already published and the articles an earlier shard of
    this run holds too (their copies become `duplicate_record` rejects; the flow lists
    them once every shard's ingest is done, see `pipeline.execute`)."""
    start = perf_counter()
    finished = shardstore.read_shard(output, run_id, "language", shard_id)
    deduped = drop_earlier_copies(finished, shardstore.read_record_copies(output, run_id, shard_id))
    shard = drop_published(deduped, datasets.read_published_keys(output, run_id))
    rows = datasets.write_published_shard(output, run_id, ingest_date, shard)
    summary = summarise("publish", shard, perf_counter() - start)
    summary["rows"] = rows
    summary["copies_in_earlier_shards"] = len(finished.documents) - len(deduped.documents)
    summary["already_published"] = {
        "articles": len(deduped.documents) - len(shard.documents),
        "rejects": len(deduped.rejects) - len(shard.rejects),
    }
    shardstore.write_summary(output, run_id, "publish", shard_id, summary)
    return summary
