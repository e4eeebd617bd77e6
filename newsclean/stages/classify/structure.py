"""Structure rules: the article's own shape, its title, its repeats and its main block.

The page's section label above the story (`mark_section_label`), the headline
(`mark_title`), repeats of it or of any paragraph (`mark_duplicates`, which tells
copies from lines an article repeats by design), and, on a whole page's visible text,
everything outside its densest block of prose (`mark_outside_main_text`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from newsclean.settings import ClassifySettings, normalise_phrase
from newsclean.stages import prose
from newsclean.stages.classify.article import _BODY_END, _BULLET, Article, Findings, Verdict, echoes, is_prose, is_title_shaped
from newsclean.stages.classify import templates
from newsclean.stages.records import BOILERPLATE, DUPLICATE, TITLE


def mark_section_label(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """A one- or two-word first line above the story ("Deals", "immunology"): the page's
    section or kicker label, not article text."""
    verdicts = found.verdicts
    first = next((i for i, v in enumerate(verdicts) if v is None), None)
    if first is None or first + 1 >= len(article.texts):
        return
    text = article.texts[first]
    if article.doc.title and normalise_phrase(text) == normalise_phrase(article.doc.title):
        return  # a short headline ("Library hours") that the page's metadata names: the title
    if 1 <= article.words[first] <= 2 and not re.search(r"[\d.,;:!?()]", text):
        verdicts[first] = (BOILERPLATE, "section_label")


_MENU_WORD = re.compile(r"^[^\W\d_][^\W\d]*$")


def is_menu_item(text: str, words: int, settings: ClassifySettings) -> bool:
    """A menu entry: 1 to `menu_max_words` words, each capitalised, no figure and no
    punctuation but a joining "&" or "-" ("World", "Local News", "Arts & Culture").

    >>> s = ClassifySettings()
    >>> is_menu_item("Arts & Culture", 2, s), is_menu_item("Bugs fixed", 2, s), is_menu_item("BAAR, SWITZERLAND", 2, s)
    (True, False, False)
    """
    if not 1 <= words <= settings.menu_max_words:
        return False
    tokens = [t for t in text.split() if t not in ("&", "-", "–", "|")]
    return bool(tokens) and all(_MENU_WORD.match(t) and t[0].isupper() for t in tokens)


TEMPLATE_LINE = (BOILERPLATE, templates.REASON)


def mark_header_menu(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """Menu entries above the story: before its first paragraph of prose, at least
    `menu_min_items` open lines shaped like menu entries are the page's navigation.
    Only the head: an article's own short lines (lists, tables, names) come after its
    first paragraph (on the benchmark's true bodies, 1 short line in 10 that sits before
    the first paragraph of prose, and most of them are not Title Case). Entries the
    site's template already took count towards the menu: the entries left of it are
    still its entries (one open line beside two template lines is the same menu)."""
    verdicts = found.verdicts
    first_prose = next((i for i, v in enumerate(verdicts) if v is None and is_prose(article.texts[i], article.words[i], settings)), None)
    if first_prose is None:
        return
    shaped = [i for i in range(first_prose) if (verdicts[i] is None or verdicts[i] == TEMPLATE_LINE)
              and is_menu_item(article.texts[i], article.words[i], settings)]
    items = [i for i in shaped if verdicts[i] is None]
    if items and len(shaped) >= settings.menu_min_items:
        for i in items:
            verdicts[i] = (BOILERPLATE, "header_menu")


def mark_title(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """The headline: the known title's paragraph, else the first title-shaped one up top
    that shares a content word with the prose (`echoes`; the lines passed over for sharing
    none go to `found.not_titles`); its text goes to `found.title`."""
    verdicts = found.verdicts
    hint = article.doc.title
    if hint:
        wanted = normalise_phrase(hint)
        for i, text in enumerate(article.texts[: settings.head_depth]):
            if verdicts[i] is None and normalise_phrase(text) == wanted:
                verdicts[i] = (TITLE, "title_metadata")
                found.title = text.strip()
                return
        variant = headline_variant(article, verdicts, hint, settings)
        if variant is not None:
            verdicts[variant] = (TITLE, "title_variant")
        return
    seen = 0
    for i, text in enumerate(article.texts):
        if verdicts[i] is not None:
            continue
        seen += 1
        if seen > settings.title_search_depth:
            return
        shaped = is_title_shaped(text, settings.title_max_words, settings.title_min_words)
        if not echoes(article, i, settings):
            if shaped:
                found.not_titles.append(i)
            continue  # a widget above the story ("Partly cloudy, high of 92°F"), not its headline
        if not shaped:
            return
        verdicts[i] = (TITLE, "first_short_line")
        found.title = text.strip()
        return


def headline_variant(article: Article, verdicts: Sequence[Verdict | None], hint: str, settings: ClassifySettings) -> int | None:
    """The page's own headline above the story when it words the metadata title otherwise
    ("Julian Assange: Sweden drops rape investigation" under the title "Sweden drops
    Assange rape investigation"): the first open paragraph, headline-shaped, sharing at
    least `title_variant_min_words` content words and `title_variant_min_share` of the
    shorter one's with the title. A lead sentence ends like one, so it is never taken.

    >>> a = Article(("Julian Assange: Sweden drops rape investigation", "Prosecutors in Sweden said on Tuesday."), (6, 6), None)
    >>> headline_variant(a, [None, None], "Sweden drops Assange rape investigation - BBC News", ClassifySettings())
    0
    """
    first = next((i for i, v in enumerate(verdicts) if v is None), None)
    if first is None or first >= settings.head_depth:
        return None
    text = article.texts[first]
    if not is_title_shaped(text, settings.title_max_words, settings.title_min_words):
        return None
    own, title = prose.content_words(text, article.language), prose.headline_words(hint, article.language)
    shared = len(own & title)
    enough = shared >= settings.title_variant_min_words and shared >= settings.title_variant_min_share * min(len(own), len(title))
    return first if enough else None


def mark_duplicates(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """A paragraph repeating the title, or a copy of an earlier paragraph.

    Repetition is sometimes structure, not copying: an interview asks every guest the
    same questions, a questionnaire repeats its prompts ("What would you change first:"),
    a recipe repeats an ingredient line. Those shapes (`is_structure_line`) repeat
    unless a line follows its own copy at once. Short lines and bullet items are never
    duplicates: lists legitimately repeat them ("GPS", "- Easy setup").
    """
    verdicts = found.verdicts
    keys = phrase_keys(article)
    first_seen: dict[str, int] = {}
    title_key = normalise_phrase(article.doc.title or found.title or "")
    for i, key in enumerate(keys):
        if not key:
            continue
        if verdicts[i] is None:
            if key == title_key:
                verdicts[i] = (DUPLICATE, "repeated_title")
            elif key in first_seen and is_copy(article, keys, first_seen[key], i, settings):
                verdicts[i] = (DUPLICATE, "repeated_paragraph")
        first_seen.setdefault(key, i)


def phrase_keys(article: Article) -> list[str]:
    """Each paragraph's normalised phrase, the key repeats are found by (once per article)."""
    key = ("phrase_keys",)
    if key not in article.memo:
        article.memo[key] = [normalise_phrase(text) for text in article.texts]
    return article.memo[key]


def is_copy(article: Article, keys: Sequence[str], j: int, i: int, settings: ClassifySettings) -> bool:
    """Whether paragraph i, which repeats paragraph j, is a copy rather than structure: a
    structure line is a copy only inside a copied block (a neighbour repeats with it, as
    when an extractor returns a passage twice) or right after itself."""
    text, words = article.texts[i], article.words[i]
    if words < settings.duplicate_min_words or _BULLET.match(text):
        return False
    if i == j + 1 or not is_structure_line(text):
        return True
    before = j > 0 and bool(keys[i - 1]) and keys[i - 1] == keys[j - 1]
    after = i + 1 < len(keys) and bool(keys[i + 1]) and keys[i + 1] == keys[j + 1]
    return before or after


_QUANTITY = re.compile(r"^\s*(?:\d+(?:[.,/]\d+)?|[½¼¾⅓⅔⅛])\s*\w")
# An attribution line under an embedded post or a quote: a dash, then who said it.
_ATTRIBUTION = re.compile(r"^\s*[—–]\s*[^\W\d_]")


def is_structure_line(text: str) -> bool:
    """A line an article repeats by design: a question, a prompt ending in a colon, a
    quantity line of a recipe or a list, the attribution line under an embedded post or
    a quote (two posts of one account on one day sign off alike).

    >>> is_structure_line("What is the biggest problem facing the town?"), is_structure_line("2 cups flour, sifted twice over")
    (True, True)
    >>> is_structure_line("— City Council (@CityCouncil) May 3, 2021")
    True
    >>> is_structure_line("Click here to read the full story on our site")
    False
    """
    end = text.rstrip().rstrip("\"”’'»)")[-1:]
    return end in "?:" and end != "" or is_quantity_line(text) or bool(_ATTRIBUTION.match(text))


def is_quantity_line(text: str) -> bool:
    """A line opening on a quantity, as a recipe's or a list's items do ("2 cups flour").

    >>> is_quantity_line("½ cup sugar"), is_quantity_line("Sugar, half a cup")
    (True, False)
    """
    return bool(_QUANTITY.match(text))


# The reasons of rules that recognise links to other stories (headlines, teasers).
LINK_REASONS = frozenset({"related_stories", "related_headline_list", "teaser_excerpt", "allcaps_teaser", "related_inline"})
# Lines whose removal says nothing about the text's shape: links to other stories, and the
# site's template lines (a menu printed on every page is what makes a text a whole page:
# with them left out, a page's visible text stopped looking like one, and its other
# furniture stayed: html-text tune F1 0.893 -> 0.873).
PAGE_LINE_REASONS = LINK_REASONS | {"site_template"}


def mark_outside_main_text(article: Article, found: Findings, settings: ClassifySettings) -> None:
    """On a whole page's visible text (menus, footers and all), keep the densest block of
    prose and label the lines outside it as page furniture.

    Only for page-shaped texts (`is_page_shaped`); extractor output is left alone. The block is the run of
    paragraphs with the largest sum of prose words minus a cost per short line
    (a maximum-sum subarray), so subheads and captions inside the story stay in it.
    """
    verdicts = found.verdicts
    open_ = page_lines(verdicts)
    # a line the title step found sharing no word with the story is known furniture, as
    # recognised lines are: it does not make an article a page (noisy news: one widget
    # above the story, no longer taken for its headline, made a list of short lines a page)
    if not is_page_shaped(article, settings, [i for i in open_ if i not in found.not_titles]):
        return
    # Lines already known as links to other stories stay in the sum as costs: a listing of
    # teaser cards (headline, summary, time) is furniture whether or not its headlines were
    # recognised, and recognising them must not turn the listing into the densest block.
    # So do the site's template lines: as when they were not known.
    listed_set = {i for i in open_ if verdicts[i] is not None}
    # Prose here is shape only: also asking for a sentence's share of function words
    # helped the tune fold by 0.016 F1 and cost the check fold 0.011 (overfitting); asking
    # it only of long lines with no sentence end (a drop-down's forty names) helped tune
    # html-text by 0.013 and cost check 0.001 F1 (0.007 recall): reverted too.
    # A line's trailing count in brackets is not running text: a poll's or a results
    # table's rows ("Yes, the game is cool (29%, 1,186 Votes)") read as sentences by their
    # length and end, and under a story of short lines they outweighed it (html-text tune
    # page kept 1%). Not counting every figure cost the check fold 0.007 recall (prose
    # with figures in it): only the bracketed tail goes.
    letters = {i: words_before_count(article.texts[i], article.words[i]) for i in open_}
    prose_ = [i not in listed_set and is_prose(article.texts[i], letters[i], settings) for i in open_]
    topic = page_topic(article)
    best, best_span, running, start = 0.0, None, 0.0, 0
    for k, i in enumerate(open_):
        if prose_[k]:
            near = prose.affinity(article.texts[i], topic, article.language) if topic else 0.0
            gain = letters[i] * (1 + settings.title_affinity_weight * near)
        else:
            gain = -settings.short_line_cost
        if running <= 0:
            running, start = 0.0, k
        running += gain
        if running > best:
            best, best_span = running, (start, k)
    if best_span is None:
        return
    first, last = best_span
    last = extend_over_list(article, open_, last, settings)
    for k, i in enumerate(open_):
        if (k < first or k > last) and i not in listed_set:
            verdicts[i] = (BOILERPLATE, "outside_main_text")
    reopen_orphan_repeats(article, verdicts, range(open_[first], open_[last] + 1))


def reopen_orphan_repeats(article: Article, verdicts: list[Verdict | None], block: Sequence[int]) -> None:
    """Give back the repeats inside the main block whose earlier copies all went as lines
    outside it: a duplicate is a copy of text the article keeps, and a standfirst printed
    above the story (outside the block) and again in it is the story's own sentence. A
    repeat of a line another rule removed for what it says (a caption, a related
    headline) stays removed.

    >>> a = Article(("Standfirst of the story said here in full.", "Menu", "Lead sentence of the story is here.", "Standfirst of the story said here in full."), (8, 1, 7, 8), None)
    >>> v = [(BOILERPLATE, "outside_main_text"), (BOILERPLATE, "outside_main_text"), None, (DUPLICATE, "repeated_paragraph")]
    >>> reopen_orphan_repeats(a, v, [2, 3]); v[3] is None
    True
    """
    keys = phrase_keys(article)
    for i in block:
        if verdicts[i] != (DUPLICATE, "repeated_paragraph"):
            continue
        earlier = [j for j in range(i) if keys[j] == keys[i]]
        if earlier and all(verdicts[j] == (BOILERPLATE, "outside_main_text") for j in earlier):
            verdicts[i] = None


_COUNT_TAIL = re.compile(r"\((?=[^()]*\d)[^()]*\)\s*$")


def words_before_count(text: str, words: int) -> int:
    """The words of a line without a bracketed count at its end.

    >>> words_before_count("Yes, the game is cool (29%, 1,186 Votes)", 9), words_before_count("He won in 2019.", 4)
    (5, 4)
    """
    tail = _COUNT_TAIL.search(text)
    return words - len(_WORD_RUN.findall(tail.group())) if tail else words


_WORD_RUN = re.compile(r"\w+")


def page_lines(verdicts: Sequence[Verdict | None]) -> list[int]:
    """The paragraphs a whole page's shape and main block are judged on, in order: those
    still open, and those known as links to other stories or as the site's template lines."""
    return [i for i, v in enumerate(verdicts) if v is None or v[1] in PAGE_LINE_REASONS]


def is_page_shaped(article: Article, settings: ClassifySettings, lines: Sequence[int]) -> bool:
    """The visible text of a whole page rather than an article: many paragraphs, a large
    share of them tiny (menu items, buttons: 3 words or fewer) and little prose.

    On the benchmark, naive visible text has 40-87% tiny lines (median 62%); extractor
    outputs have 0-27% (one page 45%), so the two tests together separate them.
    Only `lines` count (`page_lines`: the paragraphs still open, links to other stories and
    the site's template lines): furniture the rules already recognised does not turn an
    article of short lines into a page
    (noisy news: a list of commands inside share bars and ads was cut as menus).
    """
    texts, words = [article.texts[i] for i in lines], [article.words[i] for i in lines]
    n = len(texts)
    if n < settings.page_min_paragraphs:
        return False
    tiny = count_menu_items(texts, words, settings.page_table_share)
    prose = sum(1 for t, w in zip(texts, words) if is_prose(t, w, settings))
    return tiny >= settings.page_tiny_share * n and prose <= settings.page_prose_share * n


def count_menu_items(texts: Sequence[str], words: Sequence[int], table_share: float) -> int:
    """Tiny lines (1-3 words: menu items, buttons) of a text. When at least `table_share`
    of them hold figures, the text holds a table (snap counts, stock quotes, results) and
    its figure cells are not page furniture: only the wordy tiny lines count.

    >>> count_menu_items(["Home", "World", "Sports", "2019"], [1, 1, 1, 1], 0.4)
    4
    >>> count_menu_items(["Brady", "61", "100%", "Evans", "58", "95%"], [1, 1, 1, 1, 1, 1], 0.4)
    2
    """
    tiny = [t for t, w in zip(texts, words) if 1 <= w <= 3]
    figures = sum(1 for t in tiny if any(c.isdigit() for c in t))
    if tiny and figures >= table_share * len(tiny):
        return len(tiny) - figures
    return len(tiny)


_LIST_SEPARATOR = re.compile(r"\s(--|[-–—@|•:])\s|,\s")


def list_signature(text: str) -> tuple[str, str] | None:
    """The lead shape of a list line: the kind of its first token (figure, word, date-ish
    word + figure) and its first separator; None for a line without separator.

    >>> list_signature("June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL")
    ('word+figure', '--')
    >>> list_signature("Home") is None
    True
    """
    match = _LIST_SEPARATOR.search(text)
    if not match:
        return None
    head = text[: match.start()].split()
    if not head:
        return None
    kind = "figure" if head[0][:1].isdigit() else "word+figure" if len(head) > 1 and head[1][:1].isdigit() else "word"
    return kind, match.group(1) or ","


def extend_over_list(article: Article, open_: Sequence[int], last: int, settings: ClassifySettings) -> int:
    """The main block's end moved over a list that continues the story: an optional
    short header ("Tour dates:", "2020 Tour Dates") then at least `min_list_run` lines of one lead shape
    (tour dates, results, schedules), at most `section_max_items` * 5 lines."""
    k = last + 1
    if k < len(open_) and article.words[open_[k]] <= 8 and (
        article.texts[open_[k]].rstrip().endswith(":") or not _BODY_END.search(article.texts[open_[k]])
    ):
        k += 1  # the list's header
    start, signature = k, None
    while k < len(open_) and k - start < settings.section_max_items * 5:
        i = open_[k]
        shape = list_signature(article.texts[i]) if article.words[i] >= 3 else None
        if shape is None or (signature is not None and shape != signature):
            break
        signature = shape
        k += 1
    return k - 1 if k - start >= settings.min_list_run else last


def page_topic(article: Article) -> set[str]:
    """The content words of the page's headline: the title metadata names, else the
    first line (a page's visible text opens with its <title>)."""
    headline = article.doc.title if article.doc is not None and article.doc.title else None
    if headline is None:
        headline = next((t for t, w in zip(article.texts, article.words) if w >= 3), "")
    return prose.headline_words(headline, article.language)
