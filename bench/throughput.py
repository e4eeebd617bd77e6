"""Throughput benchmark: how many documents per CPU-second ``newsclean run`` cleans.

Text mode (the default): builds N distinct news-like documents from the benchmark's true
bodies (``newslike.py``), writes them as ``.txt`` files, runs ``python -m newsclean.cli run`` on
them in a subprocess as a user would, and measures the whole process tree: CPU seconds
(``getrusage(RUSAGE_CHILDREN)`` once the command has exited, and psutil's view of the tree
as a cross-check), wall seconds, peak RSS (the largest single process from ``ru_maxrss``,
and the tree's sum sampled with psutil every 0.2 s) and the per-stage seconds of the run
manifest. On the same documents, in this process (``time.process_time``), it times the
reference libraries alone: ``ftfy.fix_text`` and langdetect's ``detect_langs`` (seeded) on
the whole text and on its first 1,000 characters, and gives newsclean's rate as a ratio
of each.

HTML mode (``--html``): the same measurements on the benchmark's raw pages
(``html/*.html.gz``) against ``trafilatura.extract`` alone on the same pages.

Prints a table and writes every figure to a JSON file (default
``bench/results/throughput.json``). Not part of ``make test``: run it with ``make bench``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Mapping, Sequence

import psutil

import metric
import newslike

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_BENCHMARK = metric.DEFAULT_BENCHMARK
DEFAULT_OUT = REPO_ROOT / "bench" / "results" / "throughput.json"
DEFAULT_DOCS = 10_000
SAMPLE_EVERY_S = 0.2  # psutil tree sampling period: short against a run, cheap against a core
LANGDETECT_SEED = 0  # langdetect is randomised; seeded, its answers and its work repeat
LANGDETECT_PREFIX_CHARS = 1_000  # the bounded language sample the issue compares against
PIPELINE_TIMEOUT_S = 4 * 3600
PREFECT_STARTUP_TIMEOUT_S = 120  # as quality.py: the default 20 s fails runs on a loaded machine
MB = 1024 * 1024


# ---------------------------------------------------------------- the pipeline run


@dataclass
class TreeSample:
    """What psutil saw of the command's process tree: peak RSS of the tree (sum over its
    processes at one instant) and of its largest process, the most processes at once, and
    the last CPU times seen of every process (a process's own and its waited children's)."""

    peak_tree_rss: int = 0
    peak_process_rss: int = 0
    max_processes: int = 0
    samples: int = 0
    cpu_seconds: dict[int, float] | None = None
    roles: dict[int, str] | None = None  # pid -> what the process is (``process_role``)
    peak_rss: dict[int, int] | None = None  # pid -> its largest RSS seen


def process_role(process: psutil.Process, root_pid: int) -> str:
    """What a process of the command's tree is: the command itself, Prefect's server, the
    worker pool's fork server or a stage worker forked from it, or something else."""
    if process.pid == root_pid:
        return "command"
    try:
        command = " ".join(process.cmdline())
        parent = process.ppid()
    except psutil.Error:
        return "other"
    if "uvicorn" in command:
        return "prefect server"
    if "forkserver" in command:
        return "fork server" if parent == root_pid else "stage worker"
    if "resource_tracker" in command:
        return "resource tracker"
    return "other"


def by_role(sample: TreeSample) -> dict[str, dict]:
    """CPU seconds (last seen) and the largest RSS of the tree's processes, by role."""
    roles: dict[str, dict] = {}
    for pid, role in (sample.roles or {}).items():
        entry = roles.setdefault(role, {"processes": 0, "cpu_seconds": 0.0, "peak_rss_mb": 0.0})
        entry["processes"] += 1
        entry["cpu_seconds"] = round(entry["cpu_seconds"] + (sample.cpu_seconds or {}).get(pid, 0.0), 2)
        entry["peak_rss_mb"] = max(entry["peak_rss_mb"], round((sample.peak_rss or {}).get(pid, 0) / MB, 1))
    return dict(sorted(roles.items(), key=lambda item: -item[1]["cpu_seconds"]))


