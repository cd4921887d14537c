"""The live object cache: every watched XenAPI object as a normalised record.

Records are the ``snapshot`` structs of ``event.from`` with their values
normalised as :class:`~xsnap_gui.xapi.values.Normaliser` does (ints, aware
datetimes, None for null refs, interned refs and enums). They are never
changed: an update replaces the whole record, so callers may hold on to a
record (or a view over it) as a consistent picture of the object at one moment.

Nobody may mutate a record or anything in it: to stay small (about 2 KiB per
object, 6 KiB per VM), records share their field names, short strings (map
keys and values, names) and the empty maps and lists most fields hold.

Changes are announced per applied batch, not per object or field: subscribers
get one :class:`Changes` with, per class, the refs added, modified and removed.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..xapi.datamodel import Datamodel, XType
from ..xapi.datamodel import load as load_datamodel
from ..xapi.values import Converter, Normaliser

log = logging.getLogger(__name__)

Record = dict[str, Any]
Subscriber = Callable[["Changes"], None]

_intern = sys.intern
_EMPTY: frozenset[str] = frozenset()
# Strings up to this length are interned: names, enum-like values, map keys and values
# repeat across thousands of records (a snapshot copies its VM's platform map, say).
_SHARED_TEXT = 64
# Most maps and sets are empty; every record shares these two instead of owning its own.
_EMPTY_MAP: dict[Any, Any] = {}
_EMPTY_LIST: list[Any] = []


def _text(value: Any) -> Any:
    if type(value) is str and len(value) <= _SHARED_TEXT:
        return _intern(value)
    return value


def _lean_map(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if not value:
        return _EMPTY_MAP
    return {_text(k): _text(v) for k, v in value.items()}


def _lean_list(value: Any) -> Any:
    if not isinstance(value, list):
        return value
    if not value:
        return _EMPTY_LIST
    return [_text(v) for v in value]


def _draining(events: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    """Yield the events of a list, emptying it from the front (in O(n) overall)."""
    events.reverse()
    while events:
        yield events.pop()


def _lean(xtype: XType, normalise: Converter | None) -> Converter | None:
    """The Normaliser's converter for ``xtype``, then sharing of strings and empty containers."""
    kind = xtype.kind
    if kind == "string":
        return _text
    if kind == "map":
        if normalise is None:
            return _lean_map
        return lambda value: _lean_map(normalise(value))
    if kind == "set":
        if normalise is None:
            return _lean_list
        return lambda value: _lean_list(normalise(value))
    return normalise


class ClassChanges:
    """The refs of one class added, modified and removed by one batch."""

    __slots__ = ("added", "modified", "removed")

    def __init__(self) -> None:
        self.added: set[str] = set()
        self.modified: set[str] = set()
        self.removed: set[str] = set()

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.removed)

    def __repr__(self) -> str:
        return (f"ClassChanges(added={len(self.added)}, modified={len(self.modified)}, "
                f"removed={len(self.removed)})")


