"""Synthetic inputs built from ground-truth bodies, for measurements real pages cannot give.

Two families, both deterministic for a given seed and page id (``random.Random`` seeded
with a string is stable across runs and machines):

* off-topic: a true body with one to four paragraphs or teasers of OTHER pages appended,
  so we know exactly which paragraphs the pipeline should split off;
* encoding: a true body written as cp1252 bytes, as UTF-8 mojibake, with HTML entities,
  or as plain UTF-8 (the control), so we know exactly what the repaired text should be.

Pure functions only: text in, text or bytes out; the harness (``quality.py``) writes files.
"""

from __future__ import annotations

import html
import random
import re
from dataclasses import dataclass
from html.entities import codepoint2name
from typing import Mapping, Sequence

import metric

MIN_TEASER_WORDS = 5  # shorter cut-offs look like labels, not teasers
MIN_LEAD_WORDS = 8  # a first paragraph shorter than this is usually a dateline or credit
MAX_APPENDED = 4
TEASER_STYLES = ("sentences", "cut", "paragraph")
ENCODING_VARIANTS = ("utf8", "cp1252", "mojibake", "entities")

SENTENCE_END_RE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[A-Z0-9\"“‘'(])")


@dataclass(frozen=True)
class ComposedArticle:
    """A true body followed by paragraphs taken from other pages."""

    page_id: str
    body: tuple[str, ...]
    appended: tuple[str, ...]

    @property
    def text(self) -> str:
        """The article as written to the input file: paragraphs joined by blank lines."""
        return "\n\n".join(self.body + self.appended)


def split_paragraphs(text: str) -> list[str]:
    """Split a body into its non-blank lines, stripped.

    >>> split_paragraphs("One.\\n\\n  Two.\\nThree.\\n")
    ['One.', 'Two.', 'Three.']
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph at sentence ends followed by a capital, digit or quote.

    >>> split_sentences('He left. "Why?" she asked. it went on.')
    ['He left.', '"Why?" she asked. it went on.']
    """
    return [s for s in SENTENCE_END_RE.split(paragraph) if s]


def count_words(text: str) -> int:
    """Count runs of word characters.

    >>> count_words("It's 5 o'clock")
    5
    """
    return len(metric.tokenize(text))


def pick_lead_paragraph(paragraphs: Sequence[str]) -> str:
    """Return the first paragraph long enough to be a story's lead, else the first one."""
    for paragraph in paragraphs:
        if count_words(paragraph) >= MIN_LEAD_WORDS:
            return paragraph
    return paragraphs[0]


def cut_at_random_word(text: str, rng: random.Random) -> str:
    """Cut text after a random word (keeping at least ``MIN_TEASER_WORDS``), maybe add '...'."""
    words = text.split()
    if len(words) <= MIN_TEASER_WORDS:
        return text
    keep = rng.randint(MIN_TEASER_WORDS, len(words) - 1)
    ellipsis = rng.choice(("", "...", "…"))
    return " ".join(words[:keep]) + ellipsis


def make_teaser(paragraphs: Sequence[str], style: str, rng: random.Random) -> str:
    """Make a teaser of another page: its lead's first sentences, a cut lead, or a paragraph."""
    if style == "paragraph":
        long_enough = [p for p in paragraphs if count_words(p) >= MIN_TEASER_WORDS]
        return rng.choice(long_enough or [pick_lead_paragraph(paragraphs)])
    sentences = split_sentences(pick_lead_paragraph(paragraphs))
    lead = " ".join(sentences[: rng.randint(1, 2)])
    teaser = cut_at_random_word(lead, rng) if style == "cut" else lead
    return teaser if count_words(teaser) >= MIN_TEASER_WORDS else pick_lead_paragraph(paragraphs)


def page_rng(seed: int, page_id: str, purpose: str) -> random.Random:
    """A random generator that depends only on the seed, the page and what it is used for."""
    return random.Random(f"{seed}:{purpose}:{page_id}")


def compose_offtopic_article(
    page_id: str,
    bodies: Mapping[str, str],
    seed: int,
) -> ComposedArticle:
    """Append 1-4 teasers or paragraphs of other pages (drawn from ``bodies``) to a true body."""
    rng = page_rng(seed, page_id, "offtopic")
    body = tuple(split_paragraphs(bodies[page_id]))
    others = sorted(key for key in bodies if key != page_id and split_paragraphs(bodies[key]))
    appended: list[str] = []
    for other_id in rng.sample(others, min(len(others), rng.randint(1, MAX_APPENDED))):
        teaser = make_teaser(split_paragraphs(bodies[other_id]), rng.choice(TEASER_STYLES), rng)
        if teaser not in body and teaser not in appended:
            appended.append(teaser)
    return ComposedArticle(page_id, body, tuple(appended))


def _build_sloppy_cp1252_table() -> tuple[str, ...]:
    """Map every byte to its cp1252 character; the five undefined bytes map to U+0080-U+009F.

    This is how browsers (and ftfy's 'sloppy-windows-1252') read such bytes, so the mojibake
    stays repairable for every character, not only those whose UTF-8 avoids the gaps.
    """
    table = []
    for byte in range(256):
        try:
            table.append(bytes([byte]).decode("cp1252"))
        except UnicodeDecodeError:
            table.append(chr(byte))
    return tuple(table)


SLOPPY_CP1252 = _build_sloppy_cp1252_table()


def make_mojibake(text: str) -> str:
    """Return the text as it reads when its UTF-8 bytes are wrongly decoded as cp1252.

    >>> make_mojibake("café – naïve")
    'cafÃ© â€“ naÃ¯ve'
    """
    return "".join(SLOPPY_CP1252[byte] for byte in text.encode("utf-8"))


def escape_entities(text: str) -> str:
    """Write markup characters and every non-ASCII character as an HTML entity.

    >>> escape_entities('Tom & "Jerry" – café ☃')
    'Tom &amp; &quot;Jerry&quot; &ndash; caf&eacute; &#9731;'
    """
    escaped = html.escape(text, quote=True)
    return "".join(
        char if char.isascii() else f"&{codepoint2name.get(ord(char), f'#{ord(char)}')};"
        for char in escaped
    )


def is_cp1252_encodable(text: str) -> bool:
    """Tell whether every character of the text exists in cp1252."""
    try:
        text.encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def encode_variant(text: str, variant: str) -> bytes:
    """Return the bytes of a file holding the text in the given encoding variant."""
    if variant == "utf8":
        return text.encode("utf-8")
    if variant == "cp1252":
        return text.encode("cp1252")
    if variant == "mojibake":
        return make_mojibake(text).encode("utf-8")
    if variant == "entities":
        return escape_entities(text).encode("utf-8")
    raise ValueError(f"unknown encoding variant {variant!r}")


def eligible_variants(text: str) -> list[str]:
    """List the variants that really change the file's bytes, plus the plain UTF-8 control.

    >>> eligible_variants("plain words")
    ['utf8']
    >>> eligible_variants("café")
    ['utf8', 'cp1252', 'mojibake', 'entities']
    """
    plain = text.encode("utf-8")
    variants = ["utf8"]
    if not text.isascii() and is_cp1252_encodable(text):
        variants.append("cp1252")
    if not text.isascii():
        variants.append("mojibake")
    if encode_variant(text, "entities") != plain:
        variants.append("entities")
    return variants


def choose_encoding_variant(page_id: str, text: str, seed: int) -> str:
    """Pick one eligible encoding variant for a page, deterministically."""
    return page_rng(seed, page_id, "encoding").choice(eligible_variants(text))
