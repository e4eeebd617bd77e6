"""The flow on seeds/ under Prefect's test harness: the seeds must come out right."""

from __future__ import annotations

from datetime import datetime, timezone

import pyarrow.dataset as ds
import pytest

pytestmark = pytest.mark.engine


def read(output, name):
    return ds.dataset(output / name, format="parquet", partitioning="hive").to_table().to_pylist()


@pytest.fixture(scope="module")
def datasets(seeds_run):
    output, manifest = seeds_run
    articles = {a["source_path"][:3]: a for a in read(output, "articles")}
    paragraphs = read(output, "paragraphs")
    by_article = {}
    for p in sorted(paragraphs, key=lambda p: p["position"]):
        by_article.setdefault(p["article_id"], []).append(p)
    return {
        "articles": articles,
        "paragraphs": {k: by_article[a["article_id"]] for k, a in articles.items()},
        "offtopic": read(output, "offtopic"),
        "rejects": read(output, "rejects"),
        "manifest": manifest,
    }


def labelled(paragraphs, label):
    return [p["text"] for p in paragraphs if p["label"] == label]


def test_every_seed_is_an_english_article(datasets):
    assert sorted(datasets["articles"]) == ["000", "001", "002", "003", "004"]
    assert datasets["rejects"] == []
    for article in datasets["articles"].values():
        assert article["language"] == "en"
        assert article["language_score"] > 0.9
        assert article["run_id"] == datasets["manifest"]["run_id"]


def test_000_related_headlines_and_dateline(datasets):
    article, paras = datasets["articles"]["000"], datasets["paragraphs"]["000"]
    boiler = [p for p in paras if p["label"] == "boilerplate"]
    assert len(boiler) == 5 and all(p["text"].startswith("- ") for p in boiler)
    assert {p["reason"] for p in boiler} == {"related_headline_list"}
    assert article["dateline"] == "MOSCOW, August 26. /TASS/."
    assert article["text"].startswith("Deputy Defense Minister Anatoly Antonov invited")


def test_001_widgets_ads_and_trailing_link(datasets):
    article, paras = datasets["articles"]["001"], datasets["paragraphs"]["001"]
    boiler = labelled(paras, "boilerplate")
    assert boiler.count("Advertisement") == 2
    assert "Share" in boiler
    assert "Turkish leaders lash out at demands to open border" in boiler
    assert article["title"] == "Russia says US planes bombed Syria’s Aleppo on Wednesday, not Russian ones"
    assert "Advertisement" not in article["text"] and "Turkish leaders lash out" not in article["text"]
    assert "Defense Ministry spokesman Maj." in article["text"]


def test_002_appended_stories_are_offtopic(datasets):
    article, paras = datasets["articles"]["002"], datasets["paragraphs"]["002"]
    off = labelled(paras, "offtopic")
    assert len(off) == 4
    assert off[0].startswith("South Korean President Yoon")
    assert off[1].startswith("A string of rape and assault allegations")
    assert off[2].startswith("The US deployed a reconnaissance aircraft")
    assert "al-Jolani" in off[3]
    assert article["n_paragraphs"] == 25
    assert article["text"].endswith("carried out strikes in Hama province yesterday.")
    stored = [r for r in datasets["offtopic"] if r["article_id"] == article["article_id"]]
    assert [r["text"] for r in stored] == off
    assert all(r["score"] is not None and r["reason"] for r in stored)


def test_003_title_date_captions_credit(datasets):
    article, paras = datasets["articles"]["003"], datasets["paragraphs"]["003"]
    assert article["title"] == "Russia, US working on joint document on Syrian strikes"
    assert article["published_at"] == datetime(2015, 10, 7, 5, 8, tzinfo=timezone.utc)
    assert article["credit"] == "TBP and Agencies"
    assert "Follow us on:" in labelled(paras, "boilerplate")
    assert "File photo" not in article["text"]
    assert "TBP and Agencies" not in article["text"]
    assert not labelled(paras, "offtopic")


def test_004_title_repeat_date_and_blob(datasets):
    article, paras = datasets["articles"]["004"], datasets["paragraphs"]["004"]
    title = "Officials from Russian Defense Ministry Could Soon Visit Turkey for Talks on Syria"
    assert article["title"] == title
    assert labelled(paras, "duplicate") == [title]
    assert article["published_at"] == datetime(2016, 8, 27, 8, 57, 9, tzinfo=timezone.utc)
    blob = [p for p in paras if p["text"].startswith("string(1126)")]
    assert len(blob) == 1 and blob[0]["label"] == "boilerplate"
    assert "string(1126)" not in article["text"]


def test_every_input_line_is_accounted_for(datasets, seeds_run):
    """Each non-blank line of each seed is covered by the paragraphs' offsets."""
    from tests.conftest import SEEDS

    for key, paras in datasets["paragraphs"].items():
        path = next(SEEDS.glob(f"{key}_*.txt"))
        text = path.read_text(encoding="utf-8").replace("\u00a0", " ")
        covered = set()
        for p in paras:
            assert p["label"] and p["reason"], p
            covered.update(range(p["char_start"], p["char_end"]))
        for offset, char in enumerate(text):
            if not char.isspace():
                assert offset in covered, (key, offset, text[offset - 20 : offset + 20])


def test_manifest_counts_match_datasets(datasets, seeds_run):
    output, manifest = seeds_run
    counts = manifest["counts"]
    assert counts["articles"] == 5
    assert counts["paragraphs"] == sum(len(p) for p in datasets["paragraphs"].values())
    assert counts["offtopic"] == len(datasets["offtopic"]) == 4
    assert (output / "runs" / f"{manifest['run_id']}.json").exists()
    assert set(manifest["stages"]) == {"ingest", "decode", "extract", "segment", "classify", "language", "publish"}
    assert manifest["versions"]["prefect"] != "missing"
