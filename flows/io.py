"""The only module that touches files: input discovery and reading, per-stage shard
files, the published Parquet datasets and the run manifests.

Every file is written to a temporary name in its final folder and renamed into
place, so a reader (or a crashed run) never sees a partial file.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from flows.stages.records import OFFTOPIC, Document, Paragraph, RawInput, Reject, Shard

DATASETS = ("articles", "paragraphs", "offtopic", "rejects")
SCHEMA_VERSION = "1"
COMPRESSION = "zstd"
_TS = pa.timestamp("us", tz="UTC")

DOCUMENT_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("source_path", pa.string()),
        ("kind", pa.string()),
        ("input_sha256", pa.string()),
        ("raw", pa.large_binary()),
        ("text", pa.large_string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published_hint", pa.string()),
        ("published_at", _TS),
        ("dateline", pa.string()),
        ("credit", pa.string()),
        ("encoding", pa.string()),
        ("encoding_fixes", pa.list_(pa.string())),
        ("language", pa.string()),
        ("language_score", pa.float64()),
    ]
)
PARAGRAPH_STAGE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("position", pa.int32()),
        ("text", pa.large_string()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
        ("label", pa.string()),
        ("reason", pa.string()),
        ("score", pa.float64()),
    ]
)
REJECT_SCHEMA = pa.schema(
    [
        ("source_path", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("stage", pa.string()),
    ]
)

# The published datasets: the output contract (README "Output schema").
ARTICLES_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("source_path", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published_at", _TS),
        ("dateline", pa.string()),
        ("credit", pa.string()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("text", pa.large_string()),
        ("n_paragraphs", pa.int32()),
        ("n_removed", pa.int32()),
        ("encoding", pa.string()),
        ("encoding_fixes", pa.list_(pa.string())),
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
PUBLISHED_SCHEMAS = {
    "articles": ARTICLES_SCHEMA,
    "paragraphs": PARAGRAPHS_SCHEMA,
    "offtopic": OFFTOPIC_SCHEMA,
    "rejects": REJECTS_SCHEMA,
}


class InputError(ValueError):
    """The input path does not exist or cannot be listed."""


@dataclass(frozen=True)
class InputFile:
    """A file to ingest: its absolute path, its path relative to the input root, its size."""

    path: str
    relative: str
    size: int


# --- inputs ----------------------------------------------------------------------------


def discover_inputs(root: Path) -> list[InputFile]:
    """Every file under `root` (or `root` itself), sorted by relative path."""
    root = Path(root)
    if not root.exists():
        raise InputError(f"input not found: {root}")
    if root.is_file():
        return [InputFile(str(root.resolve()), root.name, root.stat().st_size)]
    found = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in filenames:
            path = Path(dirpath) / name
            try:
                size = path.stat().st_size
            except OSError:
                size = 0
            found.append(InputFile(str(path.resolve()), path.relative_to(root).as_posix(), size))
    return sorted(found, key=lambda f: f.relative)


def plan_shards(files: Sequence[InputFile], shard_size: int, max_bytes: int) -> list[list[InputFile]]:
    """Group files into shards of at most `shard_size` files and about `max_bytes` bytes."""
    shards: list[list[InputFile]] = []
    current: list[InputFile] = []
    size = 0
    for f in files:
        if current and (len(current) >= shard_size or size + f.size > max_bytes):
            shards.append(current)
            current, size = [], 0
        current.append(f)
        size += f.size
    if current:
        shards.append(current)
    return shards


def read_inputs(files: Sequence[InputFile], max_bytes: int) -> tuple[list[RawInput], list[Reject]]:
    """Read the files' bytes; files that cannot be read or are too large become rejects."""
    inputs, rejects = [], []
    for f in files:
        if f.size > max_bytes:
            rejects.append(Reject(f.relative, "too_large", f"{f.size} bytes > {max_bytes}", "ingest"))
            continue
        try:
            data = Path(f.path).read_bytes()
        except OSError as exc:
            rejects.append(Reject(f.relative, "unreadable", exc.strerror or str(exc), "ingest"))
            continue
        inputs.append(RawInput(f.relative, data))
    return inputs, rejects


# --- per-stage shard files -------------------------------------------------------------


def stage_dir(output: Path, run_id: str, stage: str) -> Path:
    return Path(output) / "_stages" / run_id / stage


def shard_files(output: Path, run_id: str, stage: str, shard_id: int) -> dict[str, Path]:
    base = stage_dir(output, run_id, stage)
    return {
        part: base / f"{shard_id:05d}.{part}.parquet" for part in ("documents", "paragraphs", "rejects")
    }


