"""What every classify rule sees and writes: the article, its findings, the shared shapes.

`Article` is an article's paragraphs as the rules read them (texts, word counts, the
document, its language); `Findings` is what the rules have decided so far (a verdict per
paragraph, the title, the date, the credit, the dateline, off-topic scores); a `Step` is
one rule family's pass over them. The shapes several families ask about (a headline, a
bullet, a sentence end, a paragraph of prose) and the words they compare (stems, the
headline's echo in the prose) live here so that no family imports another.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from newsclean.settings import ClassifySettings
from newsclean.stages import prose
from newsclean.stages.records import Document
from newsclean.stages.words import NO_SPACE_CHARS

Verdict = tuple[str, str]  # (label, reason)

_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^\s*(?:[-•*–·▪►»]|\d{1,2}[.)])\s+\S")
_TITLE_END_BAD = re.compile(r"[.,;:…!]\s*$")  # "!" ends sentences far more often than headlines
_NOT_IN_TITLE = re.compile(r"https?://|www\.|\||@")
_SENTENCE_BREAK = re.compile(r"[a-z]{3}\.\s+[A-Z]")  # two sentences: a lead, not a headline
# Quoted words, which a headline may hold whole sentences in ("‘Meth. We’re on it.’: ..."):
# curly quotes, straight double quotes, straight single quotes not inside a word (an
# apostrophe between letters stays in the quote).
_QUOTED = re.compile(r"‘[^’]*’|“[^”]*”|\"[^\"]*\"|(?<!\w)'(?:[^']|(?<=\w)'(?=\w))*'(?!\w)")
_BODY_END = re.compile(r"[.!?…\"”’»)。！？」』]\s*$")
QUOTES = re.compile("[\"“”«»„]")  # a quotation mark anywhere: a line of somebody's words


@dataclass(frozen=True)
class Article:
    """What the rules see of one article: its paragraphs' texts and the document."""

    texts: tuple[str, ...]
    words: tuple[int, ...]
    doc: Document
    language: str | None = "en"  # of the whole text, for prose evidence (function words)
    # line keys (newsclean/stages/templates.py) of the template lines of the article's site
    site_templates: frozenset[int] = frozenset()
    # line keys of the lines of the site that repeat another article's lead (teasers)
    site_teasers: frozenset[int] = frozenset()
    # what several rules derive from the texts, computed once (`prose_lines`, `line_stems`)
    memo: dict[tuple, object] = field(default_factory=dict, compare=False, repr=False)


@dataclass
class Findings:
    """What the rules decided about one article so far: a verdict per paragraph (None:
    still body), the paragraphs the boilerplate patterns decided, and the parsed article
    columns. Each paragraph keeps the first verdict it gets, unless a rule says why not."""

    verdicts: list[Verdict | None]
    by_pattern: list[int] = field(default_factory=list)  # decided by rule_pattern
    title: str | None = None
    published_at: datetime | None = None
    credit: str | None = None
    dateline: tuple[int, str, int] | None = None  # (paragraph, dateline text, sentence start)
    scores: dict[int, float] = field(default_factory=dict)  # off-topic scores by paragraph
    # why a paragraph a rule looked at stays body, when a guard kept it (else "kept")
    body_reasons: dict[int, str] = field(default_factory=dict)
    teasers: list[int] = field(default_factory=list)  # another story's lead (templates.mark_teasers)
    # short lines above the story that were not its headline: they share no word with it
    not_titles: list[int] = field(default_factory=list)


Step = Callable[[Article, Findings, ClassifySettings], None]  # one family's pass


