"""The harness's scoring (bench/quality.py) on a small pipeline output written with pyarrow."""

import doctest
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import quality
import synthetic

TRUTH = {
    "p1": "The mayor opened the new bridge on Monday morning.\n\nTraffic will start next week.",
    "p2": "Rain is expected across the region through the weekend, forecasters said.",
}


def write_dataset(output_dir: Path, name: str, rows: list[dict]) -> None:
    """Write rows as one Parquet file under ``<name>/run_id=test/``, as the pipeline does."""
    folder = output_dir / name / "run_id=test"
    folder.mkdir(parents=True)
    pq.write_table(pa.Table.from_pylist(rows), folder / "part-0.parquet")


def paragraph(article_id: str, position: int, text: str, label: str = "body", reason=None) -> dict:
    """One paragraphs/ row."""
    return {
        "article_id": article_id, "position": position, "text": text, "label": label, "reason": reason,
    }


@pytest.fixture
def bench(tmp_path: Path) -> quality.Benchmark:
    return quality.Benchmark(tmp_path / "benchmark", dict(TRUTH))


@pytest.fixture
def output(tmp_path: Path) -> quality.PipelineOutput:
    """p1 kept whole but a real paragraph wrongly called boilerplate; p2 rejected."""
    out = tmp_path / "out"
    write_dataset(out, "articles", [
        {"article_id": "a1", "source_path": "text-x/p1.txt",
         "text": "The mayor opened the new bridge on Monday morning."},
    ])
    write_dataset(out, "paragraphs", [
        paragraph("a1", 2, "Share this story", "boilerplate", "share_widget"),
        paragraph("a1", 0, "The mayor opened the new bridge on Monday morning."),
        paragraph("a1", 1, "Traffic will start next week.", "boilerplate", "short_line"),
    ])
    write_dataset(out, "rejects", [
        {"source_path": "text-x/p2.txt", "reason": "too_short", "detail": ""},
    ])
    return quality.read_output([out])


def test_doctests_pass():
    assert doctest.testmod(quality).failed == 0


def test_locate_page_refuses_a_path_without_kind():
    with pytest.raises(ValueError):
        quality.locate_page("p1.txt")


def test_read_output_orders_paragraphs_by_position(output):
    assert [row["position"] for row in output.paragraphs[("text-x", "p1")]] == [0, 1, 2]
    assert output.rejects == {("text-x", "p2"): "too_short"}


def test_read_rows_names_missing_columns(tmp_path):
    write_dataset(tmp_path, "articles", [{"article_id": "a1"}])
    with pytest.raises(ValueError, match="source_path"):
        quality.read_rows(tmp_path / "articles", quality.ARTICLE_COLUMNS)


def test_rejected_page_counts_as_empty_prediction(bench, output):
    inputs = quality.KindInputs("text-x", texts=dict(TRUTH))
    row = quality.score_kind(bench, inputs, output)
    # p1: 14 true words give 11 4-grams, its 9 output words give 6, all true: recall 6/11.
    # p2 was rejected: recall 0, and it is left out of the precision mean.
    assert row["output"]["precision"] == pytest.approx(1.0)
    assert row["output"]["recall"] == pytest.approx((6 / 11 + 0.0) / 2, abs=1e-4)
    assert row["input"]["f1"] == pytest.approx(1.0)
    assert row["rejected"] == {"too_short": 1}
    assert row["missing"] == 0


def test_rule_precision_counts_removed_real_text(bench, output):
    rules = {(r["label"], r["reason"]): r for r in quality.score_rules(bench, output, ["text-x"])}
    assert rules[("boilerplate", "short_line")]["real"] == 1
    assert rules[("boilerplate", "short_line")]["precision"] == 0.0
    assert rules[("boilerplate", "short_line")]["flagged"]
    assert rules[("boilerplate", "share_widget")]["precision"] == 1.0
    assert not rules[("boilerplate", "share_widget")]["flagged"]


