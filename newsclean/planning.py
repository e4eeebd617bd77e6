"""A run's plan: which inputs are new, cut into shards, persisted (by the shard store).

Which inputs are new: the ledger of processed inputs (runlog.py) keys inputs by the
sha256 of their bytes: a rewritten file is new, a copy of a processed file is not.
Hashing every input on every run would read the whole crawl each time, so the ledger
doubles as a stat cache: a file whose (absolute path, size, mtime) match a ledger row is
taken to have that row's hash without being read. Only new or touched files are read,
once here and once by ingest (the second read comes from the page cache).

No Prefect here: `newsclean run` plans before it starts Prefect's engine, so a run with
nothing new answers in about a second; the flow plans the same way when it is run by a
schedule or from Python.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from newsclean.inputs import InputFile, discover_inputs, escape_name, hash_file, unpacked_size
from newsclean.runlog import read_ledger
from newsclean.settings import Settings
from newsclean.shardstore import STAGES, RunPlan, has_shard, write_plan
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
            sha = cache.get((escape_name(f.path), f.size, f.mtime_ns))
            if sha is None:
                sha = hash_file(f.path) or ""
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
    The ledger holds paths escaped (see `escape_name`)."""
    stats = set(zip(*(ledger.column(c).to_pylist() for c in ("path", "size", "mtime_ns"))))
    return tuple(f for f in selection.known if (escape_name(f.path), f.size, f.mtime_ns) not in stats)


def plan_shards(
    files: Sequence[InputFile], shard_size: int, max_bytes: int, sizes: Sequence[int] | None = None
) -> list[list[InputFile]]:
    """Group files into shards of at most `shard_size` files and about `max_bytes` bytes,
    each file counted at its `sizes` entry (what it holds once read, see
    `unpacked_size`), else at its size on disk."""
    shards: list[list[InputFile]] = []
    current: list[InputFile] = []
    size = 0
    for f, weight in zip(files, sizes if sizes is not None else [f.size for f in files]):
        if current and (len(current) >= shard_size or size + weight > max_bytes):
            shards.append(current)
            current, size = [], 0
        current.append(f)
        size += weight
    if current:
        shards.append(current)
    return shards


def duplicate_pairs(selection: Any) -> tuple[tuple[str, str], ...]:
    """(copy, original) relative paths of the inputs skipped as copies of another input."""
    first = {}
    for f in selection.new:
        first.setdefault(f.sha256, f.relative)
    return tuple((f.relative, first.get(f.sha256, "")) for f in selection.duplicates)


def plan_run(
    input_root: Path,
    output: Path,
    run_id: str,
    started_at: datetime,
    config_path: str,
    full: bool,
    settings: Settings,
    persist: bool = True,
) -> tuple[RunPlan | None, str]:
    """Find the inputs, keep those the ledger has not seen (all if `full`), cut them into
    shards and persist the run's plan (unless not `persist`: a dry run writes nothing);
    (None, ...) when there is nothing new. The second value says what was found, for the log."""
    files = discover_inputs(input_root, skip=[output])  # never the run's own output
    ledger = read_ledger(output)
    selection = select_inputs(files, ledger, full)
    found = (f"{len(files)} inputs: {len(selection.new)} new, {len(selection.known)} already processed, "
             f"{len(selection.duplicates)} copies; {selection.hashed} hashed")
    if not selection.new:
        return None, found
    # gzip counts at its decompressed size: the shard cap bounds the memory a shard needs
    sizes = [unpacked_size(f, settings.ingest.max_file_bytes) for f in selection.new]
    shards = plan_shards(selection.new, settings.run.shard_size, settings.run.shard_max_bytes, sizes)
    plan = RunPlan(
        run_id=run_id,
        input_root=str(Path(input_root).resolve()),
        config_path=settings.source or str(Path(config_path).resolve()),  # the file read (maybe the shipped one)
        ingest_date=started_at.date().isoformat(),
        started_at=started_at.isoformat(),
        full=full,
        shards=tuple(tuple(shard) for shard in shards),
        skipped_known=len(selection.known),
        duplicate_content=duplicate_pairs(selection),
        also_seen=selection.duplicates + restat_known(selection, ledger),
    )
    if persist:
        write_plan(output, plan)
    return plan, found


def check_rerun(output: Path, plan: RunPlan, stage: str, shard: int | None) -> list[int]:
    """The shards a rerun covers; ValueError if the stage, shard or its input is missing."""
    if stage not in STAGES:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(STAGES)}")
    if shard is not None and not 0 <= shard < len(plan.shards):
        raise ValueError(f"run {plan.run_id} has shards 0..{len(plan.shards) - 1}, not {shard}")
    shard_ids = list(range(len(plan.shards))) if shard is None else [shard]
    if stage != "ingest":
        before = STAGES[STAGES.index(stage) - 1]
        for shard_id in shard_ids:
            if not has_shard(output, plan.run_id, before, shard_id):
                raise ValueError(f"run {plan.run_id} has no {before} output for shard {shard_id}")
    return shard_ids
