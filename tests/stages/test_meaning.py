"""Furniture known by its meaning (newsclean/stages/classify/meaning.py): a short line
about the page, its services and the reader, between or around the story's paragraphs,
worded unlike any list in rules.toml; the story's own short lines stay."""

from __future__ import annotations

import dataclasses

import numpy as np

from newsclean.settings_rules import FurnitureModel
from newsclean.stages.classify.article import Article, Findings
from newsclean.stages.words import count_words
from newsclean.stages.classify.meaning import REASON, features, mark_furniture_by_meaning, overlap
from tests.stages.classify_helpers import B1, B2, B3, B4, classify, verdict_of
from tests.stages.council_story import TITLE

# Invented furniture: none of these wordings is in rules.toml or in bench/'s templates.
FURNITURE = ("Reserve a seat at our spring readers' breakfast", "Hear this story read aloud",
             "Pick your favourite crossword")
# The story's own short lines: a subhead and a short sentence on its topic.
OWN = ("Library hours kept", "Budget at a glance", "What happens next", "Carter called the vote a relief.")


def test_furniture_between_the_paragraphs_goes_by_its_meaning(settings):
    """Lines worded unlike every list, between the story's paragraphs, where the edge rule
    never judges: the trained model knows them by what they are about. Furniture comes in
    blocks: two such lines together go, and so does one beside another rule's furniture."""
    _, labelled, _ = classify([TITLE, B1, B2, FURNITURE[0], FURNITURE[1], B3, B4], settings)
    assert [verdict_of(labelled, line) for line in FURNITURE[:2]] == [("boilerplate", REASON)] * 2
    _, labelled, _ = classify([TITLE, B1, "Advertisement", FURNITURE[2], B2, B3, B4], settings)
    assert verdict_of(labelled, FURNITURE[2]) == ("boilerplate", REASON)


def test_a_lone_line_between_the_paragraphs_stays(settings):
    """One short line alone between two paragraphs is as often the story's (a subhead, an
    item): its meaning is not evidence enough."""
    _, labelled, _ = classify([TITLE, B1, FURNITURE[2], B2, B3, B4], settings)
    assert verdict_of(labelled, FURNITURE[2]) == ("body", "kept")


def test_the_storys_own_short_lines_stay(settings):
    paragraphs = [TITLE, B1, OWN[0], B2, OWN[1], B3, OWN[2], B4, OWN[3]]
    _, labelled, _ = classify(paragraphs, settings)
    assert [verdict_of(labelled, line)[0] for line in OWN] == ["body"] * 4


# A model that calls every line furniture, to test the bounds whatever the trained weights.
EVERYTHING = FurnitureModel(weights=(0.0,) * 258, bias=100.0)
STORY = (
    "The Riverside council approved the library budget late on Tuesday after a long debate.",
    "Members voted nine to four for the plan that keeps every library branch open.",
    "Carter said the budget would be reviewed again in the spring by the council.",
)


def _mark(texts, settings, model=EVERYTHING, **changes):
    classify_settings = dataclasses.replace(
        settings.classify, rules=dataclasses.replace(settings.classify.rules, furniture_model=model), **changes)
    article = Article(tuple(texts), tuple(count_words(t) for t in texts), None)
    found = Findings([None] * len(texts))
    mark_furniture_by_meaning(article, found, classify_settings)
    return found.verdicts


def test_a_line_sharing_a_word_with_the_story_stays_whatever_its_score(settings):
    """A line's meaning is not evidence enough against the story's own words: a short line
    sharing a content word with the title or another open line stays even when the model
    is sure (a results table's rows name the same teams); a line sharing none goes."""
    verdicts = _mark([*STORY, "Library opens on Sundays", "Tap to hear more", "Pick an amount"], settings)
    assert verdicts[3] is None
    assert verdicts[4:] == [("boilerplate", REASON)] * 2


# An invented results page: two sentences, then rows of scores and scorers.
RESULTS = (
    "Eastgate won the county final on Friday night, ending a long wait for its first title since the school opened.",
    "Coach Dana Reyes said the defence had carried the team through a difficult season of close games.",
    "Eastgate d. Northside 53-9", "Eastgate (1-0): Lee 19 points and 3 steals. Kim 6 steals.",
    "Northside (0-1): Park 4 points.", "Westfield d. Harbor City 69-54",
    "Harbor City (0-1): Ortiz 18 points. Chen 12 points.", "Westfield (1-0): Adams 8 saves.",
)


def test_a_results_pages_rows_stay(settings):
    """The shipped model scores a scorers' row high (short, figures, names it never saw),
    but the row names a team another open line names: it is the story's."""
    model = settings.classify.rules.furniture_model
    assert _mark(RESULTS, settings, model=model, meaning_max_share=1.0) == [None] * len(RESULTS)


def test_the_lines_found_are_bounded_by_the_articles_words(settings):
    """When the lines found hold more than meaning_max_share of the article's words, none goes
    (an article that is mostly short lines: a list, a table)."""
    lines = ["Tap to hear more", "Pick an amount", "Log your visit", "Open in app now", "Rate this page"]
    assert _mark([*STORY, *lines], settings, meaning_max_share=0.2) == [None] * 8
    assert _mark([*STORY, *lines], settings, meaning_max_share=0.5)[3:] == [("boilerplate", REASON)] * 5


def test_what_the_rule_never_judges(settings):
    """Too little prose to read a topic from, no model, a quotation, a web address, a post's
    signature, a label introducing the next line, a line of a list, a line of two words."""
    assert _mark([STORY[0], "Tap to hear more"], settings) == [None, None]
    assert _mark([*STORY, "Tap to hear more"], settings, model=None)[3] is None
    never = ["“Tap to hear more”", "See www.example.org/tips for more", "— Eastgate Times (@eastgate) May 2, 2019",
             "Here is the list:", STORY[0], "Two words", "tap to hear more"]
    assert _mark([*STORY, *never], settings, meaning_max_share=1.0)[3:] == [None] * 7
    chinese = ["市议会周二晚间以九票对四票通过了新的年度预算，预算保留了所有图书馆分馆每周开放六天。",
               "市长办公室表示，新的预算将在明年春季由议会再次审查并公布。", "点击这里订阅我们的每日新闻简报", "下载我们的应用程序"]
    assert _mark(chinese, settings, meaning_max_share=1.0) == [None] * 4  # no prose by function words: not read
    tour = ["May 3 -- Hall One, Eastgate", "May 5 -- Hall Two, Westgate", "May 9 -- Hall Six, Northgate"]
    assert _mark([*STORY, *tour], settings, meaning_max_share=1.0)[3:] == [None] * 3


def test_features_are_the_vector_and_two_scaled_topic_measures():
    vectors = np.eye(3, dtype=np.float32)[:2]
    rows = features(vectors, np.array([1.0, 0.0, 0.0], dtype=np.float32), [0.5, 0.0])
    assert rows.shape == (2, 5)
    assert rows[0, 3] == 4.0 and rows[1, 3] == 0.0  # the cosine, scaled
    assert rows[0, 4] == 2.0  # the overlap, scaled
    assert overlap({"librar"}, {"librar", "budget"}) == 1.0
