"""Segment: an article's text becomes paragraphs with offsets into that text."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from newsclean.stages.ingest import make_document
from newsclean.stages.records import Shard
from newsclean.stages.segment import paragraph_spans, segment_shard, wrap_width
from tests.stages.council_story import PARAGRAPHS as STORY
from tests.stages.council_story import TITLE

PARAGRAPHS = [*STORY, "The budget takes effect on July 1."]
ARTICLE = [TITLE, *PARAGRAPHS]


def segment(text: str, settings) -> list[str]:
    return [text[start:end] for start, end in paragraph_spans(text, settings.segment)]


def wrapped(paragraphs: list[str], separator: str) -> str:
    return separator.join(textwrap.fill(p, 70) for p in paragraphs)


LAYOUT_CASES = [
    # (text, expected paragraphs, why)
    ("\n\n".join(ARTICLE), ARTICLE, "blank line between paragraphs"),
    ("\n".join(ARTICLE), ARTICLE, "one paragraph per line, no blank lines"),
    (TITLE + "\n" + PARAGRAPHS[0] + "\n\n\n" + "\n".join(PARAGRAPHS[1:3]) + "\n\n" + "\n".join(PARAGRAPHS[3:]),
     ARTICLE, "mixed single and multiple newlines"),
    ("\r\n".join(ARTICLE), ARTICLE, "CRLF left over: the CR is trimmed off each paragraph"),
    ("\n\n  " + "  \n \t \n".join(ARTICLE) + " \n\n\n", ARTICLE,
     "leading/trailing white space and blank-looking lines"),
    (TITLE + "\n\n" + wrapped(PARAGRAPHS, "\n\n"), [TITLE] + PARAGRAPHS,
     "hard-wrapped at 70 columns with blank lines between paragraphs"),
    ("", [], "no text, no paragraphs"),
    (" \n\n \t\n", [], "white space only"),
]


@pytest.mark.parametrize("text, expected, why", LAYOUT_CASES, ids=[c[2] for c in LAYOUT_CASES])
def test_paragraph_layouts(text, expected, why, settings):
    found = segment(text, settings)
    assert [" ".join(p.split()) for p in found] == expected, why
    for paragraph in found:
        assert paragraph == paragraph.strip(), "white space is trimmed off both ends"


def test_hard_wrapped_paragraph_keeps_its_line_breaks_inside_its_span(settings):
    text = wrapped(PARAGRAPHS, "\n\n")
    first = segment(text, settings)[0]
    assert first == textwrap.fill(PARAGRAPHS[0], 70), "a span of the original text, newlines and all"


WIRE_PARAGRAPHS = [
    "The Riverside city council approved a $4.2 billion budget on Tuesday night, ending weeks of talks.",
    "The plan passed 9-4 shortly before midnight after a long debate over police overtime.",
    "Council president Denise Carter said every library branch would stay open six days a week.",
    "Critics said the plan relies on optimistic sales tax projections.",
    "The budget takes effect on July 1, and the first review is due in October.",
    "Council member Luis Ortega voted against the plan, saying overtime needed stricter limits.",
]


def test_hard_wrapped_wire_story_with_short_paragraphs(settings):
    text = wrapped(WIRE_PARAGRAPHS, "\n\n")
    assert [" ".join(p.split()) for p in segment(text, settings)] == WIRE_PARAGRAPHS


SHORT_LINE_CASES = [
    # (lines, why)
    pytest.param(
        ["Police: $610 million", "Libraries: $48 million", "Parks: $95 million", "Transit: $212 million",
         "Fire: $330 million", "Housing: $120 million", "Streets: $88 million", "Debt service: $400 million"],
        "a budget table of short lines",
        id="budget-table",
    ),
    pytest.param(
        ["Premier League results", "Arsenal 2 Chelsea 1", "Liverpool 3 Everton 0", "Brighton 1 Fulham 1",
         "Newcastle 4 Burnley 2", "Wolves 0 Brentford 2", "Spurs 2 West Ham 2", "Luton 1 Sheffield Utd 3",
         "Bournemouth 2 Palace 0", "Villa 3 Forest 1"],
        "a football results brief",
        id="results-list",
    ),
    pytest.param(
        ["Premier League results on Saturday:", "Arsenal 2 Chelsea 1", "Liverpool 3 Everton 0",
         "Brighton 1 Fulham 1", "Newcastle 4 Burnley 2", "Wolves 0 Brentford 2", "Spurs 2 West Ham 2",
         "Luton 1 Sheffield Utd 3", "Bournemouth 2 Palace 0", "Villa 3 Forest 1"],
        "the same list under a longer heading",
        id="results-list-long-heading",
    ),
]


@pytest.mark.parametrize("lines, why", SHORT_LINE_CASES)
def test_lists_of_short_lines_are_not_joined(lines, why, settings):
    text = "\n".join(lines)
    assert segment(text, settings) == lines, why


def test_prose_with_a_paragraph_per_line_is_not_taken_for_hard_wrapped(settings):
    text = "\n".join(ARTICLE + ARTICLE)
    spans = paragraph_spans(text, settings.segment)
    assert wrap_width(text, spans, settings.segment) is None
    assert len(spans) == 2 * len(ARTICLE)


@pytest.mark.parametrize("separator", ["\n\n", "\n", "\r\n\r\n"], ids=["blank", "single", "crlf"])
def test_offsets_point_at_the_paragraph_text(separator, settings):
    text = "  " + separator.join(ARTICLE) + "\n"
    doc = dataclasses.replace(make_document("a.txt", "text", text.encode()), raw=None, text=text)
    shard = segment_shard(Shard(0, (doc,)), settings.segment)
    assert [p.position for p in shard.paragraphs] == list(range(len(ARTICLE)))
    assert [p.text for p in shard.paragraphs] == ARTICLE
    for p in shard.paragraphs:
        assert text[p.char_start : p.char_end] == p.text
        assert p.article_id == doc.article_id
        assert p.label is None and p.reason is None, "labels come later, from classify"


def test_offsets_of_hard_wrapped_paragraphs(settings):
    text = TITLE + "\n\n" + wrapped(PARAGRAPHS, "\n\n") + "\n"
    spans = paragraph_spans(text, settings.segment)
    assert [" ".join(text[a:b].split()) for a, b in spans] == [TITLE] + PARAGRAPHS
    assert all(text[a:b] == text[a:b].strip() for a, b in spans)
    assert text[spans[-1][1]:] == "\n"
