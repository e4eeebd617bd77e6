"""Classify: give every paragraph a label and the name of the rule that decided it.

Rules are small functions; `classify_article` applies them in a declared order and
each paragraph keeps the first verdict it gets:

1. per-paragraph rules (`PARAGRAPH_RULES`): wordless separators, URL lines, code
   blobs, widget and prompt phrases, boilerplate patterns, all-caps teasers;
2. related-headline bullet lists before the story starts;
3. section headers with what they introduce (related stories, comment threads);
4. metadata: date lines and credits, parsed into article columns;
5. the title, then repeats of it or of any paragraph (`duplicate`);
6. on a whole page's visible text, everything outside its densest block of prose;
7. the dateline, split off the first body paragraph (its sentence stays body);
8. headline links and runs of teaser headlines after the story has begun;
9. the off-topic tail (`newsclean.stages.offtopic`);
10. everything else is `body`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from functools import lru_cache

from dateutil import parser as date_parser

from newsclean.settings import ClassifySettings, LanguageSettings, OfftopicSettings, Rules, normalise_phrase
from newsclean.stages.language import detect_language
from newsclean.stages import guard, prose
from newsclean.stages.words import count_words
from newsclean.stages.offtopic import REASON as OFFTOPIC_REASON
from newsclean.stages.offtopic import offtopic_scores
from newsclean.stages.records import (
    BODY,
    BOILERPLATE,
    DUPLICATE,
    METADATA,
    OFFTOPIC,
    TITLE,
    Document,
    Paragraph,
    Reject,
    Shard,
    stage_error,
)

STAGE = "classify"
Verdict = tuple[str, str]  # (label, reason)

_WORD = re.compile(r"\w+")
_BULLET = re.compile(r"^\s*(?:[-•*–·▪►»]|\d{1,2}[.)])\s+\S")
_BULLET_MARK = re.compile(r"^\s*[-•*–·▪►»]\s+")
_TITLE_END_BAD = re.compile(r"[.,;:…!]\s*$")  # "!" ends sentences far more often than headlines
_NOT_IN_TITLE = re.compile(r"https?://|www\.|\||@|[a-z]{3}\.\s+[A-Z]")
_BODY_END = re.compile(r"[.!?…\"”’»)。！？」』]\s*$")
_STARTS_WITH_DATE = re.compile(
    r"^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}[./-]\d{1,2}\b)", re.IGNORECASE
)
# An ellipsis right after a word or a comma: cut mid-sentence ("Noise Cancellat...").
_CUT_EXCERPT = re.compile(r"[\w,;]\s?(\.\.\.|…)\s*$")
_LONE_NUMBER = re.compile(r"^\d{1,3}[.)]?$")
_URL_LINE = re.compile(r"^(https?://|www\.)\S+$")
_IMAGE_URL = re.compile(r"\.(jpe?g|png|gif|webp|svg|avif)([?#]\S*)?$", re.IGNORECASE)
_HAS_DIGIT_OR_SYMBOL = re.compile(r"[\d@#|/:;=+*_<>\[\]{}]")
_BLOB_START = re.compile(r"^\s*(?:\[/?[a-z]\w*(?:\s+\w+=[^\]]*)?\]|string\(\d+\)\s*\"|[\[{]\s*[\"'{\[]|var\s+\w+\s*=|function\s*\(|window\.\w+|document\.\w+|<\w+[^>]*>|\{\{|\$\(|if\s*\(|@media\b|\.\w[\w-]*\s*\{)")
_BLOB_SYMBOLS = re.compile(r"[{}\[\]\"<>=;:\\|$_]")
_PRICE_MARK = re.compile(r"[$€£¥%]|\t|\S {3,}\S")
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_DATE_WORDS = frozenset(
    w.lower().rstrip(".")
    for w in (*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name, *calendar.day_abbr)
) | frozenset({"sept", "am", "pm", "a", "m", "p", "at", "on", "of", "the", "th", "st", "nd", "rd", "h", "t", "z"})


@dataclass(frozen=True)
class Article:
    """What the rules see of one article: its paragraphs' texts and the document."""

    texts: tuple[str, ...]
    words: tuple[int, ...]
    doc: Document
    language: str | None = "en"  # of the whole text, for prose evidence (function words)


def classify_shard(
    shard: Shard, settings: ClassifySettings, offtopic: OfftopicSettings, language: LanguageSettings
) -> Shard:
    """Label every paragraph of every document and fill the parsed article columns."""
    grouped = shard.paragraphs_by_article()
    documents: list[Document] = []
    paragraphs: list[Paragraph] = []
    rejects = list(shard.rejects)
    for doc in shard.documents:
        try:
            new_doc, labelled = classify_article(
                doc, grouped.get(doc.article_id, []), settings, offtopic, language
            )
        except Exception as exc:  # a bad document never fails its shard
            rejects.append(stage_error(doc, STAGE, exc))
            continue
        notice = find_notice(labelled, settings)
        if notice is not None:
            rejects.append(Reject(doc.source_path, "notice_page", notice[:300], STAGE))
            continue
        documents.append(new_doc)
        paragraphs.extend(labelled)
    return shard.with_(documents=tuple(documents), paragraphs=tuple(paragraphs), rejects=tuple(rejects))


