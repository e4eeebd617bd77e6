"""The step across documents: once every shard of a run is published (staged), give each of
its articles a version and a near-duplicate cluster against the run itself and every
committed run before it; stage the articles_latest rows and the run's cross-document
history for the commit to swap in. The pure work is newsclean/stages/neardup.py.

The history is the `_crossdoc/` store (Parquet, one partition per committed run: article
id, doc_key, content hash, version, cluster, MinHash signature): the record of truth,
swapped in by the commit journal like the datasets. Looking a run's band keys up in it
goes through `_crossdoc/.index.sqlite`, an index derived from the store (B-trees on band
key, doc_key and article id), brought up to date from the store before each use and
rebuilt when missing or built with other settings: so the cost of a run grows with its
own articles, not with the history (bench/neardup.py measures it), and a crash at any
point leaves nothing the next run cannot rebuild. (datasketch's MinHashLSH keeps its
tables in memory or in Redis/Cassandra; loading all of history into it each run would
cost in proportion to the history.)

Runs are ordered by run id (UTC time first): a run is compared with the runs before it
only, so a rerun of an old run gives the same answer.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsclean.atomic import COMPRESSION, SCHEMA_VERSION, write_parquet_atomic
from newsclean.datasets import (
    ARTICLES_SCHEMA, COMMIT_MARK, CROSSDOC, CROSSDOC_SCHEMA, LATEST, partition_path, staging_root,
)
from newsclean.settings import NeardupSettings
from newsclean.stages.memory import return_freed_memory
from newsclean.stages.neardup import (
    Member, assign_clusters, assign_versions, band_key_rows, content_hash, has_enough_words, signature,
)

INDEX_NAME = ".index.sqlite"
# The band keys live in two B-trees: new runs go into a small one, merged into the large one
# in key order once it holds this many (10k articles' worth). A run's keys fall on random
# pages of the tree they go into, and a commit writes each page it dirtied: into a tree of
# the whole history that write would grow with it (measured: 3x from 10k to 100k articles).
RECENT_BAND_ROWS = 250_000
BAND_TABLES = ("bands", "bands_recent")
LOOKUP_BATCH = 200_000  # band keys per look-up in the index


# ---------------------------------------------------------------- the store and its index


def committed_partitions(output: Path) -> dict[str, Path]:
    """run_id -> committed `_crossdoc` partition folder (not one still being swapped in)."""
    found = {}
    for folder in sorted((Path(output) / CROSSDOC).glob("ingest_date=*/run_id=*")):
        if folder.is_dir() and not (folder / COMMIT_MARK).exists():
            found[folder.name.removeprefix("run_id=")] = folder
    return found


class HistoryIndex:
    """The sqlite index of the `_crossdoc` store (see the module docstring)."""

    def __init__(self, output: Path, params: NeardupSettings) -> None:
        self.output = Path(output)
        self.params = params
        path = self.output / CROSSDOC / INDEX_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA temp_store=MEMORY")
        self.db.execute("PRAGMA cache_size=-131072")  # 128 MB of pages: the band index stays in memory

    def close(self) -> None:
        self.db.close()

    def fingerprint(self) -> str:
        p = self.params
        return f"v4 threshold={p.threshold} num_perm={p.num_perm} shingle_words={p.shingle_words} seed={p.seed}"

    def sync(self) -> dict[str, int]:
        """Bring the index up to date with the committed store: drop runs no longer in it,
        add runs not yet indexed (everything, if built with other settings)."""
        db = self.db
        db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        row = db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is None or row[0] != self.fingerprint():
            for table in ("runs", "bands", "bands_recent", "articles"):
                db.execute(f"DROP TABLE IF EXISTS {table}")
        db.executescript(
            """
            CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS articles (id INTEGER PRIMARY KEY, article_id TEXT, run_id TEXT, doc_key TEXT,
                                                 content_hash TEXT, version INTEGER, cluster TEXT, signature BLOB);
            -- 16 bytes an entry, one B-tree: the band index of a large history stays in the page cache
            CREATE TABLE IF NOT EXISTS bands (key INTEGER, id INTEGER, PRIMARY KEY (key, id)) WITHOUT ROWID;
            CREATE TABLE IF NOT EXISTS bands_recent (key INTEGER, id INTEGER, PRIMARY KEY (key, id)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS articles_id ON articles (article_id);
            CREATE INDEX IF NOT EXISTS articles_doc ON articles (doc_key);
            CREATE INDEX IF NOT EXISTS articles_run ON articles (run_id);
            """
        )
        db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (self.fingerprint(),))
        store = committed_partitions(self.output)
        indexed = {r for (r,) in db.execute("SELECT run_id FROM runs")}
        added = 0
        db.execute("BEGIN")
        try:
            for run_id in sorted(indexed - set(store)):
                self._forget(run_id)
            for run_id in sorted(set(store) - indexed):
                files = sorted(store[run_id].glob("*.parquet"))
                table = pa.concat_tables([pq.read_table(f).cast(CROSSDOC_SCHEMA) for f in files]) if files else \
                    CROSSDOC_SCHEMA.empty_table()
                self._insert(run_id, table)
                added += table.num_rows
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if added:  # fold a large write-ahead log into the file now, not in the next small commit
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return {"runs": len(store), "added": added}

    def _forget(self, run_id: str) -> None:
        if self.db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone() is None:
            return  # (the deletes scan by run: only when there is something to delete)
        for bands in BAND_TABLES:
            self.db.execute(f"DELETE FROM {bands} WHERE id IN (SELECT id FROM articles WHERE run_id = ?)", (run_id,))
        for table in ("runs", "articles"):
            self.db.execute(f"DELETE FROM {table} WHERE run_id = ?", (run_id,))

    def _insert(self, run_id: str, table: pa.Table) -> None:
        """Index one run's rows (inside the caller's transaction)."""
        self._forget(run_id)
        rows, bands = [], []
        (last,) = self.db.execute("SELECT COALESCE(MAX(id), 0) FROM articles").fetchone()
        records = table.to_pylist()
        sigs = [None if r["signature"] is None else np.asarray(r["signature"], np.uint32) for r in records]
        for n, r, sig, keys in zip(range(last + 1, last + 1 + len(records)), records, sigs,
                                   article_band_keys(sigs, self.params).keys):
            rows.append((n, r["article_id"], run_id, r["doc_key"], r["content_hash"], r["version"], r["dup_cluster"],
                         None if sig is None else sig.tobytes()))
            if keys is not None:
                bands += [(key, n) for key in keys.tolist()]
        self.db.executemany("INSERT INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        self.db.executemany("INSERT OR IGNORE INTO bands_recent VALUES (?, ?)", bands)
        self.db.execute("INSERT INTO runs VALUES (?)", (run_id,))
        (recent,) = self.db.execute("SELECT COUNT(*) FROM bands_recent").fetchone()
        if recent > RECENT_BAND_ROWS:
            self.merge_recent()

    def merge_recent(self) -> None:
        """Move the small tree's band keys into the large one, in key order: one pass over it."""
        self.db.execute("INSERT OR IGNORE INTO bands SELECT key, id FROM bands_recent ORDER BY key, id")
        self.db.execute("DELETE FROM bands_recent")

    def insert_run(self, run_id: str, table: pa.Table) -> None:
        """Index one run's rows now (a run just committed; `sync` would do it later)."""
        self.db.execute("BEGIN")
        try:
            self._insert(run_id, table)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _with_keys(self, values: Iterable[Any], kind: str) -> None:
        self.db.execute("DROP TABLE IF EXISTS temp.wanted")
        self.db.execute(f"CREATE TEMP TABLE wanted (value {kind} PRIMARY KEY)")
        self.db.execute("BEGIN")  # one transaction, not one per row
        self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((v,) for v in values))
        self.db.execute("COMMIT")

    def members(self, keys: Iterable[int], before: str) -> dict[int, list[Member]]:
        """Articles of runs before `before` sharing a band key, by key. The keys are looked
        up a batch at a time: a run's distinct keys in one temporary table (in memory) were
        ~100 MB at 100k articles."""
        found: dict[int, list[Member]] = {}
        batch = iter(keys)
        while chunk := list(islice(batch, LOOKUP_BATCH)):
            self._with_keys(chunk, "INTEGER")
            for bands in BAND_TABLES:
                query = (f"SELECT b.key, a.article_id, a.cluster FROM wanted w CROSS JOIN {bands} b ON b.key = w.value "
                         "CROSS JOIN articles a ON a.id = b.id WHERE +a.run_id < ?")
                for key, article_id, cluster in self.db.execute(query, (before,)):
                    found.setdefault(key, []).append(Member(article_id, cluster))
        self.db.execute("DROP TABLE IF EXISTS temp.wanted")
        return found

    def signatures(self, article_ids: Iterable[str], before: str) -> dict[str, np.ndarray]:
        """Signatures of articles of runs before `before`."""
        self._with_keys(article_ids, "TEXT")
        query = ("SELECT a.article_id, a.signature FROM wanted w CROSS JOIN articles a ON a.article_id = w.value "
                 "WHERE +a.run_id < ? AND a.signature IS NOT NULL")
        return {a: np.frombuffer(s, np.uint32) for a, s in self.db.execute(query, (before,))}

    def versions(self, doc_keys: Iterable[str], before: str) -> dict[str, dict[str, int]]:
        """doc_key -> content hash -> version, from runs before `before`."""
        self._with_keys(doc_keys, "TEXT")
        query = ("SELECT a.doc_key, a.content_hash, MIN(a.version) FROM wanted w CROSS JOIN articles a "
                 "ON a.doc_key = w.value WHERE +a.run_id < ? GROUP BY a.doc_key, a.content_hash")
        found: dict[str, dict[str, int]] = {}
        for key, body, version in self.db.execute(query, (before,)):
            found.setdefault(key, {})[body] = version
        return found

    def doc_keys_after(self, doc_keys: Iterable[str], after: str) -> set[str]:
        """Those doc_keys that runs after `after` hold (a rerun of an older run)."""
        self._with_keys(doc_keys, "TEXT")
        query = ("SELECT DISTINCT a.doc_key FROM wanted w CROSS JOIN articles a ON a.doc_key = w.value "
                 "WHERE +a.run_id > ?")
        return {key for (key,) in self.db.execute(query, (after,))}


