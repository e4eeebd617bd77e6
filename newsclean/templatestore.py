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

import pyarrow as pa

from newsclean import shardstore
from newsclean.atomic import write_json_atomic
from newsclean.datasets import CROSSDOC
from newsclean.settings import TemplatesSettings
from newsclean.stages.templates import TemplateSet, count_articles, is_kept_count, template_set

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

    def record(self, run_id: str, rows: Iterable[tuple[int, int, int]],
               recorded: dict[tuple[int, int], list[int]], per_line: int) -> int:
        """Record the run's (site id, key, article) rows, each line up to `per_line`
        articles in all (`recorded`: those of its lines the other runs recorded); return
        the rows added."""
        room = {pair: per_line - len(docs) for pair, docs in recorded.items()}
        known = {(pair, d) for pair, docs in recorded.items() for d in docs}
        new = []
        for site, key, doc in rows:
            pair = (site, key)
            if (pair, doc) in known or room.get(pair, per_line) <= 0:
                continue
            room[pair] = room.get(pair, per_line) - 1
            known.add((pair, doc))
            new.append((site, key, doc, run_id))
        self.db.executemany("INSERT OR IGNORE INTO seen VALUES (?, ?, ?, ?)", new)
        self.db.execute("INSERT OR IGNORE INTO runs VALUES (?)", (run_id,))
        return len(new)

    def evict(self, sites: Iterable[int], max_rows: int) -> int:
        """Bring each site back to `max_rows` rows: drop its lines on the fewest articles,
        those last seen longest ago first; return the rows dropped."""
        dropped = 0
        for site in sorted(set(sites)):
            (rows,) = self.db.execute("SELECT COUNT(*) FROM seen WHERE site = ?", (site,)).fetchone()
            if rows <= max_rows:
                continue
            lines = self.db.execute("SELECT key, COUNT(*) AS n, MAX(run) AS last FROM seen WHERE site = ? "
                                    "GROUP BY key ORDER BY n, last, key", (site,)).fetchall()
            doomed, excess = [], rows - max_rows
            for key, n, _ in lines:
                if excess <= 0:
                    break
                doomed.append((site, key))
                excess -= n
            self.db.executemany("DELETE FROM seen WHERE site = ? AND key = ?", doomed)
            dropped += rows - max_rows - excess
        return dropped


def count_run(output: Path, run_id: str, n_shards: int, settings: TemplatesSettings) -> dict[str, Any]:
    """The reduce: count the run's lines against the runs before it, record them in the
    history, persist the run's counts (lines on 2 articles or more, and their leads) and
    return a summary."""
    start = perf_counter()
    lines = shardstore.read_lines(output, run_id, n_shards)
    sites = lines["site"].to_pylist()
    keys = lines["key"].to_pylist()
    docs = lines["doc"].to_pylist()
    with closing(LineHistory(output)) as history:
        history.db.execute("BEGIN IMMEDIATE")
        try:
            ids = history.site_ids(sites)
            names = {i: n for n, i in ids.items()}
            rows = [(ids[s], k, d) for s, k, d in zip(sites, keys, docs)]
            found = history.articles({(s, k) for s, k, _ in rows})
            earlier = {pair: [d for d, run in found_rows if run < run_id] for pair, found_rows in found.items()}
            others = {pair: [d for d, run in found_rows if run != run_id] for pair, found_rows in found.items()}
            counts = count_articles(rows, earlier)
            history.forget_run(run_id)
            added = history.record(run_id, rows, others, settings.min_articles)
            evicted = history.evict(ids.values(), settings.max_rows_per_site)
            history.db.execute("COMMIT")
        except BaseException:
            history.db.execute("ROLLBACK")
            raise
    shared = sorted((names[s], k, n) for (s, k), n in counts.items() if is_kept_count((s, k), counts))
    table = pa.table({"site": [r[0] for r in shared], "key": [r[1] for r in shared],
                      "articles": [r[2] for r in shared]}, schema=shardstore.RUN_TEMPLATES_SCHEMA)
    shardstore.write_run_templates(output, run_id, table)
    found = template_set(counts, settings.min_articles)
    alone = count_articles(rows, {}) if earlier else counts
    summary = {
        "lines": len(rows),
        "sites": len(ids),
        "template_lines": len(found),
        "sites_with_templates": len(found.by_site),
        # template lines the run would not have found on its own articles
        "learned_from_earlier_runs": sum(1 for pair, n in counts.items()
                                         if n >= settings.min_articles > alone[pair]),
        "history_rows_added": added,
        "history_rows_evicted": evicted,
        "seconds": round(perf_counter() - start, 3),
    }
    write_json_atomic(summary, summary_path(output, run_id))
    return summary


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
