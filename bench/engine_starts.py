"""Engine starts under load: N `newsclean run`s of a tiny input (fresh output each, so
each one starts Prefect's local server and the worker processes) while K busy processes
(`while 1: pass`) hold the cores; counts the runs that failed and the wall time of each.
Also times what needs no engine: a run with nothing new, and a one-shard `rerun --only`.

Not part of `make test` (a minute or two a run under load): python bench/engine_starts.py
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "engine_starts.json"


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH=str(REPO_ROOT))
    env.pop("PREFECT_API_URL", None)
    return env


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    start = time.monotonic()
    done = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=1800)
    return time.monotonic() - start, done.returncode, (done.stdout + done.stderr)[-1500:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--busy", type=int, default=2, help="busy processes loading the cores")
    parser.add_argument("--input", type=Path, default=REPO_ROOT / "seeds")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="newsclean-starts-"))
    env = environment(work / "prefect")
    run = [sys.executable, "-m", "newsclean.cli", "run", "--input", str(args.input), "--output"]
    busy = [subprocess.Popen([sys.executable, "-c", "while 1: pass"]) for _ in range(args.busy)]
    results = []
    try:
        time.sleep(2)
        for number in range(args.runs):
            output = work / f"out-{number}"
            seconds, code, tail = timed([*run, str(output)], env)
            results.append({"run": number, "wall_seconds": round(seconds, 2), "returncode": code,
                            "load_1min": os.getloadavg()[0], **({"tail": tail} if code else {})})
            print(f"run {number}: exit {code} in {seconds:.1f} s (load {os.getloadavg()[0]:.1f})", flush=True)
        last = work / f"out-{args.runs - 1}"
        empty = [timed([*run, str(last)], env) for _ in range(3)]
        only = [timed([sys.executable, "-m", "newsclean.cli", "rerun", "latest", "--stage", "classify", "--shard", "0",
                       "--only", "--output", str(last)], env) for _ in range(3)]
    finally:
        for process in busy:
            process.kill()
            process.wait()
    failed = sum(1 for r in results if r["returncode"] != 0)
    summary = {
        "runs": args.runs, "busy_processes": args.busy, "failed_starts": failed,
        "wall_seconds_median": round(statistics.median(r["wall_seconds"] for r in results), 1),
        "wall_seconds_max": max(r["wall_seconds"] for r in results),
        "nothing_new_wall_seconds": [round(s, 2) for s, code, _ in empty if code == 0],
        "rerun_only_one_shard_wall_seconds": [round(s, 2) for s, code, _ in only if code == 0],
        "results": results,
    }
    print(f"{failed} of {args.runs} runs failed with {args.busy} busy processes; median {summary['wall_seconds_median']} s, "
          f"max {summary['wall_seconds_max']} s; nothing new {summary['nothing_new_wall_seconds']} s; "
          f"rerun --only one shard {summary['rerun_only_one_shard_wall_seconds']} s (under the same load)")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    shutil.rmtree(work, ignore_errors=True)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
