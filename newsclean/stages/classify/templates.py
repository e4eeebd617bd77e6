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


def is_shared_prose(article: Article, i: int, topic: set[str], settings: ClassifySettings) -> bool:
    """A template line that reads as on-topic prose of the article (see the module docstring)."""
    text, words = article.texts[i], article.words[i]
    if not is_sentence(text, words, article.language, settings.sentence_min_share, settings.guard_prose_min_words):
        return False
    return guard.is_on_topic(text, topic, article.language, settings)


def mark_site_template(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Label the open paragraphs that are template lines of the article's site
    `boilerplate`/`site_template`, but for the two guards."""
    candidates = template_lines(article, found)
    if not candidates:
        return
    verdicts = found.verdicts
    marked = list(verdicts)
    for i in candidates:
        marked[i] = (BOILERPLATE, REASON)
    # The topic from the title, else from the lead prose that is no template line.
    prose = guard.prose_paragraphs(article.texts, article.words, article.language, settings.sentence_min_share,
                                   settings.guard_prose_min_words)
    topic = guard.topic_words(article, marked, prose, article.doc.title if article.doc else None,
                              settings.guard_lead_paragraphs)
    removed = []
    for i in candidates:
        if is_shared_prose(article, i, topic, settings):
            found.body_reasons[i] = SHARED_PROSE
        else:
            removed.append(i)
    still_open = [i for i, v in enumerate(verdicts) if v is None and i not in removed and article.words[i] > 0]
    if not still_open:
        for i in removed:
            found.body_reasons[i] = ONLY_BODY
        return
    for i in removed:
        verdicts[i] = (BOILERPLATE, REASON)
