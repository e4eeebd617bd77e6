"""Report data: what the HTML report of a run shows, counted from its persisted output.

`collect` reads a run's manifest, summaries and stage output (so a report also covers a
run whose rows a later `--full` run superseded) into a `ReportData`: removals by reason
with examples, off-topic tails as the rule saw them, junk per site, the change against
the previous run, languages, encoding fixes, rejects, timings. Pure counting apart from
the reads, all through `newsclean.runlog` and `newsclean.shardstore`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from newsclean import runlog, shardstore

EXAMPLES_PER_REASON = 3  # removed paragraphs shown per reason, each from another article
EXAMPLE_CHARS = 300  # an example longer than this is cut (the full text is in paragraphs/)
MAX_SITES = 30


@dataclass(frozen=True)
class ReportData:
    """Everything the HTML report shows, already counted."""

    run_id: str
    status: str
    articles: int
    paragraphs: int
    rejects: int
    removed_by_reason: dict[str, int]
    guard_kept: int  # paragraphs inferred rules would have removed, kept by the guard
    labels: dict[str, int]
    offtopic_tails: list["Tail"]  # every split off-topic tail, the rule's inputs
    offtopic_rule: dict[str, float]  # threshold, single_threshold, tail_floor the run used
    junk_by_site: list[tuple[str, int, int]]  # site, paragraphs, removed; highest junk share first
    languages: dict[str, int]
    encoding_fixes: dict[str, int]
    reject_reasons: dict[str, int]
    stage_seconds: dict[str, float]
    slowest_shards: list[tuple[str, int, float]]
    meta: dict[str, Any] = field(default_factory=dict)
    examples: dict[str, list["Example"]] = field(default_factory=dict)  # reason -> removed paragraphs
    rejected: list[tuple[str, str, str]] = field(default_factory=list)  # source_path, reason, detail
    changes: list["Change"] = field(default_factory=list)  # against the previous run
    previous_run: str | None = None
    warc_records_skipped: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Example:
    """A removed paragraph shown in the report: where it is and its text."""

    source_path: str
    position: int
    text: str


@dataclass(frozen=True)
class Tail:
    """One off-topic tail as the rule saw it: its paragraphs' scores, their average and
    the threshold that average had to reach (single_threshold for a lone paragraph)."""

    source_path: str
    first_text: str
    scores: tuple[float, ...]
    threshold: float

    @property
    def average(self) -> float:
        return sum(self.scores) / len(self.scores)


@dataclass(frozen=True)
class Change:
    """A count in this run against the previous one, and as a share of its paragraphs
    (or inputs, for rejects), since two runs seldom see the same number of inputs."""

    kind: str  # "label", "reason" or "reject"
    name: str
    before: int
    after: int
    before_share: float
    after_share: float


def collect(output: Path, run_id: str) -> ReportData:
    """Count what the report shows from a run's manifest and persisted stage output (the
    paragraphs one shard at a time: a report's memory is set by the shard size)."""
    manifest = runlog.read_manifest(output, run_id) if runlog.is_committed(output, run_id) else None
    summaries = shardstore.read_summaries(output, run_id)
    stage = "language"
    docs = shardstore.read_stage_table(output, run_id, stage, "documents",
                                       ["article_id", "source_path", "url", "language", "encoding_fixes"])
    ids, paths, urls = (docs.column(c).to_pylist() for c in ("article_id", "source_path", "url"))
    source_of = dict(zip(ids, paths))
    site_of = {a: site_of_document(path, url) for a, path, url in zip(ids, paths, urls)}
    tally = ParagraphTally(source_of, site_of)
    for table in shardstore.iter_stage_tables(output, run_id, stage, "paragraphs", TALLY_COLUMNS):
        tally.add(table)
    rejects = shardstore.read_stage_table(output, run_id, stage, "rejects", ["source_path", "reason", "detail"]).to_pylist()

    stage_seconds: dict[str, float] = {}
    for s in summaries:
        stage_seconds[s["stage"]] = round(stage_seconds.get(s["stage"], 0.0) + s["seconds"], 3)
    slowest = sorted(((s["stage"], s["shard"], s["seconds"]) for s in summaries), key=lambda t: -t[2])[:8]
    rule = offtopic_rule((manifest or {}).get("config", {}).get("offtopic", {}))
    previous = previous_manifest(output, run_id)
    counts = (manifest or {}).get("counts") or tally.counts(rejects)
    warc_skipped: dict[str, int] = {}
    for s in summaries:
        if s["stage"] == "ingest":
            for kind, n in s.get("warc_records_skipped", {}).items():
                warc_skipped[kind] = warc_skipped.get(kind, 0) + n
    return ReportData(
        run_id=run_id,
        status="committed" if manifest else "unfinished",
        articles=docs.num_rows,
        paragraphs=tally.paragraphs,
        rejects=len(rejects),
        removed_by_reason=dict(tally.removed.most_common()),
        guard_kept=tally.guard_kept,
        labels=dict(tally.labels.most_common()),
        offtopic_tails=offtopic_tails(tally.scored, source_of, rule),
        offtopic_rule=rule,
        junk_by_site=tally.junk_by_site(),
        languages=_most_common(language or "unknown" for language in docs.column("language").to_pylist()),
        encoding_fixes=_most_common(fix for fixes in docs.column("encoding_fixes").to_pylist() for fix in (fixes or ())),
        reject_reasons=_most_common(r["reason"] for r in rejects),
        stage_seconds=dict(sorted(stage_seconds.items(), key=lambda kv: -kv[1])),
        slowest_shards=slowest,
        meta=_meta(manifest),
        examples=tally.examples(),
        rejected=sorted((r["source_path"], r["reason"], r["detail"]) for r in rejects),
        changes=run_changes(previous["counts"], counts) if previous else [],
        previous_run=previous["run_id"] if previous else None,
        warc_records_skipped=dict(sorted(warc_skipped.items(), key=lambda kv: -kv[1])),
    )


