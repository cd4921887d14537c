"""Helpers for UI tests over simulated pools: feeding a session's cache, and qasync.

``DbFeed`` hands a :class:`PoolSession`'s cache the batches ``event.from``
would, straight from a simulator database (no HTTP, no event loop): quick and
deterministic for model tests. ``until`` and ``run`` drive a qasync loop for
tests that talk to a served simulator.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from xsnap_gui.model.sync import CONNECTED, DEFAULT_CLASSES, SyncState
from xsnap_gui.simulator.api import load_tables
from xsnap_gui.simulator.core import Simulator
from xsnap_gui.simulator.db import NO_EVENTS, Database
from xsnap_gui.ui.event_loop import run_until_done
from xsnap_gui.ui.pool_session import PoolSession, ServerSpec

USER, PASSWORD = "root", "xsnap"


def generated(spec: str, seed: int = 1) -> Simulator:
    """A generated pool in a bare simulator (not served)."""
    sim = Simulator()
    load_tables(sim, None, spec, seed)
    return sim


class DbFeed:
    """event.from over a simulator database, into one session's cache."""

    def __init__(self, db: Database, session: PoolSession) -> None:
        self.db = db
        self.session = session
        self.generation = 0
        self.classes = {c.lower() for c in DEFAULT_CLASSES}

    def _event(self, op: str, cls: str, ref: str) -> dict[str, Any]:
        ev: dict[str, Any] = {"class": cls.lower(), "operation": op, "ref": ref}
        if op != "del":
            ev["snapshot"] = dict(self.db.tables[cls][ref])
        return ev

    def _wanted(self, cls: str, _ref: str) -> bool:
        return cls.lower() in self.classes and cls not in NO_EVENTS

    def load(self) -> None:
        """A full load (what a connection or a resync does)."""
        with self.db.lock:
            self.generation = self.db.generation
            events = [self._event("add", cls, ref) for cls, rows in self.db.tables.items()
                      if self._wanted(cls, "") for ref in rows]
        self.session.cache.load(events, classes=list(DEFAULT_CLASSES))

    def step(self) -> int:
        """Apply what changed since the last batch; returns the number of events."""
        with self.db.lock:
            changes, self.generation = self.db.changes_since(self.generation, self._wanted)
            events = [self._event(op, cls, ref) for op, cls, ref in changes]
        if events:
            self.session.cache.apply(events)
        return len(events)


def offline_session(name: str = "lab", url: str = "http://127.0.0.1:9") -> PoolSession:
    """A session that is never started; tests feed its cache and set its state."""
    return PoolSession(ServerSpec(name, url, USER, PASSWORD, allow_plain_http=True))


def set_state(session: PoolSession, state: SyncState) -> None:
    """Announce a sync state as the running sync would."""
    session.sync.state = state
    session._on_state(state)


def connected(session: PoolSession) -> None:
    set_state(session, SyncState(CONNECTED))


async def until(predicate: Callable[[], bool], timeout: float = 15.0,
                interval: float = 0.02) -> None:
    """Wait on the running loop until ``predicate()`` holds; TimeoutError after ``timeout``."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(interval)


def run(loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any],
        timeout: float = 30.0) -> Any:
    return run_until_done(loop, asyncio.wait_for(coro, timeout))


class LoopDriver:
    """A live UI test's waits, all on its qasync loop (the Qt events run only there)."""

    wait_timeout = 30.0
    settle_seconds = 0.2

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop

    def run(self, coro: Coroutine[Any, Any, Any], timeout: float = 60.0) -> Any:
        return run(self.loop, coro, timeout)

    def wait(self, predicate: Callable[[], Any], timeout: float | None = None) -> None:
        limit = self.wait_timeout if timeout is None else timeout
        self.run(until(predicate, limit), limit + 10)

    def settle(self, seconds: float | None = None) -> None:
        """Let queued events, timers and coalesced refreshes run."""
        self.run(asyncio.sleep(self.settle_seconds if seconds is None else seconds))

    def off_loop(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Call something blocking (the SDK) on a thread while the loop keeps running."""
        async def call() -> Any:
            return await asyncio.get_running_loop().run_in_executor(None, fn, *args)
        return self.run(call())