class Changes:
    """What one applied batch (or a resync) changed, by canonical class name.

    ``removed_records`` keeps the last record of every removed object, so a
    listener can still tell which VM a vanished snapshot belonged to.
    ``resync`` is true when the batch came from a full reload.
    """

    __slots__ = ("by_class", "removed_records", "resync")

    def __init__(self, *, resync: bool = False) -> None:
        self.by_class: dict[str, ClassChanges] = {}
        self.removed_records: dict[str, Record] = {}
        self.resync = resync

    def of(self, cls: str) -> ClassChanges:
        """The changes of ``cls``, created empty on first use."""
        found = self.by_class.get(cls)
        if found is None:
            found = self.by_class[cls] = ClassChanges()
        return found

    def added(self, cls: str) -> frozenset[str] | set[str]:
        found = self.by_class.get(cls)
        return found.added if found is not None else _EMPTY

    def modified(self, cls: str) -> frozenset[str] | set[str]:
        found = self.by_class.get(cls)
        return found.modified if found is not None else _EMPTY

    def removed(self, cls: str) -> frozenset[str] | set[str]:
        found = self.by_class.get(cls)
        return found.removed if found is not None else _EMPTY

    def touched(self, cls: str) -> set[str]:
        """Every ref of ``cls`` that was added, modified or removed."""
        found = self.by_class.get(cls)
        if found is None:
            return set()
        return found.added | found.modified | found.removed

    def classes(self) -> set[str]:
        return {cls for cls, c in self.by_class.items() if c}

    def merge(self, later: Changes) -> None:
        """Fold a later batch into this one, as if both had been applied together."""
        for cls, c in later.by_class.items():
            for ref in c.added:
                self._note_put(cls, ref, existed=False)
            for ref in c.modified:
                self._note_put(cls, ref, existed=True)
            for ref in c.removed:
                self._note_removed(cls, ref, later.removed_records.get(ref))
        self.resync = self.resync or later.resync

    def _note_put(self, cls: str, ref: str, *, existed: bool) -> None:
        c = self.of(cls)
        if ref in c.removed:
            # Removed and back again within the batch: to a listener it changed.
            c.removed.discard(ref)
            self.removed_records.pop(ref, None)
            c.modified.add(ref)
        elif existed and ref not in c.added:
            c.modified.add(ref)
        else:
            c.added.add(ref)

    def _note_removed(self, cls: str, ref: str, old: Record | None) -> None:
        c = self.of(cls)
        if ref in c.added:
            # Came and went within the batch: listeners never saw it.
            c.added.discard(ref)
            return
        c.modified.discard(ref)
        c.removed.add(ref)
        if old is not None:
            self.removed_records[ref] = old

    def __bool__(self) -> bool:
        return any(self.by_class.values())

    def __repr__(self) -> str:
        inner = ", ".join(f"{cls}: {c!r}" for cls, c in self.by_class.items() if c)
        return f"Changes({inner}{', resync' if self.resync else ''})"


class PreparedBatch:
    """A batch normalised by :meth:`ObjectCache.prepare`: (class, operation, ref, record)."""

    __slots__ = ("items",)

    def __init__(self, items: list[tuple[str, str, str, Record | None]]) -> None:
        self.items = items

    def __len__(self) -> int:
        return len(self.items)


class LoadTables:
    """A full batch grouped into one table per class by :meth:`ObjectCache.tabulate`,
    ready for :meth:`ObjectCache.load`."""

    __slots__ = ("tables",)

    def __init__(self, tables: dict[str, dict[str, Record]]) -> None:
        self.tables = tables


class _FieldIndex:
    """Refs of one class by the value of one field (a ref or a string), kept up to date."""

    __slots__ = ("field", "refs")

    def __init__(self, field: str, table: Mapping[str, Record]) -> None:
        self.field = field
        self.refs: dict[Any, set[str]] = {}
        for ref, rec in table.items():
            self.add(ref, rec)

    def add(self, ref: str, rec: Record) -> None:
        value = rec.get(self.field)
        if value is not None:
            found = self.refs.get(value)
            if found is None:
                self.refs[value] = {ref}
            else:
                found.add(ref)

    def discard(self, ref: str, rec: Record) -> None:
        value = rec.get(self.field)
        found = self.refs.get(value) if value is not None else None
        if found is not None:
            found.discard(ref)
            if not found:
                del self.refs[value]


