"""Generic server side of the implicit messages the datamodel declares for every class.

get_record, get_all, get_all_records, get_by_uuid, get_by_name_label,
get_<field>, set_<field>, add_to_<map>/remove_from_<map>, add_<set>/remove_<set>,
create and destroy. Class modules override any of them by registering a handler.
"""

from __future__ import annotations

from typing import Any

from ..xapi.datamodel import ClassDef
from .call import Call
from .coerce import from_wire
from .errors import XapiError, uuid_invalid

_ACCESSOR_PREFIXES = ("get_", "set_", "add_to_", "remove_from_", "add_", "remove_")
_WHOLE_TABLE = ("get_record", "get_all", "get_all_records", "get_by_uuid", "get_by_name_label",
                "create", "destroy")


def can_run(cdef: ClassDef, name: str) -> bool:
    """Whether ``name`` is a generic accessor of ``cdef``.

    Some accessors are declared explicit because xapi hand-writes them (for
    example VM.add_to_other_config, VMSS.set_last_run_time) while behaving
    like the generated ones; those are served here too unless a class module
    registers its own handler.
    """
    if name in _WHOLE_TABLE:
        return True
    for prefix in _ACCESSOR_PREFIXES:
        if name.startswith(prefix) and name[len(prefix):] in cdef.fields:
            return True
    return False


def run(call: Call, args: list[Any]) -> Any:
    m = call.message
    cls, name, db = m.cls, m.name, call.db
    cdef = db.classdef(cls)
    if name == "get_record":
        return db.record(cls, args[0])
    if name == "get_all":
        return db.all_refs(cls)
    if name == "get_all_records":
        return db.all_records(cls)
    if name == "get_by_uuid":
        ref = db.by_uuid(cls, args[0])
        if ref is None:
            raise uuid_invalid(cls, args[0])
        return ref
    if name == "get_by_name_label":
        return db.find(cls, name_label=args[0])
    if name == "create":
        return create(call, args[0])
    if name == "destroy":
        db.destroy(cls, args[0])
        return ""
    if name.startswith("get_") and name[4:] in cdef.fields:
        with db.lock:
            return db.get(cls, args[0], name[4:])
    if name.startswith("set_") and name[4:] in cdef.fields:
        db.set(cls, args[0], name[4:], args[1])
        return ""
    if name.startswith("add_to_") and name[7:] in cdef.fields:
        field = name[7:]
        with db.lock:
            current = db.get(cls, args[0], field)
            if args[1] in current:
                raise XapiError("MAP_DUPLICATE_KEY", cls, field, args[0], args[1])
            db.set(cls, args[0], field, {**current, args[1]: args[2]})
        return ""
    if name.startswith("remove_from_") and name[12:] in cdef.fields:
        db.map_remove(cls, args[0], name[12:], args[1])
        return ""
    if name.startswith("add_") and name[4:] in cdef.fields:
        field = name[4:]
        with db.lock:
            current = db.get(cls, args[0], field)
            if args[1] not in current:
                db.set(cls, args[0], field, [*current, args[1]])
        return ""
    if name.startswith("remove_") and name[7:] in cdef.fields:
        field = name[7:]
        with db.lock:
            current = db.get(cls, args[0], field)
            db.set(cls, args[0], field, [v for v in current if v != args[1]])
        return ""
    raise XapiError("NOT_IMPLEMENTED", m.wire_name)


def constructor_fields(call: Call, record: dict[str, Any]) -> dict[str, Any]:
    """Coerce a constructor record: writable and constructor fields only, keys case-insensitive."""
    cdef = call.db.classdef(call.message.cls)
    fields: dict[str, Any] = {}
    for key, value in record.items():
        f = cdef.field_named(str(key))
        if f is None or f.qualifier == "RO/runtime":
            continue
        fields[f.name] = from_wire(f.type, value, f.name, call.db.dm)
    return fields


def create(call: Call, record: dict[str, Any]) -> str:
    return call.db.create(call.message.cls, constructor_fields(call, record))
