"""The failure classes that gutted unseen articles, each as a case built from invented text.

Each test is one class of the accuracy issue: the structure a rule mistook for junk must
stay body, and the junk the rule exists for must still go.
"""

from __future__ import annotations

import dataclasses

from newsclean.stages.classify import classify_article, classify_shard
from newsclean.stages.ingest import make_document
from newsclean.stages.records import Paragraph, Shard
from newsclean.stages.segment import paragraph_spans
from tests.stages.classify_helpers import STORY
from tests.stages.council_story import PARAGRAPHS, TITLE


def classify(paragraphs: list[str], settings, title: str | None = None, classify_settings=None):
    text = "\n\n".join(paragraphs)
    doc = dataclasses.replace(make_document("site/story.txt", "text", text.encode()), raw=None, text=text, title=title)
    spans = paragraph_spans(text, settings.segment)
    paras = [Paragraph(doc.article_id, i, text[a:b], a, b) for i, (a, b) in enumerate(spans)]
    assert [p.text for p in paras] == paragraphs
    _, labelled = classify_article(
        doc, paras, classify_settings or settings.classify, settings.offtopic, settings.language
    )
    return labelled


def labels(labelled, text):
    return [(p.label, p.reason) for p in labelled if p.text == text]


# -- 1. repetition that is structure --------------------------------------------------------

GUESTS = {
    "Maria Lopez, bakery owner": ("We would extend the evening bus routes past the river.",
                                  "I want the council to fix the potholes on Elm Street first."),
    "Tom Becker, retired teacher": ("Honestly, the library hours matter more to me than buses.",
                                    "More money for the after-school reading programme, every year."),
    "Ana Reyes, nurse": ("Safer crossings near the hospital, because people get hurt there weekly.",
                         "Fund the clinic vans that visit the east side twice a month."),
}
QUESTIONS = ("What is the one thing you would change about transport in the city?",
             "If you had the budget for a day, where would the money go?")


def test_interview_asking_every_guest_the_same_questions_keeps_every_question(settings):
    paragraphs = ["Residents tell us what the new budget should fix", PARAGRAPHS[0]]
    for guest, answers in GUESTS.items():
        paragraphs.append(guest)
        for question, answer in zip(QUESTIONS, answers):
            paragraphs += [question, answer]
    labelled = classify(paragraphs, settings)
    for question in QUESTIONS:
        assert labels(labelled, question) == [("body", "kept")] * 3, question


def test_a_copied_block_is_still_a_duplicate(settings):
    copied = [PARAGRAPHS[1], "Why did the amendment fail, and who voted against it in the end?"]
    paragraphs = [TITLE, PARAGRAPHS[0], *copied, PARAGRAPHS[2], *copied, PARAGRAPHS[3]]
    labelled = classify(paragraphs, settings)
    assert labels(labelled, copied[1]) == [("body", "kept"), ("duplicate", "repeated_paragraph")]
    assert labels(labelled, copied[0])[1] == ("duplicate", "repeated_paragraph")


def test_recipe_repeating_an_ingredient_line_keeps_both(settings):
    line = "2 tablespoons olive oil, plus more for the pan"
    paragraphs = [TITLE, PARAGRAPHS[0], "For the sauce:", line, "1 onion, chopped very fine",
                  PARAGRAPHS[1], "For the vegetables:", line, "3 carrots, cut into coins", PARAGRAPHS[2]]
    assert labels(classify(paragraphs, settings), line) == [("body", "kept")] * 2


def test_posts_of_one_account_keep_their_alike_attribution_lines(settings):
    sign_off = "— Riverside City Council (@RiversideCouncil) March 4, 2024"
    paragraphs = [TITLE, PARAGRAPHS[0], "The council posted the result within minutes.",
                  "Budget approved 9-4. Every library branch stays open six days a week.", sign_off,
                  PARAGRAPHS[1], "A second post followed with the vote of each member.",
                  "Amendment 3 on police overtime failed. Full roll call on our site.", sign_off, PARAGRAPHS[2]]
    assert labels(classify(paragraphs, settings), sign_off) == [("body", "kept")] * 2


