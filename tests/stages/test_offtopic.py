"""Off-topic tails: teasers and unrelated stories appended after an article's body."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from newsclean.stages.offtopic import has_kicker, is_truncated, offtopic_scores, word_weights

TITLE = "Riverside council approves $4.2bn budget after late-night vote"
STORY = [
    "The Riverside city council approved a $4.2 billion budget for the coming fiscal year on Tuesday "
    "night, ending weeks of negotiations over police funding and library hours.",
    "The spending plan passed 9-4 shortly before midnight, after council members rejected an amendment "
    "that would have moved $12 million from the police overtime account to the public library system.",
    "“This budget keeps every library branch open six days a week,” said council president Denise "
    "Carter, who negotiated the final compromise with the mayor’s office.",
    "Under the compromise, the library system receives an extra $3.1 million, enough to restore Saturday "
    "hours at the four branches that closed on weekends during the pandemic.",
    "The police department’s budget grows by 2 percent to $610 million, less than the 5 percent increase "
    "Mayor Tom Alvarez had requested in his April proposal.",
    "Council member Luis Ortega, who voted against the plan, said the police overtime account had been "
    "overspent in each of the past three years and needed stricter limits.",
    "Critics said the budget relies on optimistic sales tax projections and leaves the city exposed if the "
    "regional economy slows next year, forcing mid-year cuts.",
    "The budget takes effect on July 1, and the council will hold its first quarterly review of spending "
    "in October, when sales tax receipts for the summer are known.",
]
FROG = ("Scientists in Chile have discovered a new species of frog in the Andean cloud forest, a tiny "
        "amphibian whose bright orange skin secretes a toxin that researchers believe could")
TRANSFER = ("FOOTBALL: Manchester United striker completes medical ahead of record transfer to Bayern Munich, "
            "with the German champions agreeing a fee that")
AIRLINE = ("A regional airline will resume flights to Lisbon in October, its chief executive told reporters "
           "at the Paris air show.")  # shares "October" and little else with the story: scores ~0.6
SHOW_TIMES = ["Matinees Sunday afternoons, evening shows nightly", "Suitable for audiences aged twelve and above"]
FLOODS = ("Heavy monsoon rains flooded villages across northern Bangladesh on Sunday, displacing thousands of "
          "families and cutting off rail links to the capital Dhaka.")

SPLIT_CASES = [
    # (paragraphs, expected indices split off, why)
    (STORY, [], "the story alone: nothing is off-topic"),
    (STORY + [FROG], [8], "one teaser cut mid-sentence"),
    (STORY + [FROG, TRANSFER], [8, 9], "two teasers, one with a kicker"),
    (STORY + [FROG, TRANSFER, FLOODS], [8, 9, 10], "three teasers, the last a complete sentence"),
    (STORY + [FLOODS], [8], "an unrelated complete story paragraph"),
    (STORY[:4] + [FROG], [4], "just over min_body_paragraphs: the teaser still goes"),
    (STORY[:4] + [FLOODS] + STORY[4:], [], "an unrelated paragraph inside the body is left alone"),
    (STORY + [FROG, STORY[7]], [], "a tail that returns to the story is not split"),
    (STORY + [FROG, AIRLINE, FLOODS], [8, 9, 10],
     "a teaser sharing a word with the story by chance stays with the teasers around it"),
    (STORY + [AIRLINE, FLOODS], [9], "but it does not open a tail: the tail opens at a clear break"),
    (STORY + SHOW_TIMES, [], "short practical lines at the end share no words but are no appended story"),
]


@pytest.mark.parametrize("paragraphs, expected, why", SPLIT_CASES, ids=[c[2] for c in SPLIT_CASES])
def test_offtopic_tail(paragraphs, expected, why, settings):
    scores = offtopic_scores(paragraphs, [TITLE], settings.offtopic)
    assert sorted(scores) == expected, why
    for score in scores.values():
        assert settings.offtopic.tail_floor <= score <= 1.0, "returned paragraphs score at least the floor"
    if scores:
        assert sum(scores.values()) / len(scores) >= settings.offtopic.threshold, "the tail averages the threshold"


# Teasers that share a rare word or two with the council story by chance (the mayor's
# surname, the talk of money and votes) but not its meaning: word overlap keeps them, the
# sentence vectors do not.
BOXING = ("Canelo Alvarez will defend his middleweight titles in Las Vegas in May, his promoter said, "
          "with the opponent to be named after a medical review.")
BASKETBALL = ("Vince Carter scored 30 points in his final home game, and the veteran guard said after the win "
              "that he would decide over the summer whether to play another season.")
CLOSING_QUOTE = "“We did what we could with the money we had,” Carter said as the chamber emptied."
HEARING = ("Residents who want to comment on library hours or police overtime can speak at the council's "
           "first quarterly review in October, the city clerk said.")

MEANING_CASES = [
    # (paragraphs, split with sentence vectors, split by words alone, why)
    (STORY + [BOXING], [8], [], "a boxing teaser sharing only the mayor's surname"),
    (STORY + [BASKETBALL, BOXING], [8, 9], [], "two sports teasers sharing a name each with the story"),
    (STORY + [CLOSING_QUOTE], [], [], "the story's own closing quote: few rare words, the same meaning"),
    (STORY + [HEARING], [], [], "a closing paragraph on the story's next step"),
]


@pytest.mark.parametrize("paragraphs, expected, words_only, why", MEANING_CASES, ids=[c[3] for c in MEANING_CASES])
def test_sentence_vectors_tell_what_word_overlap_cannot(paragraphs, expected, words_only, why, settings):
    without = dataclasses.replace(settings.offtopic, sentence_vectors=False)
    assert sorted(offtopic_scores(paragraphs, [TITLE], settings.offtopic)) == expected, why
    assert sorted(offtopic_scores(paragraphs, [TITLE], without)) == words_only, why


class FakeEmbedder:
    """Unit vectors chosen by the test: `unrelated` texts get one axis, the rest another.
    Counts its calls and the texts it was given."""

    def __init__(self, unrelated=()):
        self.unrelated = set(unrelated)
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        self.calls.append(list(texts))
        return np.array([[0.0, 1.0] if t in self.unrelated else [1.0, 0.0] for t in texts], dtype=np.float32)


def test_a_paragraph_is_as_related_as_the_lower_measure_says(settings):
    shared_words = STORY[7].replace("The budget takes effect", "A stadium deal takes effect")
    article = STORY + [shared_words]
    assert offtopic_scores(article, [TITLE], settings.offtopic, embed=FakeEmbedder()) == {}, (
        "words and meaning both say related: kept")
    assert sorted(offtopic_scores(article, [TITLE], settings.offtopic, embed=FakeEmbedder({shared_words}))) == [8], (
        "the words say related, the meaning says unrelated: split")
    assert sorted(offtopic_scores(STORY + [FROG], [TITLE], settings.offtopic, embed=FakeEmbedder())) == [8], (
        "the meaning says related, the words say unrelated: split all the same")


def test_meaning_alone_never_splits_a_large_share_of_the_article(settings):
    shared_words = STORY[7].replace("The budget takes effect", "A stadium deal takes effect")
    article = STORY + [shared_words]
    small = dataclasses.replace(settings.offtopic, semantic_max_tail_share=0.25)
    assert sorted(offtopic_scores(article, [TITLE], small, embed=FakeEmbedder({shared_words}))) == [8]
    tight = dataclasses.replace(settings.offtopic, semantic_max_tail_share=0.01)
    assert offtopic_scores(article, [TITLE], tight, embed=FakeEmbedder({shared_words})) == {}, (
        "a tail over the bound must be unrelated by its words too")


def test_the_article_is_embedded_once_and_only_with_a_candidate_tail(settings):
    embed = FakeEmbedder()
    offtopic_scores(STORY + [FROG, TRANSFER], [TITLE], settings.offtopic, embed=embed)
    assert len(embed.calls) == 1, "one batch per article, whatever the number of cuts tried"
    assert embed.calls[0][0] == TITLE, "the title is embedded with the paragraphs"
    assert len(embed.calls[0]) == len(set(embed.calls[0])) == 11, "each paragraph once"

    embed = FakeEmbedder()
    offtopic_scores(STORY[:1] + [FROG], [TITLE], settings.offtopic, embed=embed)
    assert embed.calls == [], "a story too short to have a tail is not embedded"

    embed = FakeEmbedder()
    offtopic_scores(STORY + [FROG], [TITLE], dataclasses.replace(settings.offtopic, sentence_vectors=False), embed=embed)
    assert embed.calls == [], "sentence_vectors = false: words only"


def test_article_no_longer_than_min_body_paragraphs_is_never_split(settings):
    four = dataclasses.replace(settings.offtopic, min_body_paragraphs=4)
    assert offtopic_scores(STORY[:3] + [FROG], [TITLE], four) == {}, "4 paragraphs: too short to judge"
    assert sorted(offtopic_scores(STORY[:4] + [FROG], [TITLE], four)) == [4], "5 paragraphs: judged"
    shipped = settings.offtopic.min_body_paragraphs
    assert offtopic_scores(STORY[: shipped - 1] + [FROG], [TITLE], settings.offtopic) == {}


def test_scores_are_rounded_fractions(settings):
    scores = offtopic_scores(STORY + [FROG, TRANSFER], [TITLE], settings.offtopic)
    assert all(isinstance(score, float) and 0 < score <= 1 for score in scores.values())


def test_languages_without_word_overlap_are_skipped(settings):
    assert offtopic_scores(STORY + [FROG], [TITLE], settings.offtopic, language="zh") == {}
    assert offtopic_scores(STORY + [FROG], [TITLE], settings.offtopic, language="en") != {}


TRUNCATED_CASES = [
    # (text, expected, why)
    (FROG, True, "cut mid-sentence"),
    ("He said the talks would resume", True, "no final punctuation"),
    ("He said so.", False, "period"),
    ("Would the library stay open?", False, "question mark"),
    ("“We will be back next year,” Ruiz said.", False, "ends with a period after a quote"),
    ("“We will be back next year”", False, "ends with a closing quote"),
    ("The vote (9-4)", False, "closing parenthesis counts as an end"),
    ("The budget takes effect on July 1.  ", False, "trailing white space"),
    ("Officials said the talks would resume…", True, "an ellipsis marks a cut teaser"),
    ("Officials said the talks would resume...", True, "three dots too"),
]


@pytest.mark.parametrize("text, expected, why", TRUNCATED_CASES, ids=[c[2] for c in TRUNCATED_CASES])
def test_is_truncated(text, expected, why):
    assert is_truncated(text) is expected, why


KICKER_CASES = [
    ("FOOTBALL: Manchester United striker completes medical", True, "section kicker with colon"),
    ("‘GOOD POLITICS’: He is a pragmatic radical", True, "quoted kicker"),
    ("WATCH – Floods sweep through northern Bangladesh", True, "kicker with a dash"),
    ("Moscow said the talks would resume", False, "ordinary sentence"),
    ("NATO said on Wednesday it would send more troops", False, "acronym starting a sentence"),
    ("Football: United striker completes medical", False, "not in capitals"),
]


@pytest.mark.parametrize("text, expected, why", KICKER_CASES, ids=[c[2] for c in KICKER_CASES])
def test_has_kicker(text, expected, why):
    assert has_kicker(text) is expected, why


def test_word_weights_favour_rare_words():
    weights = word_weights("The council approved the Riverside library budget and the library hours")
    assert "the" not in weights, "the commonest words weigh nothing"
    assert weights.get("and", 0) < 1, "function words weigh next to nothing"
    assert weights["rivers"] > max(weights["counci"], weights["budget"], weights["hours"]), "rarer words weigh more"
    assert min(weights["counci"], weights["librar"], weights["budget"]) > 2, "content words carry weight"
    assert "riversi" not in weights, "words are cut to six letters"


def test_word_weights_ignore_numbers_and_short_words():
    assert word_weights("9-4 on 12 of 2023 a an is") == {}


def test_word_weights_stem_variants_together():
    assert word_weights("libraries").keys() == word_weights("library").keys() == {"librar"}


def test_a_cut_teaser_right_before_an_offtopic_tail_goes_with_it(settings):
    from newsclean.stages.offtopic import cut_teasers_before
    paragraphs = ["The council voted on the budget late on Tuesday night after a long debate.",
                  "The plan keeps every library branch open six days a week, officials said.",
                  "Stocks rally as the…",
                  "Shares in mining companies climbed on Wednesday as copper prices rose again."]
    assert cut_teasers_before(paragraphs, [8, 8, 2, 8], 3, 1, settings.offtopic) == [2]
    # a short closing line of the story ends with a full stop: it is not a cut teaser
    paragraphs[2] = "The vote was 9-4."
    assert cut_teasers_before(paragraphs, [8, 8, 2, 8], 3, 1, settings.offtopic) == []


def test_a_paragraph_in_another_script_is_a_story_even_with_no_known_words(settings):
    from newsclean.stages.offtopic import offtopic_scores
    story = [
        "Der Stadtrat hat am Dienstagabend nach langer Debatte den Haushalt für das kommende Jahr beschlossen.",
        "Alle Bibliotheken bleiben damit an sechs Tagen in der Woche geöffnet, sagte die Ratspräsidentin.",
        "Kritiker halten die Steuerschätzungen für zu optimistisch und warnen vor einem Defizit im Herbst.",
        "Die Opposition will den Haushalt im Frühjahr erneut prüfen lassen und fordert einen Bericht.",
        "Der Kämmerer verteidigte die Zahlen und verwies auf steigende Einnahmen aus der Gewerbesteuer.",
        "Für Schulen und Kindergärten sind im nächsten Jahr zusätzliche Investitionen in Millionenhöhe geplant.",
        "Die Verkehrsbetriebe erhalten mehr Geld für neue Busse, die Preise für Tickets bleiben unverändert.",
    ]
    # vowelled Arabic in presentation forms: its marks split every word, none is counted
    foreign = "ﻣَﺠْﻠِﺲُ ﺍﻟْﻤَﺪِﻳﻨَﺔِ ﻭَﺍﻓَﻖَ ﻋَﻠَﻰ ﺍﻟْﻤِﻴﺰَﺍﻧِﻴَّﺔِ ﺍﻟْﺠَﺪِﻳﺪَﺓِ ﺑَﻌْﺪَ ﻧِﻘَﺎﺵٍ ﻃَﻮِﻳﻞٍ"
    tail = offtopic_scores(story + [foreign], ["Stadtrat beschließt Haushalt"], settings.offtopic, "de")
    assert list(tail) == [7]


def test_head_measures_are_the_dictionary_definitions(settings):
    """HeadWords' array sums give what the measures say, computed word by word: the head's
    coherence (median share of a head paragraph's weight that other head paragraphs or the
    title carry; median cosine with the rest of the head) and each tail paragraph's share and
    cosine against the head, at each cut as it moves forward."""
    import math
    from statistics import median

    from newsclean.stages.offtopic.score import HeadWords

    paragraphs = STORY + [FROG, TRANSFER]
    bags = [word_weights(p) for p in paragraphs]
    lead = set(word_weights(TITLE))
    words = HeadWords(bags, lead)
    for cut in (5, 6, 8, 9):
        words.move_to(cut)
        head, tail = list(range(cut)), list(range(cut, len(paragraphs)))
        spread = {w: (w in lead) + sum(w in bags[j] for j in head) for b in bags for w in b}
        mass = {w: sum(bags[j].get(w, 0.0) for j in head) for b in bags for w in b}
        mass_sq = sum(v * v for v in mass.values())

        def cos(a, b):
            dot = sum(v * b.get(w, 0.0) for w, v in a.items())
            norm = math.sqrt(sum(v * v for v in a.values()) * sum(v * v for v in b.values()))
            return dot / norm if norm else 0.0

        def share(bag, more_than):
            return sum(v for w, v in bag.items() if spread[w] > more_than) / sum(bag.values())

        measured = words.measures(head, tail)
        assert measured.baseline == pytest.approx(median(share(bags[k], 1) for k in head))
        rests = [{w: mass[w] - bags[k].get(w, 0.0) for w in mass} for k in head]
        assert measured.cos_base == pytest.approx(median(cos(bags[k], rest) for k, rest in zip(head, rests)))
        for i in tail:
            assert measured.shared[i] == pytest.approx(share(bags[i], 0)), (cut, i)
            assert measured.cosine[i] == pytest.approx(cos(bags[i], mass)), (cut, i)
        assert mass_sq > 0
    assert words.measures([0], [9]).baseline is None, "a head of one judged paragraph has no coherence of its own"
