"""Incremental runs over a growing folder: the ledger, exactly-once articles, --full,
repeatability and what readers see."""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path

import pytest

from tests.corpus import all_datasets, dataset_rows, small_shard_config, write_corpus

pytestmark = pytest.mark.engine


def run(inputs: Path, output: Path, config: Path, full: bool = False) -> dict:
    from newsclean.pipeline import clean_news

    return clean_news(input_path=str(inputs), output_dir=str(output), config_path=str(config), full=full)


def article_ids(output: Path) -> Counter:
    return Counter(a["article_id"] for a in dataset_rows(output, "articles"))


@pytest.fixture()
def folder(tmp_path):
    write_corpus(tmp_path / "in", 24)
    return tmp_path / "in", tmp_path / "out", small_shard_config(tmp_path / "config", shard_size=10)


def test_a_second_run_finds_nothing_new_and_new_files_are_processed_once(folder, prefect_engine):
    inputs, output, config = folder
    first = run(inputs, output, config)
    assert first["inputs"]["files"] == 28 and first["counts"]["articles"] == 27
    assert run(inputs, output, config)["status"] == "nothing_new"

    write_corpus(inputs, 5, start=500)  # the crawler adds files ...
    rewritten = inputs / "wire" / "00000.txt"
    rewritten.write_text(rewritten.read_text() + "\nA correction was appended to the story later on.\n")
    touched = inputs / "daily" / "00001.txt"  # ... and touches one without changing it
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 10**9))
    second = run(inputs, output, config)
    assert second["inputs"]["files"] == 6  # 5 new + 1 rewritten: new content
    assert second["skipped_inputs"]["already_processed"] == 27  # 28 - the rewritten one
    ids = article_ids(output)
    assert sum(ids.values()) == 27 + 6 and max(ids.values()) == 1

    ledger = [json.loads(p.read_text())["run_id"] for p in (output / "runs").glob("*.json")]
    assert sorted(p.stem for p in (output / "_ledger").glob("*.parquet")) == sorted(ledger)
    # the touched file was hashed once, found known, and recorded with its new mtime
    assert run(inputs, output, config)["status"] == "nothing_new"
    from newsclean import runlog

    known = runlog.read_ledger(output).to_pylist()
    assert any(r["path"] == str(touched.resolve()) and r["mtime_ns"] == touched.stat().st_mtime_ns for r in known)


def test_a_grown_jsonl_file_publishes_only_its_new_records(folder, prefect_engine):
    inputs, output, config = folder
    run(inputs, output, config)
    feed = inputs / "feeds" / "batch.jsonl"
    lines = feed.read_text().splitlines()
    extra = {"id": "rec-new", "text": "Extra record\n\nA new record appended by the crawler to the feed today."}
    feed.write_text("\n".join(lines + [json.dumps(extra)]) + "\n")
    second = run(inputs, output, config)
    assert second["inputs"]["files"] == 1
    assert second["counts"]["articles"] == 1  # the three old records were published already
    assert second["already_published"] == {"articles": 3, "rejects": 1}
    assert max(article_ids(output).values()) == 1
    rejects = Counter(r["source_path"] for r in dataset_rows(output, "rejects"))
    assert max(rejects.values()) == 1


def test_full_reprocesses_everything_and_keeps_each_article_once(folder, prefect_engine):
    inputs, output, config = folder
    first = run(inputs, output, config)
    full = run(inputs, output, config, full=True)
    assert full["inputs"]["files"] == 28 and full["counts"]["articles"] == 27
    assert full["superseded"]["articles"] == 27
    ids = article_ids(output)
    assert sum(ids.values()) == 27 and max(ids.values()) == 1
    import pyarrow.dataset as ds

    runs = ds.dataset(output / "articles", format="parquet", partitioning="hive").to_table(columns=["run_id"])
    assert set(runs["run_id"].to_pylist()) == {full["run_id"]}
    assert (output / "runs" / f"{first['run_id']}.json").exists()


def test_a_copy_of_an_input_in_the_same_run_is_a_reject(folder, prefect_engine):
    inputs, output, config = folder
    original = inputs / "wire" / "00000.txt"
    (inputs / "mirror").mkdir()
    (inputs / "mirror" / "copy.txt").write_bytes(original.read_bytes())
    manifest = run(inputs, output, config)
    assert manifest["counts"]["articles"] == 27  # the copy is not a second article
    copies = [r for r in dataset_rows(output, "rejects") if r["reason"] == "duplicate_content"]
    # inputs are taken in path order: the first path holding the bytes is the original
    assert [(r["source_path"], r["detail"]) for r in copies] == [("wire/00000.txt", "same bytes as mirror/copy.txt")]


def test_same_inputs_and_config_give_the_same_datasets(folder, tmp_path, prefect_engine):
    inputs, output, config = folder
    run(inputs, output, config)
    run(inputs, tmp_path / "again", config)
    assert all_datasets(output) == all_datasets(tmp_path / "again")


