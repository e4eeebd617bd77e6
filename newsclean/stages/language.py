"""Language: the language of each article, by langdetect.

classify detects it once per article on the article's prose paragraphs and the stage
keeps that; it detects on the clean body only for an article classify could not tell.

langdetect is randomised; seeding each detector makes the result repeat run after run.
Its language profiles are loaded once per process, under a lock, and used only once
whole: langdetect's own lazy loading hands a half-loaded factory to a second thread
that asks while the first loads, which then finds no language or a wrong one.
Codes are ISO 639-1 ("zh-cn" and "zh-tw" become "zh").
"""

from __future__ import annotations

import threading
from dataclasses import replace
from itertools import islice

from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory
from langdetect.lang_detect_exception import LangDetectException

from newsclean.settings import LanguageSettings
from newsclean.stages.detector import FastDetector, ProfileTables
from newsclean.stages.records import BODY, Document, Shard

STAGE = "language"


def language_shard(shard: Shard, settings: LanguageSettings) -> Shard:
    """Set `language` and `language_score` on every document from its body paragraphs,
    unless classify already detected them on the article's prose paragraphs (one
    detection per article: langdetect is the costliest call of the text path)."""
    grouped = shard.paragraphs_by_article()
    documents = []
    for doc in shard.documents:
        if doc.language is not None:
            documents.append(doc)
            continue
        body = "\n".join(p.text for p in grouped.get(doc.article_id, []) if p.label == BODY)
        code, score = detect_language(body, settings)
        documents.append(replace(doc, language=code, language_score=score))
    return shard.with_(documents=tuple(documents))


def detect_language(text: str, settings: LanguageSettings) -> tuple[str | None, float | None]:
    """(ISO 639-1 code, probability) of a text, or (None, None) with too few letters to tell.

    >>> detect_language("The ministry said the talks would resume on Friday in Geneva.", LanguageSettings())
    ('en', 1.0)
    """
    if not has_letters(text, settings.min_letters):
        return None, None
    factory = language_profiles()  # loads _TABLES with it
    detector = FastDetector(factory, _TABLES)  # langdetect's Detector: the same answers, faster
    detector.seed = settings.seed
    detector.append(text[: settings.sample_chars])
    try:
        best = detector.get_probabilities()[0]
    except LangDetectException:
        return None, None
    return best.lang.split("-")[0], round(best.prob, 4)


def has_letters(text: str, count: int) -> bool:
    """Whether a text holds at least `count` letters (it stops looking once it has them).

    >>> has_letters("12 34 ab", 2), has_letters("12 34 ab", 3)
    (True, False)
    """
    return count <= 0 or sum(1 for _ in islice((c for c in text if c.isalpha()), count)) >= count


_PROFILES: DetectorFactory | None = None
_TABLES: ProfileTables | None = None
_PROFILES_LOCK = threading.Lock()


def language_profiles() -> DetectorFactory:
    """langdetect's profiles of every language, loaded on first use by one thread while
    any other waits, and shared (read only) once whole."""
    global _PROFILES, _TABLES
    if _PROFILES is None:
        with _PROFILES_LOCK:
            if _PROFILES is None:
                factory = DetectorFactory()
                factory.load_profile(PROFILES_DIRECTORY)
                _TABLES = ProfileTables(factory)
                _PROFILES = factory
    return _PROFILES
