"""Link rules: lists and runs of links to other stories inside an article's text.

Related-headline bullet lists before the story starts (`mark_headline_lists`); section
headers with what they introduce, related stories or a comment thread (`mark_sections`);
listings of headlines with cut excerpts (`mark_teaser_excerpts`); headline-shaped lines
after the story has begun (`mark_trailing_headlines`). Each is a step: it reads the
verdicts so far and labels only paragraphs still open (a comment thread also takes the
boilerplate after its header).
"""

from __future__ import annotations

import re

from newsclean.settings import ClassifySettings, normalise_phrase
from newsclean.stages import prose
from newsclean.stages.classify.article import (
    _BODY_END, _BULLET, _WORD, Article, Findings, Verdict, is_prose, is_title_case_words, is_title_shaped,
)
from newsclean.stages.classify.structure import list_signature
from newsclean.stages.records import BOILERPLATE, METADATA

_BULLET_MARK = re.compile(r"^\s*[-•*–·▪►»]\s+")
_STARTS_WITH_DATE = re.compile(
    r"^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d|\d{1,2}[./-]\d{1,2}\b)", re.IGNORECASE
)
# An ellipsis right after a word or a comma: cut mid-sentence ("Noise Cancellat...").
_CUT_EXCERPT = re.compile(r"[\w,;]\s?(\.\.\.|…)\s*$")
_HAS_DIGIT_OR_SYMBOL = re.compile(r"[\d@#|/:;=+*_<>\[\]{}]")