def sample_tree(root: psutil.Process, sample: TreeSample, stop: threading.Event) -> None:
    """Sample the tree under ``root`` every ``SAMPLE_EVERY_S`` until ``stop`` is set."""
    sample.cpu_seconds, sample.roles, sample.peak_rss = {}, {}, {}
    while not stop.is_set():
        try:
            processes = [root] + root.children(recursive=True)
        except psutil.Error:
            break
        total = 0
        for process in processes:
            try:
                with process.oneshot():
                    rss = process.memory_info().rss
                    times = process.cpu_times()
            except psutil.Error:
                continue
            total += rss
            sample.peak_process_rss = max(sample.peak_process_rss, rss)
            sample.cpu_seconds[process.pid] = times.user + times.system
            sample.peak_rss[process.pid] = max(sample.peak_rss.get(process.pid, 0), rss)
            if process.pid not in sample.roles:
                sample.roles[process.pid] = process_role(process, root.pid)
        sample.peak_tree_rss = max(sample.peak_tree_rss, total)
        sample.max_processes = max(sample.max_processes, len(processes))
        sample.samples += 1
        stop.wait(SAMPLE_EVERY_S)


@dataclass(frozen=True)
class RunMeasure:
    """One measured command: wall and CPU seconds of its tree, peak RSS, its exit code."""

    wall_seconds: float
    user_seconds: float
    system_seconds: float
    max_process_rss: int  # ru_maxrss of the waited children: the largest single process
    tree: TreeSample
    returncode: int

    @property
    def cpu_seconds(self) -> float:
        return self.user_seconds + self.system_seconds


