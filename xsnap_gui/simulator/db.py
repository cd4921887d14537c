"""The simulator's object database: typed rows, two-way relations and event generations.

Rows are plain dicts of typed values. A stored value is never mutated in
place, only replaced, so a shallow copy taken under the lock can be encoded
after the lock is released.
"""

from __future__ import annotations

import itertools
import threading
import uuid as uuidlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from ..xapi.datamodel import ClassDef, Datamodel
from .coerce import default_value
from .errors import XapiError, handle_invalid

# (class holding the ref, ref field, class holding the set, set field), after
# xapi's datamodel ``all_relations``. The set side is maintained by the database.
RELATIONS: tuple[tuple[str, str, str, str], ...] = (
    ("VM", "snapshot_of", "VM", "snapshots"),
    ("VM", "parent", "VM", "children"),
    ("VM", "snapshot_schedule", "VMSS", "VMs"),
    ("VM", "protection_policy", "VMPP", "VMs"),
    ("VM", "appliance", "VM_appliance", "VMs"),
    ("VM", "resident_on", "host", "resident_VMs"),
    ("VBD", "VM", "VM", "VBDs"),
    ("VBD", "VDI", "VDI", "VBDs"),
    ("VIF", "VM", "VM", "VIFs"),
    ("VIF", "network", "network", "VIFs"),
    ("VDI", "SR", "SR", "VDIs"),
    ("VDI", "snapshot_of", "VDI", "snapshots"),
    ("PBD", "SR", "SR", "PBDs"),
    ("PBD", "host", "host", "PBDs"),
    ("PIF", "host", "host", "PIFs"),
    ("PIF", "network", "network", "PIFs"),
    ("task", "subtask_of", "task", "subtasks"),
    ("crashdump", "VM", "VM", "crash_dumps"),
    ("VTPM", "VM", "VM", "VTPMs"),
    ("VUSB", "VM", "VM", "VUSBs"),
    ("VGPU", "VM", "VM", "VGPUs"),
    ("console", "VM", "VM", "consoles"),
    ("host_crashdump", "host", "host", "crashdumps"),
    ("host_patch", "host", "host", "patches"),
    ("host_cpu", "host", "host", "host_CPUs"),
)

# Classes that are not database tables in xapi.
NOT_TABLES = frozenset(
    {"event", "auth", "user", "data_source", "sr_stat", "probe_result", "vdi_nbd_server_info",
     "LVHD", "Caller", "Rate_limit"}
)
# Tables whose changes xapi does not report through event.from.
NO_EVENTS = frozenset({"session"})


@dataclass(frozen=True)
class Relation:
    one_cls: str
    one_field: str
    many_cls: str
    many_field: str


@dataclass
class Deletion:
    generation: int
    cls: str
    ref: str
    created: int