def test_an_attribution_line_right_after_its_copy_is_a_duplicate(settings):
    sign_off = "— Riverside City Council (@RiversideCouncil) March 4, 2024"
    paragraphs = [TITLE, PARAGRAPHS[0], "Budget approved 9-4. Every library branch stays open.", sign_off, sign_off,
                  PARAGRAPHS[1], PARAGRAPHS[2]]
    assert labels(classify(paragraphs, settings), sign_off) == [("body", "kept"), ("duplicate", "repeated_paragraph")]


# A site's own section names, which no word list knows.
MENU = ["Civic Life", "Out & About", "Neighbours", "Talking Points", "The Week", "Market Day", "Bright Side",
        "Old Town", "Green Spaces", "Night Owl", "Brief Notes", "In Focus", "Riverside Eats", "Small Wins",
        "Back Roads", "Town Crier", "Porch Light", "Weekenders"]


def test_a_page_keeps_its_standfirst_printed_above_the_story_and_in_it(settings):
    standfirst = "The vote ended weeks of talks over police funding and the hours of the city libraries."
    paragraphs = [*MENU[:12], TITLE, standfirst, "Dana Whitfield", "City hall reporter", "Tuesday 5 March 2024 23:40",
                  "Why you can trust us", "Image: the council chamber", PARAGRAPHS[0], PARAGRAPHS[1], standfirst, PARAGRAPHS[2], PARAGRAPHS[3], *MENU[12:]]
    labelled = classify(paragraphs, settings)
    assert labels(labelled, standfirst) == [("boilerplate", "outside_main_text"), ("body", "kept")]
    assert labels(labelled, "Night Owl") == [("boilerplate", "outside_main_text")]


def test_a_page_repeating_a_story_sentence_inside_the_story_drops_the_copy(settings):
    paragraphs = [*MENU[:12], TITLE, "By Dana Whitfield", PARAGRAPHS[0], PARAGRAPHS[1], PARAGRAPHS[2],
                  PARAGRAPHS[1], PARAGRAPHS[3], *MENU[12:]]
    labelled = classify(paragraphs, settings)
    assert labels(labelled, PARAGRAPHS[1]) == [("body", "kept"), ("duplicate", "repeated_paragraph")]


# -- 2. tables are not a whole page's menus --------------------------------------------------

def test_extractor_output_with_a_table_keeps_its_prose(settings):
    rows = []
    for name, snaps, share in [("Brady", "61", "100%"), ("Evans", "58", "95%"), ("Godwin", "55", "90%"),
                               ("Fournette", "40", "66%"), ("Gronkowski", "45", "74%"), ("Brate", "20", "33%"),
                               ("Miller", "31", "51%"), ("Johnson", "12", "20%"), ("Wirfs", "61", "100%")]:
        rows += [name, snaps, share]
    paragraphs = [TITLE, PARAGRAPHS[0], PARAGRAPHS[1], "Offense snap counts", *rows, PARAGRAPHS[2], PARAGRAPHS[3]]
    labelled = classify(paragraphs, settings)
    assert not [p for p in labelled if p.reason == "outside_main_text"]
    for text in PARAGRAPHS:
        assert labels(labelled, text) == [("body", "kept")]


# -- 3. a section header does not take the dialogue or the schedule after it ------------------

def test_related_header_stops_at_a_transcript_and_at_sentences(settings):
    dialogue = ["CARTER: We kept every branch open.", "REPORTER: At what cost to the police?",
                "CARTER: None that residents will notice."]
    paragraphs = [TITLE, PARAGRAPHS[0], PARAGRAPHS[1], "Up next", *dialogue, PARAGRAPHS[2], PARAGRAPHS[3]]
    labelled = classify(paragraphs, settings)
    for line in dialogue:
        assert labels(labelled, line) == [("body", "kept")], line


