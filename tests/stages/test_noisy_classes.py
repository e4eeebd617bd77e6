"""Classes of page furniture seen around real bodies (bench/noisy.py measures them), each
from invented text: the class goes, prose using the same words stays; and the article's
own lists, tables and scripts without spaces survive the rules that remove blocks.
"""

from __future__ import annotations

import pytest

from tests.stages.classify_helpers import B1, B2, B3, B4, check_case, classify, verdict_of, with_body
from tests.stages.council_story import TITLE

FURNITURE = [
    ("Paid post from Harbor Bank", "ad_marker", "a paid-placement label"),
    ("Content continues below this advertisement", "ad_marker", "an ad continuation line"),
    ("Ads by Quorra", "ad_marker", "an ad network's own label"),
    ("Listen to the Riverside Gazette app on Google Play", "app_prompt", "an app-store line"),
    ("Turn on breaking news alerts", "app_prompt", "a notification prompt"),
    ("About | Careers | Advertise | Help", "navigation", "a bar of short links"),
    ("Home > Local > Council", "navigation", "a breadcrumb trail"),
    ("Facebook Twitter Reddit Email", "share_widget", "a row of share buttons"),
    ("Send this to a friend", "share_widget", "a share verb and what it shares"),
    ("By submitting your email you consent to our terms", "newsletter_prompt", "the consent line of a sign-up box"),
    ("Liked this story? Sign up for the Riverside digest", "newsletter_prompt", "a question then a sign-up"),
    ("15 minutes ago", "reading_widget", "a relative time stamp"),
    ("Unlock full coverage for a dollar", "subscription_prompt", "an unlock prompt"),
    ("Update your privacy choices", "cookie_notice", "a consent-settings link"),
    ("Copyright Riverside Media 2021, some rights reserved", "copyright_notice", "a copyright line with a year"),
    ("Picture courtesy of Dana Ruiz", "caption", "a media word and its credit"),
    ("Most popular: Mayor names a new parks director", "related_inline", "a headline behind a related-links label"),
    ("var adSlots = 3;", "script_line", "a line of page script"),
    ("Listen now \u00b7 6 min", "media_player", "an audio player's button and its length"),
    ("Listening to this story? Try our podcast", "media_player", "a podcast prompt"),
]
KEPT = [
    "Residents can sign up for flood alerts, the county said, and the council will pay for the text messages.",
    "Carter said the bank had paid for the new library shelves, which arrived on Monday.",
    "The clerk will send the budget to every branch, and the library will print copies for readers.",
    "Carter said the council would listen to every resident and publish the audio of the meeting.",
]


@pytest.mark.parametrize("line,reason,why", FURNITURE, ids=[why for _, _, why in FURNITURE])
def test_furniture_class_goes(line, reason, why, settings):
    check_case(dict(paragraphs=with_body(TITLE, middle=(line,)), check=line, label="boilerplate", reason=reason,
                    why=why), settings)


@pytest.mark.parametrize("sentence", KEPT)
def test_sentences_with_furniture_words_stay(sentence, settings):
    _, labelled, _ = classify(with_body(TITLE, middle=(sentence,)), settings)
    assert verdict_of(labelled, sentence) == ("body", "kept")


def test_credits_before_a_long_footer_are_credits(settings):
    """A labelled credit or a bio after the last paragraph of prose, however much footer
    follows, goes to the credit column."""
    footer = ("Tags: council, budget", "Share this", "Comments are closed.", "Home | News | Sport", "Back to top")
    for credit in ("Contributing: Dana Ruiz", "Dana Ruiz covers city hall for the Gazette."):
        _, labelled, _ = classify(with_body(TITLE, tail=(credit, *footer)), settings)
        assert verdict_of(labelled, credit) == ("metadata", "credit"), credit


def test_related_section_takes_unpunctuated_and_cut_headlines(settings):
    lines = ("Zoo welcomes two red pandas from a breeding programme in Ohio and names them",
             "School board delays its vote on later start times for teenagers across the district")
    _, labelled, _ = classify(with_body(TITLE, tail=("You may also like", *lines)), settings)
    assert [verdict_of(labelled, line) for line in lines] == [("boilerplate", "related_stories")] * 2


def test_related_section_stops_at_the_articles_own_list_and_table(settings):
    """Tour dates (one lead shape with a figure) and table rows after a related header
    are the article's data."""
    tour = ("May 3 -- Riverside Hall, Riverside, OH", "May 5 -- The Pavilion, Dayton, OH",
            "May 9 -- Lakeside Arena, Toledo, OH")
    rows = ("1 Dana Ruiz 412 3 1 0", "2 Lee Park 398 2 2 1", "3 Ann Obi 377 1 0 4")
    for block in (tour, rows):
        _, labelled, _ = classify(with_body(TITLE, tail=("Related", *block)), settings)
        assert [verdict_of(labelled, line)[0] for line in block] == ["body"] * 3, block


