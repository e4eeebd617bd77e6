"""Clear failures, nothing half-done: each is one line on stderr, exit status 2, and no
run (folder, plan, lock) left behind in the output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_fixtures import inputs, no_engine, one_line_error  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]


def no_run_left(output: Path) -> None:
    assert not list(output.glob("_stages/*")), "no run folder or plan"
    assert not list(output.glob("runs/*")) and not list(output.glob("_ledger/*"))


@pytest.mark.parametrize("url", ["s3://bucket/crawl", "gs://bucket/crawl", "http://example.com/crawl",
                                 "https://example.com/crawl"])
@pytest.mark.parametrize("option", ["--input", "--output"])
def test_a_url_is_refused_up_front(option, url, tmp_path, inputs, capsys, no_engine, monkeypatch):
    monkeypatch.chdir(tmp_path)
    paths = {"--input": str(inputs), "--output": str(tmp_path / "out"), option: url}
    err = one_line_error(["run", "--input", paths["--input"], "--output", paths["--output"]], capsys)
    assert f"{url} is a URL" in err and "local paths only" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in"], "no `s3:` folder, no output"


@pytest.mark.parametrize("command", [["stages", "latest", "--output"], ["report", "latest", "--to"],
                                     ["serve", "--output"]])
def test_every_command_refuses_a_url(command, capsys, no_engine):
    err = one_line_error([*command, "s3://bucket/out"], capsys)
    assert "s3://bucket/out is a URL" in err


def unwritable_places(tmp_path: Path) -> list[Path]:
    """Places even root cannot write: beneath a regular file, in /proc and /sys."""
    (tmp_path / "a-file").write_text("not a folder")
    return [tmp_path / "a-file" / "out", Path("/proc/newsclean-out"), Path("/sys/newsclean-out/deeper")]


def test_an_output_that_cannot_be_written_is_refused_before_the_run(tmp_path, inputs, capsys, no_engine):
    for output in unwritable_places(tmp_path):
        err = one_line_error(["run", "--input", str(inputs), "--output", str(output)], capsys)
        assert f"output {output} cannot be" in err, err
        assert not output.exists()


def test_an_output_folder_that_refuses_writes(tmp_path, inputs, capsys, no_engine):
    """An existing folder on which writes fail (here /proc: root's permissions do not help)."""
    err = one_line_error(["run", "--input", str(inputs), "--output", "/proc"], capsys)
    assert "output /proc cannot be written" in err


def test_report_to_an_unwritable_place_is_one_line(tmp_path, capsys, no_engine):
    for target in unwritable_places(tmp_path):
        err = one_line_error(["report", "latest", "--to", str(target / "r.html"), "--output", str(tmp_path / "o")],
                             capsys)
        assert "cannot be" in err and "report" in err
    (tmp_path / "folder.html").mkdir()
    err = one_line_error(["report", "latest", "--to", str(tmp_path / "folder.html")], capsys)
    assert "is a folder, not a file" in err
    assert not (tmp_path / "o").exists()


def test_an_empty_input_folder_says_it_is_empty(tmp_path, capsys, no_engine):
    empty = tmp_path / "crawl"
    (empty / "2024" / "06").mkdir(parents=True)  # folders, no file
    err = one_line_error(["run", "--input", str(empty), "--output", str(tmp_path / "out")], capsys)
    assert err == f"newsclean: error: input folder {empty} is empty: nothing to clean\n"
    assert "--full" not in err
    assert not (tmp_path / "out").exists()


def test_an_input_folder_holding_only_a_link_is_not_empty(tmp_path):
    from newsclean.cli.preflight import is_empty_folder

    (tmp_path / "crawl").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "crawl" / "link").symlink_to(tmp_path / "elsewhere")
    assert not is_empty_folder(tmp_path / "crawl"), "the run reports the link (outside_root)"
    assert is_empty_folder(tmp_path / "elsewhere")


def test_an_engine_that_never_answers_is_one_line_and_leaves_no_run(tmp_path, inputs):
    """The real command in a process of its own, Prefect's local server given 1 s to
    answer: it is launched, relaunched once, stopped; one line, exit 2, and the run the
    command planned is gone (no unfinished run for the next command to resume)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(PYTHONPATH=str(ROOT), PREFECT_HOME=str(tmp_path / "prefect"),
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="1")
    output = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "newsclean.cli", "run", "--input", str(inputs), "--output", str(output),
         "--runner", "threads"],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=900,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith("newsclean: error: Prefect's local server did not start within 1 s (2 tries)")
    no_run_left(output)


def test_a_named_prefect_server_that_does_not_answer_is_one_line(tmp_path, inputs, monkeypatch, capsys):
    from newsclean.cli import engine

    monkeypatch.setattr(engine, "NAMED_SERVER_SECONDS", 0)
    monkeypatch.setattr(engine, "can_start_early", lambda: False)
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: "http://127.0.0.1:9/api"}):
        err = one_line_error(["run", "--input", str(inputs), "--output", str(tmp_path / "out"),
                              "--runner", "threads"], capsys)
    assert "the Prefect server at PREFECT_API_URL=http://127.0.0.1:9/api does not answer" in err
    no_run_left(tmp_path / "out")
