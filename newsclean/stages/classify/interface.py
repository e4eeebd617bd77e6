"""Interface lines: a page's own controls and prompts, known by their vocabulary.

The phrase lists and patterns of `boilerplate` name wordings ("Sign up for our
newsletter"); a site words its furniture its own way ("Get the Ledger in your inbox",
"Your privacy choices", "Content from our partners"). What every wording of a class shares
is its vocabulary: the words of a page's interface (inbox, newsletter, cookies, app,
sponsored, comments, share), which running news text uses sparingly and never as most
of a short line. `interface_class` sets aside the words that carry no class (the
language's function words, numbers, dates, and in a sentence-case line the capitalised
names of sites, people and sections, which fill a prompt's slots) and calls a short line
furniture when its remaining words are mostly interface words, at least one of them of a
class (`[boilerplate.interface]` in rules.toml; the generic ones, "get", "free", "read",
only add to the share). A line of a few generic controls and nothing else ("Log in |
Register", "Forward this story", at most `interface_controls_max_words` words, not ending
like a sentence) is navigation.

Bounds: a line of at most `interface_max_words` words; a line in quotation marks is
somebody's words; a sentence (`prose.is_sentence`) goes only when it speaks to the reader
("you", "our": `[boilerplate.interface_reader]`, or with two class words a sentence of it
opens on an interface word, as an imperative does) and `interface_sentence_share` of its words are interface
words: an article's sentence about an app ("The app can be downloaded from Monday.") stays.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from newsclean.settings import ClassifySettings, Rules
from newsclean.stages import prose
from newsclean.stages.classify.article import _BODY_END, QUOTES, Article, Verdict, is_title_case_words
from newsclean.stages.records import BOILERPLATE

_LETTERS = re.compile(r"[^\W\d_]+")
_COMPOUND = re.compile(r"\b(sign|log)(\s+me)?\s+(up|in|out|on)\b", re.IGNORECASE)  # one control, one word
_SENTENCE_OPENER = re.compile(r"(?:^|[.!?]\s+)([^\W\d_]+)")


def interface_class(text: str, words: int, language: str | None, settings: ClassifySettings) -> str | None:
    """The furniture class a short line's vocabulary gives it, or None.

    >>> from newsclean.settings import load_settings
    >>> s = load_settings(None).classify
    >>> interface_class("Get The Ledger in your inbox", 6, "en", s)
    'newsletter_prompt'
    >>> interface_class("Your privacy choices", 3, "en", s)
    'cookie_notice'
    >>> interface_class("The app can be downloaded from the store on Monday.", 10, "en", s) is None
    True
    """
    rules = settings.rules
    if not rules.interface or words > settings.interface_max_words or QUOTES.search(text):
        return None
    tokens = _LETTERS.findall(_COMPOUND.sub(r"\1\3", text))  # "Sign me up" -> "signup", "Log in" -> "login"
    if not tokens:
        return None
    names_are_slots = not is_title_case_words(tokens)
    function = _function_words(language)
    classes: Counter = Counter()
    common = content = 0
    for k, token in enumerate(tokens):
        low = token.lower()
        name = rules.interface.get(low)
        if name:
            classes[name] += 1
        elif low in rules.interface_common:
            common += 1
        elif low in function or low in rules.interface_slots or (names_are_slots and k and token[0].isupper()):
            continue  # no class either way: a function word, a date, a name in a slot
        content += 1
    hits = sum(classes.values())
    if not hits:  # a few generic controls and nothing else: "Log in | Register", "Forward this story"
        controls = common >= 2 and common == content and words <= settings.interface_controls_max_words
        # a line ending like a sentence, or on a colon announcing what follows ("See more
        # photos:"), is not a button
        return "navigation" if controls and not _BODY_END.search(text) and not text.rstrip().endswith(":") else None
    if hits + common < settings.interface_min_share * content:
        return None
    if prose.is_sentence(text, words, language, settings.sentence_min_share, settings.interface_sentence_words):
        if hits + common < settings.interface_sentence_share * content or not _prompts(text, tokens, hits, rules, hits + common == content):
            return None  # a sentence about the thing, not a prompt to the reader
    return classes.most_common(1)[0][0]


@lru_cache(maxsize=64)
def _function_words(language: str | None) -> frozenset[str]:
    """The function words of the article's language and of English: interfaces speak English too."""
    return prose.function_words(language) | prose.function_words("en")


def _prompts(text: str, tokens: list[str], hits: int, rules: Rules, every_word_is_interface: bool) -> bool:
    """A sentence that speaks to the reader: "you", "our", or one of its sentences opens on
    an interface word, as an imperative does ("Get more in the Health newsletter."), with
    two class words or nothing but interface words: a call to action about something else
    ("Click here to download this game.") is as often the article's own line."""
    if {t.lower() for t in tokens} & rules.interface_reader:
        return True
    if hits < 2 and not every_word_is_interface:
        return False  # "Click here to download this game.": the game is the article's
    openers = (m.group(1).lower() for m in _SENTENCE_OPENER.finditer(text))
    return any(w in rules.interface or w in rules.interface_common for w in openers)


def rule_interface(article: Article, i: int, settings: ClassifySettings) -> Verdict | None:
    """A short line made of a page's interface vocabulary (`interface_class`)."""
    name = interface_class(article.texts[i], article.words[i], article.language, settings)
    return (BOILERPLATE, name) if name else None
