"""Across documents, end to end: versions of an edited page between two runs (one row in
articles_latest), near-duplicate clusters of a syndicated story, the output contract."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsclean import datasets
from tests.corpus import dataset_rows, small_shard_config

pytestmark = pytest.mark.engine

FERRY = """Ferry crews walk out over night shifts

The harbour ferry operator cancelled every crossing on Tuesday after crews refused to work a new pattern of night shifts that the company introduced without consultation, union officials said.

Commuters from the island waited for hours at the terminal before a replacement bus service began running across the northern bridge, adding almost an hour to the usual journey into the city.

The operator said talks with the union would resume on Thursday and that it hoped to restore a reduced timetable by the weekend, although it could not promise that the evening sailings would run.
"""
ORCHARD = """Frost ruins half the apple blossom in the valley

Growers in the upper valley lost about half of their apple blossom to a late frost that settled over the orchards on Sunday night, the regional farmers' association estimated.

Some farms lit smudge pots and ran wind machines through the night, but temperatures fell below minus three degrees for several hours, long enough to kill the open flowers on most varieties.

The association asked the provincial government for emergency loans, warning that many family orchards had not yet recovered from the drought two summers ago.
"""
MUSEUM = """Museum reopens its whale hall after restoration

The natural history museum reopened its whale hall on Saturday after a two-year restoration that cleaned and rehung the skeleton of a blue whale found stranded on the coast in 1891.

Conservators replaced corroded iron fittings with stainless steel, repaired cracked vertebrae with a reversible resin and photographed every bone for a digital model that visitors can explore on tablets.

Admission to the hall is free for the first month, and the museum expects more than forty thousand visitors before the school holidays begin.
"""


def syndicated(text: str) -> str:
    """The same story on another site: another lead sentence, one more paragraph."""
    lines = text.split("\n\n")
    lines[1] = "Ferry services to the island stopped on Tuesday when crews refused a new pattern of night shifts " \
               "introduced without consultation, according to union officials."
    lines.append("Readers can follow updates on the dispute in our transport section throughout the week.")
    return "\n\n".join(lines)


def run(inputs: Path, output: Path, config: Path) -> dict:
    from newsclean.pipeline import clean_news

    return clean_news(input_path=str(inputs), output_dir=str(output), config_path=str(config))


def by_path(rows: list[dict]) -> dict[str, dict]:
    return {r["source_path"]: r for r in rows}


# (before the test that captures the console: Prefect's log handlers keep the stream it gave them)
def test_a_large_run_is_linked_in_a_process_of_its_own(tmp_path, prefect_engine, monkeypatch):
    """Over [neardup] own_process_min_articles the step runs in a fresh interpreter: the
    command's own link_run is never called, and the links are the same."""
    from newsclean import crossdoc

    inputs = tmp_path / "in"
    for path, text in {"wire/ferry.txt": FERRY, "daily/museum.txt": MUSEUM, "herald/ferry-copy.txt": syndicated(FERRY)}.items():
        (inputs / path).parent.mkdir(parents=True, exist_ok=True)
        (inputs / path).write_text(text, encoding="utf-8")
    here = run(inputs, tmp_path / "here", small_shard_config(tmp_path / "config", shard_size=2))
    apart_config = small_shard_config(tmp_path / "config-apart", shard_size=2)
    apart_config.write_text(apart_config.read_text(encoding="utf-8").replace(
        "own_process_min_articles = 20000", "own_process_min_articles = 1"), encoding="utf-8")

    def not_here(*args, **kwargs):
        raise AssertionError("link_run ran in the command")

    monkeypatch.setattr(crossdoc, "link_run", not_here)
    apart = run(inputs, tmp_path / "apart", apart_config)
    assert apart["crossdoc"] == here["crossdoc"] and apart["crossdoc"]["in_clusters"] == 1
    links = ("doc_key", "version", "dup_similarity")
    mine = {r["source_path"]: [r[k] for k in links] for r in dataset_rows(tmp_path / "here", "articles")}
    theirs = {r["source_path"]: [r[k] for k in links] for r in dataset_rows(tmp_path / "apart", "articles")}
    assert mine == theirs


def test_a_failing_linking_process_says_why(tmp_path):
    from newsclean.crossdoc import link_run_apart
    from newsclean.settings import NeardupSettings

    not_a_folder = tmp_path / "output"
    not_a_folder.write_text("a file where the output should be", encoding="utf-8")
    with pytest.raises(RuntimeError, match="cross-document step failed in its own process"):
        link_run_apart(not_a_folder, "20261203T000000Z-aaaaaa", "2026-12-03", NeardupSettings())