def is_title_shaped(text: str, max_words: int, min_words: int = 2) -> bool:
    """A headline: short, starts with a capital, no sentence-final period or comma.

    >>> is_title_shaped("Russia, US working on joint document on Syrian strikes", 25)
    True
    >>> is_title_shaped("The talks resumed on Friday.", 25)
    False
    >>> is_title_shaped("Tested by: John Milbank RRP: £23.99 More info: www.clymer.co.uk", 25)
    False

    Two sentences are a lead, unless the first is quoted speech inside the headline:

    >>> is_title_shaped("He left early. Nobody knew why", 25), is_title_shaped("‘We won. Now we rest’: coach on the final", 25)
    (False, True)
    """
    words = _WORD.findall(text)
    if not min_words <= len(words) <= max_words or _BULLET.match(text):
        return False
    if text.count(":") > 1 or _NOT_IN_TITLE.search(text) or _SENTENCE_BREAK.search(_QUOTED.sub("", text)):
        return False
    first = text.lstrip("‘'\"“«(")[:1]
    return (first.isupper() or first.isdigit()) and not _TITLE_END_BAD.search(text.rstrip("'’\"”»"))


def is_title_case_words(tokens: list[str], share: float = 0.6) -> bool:
    """Most of the longer words capitalised, as in a headline or a button in Title Case.

    >>> is_title_case_words(["Subscribe", "Sign", "In"]), is_title_case_words(["Get", "The", "Ledger", "in", "your", "inbox"])
    (True, False)
    """
    long_words = [t for t in tokens if len(t) >= 4]
    return len(long_words) >= 2 and sum(1 for t in long_words if t[0].isupper()) >= share * len(long_words)


def is_prose(text: str, words: int, settings: ClassifySettings) -> bool:
    """A paragraph of running text: enough words, ending like a sentence (or long)."""
    return words >= settings.prose_min_words and (bool(_BODY_END.search(text)) or words >= 2 * settings.prose_min_words)


_SUFFIXES = ("ations", "ation", "ings", "ing", "ers", "ies", "ied", "ion", "ions", "es", "ed", "er", "ly", "s")


@lru_cache(maxsize=65_536)  # a crawl's recurring words; ~10 MB at most
def stem(word: str, chars: int) -> str:
    """A word without its commonest inflection, cut to `chars` letters: "investigators"
    and "investigation" meet, "Libra" and "library" do not.

    >>> stem("investigators", 6), stem("investigation", 6), stem("libra", 6), stem("library", 6), stem("votes", 6)
    ('invest', 'invest', 'libra', 'librar', 'vot')
    """
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    return word[:chars]


def stems(texts: Iterable[str], language: str | None, chars: int) -> set[str]:
    """The stems (`stem`) of the content words of the texts.

    >>> sorted(stems(["Investigators searched the harbour"], "en", 6))
    ['harbou', 'invest', 'search']
    """
    return {stem(w, chars) for text in texts for w in prose.content_words(text, language)}


def prose_lines(article: Article, settings: ClassifySettings) -> list[int]:
    """The paragraphs of running text that read as sentences of the article's language
    (computed once per article)."""
    key = ("prose", settings.prose_min_words, settings.sentence_min_share)
    if key not in article.memo:
        article.memo[key] = [
            i for i, (t, w) in enumerate(zip(article.texts, article.words))
            if is_prose(t, w, settings) and prose.is_sentence(t, w, article.language, settings.sentence_min_share)
        ]
    return article.memo[key]


def line_stems(article: Article, i: int, chars: int) -> set[str]:
    """The stems of paragraph `i`'s content words (computed once per article)."""
    key = ("stems", i, chars)
    if key not in article.memo:
        article.memo[key] = stems([article.texts[i]], article.language, chars)
    return article.memo[key]


def echoes(article: Article, i: int, settings: ClassifySettings) -> bool:
    """Whether paragraph `i` shares a content word with the article's prose (its other
    paragraphs of running text); True when the article has no prose to compare with.

    >>> a = Article(("Harbour reopens after storm", "Text size: Small | Large",
    ...              "The harbour reopened on Monday after the storm had closed it for a week."), (4, 5, 14), None)
    >>> echoes(a, 0, ClassifySettings()), echoes(a, 1, ClassifySettings())
    (True, False)
    """
    lines = [k for k in prose_lines(article, settings) if k != i]
    if not lines or NO_SPACE_CHARS.search(article.texts[i]):
        return True
    chars = settings.echo_stem_chars
    own = line_stems(article, i, chars)
    return any(own & line_stems(article, k, chars) for k in lines)
