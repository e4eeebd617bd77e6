"""Template rule: a line the article's site prints on many of its pages is page furniture,
whatever its wording (`site_template`). The evidence is the crawl's, counted before
classify by the reduce step (newsclean/stages/templates.py, newsclean/templatestore.py):
`Article.site_templates` holds the line keys of the article's site that are on at least
`[templates] min_articles` distinct articles of it.

Teasers: a line that repeats the lead of another article of the site, in the crawl (on
two articles or more; `Article.site_teasers`), and reads as a sentence but not as one of
this article's story, is `offtopic` with reason `crawl_teaser` (a story's opening
paragraph pasted under another story), whether or not it is also a template line; never
the article's own lead (stages/templates.py `lead_index`).

Two guards, each naming itself in the reason of what it keeps (label `body`):
- `shared_prose_kept`: a line that reads as a sentence of the article's language and is
  on its topic (newsclean/stages/prose.py, the article guard's `is_on_topic`) is prose
  the site's articles legitimately share (a recurring background paragraph of a series):
  template lines are about the site, not about each article's story;
- `only_body_kept`: the rule never takes an article's last open paragraphs: when every
  paragraph still open is a template line, they all stay.

A short template line (`[classify] template_alone_max_words`) alone among the article's
open lines (the paragraphs with words either side of it open and no template line) is no
evidence either way and is left open for the rules after this one: a page's furniture
comes in blocks, while a one-word line many pages share is as often the article's subhead
or kicker as a menu entry.
"""

from __future__ import annotations

from newsclean.settings import ClassifySettings
from newsclean.stages import guard
from newsclean.stages.classify.article import Article, Findings
from newsclean.stages.prose import is_sentence
from newsclean.stages.records import BOILERPLATE, OFFTOPIC
from newsclean.stages.templates import lead_index, line_key

REASON = "site_template"
TEASER = "crawl_teaser"
SHARED_PROSE = "shared_prose_kept"
ONLY_BODY = "only_body_kept"


def template_lines(article: Article, found: Findings) -> dict[int, int]:
    """Paragraph index -> line key, of the paragraphs still open whose line is one of
    the site's template lines or teasers."""
    known = article.site_templates | article.site_teasers
    if not known:
        return {}
    keys = {i: line_key(text) for i, text in enumerate(article.texts) if found.verdicts[i] is None}
    return {i: key for i, key in keys.items() if key in known}


def is_alone(article: Article, found: Findings, candidates: dict[int, int], i: int) -> bool:
    """Whether paragraph `i` stands alone among open lines: the nearest paragraph with
    words before it and after it both exist, are open and are no template line."""
    def neighbour(step: int) -> int | None:
        j = i + step
        while 0 <= j < len(article.texts) and article.words[j] == 0:
            j += step
        return j if 0 <= j < len(article.texts) else None

    sides = (neighbour(-1), neighbour(1))
    return all(j is not None and found.verdicts[j] is None and j not in candidates for j in sides)


def is_prose(article: Article, i: int, settings: ClassifySettings) -> bool:
    """A paragraph that reads as a sentence of the article's language (the guard's measure)."""
    return is_sentence(article.texts[i], article.words[i], article.language, settings.sentence_min_share,
                       settings.guard_prose_min_words)


def mark_site_template(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Label the open paragraphs that are template lines of the article's site
    `boilerplate`/`site_template`, but for the two guards."""
    found_lines = template_lines(article, found)
    if not found_lines:
        return
    short = settings.template_alone_max_words
    candidates = {i: key for i, key in found_lines.items()
                  if article.words[i] > short or not is_alone(article, found, found_lines, i)}
    if not candidates:
        return
    prose = {i for i in candidates if is_prose(article, i, settings)}
    decided: dict[int, tuple[str, str]] = {}
    if prose:  # (the topic is asked for only then: most template lines are no sentence)
        # the topic from the title, else from the lead prose that is no template line
        marked = [v or ((BOILERPLATE, REASON) if i in candidates else None) for i, v in enumerate(found.verdicts)]
        lazy_prose = (i for i in range(len(article.texts)) if is_prose(article, i, settings))
        title = article.doc.title if article.doc else None
        topic = guard.topic_words(article, marked, lazy_prose, title, settings.guard_lead_paragraphs)
        own_lead = lead_index(article.texts)  # the story it opens, never a teaser of itself
        for i in sorted(prose):
            if guard.is_on_topic(article.texts[i], topic, article.language, settings):
                found.body_reasons[i] = SHARED_PROSE
            elif candidates[i] in article.site_teasers and i != own_lead:
                found.teasers.append(i)  # labelled after the off-topic tail (`mark_teasers`)
                decided[i] = (OFFTOPIC, TEASER)
    for i, key in candidates.items():
        if i not in decided and i not in found.body_reasons and key in article.site_templates:
            decided[i] = (BOILERPLATE, REASON)
    verdicts = found.verdicts
    if not any(v is None and i not in decided and article.words[i] > 0 for i, v in enumerate(verdicts)):
        for i in decided:
            found.body_reasons[i] = ONLY_BODY
        found.teasers.clear()
        return
    for i, verdict in decided.items():
        if verdict[1] == REASON:
            verdicts[i] = verdict


def mark_teasers(article: Article, found: Findings) -> None:
    """Label `offtopic`/`crawl_teaser` the teasers `mark_site_template` found that the
    off-topic tail left open (the tail judges an appended run of stories whole: taking
    one of them first could leave the rest too short to be a tail)."""
    pending = {i for i in found.teasers if found.verdicts[i] is None}
    if not pending:
        return
    if all(i in pending for i, v in enumerate(found.verdicts) if v is None and article.words[i] > 0):
        for i in pending:  # they are all the tail left of the article
            found.body_reasons[i] = ONLY_BODY
        return
    for i in pending:
        found.verdicts[i] = (OFFTOPIC, TEASER)
