"""The only module that touches files: input discovery and reading, per-stage shard
files, run plans and shard summaries, the published Parquet datasets, the ledger of
processed inputs and the run manifests.

Every file is written to a temporary name in its final folder and renamed into
place, so a reader (or a crashed run) never sees a partial file.

Layout under the output folder:

    _stages/<run_id>/run.json                    the run's plan (written first)
    _stages/<run_id>/<stage>/<shard>.*.parquet   a stage's whole shard state
    _stages/<run_id>/<stage>/<shard>.summary.json  counts; written last = shard done
    _stages/<run_id>/publish/<dataset>/...       the run's rows before commit
    <dataset>/ingest_date=D/run_id=R/            committed rows (articles, ...)
    _ledger/<run_id>.parquet                     inputs the run processed (at commit)
    runs/<run_id>.json                           the manifest (written last: run done)
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from newsclean.stages.records import OFFTOPIC, Document, Paragraph, RawInput, Reject, Shard
from newsclean.stages.unpack import codec_of, unpacked_length

DATASETS = ("articles", "paragraphs", "offtopic", "rejects")
# Stages in pipeline order: the folders under _stages/<run_id>/; each stage reads the
# persisted output of the one before it.
STAGES = ("ingest", "decode", "extract", "segment", "classify", "language", "publish")
SCHEMA_VERSION = "1"
COMPRESSION = "zstd"
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

# The published datasets: the output contract (README "Output schema").
ARTICLES_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("source_path", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published_at", _TS),
        ("fetched_at", _TS),  # a WARC record's WARC-Date; null for other inputs
        ("dateline", pa.string()),
        ("credit", pa.string()),
        ("language", pa.string()),
        ("language_score", pa.float64()),
        ("text", pa.large_string()),
        ("n_paragraphs", pa.int32()),
        ("n_removed", pa.int32()),
        ("encoding", pa.string()),
        ("encoding_fixes", pa.list_(pa.string())),
    ]
)
PARAGRAPHS_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("position", pa.int32()),
        ("text", pa.large_string()),
        ("label", pa.string()),
        ("reason", pa.string()),
        ("char_start", pa.int64()),
        ("char_end", pa.int64()),
    ]
)
OFFTOPIC_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("position", pa.int32()),
        ("text", pa.large_string()),
        ("score", pa.float64()),
        ("reason", pa.string()),
    ]
)
REJECTS_SCHEMA = pa.schema(
    [
        ("source_path", pa.string()),
        ("reason", pa.string()),
        ("detail", pa.string()),
    ]
)
PUBLISHED_SCHEMAS = {
    "articles": ARTICLES_SCHEMA,
    "paragraphs": PARAGRAPHS_SCHEMA,
    "offtopic": OFFTOPIC_SCHEMA,
    "rejects": REJECTS_SCHEMA,
}


# Ledger of processed inputs: one file per committed run.
LEDGER_SCHEMA = pa.schema(
    [
        ("sha256", pa.string()),  # content hash of the input file's bytes
        ("source_path", pa.string()),  # relative to the input root, as in the datasets
        ("path", pa.string()),  # absolute path when seen: key of the stat cache
        ("size", pa.int64()),
        ("mtime_ns", pa.int64()),
        ("run_id", pa.string()),  # the run that recorded it
    ]
)
# The column that identifies "the same row" in each dataset, for exactly-once publishing.
DATASET_KEYS = {"articles": "article_id", "paragraphs": "article_id", "offtopic": "article_id", "rejects": "source_path"}


class InputError(ValueError):
    """The input path does not exist or cannot be listed."""


class OutputBusyError(RuntimeError):
    """Another newsclean process holds the output folder's lock."""


class NotAFileError(OSError):
    """An input path that is not a regular file (a FIFO, a device, a socket, a folder)."""


@dataclass(frozen=True)
class InputFile:
    """A file to ingest: absolute path, path relative to the input root, size, modification
    time and (once planned) the sha256 of its bytes."""

    path: str
    relative: str
    size: int
    mtime_ns: int = 0
    sha256: str = ""
    # Set when discovery refused the entry without opening it (a link out of the input
    # root, a FIFO, a device, a loop): the reject's reason and detail.
    reason: str = ""
    detail: str = ""


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


