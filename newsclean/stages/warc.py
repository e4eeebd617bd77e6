"""WARC: the records of a web archive (Common Crawl, Heritrix, wget --warc-file,
Browsertrix) as pages, record problems and counted skips.

FastWARC (resiliparse's reader) splits the records of the already decompressed archive
(newsclean.stages.unpack bounds that); the HTTP payload of each record is decoded here, in
bounded steps: chunked transfer encoding, then gzip, deflate, brotli or zstd content
encoding (FastWARC's own decoding is not used: after a partial read of a decoded record
it loses its place in the stream, and its output is not bounded).

A `response` record with a 2xx HTTP status, or a `resource` record of an http(s) URL
(wget and Browsertrix write pages so), whose payload is HTML or text (by its
Content-Type, sniffed when that is missing or generic) is a page. Every other record is
counted by what it is: its WARC-Type (`request`, `metadata`, `warcinfo`, `revisit`, ...)
or why a response is not a page (`response_non_html`, `response_http_error`,
`response_redirect`, `response_not_http`, `response_empty`, `resource_not_a_page`,
`resource_non_html`).
"""

from __future__ import annotations

import bisect
import io
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from fastwarc.stream_io import BrotliReader
from fastwarc.warc import ArchiveIterator, HeaderMap, WarcRecordType

from newsclean.stages.sniff import control_bytes, sniff_kind
from newsclean.stages.unpack import Member, TooLarge, UnpackError, unpack

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/vnd.wap.xhtml+xml"})
TEXT_TYPES = frozenset({"text/plain"})
# Content-Types that say nothing of the payload: it is sniffed.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream", "application/unknown",
                           "unknown/unknown", "application/x-unknown-content-type"})
_TYPE_NAMES = {  # by the type's number (FastWARC's record types are not hashable)
    int(t): name for t, name in (
        (WarcRecordType.warcinfo, "warcinfo"), (WarcRecordType.request, "request"),
        (WarcRecordType.metadata, "metadata"), (WarcRecordType.revisit, "revisit"),
        (WarcRecordType.conversion, "conversion"), (WarcRecordType.continuation, "continuation"),
    )
}


@dataclass(frozen=True)
class WarcPage:
    """A record that is a page: where it is, its URL, when it was fetched, its kind
    ("html" or "text") and its decoded payload."""

    offset: str
    url: str
    fetched_at: datetime | None
    kind: str
    payload: bytes


@dataclass(frozen=True)
class RecordProblem:
    """A record, or the rest of the file, that cannot be read: the reject's reason.
    `offset` is None when the problem is the file's."""

    offset: str | None
    reason: str
    detail: str


@dataclass(frozen=True)
class WarcTally:
    """What the archive held that is not a page, by kind, and how many records it held."""

    skipped: dict[str, int]
    records: int


def read_warc(
    content: bytes,
    limit: int,
    binary_control_ratio: float,
    max_line_bytes: int,
    members: Sequence[Member] = (),
) -> Iterator[WarcPage | RecordProblem | WarcTally]:
    """The pages and record problems of an uncompressed WARC, in file order, then one
    WarcTally. The pages' decoded payloads hold at most `limit` bytes in all; `members`
    (of a .warc.gz) turn offsets in `content` into offsets in the compressed file."""
    skipped: Counter[str] = Counter()
    records = 0
    budget = limit
    last = None
    try:
        for record in ArchiveIterator(io.BytesIO(content), parse_http=False, stream_detect=False):
            records += 1
            last = record.stream_pos
            offset = file_offset(record.stream_pos, members)
            block = record.reader.read()
            if "Content-Length" not in record.headers:  # mandatory: a header cut off
                yield RecordProblem(offset, "corrupt_warc", "a record without Content-Length (its header cut off?)")
                continue
            if len(block) < record.content_length:
                yield RecordProblem(offset, "corrupt_warc",
                                    f"truncated record: {len(block)} of its {record.content_length} bytes")
                continue
            result = record_page(record, offset, block, budget, binary_control_ratio, max_line_bytes)
            if isinstance(result, str):
                skipped[result] += 1
                continue
            if isinstance(result, WarcPage):
                budget -= len(result.payload)
            yield result
    except (OSError, ValueError) as exc:
        where = "no WARC record" if last is None else f"unreadable after the record at offset {file_offset(last, members)}"
        yield RecordProblem(None, "corrupt_warc", f"{where}: {exc}"[:300])
    else:
        if records == 0:
            yield RecordProblem(None, "corrupt_warc", "no WARC record")
    yield WarcTally(dict(sorted(skipped.items())), records)


