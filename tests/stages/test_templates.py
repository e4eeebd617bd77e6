"""Site templates: the line keys, the per-shard rows, the counting by distinct article, and
the classify rule with its guards (on-topic prose the site shares, an article's last
open paragraphs). Invented text throughout."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from newsclean.stages.classify import classify_article
from newsclean.stages.ingest import make_document
from newsclean.stages.records import Document, Paragraph, Shard
from newsclean.stages.segment import paragraph_spans
from newsclean.stages.templates import (
    doc_of, lead_key, line_key, normalise_line, shard_lines, site_of, template_set,
)
from newsclean.templatestore import RunLines

# (line a page prints, the same line as another page prints it, why they are one line)
SAME_LINE = [
    ("You have 3 free articles left this month", "you have 12 free articles LEFT this month!", "counter, case, mark"),
    ("© 2019 Valley Lantern. All rights kept.", "© 2024 Valley Lantern - all rights kept", "year and punctuation"),
    ("Hear the  Lantern podcast", "Hear the Lantern podcast.", "spaces and a full stop"),
]
# (two lines that must stay apart, why)
OTHER_LINE = [
    ("Police said 3 people were hurt when the bus left the road near the bridge on Monday.",
     "Police said 7 people were hurt when the bus left the road near the bridge on Monday.",
     "in a long line the figures are the news"),
    ("Hear the Lantern podcast", "Hear the Lantern radio", "another word"),
]


@pytest.mark.parametrize("one, other, why", SAME_LINE)
def test_near_verbatim_lines_share_a_key(one, other, why):
    assert line_key(one) == line_key(other), why


@pytest.mark.parametrize("one, other, why", OTHER_LINE)
def test_different_lines_do_not(one, other, why):
    assert line_key(one) != line_key(other), why


def test_a_site_is_the_host_else_the_top_folder():
    assert site_of("https://news.lantern.example/2024/story", "x.txt") == "news.lantern.example"
    assert site_of(None, "lantern/2024/story.txt") == site_of("", "lantern/other.txt") == "lantern"
    assert doc_of("https://a.example/1", "x.txt") == doc_of("https://a.example/1", "y.txt")


def _shard(pages: dict[str, list[str]]) -> Shard:
    docs, paras = [], []
    for n, (path, lines) in enumerate(pages.items()):
        docs.append(Document(f"id{n}", path, "text", str(n)))
        paras += [Paragraph(f"id{n}", i, t, 0, len(t)) for i, t in enumerate(lines)]
    return Shard(0, tuple(docs), tuple(paras))


def test_each_line_counts_once_per_article():
    shard = _shard({"lantern/a.txt": ["Hear the Lantern podcast", "A story.", "hear the lantern podcast!", "***"],
                    "lantern/b.txt": ["Hear the Lantern podcast"]})
    rows = shard_lines(shard)
    podcast = line_key("Hear the Lantern podcast")
    assert sorted((s, a) for s, k, a in rows if k == podcast) == sorted(
        [("lantern", doc_of(None, "lantern/a.txt")), ("lantern", doc_of(None, "lantern/b.txt"))])
    assert len(rows) == 3  # the separator has no key


def test_a_runs_lines_are_counted_by_distinct_article():
    key, other = line_key("Hear the Lantern podcast"), line_key("Share this story")
    # rows as segment lists them: article 2 twice (a line repeated on one page)
    run = RunLines(np.array([7, 7, 7, 7]), np.array([key, key, key, other]), np.array([5, 2, 2, 5]))
    first, second = run.index(7, key), run.index(7, other)
    assert run.run_count[first] == 2 and run.run_count[second] == 1
    assert run.docs(first) == [5, 2]  # in the order first seen: the history records them so
    assert run.index(8, key) is None and run.index(7, key + 1) is None


def test_template_set_takes_lines_on_enough_articles():
    site, key = "lantern", line_key("Hear the Lantern podcast")
    counts = {(site, key): 5}
    assert template_set(counts, 5).of_site(site) == {key}
    assert template_set(counts, 6).of_site(site) == frozenset()
    assert template_set(counts, 5).of_site("other") == frozenset()


# ------------------------------------------------------------------ the classify rule

TITLE = "Ferry crews walk out over night shifts"
STORY = [
    "The harbour ferry operator cancelled every crossing on Tuesday after crews refused to work a new "
    "pattern of night shifts.",
    "Commuters waited for hours at the terminal before a replacement bus service began running across "
    "the northern bridge.",
    "The operator said talks with the union would resume on Thursday and that it hoped to restore a "
    "reduced timetable by the weekend.",
]
PROMO = "Gift a year of the Valley Lantern to someone who loves the coast"
PROMO_SENTENCE = "Our reporters follow the Lantern editorial charter, which every reader can find in full on our site."
# on-topic prose a site repeats on every story of a series (the background of a dispute)
BACKGROUND = "The ferry crews have refused the new night shifts since the operator changed the pattern of crossings in May."


def classify(paragraphs: list[str], settings, templates: set[str], title: str | None = TITLE,
             teasers: frozenset[str] = frozenset()):
    text = "\n\n".join(paragraphs)
    doc = dataclasses.replace(make_document("lantern/ferry.txt", "text", text.encode()), raw=None, text=text,
                              title=title)
    spans = paragraph_spans(text, settings.segment)
    paras = [Paragraph(doc.article_id, i, text[a:b], a, b) for i, (a, b) in enumerate(spans)]
    keys = frozenset(line_key(t) for t in templates)
    _, labelled = classify_article(doc, paras, settings.classify, settings.offtopic, settings.language, keys,
                                   frozenset(line_key(t) for t in teasers))
    return {p.text: (p.label, p.reason) for p in labelled}


def test_a_template_line_of_the_site_is_boilerplate(settings):
    labels = classify([PROMO, *STORY, PROMO_SENTENCE], settings, {PROMO.upper(), PROMO_SENTENCE})
    assert labels[PROMO] == ("boilerplate", "site_template")
    assert labels[PROMO_SENTENCE] == ("boilerplate", "site_template"), "prose, but not about the story"
    assert all(labels[p] == ("body", "kept") for p in STORY)


def test_without_the_site_counts_the_same_lines_stay(settings):
    labels = classify([PROMO, *STORY], settings, set())
    assert labels[PROMO][1] != "site_template"


def test_on_topic_prose_the_site_shares_stays_body(settings):
    labels = classify([*STORY[:2], BACKGROUND, STORY[2]], settings, {BACKGROUND})
    assert labels[BACKGROUND] == ("body", "shared_prose_kept")


def test_the_rule_never_takes_an_articles_last_open_paragraphs(settings):
    mill = "Printed on recycled paper at our press in the old mill"
    labels = classify([PROMO, mill], settings, {PROMO, mill})
    assert labels == {PROMO: ("body", "only_body_kept"), mill: ("body", "only_body_kept")}


def test_a_short_template_line_alone_among_the_story_is_left_to_the_other_rules(settings):
    # a one-word subhead many of the site's stories share, between two paragraphs of this one
    labels = classify([*STORY[:2], "Reaction", STORY[2]], settings, {"Reaction"})
    assert labels["Reaction"][0] == "body"


def test_short_template_lines_in_a_block_are_boilerplate(settings):
    menu = ["Weather", "Obituaries", "Classifieds"]
    labels = classify([*menu, *STORY], settings, set(menu))
    assert all(labels[m] == ("boilerplate", "site_template") for m in menu)
    # and one short line next to other furniture (the story's end: nothing after it)
    labels = classify([*STORY, "Classifieds"], settings, {"Classifieds"})
    assert labels["Classifieds"] == ("boilerplate", "site_template")


def test_a_menu_entry_left_beside_the_sites_template_entries_is_still_the_menu(settings):
    # two entries of the header are the site's template, the third is not (yet)
    menu = ["Weather", "Harbour Arts Week", "Obituaries", "Classifieds"]
    labels = classify([*menu, TITLE, *STORY], settings, {"Weather", "Obituaries", "Classifieds"})
    assert labels["Harbour Arts Week"] == ("boilerplate", "header_menu")
    assert labels[TITLE][0] == "title"


def test_exact_rules_keep_their_own_reasons(settings):
    labels = classify(["Advertisement", *STORY], settings, {"Advertisement"})
    assert labels["Advertisement"] == ("boilerplate", "ad_marker")


# the lead of another story of the site, pasted under this one
ORCHARD_LEAD = ("Growers in the upper valley lost about half of their apple blossom to a late frost that "
                "settled over the orchards on Sunday night, the farmers' association estimated.")


def test_each_articles_lead_is_listed_under_its_lead_key():
    shard = _shard({"lantern/orchard.txt": ["Frost ruins the blossom", ORCHARD_LEAD, STORY[0]]})
    keys = {k for _, k, _ in shard_lines(shard)}
    assert lead_key(line_key(ORCHARD_LEAD)) in keys
    assert lead_key(line_key(STORY[0])) not in keys, "only the first lead-shaped paragraph"
    counts = {("lantern", line_key(ORCHARD_LEAD)): 2, ("lantern", lead_key(line_key(ORCHARD_LEAD))): 1}
    assert template_set(counts, 5).teasers_of("lantern") == {line_key(ORCHARD_LEAD)}


def test_another_storys_lead_is_an_offtopic_teaser(settings):
    labels = classify([*STORY, ORCHARD_LEAD], settings, set(), teasers=frozenset({ORCHARD_LEAD}))
    assert labels[ORCHARD_LEAD] == ("offtopic", "crawl_teaser")
    assert all(labels[p] == ("body", "kept") for p in STORY)


def test_an_articles_own_lead_repeated_elsewhere_stays(settings):
    labels = classify([ORCHARD_LEAD, "Some farms lit smudge pots and ran wind machines through the night to save "
                       "the blossom."], settings, {ORCHARD_LEAD}, title="Frost ruins half the apple blossom in the valley",
                      teasers=frozenset({ORCHARD_LEAD}))
    assert labels[ORCHARD_LEAD] == ("body", "shared_prose_kept")


def test_an_articles_own_lead_is_never_its_teaser_even_off_its_title(settings):
    """Without a title the topic comes from the prose after the lead, which may share few
    of its words: the lead opens this story all the same."""
    smudge = ("Some farms lit smudge pots and ran wind machines through the night, but the cold air settled "
              "in the hollows regardless.")
    labels = classify([ORCHARD_LEAD, smudge, STORY[0]], settings, set(), title=None, teasers=frozenset({ORCHARD_LEAD}))
    assert labels[ORCHARD_LEAD][0] != "offtopic"
