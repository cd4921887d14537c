"""Running a qasync loop until one awaitable is done.

qasync's ``run_until_complete`` pumps Qt events once more after the loop has
stopped. A task woken in that pump (the pool sync, when its ``event.from``
answer arrives just then) runs with no running loop, fails in
``asyncio.get_running_loop()`` and ends the sync with "no running event loop".
:func:`run_until_done` stops the loop from the awaitable's own completion and
pumps nothing afterwards.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

T = TypeVar("T")


def run_until_done(loop: asyncio.AbstractEventLoop, awaitable: Awaitable[T]) -> T:
    """Run ``loop`` until ``awaitable`` is done and return its result (or raise its error)."""
    future = asyncio.ensure_future(awaitable, loop=loop)
    future.add_done_callback(lambda _done: loop.stop())
    loop.run_forever()
    if not future.done():
        # Someone else's loop.stop() ended the run: say so, as run_until_complete does.
        raise RuntimeError("the event loop stopped before the awaitable finished")
    return future.result()
