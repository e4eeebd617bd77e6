"""Limits: cheap measures of an input that bound the work any later stage does on it.

A document past a limit becomes a reject before the stage whose cost grows with that
measure sees it: a JSONL line too long to parse in bounded memory, markup nested so
deep that HTML parsers and extractors take minutes (time grows faster than linearly
with depth). Each measure is linear in the input and allocates little.
"""

from __future__ import annotations

import re

# An opening or closing tag. Its attributes may not hold "<" or ">", so every match
# attempt stops at the next bracket and a scan is linear even on malformed markup.
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)([^<>]*)>")
# Elements that never hold others (void) or whose end tag may be left out: they add no
# depth, so sloppy but ordinary pages (a thousand unclosed <p> or <li>) are not deep.
_FLAT = frozenset(
    "area base br col embed hr img input link meta param source track wbr "
    "p li dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup caption".split()
)
# Whose content is text, not markup: tags inside them do not count.
_RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp", "plaintext"})


def markup_depth(text: str, limit: int) -> int:
    """How deep an HTML page's elements nest, counting open tags against close tags
    (elements without content or with optional end tags aside); stops counting once past
    `limit` and returns `limit + 1`.

    >>> markup_depth("<html><body><div><p>One<p>Two</div><br></body></html>", 100)
    3
    >>> markup_depth("<div>" * 50, 10)
    11
    >>> markup_depth("<script>if (a<b) { x = '<div>'; }</script><div></div>", 100)
    1
    """
    depth = deepest = 0
    raw_text: str | None = None
    for match in _TAG.finditer(text):
        closing, name, self_closing = match.group(1), match.group(2).lower(), match.group(3).endswith("/")
        if raw_text is not None:  # inside <script>: only its own end tag counts
            if closing and name == raw_text:
                raw_text = None
                depth = max(depth - 1, 0)
            continue
        if name in _FLAT or self_closing:
            continue
        if closing:
            depth = max(depth - 1, 0)
            continue
        depth += 1
        if name in _RAW_TEXT:
            raw_text = name
        if depth > deepest:
            deepest = depth
            if deepest > limit:
                return limit + 1
    return deepest


def longest_line(data: bytes) -> int:
    """Length in bytes of the longest line ("\\n" ends a line).

    >>> longest_line(b"one\\nthree\\n"), longest_line(b""), longest_line(b"no end")
    (5, 0, 6)
    """
    longest = start = 0
    while True:
        end = data.find(b"\n", start)
        if end < 0:
            return max(longest, len(data) - start)
        longest = max(longest, end - start)
        start = end + 1