def measure_command(command: Sequence[str], cwd: Path, env: Mapping[str, str], log: Path, timeout: float) -> RunMeasure:
    """Run a command with its output to ``log`` and measure its whole process tree.

    CPU comes from ``getrusage(RUSAGE_CHILDREN)`` before and after: it holds every
    descendant that was waited for, so this process must start no other child meanwhile.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sample, stop = TreeSample(), threading.Event()
    started = time.perf_counter()
    with log.open("wb") as out:
        child = subprocess.Popen(list(command), cwd=cwd, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
        sampler = threading.Thread(target=sample_tree, args=(psutil.Process(child.pid), sample, stop), daemon=True)
        sampler.start()
        try:
            returncode = child.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            returncode = child.wait()
        finally:
            wall = time.perf_counter() - started
            stop.set()
            sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return RunMeasure(
        wall_seconds=wall,
        user_seconds=after.ru_utime - before.ru_utime,
        system_seconds=after.ru_stime - before.ru_stime,
        max_process_rss=after.ru_maxrss * 1024,  # kilobytes on Linux
        tree=sample,
        returncode=returncode,
    )


def pipeline_command(input_dir: Path, output_dir: Path, args: argparse.Namespace) -> list[str]:
    """``python -m newsclean.cli run`` with the options passed through."""
    command = [sys.executable, "-m", "newsclean.cli", "run", "--input", str(input_dir), "--output", str(output_dir)]
    if args.workers is not None:
        command += ["--workers", str(args.workers)]
    if args.runner:
        command += ["--runner", args.runner]
    if args.config:
        command += ["--config", str(args.config)]
    return command


def read_manifest(output_dir: Path) -> dict:
    """The manifest of the one run in a fresh output folder."""
    manifests = sorted((output_dir / "runs").glob("*.json"))
    manifests = [path for path in manifests if "stages" in json.loads(path.read_text(encoding="utf-8"))]
    if len(manifests) != 1:
        raise RuntimeError(f"expected one run manifest under {output_dir / 'runs'}, found {len(manifests)}")
    return json.loads(manifests[0].read_text(encoding="utf-8"))


def run_pipeline(input_dir: Path, output_dir: Path, n_docs: int, args: argparse.Namespace) -> dict:
    """Run the pipeline once on the input folder and return its figures."""
    shutil.rmtree(output_dir, ignore_errors=True)
    env = dict(os.environ)
    env.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", str(PREFECT_STARTUP_TIMEOUT_S))
    env.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    command = pipeline_command(input_dir, output_dir, args)
    log = output_dir.parent / f"{output_dir.name}.log"
    print(f"running {' '.join(command[1:])} ({n_docs} inputs; log {log})", file=sys.stderr)
    load_before = os.getloadavg()
    measure = measure_command(command, args.checkout, env, log, args.timeout)
    if measure.returncode != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
        raise RuntimeError(f"pipeline exited with {measure.returncode}: {' '.join(command)}\n{tail}")
    manifest = read_manifest(output_dir)
    tree_cpu = sum((measure.tree.cpu_seconds or {}).values())
    return {
        "command": command[1:],
        "inputs": n_docs,
        "wall_seconds": round(measure.wall_seconds, 2),
        "cpu_seconds": round(measure.cpu_seconds, 2),
        "user_seconds": round(measure.user_seconds, 2),
        "system_seconds": round(measure.system_seconds, 2),
        "docs_per_cpu_second": round(n_docs / measure.cpu_seconds, 2),
        "docs_per_wall_second": round(n_docs / measure.wall_seconds, 2),
        "cores_used": round(measure.cpu_seconds / measure.wall_seconds, 2),
        "peak_rss_largest_process_mb": round(measure.max_process_rss / MB, 1),
        "peak_rss_tree_mb": round(measure.tree.peak_tree_rss / MB, 1),
        "peak_rss_largest_process_sampled_mb": round(measure.tree.peak_process_rss / MB, 1),
        "max_processes": measure.tree.max_processes,
        "tree_samples": measure.tree.samples,
        # psutil's last look at each process: misses the CPU of the final 0.2 s
        "cpu_seconds_sampled": round(tree_cpu, 2),
        # the same sampled view, by process: where the tree's CPU and memory go
        "processes": by_role(measure.tree),
        "flow_wall_seconds": manifest.get("wall_seconds"),
        "outside_flow_seconds": round(measure.wall_seconds - (manifest.get("wall_seconds") or 0.0), 2),
        "stage_seconds": {name: entry["seconds"] for name, entry in manifest["stages"].items()},
        "stage_seconds_total": round(sum(entry["seconds"] for entry in manifest["stages"].values()), 2),
        "shards": manifest.get("shards"),
        "counts": {key: manifest["counts"].get(key) for key in ("articles", "paragraphs", "offtopic", "rejects")},
        "reject_reasons": manifest["counts"].get("reject_reasons", {}),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
    }


# ---------------------------------------------------------------- the references


def time_each(items: Sequence, call: Callable[[object], object]) -> dict:
    """Call ``call`` on every item after one untimed warm-up call (a library's first call
    loads its data); CPU seconds of this process and items per CPU-second."""
    call(items[0])
    started_cpu, started_wall = time.process_time(), time.perf_counter()
    for item in items:
        call(item)
    cpu = time.process_time() - started_cpu
    return {
        "items": len(items),
        "cpu_seconds": round(cpu, 3),
        "wall_seconds": round(time.perf_counter() - started_wall, 3),
        "per_cpu_second": round(len(items) / cpu, 2) if cpu else None,
    }


def langdetect_call(prefix: int | None) -> Callable[[object], object]:
    """``detect_langs`` seeded before every call (as the pipeline does), on the whole text
    or its first ``prefix`` characters; texts it cannot read count as done."""
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    def detect(text: object) -> object:
        DetectorFactory.seed = LANGDETECT_SEED
        try:
            return detect_langs(text if prefix is None else text[:prefix])  # type: ignore[index]
        except LangDetectException:
            return None

    return detect


def text_references(texts: Sequence[str]) -> dict:
    """ftfy and langdetect alone on the same texts."""
    import ftfy

    print(f"timing ftfy and langdetect alone on the same {len(texts)} documents", file=sys.stderr)
    return {
        "ftfy.fix_text": time_each(texts, ftfy.fix_text),
        "langdetect whole text": time_each(texts, langdetect_call(None)),
        f"langdetect first {LANGDETECT_PREFIX_CHARS} chars": time_each(texts, langdetect_call(LANGDETECT_PREFIX_CHARS)),
    }


def html_references(pages: Sequence[bytes]) -> dict:
    """trafilatura.extract alone (its defaults) on the same pages."""
    import logging

    import trafilatura

    logging.getLogger("trafilatura").setLevel(logging.ERROR)
    print(f"timing trafilatura.extract alone on the same {len(pages)} pages", file=sys.stderr)
    return {"trafilatura.extract": time_each(pages, trafilatura.extract)}


def add_ratios(pipeline: Mapping, references: dict) -> None:
    """newsclean's rate as a share of each reference's, per CPU-second."""
    for reference in references.values():
        rate = reference["per_cpu_second"]
        reference["newsclean_ratio"] = round(pipeline["docs_per_cpu_second"] / rate, 4) if rate else None


# ---------------------------------------------------------------- inputs


def write_text_corpus(benchmark: Path, n_docs: int, input_dir: Path) -> list[str]:
    """Write the news-like corpus as ``.txt`` files; return the texts, in file order."""
    shutil.rmtree(input_dir, ignore_errors=True)
    input_dir.mkdir(parents=True)
    bodies = metric.load_bodies(benchmark / "ground-truth.json")
    texts = []
    for document in newslike.build_corpus(bodies, n_docs):
        (input_dir / document.name).write_text(document.text, encoding="utf-8")
        texts.append(document.text)
    return texts


def copy_html_pages(benchmark: Path, input_dir: Path) -> list[bytes]:
    """Copy the raw pages into the input folder; return them decompressed, in name order."""
    shutil.rmtree(input_dir, ignore_errors=True)
    input_dir.mkdir(parents=True)
    pages = []
    for path in sorted((benchmark / "html").glob("*.html.gz")):
        shutil.copy2(path, input_dir / path.name)
        pages.append(gzip.decompress(path.read_bytes()))
    if not pages:
        raise ValueError(f"no html/*.html.gz under {benchmark}")
    return pages


# ---------------------------------------------------------------- report


def git_commit(checkout: Path) -> str | None:
    """The checkout's HEAD commit, with '+dirty' when it has uncommitted changes."""
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=checkout,
                              capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=checkout,
                               capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    return head + ("+dirty" if dirty else "")


