"""The templates reduce: once every shard of a run is segmented and before any is
classified, count the distinct articles of each site holding each of the run's lines,
across the run and the runs before it, and persist the counts in the run's folder
(`_stages/<run_id>/templates.parquet`), which classify reads (and a rerun of classify
reads again: the same labels). The pure parts are newsclean/stages/templates.py.

The history is `_crossdoc/templates.sqlite`: one row per (site, line key, article) with
the run that first recorded it. A run is counted against the rows of runs before it
(by run id, UTC time first) and its own lines; redoing a run (a resume, a rerun from
segment) first drops the rows it recorded, so it never counts itself twice. Bounded
(`[templates]`): a line keeps at most `min_articles` articles (enough to decide), a
site at most `max_rows_per_site` rows, the lines on the fewest articles, seen longest
ago, dropped first.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from contextlib import closing
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np
import pyarrow as pa

from newsclean import shardstore
from newsclean.atomic import write_json_atomic
from newsclean.datasets import CROSSDOC
from newsclean.settings import TemplatesSettings
from newsclean.stages.memory import return_freed_memory
from newsclean.stages.templates import TemplateSet, lead_key, template_set

STORE_NAME = "templates.sqlite"


class LineHistory:
    """`_crossdoc/templates.sqlite` (see the module docstring)."""

    def __init__(self, output: Path) -> None:
        path = Path(output) / CROSSDOC / STORE_NAME
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(
            """
            CREATE TABLE IF NOT EXISTS sites (id INTEGER PRIMARY KEY, name TEXT UNIQUE);
            CREATE TABLE IF NOT EXISTS runs (run_id TEXT PRIMARY KEY);
            CREATE TABLE IF NOT EXISTS seen (site INTEGER, key INTEGER, doc INTEGER, run TEXT,
                                             PRIMARY KEY (site, key, doc)) WITHOUT ROWID;
            """
        )

    def close(self) -> None:
        self.db.close()

    def site_ids(self, names: Iterable[str]) -> dict[str, int]:
        """Ids of the sites named (new ones added; inside the caller's transaction)."""
        names = sorted(set(names))
        self.db.executemany("INSERT OR IGNORE INTO sites (name) VALUES (?)", ((n,) for n in names))
        found = dict(self.db.execute("SELECT name, id FROM sites"))
        return {n: found[n] for n in names}

    def _wanted(self, pairs: Iterable[tuple[int, int]]) -> None:
        self.db.execute("DROP TABLE IF EXISTS temp.wanted")
        self.db.execute("CREATE TEMP TABLE wanted (site INTEGER, key INTEGER, PRIMARY KEY (site, key)) WITHOUT ROWID")
        self.db.executemany("INSERT OR IGNORE INTO wanted VALUES (?, ?)", pairs)

    def articles(self, pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], list[tuple[int, str]]]:
        """(site id, key) -> the (article, run) rows recorded for it."""
        self._wanted(pairs)
        query = "SELECT w.site, w.key, s.doc, s.run FROM wanted w CROSS JOIN seen s ON s.site = w.site AND s.key = w.key"
        found: dict[tuple[int, int], list[tuple[int, str]]] = {}
        for site, key, doc, run in self.db.execute(query):
            found.setdefault((site, key), []).append((doc, run))
        return found

    def forget_run(self, run_id: str) -> None:
        """Drop the rows a run recorded (before it records them again)."""
        if self.db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone() is None:
            return  # (the delete scans the table: only when the run has rows)
        self.db.execute("DELETE FROM seen WHERE run = ?", (run_id,))
        self.db.execute("DELETE FROM runs WHERE run_id = ?", (run_id,))

    def evict(self, sites: Iterable[int], max_rows: int) -> int:
        """Bring each site back to `max_rows` rows: drop its lines on the fewest articles,
        those last seen longest ago first; return the rows dropped."""
        dropped = 0
        for site in sorted(set(sites)):
            (rows,) = self.db.execute("SELECT COUNT(*) FROM seen WHERE site = ?", (site,)).fetchone()
            if rows <= max_rows:
                continue
            # the lines in eviction order, each with the rows before it: a line goes while
            # the rows dropped before it leave the site over max_rows (in sqlite, not a
            # Python list of a large site's lines)
            deleted = self.db.execute(
                "DELETE FROM seen WHERE site = ?1 AND key IN (SELECT key FROM ("
                " SELECT key, SUM(n) OVER (ORDER BY n, last, key ROWS UNBOUNDED PRECEDING) - n AS before"
                " FROM (SELECT key, COUNT(*) AS n, MAX(run) AS last FROM seen WHERE site = ?1 GROUP BY key))"
                " WHERE before < ?2)", (site, rows - max_rows)).rowcount
            dropped += deleted
        return dropped


