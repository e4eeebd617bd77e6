"""What the command's tests share: a Prefect flow that must not load, a stand-in flow,
and the one-line error check."""

from __future__ import annotations

import contextlib
import sys
import types
from collections.abc import Callable
from pathlib import Path

import pytest

from newsclean.cli import main


@pytest.fixture
def no_engine(monkeypatch):
    """Fail the test if the command gets as far as loading the Prefect flow."""
    stub = types.ModuleType("newsclean.pipeline")

    def refuse(name):
        raise AssertionError(f"the Prefect flow was loaded (newsclean.pipeline.{name})")

    stub.__getattr__ = refuse  # type: ignore[method-assign]
    monkeypatch.setitem(sys.modules, "newsclean.pipeline", stub)


@pytest.fixture
def inputs(tmp_path) -> Path:
    """An input folder of one short story."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "story.txt").write_text("The council voted 9-4 on Tuesday.\n", encoding="utf-8")
    return folder


def stand_in_flow(monkeypatch, clean_news: Callable[..., dict]) -> None:
    """`newsclean run` runs `clean_news` (called with the flow's parameters) instead of
    the Prefect flow, and starts no engine."""
    from newsclean.cli import run

    clean_news.with_options = lambda **_: clean_news  # type: ignore[attr-defined]
    stub = types.ModuleType("newsclean.pipeline")
    stub.clean_news = clean_news  # type: ignore[attr-defined]
    stub.task_runner_for = lambda settings, api_url=None: None  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "newsclean.pipeline", stub)
    monkeypatch.setattr(run, "engine_started_early", lambda **_: contextlib.nullcontext(lambda: None))


def one_line_error(argv, capsys) -> str:
    """Run the command: exit status 2, nothing on stdout, one line on stderr; that line."""
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("newsclean: error: ") and captured.err.count("\n") == 1, captured.err
    return captured.err


def help_text(argv, capsys) -> str:
    """What `--help` (or `--version`) prints; it exits 0."""
    with pytest.raises(SystemExit) as raised:
        main(argv)
    assert raised.value.code == 0
    return capsys.readouterr().out