def test_an_unfinished_run_is_invisible_to_readers(folder, prefect_engine):
    """Everything but the commit done: the datasets show nothing until the next run
    resumes it (without redoing a single shard)."""
    from datetime import datetime, timezone

    from prefect import flow

    from newsclean import shardstore
    from newsclean.pipeline import execute
    from newsclean.settings import load_settings
    from newsclean.tasks import plan_task

    inputs, output, config = folder
    settings = load_settings(config)

    @flow(name="newsclean-without-commit")
    def run_without_commit() -> shardstore.RunPlan:
        plan = plan_task(inputs, output, "20990101T000000Z-aaaaaa", datetime.now(timezone.utc), str(config), False, settings)
        execute(plan, output, settings, shardstore.STAGES, range(len(plan.shards)))
        return plan

    plan = run_without_commit()
    assert dataset_rows(output, "articles") == []
    assert shardstore.unfinished_runs(output) == [plan.run_id]
    before = {p: p.stat().st_mtime_ns for p in output.glob("_stages/*/*/*.summary.json")}
    result = run(inputs, output, config)
    assert result["status"] == "nothing_new" and result["resumed_runs"] == [plan.run_id]
    assert {p: p.stat().st_mtime_ns for p in output.glob("_stages/*/*/*.summary.json")} == before
    assert len(dataset_rows(output, "articles")) == 27


def test_a_second_writer_is_refused(folder):
    """Another thread (or process) is refused; the thread holding the lock may take it
    again (the command holds it around its flow, which takes it too)."""
    import threading

    from newsclean import runlog

    _, output, _ = folder
    refused = []

    def second_writer() -> None:
        try:
            with runlog.output_lock(output):
                refused.append(False)
        except runlog.OutputBusyError:
            refused.append(True)

    with runlog.output_lock(output):
        with runlog.output_lock(output):
            writer = threading.Thread(target=second_writer)
            writer.start()
            writer.join()
    assert refused == [True]
    second_writer()
    assert refused == [True, False], "released when the holder is done"


def test_empty_files_are_not_copies_of_each_other(tmp_path):
    """Every empty file is its own `empty` reject, not a duplicate of the first one."""
    from newsclean import runlog
    from newsclean.inputs import discover_inputs
    from newsclean.planning import select_inputs

    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "c.txt").write_text("Same words.")
    (tmp_path / "d.txt").write_text("Same words.")
    selection = select_inputs(discover_inputs(tmp_path), runlog.read_ledger(tmp_path / "no-output"))
    assert [f.relative for f in selection.new] == ["a.txt", "b.txt", "c.txt"]
    assert [f.relative for f in selection.duplicates] == ["d.txt"]


def test_of_two_copies_the_supported_name_is_the_original(tmp_path):
    """`story` and `story.txt` with the same bytes: `story.txt` becomes the article,
    `story` (no supported suffix) the duplicate_content reject, whatever the path order."""
    from newsclean import runlog
    from newsclean.inputs import discover_inputs
    from newsclean.planning import select_inputs
    from newsclean.planning import duplicate_pairs

    for name in ("story", "story.txt", "story.txt.bak"):
        (tmp_path / name).write_text("The council voted 9-4 on Tuesday.")
    selection = select_inputs(discover_inputs(tmp_path), runlog.read_ledger(tmp_path / "no-output"))
    assert [f.relative for f in selection.new] == ["story.txt"]
    assert duplicate_pairs(selection) == (("story", "story.txt"), ("story.txt.bak", "story.txt"))


def test_a_file_with_a_non_utf8_name_is_known_to_the_next_run(tmp_path):
    """Its path is in the ledger escaped: the stat cache and the restat check find it."""
    import os

    from newsclean import runlog
    from newsclean.inputs import discover_inputs
    from newsclean.planning import restat_known, select_inputs

    root = tmp_path / "in"
    root.mkdir()
    with open(os.fsencode(root) + b"/caf\xe9.txt", "wb") as fh:
        fh.write(b"The council voted.")
    first = select_inputs(discover_inputs(root), runlog.read_ledger(tmp_path / "no-output"))
    ledger = runlog.ledger_table("run-1", first.new)
    again = select_inputs(discover_inputs(root), ledger)
    assert (len(again.known), again.hashed) == (1, 0), "taken from the stat cache, not read again"
    assert restat_known(again, ledger) == (), "not recorded again by every later run"


