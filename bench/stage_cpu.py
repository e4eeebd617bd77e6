"""CPU seconds of every stage, in-process, on the throughput corpus; and the stage output rows.

Builds N documents with ``newslike.py`` (the throughput benchmark's corpus), cuts them into
shards of the config's ``shard_size`` and runs the pure stage functions (ingest, decode,
extract, segment, classify, language) on each shard in this process, timing each call with
``time.process_time``: the per-document cost of the stages without Prefect, the ephemeral
server or imports (``throughput.py`` measures the whole process tree). ``--parquet`` also
times the round trip the tasks make between stages (``shardstore.write_shard`` then
``shardstore.read_shard`` into a temporary folder), so its share of the stage CPU can be read.

``--rows FILE`` writes what classify and language decided, one JSON line per paragraph
(article, position, label, reason, score, text) and per article (title, published_at,
dateline, credit, language, language_score), so two checkouts can be compared exactly with
``diff`` or ``cmp``. A warm-up shard of other documents (``--warm-up N``) pays one-off costs
(dateparser's locale data, word lists, the sentence model) before the clock starts.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import metric
import newslike

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CONFIG = REPO_ROOT / "config" / "pipeline.toml"


def build_inputs(n_docs: int, benchmark: Path) -> list:
    """The first ``n_docs`` documents of the throughput corpus as raw inputs."""
    from newsclean.stages.records import RawInput

    bodies = metric.load_bodies(benchmark / "ground-truth.json")
    return [RawInput(d.name, d.text.encode("utf-8")) for d in newslike.build_corpus(bodies, n_docs)]


def stage_functions(settings) -> list[tuple[str, object]]:
    """(stage, shard -> shard) in pipeline order, after ingest."""
    from newsclean.shardwork import TRANSFORM_STAGES, transform_function

    return [(name, (lambda fn: lambda shard: fn(shard, settings))(transform_function(name)))
            for name in TRANSFORM_STAGES]


def run_stages(inputs: list, settings, parquet: Path | None, seconds: dict[str, float]) -> list:
    """Run every stage over the inputs shard by shard; add CPU seconds to ``seconds``;
    return the final shards."""
    from newsclean import shardstore
    from newsclean.stages.ingest import ingest_shard

    size = settings.run.shard_size
    done = []
    for shard_id, start in enumerate(range(0, len(inputs), size)):
        clock = time.process_time()
        shard = ingest_shard(inputs[start:start + size], shard_id, settings.ingest)
        seconds["ingest"] += time.process_time() - clock
        for name, fn in stage_functions(settings):
            clock = time.process_time()
            shard = fn(shard)
            seconds[name] += time.process_time() - clock
            if parquet is not None:
                clock = time.process_time()
                shardstore.write_shard(parquet, "bench", name, shard)
                shard = shardstore.read_shard(parquet, "bench", name, shard_id)
                seconds["parquet"] += time.process_time() - clock
        done.append(shard)
    return done


def write_rows(shards: list, path: Path) -> None:
    """One JSON line per article and per paragraph, in shard order."""
    with path.open("w", encoding="utf-8") as out:
        for shard in shards:
            for d in shard.documents:
                row = {"article": d.article_id, "title": d.title, "published_at": str(d.published_at),
                       "dateline": d.dateline, "credit": d.credit, "language": d.language,
                       "language_score": d.language_score, "text": d.text, "fixes": list(d.encoding_fixes)}
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            for p in shard.paragraphs:
                row = {"article": p.article_id, "position": p.position, "label": p.label, "reason": p.reason,
                       "score": p.score, "text": p.text, "span": [p.char_start, p.char_end]}
                out.write(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n")
            for r in shard.rejects:
                out.write(json.dumps({"reject": r.source_path, "reason": r.reason, "stage": r.stage}) + "\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=2000, metavar="N", help="documents (default 2000)")
    parser.add_argument("--warm-up", type=int, default=100, metavar="N",
                        help="run the stages on N other documents first (default 100)")
    parser.add_argument("--parquet", action="store_true", help="also time the Parquet round trip between stages")
    parser.add_argument("--rows", type=Path, metavar="FILE", help="write the decided rows here (JSON lines)")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="pipeline settings (TOML)")
    parser.add_argument("--benchmark", type=Path, default=metric.DEFAULT_BENCHMARK, help="benchmark folder")
    args = parser.parse_args(argv)

    from newsclean.settings import load_settings

    settings = load_settings(args.config)
    inputs = build_inputs(args.docs + args.warm_up, args.benchmark)
    warm, inputs = inputs[args.docs:], inputs[: args.docs]
    scratch = defaultdict(float)
    if warm:
        run_stages(warm, settings, None, scratch)
    seconds: dict[str, float] = defaultdict(float)
    with tempfile.TemporaryDirectory(prefix="stage-cpu-") as tmp:
        shards = run_stages(inputs, settings, Path(tmp) if args.parquet else None, seconds)
    stage_total = sum(v for k, v in seconds.items() if k != "parquet")
    print(f"stage CPU seconds on {len(inputs)} documents (in-process, after a warm-up of {len(warm)}):")
    for name, value in sorted(seconds.items(), key=lambda kv: -kv[1]):
        print(f"  {name:10s} {value:8.2f}  {1000 * value / len(inputs):7.2f} ms/doc")
    print(f"  {'stages':10s} {stage_total:8.2f}  {len(inputs) / stage_total:7.1f} docs per CPU-second")
    if args.parquet:
        total = stage_total + seconds["parquet"]
        print(f"  parquet round trips: {100 * seconds['parquet'] / total:.1f}% of stages + parquet")
    print(f"  peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    if args.rows:
        write_rows(shards, args.rows)
        print(f"rows written to {args.rows}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
