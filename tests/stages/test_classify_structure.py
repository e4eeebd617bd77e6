"""Classify, structure rules (`newsclean.stages.classify.structure`): the section label
above the story, the title (from the page's metadata or the first short line), repeats
of it or of any paragraph, and on a whole page's visible text everything outside its
densest block of prose.
"""

from __future__ import annotations

import pytest

from tests.stages.classify_helpers import B1, B2, B3, B4, BODY, case_params, check_case, classify, verdict_of, with_body
from tests.stages.council_story import TITLE

# --- one paragraph, one verdict -----------------------------------------------------------

CASES = [
    # -- section labels
    dict(paragraphs=with_body("Politics", TITLE), check="Politics",
         label="boilerplate", reason="section_label", why="a one-word section label above the story"),
    # -- title and repeats
    dict(paragraphs=with_body(TITLE), check=TITLE,
         label="title", reason="first_short_line", why="first short line without final punctuation"),
    dict(paragraphs=with_body("Share", TITLE), check=TITLE,
         label="title", reason="first_short_line", why="the title after a widget"),
    dict(paragraphs=with_body(TITLE, middle=(TITLE,)), check=None, nth=(TITLE, 1),
         label="duplicate", reason="repeated_title", why="the title printed again in the body"),
    dict(paragraphs=[TITLE, B1, B2, B1, B3, B4], check=None, nth=(B1, 1),
         label="duplicate", reason="repeated_paragraph", why="a paragraph scraped twice"),
    dict(paragraphs=[TITLE, B1, B2, B1, B3, B4], check=None, nth=(B1, 0),
         label="body", reason="kept", why="the first copy of a repeated paragraph stays"),
]


@pytest.mark.parametrize("case", case_params(CASES))
def test_paragraph_verdicts(case, settings):
    check_case(case, settings)


# --- the title -------------------------------------------------------------------------------

def test_title_from_metadata_matches_its_paragraph(settings):
    paragraphs = with_body("Riverside Herald", "Council approves $4.2bn budget after late-night vote.")
    doc, labelled, _ = classify(paragraphs, settings, title=TITLE)
    assert verdict_of(labelled, paragraphs[1]) == ("title", "title_metadata")
    assert verdict_of(labelled, "Riverside Herald")[0] != "title", "the known title wins over a first short line"
    assert doc.title == TITLE, "the metadata title is kept as given"


def test_a_short_headline_the_metadata_names_is_the_title_not_a_section_label(settings):
    paragraphs = with_body("Budget approved")
    doc, labelled, _ = classify(paragraphs, settings, title="Budget approved")
    assert verdict_of(labelled, "Budget approved") == ("title", "title_metadata")
    _, unnamed, _ = classify(paragraphs, settings)
    assert verdict_of(unnamed, "Budget approved") == ("boilerplate", "section_label"), "without metadata: a label"


def test_title_from_metadata_repeated_later_is_a_duplicate(settings):
    paragraphs = with_body(TITLE, middle=(TITLE,))
    _, labelled, _ = classify(paragraphs, settings, title=TITLE)
    assert [(p.label, p.reason) for p in labelled if p.text == TITLE] == [
        ("title", "title_metadata"), ("duplicate", "repeated_title")]


def test_no_title_when_the_first_line_is_a_sentence(settings):
    doc, labelled, _ = classify(BODY, settings)
    assert doc.title is None
    assert all(p.label == "body" for p in labelled)


# --- whole-page visible text ------------------------------------------------------------

MENU = ["Home", "News", "Local", "Sports", "Business", "Opinion", "Obituaries", "Weather", "Sign In",
        "Subscribe", "Contact Us", "E-Edition", "Events", "Jobs", "Cars", "Real Estate", "Classifieds"]
FOOTER = ["About Us", "Careers", "Advertise", "Privacy Policy", "Terms of Use", "Site Map", "Help",
          "Newsletters", "Archives", "RSS"]


def test_whole_page_text_keeps_only_the_block_of_prose(settings):
    """A naive scraper's visible text: menus and footers around the story go, the story stays."""
    paragraphs = [*MENU, TITLE, *BODY, "Critics vowed to revisit the plan after the summer recess.", *FOOTER]
    _, labelled, _ = classify(paragraphs, settings)
    verdicts = {p.text: (p.label, p.reason) for p in labelled}
    assert all(verdicts[t][0] != "body" for t in MENU + FOOTER)
    assert verdicts["Obituaries"] == ("boilerplate", "outside_main_text")
    assert [p.text for p in labelled if p.label == "body"][:4] == BODY


def test_an_article_with_a_few_short_lines_is_not_a_page(settings):
    """Extractor output with subheads keeps them: it is not page-shaped."""
    paragraphs = [TITLE, B1, "The vote", B2, "What comes next", B3, B4]
    _, labelled, _ = classify(paragraphs, settings)
    assert verdict_of(labelled, "The vote") == ("body", "kept")
    assert verdict_of(labelled, "What comes next") == ("body", "kept")


def test_a_poll_under_a_story_of_short_lines_is_not_the_densest_block(settings):
    """A page whose story holds a list of short items and two paragraphs, and whose poll
    below it has rows as long as sentences: a row's bracketed count is not running text,
    so the story is the main block and the poll goes."""
    title = "Harbour Ferry timetable changes for winter"
    story = ["What changes from Monday?", "Earlier first sailing", "Fewer late crossings", "New stop at Pier Four",
             "Night service on Fridays",
             "Commuters who cross the harbour every morning will find the first boat leaves twenty minutes earlier than before.",
             "The operator said the late crossings were cut because fewer than a dozen people used them on most nights.",
             "Tickets bought before the change stay valid."]
    poll = ["Has the new winter timetable made your trip any better so far?",
            "Yes, it is a lot better for me (41%, 1,680 Votes)", "No, it makes my trip worse (29%, 1,186 Votes)",
            "I do not use the ferry at all (15%, 625 Votes)", "Not sure yet what it means for me (16%, 654 Votes)"]
    sidebar = ["From the blog", "Spring regatta dates", "We asked readers about the […]", "New cafe on the quay",
               "It opens at seven and […]", "Parking at the terminal", "The car park will close […]", "Polls"]
    paragraphs = [title, *MENU, title, *story, "Leave a comment", "Previous Post", "Next Post", *sidebar, *poll, *FOOTER]
    _, labelled, _ = classify(paragraphs, settings)
    kept = [p.text for p in labelled if p.label == "body"]
    assert story[5] in kept and story[6] in kept, "the story's paragraphs are its main block"
    assert not set(poll[1:]) & set(kept), "the poll's result rows are not the article"
