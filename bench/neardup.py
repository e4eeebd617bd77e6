"""Near-duplicates across sources: quality of the clusters and cost per article.

1. Quality. From the benchmark's true bodies (ground-truth.json) build a crawl where each
   body is published once and re-published 1-5 times by other sites, each copy with one
   edit, in turn: a changed lead (its first paragraph rewritten), an added paragraph,
   boilerplate of another site (its promo and sign-up lines), 10% of its words swapped for
   other words of the benchmark. Sites are named at random, so the original is not always
   the first member of its cluster. Run the real `newsclean run` over it and score the
   `dup_cluster` column pairwise: precision = pairs placed together that are copies of one
   body / pairs placed together; recall = pairs of copies placed together / pairs of copies.

2. Cost. Time the LSH step alone (band-key look-up in the history index, placing the new
   articles, indexing them, plus the amortised share of merging the index's small tree into
   its large one) for a batch of new articles against a synthetic signature
   store of 10k and of 100k articles; report the cost per new article and its ratio.

Measured per batch size: a run's new articles dirty the index pages their band keys fall
on, so a batch large against the history touches most of its pages (the write grows
with the history); a batch small against it touches a page per key.

Prints the figures; writes them as JSON (--json, default bench/results/neardup.json).
Targets: precision and recall >= 0.95; cost ratio 100k/10k about 1 (flat).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from newsclean.atomic import write_parquet_atomic  # noqa: E402
from newsclean.crossdoc import RECENT_BAND_ROWS, HistoryIndex  # noqa: E402
from newsclean.datasets import CROSSDOC, CROSSDOC_SCHEMA, partition_path  # noqa: E402
from newsclean.settings import load_settings  # noqa: E402
from newsclean.stages.neardup import assign_clusters, band_keys, band_shape  # noqa: E402

GROUND_TRUTH = Path("/work/shared/benchmark/ground-truth.json")
EDITS = ("changed_lead", "added_paragraph", "other_site_boilerplate", "words_swapped")
# Page furniture of "another site": lines no body has.
OTHER_SITE = (
    "Sign up for the Morning Ledger newsletter and get the day's top stories in your inbox.",
    "Follow the Valley Courier on Facebook, Twitter and Instagram for breaking news alerts.",
    "Copyright 2019 Valley Courier Media Group. All rights reserved. This material may not be published.",
)


def load_bodies(path: Path) -> list[str]:
    truth = json.loads(path.read_text(encoding="utf-8"))
    return [v["articleBody"] for _, v in sorted(truth.items()) if (v.get("articleBody") or "").strip()]


def edit(body: str, kind: str, vocabulary: list[str], rng: random.Random) -> str:
    """One re-publication of a body with one edit."""
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    if kind == "changed_lead":
        words = paragraphs[0].split()
        lead = " ".join(rng.choice(vocabulary) for _ in range(min(30, max(10, len(words) // 2))))
        if len(paragraphs) > 1:
            paragraphs[0] = lead.capitalize() + "."
        else:  # one paragraph: rewrite its first third
            paragraphs[0] = lead.capitalize() + ". " + " ".join(words[len(words) // 3:])
    elif kind == "added_paragraph":
        extra = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(40, 80)))
        paragraphs.insert(rng.randint(1, len(paragraphs)), extra.capitalize() + ".")
    elif kind == "other_site_boilerplate":
        paragraphs = [OTHER_SITE[0], *paragraphs, *OTHER_SITE[1:]]
    elif kind == "words_swapped":
        swapped = []
        for p in paragraphs:
            words = p.split(" ")
            swapped.append(" ".join(rng.choice(vocabulary) if rng.random() < 0.1 else w for w in words))
        paragraphs = swapped
    return "\n\n".join(paragraphs) + "\n"


def build_crawl(bodies: list[str], root: Path, seed: int) -> dict[str, int]:
    """Write the crawl under `root`; source path -> index of its body."""
    rng = random.Random(seed)
    vocabulary = [w for b in bodies for w in b.split() if w.isalpha()]
    truth, turn = {}, 0
    for i, body in enumerate(bodies):
        sites = rng.sample([f"site{n:02d}" for n in range(30)], 6)
        copies = rng.randint(1, 5)
        for k, site in enumerate(sites[: copies + 1]):
            text = body + "\n" if k == 0 else edit(body, EDITS[turn % len(EDITS)], vocabulary, rng)
            turn += k > 0
            path = f"{site}/story-{i:03d}.txt"
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            (root / path).write_text(text, encoding="utf-8")
            truth[path] = i
    return truth


def pairwise(truth: dict[str, int], clusters: dict[str, str]) -> dict[str, float]:
    same_body = {frozenset(p) for p in combinations(sorted(truth), 2) if truth[p[0]] == truth[p[1]]}
    groups = defaultdict(list)
    for path, cluster in clusters.items():
        groups[cluster].append(path)
    together = {frozenset(p) for members in groups.values() for p in combinations(sorted(members), 2)}
    hits = len(same_body & together)
    return {
        "true_pairs": len(same_body), "predicted_pairs": len(together), "correct_pairs": hits,
        "precision": round(hits / len(together), 4) if together else 1.0,
        "recall": round(hits / len(same_body), 4) if same_body else 1.0,
    }


def measure_quality(bodies: list[str], config: Path, seed: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="neardup-") as tmp:
        crawl, output = Path(tmp) / "in", Path(tmp) / "out"
        truth = build_crawl(bodies, crawl, seed)
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "newsclean.cli", "run", "--quiet", "--input", str(crawl),
                        "--output", str(output), "--config", str(config)], check=True, env=env)
        seconds = time.perf_counter() - start
        rows = ds.dataset(output / "articles", format="parquet", partitioning="hive").to_table(
            columns=["source_path", "dup_cluster", "dup_similarity"]).to_pylist()
    clusters = {r["source_path"]: r["dup_cluster"] for r in rows}
    missing = sorted(set(truth) - set(clusters))
    scored = {p: truth[p] for p in clusters if p in truth}
    result = pairwise(scored, clusters)
    result.update(articles=len(rows), bodies=len(bodies), missing_articles=len(missing), run_seconds=round(seconds, 1),
                  min_similarity_in_clusters=min((r["dup_similarity"] for r in rows), default=1.0))
    return result


# ---------------------------------------------------------------- cost


def synthetic_store(output: Path, size: int, num_perm: int, rng: np.random.Generator) -> np.ndarray:
    """A committed `_crossdoc` store of `size` random signatures in runs of 10k; returns them."""
    sigs = rng.integers(0, 2**32, size=(size, num_perm), dtype=np.uint64).astype(np.uint32)
    for start in range(0, size, 10_000):
        chunk = sigs[start:start + 10_000]
        ids = [f"h{n:08d}" for n in range(start, start + len(chunk))]
        table = pa.table({
            "article_id": ids, "doc_key": [f"https://example.com/{a}" for a in ids],
            "content_hash": ids, "version": [1] * len(ids), "dup_cluster": ids, "dup_similarity": [1.0] * len(ids),
            "signature": [s.tolist() for s in chunk],
        }, schema=CROSSDOC_SCHEMA)
        run_id = f"20260101T{start // 10_000:06d}Z-synth"
        write_parquet_atomic(table, partition_path(output, CROSSDOC, "2026-01-01", run_id) / "part-00000.parquet")
    return sigs


def near_copy(sig: np.ndarray, share: float, rng: np.random.Generator) -> np.ndarray:
    out = sig.copy()
    changed = rng.random(len(sig)) < share
    out[changed] = rng.integers(0, 2**32, size=int(changed.sum()), dtype=np.uint64).astype(np.uint32)
    return out


def measure_cost(settings, history_sizes: tuple[int, ...], batch: int, repeats: int) -> dict:
    rng = np.random.default_rng(0)
    figures = {}
    for size in history_sizes:
        with tempfile.TemporaryDirectory(prefix="neardup-cost-") as tmp:
            output = Path(tmp)
            history = synthetic_store(output, size, settings.num_perm, rng)
            index = HistoryIndex(output, settings)
            build = time.perf_counter()
            index.sync()
            build = time.perf_counter() - build
            times = []
            for r in range(repeats):
                # a batch of new articles: 80% new stories, 20% near copies of history
                new = [rng.integers(0, 2**32, size=settings.num_perm, dtype=np.uint64).astype(np.uint32)
                       for _ in range(batch)]
                for j in range(0, batch, 5):
                    new[j] = near_copy(history[rng.integers(len(history))], 0.3, rng)
                items = [(f"n{r}-{j:06d}", s) for j, s in enumerate(new)]
                run_id = f"20270101T{r:06d}Z-new"
                start = time.perf_counter()
                keys = {k for _, s in items for k in band_keys(s, settings)}
                earlier = index.members(keys, before=run_id)
                firsts = index.signatures({m.cluster for ms in earlier.values() for m in ms}, before=run_id)
                placed = assign_clusters(items, earlier, firsts, settings)
                table = pa.table({
                    "article_id": [a for a, _ in items], "doc_key": [a for a, _ in items],
                    "content_hash": [a for a, _ in items], "version": [1] * batch,
                    "dup_cluster": [p.cluster for p in placed], "dup_similarity": [p.similarity for p in placed],
                    "signature": [s.tolist() for _, s in items],
                }, schema=CROSSDOC_SCHEMA)
                index.insert_run(run_id, table)
                times.append(time.perf_counter() - start)
                found = sum(p.cluster.startswith("h") for p in placed)
            # the small tree's merge into the large one, once per RECENT_BAND_ROWS keys
            merge = time.perf_counter()
            index.db.execute("BEGIN")
            index.merge_recent()
            index.db.execute("COMMIT")
            merge = time.perf_counter() - merge
            index.close()
        merge_per_article = merge / (RECENT_BAND_ROWS / band_shape(settings.threshold, settings.num_perm)[0])
        per_article = min(times) / batch + merge_per_article
        figures[str(size)] = {"history": size, "batch": batch, "index_build_seconds": round(build, 2),
                              "seconds_per_batch": round(min(times), 4), "merge_seconds": round(merge, 3),
                              "merge_microseconds_per_article": round(merge_per_article * 1e6, 1),
                              "microseconds_per_article": round(per_article * 1e6, 1),
                              "copies_found_last_batch": found, "copies_in_batch": len(range(0, batch, 5))}
    sizes = [str(s) for s in history_sizes]
    ratio = figures[sizes[-1]]["microseconds_per_article"] / figures[sizes[0]]["microseconds_per_article"]
    return {"by_history": figures, "ratio_largest_to_smallest": round(ratio, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--truth", type=Path, default=GROUND_TRUTH)
    parser.add_argument("--config", type=Path, default=ROOT / "config" / "pipeline.toml")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--batch", type=int, nargs="+", default=[200, 2000],
                        help="new articles per timed batch (a run's new articles), each measured")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--skip-cost", action="store_true")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "neardup.json")
    args = parser.parse_args(argv)
    settings = load_settings(args.config).neardup
    results: dict = {"settings": {k: getattr(settings, k) for k in ("threshold", "num_perm", "shingle_words",
                                                                      "min_words")}}
    if not args.skip_quality:
        q = results["quality"] = measure_quality(load_bodies(args.truth), args.config, args.seed)
        print(f"clusters: precision {q['precision']:.3f}, recall {q['recall']:.3f} "
              f"({q['correct_pairs']} of {q['predicted_pairs']} predicted pairs right, {q['true_pairs']} true pairs; "
              f"{q['articles']} articles from {q['bodies']} bodies, run {q['run_seconds']} s)")
    if not args.skip_cost:
        results["cost"] = {}
        for batch in args.batch:
            c = results["cost"][f"batch_{batch}"] = measure_cost(settings, (10_000, 100_000), batch, args.repeats)
            for f in c["by_history"].values():
                print(f"LSH step, history {f['history']:>7,}: {f['microseconds_per_article']:.1f} us per new article "
                      f"(batch {f['batch']}, {f['copies_found_last_batch']}/{f['copies_in_batch']} copies found)")
            print(f"cost ratio 100k/10k, batch {batch}: {c['ratio_largest_to_smallest']:.2f}")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
