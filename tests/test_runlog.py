"""runlog: run ids, the ledger, the journalled commit."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from newsclean import runlog


def test_new_run_ids_sort_by_time_and_are_unique():
    early = runlog.new_run_id(datetime(2023, 6, 14, 22, 45, tzinfo=timezone.utc))
    late = runlog.new_run_id(datetime(2023, 6, 15, 1, 0, tzinfo=timezone.utc))
    assert early.startswith("20230614T224500Z-") and early < late
    assert runlog.new_run_id(datetime(2023, 6, 14, tzinfo=timezone.utc)) != runlog.new_run_id(
        datetime(2023, 6, 14, tzinfo=timezone.utc))


def test_the_ledger_records_the_hashed_inputs_at_commit(tmp_path):
    from newsclean.inputs import InputFile

    files = [InputFile("/in/a.txt", "a.txt", 3, 5, sha256="ab" * 32),
             InputFile("/in/b.txt", "b.txt", 4, 6)]  # unreadable when planned: no hash, not recorded
    assert runlog.read_ledger(tmp_path).num_rows == 0 and runlog.read_ledger(tmp_path).schema == runlog.LEDGER_SCHEMA
    runlog.commit_run(tmp_path, "run-1", "2023-06-14", {"run_id": "run-1"}, ledger=runlog.ledger_table("run-1", files))
    assert runlog.read_ledger(tmp_path).to_pylist() == [
        {"sha256": "ab" * 32, "source_path": "a.txt", "path": "/in/a.txt", "size": 3, "mtime_ns": 5, "run_id": "run-1"}]
    assert runlog.is_committed(tmp_path, "run-1") and runlog.interrupted_commits(tmp_path) == []


def test_a_commit_stopped_at_a_fault_point_is_finished_by_the_next_command(tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSCLEAN_FAULT", "ledger_written")
    with pytest.raises(runlog.InjectedFault):
        runlog.commit_run(tmp_path, "run-1", "2023-06-14", {"run_id": "run-1"})
    assert not runlog.is_committed(tmp_path, "run-1") and runlog.interrupted_commits(tmp_path) == ["run-1"]
    monkeypatch.delenv("NEWSCLEAN_FAULT")
    assert runlog.finish_commits(tmp_path) == ["run-1"]
    assert runlog.read_manifest(tmp_path, "latest") == {"run_id": "run-1"}
