"""runlog: run ids."""

from __future__ import annotations

from datetime import datetime, timezone

from newsclean import runlog


def test_new_run_ids_sort_by_time_and_are_unique():
    early = runlog.new_run_id(datetime(2023, 6, 14, 22, 45, tzinfo=timezone.utc))
    late = runlog.new_run_id(datetime(2023, 6, 15, 1, 0, tzinfo=timezone.utc))
    assert early.startswith("20230614T224500Z-") and early < late
    assert runlog.new_run_id(datetime(2023, 6, 14, tzinfo=timezone.utc)) != runlog.new_run_id(
        datetime(2023, 6, 14, tzinfo=timezone.utc))