def file_offset(position: int, members: Sequence[Member]) -> str:
    """Where a record starts in the file: its byte offset (for a .warc.gz, the offset of
    the gzip member it opens, as CDX indexes give it); a record inside a member (a WARC
    gzipped whole) is `member+offset inside its output`.

    >>> file_offset(512, ()), file_offset(300, [Member(0, 0), Member(120, 300)])
    ('512', '120')
    >>> file_offset(350, [Member(0, 0), Member(120, 300)])
    '120+50'
    """
    if not members:
        return str(position)
    starts = [m.unpacked_offset for m in members]
    member = members[max(bisect.bisect_right(starts, position) - 1, 0)]
    inside = position - member.unpacked_offset
    return str(member.packed_offset) if inside == 0 else f"{member.packed_offset}+{inside}"


def record_page(
    record: object, offset: str, block: bytes, budget: int, binary_control_ratio: float, max_line_bytes: int
) -> WarcPage | RecordProblem | str:
    """One record as a page, a problem, or the name it is counted under."""
    kind = record.record_type  # type: ignore[attr-defined]
    headers = record.headers  # type: ignore[attr-defined]
    url = (headers.get("WARC-Target-URI") or "").strip().strip("<>")
    is_web = url.lower().startswith(("http://", "https://"))
    if kind == WarcRecordType.response:
        http = HeaderMap()
        consumed = http.parse(io.BytesIO(block)) if block else 0
        status = http.status_code
        if status is None or not is_web:
            return "response_not_http"
        if 300 <= status < 400:
            return "response_redirect"
        if status >= 400:
            return "response_http_error"
        if not 200 <= status < 300:
            return "response_not_http"
        payload = decode_payload(block[consumed:], http, budget)
        content_type = media_type(http.get("Content-Type"))
        prefix = "response"
    elif kind == WarcRecordType.resource:
        if not is_web:  # a crawler's log, a Browsertrix text or screenshot entry (urn:...)
            return "resource_not_a_page"
        payload, content_type, prefix = block, media_type(headers.get("Content-Type")), "resource"
    else:
        return _TYPE_NAMES.get(int(kind), "unknown")
    if isinstance(payload, RecordProblem):
        return RecordProblem(offset, payload.reason, payload.detail)
    if not payload.strip():
        return f"{prefix}_empty"
    page_kind = payload_kind(content_type, payload, binary_control_ratio, max_line_bytes)
    if page_kind is None:
        return f"{prefix}_non_html"
    if len(payload) > budget:
        return RecordProblem(offset, "too_large", f"the file's pages pass {budget} more bytes once decoded")
    return WarcPage(offset, url, fetch_date(headers.get("WARC-Date")), page_kind, payload)


def media_type(content_type: str | None) -> str:
    """A Content-Type without its parameters, lower case.

    >>> media_type("Text/HTML; charset=UTF-8"), media_type(None)
    ('text/html', '')
    """
    return (content_type or "").split(";", 1)[0].strip().lower()


def payload_kind(content_type: str, payload: bytes, binary_control_ratio: float, max_line_bytes: int) -> str | None:
    """"html" or "text" for a page's payload, None for anything else (images, scripts,
    JSON APIs, PDFs). A missing or generic type is sniffed; binary bytes are never text."""
    if content_type in HTML_TYPES:
        return "html"
    if content_type in TEXT_TYPES:
        return "text"
    if content_type not in GENERIC_TYPES:
        return None
    sample = payload[:65536]
    if b"\x00" in sample or control_bytes(sample) > binary_control_ratio * len(sample):
        return None
    kind = sniff_kind(payload, max_line_bytes)
    return kind if kind in ("html", "text") else None


