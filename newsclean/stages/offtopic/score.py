"""Off-topic scores: how unrelated one paragraph is to the head of its article.

The measures `newsclean.stages.offtopic.tail` weighs at each cut: word weights by
rarity (wordfreq's Zipf frequency, read from `newsclean.stages.frequency`'s compact tables) and their overlap with the head (`head_coherence`,
`cosine`, against the head's own baseline), sentence vectors' similarity to the head
(`SemanticHead`), a switch of writing system (`dominant_script`), and teaser shape (cut
mid-sentence, a capitalised kicker); `paragraph_score` combines them into 0..1.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from statistics import median

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


def cosine(bag: dict[str, float], mass: Counter[str], mass_sq: float, bag_sq: float | None = None) -> float:
    """Cosine between a paragraph's word weights and the head's summed word weights
    (`mass_sq`: the squared norm of `mass`, computed once per head; `bag_sq` the bag's,
    computed here when not given)."""
    dot = sum(w * mass.get(word, 0.0) for word, w in bag.items())
    norm = math.sqrt((squared_norm(bag) if bag_sq is None else bag_sq) * mass_sq)
    return dot / norm if norm else 0.0


def squared_norm(weights: dict[str, float]) -> float:
    return sum(v * v for v in weights.values() if v > 0)


def cosine_coherence(
    head_bags: Sequence[dict[str, float]], mass: Counter[str], mass_sq: float, bag_sqs: Sequence[float] | None = None
) -> float:
    """The median cosine of a head paragraph with the rest of the head.

    The rest is `mass` minus the paragraph; its dot product and norm follow from the
    paragraph's own, so no copy of `mass` is made per paragraph. `bag_sqs`: the bags'
    squared norms, when the caller has them.
    """
    values = []
    for k, bag in enumerate(head_bags):
        dot = sum(w * mass.get(word, 0.0) for word, w in bag.items())
        bag_sq = squared_norm(bag) if bag_sqs is None else bag_sqs[k]
        rest_sq = mass_sq - 2 * dot + bag_sq
        norm = math.sqrt(bag_sq * rest_sq) if rest_sq > 1e-9 * mass_sq else 0.0
        values.append((dot - bag_sq) / norm if norm else 0.0)
    return median(values)


def head_coherence(head_bags: Sequence[dict[str, float]], spread: Counter[str]) -> float:
    """The median share of a head paragraph's word weight found elsewhere in the head.

    Articles differ in how much their paragraphs repeat each other's words; a tail
    paragraph is judged against this article's own baseline, not a fixed number.
    """
    shares = [_shared_share(bag, spread, own=1) for bag in head_bags]
    return median(shares) if shares else 0.0


def _shared_share(bag: dict[str, float], spread: Counter[str], own: int) -> float:
    total = sum(bag.values())
    if total <= 0:
        return 0.0
    return sum(w for word, w in bag.items() if spread[word] > own) / total


def paragraph_score(
    text: str,
    bag: dict[str, float],
    spread: Counter[str],
    baseline: float,
    settings: OfftopicSettings,
    opens_story: bool = False,
    relative_cosine: float | None = None,
    relative_semantic: float | None = None,
) -> float | None:
    """How off-topic a paragraph is against the head of its article, 0..1; None if too short
    to judge (a short line ends any off-topic tail: lists and credits are not stories).

    1 - (its word weight shared with the head) / (the head's own coherence), plus teaser
    shape; a short paragraph must be clearer (short_penalty), its overlap being noisy.
    `relative_semantic`, its sentence vector's similarity to the head's relative to the
    head's own, replaces the word measure when lower: unrelated when either says so.
    """
    if len(bag) < settings.min_content_words or baseline <= 0:
        return None
    relative = _shared_share(bag, spread, own=0) / baseline
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
    if len(bag) < settings.long_content_words:
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
