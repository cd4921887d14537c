"""message: alerts. They are explicit messages in the datamodel, unlike other classes' getters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..call import Call
from ..errors import XapiError, uuid_invalid
from ..registry import implements


def raise_message(call_or_sim: Any, name: str, priority: int, cls: str, obj_uuid: str,
                  body: str) -> str:
    """Create an alert the way xapi's own code does (no RBAC, no session)."""
    sim = getattr(call_or_sim, "sim", call_or_sim)
    return str(sim.db.create(
        "message",
        {"name": name, "priority": priority, "cls": cls, "obj_uuid": obj_uuid,
         "timestamp": sim.now(), "body": body},
    ))


@implements("message.create")
def create(call: Call, name: str, priority: int, cls: str, obj_uuid: str, body: str) -> str:
    table = call.db.dm.class_named(cls)
    if table is None or call.db.by_uuid(table.name, obj_uuid) is None:
        raise uuid_invalid(cls, obj_uuid)
    return raise_message(call, name, priority, cls, obj_uuid, body)


@implements("message.destroy")
def destroy(call: Call, self_ref: str) -> str:
    call.db.destroy("message", self_ref)
    return ""


@implements("message.destroy_many")
def destroy_many(call: Call, messages: list[str]) -> str:
    with call.db.lock:
        for ref in messages:
            call.db.row("message", ref)
        for ref in messages:
            call.db.destroy("message", ref)
    return ""


@implements("message.get_all")
def get_all(call: Call) -> list[str]:
    return call.db.all_refs("message")


@implements("message.get_all_records")
def get_all_records(call: Call) -> dict[str, dict[str, Any]]:
    return call.db.all_records("message")


@implements("message.get_record")
def get_record(call: Call, self_ref: str) -> dict[str, Any]:
    return call.db.record("message", self_ref)


@implements("message.get_by_uuid")
def get_by_uuid(call: Call, uuid: str) -> str:
    ref = call.db.by_uuid("message", uuid)
    if ref is None:
        raise uuid_invalid("message", uuid)
    return ref


@implements("message.get_since")
def get_since(call: Call, since: dt.datetime) -> dict[str, dict[str, Any]]:
    since_utc = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    return {
        ref: rec for ref, rec in call.db.all_records("message").items()
        if rec["timestamp"] > since_utc
    }


@implements("message.get")
def get(call: Call, cls: str, obj_uuid: str, since: dt.datetime) -> dict[str, dict[str, Any]]:
    since_utc = since if since.tzinfo else since.replace(tzinfo=dt.UTC)
    return {
        ref: rec for ref, rec in call.db.all_records("message").items()
        if rec["cls"] == cls and rec["obj_uuid"] == obj_uuid and rec["timestamp"] > since_utc
    }


@implements("message.get_all_records_where")
def get_all_records_where(call: Call, expr: str) -> dict[str, dict[str, Any]]:
    # Only the forms clients use: 'true', and field="value" joined by 'and'.
    records = call.db.all_records("message")
    text = expr.strip()
    if text.lower() == "true":
        return records
    clauses = []
    for part in text.split(" and "):
        field, sep, value = part.partition("=")
        if not sep:
            raise XapiError("INTERNAL_ERROR", f"cannot parse expression {expr!r}")
        clauses.append((field.strip(), value.strip().strip('"')))
    return {
        ref: rec for ref, rec in records.items()
        if all(str(rec.get(f, "")) == v for f, v in clauses)
    }
