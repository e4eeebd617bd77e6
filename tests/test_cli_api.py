"""The Python API: `newsclean.clean` and the flow `newsclean.clean_news` (as a subflow),
both loaded on first use: `import newsclean` stays light."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

import newsclean

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "pipeline.toml"
STORY = ("Council approves new budget\n\nThe city council approved the budget on Tuesday after a long "
         "debate about the cost of repairing the old bridge over the river.\n\nShare this article\n")


def test_import_newsclean_loads_neither_prefect_nor_pyarrow():
    code = ("import sys, newsclean; newsclean.clean; newsclean.config_file; "
            "heavy = sorted({'prefect', 'pyarrow'} & set(sys.modules)); assert not heavy, heavy")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr


def test_the_lazy_names_are_the_real_ones():
    from newsclean import api, pipeline

    assert newsclean.clean is api.clean
    assert newsclean.clean_news is pipeline.clean_news and newsclean.rerun_stage is pipeline.rerun_stage
    assert {"clean", "clean_news", "__version__"} <= set(dir(newsclean))
    with pytest.raises(AttributeError):
        newsclean.no_such_name  # noqa: B018


@pytest.mark.parametrize("input_, output, words", [
    ("s3://bucket/crawl", "out", "input s3://bucket/crawl is a URL"),
    ("in", "gs://bucket/out", "output gs://bucket/out is a URL"),
    ("missing", "out", "input not found"),
])
def test_clean_refuses_before_writing_anything(input_, output, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(STORY)
    with pytest.raises(ValueError, match=words.replace(".", r"\.")):
        newsclean.clean(input_, output)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"]


@pytest.mark.engine
def test_clean_returns_the_manifest_and_links_the_report(prefect_engine, tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(STORY)
    manifest = newsclean.clean(tmp_path / "in", tmp_path / "out", config=CONFIG, workers=1, runner="threads")
    assert manifest["status"] == "complete" and manifest["counts"]["articles"] == 1
    assert (tmp_path / "out" / "runs" / f"{manifest['run_id']}.json").exists()
    (article,) = ds.dataset(tmp_path / "out" / "articles", format="parquet", partitioning="hive").to_table().to_pylist()
    assert "Share this article" not in article["text"]
    report = tmp_path / "out" / "reports" / f"{manifest['run_id']}.html"
    assert manifest["run_id"] in report.read_text(encoding="utf-8"), "written at commit"

    import httpx
    from prefect.settings import PREFECT_API_URL

    response = httpx.post(f"{PREFECT_API_URL.value()}/artifacts/filter",
                          json={"sort": "CREATED_DESC", "limit": 200, "offset": 0}, timeout=30)
    links = [a for a in response.json() if a["key"] == "newsclean-run-report"]
    assert links and f"({report.resolve().as_uri()})" in links[0]["data"]  # [text](link)
    summary = next(a for a in response.json() if a["key"] == "newsclean-run-summary")
    assert report.resolve().as_uri() in summary["data"]

    again = newsclean.clean(tmp_path / "in", tmp_path / "out", config=CONFIG, runner="threads")
    assert again["status"] == "nothing_new"


@pytest.mark.engine
def test_clean_news_runs_as_a_subflow_of_a_users_flow(prefect_engine, tmp_path):
    from prefect import flow

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "story.txt").write_text(STORY)

    @flow(name="a-teams-nightly-flow")
    def nightly(crawl: str, data: str) -> dict:
        return newsclean.clean_news(input_path=crawl, output_dir=data, config_path=str(CONFIG), runner="threads")

    manifest = nightly(str(tmp_path / "in"), str(tmp_path / "data"))
    assert manifest["status"] == "complete" and manifest["counts"]["articles"] == 1


def test_a_run_too_large_for_a_report_at_commit_gets_none(tmp_path):
    from newsclean.pipeline import REPORT_AT_COMMIT_MAX_PARAGRAPHS, write_report

    assert write_report(tmp_path, "r1", REPORT_AT_COMMIT_MAX_PARAGRAPHS + 1) is None
    assert not (tmp_path / "reports").exists(), "not even read: `newsclean report` writes it"
