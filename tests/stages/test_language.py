"""Language: the ISO 639-1 code of an article's body, the same on every run."""

from __future__ import annotations

import dataclasses

import pytest

from newsclean.stages.ingest import make_document
from newsclean.stages.language import detect_language, language_shard
from newsclean.stages.records import Paragraph, Shard

TEXTS = [
    # (text, expected code, why)
    ("The Riverside city council approved a $4.2 billion budget on Tuesday night after a long debate "
     "over police funding and library hours.", "en", "English"),
    ("Le conseil municipal a adopté mardi soir le budget de la ville après un long débat sur le "
     "financement de la police et les horaires des bibliothèques.", "fr", "French"),
    ("Der Stadtrat hat am Dienstagabend nach einer langen Debatte über die Finanzierung der Polizei und "
     "die Öffnungszeiten der Bibliotheken den Haushalt beschlossen.", "de", "German"),
    ("El ayuntamiento aprobó el martes por la noche el presupuesto de la ciudad tras un largo debate "
     "sobre la financiación de la policía y el horario de las bibliotecas.", "es", "Spanish"),
    ("Москва заявила сегодня, что переговоры о бюджете продолжатся в пятницу в Женеве.", "ru", "Russian"),
    ("市议会周二晚上在就警察经费进行长时间辩论后批准了城市预算。", "zh", "Simplified Chinese: zh-cn becomes zh"),
    ("市議會週二晚上在就警察經費進行長時間辯論後批准了城市預算。議會主席表示，這份預算將讓所有圖書館分館每週開放六天。"
     "批評者則說，這份預算依賴過於樂觀的銷售稅預測。", "zh", "Traditional Chinese: zh-tw becomes zh"),
]


@pytest.mark.parametrize("text, code, why", TEXTS, ids=[c[2] for c in TEXTS])
def test_detects_the_language(text, code, why, settings):
    found, score = detect_language(text, settings.language)
    assert found == code, why
    assert 0.5 <= score <= 1.0


@pytest.mark.parametrize(
    "text, why",
    [
        ("Yes.", "too short"),
        ("", "empty"),
        ("   \n\n  ", "white space"),
        ("1-0 2-2 3-1 0-0 4-2 1-1 2-0", "scores, no letters"),
        pytest.param(
            "$4.2bn, 9-4, 12:30 pm, 3.1%", "figures with four letters",
        ),
    ],
)
def test_too_little_text_gives_no_language(text, why, settings):
    assert detect_language(text, settings.language) == (None, None), why


def test_same_result_every_time(settings):
    # A short mixed text, where langdetect's random sampling would otherwise wander.
    text = "Le budget de la ville: the council voted 9-4, der Haushalt ist beschlossen."
    results = {detect_language(text, settings.language) for _ in range(5)}
    assert len(results) == 1


def test_language_shard_uses_only_body_paragraphs(settings):
    text = "Kommentare\n\n" + TEXTS[0][0]
    doc = dataclasses.replace(make_document("a.txt", "text", text.encode()), raw=None, text=text)
    body_start = text.index(TEXTS[0][0])
    paragraphs = (
        Paragraph(doc.article_id, 0, "Kommentare", 0, 10, "boilerplate", "comment_prompt"),
        Paragraph(doc.article_id, 1, TEXTS[0][0], body_start, len(text), "body", "kept"),
    )
    empty = dataclasses.replace(make_document("b.txt", "text", b"x"), raw=None, text="Advertisement")
    advert = Paragraph(empty.article_id, 0, "Advertisement", 0, 13, "boilerplate", "ad_marker")
    shard = language_shard(Shard(0, (doc, empty), paragraphs + (advert,)), settings.language)
    assert [(d.language, d.language_score is not None) for d in shard.documents] == [("en", True), (None, False)]


def test_two_threads_first_using_langdetect_at_once_get_the_same_language(settings, monkeypatch):
    """The second thread asks while the first is still loading the profiles: it waits
    for them, not detecting with half of them (which gave None or `pl`/`fi`/`da`)."""
    import threading

    import langdetect.detector_factory as factory_module

    from newsclean.stages import language

    text = TEXTS[0][0]
    expected = detect_language(text, settings.language)
    monkeypatch.setattr(language, "_PROFILES", None, raising=False)  # as in a fresh process
    monkeypatch.setattr(factory_module, "_factory", None)
    loading, release = threading.Event(), threading.Event()
    load = factory_module.DetectorFactory.load_profile

    def slow_load(self, directory):
        loading.set()
        release.wait(30)
        load(self, directory)

    monkeypatch.setattr(factory_module.DetectorFactory, "load_profile", slow_load)
    results: dict[str, tuple] = {}

    def detect(name: str) -> None:
        results[name] = detect_language(text, settings.language)

    first = threading.Thread(target=detect, args=("first",))
    first.start()
    assert loading.wait(30), "the first thread loads the profiles"
    second = threading.Thread(target=detect, args=("second",))
    second.start()
    second.join(1.0)  # with the profiles half loaded, the second thread must still be waiting
    release.set()
    first.join(30)
    second.join(30)
    assert results == {"first": expected, "second": expected}
