"""Sniff: what kind of input some bytes are, from the bytes themselves.

Crawlers save pages under the server's path (`index`, `story.php`, `view.aspx`, a path
with no suffix at all), so a name says little. The content says more: a WARC opens with
its version line, a page with markup, a JSON file parses. Each test is cheap (a sample
of the first SAMPLE bytes, a JSON parse only of what opens like JSON).
"""

from __future__ import annotations

import codecs
import json
import re

SAMPLE = 8192
WARC_MAGIC = (b"WARC/1.0\r\n", b"WARC/1.1\r\n", b"WARC/0.", b"WARC/1.0\n", b"WARC/1.1\n")
# An HTML document's opening: an optional XML declaration and comments, then a doctype
# or the html, head or body element.
_HTML_OPENING = re.compile(
    r"\A(?:<\?xml[^>]{0,200}>\s*)?(?:<!--.{0,2000}?-->\s*)*<(?:!doctype\s+html|html|head|body)\b",
    re.IGNORECASE | re.DOTALL,
)
# Elements of a page's markup; a sample holding at least MIN_TAGS of them is HTML.
_TAG = re.compile(
    r"</?(?:p|div|span|a|meta|title|article|section|main|header|footer|nav|h[1-6]|br|table|tr|td|ul|ol|li|"
    r"script|style|link|img|form|em|strong|b|i)(?:\s[^<>]{0,500})?/?>",
    re.IGNORECASE,
)
MIN_TAGS = 3
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))


def sample_text(content: bytes, size: int = SAMPLE) -> str:
    """The first `size` bytes as text, read through a byte-order mark (UTF-8 otherwise,
    undecodable bytes replaced), leading white space removed."""
    head = content[: size + 4]
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(codec, errors="ignore")[:size].lstrip()
    return head[:size].decode("utf-8", errors="replace").lstrip()


def is_warc(content: bytes) -> bool:
    """Whether the bytes open with a WARC record's version line.

    >>> is_warc(b"WARC/1.0\\r\\nWARC-Type: warcinfo\\r\\n"), is_warc(b"<html>")
    (True, False)
    """
    return content.startswith(WARC_MAGIC)


def is_html_document(text: str) -> bool:
    """Whether a text opens like an HTML document (doctype, <html>, <head> or <body>).

    >>> is_html_document("<!DOCTYPE html><html>"), is_html_document("The <b>council</b> met.")
    (True, False)
    """
    return bool(_HTML_OPENING.match(text))


def has_markup(text: str) -> bool:
    """Whether a text holds at least MIN_TAGS elements of page markup.

    >>> has_markup("<div><p>One</p><p>Two</p></div>"), has_markup("x < y and y > z")
    (True, False)
    """
    return sum(1 for _ in zip(range(MIN_TAGS), _TAG.finditer(text))) >= MIN_TAGS


def sniff_json(content: bytes, text: str, max_line_bytes: int) -> str | None:
    """"jsonl" when the first line is a JSON object and more lines follow, "json" when
    the whole content is one JSON value (an array or an object over several lines),
    None when what opens like JSON does not parse (then it is text)."""
    if not text.startswith(("{", "[")):
        return None
    end = content.find(b"\n", 0, max_line_bytes + 1)
    if 0 <= end < len(content.rstrip()):  # more than one line
        first = content[:end].decode("utf-8", errors="replace").lstrip("\ufeff").strip()
        if first.startswith("{") and _parses(first):
            return "jsonl"
    return "json" if _parses(content.decode("utf-8", errors="replace").lstrip("\ufeff")) else None


def _parses(text: str) -> bool:
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def sniff_kind(content: bytes, max_line_bytes: int) -> str:
    """The kind of an input known by its content alone: "warc", "html", "json",
    "jsonl" or "text" (binary content is refused before this is asked).

    >>> sniff_kind(b"WARC/1.1\\r\\n", 100), sniff_kind(b"<!doctype html><p>x", 100)
    ('warc', 'html')
    >>> sniff_kind(b'{"text": "a"}\\n{"text": "b"}\\n', 100), sniff_kind(b'[{"text": "a"}]', 100)
    ('jsonl', 'json')
    >>> sniff_kind(b"{Updated} The council met.", 100), sniff_kind(b"The council met.", 100)
    ('text', 'text')
    """
    if is_warc(content):
        return "warc"
    text = sample_text(content)
    if is_html_document(text) or has_markup(text):
        return "html"
    return sniff_json(content, text, max_line_bytes) or "text"


def control_bytes(sample: bytes) -> int:
    """How many bytes of `sample` are control characters other than tab, LF, CR, FF and
    ESC (which text uses)."""
    return len(sample.translate(None, _NOT_COUNTED))  # the counted bytes are what is left


_ALLOWED_CONTROLS = frozenset(b"\t\n\r\x0c\x1b")
# Every byte but the counted controls: deleted in one C pass instead of a Python loop per byte.
_NOT_COUNTED = bytes(b for b in range(256) if not (b < 32 and b not in _ALLOWED_CONTROLS))


def utf16_without_bom(raw: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" for UTF-16 text saved without a byte-order mark (every
    other byte NUL, as mostly-Latin UTF-16 is), else None.

    >>> utf16_without_bom("Hello world, a plain sentence.".encode("utf-16-le"))
    'utf-16-le'
    >>> utf16_without_bom(b"plain bytes") is None
    True
    """
    sample = raw[:4096]
    if len(sample) < 8 or len(sample) % 2:
        sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    for codec, zeros, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) <= 0.05 * len(other):
            return codec
    return None