# Lines looked up in, or rows written to, the history per batch: the run's rows stay numpy
# columns, never one Python tuple per line (100k articles hold ~1.5M lines).
BATCH_ROWS = 100_000


class RunLines:
    """A run's distinct (site id, line key, article) rows as numpy columns, grouped by
    line (site, key) in sorted order and, within a line, by where its article first
    held it in the run (the order the history records a line's articles in)."""

    def __init__(self, site: np.ndarray, key: np.ndarray, doc: np.ndarray) -> None:
        n = len(site)
        order = np.lexsort((np.arange(n), doc, key, site))
        s, k, d = site[order], key[order], doc[order]
        first = np.ones(n, bool)
        first[1:] = (s[1:] != s[:-1]) | (k[1:] != k[:-1]) | (d[1:] != d[:-1])
        position, s, k, d = order[first], s[first], k[first], d[first]
        opens = np.ones(len(s), bool)
        opens[1:] = (s[1:] != s[:-1]) | (k[1:] != k[:-1])
        line_of = np.cumsum(opens) - 1
        self.site, self.key = s[opens], k[opens]  # one per line, sorted by (site, key)
        self.starts = np.flatnonzero(opens)  # each line's first row below
        within = np.lexsort((position, line_of))  # a line's articles in the order first seen
        self.row_line, self.row_doc = line_of[within], d[within]
        self.rank = np.arange(len(within)) - self.starts[self.row_line]  # 0 for a line's first article
        self.run_count = np.bincount(line_of, minlength=len(self.site))

    def index(self, site: int, key: int) -> int | None:
        """The position of line (site, key) among the run's lines, if the run holds it."""
        lo, hi = np.searchsorted(self.site, site, "left"), np.searchsorted(self.site, site, "right")
        i = lo + int(np.searchsorted(self.key[lo:hi], key))
        return i if i < hi and self.key[i] == key else None

    def docs(self, i: int) -> list[int]:
        """Line i's articles, in the order first seen."""
        end = self.starts[i + 1] if i + 1 < len(self.starts) else len(self.row_doc)
        return self.row_doc[self.starts[i]:end].tolist()

    def pairs(self) -> Iterable[tuple[int, int]]:
        """Every line as (site id, key), a batch at a time."""
        for a in range(0, len(self.site), BATCH_ROWS):
            yield from zip(self.site[a:a + BATCH_ROWS].tolist(), self.key[a:a + BATCH_ROWS].tolist())


def encode_sites(history: LineHistory, column: pa.ChunkedArray) -> tuple[np.ndarray, dict[str, int]]:
    """Each row's site id in the history (new sites added), and the ids by name."""
    encoded = column.combine_chunks().dictionary_encode()
    names = encoded.dictionary.to_pylist()
    ids = history.site_ids(names)
    by_index = np.array([ids[n] for n in names], dtype=np.int64)
    return by_index[encoded.indices.to_numpy(zero_copy_only=False)], ids


