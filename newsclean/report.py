"""What a run did, for people: the Prefect artifacts (markdown and a table of counts)
and the self-contained HTML report of `newsclean report` (CSS bars and inline SVG; no
script, style sheet or font from the network).

Report data is read from the run's persisted stage output, so a report also covers a
run whose rows a later `--full` run superseded.
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlsplit

from newsclean import runlog, shardstore

SCORE_BINS = 20  # off-topic chart: columns of width 0.05 over [0, 1]
EXAMPLES_PER_REASON = 3  # removed paragraphs shown per reason, each from another article
EXAMPLE_CHARS = 300  # an example longer than this is cut (the full text is in paragraphs/)
MAX_REJECT_ROWS = 200  # rejected inputs listed one by one; the rest are counted
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


# --- Prefect artifacts -----------------------------------------------------------------


def counts_table(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the run's table artifact: (kind, name, value)."""
    counts = manifest["counts"]
    rows = [{"kind": "dataset", "name": k, "value": counts[k]} for k in ("articles", "paragraphs", "offtopic", "rejects")]
    rows += [{"kind": "label", "name": k, "value": v} for k, v in counts["labels"].items()]
    rows += [{"kind": "reason", "name": k, "value": v} for k, v in counts["reasons"].items()]
    rows += [{"kind": "reject", "name": k, "value": v} for k, v in counts["reject_reasons"].items()]
    rows += [{"kind": "language", "name": k, "value": v} for k, v in counts["languages"].items()]
    rows += [{"kind": "seconds", "name": k, "value": v["seconds"]} for k, v in manifest["stages"].items()]
    return rows


def markdown_summary(manifest: dict[str, Any]) -> str:
    """The run's markdown artifact: counts per label and reason, rejects, languages, timings."""
    counts = manifest["counts"]

    def table(title: str, items: dict[str, Any], unit: str = "count") -> str:
        if not items:
            return f"### {title}\n\nnone\n"
        lines = [f"### {title}", "", f"| {title.lower()} | {unit} |", "| --- | ---: |"]
        lines += [f"| `{k}` | {v} |" for k, v in items.items()]
        return "\n".join(lines) + "\n"

    reruns = manifest.get("reruns") or []
    head = [
        f"# newsclean run `{manifest['run_id']}`",
        "",
        f"{manifest['inputs']['files']} input files in {manifest['shards']} shards; "
        f"{counts['articles']} articles, {counts['paragraphs']} paragraphs, {counts['offtopic']} off-topic, "
        f"{counts['rejects']} rejects; {manifest['wall_seconds']:.1f} s."
        + (" Resumed after a crash." if manifest.get("resumed") else "")
        + (f" Rerun from stage `{reruns[-1]['stage']}`." if reruns else ""),
        "",
    ]
    return "\n".join(head) + "\n".join([
        table("Labels", counts["labels"]),
        table("Reasons", counts["reasons"]),
        table("Rejects", counts["reject_reasons"]),
        *([table("WARC records skipped", counts["warc_records_skipped"])] if counts.get("warc_records_skipped") else []),
        table("Languages", counts["languages"]),
        table("Stages", {k: v["seconds"] for k, v in manifest["stages"].items()}, "seconds"),
    ])


# --- the HTML report -------------------------------------------------------------------


