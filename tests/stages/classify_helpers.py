"""What the classify tests share: the council story, articles built around it, and the
check of a one-paragraph case (input paragraphs, the paragraph to look at, its expected
label and reason, and why)."""

from __future__ import annotations

import dataclasses

import pytest

from newsclean.stages.classify import classify_article
from newsclean.stages.ingest import make_document
from newsclean.stages.records import Paragraph
from newsclean.stages.segment import paragraph_spans
from tests.stages.council_story import PARAGRAPHS

B1, B2, B3, B4 = PARAGRAPHS
BODY = [B1, B2, B3, B4]

# A three-paragraph council story, and two paragraphs of other stories (teasers).
STORY = ["The council approved the budget nine votes to four after midnight on Tuesday.",
         "Members rejected a plan to move library money into the police overtime account.",
         "Carter said the budget keeps every library branch open six days a week."]
TEASERS = ["A teenager from the east side won the state spelling bee with a word about volcanoes.",
           "The zoo welcomed two red pandas that arrived from a breeding programme in Ohio."]


def with_body(*head: str, middle: tuple[str, ...] = (), tail: tuple[str, ...] = ()) -> list[str]:
    """An article: `head` paragraphs, the body with `middle` after its second paragraph, `tail`."""
    return [*head, B1, B2, *middle, B3, B4, *tail]


def classify(paragraphs: list[str], settings, title: str | None = None, published: str | None = None):
    """Run classify on an article made of these paragraphs; (document, labelled paragraphs, text)."""
    text = "\n\n".join(paragraphs)
    doc = dataclasses.replace(
        make_document("riverside/council.txt", "text", text.encode()),
        raw=None, text=text, title=title, published_hint=published,
    )
    spans = paragraph_spans(text, settings.segment)
    paras = [Paragraph(doc.article_id, i, text[a:b], a, b) for i, (a, b) in enumerate(spans)]
    assert [p.text for p in paras] == paragraphs, "the case's paragraphs segment as written"
    new_doc, labelled = classify_article(doc, paras, settings.classify, settings.offtopic, settings.language)
    return new_doc, labelled, text


def verdict_of(labelled: list[Paragraph], text: str) -> tuple[str, str]:
    found = [(p.label, p.reason) for p in labelled if p.text == text]
    assert len(found) == 1, f"expected one paragraph {text!r}, got {found}"
    return found[0]


def case_params(cases: list[dict]) -> list:
    """The cases as pytest parameters, named by their why."""
    return [pytest.param(c, id=c["why"]) for c in cases]


def check_case(case: dict, settings) -> None:
    """The case's paragraph gets the case's label and reason, and the story stays body."""
    _, labelled, _ = classify(case["paragraphs"], settings)
    if case.get("check") is not None:
        verdict = verdict_of(labelled, case["check"])
    else:
        wanted, nth = case["nth"]
        verdict = [(p.label, p.reason) for p in labelled if p.text == wanted][nth]
    assert verdict == (case["label"], case["reason"]), case["why"]
    body = [p.text for p in labelled if p.label == "body"]
    assert set(BODY) <= set(body), "the story itself is never removed"
