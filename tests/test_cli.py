"""The `newsclean` command: help, one-line usage errors before Prefect starts, and a run."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsclean.cli import main
from tests.cli_fixtures import help_text, inputs, no_engine, one_line_error, stand_in_flow  # noqa: F401

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config" / "pipeline.toml"


# --- help ---------------------------------------------------------------------------------


def test_help_names_the_run_command(capsys, no_engine):
    out = help_text(["--help"], capsys)
    assert out.startswith("usage: newsclean")
    assert "run" in out and "clean a folder of scraped articles" in out
    assert "articles/" in out and "rejects/" in out, "says what the command produces"


def test_run_help_explains_every_option(capsys, no_engine):
    out = help_text(["run", "--help"], capsys)
    assert out.startswith("usage: newsclean run")
    for option, words in [
        ("--input", ".jsonl"),
        ("--output", "datasets"),
        ("--config", "TOML"),
        ("--runner", "dask"),
        ("--workers", "threads"),
    ]:
        assert option in out, option
        assert words in out, f"{option} is explained"
    assert "(default: seeds)" in out, "defaults are shown"
    assert "--run-id" not in out, "internal options stay hidden"


# --- usage errors -------------------------------------------------------------------------


def test_missing_input_is_a_usage_error(tmp_path, capsys, no_engine):
    err = one_line_error(["run", "--input", str(tmp_path / "nope"), "--output", str(tmp_path / "out")], capsys)
    assert "input not found" in err and "nope" in err
    assert not (tmp_path / "out").exists(), "nothing is created"


def test_output_that_is_a_file_is_a_usage_error(tmp_path, inputs, capsys, no_engine):
    (tmp_path / "out").write_text("not a folder")
    err = one_line_error(["run", "--input", str(inputs), "--output", str(tmp_path / "out")], capsys)
    assert "output is not a folder" in err


def test_zero_workers_is_a_usage_error(tmp_path, inputs, capsys, no_engine):
    err = one_line_error(["run", "--input", str(inputs), "--output", str(tmp_path / "out"), "--workers", "0"], capsys)
    assert "--workers" in err


def test_missing_config_is_a_usage_error(tmp_path, inputs, capsys, no_engine):
    err = one_line_error(["run", "--input", str(inputs), "--output", str(tmp_path / "out"),
                          "--config", str(tmp_path / "missing.toml")], capsys)
    assert "config file not found" in err and "missing.toml" in err
    assert not (tmp_path / "out").exists(), "nothing is created"


def test_bad_config_is_a_usage_error(tmp_path, inputs, capsys, no_engine):
    config = tmp_path / "pipeline.toml"
    config.write_text("[run]\nshard_sise = 100\n", encoding="utf-8")
    (tmp_path / "rules.toml").write_text((ROOT / "config" / "rules.toml").read_text(encoding="utf-8"))
    err = one_line_error(["run", "--input", str(inputs), "--output", str(tmp_path / "out"), "--config", str(config)],
                    capsys)
    assert "pipeline.toml: run.shard_sise: unknown key" in err


@pytest.mark.parametrize("pipeline, rules, words", [
    ("[offtopic]\nthreshold = nan\n", None, "offtopic.threshold: must be a finite number, got nan"),
    ("[run]\nshard_max_bytes = -5\n", None, "run.shard_max_bytes: must be at least 1, got -5"),
    ("", "[boilerplate.patterns]\nad_marker = '^advert'\n", "must be a list of strings"),
    ("", "[boilerplate.patern]\nad_marker = ['^advert']\n", "rules.toml: boilerplate.patern: unknown section"),
])
def test_config_values_out_of_range_are_usage_errors(pipeline, rules, words, tmp_path, inputs, capsys, no_engine):
    config = tmp_path / "pipeline.toml"
    config.write_text(pipeline, encoding="utf-8")
    (tmp_path / "rules.toml").write_text(rules or (ROOT / "config" / "rules.toml").read_text(encoding="utf-8"))
    err = one_line_error(["run", "--input", str(inputs), "--output", str(tmp_path / "out"), "--config", str(config)],
                    capsys)
    assert words in err
    assert not (tmp_path / "out").exists(), "nothing is created"


def test_unknown_option_is_a_one_line_usage_error(capsys, no_engine):
    err = one_line_error(["run", "--inptu", "x"], capsys)
    assert "unrecognized arguments: --inptu" in err


@pytest.mark.parametrize("run_id", ["../../../x", "a/b", ".hidden", "", "x" * 101])
def test_a_run_id_that_is_not_a_plain_name_is_a_usage_error(run_id, tmp_path, inputs, capsys, no_engine):
    err = one_line_error(["run", "--input", str(inputs), "--output", str(tmp_path / "out"), "--run-id", run_id], capsys)
    assert f"bad run id {run_id!r}" in err
    assert not (tmp_path / "out").exists() and not (tmp_path / "x").exists(), "nothing is written anywhere"


@pytest.mark.parametrize("command", [["stages", "../../x"], ["report", "../x"], ["rerun", "a/../b", "--stage", "classify"]])
def test_commands_refuse_a_run_id_that_is_a_path(command, tmp_path, capsys, no_engine):
    err = one_line_error([*command, "--output", str(tmp_path / "out")], capsys)
    assert "bad run id" in err


@pytest.fixture
def stub_flow(monkeypatch):
    """A stand-in for the Prefect flow that records whether the output lock was held
    while it ran (tried from a fresh open of the lock file, as another process would)."""
    import fcntl

    seen = {}

    def clean_news(input_path, output_dir, config_path, run_id, full, **options):
        with open(Path(output_dir) / ".lock", "a+") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
                seen["held"] = False
            except BlockingIOError:
                seen["held"] = True
        return {"status": "nothing_new", "resumed_runs": []}

    stand_in_flow(monkeypatch, clean_news)
    return seen


def test_the_command_holds_the_output_lock_while_its_flow_runs(tmp_path, inputs, capsys, stub_flow):
    """Two runs started 0.5 s apart: the first holds the lock from before Prefect starts,
    so the second gets the one-line busy error, not a traceback from inside Prefect."""
    assert main(["run", "--input", str(inputs), "--output", str(tmp_path / "out"), "--runner", "threads"]) == 0
    assert stub_flow == {"held": True}


def test_a_second_run_while_one_runs_is_the_one_line_busy_error(tmp_path, inputs, capsys, no_engine):
    import fcntl

    output = tmp_path / "out"
    output.mkdir()
    with open(output / ".lock", "a+") as fh:  # another process's run holds it
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        err = one_line_error(["run", "--input", str(inputs), "--output", str(output)], capsys)
    assert err == f"newsclean: error: another newsclean process is writing to {output}\n"


def test_an_engine_that_never_starts_is_one_line_after_a_retry(monkeypatch, capsys):
    from prefect.server.api import server as prefect_server
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED, temporary_settings

    from newsclean.cli import engine as cli

    starts = []

    def never(self, timeout=None):
        starts.append(1)
        raise RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server.\nstdout: ...")

    monkeypatch.setattr(prefect_server.SubprocessASGIServer, "start", never)
    monkeypatch.setattr(prefect_server.SubprocessASGIServer, "stop", lambda self: None)
    with temporary_settings(updates={PREFECT_API_URL: None, PREFECT_SERVER_EPHEMERAL_ENABLED: True}):
        with pytest.raises(cli.EngineError) as raised:
            cli.start_engine()
    assert len(starts) == 2, "tried twice"
    message = str(raised.value)
    assert "\n" not in message and message.startswith("Prefect's local server did not start within 90 s (2 tries)")


def test_an_engine_start_that_times_out_once_is_retried(monkeypatch):
    from prefect.server.api import server as prefect_server
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED, temporary_settings

    from newsclean.cli import engine as cli

    starts = []

    def slow_once(self, timeout=None):
        starts.append(1)
        if len(starts) == 1:
            raise RuntimeError("Timed out while attempting to connect to ephemeral Prefect API server.")

    monkeypatch.setattr(prefect_server.SubprocessASGIServer, "start", slow_once)
    monkeypatch.setattr(prefect_server.SubprocessASGIServer, "stop", lambda self: None)
    with temporary_settings(updates={PREFECT_API_URL: None, PREFECT_SERVER_EPHEMERAL_ENABLED: True}):
        cli.start_engine()
    assert len(starts) == 2


def test_the_engine_gets_a_longer_startup_timeout():
    import os

    import newsclean.cli  # noqa: F401  (sets it on import, before Prefect loads)

    assert int(os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"]) >= 90


# --- a whole run --------------------------------------------------------------------------

CP1252_STORY = """Riverside council approves budget after late-night vote