def prune_history(output: Path, max_articles: int, keep: str) -> list[str]:
    """Drop the oldest committed runs' `_crossdoc` partitions while the store holds more
    than `max_articles` rows (never run `keep`); return the runs dropped. A partition is
    first renamed to a hidden name (readers and the index skip it), then deleted."""
    parts = committed_partitions(output)
    sizes = {run: sum(pq.ParquetFile(f).metadata.num_rows for f in folder.glob("*.parquet"))
             for run, folder in parts.items()}
    total, dropped = sum(sizes.values()), []
    for run in sorted(parts):
        if total <= max_articles or run == keep:
            break
        hidden = parts[run].with_name(f".pruned-{parts[run].name}")
        parts[run].rename(hidden)
        shutil.rmtree(hidden)
        total -= sizes[run]
        dropped.append(run)
    return dropped


# ---------------------------------------------------------------- the step


def staged_article_files(output: Path, run_id: str, ingest_date: str) -> list[Path]:
    return sorted(partition_path(staging_root(output, run_id), "articles", ingest_date, run_id).glob("*.parquet"))


def reading_order(fetched: Sequence[Any], sources: Sequence[str], ids: Sequence[str]) -> list[int]:
    """Row numbers of a run's articles (given by their fetched_at, source_path and
    article_id columns) in the order they count as seen: fetch time (none last), then
    source path, then id."""
    return sorted(range(len(ids)), key=lambda i: (fetched[i] is None, fetched[i] or 0, sources[i], ids[i]))


