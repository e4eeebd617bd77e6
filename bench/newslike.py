"""A corpus of distinct news-like plain-text documents, built from the benchmark's true bodies.

For the throughput benchmark (``throughput.py``): as many different documents as asked for,
each one a run of paragraphs of one true body (now and then with a paragraph of another page
after it), a few words perturbed so no two documents are alike, and the junk extractors
leave behind: share buttons, "Advertisement", a newsletter prompt, a list of related
headlines. Deterministic: document ``i`` depends only on the bodies, the seed and ``i``
(``random.Random`` seeded with a string is stable across runs and machines).

Pure functions only: bodies in, texts out; the benchmark script writes the files.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

SEED = 20261201  # fixed so the corpus is identical from run to run
MAX_PARAGRAPHS = 12  # a window of a true body: half of it at least, this many paragraphs at most
PERTURBED_SHARE = 0.05  # share of a document's words replaced by another of its words or swapped
FOREIGN_PARAGRAPH_CHANCE = 0.2  # a paragraph of another page after the body (an off-topic tail)
TITLE_CHANCE = 0.5  # extractors often keep the headline as the first line
HEADLINE_WORDS = (6, 12)  # a related headline is the start of another page's lead, this long
RETRIES = 5  # rebuilds of a document whose text another document already has

SHARE_WIDGETS = (
    ("Share",),
    ("Share this article",),
    ("Share on Facebook", "Share on Twitter", "Share via Email"),
    ("Facebook", "Twitter", "LinkedIn", "Email"),
    ("Tweet", "Share"),
)
ADVERTISEMENT = "Advertisement"
NEWSLETTER_PROMPTS = (
    "Sign up for our daily newsletter to get the latest news in your inbox.",
    "Subscribe to our newsletter",
    "Get the best of our journalism delivered to your inbox every morning. Sign up now.",
    "Never miss a story: sign up for our free morning briefing.",
)
RELATED_HEADERS = ("Related", "Related stories", "You may also like", "Read more:", "More from this section")
JUNK_KINDS = ("share", "advertisement", "newsletter", "related")
JUNK_CHANCES = {"share": 0.7, "advertisement": 0.5, "newsletter": 0.4, "related": 0.5}

_TRAILING_PUNCTUATION = re.compile(r"[\s,;:.!?\"'“”‘’()-]+$")


@dataclass(frozen=True)
class NewsDocument:
    """One generated document: its file name, its text, the page it came from and the
    kinds of junk it holds (a subset of ``JUNK_KINDS``, in order)."""

    name: str
    text: str
    page_id: str
    junk: tuple[str, ...]


def split_paragraphs(text: str) -> list[str]:
    """The non-blank lines of a body, stripped.

    >>> split_paragraphs("One.\\n\\n  Two.\\nThree.\\n")
    ['One.', 'Two.', 'Three.']
    """
    return [line.strip() for line in text.splitlines() if line.strip()]


def make_headline(paragraph: str, rng: random.Random) -> str:
    """The start of a paragraph cut to a headline's length, without trailing punctuation.

    >>> make_headline("The council voted on Monday to close the old harbour bridge for repairs.", random.Random(1))
    'The council voted on Monday to close'
    """
    words = paragraph.split()
    cut = _TRAILING_PUNCTUATION.sub("", " ".join(words[: rng.randint(*HEADLINE_WORDS)]))
    return cut or paragraph[:60]


def perturb_words(paragraphs: Sequence[str], rng: random.Random, share: float = PERTURBED_SHARE) -> list[str]:
    """The paragraphs with about ``share`` of their words replaced by another word of the
    same paragraphs (so the language stays) or swapped with the next word.

    >>> perturb_words(["one two three four"], random.Random(3), share=0.0)
    ['one two three four']
    """
    vocabulary = [word for paragraph in paragraphs for word in paragraph.split()]
    out = []
    for paragraph in paragraphs:
        words = paragraph.split()
        for i in range(len(words)):
            if rng.random() >= share:
                continue
            if rng.random() < 0.6 or i + 1 == len(words):
                words[i] = rng.choice(vocabulary)
            else:
                words[i], words[i + 1] = words[i + 1], words[i]
        out.append(" ".join(words))
    return out


def pick_window(paragraphs: Sequence[str], rng: random.Random) -> list[str]:
    """A run of consecutive paragraphs: a whole short body, or between half of a long one
    and ``MAX_PARAGRAPHS`` of it."""
    if len(paragraphs) <= 2:
        return list(paragraphs)
    longest = min(MAX_PARAGRAPHS, len(paragraphs))
    length = rng.randint(min(longest, max(3, len(paragraphs) // 2)), longest)
    start = rng.randint(0, len(paragraphs) - length)
    return list(paragraphs[start : start + length])


def add_junk(paragraphs: list[str], rng: random.Random, other_leads: Sequence[str]) -> tuple[list[str], tuple[str, ...]]:
    """The paragraphs with junk lines put where pages put them (share buttons near the top,
    advertisements between paragraphs, the newsletter prompt and related headlines at the
    end); returns the lines and the junk kinds added."""
    kinds = tuple(kind for kind in JUNK_KINDS if rng.random() < JUNK_CHANCES[kind])
    lines = list(paragraphs)
    if "advertisement" in kinds:
        for _ in range(rng.randint(1, 2)):
            lines.insert(rng.randint(1, max(1, len(lines) - 1)), ADVERTISEMENT)
    if "share" in kinds:
        position = 0 if rng.random() < 0.5 else min(1, len(lines))
        lines[position:position] = list(rng.choice(SHARE_WIDGETS))
    if "newsletter" in kinds:
        lines.append(rng.choice(NEWSLETTER_PROMPTS))
    if "related" in kinds:
        count = min(len(other_leads), rng.randint(3, 5))
        headlines = [make_headline(lead, rng) for lead in rng.sample(list(other_leads), count)]
        lines.append(rng.choice(RELATED_HEADERS))
        lines.extend(headlines)
    return lines, kinds


def build_document(index: int, page_ids: Sequence[str], paragraphs: Mapping[str, Sequence[str]],
                   seed: int = SEED, attempt: int = 0) -> NewsDocument:
    """Document ``index``: paragraphs of page ``index mod pages`` (every page in turn),
    perturbed, maybe with another page's paragraph after them, maybe with a headline
    first, with junk lines; ``attempt`` varies it when an earlier document has its text."""
    rng = random.Random(f"{seed}:{index}:{attempt}")
    page_id = page_ids[index % len(page_ids)]
    others = [other for other in page_ids if other != page_id]
    body = perturb_words(pick_window(paragraphs[page_id], rng), rng)
    if others and rng.random() < FOREIGN_PARAGRAPH_CHANCE:
        body.append(rng.choice(list(paragraphs[rng.choice(others)])))
    if rng.random() < TITLE_CHANCE:
        body.insert(0, make_headline(paragraphs[page_id][0], rng))
    leads = [paragraphs[other][0] for other in rng.sample(others, min(len(others), 8))]
    lines, junk = add_junk(body, rng, leads) if leads else (body, ())
    return NewsDocument(f"{index:06d}.txt", "\n\n".join(lines) + "\n", page_id, junk)


def build_corpus(bodies: Mapping[str, str], n_docs: int, seed: int = SEED) -> Iterator[NewsDocument]:
    """``n_docs`` documents with pairwise different texts, from the non-empty bodies
    (sorted by page id)."""
    paragraphs = {page_id: split_paragraphs(body) for page_id, body in sorted(bodies.items())}
    page_ids = [page_id for page_id, found in paragraphs.items() if found]
    if not page_ids:
        raise ValueError("no non-empty bodies to build documents from")
    seen: set[bytes] = set()
    for index in range(n_docs):
        for attempt in range(RETRIES + 1):
            document = build_document(index, page_ids, paragraphs, seed, attempt)
            digest = hashlib.sha256(document.text.encode("utf-8")).digest()
            if digest not in seen:
                break
        else:
            raise ValueError(f"document {index} repeats an earlier one {RETRIES + 1} times: too few bodies")
        seen.add(digest)
        yield document
