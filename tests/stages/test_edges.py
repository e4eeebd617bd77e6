"""The story's edges (newsclean/stages/classify/edges.py): furniture above the first prose
paragraph and below the last is known by sharing no word with the story, whatever its
wording; the article's own headline, subheads, lists and sentences there stay."""

from __future__ import annotations

from tests.stages.classify_helpers import B1, B2, B3, B4, classify, verdict_of
from tests.stages.council_story import TITLE

# Widgets worded unlike any list in rules.toml: they share no word with the council story.
# Each edge also holds a line a phrase rule knows ("Advertisement"): the page's furniture is there.
ABOVE = ("Tide tables for Port Ellis", "Crossword 4,112 · Sudoku 977", "Horoscopes ▸ Libra")
BELOW = ("Volunteer drivers wanted on Mondays", "Gazette Careers — 14 openings", "Bingo results: Thursday draw")
KNOWN = "Advertisement"


def test_widgets_above_the_story_are_not_its_headline(settings):
    """With no title metadata the first short line was the title, whatever it said: a
    widget above the story shares no word with it, so the headline below it is the title."""
    doc, labelled, _ = classify([KNOWN, *ABOVE, TITLE, B1, B2, B3, B4], settings)
    assert doc.title == TITLE
    assert [verdict_of(labelled, line) for line in ABOVE] == [("boilerplate", "edge_furniture")] * 3


def test_a_headline_sharing_a_word_with_the_story_stays_the_title(settings):
    doc, _, _ = classify(["Riverside votes on spending plan", B1, B2, B3, B4], settings)
    assert doc.title == "Riverside votes on spending plan"


def test_widgets_below_the_story_go(settings):
    _, labelled, _ = classify([TITLE, B1, B2, B3, B4, *BELOW, KNOWN], settings)
    assert [verdict_of(labelled, line) for line in BELOW] == [("boilerplate", "edge_furniture")] * 3


def test_furniture_below_the_story_licenses_the_widgets_above_it(settings):
    """The page's furniture is there (a known line below the story): the plain widgets
    above it go too."""
    plain = ("Tide tables for Port Ellis", "Gazette Careers: 14 vacancies")
    _, labelled, _ = classify([*plain, TITLE, B1, B2, B3, B4, KNOWN], settings)
    assert [verdict_of(labelled, line) for line in plain] == [("boilerplate", "edge_furniture")] * 2


def test_a_lone_line_at_a_clean_edge_goes_only_with_a_controls_marks(settings):
    """Furniture comes in blocks: at an edge where no other rule found any, a plain line (a
    citation, a source) stays; one with a control's marks (▸, ·, %) goes."""
    plain, marked = "[Harbour Almanac, p. 41]", "Horoscopes ▸ Libra"
    _, labelled, _ = classify([TITLE, B1, B2, B3, B4, plain], settings)
    assert verdict_of(labelled, plain) == ("body", "kept")
    _, labelled, _ = classify([TITLE, B1, B2, B3, B4, marked], settings)
    assert verdict_of(labelled, marked) == ("boilerplate", "edge_furniture")


def test_the_storys_own_lines_at_its_edges_stay(settings):
    """A subhead that names the story's subject, a list of one shape (its dates), a sentence,
    a bracketed reference and a line between two prose paragraphs are the article's."""
    subhead = "What the library budget means"
    dates = ("May 3 -- Riverside Hall, Riverside", "May 5 -- Eastgate School, Riverside",
             "May 9 -- Northside Library, Riverside")
    sentence = "Hearings on the plan begin next month at city hall."
    citation = "[Harbour Almanac, p. 41]"
    between = "Looking ahead"
    paragraphs = [TITLE, B1, between, B2, B3, B4, subhead, *dates, sentence, citation, KNOWN]
    _, labelled, _ = classify(paragraphs, settings)
    for line in (subhead, *dates, sentence, citation, between):
        assert verdict_of(labelled, line)[0] == "body", line


def test_an_article_without_enough_prose_has_no_edges(settings):
    """One prose paragraph among short lines (a results list, a programme) is not a story
    with edges: nothing goes by this rule."""
    lines = ["Swim meet results", "Tide tables for Port Ellis", B1, "Gazette Careers — 14 openings", KNOWN]
    _, labelled, _ = classify(lines, settings)
    assert all(p.reason != "edge_furniture" for p in labelled)


def test_edge_lines_holding_much_of_the_article_stay(settings):
    """The bound: when the lines found hold more than edge_max_share of the article's
    words, the article is mostly short lines and none goes."""
    many = tuple(f"Weekend market stall {n} — crafts, bread and cheese" for n in "ABCDEFGHIJKL")
    _, labelled, _ = classify([TITLE, B1, B2, *many, KNOWN], settings)
    assert all(p.reason != "edge_furniture" for p in labelled)


def test_a_widget_passed_over_as_headline_does_not_make_the_article_a_page(settings):
    """Twelve short lines of the story's own (a list of moves) and nine of prose are an
    article; the widget above them, no longer its headline, must not tip the whole-page
    test (25 lines) and send the list out of the main block."""
    widget = "Tide tables for Port Ellis"
    moves = [f"Council move {n}" for n in "ABCDEFGHIJKL"]
    prose_lines = [f"Council members debated part {n} of the budget on Tuesday, the clerk said afterwards." for n in range(9)]
    extra = ["Budget notes and figures", "Library hours and branches", "Police overtime account"]
    _, labelled, _ = classify([widget, *prose_lines[:3], *moves, *prose_lines[3:], *extra], settings)
    assert [verdict_of(labelled, line)[0] for line in moves] == ["body"] * 12


def test_thousands_of_labels_above_the_story_are_judged_without_recursion(settings):
    """A label ending in a colon looks one line ahead, not down a chain: 3,000 of them
    above the story (a hostile or broken input) are judged (a recursion down the chain
    raised RecursionError), and, holding most of the article's words, none goes."""
    labels = [f"Field {n}:" for n in range(3000)]
    _, labelled, _ = classify([*labels, TITLE, B1, B2, B3, B4, KNOWN], settings)
    assert len(labelled) == len(labels) + 6
    assert not any(p.reason == "edge_furniture" for p in labelled)