def test_refused_entries_are_planned_unhashed(tmp_path):
    """A FIFO or a link out of the input is processed (to become its reject) without
    being opened: hashing it would block or read what is not ours."""
    import os

    from newsclean import runlog
    from newsclean.inputs import discover_inputs, hash_file
    from newsclean.planning import select_inputs

    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "story.txt").write_text("The council voted.")
    selection = select_inputs(discover_inputs(tmp_path), runlog.read_ledger(tmp_path / "no-output"))
    assert [(f.relative, f.reason) for f in selection.new] == [("pipe.txt", "not_a_file"), ("story.txt", "")]
    assert selection.new[1].sha256 == hash_file(str(tmp_path / "story.txt"))
    assert selection.hashed == 1, "the FIFO is keyed by its refusal, never opened"
    ledger = runlog.ledger_table("run-1", selection.new)
    again = select_inputs(discover_inputs(tmp_path), ledger)
    assert again.new == () and len(again.known) == 2, "a refused entry is rejected once, not every run"


def test_one_record_in_two_files_of_one_run_is_published_once(tmp_path, prefect_engine):
    """The same JSONL record (id and text) in two files that land in different shards:
    one article, and the other copy a duplicate_record reject naming the kept one."""
    inputs, output = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    shared = {"id": "story-7", "title": "Harbour bridge reopens",
              "text": "The harbour bridge reopened on Monday after six weeks of repairs to its deck."}
    for name, own in (("monday.jsonl", "Ferry fares rise"), ("tuesday.jsonl", "Library hours extended")):
        record = {"id": f"{name}-own", "title": own, "text": f"{own} this week, the council said in a statement."}
        (inputs / name).write_text(json.dumps(shared) + "\n" + json.dumps(record) + "\n")
    summary = run(inputs, output, small_shard_config(tmp_path / "config", shard_size=1))

    assert summary["shards"] == 2, "one file a shard: the copies are in different shards"
    articles = dataset_rows(output, "articles")
    assert sorted(a["title"] for a in articles) == ["Ferry fares rise", "Harbour bridge reopens", "Library hours extended"]
    assert max(article_ids(output).values()) == 1
    kept = next(a["source_path"] for a in articles if a["title"] == "Harbour bridge reopens")
    copies = [r for r in dataset_rows(output, "rejects") if r["reason"] == "duplicate_record"]
    assert len(copies) == 1
    assert copies[0]["source_path"].split("#")[0] != kept.split("#")[0]
    assert copies[0]["detail"] == f"same record as {kept}"
    ids = {a["article_id"] for a in articles}
    assert {p["article_id"] for p in dataset_rows(output, "paragraphs")} == ids, "no paragraphs of the copy"
    assert summary["counts"]["rejects"] == 1
    assert summary["already_published"] == {"articles": 0, "rejects": 0}, "a copy is no earlier run's row"


def test_older_runs_stage_files_are_pruned_after_each_commit(tmp_path, prefect_engine, capsys):
    """[run] keep_stage_runs bounds _stages/ on a scheduled job; datasets stay whole, and a
    pruned run's rerun says why it cannot run."""
    import re

    from newsclean.cli import main

    inputs, output = tmp_path / "in", tmp_path / "out"
    config = small_shard_config(tmp_path / "config", shard_size=10)
    config.write_text(re.sub(r"(?m)^keep_stage_runs = \d+", "keep_stage_runs = 2", config.read_text()))
    runs, published = [], 0
    for batch in range(3):  # three scheduled runs, each with new files
        write_corpus(inputs, 4, start=100 * batch)
        summary = run(inputs, output, config)
        runs.append(summary["run_id"])
        published += summary["counts"]["articles"]
    assert summary["pruned_stage_runs"] == runs[:1]
    assert sorted(p.name for p in (output / "_stages").iterdir()) == runs[1:]
    assert sorted(p.stem for p in (output / "runs").glob("*.json")) == runs, "manifests stay"
    ids = article_ids(output)
    assert max(ids.values()) == 1 and sum(ids.values()) == published

    for command in (["rerun", runs[0], "--stage", "classify"], ["stages", runs[0]], ["report", runs[0]],
                    ["diff", runs[0], runs[2]]):
        assert main([*command, "--output", str(output)]) == 2, command
        assert "stage files were pruned" in capsys.readouterr().err, command

    keep_all = config.with_name("keep-all.toml")
    keep_all.write_text(re.sub(r"(?m)^keep_stage_runs = \d+", "keep_stage_runs = 0", config.read_text()))
    assert main(["prune", "--output", str(output), "--config", str(keep_all)]) == 0
    assert "nothing pruned" in capsys.readouterr().out and (output / "_stages" / runs[1]).exists()

    assert main(["prune", "--keep", "1", "--dry-run", "--output", str(output), "--config", str(config)]) == 0
    assert f"would delete _stages/{runs[1]}" in capsys.readouterr().out
    assert (output / "_stages" / runs[1]).exists()
    assert main(["prune", "--keep", "1", "--output", str(output), "--config", str(config)]) == 0
    assert sorted(p.name for p in (output / "_stages").iterdir()) == runs[2:]
    assert article_ids(output) == ids, "pruning never touches the datasets"
