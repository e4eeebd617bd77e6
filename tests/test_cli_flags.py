"""The command's flags: --version, help without doubled defaults, --quiet, --log-level,
--json, run --dry-run (nothing written) and init."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from newsclean import __version__
from newsclean.cli import main
from newsclean.settings import shipped_config_dir
from tests.cli_fixtures import help_text, no_engine, stand_in_flow  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = ["run", "rerun", "stages", "diff", "report", "prune", "serve", "init"]


@pytest.fixture
def inputs(tmp_path) -> Path:
    folder = tmp_path / "in"
    (folder / "site").mkdir(parents=True)
    (folder / "story.txt").write_text("The council voted 9-4 on Tuesday.\n", encoding="utf-8")
    (folder / "site" / "page.html").write_text("<html><body><p>Bridge closed.</p></body></html>", encoding="utf-8")
    return folder


def test_version(capsys, no_engine):
    assert help_text(["--version"], capsys) == f"newsclean {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_help_states_each_default_once(command, capsys, no_engine):
    text = " ".join(help_text([command, "--help"], capsys).split())  # unwrapped
    assert "(default: None)" not in text and "(default: False)" not in text
    assert not re.search(r"\(default: [^)]*\) \(default:", text), "no option's default said twice"
    assert "--quiet" in text and "--log-level LEVEL" in text


def test_run_help_names_the_new_flags(capsys, no_engine):
    text = " ".join(help_text(["run", "--help"], capsys).split())
    for words in ["--dry-run", "write nothing", "--json", "(default: seeds)", "(default: output)",
                  "(default: [run] workers of the config)", "shipped defaults"]:
        assert words in text, words


def test_commands_that_need_no_engine_do_not_import_prefect(tmp_path, inputs):
    """In a fresh interpreter: --version, --help, a dry run, init and a usage error."""
    code = (
        "import sys\n"
        "from newsclean.cli import main\n"
        "for argv in (['--version'], ['run', '--help']):\n"
        "    try:\n"
        "        main(argv)\n"
        "    except SystemExit:\n"
        "        pass\n"
        f"assert main(['run', '--dry-run', '--input', {str(inputs)!r}, '--output', {str(tmp_path / 'o')!r}]) == 0\n"
        f"assert main(['init', {str(tmp_path / 'cfg')!r}]) == 0\n"
        "assert main(['run', '--output', 's3://b/x']) == 2\n"
        "assert 'prefect' not in sys.modules, 'Prefect was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 0, done.stderr


# --- run --dry-run ------------------------------------------------------------------------


def test_dry_run_lists_the_new_inputs_and_shards_and_writes_nothing(tmp_path, inputs, capsys, no_engine):
    output = tmp_path / "out"
    assert main(["run", "--dry-run", "--input", str(inputs), "--output", str(output)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("dry run (nothing written): 2 inputs: 2 new, 0 already processed")
    assert "would process 2 inputs in 1 shards" in out
    assert "  shard 0: 2 inputs" in out and "    site/page.html" in out and "    story.txt" in out
    assert not output.exists(), "no output folder"

    output.mkdir()
    assert main(["run", "--dry-run", "--input", str(inputs), "--output", str(output), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["dry_run"] is True
    assert [s["inputs"] for s in result["shards"]] == [["site/page.html", "story.txt"]]
    assert list(output.iterdir()) == [], "no lock, no plan, no ledger"


def test_dry_run_says_it_would_resume_an_unfinished_run(tmp_path, inputs, capsys, no_engine):
    from newsclean import shardstore

    output = tmp_path / "out"
    plan = shardstore.RunPlan("run-1", str(inputs), "/config.toml", "2024-06-14", "2024-06-14T00:00:00+00:00", False, ((),))
    shardstore.write_plan(output, plan)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    assert main(["run", "--dry-run", "--input", str(inputs), "--output", str(output)]) == 0
    assert "would first resume run run-1, which a crash had left unfinished" in capsys.readouterr().out
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before


# --- --json, --quiet, --log-level -----------------------------------------------------------

MANIFEST = {
    "run_id": "r1", "status": "complete", "shards": 1, "wall_seconds": 1.5, "output": "out",
    "inputs": {"files": 2}, "resumed_runs": [],
    "counts": {"articles": 2, "paragraphs": 3, "labels": {"body": 2, "boilerplate": 1}, "offtopic": 0,
               "rejects": 0, "reject_reasons": {}},
}


@pytest.fixture
def stub_flow(monkeypatch):
    """The Prefect flow replaced by one returning MANIFEST; what the command passed it in `seen`."""
    seen = {}

    def clean_news(**params):
        seen.update(params)
        return dict(MANIFEST, run_id=params["run_id"])

    stand_in_flow(monkeypatch, clean_news)
    return seen


def test_json_puts_the_manifest_alone_on_stdout(tmp_path, inputs, capsys, stub_flow):
    assert main(["run", "--input", str(inputs), "--output", str(tmp_path / "out"), "--runner", "threads",
                 "--json"]) == 0
    manifest = json.loads(capsys.readouterr().out)  # nothing else there
    assert manifest["run_id"] == stub_flow["run_id"] and manifest["counts"]["articles"] == 2


def test_quiet_prints_nothing(tmp_path, inputs, capsys, stub_flow):
    assert main(["run", "-q", "--input", str(inputs), "--output", str(tmp_path / "out"), "--runner", "threads"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "run " not in captured.out


def test_verbosity_goes_before_or_after_the_command(tmp_path, inputs, capsys, stub_flow):
    from newsclean.cli.parser import build_parser

    parser = build_parser()
    assert parser.parse_args(["--quiet", "run"]).quiet is True
    assert parser.parse_args(["run", "--quiet"]).quiet is True
    assert parser.parse_args(["run"]).quiet is False
    assert parser.parse_args(["--log-level", "INFO", "run"]).log_level == "info"
    assert parser.parse_args(["run", "--log-level", "debug"]).log_level == "debug"
    assert parser.parse_args(["run"]).log_level == "warning"
    assert main(["run", "--log-level", "chatty"]) == 2
    assert "invalid choice: 'chatty'" in capsys.readouterr().err


def test_the_run_writes_its_log_file_in_the_output(tmp_path, inputs, capsys, stub_flow):
    output = tmp_path / "out"
    assert main(["run", "--input", str(inputs), "--output", str(output), "--runner", "threads"]) == 0
    assert (output / "_logs" / f"{stub_flow['run_id']}.log").exists()


# --- init ------------------------------------------------------------------------------------


def test_init_writes_the_shipped_config_and_keeps_existing_files(tmp_path, capsys, no_engine, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    assert "`newsclean run` in this folder uses them" in capsys.readouterr().out
    for name in ("pipeline.toml", "rules.toml"):
        assert (tmp_path / "config" / name).read_bytes() == (shipped_config_dir() / name).read_bytes()

    (tmp_path / "config" / "rules.toml").write_text("# ours\n")
    assert main(["init"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "newsclean: error: config/pipeline.toml exists; `newsclean init --force` overwrites both files\n"
    assert (tmp_path / "config" / "rules.toml").read_text() == "# ours\n", "nothing overwritten"
    assert main(["init", "--force"]) == 0
    assert (tmp_path / "config" / "rules.toml").read_bytes() == (shipped_config_dir() / "rules.toml").read_bytes()


def test_a_run_uses_the_config_init_wrote_else_the_shipped_one(tmp_path, inputs, capsys, no_engine, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--dry-run", "--json", "--input", str(inputs)]) == 0
    assert json.loads(capsys.readouterr().out)["config"] == str(shipped_config_dir() / "pipeline.toml")
    assert main(["init", "-q"]) == 0
    assert main(["run", "--dry-run", "--json", "--input", str(inputs)]) == 0
    assert json.loads(capsys.readouterr().out)["config"] == str(Path("config") / "pipeline.toml")


def test_init_into_another_folder_says_how_to_use_it(tmp_path, capsys, no_engine):
    assert main(["init", str(tmp_path / "team")]) == 0
    assert f"use them with --config {tmp_path / 'team' / 'pipeline.toml'}" in capsys.readouterr().out


def test_stages_json(tmp_path, capsys, no_engine):
    from newsclean import shardstore
    from tests.test_commit import DATE, stage_and_commit

    output = tmp_path / "out"
    shardstore.write_plan(output, shardstore.RunPlan("run-1", "/in", "/config.toml", DATE, f"{DATE}T00:00:00+00:00", False, ((),)))
    stage_and_commit(output, "run-1", "Words.")
    assert main(["stages", "run-1", "--output", str(output), "--json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert table["run_id"] == "run-1" and table["status"] == "committed" and table["shards"] == 1
    assert [row["stage"] for row in table["stages"]] == list(shardstore.STAGES)
    assert {row["status"] for row in table["stages"]} == {"missing"}, "no shard summaries written"
