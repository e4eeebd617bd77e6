"""Progress of a run: plain log lines off a terminal; the atomic partition swap of reruns."""

from __future__ import annotations

import logging


def test_log_progress_says_shards_done_and_articles_per_second(caplog):
    from newsclean.progress import LogProgress

    progress = LogProgress()
    progress.start("run r1", total=4, done=1)
    with caplog.at_level(logging.INFO, logger="newsclean"):
        progress.advance(120)
        progress.advance(80)
    progress.finish()
    lines = [r.getMessage() for r in caplog.records]
    assert lines[0].startswith("run r1: 2/4 shards done, 120 articles, ")
    assert lines[1].startswith("run r1: 3/4 shards done, 200 articles, ") and lines[1].endswith("articles/s")


def test_exchange_paths_swaps_two_folders(tmp_path):
    from newsclean.atomic import exchange_paths

    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "part-00000.parquet").write_text("new rows")
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "part-00000.parquet").write_text("old rows")
    exchange_paths(tmp_path / "new", tmp_path / "old")
    assert (tmp_path / "old" / "part-00000.parquet").read_text() == "new rows"
    assert (tmp_path / "new" / "part-00000.parquet").read_text() == "old rows"