def print_report(results: Mapping) -> None:
    """Print the pipeline's figures, its stages and the reference ratios."""
    run, unit = results["pipeline"], results["unit"]
    print(f"\nnewsclean throughput, {results['mode']} mode: {run['inputs']} {unit}"
          f" ({results['checkout_commit']}, {results['cpu_count']} cores,"
          f" load {run['load_average_before'][0]:.1f} before)")
    rows = [
        (f"{unit} per CPU-second (process tree)", f"{run['docs_per_cpu_second']:.2f}"),
        (f"{unit} per wall-second", f"{run['docs_per_wall_second']:.2f}"),
        ("wall seconds (of which outside the flow)", f"{run['wall_seconds']:.1f} ({run['outside_flow_seconds']:.1f})"),
        ("CPU seconds (user + system)", f"{run['cpu_seconds']:.1f} ({run['user_seconds']:.1f} + {run['system_seconds']:.1f})"),
        ("cores used", f"{run['cores_used']:.2f}"),
        ("peak RSS, largest process (ru_maxrss)", f"{run['peak_rss_largest_process_mb']:.0f} MB"),
        ("peak RSS, process tree (sampled)", f"{run['peak_rss_tree_mb']:.0f} MB in up to {run['max_processes']} processes"),
        ("shards; articles, paragraphs, rejects",
         f"{run['shards']}; {run['counts']['articles']}, {run['counts']['paragraphs']}, {run['counts']['rejects']}"),
    ]
    width = max(len(label) for label, _ in rows)
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")
    if run.get("processes"):
        print("\n  processes (sampled)             CPU s   peak RSS")
        for role, entry in run["processes"].items():
            print(f"    {role:<18} x{entry['processes']:<3} {entry['cpu_seconds']:8.1f} {entry['peak_rss_mb']:7.0f} MB")
    total = run["stage_seconds_total"] or 1.0
    print("\n  stage seconds (sum over shards)")
    for stage, seconds in sorted(run["stage_seconds"].items(), key=lambda item: -item[1]):
        print(f"    {stage:<10} {seconds:8.1f}  {seconds / total:6.1%}")
    print(f"    {'total':<10} {run['stage_seconds_total']:8.1f}")
    print(f"\n  references alone, same {unit}, one core   {unit}/CPU-s   newsclean / reference")
    for name, reference in results["references"].items():
        print(f"    {name:<38} {reference['per_cpu_second']:8.1f}   {reference['newsclean_ratio']:.4f}")


