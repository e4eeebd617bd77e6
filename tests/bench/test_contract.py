"""Contract truth (bench/contract.py): which spans of a true body the contract does not
count as article text. Every case is invented; none comes from the benchmark's pages."""

import doctest

import pytest

import contract


def test_doctests_pass():
    assert doctest.testmod(contract).failed == 0


@pytest.mark.parametrize(
    "line, family, why",
    [
        ("By Ada Poe", "credit", "byline"),
        ("By Ada Poe and Sam Roe, Harbour Press", "credit", "two names and an outlet"),
        ("Sam Roe, Harbour Press science correspondent", "credit", "name and role"),
        ("Contributing: Ada Poe", "credit", "contributor line"),
        ("Ada Poe contributed to this report.", "credit", "contributed to this report"),
        ("© Harbour Press", "credit", "agency copyright line"),
        ("(Reporting by Sam Roe; Editing by Ada Poe)", "reporting_credit", "wire credit"),
        ("Additional reporting by Ada Poe in Portville", "reporting_credit", "additional reporting"),
        ("Photo: Ada Poe/Harbour Press", "image_credit", "photo credit"),
        ("Main image credit: Harbour Press", "image_credit", "lead image credit"),
        ("Image courtesy of the Portville museum", "image_credit", "courtesy line"),
        ("(Getty Images)", "image_credit", "picture agency alone"),
        ("We may earn a commission when you buy through links on this page.", "affiliate_notice",
         "affiliate disclosure"),
        ("This post contains affiliate links.", "affiliate_notice", "affiliate links"),
        ("By the end of the week the harbour had reopened.", None, "a sentence opening with By"),
        ("The photo shows the ferry leaving at dawn.", None, "mentions a photo"),
        ("Editors at the paper said they would appeal.", None, "mentions editors"),
        ("Reporting the crash to the police took an hour.", None, "reporting, not 'reporting by'"),
        ("No self-respecting affiliate works for free, she said.", None, "affiliate, not a notice"),
        ("PORTVILLE (Agency) — The harbour reopened.", None, "a dateline line is not a whole-line family"),
        ("", None, "blank"),
    ],
)
def test_line_family(line, family, why):
    assert contract.line_family(line) == family, why


@pytest.mark.parametrize(
    "paragraph, rest, why",
    [
        ("PORTVILLE (Agency) — The harbour reopened on Tuesday after repairs.",
         "The harbour reopened on Tuesday after repairs.", "city and agency"),
        ("NEW PORTVILLE, Calif. (AP) — The harbour reopened on Tuesday after repairs.",
         "The harbour reopened on Tuesday after repairs.", "two-word city and region"),
        ("ST. ISLE, N.M. (AP) — The harbour reopened on Tuesday after repairs.",
         "The harbour reopened on Tuesday after repairs.", "dotted city and initials"),
        ("PORTVILLE, Aug 26 (Agency) - The harbour reopened on Tuesday after repairs.",
         "The harbour reopened on Tuesday after repairs.", "with a date"),
        ("PORTVILLE, August 26. /AGENCY/. The harbour reopened on Tuesday after repairs.",
         "The harbour reopened on Tuesday after repairs.", "slash agency"),
        ("PORTVILLE -- The harbour reopened on Tuesday after repairs.",
         "The harbour reopened on Tuesday after repairs.", "double hyphen"),
        ("PORTVILLE – The harbour reopened on Tuesday after repairs.",
         "The harbour reopened on Tuesday after repairs.", "en dash"),
        ("ACME – Portville clinic", "ACME – Portville clinic", "a heading: too short to be a sentence"),
        ("TK-Safe lets patients keep their records on their phone.",
         "TK-Safe lets patients keep their records on their phone.", "a hyphenated name is no dash"),
        ("WHO (World Health Organization) officials met on Monday in the city.",
         "WHO (World Health Organization) officials met on Monday in the city.",
         "a spelled-out name is not an agency"),
        ("A HUNTER was hurt on Sunday in the hills.", "A HUNTER was hurt on Sunday in the hills.",
         "capitals without a dash or agency"),
    ],
)
def test_dateline_end(paragraph, rest, why):
    assert paragraph[contract.dateline_end(paragraph):] == rest, why


def test_contract_truth_removes_lines_and_spans_and_says_which():
    truth = "\n".join([
        "PORTVILLE (Agency) — The harbour reopened on Tuesday after two weeks of repairs.",
        "Ferries will run every hour. (Photo: Ada Poe/Harbour Press)",
        "Photo: Ada Poe/Harbour Press",
        "(Reporting by Sam Roe; Editing by Ada Poe)",
    ])
    built = contract.build_contract_truth(truth)
    assert built.text == (
        "The harbour reopened on Tuesday after two weeks of repairs.\nFerries will run every hour."
    )
    assert [span.family for span in built.removed] == ["dateline", "image_credit", "image_credit", "reporting_credit"]


def test_a_dateline_only_opens_the_story():
    truth = "\n".join(["One.", "Two.", "Three.", "PORTVILLE (Agency) — The harbour reopened on Tuesday."])
    assert contract.build_contract_truth(truth).text == truth


def test_blank_lines_stay_and_text_is_untouched_when_nothing_matches():
    truth = "The harbour reopened.\n\nFerries will run every hour."
    built = contract.build_contract_truth(truth)
    assert (built.text, built.removed) == (truth, ())


@pytest.mark.parametrize(
    "truth, dateline, credit, expected, why",
    [
        ("Harbour desk\nThe harbour reopened on Tuesday.", None, "Harbour desk",
         "The harbour reopened on Tuesday.", "a credit of no known shape, moved to the column"),
        ("Portville, Isles: The harbour reopened on Tuesday after repairs.", "Portville, Isles:", None,
         "The harbour reopened on Tuesday after repairs.", "a dateline of no known shape, moved to the column"),
        ("The harbour reopened on Tuesday.\nHarbour desk", None, "Harbour office",
         "The harbour reopened on Tuesday.\nHarbour desk", "the column holds other words: nothing forgiven"),
        ("The harbour reopened on Tuesday after two weeks of repairs and a long dispute over who would pay for the new cranes.",
         None, "The harbour reopened on Tuesday after two weeks of repairs and a long dispute over who would pay for the new cranes.",
         "The harbour reopened on Tuesday after two weeks of repairs and a long dispute over who would pay for the new cranes.",
         "a whole paragraph moved to the credit column is still text lost"),
    ],
)
def test_columns_count_as_kept(truth, dateline, credit, expected, why):
    assert contract.build_contract_truth(truth, dateline, credit).text == expected, why


@pytest.mark.parametrize(
    "paragraph, dateline, credit, non_text, why",
    [
        ("PORTVILLE (Agency) —", None, None, True, "a dateline split off its sentence"),
        ("By Ada Poe", None, None, True, "a byline"),
        ("Harbour desk", None, "Harbour desk", True, "the credit column's text"),
        ("Harbour desk", None, None, False, "no shape, no column: judged as text"),
        ("PORTVILLE (Agency) — The harbour reopened on Tuesday.", None, None, False,
         "a dateline with its sentence is article text"),
        ("The harbour reopened on Tuesday.", None, None, False, "prose"),
    ],
)
def test_is_contract_non_text(paragraph, dateline, credit, non_text, why):
    assert contract.is_contract_non_text(paragraph, dateline, credit) is non_text, why
