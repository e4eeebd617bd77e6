"""The throughput benchmark's corpus (bench/newslike.py) is deterministic, distinct and junky.

Builds documents only: nothing here runs the pipeline or times anything.
"""

import doctest

import newslike

BODIES = {
    "p1": "The harbour authority said on Monday that the ferry would stop for repairs.\n\n"
    "Dock workers expect the work to take three weeks, a spokesman said.\n\n"
    "Cargo ships will use the northern quay until then.\n\n"
    "The authority will review the timetable again in the spring.",
    "p2": "The city council voted to raise the budget for schools by four percent.\n\n"
    "The mayor called the decision a fair compromise between the parties.",
    "p3": "Heavy rainfall flooded several rivers in the region overnight, the weather service said.",
    "p4": "Voters queued for hours as the electoral commission extended polling in the capital.\n\n"
    "Turnout was the highest in a decade, officials said.\n\n"
    "Results are expected on Thursday.",
    "empty": "",
}


def test_doctests_pass():
    assert doctest.testmod(newslike).failed == 0


def test_same_seed_same_corpus():
    first = list(newslike.build_corpus(BODIES, 50))
    assert first == list(newslike.build_corpus(BODIES, 50))
    assert first != list(newslike.build_corpus(BODIES, 50, seed=newslike.SEED + 1))


def test_a_longer_corpus_starts_with_the_shorter_one():
    assert list(newslike.build_corpus(BODIES, 60))[:20] == list(newslike.build_corpus(BODIES, 20))


def test_documents_are_distinct_and_named_apart():
    documents = list(newslike.build_corpus(BODIES, 200))
    assert len(documents) == 200
    assert len({d.text for d in documents}) == 200
    assert len({d.name for d in documents}) == 200
    assert all(d.name.endswith(".txt") for d in documents)


def test_every_non_empty_page_is_used_and_empty_ones_never():
    pages = {d.page_id for d in newslike.build_corpus(BODIES, 40)}
    assert pages == {"p1", "p2", "p3", "p4"}


def test_junk_lines_are_in_the_text_they_are_listed_for():
    documents = list(newslike.build_corpus(BODIES, 200))
    share_lines = {line for widget in newslike.SHARE_WIDGETS for line in widget}
    kinds_seen = set()
    for document in documents:
        lines = set(newslike.split_paragraphs(document.text))
        kinds_seen.update(document.junk)
        assert ("advertisement" in document.junk) == (newslike.ADVERTISEMENT in lines)
        assert ("newsletter" in document.junk) == bool(lines & set(newslike.NEWSLETTER_PROMPTS))
        assert ("related" in document.junk) == bool(lines & set(newslike.RELATED_HEADERS))
        if "share" in document.junk:
            assert lines & share_lines
    assert kinds_seen == set(newslike.JUNK_KINDS)


def bare_words(text: str) -> set[str]:
    """Words without the punctuation around them: headlines lose their final full stop."""
    return {word.strip(".,:;!?") for word in text.split()}


def test_every_word_comes_from_a_true_body_or_a_junk_line():
    junk_lines = (*newslike.NEWSLETTER_PROMPTS, *newslike.RELATED_HEADERS, newslike.ADVERTISEMENT,
                  *(line for widget in newslike.SHARE_WIDGETS for line in widget))
    known = bare_words(" ".join(BODIES.values())) | bare_words(" ".join(junk_lines))
    for document in newslike.build_corpus(BODIES, 50):
        assert bare_words(document.text) <= known


def test_perturbation_changes_words_but_keeps_the_paragraph_count():
    paragraphs = [BODIES["p1"].replace("\n\n", " ")] * 3
    perturbed = newslike.perturb_words(paragraphs, newslike.random.Random(5), share=0.3)
    assert len(perturbed) == 3
    assert perturbed != paragraphs
    assert all(len(p.split()) == len(paragraphs[0].split()) for p in perturbed)
