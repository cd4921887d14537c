"""Normalising XenAPI values once, at the edge of the client.

XML-RPC gives 64-bit ints as strings, datetimes as ``xmlrpc.client.DateTime``
with a trailing ``Z`` that the stdlib cannot parse, and null refs as
``OpaqueRef:NULL``. Everything above the client sees ints, aware UTC datetimes
(naive ones for server-local times, which carry no ``Z``), and ``None``.

Per class we precompute which fields need converting, so a record costs one
dict lookup per field that needs work and nothing for plain strings and bools.
"""

from __future__ import annotations

import datetime as dt
import sys
import xmlrpc.client
from collections.abc import Callable
from typing import Any

from .datamodel import Datamodel, XType, load, parse_type

NULL_REF = "OpaqueRef:NULL"
_intern = sys.intern
_UTC = dt.timezone.utc

Converter = Callable[[Any], Any]


def parse_datetime(value: Any) -> dt.datetime:
    """``20250319T04:16:24Z`` (str or DateTime) → aware UTC; without ``Z`` → naive local."""
    if isinstance(value, dt.datetime):
        return value
    text = value.value if isinstance(value, xmlrpc.client.DateTime) else str(value)
    utc = text.endswith("Z")
    core = text[:-1] if utc else text
    if "-" in core[:10]:
        parsed = dt.datetime.strptime(core[:19], "%Y-%m-%dT%H:%M:%S")
    else:
        # Fixed layout YYYYMMDDTHH:MM:SS: slicing is much faster than strptime.
        parsed = dt.datetime(int(core[0:4]), int(core[4:6]), int(core[6:8]),
                             int(core[9:11]), int(core[12:14]), int(core[15:17]))
    return parsed.replace(tzinfo=_UTC) if utc else parsed


def _to_int(value: Any) -> Any:
    return int(value) if isinstance(value, str) else value


def _to_float(value: Any) -> Any:
    return float(value) if isinstance(value, (str, int)) and not isinstance(value, bool) else value


def _to_ref(value: Any) -> Any:
    if value == NULL_REF or value == "":
        return None
    return _intern(value) if isinstance(value, str) else value


def _to_enum(value: Any) -> Any:
    return _intern(value) if isinstance(value, str) else value


def _ref_list(value: Any) -> Any:
    if isinstance(value, list):
        return [_intern(v) for v in value if v != NULL_REF]
    return value


class Normaliser:
    """Converts decoded XenAPI values to their datamodel types."""

    def __init__(self, dm: Datamodel | None = None) -> None:
        self.dm = dm or load()
        self._specs: dict[str, dict[str, Converter]] = {}
        self._lower: dict[str, str] = {name.lower(): name for name in self.dm.classes}

    def class_name(self, wire_class: str) -> str:
        """Canonical class name for an event class such as ``vm`` or ``vmss``."""
        return self._lower.get(wire_class.lower(), wire_class)

    def converter(self, t: XType) -> Converter | None:
        """The function converting a value of type ``t``; None when nothing needs doing."""
        kind = t.kind
        if kind == "int":
            return _to_int
        if kind == "float":
            return _to_float
        if kind == "datetime":
            return parse_datetime
        if kind == "ref":
            return _to_ref
        if kind == "enum":
            return _to_enum
        if kind == "set":
            assert t.elem is not None
            if t.elem.kind == "ref":
                return _ref_list
            inner = self.converter(t.elem)
            if inner is None:
                return None
            return lambda v: [inner(x) for x in v] if isinstance(v, list) else v
        if kind == "map":
            assert t.key is not None and t.elem is not None
            kconv, vconv = self.converter(t.key), self.converter(t.elem)
            if kconv is None and vconv is None:
                return None
            kc: Converter = kconv or (lambda x: x)
            vc: Converter = vconv or (lambda x: x)
            return lambda v: {kc(k): vc(x) for k, x in v.items()} if isinstance(v, dict) else v
        if kind == "record":
            cls = t.name
            return lambda v: self.record(cls, v) if isinstance(v, dict) else v
        if kind == "option":
            assert t.elem is not None
            return self.converter(t.elem)
        return None

    def _spec(self, cls: str) -> dict[str, Converter]:
        spec = self._specs.get(cls)
        if spec is None:
            cdef = self.dm.class_named(cls)
            spec = {}
            if cdef is not None:
                for name, f in cdef.fields.items():
                    conv = self.converter(f.type)
                    if conv is not None:
                        spec[name] = conv
            self._specs[cls] = spec
        return spec

    def record(self, cls: str, rec: dict[str, Any]) -> dict[str, Any]:
        """Normalise one ``get_record`` struct in place, and return it."""
        spec = self._spec(cls)
        for name, conv in spec.items():
            if name in rec:
                rec[name] = conv(rec[name])
        return rec

    def records(self, cls: str, recs: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        """Normalise a ``get_all_records`` map in place (refs interned), and return it."""
        return {_intern(ref): self.record(cls, rec) for ref, rec in recs.items()}

    def value(self, t: XType | str, value: Any) -> Any:
        """Normalise a value of a declared type (a type string such as ``VM ref set`` is fine)."""
        xtype = parse_type(t) if isinstance(t, str) else t
        conv = self.converter(xtype)
        return conv(value) if conv is not None else value
