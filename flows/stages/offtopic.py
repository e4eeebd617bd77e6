"""Off-topic tails: unrelated stories or teasers appended after an article's body.

A general method, no topic words: each paragraph of the body's tail is compared with
the article before it by weighted word overlap (rare words weigh more, by wordfreq's
Zipf frequency), and the score adds teaser shape (cut mid-sentence, a capitalised
kicker). The smallest tail whose every judged paragraph scores off-topic against the
rest is split off. Only tails are split: an unrelated paragraph inside the body is
left alone, because a story's middle seldom changes topic and stays whole.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from wordfreq import available_languages, zipf_frequency

from flows.settings import OfftopicSettings

REASON = "topic_shift_tail"
_WORD = re.compile(r"\w+")
_TERMINAL = re.compile(r"[.!?…\"”’»)\]]\s*$")
_KICKER = re.compile(r"^[‘'\"“]?[A-Z][A-Z0-9 ,&'’-]{2,40}[’'\"”]?\s*[:|–—-]\s")
# Words weigh (MAX_ZIPF - Zipf frequency): "the" (7.7) weighs ~0, "Aleppo" (3.6) ~4.4.
MAX_ZIPF = 8.0
STEM_LENGTH = 6  # crude, language-agnostic stemming: words compare on their first 6 letters


def offtopic_scores(
    paragraphs: Sequence[str], lead: Sequence[str], settings: OfftopicSettings, language: str | None = "en"
) -> dict[int, float]:
    """Indices (into `paragraphs`) of the off-topic tail, with their scores.

    `paragraphs` are the article's body candidates in order; `lead` is extra text that
    states the topic (the title); `language` picks the word frequencies. Returns an
    empty dict when nothing is split, or when the language's words cannot be compared
    by overlap (no spaces between words, or rich agglutination: see config).
    """
    n = len(paragraphs)
    if n <= settings.min_body_paragraphs or language in settings.skip_languages:
        return {}
    lang = language if language in available_languages() else "en"
    bags = [word_weights(p, lang) for p in paragraphs]
    lead_bag: dict[str, float] = {}
    for text in lead:
        lead_bag.update(word_weights(text, lang))
    # The head must hold a story to compare against: min_body_paragraphs judged paragraphs.
    judged = [i for i, bag in enumerate(bags) if len(bag) >= settings.min_content_words]
    if len(judged) <= settings.min_body_paragraphs:
        return {}
    earliest = max(judged[settings.min_body_paragraphs - 1] + 1, n - settings.max_tail_paragraphs)
    for cut in range(earliest, n):
        head = dict(lead_bag)
        for bag in bags[:cut]:
            head.update(bag)
        scores = {i: paragraph_score(paragraphs[i], bags[i], head, settings) for i in range(cut, n)}
        if all(s is not None and s >= settings.threshold for s in scores.values()):
            return scores  # type: ignore[return-value]
    return {}


def paragraph_score(
    text: str, bag: dict[str, float], head: dict[str, float], settings: OfftopicSettings
) -> float | None:
    """How off-topic a paragraph is against the head of its article, 0..1; None if too short
    to judge (a short line ends any off-topic tail: lists and credits are not stories)."""
    if len(bag) < settings.min_content_words:
        return None
    total = sum(bag.values())
    if total <= 0:
        return None
    shared = sum(w for word, w in bag.items() if word in head)
    score = settings.similarity_weight * (1 - shared / total)
    if is_truncated(text):
        score += settings.truncated_bonus
    if has_kicker(text):
        score += settings.kicker_bonus
    return min(score, 1.0)


def word_weights(text: str, language: str = "en") -> dict[str, float]:
    """Content words of a text (stemmed) with their rarity weights.

    >>> w = word_weights("Russian warplanes struck Aleppo and the Aleppo suburbs")
    >>> w["aleppo"] > w["struck"] > 0, "the" in w
    (True, False)
    """
    weights: dict[str, float] = {}
    for word in _WORD.findall(text.lower()):
        if len(word) < 3 or word.isdigit():
            continue
        weight = _rarity(word, language)
        if weight > 0.5:
            weights[word[:STEM_LENGTH]] = max(weight, weights.get(word[:STEM_LENGTH], 0.0))
    return weights


@lru_cache(maxsize=200_000)
def _rarity(word: str, language: str) -> float:
    return max(0.0, MAX_ZIPF - zipf_frequency(word, language))


def is_truncated(text: str) -> bool:
    """A paragraph cut mid-sentence: no terminal punctuation at its end.

    >>> is_truncated("He said the talks would resume"), is_truncated("He said so.")
    (True, False)
    """
    return not _TERMINAL.search(text)


def has_kicker(text: str) -> bool:
    """Starts with a capitalised kicker, as teasers do ("‘GOOD POLITICS’: He is ...").

    >>> has_kicker("‘GOOD POLITICS’: He is a pragmatic radical"), has_kicker("Moscow said")
    (True, False)
    """
    return bool(_KICKER.match(text))
