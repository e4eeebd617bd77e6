"""The run manifest: inputs, counts per stage, label and reason, config, versions, timings."""

from __future__ import annotations

import platform
from collections import Counter
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from newsclean import __version__
from newsclean.settings import Settings

PACKAGES = (
    "prefect", "pyarrow", "ftfy", "langdetect", "trafilatura", "beautifulsoup4",
    "charset-normalizer", "wordfreq", "python-dateutil",
)


def versions() -> dict[str, str]:
    """Versions of newsclean, Python and the packages that shape the output."""
    found = {"newsclean": __version__, "python": platform.python_version()}
    for name in PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def build_manifest(
    *,
    run_id: str,
    input_root: str,
    output: str,
    ingest_date: str,
    started_at: str,
    finished_at: str,
    wall_seconds: float,
    input_files: Sequence[str],
    summaries: Sequence[dict[str, Any]],
    settings: Settings,
    n_shards: int,
    extra: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Everything a later reader needs to know about one run."""
    stages: dict[str, dict[str, Any]] = {}
    for s in summaries:
        entry = stages.setdefault(
            s["stage"], {"shards": 0, "documents": 0, "paragraphs": 0, "rejects": 0, "seconds": 0.0}
        )
        entry["shards"] += 1
        for key in ("documents", "paragraphs", "rejects"):
            entry[key] += s[key]
        entry["seconds"] = round(entry["seconds"] + s["seconds"], 4)
    published = [s for s in summaries if s["stage"] == "publish"]
    labels: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    languages: Counter[str] = Counter()
    reject_reasons: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    already: Counter[str] = Counter()
    warc_skipped: Counter[str] = Counter()
    for s in summaries:
        if s["stage"] == "ingest":
            warc_skipped.update(s.get("warc_records_skipped", {}))
    for s in published:
        already.update(s.get("already_published", {}))
        labels.update(s.get("labels", {}))
        reasons.update(s.get("reasons", {}))
        languages.update(s.get("languages", {}))
        reject_reasons.update(s.get("reject_reasons", {}))
        rows.update(s.get("rows", {}))
    return {
        "run_id": run_id,
        "status": "complete",
        "input": input_root,
        "output": output,
        "ingest_date": ingest_date,
        "started_at": started_at,
        "finished_at": finished_at,
        "wall_seconds": round(wall_seconds, 3),
        "shards": n_shards,
        "inputs": {"files": len(input_files), "paths": list(input_files)},
        "counts": {
            "articles": rows.get("articles", 0),
            "paragraphs": rows.get("paragraphs", 0),
            "offtopic": rows.get("offtopic", 0),
            "rejects": rows.get("rejects", 0),
            "labels": dict(sorted(labels.items())),
            "reasons": dict(sorted(reasons.items())),
            # paragraphs inferred rules would have removed that the guard kept in the body
            "guard_kept": reasons.get("body/guard_kept", 0),
            "languages": dict(sorted(languages.items())),
            "reject_reasons": dict(sorted(reject_reasons.items())),
            # WARC records that are not documents (requests, metadata, non-HTML responses, ...)
            "warc_records_skipped": dict(sorted(warc_skipped.items())),
        },
        "stages": stages,
        "shard_summaries": list(summaries),
        "already_published": dict(sorted(already.items())),
        "config": settings.as_dict(),
        "versions": versions(),
        **(extra or {}),
    }
