"""Classify, metadata rules (`newsclean.stages.classify.metadata`): date lines and
credits, labelled `metadata` and parsed into the article's `published_at` and `credit`
columns, and the dateline split off the first body paragraph into `dateline`.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsclean.stages.classify import parse_date_line
from tests.stages.classify_helpers import B1, B2, B3, B4, case_params, check_case, classify, verdict_of, with_body
from tests.stages.council_story import TITLE

# --- one paragraph, one verdict -----------------------------------------------------------

CASES = [
    # -- metadata: a contributor credit at the end
    dict(paragraphs=with_body(TITLE, tail=("Herald reporters Ann Lee, Bo Park and Cy Diaz contributed to this report.",)),
         check="Herald reporters Ann Lee, Bo Park and Cy Diaz contributed to this report.",
         label="metadata", reason="credit", why="a contributor credit"),
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
    # -- negatives: sentences that start like a byline or hold a date stay body
    dict(paragraphs=with_body(TITLE, middle=(
        "By the time the final vote was called, only a handful of residents remained in the public gallery.",)),
         check="By the time the final vote was called, only a handful of residents remained in the public gallery.",
         label="body", reason="kept", why="'By the time' is not a byline"),
    dict(paragraphs=with_body(TITLE, "By Tuesday evening, more than 200 residents had signed up to speak."),
         check="By Tuesday evening, more than 200 residents had signed up to speak.",
         label="body", reason="kept", why="'By Tuesday' right under the title is not a byline"),
    dict(paragraphs=with_body(TITLE, middle=("The council will vote on the transit plan on October 7, 2015.",)),
         check="The council will vote on the transit plan on October 7, 2015.",
         label="body", reason="kept", why="a sentence with a date is not a date line"),
]


@pytest.mark.parametrize("case", case_params(CASES))
def test_paragraph_verdicts(case, settings):
    check_case(case, settings)


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
    pytest.param(
        "SPRINGFIELD, Ill. -- The governor signed the school funding bill on Monday after weeks of talks.",
        "SPRINGFIELD, Ill. --",
        "The governor signed the school funding bill on Monday after weeks of talks.",
        "an older page's CITY, St. -- (two hyphens for a dash)", id="state-double-hyphen",
    ),
    pytest.param(
        "ALBANY, N.Y. -- State lawmakers passed the budget late on Thursday night, a week past the deadline.",
        "ALBANY, N.Y. --",
        "State lawmakers passed the budget late on Thursday night, a week past the deadline.",
        "CITY, N.Y. --", id="state-initials-double-hyphen",
    ),
    pytest.param(
        "DENVER, Nov. 18 - A storm dumped two feet of snow on the city overnight and closed the airport.",
        "DENVER, Nov. 18 -",
        "A storm dumped two feet of snow on the city overnight and closed the airport.",
        "CITY, Mon. D - (the date in the dateline)", id="date-hyphen",
    ),
]


@pytest.mark.parametrize("first, dateline, sentence, why", DATELINE_CASES)
def test_dateline_is_split_off_the_first_body_paragraph(first, dateline, sentence, why, settings):
    paragraphs = ["Council budget talks end", "By Jane Doe", first, B2, B3, B4]
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
        ("NASA -- the space agency that runs the station -- said on Monday that the launch was delayed.",
         "an acronym and an aside in dashes: the sentence goes on in lower case"),
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
