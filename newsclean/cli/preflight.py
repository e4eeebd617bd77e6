"""Checks a command makes before it starts anything: each failure is a UsageError (one
line, exit 2) raised before a folder, lock, plan or ledger entry is written.

Shared with the Python API (newsclean/api.py), which raises the same errors.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

# scheme://... (s3://, gs://, az://, http(s)://, hdfs://, file://): not a local path.
# Checked on the text as given: Path("s3://b/k") would already read "s3:/b/k".
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class UsageError(ValueError):
    """Bad command-line usage or a place that cannot be used: one line, exit status 2."""


def is_url(text: str) -> bool:
    """Whether `text` names a URL rather than a local path.

    >>> is_url("s3://bucket/crawl"), is_url("https://example.com/x"), is_url("crawl/2024"), is_url("C:/x")
    (True, True, False, False)
    """
    return bool(_URL.match(text))


LOCAL_ONLY = "newsclean reads and writes local paths only (copy the files, or mount the bucket, to a local folder)"


def local_path(text: str, what: str) -> Path:
    """`text` as a local path; UsageError for a URL (object stores are not supported:
    writing "s3://x" would create a folder named `s3:`)."""
    if is_url(str(text)):
        raise UsageError(f"{what} {text} is a URL; {LOCAL_ONLY}")
    return Path(text)


def check_input(path: Path, empty_ok: bool = False) -> None:
    """The input exists, and is a file or a folder holding at least one entry (unless
    `empty_ok`: a served folder the crawler has yet to fill)."""
    if not path.exists():
        raise UsageError(f"input not found: {path}")
    if not empty_ok and path.is_dir() and is_empty_folder(path):
        raise UsageError(f"input folder {path} is empty: nothing to clean")


def is_empty_folder(folder: Path) -> bool:
    """Whether the folder tree holds no entry but folders (links count as entries: the
    run reports those it refuses). Stops at the first entry found."""
    for top, dirs, files in os.walk(folder):
        if files or any(os.path.islink(os.path.join(top, d)) for d in dirs):
            return False
    return True


def unwritable_reason(folder: Path) -> str | None:
    """Why `folder` cannot be created (if missing) and written, or None. Tried by creating
    an unnamed file in the nearest existing folder: permission bits do not stop root, a
    read-only mount or /proc does."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"{existing} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=existing):
            pass
    except OSError as exc:
        return f"{exc.strerror or exc} ({existing})"
    return None


def check_writable(folder: Path, what: str) -> None:
    """UsageError, saying why, unless `folder` can be created and written."""
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{what} is not a folder: {folder}")
    reason = unwritable_reason(folder)
    if reason:
        raise UsageError(f"{what} {folder} cannot be written: {reason}")


def check_target_file(path: Path, what: str) -> None:
    """UsageError, saying why, unless a file can be written at `path` (its folder
    created if missing)."""
    if path.is_dir():
        raise UsageError(f"{what} {path} is a folder, not a file")
    reason = unwritable_reason(path.parent)
    if reason:
        raise UsageError(f"{what} {path} cannot be written: {reason}")
