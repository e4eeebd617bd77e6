"""How a run reports its progress: the stage it is at, shards and articles done, articles
per second; and where log lines go while it runs.

The flow reports to whatever `current()` returns: log lines through the run's logger by
default (served runs, runs from Python: the Prefect UI shows them), and what the
`newsclean` command chose while it shows a run (`showing`): a live bar on a terminal,
a plain line per shard on stderr otherwise. `routed_logs` keeps Prefect's per-task log
lines off the terminal (they still reach the UI, and the run's log file).
"""

from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from time import perf_counter
from typing import Any, Protocol


class Progress(Protocol):
    def status(self, text: str) -> None: ...  # what the run does before or between its stages
    def start(self, label: str, total: int, done: int) -> None: ...  # a run's stages begin
    def track(self, stage: str, future: Any) -> None: ...  # a stage of a shard was submitted
    def advance(self, articles: int) -> None: ...  # a shard went through its last stage
    def finish(self) -> None: ...  # the run's stages are over
    def close(self) -> None: ...  # the command is done showing runs


class LogProgress:
    """One log line per finished shard, through the run's logger."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.label, self.total, self.done, self.articles = "", 0, 0, 0
        self.clock = perf_counter()
        self.submitted: dict[str, int] = {}  # stage -> shards submitted, in pipeline order
        self.finished: dict[str, int] = {}  # stage -> shards done

    def status(self, text: str) -> None:
        pass

    def start(self, label: str, total: int, done: int) -> None:
        with self._lock:
            self.label, self.total, self.done, self.articles = label, total, done, 0
            self.clock = perf_counter()
            self.submitted, self.finished = {}, {}

    def track(self, stage: str, future: Any) -> None:
        with self._lock:
            self.submitted[stage] = self.submitted.get(stage, 0) + 1
        future.add_done_callback(lambda _: self._stage_done(stage))

    def _stage_done(self, stage: str) -> None:
        with self._lock:
            self.finished[stage] = self.finished.get(stage, 0) + 1
        self.changed()

    def current_stage(self) -> str:
        """The first stage (in pipeline order) still working on a shard, with how many of
        its shards are done: `classify 3/10`; `committing` once every stage is done."""
        with self._lock:
            for stage, n in self.submitted.items():
                if self.finished.get(stage, 0) < n:
                    return f"{stage} {self.finished.get(stage, 0)}/{n}"
        return "committing" if self.submitted else ""

    def rate(self) -> float:
        return self.articles / max(perf_counter() - self.clock, 1e-6)

    def advance(self, articles: int) -> None:
        with self._lock:
            self.done += 1
            self.articles += articles
        self.emit(f"{self.label}: {self.done}/{self.total} shards done, {self.articles} articles, "
                  f"{self.rate():.1f} articles/s")
        self.changed()

    def emit(self, line: str) -> None:
        _logger().info("%s", line)

    def changed(self) -> None:
        pass

    def finish(self) -> None:
        pass

    def close(self) -> None:
        pass


class LineProgress(LogProgress):
    """The log line per finished shard, also printed on stderr (a pipe, a CI log)."""

    def emit(self, line: str) -> None:
        super().emit(line)
        # not print(): inside the flow (log_prints) a print becomes a log line
        sys.stderr.write(f"{line} (now: {self.current_stage()})\n")
        sys.stderr.flush()


class BarProgress(LogProgress):
    """A live bar on the terminal (stderr, so stdout keeps only results) from the moment
    the command starts the run: what it is doing (starting Prefect's engine, planning,
    the current stage), shards done of total, articles done and per second."""

    def __init__(self, label: str = "", console: Any = None) -> None:
        super().__init__()
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("shards"),
            TextColumn("[bold]{task.fields[stage]}"),
            TextColumn("{task.fields[rate]}"),
            TimeElapsedColumn(),
            console=console or Console(stderr=True),
        )
        self.task = self.bar.add_task(label, total=None, stage="", rate="")
        self.bar.start()

    def status(self, text: str) -> None:
        self.bar.update(self.task, stage=text)

    def start(self, label: str, total: int, done: int) -> None:
        super().start(label, total, done)
        self.bar.update(self.task, description=label, total=total, completed=done, stage="starting the stages",
                        rate="")

    def changed(self) -> None:
        self.bar.update(self.task, completed=self.done, stage=self.current_stage(),
                        rate=f"{self.articles} articles, {self.rate():.1f}/s")

    def close(self) -> None:
        self.bar.stop()


_current: Progress = LogProgress()


def use(progress: Progress) -> None:
    """Report progress of the runs in this process to `progress`."""
    global _current
    _current = progress


def current() -> Progress:
    return _current


@contextmanager
def showing(progress: Progress) -> Iterator[Progress]:
    """Report the runs of this process to `progress` until the block ends, then close it
    and go back to what was used before."""
    before = current()
    use(progress)
    try:
        yield progress
    finally:
        use(before)
        progress.close()


@contextmanager
def routed_logs(level: str, log_file: Path | None = None) -> Iterator[None]:
    """Show only log lines of `level` ("warning", "info", ...) and above on the terminal
    (Prefect's console handler, set up here if Prefect has not yet), in this process and
    in those it starts (Dask workers); write every line from info up (debug too at
    "debug") to `log_file`. Undone on the way out."""
    number = logging.getLevelName(level.upper())
    try:  # Prefect sets its logging up at its first flow run: now, so the handlers below are its
        from prefect.logging.configuration import ensure_logging_setup

        ensure_logging_setup()
    except ImportError:
        pass
    consoles = [h for name in ("", "prefect", "prefect.flow_runs", "prefect.task_runs")
                for h in logging.getLogger(name).handlers if type(h).__name__ == "PrefectConsoleHandler"]
    saved = [(h, h.level) for h in consoles]
    prefect_logger = logging.getLogger("prefect")
    saved_prefect_level = prefect_logger.level
    env_before = os.environ.get("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL")
    os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = level.upper()
    for handler in consoles:
        handler.setLevel(number)
    if number < logging.INFO:
        prefect_logger.setLevel(number)
    file_handler = None
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(log_file, encoding="utf-8")
        file_handler.setLevel(min(number, logging.INFO))
        file_handler.setFormatter(LogFileFormatter())
        logging.getLogger().addHandler(file_handler)
    try:
        yield
    finally:
        for handler, before in saved:
            handler.setLevel(before)
        prefect_logger.setLevel(saved_prefect_level)
        if env_before is None:
            os.environ.pop("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", None)
        else:
            os.environ["PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL"] = env_before
        if file_handler is not None:
            logging.getLogger().removeHandler(file_handler)
            file_handler.close()


class LogFileFormatter(logging.Formatter):
    """A log file line per record, naming its task or flow run when it has one (as
    Prefect's console does)."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s | %(levelname)-7s | %(source)s - %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        task, flow = getattr(record, "task_run_name", None), getattr(record, "flow_run_name", None)
        record.source = f"Task run {task!r}" if task else f"Flow run {flow!r}" if flow else record.name
        return super().format(record)


def _logger() -> logging.Logger | logging.LoggerAdapter:
    try:
        from prefect.logging import get_run_logger

        return get_run_logger()
    except Exception:  # outside a flow run
        return logging.getLogger("newsclean")
