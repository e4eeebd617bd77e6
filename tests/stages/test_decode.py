"""Decode: bytes in any encoding become clean Unicode text; every repair is recorded."""

from __future__ import annotations

import codecs
import dataclasses

import pytest

from newsclean.stages.decode import decode_document, decode_shard, repair_text
from newsclean.stages.ingest import make_document
from newsclean.stages.records import Document, Reject, Shard

CAFE = "Café “quoted” – naïve résumé, said the owner of the café on Rue Cler."
GERMAN = (
    "Die Bürger der Stadt Köln müssen ab nächster Woche höhere Gebühren für die "
    "Müllabfuhr zahlen, teilte die Verwaltung am Dienstag mit."
)
FRENCH = "Le café près de la gare a été fermé à cause des grèves, a déclaré le maire."
RUSSIAN = "Москва заявила сегодня, что переговоры о бюджете продолжатся в пятницу в Женеве."


def decode(raw: bytes, settings, kind: str = "text") -> Document | Reject:
    return decode_document(make_document("story.txt", kind, raw), settings.decode)



# --- charsets -----------------------------------------------------------------------------

CHARSET_CASES = [
    # (raw bytes, expected text, allowed encodings, why)
    pytest.param(CAFE.encode("utf-8"), CAFE, {"utf-8"}, "valid UTF-8 is taken as UTF-8", id="utf-8"),
    pytest.param(CAFE.encode("cp1252"), CAFE, {"cp1252"},
                 "curly quotes and en dash are cp1252-only bytes (0x93 0x94 0x96)", id="cp1252"),
    pytest.param(FRENCH.encode("latin-1"), FRENCH, {"cp1252", "iso8859-1"},
                 "latin-1 bytes read as latin-1 or its superset cp1252", id="latin-1-french"),
    pytest.param(
        GERMAN.encode("latin-1"), GERMAN, {"cp1252", "iso8859-1"},
        "German latin-1 is western European text, not Central European cp1250",
        id="latin-1-german",
    ),
    pytest.param(
        GERMAN.encode("cp1252"), GERMAN, {"cp1252"},
        "the same as cp1252 bytes: ü ö ä ß are cp1252", id="cp1252-german",
    ),
    pytest.param(
        "The vote is done \u2013 the library stays open.".encode("cp1252"),
        "The vote is done \u2013 the library stays open.", {"cp1252"},
        "an en dash (0x96) in short English text", id="cp1252-en-dash",
    ),
    pytest.param(
        "The mayor\u2019s office said the budget \u2013 worth \u20ac4.2bn \u2013 was final.".encode("cp1252"),
        "The mayor\u2019s office said the budget \u2013 worth \u20ac4.2bn \u2013 was final.", {"cp1252"},
        "apostrophe, dashes and euro sign", id="cp1252-euro",
    ),
    pytest.param(
        "Jos\u00e9 Mu\u00f1oz said \u2018no\u2019 to the plan.".encode("cp1252"),
        "Jos\u00e9 Mu\u00f1oz said \u2018no\u2019 to the plan.", {"cp1252"},
        "accents and single curly quotes", id="cp1252-quotes",
    ),
    pytest.param(codecs.BOM_UTF8 + CAFE.encode("utf-8"), CAFE, {"utf-8-sig"},
                 "the UTF-8 BOM is dropped, not kept as U+FEFF", id="utf-8-bom"),
    pytest.param(CAFE.encode("utf-16"), CAFE, {"utf-16"}, "UTF-16 with its BOM", id="utf-16-le-bom"),
    pytest.param(codecs.BOM_UTF16_BE + CAFE.encode("utf-16-be"), CAFE, {"utf-16"},
                 "big-endian UTF-16 with its BOM", id="utf-16-be-bom"),
    pytest.param(RUSSIAN.encode("cp1251"), RUSSIAN, {"cp1251"}, "Cyrillic Windows code page", id="cp1251"),
    pytest.param(codecs.BOM_UTF32_BE + CAFE.encode("utf-32-be"), CAFE, {"utf-32"},
                 "big-endian UTF-32 with its BOM", id="utf-32-be-bom"),
    pytest.param(CAFE.encode("utf-32"), CAFE, {"utf-32"}, "UTF-32 with its BOM", id="utf-32-le-bom"),
]


