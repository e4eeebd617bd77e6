"""Fuzzing ingest and decode: random bytes, names and JSON never raise, and every input
ends as documents or rejects with a known reason, all of it writable (UTF-8) text."""

from __future__ import annotations

import json
import os
import re

from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from flows.io import escape_name
from flows.stages.decode import decode_document
from flows.stages.ingest import KIND_BY_SUFFIX, ingest_file
from flows.stages.limits import longest_line, markup_depth
from flows.stages.records import Document, RawInput, Reject

# No deadline: CI is loaded, and these test outcomes, not speed.
FUZZ = hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
INGEST_REASONS = {
    "unsupported_type", "too_large", "corrupt_gzip", "empty", "binary", "invalid_json",
    "invalid_record", "missing_text", "line_too_long",
}
DECODE_REASONS = {"undecodable", "empty", "too_deep"}
SUFFIXES = [*KIND_BY_SUFFIX, *(s + ".gz" for s in KIND_BY_SUFFIX), "", ".pdf", ".gz"]
SNAKE_CASE = re.compile(r"[a-z]+(_[a-z]+)*")

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
    from flows.stages.ingest import make_document

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
