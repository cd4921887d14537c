"""Typed values: datamodel defaults, and wire arguments coerced to their declared types.

xapi's unmarshalling accepts ints as strings, floats as ints or numeric strings,
datetimes as strings, and matches enum values case-insensitively. We do the
same, and answer FIELD_TYPE_ERROR [name] for anything else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..xapi.datamodel import Datamodel, Field, XType
from .errors import XapiError
from .wire import WireError, parse_datetime

NULL_REF = "OpaqueRef:NULL"
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def zero(t: XType, dm: Datamodel) -> Any:
    kind = t.kind
    if kind == "string":
        return ""
    if kind == "int":
        return 0
    if kind == "float":
        return 0.0
    if kind == "bool":
        return False
    if kind == "datetime":
        return EPOCH
    if kind == "ref":
        return NULL_REF
    if kind == "enum":
        values = dm.enums.get(t.name, ())
        return values[0] if values else ""
    if kind == "set":
        return []
    if kind in ("map", "record"):
        return {}
    return ""


def default_value(f: Field, dm: Datamodel) -> Any:
    """The value a field takes when a constructor leaves it out."""
    text = f.default
    t = f.type
    if text is None:
        return zero(t, dm)
    try:
        if t.kind == "string":
            return text[1:-1] if text.startswith('"') and text.endswith('"') else text
        if t.kind == "int":
            return int(text)
        if t.kind == "float":
            return float(text)
        if t.kind == "bool":
            return text == "true"
        if t.kind == "datetime":
            return parse_datetime(text)
        if t.kind == "ref":
            return NULL_REF if text == "Null" else text
        if t.kind == "enum":
            return text
        if t.kind == "map" and text.startswith("{"):
            result: dict[str, str] = {}
            for pair in text[1:-1].split(", "):
                if " -> " in pair:
                    k, v = pair.split(" -> ", 1)
                    result[k.strip('"')] = v.strip('"')
            return result
    except (ValueError, WireError):
        pass
    return zero(t, dm)


def from_wire(t: XType, value: Any, name: str, dm: Datamodel) -> Any:
    """Coerce a decoded wire value to ``t``. Raises FIELD_TYPE_ERROR [name]."""
    kind = t.kind
    try:
        if kind == "string" or kind == "ref":
            if isinstance(value, str):
                return value
        elif kind == "int":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, int):
                return int(value)
            if isinstance(value, str):
                return int(value.strip())
        elif kind == "float":
            if isinstance(value, bool):
                raise ValueError
            if isinstance(value, (int, float)):
                return float(value)
            if isinstance(value, str):
                return float(value.strip())
        elif kind == "bool":
            if isinstance(value, bool):
                return value
            # JSON-RPC clients may send lowercase strings; XML-RPC must use <boolean>.
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
        elif kind == "datetime":
            if isinstance(value, dt.datetime):
                return value
            if isinstance(value, str):
                return parse_datetime(value)
        elif kind == "enum":
            if isinstance(value, str):
                for candidate in dm.enums.get(t.name, ()):
                    if candidate.lower() == value.lower():
                        return candidate
                raise ValueError(value)
        elif kind == "set":
            if isinstance(value, (list, tuple)):
                assert t.elem is not None
                return [from_wire(t.elem, v, name, dm) for v in value]
        elif kind == "map":
            if isinstance(value, dict):
                assert t.key is not None and t.elem is not None
                return {
                    from_wire(t.key, k, name, dm): from_wire(t.elem, v, name, dm)
                    for k, v in value.items()
                }
        elif kind == "record":
            if isinstance(value, dict):
                return value
        else:
            return value
    except (ValueError, WireError, AssertionError):
        pass
    raise XapiError("FIELD_TYPE_ERROR", name)