@pytest.mark.parametrize("raw, text, encodings, why", CHARSET_CASES)
def test_charsets_are_detected_and_decoded(raw, text, encodings, why, settings):
    doc = decode(raw, settings)
    assert isinstance(doc, Document), why
    assert doc.text == text, why
    assert doc.encoding in encodings, why
    assert doc.encoding_fixes == (), "clean input needs no repair"
    assert doc.raw is None, "raw bytes are dropped once decoded"


def test_html_declared_charset_is_used(settings):
    page = '<html><head><meta charset="windows-1251"></head><body><p>' + RUSSIAN + "</p></body></html>"
    doc = decode(page.encode("cp1251"), settings, kind="html")
    assert doc.encoding == "cp1251"
    assert RUSSIAN in doc.text


def test_html_declaring_latin1_is_read_as_cp1252(settings):
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1"></head>'
    page += "<body><p>" + CAFE + "</p></body></html>"
    doc = decode(page.encode("cp1252"), settings, kind="html")
    assert doc.encoding == "cp1252", "browsers read latin-1 pages as cp1252; so must we"
    assert CAFE in doc.text


def test_html_whose_declared_charset_is_wrong_falls_back_to_detection(settings):
    page = '<html><head><meta charset="ascii"></head><body><p>' + CAFE + "</p></body></html>"
    doc = decode(page.encode("utf-8"), settings, kind="html")
    assert CAFE in doc.text


# --- repairs ------------------------------------------------------------------------------

REPAIR_CASES = [
    # (text as stored in the file, expected text, expected fixes, why)
    pytest.param("It\u00e2\u20ac\u2122s the caf\u00c3\u00a9 on Main Street, the mayor said.",
                 "It’s the café on Main Street, the mayor said.", ("mojibake",),
                 "UTF-8 read as cp1252 and saved again as UTF-8", id="mojibake"),
    pytest.param("Tom &amp; Jerry&#8217;s show, the council&#x27;s plan",
                 "Tom & Jerry’s show, the council's plan", ("html_entities",),
                 "entities left in scraped text", id="html-entities"),
    pytest.param("AT&amp;amp;T shares rose", "AT&T shares rose", ("html_entities",),
                 "double-escaped entities", id="double-escaped-entity"),
    pytest.param("Price:&nbsp;10&nbsp;euros", "Price: 10 euros", ("html_entities", "nbsp"),
                 "&nbsp; becomes a no-break space, then a plain space", id="nbsp-entity"),
    pytest.param("Price:\u00a010\u202feuros", "Price: 10 euros", ("nbsp",),
                 "no-break and narrow no-break spaces", id="nbsp"),
    pytest.param("bud\u200bget over\u00adtime vote\u2060", "budget overtime vote", ("zero_width",),
                 "zero-width space, soft hyphen, word joiner", id="zero-width"),
    pytest.param("The budget\ufeff vote", "The budget vote", ("zero_width",),
                 "a stray BOM inside the text is a zero-width character", id="zero-width-bom"),
    pytest.param("The council\x07 voted\x0b 9-4\x1f.", "The council voted 9-4.", ("control_chars",),
                 "bell, vertical tab and unit separator bytes", id="control-chars"),
    pytest.param("Line one\r\nLine two\rLine three\n", "Line one\nLine two\nLine three\n", (),
                 "CRLF and lone CR become LF; not counted as a repair", id="crlf"),
    pytest.param("AT&T and Q&A; 3 < 4", "AT&T and Q&A; 3 < 4", (),
                 "bare ampersands are not entities", id="bare-ampersand"),
    pytest.param("Naïve “smart” quotes – and dashes — stay", "Naïve “smart” quotes – and dashes — stay", (),
                 "typographic characters are the publisher's text", id="typography"),
    pytest.param("東京都の予算案が可決された", "東京都の予算案が可決された", (),
                 "CJK text is left alone", id="cjk"),
]


@pytest.mark.parametrize("stored, expected, fixes, why", REPAIR_CASES)
def test_text_repairs_are_applied_and_recorded(stored, expected, fixes, why, settings):
    doc = decode(stored.encode("utf-8"), settings)
    assert isinstance(doc, Document), why
    assert doc.text == expected, why
    assert doc.encoding == "utf-8"
    assert doc.encoding_fixes == fixes, why


