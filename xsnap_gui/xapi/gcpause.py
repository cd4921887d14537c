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

A pause with ``freeze=True`` builds something that lives long (a pool's records):
when the last pause ends, every object then alive moves to the collector's
permanent generation (``gc.freeze``). Otherwise the millions of new containers
would be walked by the next young collections and then by every full one, each a
stall of hundreds of milliseconds for whichever thread triggers it, the UI's
included, since the collector holds the GIL. Frozen objects are still freed by
reference counting; only cyclic garbage alive at that moment is never reclaimed,
a bounded one-time cost per load.
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
        self.freeze = False


_pauses = _Pauses()


@contextmanager
def paused_gc(*, freeze: bool = False) -> Iterator[None]:
    """No cyclic garbage collection inside the ``with`` block; with ``freeze``, what is
    alive when the last pause ends is left out of later collections (see the module doc)."""
    with _pauses.lock:
        if _pauses.depth == 0:
            _pauses.resume = gc.isenabled()
            _pauses.freeze = False
            gc.disable()
        _pauses.depth += 1
    try:
        yield
        if freeze:
            _pauses.freeze = True  # only a block that finished: a failed load is garbage
    finally:
        with _pauses.lock:
            _pauses.depth -= 1
            if _pauses.depth == 0:
                if _pauses.freeze:
                    gc.freeze()
                    _pauses.freeze = False
                if _pauses.resume:
                    gc.enable()
