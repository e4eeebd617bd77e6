"""Handing freed memory back to the system, after a step that built large transient data.

glibc's allocator keeps freed pages in the process for later allocations, and Arrow's
memory pool keeps its own; memory one step freed is then only reusable by allocations of
the same kind (Python's object arenas are mapped separately from malloc's heap), so a
step that comes after adds its own peak on top. `return_freed_memory` asks both to
release what they hold unused. It changes no value, only the process's resident size;
it is a no-op where glibc is not the C library.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys


def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None
    return libc if hasattr(libc, "malloc_trim") else None


_LIBC = _glibc()


def return_freed_memory(arrow: bool = False) -> None:
    """Release malloc's free pages (malloc_trim) and, with `arrow`, those of Arrow's
    default memory pool."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)
    if arrow:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
