"""Decode and repair: bytes in any encoding to clean Unicode text, recording each fix.

Order: byte-order mark, an HTML page's declared charset, strict UTF-8, then
charset detection (charset-normalizer) with a preference for cp1252 among close
candidates (the most common non-UTF-8 charset of scraped western news). Then text
repairs, each a named fixer applied in a declared order: ftfy for mojibake, HTML
entities, exotic spaces, zero-width characters and control characters.
"""

from __future__ import annotations

import codecs
import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace

import ftfy
from charset_normalizer import from_bytes
from ftfy.badness import is_bad
from ftfy.chardata import CONTROL_CHARS, LIGATURES

from newsclean.settings import DecodeSettings
from newsclean.stages.limits import markup_depth
from newsclean.stages.sniff import utf16_without_bom  # noqa: F401  (decode's; sniff holds it so ingest need not import ftfy)
from newsclean.stages.records import Document, Reject, Shard, stage_error

STAGE = "decode"
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w:.-]+)""", re.IGNORECASE)
_FTFY_CONFIG = ftfy.TextFixerConfig(
    unescape_html=False,  # done by fix_html_entities, for text that also holds '<'
    uncurl_quotes=False,  # keep typographic quotes: they are the publisher's text
    fix_character_width=False,  # full-width forms are normal in CJK text
    explain=True,
)
# ftfy steps that are part of undoing a wrong decoding, reported as one "mojibake" fix.
_FTFY_MOJIBAKE_STEPS = frozenset(
    {"decode_inconsistent_utf8", "restore_byte_a0", "replace_lossy_sequences", "fix_c1_controls"}
)
# ftfy steps that our own fixers also make, reported under our fixers' names.
_FTFY_STEP_NAMES = {"remove_control_chars": "control_chars", "fix_line_breaks": "line_breaks"}
# The characters ftfy's fixers other than its mojibake repair can change, with the config
# above: C1 controls (fix_c1_controls), Latin ligatures, line breaks other than "\n"
# (fix_line_breaks), surrogates, the escape that opens a terminal code, and the control
# characters remove_control_chars drops. Built from ftfy's own tables.
_FTFY_TOUCHES = re.compile(
    "["
    + "".join(re.escape(chr(c)) for c in sorted({*CONTROL_CHARS, *LIGATURES}))
    + "\x80-\x9f\r\u2028\u2029\x85\ud800-\udfff\x1b]"
)
# Every sequence ftfy's mojibake signature (ftfy.badness.BADNESS_RE, ftfy 6.3) matches
# holds two adjacent non-ASCII characters, one of "ŒœÃÂ", or a C1 control (in
# _FTFY_TOUCHES): text with none of them cannot look bad, and is_bad is not asked
# (tests/stages/test_decode.py checks the claim against ftfy's own categories).
_MAYBE_MOJIBAKE = re.compile("[^\x00-\x7f]{2}|[ŒœÃÂ]")
_ENTITY = re.compile(r"&(#\d{1,7}|#x[0-9a-f]{1,6}|[a-z][a-z0-9]{1,31});", re.IGNORECASE)
_EXOTIC_SPACE = re.compile(r"[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SOFT_HYPHEN = "\u00ad"
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def decode_shard(shard: Shard, settings: DecodeSettings) -> Shard:
    """Decode every document's raw bytes; undecodable ones become rejects."""
    documents: list[Document] = []
    rejects = list(shard.rejects)
    for doc in shard.documents:
        try:
            result = decode_document(doc, settings)
        except Exception as exc:  # a bad document never fails its shard
            result = stage_error(doc, STAGE, exc)
        (documents if isinstance(result, Document) else rejects).append(result)
    return shard.with_(documents=tuple(documents), rejects=tuple(rejects))


