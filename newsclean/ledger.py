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

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import pyarrow as pa

from newsclean import io
from newsclean.io import InputFile
from newsclean.stages.ingest import kind_of


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
    be read keeps an empty hash and is processed: ingest turns it into a reject. An entry
    discovery refused (a link out of the input, a FIFO) is never opened: it is keyed by
    a hash of its refusal (`refusal_hash`), so its reject is made once, not every run.
    Of inputs with the same bytes one is processed, the first of a kind ingest supports
    (`story.txt` rather than `story`); the others are copies."""
    known_hashes = set(ledger.column("sha256").to_pylist())
    cache: dict[tuple[str, int, int], str] = {}
    if not full:
        for row in ledger.select(["path", "size", "mtime_ns", "sha256"]).to_pylist():
            cache[(row["path"], row["size"], row["mtime_ns"])] = row["sha256"]
    hashed = 0
    with_hashes = []
    for f in files:
        if f.reason:
            sha = refusal_hash(f)
        else:
            sha = cache.get((io.escape_name(f.path), f.size, f.mtime_ns))
            if sha is None:
                sha = io.hash_file(f.path) or ""
                hashed += 1
        with_hashes.append(replace(f, sha256=sha))
    keepers = choose_originals(with_hashes)
    new, known, duplicates = [], [], []
    for f in with_hashes:
        if f.sha256 and f.size and keepers[f.sha256] is not f:  # empty files are each an `empty` reject
            duplicates.append(f)
        elif f.sha256 and not full and f.sha256 in known_hashes:
            known.append(f)
        else:
            new.append(f)
    return Selection(tuple(new), tuple(known), tuple(duplicates), hashed)


def refusal_hash(f: InputFile) -> str:
    """The ledger key of an entry discovery refused: a hash of its name and why, not of
    bytes (it has none we may read); a new refusal of the same name is new.

    >>> refusal_hash(InputFile("/in/p", "p", 0, reason="not_a_file", detail="a FIFO"))[:12]
    'a442d191b88d'
    """
    return hashlib.sha256(f"refused\x00{f.relative}\x00{f.reason}\x00{f.detail}".encode()).hexdigest()


def choose_originals(files: Sequence[InputFile]) -> dict[str, InputFile]:
    """For each content hash, the input processed as the original: the first (in path
    order) whose kind ingest supports, else the first."""
    first: dict[str, InputFile] = {}
    for f in files:
        if not f.sha256:
            continue
        current = first.get(f.sha256)
        if current is None or (kind_of(current.relative) is None and kind_of(f.relative) is not None):
            first[f.sha256] = f
    return first


def restat_known(selection: Selection, ledger: pa.Table) -> tuple[InputFile, ...]:
    """Known inputs whose (path, size, mtime) the ledger lacks: worth recording again.
    The ledger holds paths escaped (see `io.escape_name`)."""
    stats = set(zip(*(ledger.column(c).to_pylist() for c in ("path", "size", "mtime_ns"))))
    return tuple(f for f in selection.known if (io.escape_name(f.path), f.size, f.mtime_ns) not in stats)
