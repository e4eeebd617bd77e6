"""The harness's scoring (bench/quality.py) on a small pipeline output written with pyarrow."""

import doctest
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import folds
import pages
import quality
import synthetic

TRUTH = {
    "p1": "The mayor opened the new bridge on Monday morning.\n\nTraffic will start next week.",
    "p2": "Rain is expected across the region through the weekend, forecasters said.",
}
# invented hosts, one in each fold (folds.py hashes the host)
URLS = {"p1": "https://news-two.example/bridge", "p2": "https://www.news-one.example/rain"}


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
    return quality.Benchmark(tmp_path / "benchmark", dict(TRUTH), dict(URLS))


@pytest.fixture
def output(tmp_path: Path) -> quality.PipelineOutput:
    """p1 kept whole but a real paragraph wrongly called boilerplate; p2 rejected."""
    out = tmp_path / "out"
    write_dataset(out, "articles", [
        {"article_id": "a1", "source_path": "text-x/p1.txt",
         "text": "The mayor opened the new bridge on Monday morning.", "dateline": None, "credit": None, "title": None},
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


def test_the_invented_hosts_fall_in_both_folds(bench):
    assert (bench.fold_of("p1"), bench.fold_of("p2")) == (folds.CHECK, folds.TUNE)


def test_page_ids_of_one_fold_and_groups_check_first(bench):
    assert bench.page_ids(None, folds.CHECK) == ["p1"]
    assert bench.page_ids(None, folds.TUNE) == ["p2"]
    assert bench.page_ids(1) == ["p1"]
    assert list(bench.group_by_fold(["p1", "p2"])) == [folds.CHECK, folds.TUNE, quality.ALL_PAGES]
    assert bench.group_by_fold(["p2"]) == {folds.TUNE: ["p2"]}, "one fold: no second copy as 'all'"


def test_load_urls_reads_the_url_of_each_page(tmp_path):
    path = tmp_path / "ground-truth.json"
    path.write_text(json.dumps({"p1": {"articleBody": "x", "url": "https://a.example/1"}, "p2": {}}))
    assert quality.load_urls(path) == {"p1": "https://a.example/1", "p2": ""}


def test_rejected_page_counts_as_empty_prediction(bench, output):
    inputs = quality.KindInputs("text-x", texts=dict(TRUTH))
    row = quality.score_kind(bench, inputs, output, bench.group_by_fold(TRUTH))["folds"][quality.ALL_PAGES]
    # p1: 14 true words give 11 4-grams, its 9 output words give 6, all true: recall 6/11.
    # p2 was rejected: recall 0, and it is left out of the precision mean.
    assert row["raw"]["output"]["precision"] == pytest.approx(1.0)
    assert row["raw"]["output"]["recall"] == pytest.approx((6 / 11 + 0.0) / 2, abs=1e-4)
    assert row["raw"]["input"]["f1"] == pytest.approx(1.0)
    assert row["rejected"] == {"too_short": 1}
    assert row["missing"] == 0


def test_each_fold_is_scored_on_its_own_pages(bench, output):
    inputs = quality.KindInputs("text-x", texts=dict(TRUTH))
    row = quality.score_kind(bench, inputs, output, bench.group_by_fold(TRUTH))["folds"]
    assert row[folds.CHECK]["raw"]["output"]["recall"] == pytest.approx(6 / 11, abs=1e-4)
    assert row[folds.TUNE]["raw"]["output"]["recall"] == 0.0
    assert (row[folds.CHECK]["rejected"], row[folds.TUNE]["rejected"]) == ({}, {"too_short": 1})


def test_catastrophes_list_kept_shares_on_tune_and_only_ids_on_check(bench, output):
    inputs = quality.KindInputs("text-x", texts=dict(TRUTH))
    result = quality.score_kind(bench, inputs, output, bench.group_by_fold(TRUTH))
    found = {fold: row["catastrophes"]["raw"] for fold, row in result["folds"].items()}
    # p1 (check) kept 6 of its 11 true 4-grams (0.545); p2 (tune) was rejected: kept none
    assert found[folds.CHECK] == {"count": 1, "stubs": 0, "pages": ["p1"]}
    assert found[folds.TUNE] == {"count": 1, "stubs": 0, "pages": [{"page_id": "p2", "kept_share": 0.0}]}
    assert found[quality.ALL_PAGES] == {"count": 2, "stubs": 0}
    assert [page["page_id"] for page in result["worst_tune_pages"]] == ["p2"]
    assert result["worst_tune_pages"][0]["rejected"] == "too_short"
    assert [page["page_id"] for page in result["tune_pages"]] == ["p2"], "check pages are never listed"


def test_list_catastrophes_leaves_whole_pages_out():
    figures = [pages.PageFigures("a", 1.0, 0.2, 0.1), pages.PageFigures("b", 1.0, 1.0, 1.0)]
    assert quality.list_catastrophes(figures, quality.ALL_PAGES) == {"count": 1, "stubs": 0}


DATELINE_TRUTH = {
    "d1": "PORTVILLE (Agency) — The harbour reopened on Tuesday after two weeks of repairs.\n"
          "Ferries will run every hour.\n(Reporting by Sam Roe; Editing by Ada Poe)",
}


def dateline_output(tmp_path: Path, dateline: str | None) -> quality.PipelineOutput:
    """An article that moved its dateline out (to the column, if given) and dropped the credit."""
    out = tmp_path / "dateline-out"
    body = "The harbour reopened on Tuesday after two weeks of repairs.\n\nFerries will run every hour."
    write_dataset(out, "articles", [
        {"article_id": "a1", "source_path": "text-x/d1.txt", "text": body, "dateline": dateline, "credit": None, "title": None},
    ])
    write_dataset(out, "paragraphs", [
        paragraph("a1", 0, "PORTVILLE (Agency) —", "metadata", "dateline"),
        paragraph("a1", 1, "The harbour reopened on Tuesday after two weeks of repairs."),
        paragraph("a1", 2, "Ferries will run every hour."),
        paragraph("a1", 3, "(Reporting by Sam Roe; Editing by Ada Poe)", "metadata", "credit"),
    ])
    return quality.read_output([out])


def test_contract_scoring_counts_a_moved_dateline_and_a_dropped_credit_as_kept(tmp_path):
    bench = quality.Benchmark(tmp_path, dict(DATELINE_TRUTH), {"d1": URLS["p1"]})
    output = dateline_output(tmp_path, "PORTVILLE (Agency) —")
    inputs = quality.KindInputs("text-x", texts=dict(DATELINE_TRUTH))
    row = quality.score_kind(bench, inputs, output, {folds.CHECK: ["d1"]})["folds"][folds.CHECK]
    assert row["raw"]["output"]["recall"] < 0.8
    assert row["contract"]["output"]["recall"] == 1.0
    assert row["contract"]["output"]["precision"] == 1.0
    # the input still holds the dateline and the credit: not article text by the contract
    assert row["contract"]["input"]["precision"] < 1.0
    assert row["contract"]["delta"]["f1"] > 0


def test_contract_rule_precision_does_not_call_a_moved_credit_text_lost(tmp_path):
    bench = quality.Benchmark(tmp_path, dict(DATELINE_TRUTH), {"d1": URLS["p1"]})
    rules = quality.score_rules(bench, dateline_output(tmp_path, None), ["text-x"])
    credit = next(rule for rule in rules if rule["reason"] == "credit")
    assert (credit["real"], credit["precision"], credit["flagged"]) == (1, 0.0, True)
    assert (credit["contract_real"], credit["contract_precision"], credit["contract_flagged"]) == (0, 1.0, False)


def test_score_rules_of_one_fold_sees_only_its_pages(bench, output):
    assert quality.score_rules(bench, output, ["text-x"], ["p2"]) == []
    assert len(quality.score_rules(bench, output, ["text-x"], ["p1"])) == 2


def test_rule_precision_counts_removed_real_text(bench, output):
    rules = {(r["label"], r["reason"]): r for r in quality.score_rules(bench, output, ["text-x"])}
    assert rules[("boilerplate", "short_line")]["real"] == 1
    assert rules[("boilerplate", "short_line")]["precision"] == 0.0
    assert rules[("boilerplate", "short_line")]["flagged"]
    assert rules[("boilerplate", "short_line")]["contract_real"] == 1
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


def kind_results(f1: float, recall: float, fold: str = folds.CHECK, scoring: str = "contract") -> dict:
    """The part of a harness result the gate reads, for one kind."""
    return {"folds": {fold: {scoring: {"output": {"f1": f1, "recall": recall, "precision": 0.9}}}}}


def test_find_regressions_tolerates_noise_but_not_drops():
    baseline = {"fold": "check", "scoring": "contract", "tolerance": 0.005,
                "pinned": {"html": {"f1": 0.900, "recall": 0.950}}}
    results = {"kinds": {"html": kind_results(0.896, 0.944)}}
    assert quality.find_regressions(results, baseline) == [
        "html contract recall (check fold): 0.9440 < pinned 0.9500 - 0.005"
    ]


def test_find_regressions_reads_the_pinned_fold_and_scoring_only():
    baseline = {"fold": "check", "scoring": "contract", "pinned": {"html": {"f1": 0.9}}}
    results = {"kinds": {"html": kind_results(0.5, 0.5, folds.TUNE)}}
    with pytest.raises(ValueError, match="check fold"):
        quality.find_regressions(results, baseline)


def test_baseline_pins_contract_figures_of_the_check_fold_of_real_kinds():
    results = {
        "subset": None,
        "generated_at": "now",
        "separate_runs": False,
        "folds": {"check": {"pages": 35, "sites": 26}},
        "kinds": {
            "html": kind_results(0.9, 0.95),
            "encoding": kind_results(1.0, 1.0),
        },
    }
    baseline = quality.make_baseline(results)
    assert baseline["kinds"] == ["html"]
    assert baseline["pinned"] == {"html": {"f1": 0.9, "recall": 0.95}}
    assert (baseline["fold"], baseline["scoring"], baseline["n_pages"], baseline["one_run"]) == (
        "check", "contract", 35, True,
    )


def test_the_committed_baseline_pins_the_gate_kinds_on_the_check_fold():
    baseline = json.loads((Path(quality.__file__).parent / "baseline.json").read_text(encoding="utf-8"))
    assert (baseline["fold"], baseline["scoring"], baseline["subset"]) == ("check", "contract", None)
    assert baseline["kinds"] == list(quality.GATE_KINDS)
    assert all(set(figures) == set(quality.GATE_METRICS) for figures in baseline["pinned"].values())


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--write-baseline", "--fold", "tune"], "pins the check fold"),
        (["--no-run"], "needs --workdir"),
    ],
)
def test_parse_args_refuses(argv, message, capsys):
    with pytest.raises(SystemExit):
        quality.parse_args(argv)
    assert message in capsys.readouterr().err
