"""Boilerplate rules: page furniture a single paragraph shows by itself.

Per-paragraph rules (`PARAGRAPH_RULES`, in this order; the first to decide wins):
wordless separators and lone numbers, URL lines, code blobs, widget and prompt
phrases, labelled lines (captions), boilerplate patterns, interface vocabulary
(`interface`), all-caps teasers. Then
`keep_topic_sentences` gives back what a pattern matched too often to be a notice,
and `find_notice` tells a crawler's notice page (rejected whole) from an article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from newsclean.settings import ClassifySettings, normalise_phrase
from newsclean.stages import prose
from newsclean.stages.classify.article import _BODY_END, _WORD, Article, Findings, Verdict
from newsclean.stages.classify.interface import rule_interface
from newsclean.stages.records import BODY, BOILERPLATE, Paragraph
from newsclean.stages.words import count_words

_LONE_NUMBER = re.compile(r"^\d{1,3}[.)]?$")
_URL_LINE = re.compile(r"^(https?://|www\.)\S+$")
_IMAGE_URL = re.compile(r"\.(jpe?g|png|gif|webp|svg|avif)([?#]\S*)?$", re.IGNORECASE)
_BLOB_START = re.compile(r"^\s*(?:\[/?[a-z]\w*(?:\s+\w+=[^\]]*)?\]|string\(\d+\)\s*\"|[\[{]\s*[\"'{\[]|var\s+\w+\s*=|function\s*\(|window\.\w+|document\.\w+|<\w+[^>]*>|\{\{|\$\(|if\s*\(|@media\b|\.\w[\w-]*\s*\{)")
_BLOB_SYMBOLS = re.compile(r"[{}\[\]\"<>=;:\\|$_]")
_PRICE_MARK = re.compile(r"[$€£¥%]|\t|\S {3,}\S")
_FIGURE = re.compile(r"\S*\d\S*")
_PLAIN_COUNT = re.compile(r"\d{1,4}")  # "25", "2019": a headline's figure, not a quote's


def is_code_blob(text: str, settings: ClassifySettings) -> bool:
    """JSON, PHP var_dump, JS or CSS left in the text.

    >>> is_code_blob('string(1126) "[{\\"id\\":\\"1854790\\",\\"sort\\":\\"3612352\\"}]"', ClassifySettings())
    True
    >>> is_code_blob("He said: \\"we will [not] stop\\" and left.", ClassifySettings())
    False
    """
    if len(text) < settings.blob_min_chars:
        return False
    symbols = len(_BLOB_SYMBOLS.findall(text)) / len(text)
    if _BLOB_START.match(text) and symbols >= settings.blob_symbol_ratio / 2:
        return True
    return symbols >= settings.blob_symbol_ratio * 2 and len(_WORD.findall(text)) < len(text) / 6


def rule_code_blob(article: Article, i: int, settings: ClassifySettings) -> Verdict | None:
    return (BOILERPLATE, "code_blob") if is_code_blob(article.texts[i], settings) else None


def rule_phrase(article: Article, i: int, settings: ClassifySettings) -> Verdict | None:
    """Whole-paragraph widget and prompt phrases from the rules file ("Share", "Advertisement")."""
    if article.words[i] > 8:
        return None
    name = settings.rules.phrases.get(normalise_phrase(article.texts[i]))
    return (BOILERPLATE, name) if name else None


def rule_pattern(article: Article, i: int, settings: ClassifySettings) -> Verdict | None:
    """Boilerplate patterns from the rules file, on short paragraphs only."""
    if article.words[i] > settings.boilerplate_max_words:
        return None
    return _PATTERN_ANSWERS.answer(article.texts[i], article.words[i], settings)


def pattern_verdict(text: str, words: int, settings: ClassifySettings) -> Verdict | None:
    """The first boilerplate pattern a short paragraph matches, unless it is attributed
    speech of attributed_min_words or more (the guard's words)."""
    text = text.strip()
    attribution = settings.rules.attribution
    if attribution and words >= settings.attributed_min_words and attribution.search(text):
        return None
    for name, pattern in settings.rules.patterns:
        if pattern.search(text):
            return BOILERPLATE, name
    return None


class PatternAnswers:
    """`pattern_verdict`'s answers by paragraph, for the settings they were given for.

    The same short lines recur across a crawl's articles (a site's share and newsletter
    prompts, captions, footers) and each costs a search of every pattern (~40 us); the
    answer depends on the text, its word count and the settings only. Kept for one
    version of the patterns at a time (settings equal to the last ones keep them: a
    worker gets the run's settings anew with each shard), at most `limit` answers.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.settings: tuple | None = None
        self.answers: dict[tuple[str, int], Verdict | None] = {}

    def answer(self, text: str, words: int, settings: ClassifySettings) -> Verdict | None:
        rules = settings.rules
        reads = (rules.patterns, rules.attribution, settings.attributed_min_words)
        last = self.settings
        if last is None or not all(x is y for x, y in zip(reads, last)):
            if reads != last:
                self.answers = {}
            self.settings = reads  # equal settings of another shard: the answers stand
        key = (text, words)
        try:
            return self.answers[key]
        except KeyError:
            pass
        verdict = pattern_verdict(text, words, settings)
        if len(self.answers) < self.limit:
            self.answers[key] = verdict
        return verdict


MAX_PATTERN_ANSWERS = 50_000  # short paragraphs (under boilerplate_max_words): ~10 MB at most
_PATTERN_ANSWERS = PatternAnswers(MAX_PATTERN_ANSWERS)


def rule_url_line(article: Article, i: int, settings: ClassifySettings) -> Verdict | None:
    """A bare link to an image file anywhere, or a bare URL before the article starts
    (the page's own address pasted above it)."""
    text = article.texts[i].strip()
    if not _URL_LINE.match(text):
        return None
    if _IMAGE_URL.search(text) or not any(_BODY_END.search(t) and w >= 8 for t, w in zip(article.texts[:i], article.words[:i])):
        return BOILERPLATE, "url_line"
    return None


def rule_no_words(article: Article, i: int, settings: ClassifySettings) -> Verdict | None:
    """A paragraph with no word at all ("-", "* * *", "|", "___"): a separator of page
    furniture; or one that is only a short number (a gallery's photo count, a list
    marker cut from its item), never article text on its own.

    >>> a = Article(("___", "6", "2019", "12 people"), (1, 1, 1, 2), None)
    >>> [rule_no_words(a, i, ClassifySettings()) for i in range(4)]
    [('boilerplate', 'no_words'), ('boilerplate', 'lone_number'), None, None]
    """
    text = article.texts[i].strip()
    if article.words[i] == 0 or not text.strip("_"):
        return BOILERPLATE, "no_words"
    if _LONE_NUMBER.match(text):
        return BOILERPLATE, "lone_number"
    return None


def rule_label(article: Article, i: int, settings: ClassifySettings) -> Verdict | None:
    """A line the page itself labels ("Image caption ...", "Media caption ...", a caption
    ending on "Credit: Agency"): exact evidence, so it holds for reported speech too,
    up to label_max_words.

    >>> from newsclean.settings import Rules
    >>> rules = Rules(labels=(("caption", re.compile(r"^image caption\\b", re.I)),))
    >>> a = Article(("Image caption The minister said the talks would go on",), (10,), None)
    >>> rule_label(a, 0, ClassifySettings(rules=rules))
    ('boilerplate', 'caption')
    """
    if article.words[i] > settings.label_max_words:
        return None
    text = article.texts[i].strip()
    for name, pattern in settings.rules.labels:
        if pattern.search(text):
            return BOILERPLATE, name
    return None


def rule_allcaps_teaser(article: Article, i: int, settings: ClassifySettings) -> Verdict | None:
    """A headline in capitals set inside the text: a link to another story.

    >>> a = Article(("'DANCING WITH THE STARS' CARRIE ANN INABA OPENS UP ABOUT HEALTH",), (10,), None)
    >>> rule_allcaps_teaser(a, 0, ClassifySettings())
    ('boilerplate', 'allcaps_teaser')
    """
    text = article.texts[i]
    if not settings.allcaps_min_words <= article.words[i] <= settings.boilerplate_max_words:
        return None
    if _PRICE_MARK.search(text) or not is_headline_figures(text):
        return None  # a table row or a quote line (ticker, name, prices), not a headline
    letters = list(filter(str.isalpha, text))
    if len(letters) < 15 or _BODY_END.search(text.rstrip("'’\"”")) and text.rstrip()[-1:] in ".!?":
        return None
    upper = sum(map(str.isupper, letters))
    return (BOILERPLATE, "allcaps_teaser") if upper >= 0.9 * len(letters) else None


def is_headline_figures(text: str) -> bool:
    """Figures a headline holds: none, or one plain count ("HER LOSE 25 POUNDS"); a row of
    a table holds several, or decimals, signs and times ("ACM 41.20 +0.8", "2:55").

    >>> is_headline_figures("SINGER SAYS SHOW HELPED HER LOSE 25 POUNDS"), is_headline_figures("ACME CORP 41.20 12")
    (True, False)
    """
    figures = _FIGURE.findall(text)
    return not figures or len(figures) == 1 and _PLAIN_COUNT.fullmatch(figures[0].strip("'’\"”,;:!?")) is not None


PARAGRAPH_RULES: tuple[Callable[[Article, int, ClassifySettings], Verdict | None], ...] = (
    rule_no_words,
    rule_url_line,
    rule_code_blob,
    rule_phrase,
    rule_label,
    rule_pattern,
    rule_interface,
    rule_allcaps_teaser,
)


def first_verdict(article: Article, i: int, settings: ClassifySettings) -> tuple[Verdict | None, Callable | None]:
    """The verdict of the first per-paragraph rule that decides paragraph i, and that rule."""
    for rule in PARAGRAPH_RULES:
        verdict = rule(article, i, settings)
        if verdict:
            return verdict, rule
    return None, None


def mark_paragraph_rules(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Give every paragraph the verdict of the first of `PARAGRAPH_RULES` that decides it,
    and remember the paragraphs `rule_pattern` decided (`keep_topic_sentences` asks)."""
    for i in range(len(article.texts)):
        found.verdicts[i], rule = first_verdict(article, i, settings)
        if rule is rule_pattern:
            found.by_pattern.append(i)


def keep_topic_sentences(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """A page says a notice once: when one boilerplate pattern matches pattern_topic_hits or
    more sentences of an article ("... may earn a commission ..." in a story about affiliate
    marketing), those sentences are what the article is about, and stay body.

    >>> from newsclean.settings import Rules
    >>> rules = Rules(patterns=(("disclaimer", re.compile(r"\\bcommission\\b", re.I)),))
    >>> texts = tuple(f"Shops pay the blogger a commission of {n} percent on every sale they make." for n in (5, 6, 7))
    >>> a = Article(texts, (14, 14, 14), None)
    >>> found = Findings([("boilerplate", "disclaimer")] * 3, by_pattern=[0, 1, 2])
    >>> keep_topic_sentences(a, found, ClassifySettings(rules=rules)); found.verdicts
    [None, None, None]
    """
    verdicts = found.verdicts
    hits: dict[str, list[int]] = {}
    for i in found.by_pattern:  # the paragraphs rule_pattern decided (phrases and labels are exact)
        verdict = verdicts[i]
        if verdict is None or article.words[i] < settings.prose_min_words:
            continue
        if prose.is_sentence(article.texts[i], article.words[i], article.language, settings.sentence_min_share):
            hits.setdefault(verdict[1], []).append(i)
    for indices in hits.values():
        if len(indices) >= settings.pattern_topic_hits:
            for i in indices:
                verdicts[i] = None


def find_notice(paragraphs: Sequence[Paragraph], settings: ClassifySettings) -> str | None:
    """The crawler's or browser's notice ("Please enable JavaScript", "Access denied") a
    document consists of, or None: only when its body keeps at most `notice_max_words`
    words, so an article that mentions such a notice stays an article."""
    body_words = sum(count_words(p.text) for p in paragraphs if p.label == BODY)
    if body_words > settings.notice_max_words:
        return None
    for p in paragraphs:
        if any(pattern.search(p.text) for pattern in settings.rules.notice):
            return p.text.strip()
    return None
