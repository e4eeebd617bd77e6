"""The classify loop: apply the rule families' steps in their declared order to an article.

`STEPS` is the order; `classify_article` runs it over one article, then the off-topic
tail (`tails`, with the `[offtopic]` settings) and the guard (`newsclean.stages.guard`:
inferred rules may not gut an article, and a paragraph it puts back says so in its
reason), and turns the verdicts into labelled paragraphs; `classify_shard` does that for
every document of a shard, a failing document becoming a reject of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from newsclean.settings import ClassifySettings, LanguageSettings, OfftopicSettings
from newsclean.stages import guard
from newsclean.stages.classify import boilerplate, edges, links, meaning, metadata, structure, tails, templates
from newsclean.stages.classify.article import Article, Findings, Step
from newsclean.stages.language import detect_language
from newsclean.stages.records import BODY, METADATA, Document, Paragraph, Reject, Shard, stage_error
from newsclean.stages.templates import TemplateSet, site_of
from newsclean.stages.words import count_words

STAGE = "classify"

# The declared order. Each paragraph keeps the first verdict it gets, so a step only
# labels what the steps before it left open (exceptions say why: keep_topic_sentences
# gives back, a comment thread takes the boilerplate after its header too).
STEPS: tuple[Step, ...] = (
    boilerplate.mark_paragraph_rules,  # PARAGRAPH_RULES, one paragraph at a time
    boilerplate.keep_topic_sentences,  # a pattern matching many sentences is the topic
    links.mark_headline_lists,  # related-headline bullets before the story starts
    links.mark_sections,  # section headers with what they introduce
    links.mark_teaser_excerpts,  # headlines with excerpts cut off by an ellipsis
    metadata.mark_metadata,  # date lines and credits -> published_at, credit
    templates.mark_site_template,  # lines on many articles of the site (counted across the crawl)
    structure.mark_section_label,  # a one- or two-word kicker above the story
    structure.mark_title,  # the headline -> title
    structure.mark_duplicates,  # repeats of the title or of any paragraph
    structure.mark_outside_main_text,  # a whole page: all but its densest prose block
    structure.mark_header_menu,  # menu entries above the story
    metadata.mark_dateline,  # the dateline opening the first body paragraph
    links.mark_trailing_headlines,  # headline lines after the story has begun
    edges.mark_edge_furniture,  # short lines above and below the story that share no word with it
)
# then tails.mark_offtopic_tail, meaning.mark_furniture_by_meaning (after the tail: a short
# teaser of another story is the tail's, off-topic, not furniture), templates.mark_teasers,
# guard.keep_prose_if_gutted; the rest is body.


def classify_shard(
    shard: Shard,
    settings: ClassifySettings,
    offtopic: OfftopicSettings,
    language: LanguageSettings,
    site_templates: TemplateSet = TemplateSet(),
) -> Shard:
    """Label every paragraph of every document and fill the parsed article columns;
    `site_templates`: the run's template lines by site (the reduce step's)."""
    grouped = shard.paragraphs_by_article()
    documents: list[Document] = []
    paragraphs: list[Paragraph] = []
    rejects = list(shard.rejects)
    for doc in shard.documents:
        try:
            site = site_of(doc.url, doc.source_path)
            new_doc, labelled = classify_article(
                doc, grouped.get(doc.article_id, []), settings, offtopic, language,
                site_templates.of_site(site), site_templates.teasers_of(site),
            )
        except Exception as exc:  # a bad document never fails its shard
            rejects.append(stage_error(doc, STAGE, exc))
            continue
        notice = boilerplate.find_notice(labelled, settings)
        if notice is not None:
            rejects.append(Reject(doc.source_path, "notice_page", notice[:300], STAGE))
            continue
        documents.append(new_doc)
        paragraphs.extend(labelled)
    return shard.with_(documents=tuple(documents), paragraphs=tuple(paragraphs), rejects=tuple(rejects))


def classify_article(
    doc: Document,
    paragraphs: Sequence[Paragraph],
    settings: ClassifySettings,
    offtopic: OfftopicSettings,
    language_settings: LanguageSettings,
    site_templates: frozenset[int] = frozenset(),
    site_teasers: frozenset[int] = frozenset(),
) -> tuple[Document, list[Paragraph]]:
    """Label one article's paragraphs (`site_templates`, `site_teasers`: the line keys of
    its site's template lines and of the lines repeating another article's lead); return
    the document with its parsed columns."""
    texts = tuple(p.text for p in paragraphs)
    words = tuple(count_words(t) for t in texts)
    sample_language, sample_score = detect_language(language_sample(texts, words, settings), language_settings)
    article = Article(texts, words, doc, sample_language or "en", site_templates, site_teasers)
    found = Findings([None] * len(texts))
    for step in STEPS:
        step(article, found, settings)
    # one detection per article: the sample is of its prose
    tails.mark_offtopic_tail(article, found, settings, offtopic, sample_language)
    meaning.mark_furniture_by_meaning(article, found, settings)  # short lines about the page (a model)
    templates.mark_teasers(article, found)  # what the tail left of the teasers
    guard.keep_prose_if_gutted(article, found.verdicts, settings, doc.title or found.title)

    labelled = label_paragraphs(paragraphs, found)
    published_at = found.published_at
    if published_at is None and doc.published_hint:
        published_at = metadata.parse_date(doc.published_hint, settings.rules)
    new_doc = replace(
        doc,
        title=doc.title or found.title,
        published_at=published_at,
        language=sample_language,  # of its prose paragraphs; the language stage keeps it
        language_score=sample_score,
        credit=found.credit,
        dateline=found.dateline[1].strip() if found.dateline is not None else None,
    )
    return new_doc, labelled


def label_paragraphs(paragraphs: Sequence[Paragraph], found: Findings) -> list[Paragraph]:
    """The paragraphs with their labels and reasons (`body`/`kept` where no rule decided),
    the dateline split off its paragraph as a `metadata` paragraph of its own, renumbered."""
    labelled: list[Paragraph] = []
    split = found.dateline
    for i, para in enumerate(paragraphs):
        label, reason = found.verdicts[i] or (BODY, found.body_reasons.get(i, "kept"))
        if split is not None and i == split[0]:
            dateline_text, cut = split[1], split[2]
            dateline = dateline_text.strip()
            labelled.append(
                replace(para, text=dateline, char_end=para.char_start + len(dateline_text.rstrip()),
                        label=METADATA, reason="dateline", position=len(labelled))
            )
            rest = para.text[cut:]
            labelled.append(replace(para, text=rest, char_start=para.char_start + cut, label=label, reason=reason,
                                    position=len(labelled)))
            continue
        labelled.append(replace(para, label=label, reason=reason, score=found.scores.get(i), position=len(labelled)))
    return labelled


def language_sample(texts: Sequence[str], words: Sequence[int], settings: ClassifySettings) -> str:
    """The article's prose to detect its language on: its paragraphs of eight words or
    more, or as long in a script without spaces (menus and buttons say little about it),
    up to `language_sample_chars` characters; all of its text when it has no such paragraph.

    >>> language_sample(["Home", "The council voted on the budget late on Tuesday night."], [1, 10], ClassifySettings())
    'The council voted on the budget late on Tuesday night.'
    >>> language_sample(["ホーム", "市議会は火曜日の深夜に来年度の予算案を賛成多数で可決し、図書館の開館時間を維持した。"], [1, 1], ClassifySettings())
    '市議会は火曜日の深夜に来年度の予算案を賛成多数で可決し、図書館の開館時間を維持した。'
    """
    # eight words, or 40 characters in a script written without spaces (Japanese, Chinese:
    # fifteen characters or more to a word)
    prose_ = [t for t, w in zip(texts, words) if w >= 8 or len(t) >= max(40, 15 * w)] or list(texts)
    return "\n".join(prose_)[: settings.language_sample_chars]
