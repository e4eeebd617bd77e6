"""Handing freed memory back to the system, after a step that built large transient data.

glibc's allocator keeps freed pages in the process for later allocations, and Arrow's
memory pool keeps its own; memory one step freed is then only reusable by allocations of
the same kind (Python's object arenas are mapped separately from malloc's heap), so a
step that comes after adds its own peak on top. `return_freed_memory` asks both to
release what they hold unused. It changes no value, only the process's resident size;
it is a no-op where glibc is not the C library.

`use_system_arrow_pool` makes Arrow allocate with the C library's malloc instead of its
bundled jemalloc: in the command, where ingest and publish read and write Parquet from
several threads, jemalloc kept what each shard's files had used, so the command grew with
the number of shards (20,000 documents in 200 shards: the command's peak 493 MB with
jemalloc, 327 MB with malloc; 4,000 in 40 shards: 389 and 209 MB, MALLOC_ARENA_MAX=2
alone 365 MB). The CPU is the same within the runs' noise (10k documents, A B B A).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import sys

ARROW_POOL_VARIABLE = "ARROW_DEFAULT_MEMORY_POOL"  # Arrow's own: "system", "jemalloc", "mimalloc"


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


def use_system_arrow_pool() -> None:
    """Arrow's default memory pool, in this process and the processes it starts: the
    system allocator, unless ARROW_DEFAULT_MEMORY_POOL already names one (the user's
    choice stands). Before pyarrow loads the variable is enough; after, the pool is set."""
    if os.environ.get(ARROW_POOL_VARIABLE):
        return
    os.environ[ARROW_POOL_VARIABLE] = "system"  # pyarrow reads it when it first allocates
    if "pyarrow" in sys.modules:
        import pyarrow as pa

        pa.set_memory_pool(pa.system_memory_pool())
