"""The inputs: discovery of the files under the input folder, the judging of each entry
(regular file, link, FIFO...), their names as text, reading their bytes, hashing them and
the size they unpack to. The only module that opens input files; it never writes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsclean.stages.records import RawInput, Reject
from newsclean.stages.unpack import codec_of, unpacked_length


class InputError(ValueError):
    """The input path does not exist or cannot be listed."""


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