class ObjectCache:
    """Normalised records per class, fed by ``event.from`` batches.

    Class names are canonical (``VM``, ``VMSS``, ``host``, ``task``); the
    lowercase names of the wire are mapped through the datamodel. Reverse
    indexes (:meth:`referrers`, :meth:`by_uuid`) are built on first use and
    then maintained with every batch, so loading costs nothing for indexes
    nobody asks for.

    ``skip_fields`` names fields dropped from every record of a class, to keep
    memory down for big opaque values the application never reads.
    """

    def __init__(self, *, dm: Datamodel | None = None, normaliser: Normaliser | None = None,
                 skip_fields: Mapping[str, Iterable[str]] | None = None) -> None:
        self.dm = dm or (normaliser.dm if normaliser is not None else load_datamodel())
        self.normaliser = normaliser or Normaliser(self.dm)
        self.tables: dict[str, dict[str, Record]] = {}
        # Classes a full load has covered: an empty table for them means "none on the server".
        self.tracked: set[str] = set()
        self.skip_fields: dict[str, tuple[str, ...]] = {
            cls: tuple(fields) for cls, fields in (skip_fields or {}).items()
        }
        self._canonical: dict[str, str] = {}
        self._field_tables: dict[str, dict[str, tuple[str, Converter | None]]] = {}
        self._indexes: dict[str, dict[str, _FieldIndex]] = {}  # class -> field -> index
        self._uuids: dict[str, dict[str, str]] = {}
        self._subscribers: list[Subscriber] = []

    # --- names ----------------------------------------------------------------------

    def canonical(self, wire_class: str) -> str:
        """``vm`` → ``VM``, ``vmss`` → ``VMSS``; unknown names are kept as given."""
        found = self._canonical.get(wire_class)
        if found is None:
            cdef = self.dm.class_named(wire_class)
            found = _intern(cdef.name if cdef is not None else wire_class)
            self._canonical[wire_class] = found
        return found

    # --- reads ----------------------------------------------------------------------

    def get(self, cls: str, ref: str | None) -> Record | None:
        """The record of ``ref`` in ``cls``, or None (also for a None ref)."""
        if ref is None:
            return None
        table = self.tables.get(cls)
        return table.get(ref) if table is not None else None

    def records(self, cls: str) -> Mapping[str, Record]:
        """All records of ``cls`` by ref (read-only by contract)."""
        return self.tables.get(cls) or {}

    def count(self, cls: str) -> int:
        table = self.tables.get(cls)
        return len(table) if table is not None else 0

    def find(self, ref: str) -> tuple[str, Record] | None:
        """The class and record of a ref whose class is not known (e.g. a task's applies_to)."""
        for cls, table in self.tables.items():
            rec = table.get(ref)
            if rec is not None:
                return cls, rec
        return None

    def by_uuid(self, cls: str, uuid: str) -> str | None:
        """The ref of the ``cls`` object with this uuid, or None."""
        index = self._uuids.get(cls)
        if index is None:
            index = self._uuids[cls] = {
                rec["uuid"]: ref for ref, rec in self.records(cls).items() if "uuid" in rec
            }
        return index.get(uuid)

    def referrers(self, cls: str, field: str, value: Any) -> frozenset[str] | set[str]:
        """Refs of ``cls`` objects whose ``field`` equals ``value``.

        For example ``referrers("VDI", "SR", sr)``, ``referrers("message",
        "obj_uuid", vmss_uuid)`` or ``referrers("VBD", "VDI", vdi)``. The result
        is live; copy it before changing the cache.
        """
        per_class = self._indexes.setdefault(cls, {})
        index = per_class.get(field)
        if index is None:
            index = per_class[field] = _FieldIndex(field, self.records(cls))
        return index.refs.get(value, _EMPTY)

    # --- notifications --------------------------------------------------------------

    def subscribe(self, callback: Subscriber) -> Callable[[], None]:
        """Call ``callback(changes)`` after every batch that changed something.

        Returns a function that unsubscribes. A callback that raises is logged
        and does not stop the others.
        """
        self._subscribers.append(callback)

        def unsubscribe() -> None:
            if callback in self._subscribers:
                self._subscribers.remove(callback)

        return unsubscribe

    def _publish(self, changes: Changes) -> None:
        if not changes:
            return
        for callback in list(self._subscribers):
            try:
                callback(changes)
            except Exception:
                log.exception("cache subscriber %r failed", callback)

    # --- writes ---------------------------------------------------------------------

    def _fields(self, cls: str) -> dict[str, tuple[str, Converter | None]]:
        """Per field of ``cls``: its interned name and its converter (None: keep as is)."""
        table = self._field_tables.get(cls)
        if table is None:
            table = {}
            cdef = self.dm.class_named(cls)
            if cdef is not None:
                for name, f in cdef.fields.items():
                    table[name] = (_intern(name), _lean(f.type, self.normaliser.converter(f.type)))
            self._field_tables[cls] = table
        return table

    def _normalise(self, cls: str, snapshot: Record) -> Record:
        """A normalised copy of ``snapshot``, in one pass.

        The values are what ``Normaliser.record`` gives; the field names are
        interned as well (the XML-RPC decoder makes a fresh string for every
        struct member, about a third of a small record's memory). Building the
        new dict costs no more than converting in place.
        """
        lookup = self._fields(cls).get
        rec: Record = {}
        for name, value in snapshot.items():
            entry = lookup(name)
            if entry is None:
                rec[_intern(name)] = value  # a field this datamodel does not know: kept as is
            else:
                key, convert = entry
                rec[key] = value if convert is None else convert(value)
        for name in self.skip_fields.get(cls, ()):
            rec.pop(name, None)
        return rec

    def _put(self, cls: str, table: dict[str, Record], ref: str, rec: Record,
             old: Record | None) -> None:
        table[ref] = rec
        indexes = self._indexes.get(cls)
        if indexes:
            for index in indexes.values():
                if old is not None:
                    index.discard(ref, old)
                index.add(ref, rec)
        uuids = self._uuids.get(cls)
        if uuids is not None:
            old_uuid = old.get("uuid") if old is not None else None
            if old_uuid is not None and old_uuid != rec.get("uuid"):
                uuids.pop(old_uuid, None)
            if "uuid" in rec:
                uuids[rec["uuid"]] = ref

    def _drop(self, cls: str, table: dict[str, Record], ref: str) -> Record | None:
        old = table.pop(ref, None)
        if old is None:
            return None
        indexes = self._indexes.get(cls)
        if indexes:
            for index in indexes.values():
                index.discard(ref, old)
        uuids = self._uuids.get(cls)
        if uuids is not None and "uuid" in old:
            uuids.pop(old["uuid"], None)
        return old

    def prepare(self, events: Iterable[Mapping[str, Any]], *,
                consume: bool = False) -> PreparedBatch:
        """Normalise a batch ahead of :meth:`apply` or :meth:`load`.

        It touches no cached state, so it may run on a worker thread while the
        event loop (the UI) stays responsive; applying the result is then quick.
        With ``consume`` a list of events is emptied as it is read, so each raw
        record is freed once its normalised copy exists: a big load then never
        holds both forms of the whole pool at once.
        """
        if consume and isinstance(events, list):
            return PreparedBatch(list(self._items(_draining(events))))
        return PreparedBatch(list(self._items(events)))

    def _items(self, events: Iterable[Mapping[str, Any]] | PreparedBatch
               ) -> Iterable[tuple[str, str, str, Record | None]]:
        if isinstance(events, PreparedBatch):
            yield from events.items
            return
        prepare_event = self.prepare_event
        for ev in events:
            yield prepare_event(ev)

    def prepare_event(self, ev: Mapping[str, Any]) -> tuple[str, str, str, Record | None]:
        """One raw event as (class, operation, ref, normalised record or None).

        Pure and thread-safe like :meth:`prepare`. A decoder that calls it for
        each event as soon as the event is parsed, and keeps only the result,
        never holds the raw form of a whole pool: ``PreparedBatch(results)``
        then goes to :meth:`load` or :meth:`apply`.
        """
        cls = self.canonical(ev["class"])
        op = ev["operation"]
        snapshot = ev.get("snapshot") if op != "del" else None
        rec = self._normalise(cls, snapshot) if snapshot is not None else None
        return cls, op, _intern(ev["ref"]), rec

    def apply(self, events: Iterable[Mapping[str, Any]] | PreparedBatch) -> Changes:
        """Apply one incremental ``event.from`` batch; announce and return what changed.

        ``add``/``mod`` replace the record, ``del`` removes it. An ``add`` for a
        known ref counts as a modification and a ``mod`` for an unknown ref as an
        addition, so overlapping batches after a resync do no harm.
        """
        changes = Changes()
        tables = self.tables
        for cls, op, ref, rec in self._items(events):
            table = tables.get(cls)
            if table is None:
                table = tables[cls] = {}
            if op == "del":
                old = self._drop(cls, table, ref)
                if old is not None:
                    changes._note_removed(cls, ref, old)
                continue
            if rec is None:
                continue
            old = table.get(ref)
            self._put(cls, table, ref, rec, old)
            changes._note_put(cls, ref, existed=old is not None)
        self._publish(changes)
        return changes

    def tabulate(self, events: Iterable[Mapping[str, Any]] | PreparedBatch) -> LoadTables:
        """Group a full batch into per-class tables for :meth:`load`.

        Pure like :meth:`prepare`: a pool's worth of records is grouped on a worker
        thread, so :meth:`load` on the event loop only swaps tables in.
        """
        fresh: dict[str, dict[str, Record]] = {}
        for cls, op, ref, rec in self._items(events):
            if op == "del" or rec is None:
                continue
            table = fresh.get(cls)
            if table is None:
                table = fresh[cls] = {}
            table[ref] = rec
        return LoadTables(fresh)

    def load(self, events: Iterable[Mapping[str, Any]] | PreparedBatch | LoadTables,
             classes: Iterable[str] | None = None) -> Changes:
        """Replace the cache's content with a full ``event.from(classes, "", …)`` batch.

        ``classes`` are the classes the batch covers (wire or canonical names);
        their tables become exactly what the batch holds, and objects that are
        no longer there are announced as removed. Other classes are left alone.
        Without ``classes`` the batch is taken to cover every class it
        mentions and every class loaded before.
        """
        fresh = (events if isinstance(events, LoadTables) else self.tabulate(events)).tables
        canonical = self.canonical
        covered = ({canonical(c) for c in classes} if classes is not None
                   else set(fresh) | self.tracked)
        changes = Changes(resync=True)
        for cls in covered:
            new = fresh.get(cls, {})
            old = self.tables.get(cls, {})
            if old:
                c = changes.of(cls)
                for ref, rec in new.items():
                    before = old.get(ref)
                    if before is None:
                        c.added.add(ref)
                    elif before != rec:
                        c.modified.add(ref)
                for ref in old.keys() - new.keys():
                    c.removed.add(ref)
                    changes.removed_records[ref] = old[ref]
            elif new:
                changes.of(cls).added.update(new)
            self.tables[cls] = new
            self.tracked.add(cls)
            # Indexes of a reloaded class are rebuilt on their next use.
            self._indexes.pop(cls, None)
            self._uuids.pop(cls, None)
        self._publish(changes)
        return changes

    def clear(self) -> Changes:
        """Forget everything (e.g. when the user disconnects), announcing the removals."""
        return self.load((), classes=list(self.tables))

    # --- consistency ----------------------------------------------------------------

    def drift(self, valid_ref_counts: Mapping[str, Any]) -> set[str]:
        """Tracked classes whose object count differs from the server's ``valid_ref_counts``.

        The counts are keyed by lowercase table name; classes the server does
        not count (xapi does not count messages) are never reported.
        """
        lowered = {str(k).lower(): v for k, v in valid_ref_counts.items()}
        drifting = set()
        for cls in self.tracked:
            count = lowered.get(cls.lower())
            if count is not None and int(count) != self.count(cls):
                drifting.add(cls)
        return drifting
