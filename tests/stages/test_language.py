"""Language: the ISO 639-1 code of an article's body, the same on every run."""

from __future__ import annotations

import dataclasses

import pytest

from flows.stages.ingest import make_document
from flows.stages.language import detect_language, language_shard
from flows.stages.records import Paragraph, Shard

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