TALLY_COLUMNS = ("article_id", "position", "text", "label", "reason", "score")


class ParagraphTally:
    """A run's paragraphs counted shard by shard: labels and reasons, paragraphs and
    removals per site, the scored (off-topic) paragraphs, and per removal reason the
    examples `removed_examples` picks, kept as they stream past (only the candidates)."""

    def __init__(self, source_of: dict[str, str], site_of: dict[str, str],
                 per_reason: int = EXAMPLES_PER_REASON) -> None:
        self.source_of, self.site_of, self.per_reason = source_of, site_of, per_reason
        self.paragraphs = self.guard_kept = 0
        self.labels: Counter[str] = Counter()
        self.reasons_all: Counter[str] = Counter()
        self.removed: Counter[str] = Counter()
        self.per_site: dict[str, list[int]] = {}
        self.scored: list[dict[str, Any]] = []
        # reason -> article -> (sort key, text): each article's first removal of the reason,
        # for the `per_reason` articles whose first one sorts first
        self.candidates: dict[str, dict[str, tuple[tuple[str, int, int], str]]] = {}

    def add(self, table: Any) -> None:
        columns = {name: table.column(name).to_pylist() for name in ("article_id", "position", "label", "reason")}
        scores = table.column("score")
        texts = table.column("text")
        for j, (article, position, label, reason) in enumerate(zip(*columns.values())):
            seq = self.paragraphs
            self.paragraphs += 1
            key = f"{label}/{reason}"
            self.labels[label] += 1
            self.reasons_all[key] += 1
            self.guard_kept += reason == "guard_kept"
            totals = self.per_site.setdefault(self.site_of.get(article, "(unknown)"), [0, 0])
            totals[0] += 1
            if label != "body":
                self.removed[key] += 1
                totals[1] += 1
                self._offer(key, article, (self.source_of.get(article, ""), position, seq), texts, j)
        if scores.null_count < len(scores):
            import pyarrow.compute as pc

            for row in table.filter(pc.is_valid(scores)).to_pylist():
                self.scored.append(row)

    def _offer(self, key: str, article: str, order: tuple[str, int, int], texts: Any, j: int) -> None:
        """Keep the row if it is among the first `per_reason` articles' first rows of its
        reason (by source path, position, then run order, as `removed_examples` sorts)."""
        pool = self.candidates.setdefault(key, {})
        held = pool.get(article)
        if held is not None:
            if order < held[0]:
                pool[article] = (order, texts[j].as_py())
            return
        if len(pool) < self.per_reason:
            pool[article] = (order, texts[j].as_py())
            return
        worst = max(pool, key=lambda a: pool[a][0])
        if order < pool[worst][0]:
            del pool[worst]
            pool[article] = (order, texts[j].as_py())

    def examples(self) -> dict[str, list[Example]]:
        found: dict[str, list[Example]] = {}
        for key, pool in self.candidates.items():
            rows = sorted(pool.items(), key=lambda kv: kv[1][0])
            found[key] = [Example(self.source_of.get(article, article), order[1], example_text(text))
                          for article, (order, text) in rows]
        return dict(sorted(found.items(), key=lambda kv: kv[0]))

    def junk_by_site(self) -> list[tuple[str, int, int]]:
        rows = [(site, n, removed) for site, (n, removed) in self.per_site.items()]
        return sorted(rows, key=lambda t: (-t[2] / max(t[1], 1), -t[1], t[0]))[:MAX_SITES]

    def counts(self, rejects: list[dict[str, Any]]) -> dict[str, Any]:
        """A run's counts as its manifest keeps them, for a run not yet committed."""
        return {
            "paragraphs": self.paragraphs,
            "rejects": len(rejects),
            "labels": dict(self.labels.most_common()),
            "reasons": dict(self.reasons_all.most_common()),
            "reject_reasons": _most_common(r["reason"] for r in rejects),
        }