def collect(output: Path, run_id: str) -> ReportData:
    """Count what the report shows from a run's manifest and persisted stage output."""
    manifest = runlog.read_manifest(output, run_id) if runlog.is_committed(output, run_id) else None
    summaries = shardstore.read_summaries(output, run_id)
    stage = "language"
    docs = shardstore.read_stage_table(output, run_id, stage, "documents",
                               ["article_id", "source_path", "url", "language", "encoding_fixes"]).to_pylist()
    paras = shardstore.read_stage_table(output, run_id, stage, "paragraphs",
                                ["article_id", "position", "text", "label", "reason", "score"]).to_pylist()
    rejects = shardstore.read_stage_table(output, run_id, stage, "rejects", ["source_path", "reason", "detail"]).to_pylist()

    source_of = {d["article_id"]: d["source_path"] for d in docs}
    site_of = {d["article_id"]: site_of_document(d["source_path"], d["url"]) for d in docs}
    stage_seconds: dict[str, float] = {}
    for s in summaries:
        stage_seconds[s["stage"]] = round(stage_seconds.get(s["stage"], 0.0) + s["seconds"], 3)
    slowest = sorted(((s["stage"], s["shard"], s["seconds"]) for s in summaries), key=lambda t: -t[2])[:8]
    rule = offtopic_rule((manifest or {}).get("config", {}).get("offtopic", {}))
    previous = previous_manifest(output, run_id)
    counts = (manifest or {}).get("counts") or counts_of(paras, rejects)
    warc_skipped: dict[str, int] = {}
    for s in summaries:
        if s["stage"] == "ingest":
            for kind, n in s.get("warc_records_skipped", {}).items():
                warc_skipped[kind] = warc_skipped.get(kind, 0) + n
    return ReportData(
        run_id=run_id,
        status="committed" if manifest else "unfinished",
        articles=len(docs),
        paragraphs=len(paras),
        rejects=len(rejects),
        removed_by_reason=_most_common(f"{p['label']}/{p['reason']}" for p in paras if p["label"] != "body"),
        guard_kept=sum(1 for p in paras if p["reason"] == "guard_kept"),
        labels=_most_common(p["label"] for p in paras),
        offtopic_tails=offtopic_tails(paras, source_of, rule),
        offtopic_rule=rule,
        junk_by_site=junk_per_site(paras, site_of),
        languages=_most_common(d["language"] or "unknown" for d in docs),
        encoding_fixes=_most_common(fix for d in docs for fix in (d["encoding_fixes"] or ())),
        reject_reasons=_most_common(r["reason"] for r in rejects),
        stage_seconds=dict(sorted(stage_seconds.items(), key=lambda kv: -kv[1])),
        slowest_shards=slowest,
        meta=_meta(manifest),
        examples=removed_examples(paras, source_of),
        rejected=sorted((r["source_path"], r["reason"], r["detail"]) for r in rejects),
        changes=run_changes(previous["counts"], counts) if previous else [],
        previous_run=previous["run_id"] if previous else None,
        warc_records_skipped=dict(sorted(warc_skipped.items(), key=lambda kv: -kv[1])),
    )


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


def junk_per_site(paras: list[dict[str, Any]], site_of: dict[str, str]) -> list[tuple[str, int, int]]:
    """(site, paragraphs, not body) per site, highest junk share first (then the larger
    site), at most MAX_SITES.

    >>> junk_per_site([{"article_id": "a", "label": "body"}, {"article_id": "b", "label": "boilerplate"},
    ...                {"article_id": "b", "label": "body"}], {"a": "x.com", "b": "y.com"})
    [('y.com', 2, 1), ('x.com', 1, 0)]
    """
    per_site: dict[str, list[int]] = {}
    for p in paras:
        totals = per_site.setdefault(site_of.get(p["article_id"], "(unknown)"), [0, 0])
        totals[0] += 1
        totals[1] += p["label"] != "body"
    rows = [(site, n, removed) for site, (n, removed) in per_site.items()]
    return sorted(rows, key=lambda t: (-t[2] / max(t[1], 1), -t[1], t[0]))[:MAX_SITES]


