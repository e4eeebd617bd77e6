"""Language: detect the language of each article's clean body with langdetect.

langdetect is randomised; seeding its factory makes the result repeat run after run.
Codes are ISO 639-1 ("zh-cn" and "zh-tw" become "zh").
"""

from __future__ import annotations

from dataclasses import replace

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from flows.settings import LanguageSettings
from flows.stages.records import BODY, Document, Shard

STAGE = "language"


def language_shard(shard: Shard, settings: LanguageSettings) -> Shard:
    """Set `language` and `language_score` on every document from its body paragraphs."""
    grouped = shard.paragraphs_by_article()
    documents = []
    for doc in shard.documents:
        body = "\n".join(p.text for p in grouped.get(doc.article_id, []) if p.label == BODY)
        code, score = detect_language(body, settings)
        documents.append(replace(doc, language=code, language_score=score))
    return shard.with_(documents=tuple(documents))


def detect_language(text: str, settings: LanguageSettings) -> tuple[str | None, float | None]:
    """(ISO 639-1 code, probability) of a text, or (None, None) with too few letters to tell.

    >>> detect_language("The ministry said the talks would resume on Friday in Geneva.", LanguageSettings())
    ('en', 1.0)
    """
    if sum(1 for c in text if c.isalpha()) < settings.min_letters:
        return None, None
    DetectorFactory.seed = settings.seed
    try:
        best = detect_langs(text[:20_000])[0]
    except LangDetectException:
        return None, None
    return best.lang.split("-")[0], round(best.prob, 4)
