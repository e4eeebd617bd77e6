"""Ingest: raw input files (path + bytes) into documents, or rejects with a reason.

Handles gzip, the input kinds (.txt, .html/.htm, .jsonl/.ndjson records, .json arrays
of records), empty and binary files, size limits and invalid JSON. Assigns each article
a stable id.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import PurePosixPath

from newsclean.settings import IngestSettings
from newsclean.stages.limits import longest_line
from newsclean.stages.records import Document, RawInput, Reject, Shard, SkippedRecords
from newsclean.stages.sniff import control_bytes, is_html_document, is_warc, sample_text, sniff_kind, utf16_without_bom
from newsclean.stages.unpack import Member, TooLarge, UnpackError, codec_of, sniff_codec, strip_codec_suffix, unpack
from newsclean.stages.warc import RecordProblem, WarcPage, read_warc

STAGE = "ingest"
KIND_BY_SUFFIX = {
    ".txt": "text",
    ".text": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".warc": "warc",
}
# Byte-order marks of UTF-16 and UTF-32 (whose NUL bytes are text, not binary); the
# UTF-32 LE mark starts with UTF-16 LE's.
_UNICODE_BOMS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def ingest_shard(inputs: Iterable[RawInput], shard_id: int, settings: IngestSettings) -> Shard:
    """Turn raw input files into documents; every file becomes documents or a reject.

    A JSONL record whose `id` and text repeat an earlier record of the shard has the same
    article id: it becomes a `duplicate_record` reject, so an article appears once.
    """
    documents: list[Document] = []
    rejects: list[Reject] = []
    first_source: dict[str, str] = {}
    skipped: Counter[str] = Counter()
    for item in inputs:
        for result in ingest_file(item, settings):
            if isinstance(result, SkippedRecords):
                skipped.update(dict(result.counts))
            elif isinstance(result, Reject):
                rejects.append(result)
            elif result.article_id in first_source:  # the same JSONL record (id and text) again
                detail = f"same record as {first_source[result.article_id]}"
                rejects.append(Reject(result.source_path, "duplicate_record", detail, STAGE))
            else:
                first_source[result.article_id] = result.source_path
                documents.append(result)
    return Shard(shard_id=shard_id, documents=tuple(documents), rejects=tuple(rejects),
                 skipped=tuple(sorted(skipped.items())))


def ingest_file(item: RawInput, settings: IngestSettings) -> Iterator[Document | Reject | SkippedRecords]:
    """Yield the documents of one input file, or the reason it cannot be used; for a
    WARC file, also one SkippedRecords counting the records that are not documents.

    The name's compression suffix (.gz, .zst, .bz2, .xz) is trusted: bytes that are not
    that codec's are a `corrupt_<codec>` reject. A name without one whose bytes open
    with a codec's magic is decompressed too. Then the kind: by the suffix under the
    compression one (see `kind_of`); for a name whose suffix is unknown or missing (a
    wget mirror's `index`, `story.php`), by the content (`sniff_kind`).
    """
    path = item.source_path
    name = strip_codec_suffix(path)
    suffix = PurePosixPath(name.lower()).suffix
    if suffix in settings.refused_suffixes:
        yield Reject(path, "unsupported_type", f"suffix {suffix!r} (media, code or an archive, not an article)", STAGE)
        return
    content, members = item.content, []
    codec = codec_of(path) or sniff_codec(content)
    if codec is not None:
        try:
            content = unpack(content, codec, settings.max_file_bytes, members if codec == "gzip" else None)
        except TooLarge as exc:
            yield Reject(path, "too_large", str(exc), STAGE)
            return
        except UnpackError as exc:
            yield Reject(path, exc.reason, exc.detail, STAGE)
            return
    kind = content_kind(name, content, settings)
    problem = check_content(content, settings, binary_ok=kind == "warc")
    if problem is not None:
        yield Reject(path, problem[0], problem[1], STAGE)
        return
    if kind is None:
        kind = sniff_kind(content, settings.max_line_bytes)
    if kind == "text" and longest_line(content) > settings.max_line_bytes:
        yield Reject(path, "line_too_long", f"a line of more than {settings.max_line_bytes} bytes", STAGE)
        return
    if kind == "warc":
        yield from ingest_warc(path, content, members, settings)
    elif kind == "jsonl":
        yield from ingest_jsonl(path, content, settings)
    elif kind == "json":
        yield from ingest_json(path, content, settings)
    else:
        yield make_document(path, kind, content)


def kind_of(path: str) -> str | None:
    """The input kind of a path by its suffix, looking through a compression suffix;
    None when the suffix says nothing (then the content decides).

    >>> kind_of("a/b.html.gz"), kind_of("x.TXT"), kind_of("crawl.warc.zst"), kind_of("index.php")
    ('html', 'text', 'warc', None)
    """
    return KIND_BY_SUFFIX.get(PurePosixPath(strip_codec_suffix(path).lower()).suffix)


def content_kind(name: str, content: bytes, settings: IngestSettings) -> str | None:
    """The kind by the suffix, unless the content is clearly another: a WARC under any
    name is a WARC, and a .txt file that opens as an HTML document is a page. Other
    known suffixes are trusted (a .json file that does not parse is an invalid_json
    reject saying why, not text). None: no known suffix, sniff the content.

    >>> s = IngestSettings()
    >>> content_kind("a.txt", b"<!DOCTYPE html><html>", s), content_kind("a.html", b"WARC/1.0\\r\\n", s)
    ('html', 'warc')
    >>> content_kind("a.json", b"Not JSON", s), content_kind("index", b"<p>", s)
    ('json', None)
    """
    kind = kind_of(name)
    if is_warc(content):
        return "warc"
    if kind == "text" and is_html_document(sample_text(content, 1024)):
        return "html"
    return kind


def ingest_warc(path: str, content: bytes, members: list[Member], settings: IngestSettings) -> Iterator[Document | Reject | SkippedRecords]:
    """One document per page record of a WARC (`file#offset=N`, its URL and fetch date;
    see newsclean.stages.warc), a reject per record that cannot be read, then the count of
    the other records. A file FastWARC cannot parse is a `corrupt_warc` reject."""
    for item in read_warc(content, settings.max_file_bytes, settings.binary_control_ratio,
                          settings.max_line_bytes, members):
        if isinstance(item, WarcPage):
            source = f"{path}#offset={item.offset}"
            yield make_document(source, item.kind, item.payload, url=item.url, record_id=f"warc:{item.url}",
                                fetched_at=item.fetched_at)
        elif isinstance(item, RecordProblem):
            source = path if item.offset is None else f"{path}#offset={item.offset}"
            yield Reject(source, item.reason, item.detail, STAGE)
        else:
            yield SkippedRecords(path, tuple(item.skipped.items()), item.records)


def gunzip_bounded(data: bytes, limit: int) -> bytes:
    """Decompress gzip data (all members), refusing output beyond `limit` bytes
    (ValueError); a truncated or corrupt stream raises UnpackError."""
    return unpack(data, "gzip", limit)


def check_content(content: bytes, settings: IngestSettings, binary_ok: bool = False) -> tuple[str, str] | None:
    """(reason, detail) when the bytes cannot be an article: empty, too large, binary
    (unless `binary_ok`: a WARC holds binary records, which it counts).

    >>> check_content(b"  \\n", IngestSettings())
    ('empty', 'no text')
    >>> check_content(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR", IngestSettings())[0]
    'binary'
    """
    if len(content) > settings.max_file_bytes:
        return "too_large", f"{len(content)} bytes > {settings.max_file_bytes}"
    if not content.strip():
        return "empty", "no text"
    if binary_ok or content.startswith(_UNICODE_BOMS) or utf16_without_bom(content):
        return None
    sample = content[:65536]
    if b"\x00" in sample:
        return "binary", "NUL bytes"
    controls = control_bytes(sample)
    if controls > settings.binary_control_ratio * len(sample):
        return "binary", f"{controls} control bytes in the first {len(sample)}"
    return None


def ingest_jsonl(path: str, content: bytes, settings: IngestSettings) -> Iterator[Document | Reject]:
    """One document per JSON line (see `record_document`); bad lines become rejects.

    Lines end at "\n" only, as JSON Lines says ("\r\n" too): U+2028, U+2029 and U+0085
    are characters of a record, not line ends.
    """
    text = content.decode("utf-8", errors="replace").lstrip("\ufeff")
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        source = f"{path}#{number}"
        if len(line) > settings.max_line_bytes:  # characters: at least as many bytes
            yield Reject(source, "line_too_long", f"a line of more than {settings.max_line_bytes} bytes", STAGE)
            continue
        record = parse_json(line.removesuffix("\r"), source)
        yield record if isinstance(record, Reject) else record_document(source, record.value, settings)


def ingest_json(path: str, content: bytes, settings: IngestSettings) -> Iterator[Document | Reject]:
    """A .json file: an array of records (`file.json#N` for the Nth, from 1), as scrapers
    export them, or one record (`file.json#1`)."""
    parsed = parse_json(content.decode("utf-8", errors="replace").lstrip("\ufeff"), path)
    if isinstance(parsed, Reject):
        yield parsed
        return
    records = parsed.value if isinstance(parsed.value, list) else [parsed.value]
    if not records:
        yield Reject(path, "empty", "an empty JSON array", STAGE)
        return
    for number, record in enumerate(records, start=1):
        yield record_document(f"{path}#{number}", record, settings)


@dataclass(frozen=True)
class Parsed:
    """A parsed JSON value (which may itself be null)."""

    value: object


def parse_json(text: str, source: str = "") -> Parsed | Reject:
    """The JSON value of a text, or an `invalid_json` reject: bad syntax, nesting deeper
    than the parser's recursion limit, an integer of more digits than Python converts.

    >>> parse_json('{"a": [1]}').value
    {'a': [1]}
    >>> parse_json("[" * 100_000, "deep.json").detail
    'nested too deep to parse'
    """
    try:
        return Parsed(json.loads(text))
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno} column {exc.colno}" if "\n" in text else f"column {exc.colno}"
        return Reject(source, "invalid_json", f"{exc.msg} at {where}", STAGE)
    except RecursionError:
        return Reject(source, "invalid_json", "nested too deep to parse", STAGE)
    except ValueError as exc:  # an integer longer than sys.get_int_max_str_digits()
        return Reject(source, "invalid_json", str(exc).split(";")[0][:200], STAGE)


def record_document(source: str, record: object, settings: IngestSettings) -> Document | Reject:
    """A document from one JSON record: its page from the first non-empty of the
    `html_fields`, else its text from the `text_fields`; `id`, `url`, `title` and the
    publication date from the first present of their field lists (config [ingest])."""
    if not isinstance(record, dict):
        return Reject(source, "invalid_record", "a record must be a JSON object", STAGE)
    body, kind = _first_text(record, settings.html_fields), "html"
    if body is None:
        body, kind = _first_text(record, settings.text_fields), "text"
    if body is None:
        wanted = ", ".join(f"`{f}`" for f in (*settings.text_fields, *settings.html_fields))
        return Reject(source, "missing_text", f"no non-empty string in any of {wanted}", STAGE)
    raw = body.encode("utf-8", errors="surrogatepass")
    if len(raw) > settings.max_file_bytes:
        return Reject(source, "too_large", f"{len(raw)} bytes > {settings.max_file_bytes}", STAGE)
    fields = {
        "url": _first_value(record, settings.url_fields),
        "title": _first_value(record, settings.title_fields),
        "published_hint": _first_value(record, settings.date_fields),
        "record_id": _first_value(record, settings.id_fields),
    }
    for name, value in fields.items():
        if value is not None and (bad := _LONE_SURROGATE.search(value)):
            detail = f"its {name.removeprefix('record_')} holds a lone surrogate (U+{ord(bad.group()):04X})"
            return Reject(source, "invalid_record", detail, STAGE)
    return make_document(source, kind, raw, **fields)


def _first_text(record: dict, fields: Iterable[str]) -> str | None:
    """The first of `fields` holding a string with some non-blank character."""
    for name in fields:
        value = record.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _first_value(record: dict, fields: Iterable[str]) -> str | None:
    """The first of `fields` with a scalar value, as a stripped string (ids may be numbers).

    >>> _first_value({"_id": 7, "id": None}, ("id", "_id")), _first_value({"id": [1]}, ("id",))
    ('7', None)
    """
    for name in fields:
        value = record.get(name)
        if isinstance(value, (str, int, float)) and not isinstance(value, bool):
            text = str(value).strip()
            if text:
                return text
    return None


def make_document(
    source_path: str,
    kind: str,
    raw: bytes,
    *,
    url: str | None = None,
    title: str | None = None,
    published_hint: str | None = None,
    record_id: str | None = None,
    fetched_at: datetime | None = None,
) -> Document:
    """A new document with its stable id: a hash of where it came from and its bytes."""
    digest = hashlib.sha256(raw).hexdigest()
    return Document(
        article_id=article_id_for(record_id or source_path, digest),
        source_path=source_path,
        kind=kind,
        input_sha256=digest,
        raw=raw,
        url=url,
        title=title,
        published_hint=published_hint,
        fetched_at=fetched_at,
    )


def article_id_for(source: str, content_sha256: str) -> str:
    """A stable 16-hex-digit id from a source name and the content's hash.

    >>> article_id_for("a.txt", "00") == article_id_for("a.txt", "00")
    True
    >>> len(article_id_for("a.txt", "00"))
    16
    """
    return hashlib.sha256(f"{source}\x00{content_sha256}".encode()).hexdigest()[:16]


