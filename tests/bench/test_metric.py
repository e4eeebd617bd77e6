"""Hand-computed cases for the benchmark's scoring protocol (bench/metric.py)."""

import doctest
from collections import Counter
from pathlib import Path

import pytest

import metric

BENCHMARK = Path(__file__).resolve().parents[2].parent / "shared" / "benchmark"


def test_doctests_pass():
    assert doctest.testmod(metric).failed == 0


@pytest.mark.parametrize(
    "text, words, why",
    [
        ("Don't stop—2024!", ["Don", "t", "stop", "2024"], "apostrophe and dash split words"),
        ("snake_case naïve", ["snake_case", "naïve"], "underscore and accents are word characters"),
        ("Mixed CASE", ["Mixed", "CASE"], "case is kept"),
        (None, [], "missing text has no words"),
    ],
)
def test_tokenize(text, words, why):
    assert metric.tokenize(text) == words, why


@pytest.mark.parametrize(
    "text, expected, why",
    [
        ("a b c d e", {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}, "sliding window"),
        ("x x x x x", {("x", "x", "x", "x"): 2}, "repeats are counted, it is a bag"),
        ("a b", {("a", "b"): 1}, "under four words: one short shingle"),
        ("", {}, "no words: no shingle"),
    ],
)
def test_shingles(text, expected, why):
    assert metric.shingles(text) == Counter(expected), why


@pytest.mark.parametrize(
    "true, pred, counts, why",
    [
        ("a b c d e", "a b c d", (0.5, 0.0, 0.5), "tp 1, fn 1"),
        ("a b c d e", "a b c d x", (1 / 3, 1 / 3, 1 / 3), "tp 1, fp 1, fn 1"),
        ("x x x x x", "x x x x", (0.5, 0.0, 0.5), "bag: one of two repeats found"),
        ("a b c d", "A b c d", (0.0, 0.5, 0.5), "case differs: no match"),
        ("a b c d", "", (0.0, 0.0, 1.0), "nothing predicted"),
        ("", "a b c d", (0.0, 1.0, 0.0), "nothing true"),
        ("", "", (0.0, 0.0, 0.0), "both empty: not normalised"),
        ("Hello world", "Hello", (0.0, 0.5, 0.5), "short shingles must match whole"),
    ],
)
def test_count_overlap(true, pred, counts, why):
    got = metric.count_overlap(true, pred)
    assert (got.tp, got.fp, got.fn) == pytest.approx(counts), why


@pytest.mark.parametrize(
    "counts, precision, recall",
    [
        ((0.5, 0.0, 0.5), 1.0, 0.5),
        ((1 / 3, 1 / 3, 1 / 3), 0.5, 0.5),
        ((0.0, 0.0, 1.0), 0.0, 0.0),
        ((0.0, 1.0, 0.0), 0.0, 0.0),
        ((1.0, 0.0, 0.0), 1.0, 1.0),
    ],
)
def test_page_precision_and_recall(counts, precision, recall):
    page = metric.PageCounts(*counts)
    assert metric.page_precision(page) == pytest.approx(precision)
    assert metric.page_recall(page) == pytest.approx(recall)


def test_summarize_leaves_unpredicted_pages_out_of_precision_only():
    pages = [
        metric.PageCounts(0.5, 0.0, 0.5),  # P 1.0, R 0.5
        metric.PageCounts(1 / 3, 1 / 3, 1 / 3),  # P 0.5, R 0.5
        metric.PageCounts(0.0, 0.0, 1.0),  # nothing predicted: R 0, no P
    ]
    scores = metric.summarize(pages)
    assert scores.precision == pytest.approx(0.75)
    assert scores.recall == pytest.approx(1 / 3)
    # F1 of the two means (6/13), not the mean of page F1s ((2/3 + 1/2 + 0) / 3 = 7/18)
    assert scores.f1 == pytest.approx(6 / 13)
    assert (scores.n_pages, scores.n_predicted) == (3, 2)


def test_summarize_leaves_pages_without_truth_out_of_recall():
    scores = metric.summarize([metric.PageCounts(1.0, 0.0, 0.0), metric.PageCounts(0.0, 1.0, 0.0)])
    assert scores.precision == pytest.approx(0.5)
    assert scores.recall == pytest.approx(1.0)


def test_score_bodies_counts_a_missing_prediction_as_empty():
    truth = {"p1": "one two three four five", "p2": "six seven eight nine"}
    scores = metric.score_bodies(truth, {"p1": "one two three four five"})
    assert (scores.precision, scores.recall) == (1.0, 0.5)


def test_harmonic_f1_of_zero_scores_is_zero():
    assert metric.harmonic_f1(0.0, 0.0) == 0.0


# Figures the benchmark README gives for the extractor outputs on this development split.
README_FIGURES = {
    "trafilatura": (0.941, 0.982, 0.961),
    "goose3": (0.944, 0.883, None),
    "newspaper": (0.963, 0.942, None),
    "readability": (0.925, 0.952, None),
    "html-text": (0.514, 0.994, 0.677),
}


@pytest.mark.skipif(not BENCHMARK.is_dir(), reason=f"benchmark not found at {BENCHMARK}")
def test_reproduces_the_readme_figures_of_the_extractors():
    scores = metric.score_extractors(BENCHMARK, list(README_FIGURES))
    for name, (precision, recall, f1) in README_FIGURES.items():
        got = scores[name]
        assert round(got.precision, 3) == precision, name
        assert round(got.recall, 3) == recall, name
        if f1 is not None:
            assert round(got.f1, 3) == f1, name
