"""Template rule: a line the article's site prints on many of its pages is page furniture,
whatever its wording (`site_template`). The evidence is the crawl's, counted before
classify by the reduce step (newsclean/stages/templates.py, newsclean/templatestore.py):
`Article.site_templates` holds the line keys of the article's site that are on at least
`[templates] min_articles` distinct articles of it.

Two guards, each naming itself in the reason of what it keeps (label `body`):
- `shared_prose_kept`: a line that reads as a sentence of the article's language and is
  on its topic (newsclean/stages/prose.py, the article guard's `is_on_topic`) is prose
  the site's articles legitimately share (a recurring background paragraph of a series):
  template lines are about the site, not about each article's story;
- `only_body_kept`: the rule never takes an article's last open paragraphs: when every
  paragraph still open is a template line, they all stay.
"""

from __future__ import annotations

from newsclean.settings import ClassifySettings
from newsclean.stages import guard
from newsclean.stages.classify.article import Article, Findings
from newsclean.stages.prose import is_sentence
from newsclean.stages.records import BOILERPLATE
from newsclean.stages.templates import line_key

REASON = "site_template"
SHARED_PROSE = "shared_prose_kept"
ONLY_BODY = "only_body_kept"


def template_lines(article: Article, found: Findings) -> list[int]:
    """Indices of the paragraphs still open whose line is one of the site's template lines."""
    if not article.site_templates:
        return []
    return [i for i, text in enumerate(article.texts)
            if found.verdicts[i] is None and line_key(text) in article.site_templates]


def is_prose(article: Article, i: int, settings: ClassifySettings) -> bool:
    """A paragraph that reads as a sentence of the article's language (the guard's measure)."""
    return is_sentence(article.texts[i], article.words[i], article.language, settings.sentence_min_share,
                       settings.guard_prose_min_words)


def mark_site_template(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Label the open paragraphs that are template lines of the article's site
    `boilerplate`/`site_template`, but for the two guards."""
    candidates = template_lines(article, found)
    if not candidates:
        return
    removed = candidates
    prose = [i for i in candidates if is_prose(article, i, settings)]
    if prose:  # (the topic is asked for only then: most template lines are no sentence)
        # the topic from the title, else from the lead prose that is no template line
        open_lines = set(candidates)
        marked = [v or ((BOILERPLATE, REASON) if i in open_lines else None) for i, v in enumerate(found.verdicts)]
        lazy_prose = (i for i in range(len(article.texts)) if is_prose(article, i, settings))
        title = article.doc.title if article.doc else None
        topic = guard.topic_words(article, marked, lazy_prose, title, settings.guard_lead_paragraphs)
        shared = {i for i in prose if guard.is_on_topic(article.texts[i], topic, article.language, settings)}
        for i in shared:
            found.body_reasons[i] = SHARED_PROSE
        removed = [i for i in candidates if i not in shared]
    verdicts = found.verdicts
    gone = set(removed)
    if not any(v is None and i not in gone and article.words[i] > 0 for i, v in enumerate(verdicts)):
        for i in removed:
            found.body_reasons[i] = ONLY_BODY
        return
    for i in removed:
        verdicts[i] = (BOILERPLATE, REASON)