# The columns the links are computed from besides the texts, which `file_fingerprints`
# reads a shard file at a time and drops once hashed and signed, so the step holds (ids,
# keys, hashes, signatures) of the run, not its articles (at 10k articles, whole tables and
# their texts as Python strings, kept through the step, were ~330 MB of the command's peak).
LINK_COLUMNS = ("article_id", "source_path", "fetched_at", "doc_key")
Fingerprints = tuple[list[str], list["np.ndarray | None"]]  # a file's content hashes and signatures
FingerprintMap = Callable[[Sequence[str], NeardupSettings], Iterable[Fingerprints]]


def file_fingerprints(path: str, settings: NeardupSettings) -> Fingerprints:
    """One staged article file's content hashes and MinHash signatures, in row order (None
    for a body too short to compare): the step's per-article CPU, which needs nothing
    but the file, so a worker process can do it (`link_run`'s `fingerprints`)."""
    texts = pq.read_table(path, columns=["text"])["text"].to_pylist()
    return ([content_hash(t) for t in texts],
            [signature(t, settings) if has_enough_words(t, settings) else None for t in texts])


def fingerprints_here(paths: Sequence[str], settings: NeardupSettings) -> Iterable[Fingerprints]:
    """`file_fingerprints` of each file, one after the other, in this process."""
    return (file_fingerprints(path, settings) for path in paths)


