"""event.from and event.inject, with xapi's semantics.

A token is ``"%020d,%020d"`` (database generation, message generation); we use
one generation for both. Changes since a token are coalesced per object: an
object created since the token is an ``add`` even if modified too, an object
that existed and went away is a ``del`` without a snapshot, and one that came
and went in between is not reported.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from typing import Any

from ...xapi.gcpause import paused_gc
from ..call import Call
from ..db import NO_EVENTS
from ..errors import XapiError
from ..registry import implements
from ..wire import Int32

BATCH_DELAY = 0.05


def make_token(generation: int) -> str:
    return f"{generation:020d},{generation:020d}"


def parse_token(token: str) -> int | None:
    """The generation in a token; None for "" (from the beginning)."""
    if token == "":
        return None
    try:
        first = token.split(",", 1)[0]
        value = int(first)
    except ValueError:
        raise XapiError("EVENT_FROM_TOKEN_PARSE_FAILURE", token) from None
    if value < 0:
        raise XapiError("EVENT_FROM_TOKEN_PARSE_FAILURE", token)
    return value


def parse_subscription(call: Call, classes: list[str]) -> tuple[Callable[[str, str], bool], bool]:
    """A predicate over (class, ref), and whether only tasks are watched."""
    wildcard = False
    wanted_classes: set[str] = set()
    wanted_objects: set[tuple[str, str]] = set()
    for entry in classes:
        if entry == "*":
            wildcard = True
            continue
        name, _, ref = entry.partition("/")
        cdef = call.db.dm.class_named(name)
        if cdef is None or cdef.name not in call.db.tables or (ref == "" and "/" in entry):
            raise XapiError("EVENT_SUBSCRIPTION_PARSE_FAILURE", entry)
        if ref:
            wanted_objects.add((cdef.name, ref))
        else:
            wanted_classes.add(cdef.name)

    def wanted(cls: str, ref: str) -> bool:
        return wildcard or cls in wanted_classes or (cls, ref) in wanted_objects

    only_tasks = not wildcard and wanted_classes <= {"task"} and all(
        c == "task" for c, _ in wanted_objects
    )
    return wanted, only_tasks


def _event(call: Call, op: str, cls: str, ref: str) -> dict[str, Any]:
    db = call.db
    ev: dict[str, Any] = {
        "id": str(db.modified.get(ref, db.generation)),
        "timestamp": "0.0",
        "class": cls.lower(),
        "operation": op,
        "ref": ref,
    }
    if op != "del":
        ev["snapshot"] = dict(db.tables[cls][ref])
    return ev


def _events(call: Call, changes: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """The events of (operation, class, ref) changes, with a copy of each row.

    The collector is paused meanwhile: it would walk the whole database again and again
    while the copies are made (two thirds of the time for a 100,000-object pool).
    """
    with paused_gc():
        return [_event(call, op, cls, ref) for op, cls, ref in changes]


_ORDER = {"add": 1, "mod": 2, "del": 3}


@implements("event.from")
def event_from(call: Call, classes: list[str], token: str, timeout: float) -> dict[str, Any]:
    since = parse_token(token)
    wanted, only_tasks = parse_subscription(call, classes)
    db = call.db
    deadline = time.monotonic() + max(0.0, timeout)
    with db.lock:
        if since is None:
            everything = (
                ("add", cls, ref)
                for cls, rows in db.tables.items()
                if cls not in NO_EVENTS
                for ref in rows
                if wanted(cls, ref)
            )
            return _batch(call, _events(call, everything), db.generation)
        while True:
            changes, generation = db.changes_since(since, wanted)
            if changes:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0 or call.sim.stopping:
                return _batch(call, [], generation)
            db.changed.wait(min(remaining, 1.0))
            if call.session is not None and not db.exists("session", call.session):
                raise XapiError("SESSION_INVALID", call.session)
    if not only_tasks:
        # Let a burst of related changes land in one batch, as xapi does.
        time.sleep(BATCH_DELAY)
    with db.lock:
        changes, generation = db.changes_since(since, wanted)
        changes.sort(key=lambda c: (c[1] != "message", _ORDER[c[0]]))
        return _batch(call, _events(call, changes), generation)


def _batch(call: Call, events: list[dict[str, Any]], generation: int) -> dict[str, Any]:
    counts = {cls: Int32(n) for cls, n in call.db.counts().items()}
    return {"events": events, "valid_ref_counts": counts, "token": make_token(generation)}


@implements("event.inject")
def inject(call: Call, cls: str, ref: str) -> str:
    cdef = call.db.dm.class_named(cls)
    if cdef is None or not call.db.exists(cdef.name, ref):
        raise XapiError("HANDLE_INVALID", cls, ref)
    return make_token(call.db.touch(cdef.name, ref))


@implements("event.get_current_id")
def get_current_id(call: Call) -> int:
    return call.db.generation
