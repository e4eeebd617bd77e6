"""The story's edges: what a page prints above its first sentence and below its last.

A news story is told in prose, and its headline, subheads and lists speak of what the
prose speaks of. A page's furniture does not: weather and market widgets above the story,
text-size controls, donation asks, job boards and event promotions below it are short
lines that are not sentences and share no word with the story. The phrase lists and the
interface vocabulary (`boilerplate`, `interface`) name the wordings they know; this
family knows the class by its relation to the article, whatever its wording or language.

Two rules:

- `echoes` (`article.echoes`): a headline taken from the first short line
  (`structure.mark_title`, no title metadata) must share a content word with the
  article's prose. A widget above the story is short and headline-shaped too, and without
  this it became the title.
- `mark_edge_furniture`: before the article's first prose paragraph and after its last, a
  line of at most `edge_max_words` words is furniture (`edge_furniture`) when it is not a
  sentence, not in capitals (a subhead, a dateline), not a web address or a bracketed
  reference with a number (a citation: "[Annual report, p. 41]"), not a line of a
  list (`edge_list_run` lines of one shape in a row: tour dates, a table's rows) and shares
  no content word with the title and the story (the open lines from the first prose
  paragraph to the last, and open lines of `prose_min_words` words or more anywhere).
  The language's `edge_common_words` most frequent words ("open", "week", "find") are no
  evidence of the topic: any story and any widget use them.

Bounds:
- Each edge is read from the page's end inwards, and the first open line of the story (a
  shared word, a list line, a long line) ends it: what lies between that line and the
  prose is the story's (a timeline's label, a list's header). A sentence, a line in
  capitals, a web address, or a label ending in a colon above lines that are not
  furniture stays, and the edge goes on.
- Furniture comes in blocks: the edges' lines go only when other rules found at least
  `edge_min_others` lines of boilerplate above or below the story (the page's furniture
  is there: a share bar below licenses the weather line above); on an otherwise clean
  page only a line with a control's marks (`has_widget_marks`: ▶, ›, |, ·, %, £) goes. A
  lone plain line there, a citation or a credit, is as often the story's. (Asking for
  the furniture at the same edge: the third set 0.634 removed against 0.694, the real
  pages identical.)
- Only open lines are judged (the other rules go first). An article with fewer than
  `edge_min_prose` prose paragraphs has no edges to speak of (a list page, a results
  table). When the lines found hold more than `edge_max_share` of the article's words,
  none goes (the article is mostly short lines).
- Lines between two prose paragraphs are never judged here: a subhead needs no shared
  word, and a widget's marks there were no evidence (measured: `inline_widget` removed 15
  lines of the check fold's real pages, 10 of them true text, and was not kept).
- Words are compared by their stems (`article.stem`: "investigation" echoes
  "investigators", "Libra" does not echo "library"). Scripts written without spaces are
  left alone: their "words" are runs of characters the comparison cannot use.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

from newsclean.settings import ClassifySettings
from newsclean.stages import prose
from newsclean.stages.classify.article import Article, Findings, line_stems, prose_lines, stem, stems
from newsclean.stages.classify.structure import list_signature
from newsclean.stages.records import BOILERPLATE
from newsclean.stages.words import NO_SPACE_CHARS

REASON = "edge_furniture"
_MARK_CATEGORIES = frozenset({"So", "Sm", "Sc"})  # pictographs, arrows, bars, currency signs
_MARKS = frozenset("›»·•%")
WEB_ADDRESS = re.compile(r"https?://|www\.", re.IGNORECASE)
# a square bracket opening or closing a line with a number and no markup ("[... hal. 41]");
# a count in parentheses closing a line is a widget's ("Reader forum (8)")
CITATION = re.compile(r"^\s*\[[^=<>]*\d[^=<>]*$|^[^=<>]*\d[^=<>]*\]\s*$")
_FIGURE = re.compile(r"[-+−]?[$£€]?\d[\d.,:/%]*")


def has_widget_marks(text: str) -> bool:
    """Whether a line carries the marks of a page's controls: pictographs and arrows (▶, ↓,
    📷), bars and middle dots between entries, currency and percent signs.

    >>> has_widget_marks("▶ Listen · 2:42"), has_widget_marks("Yes — 31%"), has_widget_marks("Looking ahead")
    (True, True, False)
    """
    return any(ch in _MARKS or unicodedata.category(ch) in _MARK_CATEGORIES
               for ch in text if not ch.isalnum() and not ch.isspace())


@lru_cache(maxsize=64)
def common_stems(language: str | None, n: int, chars: int) -> frozenset[str]:
    """The stems of the language's `n` most frequent words: no evidence of a topic."""
    return frozenset(stem(w, chars) for w in prose.common_words(language, n))


def _without_trailing_symbols(text: str) -> str:
    """A line without the pictographs closing it: "... a lot of time. 🙁" ends like a sentence."""
    end = len(text)
    while end and (text[end - 1].isspace() or unicodedata.category(text[end - 1]) == "So"):
        end -= 1
    return text[:end]