# --- inputs ----------------------------------------------------------------------------


def discover_inputs(root: Path, skip: Sequence[Path] = ()) -> list[InputFile]:
    """Every entry under `root` (or `root` itself), sorted by relative path, except the
    folders in `skip` (an output folder inside the input). Nothing is opened and no link
    is followed out of the root: links leading out of it, loops, FIFOs, devices and
    sockets come back refused (`reason` set), to become rejects; a link to a file inside
    the root is read as that file. Names that are not UTF-8 are kept, escaped."""
    root = Path(root)
    if not root.exists():
        raise InputError(f"input not found: {root}")
    if root.is_file():
        stat_ = root.stat()
        return [InputFile(str(root.resolve()), escape_name(root.name), stat_.st_size, stat_.st_mtime_ns)]
    real_root = root.resolve()
    skipped = {Path(p).resolve() for p in skip}
    found: list[InputFile] = []

    def unlisted(exc: OSError) -> None:  # a folder that cannot be listed is a reject, not a gap
        where = Path(exc.filename or root)
        found.append(_refused(where, root, "unreadable", f"cannot list the folder: {exc.strerror or exc}"))

    for dirpath, dirnames, filenames in os.walk(root, followlinks=False, onerror=unlisted):
        here = Path(dirpath)
        descend = []
        for name in sorted(dirnames):
            path = here / name
            if path.is_symlink():  # never walked into: a link to a folder is an entry
                found.append(classify_entry(path, root, real_root, skipped))
            elif path.resolve() not in skipped:
                descend.append(name)
        dirnames[:] = descend
        found.extend(classify_entry(here / name, root, real_root, skipped) for name in filenames)
    return sorted(found, key=lambda f: f.relative)


def classify_entry(path: Path, root: Path, real_root: Path, skipped: Iterable[Path] = ()) -> InputFile:
    """An input file for one directory entry, judged by `lstat` (never opened): a regular
    file; a link to a regular file inside `real_root` and outside the `skipped` folders
    (read through the link); else refused as `outside_root` or `not_a_file`."""
    try:
        info = path.lstat()
    except OSError as exc:
        return _refused(path, root, "unreadable", exc.strerror or str(exc))
    if stat.S_ISREG(info.st_mode):
        return _input_file(path, root, path.resolve(), info)
    if not stat.S_ISLNK(info.st_mode):
        return _refused(path, root, "not_a_file", f"a {file_type(info.st_mode)}, not a regular file")
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        loop = isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP
        return _refused(path, root, "not_a_file", "a symlink loop" if loop else "a dangling symlink")
    if not target.is_relative_to(real_root):
        return _refused(path, root, "outside_root", "a symlink to a path outside the input folder (not followed)")
    if any(target.is_relative_to(folder) for folder in skipped):
        return _refused(path, root, "outside_root", "a symlink into the output folder (not followed)")
    try:
        target_info = target.stat()
    except OSError as exc:  # removed since it was resolved
        return _refused(path, root, "unreadable", exc.strerror or str(exc))
    if not stat.S_ISREG(target_info.st_mode):
        return _refused(path, root, "not_a_file", f"a symlink to a {file_type(target_info.st_mode)} (not followed)")
    return _input_file(path, root, target, target_info)


def file_type(mode: int) -> str:
    """What a non-regular file is, in words.

    >>> file_type(stat.S_IFIFO), file_type(stat.S_IFDIR)
    ('FIFO', 'folder')
    """
    kinds = ((stat.S_ISDIR, "folder"), (stat.S_ISFIFO, "FIFO"), (stat.S_ISSOCK, "socket"),
             (stat.S_ISCHR, "character device"), (stat.S_ISBLK, "block device"), (stat.S_ISLNK, "symlink"))
    return next((name for test, name in kinds if test(mode)), "special file")


def _input_file(path: Path, root: Path, target: Path, info: os.stat_result) -> InputFile:
    return InputFile(str(target), relative_name(path, root), info.st_size, info.st_mtime_ns)


