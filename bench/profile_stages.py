"""Profile the classify and language stages in-process on one shard of the news-like corpus.

Builds N documents with ``newslike.py`` (the throughput benchmark's corpus), runs ingest,
decode, extract and segment on them as one shard (not profiled), then classify and language
under cProfile, one profile each, and prints each stage's CPU seconds and its top functions
by cumulative time. ``--dump DIR`` keeps the ``.pstats`` files (``python -m pstats``,
snakeviz). No Prefect, no files read but the benchmark's; cProfile roughly doubles the cost
of small Python calls, so compare shares, not seconds, with ``throughput.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
from pathlib import Path
from typing import Callable

import metric
import newslike

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO_ROOT / "config" / "pipeline.toml"


def build_segmented_shard(n_docs: int, benchmark: Path, settings) -> object:
    """One shard of ``n_docs`` corpus documents, ingested, decoded, extracted and segmented."""
    from newsclean.stages.decode import decode_shard
    from newsclean.stages.extract import extract_shard
    from newsclean.stages.ingest import ingest_shard
    from newsclean.stages.records import RawInput
    from newsclean.stages.segment import segment_shard

    bodies = metric.load_bodies(benchmark / "ground-truth.json")
    inputs = [RawInput(d.name, d.text.encode("utf-8")) for d in newslike.build_corpus(bodies, n_docs)]
    shard = ingest_shard(inputs, 0, settings.ingest)
    shard = decode_shard(shard, settings.decode)
    shard = extract_shard(shard, settings.extract)
    return segment_shard(shard, settings.segment)


def profile_call(name: str, call: Callable[[], object], top: int, dump: Path | None) -> object:
    """Run ``call`` under cProfile; print its CPU seconds and top functions by cumulative time."""
    profiler = cProfile.Profile(time.process_time)
    started = time.process_time()
    result = profiler.runcall(call)
    cpu = time.process_time() - started
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.strip_dirs().sort_stats(pstats.SortKey.CUMULATIVE).print_stats(top)
    print(f"\n===== {name}: {cpu:.1f} CPU seconds under cProfile =====")
    print(text.getvalue().split("\n", 4)[-1].strip("\n"))
    if dump:
        dump.mkdir(parents=True, exist_ok=True)
        stats.dump_stats(str(dump / f"{name}.pstats"))
    return result


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description="cProfile the classify and language stages on one shard "
                                     "of the throughput benchmark's news-like corpus.")
    parser.add_argument("--docs", type=int, default=1000, metavar="N", help="documents in the shard (default 1000)")
    parser.add_argument("--top", type=int, default=15, help="functions listed per stage (default 15)")
    parser.add_argument("--warm-up", type=int, default=0, metavar="N",
                        help="classify a shard of N other documents first, so one-off costs "
                        "(dateparser's locale regexes, word lists) are paid before profiling")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="pipeline settings (TOML)")
    parser.add_argument("--benchmark", type=Path, default=metric.DEFAULT_BENCHMARK, help="benchmark folder")
    parser.add_argument("--dump", type=Path, metavar="DIR", help="write <stage>.pstats files here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Build the shard, profile classify then language on it."""
    args = parse_args(argv)
    from newsclean.settings import load_settings
    from newsclean.stages.classify import classify_shard
    from newsclean.stages.language import language_shard

    settings = load_settings(args.config)
    shard = build_segmented_shard(args.docs, args.benchmark, settings)
    print(f"shard: {len(shard.documents)} documents, {len(shard.paragraphs)} paragraphs", file=sys.stderr)
    if args.warm_up:
        warm = build_segmented_shard(args.docs + args.warm_up, args.benchmark, settings)
        warm = warm.with_(documents=warm.documents[args.docs:])
        started = time.process_time()
        classify_shard(warm, settings.classify, settings.offtopic, settings.language)
        print(f"warm-up: classified {len(warm.documents)} other documents in "
              f"{time.process_time() - started:.1f} CPU s", file=sys.stderr)
    classified = profile_call(
        "classify", lambda: classify_shard(shard, settings.classify, settings.offtopic, settings.language),
        args.top, args.dump,
    )
    profile_call("language", lambda: language_shard(classified, settings.language), args.top, args.dump)
    return 0


if __name__ == "__main__":
    sys.exit(main())
