"""Furniture known by its meaning: a short line about the page, not about the story.

The phrase lists (`boilerplate`), the interface vocabulary (`interface`) and the edges
(`edges`) know furniture by its words and its place. A site words its furniture its own
way, in its own language, and prints it between paragraphs too ("Every contribution keeps
this newsroom going.", "Limited places left", "Voiced by synthetic speech"). What every
wording shares is what it is about: the reader, the site, its services; and what it is
not about: the story around it.

`mark_furniture_by_meaning` reads a short line by three signals, kept as named features:

- its sentence vector (`newsclean.stages.embed`, WordLlama's 256 dimensions): what the
  line is about;
- `topic_cosine`: the cosine of that vector with the vector of the article's prose;
- `topic_overlap`: the share of the line's content-word stems that the article's prose
  also uses.

and weighs them with a logistic model trained on the benchmark's tune fold only: true
short lines of its articles (subheads, list items, short paragraphs, each read against
its own article) against invented furniture (the tune half of `bench/noisy.py`'s
templates, `bench/noisy_probe.py`'s and `bench/noisy_probe3.py`'s, each read against a
tune article it was not written for). `bench/train_furniture.py` writes the weights into
`[furniture_model]` of rules.toml; the held-out measures are `bench/noisy.py --fold
check` and `bench/noisy_probe4.py`.

Bounds (the real pages were measured as they were added: without the blocks bound, the rule
removed 19 lines of the check fold's pages, 12 of them true text; with it 4, none true):
- only an open line of `meaning_min_words` to `meaning_max_words` words that is not
  prose (the article's sentences are never judged here), in an article with at least
  `meaning_min_prose` prose paragraphs (the topic to compare with), scoring at least
  `meaning_min_score`;
- never a line of a list (`edges.list_lines`), a quotation, a web address, a bracketed
  reference, an embedded post's signature, a label ending in a colon above a longer line,
  a line opening on a quantity (a recipe's or a list's item), or a line opening in lower
  case (a fragment of a sentence an extractor cut at a link);
- never a line sharing a content word with the story: its title, its prose and every
  open line the model did not pick (a results page's rows name the same teams), the
  language's most frequent words set aside;
- furniture comes in blocks: a line goes only beside another rule's boilerplate or
  beside another line found here. A lone short line between the story's paragraphs (a
  subhead, a list's item) is as often the story's;
- when the lines found hold more than `meaning_max_share` of the article's words, none goes.
  A page in a script written without spaces has no prose by `prose.is_sentence`'s
  measure (function words), so the rule never reads it (tested).
The rule runs after the off-topic tail (a short teaser of another story appended to the
page is the tail's, off-topic, not furniture). The reason `furniture_meaning` is inferred
evidence: the article-level guard bounds it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from newsclean.settings import ClassifySettings
from newsclean.settings_rules import FurnitureModel
from newsclean.stages.classify import edges, structure
from newsclean.stages.classify.article import QUOTES, Article, Findings, line_stems, prose_lines, stems
from newsclean.stages.embed import embed_paragraphs
from newsclean.stages.records import BOILERPLATE

REASON = "furniture_meaning"
STEM_CHARS = 6
# the scalar features are scaled so that their weights are of the vector's order
FEATURE_SCALE = 4.0
_SIGNATURE = re.compile(r"\(@\w+\)")  # an embedded post's signature: "— Name (@handle) May 2, 2019"


def features(line_vectors: np.ndarray, topic_vector: np.ndarray, overlaps: Sequence[float]) -> np.ndarray:
    """The model's inputs, one row per line: its vector, its cosine with the topic's
    vector and its stem overlap with the topic (both scaled by FEATURE_SCALE)."""
    cosine = line_vectors @ topic_vector
    return np.hstack([line_vectors, FEATURE_SCALE * cosine[:, None], FEATURE_SCALE * np.asarray(overlaps, dtype=np.float32)[:, None]])


def overlap(line: set[str], topic: set[str]) -> float:
    """Share of a line's stems that the topic holds (0 for a line without content words).

    >>> overlap({"harbou", "storm"}, {"storm", "rain"}), overlap(set(), {"storm"})
    (0.5, 0.0)
    """
    return len(line & topic) / len(line) if line else 0.0


def topic_of(texts: Sequence[str], language: str | None) -> tuple[np.ndarray, set[str]]:
    """The topic's vector (of the texts joined) and its content-word stems."""
    return embed_paragraphs([" ".join(texts)])[0], stems(texts, language, STEM_CHARS)


