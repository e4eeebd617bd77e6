"""Fuzzing ingest and decode: random bytes, names and JSON never raise, and every input
ends as documents or rejects with a known reason, all of it writable (UTF-8) text."""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from newsclean.inputs import escape_name
from newsclean.stages.decode import decode_document
from newsclean.stages.ingest import KIND_BY_SUFFIX, ingest_file
from newsclean.stages.limits import longest_line, markup_depth
from newsclean.stages.records import Document, RawInput, Reject, SkippedRecords

# No deadline: CI is loaded, and these test outcomes, not speed.
FUZZ = hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INGEST_REASONS = {
    "unsupported_type", "too_large", "corrupt_gzip", "corrupt_zstd", "corrupt_bz2", "corrupt_xz", "empty",
    "binary", "invalid_json", "invalid_record", "missing_text", "line_too_long", "corrupt_warc", "corrupt_payload",
}
COMPRESSIONS = ("", ".gz", ".zst", ".bz2", ".xz")
DECODE_REASONS = {"undecodable", "empty", "too_deep"}
SUFFIXES = [*(s + c for s in KIND_BY_SUFFIX for c in COMPRESSIONS), "", ".pdf", ".php", *COMPRESSIONS[1:]]
SNAKE_CASE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")

names = st.builds(lambda stem, suffix: stem + suffix, st.text(min_size=1, max_size=20), st.sampled_from(SUFFIXES))
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text()
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)
field_names = st.sampled_from(["id", "_id", "url", "link", "title", "headline", "text", "body", "html", "date", "x"])
records = st.dictionaries(field_names, json_values | st.text(), max_size=6)


def check_results(results: list[Document | Reject], reasons: set[str]) -> None:
    assert results, "every input ends as something"
    for result in results:
        if isinstance(result, SkippedRecords):
            assert all(SNAKE_CASE.fullmatch(kind) and n > 0 for kind, n in result.counts)
            continue
        assert isinstance(result, (Document, Reject))
        assert result.source_path.encode("utf-8")
        if isinstance(result, Reject):
            assert result.reason in reasons and SNAKE_CASE.fullmatch(result.reason)
            assert result.detail.encode("utf-8")
        else:
            for value in (result.title, result.url, result.published_hint, result.article_id):
                assert value is None or value.encode("utf-8"), "every text field can be written to Parquet"


@FUZZ
@given(name=names, content=st.binary(max_size=2000))
def test_random_bytes_under_any_name_are_documents_or_rejects(name, content, settings):
    check_results(list(ingest_file(RawInput(escape_name(name), content), settings.ingest)), INGEST_REASONS)


ARCHIVE_NAMES = [".warc", ".warc.gz", ".warc.zst", ".warc.bz2", ".warc.xz", ".html.zst", ".txt.bz2", ".jsonl.xz",
                 ".zst", ".bz2", ".xz"]


@FUZZ
@given(suffix=st.sampled_from(ARCHIVE_NAMES), content=st.binary(max_size=2000))
def test_random_bytes_named_as_an_archive_or_compressed_are_rejects(suffix, content, settings):
    """Random bytes are no WARC and no compressed stream: a reject with its reason (or
    `empty` for no bytes), never a crash or a hang."""
    results = list(ingest_file(RawInput("crawl" + suffix, content), settings.ingest))
    check_results(results, INGEST_REASONS)
    assert not any(isinstance(r, Document) for r in results), "random bytes are never an article here"


def _packed(codec: str, data: bytes) -> bytes:
    import bz2
    import gzip
    import lzma

    import zstandard

    return {"gzip": gzip.compress, "zstd": zstandard.ZstdCompressor().compress, "bz2": bz2.compress,
            "xz": lzma.compress}[codec](data)


@FUZZ
@given(codec=st.sampled_from(["gzip", "zstd", "bz2", "xz"]), data=st.binary(min_size=1, max_size=3000),
       cut=st.integers(min_value=0, max_value=4000), flip=st.integers(min_value=0, max_value=4000))
def test_damaged_compressed_streams_are_rejects_or_whole(codec, data, cut, flip, settings):
    """A compressed file cut off or with a byte flipped decompresses whole or is a reject."""
    from newsclean.stages.unpack import TooLarge, UnpackError, unpack

    packed = bytearray(_packed(codec, data))
    packed = packed[: max(1, min(cut, len(packed)))] if cut < len(packed) else packed
    if flip < len(packed):
        packed[flip] ^= 0x5A
    try:
        out = unpack(bytes(packed), codec, 1 << 20)
    except UnpackError as exc:
        assert exc.reason == f"corrupt_{'gzip' if codec == 'gzip' else codec}" and exc.detail
    except TooLarge:
        pass
    else:
        assert isinstance(out, bytes)


