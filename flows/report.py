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

from flows import io

SCORE_BINS = 10


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
    offtopic_scores: list[int]  # counts per score bin of width 1/SCORE_BINS
    offtopic_threshold: float | None
    junk_by_site: list[tuple[str, int, int]]  # site, paragraphs, removed
    languages: dict[str, int]
    encoding_fixes: dict[str, int]
    reject_reasons: dict[str, int]
    stage_seconds: dict[str, float]
    slowest_shards: list[tuple[str, int, float]]
    meta: dict[str, Any] = field(default_factory=dict)


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
        table("Languages", counts["languages"]),
        table("Stages", {k: v["seconds"] for k, v in manifest["stages"].items()}, "seconds"),
    ])


# --- the HTML report -------------------------------------------------------------------


def collect(output: Path, run_id: str) -> ReportData:
    """Count what the report shows from a run's manifest and persisted stage output."""
    manifest = io.read_manifest(output, run_id) if io.is_committed(output, run_id) else None
    summaries = io.read_summaries(output, run_id)
    stage = "language"
    docs = io.read_stage_table(output, run_id, stage, "documents",
                               ["article_id", "source_path", "url", "language", "encoding_fixes"]).to_pylist()
    paras = io.read_stage_table(output, run_id, stage, "paragraphs", ["article_id", "label", "reason", "score"]).to_pylist()
    rejects = io.read_stage_table(output, run_id, stage, "rejects", ["reason"]).to_pylist()

    site_of = {d["article_id"]: site_of_document(d["source_path"], d["url"]) for d in docs}
    per_site: dict[str, list[int]] = {}
    bins = [0] * SCORE_BINS
    for p in paras:
        totals = per_site.setdefault(site_of.get(p["article_id"], "(unknown)"), [0, 0])
        totals[0] += 1
        totals[1] += p["label"] != "body"
        if p["score"] is not None:
            bins[min(int(p["score"] * SCORE_BINS), SCORE_BINS - 1)] += 1
    junk = sorted(((s, n, r) for s, (n, r) in per_site.items()), key=lambda t: (-t[1], t[0]))[:20]

    stage_seconds: dict[str, float] = {}
    for s in summaries:
        stage_seconds[s["stage"]] = round(stage_seconds.get(s["stage"], 0.0) + s["seconds"], 3)
    slowest = sorted(((s["stage"], s["shard"], s["seconds"]) for s in summaries), key=lambda t: -t[2])[:8]
    threshold = (manifest or {}).get("config", {}).get("offtopic", {}).get("threshold")
    return ReportData(
        run_id=run_id,
        status="committed" if manifest else "unfinished",
        articles=len(docs),
        paragraphs=len(paras),
        rejects=len(rejects),
        removed_by_reason=_most_common(f"{p['label']}/{p['reason']}" for p in paras if p["label"] != "body"),
        guard_kept=sum(1 for p in paras if p["reason"] == "guard_kept"),
        labels=_most_common(p["label"] for p in paras),
        offtopic_scores=bins,
        offtopic_threshold=threshold,
        junk_by_site=junk,
        languages=_most_common(d["language"] or "unknown" for d in docs),
        encoding_fixes=_most_common(fix for d in docs for fix in (d["encoding_fixes"] or ())),
        reject_reasons=_most_common(r["reason"] for r in rejects),
        stage_seconds=dict(sorted(stage_seconds.items(), key=lambda kv: -kv[1])),
        slowest_shards=slowest,
        meta=_meta(manifest),
    )


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
        _section("offtopic", "Off-topic score distribution", _histogram(data.offtopic_scores, data.offtopic_threshold)),
        _section("junk", "Junk share per source site", _share_bars(data.junk_by_site)),
        _section("languages", "Languages (articles)", _bars(data.languages)),
        _section("encoding", "Encoding fixes (articles)", _bars(data.encoding_fixes)),
        _section("rejects", "Rejects by reason", _bars(data.reject_reasons)),
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


def _histogram(bins: list[int], threshold: float | None) -> str:
    """An inline SVG column chart of scores in [0, 1], with the threshold marked."""
    if not any(bins):
        return '<p class="empty">no scored paragraphs</p>'
    width, height, pad = 600, 200, 30
    step = (width - 2 * pad) / len(bins)
    top = max(bins)
    cols = []
    for i, n in enumerate(bins):
        h = (height - 2 * pad) * n / top
        x, y = pad + i * step, height - pad - h
        cols.append(f'<rect class="col" x="{x + 1:.1f}" y="{y:.1f}" width="{step - 2:.1f}" height="{h:.1f}" fill="#3b7dd8">'
                    f'<title>{i / len(bins):.1f}-{(i + 1) / len(bins):.1f}: {n}</title></rect>')
        if n:
            cols.append(f'<text x="{x + step / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{n}</text>')
    for i in range(0, len(bins) + 1, 2):
        cols.append(f'<text x="{pad + i * step:.1f}" y="{height - pad + 14}" text-anchor="middle">{i / len(bins):.1f}</text>')
    if threshold is not None:
        x = pad + threshold * (width - 2 * pad)
        cols.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{pad / 2}" y2="{height - pad}" stroke="#d8643b" stroke-dasharray="4 3"/>'
                    f'<text x="{x + 4:.1f}" y="{pad / 2 + 8}">threshold {threshold}</text>')
    axis = f'<line x1="{pad}" x2="{width - pad}" y1="{height - pad}" y2="{height - pad}" stroke="#888"/>'
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="off-topic score histogram">{axis}{"".join(cols)}</svg>')


def _most_common(values: Any) -> dict[str, int]:
    return dict(Counter(values).most_common())
