"""The article-body benchmark's published scoring protocol, in plain Python.

Per page: word 4-gram shingles of the predicted and the true body (a word is a run of
``\\w`` characters, case kept), true positives / false positives / false negatives as
bag overlaps, normalised to sum 1 so long pages weigh no more than short ones.
Precision is averaged over pages with something predicted, recall over pages with a
non-empty truth, and F1 is computed from those two means.

Protocol details that matter for matching the published figures (from the benchmark's
``evaluate.py``): a text of fewer than four words yields one short shingle of all its
words; an empty text yields none; when both texts are empty the page counts as perfect
in both means. Run as a script to score extractor outputs against the ground truth::

    python bench/metric.py [--benchmark DIR] [NAME ...]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

SHINGLE_SIZE = 4
WORD_RE = re.compile(r"\w+")
DEFAULT_BENCHMARK = Path(__file__).resolve().parents[1].parent / "shared" / "benchmark"

Shingle = tuple[str, ...]


@dataclass(frozen=True)
class PageCounts:
    """Normalised shingle overlap of one page: tp + fp + fn == 1 unless all are 0."""

    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class Scores:
    """Page-averaged precision and recall, F1 from the two means, and the page counts."""

    precision: float
    recall: float
    f1: float
    n_pages: int
    n_predicted: int

    def as_dict(self) -> dict[str, float | int]:
        """Return the scores as a plain dict, floats rounded to 4 decimals for JSON."""
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "n_pages": self.n_pages,
            "n_predicted": self.n_predicted,
        }


def tokenize(text: str | None) -> list[str]:
    """Split text into words, runs of ``\\w`` characters, case kept.

    >>> tokenize("Don't stop, 2024!")
    ['Don', 't', 'stop', '2024']
    """
    return WORD_RE.findall(text or "")


def shingles(text: str | None, size: int = SHINGLE_SIZE) -> Counter[Shingle]:
    """Count the word shingles of a text; under ``size`` words gives one short shingle.

    >>> sorted(shingles("a b c d e", 4).values())
    [1, 1]
    >>> list(shingles("a b", 4))
    [('a', 'b')]
    >>> shingles("")
    Counter()
    """
    words = tokenize(text)
    if not words:
        return Counter()
    n_shingles = max(1, len(words) - size + 1)
    return Counter(tuple(words[i : i + size]) for i in range(n_shingles))


def count_overlap(true: str | None, pred: str | None) -> PageCounts:
    """Compare one page's predicted body to its true body as normalised bag overlaps."""
    true_bag = shingles(true)
    pred_bag = shingles(pred)
    tp = sum((true_bag & pred_bag).values())
    fp = sum((pred_bag - true_bag).values())
    fn = sum((true_bag - pred_bag).values())
    total = tp + fp + fn
    if total == 0:
        return PageCounts(0.0, 0.0, 0.0)
    return PageCounts(tp / total, fp / total, fn / total)


def page_precision(counts: PageCounts) -> float:
    """Precision of one page; a page with nothing wrong and nothing missed scores 1."""
    if counts.fp == counts.fn == 0:
        return 1.0
    if counts.tp == counts.fp == 0:
        return 0.0
    return counts.tp / (counts.tp + counts.fp)


def page_recall(counts: PageCounts) -> float:
    """Recall of one page; a page with nothing wrong and nothing missed scores 1."""
    if counts.fp == counts.fn == 0:
        return 1.0
    if counts.tp == counts.fn == 0:
        return 0.0
    return counts.tp / (counts.tp + counts.fn)


def mean(values: list[float]) -> float:
    """Arithmetic mean; 0.0 for no values (so an empty subset scores 0, not a crash)."""
    return sum(values) / len(values) if values else 0.0


def harmonic_f1(precision: float, recall: float) -> float:
    """F1 from a precision and a recall; 0.0 when both are 0."""
    if precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def summarize(pages: Iterable[PageCounts]) -> Scores:
    """Average precision over predicted pages and recall over pages with a truth."""
    pages = list(pages)
    predicted = [p for p in pages if p.tp + p.fp > 0]
    with_truth = [p for p in pages if p.tp + p.fn > 0]
    precision = mean([page_precision(p) for p in predicted])
    recall = mean([page_recall(p) for p in with_truth])
    return Scores(precision, recall, harmonic_f1(precision, recall), len(pages), len(predicted))


def score_bodies(truth: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """Score predicted bodies against true bodies; ids missing from ``predicted`` are empty."""
    return summarize(count_overlap(truth[key], predicted.get(key, "")) for key in truth)


def load_bodies(path: Path) -> dict[str, str]:
    """Read a benchmark JSON file ``{id: {"articleBody": str}}`` into ``{id: body}``."""
    with path.open(encoding="utf-8") as handle:
        records = json.load(handle)
    return {key: (record.get("articleBody") or "") for key, record in records.items()}


def score_extractors(benchmark: Path, names: list[str]) -> dict[str, Scores]:
    """Score each named extractor output of the benchmark against its ground truth."""
    truth = load_bodies(benchmark / "ground-truth.json")
    return {
        name: score_bodies(truth, load_bodies(benchmark / "extractors" / f"{name}.json"))
        for name in names
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line of the extractor scoring script."""
    parser = argparse.ArgumentParser(
        description="Score benchmark extractor outputs (extractors/<name>.json) against "
        "ground-truth.json with the benchmark's shingle protocol.",
    )
    parser.add_argument(
        "names",
        nargs="*",
        help="extractor names (default: every extractors/*.json)",
    )
    parser.add_argument(
        "--benchmark",
        type=Path,
        default=DEFAULT_BENCHMARK,
        help=f"benchmark folder (default: {DEFAULT_BENCHMARK})",
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Print precision, recall and F1 of each extractor output."""
    args = parse_args(argv)
    names = args.names or sorted(p.stem for p in (args.benchmark / "extractors").glob("*.json"))
    print(f"{'extractor':<14} {'P':>6} {'R':>6} {'F1':>6} {'pages':>6}")
    for name, scores in score_extractors(args.benchmark, names).items():
        print(
            f"{name:<14} {scores.precision:6.3f} {scores.recall:6.3f} "
            f"{scores.f1:6.3f} {scores.n_pages:6d}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
