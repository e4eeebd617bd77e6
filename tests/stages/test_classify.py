"""Classify: every paragraph gets a label and the name of the rule that decided it.

Cases are small articles: a title, real-looking body paragraphs and the one paragraph a
case is about. Each case says which paragraph to look at, what it must be labelled, by
which rule, and why.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone

import pytest

from newsclean.stages.classify import classify_article, classify_shard, is_code_blob, parse_date_line
from newsclean.stages.ingest import make_document
from newsclean.stages.records import Document, Paragraph, Shard
from newsclean.stages.segment import paragraph_spans
from tests.stages.council_story import PARAGRAPHS, TITLE

B1, B2, B3, B4 = PARAGRAPHS
BODY = [B1, B2, B3, B4]


def with_body(*head: str, middle: tuple[str, ...] = (), tail: tuple[str, ...] = ()) -> list[str]:
    """An article: `head` paragraphs, the body with `middle` after its second paragraph, `tail`."""
    return [*head, B1, B2, *middle, B3, B4, *tail]


def classify(paragraphs: list[str], settings, title: str | None = None, published: str | None = None):
    """Run classify on an article made of these paragraphs; (document, labelled paragraphs, text)."""
    text = "\n\n".join(paragraphs)
    doc = dataclasses.replace(
        make_document("riverside/council.txt", "text", text.encode()),
        raw=None, text=text, title=title, published_hint=published,
    )
    spans = paragraph_spans(text, settings.segment)
    paras = [Paragraph(doc.article_id, i, text[a:b], a, b) for i, (a, b) in enumerate(spans)]
    assert [p.text for p in paras] == paragraphs, "the case's paragraphs segment as written"
    new_doc, labelled = classify_article(doc, paras, settings.classify, settings.offtopic, settings.language)
    return new_doc, labelled, text


def verdict_of(labelled: list[Paragraph], text: str) -> tuple[str, str]:
    found = [(p.label, p.reason) for p in labelled if p.text == text]
    assert len(found) == 1, f"expected one paragraph {text!r}, got {found}"
    return found[0]


# --- one paragraph, one verdict -----------------------------------------------------------

CASES = [
    # -- widgets, prompts and notices
    dict(paragraphs=with_body(TITLE, "Share"), check="Share",
         label="boilerplate", reason="share_widget", why="share button text"),
    dict(paragraphs=with_body(TITLE, "Share this article", "Tweet"), check="Tweet",
         label="boilerplate", reason="share_widget", why="a row of share buttons"),
    dict(paragraphs=with_body(TITLE, "Follow us on:"), check="Follow us on:",
         label="boilerplate", reason="share_widget", why="follow prompt, trailing colon"),
    dict(paragraphs=with_body(TITLE, middle=("Advertisement",)), check="Advertisement",
         label="boilerplate", reason="ad_marker", why="ad slot label inside the body"),
    dict(paragraphs=with_body(TITLE, middle=("ADVERTISEMENT",)), check="ADVERTISEMENT",
         label="boilerplate", reason="ad_marker", why="phrases are matched case-insensitively"),
    dict(paragraphs=with_body(TITLE, middle=("Story continues below advertisement",)),
         check="Story continues below advertisement",
         label="boilerplate", reason="ad_marker", why="ad slot sentence"),
    dict(paragraphs=with_body(TITLE, middle=("Sign up for our daily newsletter",)),
         check="Sign up for our daily newsletter",
         label="boilerplate", reason="newsletter_prompt", why="newsletter prompt"),
    dict(paragraphs=with_body(TITLE, middle=("Get the Riverside Herald morning briefing delivered to your inbox.",)),
         check="Get the Riverside Herald morning briefing delivered to your inbox.",
         label="boilerplate", reason="newsletter_prompt", why="briefing prompt"),
    dict(paragraphs=with_body(TITLE, "By Jane Doe", "12 Comments"), check="12 Comments",
         label="boilerplate", reason="comment_prompt", why="comment counter under the byline"),
    dict(paragraphs=with_body(TITLE, tail=("12 Comments", "Finally some good news for the east side branch. Thank you Denise!")),
         check="12 Comments",
         label="boilerplate", reason="comment_thread", why="comment counter opening the comment thread"),
    dict(paragraphs=with_body(TITLE, tail=("12 Comments", "Finally some good news for the east side branch. Thank you Denise!")),
         check="Finally some good news for the east side branch. Thank you Denise!",
         label="boilerplate", reason="comment_thread", why="a reader comment after the comment header"),
    dict(paragraphs=with_body(TITLE, tail=("Leave a comment",)), check="Leave a comment",
         label="boilerplate", reason="comment_prompt", why="comment prompt"),
    dict(paragraphs=with_body(TITLE, tail=("We use cookies to give you the best experience on our website.",)),
         check="We use cookies to give you the best experience on our website.",
         label="boilerplate", reason="cookie_notice", why="cookie banner"),
    dict(paragraphs=with_body(TITLE, tail=("By continuing to use this site you agree to our cookie policy.",)),
         check="By continuing to use this site you agree to our cookie policy.",
         label="boilerplate", reason="cookie_notice", why="cookie consent, though it starts with 'By'"),
    dict(paragraphs=with_body(TITLE, tail=("© 2023 Riverside Herald Media Group",)),
         check="© 2023 Riverside Herald Media Group",
         label="boilerplate", reason="copyright_notice", why="copyright line"),
    dict(paragraphs=with_body(TITLE, tail=("Copyright 2023 The Associated Press. All rights reserved.",)),
         check="Copyright 2023 The Associated Press. All rights reserved.",
         label="boilerplate", reason="copyright_notice", why="wire copyright line"),
    dict(paragraphs=with_body(TITLE, "4 min read"), check="4 min read",
         label="boilerplate", reason="reading_widget", why="reading-time widget"),
    # -- links, labels and teaser blocks
    dict(paragraphs=with_body("https://riversideherald.example/news/council-budget", TITLE),
         check="https://riversideherald.example/news/council-budget",
         label="boilerplate", reason="url_line", why="the page's own address pasted above the story"),
    dict(paragraphs=with_body(TITLE, middle=("https://cdn.riversideherald.example/img/council-vote.jpg",)),
         check="https://cdn.riversideherald.example/img/council-vote.jpg",
         label="boilerplate", reason="url_line", why="a bare image link inside the story"),
    dict(paragraphs=with_body(TITLE, middle=("-",)), check="-",
         label="boilerplate", reason="no_words", why="a separator with no word"),
    dict(paragraphs=with_body("Politics", TITLE), check="Politics",
         label="boilerplate", reason="section_label", why="a one-word section label above the story"),
    dict(paragraphs=with_body(TITLE, tail=("More from Riverside", "Mayor names new parks director after long search",
                                           "School board delays vote on later start times")),
         check="School board delays vote on later start times",
         label="boilerplate", reason="related_stories", why="a teaser under a related-stories header"),
    dict(paragraphs=with_body(TITLE, tail=("Most read in local news",)), check="Most read in local news",
         label="boilerplate", reason="related_stories", why="a related-stories header on its own"),
    dict(paragraphs=with_body(TITLE, tail=("Mayor Names New Parks Director After a Long National Search",
                                           "School Board Delays Its Vote on Later Start Times for Teens",
                                           "Riverside Library Card Sign-Ups Hit a Record High This Summer")),
         check="School Board Delays Its Vote on Later Start Times for Teens",
         label="boilerplate", reason="trailing_headline", why="a run of Title Case headlines after the story"),
    dict(paragraphs=with_body(TITLE, middle=("'COUNCIL MEMBER SAYS LIBRARY CUTS WOULD HURT THE EAST SIDE FAMILIES'",)),
         check="'COUNCIL MEMBER SAYS LIBRARY CUTS WOULD HURT THE EAST SIDE FAMILIES'",
         label="boilerplate", reason="allcaps_teaser", why="a teaser link set in capitals"),
    dict(paragraphs=with_body(TITLE, tail=("Mayor names new parks director",
                                           "The mayor on Friday named a longtime county official to lead the parks...",
                                           "School board delays start-time vote",
                                           "Board members said they needed more time to study the bus schedule and...")),
         check="The mayor on Friday named a longtime county official to lead the parks...",
         label="boilerplate", reason="teaser_excerpt", why="headlines with cut-off excerpts: a listing"),
    dict(paragraphs=with_body(TITLE, tail=("Follow our full coverage of the budget at riversideherald.example/budget",)),
         check="Follow our full coverage of the budget at riversideherald.example/budget",
         label="boilerplate", reason="social_prompt", why="a coverage prompt"),
    dict(paragraphs=with_body(TITLE, tail=("Herald reporters Ann Lee, Bo Park and Cy Diaz contributed to this report.",)),
         check="Herald reporters Ann Lee, Bo Park and Cy Diaz contributed to this report.",
         label="metadata", reason="credit", why="a contributor credit"),
    # -- captions
    dict(paragraphs=with_body(TITLE, "File photo of council president Denise Carter at City Hall [Xinhua]"),
         check="File photo of council president Denise Carter at City Hall [Xinhua]",
         label="boilerplate", reason="caption", why="file photo caption with agency tag"),
    dict(paragraphs=with_body(TITLE, "Photo: John Smith/AP"), check="Photo: John Smith/AP",
         label="boilerplate", reason="caption", why="photo credit line"),
    dict(paragraphs=with_body(TITLE, middle=("Council members listen to residents during Tuesday’s meeting. (Photo by Ana Ruiz)",)),
         check="Council members listen to residents during Tuesday’s meeting. (Photo by Ana Ruiz)",
         label="boilerplate", reason="caption", why="caption with a trailing photo credit"),
    # -- code blobs
    dict(paragraphs=with_body(TITLE, '{"id": "1854790", "sort": "3612352", "type": "gallery", "items": [1, 2, 3]}'),
         check='{"id": "1854790", "sort": "3612352", "type": "gallery", "items": [1, 2, 3]}',
         label="boilerplate", reason="code_blob", why="JSON left in the text"),
    dict(paragraphs=with_body(TITLE, 'string(1126) "[{\\"id\\":\\"1854790\\",\\"sort\\":\\"3612352\\"}]"'),
         check='string(1126) "[{\\"id\\":\\"1854790\\",\\"sort\\":\\"3612352\\"}]"',
         label="boilerplate", reason="code_blob", why="PHP var_dump output"),
    dict(paragraphs=with_body(TITLE, middle=('var utag_data = {"page_type": "article", "section": "news", "author": "lopez"};',)),
         check='var utag_data = {"page_type": "article", "section": "news", "author": "lopez"};',
         label="boilerplate", reason="code_blob", why="JavaScript tracking object"),
    dict(paragraphs=with_body(TITLE, tail=(".article-body { font-size: 18px; line-height: 1.6; color: #222; }",)),
         check=".article-body { font-size: 18px; line-height: 1.6; color: #222; }",
         label="boilerplate", reason="code_blob", why="CSS rule"),
    # -- related headline lists
    dict(paragraphs=["- Mayor names new police chief", "- Library hours to be restored",
                     "- Bridge closure extended to July", *with_body(TITLE)],
         check="- Library hours to be restored",
         label="boilerplate", reason="related_headline_list", why="headline bullets above the story"),
    dict(paragraphs=["• Mayor names new police chief after national search", "• Bridge closure extended to July",
                     *with_body(TITLE)],
         check="• Mayor names new police chief after national search",
         label="boilerplate", reason="related_headline_list", why="round bullets work too"),
    dict(paragraphs=["Related", "Mayor names new police chief after national search",
                     "Bridge closure extended to July", *with_body(TITLE)],
         check="Bridge closure extended to July",
         label="boilerplate", reason="related_stories", why="teasers under a 'Related' header"),
    dict(paragraphs=with_body(TITLE, middle=("The amendment would have funded:", "- longer opening hours at six branches",
                                             "- two new bookmobiles for the east side", "- a summer reading programme")),
         check="- two new bookmobiles for the east side",
         label="body", reason="kept", why="a bullet list in the middle of the story is part of it"),
    # -- metadata: dates
    dict(paragraphs=with_body(TITLE, "October 7, 2015, 5:08 am"), check="October 7, 2015, 5:08 am",
         label="metadata", reason="date_line", why="date line under the title"),
    dict(paragraphs=with_body(TITLE, "Updated 1:39 am EST, Wednesday, November 20, 2019"),
         check="Updated 1:39 am EST, Wednesday, November 20, 2019",
         label="metadata", reason="date_line", why="'Updated' prefix and a time zone"),
    dict(paragraphs=with_body(TITLE, "Sat Aug 27, 2016 08:57:09"), check="Sat Aug 27, 2016 08:57:09",
         label="metadata", reason="date_line", why="abbreviated day and month"),
    dict(paragraphs=with_body(TITLE, tail=("Published: 14.06.2023",)), check="Published: 14.06.2023",
         label="metadata", reason="date_line", why="numeric date at the end"),
    # -- metadata: credits
    dict(paragraphs=with_body(TITLE, "By Jane Doe"), check="By Jane Doe",
         label="metadata", reason="credit", why="byline"),
    dict(paragraphs=with_body(TITLE, "By Jane Doe and Sam Holmes, Riverside Herald"),
         check="By Jane Doe and Sam Holmes, Riverside Herald",
         label="metadata", reason="credit", why="two authors and the paper"),
    dict(paragraphs=with_body(TITLE, tail=("TBP and Agencies",)), check="TBP and Agencies",
         label="metadata", reason="credit", why="agency credit"),
    dict(paragraphs=with_body(TITLE, "Tom Krisher, AP Auto Writer"), check="Tom Krisher, AP Auto Writer",
         label="metadata", reason="credit", why="AP byline with beat"),
    dict(paragraphs=with_body(TITLE, tail=("(Reporting by Maria Lopez; Editing by Sam Holmes)",)),
         check="(Reporting by Maria Lopez; Editing by Sam Holmes)",
         label="metadata", reason="credit", why="Reuters credit line"),
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
    # -- trailing headline links
    dict(paragraphs=with_body(TITLE, tail=("Mayor names new police chief after national search",)),
         check="Mayor names new police chief after national search",
         label="boilerplate", reason="trailing_headline", why="link to another story after the body"),
    dict(paragraphs=with_body(TITLE, tail=("Mayor Names New Police Chief After National Search",
                                           "Bridge Closure Extended Until July")),
         check="Mayor Names New Police Chief After National Search",
         label="boilerplate", reason="trailing_headline", why="a run of trailing links in Title Case"),
    dict(paragraphs=with_body(TITLE, tail=("How to comment on the budget plan", "Email the city clerk before Friday")),
         check="How to comment on the budget plan",
         label="body", reason="kept", why="a sentence-case run at the end is the article's own list"),
    # -- negatives: these are the story and stay body
    dict(paragraphs=with_body(TITLE, middle=(
        "Residents who subscribe to the city’s emergency text alerts will now also get notices about road "
        "closures, water main breaks and changes to rubbish collection days, the council said in a statement "
        "on Wednesday.",)),
        check="Residents who subscribe to the city’s emergency text alerts will now also get notices about road "
        "closures, water main breaks and changes to rubbish collection days, the council said in a statement "
        "on Wednesday.",
        label="body", reason="kept", why="a long sentence that mentions subscribing"),
    dict(paragraphs=with_body(TITLE, middle=(
        "The city’s website, which uses cookies to track visitors, was redesigned last year at a cost of "
        "$2 million, according to budget documents.",)),
        check="The city’s website, which uses cookies to track visitors, was redesigned last year at a cost of "
        "$2 million, according to budget documents.",
        label="body", reason="kept", why="a sentence about cookies"),
    dict(paragraphs=with_body(TITLE, middle=(
        "Carter said the city would share the cost of the new bus shelters with the regional transit "
        "authority, which has agreed to pay for maintenance.",)),
        check="Carter said the city would share the cost of the new bus shelters with the regional transit "
        "authority, which has agreed to pay for maintenance.",
        label="body", reason="kept", why="'share' as a verb in a sentence"),
    dict(paragraphs=with_body(TITLE, middle=("Share prices of the city’s bond insurer rose 3% on Wednesday.",)),
         check="Share prices of the city’s bond insurer rose 3% on Wednesday.",
         label="body", reason="kept", why="starts with 'Share' but is a sentence"),
    dict(paragraphs=with_body(TITLE, middle=(
        "By the time the final vote was called, only a handful of residents remained in the public gallery.",)),
         check="By the time the final vote was called, only a handful of residents remained in the public gallery.",
         label="body", reason="kept", why="'By the time' is not a byline"),
    dict(paragraphs=with_body(TITLE, "By Tuesday evening, more than 200 residents had signed up to speak."),
         check="By Tuesday evening, more than 200 residents had signed up to speak.",
         label="body", reason="kept", why="'By Tuesday' right under the title is not a byline"),
    dict(paragraphs=with_body(TITLE, middle=("Photo enforcement cameras will be installed at 12 intersections next year.",)),
         check="Photo enforcement cameras will be installed at 12 intersections next year.",
         label="body", reason="kept", why="starts with 'Photo' but is not a caption"),
    dict(paragraphs=with_body(TITLE, middle=("The council will vote on the transit plan on October 7, 2015.",)),
         check="The council will vote on the transit plan on October 7, 2015.",
         label="body", reason="kept", why="a sentence with a date is not a date line"),
    dict(paragraphs=with_body(TITLE, tail=("The budget takes effect on July 1.",)),
         check="The budget takes effect on July 1.",
         label="body", reason="kept", why="a short last paragraph ending with a period"),
    dict(paragraphs=with_body(TITLE, tail=("“We will be back next year,” Ruiz said.",)),
         check="“We will be back next year,” Ruiz said.",
         label="body", reason="kept", why="a short closing quote"),
    dict(paragraphs=with_body(TITLE, tail=("“We will be back next year to fight for every branch”",)),
         check="“We will be back next year to fight for every branch”",
         label="body", reason="kept", why="a last quote ending with a closing quote mark"),
    dict(paragraphs=with_body(TITLE, middle=("He said: \"we will [not] stop\" and left the chamber.",)),
         check="He said: \"we will [not] stop\" and left the chamber.",
         label="body", reason="kept", why="brackets and quotes in prose are not code"),
]

# Ordinary news sentences that mention a boilerplate word: they must stay body.
FALSE_POSITIVES = [
    dict(paragraphs=with_body(TITLE, middle=(
        "Residents who subscribe to the city’s emergency text alerts will now get notices about road "
        "closures as well, the council said in a statement on Wednesday.",)),
        check="Residents who subscribe to the city’s emergency text alerts will now get notices about road "
        "closures as well, the council said in a statement on Wednesday.",
        label="body", reason="kept", why="a 25-word sentence about subscribing to alerts (newsletter_prompt)"),
    dict(paragraphs=with_body(TITLE, middle=(
        "The Herald loses about 4,000 newspaper subscribers per month, a local media analyst told the council.",)),
        check="The Herald loses about 4,000 newspaper subscribers per month, a local media analyst told the council.",
        label="body", reason="kept", why="a sentence about subscribers (subscription_prompt)"),
    dict(paragraphs=with_body(TITLE, middle=(
        "The regulator fined the retailer €2 million over its cookie consent banner, which it said nudged "
        "shoppers to accept all cookies.",)),
        check="The regulator fined the retailer €2 million over its cookie consent banner, which it said nudged "
        "shoppers to accept all cookies.",
        label="body", reason="kept", why="a news sentence about cookie banners (cookie_notice)"),
    dict(paragraphs=with_body(TITLE, tail=("Central Library Branch, Main Street, Riverside",
                                           "East Side Library Branch, Ortega Avenue, Riverside",
                                           "Hillcrest Library Branch, Carter Road, Riverside")),
         check="East Side Library Branch, Ortega Avenue, Riverside",
         label="body", reason="kept", why="a closing list of names and places is the article's own list"),
    dict(paragraphs=with_body(TITLE, middle=("The treasurer paused and said the reserve was, in her words, thin…",)),
         check="The treasurer paused and said the reserve was, in her words, thin…",
         label="body", reason="kept", why="one paragraph ending in an ellipsis is prose, not a listing"),
    dict(paragraphs=with_body(TITLE, middle=("Copyright lawyers said the ruling would affect thousands of songwriters.",)),
         check="Copyright lawyers said the ruling would affect thousands of songwriters.",
         label="body", reason="kept", why="a sentence starting with 'Copyright' (copyright_notice)"),
]


def case_id(case: dict) -> str:
    return case["why"]


ALL_CASES = [pytest.param(c, id=case_id(c)) for c in CASES + FALSE_POSITIVES]


@pytest.mark.parametrize("case", ALL_CASES)
def test_paragraph_verdicts(case, settings):
    _, labelled, text = classify(case["paragraphs"], settings)
    if case.get("check") is not None:
        verdict = verdict_of(labelled, case["check"])
    else:
        wanted, nth = case["nth"]
        verdict = [(p.label, p.reason) for p in labelled if p.text == wanted][nth]
    assert verdict == (case["label"], case["reason"]), case["why"]
    body = [p.text for p in labelled if p.label == "body"]
    assert set(BODY) <= set(body), "the story itself is never removed"


def test_every_paragraph_gets_a_label_and_a_reason(settings):
    paragraphs = with_body("Share", TITLE, "By Jane Doe", "October 7, 2015, 5:08 am",
                           middle=("Advertisement",), tail=("12 Comments", "© 2023 Riverside Herald"))
    _, labelled, _ = classify(paragraphs, settings)
    assert all(p.label and p.reason for p in labelled)
    assert {p.label for p in labelled} <= {"body", "title", "metadata", "boilerplate", "duplicate", "offtopic"}


# --- parsed article columns ----------------------------------------------------------------

DATE_CASES = [
    # (date line, expected UTC moment, why)
    ("October 7, 2015, 5:08 am", datetime(2015, 10, 7, 5, 8, tzinfo=timezone.utc), "naive time is UTC"),
    ("Updated 1:39 am EST, Wednesday, November 20, 2019", datetime(2019, 11, 20, 6, 39, tzinfo=timezone.utc),
     "EST is UTC-5"),
    ("Sat Aug 27, 2016 08:57:09", datetime(2016, 8, 27, 8, 57, 9, tzinfo=timezone.utc), "seconds kept"),
    ("Published 10:15 MSK, March 3, 2018", datetime(2018, 3, 3, 7, 15, tzinfo=timezone.utc), "Moscow time"),
]


@pytest.mark.parametrize("line, expected, why", DATE_CASES, ids=[c[0] for c in DATE_CASES])
def test_date_line_sets_published_at(line, expected, why, settings):
    doc, labelled, _ = classify(with_body(TITLE, line), settings)
    assert verdict_of(labelled, line) == ("metadata", "date_line")
    assert doc.published_at == expected, why


@pytest.mark.parametrize(
    "text",
    ["Talks resumed in 2016 after a pause", "The council met on October 7, 2015 to vote.", "Budget 2024"],
)
def test_sentences_with_dates_are_not_date_lines(text, settings):
    assert parse_date_line(text, settings.classify.rules) is None


def test_published_hint_is_used_when_the_text_has_no_date_line(settings):
    doc, _, _ = classify(with_body(TITLE), settings, published="2023-06-14T22:45:00+02:00")
    assert doc.published_at == datetime(2023, 6, 14, 20, 45, tzinfo=timezone.utc)


def test_credit_and_title_columns(settings):
    doc, _, _ = classify(with_body(TITLE, "By Jane Doe", tail=("TBP and Agencies",)), settings)
    assert doc.title == TITLE
    assert doc.credit == "By Jane Doe", "the first credit line is the article's credit"


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


# --- datelines -----------------------------------------------------------------------------

DATELINE_CASES = [
    # (first body paragraph, dateline, sentence, why)
    pytest.param(
        "MOSCOW, August 26. /TASS/. Deputy Defense Minister Anatoly Antonov invited US officials to talks "
        "on coordinating flights over Syria.",
        "MOSCOW, August 26. /TASS/.",
        "Deputy Defense Minister Anatoly Antonov invited US officials to talks on coordinating flights over Syria.",
        "TASS style: CITY, Date. /AGENCY/.", id="tass",
    ),
    pytest.param(
        "WASHINGTON (Reuters) - The Federal Reserve held interest rates steady on Wednesday but signaled it "
        "could cut them later this year.",
        "WASHINGTON (Reuters) -",
        "The Federal Reserve held interest rates steady on Wednesday but signaled it could cut them later this year.",
        "Reuters style: CITY (AGENCY) -", id="reuters",
    ),
    pytest.param(
        "LONDON — Britain’s inflation rate fell to its lowest level in two years in May, official figures "
        "showed on Wednesday.",
        "LONDON —",
        "Britain’s inflation rate fell to its lowest level in two years in May, official figures showed on Wednesday.",
        "CITY — with an em dash", id="em-dash",
    ),
    pytest.param(
        "DETROIT (AP) — General Motors will cut 1,300 jobs at its Fairfax assembly plant in Kansas, the company said.",
        "DETROIT (AP) —",
        "General Motors will cut 1,300 jobs at its Fairfax assembly plant in Kansas, the company said.",
        "AP style: CITY (AP) —", id="ap",
    ),
    pytest.param(
        "RIVERSIDE, Calif. (AP) — The Riverside city council approved a $4.2 billion budget on Tuesday.",
        "RIVERSIDE, Calif. (AP) —",
        "The Riverside city council approved a $4.2 billion budget on Tuesday.",
        "AP style: CITY, State abbreviation (AP) —", id="ap-state-abbreviation",
    ),
]


@pytest.mark.parametrize("first, dateline, sentence, why", DATELINE_CASES)
def test_dateline_is_split_off_the_first_body_paragraph(first, dateline, sentence, why, settings):
    paragraphs = ["Agencies report on the talks", "By Jane Doe", first, B2, B3, B4]
    doc, labelled, text = classify(paragraphs, settings)
    assert doc.dateline == dateline, why
    rows = [(p.text, p.label, p.reason) for p in labelled]
    assert rows[2] == (dateline, "metadata", "dateline"), why
    assert rows[3] == (sentence, "body", "kept"), "the sentence stays body, without the dateline"
    assert [p.position for p in labelled] == list(range(len(paragraphs) + 1)), "positions 0..n-1, no gaps"
    for p in labelled:
        assert text[p.char_start : p.char_end] == p.text, "offsets still point at the text"


@pytest.mark.parametrize(
    "first, why",
    [
        ("NATO said on Wednesday it would send more troops to the alliance’s eastern flank this year.",
         "an acronym starting a sentence"),
        (B1, "an ordinary first paragraph"),
    ],
)
def test_no_dateline_in_ordinary_first_paragraphs(first, why, settings):
    doc, labelled, _ = classify([TITLE, first, B2, B3, B4], settings)
    assert doc.dateline is None, why
    assert verdict_of(labelled, first) == ("body", "kept"), why


def test_only_the_first_body_paragraph_can_have_a_dateline(settings):
    later = "LONDON — Britain’s inflation rate fell to its lowest level in two years in May, officials said."
    doc, labelled, _ = classify([TITLE, B1, later, B3, B4], settings)
    assert doc.dateline is None
    assert verdict_of(labelled, later) == ("body", "kept")


# --- code blobs ----------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, expected",
    [
        ('string(1126) "[{\\"id\\":\\"1854790\\",\\"sort\\":\\"3612352\\"}]"', True),
        ('[{"id":1,"title":"Budget"},{"id":2,"title":"Library"},{"id":3,"title":"Police"}]', True),
        ('if (window.innerWidth < 768) { loadAds("mobile"); } else { loadAds("desktop"); }', True),
        ("He said: \"we will [not] stop\" and left.", False),
        ("The vote was 9-4; the budget is $4.2bn (up 3%) and takes effect on July 1.", False),
        ('{"a": 1}', False),  # shorter than blob_min_chars
    ],
)
def test_is_code_blob(text, expected, settings):
    assert is_code_blob(text, settings.classify) is expected


# --- the shard ---------------------------------------------------------------------------

def test_classify_shard_labels_every_document_and_keeps_rejects(settings):
    docs, paras = [], []
    for name, paragraphs in (("a.txt", with_body(TITLE, "Share")), ("b.txt", BODY)):
        text = "\n\n".join(paragraphs)
        doc = dataclasses.replace(make_document(name, "text", text.encode()), raw=None, text=text)
        docs.append(doc)
        for i, (s, e) in enumerate(paragraph_spans(text, settings.segment)):
            paras.append(Paragraph(doc.article_id, i, text[s:e], s, e))
    earlier = ()
    shard = classify_shard(Shard(0, tuple(docs), tuple(paras), earlier), settings.classify, settings.offtopic,
                           settings.language)
    assert [d.source_path for d in shard.documents] == ["a.txt", "b.txt"]
    assert len(shard.paragraphs) == len(paras)
    assert all(p.label for p in shard.paragraphs)
    assert shard.documents[0].title == TITLE and shard.documents[1].title is None


def test_a_document_that_crashes_classify_becomes_a_stage_error(settings):
    doc = dataclasses.replace(make_document("a.txt", "text", b"x"), raw=None, text="x", title=42)  # type: ignore[arg-type]
    para = Paragraph(doc.article_id, 0, "Council approves budget", 0, 23)
    shard = classify_shard(Shard(0, (doc,), (para,)), settings.classify, settings.offtopic, settings.language)
    assert shard.documents == () and shard.paragraphs == ()
    assert [(r.reason, r.stage) for r in shard.rejects] == [("stage_error", "classify")]


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