def _refused(path: Path, root: Path, reason: str, detail: str) -> InputFile:
    return InputFile(str(path.absolute()), relative_name(path, root), 0, 0, reason=reason, detail=detail)


def relative_name(path: Path, root: Path) -> str:
    """`path` relative to `root`, POSIX style, escaped (see `escape_name`)."""
    relative = path.relative_to(root).as_posix() if path != root else path.name
    return escape_name(relative)


def escape_name(name: str) -> str:
    """A file name as text every writer accepts: bytes that are not UTF-8 (which Python
    holds as lone surrogates) become `\\xNN` escapes; other names are unchanged.

    >>> escape_name(os.fsdecode(b"caf\\xe9.txt")), escape_name("café.txt")
    ('caf\\\\xe9.txt', 'café.txt')
    """
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # surrogates that are not escaped bytes
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def open_regular(path: str) -> Any:
    """A binary file object for a regular file; NotAFileError for a FIFO, device, socket
    or folder. Opened without blocking, so a FIFO is refused, never waited on."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotAFileError(errno.EINVAL, f"a {file_type(mode)}, not a regular file", path)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def hash_file(path: str) -> str | None:
    """sha256 of a regular file's bytes, read in 1 MiB blocks; None if it cannot be read
    or is not a regular file."""
    digest = hashlib.sha256()
    try:
        with open_regular(path) as fh:
            while block := fh.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


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


def unpacked_size(f: InputFile, limit: int) -> int:
    """The bytes a file holds once read, for cutting shards by memory: its size, or for
    a compressed file (.gz, .zst, .bz2, .xz: a WARC.gz too, whose gzip trailer records
    only its last record's size) the bytes it decompresses to, counted in pieces and
    never held, at most `limit` (ingest refuses more) and at least its size on disk."""
    codec = codec_of(f.relative)
    if f.reason or codec is None or f.size > limit:
        return f.size
    try:
        with open_regular(f.path) as fh:
            data = fh.read(limit + 1)
    except OSError:
        return f.size
    return max(f.size, min(unpacked_length(data, codec, limit), limit))


def read_inputs(files: Sequence[InputFile], max_bytes: int) -> tuple[list[RawInput], list[Reject]]:
    """Read the files' bytes (never more than `max_bytes` + 1 of one file); files that
    discovery refused, that cannot be read, are not regular files or are too large
    become rejects."""
    inputs, rejects = [], []
    for f in files:
        if f.reason:
            rejects.append(Reject(f.relative, f.reason, f.detail, "ingest"))
            continue
        if f.size > max_bytes:
            rejects.append(Reject(f.relative, "too_large", f"{f.size} bytes > {max_bytes}", "ingest"))
            continue
        try:
            with open_regular(f.path) as fh:
                data = fh.read(max_bytes + 1)
        except NotAFileError as exc:
            rejects.append(Reject(f.relative, "not_a_file", exc.strerror or str(exc), "ingest"))
            continue
        except OSError as exc:
            rejects.append(Reject(f.relative, "unreadable", exc.strerror or str(exc), "ingest"))
            continue
        if len(data) > max_bytes:  # the file grew after planning
            rejects.append(Reject(f.relative, "too_large", f"more than {max_bytes} bytes", "ingest"))
            continue
        inputs.append(RawInput(f.relative, data))
    return inputs, rejects


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
    docs = [_document_from_row(r) for r in pq.read_table(paths["documents"]).to_pylist()]
    paras = [Paragraph(**r) for r in pq.read_table(paths["paragraphs"]).to_pylist()]
    rejects = [Reject(**r) for r in pq.read_table(paths["rejects"]).to_pylist()]
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


def is_committed(output: Path, run_id: str) -> bool:
    return (Path(output) / "runs" / f"{run_id}.json").exists()


def unfinished_runs(output: Path) -> list[str]:
    """Runs that have a plan but no manifest (crashed or killed), oldest first."""
    return sorted(
        path.parent.name
        for path in (Path(output) / "_stages").glob("*/run.json")
        if not is_committed(output, path.parent.name)
    )


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


_RUN_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def check_run_id(run_id: str) -> str:
    """A run id, if it is one: it names folders and files under the output, so only
    letters, digits, `.`, `_` and `-`, not starting with `.` (no `../x`, no `a/b`);
    ValueError otherwise.

    >>> check_run_id("20261201T101500Z-3f2a1c")
    '20261201T101500Z-3f2a1c'
    >>> check_run_id("../../x")
    Traceback (most recent call last):
    ValueError: bad run id '../../x': use letters, digits, '.', '_' and '-', not starting with '.'
    """
    if not _RUN_ID.fullmatch(run_id):
        raise ValueError(f"bad run id {run_id!r}: use letters, digits, '.', '_' and '-', not starting with '.'")
    return run_id


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


_LOCKS_HELD = threading.local()  # .paths: the output locks this thread holds


@contextmanager
def output_lock(output: Path) -> Iterator[None]:
    """Hold the output folder for one writer. The kernel drops the lock when the holder
    dies, so a killed run never leaves a stale lock behind. The thread holding it may
    take it again: the command takes it before Prefect starts and holds it while its
    flow (which takes it too) runs, so a second command is refused before it starts
    anything. Another process or thread is refused (OutputBusyError)."""
    path = Path(output) / ".lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    key = str(path.resolve())
    held: set[str] = _LOCKS_HELD.__dict__.setdefault("paths", set())
    if key in held:
        yield
        return
    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EACCES):
                raise OutputBusyError(f"another newsclean process is writing to {output}") from None
            raise
        held.add(key)
        try:
            yield
        finally:
            held.discard(key)
            fcntl.flock(fh, fcntl.LOCK_UN)


def remove_temporaries(output: Path) -> int:
    """Delete the temporary files a killed writer left behind (hidden `.name.<hex>.tmp`
    files, which dataset readers already skip); call with the output lock held."""
    stray = [p for p in Path(output).rglob(".*.tmp") if p.is_file()]
    for path in stray:
        path.unlink(missing_ok=True)
    return len(stray)


# --- ledger of processed inputs --------------------------------------------------------


def ledger_dir(output: Path) -> Path:
    return Path(output) / "_ledger"


def read_ledger(output: Path) -> pa.Table:
    """Every input recorded by committed runs (empty table if none)."""
    paths = sorted(ledger_dir(output).glob("*.parquet"))
    if not paths:
        return LEDGER_SCHEMA.empty_table()
    return pa.concat_tables([pq.read_table(p).cast(LEDGER_SCHEMA) for p in paths])


def ledger_table(run_id: str, files: Iterable[InputFile]) -> pa.Table:
    rows = [
        {"sha256": f.sha256, "source_path": f.relative, "path": escape_name(f.path), "size": f.size,
         "mtime_ns": f.mtime_ns, "run_id": run_id}
        for f in files
        if f.sha256
    ]
    return pa.Table.from_pylist(rows, schema=LEDGER_SCHEMA)


def _document_from_row(row: dict[str, Any]) -> Document:
    row["encoding_fixes"] = tuple(row.get("encoding_fixes") or ())
    return Document(**row)


def _records_to_table(records: Sequence[Any], schema: pa.Schema) -> pa.Table:
    names = schema.names
    rows = []
    for record in records:
        row = {f.name: getattr(record, f.name) for f in fields(record) if f.name in names}
        if "encoding_fixes" in row:
            row["encoding_fixes"] = list(row["encoding_fixes"])
        rows.append(row)
    return pa.Table.from_pylist(rows, schema=schema)


# --- published datasets ----------------------------------------------------------------


def published_tables(shard: Shard) -> dict[str, pa.Table]:
    """The four published tables of one finished shard."""
    grouped = shard.paragraphs_by_article()
    articles = []
    for doc in shard.documents:
        paras = grouped.get(doc.article_id, [])
        body = [p.text.strip() for p in paras if p.label == "body"]
        row = {k: v for k, v in asdict(doc).items() if k in ARTICLES_SCHEMA.names}
        row.update(
            encoding_fixes=list(doc.encoding_fixes),
            text="\n\n".join(body),
            n_paragraphs=len(body),
            n_removed=len(paras) - len(body),
        )
        articles.append(row)
    paragraphs = [
        {k: getattr(p, k) for k in PARAGRAPHS_SCHEMA.names}
        for p in sorted(shard.paragraphs, key=lambda p: (p.article_id, p.position))
    ]
    offtopic = [
        {"article_id": p.article_id, "position": p.position, "text": p.text, "score": p.score, "reason": p.reason}
        for p in sorted(shard.paragraphs, key=lambda p: (p.article_id, p.position))
        if p.label == OFFTOPIC
    ]
    rejects = [{"source_path": r.source_path, "reason": r.reason, "detail": r.detail} for r in shard.rejects]
    rows = {"articles": articles, "paragraphs": paragraphs, "offtopic": offtopic, "rejects": rejects}
    return {name: pa.Table.from_pylist(rows[name], schema=PUBLISHED_SCHEMAS[name]) for name in DATASETS}


def partition_path(output: Path, dataset: str, ingest_date: str, run_id: str) -> Path:
    """Hive partition folder of one run's rows in a dataset."""
    return Path(output) / dataset / f"ingest_date={ingest_date}" / f"run_id={run_id}"


def staging_root(output: Path, run_id: str) -> Path:
    return stage_dir(output, run_id, "publish")


def write_published_shard(output: Path, run_id: str, ingest_date: str, shard: Shard) -> dict[str, int]:
    """Write one shard's published tables into the run's staging area (not yet visible)."""
    counts = {}
    for name, table in published_tables(shard).items():
        target = partition_path(staging_root(output, run_id), name, ingest_date, run_id)
        write_parquet_atomic(table, target / f"part-{shard.shard_id:05d}.parquet")
        counts[name] = table.num_rows
    return counts


def run_partition_files(output: Path, run_id: str, ingest_date: str, dataset: str) -> list[Path]:
    """A run's Parquet files of a dataset: staged if not yet moved, else committed."""
    staged = partition_path(staging_root(output, run_id), dataset, ingest_date, run_id)
    folder = staged if staged.exists() else partition_path(output, dataset, ingest_date, run_id)
    return sorted(folder.glob("*.parquet"))


def published_keys(output: Path, exclude_run: str) -> dict[str, pa.Array]:
    """Keys already published by committed runs other than `exclude_run`: article ids
    (articles/) and source paths (rejects/)."""
    keys = {}
    for dataset in ("articles", "rejects"):
        column = DATASET_KEYS[dataset]
        folder = Path(output) / dataset
        if not any(folder.rglob("*.parquet")):
            keys[dataset] = pa.array([], pa.string())
            continue
        data = pads.dataset(folder, format="parquet", partitioning="hive")
        table = data.to_table(columns=[column], filter=pc.field("run_id") != exclude_run)
        keys[dataset] = pc.unique(table[column]).cast(pa.string())
    return keys


def write_published_keys(output: Path, run_id: str, keys: dict[str, pa.Array] | None) -> None:
    """Persist the keys the run's publish step must leave out (None: leave out nothing)."""
    rows = {"dataset": [], "key": []}
    for dataset, values in (keys or {}).items():
        rows["dataset"] += [dataset] * len(values)
        rows["key"] += values.to_pylist()
    table = pa.table(rows, schema=pa.schema([("dataset", pa.string()), ("key", pa.string())]))
    write_parquet_atomic(table, Path(output) / "_stages" / run_id / "published_keys.parquet")


def read_published_keys(output: Path, run_id: str) -> dict[str, frozenset[str]]:
    path = Path(output) / "_stages" / run_id / "published_keys.parquet"
    if not path.exists():
        return {}
    found: dict[str, set[str]] = {}
    for row in pq.read_table(path).to_pylist():
        found.setdefault(row["dataset"], set()).add(row["key"])
    return {k: frozenset(v) for k, v in found.items()}


def supersede_rows(output: Path, run_id: str, ingest_date: str) -> dict[str, int]:
    """Remove, from other runs' committed files, the rows this run republishes (same
    article id, or same source path for rejects). Each file is rewritten to a temporary
    name and renamed over the old one. Idempotent, so a crashed commit can redo it."""
    removed: dict[str, int] = {}
    for dataset in DATASETS:
        column = DATASET_KEYS[dataset]
        mine = [pq.read_table(p, columns=[column])[column] for p in run_partition_files(output, run_id, ingest_date, dataset)]
        if not mine:
            continue
        keys = pc.unique(pa.chunked_array(mine, pa.string()).combine_chunks())
        own = f"run_id={run_id}"
        for path in sorted((Path(output) / dataset).rglob("*.parquet")):
            if own in path.parts:
                continue
            table = pq.read_table(path)
            keep = pc.invert(pc.is_in(table[column], value_set=keys))
            kept = table.filter(keep)
            if kept.num_rows < table.num_rows:
                write_parquet_atomic(kept, path)
                removed[dataset] = removed.get(dataset, 0) + table.num_rows - kept.num_rows
    return removed


# A commit is journalled: `_stages/<run_id>/commit.json` (the manifest, the ledger's
# staged file, whether to supersede) is written before the first change readers can
# see, and removed after the manifest, the last one. A crash in between leaves the
# journal: the next command of any kind finishes the commit from it (`finish_commits`),
# each step being safe to redo. A staged partition folder to be swapped in carries
# COMMIT_MARK (hidden: dataset readers skip it), so a redone swap never swaps back.
COMMIT_MARK = ".newsclean-new"
# Named steps of a commit, for fault injection (`fault_point`), in order.
COMMIT_STEPS = ("journal_written", "superseded", *(f"swapped_{name}" for name in DATASETS), "ledger_written",
                "manifest_written")


class InjectedFault(RuntimeError):
    """Raised at a named step when NEWSCLEAN_FAULT names it (crash testing)."""


def fault_point(step: str) -> None:
    """Test hook: crash here when the environment variable NEWSCLEAN_FAULT names this
    step (`swapped_articles` raises InjectedFault; `swapped_articles:kill` is kill -9)."""
    wanted, _, how = os.environ.get("NEWSCLEAN_FAULT", "").partition(":")
    if wanted == step:
        if how == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        raise InjectedFault(f"fault injected at commit step {step!r}")


def commit_journal(output: Path, run_id: str) -> Path:
    return Path(output) / "_stages" / run_id / "commit.json"


def commit_run(
    output: Path,
    run_id: str,
    ingest_date: str,
    manifest: dict[str, Any],
    ledger: pa.Table | None = None,
    supersede: bool = False,
) -> Path:
    """Make a run's rows visible: optionally drop the rows it republishes from older runs,
    swap its partitions into the datasets, record its inputs in the ledger, then write the
    manifest last. Each partition swap is one atomic exchange of folders, so readers see a
    run's rows (or a rerun's replacement of them) all or nothing per dataset. The commit
    is journalled first: after a crash at any point `finish_commits` completes it."""
    output = Path(output)
    for name in DATASETS:
        staged = partition_path(staging_root(output, run_id), name, ingest_date, run_id)
        if staged.exists():
            (staged / COMMIT_MARK).touch()
    if ledger is not None:
        write_parquet_atomic(ledger, Path(output) / "_stages" / run_id / "commit.ledger.parquet")
    journal = {"ingest_date": ingest_date, "supersede": supersede, "manifest": manifest, "ledger": ledger is not None}
    write_json_atomic(journal, commit_journal(output, run_id))
    fault_point("journal_written")
    manifest_path = finish_commit(output, run_id)
    if supersede:  # the rows it removed from older runs, for the caller's summary
        manifest["superseded"] = json.loads(manifest_path.read_text(encoding="utf-8"))["superseded"]
    return manifest_path


def finish_commit(output: Path, run_id: str) -> Path:
    """Carry out the commit a run's journal describes, from wherever it stopped; return
    the manifest's path."""
    output = Path(output)
    journal_path = commit_journal(output, run_id)
    journal = json.loads(journal_path.read_text(encoding="utf-8"))
    ingest_date, manifest = journal["ingest_date"], journal["manifest"]
    if journal["supersede"]:
        if "superseded" not in journal:
            journal["superseded"] = supersede_rows(output, run_id, ingest_date)
            write_json_atomic(journal, journal_path)
        manifest["superseded"] = journal["superseded"]
    fault_point("superseded")
    for name in DATASETS:
        swap_partition(output, run_id, ingest_date, name)
        fault_point(f"swapped_{name}")
    staged_ledger = Path(output) / "_stages" / run_id / "commit.ledger.parquet"
    if staged_ledger.exists():
        ledger_dir(output).mkdir(parents=True, exist_ok=True)
        os.replace(staged_ledger, ledger_dir(output) / f"{run_id}.parquet")
    fault_point("ledger_written")
    manifest_path = output / "runs" / f"{run_id}.json"
    write_json_atomic(manifest, manifest_path)
    fault_point("manifest_written")
    journal_path.unlink()
    return manifest_path


def swap_partition(output: Path, run_id: str, ingest_date: str, dataset: str) -> None:
    """Move a run's staged partition of a dataset into place (exchanging it with the one
    a rerun replaces), then drop what it replaced. Safe to redo at any point: only a
    staged folder with COMMIT_MARK is swapped in."""
    staged = partition_path(staging_root(output, run_id), dataset, ingest_date, run_id)
    final = partition_path(output, dataset, ingest_date, run_id)
    if (staged / COMMIT_MARK).exists():
        final.parent.mkdir(parents=True, exist_ok=True)
        if final.exists():  # a rerun of a committed run replaces its rows in one step
            exchange_paths(staged, final)
        else:
            os.replace(staged, final)
    (final / COMMIT_MARK).unlink(missing_ok=True)
    if staged.exists():  # the rows replaced
        shutil.rmtree(staged)


def interrupted_commits(output: Path) -> list[str]:
    """Runs whose commit a crash interrupted (a journal is left), oldest first."""
    return sorted(path.parent.name for path in (Path(output) / "_stages").glob("*/commit.json"))


def finish_commits(output: Path) -> list[str]:
    """Complete every commit a crash interrupted; return their run ids. Call with the
    output lock held, before anything else."""
    runs = interrupted_commits(output)
    for run_id in runs:
        finish_commit(output, run_id)
    return runs


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange_paths(a: Path, b: Path) -> None:
    """Atomically swap two folders (Linux renameat2 RENAME_EXCHANGE). Where that is not
    available, fall back to two renames (a reader may then see the folder missing for a
    moment, never half of it)."""
    libc_name = ctypes.util.find_library("c")
    renameat2 = getattr(ctypes.CDLL(libc_name, use_errno=True), "renameat2", None) if libc_name else None
    if renameat2 is not None:
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        if result == 0:
            return
        if ctypes.get_errno() not in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
            raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))
    aside = a.with_name(a.name + ".swap")
    os.replace(b, aside)
    os.replace(a, b)
    os.replace(aside, a)


def write_parquet_atomic(table: pa.Table, path: Path) -> None:
    """Write a Parquet file (zstd, Arrow schema in the footer) under a temporary name,
    then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    metadata = dict(table.schema.metadata or {})
    metadata[b"newsclean.schema_version"] = SCHEMA_VERSION.encode()
    table = table.replace_schema_metadata(metadata)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, tmp, compression=COMPRESSION, store_schema=True)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def write_json_atomic(data: Any, path: Path) -> None:
    write_text_atomic(json.dumps(data, indent=2, sort_keys=True, default=str) + "\n", path)


def write_text_atomic(text: str, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def read_manifest(output: Path, run_id: str) -> dict[str, Any]:
    """A run's manifest; `latest` names the newest finished run."""
    runs = Path(output) / "runs"
    if run_id == "latest":
        manifests = sorted(runs.glob("*.json"))
        if not manifests:
            raise FileNotFoundError(f"no finished run in {runs}")
        return json.loads(manifests[-1].read_text(encoding="utf-8"))
    path = runs / f"{run_id}.json"
    if not path.exists():
        raise FileNotFoundError(f"no run {run_id!r} in {runs}")
    return json.loads(path.read_text(encoding="utf-8"))


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: UTC time plus a random suffix."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]
