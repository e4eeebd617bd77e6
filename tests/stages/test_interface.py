"""Interface lines known by their vocabulary, not their wording (classify/interface.py):
each furniture line here is worded unlike every phrase and pattern of rules.toml, and
goes with its class; headlines, subheads and sentences that use the same words stay.
All text is invented.
"""

from __future__ import annotations

import pytest

from newsclean.stages.classify.interface import interface_class
from tests.stages.classify_helpers import classify, verdict_of, with_body
from tests.stages.council_story import TITLE

FURNITURE = [
    ("Get the Riverside Gazette in your inbox", "newsletter_prompt"),
    ("The week's best, straight to your inbox. Subscribe gratis.", "newsletter_prompt"),
    ("Your consent settings", "cookie_notice"),
    ("Brought to you by our partners", "ad_marker"),
    ("Grab the Gazette app", "app_prompt"),
    ("Comments (14)", "comment_prompt"),
    ("Bookmark Pinterest Reddit", "share_widget"),
    ("Unlock every story: become a subscriber", "subscription_prompt"),
    ("Open the menu", "navigation"),
    ("Monday, June 3: donate now and support us", "subscription_prompt"),
]
KEPT = [
    # headlines and subheads in Title Case with one interface word
    "Why the app matters to small developers",
    "The App Rules That Matter To Small Developers",
    "Privacy concerns",
    "Council members approve plan",
    "Better Android support",
    # sentences about the thing, not prompts to the reader
    "The app can be downloaded from the store on Monday, the company said in a statement.",
    "Regulators said the cookie rules would change how advertisers track readers online.",
    "Share prices fell sharply after the announcement.",
    # somebody's words
    "\u201cSubscribe to the newsletter,\u201d she told the crowd.",
]


@pytest.mark.parametrize("line,reason", FURNITURE, ids=[r + ": " + t[:30] for t, r in FURNITURE])
def test_interface_line_goes_with_its_class(line, reason, settings):
    _, labelled, _ = classify(with_body(TITLE, middle=(line,)), settings)
    assert verdict_of(labelled, line) == ("boilerplate", reason)


@pytest.mark.parametrize("line", KEPT)
def test_prose_and_headlines_with_interface_words_stay(line, settings):
    assert interface_class(line, len(line.split()), "en", settings.classify) is None
    _, labelled, _ = classify(with_body(TITLE, middle=(line,)), settings)
    assert verdict_of(labelled, line)[0] == "body"


def test_interface_lines_are_bounded_in_length(settings):
    """A long line made of interface words is past interface_max_words: not a control."""
    line = " ".join(["subscribe newsletter inbox"] * 6)
    assert interface_class(line, 18, "en", settings.classify) is None
    assert interface_class("subscribe newsletter inbox", 3, "en", settings.classify) == "newsletter_prompt"


def test_a_few_generic_controls_are_navigation(settings):
    """Words of no one class, when a short line holds nothing else, are still controls;
    the same words in a sentence or beside other words are not."""
    for line in ("Log in | Register", "Forward this story", "Register to continue reading"):
        assert interface_class(line, len(line.split()), "en", settings.classify) == "navigation", line
    for line in ("Read the full story here.", "Latest flood news", "Free speech on trial", "See more photos:"):
        assert interface_class(line, len(line.split()), "en", settings.classify) is None, line


def test_compound_controls_and_all_interface_sentences(settings):
    """"Sign me up" and "Log in" are one control each; a short imperative sentence made
    only of interface words is a prompt, one about something else is not."""
    cases = {
        "Sign me up": "newsletter_prompt",
        "Like this story? Get more in the Health newsletter.": "newsletter_prompt",
        "Click here to get more information or download this game.": None,
    }
    for line, expected in cases.items():
        assert interface_class(line, len(line.split()), "en", settings.classify) == expected, line