def test_an_edited_page_is_version_2_and_syndicated_copies_share_a_cluster(tmp_path, prefect_engine, capsys):
    inputs, output = tmp_path / "in", tmp_path / "out"
    config = small_shard_config(tmp_path / "config", shard_size=2)  # the copies land in different shards
    for path, text in {"wire/ferry.txt": FERRY, "wire/orchard.txt": ORCHARD, "daily/museum.txt": MUSEUM,
                       "herald/ferry-copy.txt": syndicated(FERRY)}.items():
        (inputs / path).parent.mkdir(parents=True, exist_ok=True)
        (inputs / path).write_text(text, encoding="utf-8")
    first = run(inputs, output, config)
    assert first["crossdoc"]["in_clusters"] == 1
    articles = by_path(dataset_rows(output, "articles"))
    # a run's articles count as seen in source-path order (no fetch times): herald/ first
    ferry, copy = articles["wire/ferry.txt"], articles["herald/ferry-copy.txt"]
    assert ferry["dup_cluster"] == copy["article_id"] and 0.3 <= ferry["dup_similarity"] < 1.0
    assert copy["dup_cluster"] == copy["article_id"] and copy["dup_similarity"] == 1.0
    for path in ("wire/orchard.txt", "daily/museum.txt"):
        assert articles[path]["dup_cluster"] == articles[path]["article_id"]
    assert {r["doc_key"] for r in articles.values()} == set(articles) and {r["version"] for r in articles.values()} == {1}

    # the museum edits its page; a second copy of the ferry story appears on a fourth site
    (inputs / "daily/museum.txt").write_text(MUSEUM.replace("forty thousand", "fifty thousand")
                                             + "\nThe hall is closed on Mondays.\n", encoding="utf-8")
    (inputs / "gazette").mkdir()
    (inputs / "gazette/ferry.txt").write_text(FERRY.replace("Thursday", "Friday"), encoding="utf-8")
    run(inputs, output, config)
    museum = [r for r in dataset_rows(output, "articles") if r["doc_key"] == "daily/museum.txt"]
    assert sorted(r["version"] for r in museum) == [1, 2]
    latest = [r for r in dataset_rows(output, "articles_latest") if r["doc_key"] == "daily/museum.txt"]
    assert len(latest) == 1 and latest[0]["version"] == 2 and "fifty thousand" in latest[0]["text"]
    assert len(dataset_rows(output, "articles_latest")) == 5  # one per doc_key
    gazette = by_path(dataset_rows(output, "articles"))["gazette/ferry.txt"]
    assert gazette["dup_cluster"] == copy["article_id"] and gazette["dup_similarity"] >= 0.3  # against history
    assert len(list((output / "_crossdoc").glob("ingest_date=*/run_id=*"))) == 2

    # what changed between the museum's two versions, as `newsclean versions` prints it
    from newsclean.cli import main

    assert main(["versions", "daily/museum.txt", "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert "version 1 -> 2: 1 paragraphs removed, 2 added" in printed
    assert "+ The hall is closed on Mondays." in printed and "- Admission to the hall is free" in printed
    assert main(["versions", "nowhere.txt", "--output", str(output)]) == 2


def test_the_articles_schema_carries_the_cross_document_columns():
    names = datasets.ARTICLES_SCHEMA.names
    assert names[-4:] == ["doc_key", "version", "dup_cluster", "dup_similarity"]
    assert datasets.ARTICLES_SCHEMA.field("version").type == "int32"
    assert datasets.ARTICLES_SCHEMA.field("dup_similarity").type == "double"
    assert datasets.LATEST in datasets.COMMITTED and datasets.CROSSDOC in datasets.COMMITTED



def test_the_linking_process_ends_with_the_command(tmp_path):
    """A command killed mid-commit takes its linking process with it: started for a parent
    that is gone, it exits at once, before it touches the output."""
    import subprocess
    import sys

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_parent = gone.stdout.strip()
    done = subprocess.run([sys.executable, "-m", "newsclean.crossdoc", str(tmp_path / "out"), "20261203T000000Z-aaaaaa",
                           "2026-12-03", "{}", dead_parent], capture_output=True, text=True)
    assert done.returncode == 3 and not (tmp_path / "out").exists()
