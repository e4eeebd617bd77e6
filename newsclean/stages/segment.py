"""Segment: an article's text into paragraphs with character offsets.

Every non-blank line is a paragraph, whether the file separates paragraphs with
blank lines or single newlines. The exception is hard-wrapped text (most lines cut
near one width), whose wrapped lines are joined back into their paragraph.
"""

from __future__ import annotations

import re

from newsclean.settings import SegmentSettings
from newsclean.stages.records import Paragraph, Shard

STAGE = "segment"
_LINE = re.compile(r"[^\n]+")


def segment_shard(shard: Shard, settings: SegmentSettings) -> Shard:
    """Split every document's text into paragraphs."""
    paragraphs: list[Paragraph] = []
    for doc in shard.documents:
        for position, (start, end) in enumerate(paragraph_spans(doc.text or "", settings)):
            paragraphs.append(
                Paragraph(doc.article_id, position, doc.text[start:end], start, end)  # type: ignore[index]
            )
    return shard.with_(paragraphs=tuple(paragraphs))


def paragraph_spans(text: str, settings: SegmentSettings) -> list[tuple[int, int]]:
    """(start, end) offsets of each paragraph, white space trimmed.

    >>> paragraph_spans("Title\\n\\n  First line.\\nSecond line.\\n", SegmentSettings())
    [(0, 5), (9, 20), (21, 33)]
    """
    lines = [_trimmed(m.start(), m.end(), text) for m in _LINE.finditer(text)]
    lines = [span for span in lines if span[1] > span[0]]
    width = wrap_width(text, lines, settings)
    if width is None:
        return lines
    return _join_wrapped(text, lines, width, settings)


def wrap_width(text: str, lines: list[tuple[int, int]], settings: SegmentSettings) -> int | None:
    """The width a text is hard-wrapped at, or None when it is not hard-wrapped.

    Only lines followed by another line of the same paragraph (a single newline) can be
    wrapped; in wrapped text most of them crowd just under one width, between
    `min_wrap_width` and `max_wrap_width` (a list of short lines is not wrapped text).
    """
    if len(lines) < 4:
        return None
    width = max(end - start for start, end in lines)
    if not settings.min_wrap_width <= width <= settings.max_wrap_width:
        return None
    continued = [
        end - start
        for (start, end), (next_start, _) in zip(lines, lines[1:])
        if text.count("\n", end, next_start) == 1
    ]
    if len(continued) < 3:
        return None
    near = sum(1 for n in continued if n >= width - settings.wrap_band)
    return width if near >= settings.hard_wrap_share * len(continued) else None


def _join_wrapped(
    text: str, lines: list[tuple[int, int]], width: int, settings: SegmentSettings
) -> list[tuple[int, int]]:
    """Join each line to the next when it is full (cut by the wrap) and no blank line follows."""
    spans: list[tuple[int, int]] = []
    start, end = lines[0]
    line_length = end - start
    for next_start, next_end in lines[1:]:
        single_break = text.count("\n", end, next_start) == 1
        if single_break and line_length >= width - settings.wrap_band:
            end = next_end
        else:
            spans.append((start, end))
            start, end = next_start, next_end
        line_length = next_end - next_start
    spans.append((start, end))
    return spans


def _trimmed(start: int, end: int, text: str) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end

