"""The shard store: a run's working files under `_stages/<run_id>/`, the plan it is made
of, each stage's output per shard and the shard summaries that say a stage is done, the
record copies found across shards; and the pruning of committed runs' stage files. The
only module that writes or deletes stage files.

Layout under the output folder:

    _stages/<run_id>/run.json                    the run's plan (written first)
    _stages/<run_id>/<stage>/<shard>.*.parquet   a stage's whole shard state
    _stages/<run_id>/<stage>/<shard>.summary.json  counts; written last = shard done
    _stages/<run_id>/record_copies.parquet       articles more than one shard ingested
    _stages/<run_id>/segment/<shard>.lines.parquet  (site, line key, article) of its paragraphs
    _stages/<run_id>/templates.parquet           the run's line counts (the templates reduce)
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsclean.atomic import write_json_atomic, write_parquet_atomic
from newsclean.inputs import InputFile, escape_name
from newsclean.runlog import check_run_id, commit_journal, is_committed
from newsclean.stages.records import Document, Paragraph, Reject, Shard


# Stages in pipeline order: the folders under _stages/<run_id>/; each stage reads the
# persisted output of the one before it.
STAGES = ("ingest", "decode", "extract", "segment", "classify", "language", "publish")


_TS = pa.timestamp("us", tz="UTC")
DOCUMENT_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("source_path", pa.string()),
        ("kind", pa.string()),
        ("input_sha256", pa.string()),
        ("raw", pa.large_binary()),
        ("text", pa.large_string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published_hint", pa.string()),
        ("published_at", _TS),
        ("fetched_at", _TS),
        ("dateline", pa.string()),
        ("credit", pa.string()),
        ("encoding", pa.string()),
        ("encoding_fixes", pa.list_(pa.string())),
        ("language", pa.string()),
        ("language_score", pa.float64()),
    ]
)
PARAGRAPH_STAGE_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("position", pa.int32()),
        ("text", pa.large_string()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
        ("label", pa.string()),
        ("reason", pa.string()),
        ("score", pa.float64()),
    ]
)
REJECT_SCHEMA = pa.schema(
    [
        ("source_path", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
        ("stage", pa.string()),
    ]
)


@dataclass(frozen=True)
class RunPlan:
    """What a run is made of, persisted before any stage runs so a crashed run can be
    resumed and any stage rerun: its shards of input files, where they came from, the
    config it ran with and the date partition its rows go to."""

    run_id: str
    input_root: str
    config_path: str
    ingest_date: str
    started_at: str
    full: bool
    shards: tuple[tuple[InputFile, ...], ...]
    skipped_known: int = 0  # inputs whose content the ledger had already seen
    duplicate_content: tuple[tuple[str, str], ...] = ()  # (copy, original): same bytes as another input
    # Inputs not processed by this run but seen by it (copies, known content with a new
    # mtime): recorded in the ledger too, so the next run need not hash them again.
    also_seen: tuple[InputFile, ...] = ()

    def files(self) -> list[InputFile]:
        """The inputs this run processes, in shard order."""
        return [f for shard in self.shards for f in shard]


# --- per-stage shard files -------------------------------------------------------------


def stage_dir(output: Path, run_id: str, stage: str) -> Path:
    return Path(output) / "_stages" / run_id / stage


def shard_files(output: Path, run_id: str, stage: str, shard_id: int) -> dict[str, Path]:
    base = stage_dir(output, run_id, stage)
    return {
        part: base / f"{shard_id:05d}.{part}.parquet" for part in ("documents", "paragraphs", "rejects")
    }


def write_shard(output: Path, run_id: str, stage: str, shard: Shard) -> dict[str, int]:
    """Persist a stage's output for one shard; return row counts per table."""
    paths = shard_files(output, run_id, stage, shard.shard_id)
    tables = {
        "documents": _records_to_table(shard.documents, DOCUMENT_SCHEMA),
        "paragraphs": _records_to_table(shard.paragraphs, PARAGRAPH_STAGE_SCHEMA),
        "rejects": _records_to_table(shard.rejects, REJECT_SCHEMA),
    }
    for part, table in tables.items():
        write_parquet_atomic(table, paths[part])
    return {part: table.num_rows for part, table in tables.items()}