def removed_examples(paras: list[dict[str, Any]], source_of: dict[str, str],
                     per_reason: int = EXAMPLES_PER_REASON) -> dict[str, list[Example]]:
    """Up to `per_reason` removed paragraphs for each label/reason, each from another
    article where the run has several (one site's widget repeated is one example)."""
    found: dict[str, list[Example]] = {}
    seen: dict[str, set[str]] = {}
    for p in sorted(paras, key=lambda p: (source_of.get(p["article_id"], ""), p["position"])):
        if p["label"] == "body":
            continue
        key = f"{p['label']}/{p['reason']}"
        examples, articles = found.setdefault(key, []), seen.setdefault(key, set())
        if len(examples) >= per_reason or p["article_id"] in articles:
            continue
        articles.add(p["article_id"])
        text = p["text"].strip()
        if len(text) > EXAMPLE_CHARS:
            text = text[:EXAMPLE_CHARS].rstrip() + " …"
        examples.append(Example(source_of.get(p["article_id"], p["article_id"]), p["position"], text))
    return dict(sorted(found.items(), key=lambda kv: kv[0]))


def counts_of(paras: list[dict[str, Any]], rejects: list[dict[str, Any]]) -> dict[str, Any]:
    """A run's counts as its manifest keeps them, for a run not yet committed."""
    return {
        "paragraphs": len(paras),
        "rejects": len(rejects),
        "labels": _most_common(p["label"] for p in paras),
        "reasons": _most_common(f"{p['label']}/{p['reason']}" for p in paras),
        "reject_reasons": _most_common(r["reason"] for r in rejects),
    }


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


