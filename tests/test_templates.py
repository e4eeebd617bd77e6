"""Site templates across runs, end to end: a template line learned from run 1's pages is
removed on run 2's (too few to show it alone); a rerun of classify gives the same labels;
redoing a run's counts does not count it twice; the history stays within its bound."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsclean import shardstore, templatestore
from newsclean.settings import TemplatesSettings
from newsclean.stages.templates import line_key
from tests.corpus import article_text, dataset_rows, small_shard_config

pytestmark = pytest.mark.engine

# Invented lines the site "lantern" prints on every page (none in rules.toml's lists).
TEMPLATE = ["Gift a year of the Valley Lantern to someone who loves the coast",
            "Market hall: 40 traders you can trust, all in one place"]


def write_pages(root: Path, numbers: range) -> None:
    """Pages of the site `lantern/`: its template lines (the counter changing) around a story."""
    rng = random.Random(11)
    for i in numbers:
        story = article_text(i, rng).strip().split("\n\n")
        lines = [TEMPLATE[0], *story, TEMPLATE[1].replace("40", str(30 + i))]
        path = root / "lantern" / f"page-{i:02d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")


def run(inputs: Path, output: Path, config: Path) -> dict:
    from newsclean.pipeline import clean_news

    return clean_news(input_path=str(inputs), output_dir=str(output), config_path=str(config))


def template_reasons(output: Path, run_id: str | None = None) -> list[str]:
    """The reason of every template line published (by the run, when given)."""
    import pyarrow.dataset as ds

    data = ds.dataset(output / "paragraphs", format="parquet", partitioning="hive").to_table().to_pylist()
    keys = {line_key(t) for t in TEMPLATE}
    return [r["reason"] for r in data if line_key(r["text"]) in keys and (run_id is None or r["run_id"] == run_id)]


@pytest.fixture(scope="module")
def two_runs(tmp_path_factory, prefect_engine):
    """Run 1: six pages of the site (shards of 4); run 2: two more pages, into the same output."""
    work = tmp_path_factory.mktemp("templates")
    config = small_shard_config(work / "config", shard_size=4)
    write_pages(work / "in1", range(6))
    write_pages(work / "in2", range(6, 8))
    first = run(work / "in1", work / "out", config)
    second = run(work / "in2", work / "out", config)
    return work, config, first, second


def test_a_template_line_learned_in_run_1_is_removed_in_run_2(two_runs):
    work, config, first, second = two_runs
    assert template_reasons(work / "out", first["run_id"]) == ["site_template"] * 12
    assert template_reasons(work / "out", second["run_id"]) == ["site_template"] * 4
    # the two lines and the "Share" widget every page has (an exact rule keeps that one)
    assert second["templates"]["learned_from_earlier_runs"] == 3
    # run 2's two pages alone show no template
    alone = run(work / "in2", work / "alone", config)
    assert "site_template" not in template_reasons(work / "alone", alone["run_id"])
    assert alone["templates"]["template_lines"] == 0
    # the story's own paragraphs stay
    bodies = {r["source_path"]: r["text"] for r in dataset_rows(work / "out", "articles")}
    assert all("Gift a year" not in text and "Officials told" in text for text in bodies.values())


def test_a_rerun_of_classify_gives_the_same_labels(two_runs):
    from newsclean.direct import rerun_only
    from newsclean.pipeline import rerun_stage

    work, _, _, second = two_runs
    output, run_id = work / "out", second["run_id"]
    before = shardstore.read_stage_table(output, run_id, "classify", "paragraphs")
    assert rerun_only(output, run_id, "classify")["changes"]["changed"] == 0
    assert rerun_stage(run_id=run_id, stage="classify", output_dir=str(output))["changes"]["changed"] == 0
    assert shardstore.read_stage_table(output, run_id, "classify", "paragraphs") == before
    assert template_reasons(output, run_id) == ["site_template"] * 4


def test_redoing_a_runs_counts_does_not_count_it_twice(two_runs):
    work, _, first, second = two_runs
    output, settings = work / "out", TemplatesSettings()
    counts = shardstore.read_run_templates(output, second["run_id"])
    history = history_rows(output)
    for _ in range(2):  # a resumed run, a rerun from segment
        templatestore.count_run(output, second["run_id"], 1, settings)
        templatestore.count_run(output, first["run_id"], 2, settings)
    assert shardstore.read_run_templates(output, second["run_id"]) == counts
    assert history_rows(output) == history
    # each line keeps at most min_articles articles: enough to decide
    assert max(n for (n,) in query(output, "SELECT COUNT(*) FROM seen GROUP BY site, key")) == settings.min_articles


def test_the_history_is_bounded_per_site(two_runs, tmp_path):
    import shutil

    work, _, first, second = two_runs
    output = tmp_path / "out"
    shutil.copytree(work / "out", output)
    small = TemplatesSettings(max_rows_per_site=16)
    templatestore.count_run(output, second["run_id"], 1, small)
    rows = query(output, "SELECT key, COUNT(*) FROM seen GROUP BY key")
    assert sum(n for _, n in rows) <= 16  # of ~80: 5 for each line on every page, one more
    kept = {key for key, _ in rows}
    assert {line_key(t) for t in TEMPLATE} <= kept, "the template lines, on the most articles, stay"


def query(output: Path, sql: str) -> list[tuple]:
    import sqlite3
    from contextlib import closing

    with closing(sqlite3.connect(output / "_crossdoc" / templatestore.STORE_NAME)) as db:
        return db.execute(sql).fetchall()


def history_rows(output: Path) -> list[tuple]:
    return sorted(query(output, "SELECT site, key, doc, run FROM seen"))