def classify_article(
    doc: Document,
    paragraphs: Sequence[Paragraph],
    settings: ClassifySettings,
    offtopic: OfftopicSettings,
    language_settings: LanguageSettings,
) -> tuple[Document, list[Paragraph]]:
    """Label one article's paragraphs; return the document with its parsed columns."""
    rules = settings.rules
    texts = tuple(p.text for p in paragraphs)
    words = tuple(count_words(t) for t in texts)
    sample_language, sample_score = detect_language(language_sample(texts, words, settings), language_settings)
    article = Article(texts, words, doc, sample_language or "en")
    verdicts: list[Verdict | None] = [None] * len(texts)
    scores: dict[int, float] = {}

    by_pattern: list[int] = []  # paragraphs the boilerplate patterns decided
    for i in range(len(texts)):
        verdicts[i], rule = first_verdict(article, i, settings)
        if rule is rule_pattern:
            by_pattern.append(i)
    keep_topic_sentences(article, verdicts, by_pattern, settings)
    mark_headline_lists(article, verdicts, settings)
    mark_sections(article, verdicts, settings)
    mark_teaser_excerpts(article, verdicts, settings)
    published_at, credit = mark_metadata(article, verdicts, settings)
    mark_section_label(article, verdicts, settings)
    title = mark_title(article, verdicts, settings)
    mark_duplicates(article, verdicts, title, settings)
    mark_outside_main_text(article, verdicts, settings)
    split = find_dateline(article, verdicts, rules)
    mark_trailing_headlines(article, verdicts, settings)
    body = [i for i, v in enumerate(verdicts) if v is None]
    if len(body) > offtopic.min_body_paragraphs:
        language = sample_language  # one detection per article: the sample is of its prose
        opens = [i != body[0] and any(p.match(texts[i]) for p in rules.dateline) for i in body]
        tail = offtopic_scores([texts[i] for i in body], [title or ""], offtopic, language, opens)
    else:
        tail = {}
    for k, score in tail.items():
        verdicts[body[k]] = (OFFTOPIC, OFFTOPIC_REASON)
        scores[body[k]] = round(score, 4)
    guard.keep_prose_if_gutted(article, verdicts, settings, doc.title or title)

    labelled: list[Paragraph] = []
    dateline = None
    for i, para in enumerate(paragraphs):
        label, reason = verdicts[i] or (BODY, "kept")
        if split is not None and i == split[0]:
            dateline_text, cut = split[1], split[2]
            dateline = dateline_text.strip()
            labelled.append(
                replace(para, text=dateline, char_end=para.char_start + len(dateline_text.rstrip()),
                        label=METADATA, reason="dateline")
            )
            rest = para.text[cut:]
            labelled.append(replace(para, text=rest, char_start=para.char_start + cut, label=label, reason=reason))
            continue
        labelled.append(replace(para, label=label, reason=reason, score=scores.get(i)))
    labelled = [replace(p, position=n) for n, p in enumerate(labelled)]
    if published_at is None and doc.published_hint:
        published_at = parse_date(doc.published_hint, rules)
    new_doc = replace(
        doc,
        title=doc.title or title,
        published_at=published_at,
        language=sample_language,  # of its prose paragraphs; the language stage keeps it
        language_score=sample_score,
        credit=credit,
        dateline=dateline,
    )
    return new_doc, labelled


def language_sample(texts: Sequence[str], words: Sequence[int], settings: ClassifySettings) -> str:
    """The article's prose to detect its language on: its paragraphs of eight words or
    more, or as long in a script without spaces (menus and buttons say little about it),
    up to `language_sample_chars` characters; all of its text when it has no such paragraph.

    >>> language_sample(["Home", "The council voted on the budget late on Tuesday night."], [1, 10], ClassifySettings())
    'The council voted on the budget late on Tuesday night.'
    >>> language_sample(["ホーム", "市議会は火曜日の深夜に来年度の予算案を賛成多数で可決し、図書館の開館時間を維持した。"], [1, 1], ClassifySettings())
    '市議会は火曜日の深夜に来年度の予算案を賛成多数で可決し、図書館の開館時間を維持した。'
    """
    # eight words, or 40 characters in a script written without spaces (Japanese, Chinese:
    # fifteen characters or more to a word)
    prose_ = [t for t, w in zip(texts, words) if w >= 8 or len(t) >= max(40, 15 * w)] or list(texts)
    return "\n".join(prose_)[: settings.language_sample_chars]


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


# --- per-paragraph rules ---------------------------------------------------------------


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
    text = article.texts[i].strip()
    attribution = settings.rules.attribution
    if attribution and article.words[i] >= settings.attributed_min_words and attribution.search(text):
        return None
    for name, pattern in settings.rules.patterns:
        if pattern.search(text):
            return BOILERPLATE, name
    return None


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
    if any(c.isdigit() for c in text) or _PRICE_MARK.search(text):
        return None  # a table row or a quote line (ticker, name, prices), not a headline
    letters = list(filter(str.isalpha, text))
    if len(letters) < 15 or _BODY_END.search(text.rstrip("'’\"”")) and text.rstrip()[-1:] in ".!?":
        return None
    upper = sum(map(str.isupper, letters))
    return (BOILERPLATE, "allcaps_teaser") if upper >= 0.9 * len(letters) else None