def test_related_header_still_takes_its_teaser_headlines(settings):
    teasers = ["Mayor Names New Fire Chief After Long Search", "Riverside Schools Add Late Bus Routes",
               "Downtown Parking Garage Reopens For Holiday Shoppers"]
    paragraphs = [TITLE, *PARAGRAPHS, "Related stories", *teasers]
    labelled = classify(paragraphs, settings)
    for line in teasers:
        assert labels(labelled, line) == [("boilerplate", "related_stories")], line


# -- 5. rows of prices are not all-caps teasers; a desk credit is a credit ---------------------

def test_price_rows_in_capitals_stay(settings):
    rows = ["ACME HOLDINGS CORP CLASS A SHARES NYSE ACM 41.20 +0.8%",
            "RIVERSIDE POWER AND LIGHT COMPANY ORDINARY SHARES RPL 12.05 -1.1%"]
    paragraphs = [TITLE, PARAGRAPHS[0], *rows, *PARAGRAPHS[1:]]
    labelled = classify(paragraphs, settings)
    for row in rows:
        assert labels(labelled, row) == [("body", "kept")], row


def test_capital_headline_without_figures_is_still_a_teaser(settings):
    teaser = "COUNCIL MEMBER RESIGNS AFTER HEATED BUDGET DEBATE IN RIVERSIDE"
    labelled = classify([TITLE, PARAGRAPHS[0], PARAGRAPHS[1], teaser, PARAGRAPHS[2], PARAGRAPHS[3]], settings)
    assert labels(labelled, teaser) == [("boilerplate", "allcaps_teaser")]


def test_capital_headline_with_one_count_is_a_teaser(settings):
    teaser = "RIVERSIDE MAYOR SAYS NEW PLAN WILL ADD 300 BUS STOPS BY SUMMER"
    labelled = classify([TITLE, PARAGRAPHS[0], PARAGRAPHS[1], teaser, PARAGRAPHS[2], PARAGRAPHS[3]], settings)
    assert labels(labelled, teaser) == [("boilerplate", "allcaps_teaser")]


def test_staff_reports_byline_is_the_credit(settings):
    labelled = classify(["Staff Reports", TITLE, *PARAGRAPHS], settings)
    assert labels(labelled, "Staff Reports") == [("metadata", "credit")]


def test_a_reporting_credit_mid_text_is_a_credit(settings):
    credit = "Additional reporting by Jane Roe in Riverside"
    paragraphs = [TITLE, PARAGRAPHS[0], PARAGRAPHS[1], credit, PARAGRAPHS[2], PARAGRAPHS[3],
                  "The council meets again on Thursday to set the library schedule.",
                  "Public comment will be taken at the start of that meeting.",
                  "Residents can also send written comments to the clerk's office."]
    assert labels(classify(paragraphs, settings), credit) == [("metadata", "credit")]


def test_a_newsroom_role_byline_mid_text_is_a_credit(settings):
    byline = "Jane Roe, Gazette city hall correspondent"
    later = ["The council meets again on Thursday to set the library schedule.",
             "Public comment will be taken at the start of that meeting.",
             "Residents can also send written comments to the clerk's office.",
             "The clerk said the letters would be read into the record in full.",
             "A vote on the schedule is expected before the end of the month.",
             "Two branches on the east side would close an hour earlier under the plan.",
             "Library staff have asked the council to keep the Saturday hours unchanged.",
             "The mayor has said she will sign whatever schedule the council approves."]
    paragraphs = [TITLE, *PARAGRAPHS, *later[:3], byline, *later[3:]]
    assert labels(classify(paragraphs, settings), byline) == [("metadata", "credit")]


def test_two_writers_and_their_outlet_are_the_credit(settings):
    byline = "Jane Roe and John Q. Doe, Riverside Gazette"
    assert labels(classify([TITLE, byline, *PARAGRAPHS], settings), byline) == [("metadata", "credit")]


