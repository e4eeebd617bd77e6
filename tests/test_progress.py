"""Progress of a run: plain log lines off a terminal; the atomic partition swap of reruns."""

from __future__ import annotations

import logging

import pytest


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


class Future:
    """Just what progress tracking uses of a Prefect future."""

    def __init__(self):
        self.callbacks = []

    def add_done_callback(self, fn):
        self.callbacks.append(fn)

    def finish(self):
        for fn in self.callbacks:
            fn(self)


def test_the_current_stage_is_the_first_still_working():
    from newsclean.progress import LogProgress

    progress = LogProgress()
    progress.start("run r1", total=2, done=0)
    futures = {(stage, shard): Future() for shard in (0, 1) for stage in ("ingest", "decode", "publish")}
    for (stage, _), future in futures.items():
        progress.track(stage, future)
    assert progress.current_stage() == "ingest 0/2"
    done = [("ingest", 0), ("ingest", 1), ("decode", 0)]
    for key in done:
        futures[key].finish()
    assert progress.current_stage() == "decode 1/2"
    for key, future in futures.items():
        if key not in done:
            future.finish()
    assert progress.current_stage() == "committing"


def test_line_progress_prints_each_shard_on_stderr(capsys):
    from newsclean.progress import LineProgress

    progress = LineProgress()
    progress.start("run r1", total=2, done=0)
    publish = Future()
    progress.track("publish", publish)
    progress.advance(40)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("run r1: 1/2 shards done, 40 articles, ") and "(now: publish 0/1)" in captured.err


def test_the_bar_shows_the_stage_shards_articles_and_rate():
    import io

    from rich.console import Console

    from newsclean.progress import BarProgress

    screen = io.StringIO()
    bar = BarProgress("run r1", Console(file=screen, force_terminal=True, width=160))
    bar.status("starting Prefect's engine")
    bar.start("run r1", total=3, done=1)
    classify = Future()
    bar.track("classify", classify)
    classify.finish()
    bar.advance(25)
    task = bar.bar.tasks[0]
    assert task.description == "run r1" and task.total == 3 and task.completed == 2
    assert task.fields["stage"] == "committing" and task.fields["rate"].startswith("25 articles, ")
    bar.close()
    assert "run r1" in screen.getvalue() and "shards" in screen.getvalue()


@pytest.mark.filterwarnings("ignore:Logger 'prefect.task_runs' attempted to send logs")
def test_routed_logs_keep_prefects_task_lines_off_the_terminal_and_in_the_file(tmp_path):
    from prefect.logging.configuration import ensure_logging_setup

    from newsclean.progress import routed_logs

    ensure_logging_setup()  # as a flow run does: Prefect's console handler on the root logger

    consoles = [h for h in logging.getLogger().handlers if type(h).__name__ == "PrefectConsoleHandler"]
    assert consoles, "Prefect's console handler"
    before = [h.level for h in consoles]
    task_lines = logging.getLogger("prefect.task_runs")
    with routed_logs("warning", tmp_path / "run.log"):
        assert all(h.level == logging.WARNING for h in consoles)
        task_lines.info("classify shard 3: 500 documents")
    with routed_logs("info"):
        assert all(h.level == logging.INFO for h in consoles)
    assert [h.level for h in consoles] == before, "undone"
    assert "classify shard 3: 500 documents" in (tmp_path / "run.log").read_text()
