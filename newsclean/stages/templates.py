"""Site templates: the lines a site prints on many of its pages. Pure: values in, values
out (the reduce step's I/O is newsclean/templatestore.py; the classify rule that reads
the result is newsclean/stages/classify/templates.py).

Each paragraph gets a `line_key`: a 64-bit hash of its text normalised so near-verbatim
copies match (case, punctuation and white space do not count, nor, in a short line, the
digits: "3 comments" and "12 Comments!" are one line). An article's `site` is its URL's host, else the top folder
of its source path. The segment step lists, per shard, each (site, line key, article)
once (`shard_lines`); the reduce step counts the distinct articles (by doc_key, so a
page fetched again is still one article) of each site that hold each line, across the
run and the runs before it (newsclean/templatestore.py `count_run`); the lines on at least `[templates]
min_articles` of them are the site's template (`TemplateSet`).

Each article's lead (its first paragraph of LEAD_MIN_WORDS words or more ending like a
sentence, among its first LEAD_MAX_POSITION + 1) is listed too, under its key marked (`lead_key`: the line key XOR LEAD_MARK),
so the same counts tell which lines on two articles or more are another article's lead:
a teaser of that story (`TemplateSet.teasers`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from newsclean.stages.neardup import doc_key_for
from newsclean.stages.records import Shard

_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"[^\W_]+")
# Digits stop counting only in lines of up to this many words: a counter, a year or a
# price in a promo line ("3 free articles left", "© 2021 ..."). In a longer line the
# figures are the news ("Police said 3 people were hurt ..."), and two sentences that
# differ only in them are two statements. Part of the key, like neardup's SCHEME: the
# stored history is only comparable while it stays the same.
DIGITS_MAX_WORDS = 12
# A lead is a story's first paragraph of at least this many words ending like a sentence
# (a headline, a byline, a menu line are shorter or end otherwise); fixed like the key.
LEAD_MIN_WORDS = 15
# ... among the first paragraphs (a headline, a kicker, a byline, a date line may come
# first): an article with no such paragraph there has no lead listed, so a footer's
# sentence is never taken for the lead of a short story.
LEAD_MAX_POSITION = 4
LEAD_MARK = 0x5A17E5A17E5A17E5  # XOR-ed into a lead's line key: its row apart from the line's
_SENTENCE_END = re.compile(r"[.!?…\"”’»)。！？」』]\s*$")


def normalise_line(text: str) -> str:
    """A paragraph as templates compare it: case-folded, punctuation and white space one
    space, and in a line of up to DIGITS_MAX_WORDS words each run of digits one `0`.

    >>> normalise_line("  You have 3 free articles LEFT this month!  ")
    'you have 0 free articles left this month'
    >>> normalise_line("© 2019 Metro  Herald.") == normalise_line("© 2021 Metro Herald")
    True
    >>> normalise_line("* * *")
    ''
    >>> normalise_line("Police said 3 people were hurt when the bus left the road near the bridge on Monday.")
    'police said 3 people were hurt when the bus left the road near the bridge on monday'
    """
    words = _WORD.findall(text.casefold())
    line = " ".join(words)
    return _DIGITS.sub("0", line) if len(words) <= DIGITS_MAX_WORDS else line


def stable_hash(text: str) -> int:
    """A signed 64-bit hash of a text, the same in every process and release."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def line_key(text: str) -> int | None:
    """The key of a paragraph's normalised text; None when nothing is left of it (a
    separator: never a template line of its own).

    >>> line_key("Share | Tweet") == line_key("share tweet"), line_key("---")
    (True, None)
    """
    line = normalise_line(text)
    return stable_hash(line) if line else None


def lead_key(key: int) -> int:
    """The key an article's lead is listed under, from its line key (and back: XOR).

    >>> lead_key(lead_key(12345)) == 12345 and lead_key(12345) != 12345
    True
    """
    return key ^ LEAD_MARK  # (a signed 64-bit key stays one: the mark's top bit is 0)


