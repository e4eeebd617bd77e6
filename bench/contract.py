"""Contract-aware truth: the benchmark's true body without what our output contract says is
not article text.

The benchmark's people kept datelines, bylines, reporting credits, image credits and
affiliate notices in the body. newsclean's contract moves datelines and credits to the
``dateline`` and ``credit`` columns and drops image credits and affiliate notices, so the
raw figures count every such line as text lost. The contract truth of a page is its true
body with those spans removed:

* whole lines shaped like a credit, a reporting credit, an image credit, a separator
  (``___``) or an affiliate notice (``LINE_PATTERNS``, by family);
* a dateline opening a paragraph (``DATELINE_PATTERNS``), and an image credit closing one
  (``TRAILING_PATTERNS``);
* what the article's own ``dateline`` and ``credit`` columns hold, when the truth has it
  as the opening of a paragraph (dateline) or as a whole line (credit): text moved to a
  column counts as kept, whatever its shape.

The patterns describe the shape of a class of lines, never the words of one page. Pure
functions: text in, text out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import metric

# Families of lines that are not article text under the contract, as whole-line patterns.
LINE_PATTERNS: dict[str, tuple[re.Pattern[str], ...]] = {
    "credit": tuple(re.compile(p) for p in (
        # "By Jane Doe", "By Jane Doe and John Roe, Associated Press"
        r"^(?i:by)\s+[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
        r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3})*(?:\s*[,|–—-]\s*.{0,40})?$",
        # "Jane Doe, Science Correspondent"
        r"^[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3},\s+.{0,40}\b(?i:writer|correspondent|reporter"
        r"|editor|contributor|journalist)s?$",
        # "Contributing: Jane Doe", "Jane Doe contributed to this report."
        r"^(?i:contributing|contributors?)\s*:\s*.{1,80}$",
        r"^.{0,120}\bcontributed(?: reporting| to this (?:report|story|article))\b.{0,80}$",
        # "© Agency", "Copyright 2020 Agency": a short line naming who owns the text
        r"^(?:©|\(c\)|(?i:copyright))\s*(?:\d{4}\s*)?[\w&.,' -]{1,40}$",
        r"^(?i:(?:staff and |news )?agencies|associated press|agence france-presse)\.?$",
    )),
    "reporting_credit": tuple(re.compile(p) for p in (
        # "(Reporting by Jane Doe; Editing by John Roe)", "Additional reporting by ..."
        r"^[(\[]?\s*(?i:(?:additional )?(?:reporting|writing|editing|edited|compiled|produced)"
        r"(?: and \w+)?\s+by)\b.{0,240}$",
    )),
    "image_credit": tuple(re.compile(p) for p in (
        # "Photo: Jane Doe/AP", "Main image credit: Agency", "Image source: ..."
        r"^(?i:(?:main |top |header |featured |file |lead )?(?:photo|image|picture|illustration"
        r"|photograph|graphic)s?(?: credit| source| courtesy)?)\s*[:/]\s*.{0,80}$",
        r"^(?i:(?:photo|image|picture)s?\s+(?:by|courtesy(?: of)?))\s+.{1,60}$",
        # "(Getty Images)", "AP Photo/Jane Doe" alone on a line
        r"^\(?\s*(?:Getty Images|AP Photo|AFP|EPA|Shutterstock|iStock|Alamy|Reuters)"
        r"(?:\s*(?:/|via|for)\s*[^)]{0,60})?\s*\)?\s*$",
    )),
    # "___", "* * *", "———": a line with no letter or digit separates, it says nothing
    # (the contract's separators are boilerplate, like a line of dashes)
    "separator": (re.compile(r"^[\W_]+$"),),
    "affiliate_notice": tuple(re.compile(p) for p in (
        # "We may earn a commission when you buy through links on our site."
        r"^.{0,200}\b(?i:we|i|this site|the site|our site)\s+(?i:may|might|will|can)\s+(?i:earn|receive"
        r"|get|be paid)\s+(?i:a |an )?(?i:small |affiliate )?(?i:commission|compensation|share of"
        r" (?:the )?(?:sales?|revenue))\b.{0,200}$",
        r"^.{0,200}\b(?i:contains?|includes?|uses?|via|through)\s+(?i:our\s+)?(?i:affiliate)\s+"
        r"(?i:links?|partners?|programs?)\b.{0,200}$",
    )),
}

# A dateline opening a paragraph: CITY[, Region][, Date] then (AGENCY), /AGENCY/ or a dash.
_PLACE = r"[A-Z][A-Z.'’-]+(?:[ -][A-Z][A-Z.'’-]+){0,3}"
_REGION = r"(?:,\s*(?:[A-Z][a-z]+\.?|[A-Z]\.(?:[A-Z]\.)+)(?:\s+[A-Z][a-z]+\.?)?)?"
_DATE = r"(?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:st|nd|rd|th)?\.?)?"
_AGENCY = r"(?:\(\s*[A-Za-z][A-Za-z.&-]{1,14}\s*\)|/\s*[A-Za-z][A-Za-z.&-]{1,14}\s*/\.?)"  # one name
DATELINE_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(rf"^\s*{_PLACE}{_REGION}{_DATE}\s*[.,]?\s*{_AGENCY}\s*[-–—:]*\s*(?=\S)"),
    re.compile(rf"^\s*{_PLACE}{_REGION}{_DATE}\s+(?:--?|–|—)\s*(?=\S)"),
)

# An image credit closing a paragraph: "... the square. (Photo: Jane Doe/AP)".
TRAILING_PATTERNS: tuple[re.Pattern[str], ...] = (
    re.compile(r"\s*\((?i:photo|image|picture|file photo)s?\s*(?::|by|credit|courtesy)[^)]{0,80}\)\s*$"),
    re.compile(
        r"\s*\((?:Getty Images|AP Photo|AFP|EPA|Shutterstock|iStock|Alamy)(?:\s*/\s*[^)]{0,60})?\)\s*$"
    ),
)

MAX_LINE_WORDS = 60  # a credit or notice is a line, not a paragraph of prose
MAX_COLUMN_WORDS = 16  # a dateline or credit column longer than this is not forgiven
DATELINE_LINES = 3  # a dateline opens the story: one of its first lines (after a kicker)
MIN_SENTENCE_WORDS = 6  # a dateline leads a sentence; "ACME – Our new plant" is a heading


@dataclass(frozen=True)
class Span:
    """A piece of the true body the contract does not count as article text."""

    family: str
    text: str


@dataclass(frozen=True)
class ContractTruth:
    """A true body without its contract non-text spans, and what was removed."""

    text: str
    removed: tuple[Span, ...] = ()


def line_family(line: str) -> str | None:
    """The family of contract non-text a whole line belongs to, or None for article text.

    >>> line_family("(Reporting by Jane Doe; Editing by John Roe)")
    'reporting_credit'
    >>> line_family("Photo: Jane Doe/Agency"), line_family("By Jane Doe"), line_family("___")
    ('image_credit', 'credit', 'separator')
    >>> line_family("By the end of the day the river had risen two metres.") is None
    True
    """
    stripped = line.strip()
    if not stripped or len(metric.tokenize(stripped)) > MAX_LINE_WORDS:
        return None
    for family, patterns in LINE_PATTERNS.items():
        if any(pattern.match(stripped) for pattern in patterns):
            return family
    return None


def match_dateline(paragraph: str) -> re.Match[str] | None:
    """The dateline opening a paragraph, if its shape is one of ``DATELINE_PATTERNS``."""
    for pattern in DATELINE_PATTERNS:
        match = pattern.match(paragraph)
        if match:
            return match
    return None


def dateline_end(paragraph: str) -> int:
    """Where the sentence after an opening dateline starts; 0 when there is no dateline
    or what follows is too short to be a sentence (a heading like "ACME – Our plant").

    >>> text = "RIVERSIDE, Calif. (AP) — The council met on Monday night."
    >>> text[dateline_end(text):]
    'The council met on Monday night.'
    >>> dateline_end("NASA said on Monday that the launch would slip.")
    0
    """
    match = match_dateline(paragraph)
    if match and len(metric.tokenize(paragraph[match.end():])) >= MIN_SENTENCE_WORDS:
        return match.end()
    return 0


def is_dateline_alone(paragraph: str) -> bool:
    """Tell whether a paragraph is a dateline and nothing else (split off its sentence).

    >>> is_dateline_alone("LONDON (Agency) —"), is_dateline_alone("LONDON (Agency) — Rain.")
    (True, False)
    """
    text = paragraph.rstrip()
    match = match_dateline(f"{text} x")
    return bool(text) and match is not None and match.end() >= len(text)


def trailing_credit_start(paragraph: str) -> int:
    """Where a closing image credit starts; the paragraph's length when there is none.

    >>> text = "Crowds filled the square. (Photo: Jane Doe/Agency)"
    >>> text[:trailing_credit_start(text)]
    'Crowds filled the square.'
    """
    for pattern in TRAILING_PATTERNS:
        match = pattern.search(paragraph)
        if match and paragraph[: match.start()].strip():
            return match.start()
    return len(paragraph)


def column_words(value: str | None) -> list[str]:
    """The words of a dateline or credit column, or none when it is missing or too long to
    be one (text moved there by mistake stays text lost)."""
    words = metric.tokenize(value)
    return words if len(words) <= MAX_COLUMN_WORDS else []


def column_prefix_end(paragraph: str, words: list[str]) -> int:
    """Where a paragraph continues after opening with exactly these words; 0 if it does not.

    >>> column_prefix_end("MOSCOW, May 2. /AGENCY/. Talks began.", ["MOSCOW", "May", "2", "AGENCY"])
    25
    """
    if not words:
        return 0
    pattern = r"^\W*" + r"\W+".join(re.escape(word) for word in words) + r"(?!\w)\W*"
    match = re.match(pattern, paragraph)
    return match.end() if match and paragraph[match.end():].strip() else 0


def is_column_line(line: str, words: list[str]) -> bool:
    """Tell whether a line holds exactly the words of a column (case ignored).

    >>> is_column_line("By JANE DOE.", ["By", "Jane", "Doe"])
    True
    """
    return bool(words) and [w.lower() for w in metric.tokenize(line)] == [w.lower() for w in words]


def strip_line(
    line: str, opening: bool, dateline: list[str], credit: list[str], title: list[str] = ()
) -> tuple[str, list[Span]]:
    """One truth line without its contract non-text: the whole line (a headline only in
    the story's ``opening`` lines), or there a dateline opening it, and an image credit
    closing it."""
    family = line_family(line)
    if family is None and (is_column_line(line, credit) or is_column_line(line, dateline)):
        family = "column"
    if family is None and opening and is_column_line(line, list(title)):
        family = "title"
    if family is not None:
        return "", [Span(family, line.strip())]
    removed = []
    start = (column_prefix_end(line, dateline) or dateline_end(line)) if opening else 0
    if start:
        removed.append(Span("dateline", line[:start].strip()))
    end = trailing_credit_start(line)
    if end < len(line):
        removed.append(Span("image_credit", line[end:].strip()))
    return line[start:end] if end > start else "", removed


def build_contract_truth(
    truth: str, dateline: str | None = None, credit: str | None = None, title: str | None = None
) -> ContractTruth:
    """The true body without the lines and spans the contract does not count as text.

    ``dateline``, ``credit`` and ``title`` are the article's columns: the truth's copy of
    them counts as kept (the title as a whole line among the opening lines).

    >>> truth = "BERLIN (Agency) — Talks began at noon on Monday.\\nThey went on.\\n(Reporting by Jane Doe)"
    >>> build_contract_truth(truth).text
    'Talks began at noon on Monday.\\nThey went on.'
    >>> build_contract_truth("Sam Roe\\nRain fell.", credit="Sam Roe").text
    'Rain fell.'
    >>> build_contract_truth("Storm hits the coast\\nRain fell.", title="Storm Hits the Coast").text
    'Rain fell.'
    """
    lines, removed = [], []
    dateline_words, credit_words, title_words = column_words(dateline), column_words(credit), column_words(title)
    n_seen = 0
    for line in truth.splitlines():
        opening = n_seen < DATELINE_LINES
        n_seen += bool(line.strip())
        kept, spans = strip_line(line, opening, dateline_words, credit_words, title_words)
        removed.extend(spans)
        if kept.strip() or not spans:
            lines.append(kept)
    return ContractTruth("\n".join(lines), tuple(removed))


def is_contract_non_text(
    paragraph: str, dateline: str | None = None, credit: str | None = None, title: str | None = None
) -> bool:
    """Tell whether a removed paragraph is, as a whole, what the contract does not count as
    article text: a credit, image credit, notice or dateline line, or a column's value.

    >>> is_contract_non_text("LONDON (Agency) —"), is_contract_non_text("Sam Roe", credit="Sam Roe")
    (True, True)
    >>> is_contract_non_text("The council met on Monday.")
    False
    """
    if not metric.tokenize(paragraph):
        return False
    if line_family(paragraph) is not None or is_dateline_alone(paragraph):
        return True
    return any(is_column_line(paragraph, column_words(value)) for value in (dateline, credit, title))
