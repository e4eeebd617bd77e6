"""Records passed between stages: frozen dataclasses, one shard at a time.

A `Shard` is the whole state of a batch of documents after a stage: its documents,
their paragraphs and the inputs rejected so far. Every stage takes a Shard and
returns a new one, so any stage can be rerun from the persisted output of the one
before it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime


# Paragraph labels. A label says what a paragraph is; a reason names the rule.
BODY = "body"
TITLE = "title"
METADATA = "metadata"
BOILERPLATE = "boilerplate"
DUPLICATE = "duplicate"
OFFTOPIC = "offtopic"
LABELS = (BODY, TITLE, METADATA, BOILERPLATE, DUPLICATE, OFFTOPIC)


@dataclass(frozen=True)
class RawInput:
    """One input file as read from disk: its path relative to the input root, and bytes."""

    source_path: str
    content: bytes
    modified: str = ""  # mtime of the file, ISO 8601; informational only


@dataclass(frozen=True)
class Document:
    """One article on its way through the stages. Fields fill in as stages run."""

    article_id: str
    source_path: str
    kind: str  # "text" or "html"
    input_sha256: str
    raw: bytes | None = None  # undecoded bytes: set by ingest, dropped by decode
    text: str | None = None  # decoded (and for HTML, extracted) text
    url: str | None = None
    title: str | None = None
    published_hint: str | None = None  # a date string from JSONL or HTML metadata
    published_at: datetime | None = None
    fetched_at: datetime | None = None  # when a crawler fetched the page (a WARC record's WARC-Date)
    dateline: str | None = None
    credit: str | None = None
    encoding: str | None = None
    encoding_fixes: tuple[str, ...] = ()
    language: str | None = None
    language_score: float | None = None


@dataclass(frozen=True)
class Paragraph:
    """A non-blank stretch of an article's text, with what it is and why.

    `char_start`/`char_end` are offsets into the document's `text`.
    """

    article_id: str
    position: int
    text: str
    char_start: int
    char_end: int
    label: str | None = None
    reason: str | None = None
    score: float | None = None


@dataclass(frozen=True)
class Reject:
    """An input that could not become an article, and why."""

    source_path: str
    reason: str
    detail: str
    stage: str


@dataclass(frozen=True)
class SkippedRecords:
    """Records of one archive (a WARC file) that are not documents, counted by what
    they are (`request`, `response_non_html`, ...): nothing vanishes uncounted."""

    source_path: str
    counts: tuple[tuple[str, int], ...]
    records: int  # every record read: documents, record rejects and skipped ones


@dataclass(frozen=True)
class Shard:
    """A batch of documents with their paragraphs and rejects, after some stage."""

    shard_id: int
    documents: tuple[Document, ...] = ()
    paragraphs: tuple[Paragraph, ...] = ()
    rejects: tuple[Reject, ...] = ()
    # (what, how many) of archive records that are not documents (ingest only; counted
    # into the ingest summary and the manifest, not persisted with the shard)
    skipped: tuple[tuple[str, int], ...] = ()

    def with_(self, **changes: object) -> "Shard":
        """A copy of this shard with some fields replaced."""
        return replace(self, **changes)

    def paragraphs_by_article(self) -> dict[str, list[Paragraph]]:
        """Paragraphs grouped by article id, in position order."""
        grouped: dict[str, list[Paragraph]] = {}
        for p in sorted(self.paragraphs, key=lambda p: (p.article_id, p.position)):
            grouped.setdefault(p.article_id, []).append(p)
        return grouped


def stage_error(doc: Document, stage: str, exc: Exception) -> Reject:
    """The reject for a document a stage failed on: the run goes on without it."""
    return Reject(doc.source_path, "stage_error", f"{type(exc).__name__}: {exc}"[:500], stage)
