"""Classify: give every paragraph a label and the name of the rule that decided it.

Rules are small functions grouped by family, one module each; `loop.STEPS` declares the
order they apply in and each paragraph keeps the first verdict it gets:

1. boilerplate (`boilerplate`): per-paragraph rules (`PARAGRAPH_RULES`): wordless
   separators and lone numbers, URL lines, code blobs, widget and prompt phrases,
   labelled lines, boilerplate patterns, all-caps teasers; a pattern matching many
   sentences is the topic and stays;
2. links to other stories (`links`): related-headline bullet lists before the story
   starts, section headers with what they introduce (related stories, comment
   threads), listings of headlines with cut excerpts;
3. metadata (`metadata`): date lines and credits, parsed into article columns;
   then site templates (`templates`): lines on many articles of the article's site,
   counted across the crawl by the reduce step before classify (`site_template`);
4. structure (`structure`): a section label above the story, the title, then repeats
   of it or of any paragraph (`duplicate`); on a whole page's visible text,
   everything outside its densest block of prose;
5. the dateline, split off the first body paragraph (its sentence stays body);
6. headline lines and runs of teaser headlines after the story has begun (`links`);
7. the off-topic tail (`tails`, scored by `newsclean.stages.offtopic`);
8. the guard (`newsclean.stages.guard`): inferred rules may not gut an article;
9. everything else is `body`.

`article` holds what the rules share (`Article`, `Findings`, the headline shape) and
`loop` the loop (`classify_shard`, `classify_article`).
"""

from newsclean.stages.classify.article import Article, Findings, Step, Verdict, is_title_shaped
from newsclean.stages.classify.boilerplate import PARAGRAPH_RULES, find_notice, first_verdict, is_code_blob
from newsclean.stages.classify.loop import STAGE, STEPS, classify_article, classify_shard, language_sample
from newsclean.stages.classify.metadata import parse_date, parse_date_line

__all__ = [
    "PARAGRAPH_RULES",
    "STAGE",
    "STEPS",
    "Article",
    "Findings",
    "Step",
    "Verdict",
    "classify_article",
    "classify_shard",
    "find_notice",
    "first_verdict",
    "is_code_blob",
    "is_title_shaped",
    "language_sample",
    "parse_date",
    "parse_date_line",
]