@pytest.mark.parametrize(
    "text, real, why",
    [
        ("The mayor opened the new bridge", True, "all 4-grams true"),
        ("the MAYOR opened the new bridge", True, "case does not matter"),
        ("The mayor opened the old tunnel today", False, "1 of 4 grams true"),
        ("Traffic will start", False, "short: only a whole true line counts, not a piece of one"),
        ("Monday morning", False, "short words occur in any text; not a line of the truth"),
        ("Traffic will start next week", True, "a whole true line"),
        ("***", False, "no words at all"),
    ],
)
def test_is_real_article_text(text, real, why):
    words = quality.lower_words(TRUTH["p1"])
    lines = {tuple(quality.lower_words(line)) for line in TRUTH["p1"].splitlines()}
    assert quality.is_real_article_text(text, words, set(quality.word_ngrams(words)), lines) is real, why


@pytest.mark.parametrize(
    "text, kept, real, why",
    [
        ("Traffic will start next week.", "Traffic will start next week.", False,
         "the truth has it once and the clean body kept it once: the repeat was junk"),
        ("Traffic will start next week.", "", True, "the clean body lost the only copy"),
    ],
)
def test_a_removed_duplicate_is_real_only_when_a_true_copy_is_lost(text, kept, real, why):
    truth = quality.lower_words(TRUTH["p1"])
    assert quality.is_lost_duplicate(text, truth, quality.lower_words(kept)) is real, why


def test_offtopic_split_recall_and_false_share():
    article = synthetic.ComposedArticle(
        "p1",
        body=("Body one is here now.", "Body two is here too."),
        appended=("Teaser of another story...", "Another whole paragraph elsewhere."),
    )
    inputs = quality.KindInputs("offtopic", composed={"p1": article})
    output = quality.PipelineOutput()
    output.offtopic[("offtopic", "p1")] = ["Body two is here too.", "Teaser of another story…"]
    result = quality.score_offtopic(inputs, output)
    assert (result["appended"], result["caught"]) == (2, 1)
    assert (result["body_paragraphs"], result["false_offtopic"]) == (2, 1)
    assert result["split_recall"] == 0.5
    assert not result["meets_target"]


def test_encoding_repair_joins_all_paragraphs_whatever_their_label(output):
    inputs = quality.KindInputs("text-x", texts=dict(TRUTH), variants={"p1": "mojibake", "p2": "cp1252"})
    result = quality.score_encoding(inputs, output)
    # p1: body + boilerplate paragraphs give back the truth plus the extra "Share this story".
    assert result["exact"] == 0
    output.paragraphs[("text-x", "p1")].pop()
    result = quality.score_encoding(inputs, output)
    assert result["by_variant"]["mojibake"]["exact"] == 1
    assert result["by_variant"]["cp1252"]["exact"] == 0
    assert result["failures"] == [{"page_id": "p2", "variant": "cp1252", "rejected": "too_short"}]


def test_find_regressions_tolerates_noise_but_not_drops():
    baseline = {"tolerance": 0.005, "pinned": {"html": {"f1": 0.900, "recall": 0.950}}}
    results = {"kinds": {"html": {"output": {"f1": 0.896, "recall": 0.944}}}}
    assert quality.find_regressions(results, baseline) == ["html recall: 0.9440 < pinned 0.9500 - 0.005"]


def test_baseline_pins_only_real_kinds():
    results = {
        "subset": 25,
        "generated_at": "now",
        "kinds": {
            "html": {"output": {"f1": 0.9, "recall": 0.95, "precision": 0.85}},
            "encoding": {"output": {"f1": 1.0, "recall": 1.0, "precision": 1.0}},
        },
    }
    baseline = quality.make_baseline(results)
    assert baseline["kinds"] == ["html"]
    assert baseline["pinned"] == {"html": {"f1": 0.9, "recall": 0.95}}
