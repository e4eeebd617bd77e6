"""The schema of rules.toml (the classify stage's word lists and patterns) and the
`Rules` they compile to.

Each table and what its keys hold is declared below: phrase lists (strings), pattern lists
(regular expressions, each compiled when the file is read) and time-zone offsets (finite
numbers). A misspelt table or key, or a list written as a string, is refused: it would
switch rules off, or compile each character as a pattern.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Strict, StrictStr


@dataclass(frozen=True)
class FurnitureModel:
    """The weights of `classify.meaning`'s logistic model (one per feature) and its bias."""

    weights: tuple[float, ...]
    bias: float


@dataclass(frozen=True)
class Rules:
    """Word lists and patterns of config/rules.toml, compiled.

    `phrases` maps a normalised whole paragraph to its rule name; `patterns` are
    (rule name, compiled pattern) in file order.
    """

    phrases: dict[str, str] = field(default_factory=dict)
    patterns: tuple[tuple[str, re.Pattern[str]], ...] = ()
    labels: tuple[tuple[str, re.Pattern[str]], ...] = ()  # explicit labels: no attribution guard
    credit: tuple[re.Pattern[str], ...] = ()
    credit_anywhere: tuple[re.Pattern[str], ...] = ()
    date_prefix: tuple[re.Pattern[str], ...] = ()
    date_suffix: tuple[re.Pattern[str], ...] = ()
    related_headers: frozenset[str] = frozenset()
    related_header_patterns: tuple[re.Pattern[str], ...] = ()
    comment_headers: frozenset[str] = frozenset()
    comment_header_patterns: tuple[re.Pattern[str], ...] = ()
    attribution: re.Pattern[str] | None = None
    dateline: tuple[re.Pattern[str], ...] = ()
    notice: tuple[re.Pattern[str], ...] = ()
    timezones: dict[str, float] = field(default_factory=dict)
    interface: dict[str, str] = field(default_factory=dict)  # lower-cased word -> rule name
    interface_common: frozenset[str] = frozenset()
    interface_slots: frozenset[str] = frozenset()
    interface_reader: frozenset[str] = frozenset()
    furniture_model: FurnitureModel | None = None