PARAGRAPH_RULES: tuple[Callable[[Article, int, ClassifySettings], Verdict | None], ...] = (
    rule_no_words,
    rule_url_line,
    rule_code_blob,
    rule_phrase,
    rule_label,
    rule_pattern,
    rule_allcaps_teaser,
)


def first_verdict(article: Article, i: int, settings: ClassifySettings) -> tuple[Verdict | None, Callable | None]:
    """The verdict of the first per-paragraph rule that decides paragraph i, and that rule."""
    for rule in PARAGRAPH_RULES:
        verdict = rule(article, i, settings)
        if verdict:
            return verdict, rule
    return None, None


def keep_topic_sentences(
    article: Article, verdicts: list[Verdict | None], by_pattern: Sequence[int], settings: ClassifySettings
) -> None:
    """A page says a notice once: when one boilerplate pattern matches pattern_topic_hits or
    more sentences of an article ("... may earn a commission ..." in a story about affiliate
    marketing), those sentences are what the article is about, and stay body.

    >>> from newsclean.settings import Rules
    >>> rules = Rules(patterns=(("disclaimer", re.compile(r"\\bcommission\\b", re.I)),))
    >>> texts = tuple(f"Shops pay the blogger a commission of {n} percent on every sale they make." for n in (5, 6, 7))
    >>> a = Article(texts, (14, 14, 14), None)
    >>> v = [("boilerplate", "disclaimer")] * 3
    >>> keep_topic_sentences(a, v, [0, 1, 2], ClassifySettings(rules=rules)); v
    [None, None, None]
    """
    hits: dict[str, list[int]] = {}
    for i in by_pattern:  # the paragraphs rule_pattern decided (phrases and labels are exact)
        verdict = verdicts[i]
        if verdict is None or article.words[i] < settings.prose_min_words:
            continue
        if prose.is_sentence(article.texts[i], article.words[i], article.language, settings.sentence_min_share):
            hits.setdefault(verdict[1], []).append(i)
    for indices in hits.values():
        if len(indices) >= settings.pattern_topic_hits:
            for i in indices:
                verdicts[i] = None


# --- rules that look at neighbours and position ---------------------------------------


def is_title_shaped(text: str, max_words: int, min_words: int = 2) -> bool:
    """A headline: short, starts with a capital, no sentence-final period or comma.

    >>> is_title_shaped("Russia, US working on joint document on Syrian strikes", 25)
    True
    >>> is_title_shaped("The talks resumed on Friday.", 25)
    False
    >>> is_title_shaped("Tested by: John Milbank RRP: £23.99 More info: www.clymer.co.uk", 25)
    False
    """
    words = _WORD.findall(text)
    if not min_words <= len(words) <= max_words or _BULLET.match(text):
        return False
    if text.count(":") > 1 or _NOT_IN_TITLE.search(text):
        return False
    first = text.lstrip("‘'\"“«(")[:1]
    return (first.isupper() or first.isdigit()) and not _TITLE_END_BAD.search(text.rstrip("'’\"”»"))


def mark_headline_lists(article: Article, verdicts: list[Verdict | None], settings: ClassifySettings) -> None:
    """A run of bullet headlines before the article starts: links to related stories.

    Only at the head: a bullet list inside or after the body is usually the article's
    own list (results, schedules, steps), which readers want kept.
    """
    run = []
    for i, text in enumerate(article.texts):
        if verdicts[i] is not None:
            continue
        if not _BULLET.match(text):
            break
        run.append(i)
    if len(run) < settings.min_list_items:
        return
    headline_like = [i for i in run if settings.trailer_min_words <= article.words[i] <= settings.trailer_max_words
                     and not _BODY_END.search(article.texts[i])]
    if len(headline_like) == len(run):
        for i in run:
            verdicts[i] = (BOILERPLATE, "related_headline_list")


def is_teaser_shaped(text: str, words: int, settings: ClassifySettings) -> bool:
    """A headline or teaser line of a link list: short, or without a full stop."""
    return words == 0 or words <= settings.trailer_max_words or (
        words <= settings.boilerplate_max_words and not _BODY_END.search(text)
    )


def mark_sections(article: Article, verdicts: list[Verdict | None], settings: ClassifySettings) -> None:
    """Section headers of page furniture and what follows them.

    A related-stories header ("More from Sports", "Don't miss") takes the teaser-shaped
    paragraphs after it, up to the next paragraph of prose. A comment header in the
    second half of the article ("Top Rated Comments") takes everything after it.
    """
    rules = settings.rules
    n = len(article.texts)
    i = 0
    while i < n:
        text, words = article.texts[i], article.words[i]
        key = normalise_phrase(text)
        if words <= 6 and (verdicts[i] is None or verdicts[i][0] == BOILERPLATE):
            is_comment_header = key in rules.comment_headers or any(p.match(key) for p in rules.comment_header_patterns)
            if is_comment_header and (i >= n / 2 or _prose_before(article, verdicts, i) >= settings.min_list_items + 1):
                verdicts[i] = (BOILERPLATE, "comment_thread")
                for k in range(i + 1, n):
                    if verdicts[k] is None or verdicts[k][0] != BOILERPLATE:
                        verdicts[k] = (BOILERPLATE, "comment_thread")
                return
            if key in rules.related_headers or any(p.match(key) for p in rules.related_header_patterns):
                k, taken = i + 1, 0
                while k < n and taken < settings.section_max_items and (
                    verdicts[k] is not None or is_teaser_line(article, k, settings)
                ):
                    if verdicts[k] is None:
                        verdicts[k] = (BOILERPLATE, "related_stories")
                        taken += 1
                    k += 1
                verdicts[i] = (BOILERPLATE, "related_stories")
                i = k
                continue
        i += 1


