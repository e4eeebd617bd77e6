"""The published datasets: their schemas (the output contract, README "Output schema"),
the tables of a finished shard, the run's staged partitions and their swap into place,
the keys already published and the removal of rows a run republishes. The only module
that writes or rewrites the dataset files.

Layout under the output folder:

    _stages/<run_id>/publish/<dataset>/...       the run's rows before commit
    _stages/<run_id>/published_keys.parquet      keys the run's publish leaves out
    <dataset>/ingest_date=D/run_id=R/            committed rows (articles, ...)
    articles_latest/ingest_date=D/run_id=R/      the newest version of each doc_key
    _crossdoc/ingest_date=D/run_id=R/            signatures and versions (newsclean/crossdoc.py)
"""

from __future__ import annotations

import os
import shutil
from dataclasses import asdict
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from newsclean.atomic import exchange_paths, write_parquet_atomic
from newsclean.stages.neardup import doc_key_for
from newsclean.stages.records import OFFTOPIC, Shard


DATASETS = ("articles", "paragraphs", "offtopic", "rejects")
_TS = pa.timestamp("us", tz="UTC")
# The published datasets: the output contract (README "Output schema").
ARTICLES_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("source_path", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published_at", _TS),
        ("fetched_at", _TS),  # a WARC record's WARC-Date; null for other inputs
        ("dateline", pa.string()),
        ("credit", pa.string()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("text", pa.large_string()),
        ("n_paragraphs", pa.int32()),
        ("n_removed", pa.int32()),
        ("encoding", pa.string()),
        ("encoding_fixes", pa.list_(pa.string())),
        # across documents (newsclean/crossdoc.py, after every shard's publish):
        ("doc_key", pa.string()),  # canonical URL when known, else source_path
        ("version", pa.int32()),  # 1, 2, ...: distinct bodies of the doc_key, in the order runs saw them
        ("dup_cluster", pa.string()),  # article_id of the near-duplicate cluster's first member
        ("dup_similarity", pa.float64()),  # estimated Jaccard to that first member (1.0: itself)
    ]
)
PARAGRAPHS_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("position", pa.int32()),
        ("text", pa.large_string()),
        ("label", pa.string()),
        ("reason", pa.string()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
    ]
)
OFFTOPIC_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("position", pa.int32()),
        ("text", pa.large_string()),
        ("score", pa.float64()),
        ("reason", pa.string()),
    ]
)
REJECTS_SCHEMA = pa.schema(
    [
        ("source_path", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
    ]
)
# What the near-duplicate and version step keeps per article, across runs (not a dataset
# for analysts: the history the next runs are compared with).
CROSSDOC_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("doc_key", pa.string()),
        ("content_hash", pa.string()),
        ("version", pa.int32()),
        ("dup_cluster", pa.string()),
        ("dup_similarity", pa.float64()),
        ("signature", pa.list_(pa.uint32())),  # null: body too short to compare
    ]
)
PUBLISHED_SCHEMAS = {
    "articles": ARTICLES_SCHEMA,
    "paragraphs": PARAGRAPHS_SCHEMA,
    "offtopic": OFFTOPIC_SCHEMA,
    "rejects": REJECTS_SCHEMA,
}
# The column that identifies "the same row" in each dataset, for exactly-once publishing.
DATASET_KEYS = {"articles": "article_id", "paragraphs": "article_id", "offtopic": "article_id", "rejects": "source_path"}
# Written by the step across documents once every shard is published: the newest version
# per doc_key (same columns as articles/) and the cross-document history.
LATEST, CROSSDOC = "articles_latest", "_crossdoc"
LINKED = (LATEST, CROSSDOC)
# Every partition a commit swaps in, in order.
COMMITTED = (*DATASETS, *LINKED)


# A staged partition folder to be swapped in carries COMMIT_MARK (hidden: dataset
# readers skip it), so a swap redone after a crash never swaps back (see runlog).
COMMIT_MARK = ".newsclean-new"