def decode_payload(body: bytes, http: HeaderMap, limit: int) -> bytes | RecordProblem:
    """An HTTP body without its transfer and content encodings, at most `limit` bytes.
    A body the crawler already decoded (it kept the header but not the encoding, as
    Common Crawl keeps X-Crawler-* copies) is taken as it is."""
    transfer = (http.get("Transfer-Encoding") or "").lower()
    if "chunked" in transfer:
        body = dechunk(body)
    encoding = (http.get("Content-Encoding") or "").strip().lower()
    try:
        if encoding in ("gzip", "x-gzip") and body.startswith(b"\x1f\x8b"):
            return unpack(body, "gzip", limit)
        if encoding == "zstd" and body.startswith(b"\x28\xb5\x2f\xfd"):
            return unpack(body, "zstd", limit)
        if encoding == "deflate":
            return inflate(body, limit)
        if encoding == "br":
            return unbrotli(body, limit)
    except TooLarge as exc:
        return RecordProblem(None, "too_large", f"the page {exc}")
    except (UnpackError, zlib.error, OSError, ValueError) as exc:
        return RecordProblem(None, "corrupt_payload", f"{encoding} content encoding: {exc}"[:300])
    return body


def dechunk(body: bytes) -> bytes:
    """A chunked HTTP body's data; a body that is not chunked after all (a crawler that
    decoded it and kept the header) is returned as it is.

    >>> dechunk(b"5\\r\\nHello\\r\\n7;ext=1\\r\\n, world\\r\\n0\\r\\n\\r\\n")
    b'Hello, world'
    >>> dechunk(b"<html>already decoded</html>")
    b'<html>already decoded</html>'
    """
    out = bytearray()
    pos = 0
    while True:
        end = body.find(b"\r\n", pos, pos + 1024)
        if end < 0:
            return bytes(out) if out and not body[pos:].strip() else body
        size_text = body[pos:end].split(b";", 1)[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return body
        if size == 0:
            return bytes(out)
        start = end + 2
        if start + size > len(body):  # cut short: keep what is there
            out += body[start:]
            return bytes(out)
        out += body[start: start + size]
        pos = start + size
        if body[pos: pos + 2] == b"\r\n":
            pos += 2


def inflate(body: bytes, limit: int) -> bytes:
    """A `deflate` body: zlib-wrapped, as the standard says, or raw, as many servers
    send it; at most `limit` bytes."""
    for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
        inflater = zlib.decompressobj(wbits)
        try:
            out = inflater.decompress(body, limit + 1)
        except zlib.error:
            continue
        if len(out) > limit:
            raise TooLarge(f"more than {limit} bytes once decompressed")
        return out
    raise UnpackError("corrupt_payload", "not deflate data")


def unbrotli(body: bytes, limit: int) -> bytes:
    """A `br` body, at most `limit` bytes (FastWARC's brotli reader, read bounded)."""
    out = BrotliReader(io.BytesIO(body)).read(limit + 1)
    if len(out) > limit:
        raise TooLarge(f"more than {limit} bytes once decompressed")
    if not out and body:
        raise UnpackError("corrupt_payload", "not brotli data")
    return out


def fetch_date(value: str | None) -> datetime | None:
    """A WARC-Date (ISO 8601, UTC) as an aware datetime; None if missing or invalid.

    >>> fetch_date("2024-03-05T10:11:12Z"), fetch_date("yesterday")
    (datetime.datetime(2024, 3, 5, 10, 11, 12, tzinfo=datetime.timezone.utc), None)
    """
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return parsed.replace(tzinfo=timezone.utc) if parsed.tzinfo is None else parsed.astimezone(timezone.utc)
