"""Scheduled runs: the deployment builds offline on the configured cron; prefect.yaml
declares the same; a served deployment runs for real against a Prefect server."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.conftest import CONFIG, ROOT, SEEDS

BIN = Path(sys.executable).parent


def test_deployment_builds_offline_on_the_configured_cron(settings, tmp_path):
    from newsclean.serve import build_deployment

    deployment = build_deployment(settings, SEEDS, tmp_path / "out", CONFIG)
    assert (deployment.flow_name, deployment.name) == ("newsclean", "scheduled")
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == settings.schedule.cron == "5 * * * *"
    assert schedule.schedule.timezone == settings.schedule.timezone
    assert deployment.parameters == {
        "input_path": str(SEEDS.resolve()),
        "output_dir": str((tmp_path / "out").resolve()),
        "config_path": str(CONFIG.resolve()),
    }
    assert deployment.entrypoint == "newsclean.pipeline.clean_news"
    assert deployment.concurrency_limit == 1


def test_prefect_yaml_declares_the_same_deployment(settings):
    from prefect.flows import load_flow_from_entrypoint

    spec = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    (deployment,) = spec["deployments"]
    assert deployment["name"] == "scheduled"
    (schedule,) = deployment["schedules"]
    assert (schedule["cron"], schedule["timezone"]) == (settings.schedule.cron, settings.schedule.timezone)
    path, name = deployment["entrypoint"].split(":")
    assert load_flow_from_entrypoint(str(ROOT / path) + ":" + name).name == "newsclean"
    assert set(deployment["parameters"]) == {"input_path", "output_dir", "config_path"}
    assert deployment["concurrency_limit"] == 1


def get_json(url: str) -> dict | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


def test_served_deployment_runs_when_triggered(tmp_path):
    """`newsclean serve` against a server of our own; `prefect deployment run` starts a run."""
    from newsclean.serve import free_port, local_server, stop_process_group

    shutil.copytree(SEEDS, tmp_path / "in")
    output = tmp_path / "out"
    home = tmp_path / "prefect"
    deadline = time.monotonic() + 600
    with local_server(free_port(), home=home, timeout=300) as api:
        env = dict(os.environ, PREFECT_API_URL=api, PREFECT_HOME=str(home), PREFECT_LOGGING_LEVEL="WARNING")
        served = subprocess.Popen(
            [str(BIN / "newsclean"), "serve", "--input", str(tmp_path / "in"), "--output", str(output),
             "--config", str(CONFIG)],
            env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        try:
            while get_json(f"{api}/deployments/name/newsclean/scheduled") is None:
                assert served.poll() is None, served.stderr.read().decode()[-3000:]
                assert time.monotonic() < deadline, "the deployment was never registered"
                time.sleep(0.5)
            deployment = get_json(f"{api}/deployments/name/newsclean/scheduled")
            assert deployment["schedules"][0]["schedule"]["cron"] == "5 * * * *"
            assert (deployment.get("global_concurrency_limit") or {}).get("limit") == 1, deployment

            trigger = subprocess.run([str(BIN / "prefect"), "deployment", "run", "newsclean/scheduled"],
                                     env=env, capture_output=True, text=True, timeout=600)
            assert trigger.returncode == 0, trigger.stdout + trigger.stderr
            flow_run_id = re.search(r"UUID:\s*([0-9a-f-]{36})", trigger.stdout).group(1)
            state = None
            while state not in ("COMPLETED", "FAILED", "CRASHED", "CANCELLED"):
                assert time.monotonic() < deadline, f"the flow run did not finish (state {state})"
                time.sleep(1)
                state = (get_json(f"{api}/flow_runs/{flow_run_id}") or {}).get("state_type")
            assert state == "COMPLETED", served.stderr.read1().decode()[-3000:] if served.stderr else state
        finally:
            stop_process_group(served)
    (manifest,) = (output / "runs").glob("*.json")
    assert json.loads(manifest.read_text())["counts"]["articles"] == 5
