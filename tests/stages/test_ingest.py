"""Ingest: input files (path + bytes) become documents or rejects with a reason."""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import json
import tracemalloc
import zlib

import pytest

from newsclean.stages.ingest import ingest_file, ingest_shard
from newsclean.stages.records import Document, RawInput, Reject

STORY = (
    "Council approves $4.2bn budget after late-night vote\n\n"
    "The Riverside city council approved a $4.2 billion budget for the coming fiscal year "
    "on Tuesday night, ending weeks of negotiations over police funding and library hours.\n"
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Council approves budget</title></head><body>"
    "<article><h1>Council approves budget</h1><p>The Riverside city council approved a "
    "$4.2 billion budget on Tuesday night.</p></article></body></html>"
)
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00\x00\x00\x01\x00\x08\x06\x00\x00\x00"


def ingest(path: str, content: bytes, settings) -> list[Document | Reject]:
    return list(ingest_file(RawInput(path, content), settings))


def only(results: list[Document | Reject]) -> Document | Reject:
    assert len(results) == 1, results
    return results[0]


def gzip_bomb(megabytes: int) -> bytes:
    """A small gzip file that inflates to `megabytes` MiB of spaces (about 1000:1)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    chunk = b" " * (1 << 20)
    return b"".join(packer.compress(chunk) for _ in range(megabytes)) + packer.flush()


# --- kinds --------------------------------------------------------------------------------

KIND_CASES = [
    # (path, content, expected kind, why)
    ("2023/06/council-budget.txt", STORY.encode(), "text", ".txt is plain text"),
    ("2023/06/COUNCIL.TXT", STORY.encode(), "text", "suffixes are case-insensitive"),
    ("pages/council-budget.html", PAGE.encode(), "html", ".html is a page"),
    ("pages/council-budget.htm", PAGE.encode(), "html", ".htm is a page too"),
    ("pages/council-budget.html.gz", gzip.compress(PAGE.encode()), "html", "gzip is looked through"),
    ("2023/06/council-budget.txt.gz", gzip.compress(STORY.encode()), "text", "gzipped text"),
]


@pytest.mark.parametrize("path, content, kind, why", KIND_CASES, ids=[c[0] for c in KIND_CASES])
def test_input_kinds_become_documents(path, content, kind, why, settings):
    doc = only(ingest(path, content, settings.ingest))
    assert isinstance(doc, Document), why
    assert doc.kind == kind, why
    assert doc.source_path == path
    expected = gzip.decompress(content) if path.endswith(".gz") else content
    assert doc.raw == expected, "the document holds the (decompressed) bytes, undecoded"


def test_multi_member_gzip_is_read_whole(settings):
    content = gzip.compress(b"First half of the story. ") + gzip.compress(b"Second half of the story.")
    doc = only(ingest("story.txt.gz", content, settings.ingest))
    assert doc.raw == b"First half of the story. Second half of the story."


# --- rejects ------------------------------------------------------------------------------

REJECT_CASES = [
    # (path, content, expected reason, why)
    ("story.txt.gz", b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03not really deflate data at all",
     "corrupt_gzip", "gzip header followed by garbage"),
    ("story.txt.gz", gzip.compress(STORY.encode() * 20)[:60], "corrupt_gzip",
     "a download cut off halfway: truncated stream"),
    ("story.txt.gz", STORY.encode(), "corrupt_gzip", "named .gz but plain text"),
    ("empty.txt", b"", "empty", "zero bytes"),
    ("blank.txt", b"  \n\t\r\n   \n", "empty", "only white space"),
    ("blank.html.gz", gzip.compress(b"\n\n  \n"), "empty", "white space once decompressed"),
    ("photo.txt", PNG_HEADER + b"\x00" * 64, "binary", "a PNG saved with a .txt name"),
    ("dump.txt", b"Council budget \x00\x00\x00\x00 vote", "binary", "NUL bytes are never text"),
    ("term.txt", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f ok", "binary", "mostly control bytes"),
    ("report.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "unsupported_type", "unsupported suffix"),
    ("logo.png", PNG_HEADER, "unsupported_type", "a refused suffix: media is never sniffed"),
    ("static/site.css", b"body { color: #222; }", "unsupported_type", "a style sheet is text, but no article"),
    ("archive.tar.gz", gzip.compress(b"x" * 100), "unsupported_type", ".gz of an unsupported kind"),
]


@pytest.mark.parametrize("path, content, reason, why", REJECT_CASES, ids=[c[3] for c in REJECT_CASES])
def test_unusable_files_become_rejects(path, content, reason, why, settings):
    reject = only(ingest(path, content, settings.ingest))
    assert isinstance(reject, Reject), why
    assert (reject.source_path, reject.reason, reject.stage) == (path, reason, "ingest"), why
    assert reject.detail, "every reject says what was wrong"


def test_gzip_bomb_beyond_the_size_limit_is_rejected(settings):
    small = dataclasses.replace(settings.ingest, max_file_bytes=64_000)
    bomb = gzip_bomb(20)
    assert len(bomb) < 64_000, "the compressed file itself is under the limit"
    tracemalloc.start()
    try:
        reject = only(ingest("bomb.txt.gz", bomb, small))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(reject, Reject)
    assert reject.reason == "too_large"
    assert "64000" in reject.detail
    assert peak < 2_000_000, "inflating stops at the limit: the 20 MiB are never held in memory"


def test_gzip_just_under_the_limit_is_accepted(settings):
    small = dataclasses.replace(settings.ingest, max_file_bytes=10_000)
    doc = only(ingest("story.txt.gz", gzip.compress(b"a" * 10_000), small))
    assert isinstance(doc, Document) and len(doc.raw) == 10_000


def test_plain_file_over_the_limit_is_too_large(settings):
    small = dataclasses.replace(settings.ingest, max_file_bytes=100)
    reject = only(ingest("long.txt", STORY.encode() * 3, small))
    assert isinstance(reject, Reject) and reject.reason == "too_large"


@pytest.mark.parametrize(
    "codec", ["utf-16", "utf-16-be"], ids=["utf-16-le-bom", "utf-16-be-bom"]
)
def test_utf16_with_bom_is_text_not_binary(codec, settings):
    content = STORY.encode(codec)
    if codec == "utf-16-be":
        content = codecs.BOM_UTF16_BE + content
    assert b"\x00" in content, "UTF-16 is full of NUL bytes"
    doc = only(ingest("story.txt", content, settings.ingest))
    assert isinstance(doc, Document)
    assert doc.raw == content


def test_tabs_and_form_feeds_are_not_binary(settings):
    content = b"Budget table\n\nItem\tAmount\nPolice\t$610m\n\x0cPage 2\n"
    assert isinstance(only(ingest("table.txt", content, settings.ingest)), Document)


# --- JSONL --------------------------------------------------------------------------------


def jsonl(*lines: object) -> bytes:
    return "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines).encode()


def test_jsonl_records_become_documents_with_their_fields(settings):
    content = jsonl(
        {
            "id": "rh-2023-0614-01",
            "url": "https://riversideherald.example/news/council-budget",
            "title": "Council approves $4.2bn budget",
            "published_at": "2023-06-14T22:45:00Z",
            "text": STORY,
        },
        {"id": "rh-2023-0614-02", "html": PAGE, "text": "ignored when html is present"},
    )
    first, second = ingest("feed/2023-06-14.jsonl", content, settings.ingest)
    assert first.kind == "text"
    assert first.raw == STORY.encode()
    assert first.url == "https://riversideherald.example/news/council-budget"
    assert first.title == "Council approves $4.2bn budget"
    assert first.published_hint == "2023-06-14T22:45:00Z"
    assert first.source_path == "feed/2023-06-14.jsonl#1"
    assert second.kind == "html", "html wins over text: it holds more (title, date)"
    assert second.raw == PAGE.encode()
    assert second.url is None and second.title is None
    assert second.source_path == "feed/2023-06-14.jsonl#2"


JSONL_LINE_CASES = [
    # (line, expected reason or None for a document, why)
    ('{"text": "The council voted 9-4.", "title": "Budget"', "invalid_json", "cut-off JSON"),
    ("{'text': 'single quotes'}", "invalid_json", "Python repr, not JSON"),
    ('["The council voted 9-4."]', "invalid_record", "a list, not an object"),
    ('"The council voted 9-4."', "invalid_record", "a bare string"),
    ("42", "invalid_record", "a number"),
    ('{"title": "Budget vote", "url": "https://x.example/a"}', "missing_text", "no text or html"),
    ('{"text": "   ", "html": ""}', "missing_text", "text is blank"),
    ('{"text": 42}', "missing_text", "text is not a string"),
    ('{"text": "The council voted 9-4."}', None, "text only is enough"),
    ('{"html": "<p>The council voted 9-4.</p>", "text": null}', None, "html only is enough"),
]


@pytest.mark.parametrize("line, reason, why", JSONL_LINE_CASES, ids=[c[2] for c in JSONL_LINE_CASES])
def test_jsonl_lines(line, reason, why, settings):
    result = only(ingest("feed.jsonl", line.encode(), settings.ingest))
    if reason is None:
        assert isinstance(result, Document), why
    else:
        assert isinstance(result, Reject), why
        assert (result.reason, result.source_path) == (reason, "feed.jsonl#1"), why


def test_jsonl_blank_lines_are_skipped_and_line_numbers_are_one_based(settings):
    content = jsonl(
        {"text": "First story about the council budget."},
        "",
        "   ",
        "{not json",
        {"text": "Second story about library hours."},
        "",
    )
    results = ingest("feed.jsonl", content, settings.ingest)
    assert [(type(r).__name__, r.source_path) for r in results] == [
        ("Document", "feed.jsonl#1"),
        ("Reject", "feed.jsonl#4"),
        ("Document", "feed.jsonl#5"),
    ]


def test_gzipped_jsonl_with_bom_and_crlf(settings):
    content = codecs.BOM_UTF8 + b'{"text": "One."}\r\n{"text": "Two."}\r\n'
    results = ingest("feed.jsonl.gz", gzip.compress(content), settings.ingest)
    assert [r.raw for r in results] == [b"One.", b"Two."]
    assert [r.source_path for r in results] == ["feed.jsonl.gz#1", "feed.jsonl.gz#2"]


# --- hostile records: each a reject of its own, the file goes on -------------------------

HOSTILE_RECORD_CASES = [
    # (line, expected (reason, detail), why)
    ('{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}",
     ("invalid_json", "nested too deep to parse"), "nested 100k deep: RecursionError in the parser"),
    ("[" * 100_000, ("invalid_json", "nested too deep to parse"), "100k unclosed brackets"),
    ('{"id": ' + "7" * 5000 + ', "text": "The council voted."}',
     ("invalid_json", "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits"),
     "an integer of 5,000 digits"),
    ('{"id": "\\ud800", "text": "The council voted."}',
     ("invalid_record", "its id holds a lone surrogate (U+D800)"), "a lone surrogate in the id"),
    ('{"title": "Budget \\udfff vote", "text": "The council voted."}',
     ("invalid_record", "its title holds a lone surrogate (U+DFFF)"), "a lone surrogate in the title"),
    ('{"url": "https://x.example/\\ud83d", "text": "The council voted."}',
     ("invalid_record", "its url holds a lone surrogate (U+D83D)"), "half of a surrogate pair in the url"),
]


@pytest.mark.parametrize("line, expected, why", HOSTILE_RECORD_CASES, ids=[c[2] for c in HOSTILE_RECORD_CASES])
def test_a_hostile_record_is_a_reject_and_the_next_one_is_read(line, expected, why, settings):
    content = line.encode() + b"\n" + json.dumps({"text": "The library reopens on Monday."}).encode()
    bad, good = ingest("feed.jsonl", content, settings.ingest)
    assert isinstance(bad, Reject), why
    assert (bad.source_path, bad.reason, bad.detail) == ("feed.jsonl#1", *expected), why
    assert isinstance(good, Document) and good.source_path == "feed.jsonl#2"


def test_a_hostile_json_file_is_a_reject(settings):
    reject = only(ingest("dump.json", b"[" * 100_000 + b"]" * 100_000, settings.ingest))
    assert (reject.source_path, reject.reason, reject.detail) == ("dump.json", "invalid_json", "nested too deep to parse")


def test_a_surrogate_pair_written_as_escapes_is_one_character(settings):
    doc = only(ingest("feed.jsonl", b'{"title": "Rocket \\ud83d\\ude80 launch", "text": "Liftoff."}', settings.ingest))
    assert isinstance(doc, Document) and doc.title == "Rocket \U0001f680 launch"


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\u0085"])
def test_jsonl_lines_end_at_newline_only(separator, settings):
    """Unicode line separators inside a record are part of it, as JSON Lines says;
    str.splitlines() would cut the record in two."""
    text = f"First sentence.{separator}Second sentence."
    content = (json.dumps({"text": text}, ensure_ascii=False) + "\n" + json.dumps({"text": "Next."})).encode()
    first, second = ingest("feed.jsonl", content, settings.ingest)
    assert isinstance(first, Document) and first.raw.decode() == text
    assert (first.source_path, second.source_path) == ("feed.jsonl#1", "feed.jsonl#2"), "line numbers do not shift"


def test_a_line_over_the_limit_is_a_reject_of_its_own(settings):
    small = dataclasses.replace(settings.ingest, max_line_bytes=100)
    content = jsonl({"text": "x" * 200}, {"text": "Short story."})
    long, short = ingest("feed.jsonl", content, small)
    assert (long.source_path, long.reason, long.detail) == ("feed.jsonl#1", "line_too_long", "a line of more than 100 bytes")
    assert isinstance(short, Document)
    text = only(ingest("wire.txt", b"Headline\n" + b"y" * 101, small))
    assert (text.reason, text.detail) == ("line_too_long", "a line of more than 100 bytes")
    assert isinstance(only(ingest("page.html", b"<p>" + b"z" * 200 + b"</p>", small)), Document), \
        "minified pages are one line: HTML is bounded by its size and depth"


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le")])
def test_utf32_with_bom_is_text_not_binary(bom, codec, settings):
    doc = only(ingest("story.txt", bom + STORY.encode(codec), settings.ingest))
    assert isinstance(doc, Document), "its NUL bytes are text"


# --- article ids -------------------------------------------------------------------------


def test_article_id_is_stable_for_the_same_input(settings):
    first = only(ingest("2023/06/council-budget.txt", STORY.encode(), settings.ingest))
    again = only(ingest("2023/06/council-budget.txt", STORY.encode(), settings.ingest))
    assert first.article_id == again.article_id
    assert len(first.article_id) == 16 and int(first.article_id, 16) >= 0


ID_DIFFERENCE_CASES = [
    # (path, content, why it must get another id than the reference article)
    ("2023/06/council-budget.txt", STORY.replace("9-4", "8-5").encode() + b" Updated.", "content changed"),
    ("2023/06/council-budget.txt", STORY.encode() + b"\n", "one byte more"),
    ("2023/07/council-budget.txt", STORY.encode(), "same bytes, another file"),
]


@pytest.mark.parametrize("path, content, why", ID_DIFFERENCE_CASES, ids=[c[2] for c in ID_DIFFERENCE_CASES])
def test_article_id_changes_with_content_or_source(path, content, why, settings):
    reference = only(ingest("2023/06/council-budget.txt", STORY.encode(), settings.ingest))
    other = only(ingest(path, content, settings.ingest))
    assert other.article_id != reference.article_id, why


def test_jsonl_ids_come_from_the_record_id_and_survive_reordering(settings):
    a = {"id": "rh-01", "text": "Council approves budget."}
    b = {"id": "rh-02", "text": "Library hours restored."}
    forward = {d.raw: d.article_id for d in ingest("feed.jsonl", jsonl(a, b), settings.ingest)}
    backward = {d.raw: d.article_id for d in ingest("feed.jsonl", jsonl(b, a), settings.ingest)}
    assert forward == backward, "an article keeps its id when the feed lists it elsewhere"
    assert len(set(forward.values())) == 2


def test_jsonl_lines_without_id_get_distinct_ids(settings):
    docs = ingest("feed.jsonl", jsonl({"text": "Same words."}, {"text": "Same words."}), settings.ingest)
    assert docs[0].article_id != docs[1].article_id, "two lines are two articles"


def test_ingest_shard_keeps_documents_and_rejects_in_input_order(settings):
    inputs = [
        RawInput("a.txt", STORY.encode()),
        RawInput("b.png", PNG_HEADER),
        RawInput("c.jsonl", jsonl({"text": "One."}, "{bad", {"text": "Two."})),
        RawInput("d.txt", b""),
    ]
    shard = ingest_shard(inputs, 7, settings.ingest)
    assert shard.shard_id == 7
    assert [d.source_path for d in shard.documents] == ["a.txt", "c.jsonl#1", "c.jsonl#3"]
    assert [(r.source_path, r.reason) for r in shard.rejects] == [
        ("b.png", "unsupported_type"),
        ("c.jsonl#2", "invalid_json"),
        ("d.txt", "empty"),
    ]
    assert shard.paragraphs == ()


def test_a_repeated_jsonl_record_is_a_duplicate_record_reject(settings):
    import json

    from newsclean.stages.ingest import ingest_shard
    from newsclean.stages.records import RawInput

    record = json.dumps({"id": "wire-1", "text": "Council votes on the budget tonight."})
    other = json.dumps({"id": "wire-2", "text": "Library hours are extended."})
    feed = RawInput("feed.jsonl", f"{record}\n{other}\n".encode())
    backup = RawInput("backup/feed.jsonl", f"{record}\n".encode())
    shard = ingest_shard([feed, backup], 0, settings.ingest)
    assert [d.source_path for d in shard.documents] == ["feed.jsonl#1", "feed.jsonl#2"]
    assert [(r.source_path, r.reason, r.detail) for r in shard.rejects] == [
        ("backup/feed.jsonl#1", "duplicate_record", "same record as feed.jsonl#1")
    ]


# --- JSON records: field names and .json files ---------------------------------------


def test_records_are_read_under_the_field_names_scrapers_use(settings):
    record = {"_id": 4711, "headline": "Council approves budget", "link": "https://herald.example/budget",
              "datePublished": "2023-06-14T09:00:00Z", "content": STORY}
    doc = only(ingest("crawl.jsonl", json.dumps(record).encode(), settings.ingest))
    assert isinstance(doc, Document)
    assert (doc.kind, doc.raw.decode()) == ("text", STORY)
    assert (doc.title, doc.url, doc.published_hint) == (
        "Council approves budget", "https://herald.example/budget", "2023-06-14T09:00:00Z")
    same_id = only(ingest("other.jsonl", json.dumps(record).encode(), settings.ingest))
    assert same_id.article_id == doc.article_id, "the numeric _id is the record's id, whatever the file"


def test_a_records_page_is_preferred_to_its_text_and_blank_fields_are_skipped(settings):
    record = {"id": "p1", "text": "   ", "body": STORY, "raw_html": PAGE}
    doc = only(ingest("pages.jsonl", json.dumps(record).encode(), settings.ingest))
    assert (doc.kind, doc.raw.decode()) == ("html", PAGE)
    no_page = only(ingest("pages.jsonl", json.dumps({"text": "", "body": STORY}).encode(), settings.ingest))
    assert (no_page.kind, no_page.raw.decode()) == ("text", STORY)


def test_the_field_lists_come_from_the_config(settings):
    ingest_settings = dataclasses.replace(settings.ingest, text_fields=("story",), html_fields=())
    lines = [json.dumps({"story": STORY}), json.dumps({"text": STORY})]
    first, second = ingest("feed.jsonl", "\n".join(lines).encode(), ingest_settings)
    assert isinstance(first, Document) and first.raw.decode() == STORY
    assert (second.source_path, second.reason) == ("feed.jsonl#2", "missing_text")
    assert "`story`" in second.detail and "`text`" not in second.detail


def test_a_json_array_file_is_one_document_per_record(settings):
    records = [{"id": "a", "text": STORY}, "not an object", {"id": "b", "html": PAGE}, {"id": "c"}]
    results = ingest("export.json", json.dumps(records, indent=2).encode(), settings.ingest)
    assert [(r.source_path, type(r).__name__, r.kind if isinstance(r, Document) else r.reason)
            for r in results] == [
        ("export.json#1", "Document", "text"),
        ("export.json#2", "Reject", "invalid_record"),
        ("export.json#3", "Document", "html"),
        ("export.json#4", "Reject", "missing_text"),
    ]
    single = only(ingest("one.json.gz", gzip.compress(json.dumps({"text": STORY}).encode()), settings.ingest))
    assert (single.source_path, single.raw.decode()) == ("one.json.gz#1", STORY)


@pytest.mark.parametrize("content, reason", [
    (b'[{"text": "cut off', "invalid_json"),
    (b"[]", "empty"),
], ids=["truncated JSON", "an empty array"])
def test_a_json_file_that_holds_no_record_is_a_reject(content, reason, settings):
    reject = only(ingest("export.json", content, settings.ingest))
    assert (reject.source_path, reject.reason) == ("export.json", reason)
