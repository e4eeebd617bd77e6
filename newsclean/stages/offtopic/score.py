"""Off-topic scores: how unrelated one paragraph is to the head of its article.

The measures `newsclean.stages.offtopic.tail` weighs at each cut: word weights by
rarity (wordfreq's Zipf frequency, read from `newsclean.stages.frequency`'s compact tables) and their overlap with the head
(`HeadWords`: shared weight and cosine, against the head's own baseline), sentence vectors' similarity to the head
(`SemanticHead`), a switch of writing system (`dominant_script`), and teaser shape (cut
mid-sentence, a capitalised kicker); `paragraph_score` combines them into 0..1.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from statistics import median
from typing import NamedTuple

import numpy as np
from newsclean.settings import OfftopicSettings
from newsclean.stages.frequency import languages, zipf_frequency

_WORD = re.compile(r"\w+")
_TERMINAL = re.compile(r"[.!?\"”’»)\]]\s*$")
_ELLIPSIS = re.compile(r"(\.\.\.|…)\W{0,2}$")
_KICKER = re.compile(r"^[‘'\"“]?[A-Z][A-Z0-9 ,&'’-]{2,40}[’'\"”]?\s*[:|–—-]\s")
# Words weigh (ceiling - Zipf frequency), the ceiling being `rarity_ceiling` of the
# settings: at 7.5 "the" (7.7) weighs 0, "said" (6.3) 1.2, "Aleppo" (3.6) 3.9.
# wordfreq needs MeCab or jieba for these; their words would not split on spaces anyway.
_NEEDS_TOKENIZER = frozenset({"ja", "ko", "zh"})
STEM_LENGTH = 6  # crude, language-agnostic stemming: words compare on their first 6 letters


def dominant_script(text: str) -> str:
    """The writing system most letters of a text belong to, by Unicode name.

    >>> dominant_script("Hello world"), dominant_script("안녕하세요 세계"), dominant_script("Привет")
    ('LATIN', 'HANGUL', 'CYRILLIC')
    """
    counts: Counter[str] = Counter()
    # per distinct character, in order of first occurrence: the scripts' counts and their
    # order (which wins a tie) are those of a count character by character
    for char, count in Counter(text[:2000]).items():
        if char.isalpha():
            counts[_script_of(char)] += count
    return counts.most_common(1)[0][0] if counts else ""


@lru_cache(maxsize=4096)
def _script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA")):
        return "CJK"
    return name.split(" ", 1)[0]


def _switches_script(text: str, article_script: str, settings: OfftopicSettings) -> bool:
    """At least min_script_letters letters, nearly all (90%) in a script other than the article's."""
    if not article_script:
        return False
    letters = same = 0
    for char, count in Counter(text).items():  # per distinct character
        if char.isalpha():
            letters += count
            if _script_of(char) == article_script:
                same += count
    if letters < settings.min_script_letters:
        return False
    return same <= 0.1 * letters


class SemanticHead:
    """The head's summed sentence vector, grown a paragraph at a time as the cut moves on.

    Built from an article's unit sentence vectors (row 0 the title's, which always
    belongs to the head); it keeps their pairwise dot products and each vector's dot
    product with the head's sum, from which every cosine and norm below follows, so a
    cut costs a few sums over the article's rows and no vector arithmetic.
    """

    def __init__(self, vectors: np.ndarray) -> None:
        # einsum, not @: a matrix product this small is not worth BLAS's threads, whose
        # spinning after the call costs more CPU than the product itself.
        as64 = vectors.astype(np.float64)
        self.dots: list[list[float]] = np.einsum("ik,jk->ij", as64, as64).tolist()
        self.members: list[int] = []  # the head's paragraph rows (the title not counted)
        self.with_head: list[float] = list(self.dots[0])

    def add(self, row: int) -> None:
        self.members.append(row)
        for i, d in enumerate(self.dots[row]):
            self.with_head[i] += d

    def similarity(self, rows: Sequence[int], settings: OfftopicSettings) -> dict[int, float]:
        """Each of `rows`' cosine with the head's summed vector, relative to the head's own
        coherence: the median cosine of a head paragraph with the rest of the head
        (default_semantic_baseline for a head of fewer than two paragraphs, never below
        min_semantic_baseline). Negative cosines count as 0."""
        with_head = self.with_head
        total_sq = with_head[0] + sum(with_head[k] for k in self.members)
        if not rows or total_sq <= 1e-12:
            return {}
        baseline = settings.default_semantic_baseline
        if len(self.members) >= 2:
            own = [(with_head[k], self.dots[k][k]) for k in self.members]
            baseline = median(
                (dot - sq) / math.sqrt(rest) if (rest := total_sq - 2 * dot + sq) > 1e-12 else 0.0 for dot, sq in own
            )
        baseline = max(baseline, settings.min_semantic_baseline)
        if baseline <= 0:
            return {}
        norm = math.sqrt(total_sq)
        return {r: max(0.0, with_head[r] / norm) / baseline for r in rows}


