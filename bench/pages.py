"""Per-page figures of a harness run: F1 before and after cleaning, and how much of the true
text the input held the clean text still keeps.

A page is a *catastrophe* when its clean text keeps less than 70% of the true text its
input held: true_in is the bag of true word 4-grams present in the input (input and truth
as a multiset intersection), true_out the same for the output, and the kept share is
|true_out| / |true_in|. A page whose input held (almost) no true text cannot lose an
article: when it held fewer than MIN_HELD_SHINGLES true 4-grams (an extractor's stub of a
headline and a byline) it has no kept share and is never a catastrophe; the report counts
such stubs apart. For raw HTML the input is the whole page, which
holds all of the truth: the kept share is the output's recall. Pure functions over text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Iterable

import metric

KEPT_SHARE_FLOOR = 0.70  # keeping less than this of the true text the input held is a catastrophe
MIN_HELD_SHINGLES = 3  # fewer true 4-grams than this (six true words in a row) is no article to lose
WORST_PAGES = 10  # pages listed per kind as the largest F1 losses


@dataclass(frozen=True)
class PageFigures:
    """One page of one input kind, scored against one truth (raw or contract)."""

    page_id: str
    input_f1: float | None  # None when the input is a raw page, not text
    output_f1: float
    kept_share: float | None  # None when the input held no article (a stub: < MIN_HELD_SHINGLES)

    @property
    def f1_loss(self) -> float:
        """Output F1 minus input F1 (or minus 0 for a raw page): negative when cleaning hurt.

        >>> PageFigures("p", 0.9, 0.6, 1.0).f1_loss
        -0.3
        """
        return round(self.output_f1 - (self.input_f1 or 0.0), 4)

    @property
    def is_catastrophe(self) -> bool:
        """Tell whether the clean text kept less than 70% of the true text the input held.

        >>> PageFigures("p", 0.9, 0.5, 0.69).is_catastrophe, PageFigures("p", 0.0, 0.0, None).is_catastrophe
        (True, False)
        """
        return self.kept_share is not None and self.kept_share < KEPT_SHARE_FLOOR


def page_f1(truth: str, predicted: str) -> float:
    """F1 of one page's precision and recall under the benchmark's protocol; 0 when
    nothing was predicted of a non-empty truth.

    >>> page_f1("a b c d e", "a b c d"), page_f1("a b c d", "")
    (0.6667, 0.0)
    """
    counts = metric.count_overlap(truth, predicted)
    precision, recall = metric.page_precision(counts), metric.page_recall(counts)
    return round(metric.harmonic_f1(precision, recall), 4)


def true_shingles(truth: str, text: str) -> Counter[metric.Shingle]:
    """The true 4-grams a text holds, as a bag: each counted as often as both have it.

    >>> sum(true_shingles("a b c d e", "x a b c d").values())
    1
    """
    return metric.shingles(text) & metric.shingles(truth)


def kept_share(truth: str, input_text: str | None, output_text: str, min_held: int = 1) -> float | None:
    """|true 4-grams of the output| / |true 4-grams of the input|; the input of a raw page
    (None) holds the whole truth. None when the input held fewer than ``min_held`` (at least one).

    >>> kept_share("a b c d e f", "a b c d e f x", "a b c d")
    0.3333
    >>> kept_share("a b c d e", None, "a b c d e"), kept_share("a b c d", "x y z w", "")
    (1.0, None)
    >>> kept_share("a b c d e f g h i j k l m n", "a b c d x", "", min_held=10)  # a stub: one true 4-gram
    """
    held = metric.shingles(truth) if input_text is None else true_shingles(truth, input_text)
    n_held = sum(held.values())
    if n_held < max(1, min_held):
        return None
    return round(sum(true_shingles(truth, output_text).values()) / n_held, 4)


def score_page(page_id: str, truth: str, input_text: str | None, output_text: str) -> PageFigures:
    """Input F1, output F1 and kept share of one page."""
    input_f1 = None if input_text is None else page_f1(truth, input_text)
    output_f1 = page_f1(truth, output_text)
    return PageFigures(page_id, input_f1, output_f1, kept_share(truth, input_text, output_text, MIN_HELD_SHINGLES))


def find_catastrophes(pages: Iterable[PageFigures]) -> list[PageFigures]:
    """The pages that kept less than 70% of their true text, least kept first."""
    found = [page for page in pages if page.is_catastrophe]
    return sorted(found, key=lambda page: (page.kept_share, page.page_id))


def find_worst(pages: Iterable[PageFigures], n: int = WORST_PAGES) -> list[PageFigures]:
    """The ``n`` pages that cleaning hurt most, worst first: text inputs that lost F1, and
    raw pages by lowest output F1; ties by page id so the list is stable.

    >>> [p.page_id for p in find_worst([PageFigures("a", 0.9, 0.95, 1.0), PageFigures("b", 0.9, 0.7, 0.8)])]
    ['b']
    """
    hurt = [page for page in pages if page.input_f1 is None or page.f1_loss < 0]
    return sorted(hurt, key=lambda page: (page.f1_loss, page.page_id))[:n]