def write_shard(output: Path, run_id: str, stage: str, shard: Shard) -> dict[str, int]:
    """Persist a stage's output for one shard; return row counts per table."""
    paths = shard_files(output, run_id, stage, shard.shard_id)
    tables = {
        "documents": _records_to_table(shard.documents, DOCUMENT_SCHEMA),
        "paragraphs": _records_to_table(shard.paragraphs, PARAGRAPH_STAGE_SCHEMA),
        "rejects": _records_to_table(shard.rejects, REJECT_SCHEMA),
    }
    for part, table in tables.items():
        write_parquet_atomic(table, paths[part])
    return {part: table.num_rows for part, table in tables.items()}


def read_shard(output: Path, run_id: str, stage: str, shard_id: int) -> Shard:
    """Load a stage's persisted output for one shard."""
    paths = shard_files(output, run_id, stage, shard_id)
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        raise FileNotFoundError(f"stage {stage!r} has no output for shard {shard_id}: {missing[0]}")
    docs = [_document_from_row(r) for r in pq.read_table(paths["documents"]).to_pylist()]
    paras = [Paragraph(**r) for r in pq.read_table(paths["paragraphs"]).to_pylist()]
    rejects = [Reject(**r) for r in pq.read_table(paths["rejects"]).to_pylist()]
    return Shard(shard_id=shard_id, documents=tuple(docs), paragraphs=tuple(paras), rejects=tuple(rejects))


def _document_from_row(row: dict[str, Any]) -> Document:
    row["encoding_fixes"] = tuple(row.get("encoding_fixes") or ())
    return Document(**row)


def _records_to_table(records: Sequence[Any], schema: pa.Schema) -> pa.Table:
    names = schema.names
    rows = []
    for record in records:
        row = {f.name: getattr(record, f.name) for f in fields(record) if f.name in names}
        if "encoding_fixes" in row:
            row["encoding_fixes"] = list(row["encoding_fixes"])
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=schema)


# --- published datasets ----------------------------------------------------------------


def published_tables(shard: Shard) -> dict[str, pa.Table]:
    """The four published tables of one finished shard."""
    grouped = shard.paragraphs_by_article()
    articles = []
    for doc in shard.documents:
        paras = grouped.get(doc.article_id, [])
        body = [p.text.strip() for p in paras if p.label == "body"]
        row = {k: v for k, v in asdict(doc).items() if k in ARTICLES_SCHEMA.names}
        row.update(
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
    return stage_dir(output, run_id, "publish")


def write_published_shard(output: Path, run_id: str, ingest_date: str, shard: Shard) -> dict[str, int]:
    """Write one shard's published tables into the run's staging area (not yet visible)."""
    counts = {}
    for name, table in published_tables(shard).items():
        target = partition_path(staging_root(output, run_id), name, ingest_date, run_id)
        write_parquet_atomic(table, target / f"part-{shard.shard_id:05d}.parquet")
        counts[name] = table.num_rows
    return counts


def commit_run(output: Path, run_id: str, ingest_date: str, manifest: dict[str, Any]) -> Path:
    """Make a run's rows visible: move its partitions into the datasets, then write the
    manifest last. Each move is one rename, so readers see a run's rows all or nothing
    per dataset."""
    output = Path(output)
    for name in DATASETS:
        staged = partition_path(staging_root(output, run_id), name, ingest_date, run_id)
        final = partition_path(output, name, ingest_date, run_id)
        if not staged.exists():
            continue
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # a rerun of a committed run replaces its rows
            shutil.rmtree(final)
        os.replace(staged, final)
    manifest_path = output / "runs" / f"{run_id}.json"
    write_json_atomic(manifest, manifest_path)
    return manifest_path


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write a Parquet file (zstd, Arrow schema in the footer) under a temporary name,
    then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = dict(table.schema.metadata or {})
    metadata[b"newsclean.schema_version"] = SCHEMA_VERSION.encode()
    table = table.replace_schema_metadata(metadata)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp, compression=COMPRESSION, store_schema=True)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json_atomic(data: Any, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def read_manifest(output: Path, run_id: str) -> dict[str, Any]:
    """A run's manifest; `latest` names the newest finished run."""
    runs = Path(output) / "runs"
    if run_id == "latest":
        manifests = sorted(runs.glob("*.json"))
        if not manifests:
            raise FileNotFoundError(f"no finished run in {runs}")
        return json.loads(manifests[-1].read_text(encoding="utf-8"))
    path = runs / f"{run_id}.json"
    if not path.exists():
        raise FileNotFoundError(f"no run {run_id!r} in {runs}")
    return json.loads(path.read_text(encoding="utf-8"))


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: UTC time plus a random suffix."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


def iter_dataset_files(output: Path, dataset: str) -> Iterator[Path]:
    yield from sorted((Path(output) / dataset).rglob("*.parquet"))