_SPEAKER = re.compile(r"^\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}|Q|A)\s*:\s+\S")


_FIGURE = re.compile(r"^[-+(]?[$€£]?\d[\d.,:/%x×-]*\)?$")


def is_figure_row(text: str) -> bool:
    """A table row: three or more standalone figures, at least a third of its tokens.
    Headlines carry one number or two, not columns of them.

    >>> is_figure_row("17 Daniel Suarez 846 0 1 4 11"), is_figure_row("Man, 42, held after crash on Route 9")
    (True, False)
    """
    tokens = text.split()
    figures = sum(1 for t in tokens if _FIGURE.match(t))
    return figures >= 3 and figures * 3 >= len(tokens)


def is_cut_mid_phrase(text: str, words: int, language: str | None, settings: ClassifySettings) -> bool:
    """A teaser cut at a word count: no closing punctuation and its last word a function
    word of its language ("... was set to the"), which no headline or paragraph ends on.

    >>> is_cut_mid_phrase("Pacific Gas & Electric Co. was set to the", 9, "en", ClassifySettings())
    True
    >>> is_cut_mid_phrase("Council approves the budget", 4, "en", ClassifySettings())
    False
    """
    if words > settings.boilerplate_max_words or _BODY_END.search(text):
        return False
    last = re.findall(r"[^\W\d_]+", text[-40:].lower())
    return bool(last) and last[-1] in prose.function_words(language)


def is_teaser_line(article: Article, i: int, settings: ClassifySettings) -> bool:
    """A line of a related-stories block: teaser-shaped or a cut excerpt, and not a
    sentence of the article's language nor a speaker's line of a transcript
    ("SMITH: We will.", "Q: Why now?"), which are the article's own text.

    >>> a = Article(("Related", "Man held after crash on Route 9", "COACH: We played well tonight."), (1, 7, 5), None)
    >>> is_teaser_line(a, 1, ClassifySettings()), is_teaser_line(a, 2, ClassifySettings())
    (True, False)
    """
    text, words = article.texts[i], article.words[i]
    if is_figure_row(text):
        return False  # a row of a table (standings, results, prices): the article's data
    if is_cut_excerpt(text, words, settings) or is_cut_mid_phrase(text, words, article.language, settings):
        return True
    if not is_teaser_shaped(text, words, settings) or _SPEAKER.match(text):
        return False
    if words <= settings.trailer_max_words and not _BODY_END.search(text):
        return True  # a headline: no sentence's end, however many function words it holds
    return not prose.is_sentence(text, words, article.language, settings.sentence_min_share)


def is_prose(text: str, words: int, settings: ClassifySettings) -> bool:
    """A paragraph of running text: enough words, ending like a sentence (or long)."""
    return words >= settings.prose_min_words and (bool(_BODY_END.search(text)) or words >= 2 * settings.prose_min_words)


def is_page_shaped(article: Article, settings: ClassifySettings) -> bool:
    """The visible text of a whole page rather than an article: many paragraphs, a large
    share of them tiny (menu items, buttons: 3 words or fewer) and little prose.

    On the benchmark, naive visible text has 40-87% tiny lines (median 62%); extractor
    outputs have 0-27% (one page 45%), so the two tests together separate them.
    """
    n = len(article.texts)
    if n < settings.page_min_paragraphs:
        return False
    tiny = count_menu_items(article.texts, article.words, settings.page_table_share)
    prose = sum(1 for t, w in zip(article.texts, article.words) if is_prose(t, w, settings))
    return tiny >= settings.page_tiny_share * n and prose <= settings.page_prose_share * n


def count_menu_items(texts: Sequence[str], words: Sequence[int], table_share: float) -> int:
    """Tiny lines (1-3 words: menu items, buttons) of a text. When at least `table_share`
    of them hold figures, the text holds a table (snap counts, stock quotes, results) and
    its figure cells are not page furniture: only the wordy tiny lines count.

    >>> count_menu_items(["Home", "World", "Sports", "2019"], [1, 1, 1, 1], 0.4)
    4
    >>> count_menu_items(["Brady", "61", "100%", "Evans", "58", "95%"], [1, 1, 1, 1, 1, 1], 0.4)
    2
    """
    tiny = [t for t, w in zip(texts, words) if 1 <= w <= 3]
    figures = sum(1 for t in tiny if any(c.isdigit() for c in t))
    if tiny and figures >= table_share * len(tiny):
        return len(tiny) - figures
    return len(tiny)