class HeadWords:
    """An article's word weights as one matrix, and the head's measures at each cut.

    Row k holds paragraph k's word weights (`word_weights`) over the article's words;
    the head at a cut is paragraphs [0, cut): its summed weights (`mass`) and, per word,
    how many of its paragraphs use it, the title counting as one (`spread`). The cut only
    moves forward, so both grow by a row at a time, and every measure of a cut is a few
    array sums instead of a dictionary walk per paragraph.
    """

    def __init__(self, bags: Sequence[dict[str, float]], lead_words: Iterable[str]) -> None:
        columns: dict[str, int] = {}
        for bag in bags:
            for word in bag:
                columns.setdefault(word, len(columns))
        self.weights = np.zeros((len(bags), max(1, len(columns))), dtype=np.float64)
        for k, bag in enumerate(bags):
            if bag:
                self.weights[k, [columns[w] for w in bag]] = list(bag.values())
        self.used = self.weights > 0
        self.totals = self.weights.sum(axis=1)  # each paragraph's summed weight
        self.norms_sq = np.einsum("ij,ij->i", self.weights, self.weights)
        self.spread = np.zeros(self.weights.shape[1], dtype=np.int64)
        lead_columns = [columns[w] for w in set(lead_words) if w in columns]
        self.spread[lead_columns] = 1  # a title word in no paragraph cannot be shared
        self.mass = np.zeros(self.weights.shape[1], dtype=np.float64)
        self.cut = 0

    def move_to(self, cut: int) -> None:
        """Make the head paragraphs [0, cut) (cuts only move forward)."""
        if cut > self.cut:
            self.mass += self.weights[self.cut:cut].sum(axis=0)
            self.spread += self.used[self.cut:cut].sum(axis=0)
            self.cut = cut

    def measures(self, head: Sequence[int], tail: Sequence[int]) -> "CutMeasures":
        """The head's coherence over its judged paragraphs `head` and each `tail`
        paragraph's overlap and cosine with the head."""
        weights, totals, norms_sq = self.weights, self.totals, self.norms_sq
        # einsum, not @: BLAS's threads cost more than these small products.
        mass_sq = float(np.einsum("i,i->", self.mass, self.mass))
        dots = np.einsum("ij,j->i", weights, self.mass)
        head, tail = np.asarray(head, dtype=np.int64), np.asarray(tail, dtype=np.int64)
        baseline = cos_base = None
        if len(head) >= 2:
            shared = np.einsum("ij,j->i", weights[head], self.spread > 1)
            baseline = median(_shares(shared, totals[head]))
            cos_base = median(_coherence(dots[head], norms_sq[head], mass_sq))
        shared_tail = _shares(np.einsum("ij,j->i", weights[tail], self.spread > 0), totals[tail])
        norm = np.sqrt(norms_sq[tail] * mass_sq)
        cosines = [d / m if m else 0.0 for d, m in zip(dots[tail].tolist(), norm.tolist())]
        return CutMeasures(baseline, cos_base, dict(zip(tail.tolist(), shared_tail)), dict(zip(tail.tolist(), cosines)))


class CutMeasures(NamedTuple):
    """The head's measures at one cut: its coherence by overlap (`baseline`) and by
    cosine (`cos_base`; both None for a head of fewer than two judged paragraphs), and
    each tail paragraph's shared weight share and cosine with the head."""

    baseline: float | None
    cos_base: float | None
    shared: dict[int, float]
    cosine: dict[int, float]


def _shares(shared: np.ndarray, totals: np.ndarray) -> list[float]:
    """Shared weight over own weight, 0 for a paragraph of no weight."""
    return [s / t if t > 0 else 0.0 for s, t in zip(shared.tolist(), totals.tolist())]


