"""Metadata rules: date lines, credits and the dateline, parsed into article columns.

`mark_metadata` labels date lines anywhere and credits near the head or tail and keeps
the first date and credit found; `mark_dateline` finds the dateline opening the first
body paragraph ("MOSCOW, Aug 26 (Reuters) -"), which is split off it when the paragraphs
are labelled. Dates are parsed here too (`parse_date_line`, `parse_date`): English by
dateutil, other languages by dateparser.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timezone
from functools import lru_cache

from dateutil import parser as date_parser

from newsclean.settings import ClassifySettings, Rules
from newsclean.stages.classify.article import Article, Findings, Verdict, is_prose
from newsclean.stages.records import METADATA

_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[./-]\d{1,2}[./-]\d{1,4}\b")
_DATE_WORDS = frozenset(
    w.lower().rstrip(".")
    for w in (*calendar.month_name[1:], *calendar.month_abbr[1:], *calendar.day_name, *calendar.day_abbr)
) | frozenset({"sept", "am", "pm", "a", "m", "p", "at", "on", "of", "the", "th", "st", "nd", "rd", "h", "t", "z"})


def mark_metadata(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Date lines anywhere (a line that is only a date is never prose), credits near the
    head or tail; the first date and credit found go to `found`."""
    verdicts = found.verdicts
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
        if when is None and byline is not None:  # "Reported by Jane Doe": no date before the name
            text, byline = article.texts[i].strip(), None
        if when is not None and (in_zone or byline is None):
            verdicts[i] = (METADATA, "date_line")
            published_at = published_at or when
            credit = credit or byline
        elif in_zone and is_time_stamp(text, settings.rules):
            verdicts[i] = (METADATA, "date_line")
        elif in_zone and any(p.match(text) for p in settings.rules.credit):
            verdicts[i] = (METADATA, "credit")
            credit = credit or text
    found.published_at, found.credit = published_at, credit


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


def mark_dateline(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Find the dateline opening the first body paragraph (`find_dateline`); the paragraph
    is split when labelled: the dateline becomes metadata, its sentence stays."""
    found.dateline = find_dateline(article, found.verdicts, settings.rules)


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