The Riverside city council approved a $4.2 billion budget on Tuesday night \u2013 ending weeks of \
negotiations over police funding and library hours.

\u201cThis budget keeps every library branch open six days a week,\u201d said council president Denise \
Carter. The caf\u00e9 owners\u2019 association welcomed the deal, calling the earlier cuts na\u00efve.

Critics said the plan relies on optimistic sales tax projections and leaves the city exposed if the \
regional economy slows next year.
"""
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Library hours restored at four branches | Riverside Herald</title>
<meta property="og:title" content="Library hours restored at four branches">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Library hours restored at four branches</h1>
<p>Four Riverside library branches that closed on weekends during the pandemic will open on Saturdays \
again from July, the library board said on Wednesday.</p>
<p>The board said the extra $3.1 million in the new city budget would pay for 22 part-time staff.</p>
</article><footer>\u00a9 2023 Riverside Herald</footer></body></html>"""
GOOD_RECORDS = [
    {"id": "rh-1", "url": "https://riversideherald.example/bridge", "title": "Bridge closure extended to July",
     "published_at": "2023-06-14T09:00:00Z",
     "text": "The Fifth Street bridge will stay closed until the end of July while crews replace its "
             "corroded steel bearings, the transport department said on Wednesday."},
    {"id": "rh-2", "html": "<html><body><article><h1>Police chief named</h1><p>Mayor Tom Alvarez named "
             "deputy chief Karen Holt as Riverside's next police chief on Thursday, ending a six-month "
             "national search.</p></article></body></html>"},
]