def link_run(output: Path, run_id: str, ingest_date: str, settings: NeardupSettings,
             fingerprints: FingerprintMap = fingerprints_here) -> dict[str, Any]:
    """Fill doc_key, version, dup_cluster and dup_similarity into the run's staged articles;
    stage its articles_latest rows and `_crossdoc` partition. Safe to redo (a resumed or
    rerun run): it reads only the staged articles and the runs before this one.
    `fingerprints` gives each staged file's `file_fingerprints`, in file order (the
    command's stage workers compute them side by side: `workers.StagePool.fingerprints`)."""
    output = Path(output)
    files = staged_article_files(output, run_id, ingest_date)
    columns = pa.schema([ARTICLES_SCHEMA.field(name) for name in LINK_COLUMNS])
    ids: list[str] = []
    keys: list[str] = []
    sources: list[str] = []
    fetched: list[Any] = []
    hashes: list[str] = []
    sigs: list[np.ndarray | None] = []
    rows_per_file: list[int] = []
    for f, (file_hashes, file_sigs) in zip(files, fingerprints([str(f) for f in files], settings), strict=True):
        table = pq.read_table(f, columns=list(LINK_COLUMNS)).cast(columns)
        if len(file_hashes) != table.num_rows:
            raise RuntimeError(f"{f}: {len(file_hashes)} fingerprints for {table.num_rows} articles")
        ids += table["article_id"].to_pylist()
        keys += table["doc_key"].to_pylist()
        sources += table["source_path"].to_pylist()
        fetched += table["fetched_at"].to_pylist()
        hashes += file_hashes
        sigs += file_sigs
        rows_per_file.append(table.num_rows)
        del table
    order = reading_order(fetched, sources, ids)
    del fetched, sources
    pruned = prune_history(output, settings.max_history_articles, keep=run_id)
    with closing(HistoryIndex(output, settings)) as index:
        index.sync()
        known = index.versions(set(keys), before=run_id)
        later = index.doc_keys_after(set(keys), after=run_id)
        versions = dict(zip(order, assign_versions([(keys[i], hashes[i]) for i in order], known)))
        keys_of, shared, distinct = article_band_keys(sigs, settings)
        # each distinct key once, as Python ints only while sqlite reads them
        earlier = index.members(map(int, distinct), before=run_id)
        del distinct
        firsts = index.signatures({m.cluster for ms in earlier.values() for m in ms}, before=run_id)
    compared = sum(s is not None for s in sigs)
    placed = dict(zip(order, assign_clusters([(ids[i], sigs[i]) for i in order], earlier, firsts, settings,
                                             [keys_of[i] for i in order], [shared[i] for i in order])))
    del keys_of, shared, earlier, firsts
    filled = {ids[i]: (versions[i], placed[i].cluster, placed[i].similarity) for i in range(len(ids))}
    # articles_latest: one row per doc_key, the last one seen in the run (its newest version),
    # leaving out the doc_keys later runs hold; written in row order, a shard file at a time.
    latest_rows = newest_row_numbers(keys, order, exclude=later)
    staged = staging_root(output, run_id)
    latest_path = partition_path(staged, LATEST, ingest_date, run_id) / "part-00000.parquet"
    first_row = 0
    with AtomicParquetWriter(latest_path, ARTICLES_SCHEMA) as latest:
        for path, n_rows in zip(files, rows_per_file):
            linked = with_links(pq.read_table(path).cast(ARTICLES_SCHEMA), filled)
            write_parquet_atomic(linked, path)
            mine = latest_rows[np.searchsorted(latest_rows, first_row):np.searchsorted(latest_rows, first_row + n_rows)]
            latest.write(linked.take(pa.array(mine - first_row, pa.int64())))
            first_row += n_rows
            del linked
    history = pa.table({
        "article_id": ids, "doc_key": keys, "content_hash": hashes,
        "version": [versions[i] for i in range(len(ids))],
        "dup_cluster": [placed[i].cluster for i in range(len(ids))],
        "dup_similarity": [placed[i].similarity for i in range(len(ids))],
        "signature": signature_column(sigs),
    }, schema=CROSSDOC_SCHEMA)
    write_parquet_atomic(history, partition_path(staged, CROSSDOC, ingest_date, run_id) / "part-00000.parquet")
    del history, filled, sigs
    return_freed_memory(arrow=True)  # sqlite's page cache, the tables read: before the report's own peak
    return {
        "articles": len(ids),
        "new_versions": sum(1 for i in range(len(ids)) if versions[i] > 1),
        "in_clusters": sum(1 for i in range(len(ids)) if placed[i].cluster != ids[i]),
        "clusters_with_copies": len({placed[i].cluster for i in range(len(ids)) if placed[i].cluster != ids[i]}),
        "compared": compared,
        "history_pruned_runs": pruned,
        "latest_rows": latest.rows,
    }


