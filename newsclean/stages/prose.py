"""Prose evidence: how much a paragraph reads as running text of the article.

Block rules (a section header and what follows it, the text outside a page's main
block, runs of headlines, off-topic tails, repeats) infer junk from position and shape.
Running text is what an article is made of, so before such a rule removes a paragraph
it asks here how prose-like the paragraph is. The signals are language-aware and carry
no topic words:

- sentence shape: it ends like a sentence (or is long) and has a few words;
- function-word share: sentences are glued together by the most common words of their
  language ("the", "of", "und", "que"); headlines, menus, table rows and names have few
  of them. The function words are the most frequent words of the language by wordfreq;
- affinity to the article: the share of the title's or lead's content words it repeats.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsclean.stages.frequency import languages, top_words
from newsclean.stages.words import word_tokens

_WORD = re.compile(r"[^\W\d_]+")
_SENTENCE_END = re.compile(r"[.!?…:\"”’»)。！？」』]\s*$")
FUNCTION_WORDS_PER_LANGUAGE = 120  # wordfreq's top words: articles, pronouns, auxiliaries, prepositions


@lru_cache(maxsize=64)
def function_words(language: str | None) -> frozenset[str]:
    """The most frequent words of a language (English when unknown or not in wordfreq).

    >>> {"the", "of"} <= function_words("en"), "council" in function_words("en")
    (True, False)
    """
    return common_words(language, FUNCTION_WORDS_PER_LANGUAGE)


@lru_cache(maxsize=64)
def common_words(language: str | None, n: int) -> frozenset[str]:
    """The `n` most frequent words of a language (English when unknown or not in wordfreq):
    words any story uses ("open", "week", "find"), which say nothing of its topic.

    >>> "week" in common_words("en", 500), "council" in common_words("en", 500)
    (True, False)
    """
    lang = language if language in languages() else "en"
    # wordfreq's top_n_list, read from the head of the list: top_n_list keeps the whole
    # list of the language in memory (25-115 MB) for a few hundred words
    return frozenset(top_words(lang, n))


def function_word_share(text: str, language: str | None) -> float:
    """Share of a paragraph's words that are function words of its language.

    >>> round(function_word_share("The council said it would vote on the budget in May.", "en"), 2)
    0.73
    >>> function_word_share("AAPL 182.3 MSFT 411.2", "en")
    0.0
    """
    words = word_tokens(text)
    if not words:
        return 0.0
    common = function_words(language)
    return sum(1 for w in words if w in common) / len(words)


def is_sentence(text: str, words: int, language: str | None, min_share: float, min_words: int = 4) -> bool:
    """A paragraph that reads as running text: enough words, a sentence's end (or long),
    and function words in the share sentences of its language have.

    >>> is_sentence("I told him we would never sell the farm.", 9, "en", 0.25)
    True
    >>> is_sentence("Man Arrested After Crash On Route 9", 7, "en", 0.25)
    False
    """
    if words < min_words:
        return False
    if not _SENTENCE_END.search(text) and words < 3 * min_words:
        return False
    return function_word_share(text, language) >= min_share


def content_words(text: str, language: str | None) -> set[str]:
    """Lower-cased words of three letters or more that are not function words.

    >>> sorted(content_words("The council voted on the budget", "en"))
    ['budget', 'council', 'voted']
    """
    common = function_words(language)
    return {w for w in (m.lower() for m in _WORD.findall(text)) if len(w) >= 3 and w not in common}


def affinity(text: str, topic: set[str], language: str | None) -> float:
    """Share of a paragraph's content words that the topic words (title, lead) hold.

    >>> affinity("The budget vote was delayed", {"budget", "council"}, "en")
    0.3333333333333333
    """
    words = content_words(text, language)
    return len(words & topic) / len(words) if words else 0.0


_TITLE_SEPARATORS = re.compile(r"\s+[-|–—:·•»]{1,2}\s+")


def headline_core(title: str) -> str:
    """A page title without its site name: the longest part between separators.

    >>> headline_core("Storm closes schools in Leeds - Local News | The Daily Star")
    'Storm closes schools in Leeds'
    """
    parts = _TITLE_SEPARATORS.split(title.strip())
    return max(parts, key=len) if parts else ""


def headline_words(title: str, language: str | None) -> set[str]:
    """The content words of a headline without its site name.

    >>> sorted(headline_words("Storm closes schools - The Daily Star", "en"))
    ['closes', 'schools', 'storm']
    """
    return content_words(headline_core(title), language)
