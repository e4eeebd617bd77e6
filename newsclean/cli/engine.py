"""Prefect's engine for one command: its local API server, launched before this process
imports Prefect, tried twice, and a one-line EngineError when it never answers.

Importing this module imports no Prefect; it only sets the environment Prefect reads
when it loads.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# Prefect's embedded server would try to send telemetry; this machine may be offline.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Without PREFECT_API_URL a run starts Prefect's local server process; on a loaded
# machine it needs more than Prefect's default 20 s to answer (8 of 8 starts failed with
# two busy processes on 2 cores). Seconds per attempt; see `start_engine`.
ENGINE_STARTUP_SECONDS = 90
ENGINE_START_ATTEMPTS = 2
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(ENGINE_STARTUP_SECONDS))
# A server named by PREFECT_API_URL is up or not: seconds to wait for its health check.
NAMED_SERVER_SECONDS = 30


class EngineError(Exception):
    """Prefect's server did not answer: reported in one line, exit status 2."""


def startup_timeout() -> float:
    return float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", ENGINE_STARTUP_SECONDS))


def not_started(attempts: int, log: Path | None = None) -> EngineError:
    where = f" (its log: {log})" if log else ""
    return EngineError(
        f"Prefect's local server did not start within {startup_timeout():g} s ({attempts} tries){where}; the "
        "machine may be overloaded: try again, raise PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, "
        "or set PREFECT_API_URL"
    )


def is_answering(api_url: str, timeout: float) -> bool:
    """Whether the Prefect API at `api_url` answers its health check within `timeout` s."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{api_url}/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() >= deadline:
            return False
        time.sleep(0.2)


def start_engine(attempts: int = ENGINE_START_ATTEMPTS) -> str | None:
    """Start Prefect's local server now, unless PREFECT_API_URL names one (then check it
    answers), trying twice on a machine too busy for it to answer in time; EngineError
    (one line) if it never does. A run then uses the server started here. Returns the API
    URL of the server (None when there is none), for processes that must use it too."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    named = PREFECT_API_URL.value()
    if named:
        if not is_answering(named, NAMED_SERVER_SECONDS):
            raise EngineError(f"the Prefect server at PREFECT_API_URL={named} does not answer")
        return named
    if not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()
    for _ in range(attempts):
        try:
            server.start()
            return server.api_url
        except RuntimeError:  # timed out: stop the slow process before trying again
            server.stop()
    raise not_started(attempts)


class LocalServer:
    """Prefect's local API server for one command, started as the ephemeral server is
    (the same uvicorn command, the same database under PREFECT_HOME) but before this
    process imports Prefect: the server boots (8-25 s) while Prefect, the flow and the
    worker processes load, instead of after them. Its own output goes to `log` (else
    nowhere): a failing server must not print a traceback over the command's one line."""

    SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}

    def __init__(self, log: Path | None = None) -> None:
        self.process: Any = None
        self.port = 0
        self.log = log

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def launch(self) -> None:
        """Start the server process without waiting for it."""
        import importlib.util
        import socket

        spec = importlib.util.find_spec("prefect")
        if spec is None or spec.origin is None:
            raise EngineError("Prefect is not installed")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        command = [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(spec.origin).parent.parent),
                   "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                   "--port", str(self.port), "--log-level", "error", "--lifespan", "on"]
        env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"} | self.SERVER_ENV
        sink: Any = subprocess.DEVNULL
        if self.log is not None:
            self.log.parent.mkdir(parents=True, exist_ok=True)
            sink = open(self.log, "ab")  # noqa: SIM115  (the child holds it; closed below)
        try:
            self.process = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=sink,
                                            stderr=subprocess.STDOUT)
        finally:
            if sink is not subprocess.DEVNULL:
                sink.close()

    def wait(self, timeout: float) -> bool:
        """Whether the server answers its health check within `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False
            if is_answering(self.api_url, 0):
                return True
            time.sleep(0.1)
        return False

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None


def can_start_early() -> bool:
    """Whether this command may launch Prefect's local server itself: Prefect is not yet
    loaded here, no server is named (PREFECT_API_URL), the ephemeral server is allowed."""
    return not ("prefect" in sys.modules or os.environ.get("PREFECT_API_URL")
                or os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "").lower() in ("0", "false"))


@contextmanager
def engine_started_early(attempts: int = ENGINE_START_ATTEMPTS, log: Path | None = None) -> Iterator[Callable[[], Any]]:
    """Launch Prefect's local server now and point this process at it (PREFECT_API_URL,
    read when Prefect loads); yields `ready()`, which waits for the server to answer
    (ENGINE_STARTUP_SECONDS per try, a slow start relaunched once; EngineError, one
    line, if it never answers) and returns its API URL. Without launching anything when
    PREFECT_API_URL names a server, or when Prefect is already loaded here (a test
    harness, a caller's own engine): then `ready()` starts the engine as `start_engine`.
    The server's own output goes to `log`."""
    if not can_start_early():
        yield start_engine
        return
    timeout = startup_timeout()
    server = LocalServer(log)
    server.launch()
    os.environ["PREFECT_API_URL"] = server.api_url

    def ready() -> str:
        for attempt in range(attempts):
            if server.wait(timeout):
                return server.api_url
            server.stop()  # too slow (or it died): start a fresh one
            if attempt + 1 < attempts:
                server.launch()
                os.environ["PREFECT_API_URL"] = server.api_url
        raise not_started(attempts, log)

    try:
        yield ready
    finally:
        if "prefect" in sys.modules:
            from newsclean.serve import flush_logs

            try:
                flush_logs()  # the run's last log lines, before the server goes away
            except Exception:  # noqa: BLE001  (a log line lost must not fail a finished run)
                pass
        server.stop()
        os.environ.pop("PREFECT_API_URL", None)