WARC_PAGE = b"<html><head><title>Budget</title></head><body><p>The council approved the budget.</p></body></html>"


def _warc(*blocks: tuple[str, str, bytes]) -> bytes:
    out = b""
    for n, (kind, uri, block) in enumerate(blocks):
        out += (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{n}>\r\n"
                f"WARC-Date: 2024-03-05T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n"
                f"Content-Type: application/http; msgtype={kind}\r\nContent-Length: {len(block)}\r\n\r\n").encode()
        out += block + b"\r\n\r\n"
    return out


@FUZZ
@given(cut=st.integers(min_value=0, max_value=900), flips=st.lists(st.integers(min_value=0, max_value=900), max_size=4),
       gzipped=st.booleans())
def test_a_damaged_warc_is_documents_and_rejects_never_a_crash(cut, flips, gzipped, settings):
    import gzip

    response = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + WARC_PAGE
    records = [("request", "https://x.example/a", b"GET /a HTTP/1.1\r\n\r\n"), ("response", "https://x.example/a", response),
               ("response", "https://x.example/b", response.replace(b"budget", b"levy"))]
    data = bytearray(b"".join(gzip.compress(_warc(r)) for r in records) if gzipped else _warc(*records))
    data = data[: max(1, cut)] if cut < len(data) else data
    for at in flips:
        if at < len(data):
            data[at] ^= 0x20
    results = list(ingest_file(RawInput("crawl.warc.gz" if gzipped else "crawl.warc", bytes(data)), settings.ingest))
    check_results(results, INGEST_REASONS)
    tally = [r for r in results if isinstance(r, SkippedRecords)]
    if tally:
        per_record = [r for r in results if not isinstance(r, SkippedRecords) and "#offset=" in r.source_path]
        assert len(per_record) + sum(n for _, n in tally[0].counts) == tally[0].records, "every record is counted"


@FUZZ
@given(lines=st.lists(records | json_values, max_size=6), ensure_ascii=st.booleans())
def test_every_jsonl_line_is_one_document_or_one_reject(lines, ensure_ascii, settings):
    text = "\n".join(json.dumps(line, ensure_ascii=ensure_ascii) for line in lines)
    results = list(ingest_file(RawInput("feed.jsonl", text.encode("utf-8", "surrogatepass")), settings.ingest))
    if not text.strip():
        check_results(results, {"empty"})
        return
    check_results(results, INGEST_REASONS)
    assert [r.source_path for r in results] == [f"feed.jsonl#{i}" for i in range(1, len(lines) + 1)], \
        "one result per line, numbered by \\n only"


@FUZZ
@given(content=st.binary(max_size=3000), kind=st.sampled_from(["text", "html"]))
def test_decode_of_random_bytes_is_text_or_a_reject(content, kind, settings):
    from newsclean.stages.ingest import make_document

    result = decode_document(make_document("a.txt", kind, content), settings.decode)
    if isinstance(result, Reject):
        assert result.reason in DECODE_REASONS
    else:
        assert isinstance(result.text, str) and result.text.encode("utf-8"), "decoded text is writable"
        assert result.raw is None


@FUZZ
@given(ingredients=st.lists(st.sampled_from(["<div>", "</div>", "<p>", "<br/>", "<", ">", "x", "<script>",
                                             "</script>", "<!-- ", " -->", "'", '"', "<a href='>'>"]), max_size=300))
def test_markup_depth_is_bounded_and_never_raises(ingredients):
    page = "".join(ingredients)
    depth = markup_depth(page, 50)
    assert 0 <= depth <= 51
    # Each level of depth is an opening tag: "<" and a letter ("<x>" from "<", "x", ">" too).
    assert depth <= len(re.findall(r"<[A-Za-z]", page))


@FUZZ
@given(data=st.binary(max_size=500))
def test_longest_line_matches_split(data):
    assert longest_line(data) == max(len(line) for line in data.split(b"\n"))


@FUZZ
@given(raw=st.binary(min_size=1, max_size=40).filter(lambda b: b"/" not in b and b"\x00" not in b))
def test_any_file_name_escapes_to_writable_text(raw):
    name = escape_name(os.fsdecode(raw))
    assert name.encode("utf-8")
    assert escape_name(name) == name, "escaping twice changes nothing (a saved plan resumes)"
    try:
        assert name == raw.decode("utf-8"), "a UTF-8 name is unchanged"
    except UnicodeDecodeError:
        assert "\\x" in name
