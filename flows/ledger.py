"""The ledger of processed inputs: which input contents earlier runs have handled, so a
scheduled run processes only what is new.

The ledger lives with the output (`OUT/_ledger/<run_id>.parquet`, written at commit) and
keys inputs by the sha256 of their bytes: a rewritten file is new, a copy of a processed
file is not. Hashing every input on every run would read the whole crawl each time, so
the ledger doubles as a stat cache: a file whose (absolute path, size, mtime) match a
ledger row is taken to have that row's hash without being read. Only new or touched
files are read, once here and once by ingest (the second read comes from the page cache).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import pyarrow as pa

from flows import io
from flows.io import InputFile


@dataclass(frozen=True)
class Selection:
    """Inputs split by what a run must do with them."""

    new: tuple[InputFile, ...]  # to process, with their sha256
    known: tuple[InputFile, ...]  # content already processed by a committed run
    duplicates: tuple[InputFile, ...]  # same bytes as an earlier input of this selection
    hashed: int  # files read to hash them (the rest came from the stat cache)


def select_inputs(files: Sequence[InputFile], ledger: pa.Table, full: bool = False) -> Selection:
    """Hash the inputs (via the ledger's stat cache unless `full`) and keep those whose
    content no committed run has processed (all of them when `full`). A file that cannot
    be read keeps an empty hash and is processed: ingest turns it into a reject."""
    known_hashes = set(ledger.column("sha256").to_pylist())
    cache: dict[tuple[str, int, int], str] = {}
    if not full:
        for row in ledger.select(["path", "size", "mtime_ns", "sha256"]).to_pylist():
            cache[(row["path"], row["size"], row["mtime_ns"])] = row["sha256"]
    new, known, duplicates, seen = [], [], [], set()
    hashed = 0
    for f in files:
        sha = cache.get((f.path, f.size, f.mtime_ns))
        if sha is None:
            sha = io.hash_file(f.path) or ""
            hashed += 1
        f = replace(f, sha256=sha)
        if sha and f.size and sha in seen:  # empty files are all alike: each is an `empty` reject
            duplicates.append(f)
        elif sha and not full and sha in known_hashes:
            known.append(f)
        else:
            new.append(f)
        seen.add(sha)
    return Selection(tuple(new), tuple(known), tuple(duplicates), hashed)


def restat_known(selection: Selection, ledger: pa.Table) -> tuple[InputFile, ...]:
    """Known inputs whose (path, size, mtime) the ledger lacks: worth recording again."""
    stats = set(zip(*(ledger.column(c).to_pylist() for c in ("path", "size", "mtime_ns"))))
    return tuple(f for f in selection.known if (f.path, f.size, f.mtime_ns) not in stats)