def read_shard(output: Path, run_id: str, stage: str, shard_id: int) -> Shard:
    """Load a stage's persisted output for one shard."""
    paths = shard_files(output, run_id, stage, shard_id)
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        raise FileNotFoundError(f"stage {stage!r} has no output for shard {shard_id}: {missing[0]}")
    docs = _records_from_table(pq.read_table(paths["documents"]), Document)
    paras = _records_from_table(pq.read_table(paths["paragraphs"]), Paragraph)
    rejects = _records_from_table(pq.read_table(paths["rejects"]), Reject)
    return Shard(shard_id=shard_id, documents=tuple(docs), paragraphs=tuple(paras), rejects=tuple(rejects))


def write_record_copies(output: Path, run_id: str, n_shards: int) -> int:
    """Find the articles (same JSONL record, id and text) that the ingest of more than one
    shard made, and write, for each copy after the first, its shard and the source path
    of the copy kept (the first, in shard order) to `_stages/<run_id>/record_copies.parquet`;
    return how many copies. Reads each shard's ingest ids once; call when every shard's
    ingest is done."""
    kept: dict[str, str] = {}
    rows: dict[str, list[Any]] = {"article_id": [], "shard": [], "kept": []}
    for shard_id in range(n_shards):
        path = shard_files(output, run_id, "ingest", shard_id)["documents"]
        table = pq.read_table(path, columns=["article_id", "source_path"])
        for article_id, source in zip(table["article_id"].to_pylist(), table["source_path"].to_pylist()):
            if article_id in kept:
                rows["article_id"].append(article_id)
                rows["shard"].append(shard_id)
                rows["kept"].append(kept[article_id])
            else:
                kept[article_id] = source
    schema = pa.schema([("article_id", pa.string()), ("shard", pa.int64()), ("kept", pa.string())])
    write_parquet_atomic(pa.table(rows, schema=schema), Path(output) / "_stages" / run_id / "record_copies.parquet")
    return len(rows["article_id"])


def read_record_copies(output: Path, run_id: str, shard_id: int) -> dict[str, str]:
    """Article id -> source path of the copy kept, for this shard's copies of articles an
    earlier shard holds (see `write_record_copies`)."""
    path = Path(output) / "_stages" / run_id / "record_copies.parquet"
    table = pq.read_table(path, filters=[("shard", "=", shard_id)])
    return dict(zip(table["article_id"].to_pylist(), table["kept"].to_pylist()))


LINES_SCHEMA = pa.schema([("site", pa.string()), ("key", pa.int64()), ("doc", pa.int64())])
RUN_TEMPLATES_SCHEMA = pa.schema([("site", pa.string()), ("key", pa.int64()), ("articles", pa.int32())])


def lines_path(output: Path, run_id: str, shard_id: int) -> Path:
    return stage_dir(output, run_id, "segment") / f"{shard_id:05d}.lines.parquet"


def run_templates_path(output: Path, run_id: str) -> Path:
    return Path(output) / "_stages" / run_id / "templates.parquet"


def write_lines(output: Path, run_id: str, shard_id: int, rows: Sequence[tuple[str, int, int]]) -> None:
    """Persist a segmented shard's (site, line key, article) rows (stages/templates.py
    `shard_lines`) for the templates reduce, and forget the run's counts: they no longer
    hold once a shard's paragraphs changed (the reduce redoes them before classify)."""
    columns = list(zip(*rows)) if rows else [[], [], []]
    table = pa.table(dict(zip(LINES_SCHEMA.names, columns)), schema=LINES_SCHEMA)
    write_parquet_atomic(table, lines_path(output, run_id, shard_id))
    run_templates_path(output, run_id).unlink(missing_ok=True)


def read_lines(output: Path, run_id: str, n_shards: int) -> pa.Table:
    """Every shard's line rows of a run (shards segmented before the rows existed have none)."""
    paths = [lines_path(output, run_id, s) for s in range(n_shards)]
    tables = [pq.read_table(p) for p in paths if p.exists()]
    return pa.concat_tables(tables) if tables else LINES_SCHEMA.empty_table()