def check_patterns(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """The patterns, if each is a regular expression that can match less than everything."""
    for pattern in patterns:
        if not pattern.strip():
            raise ValueError("holds an empty pattern, which matches everything")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise ValueError(f"bad pattern {pattern!r}: {exc}") from None
    return patterns


Phrases = tuple[StrictStr, ...]
Patterns = Annotated[tuple[StrictStr, ...], AfterValidator(check_patterns)]
Offset = Annotated[float, Strict()]  # hours from UTC; finite (the tables refuse nan and inf)


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Boilerplate(Table):
    phrases: dict[str, Phrases] = {}  # rule name -> whole paragraphs
    patterns: dict[str, Patterns] = {}  # rule name -> patterns searched in short paragraphs
    labels: dict[str, Patterns] = {}  # rule name -> a page's own labels (captions, credits)
    interface: dict[str, Phrases] = {}  # rule name -> words of that class of page controls
    interface_common: Phrases = ()  # interface words of no one class ("get", "free")
    interface_slots: Phrases = ()  # words that fill a prompt's slots (months, days)
    interface_reader: Phrases = ()  # words that speak to the reader ("you", "our")


class MetadataPatterns(Table):
    credit: Patterns = ()
    credit_anywhere: Patterns = ()
    date_prefix: Patterns = ()
    date_suffix: Patterns = ()
    dateline: Patterns = ()


class Metadata(Table):
    patterns: MetadataPatterns = MetadataPatterns()


class Documents(Table):
    notice: Patterns = ()


class Sections(Table):
    related_header: Phrases = ()
    related_header_patterns: Patterns = ()
    comment_header: Phrases = ()
    comment_header_patterns: Patterns = ()


class Guards(Table):
    attribution: Phrases = ()


class Dates(Table):
    timezones: dict[str, Offset] = {}


class FurnitureModelTable(Table):
    """`[furniture_model]`: written by bench/train_furniture.py, never by hand."""

    trained_on: StrictStr = ""
    weights: tuple[Offset, ...] = ()
    bias: Offset = 0.0


class RulesFile(Table):
    """A whole rules.toml."""

    boilerplate: Boilerplate = Boilerplate()
    metadata: Metadata = Metadata()
    documents: Documents = Documents()
    sections: Sections = Sections()
    guards: Guards = Guards()
    dates: Dates = Dates()
    furniture_model: FurnitureModelTable = FurnitureModelTable()


def compile_rules(data: RulesFile) -> Rules:
    """The compiled rules of a checked rules file: phrases normalised, patterns compiled
    (case-insensitive but for credits, date suffixes and datelines)."""
    boiler, meta, sections = data.boilerplate, data.metadata.patterns, data.sections
    phrases: dict[str, str] = {}
    for name, words in boiler.phrases.items():
        for phrase in words:
            phrases.setdefault(normalise_phrase(phrase), name)
    attribution = data.guards.attribution
    interface: dict[str, str] = {}
    for name, words in boiler.interface.items():
        for word in words:
            interface.setdefault(word.lower(), name)
    return Rules(
        interface=interface,
        interface_common=frozenset(w.lower() for w in boiler.interface_common),
        interface_slots=frozenset(w.lower() for w in boiler.interface_slots),
        interface_reader=frozenset(w.lower() for w in boiler.interface_reader),
        attribution=re.compile(
            r"\b(" + "|".join(re.escape(w) for w in attribution) + r")\b", re.IGNORECASE
        ) if attribution else None,
        date_suffix=tuple(re.compile(p) for p in meta.date_suffix),
        related_headers=frozenset(normalise_phrase(p) for p in sections.related_header),
        related_header_patterns=tuple(re.compile(p, re.IGNORECASE) for p in sections.related_header_patterns),
        comment_headers=frozenset(normalise_phrase(p) for p in sections.comment_header),
        comment_header_patterns=tuple(re.compile(p, re.IGNORECASE) for p in sections.comment_header_patterns),
        phrases=phrases,
        patterns=tuple((name, re.compile(p, re.IGNORECASE)) for name, plist in boiler.patterns.items() for p in plist),
        labels=tuple((name, re.compile(p, re.IGNORECASE)) for name, plist in boiler.labels.items() for p in plist),
        credit=tuple(re.compile(p) for p in meta.credit),
        credit_anywhere=tuple(re.compile(p) for p in meta.credit_anywhere),
        date_prefix=tuple(re.compile(p, re.IGNORECASE) for p in meta.date_prefix),
        dateline=tuple(re.compile(p) for p in meta.dateline),
        notice=tuple(re.compile(p, re.IGNORECASE) for p in data.documents.notice),
        timezones={k: float(v) for k, v in data.dates.timezones.items()},
        furniture_model=FurnitureModel(tuple(data.furniture_model.weights), float(data.furniture_model.bias))
        if data.furniture_model.weights else None,
    )


_WHITE_SPACE = re.compile(r"\s+")
_EDGE_PUNCTUATION = re.compile(r"^[\W_]+|[\W_]+$")


@lru_cache(maxsize=8192)  # classify asks for a paragraph's key up to four times (rules, title, sections, repeats)
def normalise_phrase(text: str) -> str:
    """Case-fold and trim punctuation and white space, for whole-paragraph phrase lookup.

    >>> normalise_phrase("  Follow us on:  ")
    'follow us on'
    >>> normalise_phrase("ADVERTISEMENT")
    'advertisement'
    """
    text = _WHITE_SPACE.sub(" ", text).strip().casefold()
    return _EDGE_PUNCTUATION.sub("", text)