def mark_outside_main_text(article: Article, verdicts: list[Verdict | None], settings: ClassifySettings) -> None:
    """On a whole page's visible text (menus, footers and all), keep the densest block of
    prose and label the lines outside it as page furniture.

    Only for page-shaped texts (`is_page_shaped`); extractor output is left alone. The block is the run of
    paragraphs with the largest sum of prose words minus a cost per short line
    (a maximum-sum subarray), so subheads and captions inside the story stay in it.
    """
    if not is_page_shaped(article, settings):
        return
    open_ = [i for i, v in enumerate(verdicts) if v is None]
    # Prose here is shape only: also asking for a sentence's share of function words
    # helped the tune fold by 0.016 F1 and cost the check fold 0.011 (overfitting); asking
    # it only of long lines with no sentence end (a drop-down's forty names) helped tune
    # html-text by 0.013 and cost check 0.001 F1 (0.007 recall): reverted too.
    prose_ = [is_prose(article.texts[i], article.words[i], settings) for i in open_]
    topic = page_topic(article)
    best, best_span, running, start = 0.0, None, 0.0, 0
    for k, i in enumerate(open_):
        if prose_[k]:
            near = prose.affinity(article.texts[i], topic, article.language) if topic else 0.0
            gain = article.words[i] * (1 + settings.title_affinity_weight * near)
        else:
            gain = -settings.short_line_cost
        if running <= 0:
            running, start = 0.0, k
        running += gain
        if running > best:
            best, best_span = running, (start, k)
    if best_span is None:
        return
    first, last = best_span
    last = extend_over_list(article, open_, last, settings)
    for k, i in enumerate(open_):
        if k < first or k > last:
            verdicts[i] = (BOILERPLATE, "outside_main_text")


_LIST_SEPARATOR = re.compile(r"\s(--|[-–—@|•:])\s|,\s")


def list_signature(text: str) -> tuple[str, str] | None:
    """The lead shape of a list line: the kind of its first token (figure, word, date-ish
    word + figure) and its first separator; None for a line without separator.

    >>> list_signature("June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL")
    ('word+figure', '--')
    >>> list_signature("Home") is None
    True
    """
    match = _LIST_SEPARATOR.search(text)
    if not match:
        return None
    head = text[: match.start()].split()
    if not head:
        return None
    kind = "figure" if head[0][:1].isdigit() else "word+figure" if len(head) > 1 and head[1][:1].isdigit() else "word"
    return kind, match.group(1) or ","


def extend_over_list(article: Article, open_: Sequence[int], last: int, settings: ClassifySettings) -> int:
    """The main block's end moved over a list that continues the story: an optional
    short header ("Tour dates:", "2020 Tour Dates") then at least `min_list_run` lines of one lead shape
    (tour dates, results, schedules), at most `section_max_items` * 5 lines."""
    k = last + 1
    if k < len(open_) and article.words[open_[k]] <= 8 and (
        article.texts[open_[k]].rstrip().endswith(":") or not _BODY_END.search(article.texts[open_[k]])
    ):
        k += 1  # the list's header
    start, signature = k, None
    while k < len(open_) and k - start < settings.section_max_items * 5:
        i = open_[k]
        shape = list_signature(article.texts[i]) if article.words[i] >= 3 else None
        if shape is None or (signature is not None and shape != signature):
            break
        signature = shape
        k += 1
    return k - 1 if k - start >= settings.min_list_run else last


def page_topic(article: Article) -> set[str]:
    """The content words of the page's headline: the title metadata names, else the
    first line (a page's visible text opens with its <title>)."""
    headline = article.doc.title if article.doc is not None and article.doc.title else None
    if headline is None:
        headline = next((t for t, w in zip(article.texts, article.words) if w >= 3), "")
    return prose.headline_words(headline, article.language)


def is_cut_excerpt(text: str, words: int, settings: ClassifySettings) -> bool:
    """A summary cut off mid-sentence with an ellipsis, as teaser lists show them.

    >>> is_cut_excerpt("The AirPods Pro features Active Noise Cancellat...", 10, ClassifySettings())
    True
    >>> is_cut_excerpt("He paused. And then... nothing.", 10, ClassifySettings())
    False
    """
    return words >= settings.excerpt_min_words and bool(_CUT_EXCERPT.search(text))


def mark_teaser_excerpts(article: Article, verdicts: list[Verdict | None], settings: ClassifySettings) -> None:
    """A listing of other pages: headline lines each followed by an excerpt cut off with
    an ellipsis. At least `min_list_items` different such pairs make a listing; a lone
    pair, or excerpts without headlines (a writer's "... which is …"), stay."""
    excerpts = [
        i for i in range(1, len(article.texts))
        if verdicts[i] is None and verdicts[i - 1] is None and is_cut_excerpt(article.texts[i], article.words[i], settings)
    ]
    pairs = [i for i in excerpts if _is_headline_line(article, i - 1, settings)]
    if len({normalise_phrase(article.texts[i]) for i in pairs}) < settings.min_list_items:
        return
    # In a listing, a headline may be cut off too ("... plus JBL he...").
    pairs += [i for i in excerpts if i not in pairs and _is_cut_headline(article, i - 1, settings)]
    for i in pairs:
        verdicts[i - 1] = verdicts[i] = (BOILERPLATE, "teaser_excerpt")


