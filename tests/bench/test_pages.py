"""Per-page figures (bench/pages.py): page F1, kept share of the true text, catastrophes."""

import doctest

import pytest

import pages

TRUTH = "the ferry left the harbour at dawn and reached the island by noon"  # 13 words, 10 4-grams


def test_doctests_pass():
    assert doctest.testmod(pages).failed == 0


@pytest.mark.parametrize(
    "input_text, output_text, share, why",
    [
        (TRUTH, TRUTH, 1.0, "kept all of it"),
        (TRUTH + " subscribe now to our newsletter", TRUTH, 1.0, "junk removed, true text kept"),
        (TRUTH, "the ferry left the harbour at dawn", 0.4, "4 of the 10 true 4-grams kept"),
        ("the ferry left the harbour at dawn", "the ferry left the harbour at dawn", 1.0,
         "the input held only part of the truth: share of what it held, not of the truth"),
        ("the ferry left the harbour at dawn", "", 0.0, "all of what the input held lost"),
        ("menu home sport weather", "", None, "the input held no true text: nothing to lose"),
        (None, "the ferry left the harbour at dawn", 0.4, "raw page: the input holds the whole truth"),
    ],
)
def test_kept_share(input_text, output_text, share, why):
    assert pages.kept_share(TRUTH, input_text, output_text) == share, why


def test_kept_share_counts_repeats_as_a_bag():
    truth = "one two three four one two three four"  # 5 4-grams, ("one","two","three","four") twice
    assert pages.kept_share(truth, truth, "one two three four") == 0.2
    # the input held the repeated 4-gram once: keeping it once keeps all the input held of it
    assert pages.kept_share(truth, "one two three four", "one two three four") == 1.0


@pytest.mark.parametrize(
    "share, catastrophe",
    [(0.69, True), (0.70, False), (0.0, True), (None, False)],
)
def test_a_catastrophe_keeps_under_70_percent(share, catastrophe):
    assert pages.PageFigures("p", 1.0, 0.5, share).is_catastrophe is catastrophe


def test_score_page_of_a_text_input_and_of_a_raw_page():
    text = pages.score_page("p", TRUTH, TRUTH + " share this story on social media", "")
    assert (text.output_f1, text.kept_share, text.is_catastrophe) == (0.0, 0.0, True)
    assert 0 < text.input_f1 < 1
    raw = pages.score_page("p", TRUTH, None, TRUTH)
    assert (raw.input_f1, raw.output_f1, raw.f1_loss) == (None, 1.0, 1.0)


def test_find_catastrophes_least_kept_first():
    figures = [
        pages.PageFigures("a", 1.0, 0.6, 0.5),
        pages.PageFigures("b", 1.0, 0.9, 0.9),
        pages.PageFigures("c", 1.0, 0.2, 0.1),
    ]
    assert [page.page_id for page in pages.find_catastrophes(figures)] == ["c", "a"]


def test_find_worst_ranks_by_f1_loss_and_keeps_ten():
    figures = [pages.PageFigures(f"p{i:02d}", 1.0, 1.0 - i / 100, 1.0) for i in range(15)]
    worst = pages.find_worst(figures)
    assert len(worst) == pages.WORST_PAGES
    assert [page.page_id for page in worst[:2]] == ["p14", "p13"]
    assert "p00" not in [page.page_id for page in worst], "no loss, not listed"


def test_find_worst_of_raw_pages_lists_the_lowest_output_f1():
    figures = [pages.PageFigures("a", None, 0.9, 0.9), pages.PageFigures("b", None, 0.4, 0.3)]
    assert [page.page_id for page in pages.find_worst(figures)] == ["b", "a"]


def test_a_stub_input_holding_almost_no_true_text_is_never_a_catastrophe():
    truth = " ".join(f"word{i}" for i in range(200))
    stub = "Headline of the story by word0 word1 word2 word3 word4"  # two true 4-grams
    figures = pages.score_page("p", truth, stub, "Headline of the story")
    assert figures.kept_share is None and not figures.is_catastrophe
    held = " ".join(f"word{i}" for i in range(40))  # 37 true 4-grams, all lost
    assert pages.score_page("p", truth, held, "").is_catastrophe