def line_shape(text: str) -> tuple[str, ...] | None:
    """A list line's shape: its lead and separator (`structure.list_signature`: "June 9 --
    Coral Sky Amphitheatre"), or a row of figures (a table's: "2 Lee Park 398 2 2 1"), or
    None.

    >>> line_shape("June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL"), line_shape("2 Lee Park 398 2 2 1")
    (('word+figure', '--'), ('figures',))
    """
    signature = list_signature(text)
    if signature is not None:
        return signature
    tokens = text.split()
    figures = sum(1 for t in tokens if _FIGURE.fullmatch(t))
    return ("figures",) if len(tokens) >= 3 and figures >= 2 and figures >= 0.4 * len(tokens) else None


def list_lines(article: Article, indices: Sequence[int], run: int) -> set[int]:
    """The lines among `indices` (consecutive paragraphs) that belong to a run of at least
    `run` lines of one shape (`line_shape`)."""
    found: set[int] = set()
    k = 0
    while k < len(indices):
        shape = line_shape(article.texts[indices[k]])
        end = k + 1
        while shape is not None and end < len(indices) and indices[end] == indices[end - 1] + 1 \
                and line_shape(article.texts[indices[end]]) == shape:
            end += 1
        if shape is not None and end - k >= run:
            found.update(indices[k:end])
        k = end
    return found


def mark_edge_furniture(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Short open lines above the story's first prose paragraph and below its last that
    share no content word with it (the module's docstring gives the rule and its bounds)."""
    verdicts = found.verdicts
    body = [i for i in prose_lines(article, settings) if verdicts[i] is None]
    if len(body) < settings.edge_min_prose or NO_SPACE_CHARS.search(article.texts[body[0]]):
        return
    first, last, prose_at = body[0], body[-1], set(body)
    head = [i for i in range(first) if verdicts[i] is None]
    foot = [i for i in range(len(verdicts) - 1, last, -1) if verdicts[i] is None]
    if all(article.words[i] > settings.edge_max_words for i in (*head, *foot)):
        return  # nothing short at either edge
    lists = list_lines(article, head, settings.edge_list_run) | list_lines(article, foot[::-1], settings.edge_list_run)
    chars = settings.echo_stem_chars
    common = common_stems(article.language, settings.edge_common_words, chars)
    # the story: its open lines from the first prose paragraph to the last, and its open
    # lines of prose length anywhere (a list of long items after the last sentence); a
    # stem counts once per line, so a line inside the story can be read without its own
    own = {i: line_stems(article, i, chars) - common for i in range(len(verdicts))
           if verdicts[i] is None and (first <= i <= last or article.words[i] >= settings.prose_min_words)}
    topic = Counter(w for words in own.values() for w in words)
    topic.update(stems([found.title], article.language, chars) - common if found.title else ())

    @lru_cache(maxsize=None)
    def verdict(i: int, labels: bool = True) -> str:
        """'story' (ends the edge), 'pass' (stays, the edge goes on) or 'furniture'; a label
        ending in a colon looks at the next line without its own label rule (one step: a
        run of thousands of labels is no recursion)."""
        text, words = article.texts[i], article.words[i]
        if words > settings.edge_max_words or i in lists or NO_SPACE_CHARS.search(text):
            return "story"  # a long line, the story's list, a script the comparison cannot read
        if WEB_ADDRESS.search(text) or CITATION.search(text):
            return "pass"  # a source's address or a bracketed reference ("[Annual report, p. 41]")
        line = own[i] if i in own else line_stems(article, i, chars) - common
        if any(topic[w] > (w in own.get(i, ())) for w in line):
            return "story"  # it speaks of what the story speaks of
        sentence = prose.is_sentence(_without_trailing_symbols(text), words, article.language, settings.sentence_min_share)
        if text.isupper() or sentence:
            return "pass"  # a subhead or dateline in capitals, a sentence: other rules judge them
        if labels and text.rstrip().endswith(":") and i + 1 < len(verdicts) and verdicts[i + 1] is None \
                and (i + 1 in prose_at or verdict(i + 1, False) != "furniture"):
            return "pass"  # a label announcing lines that are not furniture ("See the tweets:")
        return "furniture"

    chosen: list[int] = []
    # furniture comes in blocks: a lone line at clean edges (a citation, a web address) is
    # as often the story's, unless it carries a control's marks
    outside = (i for i in range(len(verdicts)) if i < first or i > last)
    others = sum(1 for i in outside if verdicts[i] is not None and verdicts[i][0] == BOILERPLATE)
    for edge in (head, foot):
        for i in edge:
            found_here = verdict(i)
            if found_here == "story":
                break
            if found_here == "furniture" and (others >= settings.edge_min_others or has_widget_marks(article.texts[i])):
                chosen.append(i)
    if sum(article.words[i] for i in chosen) > settings.edge_max_share * sum(article.words):
        return
    for i in chosen:
        verdicts[i] = (BOILERPLATE, REASON)