def _coherence(dots: np.ndarray, bag_sqs: np.ndarray, mass_sq: float) -> list[float]:
    """Each head paragraph's cosine with the rest of the head (the head minus itself),
    from its dot product with the head and its own squared norm."""
    values = []
    for dot, bag_sq in zip(dots.tolist(), bag_sqs.tolist()):
        rest_sq = mass_sq - 2 * dot + bag_sq
        norm = math.sqrt(bag_sq * rest_sq) if rest_sq > 1e-9 * mass_sq else 0.0
        values.append((dot - bag_sq) / norm if norm else 0.0)
    return values


def paragraph_score(
    text: str,
    content_words: int,
    shared: float,
    baseline: float,
    settings: OfftopicSettings,
    opens_story: bool = False,
    relative_cosine: float | None = None,
    relative_semantic: float | None = None,
) -> float | None:
    """How off-topic a paragraph is against the head of its article, 0..1; None if too short
    to judge (a short line ends any off-topic tail: lists and credits are not stories).

    1 - (`shared`: the share of its word weight the head's words carry) / (the head's
    own coherence), plus teaser shape; `content_words`: how many content words it has; a
    short paragraph must be clearer (short_penalty), its overlap being noisy.
    `relative_semantic`, its sentence vector's similarity to the head's relative to the
    head's own, replaces the word measure when lower: unrelated when either says so.
    """
    if content_words < settings.min_content_words or baseline <= 0:
        return None
    relative = shared / baseline
    if relative_cosine is not None and settings.cosine_share > 0:
        relative = (1 - settings.cosine_share) * min(relative, 1.0) + settings.cosine_share * min(relative_cosine, 1.0)
    if relative_semantic is not None:
        relative = min(relative, relative_semantic)  # unrelated when either measure says so
    score = settings.similarity_weight * (1 - min(relative, 1.0))
    if is_truncated(text):
        score += settings.truncated_bonus
    if has_kicker(text):
        score += settings.kicker_bonus
    if opens_story:
        score += settings.dateline_bonus
    if content_words < settings.long_content_words:
        score -= settings.short_penalty
    return round(max(0.0, min(score, 1.0)), 4)


def word_weights(
    text: str, language: str = "en", ceiling: float = OfftopicSettings.rarity_ceiling
) -> dict[str, float]:
    """Content words of a text (stemmed) with their rarity weights.

    >>> w = word_weights("Russian warplanes struck Aleppo and the Aleppo suburbs")
    >>> w["aleppo"] > w["struck"] > 0, "the" in w
    (True, False)
    """
    weights: dict[str, float] = {}
    for word in _WORD.findall(text.lower()):
        content = _content_word(word, language, ceiling)
        if content is not None:
            stem, weight = content
            weights[stem] = max(weight, weights.get(stem, 0.0))
    return weights


@lru_cache(maxsize=200_000)
def _content_word(word: str, language: str, ceiling: float) -> tuple[str, float] | None:
    """(stem, rarity weight) of a content word; None for a short word, a number or a
    common word (weight 0.5 or less)."""
    if len(word) < 3 or word.isdigit():
        return None
    weight = _rarity(word, language, ceiling)
    return (word[:STEM_LENGTH], weight) if weight > 0.5 else None


def _wordfreq_languages() -> frozenset[str]:
    """wordfreq's languages (listed once: its call lists its data folder each time)."""
    return languages()


@lru_cache(maxsize=200_000)
def _rarity(word: str, language: str, ceiling: float) -> float:
    if language in _NEEDS_TOKENIZER:
        language = "en"
    return max(0.0, ceiling - zipf_frequency(word, language))  # wordfreq's value, from a compact table


def is_truncated(text: str) -> bool:
    """A paragraph cut mid-sentence: no terminal punctuation at its end, or an ellipsis.

    >>> is_truncated("He said the talks would resume"), is_truncated("He said so.")
    (True, False)
    >>> is_truncated("Officials said the talks would resume…")
    True
    """
    return bool(_ELLIPSIS.search(text)) or not _TERMINAL.search(text)


def has_kicker(text: str) -> bool:
    """Starts with a capitalised kicker, as teasers do ("‘GOOD POLITICS’: He is ...").

    >>> has_kicker("‘GOOD POLITICS’: He is a pragmatic radical"), has_kicker("Moscow said")
    (True, False)
    """
    return bool(_KICKER.match(text))
