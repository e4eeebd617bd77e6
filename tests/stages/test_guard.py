"""The guard (`newsclean.stages.guard`): rules on inferred evidence may not gut an article.

When they remove too much of its on-topic prose, that prose goes back to the body with
the reason `guard_kept`; teasers of other stories and removals on exact evidence stay.
"""

from __future__ import annotations

from newsclean.stages import guard
from newsclean.stages.classify.article import _WORD, Article
from tests.stages.classify_helpers import STORY, TEASERS


def _article(texts):
    return Article(tuple(texts), tuple(len(_WORD.findall(t)) for t in texts), None, "en")


def test_guard_puts_back_on_topic_prose_an_inferred_rule_took(settings):
    article = _article(["Council budget vote", *STORY])
    verdicts = [("title", "first_short_line")] + [("boilerplate", "related_stories")] * 3
    assert guard.keep_prose_if_gutted(article, verdicts, settings.classify, "Council approves budget") == 3
    assert verdicts[1:] == [("body", "guard_kept")] * 3


def test_guard_leaves_teasers_of_other_stories_removed(settings):
    article = _article(["Council budget vote", STORY[0], *TEASERS])
    verdicts = [("title", "first_short_line"), None] + [("boilerplate", "teaser_excerpt")] * 2
    assert guard.keep_prose_if_gutted(article, verdicts, settings.classify, "Council approves budget") == 0
    assert verdicts[2:] == [("boilerplate", "teaser_excerpt")] * 2


def test_guard_does_not_undo_exact_evidence(settings):
    article = _article(["Council budget vote", *STORY])
    verdicts = [("title", "first_short_line")] + [("boilerplate", "copyright_notice")] * 3
    assert guard.keep_prose_if_gutted(article, verdicts, settings.classify, "Council approves budget") == 0


def test_guard_counts_a_long_paragraph_that_holds_the_headline_as_on_topic(settings):
    # One long paragraph is the whole story: it has many words of its own, so few of its
    # words are the headline's, but it holds most of the headline's words.
    story = ("The city council of Riverside approved on Tuesday night, after a debate that lasted "
             "more than six hours and touched on police overtime, school buses, road repairs, parks "
             "and the pension fund, a budget of $4.2 billion that keeps every library branch open "
             "six days a week and raises the fees for parking permits in the old town by a fifth.")
    article = _article(["Council approves budget keeping libraries open", story, *TEASERS])
    verdicts = [("title", "first_short_line"), ("boilerplate", "outside_main_text"), None, None]
    assert guard.keep_prose_if_gutted(article, verdicts, settings.classify, "Council approves budget keeping libraries open") == 1
    assert verdicts[1] == ("body", "guard_kept")
