"""Report rendering: a run's `ReportData` as one self-contained HTML page.

CSS bars and inline SVG; no script, style sheet or font from the network. Every text
from the data is escaped.
"""

from __future__ import annotations

import html

from newsclean.report.data import EXAMPLE_CHARS, Change, Example, ReportData, Tail

SCORE_BINS = 20  # off-topic chart: columns of width 0.05 over [0, 1]
MAX_REJECT_ROWS = 200  # rejected inputs listed one by one; the rest are counted


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
