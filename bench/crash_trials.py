"""Kill -9 trials: `newsclean run` and `newsclean rerun` killed with SIGKILL at random
points, each then finished by the next command, compared row for row with a clean run.

On N inputs (300 by default: the test corpus of tests/corpus.py, small shards so a kill
lands in every phase: planning, stages, publish, commit), each trial:
- "run": starts `newsclean run` on a fresh output, kills its whole process group (the
  command, Prefect's server, the worker processes) after a random delay between 0 and
  the length of an uninterrupted run, then runs `newsclean run` again;
- "rerun": on a committed copy of the clean output, starts `newsclean rerun latest
  --stage classify`, kills it the same way, then runs the same rerun again;
and compares the four datasets (rows without run ids and dates) with the clean run's,
checks no temporary file is left and that `newsclean stages latest` says committed.
Trials alternate between the two kinds. Prints one line a trial and the count of
identical ones; writes every figure to JSON (default bench/results/crash_trials.json).

Not part of `make test` (about a minute a trial on 2 cores): python bench/crash_trials.py
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from tests.corpus import all_datasets, small_shard_config, write_corpus  # noqa: E402

DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "crash_trials.json"
COMMAND_TIMEOUT_S = 900


def newsclean(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsclean.cli", *args]


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_LOGGING_LEVEL="WARNING",
               PREFECT_SERVER_ANALYTICS_ENABLED="false", PYTHONPATH=str(REPO_ROOT))
    env.pop("PREFECT_API_URL", None)
    return env


def finish(command: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command to its end; RuntimeError unless it succeeds."""
    done = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_S)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(command[2:])} exited {done.returncode}:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done


def timed(command: list[str], env: dict[str, str]) -> float:
    start = time.monotonic()
    finish(command, env)
    return time.monotonic() - start


def kill_after(command: list[str], env: dict[str, str], delay: float) -> dict[str, object]:
    """Start a command in its own process group and SIGKILL the group after `delay` s
    (unless it ended first); what happened."""
    victim = subprocess.Popen(command, env=env, cwd=REPO_ROOT, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        victim.wait(timeout=delay)
        return {"killed": False, "returncode": victim.returncode}
    except subprocess.TimeoutExpired:
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait()
        try:  # anything of the group that outlived its leader (none should)
            os.killpg(victim.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return {"killed": True, "returncode": victim.returncode}


def state_of(output: Path) -> dict[str, object]:
    """What a killed command left: shard summaries, unfinished plans, commit journals."""
    stages = output / "_stages"
    return {
        "summaries": len(list(stages.glob("*/*/*.summary.json"))) if stages.exists() else 0,
        "journals": len(list(stages.glob("*/commit.json"))) if stages.exists() else 0,
        "manifests": len(list((output / "runs").glob("*.json"))) if (output / "runs").exists() else 0,
    }


def leftovers(output: Path) -> list[str]:
    return [str(p.relative_to(output)) for p in output.rglob(".*.tmp")]


def committed(output: Path, env: dict[str, str]) -> bool:
    shown = finish(newsclean("stages", "latest", "--output", str(output)), env).stdout
    return "(committed)" in shown.splitlines()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--inputs", type=int, default=300)
    parser.add_argument("--shard-size", type=int, default=20)
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--workdir", type=Path, help="keep inputs and outputs here (default: a temp folder)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="newsclean-crash-"))
    work.mkdir(parents=True, exist_ok=True)
    env = environment(work / "prefect")
    inputs, config = work / "in", small_shard_config(work / "config", shard_size=args.shard_size)
    if not inputs.exists():
        write_corpus(inputs, args.inputs)
    clean = work / "clean"
    shutil.rmtree(clean, ignore_errors=True)
    run = newsclean("run", "--input", str(inputs), "--config", str(config), "--output")
    rerun = newsclean("rerun", "latest", "--stage", "classify", "--output")
    run_seconds = timed([*run, str(clean)], env)
    reference = all_datasets(clean)
    rerun_seconds = timed([*rerun, str(clean)], env)
    assert all_datasets(clean) == reference, "a rerun with the same config must change no row"
    print(f"clean run {run_seconds:.1f} s, rerun {rerun_seconds:.1f} s; {len(reference['articles'])} articles",
          flush=True)
    load_before = os.getloadavg()
    trials = []
    for number in range(args.trials):
        kind = "run" if number % 2 == 0 else "rerun"
        output = work / f"trial-{number:02d}"
        shutil.rmtree(output, ignore_errors=True)
        if kind == "rerun":
            shutil.copytree(clean, output)
        command = [*(run if kind == "run" else rerun), str(output)]
        delay = rng.uniform(0.0, run_seconds if kind == "run" else rerun_seconds)
        outcome = kill_after(command, env, delay)
        left = state_of(output)
        finish(command, env)  # the next command finishes what the kill left
        rows = all_datasets(output)
        same = rows == reference
        trial = {"trial": number, "kind": kind, "kill_after_s": round(delay, 2), **outcome, "left": left,
                 "identical": same, "temporaries_left": leftovers(output), "committed": committed(output, env),
                 "articles": len(rows["articles"])}
        trials.append(trial)
        print(f"trial {number:2d} {kind:5} killed after {delay:5.1f} s (killed={outcome['killed']}, left {left}): "
              f"{'identical' if same else 'DIFFERENT'}", flush=True)
        shutil.rmtree(output, ignore_errors=True)
    identical = sum(t["identical"] and not t["temporaries_left"] and t["committed"] for t in trials)
    killed = sum(bool(t["killed"]) for t in trials)
    print(f"{identical} of {len(trials)} trials identical to a clean run ({killed} killed mid-command); "
          f"load {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({
        "inputs": args.inputs, "shard_size": args.shard_size, "seed": args.seed, "run_seconds": round(run_seconds, 1),
        "rerun_seconds": round(rerun_seconds, 1), "identical": identical, "trials": trials,
        "load_average_before": load_before, "load_average_after": os.getloadavg(),
    }, indent=2) + "\n", encoding="utf-8")
    if not args.workdir:
        shutil.rmtree(work, ignore_errors=True)
    return 0 if identical == len(trials) else 1


if __name__ == "__main__":
    sys.exit(main())