def example_text(text: str) -> str:
    text = text.strip()
    return text[:EXAMPLE_CHARS].rstrip() + " …" if len(text) > EXAMPLE_CHARS else text


def offtopic_rule(config: dict[str, Any]) -> dict[str, float]:
    """The off-topic rule's numbers a run used (its manifest's config), else the defaults."""
    from newsclean.settings import OfftopicSettings

    defaults = OfftopicSettings()
    return {key: float(config.get(key, getattr(defaults, key))) for key in ("threshold", "single_threshold", "tail_floor")}


def offtopic_tails(paras: list[dict[str, Any]], source_of: dict[str, str], rule: dict[str, float]) -> list[Tail]:
    """Every split tail: the scored paragraphs of an article (the off-topic stage scores
    only the tail it splits; a guard that gave some back keeps their scores), with the
    threshold its average had to reach. Tails nearest their threshold first."""
    scored: dict[str, list[dict[str, Any]]] = {}
    for p in paras:
        if p["score"] is not None:
            scored.setdefault(p["article_id"], []).append(p)
    tails = []
    for article_id, tail in scored.items():
        tail.sort(key=lambda p: p["position"])
        threshold = rule["single_threshold"] if len(tail) == 1 else rule["threshold"]
        tails.append(Tail(source_of.get(article_id, article_id), tail[0]["text"],
                          tuple(float(p["score"]) for p in tail), threshold))
    return sorted(tails, key=lambda t: (t.average - t.threshold, t.source_path))


def previous_manifest(output: Path, run_id: str) -> dict[str, Any] | None:
    """The manifest of the newest committed run before `run_id` (run ids sort by their
    start time), or None for a first run."""
    runs = sorted(p.stem for p in (Path(output) / "runs").glob("*.json") if p.stem < run_id)
    return runlog.read_manifest(output, runs[-1]) if runs else None


def run_changes(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """Counts per label, reason and reject reason in two runs, as counts and as shares
    of each run's paragraphs (rejects: of its rejects), largest change of share first.

    >>> a = {"paragraphs": 10, "rejects": 0, "labels": {"body": 8, "boilerplate": 2}, "reasons": {}, "reject_reasons": {}}
    >>> b = {"paragraphs": 10, "rejects": 0, "labels": {"body": 5, "boilerplate": 5}, "reasons": {}, "reject_reasons": {}}
    >>> [(c.name, c.before, c.after) for c in run_changes(a, b)]
    [('body', 8, 5), ('boilerplate', 2, 5)]
    """
    rows = []
    for kind, key, total_key in (("label", "labels", "paragraphs"), ("reason", "reasons", "paragraphs"),
                                 ("reject", "reject_reasons", "rejects")):
        old, new = before.get(key, {}), after.get(key, {})
        old_total, new_total = max(before.get(total_key, 0), 1), max(after.get(total_key, 0), 1)
        for name in sorted(set(old) | set(new)):
            rows.append(Change(kind, name, old.get(name, 0), new.get(name, 0),
                               old.get(name, 0) / old_total, new.get(name, 0) / new_total))
    order = {"label": 0, "reason": 1, "reject": 2}
    return sorted(rows, key=lambda c: (order[c.kind], -abs(c.after_share - c.before_share), c.name))


def _meta(manifest: dict[str, Any] | None) -> dict[str, str]:
    if not manifest:
        return {}
    meta = {k: str(manifest[k]) for k in ("input", "started_at", "finished_at") if k in manifest}
    if manifest.get("resumed"):
        meta["resumed"] = "yes, after a crash"
    for n, event in enumerate(manifest.get("reruns") or (), 1):
        meta[f"rerun {n}"] = f"from {event['stage']} on shards {event['shards']} at {event['at']}"
    return meta


def site_of_document(source_path: str, url: str | None) -> str:
    """The site an article came from: its URL's host, else the top folder of its path.

    >>> site_of_document("x/a.txt", "https://www.tass.com/world/1")
    'tass.com'
    >>> site_of_document("reuters/2024/a.txt", None)
    'reuters/'
    >>> site_of_document("a.txt", None)
    '(top folder)'
    """
    if url:
        host = (urlsplit(url).hostname or "").removeprefix("www.")
        if host:
            return host
    parts = PurePosixPath(source_path.split("#", 1)[0]).parts
    return f"{parts[0]}/" if len(parts) > 1 else "(top folder)"


def _most_common(values: Any) -> dict[str, int]:
    return dict(Counter(values).most_common())