def published_tables(shard: Shard) -> dict[str, pa.Table]:
    """The four published tables of one finished shard."""
    grouped = shard.paragraphs_by_article()
    articles = []
    for doc in shard.documents:
        paras = grouped.get(doc.article_id, [])
        body = [p.text.strip() for p in paras if p.label == "body"]
        row = {k: v for k, v in asdict(doc).items() if k in ARTICLES_SCHEMA.names}
        row.update(
            doc_key=doc_key_for(doc.url, doc.source_path),
            encoding_fixes=list(doc.encoding_fixes),
            text="\n\n".join(body),
            n_paragraphs=len(body),
            n_removed=len(paras) - len(body),
        )
        articles.append(row)
    paragraphs = [
        {k: getattr(p, k) for k in PARAGRAPHS_SCHEMA.names}
        for p in sorted(shard.paragraphs, key=lambda p: (p.article_id, p.position))
    ]
    offtopic = [
        {"article_id": p.article_id, "position": p.position, "text": p.text, "score": p.score, "reason": p.reason}
        for p in sorted(shard.paragraphs, key=lambda p: (p.article_id, p.position))
        if p.label == OFFTOPIC
    ]
    rejects = [{"source_path": r.source_path, "reason": r.reason, "detail": r.detail} for r in shard.rejects]
    rows = {"articles": articles, "paragraphs": paragraphs, "offtopic": offtopic, "rejects": rejects}
    return {name: pa.Table.from_pylist(rows[name], schema=PUBLISHED_SCHEMAS[name]) for name in DATASETS}


def partition_path(output: Path, dataset: str, ingest_date: str, run_id: str) -> Path:
    """Hive partition folder of one run's rows in a dataset."""
    return Path(output) / dataset / f"ingest_date={ingest_date}" / f"run_id={run_id}"


def staging_root(output: Path, run_id: str) -> Path:
    """The run's rows before commit: `_stages/<run_id>/publish/` (beside the publish
    stage's shard summaries)."""
    return Path(output) / "_stages" / run_id / "publish"


def write_published_shard(output: Path, run_id: str, ingest_date: str, shard: Shard) -> dict[str, int]:
    """Write one shard's published tables into the run's staging area (not yet visible)."""
    counts = {}
    for name, table in published_tables(shard).items():
        target = partition_path(staging_root(output, run_id), name, ingest_date, run_id)
        write_parquet_atomic(table, target / f"part-{shard.shard_id:05d}.parquet")
        counts[name] = table.num_rows
    return counts


def run_partition_files(output: Path, run_id: str, ingest_date: str, dataset: str) -> list[Path]:
    """A run's Parquet files of a dataset: staged if not yet moved, else committed."""
    staged = partition_path(staging_root(output, run_id), dataset, ingest_date, run_id)
    folder = staged if staged.exists() else partition_path(output, dataset, ingest_date, run_id)
    return sorted(folder.glob("*.parquet"))


def published_keys(output: Path, exclude_run: str) -> dict[str, pa.Array]:
    """Keys already published by committed runs other than `exclude_run`: article ids
    (articles/) and source paths (rejects/)."""
    keys = {}
    for dataset in ("articles", "rejects"):
        column = DATASET_KEYS[dataset]
        folder = Path(output) / dataset
        if not any(folder.rglob("*.parquet")):
            keys[dataset] = pa.array([], pa.string())
            continue
        data = pads.dataset(folder, format="parquet", partitioning="hive")
        table = data.to_table(columns=[column], filter=pc.field("run_id") != exclude_run)
        keys[dataset] = pc.unique(table[column]).cast(pa.string())
    return keys


def write_published_keys(output: Path, run_id: str, keys: dict[str, pa.Array] | None) -> None:
    """Persist the keys the run's publish step must leave out (None: leave out nothing)."""
    rows = {"dataset": [], "key": []}
    for dataset, values in (keys or {}).items():
        rows["dataset"] += [dataset] * len(values)
        rows["key"] += values.to_pylist()
    table = pa.table(rows, schema=pa.schema([("dataset", pa.string()), ("key", pa.string())]))
    write_parquet_atomic(table, Path(output) / "_stages" / run_id / "published_keys.parquet")


