"""A commit interrupted at any of its named steps (fault injection) is completed by the
next command: the datasets, ledger and manifest are then those of a commit that never
stopped. For every kind of commit: a run's first, a `--full` one superseding older
rows, a rerun's replacing the run's own rows."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from newsclean import datasets, inputs, runlog, shardstore
from newsclean.stages.records import Document, Paragraph, Reject, Shard
from tests.corpus import all_datasets

DATE = "2023-06-14"


def shard(text: str, rejected: str = "photo.txt") -> Shard:
    """A finished shard of two articles, with `text` in their body paragraphs."""
    docs = tuple(
        Document(article_id=f"{i:016x}", source_path=f"story-{i}.txt", kind="text", input_sha256="ab" * 32,
                 text=text, encoding="utf-8", language="en", language_score=0.99)
        for i in range(2)
    )
    paragraphs = tuple(
        Paragraph(doc.article_id, 0, text, 0, len(text), "body", "kept") for doc in docs
    ) + (Paragraph(docs[0].article_id, 1, "Advertisement", 0, 13, "boilerplate", "ad_marker"),)
    return Shard(0, docs, paragraphs, (Reject(rejected, "binary", "NUL bytes", "ingest"),))


def ledger(run_id: str) -> object:
    return runlog.ledger_table(run_id, [inputs.InputFile("/in/story-0.txt", "story-0.txt", 10, 1, "cd" * 32)])


def stage_and_commit(output: Path, run_id: str, text: str, supersede: bool = False) -> None:
    datasets.write_published_shard(output, run_id, DATE, shard(text))
    runlog.commit_run(output, run_id, DATE, {"run_id": run_id, "text": text}, ledger(run_id), supersede=supersede)


def history(output: Path, kind: str) -> None:
    """What exists before the commit under test."""
    if kind in ("full", "rerun"):
        stage_and_commit(output, "run-1", "The council voted.")


def commit_under_test(output: Path, kind: str) -> None:
    if kind == "first":
        stage_and_commit(output, "run-1", "The council voted.")
    elif kind == "full":
        stage_and_commit(output, "run-2", "The council voted again.", supersede=True)
    else:  # a rerun of run-1 with other settings replaces its rows
        stage_and_commit(output, "run-1", "The council voted, revised.")


def state(output: Path) -> dict:
    """What readers and later runs see: datasets, ledger rows, manifests, no leftovers."""
    ledger_rows = sorted(
        json.dumps(row, sort_keys=True) for p in sorted((output / "_ledger").glob("*.parquet"))
        for row in pq.read_table(p).to_pylist()
    )
    manifests = {p.name: json.loads(p.read_text()) for p in sorted((output / "runs").glob("*.json"))}
    marks = sorted(str(p.relative_to(output)) for p in output.rglob(datasets.COMMIT_MARK))
    staged = sorted(str(p.relative_to(output)) for p in output.glob("_stages/*/publish/*/*/*"))
    return {"datasets": all_datasets(output), "ledger": ledger_rows, "manifests": manifests,
            "marks": marks, "staged": staged, "journals": runlog.interrupted_commits(output)}


@pytest.fixture(scope="module")
def clean_states(tmp_path_factory) -> dict[str, dict]:
    states = {}
    for kind in ("first", "full", "rerun"):
        output = tmp_path_factory.mktemp(f"clean-{kind}")
        history(output, kind)
        commit_under_test(output, kind)
        states[kind] = state(output)
    return states


@pytest.mark.parametrize("step", runlog.COMMIT_STEPS)
@pytest.mark.parametrize("kind", ["first", "full", "rerun"])
def test_a_commit_interrupted_at_any_step_is_completed_by_the_next_command(
    kind, step, tmp_path, monkeypatch, clean_states
):
    output = tmp_path / "out"
    history(output, kind)
    monkeypatch.setenv("NEWSCLEAN_FAULT", step)
    with pytest.raises(runlog.InjectedFault):
        commit_under_test(output, kind)
    monkeypatch.delenv("NEWSCLEAN_FAULT")
    interrupted = [{"first": "run-1", "full": "run-2", "rerun": "run-1"}[kind]]
    assert runlog.interrupted_commits(output) == interrupted, "the next command can tell"
    assert runlog.finish_commits(output) == interrupted
    assert state(output) == clean_states[kind]


@pytest.mark.parametrize("kind", ["first", "full", "rerun"])
def test_a_commit_interrupted_twice_is_still_completed(kind, tmp_path, monkeypatch, clean_states):
    """The finishing itself is interrupted (at the swap of paragraphs, then of rejects)."""
    output = tmp_path / "out"
    history(output, kind)
    monkeypatch.setenv("NEWSCLEAN_FAULT", "swapped_articles")
    with pytest.raises(runlog.InjectedFault):
        commit_under_test(output, kind)
    for step in ("swapped_paragraphs", "swapped_rejects"):
        monkeypatch.setenv("NEWSCLEAN_FAULT", step)
        with pytest.raises(runlog.InjectedFault):
            runlog.finish_commits(output)
    monkeypatch.delenv("NEWSCLEAN_FAULT")
    runlog.finish_commits(output)
    assert state(output) == clean_states[kind]


def test_a_superseding_commit_keeps_its_counts_when_finished_after_a_crash(tmp_path, monkeypatch, clean_states):
    output = tmp_path / "out"
    history(output, "full")
    monkeypatch.setenv("NEWSCLEAN_FAULT", "swapped_offtopic")
    with pytest.raises(runlog.InjectedFault):
        commit_under_test(output, "full")
    monkeypatch.delenv("NEWSCLEAN_FAULT")
    runlog.finish_commits(output)
    manifest = json.loads((output / "runs" / "run-2.json").read_text())
    assert manifest["superseded"] == {"articles": 2, "paragraphs": 3, "rejects": 1}


def test_an_interrupted_rerun_commit_is_never_swapped_back(tmp_path, monkeypatch):
    """Redoing the swap of a dataset already swapped must not bring the old rows back."""
    output = tmp_path / "out"
    stage_and_commit(output, "run-1", "Old words.")
    monkeypatch.setenv("NEWSCLEAN_FAULT", "swapped_articles")
    with pytest.raises(runlog.InjectedFault):
        stage_and_commit(output, "run-1", "New words.")
    monkeypatch.delenv("NEWSCLEAN_FAULT")
    for _ in range(2):
        runlog.finish_commits(output)
    texts = {row["text"] for row in all_datasets(output)["articles"]}
    assert texts == {"New words."}


def test_prune_leaves_a_run_whose_commit_is_interrupted(tmp_path, monkeypatch):
    output = tmp_path / "out"
    stage_and_commit(output, "run-1", "Old words.")
    monkeypatch.setenv("NEWSCLEAN_FAULT", "swapped_paragraphs")
    with pytest.raises(runlog.InjectedFault):
        stage_and_commit(output, "run-1", "New words.")
    monkeypatch.delenv("NEWSCLEAN_FAULT")
    assert shardstore.prune_stages(output, keep=0) == [], "its journal and staged rows are what finishes it"


def test_stages_finishes_an_interrupted_commit_and_says_so(tmp_path, monkeypatch, capsys):
    from newsclean.cli import main

    output = tmp_path / "out"
    stage_and_commit(output, "run-1", "Old words.")
    plan = shardstore.RunPlan("run-1", "/in", "/config.toml", DATE, "2023-06-14T00:00:00+00:00", False, ((),))
    shardstore.write_plan(output, plan)
    monkeypatch.setenv("NEWSCLEAN_FAULT", "swapped_articles")
    with pytest.raises(runlog.InjectedFault):
        stage_and_commit(output, "run-1", "New words.")
    monkeypatch.delenv("NEWSCLEAN_FAULT")
    assert main(["stages", "run-1", "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("finished the commit of run run-1, which a crash had interrupted\n")
    assert "run run-1 (committed)" in out
    assert {row["text"] for row in all_datasets(output)["paragraphs"]} == {"New words.", "Advertisement"}
    assert runlog.interrupted_commits(output) == []


def test_a_commit_step_can_kill_the_process(tmp_path):
    """`NEWSCLEAN_FAULT=<step>:kill` is kill -9 at that step, for crash tests of real runs."""
    import subprocess
    import sys

    code = (
        "from tests.test_commit import stage_and_commit; from pathlib import Path; "
        f"stage_and_commit(Path({str(tmp_path / 'out')!r}), 'run-1', 'Words.')"
    )
    root = Path(__file__).resolve().parents[1]
    env = {"NEWSCLEAN_FAULT": "swapped_paragraphs:kill", "PYTHONPATH": str(root), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, timeout=600)
    assert done.returncode == -9, done.stderr.decode()[-2000:]
    assert runlog.interrupted_commits(tmp_path / "out") == ["run-1"]
    runlog.finish_commits(tmp_path / "out")
    assert {row["text"] for row in all_datasets(tmp_path / "out")["articles"]} == {"Words."}