def write_run_templates(output: Path, run_id: str, table: pa.Table) -> None:
    """Persist the run's line counts: what its classify reads, and a rerun of it too."""
    write_parquet_atomic(table.cast(RUN_TEMPLATES_SCHEMA), run_templates_path(output, run_id))


def read_run_templates(output: Path, run_id: str) -> pa.Table | None:
    """The run's line counts; None when the reduce has not run since its last segment."""
    path = run_templates_path(output, run_id)
    return pq.read_table(path) if path.exists() else None


def has_shard(output: Path, run_id: str, stage: str, shard_id: int) -> bool:
    """Whether a stage's output for one shard is all on disk."""
    return all(p.exists() for p in shard_files(output, run_id, stage, shard_id).values())


def read_stage_table(
    output: Path, run_id: str, stage: str, part: str, columns: Sequence[str] | None = None
) -> pa.Table:
    """One table (documents, paragraphs or rejects) of a stage over all its shards, in
    shard order; empty (with the stage schema) when the stage has no output."""
    schema = {"documents": DOCUMENT_SCHEMA, "paragraphs": PARAGRAPH_STAGE_SCHEMA, "rejects": REJECT_SCHEMA}[part]
    paths = sorted(stage_dir(output, run_id, stage).glob(f"[0-9]*.{part}.parquet"))
    tables = [pq.read_table(path, columns=list(columns) if columns else None) for path in paths]
    if not tables:
        wanted = [schema.field(c) for c in columns] if columns else list(schema)
        return pa.schema(wanted).empty_table()
    return pa.concat_tables(tables)


def iter_stage_tables(
    output: Path, run_id: str, stage: str, part: str, columns: Sequence[str] | None = None
) -> Iterator[pa.Table]:
    """The tables `read_stage_table` concatenates, one shard at a time, in shard order (a
    whole run's paragraphs never held at once)."""
    for path in sorted(stage_dir(output, run_id, stage).glob(f"[0-9]*.{part}.parquet")):
        yield pq.read_table(path, columns=list(columns) if columns else None)


def _records_from_table(table: pa.Table, record: type) -> list[Any]:
    """The table's rows as records, column by column (the schemas list the records'
    fields in their order; checked below): a fraction of the cost of a dict per row."""
    columns = table.to_pydict()
    if "encoding_fixes" in columns:
        columns["encoding_fixes"] = [tuple(v or ()) for v in columns["encoding_fixes"]]
    names = [f.name for f in fields(record)]
    if list(columns) != names:
        return [record(**dict(zip(columns, values))) for values in zip(*columns.values())]
    return [record(*values) for values in zip(*columns.values())]


def _records_to_table(records: Sequence[Any], schema: pa.Schema) -> pa.Table:
    """Records as a table of `schema`, built column by column."""
    columns = {}
    for name in schema.names:
        values = [getattr(record, name) for record in records]
        if name == "encoding_fixes":
            values = [list(v) for v in values]
        columns[name] = values
    return pa.table(columns, schema=schema)


# --- shard summaries and run plans -----------------------------------------------------


def summary_path(output: Path, run_id: str, stage: str, shard_id: int) -> Path:
    return stage_dir(output, run_id, stage) / f"{shard_id:05d}.summary.json"


def write_summary(output: Path, run_id: str, stage: str, shard_id: int, summary: dict[str, Any]) -> None:
    """Record a stage's counts for a shard. Written after its shard files, so a summary on
    disk means the stage is done for that shard."""
    write_json_atomic(summary, summary_path(output, run_id, stage, shard_id))


def read_summaries(output: Path, run_id: str) -> list[dict[str, Any]]:
    """Every shard summary of a run, by stage folder then shard."""
    root = Path(output) / "_stages" / run_id
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(root.glob("*/[0-9]*.summary.json"))
    ]


