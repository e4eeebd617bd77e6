"""Tail rule: the off-topic tail, split off what the other rules left as body.

The glue between classify and `newsclean.stages.offtopic` (which scores and cuts, with
its own settings, `[offtopic]`): the paragraphs still open are the body candidates, the
title states the topic, and a paragraph opening with a dateline (which only a story's
first paragraph does) is marked as opening another story. The tail found is labelled
`offtopic` with the reason `topic_shift_tail`, each paragraph keeping its score.
"""

from __future__ import annotations

from newsclean.settings import ClassifySettings, OfftopicSettings
from newsclean.stages.classify.article import Article, Findings
from newsclean.stages.offtopic import REASON as OFFTOPIC_REASON
from newsclean.stages.offtopic import offtopic_scores
from newsclean.stages.records import OFFTOPIC


def mark_offtopic_tail(
    article: Article, found: Findings, settings: ClassifySettings, offtopic: OfftopicSettings, language: str | None
) -> None:
    """Label the off-topic tail of the open paragraphs, when there are more than
    `min_body_paragraphs` of them; `language` (the article's, as detected: None when
    unknown) picks the word frequencies."""
    texts, verdicts = article.texts, found.verdicts
    body = [i for i, v in enumerate(verdicts) if v is None]
    if len(body) > offtopic.min_body_paragraphs:
        opens = [i != body[0] and any(p.match(texts[i]) for p in settings.rules.dateline) for i in body]
        tail = offtopic_scores([texts[i] for i in body], [found.title or ""], offtopic, language, opens)
    else:
        tail = {}
    for k, score in tail.items():
        verdicts[body[k]] = (OFFTOPIC, OFFTOPIC_REASON)
        found.scores[body[k]] = round(score, 4)
