"""The run log: what says which runs happened. The output lock, run ids, the ledger of
processed inputs, the commit (its journal, the steps that make a run visible, finishing
an interrupted one, fault points for crash tests) and the run manifests (built and read).
The only module that writes the ledger, the commit journals and the manifests.

Layout under the output folder:

    .lock                                        held by the one writer
    _stages/<run_id>/commit.json                 the commit's journal (while it commits)
    _stages/<run_id>/commit.ledger.parquet       the ledger's file, staged for the commit
    _ledger/<run_id>.parquet                     inputs the run processed (at commit)
    runs/<run_id>.json                           the manifest (written last: run done)
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import platform
import re
import signal
import threading
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from newsclean import __version__
from newsclean.atomic import write_json_atomic, write_parquet_atomic
from newsclean.datasets import COMMITTED, mark_for_swap, supersede_latest, supersede_rows, swap_partition
from newsclean.inputs import InputFile, escape_name
from newsclean.settings import Settings


class OutputBusyError(RuntimeError):
    """Another newsclean process holds the output folder's lock."""


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


def new_run_id(now: datetime | None = None) -> str:
    """A sortable, unique run id: UTC time plus a random suffix."""
    now = now or datetime.now(timezone.utc)
    return now.strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:6]


# --- the ledger of processed inputs ----------------------------------------------------


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


# --- commits -------------------------------------------------------------------------


# A commit is journalled: `_stages/<run_id>/commit.json` (the manifest, the ledger's
# staged file, whether to supersede) is written before the first change readers can
# see, and removed after the manifest, the last one. A crash in between leaves the
# journal: the next command of any kind finishes the commit from it (`finish_commits`),
# each step being safe to redo. A staged partition folder to be swapped in carries
# COMMIT_MARK (datasets.mark_for_swap), so a redone swap never swaps back.
# Named steps of a commit, for fault injection (`fault_point`), in order.
COMMIT_STEPS = ("journal_written", "superseded", *(f"swapped_{name}" for name in COMMITTED), "latest_superseded",
                "ledger_written", "manifest_written")


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
    mark_for_swap(output, run_id, ingest_date)
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
    for name in COMMITTED:
        swap_partition(output, run_id, ingest_date, name)
        fault_point(f"swapped_{name}")
    # articles_latest: the doc_keys this run holds newer versions of leave older partitions
    supersede_latest(output, run_id, ingest_date)
    fault_point("latest_superseded")
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


# --- manifests -----------------------------------------------------------------------


def is_committed(output: Path, run_id: str) -> bool:
    return (Path(output) / "runs" / f"{run_id}.json").exists()


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
