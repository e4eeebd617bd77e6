"""Run summary for Prefect: the markdown and table artifacts of a finished run.

Both are read off the run's manifest (its counts and stage timings), nothing else.
"""

from __future__ import annotations

from typing import Any


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