def test_a_caption_ending_on_its_image_credit_is_a_caption(settings):
    caption = "Council members leave the chamber after the late vote on Tuesday Credit: Jane Roe/Riverside Gazette"
    labelled = classify([TITLE, PARAGRAPHS[0], caption, *PARAGRAPHS[1:]], settings)
    assert labels(labelled, caption) == [("boilerplate", "caption")]


# -- 6. promotion lines as a class; documents that are only a notice ---------------------------

def test_a_sentence_reporting_a_promotion_stays(settings):
    sentence = ("Carter said residents who download the city's new app will be able to report "
                "potholes directly to the public works department.")
    labelled = classify([TITLE, PARAGRAPHS[0], sentence, *PARAGRAPHS[1:]], settings)
    assert labels(labelled, sentence) == [("body", "kept")]


def _shard(text: str) -> Shard:
    doc = dataclasses.replace(make_document("site/blocked.txt", "text", text.encode()), raw=None, text=text)
    paras = tuple(Paragraph(doc.article_id, i, t, 0, len(t)) for i, t in enumerate(text.split("\n\n")))
    return Shard(0, documents=(doc,), paragraphs=paras)


def test_a_browser_notice_is_a_reject_not_an_article(settings):
    shard = _shard("Checking your browser before accessing the site.\n\nThis process is automatic.")
    out = classify_shard(shard, settings.classify, settings.offtopic, settings.language)
    assert out.documents == ()
    assert [(r.reason, r.source_path) for r in out.rejects] == [("notice_page", "site/blocked.txt")]
    assert "Checking your browser" in out.rejects[0].detail


def test_an_article_that_mentions_a_notice_stays_an_article(settings):
    text = "\n\n".join([TITLE, *PARAGRAPHS, "Readers who saw an 'Access denied' page on Tuesday should try again."])
    out = classify_shard(_shard(text), settings.classify, settings.offtopic, settings.language)
    assert len(out.documents) == 1 and out.rejects == ()


# -- the guard: inferred rules never gut an article (its own tests: test_guard.py) -----------

def test_guard_kept_is_a_reason_in_the_labelled_paragraphs(settings):
    # A page-shaped text whose densest prose block is a long footer: the story about the
    # headline is put back by the main-block choice or the guard, never lost.
    menu = ["Home", "World", "Sports", "Opinion", "Video", "Login", "Search", "Menu", "Weather", "Jobs"] * 3
    footer = ("The Riverside Gazette customer service centre can be reached with any questions or requests "
              "by telephone on weekdays, by fax at any hour, and by e-mail; our offices are closed on public "
              "holidays and the centre answers letters within ten working days of receiving them at the desk.")
    paragraphs = ["Council approves budget after late vote - Local News - The Riverside Gazette", *menu,
                  "Council approves budget after late vote", *STORY, *menu[:8], footer]
    labelled = classify(paragraphs, settings)
    for text in STORY:
        assert labels(labelled, text)[0][0] == "body", text


# -- labelled captions, gallery counters, separators, link prompts --------------------------


def test_a_line_the_page_labels_as_a_caption_goes_even_when_it_reports_speech(settings):
    speech_caption = "Image caption Council president Denise Carter said the vote had been delayed twice this week"
    media_caption = "Media caption How the council reached its compromise"
    credited = "Council members leave the chamber after the late vote on Tuesday Credit: Riverside Photo - Staff"
    wire = "Council president Denise Carter speaks to reporters, Tuesday night. (AP Photo/Jane Doe)"
    paragraphs = [PARAGRAPHS[0], media_caption, PARAGRAPHS[1], speech_caption, PARAGRAPHS[2], credited,
                  wire, PARAGRAPHS[3]]
    labelled = classify(paragraphs, settings, title=TITLE)
    for caption in (speech_caption, media_caption, credited, wire):
        assert labels(labelled, caption) == [("boilerplate", "caption")], caption
    for text in PARAGRAPHS:
        assert labels(labelled, text) == [("body", "kept")], text


