"""Pausing the cyclic garbage collector while a big, acyclic structure is built.

Decoding or copying a pool's worth of records makes millions of containers, and
every 700 of them the collector runs; its older generations then walk the
whole heap over and over (measured: most of a 118,000-object ``event.from``
decode, and two thirds of building it on the simulator's side). None of those
containers can be cyclic garbage, so the collector is paused until the
structure is finished and then resumes where it was. Reference counting frees
memory as usual meanwhile.

Pauses nest and may overlap across threads: the collector resumes when the
last one ends, and only if it was enabled when the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_gc"]


class _Pauses:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.depth = 0
        self.resume = False


_pauses = _Pauses()


@contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic garbage collection inside the ``with`` block (see the module doc)."""
    with _pauses.lock:
        if _pauses.depth == 0:
            _pauses.resume = gc.isenabled()
            gc.disable()
        _pauses.depth += 1
    try:
        yield
    finally:
        with _pauses.lock:
            _pauses.depth -= 1
            if _pauses.depth == 0 and _pauses.resume:
                gc.enable()
