"""Crash safety for real: `newsclean run` killed with SIGKILL mid-run, then run again,
gives the same datasets as a clean run; no partial file is ever visible."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from tests.corpus import all_datasets, small_shard_config, write_corpus

pytestmark = pytest.mark.engine
NEWSCLEAN = str(Path(sys.executable).with_name("newsclean"))


def newsclean_env(home: Path) -> dict[str, str]:
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_LOGGING_LEVEL="WARNING",
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)  # embedded mode, not this session's test harness
    return env


def visible_files(output: Path) -> list[Path]:
    """Files a dataset reader could see (hidden and underscore names are skipped by readers)."""
    found = []
    for name in ("articles", "paragraphs", "offtopic", "rejects"):
        found += [p for p in (output / name).rglob("*") if p.is_file() and not p.name.startswith((".", "_"))]
    return found


def test_kill_9_mid_run_then_run_again_finishes_exactly_once(tmp_path, prefect_engine):
    from newsclean.pipeline import clean_news

    inputs = tmp_path / "in"
    write_corpus(inputs, 300)
    config = small_shard_config(tmp_path / "config", shard_size=20)
    crashed, clean = tmp_path / "crashed", tmp_path / "clean"
    command = [NEWSCLEAN, "run", "--input", str(inputs), "--output", str(crashed), "--config", str(config)]
    env = newsclean_env(tmp_path / "prefect")

    victim = subprocess.Popen(command, env=env, start_new_session=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline and victim.poll() is None:
            if len(list(crashed.glob("_stages/*/classify/*.summary.json"))) >= 3:
                break
            time.sleep(0.02)
    finally:
        if victim.poll() is None:
            os.killpg(victim.pid, signal.SIGKILL)  # the run and its embedded Prefect server
        victim.wait()
    assert victim.returncode == -signal.SIGKILL, victim.stdout.read().decode()[-2000:]
    assert not list(crashed.glob("runs/*.json")), "killed before it could finish"
    assert all(p.stat().st_size > 0 for p in visible_files(crashed))
    (run_id,) = [p.name for p in (crashed / "_stages").iterdir()]
    done_before = len(list(crashed.glob(f"_stages/{run_id}/*/*.summary.json")))

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stdout + again.stderr
    assert f"finished run {run_id}, which a crash had left unfinished" in again.stdout
    assert "nothing new" in again.stdout
    manifest = (crashed / "runs" / f"{run_id}.json").read_text()
    assert '"resumed": true' in manifest
    assert done_before > 0
    assert not list(crashed.rglob(".*.tmp"))

    clean_news(input_path=str(inputs), output_dir=str(clean), config_path=str(config))
    resumed_rows, clean_rows = all_datasets(crashed), all_datasets(clean)
    assert len(resumed_rows["articles"]) == 303  # 300 files + 3 JSONL records
    ids = Counter(a["article_id"] for a in resumed_rows["articles"])
    assert max(ids.values()) == 1
    for name in clean_rows:
        assert resumed_rows[name] == clean_rows[name], name
