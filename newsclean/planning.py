"""A run's plan: which inputs are new (newsclean/ledger.py), cut into shards, persisted.

No Prefect here: `newsclean run` plans before it starts Prefect's engine, so a run with
nothing new answers in about a second; the flow plans the same way when it is run by a
schedule or from Python.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from newsclean import io
from newsclean.ledger import restat_known, select_inputs
from newsclean.settings import Settings


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
) -> tuple[io.RunPlan | None, str]:
    """Find the inputs, keep those the ledger has not seen (all if `full`), cut them into
    shards and persist the run's plan (unless not `persist`: a dry run writes nothing);
    (None, ...) when there is nothing new. The second value says what was found, for the log."""
    files = io.discover_inputs(input_root, skip=[output])  # never the run's own output
    ledger = io.read_ledger(output)
    selection = select_inputs(files, ledger, full)
    found = (f"{len(files)} inputs: {len(selection.new)} new, {len(selection.known)} already processed, "
             f"{len(selection.duplicates)} copies; {selection.hashed} hashed")
    if not selection.new:
        return None, found
    # gzip counts at its decompressed size: the shard cap bounds the memory a shard needs
    sizes = [io.unpacked_size(f, settings.ingest.max_file_bytes) for f in selection.new]
    shards = io.plan_shards(selection.new, settings.run.shard_size, settings.run.shard_max_bytes, sizes)
    plan = io.RunPlan(
        run_id=run_id,
        input_root=str(Path(input_root).resolve()),
        config_path=str(Path(config_path).resolve()),
        ingest_date=started_at.date().isoformat(),
        started_at=started_at.isoformat(),
        full=full,
        shards=tuple(tuple(shard) for shard in shards),
        skipped_known=len(selection.known),
        duplicate_content=duplicate_pairs(selection),
        also_seen=selection.duplicates + restat_known(selection, ledger),
    )
    if persist:
        io.write_plan(output, plan)
    return plan, found


def check_rerun(output: Path, plan: io.RunPlan, stage: str, shard: int | None) -> list[int]:
    """The shards a rerun covers; ValueError if the stage, shard or its input is missing."""
    if stage not in io.STAGES:
        raise ValueError(f"unknown stage {stage!r}; stages are {', '.join(io.STAGES)}")
    if shard is not None and not 0 <= shard < len(plan.shards):
        raise ValueError(f"run {plan.run_id} has shards 0..{len(plan.shards) - 1}, not {shard}")
    shard_ids = list(range(len(plan.shards))) if shard is None else [shard]
    if stage != "ingest":
        before = io.STAGES[io.STAGES.index(stage) - 1]
        for shard_id in shard_ids:
            if not io.has_shard(output, plan.run_id, before, shard_id):
                raise ValueError(f"run {plan.run_id} has no {before} output for shard {shard_id}")
    return shard_ids
