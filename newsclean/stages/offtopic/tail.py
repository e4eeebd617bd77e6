"""Off-topic tail cutting: where the stories appended after an article's body start.

`offtopic_scores` tries every cut of the body's last `max_tail_paragraphs` paragraphs,
the head before the cut stating the topic, and splits off the longest tail that opens
with an off-topic paragraph and whose judged paragraphs are off-topic on average, none
clearly on-topic (`is_offtopic_tail`); short teasers cut off right before it go with it
(`cut_teasers_before`). For languages compared by script only, the trailing paragraphs in
another script are the tail (`script_switch_tail`). The paragraph scores come from
`newsclean.stages.offtopic.score`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from newsclean.settings import OfftopicSettings
from newsclean.stages.embed import embed_paragraphs
from newsclean.stages.offtopic.score import (
    _ELLIPSIS,
    _NEEDS_TOKENIZER,
    HeadWords,
    SemanticHead,
    _switches_script,
    _wordfreq_languages,
    dominant_script,
    paragraph_score,
    word_weights,
)

Embedder = Callable[[Sequence[str]], np.ndarray]  # texts -> unit vectors, one row each

REASON = "topic_shift_tail"


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
    earliest = max(judged[settings.min_body_paragraphs - 1] + 1, n - settings.max_tail_paragraphs)
    sizes = [len(bag) for bag in bags]
    words: HeadWords | None = None  # built for the first cut judged (most articles have none)
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

    def judge_cut(cut: int) -> dict[int, float] | None:
        """The tail from `cut` on with its scores if it is off-topic (`is_offtopic_tail`),
        else None. Its first paragraph is scored first: a tail not opening with a judged
        paragraph at the threshold is not off-topic, whatever the others score."""
        nonlocal semantic_head, in_head, words
        if words is None:
            words = HeadWords(bags, lead_words)
        words.move_to(cut)
        measured = words.measures([i for i in judged if i < cut], range(cut, n))
        baseline = settings.default_baseline if measured.baseline is None else measured.baseline
        cos_base = settings.default_cosine_baseline if measured.cos_base is None else measured.cos_base
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

        def score(i: int) -> float | None:
            if switches_script(i):
                return 1.0
            relative_cosine = measured.cosine[i] / cos_base if cos_base > 0 else None
            return paragraph_score(paragraphs[i], sizes[i], measured.shared[i], baseline, settings, opens[i],
                                   relative_cosine, semantic.get(row.get(i, -1)))

        threshold = settings.threshold if cut < n - 1 else settings.single_threshold
        first = score(cut)
        if first is None or first < threshold:
            return None
        scores = {cut: first, **{i: score(i) for i in range(cut + 1, n)}}
        if not is_offtopic_tail(list(scores.values()), threshold, settings.tail_floor):
            return None
        return {i: (s if s is not None else first) for i, s in scores.items()}

    for cut in range(earliest, n):
        head_words = sum(sizes[:cut])
        if head_words < settings.min_head_words or head_words < settings.min_head_share * sum(sizes[cut:]):
            continue  # a tail outweighing the story before it is more likely the story
        # a story: enough content words, or a paragraph in another script (its words may
        # not be in this language's frequency list at all)
        has_story = max(sizes[cut:]) >= settings.min_tail_story_words or any(switches_script(i) for i in range(cut, n))
        if has_story:
            tail = judge_cut(cut)
            if tail is not None:
                for i in cut_teasers_before(paragraphs, sizes, cut, earliest, settings):
                    tail[i] = tail[cut]
                return tail
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