def _is_cut_headline(article: Article, i: int, settings: ClassifySettings) -> bool:
    return settings.trailer_min_words <= article.words[i] <= settings.trailer_max_words and bool(
        _CUT_EXCERPT.search(article.texts[i])
    )


def _prose_before(article: Article, verdicts: list[Verdict | None], i: int) -> int:
    return sum(1 for k in range(i) if verdicts[k] is None and _looks_like_body(article, k))


def _looks_like_body(article: Article, i: int) -> bool:
    return article.words[i] >= 8 and bool(_BODY_END.search(article.texts[i]))


def mark_metadata(
    article: Article, verdicts: list[Verdict | None], settings: ClassifySettings
) -> tuple[datetime | None, str | None]:
    """Date lines anywhere (a line that is only a date is never prose), credits near the
    head or tail; return the first date and credit found."""
    n = len(article.texts)
    published_at: datetime | None = None
    credit: str | None = None
    # the tail also reaches back to the article's last open paragraph of prose, however
    # much page furniture follows it (a bio or credit before the site's footer)
    last_prose = max((k for k in range(n) if verdicts[k] is None and is_prose(article.texts[k], article.words[k], settings)),
                     default=-1)
    for i in range(n):
        if verdicts[i] is not None or article.words[i] > settings.credit_max_words:
            continue
        text = article.texts[i].strip()
        in_zone = i < settings.head_depth or i >= min(n - settings.tail_depth, last_prose)
        in_zone = in_zone or any(p.match(text) for p in settings.rules.credit_anywhere)
        if article.words[i] > settings.metadata_max_words:  # long: only a contributor credit
            if in_zone and any(p.match(text) for p in settings.rules.credit):
                verdicts[i] = (METADATA, "credit")
                credit = credit or text
            continue
        byline = None
        for suffix in settings.rules.date_suffix:
            match = suffix.search(text)
            if match:
                text, byline = text[: match.start()], match.group(1)
                break
        when = parse_date_line(text, settings.rules)
        if when is not None and (in_zone or byline is None):
            verdicts[i] = (METADATA, "date_line")
            published_at = published_at or when
            credit = credit or byline
        elif in_zone and is_time_stamp(text, settings.rules):
            verdicts[i] = (METADATA, "date_line")
        elif in_zone and any(p.match(text) for p in settings.rules.credit):
            verdicts[i] = (METADATA, "credit")
            credit = credit or text
    return published_at, credit


def is_time_stamp(text: str, rules: Rules) -> bool:
    """"Updated at 1:23 p.m.": a stamp with a prefix but no date to parse.

    >>> is_time_stamp("Updated at 1:23 p.m.", Rules(date_prefix=(re.compile(r"^updated\\s*(at)?\\s*", re.I),)))
    True
    """
    for prefix in rules.date_prefix:
        rest = prefix.sub("", text, count=1)
        if rest != text:
            words = re.findall(r"[^\W\d_]+", rest.lower())
            return bool(re.search(r"\d", rest)) and all(w in _DATE_WORDS for w in words)
    return False


def mark_section_label(article: Article, verdicts: list[Verdict | None], settings: ClassifySettings) -> None:
    """A one- or two-word first line above the story ("Deals", "immunology"): the page's
    section or kicker label, not article text."""
    first = next((i for i, v in enumerate(verdicts) if v is None), None)
    if first is None or first + 1 >= len(article.texts):
        return
    text = article.texts[first]
    if article.doc.title and normalise_phrase(text) == normalise_phrase(article.doc.title):
        return  # a short headline ("Library hours") that the page's metadata names: the title
    if 1 <= article.words[first] <= 2 and not re.search(r"[\d.,;:!?()]", text):
        verdicts[first] = (BOILERPLATE, "section_label")


def mark_title(article: Article, verdicts: list[Verdict | None], settings: ClassifySettings) -> str | None:
    """The headline: the known title's paragraph, else the first title-shaped one up top."""
    hint = article.doc.title
    if hint:
        wanted = normalise_phrase(hint)
        for i, text in enumerate(article.texts[: settings.head_depth]):
            if verdicts[i] is None and normalise_phrase(text) == wanted:
                verdicts[i] = (TITLE, "title_metadata")
                return text.strip()
        return None
    seen = 0
    for i, text in enumerate(article.texts):
        if verdicts[i] is not None:
            continue
        seen += 1
        if seen > settings.title_search_depth or not is_title_shaped(
            text, settings.title_max_words, settings.title_min_words
        ):
            return None
        verdicts[i] = (TITLE, "first_short_line")
        return text.strip()
    return None