def done_shards(output: Path, run_id: str) -> set[tuple[str, int]]:
    """(stage, shard) pairs whose output is complete on disk."""
    return {(s["stage"], s["shard"]) for s in read_summaries(output, run_id)}


def forget_shards(output: Path, run_id: str, stage: str, shard_ids: Iterable[int]) -> None:
    """Mark a stage as not done for some shards (their files stay until overwritten)."""
    for shard_id in shard_ids:
        summary_path(output, run_id, stage, shard_id).unlink(missing_ok=True)


def plan_path(output: Path, run_id: str) -> Path:
    return Path(output) / "_stages" / run_id / "run.json"


def write_plan(output: Path, plan: RunPlan) -> None:
    write_json_atomic(asdict(plan), plan_path(output, plan.run_id))


def read_plan(output: Path, run_id: str) -> RunPlan:
    """A run's plan; FileNotFoundError if the run has none."""
    path = plan_path(output, run_id)
    if not path.exists():
        require_stage_files(output, run_id)
        raise FileNotFoundError(f"no run {run_id!r} in {Path(output) / '_stages'}")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["shards"] = tuple(tuple(_planned_file(f) for f in shard) for shard in data["shards"])
    data["duplicate_content"] = tuple(
        tuple(escape_name(name) for name in pair) for pair in data.get("duplicate_content", ())
    )
    data["also_seen"] = tuple(_planned_file(f) for f in data.get("also_seen", ()))
    return RunPlan(**data)


def _planned_file(row: dict[str, Any]) -> InputFile:
    """An input file of a saved plan; names escaped, so a plan saved before names were
    escaped resumes too."""
    return InputFile(**{**row, "relative": escape_name(row["relative"])})


def update_plan(output: Path, run_id: str, **changes: Any) -> RunPlan:
    plan = replace(read_plan(output, run_id), **changes)
    write_plan(output, plan)
    return plan


def unfinished_runs(output: Path) -> list[str]:
    """Runs that have a plan but no manifest (crashed or killed), oldest first."""
    return sorted(
        path.parent.name
        for path in (Path(output) / "_stages").glob("*/run.json")
        if not is_committed(output, path.parent.name)
    )


def resolve_run_id(output: Path, run_id: str) -> str:
    """A run id as given, or for `latest` the newest run (finished or not)."""
    if run_id != "latest":
        check_run_id(run_id)
        if not plan_path(output, run_id).exists() and not is_committed(output, run_id):
            raise FileNotFoundError(f"no run {run_id!r} in {output}")
        return run_id
    ids = {p.stem for p in (Path(output) / "runs").glob("*.json")}
    ids |= {p.parent.name for p in (Path(output) / "_stages").glob("*/run.json")}
    if not ids:
        raise FileNotFoundError(f"no run in {output}")
    return max(ids)


def require_stage_files(output: Path, run_id: str) -> None:
    """FileNotFoundError, saying why, when a committed run's stage files were pruned."""
    if is_committed(output, run_id) and not (Path(output) / "_stages" / run_id).exists():
        raise FileNotFoundError(
            f"run {run_id!r} is committed but its stage files were pruned ([run] keep_stage_runs, "
            "`newsclean prune`): rerun, diff, stages and report need them; its datasets are whole"
        )


def prune_stages(output: Path, keep: int, dry_run: bool = False) -> list[tuple[str, int]]:
    """Delete `_stages/<run_id>/` of committed runs but the newest `keep` ones; return
    (run id, bytes) of each pruned run. Unfinished runs are never touched (a resume
    needs them), nor datasets, manifests or the ledger. Call with the output lock held.

    Run ids start with their UTC start time, so sorting them sorts the runs by age.
    """
    root = Path(output) / "_stages"
    committed = sorted(
        p.name for p in root.iterdir()
        if p.is_dir() and is_committed(output, p.name) and not commit_journal(output, p.name).exists()
    ) if root.exists() else []
    pruned = []
    for run_id in committed[: max(0, len(committed) - keep)]:
        folder = root / run_id
        size = sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())
        if not dry_run:
            shutil.rmtree(folder)
        pruned.append((run_id, size))
    return pruned
