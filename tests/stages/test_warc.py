"""WARC inputs: a web archive built here, record by record, from invented pages, read
back with every record accounted for (documents + record rejects + counted skips =
records), offsets that find the record again, payloads decoded exactly."""

from __future__ import annotations

import dataclasses
import gzip
import zlib
from datetime import datetime, timezone

import pytest

from newsclean.stages.ingest import ingest_file, ingest_shard
from newsclean.stages.records import Document, RawInput, Reject, SkippedRecords
from newsclean.stages.warc import dechunk

FETCHED = "2024-03-05T10:11:12Z"
WHEN = datetime(2024, 3, 5, 10, 11, 12, tzinfo=timezone.utc)


def page(title: str, sentence: str) -> bytes:
    return (f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            f"<p>{sentence}</p></article></body></html>").encode()


BUDGET = page("Council approves budget", "The Riverside council approved a $4.2 billion budget on Tuesday.")
LIBRARY = page("Library reopens", "The central library reopened on Monday after two years of work.")
BRIDGE = page("Bridge closes", "The Fifth Street bridge closes for repairs from June.")
TRAM = page("Tram line opens", "The new tram line carried 12,000 riders on its first day.")
SCHOOL = page("School board votes", "The school board voted 5-2 to extend the term by a week.")
PARK = page("Park gets new trees", "Volunteers planted 300 oak trees in Riverside Park.")
NOTE = b"Council minutes, 5 March 2024.\n\nThe meeting opened at 7 p.m. with all members present.\n"


def http(status: str, headers: dict[str, str], body: bytes) -> bytes:
    head = f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n"
    return head.encode() + body


def record(kind: str, uri: str, block: bytes, content_type: str | None = None, date: str = FETCHED) -> bytes:
    """One WARC/1.1 record, written by hand as the standard lays it out."""
    content_type = content_type or f"application/http; msgtype={kind}"
    head = (f"WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{zlib.crc32(block + uri.encode()):08x}>\r\n"
            f"WARC-Date: {date}\r\n" + (f"WARC-Target-URI: {uri}\r\n" if uri else "")
            + f"Content-Type: {content_type}\r\nContent-Length: {len(block)}\r\n\r\n")
    return head.encode() + block + b"\r\n\r\n"