def test_control_chars_are_removed(settings):
    doc = decode("The council\x07 voted\x0b 9-4\x1f.".encode(), settings)
    assert doc.text == "The council voted 9-4."
    assert doc.encoding_fixes, "the removal is recorded"


def test_fixes_are_listed_once_in_order(settings):
    stored = "It\u00e2\u20ac\u2122s\u00a0a caf\u00c3\u00a9 &amp; bar\u00a0and\u200b more"
    text, fixes = repair_text(stored)
    assert text == "It’s a café & bar and more"
    assert fixes == ("zero_width", "mojibake", "html_entities", "nbsp")  # FIXERS order


def test_html_is_not_repaired_at_decode(settings):
    page = "<html><body><p>It\u00e2\u20ac\u2122s the caf\u00c3\u00a9 &amp; bar</p></body></html>"
    doc = decode(page.encode("utf-8"), settings, kind="html")
    assert doc.text == page, "the markup and its text are repaired after extraction"
    assert doc.encoding_fixes == ()


# --- rejects ------------------------------------------------------------------------------

UNDECODABLE_CASES = [
    # (raw, why)
    pytest.param(codecs.BOM_UTF16_LE + b"\x00\xd8A\x00" * 50, "UTF-16 full of lone surrogates",
                 id="broken-utf16"),
    pytest.param(("Council vote " + "\ufffd" * 40 + " budget").encode("utf-8"),
                 "text already mangled to U+FFFD by an earlier tool", id="replacement-chars"),
]


@pytest.mark.parametrize("raw, why", UNDECODABLE_CASES)
def test_undecodable_bytes_are_rejected(raw, why, settings):
    reject = decode(raw, settings)
    assert isinstance(reject, Reject), why
    assert (reject.reason, reject.stage, reject.source_path) == ("undecodable", "decode", "story.txt")


def test_few_replacement_characters_are_kept_and_recorded(settings):
    text = "The council voted 9-4 on the budget \ufffd the library gets $3.1 million more this year."
    doc = decode(text.encode("utf-8"), settings)
    assert isinstance(doc, Document)
    assert "lossy_decode" in doc.encoding_fixes


def test_text_that_is_only_invisible_characters_is_empty(settings):
    reject = decode("\u200b\u200b \u00a0\r\n\u2060".encode("utf-8"), settings)
    assert isinstance(reject, Reject) and reject.reason == "empty"


def test_decode_shard_keeps_good_documents_and_collects_rejects(settings):
    good = make_document("a.txt", "text", CAFE.encode("cp1252"))
    bad = make_document("b.txt", "text", codecs.BOM_UTF16_LE + b"\x00\xd8" * 40)
    earlier = Reject("c.png", "binary", "NUL bytes", "ingest")
    shard = decode_shard(Shard(0, (good, bad), (), (earlier,)), settings.decode)
    assert [d.source_path for d in shard.documents] == ["a.txt"]
    assert shard.documents[0].text == CAFE
    assert [(r.source_path, r.reason) for r in shard.rejects] == [("c.png", "binary"), ("b.txt", "undecodable")]


def test_a_document_that_crashes_decode_becomes_a_stage_error(settings):
    broken = dataclasses.replace(make_document("a.txt", "text", b"x"), raw="not bytes")  # type: ignore[arg-type]
    shard = decode_shard(Shard(0, (broken,)), settings.decode)
    assert shard.documents == ()
    assert [(r.reason, r.stage) for r in shard.rejects] == [("stage_error", "decode")]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_decoded(codec, settings):
    """Windows tools save UTF-16 without a BOM; its NUL bytes must not make it 'binary'."""
    from newsclean.stages.ingest import check_content

    raw = CAFE.encode(codec)
    assert check_content(raw, settings.ingest) is None
    doc = decode(raw, settings)
    assert isinstance(doc, Document) and (doc.text, doc.encoding) == (CAFE, codec)