def mark_duplicates(
    article: Article, verdicts: list[Verdict | None], title: str | None, settings: ClassifySettings
) -> None:
    """A paragraph repeating the title, or a copy of an earlier paragraph.

    Repetition is sometimes structure, not copying: an interview asks every guest the
    same questions, a questionnaire repeats its prompts ("What would you change first:"),
    a recipe repeats an ingredient line. Those shapes (`is_structure_line`) repeat
    unless a line follows its own copy at once. Short lines and bullet items are never
    duplicates: lists legitimately repeat them ("GPS", "- Easy setup").
    """
    keys = [normalise_phrase(text) for text in article.texts]
    first_seen: dict[str, int] = {}
    title_key = normalise_phrase(article.doc.title or title or "")
    for i, key in enumerate(keys):
        if not key:
            continue
        if verdicts[i] is None:
            if key == title_key:
                verdicts[i] = (DUPLICATE, "repeated_title")
            elif key in first_seen and is_copy(article, keys, first_seen[key], i, settings):
                verdicts[i] = (DUPLICATE, "repeated_paragraph")
        first_seen.setdefault(key, i)


def is_copy(article: Article, keys: Sequence[str], j: int, i: int, settings: ClassifySettings) -> bool:
    """Whether paragraph i, which repeats paragraph j, is a copy rather than structure: a
    structure line is a copy only inside a copied block (a neighbour repeats with it, as
    when an extractor returns a passage twice) or right after itself."""
    text, words = article.texts[i], article.words[i]
    if words < settings.duplicate_min_words or _BULLET.match(text):
        return False
    if i == j + 1 or not is_structure_line(text):
        return True
    before = j > 0 and bool(keys[i - 1]) and keys[i - 1] == keys[j - 1]
    after = i + 1 < len(keys) and bool(keys[i + 1]) and keys[i + 1] == keys[j + 1]
    return before or after


_QUANTITY = re.compile(r"^\s*(?:\d+(?:[.,/]\d+)?|[½¼¾⅓⅔⅛])\s*\w")


def is_structure_line(text: str) -> bool:
    """A line an article repeats by design: a question, a prompt ending in a colon, a
    quantity line of a recipe or a list.

    >>> is_structure_line("What is the biggest problem facing the town?"), is_structure_line("2 cups flour, sifted twice over")
    (True, True)
    >>> is_structure_line("Click here to read the full story on our site")
    False
    """
    end = text.rstrip().rstrip("\"”’'»)")[-1:]
    return end in "?:" and end != "" or bool(_QUANTITY.match(text))


def find_dateline(
    article: Article, verdicts: list[Verdict | None], rules: Rules
) -> tuple[int, str, int] | None:
    """(paragraph index, dateline text, offset where the sentence starts) of the dateline
    opening the first body paragraph, if it has one."""
    for i, text in enumerate(article.texts):
        if verdicts[i] is not None:
            continue
        for pattern in rules.dateline:
            match = pattern.match(text)
            if match and len(text) - match.end("dateline") > 20:
                return i, match.group("dateline"), match.end("dateline")
        return None
    return None


def mark_trailing_headlines(article: Article, verdicts: list[Verdict | None], settings: ClassifySettings) -> None:
    """Headline-shaped paragraphs after the story has begun: links to other stories.

    - one last paragraph right after a finished body paragraph ("Turkish leaders lash
      out at demands to open border");
    - a run of two headlines ending the text, or of three before the story starts or
      anywhere after its first paragraphs of prose, in Title Case ("15 Amazing Images of Stars") and of headline
      length (a list of names or places, "Blue Origin, Kent, Washington", is shorter).
    A run in sentence case or with dates and venues is the article's own list (tour
    dates, results) and stays.
    """
    remaining = [i for i, v in enumerate(verdicts) if v is None]
    if len(remaining) < 2:
        return
    headline = [_is_headline_line(article, i, settings) for i in remaining]
    runs: list[list[int]] = []
    for k, i in enumerate(remaining):
        if headline[k] and runs and runs[-1][-1] == remaining[k - 1] and headline[k - 1]:
            runs[-1].append(i)
        elif headline[k]:
            runs.append([i])
    for run in runs:
        at_end = run[-1] == remaining[-1]
        prose_before = _prose_before(article, verdicts, run[0])
        if prose_before < 1 and len(run) < 3:
            continue
        if len(run) == 1:
            before = remaining[remaining.index(run[0]) - 1]
            if not at_end or _HAS_DIGIT_OR_SYMBOL.search(article.texts[run[0]]) or not _looks_like_body(article, before):
                continue
        elif len(run) == 2:
            if not at_end or not all(is_title_case(article.texts[i]) for i in run):
                continue
        elif (
            prose_before == 1
            or sum(article.words[i] for i in run) < settings.run_min_avg_words * len(run)
            or not all(is_title_case(article.texts[i], settings.run_title_case_share) for i in run)
        ):
            continue
        for i in run:
            verdicts[i] = (BOILERPLATE, "trailing_headline")


def _is_headline_line(article: Article, i: int, settings: ClassifySettings) -> bool:
    text = _BULLET_MARK.sub("", article.texts[i], count=1)
    if not settings.trailer_min_words <= article.words[i] <= settings.trailer_max_words:
        return False
    if _BODY_END.search(text) or "@" in text or _STARTS_WITH_DATE.match(text):
        return False
    return is_title_shaped(text, settings.trailer_max_words)


def is_title_case(text: str, share: float = 0.6) -> bool:
    """Most longer words capitalised, as headlines in Title Case are.

    >>> is_title_case("11 Fascinating Facts About Our Milky Way Galaxy"), is_title_case("Teens love their new phones")
    (True, False)
    """
    long_words = [w for w in _WORD.findall(text) if len(w) >= 4 and not w.isdigit()]
    if len(long_words) < 2:
        return False
    return sum(1 for w in long_words if w[0].isupper()) >= share * len(long_words)


