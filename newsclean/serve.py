"""Scheduled runs: the flow's deployment on the cron of config/pipeline.toml [schedule],
served by this process (`flow.serve`), and a local Prefect server to serve against.

prefect.yaml declares the same deployment for teams that run work pools and workers.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from newsclean.settings import Settings

FLOW_NAME = "newsclean"
DEPLOYMENT_NAME = "scheduled"
# One run at a time: runs of one output folder take its lock, so a second concurrent run
# would only fail; Prefect queues it instead.
CONCURRENT_RUNS = 1


def deployment_options(settings: Settings, input_path: Path, output_dir: Path, config_path: Path) -> dict[str, Any]:
    """The deployment's name, cron schedule and parameters (absolute paths, so a run does
    not depend on the working folder of whoever executes it)."""
    from prefect.schedules import Cron

    return {
        "name": DEPLOYMENT_NAME,
        "schedules": [Cron(settings.schedule.cron, timezone=settings.schedule.timezone)],
        "parameters": {
            "input_path": str(Path(input_path).resolve()),
            "output_dir": str(Path(output_dir).resolve()),
            "config_path": str(Path(config_path).resolve()),
        },
        "description": "Clean the new articles of the input folder into the output datasets.",
        "tags": ["newsclean"],
    }


def build_deployment(settings: Settings, input_path: Path, output_dir: Path, config_path: Path) -> Any:
    """The deployment as Prefect would register it (no server needed to build it)."""
    from prefect.deployments.runner import EntrypointType

    from newsclean.pipeline import clean_news

    return clean_news.to_deployment(
        **deployment_options(settings, input_path, output_dir, config_path),
        concurrency_limit=CONCURRENT_RUNS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve(settings: Settings, input_path: Path, output_dir: Path, config_path: Path) -> None:
    """Register the deployment and run its flow runs from this process until interrupted."""
    from prefect.deployments.runner import EntrypointType

    from newsclean.pipeline import clean_news

    clean_news.serve(
        **deployment_options(settings, input_path, output_dir, config_path),
        global_limit=CONCURRENT_RUNS,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def flush_logs() -> None:
    """Send the log lines Prefect still holds to the API."""
    from prefect.logging.handlers import APILogWorker

    APILogWorker.drain_all(timeout=5)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def local_server(port: int, home: Path | None = None, timeout: float = 90.0) -> Iterator[str]:
    """Start `prefect server start` on 127.0.0.1:`port`, wait until it answers, yield its
    API URL; stop it (and its children) on the way out, whatever happened."""
    env = dict(os.environ, PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)
    if home is not None:
        env["PREFECT_HOME"] = str(home)
    prefect = Path(sys.executable).with_name("prefect")
    command = [str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(command, env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    try:
        wait_for_api(url, timeout, server)
        yield url
    finally:
        stop_process_group(server)


def wait_for_api(url: str, timeout: float, process: subprocess.Popen[Any] | None = None) -> None:
    """Poll the API's health endpoint until it answers; RuntimeError after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the Prefect server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"no Prefect API at {url} after {timeout:.0f} s")


def stop_process_group(process: subprocess.Popen[Any], grace: float = 10.0) -> None:
    """SIGTERM a process started with start_new_session and its children; SIGKILL after `grace` s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    except ProcessLookupError:
        pass