def is_lead_shaped(text: str) -> bool:
    """Long enough and ending like a sentence: the opening paragraph of a story.

    >>> is_lead_shaped("Ferry crews walk out"), is_lead_shaped("The harbour ferry operator cancelled every crossing "
    ...                                                      "on Tuesday after crews refused to work the new night shifts.")
    (False, True)
    """
    return len(_WORD.findall(text)) >= LEAD_MIN_WORDS and bool(_SENTENCE_END.search(text))


def lead_index(texts: Sequence[str]) -> int | None:
    """The position of an article's lead among its paragraphs: the first lead-shaped one
    of the first LEAD_MAX_POSITION + 1; None when there is none.

    >>> lead_index(["Ferry crews walk out", "The harbour ferry operator cancelled every crossing on Tuesday "
    ...             "after crews refused to work the new night shifts.", "Commuters waited."])
    1
    """
    return next((i for i, text in enumerate(texts[:LEAD_MAX_POSITION + 1]) if is_lead_shaped(text)), None)


def site_of(url: str | None, source_path: str) -> str:
    """An article's site: its URL's host (lower case, without `www.`), else the top folder
    of its source path ("" for a file at the input root).

    >>> site_of("https://WWW.Example.com/news/1", "a.html"), site_of(None, "courier/2024/a.txt")
    ('example.com', 'courier')
    >>> site_of("", "crawl.jsonl#3")
    ''
    """
    if url and url.strip():
        host = (urlsplit(url.strip()).hostname or "").lower()
        if host:
            return host.removeprefix("www.")
    top, sep, _ = source_path.partition("/")
    return top if sep else ""


def doc_of(url: str | None, source_path: str) -> int:
    """The article as templates count it: a hash of its doc_key (a page fetched again,
    edited or not, is still one article)."""
    return stable_hash(doc_key_for(url, source_path))


def shard_lines(shard: Shard) -> list[tuple[str, int, int]]:
    """(site, line key, article) of every paragraph of a segmented shard, each once per
    article (a line printed twice on a page counts once), and of each article's lead
    (under `lead_key`), in shard order."""
    grouped = shard.paragraphs_by_article()
    seen: set[tuple[str, int, int]] = set()
    rows: list[tuple[str, int, int]] = []
    for doc in shard.documents:
        texts = [p.text for p in grouped.get(doc.article_id, ())]
        site, article = site_of(doc.url, doc.source_path), doc_of(doc.url, doc.source_path)
        lead = lead_index(texts)
        for i, text in enumerate(texts):
            key = line_key(text)
            if key is None or (site, key, article) in seen:
                continue
            seen.add((site, key, article))
            rows.append((site, key, article))
            if i == lead:
                rows.append((site, lead_key(key), article))
    return rows


@dataclass(frozen=True)
class TemplateSet:
    """The run's template lines (site -> line keys on at least `min_articles` articles)
    and teasers (site -> line keys on two articles or more that are an article's lead)."""

    by_site: Mapping[str, frozenset[int]] = field(default_factory=dict)
    teasers: Mapping[str, frozenset[int]] = field(default_factory=dict)

    def of_site(self, site: str) -> frozenset[int]:
        return self.by_site.get(site, frozenset())

    def teasers_of(self, site: str) -> frozenset[int]:
        return self.teasers.get(site, frozenset())

    def __len__(self) -> int:
        return sum(len(keys) for keys in self.by_site.values())


def template_set(counts: Mapping[tuple[str, int], int], min_articles: int) -> TemplateSet:
    """The lines on at least `min_articles` distinct articles of their site, and the
    lines on two or more that are an article's lead (its `lead_key` counted).

    >>> found = template_set({("s", 1): 5, ("s", 2): 4, ("t", 3): 9, ("s", lead_key(2)): 1}, 5)
    >>> found.by_site == {"s": frozenset({1}), "t": frozenset({3})}, found.teasers == {"s": frozenset({2})}
    (True, True)
    """
    by_site: dict[str, set[int]] = {}
    teasers: dict[str, set[int]] = {}
    for (site, key), n in counts.items():
        if n >= min_articles:
            by_site.setdefault(site, set()).add(key)
        if n >= 2 and (site, lead_key(key)) in counts:
            teasers.setdefault(site, set()).add(key)
    return TemplateSet({site: frozenset(keys) for site, keys in by_site.items()},
                       {site: frozenset(keys) for site, keys in teasers.items()})
