"""The article-level guard: block rules may not gut an article.

Rules that remove blocks infer junk from position, shape and neighbours (a section
header and what follows it, the text outside a page's main block, runs of headlines,
repeats, off-topic tails). They are right most of the time, and when they are wrong
they take much of an article at once. Rules backed by exact evidence (a widget phrase,
a code blob, a date line, an exact repeat of the title) are not bounded here.

The bound: when inferred removals take more than `guard_max_prose_share` of the
article's on-topic prose words, the on-topic prose they removed goes back to the body
with the reason `guard_kept`. On-topic prose is a paragraph that reads as a sentence
of the article's language (`newsclean.stages.prose`) and shares at least
`guard_min_affinity` of its content words with the article's topic (its title, else the
first prose paragraphs the rules kept), or holds `guard_min_topic_coverage` of the topic's
words. Teasers of other stories are prose too, but
about something else, so they stay removed, as do non-prose lines (menus, headline
lists): they are junk whatever the block around them is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice

from newsclean.stages.prose import affinity, content_words, headline_words, is_sentence
from newsclean.stages.records import BODY

REASON = "guard_kept"

# Reasons whose evidence is inferred (position, shape, neighbours, statistics), as
# opposed to exact (a phrase or pattern that names the junk, an exact title repeat).
# A comment thread is not among them: it needs a named comment header after the story's
# prose, and the comments after it read as prose by nature.
INFERRED_REASONS = frozenset({
    "outside_main_text",
    "related_stories",
    "related_headline_list",
    "trailing_headline",
    "teaser_excerpt",
    "allcaps_teaser",
    "section_label",
    "repeated_paragraph",
    "topic_shift_tail",
    "edge_furniture",
    "furniture_meaning",
})


def is_inferred(verdict: tuple[str, str] | None) -> bool:
    """Whether a verdict removes a paragraph on inferred evidence.

    >>> is_inferred(("boilerplate", "outside_main_text")), is_inferred(("boilerplate", "share_widget"))
    (True, False)
    """
    return verdict is not None and verdict[1] in INFERRED_REASONS


def prose_paragraphs(
    texts: Sequence[str], words: Sequence[int], language: str | None, min_share: float, min_words: int
) -> list[int]:
    """Indices of the paragraphs that read as sentences of the article's language."""
    return [i for i, (t, w) in enumerate(zip(texts, words)) if is_sentence(t, w, language, min_share, min_words)]


def inferred_prose_share(
    verdicts: Sequence[tuple[str, str] | None], words: Sequence[int], prose: Sequence[int]
) -> float:
    """Share of the prose words not removed on exact evidence that inferred rules removed.

    >>> inferred_prose_share([None, ("boilerplate", "outside_main_text"), ("boilerplate", "share_widget")],
    ...                      [30, 10, 50], [0, 1, 2])
    0.25
    """
    open_words = sum(words[i] for i in prose if verdicts[i] is None or is_inferred(verdicts[i]))
    removed = sum(words[i] for i in prose if is_inferred(verdicts[i]))
    return removed / open_words if open_words else 0.0


def topic_words(article, verdicts: Sequence, prose: Iterable[int], title: str | None, lead: int) -> set[str]:
    """Content words of the headline (without the site's name), else of the first `lead`
    prose paragraphs still in the body."""
    headline = headline_words(title, article.language) if title else set()
    if headline:
        return headline
    kept = list(islice((i for i in prose if verdicts[i] is None), lead))  # (prose may be lazy: a generator)
    return content_words(" ".join(article.texts[i] for i in kept), article.language)


def is_on_topic(text: str, topic: set[str], language: str | None, settings) -> bool:
    """A paragraph about the article's topic: at least guard_min_affinity of its content
    words are topic words, or it holds guard_min_topic_coverage of the topic words (a
    long paragraph has many words of its own, so the first share alone would miss it).

    >>> from newsclean.settings import ClassifySettings
    >>> topic = {"council", "budget", "library", "vote"}
    >>> long = ("The council met on Tuesday evening and, after a long debate about police overtime, "
    ...         "school buses, road repairs and parks, approved the budget that keeps every library open.")
    >>> is_on_topic(long, topic, "en", ClassifySettings())
    True
    >>> is_on_topic("Shares of mining companies rose on Wednesday as copper prices climbed again.", topic, "en", ClassifySettings())
    False
    """
    if affinity(text, topic, language) >= settings.guard_min_affinity:
        return True
    if len(topic) < settings.guard_min_topic_words:
        return False
    return len(content_words(text, language) & topic) >= settings.guard_min_topic_coverage * len(topic)


def keep_prose_if_gutted(article, verdicts: list, settings, title: str | None = None) -> int:
    """Put back the on-topic prose paragraphs inferred rules removed when they removed too
    much of it; return how many were put back (0 when the bound holds)."""
    if not any(is_inferred(v) for v in verdicts):
        return 0  # nothing to bound: spare the prose measures of every paragraph
    prose = prose_paragraphs(
        article.texts, article.words, article.language, settings.sentence_min_share, settings.guard_prose_min_words
    )
    topic = topic_words(article, verdicts, prose, title, settings.guard_lead_paragraphs)
    on_topic = [i for i in prose if verdicts[i] is None or is_on_topic(article.texts[i], topic, article.language, settings)]
    if inferred_prose_share(verdicts, article.words, on_topic) <= settings.guard_max_prose_share:
        return 0
    restore = {i for i in on_topic if is_inferred(verdicts[i])}
    # A story goes on in the prose right after (or before) an on-topic paragraph.
    grown = True
    while grown:
        grown = False
        for i in prose:
            if i not in restore and is_inferred(verdicts[i]) and (i - 1 in restore or i + 1 in restore):
                restore.add(i)
                grown = True
    for i in restore:
        verdicts[i] = (BODY, REASON)
    return len(restore)
