"""Warm-up of the stages, paid once per run: imported by the worker pool's fork server
(newsclean/workers.py PRELOAD) before it forks the workers, which then start warm.

What a fresh process otherwise pays on its first documents: importing the stages
(trafilatura, resiliparse, ftfy, charset detection, wordfreq, numpy, pyarrow), loading
langdetect's profiles, the sentence vectors and dateparser's locale data. Importing this
module does all of it by cleaning one small made-up article with the code defaults.
"""

from __future__ import annotations

from newsclean import shardstore  # noqa: F401  (pyarrow: the workers read and write shard files)
from newsclean.settings import Settings
from newsclean.shardwork import TRANSFORM_STAGES, transform_function
from newsclean.stages.classify import parse_date_line
from newsclean.stages.embed import sentence_model
from newsclean.stages.language import language_profiles
from newsclean.stages.records import Document, Shard

ARTICLE = (
    "Council approves new budget\n\n"
    "22 de outubro de 2010\n\n"
    "The city council approved the budget on Tuesday after a long debate about the cost of "
    "repairing the old bridge over the river.\n\n"
    "Members said the plan would keep taxes unchanged for another year while the works go on.\n\n"
    "Share this article\n"
)


def warm_up() -> None:
    """Run every transform stage once on a small article (and its HTML twin)."""
    settings = Settings()
    language_profiles()
    sentence_model()
    parse_date_line("sexta-feira, 22 de outubro de 2010", settings.classify.rules)
    text = Document("warm-text", "warm.txt", "text", "0", raw=ARTICLE.encode())
    page = Document("warm-html", "warm.html", "html", "0",
                    raw=("<html><body><article>" + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
                         + "</article></body></html>").encode())
    shard = Shard(0, (text, page))
    for stage in TRANSFORM_STAGES:
        shard = transform_function(stage)(shard, settings)


warm_up()
