"""How a run reports its progress: shards done of total and articles per second.

The flow reports to whatever `current()` returns: plain log lines by default (served
runs, pipes, CI), a live progress bar when the `newsclean` command runs in a terminal.
"""

from __future__ import annotations

import logging
from time import perf_counter
from typing import Protocol


class Progress(Protocol):
    def start(self, label: str, total: int, done: int) -> None: ...
    def advance(self, articles: int) -> None: ...
    def finish(self) -> None: ...


class LogProgress:
    """One log line per finished shard."""

    def start(self, label: str, total: int, done: int) -> None:
        self.label, self.total, self.done, self.articles = label, total, done, 0
        self.clock = perf_counter()

    def advance(self, articles: int) -> None:
        self.done += 1
        self.articles += articles
        rate = self.articles / max(perf_counter() - self.clock, 1e-6)
        _logger().info(
            "%s: %d/%d shards done, %d articles, %.1f articles/s",
            self.label, self.done, self.total, self.articles, rate,
        )

    def finish(self) -> None:
        pass


class BarProgress:
    """A rich progress bar on the terminal. Prefect's console log lines would tear the
    bar, so they are held back to warnings while it shows (the Prefect API and UI still
    get every log line)."""

    def start(self, label: str, total: int, done: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.articles, self.clock = 0, perf_counter()
        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("shards"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
        )
        self.task = self.bar.add_task(label, total=total, completed=done, rate="")
        self.quieted = _quiet_console_logs()
        self.bar.start()

    def advance(self, articles: int) -> None:
        self.articles += articles
        rate = self.articles / max(perf_counter() - self.clock, 1e-6)
        self.bar.update(self.task, advance=1, rate=f"{self.articles} articles, {rate:.1f}/s")

    def finish(self) -> None:
        self.bar.stop()
        for handler, level in self.quieted:
            handler.setLevel(level)


_current: Progress = LogProgress()


def use(progress: Progress) -> None:
    """Report progress of the runs in this process to `progress`."""
    global _current
    _current = progress


def current() -> Progress:
    return _current


def _logger() -> logging.Logger | logging.LoggerAdapter:
    try:
        from prefect.logging import get_run_logger

        return get_run_logger()
    except Exception:  # outside a flow run
        return logging.getLogger("newsclean")


def _quiet_console_logs() -> list[tuple[logging.Handler, int]]:
    quieted = []
    for name in ("", "prefect", "prefect.flow_runs", "prefect.task_runs"):
        for handler in logging.getLogger(name).handlers:
            if type(handler).__name__ == "PrefectConsoleHandler":
                quieted.append((handler, handler.level))
                handler.setLevel(logging.WARNING)
    return quieted