@pytest.mark.engine
def test_run_cleans_a_mixed_folder(prefect_engine, tmp_path, capsys):
    folder = tmp_path / "crawl"
    folder.mkdir()
    (folder / "council.txt").write_bytes(CP1252_STORY.encode("cp1252"))
    (folder / "library.html.gz").write_bytes(gzip.compress(PAGE.encode("utf-8")))
    lines = [json.dumps(GOOD_RECORDS[0]), '{"id": "rh-bad", "text": "cut off', json.dumps(GOOD_RECORDS[1])]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    output = tmp_path / "out"

    status = main(["run", "--input", str(folder), "--output", str(output), "--config", str(CONFIG)])
    captured = capsys.readouterr()
    assert status == 0, captured.err

    def read(name):
        return ds.dataset(output / name, format="parquet", partitioning="hive").to_table().to_pylist()

    articles = {a["source_path"]: a for a in read("articles")}
    assert sorted(articles) == ["council.txt", "feed.jsonl#1", "feed.jsonl#3", "library.html.gz"]
    rejects = sorted((r["source_path"], r["reason"]) for r in read("rejects"))
    assert rejects == [("empty.txt", "empty"), ("feed.jsonl#2", "invalid_json"), ("scan.txt", "binary")]

    council = articles["council.txt"]
    assert council["encoding"] == "cp1252"
    assert council["title"] == "Riverside council approves budget after late-night vote"
    assert "calling the earlier cuts na\u00efve." in council["text"]
    assert "\u201cThis budget keeps every library branch open" in council["text"]
    library = articles["library.html.gz"]
    assert library["title"] == "Library hours restored at four branches"
    assert "open on Saturdays again from July" in library["text"]
    assert "Home" not in library["text"] and "Riverside Herald" not in library["text"]
    bridge = articles["feed.jsonl#1"]
    assert bridge["url"] == "https://riversideherald.example/bridge"
    assert bridge["published_at"].isoformat() == "2023-06-14T09:00:00+00:00"
    assert {a["language"] for a in articles.values()} == {"en"}

    run_id = {a["run_id"] for a in articles.values()}.pop()
    assert (output / "runs" / f"{run_id}.json").exists()
    out = captured.out
    assert f"run {run_id}: 5 input files" in out
    assert "articles    4" in out
    assert "rejects     3 (binary 1, empty 1, invalid_json 1)" in out


def test_an_early_engine_that_never_answers_is_one_line_after_a_relaunch(monkeypatch):
    from newsclean.cli import engine as cli

    launches = []
    monkeypatch.setattr(cli, "can_start_early", lambda: True)
    monkeypatch.setattr(cli.LocalServer, "launch", lambda self: launches.append(1))
    monkeypatch.setattr(cli.LocalServer, "wait", lambda self, timeout: False)
    monkeypatch.setattr(cli.LocalServer, "stop", lambda self: None)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with pytest.raises(cli.EngineError) as raised:
        with cli.engine_started_early() as ready:
            assert os.environ["PREFECT_API_URL"].startswith("http://127.0.0.1:")
            ready()
    assert len(launches) == 2, "launched, then relaunched once"
    message = str(raised.value)
    assert "\n" not in message and message.startswith("Prefect's local server did not start within 90 s (2 tries)")
    assert "PREFECT_API_URL" not in os.environ


def test_an_early_engine_points_the_run_at_it(monkeypatch):
    from newsclean.cli import engine as cli

    monkeypatch.setattr(cli, "can_start_early", lambda: True)
    monkeypatch.setattr(cli.LocalServer, "launch", lambda self: setattr(self, "port", 4321))
    monkeypatch.setattr(cli.LocalServer, "wait", lambda self, timeout: True)
    monkeypatch.setattr(cli.LocalServer, "stop", lambda self: None)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    with cli.engine_started_early() as ready:
        assert ready() == "http://127.0.0.1:4321/api" == os.environ["PREFECT_API_URL"]
    assert "PREFECT_API_URL" not in os.environ