def mark_headline_lists(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """A run of bullet headlines before the article starts: links to related stories.

    Only at the head: a bullet list inside or after the body is usually the article's
    own list (results, schedules, steps), which readers want kept.
    """
    verdicts = found.verdicts
    run = []
    for i, text in enumerate(article.texts):
        if verdicts[i] is not None:
            continue
        if not _BULLET.match(text):
            break
        run.append(i)
    if len(run) < settings.min_list_items:
        return
    headline_like = [i for i in run if settings.trailer_min_words <= article.words[i] <= settings.trailer_max_words
                     and not _BODY_END.search(article.texts[i])]
    if len(headline_like) == len(run):
        for i in run:
            verdicts[i] = (BOILERPLATE, "related_headline_list")


def starts_own_list(article: Article, verdicts, k: int, settings: ClassifySettings) -> bool:
    """Whether the open lines from k on are a numbered or dated list of the article's own
    (tour dates, results, a schedule: `min_list_run` lines or more of one lead shape that
    holds a figure); headlines of other stories do not share such a shape.

    >>> lines = ("Tour dates", "June 9 -- Coral Sky, West Palm Beach, FL", "June 12 -- The Pavilion, Tampa, FL",
    ...          "June 14 -- Arena, Orlando, FL")
    >>> a = Article(lines, (2, 8, 7, 5), None)
    >>> starts_own_list(a, [None] * 4, 1, ClassifySettings()), starts_own_list(a, [None] * 4, 0, ClassifySettings())
    (True, False)
    """
    shapes = []
    for i in range(k, len(article.texts)):
        if verdicts[i] is not None:
            continue
        shapes.append(list_signature(article.texts[i]))
        if len(shapes) == settings.min_list_run:
            break
    first = shapes[0] if shapes else None
    return (len(shapes) == settings.min_list_run and first is not None and "figure" in first[0]
            and all(shape == first for shape in shapes))


def mark_sections(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Section headers of page furniture and what follows them.

    A related-stories header ("More from Sports", "Don't miss") takes the teaser-shaped
    paragraphs after it, up to the next paragraph of prose or the article's own sentence
    (`is_own_sentence`). A comment header in the
    second half of the article ("Top Rated Comments") takes everything after it.
    """
    verdicts = found.verdicts
    rules = settings.rules
    n = len(article.texts)
    i = 0
    while i < n:
        text, words = article.texts[i], article.words[i]
        key = normalise_phrase(text)
        if words <= 6 and (verdicts[i] is None or verdicts[i][0] == BOILERPLATE):
            is_comment_header = key in rules.comment_headers or any(p.match(key) for p in rules.comment_header_patterns)
            if is_comment_header and (i >= n / 2 or _prose_before(article, verdicts, i) >= settings.min_list_items + 1):
                verdicts[i] = (BOILERPLATE, "comment_thread")
                for k in range(i + 1, n):
                    if verdicts[k] is None or verdicts[k][0] != BOILERPLATE:
                        verdicts[k] = (BOILERPLATE, "comment_thread")
                return
            if key in rules.related_headers or any(p.match(key) for p in rules.related_header_patterns):
                k, taken = i + 1, 0
                while k < n and taken < settings.section_max_items and (
                    verdicts[k] is not None
                    or (is_teaser_line(article, k, settings) and not starts_own_list(article, verdicts, k, settings)
                        and not is_own_sentence(article, verdicts, k, settings))
                ):
                    if verdicts[k] is None:
                        verdicts[k] = (BOILERPLATE, "related_stories")
                        taken += 1
                    k += 1
                verdicts[i] = (BOILERPLATE, "related_stories")
                i = k
                continue
        i += 1


def is_own_sentence(article: Article, verdicts: list[Verdict | None], k: int, settings: ClassifySettings) -> bool:
    """A line ending like a sentence whose content words the article's other prose mostly
    uses ("Garcia finished second in the 50 yard freestyle." in a swim report): the
    article's own sentence, which a related section stops at. A teaser of another story
    shares few of them, and a headline does not end on a full stop.

    >>> a = Article(("Results", "Ruiz won the 200 yard freestyle at the state meet on Saturday.",
    ...              "Obi finished second in the 200 yard freestyle."), (1, 12, 8), None)
    >>> is_own_sentence(a, [None, None, None], 2, ClassifySettings())
    True
    """
    text = article.texts[k]
    if not _BODY_END.search(text) or article.words[k] < settings.own_sentence_min_words:
        return False
    words = prose.content_words(text, article.language)
    if not words:
        return False
    others: set[str] = set()
    for j, (other, count) in enumerate(zip(article.texts, article.words)):
        if j != k and verdicts[j] is None and is_prose(other, count, settings):
            others |= prose.content_words(other, article.language)
    return len(words & others) >= settings.own_sentence_min_affinity * len(words)


def is_teaser_shaped(text: str, words: int, settings: ClassifySettings) -> bool:
    """A headline or teaser line of a link list: short, or without a full stop."""
    return words == 0 or words <= settings.trailer_max_words or (
        words <= settings.boilerplate_max_words and not _BODY_END.search(text)
    )


_SPEAKER = re.compile(r"^\s*(?:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,2}|Q|A)\s*:\s+\S")


_FIGURE = re.compile(r"^[-+(]?[$€£]?\d[\d.,:/%x×-]*\)?$")


def is_figure_row(text: str) -> bool:
    """A table row: three or more standalone figures, at least a third of its tokens.
    Headlines carry one number or two, not columns of them.

    >>> is_figure_row("17 Daniel Suarez 846 0 1 4 11"), is_figure_row("Man, 42, held after crash on Route 9")
    (True, False)
    """
    tokens = text.split()
    figures = sum(1 for t in tokens if _FIGURE.match(t))
    return figures >= 3 and figures * 3 >= len(tokens)


def is_cut_mid_phrase(text: str, words: int, language: str | None, settings: ClassifySettings) -> bool:
    """A teaser cut at a word count: no closing punctuation and its last word a function
    word of its language ("... was set to the"), which no headline or paragraph ends on.

    >>> is_cut_mid_phrase("Pacific Gas & Electric Co. was set to the", 9, "en", ClassifySettings())
    True
    >>> is_cut_mid_phrase("Council approves the budget", 4, "en", ClassifySettings())
    False
    """
    if words > settings.boilerplate_max_words or _BODY_END.search(text):
        return False
    last = re.findall(r"[^\W\d_]+", text[-40:].lower())
    return bool(last) and last[-1] in prose.function_words(language)


def is_teaser_line(article: Article, i: int, settings: ClassifySettings) -> bool:
    """A line of a related-stories block: teaser-shaped or a cut excerpt, and not a
    sentence of the article's language nor a speaker's line of a transcript
    ("SMITH: We will.", "Q: Why now?"), which are the article's own text.

    >>> a = Article(("Related", "Man held after crash on Route 9", "COACH: We played well tonight."), (1, 7, 5), None)
    >>> is_teaser_line(a, 1, ClassifySettings()), is_teaser_line(a, 2, ClassifySettings())
    (True, False)
    """
    text, words = article.texts[i], article.words[i]
    if is_figure_row(text):
        return False  # a row of a table (standings, results, prices): the article's data
    if is_cut_excerpt(text, words, settings) or is_cut_mid_phrase(text, words, article.language, settings):
        return True
    if not is_teaser_shaped(text, words, settings) or _SPEAKER.match(text):
        return False
    if words <= settings.trailer_max_words and not _BODY_END.search(text):
        return True  # a headline: no sentence's end, however many function words it holds
    return not prose.is_sentence(text, words, article.language, settings.sentence_min_share)


def mark_teaser_excerpts(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """A listing of other pages: headline lines each followed by an excerpt cut off with
    an ellipsis. At least `min_list_items` different such pairs make a listing; a lone
    pair, or excerpts without headlines (a writer's "... which is …"), stay."""
    verdicts = found.verdicts
    excerpts = [
        i for i in range(1, len(article.texts))
        if verdicts[i] is None and verdicts[i - 1] is None and is_cut_excerpt(article.texts[i], article.words[i], settings)
    ]
    pairs = [i for i in excerpts if _is_headline_line(article, i - 1, settings)]
    if len({normalise_phrase(article.texts[i]) for i in pairs}) < settings.min_list_items:
        return
    # In a listing, a headline may be cut off too ("... plus JBL he...").
    pairs += [i for i in excerpts if i not in pairs and _is_cut_headline(article, i - 1, settings)]
    for i in pairs:
        verdicts[i - 1] = verdicts[i] = (BOILERPLATE, "teaser_excerpt")


def is_cut_excerpt(text: str, words: int, settings: ClassifySettings) -> bool:
    """A summary cut off mid-sentence with an ellipsis, as teaser lists show them.

    >>> is_cut_excerpt("The AirPods Pro features Active Noise Cancellat...", 10, ClassifySettings())
    True
    >>> is_cut_excerpt("He paused. And then... nothing.", 10, ClassifySettings())
    False
    """
    return words >= settings.excerpt_min_words and bool(_CUT_EXCERPT.search(text))


def _is_cut_headline(article: Article, i: int, settings: ClassifySettings) -> bool:
    return settings.trailer_min_words <= article.words[i] <= settings.trailer_max_words and bool(
        _CUT_EXCERPT.search(article.texts[i])
    )


def mark_trailing_headlines(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Headline-shaped paragraphs after the story has begun: links to other stories.

    - one last paragraph right after a finished body paragraph ("Turkish leaders lash
      out at demands to open border");
    - a run of two headlines ending the text, or of three before the story starts or
      anywhere after its first paragraphs of prose, in Title Case ("15 Amazing Images of Stars") and of headline
      length (a list of names or places, "Blue Origin, Kent, Washington", is shorter).
    A run in sentence case or with dates and venues is the article's own list (tour
    dates, results) and stays. Lines other rules took may sit inside a run, but not a
    credit or a date line: those belong to the article's own head or sign-off, and the
    lines either side of one are not one list.
    """
    verdicts = found.verdicts
    remaining = [i for i, v in enumerate(verdicts) if v is None]
    if len(remaining) < 2:
        return
    headline = [_is_headline_line(article, i, settings) for i in remaining]
    runs: list[list[int]] = []
    for k, i in enumerate(remaining):
        bridged = any(verdicts[j] is not None and verdicts[j][0] == METADATA for j in range(remaining[k - 1] + 1, i)) if k else False
        if headline[k] and runs and runs[-1][-1] == remaining[k - 1] and headline[k - 1] and not bridged:
            runs[-1].append(i)
        elif headline[k]:
            runs.append([i])
    for run in runs:
        at_end = run[-1] == remaining[-1]
        prose_before = _prose_before(article, verdicts, run[0])
        if prose_before < 1 and len(run) < 3:
            continue
        if len(run) == 1:
            before = remaining[remaining.index(run[0]) - 1]
            if not at_end or _HAS_DIGIT_OR_SYMBOL.search(article.texts[run[0]]) or not _looks_like_body(article, before):
                continue
        elif len(run) == 2:
            if not at_end or not all(is_title_case(article.texts[i]) for i in run):
                continue
        elif (
            prose_before == 1
            or sum(article.words[i] for i in run) < settings.run_min_avg_words * len(run)
            or not all(is_title_case(article.texts[i], settings.run_title_case_share) for i in run)
        ):
            continue
        for i in run:
            verdicts[i] = (BOILERPLATE, "trailing_headline")


def _is_headline_line(article: Article, i: int, settings: ClassifySettings) -> bool:
    text = _BULLET_MARK.sub("", article.texts[i], count=1)
    if not settings.trailer_min_words <= article.words[i] <= settings.trailer_max_words:
        return False
    if _BODY_END.search(text) or "@" in text or _STARTS_WITH_DATE.match(text) or is_figure_row(text):
        return False  # a table row (standings, results) is the article's own, not a link
    return is_title_shaped(text, settings.trailer_max_words)


def is_title_case(text: str, share: float = 0.6) -> bool:
    """Most longer words capitalised, as headlines in Title Case are (figures left out).

    >>> is_title_case("11 Fascinating Facts About Our Milky Way Galaxy"), is_title_case("Teens love their new phones")
    (True, False)
    """
    return is_title_case_words([w for w in _WORD.findall(text) if not w.isdigit()], share)


def _prose_before(article: Article, verdicts: list[Verdict | None], i: int) -> int:
    return sum(1 for k in range(i) if verdicts[k] is None and _looks_like_body(article, k))


def _looks_like_body(article: Article, i: int) -> bool:
    return article.words[i] >= 8 and bool(_BODY_END.search(article.texts[i]))