def decode_document(doc: Document, settings: DecodeSettings) -> Document | Reject:
    """Decode one document's bytes, then repair the text unless it is HTML.

    HTML is repaired after extraction, on the text a reader sees; a page nested deeper
    than `max_markup_depth` is a `too_deep` reject (extraction would take minutes).
    """
    if doc.raw is None:
        return doc
    text, encoding = decode_bytes(doc.raw, doc.kind == "html", settings.cp1252_margin)
    replaced = text.count("\ufffd")
    if replaced > settings.max_replacement_ratio * max(len(text), 1):
        return Reject(doc.source_path, "undecodable", f"{replaced} undecodable characters as {encoding}", STAGE)
    fixes: tuple[str, ...] = ("lossy_decode",) if replaced else ()
    if doc.kind == "html" and markup_depth(text, settings.max_markup_depth) > settings.max_markup_depth:
        detail = f"elements nested more than {settings.max_markup_depth} deep"
        return Reject(doc.source_path, "too_deep", detail, STAGE)
    if doc.kind != "html":
        text, repaired = repair_text(text)
        fixes += repaired
    if not text.strip():
        return Reject(doc.source_path, "empty", "no text after decoding", STAGE)
    return replace(doc, raw=None, text=text, encoding=encoding, encoding_fixes=fixes)


def decode_bytes(raw: bytes, is_html: bool = False, cp1252_margin: float = 0.1) -> tuple[str, str]:
    """Decode bytes to text; return (text, canonical codec name).

    >>> decode_bytes("café".encode("utf-8"))
    ('café', 'utf-8')
    >>> decode_bytes("Café “quoted” – naïve résumé".encode("cp1252"))
    ('Café “quoted” – naïve résumé', 'cp1252')
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace"), codecs.lookup(codec).name
    utf16 = utf16_without_bom(raw)
    if utf16:
        return raw.decode(utf16, errors="replace"), utf16
    if is_html:
        declared = _declared_charset(raw)
        if declared and declared not in ("utf-8",):
            try:
                return raw.decode(declared), declared
            except (UnicodeDecodeError, LookupError):
                pass
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    codec = detect_charset(raw, cp1252_margin)
    return raw.decode(codec, errors="replace"), codec


def detect_charset(raw: bytes, cp1252_margin: float = 0.1) -> str:
    """Best guess at the charset of non-UTF-8 bytes.

    charset-normalizer ranks candidates by "chaos"; on short western texts it often ranks
    a rare code page (cp852, mac_iceland) first and lists cp1252 only among the charsets a
    candidate "could be from". cp1252 wins when the bytes are valid cp1252 and either the
    best guess reads as Latin script too (western text: cp1252 is by far the likeliest),
    or a candidate within `cp1252_margin` of the best chaos could be cp1252.
    """
    matches = list(from_bytes(raw[:200_000]))
    try:
        raw.decode("cp1252")
        fits_cp1252 = True
    except UnicodeDecodeError:
        fits_cp1252 = False
    if not matches:
        return "cp1252" if fits_cp1252 else "latin-1"
    best = min(matches, key=lambda m: m.chaos)
    if fits_cp1252:
        if _is_latin_script(str(best)):
            return "cp1252"
        for match in matches:
            names = {codecs.lookup(n).name for n in [match.encoding, *match.could_be_from_charset]}
            if "cp1252" in names and match.chaos <= best.chaos + cp1252_margin:
                return "cp1252"
    return codecs.lookup(best.encoding).name


def _is_latin_script(text: str) -> bool:
    """Nearly all letters are Latin (basic, Latin-1 supplement or Latin extended)."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(1 for c in letters if ord(c) < 0x250) >= 0.95 * len(letters)


def _declared_charset(raw: bytes) -> str | None:
    match = _META_CHARSET.search(raw[:4096])
    if not match:
        return None
    try:
        name = codecs.lookup(match.group(1).decode("ascii", "ignore")).name
    except LookupError:
        return None
    # Pages declaring latin-1 are nearly always cp1252 in practice (as browsers assume).
    return "cp1252" if name in ("iso8859-1", "ascii") else name


# --- text repairs: named fixers applied in this order --------------------------------


