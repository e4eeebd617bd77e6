"""Classify, the loop (`newsclean.stages.classify.loop`): the rule families' steps
applied in their declared order, every paragraph labelled with a reason, every document
of a shard classified, a failing document a reject of its own.

The rules themselves are tested by family: test_classify_boilerplate, _links, _metadata,
_structure (and test_offtopic, test_guard, test_accuracy_classes).
"""

from __future__ import annotations

import dataclasses

from newsclean.stages.classify import STEPS, classify_shard
from newsclean.stages.ingest import make_document
from newsclean.stages.records import Paragraph, Shard
from newsclean.stages.segment import paragraph_spans
from tests.stages.classify_helpers import BODY, classify, with_body
from tests.stages.council_story import TITLE


def test_the_steps_run_in_the_declared_order():
    # Each paragraph keeps the first verdict it gets, so the order decides labels: a
    # change to it is a rule change, made deliberately (and measured), never by a refactor.
    assert [f"{step.__module__.rsplit('.', 1)[-1]}.{step.__name__}" for step in STEPS] == [
        "boilerplate.mark_paragraph_rules",
        "boilerplate.keep_topic_sentences",
        "links.mark_headline_lists",
        "links.mark_sections",
        "links.mark_teaser_excerpts",
        "metadata.mark_metadata",
        "templates.mark_site_template",
        "structure.mark_section_label",
        "structure.mark_title",
        "structure.mark_duplicates",
        "structure.mark_outside_main_text",
        "structure.mark_header_menu",
        "metadata.mark_dateline",
        "links.mark_trailing_headlines",
        "edges.mark_edge_furniture",
    ]


def test_an_earlier_step_decides_a_paragraph_a_later_one_would_claim(settings):
    # "Share" is a widget phrase (boilerplate, step 1) and, a one-word first line above
    # the story, a section label (structure, later): the widget rule's verdict holds.
    _, labelled, _ = classify(with_body("Share", TITLE), settings)
    assert [(p.label, p.reason) for p in labelled if p.text == "Share"] == [("boilerplate", "share_widget")]


def test_every_paragraph_gets_a_label_and_a_reason(settings):
    paragraphs = with_body("Share", TITLE, "By Jane Doe", "October 7, 2015, 5:08 am",
                           middle=("Advertisement",), tail=("12 Comments", "© 2023 Riverside Herald"))
    _, labelled, _ = classify(paragraphs, settings)
    assert all(p.label and p.reason for p in labelled)
    assert {p.label for p in labelled} <= {"body", "title", "metadata", "boilerplate", "duplicate", "offtopic"}


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
