"""Off-topic tails: unrelated stories or teasers appended after an article's body.

A general method, no topic words: each paragraph of the body's tail is compared with
the article before it by weighted word overlap (rare words weigh more, by wordfreq's
Zipf frequency) and by meaning (the cosine of sentence vectors, `newsclean.stages.embed`),
the lower of the two counting, and the score adds teaser shape (cut mid-sentence, a
capitalised kicker). The longest tail (of at most max_tail_paragraphs) that opens with an off-topic
paragraph and whose judged paragraphs are off-topic on average, none of them clearly
on-topic, is split off. Only tails are split: an unrelated paragraph inside the body is
left alone, because a story's middle seldom changes topic and stays whole.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from functools import lru_cache
from statistics import median

import numpy as np
from wordfreq import available_languages, zipf_frequency

from newsclean.settings import OfftopicSettings
from newsclean.stages.embed import embed_paragraphs

Embedder = Callable[[Sequence[str]], np.ndarray]  # texts -> unit vectors, one row each

REASON = "topic_shift_tail"
_WORD = re.compile(r"\w+")
_TERMINAL = re.compile(r"[.!?\"”’»)\]]\s*$")
_ELLIPSIS = re.compile(r"(\.\.\.|…)\W{0,2}$")
_KICKER = re.compile(r"^[‘'\"“]?[A-Z][A-Z0-9 ,&'’-]{2,40}[’'\"”]?\s*[:|–—-]\s")
# Words weigh (ceiling - Zipf frequency), the ceiling being `rarity_ceiling` of the
# settings: at 7.5 "the" (7.7) weighs 0, "said" (6.3) 1.2, "Aleppo" (3.6) 3.9.
# wordfreq needs MeCab or jieba for these; their words would not split on spaces anyway.
_NEEDS_TOKENIZER = frozenset({"ja", "ko", "zh"})
STEM_LENGTH = 6  # crude, language-agnostic stemming: words compare on their first 6 letters


def offtopic_scores(
    paragraphs: Sequence[str],
    lead: Sequence[str],
    settings: OfftopicSettings,
    language: str | None = "en",
    opens_story: Sequence[bool] = (),
    embed: Embedder = embed_paragraphs,
) -> dict[int, float]:
    """Indices (into `paragraphs`) of the off-topic tail, with their scores.

    `paragraphs` are the article's body candidates in order; `lead` is extra text that
    states the topic (the title); `language` picks the word frequencies; `opens_story`
    marks paragraphs that open with a dateline, which only a story's first paragraph
    does; `embed` gives sentence vectors (called once, and only for an article with a
    candidate tail). Returns an empty dict when nothing is split. For languages whose
    words cannot be compared by overlap (`skip_languages`), only a switch of writing
    system splits.

    A tail starts with a judged off-topic paragraph; after it, paragraphs too short to
    judge go with it (the rest of a teaser block), judged ones must be off-topic on
    average and none below `tail_floor` (see `is_offtopic_tail`); and one of them at
    least must have min_tail_story_words content words: a block of short lines at the
    end (show times, a sign-off, an embed's byline) is not an appended story.
    """
    n = len(paragraphs)
    if n <= settings.min_body_paragraphs:
        return {}
    if language in settings.skip_languages:
        return script_switch_tail(paragraphs, settings)
    lang = language if language in _wordfreq_languages() and language not in _NEEDS_TOKENIZER else "en"
    ceiling = settings.rarity_ceiling
    bags = [word_weights(p, lang, ceiling) for p in paragraphs]
    lead_words = set()
    for text in lead:
        lead_words.update(word_weights(text, lang, ceiling))
    judged = [i for i, bag in enumerate(bags) if len(bag) >= settings.min_content_words]
    if len(judged) <= settings.min_body_paragraphs:
        return {}
    opens = list(opens_story) + [False] * (n - len(opens_story))
    article_script = dominant_script("".join(paragraphs[i] for i in judged[: settings.lead_paragraphs + 2]))
    # How many paragraphs of the head (the title counting as one) use each word.
    spread: Counter[str] = Counter(lead_words)
    mass: Counter[str] = Counter()  # summed word weights of the head
    for bag in bags:
        spread.update(bag.keys())
        mass.update(bag)
    earliest = max(judged[settings.min_body_paragraphs - 1] + 1, n - settings.max_tail_paragraphs)
    for i in range(n - 1, earliest - 1, -1):  # the head is paragraphs [0, earliest)
        spread.subtract(bags[i].keys())
        mass.subtract(bags[i])
    sizes = [len(bag) for bag in bags]
    norms_sq = [squared_norm(bag) for bag in bags]  # once per paragraph, not once per cut
    # whether a candidate paragraph is in another script: once, and only for the cuts judged
    switches: dict[int, bool] = {}

    def switches_script(i: int) -> bool:
        if i not in switches:
            switches[i] = _switches_script(paragraphs[i], article_script, settings)
        return switches[i]

    # Sentence vectors: row 0 the title's, then the judged paragraphs' and the candidate tail's.
    embedded = sorted(set(judged) | set(range(earliest, n)))
    row = {i: k + 1 for k, i in enumerate(embedded)}
    semantic_head: SemanticHead | None = None
    in_head = 0  # judged paragraphs added to semantic_head so far
    for cut in range(earliest, n):
        head_words = sum(sizes[:cut])
        if head_words < settings.min_head_words or head_words < settings.min_head_share * sum(sizes[cut:]):
            spread.update(bags[cut].keys())
            mass.update(bags[cut])
            continue  # a tail outweighing the story before it is more likely the story
        head = [bags[i] for i in judged if i < cut]
        baseline = head_coherence(head, spread) if len(head) >= 2 else settings.default_baseline
        mass_sq = squared_norm(mass)
        head_sq = [norms_sq[i] for i in judged if i < cut]
        cos_base = cosine_coherence(head, mass, mass_sq, head_sq) if len(head) >= 2 else settings.default_cosine_baseline
        semantic: dict[int, float] = {}
        # Meaning alone may split a tail only while it is a small part of the article: a
        # larger one must be unrelated by its words too (bounds what vectors can remove).
        small_tail = sum(sizes[cut:]) <= settings.semantic_max_tail_share * sum(sizes)
        if settings.sentence_vectors and small_tail:
            if semantic_head is None:  # once per article, only for one with a candidate tail
                semantic_head = SemanticHead(embed([" ".join(lead)] + [paragraphs[i] for i in embedded]))
            while in_head < len(judged) and judged[in_head] < cut:
                semantic_head.add(row[judged[in_head]])
                in_head += 1
            semantic = semantic_head.similarity([row[i] for i in range(cut, n) if i in row], settings)
        scores = {
            i: 1.0 if switches_script(i)
            else paragraph_score(paragraphs[i], bags[i], spread, baseline, settings, opens[i],
                                 cosine(bags[i], mass, mass_sq, norms_sq[i]) / cos_base if cos_base > 0 else None,
                                 semantic.get(row.get(i, -1)))
            for i in range(cut, n)
        }
        threshold = settings.threshold if cut < n - 1 else settings.single_threshold
        # a story: enough content words, or a paragraph in another script (its words may
        # not be in this language's frequency list at all)
        has_story = max(sizes[cut:]) >= settings.min_tail_story_words or any(switches_script(i) for i in range(cut, n))
        if has_story and is_offtopic_tail(list(scores.values()), threshold, settings.tail_floor):
            first = scores[cut]
            tail = {i: (s if s is not None else first) for i, s in scores.items()}  # type: ignore[misc]
            for i in cut_teasers_before(paragraphs, sizes, cut, earliest, settings):
                tail[i] = first
            return tail
        spread.update(bags[cut].keys())
        mass.update(bags[cut])
    return {}


def cut_teasers_before(
    paragraphs: Sequence[str], sizes: Sequence[int], cut: int, earliest: int, settings: OfftopicSettings
) -> list[int]:
    """The paragraphs right before an off-topic tail that are too short to judge and cut
    off with an ellipsis ("The merger of the big…"): the first teaser of the appended
    block, whose words were cut before they could say its topic. At most
    max_cut_teasers of them, never before `earliest`.

    >>> from newsclean.settings import OfftopicSettings
    >>> cut_teasers_before(["Story.", "Story again.", "The merger of the big…", "Tail."], [9, 9, 3, 9], 3, 1, OfftopicSettings())
    [2]
    >>> cut_teasers_before(["Story.", "Story again.", "He said so.", "Tail."], [9, 9, 2, 9], 3, 1, OfftopicSettings())
    []
    """
    found: list[int] = []
    i = cut - 1
    while i >= earliest and len(found) < settings.max_cut_teasers:
        if sizes[i] >= settings.min_content_words or not _ELLIPSIS.search(paragraphs[i]):
            break
        found.append(i)
        i -= 1
    return found


def is_offtopic_tail(scores: Sequence[float | None], threshold: float, floor: float) -> bool:
    """A tail is off-topic when it opens with a judged paragraph at or above `threshold`,
    its judged paragraphs average at least `threshold` and none is below `floor`, and
    short unjudged lines do not outnumber judged ones (a run of short lines is a list or
    a credit block, not appended stories).

    Appended stories are unrelated to the article and to each other, so one of them
    sharing a few words with the article by chance must not keep the others in the body;
    a paragraph below `floor` is the article's own and ends the candidate tail.

    >>> is_offtopic_tail([0.9, None, 0.7], 0.75, 0.5), is_offtopic_tail([0.9, None, None], 0.75, 0.5)
    (True, False)
    >>> is_offtopic_tail([0.9, 0.6, 1.0], 0.75, 0.5), is_offtopic_tail([0.9, 0.3, 1.0], 0.75, 0.5)
    (True, False)
    >>> is_offtopic_tail([0.7, 1.0], 0.75, 0.5)
    False
    """
    judged = [s for s in scores if s is not None]
    if not scores or scores[0] is None or scores[0] < threshold:
        return False
    if len(judged) < len(scores) - len(judged):
        return False
    return min(judged) >= floor and sum(judged) / len(judged) >= threshold


def script_switch_tail(paragraphs: Sequence[str], settings: OfftopicSettings) -> dict[int, float]:
    """For languages compared by script only: the trailing paragraphs written in another
    script than the article's (an English teaser after a Korean story)."""
    script = dominant_script("".join(paragraphs[: settings.lead_paragraphs + 2]))
    tail: dict[int, float] = {}
    for i in range(len(paragraphs) - 1, settings.min_body_paragraphs - 1, -1):
        if not _switches_script(paragraphs[i], script, settings):
            break
        tail[i] = 1.0
    return tail


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


@lru_cache(maxsize=1)
def _wordfreq_languages() -> frozenset[str]:
    """wordfreq's languages: its call lists its data folder each time."""
    return frozenset(available_languages())


@lru_cache(maxsize=200_000)
def _rarity(word: str, language: str, ceiling: float) -> float:
    if language in _NEEDS_TOKENIZER:
        language = "en"
    return max(0.0, ceiling - zipf_frequency(word, language))


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