def needs_ftfy(text: str) -> bool:
    """Whether ftfy (with `_FTFY_CONFIG`) could change the text: it holds ftfy's
    mojibake signature (`ftfy.badness.is_bad`, the test ftfy's own repair starts with),
    a character one of its other fixers changes (`_FTFY_TOUCHES`), or is not in NFC.
    When it holds none, `ftfy.fix_and_explain` returns it unchanged with no steps.

    >>> needs_ftfy("It’s a café — “quoted”."), needs_ftfy("It\u00e2\u0080\u0099s"), needs_ftfy("ﬁne")
    (False, True, True)
    """
    if _FTFY_TOUCHES.search(text):
        return True
    if not text.isascii() and _MAYBE_MOJIBAKE.search(text) and is_bad(text):
        return True
    return not unicodedata.is_normalized("NFC", text)


def fix_mojibake(text: str) -> tuple[str, list[str]]:
    """Undo mis-decoding with ftfy ('â€™' -> '’'); name what it did. Only text with
    something ftfy could change goes through it (`needs_ftfy`): most text has none."""
    if not needs_ftfy(text):
        return text, []
    fixed, steps = ftfy.fix_and_explain(text, config=_FTFY_CONFIG)
    names: list[str] = []
    for action, parameter in steps or ():
        if action in ("encode", "decode", "transcode") or parameter in _FTFY_MOJIBAKE_STEPS:
            name = "mojibake"
        else:
            name = _FTFY_STEP_NAMES.get(str(parameter), str(parameter))
        if name not in names:
            names.append(name)
    return fixed, names


def fix_html_entities(text: str) -> tuple[str, list[str]]:
    """Unescape HTML entities left in text ('&amp;' -> '&'), twice for double escapes.

    >>> fix_html_entities("Tom &amp;amp; Jerry &#8217;s")
    ('Tom & Jerry ’s', ['html_entities'])
    """
    if not _ENTITY.search(text):
        return text, []
    for _ in range(2):
        text = html.unescape(text)
        if not _ENTITY.search(text):
            break
    return text, ["html_entities"]


def fix_exotic_spaces(text: str) -> tuple[str, list[str]]:
    """Non-breaking and other Unicode spaces become plain spaces."""
    fixed = _EXOTIC_SPACE.sub(" ", text)
    return fixed, (["nbsp"] if fixed != text else [])


def remove_zero_width(text: str) -> tuple[str, list[str]]:
    """Drop zero-width characters and BOMs."""
    fixed = _ZERO_WIDTH.sub("", text)
    return fixed, (["zero_width"] if fixed != text else [])


def remove_soft_hyphens(text: str) -> tuple[str, list[str]]:
    """Drop soft hyphens (invisible hyphenation hints), recorded as a zero-width fix.

    Only after mojibake repair: byte 0xAD of UTF-8 "í" or "正" read as cp1252 is a
    soft hyphen, and removing it first would make the mojibake unrepairable.
    """
    fixed = text.replace(_SOFT_HYPHEN, "")
    return fixed, (["zero_width"] if fixed != text else [])


def remove_control_chars(text: str) -> tuple[str, list[str]]:
    """Drop C0/C1 control characters other than tab, newline and carriage return."""
    fixed = _CONTROL.sub("", text)
    return fixed, (["control_chars"] if fixed != text else [])


def normalise_newlines(text: str) -> tuple[str, list[str]]:
    """CRLF and lone CR become LF, so offsets count one character per line break."""
    fixed = text.replace("\r\n", "\n").replace("\r", "\n")
    return fixed, []


FIXERS: tuple[Callable[[str], tuple[str, list[str]]], ...] = (
    normalise_newlines,
    remove_zero_width,  # before ftfy, which would drop a stray BOM as a control character
    fix_mojibake,  # before control characters: C1 bytes are part of the mojibake it undoes
    fix_html_entities,
    fix_exotic_spaces,
    remove_soft_hyphens,
    remove_control_chars,
)


def repair_text(text: str) -> tuple[str, tuple[str, ...]]:
    """Apply every fixer in order; return the text and the names of the fixes made.

    >>> repair_text("It\\u00e2\\u0080\\u0099s a caf\\u00c3\\u00a9\\u00a0&amp; bar")
    ('It’s a café & bar', ('mojibake', 'html_entities', 'nbsp'))
    """
    fixes: list[str] = []
    for fixer in FIXERS:
        text, names = fixer(text)
        fixes.extend(n for n in names if n not in fixes)
    return text, tuple(fixes)