def render_html(data: ReportData) -> str:
    """The report as one HTML page with its style inline."""
    removed = sum(data.removed_by_reason.values())
    sections = [
        _section("removed", f"Paragraphs removed by reason ({removed} of {data.paragraphs})",
                 _bars(data.removed_by_reason)
                 + f"<p>Kept by the guard (prose that rules on inferred evidence would have removed from"
                   f" an article they were gutting): {data.guard_kept}</p>"),
        _section("examples", "Examples of removed paragraphs, by reason", _examples(data.examples)),
        _section("change", "Change against the previous run", _changes(data.changes, data.previous_run)),
        _section("offtopic", "Off-topic tails: each tail's average score against its threshold",
                 _tail_chart(data.offtopic_tails, data.offtopic_rule) + _tail_table(data.offtopic_tails)),
        _section("junk", "Junk per source site (highest share first)", _share_bars(data.junk_by_site)),
        _section("languages", "Languages (articles)", _bars(data.languages)),
        _section("encoding", "Encoding fixes (articles)", _bars(data.encoding_fixes)),
        _section("rejects", "Rejects by reason", _bars(data.reject_reasons)
                 + ("<h3>WARC records that are not documents</h3>" + _bars(data.warc_records_skipped)
                    if data.warc_records_skipped else "")),
        _section("rejected", f"Rejected inputs ({len(data.rejected)})", _rejected(data.rejected)),
        _section("stages", "Slowest stages (seconds, all shards)",
                 _bars(data.stage_seconds, fmt="{:.2f}")
                 + "<h3>Slowest shards</h3><table><tr><th>stage</th><th>shard</th><th>seconds</th></tr>"
                 + "".join(f"<tr><td>{html.escape(s)}</td><td>{n}</td><td>{t:.3f}</td></tr>"
                           for s, n, t in data.slowest_shards)
                 + "</table>"),
    ]
    meta = "".join(f"<li><b>{html.escape(k)}</b>: {html.escape(str(v))}</li>" for k, v in data.meta.items())
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>newsclean run {html.escape(data.run_id)}</title>
<style>{_CSS}</style></head>
<body>
<h1>newsclean run <code>{html.escape(data.run_id)}</code></h1>
<p class="summary">{data.status}: {data.articles} articles, {data.paragraphs} paragraphs,
{data.rejects} rejects.</p>
<ul class="meta">{meta}</ul>
{''.join(sections)}
</body></html>
"""


def _examples(examples: dict[str, list[Example]]) -> str:
    if not examples:
        return '<p class="empty">nothing removed</p>'
    parts = ['<p>What each rule removed, a few paragraphs per reason from different articles: the place to '
             'check a word list or pattern in <code>config/rules.toml</code> (each list is named after its '
             'reason). All of them are in the <code>paragraphs/</code> dataset.</p>']
    for reason, items in examples.items():
        rows = "".join(
            f'<tr><td class="where">{html.escape(e.source_path)} ¶{e.position}</td>'
            f'<td class="text">{html.escape(e.text)}</td></tr>'
            for e in items
        )
        parts.append(f'<h3><code>{html.escape(reason)}</code></h3><table class="examples">{rows}</table>')
    return "".join(parts)


def _changes(changes: list[Change], previous: str | None) -> str:
    if previous is None:
        return '<p class="empty">the first run in this output folder: nothing to compare with</p>'
    moved = [c for c in changes if c.before != c.after]
    head = (f"<p>Against run <code>{html.escape(previous)}</code>: counts, and shares of each run's paragraphs "
            f"(rejects: of its rejects), since runs see different inputs. Largest change of share first; "
            f"{len(changes) - len(moved)} unchanged counts are left out.</p>")
    if not moved:
        return head + '<p class="empty">no count changed</p>'
    rows = "".join(
        f"<tr><td>{c.kind}</td><td><code>{html.escape(c.name)}</code></td><td>{c.before}</td><td>{c.after}</td>"
        f'<td class="{"up" if c.after > c.before else "down"}">{c.after - c.before:+d}</td>'
        f"<td>{100 * c.before_share:.1f}% → {100 * c.after_share:.1f}%</td></tr>"
        for c in moved
    )
    return (head + '<table class="changes"><tr><th>kind</th><th>name</th><th>previous</th><th>this run</th>'
            f"<th>change</th><th>share</th></tr>{rows}</table>")


def _rejected(rows: list[tuple[str, str, str]]) -> str:
    if not rows:
        return '<p class="empty">none</p>'
    shown = "".join(
        f'<tr><td class="where">{html.escape(path)}</td><td><code>{html.escape(reason)}</code></td>'
        f"<td>{html.escape(detail)}</td></tr>"
        for path, reason, detail in rows[:MAX_REJECT_ROWS]
    )
    more = (f"<p>… and {len(rows) - MAX_REJECT_ROWS} more (the <code>rejects/</code> dataset has them all)</p>"
            if len(rows) > MAX_REJECT_ROWS else "")
    return f'<table class="rejected"><tr><th>input</th><th>reason</th><th>detail</th></tr>{shown}</table>{more}'


def _tail_chart(tails: list[Tail], rule: dict[str, float]) -> str:
    """An inline SVG column chart: how many tails had each average score, with the
    thresholds their average had to reach marked (the rule that decided them)."""
    if not tails:
        return '<p class="empty">no off-topic tail was split</p>'
    bins = [0] * SCORE_BINS
    for tail in tails:
        bins[min(int(tail.average * SCORE_BINS), SCORE_BINS - 1)] += 1
    width, height, pad = 640, 220, 30
    step = (width - 2 * pad) / len(bins)
    top = max(bins)
    cols = []
    for i, n in enumerate(bins):
        h = (height - 2 * pad) * n / top
        x, y = pad + i * step, height - pad - h
        cols.append(f'<rect class="col" x="{x + 1:.1f}" y="{y:.1f}" width="{step - 2:.1f}" height="{h:.1f}" fill="#3b7dd8">'
                    f'<title>average {i / len(bins):.2f}-{(i + 1) / len(bins):.2f}: {n} tails</title></rect>')
        if n:
            cols.append(f'<text x="{x + step / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{n}</text>')
    for i in range(0, len(bins) + 1, 4):
        cols.append(f'<text x="{pad + i * step:.1f}" y="{height - pad + 14}" text-anchor="middle">{i / len(bins):.1f}</text>')
    marks = (("threshold", rule["threshold"], "#d8643b", 0), ("single_threshold", rule["single_threshold"], "#8a3bd8", 14),
             ("tail_floor", rule["tail_floor"], "#888", 28))
    for name, value, colour, dy in marks:
        x = pad + value * (width - 2 * pad)
        cols.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad / 2}" y2="{height - pad}" stroke="{colour}" stroke-dasharray="4 3"/>'
                    f'<text x="{x - 4:.1f}" y="{pad / 2 + 8 + dy}" text-anchor="end" fill="{colour}">{name} {value:g}</text>')
    axis = f'<line x1="{pad}" x2="{width - pad}" y1="{height - pad}" y2="{height - pad}" stroke="#888"/>'
    legend = (f"<p>A tail is split when its first paragraph and the average of its judged paragraphs reach "
              f"<code>threshold</code> ({rule['threshold']:g}; <code>single_threshold</code> "
              f"{rule['single_threshold']:g} for a lone last paragraph) and none is below <code>tail_floor</code> "
              f"({rule['tail_floor']:g}); short lines in a tail take its first paragraph's score. "
              f"{len(tails)} tails split. Tails the rule did not split keep no score, so only split ones show.</p>")
    return (legend + f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="off-topic tail averages">{axis}{"".join(cols)}</svg>')


def _tail_table(tails: list[Tail], rows: int = 10) -> str:
    if not tails:
        return ""
    body = "".join(
        f'<tr><td class="where">{html.escape(t.source_path)}</td><td>{len(t.scores)}</td>'
        f"<td>{t.average:.3f}</td><td>{t.threshold:g}</td><td>{min(t.scores):.3f}</td>"
        f'<td class="text">{html.escape(t.first_text[:EXAMPLE_CHARS])}</td></tr>'
        for t in tails[:rows]
    )
    return ("<h3>The tails nearest their threshold</h3><table class=\"tails\"><tr><th>article</th><th>paragraphs</th>"
            f"<th>average</th><th>threshold</th><th>lowest</th><th>first paragraph</th></tr>{body}</table>")


_CSS = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em; color: #222; max-width: 1100px; }
h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 1.6em; } h3 { font-size: 14px; }
.chart { display: grid; grid-template-columns: 18em 1fr 6em; gap: 3px 8px; align-items: center; }
.label { text-align: right; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.track { background: #eef1f5; height: 16px; border-radius: 2px; }
.bar { background: #3b7dd8; height: 16px; border-radius: 2px; min-width: 1px; }
.bar.junk { background: #d8643b; }
.value { font-variant-numeric: tabular-nums; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; border-bottom: 1px solid #ddd; text-align: left; }
.empty { color: #888; font-style: italic; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
td.where { font: 12px ui-monospace, monospace; color: #555; max-width: 22em; overflow-wrap: anywhere; }
td.text { max-width: 60em; overflow-wrap: anywhere; } table.examples { margin-bottom: 0.8em; }
td.up { color: #b0401a; } td.down { color: #1a6fb0; }
"""