class Database:
    """All objects of one simulated pool, guarded by one lock.

    ``generation`` grows with every change; each row remembers the generation
    that created it and the last that modified it, which is what event.from
    needs to coalesce changes since a token.
    """

    def __init__(self, dm: Datamodel) -> None:
        self.dm = dm
        self.lock = threading.RLock()
        self.changed = threading.Condition(self.lock)
        self.generation = 0
        self.tables: dict[str, dict[str, dict[str, Any]]] = {
            name: {} for name in dm.classes if name not in NOT_TABLES
        }
        self.created: dict[str, int] = {}
        self.modified: dict[str, int] = {}
        self.class_of: dict[str, str] = {}
        self.deletions: list[Deletion] = []
        # (generation, ref) per change, newest last, so event.from reads only recent changes.
        self.log: list[tuple[int, str]] = []
        self.uuids: dict[str, dict[str, str]] = {name: {} for name in self.tables}
        # Raw attributes from a loaded dump that the datamodel does not know.
        self.extra_fields: dict[str, dict[str, dict[str, str]]] = {}
        self.extra_tables: dict[str, dict[str, dict[str, str]]] = {}
        self.manifest: list[tuple[str, str]] = []
        self._ref_counter = itertools.count(1)
        self.ref_fields: dict[str, list[Relation]] = {}
        self.set_fields: dict[str, dict[str, Relation]] = {}
        for one_cls, one_field, many_cls, many_field in RELATIONS:
            c1, c2 = dm.classes.get(one_cls), dm.classes.get(many_cls)
            if c1 is None or c2 is None:
                continue
            if one_field not in c1.fields or many_field not in c2.fields:
                continue
            rel = Relation(one_cls, one_field, many_cls, many_field)
            self.ref_fields.setdefault(one_cls, []).append(rel)
            self.set_fields.setdefault(many_cls, {})[many_field] = rel
        self._listeners: list[Callable[[str, str, str], None]] = []

    # --- identities ---------------------------------------------------------------

    def new_ref(self) -> str:
        return f"OpaqueRef:{uuidlib.uuid4()}"

    @staticmethod
    def new_uuid() -> str:
        return str(uuidlib.uuid4())

    def classdef(self, cls: str) -> ClassDef:
        return self.dm.classes[cls]

    # --- reads --------------------------------------------------------------------

    def exists(self, cls: str, ref: str) -> bool:
        return ref in self.tables.get(cls, {})

    def row(self, cls: str, ref: str) -> dict[str, Any]:
        """The live row. Raises HANDLE_INVALID [cls, ref] when there is none."""
        try:
            return self.tables[cls][ref]
        except KeyError:
            raise handle_invalid(cls, ref) from None

    def get(self, cls: str, ref: str, field: str) -> Any:
        return self.row(cls, ref)[field]

    def record(self, cls: str, ref: str) -> dict[str, Any]:
        """A snapshot of the row, safe to encode outside the lock."""
        with self.lock:
            return dict(self.row(cls, ref))

    def all_refs(self, cls: str) -> list[str]:
        with self.lock:
            return list(self.tables[cls])

    def all_records(self, cls: str) -> dict[str, dict[str, Any]]:
        with self.lock:
            return {ref: dict(row) for ref, row in self.tables[cls].items()}

    def rows(self, cls: str) -> Iterator[tuple[str, dict[str, Any]]]:
        """Iterate live rows; the caller holds the lock."""
        return iter(list(self.tables[cls].items()))

    def find(self, cls: str, **criteria: Any) -> list[str]:
        with self.lock:
            return [
                ref
                for ref, row in self.tables[cls].items()
                if all(row.get(k) == v for k, v in criteria.items())
            ]

    def by_uuid(self, cls: str, uuid: str) -> str | None:
        return self.uuids[cls].get(uuid)

    # --- writes -------------------------------------------------------------------

    def _bump(self) -> int:
        self.generation += 1
        return self.generation

    def _touch(self, ref: str) -> None:
        self.modified[ref] = self.generation
        self.log.append((self.generation, ref))

    def create(self, cls: str, fields: dict[str, Any], ref: str | None = None) -> str:
        """Add a row, filling defaults, a uuid and the set side of its relations."""
        cdef = self.dm.classes[cls]
        with self.lock:
            ref = ref or self.new_ref()
            if ref in self.class_of:
                raise XapiError("INTERNAL_ERROR", f"duplicate reference {ref}")
            row: dict[str, Any] = {}
            for name, f in cdef.fields.items():
                row[name] = fields[name] if name in fields else default_value(f, self.dm)
            if "uuid" in cdef.fields and not row.get("uuid"):
                row["uuid"] = self.new_uuid()
            # Set sides are derived from the other end, never taken from the caller.
            for many_field in self.set_fields.get(cls, {}):
                row[many_field] = []
            gen = self._bump()
            self.tables[cls][ref] = row
            self.class_of[ref] = cls
            self.created[ref] = gen
            self._touch(ref)
            if "uuid" in row:
                self.uuids[cls][row["uuid"]] = ref
            for rel in self.ref_fields.get(cls, ()):
                self._link(rel, ref, row[rel.one_field])
            self.changed.notify_all()
        self._notify(cls, ref, "add")
        return ref

    def bulk_load(self, tables: dict[str, dict[str, dict[str, Any]]]) -> None:
        """Load many rows at once (from a dump or a generator), then rebuild relations."""
        with self.lock:
            gen = self._bump()
            for cls, rows in tables.items():
                if cls not in self.tables:
                    continue
                cdef = self.dm.classes[cls]
                defaults = {n: default_value(f, self.dm) for n, f in cdef.fields.items()}
                table = self.tables[cls]
                for ref, fields in rows.items():
                    row = {n: fields.get(n, d) for n, d in defaults.items()}
                    if "uuid" in row and not row["uuid"]:
                        row["uuid"] = self.new_uuid()
                    table[ref] = row
                    self.class_of[ref] = cls
                    self.created[ref] = gen
                    self._touch(ref)
                    if "uuid" in row:
                        self.uuids[cls][row["uuid"]] = ref
            self.rebuild_relations()
            self.changed.notify_all()

    def rebuild_relations(self) -> None:
        """Recompute every set side from the ref sides."""
        with self.lock:
            for cls, fields in self.set_fields.items():
                for row in self.tables[cls].values():
                    for many_field in fields:
                        row[many_field] = []
            for cls, rels in self.ref_fields.items():
                for ref, row in self.tables[cls].items():
                    for rel in rels:
                        target = row.get(rel.one_field)
                        other = self.tables[rel.many_cls].get(target) if target else None
                        if other is not None:
                            other[rel.many_field].append(ref)

    def _link(self, rel: Relation, ref: str, target: Any) -> None:
        other = self.tables[rel.many_cls].get(target) if isinstance(target, str) else None
        if other is not None and ref not in other[rel.many_field]:
            other[rel.many_field] = [*other[rel.many_field], ref]
            self._touch(target)

    def _unlink(self, rel: Relation, ref: str, target: Any) -> None:
        other = self.tables[rel.many_cls].get(target) if isinstance(target, str) else None
        if other is not None and ref in other[rel.many_field]:
            other[rel.many_field] = [r for r in other[rel.many_field] if r != ref]
            self._touch(target)

    def set(self, cls: str, ref: str, field: str, value: Any) -> None:
        """Replace a field's value, keeping relations in step."""
        with self.lock:
            row = self.row(cls, ref)
            old = row.get(field)
            self._bump()
            row[field] = value
            self._touch(ref)
            for rel in self.ref_fields.get(cls, ()):
                if rel.one_field == field and old != value:
                    self._unlink(rel, ref, old)
                    self._link(rel, ref, value)
            if field == "uuid":
                self.uuids[cls].pop(str(old), None)
                self.uuids[cls][value] = ref
            self.changed.notify_all()
        self._notify(cls, ref, "mod")

    def update(self, cls: str, ref: str, **fields: Any) -> None:
        """Set several fields as one change (one generation)."""
        with self.lock:
            row = self.row(cls, ref)
            self._bump()
            for field, value in fields.items():
                old = row.get(field)
                row[field] = value
                for rel in self.ref_fields.get(cls, ()):
                    if rel.one_field == field and old != value:
                        self._unlink(rel, ref, old)
                        self._link(rel, ref, value)
            self._touch(ref)
            self.changed.notify_all()
        self._notify(cls, ref, "mod")

    def map_put(self, cls: str, ref: str, field: str, key: str, value: Any) -> None:
        with self.lock:
            self.set(cls, ref, field, {**self.row(cls, ref)[field], key: value})

    def map_remove(self, cls: str, ref: str, field: str, key: str) -> None:
        with self.lock:
            current = self.row(cls, ref)[field]
            if key in current:
                self.set(cls, ref, field, {k: v for k, v in current.items() if k != key})

    def touch(self, cls: str, ref: str) -> int:
        """Mark a row modified without changing it (event.inject). Returns the generation before."""
        with self.lock:
            self.row(cls, ref)
            before = self.generation
            self._bump()
            self._touch(ref)
            self.changed.notify_all()
        self._notify(cls, ref, "mod")
        return before

    def destroy(self, cls: str, ref: str) -> None:
        """Remove a row. Rows that point at it keep the dangling ref, as in xapi."""
        with self.lock:
            row = self.row(cls, ref)
            gen = self._bump()
            for rel in self.ref_fields.get(cls, ()):
                self._unlink(rel, ref, row.get(rel.one_field))
            del self.tables[cls][ref]
            del self.class_of[ref]
            created = self.created.pop(ref, 0)
            self.modified.pop(ref, None)
            if "uuid" in row:
                self.uuids[cls].pop(row["uuid"], None)
            self.extra_fields.get(cls, {}).pop(ref, None)
            self.deletions.append(Deletion(gen, cls, ref, created))
            self.changed.notify_all()
        self._notify(cls, ref, "del")

    # --- listeners (in-process observers such as the scheduler) -----------------

    def add_listener(self, listener: Callable[[str, str, str], None]) -> None:
        self._listeners.append(listener)

    def _notify(self, cls: str, ref: str, op: str) -> None:
        for listener in self._listeners:
            listener(cls, ref, op)

    # --- event support ------------------------------------------------------------

    def changes_since(
        self, generation: int, wanted: Callable[[str, str], bool]
    ) -> tuple[list[tuple[str, str, str]], int]:
        """Coalesced (op, cls, ref) changes after ``generation``, and the current generation.

        An object created since then is an ``add`` even if also modified; an
        object created and deleted since then is not reported at all.
        """
        with self.lock:
            changes: list[tuple[str, str, str]] = []
            seen: set[str] = set()
            for gen, ref in reversed(self.log):
                if gen <= generation:
                    break
                if ref in seen:
                    continue
                seen.add(ref)
                cls = self.class_of.get(ref)
                if cls is None or cls in NO_EVENTS or not wanted(cls, ref):
                    continue
                op = "add" if self.created[ref] > generation else "mod"
                changes.append((op, cls, ref))
            self._compact_log()
            for d in reversed(self.deletions):
                if d.generation <= generation:
                    break
                if d.created <= generation and d.cls not in NO_EVENTS and wanted(d.cls, d.ref):
                    changes.append(("del", d.cls, d.ref))
            return changes, self.generation

    def _compact_log(self) -> None:
        # Keep one entry per live object once the log has grown well past that.
        if len(self.log) > 4 * len(self.modified) + 1024:
            self.log = sorted((gen, ref) for ref, gen in self.modified.items())

    def counts(self) -> dict[str, int]:
        with self.lock:
            return {cls.lower(): len(rows) for cls, rows in self.tables.items()}

    def iter_all(self, classes: Iterable[str]) -> Iterator[tuple[str, str]]:
        for cls in classes:
            for ref in list(self.tables.get(cls, {})):
                yield cls, ref
