"""Helpers for the model tests: event batches made from a simulator database, no HTTP.

``Feed`` wraps the simulator's :class:`Database` (rows, relations and event
generations exactly as the served simulator has them) and hands out batches the
way ``event.from`` would: everything as ``add`` for a full load, then coalesced
changes since the last batch.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import pytest

from xsnap_gui.model.cache import ObjectCache
from xsnap_gui.simulator.coerce import NULL_REF
from xsnap_gui.simulator.db import NO_EVENTS, Database
from xsnap_gui.xapi.datamodel import Datamodel, load

DM = load()
GiB = 1 << 30
MiB = 1 << 20
T0 = dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC)


def event(db: Database, op: str, cls: str, ref: str) -> dict[str, Any]:
    ev: dict[str, Any] = {"id": "0", "timestamp": "0.0", "class": cls.lower(),
                          "operation": op, "ref": ref}
    if op != "del":
        ev["snapshot"] = dict(db.tables[cls][ref])
    return ev


class Feed:
    """event.from over a bare simulator database."""

    def __init__(self, db: Database | None = None, classes: Iterable[str] | None = None) -> None:
        self.db = db or Database(DM)
        self.classes = set(classes) if classes is not None else None
        self.generation = 0

    def wanted(self, cls: str, _ref: str) -> bool:
        return self.classes is None or cls in self.classes

    def full(self) -> list[dict[str, Any]]:
        with self.db.lock:
            self.generation = self.db.generation
            return [event(self.db, "add", cls, ref)
                    for cls, rows in self.db.tables.items() if cls not in NO_EVENTS
                    for ref in rows if self.wanted(cls, ref)]

    def since(self) -> list[dict[str, Any]]:
        with self.db.lock:
            changes, self.generation = self.db.changes_since(self.generation, self.wanted)
            return [event(self.db, op, cls, ref) for op, cls, ref in changes]

    def counts(self) -> dict[str, int]:
        return self.db.counts()


def snapshot_chain(db: Database, vm: str, specs: list[dict[str, Any]]) -> list[str]:
    """Snapshots of ``vm`` as dicts of: name, parent (index into the list or None),
    minutes (after T0), scheduled, memory, disks (physical bytes per owned disk)."""
    refs: list[str] = []
    for spec in specs:
        parent = spec.get("parent")
        parent_ref = refs[parent] if isinstance(parent, int) else NULL_REF
        suspend = NULL_REF
        if spec.get("memory"):
            suspend = db.create("VDI", {"type": "suspend",
                                        "physical_utilisation": spec.get("memory_bytes", GiB)})
        snap = db.create("VM", {
            "name_label": spec["name"], "is_a_snapshot": True, "is_a_template": True,
            "snapshot_of": vm, "parent": parent_ref,
            "snapshot_time": T0 + dt.timedelta(minutes=spec.get("minutes", len(refs))),
            "is_vmss_snapshot": bool(spec.get("scheduled")),
            "power_state": "Suspended" if spec.get("memory") else "Halted",
            "suspend_VDI": suspend,
        })
        for i, used in enumerate(spec.get("disks", [10 * MiB])):
            vdi = db.create("VDI", {"physical_utilisation": used, "virtual_size": 20 * GiB,
                                    "is_a_snapshot": True})
            db.create("VBD", {"VM": snap, "VDI": vdi, "type": "Disk", "userdevice": str(i),
                              "other_config": {"owner": ""}})
        db.create("VBD", {"VM": snap, "VDI": NULL_REF, "type": "CD", "empty": True})
        refs.append(snap)
    return refs


def new_vm(db: Database, name: str = "web-01", **fields: Any) -> str:
    return db.create("VM", {"name_label": name, "power_state": "Running", **fields})


def cache_equals_db(cache: ObjectCache, db: Database, classes: Iterable[str]) -> None:
    """Assert the cache holds exactly the database's objects, normalised alike."""
    norm = cache.normaliser
    for cls in classes:
        expected = {ref: norm.record(cls, dict(row)) for ref, row in db.all_records(cls).items()}
        got = dict(cache.records(cls))
        assert got.keys() == expected.keys(), cls
        for ref, rec in expected.items():
            for name in cache.skip_fields.get(cls, ()):
                rec.pop(name, None)
            assert got[ref] == rec, (cls, ref)


@pytest.fixture
def dm() -> Datamodel:
    return DM


@pytest.fixture
def feed() -> Feed:
    return Feed()


@pytest.fixture
def cache() -> ObjectCache:
    return ObjectCache(dm=DM)