def signature_column(sigs: Sequence[np.ndarray | None]) -> pa.Array:
    """The signatures as a list<uint32> column (null for none), built from the arrays
    without a Python int per value."""
    present = [s for s in sigs if s is not None]
    lengths = np.array([0 if s is None else len(s) for s in sigs], dtype=np.int32)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    values = np.concatenate(present).astype(np.uint32) if present else np.zeros(0, np.uint32)
    mask = pa.array([s is None for s in sigs], pa.bool_())
    return pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), pa.array(values, pa.uint32()), mask=mask)


class AtomicParquetWriter:
    """A Parquet file written a table at a time, as write_parquet_atomic writes one (zstd,
    the Arrow schema and newsclean's schema version in the footer, a temporary name renamed
    into place on success, removed on failure)."""

    def __init__(self, path: Path, schema: pa.Schema) -> None:
        metadata = dict(schema.metadata or {})
        metadata[b"newsclean.schema_version"] = SCHEMA_VERSION.encode()
        self.schema = schema.with_metadata(metadata)
        self.path = path
        self.tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
        self.rows = 0
        self._writer: pq.ParquetWriter | None = None

    def __enter__(self) -> "AtomicParquetWriter":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(self.tmp, self.schema, compression=COMPRESSION, store_schema=True)
        return self

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            assert self._writer is not None
            self._writer.write_table(table.replace_schema_metadata(self.schema.metadata))
            self.rows += table.num_rows

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        assert self._writer is not None
        try:
            self._writer.close()
            if kind is None:
                os.replace(self.tmp, self.path)
        finally:
            if self.tmp.exists():
                self.tmp.unlink()


