"""Compare the published datasets of two newsclean outputs row for row.

    python bench/compare_outputs.py OUTPUT_A OUTPUT_B [OUTPUT_A2 OUTPUT_B2 ...]

Reads ``articles/``, ``paragraphs/``, ``offtopic/`` and ``rejects/`` of each output (or of
each ``output-*`` folder under a quality ``--workdir``), leaves out what differs between
any two runs (``run_id``, ``ingest_date``), sorts the rows by their key and reports, per
dataset, the rows only one side has. Exit status 1 when anything differs: the proof that
a speed change made the same decisions.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow.dataset as ds

DATASETS = {
    "articles": ("article_id",),
    "paragraphs": ("article_id", "position"),
    "offtopic": ("article_id", "position"),
    "rejects": ("source_path", "reason"),
}
RUN_COLUMNS = ("run_id", "ingest_date")


def read_rows(output: Path, dataset: str) -> list[tuple]:
    """The dataset's rows without the run columns, sorted by key, as tuples."""
    folder = output / dataset
    if not folder.exists():
        return []
    table = ds.dataset(folder, format="parquet", partitioning="hive").to_table()
    names = [n for n in table.schema.names if n not in RUN_COLUMNS]
    rows = table.select(names).to_pylist()
    key = DATASETS[dataset]
    return sorted((tuple((k, repr(r[k])) for k in names) for r in rows),
                  key=lambda row: tuple(v for k, v in row if k in key))


def outputs_of(path: Path) -> dict[str, Path]:
    """An output folder by itself, or every ``output-<kind>`` folder of a quality workdir."""
    kinds = {p.name[len("output-"):]: p for p in sorted(path.glob("output-*")) if p.is_dir()}
    return kinds or {"": path}


def compare(a: Path, b: Path) -> int:
    """Print the differences between two outputs; return how many rows differ."""
    differing = 0
    for dataset in DATASETS:
        left, right = read_rows(a, dataset), read_rows(b, dataset)
        only_left, only_right = set(left) - set(right), set(right) - set(left)
        status = "identical" if not only_left and not only_right else "DIFFERENT"
        print(f"  {dataset:10s} {len(left):6d} rows vs {len(right):6d}: {status}")
        for side, rows in (("only in A", only_left), ("only in B", only_right)):
            for row in sorted(rows)[:5]:
                print(f"    {side}: {dict(row)}"[:400])
        differing += len(only_left) + len(only_right)
    return differing


def main(argv: list[str]) -> int:
    if len(argv) < 2 or len(argv) % 2:
        print(__doc__, file=sys.stderr)
        return 2
    differing = 0
    for a, b in zip(argv[::2], argv[1::2]):
        left, right = outputs_of(Path(a)), outputs_of(Path(b))
        for kind in sorted(set(left) | set(right)):
            print(f"{kind or a} ({left.get(kind)} vs {right.get(kind)})")
            if kind not in left or kind not in right:
                print("  missing on one side")
                differing += 1
                continue
            differing += compare(left[kind], right[kind])
    print("all identical" if not differing else f"{differing} rows differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
