"""The pinned quality gate: the pipeline must not score below bench/baseline.json.

Runs the real pipeline on the baseline's fold (the check fold: 35 pages of 26 sites nobody
tunes on) and kinds (the text path on trafilatura and html-text output, and the HTML path),
and compares contract-aware output F1 and recall with the pinned floors. Lowering a pinned
figure is a deliberate edit: ``python bench/quality.py --one-run --write-baseline``.
"""

import json
from pathlib import Path

import pytest

import quality

CHECKOUT = Path(__file__).resolve().parents[2]
BENCHMARK = Path(__file__).parents[2].parent / "shared" / "benchmark"
BASELINE = CHECKOUT / "bench" / "baseline.json"
GATE_TIMEOUT_S = 600  # the run takes one to two minutes on a loaded machine; a hang must fail, not block CI


def load_baseline() -> dict:
    """Read the pinned figures, or skip when there is no benchmark or no baseline yet."""
    if not BENCHMARK.is_dir():
        pytest.skip(f"benchmark not found at {BENCHMARK} (../shared/benchmark beside the checkout)")
    if not BASELINE.is_file():
        pytest.skip(
            "no bench/baseline.json yet: pin one with"
            " `python bench/quality.py --one-run --write-baseline`"
        )
    return json.loads(BASELINE.read_text(encoding="utf-8"))


def test_quality_does_not_drop_below_the_baseline(tmp_path):
    baseline = load_baseline()
    results = quality.run_harness(
        quality.Benchmark.load(BENCHMARK),
        baseline["kinds"],
        baseline["subset"],
        tmp_path,
        # one pipeline run, as the baseline was written: the gate's kinds (trafilatura and
        # html-text output, raw HTML) never hold byte-identical files, so none is rejected
        # as a copy of another
        quality.RunOptions(checkout=CHECKOUT, timeout=GATE_TIMEOUT_S, separate_runs=not baseline["one_run"]),
        baseline["fold"],
    )
    assert results["n_pages"] == baseline["n_pages"], "the fold's pages changed: re-pin the baseline"
    drops = quality.find_regressions(results, baseline)
    assert not drops, "quality fell below bench/baseline.json:\n" + "\n".join(drops)