def test_a_japanese_article_keeps_its_text_among_english_furniture(settings):
    """Words are counted in scripts without spaces: a Japanese article is not taken for a
    page's menus around one English sign-up line."""
    japanese = [
        "市議会は火曜日の深夜、来年度の予算案を賛成多数で可決し、図書館の開館時間を維持することを決めた。",
        "予算案をめぐっては、図書館の予算を警察の残業代に回す案が出ていたが、委員会で否決された。",
        "市長は記者会見で、すべての分館を週六日開けることができると述べ、市民の協力に感謝した。",
        "反対した議員は、道路の補修費が足りないと指摘し、来年の補正予算で見直すべきだと主張した。",
    ] * 2
    furniture = ["Home", "News", "Sport", "Log in", "Search", "Menu", "Share", "Tweet", "Email", "Print",
                 "Want more stories like these? Get them in your inbox every single morning of the week."] * 2 + ["Back to top"] * 5
    _, labelled, _ = classify(furniture[:12] + japanese + furniture[12:], settings)
    kept = [p.text for p in labelled if p.label == "body"]
    assert set(japanese) <= set(kept)


def test_recognised_furniture_does_not_make_an_article_a_page(settings):
    """An article of short lines (a list of commands) and a little prose, inside furniture
    the rules already know, is still an article: only what is left open decides whether
    the text is a whole page's visible text, so its short lines are not cut as menus."""
    commands = ["set speed to 120 percent", "set health to full", "set stamina to full", "set magic to full"]
    prose_lines = [
        "The speed you set is the speed you keep, so start low and raise it after the first hour of play.",
        "After a restart the values fall back to the defaults, and the commands have to be typed again.",
        "Players on the forum say the game runs smoothly with these settings on older machines too.",
    ]
    furniture = ["Share", "Tweet", "Email", "Print", "Advertisement", "Search", "Menu", "Home", "Log in",
                 "Back to top", "Facebook", "Twitter", "Comments", "Register", "Close"]
    paragraphs = ["How to change your speed with console codes", *furniture[:8], *commands, *prose_lines, *furniture[8:],
                  *furniture[:6]]
    _, labelled, _ = classify(paragraphs, settings)
    assert [verdict_of(labelled, line)[0] for line in commands] == ["body"] * 4


def test_wire_photo_captions_go_by_their_shape(settings):
    """A wire caption says who stands where (", left,") or gives the picture's full date
    with weekday and year; running text says "on Tuesday"."""
    captions = ("Council member Dana Ruiz, left, talks with residents outside the library in Riverside.",
                "Volunteers stack sandbags along the river during a storm, Tuesday, March 3, 2020, in Riverside, Ohio.")
    sentence = "The council will vote again on Tuesday, and Ruiz said she expects the budget to pass."
    _, labelled, _ = classify(with_body(TITLE, middle=(*captions, sentence)), settings)
    assert [verdict_of(labelled, c) for c in captions] == [("boilerplate", "caption")] * 2
    assert verdict_of(labelled, sentence) == ("body", "kept")


def test_menu_entries_above_the_story_are_navigation(settings):
    """Title Case entries before the first paragraph of prose are the page's menu; the
    article's own short lines (after it, or in sentence case, and of its subject: a short
    line sharing no word with the story, beside a menu, is furniture, test_edges.py) stay."""
    menu = ["World", "Local News", "Arts & Culture"]
    own_list = ["Budget vote delayed", "New library hours"]
    later = ["Riverside Park", "Harbor Street"]
    paragraphs = [*menu, TITLE, *own_list, B1, B2, *later, B3, B4]
    _, labelled, _ = classify(paragraphs, settings)
    assert verdict_of(labelled, menu[0]) == ("boilerplate", "section_label")  # a first short line: a kicker
    assert [verdict_of(labelled, m) for m in menu[1:]] == [("boilerplate", "header_menu")] * 2
    assert [verdict_of(labelled, t)[0] for t in own_list + later] == ["body"] * 4


def test_a_credit_between_two_short_lines_does_not_make_them_a_headline_run(settings):
    """Two Title Case lines ending the text are a run of headlines only when they stand
    together (or with furniture between them): a credit between them is the article's
    sign-off, and the lines around it are its own."""
    ending = ("Riverside Council Budget Hearings Continue", "Written by Dana Ruiz", "Next Meeting Set For Library Hall")
    _, labelled, _ = classify(with_body(TITLE, tail=ending), settings)
    assert verdict_of(labelled, ending[1]) == ("metadata", "credit")
    assert [verdict_of(labelled, t)[0] for t in (ending[0], ending[2])] == ["body", "body"]
    _, labelled, _ = classify(with_body(TITLE, tail=(ending[0], "Share", ending[2])), settings)
    assert [verdict_of(labelled, t) for t in (ending[0], ending[2])] == [("boilerplate", "trailing_headline")] * 2


def test_the_pages_own_headline_worded_otherwise_is_the_title(settings):
    """Under a metadata title, a first line that words the same headline otherwise is the
    title; a first line about something else stays."""
    variant = "Riverside council: budget passes after late-night vote"
    _, labelled, _ = classify([variant, B1, B2, B3], settings, title="Council approves budget after late-night vote - Gazette")
    assert verdict_of(labelled, variant) == ("title", "title_variant")
    other = "Library hours stay the same for every branch"
    _, labelled, _ = classify([other, B1, B2, B3], settings, title="Council approves budget after late-night vote - Gazette")
    assert verdict_of(labelled, other)[0] == "body"