def _section(key: str, title: str, body: str) -> str:
    return f'<section id="{key}"><h2>{html.escape(title)}</h2>{body}</section>\n'


def _bars(items: dict[str, float], fmt: str = "{}") -> str:
    if not items:
        return '<p class="empty">none</p>'
    top = max(items.values()) or 1
    rows = "".join(
        f'<div class="label" title="{html.escape(k)}">{html.escape(k)}</div>'
        f'<div class="track"><div class="bar" style="width:{100 * v / top:.1f}%"></div></div>'
        f'<div class="value">{fmt.format(v)}</div>'
        for k, v in items.items()
    )
    return f'<div class="chart">{rows}</div>'


def _share_bars(sites: list[tuple[str, int, int]]) -> str:
    if not sites:
        return '<p class="empty">none</p>'
    rows = "".join(
        f'<div class="label" title="{html.escape(s)}">{html.escape(s)}</div>'
        f'<div class="track"><div class="bar junk" style="width:{100 * r / max(n, 1):.1f}%"></div></div>'
        f'<div class="value">{100 * r / max(n, 1):.0f}% of {n}</div>'
        for s, n, r in sites
    )
    return f'<div class="chart">{rows}</div>'


def _most_common(values: Any) -> dict[str, int]:
    return dict(Counter(values).most_common())
