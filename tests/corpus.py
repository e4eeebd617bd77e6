"""A generated corpus of small, varied news articles (and a few bad inputs) for the
run-level tests: incremental runs, crashes, reruns, reports."""

from __future__ import annotations

import json
import random
from pathlib import Path

TOPICS = [
    ("Harbour", "ferry", "port authority", "dock workers", "cargo"),
    ("Council", "budget", "city council", "mayor", "taxes"),
    ("Storm", "rainfall", "weather service", "flooding", "rivers"),
    ("Election", "ballots", "electoral commission", "voters", "turnout"),
    ("Vaccine", "clinics", "health ministry", "doses", "nurses"),
    ("Railway", "trains", "rail operator", "commuters", "timetable"),
]
SITES = ("wire", "daily", "herald")


def article_text(i: int, rng: random.Random) -> str:
    """A small article: title, dateline sentence, body paragraphs, a widget, an ad."""
    word, thing, body, people, extra = TOPICS[i % len(TOPICS)]
    n = rng.randint(2, 4)
    paras = [f"{word} news number {i} shakes the region"]
    paras.append(f"The {body} said on Monday that {thing} were affected across the district, "
                 f"and {people} expect further changes to {extra} in report {i}.")
    for k in range(n):
        paras.append(f"Officials told {people} that the {thing} plan {k} for {extra} would be reviewed "
                     f"again next week, after complaints reached the {body} in case {i}-{k}.")
    paras.insert(2, "Share")
    if i % 3 == 0:
        paras.insert(3, "Advertisement")
    return "\n\n".join(paras) + "\n"


def write_corpus(root: Path, n: int, seed: int = 7, start: int = 0) -> list[Path]:
    """Write `n` articles under root/<site>/, a JSONL file of a few records and some bad
    inputs (empty, binary, unsupported); return the paths written."""
    rng = random.Random(seed + start)
    written = []
    for i in range(start, start + n):
        path = root / SITES[i % len(SITES)] / f"{i:05d}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(article_text(i, rng), encoding="utf-8")
        written.append(path)
    if start == 0:
        records = [{"id": f"rec-{k}", "url": f"https://www.example-news.com/a/{k}", "text": article_text(1000 + k, rng)}
                   for k in range(3)]
        jsonl = root / "feeds" / "batch.jsonl"
        jsonl.parent.mkdir(parents=True, exist_ok=True)
        jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n{not json\n", encoding="utf-8")
        (root / "bad").mkdir(exist_ok=True)
        (root / "bad" / "empty.txt").write_bytes(b"")
        (root / "bad" / "binary.txt").write_bytes(bytes(range(256)) * 4)
        (root / "bad" / "notes.pdf").write_bytes(b"%PDF-1.4")
        written += [jsonl, root / "bad" / "empty.txt", root / "bad" / "binary.txt", root / "bad" / "notes.pdf"]
    return written


def small_shard_config(folder: Path, shard_size: int) -> Path:
    """A copy of config/pipeline.toml (and its rules) with a small shard size."""
    import re

    source = Path(__file__).resolve().parents[1] / "config"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("rules.toml",):
        (folder / name).write_bytes((source / name).read_bytes())
    text = (source / "pipeline.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^shard_size = \d+", f"shard_size = {shard_size}", text)
    (folder / "pipeline.toml").write_text(text, encoding="utf-8")
    return folder / "pipeline.toml"


def dataset_rows(output: Path, name: str) -> list[dict]:
    """A dataset's rows without the partition columns (run_id, ingest_date), sorted."""
    import pyarrow.dataset as ds

    folder = Path(output) / name
    if not folder.exists():
        return []
    rows = ds.dataset(folder, format="parquet", partitioning="hive").to_table().to_pylist()
    for row in rows:
        row.pop("run_id", None)
        row.pop("ingest_date", None)
    return sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def all_datasets(output: Path) -> dict[str, list[dict]]:
    return {name: dataset_rows(output, name) for name in ("articles", "paragraphs", "offtopic", "rejects")}