def test_reported_speech_that_mentions_a_caption_or_credit_stays(settings):
    said = ("The photographer said the image caption had been changed by an editor after the vote, "
            "and that the credit: line was wrong.")
    labelled = classify([PARAGRAPHS[0], said, PARAGRAPHS[1]], settings, title=TITLE)
    assert labels(labelled, said) == [("body", "kept")]


def test_gallery_counters_and_symbol_separators_go_numbers_in_text_stay(settings):
    paragraphs = [PARAGRAPHS[0], "6", PARAGRAPHS[1], "___", PARAGRAPHS[2], "12.", PARAGRAPHS[3],
                  "2019 was the year the library budget was first cut by the council."]
    labelled = classify(paragraphs, settings, title=TITLE)
    assert labels(labelled, "6") == [("boilerplate", "lone_number")]
    assert labels(labelled, "12.") == [("boilerplate", "lone_number")]
    assert labels(labelled, "___") == [("boilerplate", "no_words")]
    assert labels(labelled, paragraphs[-1]) == [("body", "kept")]


def test_click_here_link_text_goes_a_sentence_about_clicking_stays(settings):
    prompt = "Click here to get the Riverside Gazette crossword"
    sentence = "Click here to read the full budget document, which the council published on Wednesday."
    labelled = classify([PARAGRAPHS[0], PARAGRAPHS[1], sentence, PARAGRAPHS[2], prompt], settings, title=TITLE)
    assert labels(labelled, prompt) == [("boilerplate", "link_prompt")]
    assert labels(labelled, sentence) == [("body", "kept")]


# -- a notice is said once; the same words in many sentences are the topic ----------------


def test_affiliate_notice_goes(settings):
    notice = "The Riverside Gazette has affiliate partnerships and may earn a commission on purchases."
    labelled = classify([PARAGRAPHS[0], PARAGRAPHS[1], notice], settings, title=TITLE)
    assert labels(labelled, notice) == [("boilerplate", "disclaimer")]


def test_a_sentence_about_affiliate_links_is_not_a_disclosure(settings):
    """The disclosure says where the page's own links are or that the page earns from
    them; a sentence about affiliate links in general is the story's."""
    sentence = "Affiliate links have become the main income of many food bloggers, the survey found."
    disclosure = "Some of the links below are affiliate links."
    labelled = classify([PARAGRAPHS[0], sentence, PARAGRAPHS[1], disclosure], settings, title=TITLE)
    assert labels(labelled, sentence) == [("body", "kept")]
    assert labels(labelled, disclosure) == [("boilerplate", "disclaimer")]


def test_a_pattern_matching_many_sentences_of_an_article_is_its_topic(settings):
    story = [
        "Bloggers in the scheme print the line that we may earn a commission under every review.",
        "Readers rarely notice the small print where we may earn a commission is written in grey.",
        "The regulator wants the words we may earn a commission shown before the first link.",
        "Shops defended the scheme, which they say pays writers fairly for the readers they bring.",
    ]
    notice = "We may earn a commission when you buy through links on our site."
    labelled = classify(["Regulator targets paid reviews", *story, notice], settings)
    for text in story:
        assert labels(labelled, text) == [("body", "kept")], text
    once = dataclasses.replace(settings.classify, pattern_topic_hits=99)
    labelled = classify(["Regulator targets paid reviews", *story, notice], settings, classify_settings=once)
    assert labels(labelled, story[0]) == [("boilerplate", "disclaimer")]  # the rule the bound holds back




def test_a_headline_quoting_two_sentences_is_the_title(settings):
    headline = "‘We kept every branch open. Now we fund it’: council leader on the budget"
    labelled = classify([headline, *PARAGRAPHS], settings)
    assert labels(labelled, headline) == [("title", "first_short_line")]


def test_two_sentences_up_top_are_not_a_title(settings):
    lead = "The vote came late. Council members left after midnight"
    labelled = classify([lead, *PARAGRAPHS], settings)
    assert labels(labelled, lead) == [("body", "kept")]
