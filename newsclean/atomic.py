"""Atomic file writes, shared by every module that writes under the output folder.

A file is written to a hidden temporary name (`.name.<hex>.tmp`) in its final folder and
renamed into place, so a reader (or a crashed run) never sees a partial file; a folder is
swapped for another in one exchange. This module owns those temporaries: only
`remove_temporaries` deletes what a killed writer left.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import json
import os
import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq


SCHEMA_VERSION = "1"
COMPRESSION = "zstd"


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


def remove_temporaries(output: Path) -> int:
    """Delete the temporary files a killed writer left behind (hidden `.name.<hex>.tmp`
    files, which dataset readers already skip); call with the output lock held."""
    stray = [p for p in Path(output).rglob(".*.tmp") if p.is_file()]
    for path in stray:
        path.unlink(missing_ok=True)
    return len(stray)