def write_json(path: Path, payload: Mapping) -> None:
    """Write a JSON file, creating its folder."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


# ---------------------------------------------------------------- command line


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the benchmark's command line."""
    parser = argparse.ArgumentParser(
        description="Time `newsclean run` on N distinct news-like documents (or, with --html, on the "
        "benchmark's raw pages): documents per CPU-second of the process tree, wall time, stage "
        "seconds, peak RSS, and ratios to ftfy and langdetect (trafilatura) alone on the same inputs.",
    )
    parser.add_argument("--docs", type=int, default=DEFAULT_DOCS, metavar="N",
                        help=f"documents in the text corpus (default: {DEFAULT_DOCS})")
    parser.add_argument("--html", action="store_true",
                        help="time the HTML path on the benchmark's html/*.html.gz against trafilatura alone")
    parser.add_argument("--workers", type=int, help="passed on to `newsclean run --workers`")
    parser.add_argument("--runner", choices=("processes", "threads", "dask"), help="passed on to `newsclean run --runner`")
    parser.add_argument("--config", type=Path, help="pipeline config file, passed on as --config")
    parser.add_argument("--no-references", dest="references", action="store_false",
                        help="time the pipeline only")
    parser.add_argument("--benchmark", type=Path, default=DEFAULT_BENCHMARK,
                        help=f"benchmark folder (default: {DEFAULT_BENCHMARK})")
    parser.add_argument("--checkout", type=Path, default=REPO_ROOT,
                        help="run the pipeline of this checkout (default: the one holding this script)")
    parser.add_argument("--workdir", type=Path,
                        help="keep the inputs, output and log here instead of a temp folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help=f"JSON results file (default: {DEFAULT_OUT.relative_to(REPO_ROOT)})")
    parser.add_argument("--timeout", type=float, default=PIPELINE_TIMEOUT_S,
                        help="seconds before the pipeline run is abandoned")
    args = parser.parse_args(argv)
    if args.docs < 1:
        parser.error("--docs must be at least 1")
    if args.workers is not None and args.workers < 1:
        parser.error("--workers must be at least 1")
    return args


def run_benchmark(args: argparse.Namespace, workdir: Path) -> dict:
    """Write the inputs, run the pipeline, time the references; return every figure."""
    input_dir, output_dir = workdir / "input", workdir / "output"
    if args.html:
        inputs: Sequence = copy_html_pages(args.benchmark, input_dir)
        mode, unit = "html", "pages"
    else:
        inputs = write_text_corpus(args.benchmark, args.docs, input_dir)
        mode, unit = "text", "docs"
    pipeline = run_pipeline(input_dir, output_dir, len(inputs), args)
    references = {}
    if args.references:
        references = html_references(inputs) if args.html else text_references(inputs)
        add_ratios(pipeline, references)
    return {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "mode": mode,
        "unit": unit,
        "benchmark": str(args.benchmark),
        "checkout": str(args.checkout),
        "checkout_commit": git_commit(args.checkout),
        "python": sys.version.split()[0],
        "cpu_count": os.cpu_count(),
        "corpus": {"seed": newslike.SEED, "documents": len(inputs)} if not args.html else {"pages": len(inputs)},
        "options": {"workers": args.workers, "runner": args.runner, "config": str(args.config) if args.config else None},
        "pipeline": pipeline,
        "references": references,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark from the command line."""
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="newsclean-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        results = run_benchmark(args, workdir)
    print_report(results)
    write_json(args.out, results)
    print(f"\nresults written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