def read_published_keys(output: Path, run_id: str) -> dict[str, frozenset[str]]:
    path = Path(output) / "_stages" / run_id / "published_keys.parquet"
    if not path.exists():
        return {}
    found: dict[str, set[str]] = {}
    for row in pq.read_table(path).to_pylist():
        found.setdefault(row["dataset"], set()).add(row["key"])
    return {k: frozenset(v) for k, v in found.items()}


def supersede_rows(output: Path, run_id: str, ingest_date: str) -> dict[str, int]:
    """Remove, from other runs' committed files, the rows this run republishes (same
    article id, or same source path for rejects). Each file is rewritten to a temporary
    name and renamed over the old one. Idempotent, so a crashed commit can redo it."""
    removed: dict[str, int] = {}
    for dataset in DATASETS:
        column = DATASET_KEYS[dataset]
        mine = [pq.read_table(p, columns=[column])[column] for p in run_partition_files(output, run_id, ingest_date, dataset)]
        if not mine:
            continue
        keys = pc.unique(pa.chunked_array(mine, pa.string()).combine_chunks())
        own = f"run_id={run_id}"
        for path in sorted((Path(output) / dataset).rglob("*.parquet")):
            if own in path.parts:
                continue
            table = pq.read_table(path)
            keep = pc.invert(pc.is_in(table[column], value_set=keys))
            kept = table.filter(keep)
            if kept.num_rows < table.num_rows:
                write_parquet_atomic(kept, path)
                removed[dataset] = removed.get(dataset, 0) + table.num_rows - kept.num_rows
    return removed


def mark_for_swap(output: Path, run_id: str, ingest_date: str) -> None:
    """Mark each staged partition of a run as ready to swap in (COMMIT_MARK): the first
    step of its commit."""
    for name in COMMITTED:
        staged = partition_path(staging_root(output, run_id), name, ingest_date, run_id)
        if staged.exists():
            (staged / COMMIT_MARK).touch()


def swap_partition(output: Path, run_id: str, ingest_date: str, dataset: str) -> None:
    """Move a run's staged partition of a dataset into place (exchanging it with the one
    a rerun replaces), then drop what it replaced. Safe to redo at any point: only a
    staged folder with COMMIT_MARK is swapped in."""
    staged = partition_path(staging_root(output, run_id), dataset, ingest_date, run_id)
    final = partition_path(output, dataset, ingest_date, run_id)
    if (staged / COMMIT_MARK).exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # a rerun of a committed run replaces its rows in one step
            exchange_paths(staged, final)
        else:
            os.replace(staged, final)
    (final / COMMIT_MARK).unlink(missing_ok=True)
    if staged.exists():  # the rows replaced
        shutil.rmtree(staged)


def supersede_latest(output: Path, run_id: str, ingest_date: str) -> int:
    """Remove, from other runs' partitions of articles_latest, the doc_keys this run's
    partition holds (its rows are newer); return the rows removed. Files are rewritten
    atomically; idempotent, so a crashed commit can redo it."""
    mine = sorted(partition_path(Path(output), LATEST, ingest_date, run_id).glob("*.parquet"))
    if not mine:
        return 0
    keys = pc.unique(pa.chunked_array([pq.read_table(p, columns=["doc_key"])["doc_key"] for p in mine],
                                      pa.string()).combine_chunks())
    removed, own = 0, f"run_id={run_id}"
    for path in sorted((Path(output) / LATEST).rglob("*.parquet")):
        if own in path.parts or path.name.startswith("."):
            continue
        found = pq.read_table(path, columns=["doc_key"])["doc_key"]
        if not pc.any(pc.is_in(found, value_set=keys)).as_py():
            continue
        table = pq.read_table(path)
        kept = table.filter(pc.invert(pc.is_in(table["doc_key"], value_set=keys)))
        write_parquet_atomic(kept, path)
        removed += table.num_rows - kept.num_rows
    return removed
