"""Single-stage reruns from persisted shard output, `stages`, `diff` and `latest`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.corpus import all_datasets, dataset_rows, small_shard_config, write_corpus

pytestmark = pytest.mark.engine


@pytest.fixture()
def committed(tmp_path, prefect_engine):
    """A committed run of 24 articles in 3 shards: (output, config, manifest)."""
    from newsclean.pipeline import clean_news

    write_corpus(tmp_path / "in", 24)
    config = small_shard_config(tmp_path / "config", shard_size=10)
    output = tmp_path / "out"
    manifest = clean_news(input_path=str(tmp_path / "in"), output_dir=str(output), config_path=str(config))
    return output, config, manifest


def without_share_phrase(config: Path, folder: Path) -> Path:
    """A copy of the config whose share-widget phrase list is renamed `share_button`."""
    folder.mkdir()
    shutil.copy(config, folder / "pipeline.toml")
    rules = (config.parent / "rules.toml").read_text()
    assert "\nshare_widget = [" in rules
    (folder / "rules.toml").write_text(rules.replace("\nshare_widget = [", "\nshare_button = [", 1))
    return folder / "pipeline.toml"


def test_rerun_one_shard_with_the_same_config_changes_nothing(committed):
    from newsclean import shardstore
    from newsclean.pipeline import rerun_stage

    output, _, manifest = committed
    run_id = manifest["run_id"]
    before = all_datasets(output)
    untouched = shardstore.summary_path(output, run_id, "classify", 0).stat().st_mtime_ns
    result = rerun_stage(run_id="latest", stage="classify", output_dir=str(output), shard=1)
    assert result["run_id"] == run_id and result["changes"]["changed"] == 0
    assert shardstore.summary_path(output, run_id, "classify", 0).stat().st_mtime_ns == untouched
    assert all_datasets(output) == before
    saved = json.loads((output / "runs" / f"{run_id}.json").read_text())
    assert [(e["stage"], e["shards"]) for e in saved["reruns"]] == [("classify", [1])]
    partitions = list((output / "articles").glob("ingest_date=*/run_id=*"))
    assert len(partitions) == 1 and len(list(partitions[0].glob("*.parquet"))) == 3


def test_rerun_with_an_edited_word_list_replaces_the_runs_rows(committed, tmp_path):
    from newsclean.pipeline import rerun_stage

    output, config, manifest = committed
    edited = without_share_phrase(config, tmp_path / "edited")
    result = rerun_stage(run_id=manifest["run_id"], stage="classify", output_dir=str(output),
                         config_path=str(edited))
    changes = result["changes"]
    assert changes["changed"] >= 24
    assert changes["by_change"]["boilerplate/share_widget -> boilerplate/share_button"] >= 24
    shares = [p for p in dataset_rows(output, "paragraphs") if p["text"] == "Share"]
    assert shares and all(p["reason"] == "share_button" for p in shares)
    assert len(dataset_rows(output, "articles")) == 27
    assert result["manifest"]["config_path"] == str(edited.resolve())


def test_rerun_only_leaves_the_datasets_alone(committed, tmp_path):
    from newsclean.pipeline import rerun_stage

    output, config, manifest = committed
    before = all_datasets(output)
    edited = without_share_phrase(config, tmp_path / "edited")
    result = rerun_stage(run_id=manifest["run_id"], stage="classify", output_dir=str(output), shard=0,
                         only=True, config_path=str(edited))
    assert result["manifest"] is None and result["changes"]["changed"] > 0
    assert all_datasets(output) == before


def test_stages_and_diff_commands(committed, tmp_path, capsys):
    from newsclean.cli import main
    from newsclean.pipeline import clean_news

    output, config, manifest = committed
    assert main(["stages", "latest", "--output", str(output)]) == 0
    table = capsys.readouterr().out
    assert f"run {manifest['run_id']} (committed), 3 shards" in table
    for stage in ("ingest", "classify", "publish"):
        line = next(l for l in table.splitlines() if l.startswith(stage))
        assert "done" in line and "3/3" in line

    edited = without_share_phrase(config, tmp_path / "edited")
    other = clean_news(input_path=str(tmp_path / "in"), output_dir=str(tmp_path / "other"), config_path=str(edited))
    shutil.copytree(tmp_path / "other" / "_stages" / other["run_id"], output / "_stages" / other["run_id"])
    assert main(["diff", manifest["run_id"], other["run_id"], "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert "boilerplate/share_widget -> boilerplate/share_button" in out and "examples:" in out


def test_bad_reruns_are_refused_in_one_line(committed, capsys):
    from newsclean.cli import main

    output, _, manifest = committed
    assert main(["rerun", manifest["run_id"], "--stage", "classify", "--shard", "9", "--output", str(output)]) == 2
    assert "has shards 0..2, not 9" in capsys.readouterr().err
    assert main(["stages", "nope", "--output", str(output)]) == 2
    assert "no run 'nope'" in capsys.readouterr().err


def test_a_rerun_whose_commit_crashed_after_one_swap_is_finished_by_the_next_command(
    committed, tmp_path, monkeypatch, capsys
):
    """Killed inside the rerun's commit after the articles were swapped in: articles from
    the new config, paragraphs from the old. `stages` finishes the commit and says so;
    the datasets are then those of a rerun that never stopped."""
    from newsclean import runlog
    from newsclean.cli import main
    from newsclean.pipeline import rerun_stage

    output, config, manifest = committed
    edited = without_share_phrase(config, tmp_path / "edited")
    clean = tmp_path / "clean"
    shutil.copytree(output, clean)
    rerun_stage(run_id=manifest["run_id"], stage="classify", output_dir=str(clean), config_path=str(edited))

    monkeypatch.setenv("NEWSCLEAN_FAULT", "swapped_articles")
    with pytest.raises(runlog.InjectedFault):
        rerun_stage(run_id=manifest["run_id"], stage="classify", output_dir=str(output), config_path=str(edited))
    monkeypatch.delenv("NEWSCLEAN_FAULT")
    assert runlog.interrupted_commits(output) == [manifest["run_id"]]
    assert main(["stages", "latest", "--output", str(output)]) == 0
    assert f"finished the commit of run {manifest['run_id']}, which a crash had interrupted" in capsys.readouterr().out
    assert all_datasets(output) == all_datasets(clean)


def test_a_run_with_nothing_new_answers_without_loading_prefects_flow(committed, capsys, monkeypatch):
    import sys
    import types

    from newsclean.cli import main

    output, config, manifest = committed
    inputs = output.parent / "in"
    stub = types.ModuleType("newsclean.pipeline")
    stub.__getattr__ = lambda name: pytest.fail(f"the Prefect flow was loaded (newsclean.pipeline.{name})")  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "newsclean.pipeline", stub)
    assert main(["run", "--input", str(inputs), "--output", str(output), "--config", str(config)]) == 0
    assert capsys.readouterr().out.startswith(f"nothing new in {inputs}")


def test_rerun_only_runs_without_prefects_engine(committed, capsys, monkeypatch):
    import sys
    import types

    from newsclean import shardstore
    from newsclean.cli import main

    output, _, manifest = committed
    run_id = manifest["run_id"]
    stub = types.ModuleType("newsclean.pipeline")
    stub.__getattr__ = lambda name: pytest.fail(f"the Prefect flow was loaded (newsclean.pipeline.{name})")  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "newsclean.pipeline", stub)
    before = shardstore.summary_path(output, run_id, "classify", 1).stat().st_mtime_ns
    assert main(["rerun", run_id, "--stage", "classify", "--shard", "1", "--only", "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert f"run {run_id}: reran classify on shard 1 in" in out
    assert "\n0 of " in out and "matched paragraphs changed label or reason" in out
    assert shardstore.summary_path(output, run_id, "classify", 1).stat().st_mtime_ns > before