BAND_BATCH = 10_000  # signatures whose band keys are computed together


class BandKeys(NamedTuple):
    keys: list[np.ndarray | None]  # each article's band keys (None: no signature)
    shared: list[list[int] | None]  # of those, as ints, the keys another article of the run has
    distinct: np.ndarray  # every key of the run once, sorted (int64)


def article_band_keys(sigs: Sequence[np.ndarray | None], settings: NeardupSettings) -> BandKeys:
    """The band keys of each signature (None for none), computed for all of them at once
    and kept as numpy rows (a run's keys as Python ints in lists were ~150 MB at 100k
    articles); of each, as ints, the keys another article of the run has too: only
    those can place a later article of the run with it (`assign_clusters`' remembered);
    and the run's distinct keys, to look up in the index."""
    present = [i for i, s in enumerate(sigs) if s is not None]
    keys: list[np.ndarray | None] = [None] * len(sigs)
    shared: list[list[int] | None] = [None] * len(sigs)
    if not present:
        return BandKeys(keys, shared, np.zeros(0, np.int64))
    # a batch of signatures at a time: the products behind the keys are 8 bytes per
    # permutation and article (~90 MB at 100k articles at once)
    matrix = np.concatenate([band_key_rows(np.stack([sigs[i] for i in present[a:a + BAND_BATCH]]), settings)
                             for a in range(0, len(present), BAND_BATCH)])
    distinct, counts = np.unique(matrix, return_counts=True)
    is_shared = np.isin(matrix, distinct[counts > 1])
    for n, i in enumerate(present):
        keys[i] = matrix[n]
        shared[i] = matrix[n][is_shared[n]].tolist()
    return BandKeys(keys, shared, distinct)


def with_links(table: pa.Table, filled: dict[str, tuple[int, str, float]]) -> pa.Table:
    """The articles table with version, dup_cluster and dup_similarity from `filled`."""
    ids = table["article_id"].to_pylist()
    columns = {
        "version": pa.array([filled[a][0] for a in ids], pa.int32()),
        "dup_cluster": pa.array([filled[a][1] for a in ids], pa.string()),
        "dup_similarity": pa.array([filled[a][2] for a in ids], pa.float64()),
    }
    for name, values in columns.items():
        table = table.set_column(table.schema.get_field_index(name), name, values)
    return table


def newest_row_numbers(keys: Sequence[str], order: Sequence[int], exclude: set[str]) -> np.ndarray:
    """The rows of articles_latest, ascending: one per doc_key (`keys`, by row), the last
    one seen in the run (`order`: its newest version), leaving out the doc_keys later runs
    hold (`exclude`)."""
    last: dict[str, int] = {}
    for i in order:
        if keys[i] not in exclude:
            last[keys[i]] = i
    return np.array(sorted(last.values()), dtype=np.int64)


def index_committed(output: Path, run_id: str, settings: NeardupSettings) -> None:
    """Bring the index up to date after a commit (optional: the next run's sync does it)."""
    with closing(HistoryIndex(output, settings)) as index:
        index.sync()


def article_versions(output: Path, doc_key: str) -> pa.Table:
    """Every committed version row of one doc_key from the `_crossdoc` store, oldest first."""
    parts = committed_partitions(output)
    tables = []
    for run_id, folder in parts.items():
        for f in sorted(folder.glob("*.parquet")):
            t = pq.read_table(f, columns=["article_id", "doc_key", "version", "content_hash"])
            t = t.filter(pc.equal(t["doc_key"], doc_key))
            if t.num_rows:
                tables.append(t.append_column("run_id", pa.array([run_id] * t.num_rows, pa.string())))
    if not tables:
        return pa.table({"article_id": [], "doc_key": [], "version": [], "content_hash": [], "run_id": []})
    return pa.concat_tables(tables).sort_by([("version", "ascending"), ("run_id", "ascending")])


