"""The pure cross-document stage: versions, signatures, clusters, paragraph changes."""

from __future__ import annotations

import numpy as np
import pytest

from newsclean.settings import NeardupSettings

from newsclean.stages.neardup import (
    Member, assign_clusters, assign_versions, band_keys, band_shape, has_enough_words,
    paragraph_changes, signature, similarity,
)

PARAMS = NeardupSettings(threshold=0.3, num_perm=128, shingle_words=3, min_words=20)
STORY = ("The city council approved a new budget on Monday that raises spending on public transport by "
         "twelve percent while freezing the property tax rate for a third year in a row, officials said. "
         "The mayor called the plan a careful balance between the needs of commuters and the pressure on "
         "households, and opposition members said they would study the figures before the final vote.")
OTHER = ("A late frost destroyed about half of the apple blossom in the upper valley on Sunday night, and "
         "growers asked the provincial government for emergency loans to keep family orchards running "
         "until next season, the farmers' association said in a statement on Tuesday afternoon.")

VERSION_CASES = [
    # (new (doc_key, body hash) pairs, known versions, expected, why)
    ([("a", "x")], {}, [1], "a first body is version 1"),
    ([("a", "y")], {"a": {"x": 1}}, [2], "an edited body is the next version"),
    ([("a", "x")], {"a": {"x": 1, "y": 2}}, [1], "a body seen before keeps its number"),
    ([("a", "y"), ("a", "z"), ("b", "y")], {"a": {"x": 1}}, [2, 3, 1], "in order; per doc_key"),
]


@pytest.mark.parametrize(("new", "known", "expected", "why"), VERSION_CASES, ids=[c[-1] for c in VERSION_CASES])
def test_versions(new, known, expected, why):
    assert assign_versions(new, known) == expected


def test_an_edited_copy_joins_the_first_member_and_an_unrelated_story_does_not():
    edited = STORY.replace("Monday", "Tuesday").replace("twelve", "ten") + " Readers can comment below."
    items = [(name, signature(text, PARAMS)) for name, text in (("first", STORY), ("copy", edited), ("other", OTHER))]
    placed = assign_clusters(items, {}, {}, PARAMS)
    assert [p.cluster for p in placed] == ["first", "first", "other"]
    assert placed[0].similarity == 1.0 and PARAMS.threshold <= placed[1].similarity < 1.0


def test_a_new_article_joins_a_cluster_of_an_earlier_run_by_its_first_member():
    first, member = signature(STORY, PARAMS), signature(STORY + " An update.", PARAMS)
    earlier = {key: [Member("member-id", "first-id")] for key in band_keys(member, PARAMS)}
    (placed,) = assign_clusters([("new-id", signature(STORY + " Another update.", PARAMS))], earlier,
                                {"first-id": first}, PARAMS)
    assert placed.cluster == "first-id" and placed.similarity == round(similarity(
        signature(STORY + " Another update.", PARAMS), first), 4)


def test_a_short_body_is_its_own_cluster():
    assert not has_enough_words("Too short to compare.", PARAMS)
    assert assign_clusters([("short", None)], {}, {}, PARAMS)[0].cluster == "short"


def test_band_keys_are_stable_signed_64_bit_one_per_band():
    sig = signature(STORY, PARAMS)
    keys = band_keys(sig, PARAMS)
    assert len(keys) == band_shape(0.3, 128)[0] and keys == band_keys(sig.copy(), PARAMS)
    assert all(-(2**63) <= k < 2**63 for k in keys) and len(set(keys)) == len(keys)
    assert signature(STORY, PARAMS).dtype == np.uint32


def test_paragraph_changes_name_what_was_added_and_removed():
    assert paragraph_changes(["a", "b"], ["a", "b"]) == []
    assert paragraph_changes(["lead", "body"], ["new lead", "body", "update"]) == [
        ("-", "lead"), ("+", "new lead"), ("+", "update")]


def test_signature_is_datasketchs_minhash_bit_for_bit():
    from newsclean.stages.neardup import band_key_rows, datasketch_signature

    texts = [STORY, OTHER, STORY + " An update.", "", "one", "Ünïcödé wörds, ÇA VA? 東京 42 " * 5]
    for text in texts:
        assert np.array_equal(signature(text, PARAMS), datasketch_signature(text, PARAMS)), text[:40]
    sigs = np.stack([signature(t, PARAMS) for t in texts])
    assert band_key_rows(sigs, PARAMS).tolist() == [band_keys(s, PARAMS) for s in sigs]