# --- dates ---------------------------------------------------------------------------


def parse_date_line(text: str, rules: Rules) -> datetime | None:
    """The moment a short date line states, in UTC; None when the line is not just a date.

    English date lines go to dateutil; a short line in another language with a year
    goes to dateparser, which knows month and weekday names in many languages.

    >>> parse_date_line("October 7, 2015, 5:08 am", Rules())
    datetime.datetime(2015, 10, 7, 5, 8, tzinfo=datetime.timezone.utc)
    >>> parse_date_line("Sat Aug 27, 2016 08:57:09", Rules())
    datetime.datetime(2016, 8, 27, 8, 57, 9, tzinfo=datetime.timezone.utc)
    >>> parse_date_line("sexta-feira, 22 de outubro de 2010 às 20:13", Rules())
    datetime.datetime(2010, 10, 22, 20, 13, tzinfo=datetime.timezone.utc)
    >>> parse_date_line("Talks resumed in 2016 after a pause", Rules()) is None
    True
    >>> parse_date_line("Copyright 2019 Hearst Media", Rules()) is None
    True
    """
    for prefix in rules.date_prefix:
        text = prefix.sub("", text, count=1)
    if not (_YEAR.search(text) or _NUMERIC_DATE.search(text)):
        return None
    words = re.findall(r"[^\W\d_]+", text.lower())
    allowed = _DATE_WORDS | {z.lower() for z in rules.timezones}
    if all(w in allowed for w in words):
        return parse_date(text, rules)
    # dateparser only sees lines that name a month or weekday in some language or hold a
    # numeric date: a year alone is no date ("Copyright 2019 Hearst Media"), and dateparser
    # spends up to a quarter of a second finding that out, trying every locale.
    if len(words) > 8 or not _YEAR.search(text):
        return None
    names = _calendar_names()
    languages = sorted({lang for w in words for lang in names.get(w, ())})
    if languages or _NUMERIC_DATE.search(text):
        return _parse_foreign_date(text, tuple(languages) or None)
    return None


def _parse_foreign_date(text: str, languages: tuple[str, ...] | None = None) -> datetime | None:
    """dateparser on a date line, told which languages to try (those whose month or
    weekday names the line holds): trying every locale costs ~70 ms a line, these ~3 ms.

    Lines recur across a crawl (an embedded post's "— Name (@handle) November 18, 2019",
    a site's footer), and most lines dateparser is asked about hold no date, its
    costliest answer (every locale given is tried). Those answers are remembered
    (`_NOT_DATES`); a date found is parsed anew each time, since dateparser reads
    relative dates ("3 days ago") against the clock."""
    key = (text, languages)
    if key in _NOT_DATES:
        return None
    import dateparser  # slow to import; only non-English date lines need it

    when = dateparser.parse(
        text, languages=list(languages) if languages else None,
        settings={"RETURN_AS_TIMEZONE_AWARE": True, "TO_TIMEZONE": "UTC"},
    )
    if when is None or not 1990 <= when.year <= 2100:
        if len(_NOT_DATES) < MAX_NOT_DATES:
            _NOT_DATES.add(key)
        return None
    return when.astimezone(timezone.utc)


MAX_NOT_DATES = 20_000  # (line, languages) pairs remembered as holding no date (~4 MB at most)
_NOT_DATES: set[tuple[str, tuple[str, ...] | None]] = set()


@lru_cache(maxsize=1)
def _calendar_names() -> dict[str, frozenset[str]]:
    """Month and weekday names and abbreviations, lowercased, in every language dateparser
    knows (its own locale data: ~5,500 words from 205 locales), each with the languages
    (dateparser's codes) that use it."""
    from dateparser.languages.loader import LocaleDataLoader

    keys = (*(m.lower() for m in calendar.month_name[1:]), *(d.lower() for d in calendar.day_name))
    names: dict[str, set[str]] = {}
    for locale in LocaleDataLoader().get_locales(use_given_order=False):
        language = locale.shortname.split("-")[0]
        for key in keys:
            for name in locale.info.get(key, ()):
                names.setdefault(name.lower(), set()).add(language)
    return {name: frozenset(langs) for name, langs in names.items()}


def parse_date(text: str, rules: Rules) -> datetime | None:
    """Parse a date string (ISO 8601 or free form) to UTC; naive times are taken as UTC.

    >>> parse_date("2016-08-27T08:57:09+03:00", Rules())
    datetime.datetime(2016, 8, 27, 5, 57, 9, tzinfo=datetime.timezone.utc)
    """
    tzinfos = {name: int(hours * 3600) for name, hours in rules.timezones.items()}
    try:
        when = date_parser.parse(text, fuzzy=True, tzinfos=tzinfos)
    except (ValueError, OverflowError, TypeError):
        return None
    if not 1990 <= when.year <= 2100:
        return None
    if when.tzinfo is None:
        return when.replace(tzinfo=timezone.utc)
    return when.astimezone(timezone.utc)