def body_paragraphs(output: Path, article_id: str) -> list[str]:
    """The body paragraphs of a committed article, in order."""
    import pyarrow.dataset as pads

    folder = Path(output) / "paragraphs"
    if not any(folder.rglob("*.parquet")):
        return []
    data = pads.dataset(folder, format="parquet", partitioning="hive")
    rows = data.to_table(columns=["position", "text"],
                         filter=(pc.field("article_id") == article_id) & (pc.field("label") == "body"))
    return [r["text"] for r in sorted(rows.to_pylist(), key=lambda r: r["position"])]


def compare_versions(output: Path, doc_key: str, old: int | None = None, new: int | None = None) -> dict[str, Any]:
    """The versions of a doc_key and the body paragraphs added and removed between two of
    them (default: the last two); KeyError if the doc_key or a version is unknown."""
    from newsclean.stages.neardup import paragraph_changes

    rows = article_versions(output, doc_key).to_pylist()
    if not rows:
        raise KeyError(f"no committed article has doc_key {doc_key!r}")
    first: dict[int, dict[str, Any]] = {}
    for r in rows:
        first.setdefault(r["version"], r)
    numbers = sorted(first)
    new = numbers[-1] if new is None else new
    old = (numbers[-2] if len(numbers) > 1 else numbers[-1]) if old is None else old
    for number in (old, new):
        if number not in first:
            raise KeyError(f"doc_key {doc_key!r} has versions {numbers}, not {number}")
    changes = paragraph_changes(body_paragraphs(output, first[old]["article_id"]),
                                body_paragraphs(output, first[new]["article_id"]))
    return {"doc_key": doc_key, "versions": rows, "old": old, "new": new,
            "added": [t for sign, t in changes if sign == "+"], "removed": [t for sign, t in changes if sign == "-"],
            "changes": changes}


def staged_articles(output: Path, run_id: str, ingest_date: str) -> int:
    """How many articles the run staged (from the Parquet footers)."""
    return sum(pq.ParquetFile(f).metadata.num_rows for f in staged_article_files(output, run_id, ingest_date))


def link_run_apart(output: Path, run_id: str, ingest_date: str, settings: NeardupSettings) -> dict[str, Any]:
    """`link_run` in a fresh interpreter (`python -m newsclean.crossdoc`), which imports
    no Prefect and exits when done: what the step holds per article never adds to the
    calling process. RuntimeError, with the end of its error output, if it fails."""
    command = [sys.executable, "-m", "newsclean.crossdoc", str(output), run_id, ingest_date,
               json.dumps(dataclasses.asdict(settings)), str(os.getpid())]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = " ".join(done.stderr.strip().splitlines()[-3:])
        raise RuntimeError(f"the cross-document step failed in its own process (exit {done.returncode}): {tail}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def die_with_parent(parent: int) -> None:
    """End this process when the one that started it ends (Linux: the parent-death signal),
    or now if it already has: a command killed mid-commit must not leave a step writing the
    staged files its resume will write again."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:
        sys.exit(3)


def main(argv: Sequence[str]) -> int:
    """`python -m newsclean.crossdoc OUTPUT RUN_ID INGEST_DATE SETTINGS_JSON PARENT_PID`:
    link_run, its summary as one JSON line on stdout."""
    from newsclean.stages.memory import use_system_arrow_pool

    output, run_id, ingest_date, params, parent = argv
    die_with_parent(int(parent))
    use_system_arrow_pool()
    summary = link_run(Path(output), run_id, ingest_date, NeardupSettings(**json.loads(params)))
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
