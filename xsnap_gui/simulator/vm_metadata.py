"""``VM.snapshot_metadata``: the source VM's database fields as an S-expression.

xapi writes ``Helpers.vm_to_string``: a list of ``('field' 'value')`` pairs where
each value is the field's database string (sets and maps are themselves
S-expressions, quoted as atoms). VM.revert reads it back. Decoding is lenient:
pairs whose field is unknown or whose value does not parse are skipped, and
other shapes (such as a leading ``'struct'`` atom) are ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from ..xapi.datamodel import Datamodel, XType
from .dump import DumpError, SExpr, format_sexpr, parse_sexpr
from .wire import WireError, format_datetime, parse_datetime


def _to_db(value: Any, t: XType) -> str:
    kind = t.kind
    if kind == "bool":
        return "true" if value else "false"
    if kind == "datetime" and isinstance(value, dt.datetime):
        return format_datetime(value)
    if kind == "float":
        return repr(float(value))
    if kind == "set" and t.elem is not None:
        return format_sexpr([_to_db(v, t.elem) for v in value])
    if kind == "map" and t.key is not None and t.elem is not None:
        return format_sexpr([[_to_db(k, t.key), _to_db(v, t.elem)] for k, v in value.items()])
    return str(value)


def _from_db(text: str, t: XType) -> Any:
    kind = t.kind
    if kind == "bool":
        if text not in ("true", "false"):
            raise ValueError(text)
        return text == "true"
    if kind == "int":
        return int(text)
    if kind == "float":
        return float(text)
    if kind == "datetime":
        return parse_datetime(text)
    if kind == "set" and t.elem is not None:
        elem = t.elem
        return [_from_db(_atom(item), elem) for item in parse_sexpr(text)]
    if kind == "map" and t.key is not None and t.elem is not None:
        out = {}
        for pair in parse_sexpr(text):
            if not isinstance(pair, list) or len(pair) != 2:
                raise ValueError(text)
            out[_from_db(_atom(pair[0]), t.key)] = _from_db(_atom(pair[1]), t.elem)
        return out
    return text


def _atom(node: SExpr) -> str:
    # Nested collections come back as lists when they were written unquoted.
    return node if isinstance(node, str) else format_sexpr(node)


def encode(dm: Datamodel, row: dict[str, Any], skip: Iterable[str] = ()) -> str:
    """The metadata string for a VM row, leaving out ``skip`` (the derived set fields)."""
    fields = dm.classes["VM"].fields
    omitted = set(skip)
    pairs: list[SExpr] = [
        [name, _to_db(value, fields[name].type)]
        for name, value in row.items()
        if name in fields and name not in omitted
    ]
    return format_sexpr(pairs)


def decode(dm: Datamodel, text: str) -> dict[str, Any]:
    """The typed fields found in a metadata string; {} if it is not one."""
    if not text:
        return {}
    try:
        nodes = parse_sexpr(text)
    except DumpError:
        return {}
    fields = dm.classes["VM"].fields
    out: dict[str, Any] = {}
    for node in nodes:
        if not (isinstance(node, list) and len(node) == 2 and isinstance(node[0], str)):
            continue
        f = fields.get(node[0])
        if f is None:
            continue
        try:
            out[f.name] = _from_db(_atom(node[1]), f.type)
        except (ValueError, DumpError, WireError):
            continue
    return out
