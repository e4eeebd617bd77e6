"""Sniffing: pages a wget mirror saves without .html (index, .php, .aspx, .shtml, .asp,
.jsp, no suffix) are read by their content; every file of a mirror is accounted for."""

from __future__ import annotations

import gzip
import json

import pytest

from newsclean.stages.ingest import content_kind, ingest_shard
from newsclean.stages.records import Document, RawInput
from newsclean.stages.sniff import has_markup, is_html_document, sniff_kind

PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>Council approves budget</title></head><body><article>"
    b"<h1>Council approves budget</h1><p>The Riverside city council approved a $4.2 billion budget "
    b"on Tuesday night, ending weeks of negotiations.</p></article></body></html>"
)
FRAGMENT = b"<div class='story'><p>The library reopened on Monday.</p><p>Readers queued.</p></div>"
STORY = b"Library reopens\n\nThe Riverside central library reopened on Monday after a renovation.\n"
RECORDS = b'{"id": "a1", "text": "The council met."}\n{"id": "a2", "text": "The mayor spoke."}\n'
WARC = (b"WARC/1.1\r\nWARC-Type: warcinfo\r\nWARC-Record-ID: <urn:uuid:1>\r\nWARC-Date: 2024-03-05T10:00:00Z\r\n"
        b"Content-Type: application/warc-fields\r\nContent-Length: 12\r\n\r\nsoftware: x\n\r\n\r\n")

SNIFF_CASES = [
    # (content, kind, why)
    (PAGE, "html", "a doctype"),
    (b"\xef\xbb\xbf  <html lang='en'><body>x</body></html>", "html", "a BOM and white space before <html>"),
    (b"<?xml version='1.0'?>\n<!DOCTYPE html><html>", "html", "XHTML's XML declaration"),
    (b"<!-- saved by wget -->\n<html>", "html", "a comment before <html>"),
    (FRAGMENT, "html", "a fragment with enough markup"),
    (STORY, "text", "plain text"),
    (b"Prices fell 3% as x < y > z in the index.", "text", "angle brackets are not markup"),
    (RECORDS, "jsonl", "one JSON object a line"),
    (json.dumps([{"text": "a"}, {"text": "b"}], indent=2).encode(), "json", "a pretty-printed array"),
    (json.dumps({"text": "a", "title": "b"}, indent=2).encode(), "json", "one pretty-printed object"),
    (b"{Updated} The council met again.", "text", "opens like JSON, does not parse: text"),
    (WARC, "warc", "WARC magic"),
]


@pytest.mark.parametrize("content, kind, why", SNIFF_CASES, ids=[c[2] for c in SNIFF_CASES])
def test_sniff_kind(content, kind, why):
    assert sniff_kind(content, 1 << 20) == kind, why


def test_markup_tests_need_real_tags():
    assert has_markup("<p>One</p><p>Two</p>") and not has_markup("<p>One")
    assert not is_html_document("Dear <html> fans")


OVERRIDE_CASES = [
    # (name, content, kind decided, why)
    ("story.txt", PAGE, "html", "a .txt that opens as an HTML document is a page"),
    ("story.txt", b"The <b>council</b> met.", "text", "a .txt with a tag or two stays text"),
    ("page.html", WARC, "warc", "a WARC under any name is a WARC"),
    ("page.html", STORY, "html", ".html is trusted (extraction falls back to the visible text)"),
    ("feed.json", STORY, "json", ".json is trusted: not JSON is an invalid_json reject, saying why"),
    ("index.php", PAGE, None, "an unknown suffix: the content decides"),
]


@pytest.mark.parametrize("name, content, kind, why", OVERRIDE_CASES, ids=[c[3] for c in OVERRIDE_CASES])
def test_a_known_suffix_is_overridden_only_by_clear_content(name, content, kind, why, settings):
    assert content_kind(name, content, settings.ingest) == kind, why


def test_every_file_of_a_wget_mirror_is_accounted_for(settings):
    mirror = {
        # name: (content, expected (kind | reject reason), why)
        "riverside.example/index": (PAGE, "html", "wget's name for /"),
        "riverside.example/news/budget.php": (PAGE.replace(b"budget", b"vote"), "html", ".php page"),
        "riverside.example/news/view.aspx": (FRAGMENT, "html", ".aspx page, a fragment"),
        "riverside.example/news/story.shtml": (PAGE.replace(b"Council", b"Board"), "html", ".shtml page"),
        "riverside.example/news/story.asp": (PAGE.replace(b"Tuesday", b"Monday"), "html", ".asp page"),
        "riverside.example/news/story.jsp": (PAGE.replace(b"weeks", b"months"), "html", ".jsp page"),
        "riverside.example/news/2024/03/library": (STORY, "text", "no suffix, plain text"),
        "riverside.example/api/latest": (RECORDS, "jsonl", "no suffix, JSON lines"),
        "riverside.example/news/page.php.gz": (gzip.compress(PAGE.replace(b"night", b"noon")), "html",
                                               "gzipped, unknown suffix under it"),
        "riverside.example/saved/index.html@p=2": (PAGE.replace(b"city", b"town"), "html", "wget's query suffix"),
        "riverside.example/logo.png": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "unsupported_type", "media"),
        "riverside.example/style.css": (b"body { margin: 0 }", "unsupported_type", "a style sheet"),
        "riverside.example/robots": (b"\x00\x01\x02binary\x00", "binary", "binary stays rejected"),
        "riverside.example/blank.php": (b"\n  \n", "empty", "nothing in it"),
    }
    names = sorted(mirror)
    shard = ingest_shard([RawInput(n, mirror[n][0]) for n in names], 0, settings.ingest)
    found: dict[str, list[str]] = {}
    for doc in shard.documents:
        found.setdefault(doc.source_path.split("#")[0], []).append(doc.kind)
    for reject in shard.rejects:
        found.setdefault(reject.source_path.split("#")[0], []).append(reject.reason)
    assert sorted(found) == names, "every file is a document or a reject"
    for name in names:
        expected, why = mirror[name][1], mirror[name][2]
        if expected == "jsonl":
            assert found[name] == ["text", "text"], why
        else:
            assert found[name] == [expected], f"{name}: {why}"
    assert all(isinstance(d, Document) and d.raw for d in shard.documents)