def count_run(output: Path, run_id: str, n_shards: int, settings: TemplatesSettings) -> dict[str, Any]:
    """The reduce: count the run's lines against the runs before it, record them in the
    history, persist the run's counts (lines on 2 articles or more, and their leads) and
    return a summary. The run's lines stay numpy columns (`RunLines`); only the lines the
    history already holds are looked at one by one."""
    start = perf_counter()
    lines = shardstore.read_lines(output, run_id, n_shards)
    with closing(LineHistory(output)) as history:
        history.db.execute("BEGIN IMMEDIATE")
        try:
            n_rows = lines.num_rows
            site, ids = encode_sites(history, lines["site"])
            run = RunLines(site, lines["key"].to_numpy(), lines["doc"].to_numpy())
            del lines, site
            found = history.articles(run.pairs())
            counts = run.run_count.copy()  # distinct articles per line: the run's and earlier runs'
            others: dict[int, list[int]] = {}  # line -> articles other runs recorded for it
            for (s, k), rows in found.items():
                i = run.index(s, k)
                earlier = {d for d, r in rows if r < run_id}
                counts[i] = len(set(run.docs(i)) | earlier)
                if any(r != run_id for _, r in rows):
                    others[i] = [d for d, r in rows if r != run_id]
            history.forget_run(run_id)
            added = record_run(history, run_id, run, others, settings.min_articles)
            evicted = history.evict(ids.values(), settings.max_rows_per_site)
            history.db.execute("COMMIT")
        except BaseException:
            history.db.execute("ROLLBACK")
            raise
    names = {i: n for n, i in ids.items()}
    kept = set(np.flatnonzero(counts >= 2).tolist())
    for i in list(kept):  # the lead of a line on two articles or more (its lead_key's line)
        partner = run.index(int(run.site[i]), lead_key(int(run.key[i])))
        if partner is not None:
            kept.add(partner)
    shared = sorted((names[int(run.site[i])], int(run.key[i]), int(counts[i])) for i in kept)
    table = pa.table({"site": [r[0] for r in shared], "key": [r[1] for r in shared],
                      "articles": [r[2] for r in shared]}, schema=shardstore.RUN_TEMPLATES_SCHEMA)
    shardstore.write_run_templates(output, run_id, table)
    templates = counts >= settings.min_articles
    summary = {
        "lines": n_rows,
        "sites": len(ids),
        "template_lines": int(templates.sum()),
        "sites_with_templates": int(len(np.unique(run.site[templates]))),
        # template lines the run would not have found on its own articles
        "learned_from_earlier_runs": int((templates & (run.run_count < settings.min_articles)).sum()),
        "history_rows_added": added,
        "history_rows_evicted": evicted,
        "seconds": round(perf_counter() - start, 3),
    }
    write_json_atomic(summary, summary_path(output, run_id))
    del run, counts
    return_freed_memory(arrow=True)  # the reduce's columns: the command's size until its commit
    return summary


def record_run(history: LineHistory, run_id: str, run: RunLines, others: dict[int, list[int]], per_line: int) -> int:
    """Record the run's rows in the history, each line up to `per_line` articles in all
    (`others`: the articles other runs recorded for its line, which count and are not
    recorded again), its articles in the order first seen; return the rows added."""
    free = run.rank < per_line
    if others:
        free[np.isin(run.row_line, np.fromiter(others, np.int64, len(others)))] = False
    extra = []  # the lines other runs hold too: room left, articles not yet recorded
    for i, docs in others.items():
        known, room = set(docs), per_line - len(docs)
        for d in run.docs(i):
            if room <= 0:
                break
            if d not in known:
                extra.append((int(run.site[i]), int(run.key[i]), d, run_id))
                known.add(d)
                room -= 1
    rows = np.flatnonzero(free)

    def batches() -> Iterable[tuple[int, int, int, str]]:
        for a in range(0, len(rows), BATCH_ROWS):
            part = rows[a:a + BATCH_ROWS]
            line = run.row_line[part]
            yield from zip(run.site[line].tolist(), run.key[line].tolist(), run.row_doc[part].tolist(),
                           [run_id] * len(part))
        yield from extra

    before = history.db.total_changes
    history.db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)", batches())
    added = history.db.total_changes - before
    history.db.execute("INSERT OR IGNORE INTO runs VALUES (?)", (run_id,))
    return added


def summary_path(output: Path, run_id: str) -> Path:
    return shardstore.run_templates_path(output, run_id).with_suffix(".json")


def read_summary(output: Path, run_id: str) -> dict[str, Any] | None:
    """The summary of the run's last templates reduce (for its manifest), if any."""
    path = summary_path(output, run_id)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def load_run_templates(output: Path, run_id: str, settings: TemplatesSettings) -> TemplateSet:
    """The run's template lines as its classify sees them (empty when the run has no
    counts: a run segmented before the counts existed)."""
    table = shardstore.read_run_templates(output, run_id)
    if table is None:
        return TemplateSet()
    counts = {(s, k): n for s, k, n in zip(table["site"].to_pylist(), table["key"].to_pylist(),
                                          table["articles"].to_pylist())}
    return template_set(counts, settings.min_articles)


def needs_counts(output: Path, run_id: str) -> bool:
    """Whether the run's counts must be (re)made before its classify runs."""
    return shardstore.read_run_templates(output, run_id) is None
