"""Synthetic benchmark inputs (bench/synthetic.py) are repairable and deterministic."""

import doctest
import html

import pytest

import metric
import synthetic

BODIES = {
    "p1": "Lead of story one tells what happened today. Second sentence follows it.\n\nMore text here.",
    "p2": "Story two starts with a long opening sentence about the council vote. Then more.\n"
    "Its second paragraph has several words in it too.",
    "p3": "By Jane Doe\nStory three begins after a credit line with enough words to be a lead.",
    "p4": "Story four is short but still has five words or more.",
}

BYTE_OF_SLOPPY_CHAR = {char: byte for byte, char in enumerate(synthetic.SLOPPY_CP1252)}


def test_doctests_pass():
    assert doctest.testmod(synthetic).failed == 0


@pytest.mark.parametrize(
    "text",
    ["café – “quoted” naïve", "ÁÍÏÐÝ use the five bytes cp1252 leaves undefined", "日本語 and 🙂"],
)
def test_mojibake_reverses_to_the_original(text):
    mojibake = synthetic.make_mojibake(text)
    assert mojibake != text
    assert bytes(BYTE_OF_SLOPPY_CHAR[char] for char in mojibake).decode("utf-8") == text


@pytest.mark.parametrize("text", ['A & B <tag> "q" it\'s', "literal &amp; stays literal", "café ☃ 🙂"])
def test_entities_unescape_to_the_original(text):
    escaped = synthetic.escape_entities(text)
    assert escaped.isascii()
    assert html.unescape(escaped) == text


def test_cp1252_variant_is_offered_only_when_encodable():
    assert "cp1252" in synthetic.eligible_variants("naïve “quotes”")
    assert "cp1252" not in synthetic.eligible_variants("naïve ☃")
    assert synthetic.encode_variant("naïve “quotes”", "cp1252").decode("cp1252") == "naïve “quotes”"


def test_unknown_variant_is_refused():
    with pytest.raises(ValueError):
        synthetic.encode_variant("text", "latin-9")


def test_composed_article_is_deterministic_and_keeps_the_body():
    first = synthetic.compose_offtopic_article("p1", BODIES, seed=7)
    again = synthetic.compose_offtopic_article("p1", BODIES, seed=7)
    assert first == again
    assert first.body == tuple(synthetic.split_paragraphs(BODIES["p1"]))
    assert 1 <= len(first.appended) <= synthetic.MAX_APPENDED
    assert first.text.startswith(BODIES["p1"].split("\n")[0])


def test_appended_paragraphs_come_from_other_pages():
    other_words = " ".join(" ".join(metric.tokenize(BODIES[key])) for key in ("p2", "p3", "p4"))
    for seed in range(20):
        article = synthetic.compose_offtopic_article("p1", BODIES, seed=seed)
        for paragraph in article.appended:
            assert paragraph not in article.body
            assert " ".join(metric.tokenize(paragraph)) in other_words
            assert synthetic.count_words(paragraph) >= synthetic.MIN_TEASER_WORDS


def test_lead_paragraph_skips_a_credit_line():
    assert synthetic.pick_lead_paragraph(synthetic.split_paragraphs(BODIES["p3"])).startswith("Story three")