def test_a_page_nested_too_deep_is_rejected_before_extraction(settings):
    """100k nested <div>s would keep extraction busy for minutes (and a resumed run
    would hang on it again): it is a too_deep reject at decode."""
    page = "<html><body>" + "<div>" * 100_000 + "<p>The council voted.</p>" + "</div>" * 100_000 + "</body></html>"
    reject = decode(page.encode(), settings, kind="html")
    assert reject == Reject("story.txt", "too_deep", "elements nested more than 1000 deep", "decode")


def test_a_page_of_many_unclosed_paragraphs_is_not_deep(settings):
    page = "<html><body>" + "<p>One more line of the story." * 5000 + "</body></html>"
    assert isinstance(decode(page.encode(), settings, kind="html"), Document)


# --- the ftfy pre-check: ftfy runs only where it could change the text -----------------

import re

import ftfy as _ftfy
from ftfy.badness import MOJIBAKE_CATEGORIES, is_bad

from newsclean.stages.decode import _FTFY_CONFIG, needs_ftfy

FTFY_CASES = [
    # (text, ftfy could change it, why)
    ("Plain ASCII text, nothing to fix.", False, "ASCII"),
    ("It’s a café — “quoted” … naïve", False, "typographic punctuation and accents, one at a time"),
    ("Москва заявила сегодня", False, "Cyrillic: adjacent non-ASCII, is_bad asked and says no"),
    ("It\u00e2\u0080\u0099s", True, "UTF-8 mojibake with C1 controls"),
    ("cafÃ© au lait", True, "Latin-1 mojibake: Ã"),
    ("Itâ€™s over", True, "cp1252 mojibake: two adjacent non-ASCII"),
    ("the ﬁnal", True, "a Latin ligature"),
    ("line\u2028break", True, "a Unicode line separator"),
    ("bell\x07", True, "a control character"),
    ("cafe\u0301", True, "not NFC: a combining accent"),
    ("\x1b[31mred\x1b[0m", True, "a terminal escape"),
]


@pytest.mark.parametrize("text, expected, why", FTFY_CASES, ids=[c[2] for c in FTFY_CASES])
def test_needs_ftfy(text, expected, why):
    assert needs_ftfy(text) is expected, why
    if not expected:
        assert _ftfy.fix_and_explain(text, config=_FTFY_CONFIG) == (text, []), why


def test_mojibake_signature_categories_are_non_ascii():
    """The pre-check's claim rests on every character class of ftfy's signature being
    non-ASCII: two of them side by side are two adjacent non-ASCII characters."""
    for name, chars in MOJIBAKE_CATEGORIES.items():
        cls = re.compile(f"[{chars}]")
        assert not any(cls.match(chr(c)) for c in range(128)), name


def test_one_non_ascii_character_never_looks_bad():
    """Any character of the signature's categories (and of Latin-1, general punctuation),
    alone among ASCII, is not mojibake to ftfy unless it is one the pre-check names."""
    chars = set("".join(chr(c) for c in range(0xA0, 0x250))) | set(chr(c) for c in range(0x2000, 0x2070))
    for pattern in MOJIBAKE_CATEGORIES.values():
        cls = re.compile(f"[{pattern}]")
        chars |= {chr(c) for c in range(0x80, 0x3000) if cls.match(chr(c))}
    contexts = ("{}", "a{}", "{}a", "a{}b", " {} ", "a {} b", "a{}.", ".{} ", "x{}s", "A{}1", "1{}", "?{} a")
    for ch in sorted(chars):
        if ch in "ŒœÃÂ" or 0x80 <= ord(ch) <= 0x9F or (0xD800 <= ord(ch) <= 0xDFFF):
            continue
        for context in contexts:
            assert not is_bad(context.format(ch)), repr(context.format(ch))


def test_repair_is_unchanged_by_the_pre_check(monkeypatch):
    """With and without the pre-check, repair_text gives the same text and fixes."""
    import newsclean.stages.decode as decode

    texts = [case[0] for case in FTFY_CASES] + ["Ünïcödé “x” — y\r\nz", "Tom &amp; Jerry\u00a0ok"]
    fast = [decode.repair_text(t) for t in texts]
    monkeypatch.setattr(decode, "needs_ftfy", lambda text: True)
    assert [decode.repair_text(t) for t in texts] == fast
