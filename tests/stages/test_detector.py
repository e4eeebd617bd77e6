"""FastDetector: exactly langdetect's answers (languages and probabilities, bit for bit)."""

from __future__ import annotations

import random

import pytest
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from newsclean.stages.detector import FastDetector, ProfileTables
from newsclean.stages.language import language_profiles

CASES = [
    # (text, why)
    ("The Riverside city council approved a $4.2 billion budget on Tuesday night.", "English"),
    ("Le conseil municipal a adopté mardi soir le budget de la ville après un long débat.", "French"),
    ("Der Stadtrat hat am Dienstagabend den Haushalt beschlossen. Öffnungszeiten!", "German, umlauts"),
    ("Москва заявила сегодня, что переговоры продолжатся в пятницу в Женеве.", "Cyrillic"),
    ("市议会周二晚上在就警察经费进行长时间辩论后批准了城市预算。", "CJK ideographs (CJK_MAP)"),
    ("東京都は火曜日、ひらがなとカタカナの新しい案内板を設置した。", "Japanese: hiragana, katakana"),
    ("서울시 의회는 화요일 밤 예산안을 승인했다.", "Hangul syllables"),
    ("قالت الحكومة إن المحادثات ستستأنف یوم الجمعة", "Arabic with a Farsi yeh"),
    ("Thành phố đã thông qua ngân sách vào tối thứ Ba.", "Vietnamese, precomposed"),
    ("Tha\u0300nh pho\u0301 đa\u0303 thông qua ngân sa\u0301ch", "Vietnamese, combining marks (normalize_vi)"),
    ("Consiliul a aprobat bugetul, spun oficialii din Bucureşti şi Timişoara.", "Romanian cedillas"),
    ("Consiliul a aprobat bugetul, spun oficialii din București și Timișoara.", "Romanian commas below"),
    ("NASA AND THE FBI SAID THE USA WOULD ACT. Then they did, said the BBC.", "capital words skipped"),
    ("See https://example.com/a?b=c&d=e or mail news@example.com   for   more   news.", "URL, e-mail, runs of spaces"),
    ("  leading spaces, trailing spaces  ", "spaces at both ends"),
    ("word", "one word, no trailing space"),
    ("Ünïcödé ñoñó “quoted” — dashes… and ‘more’ ½ ¼ © ® ™", "Latin-1 and general punctuation"),
    ("Greek: Η κυβέρνηση ανακοίνωσε σήμερα το νέο πρόγραμμα.", "Greek"),
    ("Hebrew: הממשלה הודיעה היום על התוכנית החדשה", "Hebrew, mostly non-Latin: Latin dropped"),
    ("abc\tdef\nghi\r\njkl", "tabs and newlines"),
]


def reference(text: str, seed: int = 0) -> list[tuple[str, float]]:
    detector = Detector(language_profiles())
    detector.seed = seed
    detector.append(text)
    return [(lang.lang, lang.prob) for lang in detector.get_probabilities()]


def fast(text: str, tables: ProfileTables, seed: int = 0) -> list[tuple[str, float]]:
    detector = FastDetector(language_profiles(), tables)
    detector.seed = seed
    detector.append(text)
    return [(lang.lang, lang.prob) for lang in detector.get_probabilities()]


@pytest.fixture(scope="module")
def tables() -> ProfileTables:
    return ProfileTables(language_profiles())


@pytest.mark.parametrize("text, why", CASES, ids=[c[1] for c in CASES])
def test_same_probabilities_as_langdetect(text, why, tables):
    assert fast(text, tables) == reference(text), why
    assert fast(text, tables) == reference(text), f"{why}, from the word cache"


def test_same_on_random_mixtures_of_scripts(tables):
    """Seeded random texts mixing scripts, case, punctuation and spaces."""
    alphabet = ("abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ   ..,;!?-'\"()0123456789\n\t"
                "éèàüößçñ“”‘’—…" "абвгдежзиклмнопрстуфхцчшщыэюя" "αβγδεζηθ" "的一是不了人我在有他" "あいうえおアイウエオ"
                "가나다라마" "ابتثجحخ" "\u0300\u0301\u0303\u0309\u0323" "ệếỳẠ")
    rnd = random.Random(20261201)
    for _ in range(150):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(5, 400)))
        seed = rnd.randint(0, 3)
        try:
            expected = reference(text, seed)
        except LangDetectException:
            with pytest.raises(LangDetectException):
                fast(text, tables, seed)
            continue
        assert fast(text, tables, seed) == expected, repr(text)


def test_no_features_is_langdetects_error(tables):
    with pytest.raises(LangDetectException):
        fast("1234 5678 !!!", tables)


def test_word_cache_is_bounded(tables, monkeypatch):
    import newsclean.stages.detector as module

    small = ProfileTables(language_profiles())
    monkeypatch.setattr(module, "MAX_CACHED_WORDS", 3)
    text = "one two three four five six seven eight nine ten eleven twelve"
    assert fast(text, small) == reference(text)
    assert len(small.words) == 3
    assert fast(text, small) == reference(text)