def chunked(body: bytes, size: int = 40) -> bytes:
    parts = [body[i: i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n\r\n"


def brotli(body: bytes) -> bytes:
    import brotli as codec  # FastWARC's own dependency

    return codec.compress(body)


HTML = {"Content-Type": "text/html; charset=utf-8"}
# (record, what it becomes: a URL of a document with its payload, or the count it is under)
CRAWL = [
    (record("warcinfo", "", b"software: Heritrix/3.4\r\nformat: WARC File Format 1.1\r\n", "application/warc-fields"),
     "warcinfo"),
    (record("request", "https://riverside.example/budget", b"GET /budget HTTP/1.1\r\nHost: riverside.example\r\n\r\n"),
     "request"),
    (record("response", "https://riverside.example/budget", http("200 OK", HTML, BUDGET)),
     ("https://riverside.example/budget", BUDGET, "html")),
    (record("metadata", "https://riverside.example/budget", b"outlinks: https://riverside.example/library\r\n",
            "application/warc-fields"), "metadata"),
    (record("response", "https://riverside.example/library",
            http("200 OK", {**HTML, "Transfer-Encoding": "chunked"}, chunked(LIBRARY))),
     ("https://riverside.example/library", LIBRARY, "html")),
    (record("response", "https://riverside.example/bridge",
            http("200 OK", {**HTML, "Content-Encoding": "gzip"}, gzip.compress(BRIDGE))),
     ("https://riverside.example/bridge", BRIDGE, "html")),
    (record("response", "https://riverside.example/tram",
            http("200 OK", {**HTML, "Transfer-Encoding": "chunked", "Content-Encoding": "deflate"},
                 chunked(zlib.compress(TRAM)))),
     ("https://riverside.example/tram", TRAM, "html")),
    (record("response", "https://riverside.example/school",
            http("200 OK", {**HTML, "Content-Encoding": "br"}, brotli(SCHOOL))),
     ("https://riverside.example/school", SCHOOL, "html")),
    (record("response", "https://riverside.example/park", http("200 OK", {}, PARK)),  # no Content-Type: sniffed
     ("https://riverside.example/park", PARK, "html")),
    (record("response", "https://riverside.example/minutes.txt",
            http("200 OK", {"Content-Type": "text/plain"}, NOTE)),
     ("https://riverside.example/minutes.txt", NOTE, "text")),
    (record("resource", "https://riverside.example/archive/budget", LIBRARY.replace(b"Monday", b"Friday"),
            "text/html"), ("https://riverside.example/archive/budget", LIBRARY.replace(b"Monday", b"Friday"), "html")),
    (record("response", "https://riverside.example/logo.png",
            http("200 OK", {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n\x00\x00")), "response_non_html"),
    (record("response", "https://riverside.example/feed.json",
            http("200 OK", {"Content-Type": "application/json"}, b'{"items": []}')), "response_non_html"),
    (record("response", "https://riverside.example/blob",
            http("200 OK", {"Content-Type": "application/octet-stream"}, b"\x00\x01\x02\x03binary")),
     "response_non_html"),
    (record("response", "https://riverside.example/gone", http("404 Not Found", HTML, b"<p>Not found</p>")),
     "response_http_error"),
    (record("response", "https://riverside.example/old", http("301 Moved Permanently",
                                                             {"Location": "https://riverside.example/new"}, b"")),
     "response_redirect"),
    (record("response", "https://riverside.example/empty", http("200 OK", HTML, b"")), "response_empty"),
    (record("response", "dns:riverside.example", b"20240305101112\nriverside.example. 300 IN A 192.0.2.7\n",
            "text/dns"), "response_not_http"),
    (record("revisit", "https://riverside.example/budget", http("200 OK", HTML, b""),
            "application/http; msgtype=response"), "revisit"),
    (record("resource", "metadata://gnu.org/software/wget/warc/wget.log", b"wget log line\n", "text/plain"),
     "resource_not_a_page"),
    (record("resource", "https://riverside.example/photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF", "image/jpeg"),
     "resource_non_html"),
]


def warc_documents(results):
    docs = [r for r in results if isinstance(r, Document)]
    rejects = [r for r in results if isinstance(r, Reject)]
    (tally,) = [r for r in results if isinstance(r, SkippedRecords)]
    return docs, rejects, tally


@pytest.mark.parametrize("packing", ["warc", "warc.gz"])
def test_every_record_of_a_crawl_is_a_document_or_counted(packing, settings):
    blocks = [r for r, _ in CRAWL]
    data = b"".join(gzip.compress(b) for b in blocks) if packing == "warc.gz" else b"".join(blocks)
    name = f"crawls/riverside.{packing}"
    docs, rejects, tally = warc_documents(list(ingest_file(RawInput(name, data), settings.ingest)))

    expected_docs = [(x[0], x[1], x[2]) for _, x in CRAWL if isinstance(x, tuple)]
    assert [(d.url, d.raw, d.kind) for d in docs] == expected_docs, "payloads decoded exactly, in file order"
    assert rejects == []
    expected_skips: dict[str, int] = {}
    for _, x in CRAWL:
        if isinstance(x, str):
            expected_skips[x] = expected_skips.get(x, 0) + 1
    assert dict(tally.counts) == expected_skips
    assert tally.records == len(CRAWL) == len(docs) + len(rejects) + sum(expected_skips.values())
    assert all(d.fetched_at == WHEN for d in docs), "the fetch date is the record's WARC-Date, in UTC"
    assert all(d.published_hint is None for d in docs), "the publication date comes from the page, later"
    assert len({d.article_id for d in docs}) == len(docs)


@pytest.mark.parametrize("packing", ["warc", "warc.gz"])
def test_a_documents_offset_finds_its_record_in_the_file(packing, settings):
    """`file#offset=N`: N is where the record starts in the file as stored; for a
    .warc.gz, where its gzip member starts (as Common Crawl's CDX indexes say), so
    reading one member from there gives the record back."""
    blocks = [r for r, _ in CRAWL]
    data = b"".join(gzip.compress(b) for b in blocks) if packing == "warc.gz" else b"".join(blocks)
    docs = [r for r in ingest_file(RawInput(f"c.{packing}", data), settings.ingest) if isinstance(r, Document)]
    for doc in docs:
        path, _, offset = doc.source_path.partition("#offset=")
        assert path == f"c.{packing}" and offset.isdigit()
        start = int(offset)
        found = zlib.decompressobj(31).decompress(data[start:]) if packing == "warc.gz" else data[start:]
        assert found.startswith(b"WARC/1.1\r\n")
        assert found.split(b"\r\n\r\n", 1)[0].count(f"WARC-Target-URI: {doc.url}".encode()) == 1


def test_a_warc_gzipped_whole_gives_member_and_inner_offsets(settings):
    data = gzip.compress(b"".join(r for r, _ in CRAWL[:3]))
    docs = [r for r in ingest_file(RawInput("c.warc.gz", data), settings.ingest) if isinstance(r, Document)]
    inner = len(CRAWL[0][0]) + len(CRAWL[1][0])
    assert [d.source_path for d in docs] == [f"c.warc.gz#offset=0+{inner}"]


def test_the_same_page_fetched_twice_is_one_article(settings):
    response = record("response", "https://riverside.example/budget", http("200 OK", HTML, BUDGET))
    shard = ingest_shard([RawInput("a.warc", response + response)], 0, settings.ingest)
    assert [d.source_path for d in shard.documents] == ["a.warc#offset=0"]
    assert [(r.source_path, r.reason) for r in shard.rejects] == [(f"a.warc#offset={len(response)}", "duplicate_record")]


def test_a_shard_adds_up_the_skipped_records_of_its_warcs(settings):
    one = b"".join(r for r, _ in CRAWL[:4])
    two = b"".join(r for r, _ in CRAWL[:2])
    shard = ingest_shard([RawInput("a.warc", one), RawInput("b.warc.gz", gzip.compress(two))], 0, settings.ingest)
    assert dict(shard.skipped) == {"warcinfo": 2, "request": 2, "metadata": 1}


CORRUPT_CASES = [
    # (name, content, expected [(source suffix, reason)], why)
    ("x.warc", b"This is not an archive at all.\n", [("", "corrupt_warc")], "no WARC record"),
    ("x.warc", b"WARC/1.1\r\nWARC-Type: response\r\nno header end", [("#offset=0", "corrupt_warc")],
     "a header cut off"),
    ("x.warc.gz", gzip.compress(CRAWL[2][0])[:-30], [("", "corrupt_gzip")], "a truncated gzip member"),
    ("x.warc", CRAWL[2][0][:-200], [("#offset=0", "corrupt_warc")], "a record cut short"),
    ("x.warc", CRAWL[2][0] + b"GARBAGE" * 20, [("", "corrupt_warc")], "garbage after a good record"),
    ("x.warc", record("response", "https://riverside.example/bad",
                      http("200 OK", {**HTML, "Content-Encoding": "gzip"}, b"\x1f\x8b\x08\x00broken")),
     [("#offset=0", "corrupt_payload")], "a payload whose gzip is broken"),
]


@pytest.mark.parametrize("name, content, expected, why", CORRUPT_CASES, ids=[c[3] for c in CORRUPT_CASES])
def test_a_damaged_warc_is_a_reject_with_its_reason(name, content, expected, why, settings):
    results = list(ingest_file(RawInput(name, content), settings.ingest))
    rejects = [(r.source_path.removeprefix(name), r.reason) for r in results if isinstance(r, Reject)]
    docs = [r for r in results if isinstance(r, Document)]
    assert rejects == expected, why
    if why == "garbage after a good record":
        assert [d.url for d in docs] == ["https://riverside.example/budget"], "records before the damage are kept"
    assert all(r.detail for r in results if isinstance(r, Reject))


def test_a_payload_bomb_is_too_large_and_stops_at_the_limit(settings):
    small = dataclasses.replace(settings.ingest, max_file_bytes=200_000)
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(b" " * (1 << 20)) for _ in range(50)) + packer.flush()
    data = (record("response", "https://riverside.example/bomb", http("200 OK", {**HTML, "Content-Encoding": "gzip"}, bomb))
            + CRAWL[2][0])
    assert len(data) < 200_000
    results = list(ingest_file(RawInput("b.warc", data), small))
    assert [(r.source_path, r.reason) for r in results if isinstance(r, Reject)] == [("b.warc#offset=0", "too_large")]
    assert [d.url for d in results if isinstance(d, Document)] == ["https://riverside.example/budget"]


def test_a_warc_bomb_counts_decompressed_bytes(settings):
    small = dataclasses.replace(settings.ingest, max_file_bytes=100_000)
    data = gzip.compress(record("resource", "https://riverside.example/big", b"x" * 2_000_000, "text/plain"))
    assert len(data) < 100_000
    (reject,) = [r for r in ingest_file(RawInput("big.warc.gz", data), small)]
    assert (reject.reason, reject.source_path) == ("too_large", "big.warc.gz")


def test_dechunk_keeps_a_body_cut_short():
    assert dechunk(b"5\r\nHello\r\n10\r\nshort") == b"Helloshort"