def score(rows: np.ndarray, model: FurnitureModel) -> np.ndarray:
    """The model's log-odds that each row's line is furniture."""
    return rows @ _weights(model.weights) + model.bias


@lru_cache(maxsize=4)
def _weights(weights: tuple[float, ...]) -> np.ndarray:
    return np.array(weights, dtype=np.float32)


def is_reference(text: str) -> bool:
    """A line in quotation marks (somebody's words), a web address, a bracketed reference
    with a number (a source) or an embedded post's signature: the story's, whatever it is about.

    >>> is_reference("http://example.org/archive/12"), is_reference("[Annual report, p. 41]")
    (True, True)
    >>> is_reference("— Riverside Council (@rivcouncil) May 2, 2019"), is_reference("Tap to listen")
    (True, False)
    """
    return bool(QUOTES.search(text) or edges.WEB_ADDRESS.search(text) or edges.CITATION.search(text)
                or _SIGNATURE.search(text))


def announces(article: Article, verdicts: Sequence, i: int) -> bool:
    """A label ending in a colon above an open line of prose length ("Think about it:",
    "Here is what he said:"): it introduces the story's own text."""
    following = i + 1
    return (article.texts[i].rstrip().endswith(":") and following < len(verdicts) and verdicts[following] is None
            and article.words[following] > article.words[i])


def line_rows(article: Article, candidates: Sequence[int], prose_ids: Sequence[int]) -> tuple[np.ndarray, list[set[str]]]:
    """The feature rows of the candidate lines against the topic of the prose paragraphs
    `prose_ids`, and the candidates' stems."""
    topic_vector, topic_stems = topic_of([article.texts[i] for i in prose_ids], article.language)
    line_sets = [line_stems(article, i, STEM_CHARS) for i in candidates]
    rows = features(embed_paragraphs([article.texts[i] for i in candidates]), topic_vector,
                    [overlap(s, topic_stems) for s in line_sets])
    return rows, line_sets


def mark_furniture_by_meaning(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Label open short lines whose meaning is the page's furniture (see the module)."""
    model = settings.rules.furniture_model
    if model is None or not settings.meaning_max_words:
        return
    verdicts = found.verdicts
    prose_ids = [i for i in prose_lines(article, settings) if verdicts[i] is None]
    if len(prose_ids) < settings.meaning_min_prose:
        return  # no topic to compare with
    open_lines = [i for i, v in enumerate(verdicts) if v is None]
    lists = edges.list_lines(article, open_lines, settings.edge_list_run)
    prose_set = set(prose_ids)
    candidates = [
        i for i in open_lines
        if i not in prose_set and settings.meaning_min_words <= article.words[i] <= settings.meaning_max_words and i not in lists
        and not article.texts[i].lstrip()[:1].islower()  # a fragment of the story's sentence (cut at a link)
        and not structure.is_quantity_line(article.texts[i])  # a recipe's or a list's item
        and not is_reference(article.texts[i]) and not announces(article, verdicts, i)
    ]
    if not candidates:
        return
    rows, line_sets = line_rows(article, candidates, prose_ids)
    values = dict(zip(candidates, score(rows, model).tolist()))
    scored = {i: s for i, s in zip(candidates, line_sets) if values[i] >= settings.meaning_min_score}
    if not scored:
        return
    # the story: the title, its prose and every open line the model did not pick (its
    # subheads, its lists' lines), the language's most frequent words set aside
    common = edges.common_stems(article.language, settings.edge_common_words, STEM_CHARS)
    story = stems([found.title], article.language, STEM_CHARS) if found.title else set()
    for i in open_lines:
        if i not in scored:
            story |= line_stems(article, i, STEM_CHARS)
    story -= common
    # a line that shares a content word with the story speaks of what it speaks of: its
    # meaning alone is not evidence enough
    found_ids = [i for i, s in scored.items() if not s & story]  # story holds no common stem
    # furniture comes in blocks: a line goes beside another rule's furniture or beside
    # another line found here; a lone short line between the story's paragraphs (a
    # subhead, a list's item) is as often the story's
    picked = set(found_ids)
    found_ids = [i for i in found_ids if any(
        j in picked or (0 <= j < len(verdicts) and verdicts[j] is not None and verdicts[j][0] == BOILERPLATE)
        for j in (i - 1, i + 1))]
    total = sum(article.words)
    if found_ids and sum(article.words[i] for i in found_ids) <= settings.meaning_max_share * total:
        for i in found_ids:
            verdicts[i] = (BOILERPLATE, REASON)
