"""Memory the build's objects take and give back: Python's cycle collector and the C heap.

- :func:`collection_paused`: the merge makes millions of objects that all live on (terms, facts);
  each time their number grows by a quarter, Python's cycle collector walks every one of them,
  2-3 s of a 1M-triple load. Paused there, and the survivors then set aside
  (``gc.freeze``: later collections skip them) until the build ends.
- :func:`return_freed_memory`: what a worker thread freed stays in that thread's C heap.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
from collections.abc import Iterator

__all__ = ["collection_paused", "return_freed_memory", "set_aside"]


@contextlib.contextmanager
def collection_paused() -> Iterator[None]:
    """No cycle collection inside the block (as the caller had it afterwards); reference counting still frees."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def set_aside() -> Iterator[None]:
    """Collect once, then keep every object alive now out of the cycle collector's walks until the block
    ends (``gc.freeze``; ``gc.unfreeze`` after, so that nothing is kept that could be collected)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def return_freed_memory() -> None:
    """Hand the memory freed so far back to the operating system, where the C library can (glibc).

    glibc gives each thread its own heap (arena): what a worker thread allocated and has freed (the
    engines' copy of the data, 350 MB at 1M triples) stays in its arena, out of the main thread's
    reach, and the process grows past it. ``malloc_trim`` returns the free pages of every arena.
    """
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # another C library (musl, macOS): nothing to trim this way
        pass
