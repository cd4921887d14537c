"""Read and write xapi database dumps (``state.db``, XenCenter's test databases).

A dump is ``<database><manifest><pair key= value=/>…</manifest><table name=CLASS>
<row ref=… field=…/>…</table>…</database>``. Every field value is a string with
two layers of encoding on top of XML's own:

1. The whole attribute text goes through xapi's whitespace protection (``%``
   escapes), because XML readers may normalise or strip whitespace in
   attributes: ``%.`` is a space, ``%_`` two spaces (older xapi), ``%n`` ``%r``
   ``%t`` are newline, CR and tab, ``%%`` is ``%``. Any other ``%x`` stays as is.
   The real dumps show it on plain strings too (``CPU%_%_%_%_%_6400%_@``).
2. Sets and maps are S-expressions of quoted atoms, ``('a' 'b')`` and
   ``(('k' 'v') …)``; inside an atom a backslash makes the next character
   literal (the dumps use ``\\'``, ``\\"`` and ``\\\\``). Nested collections,
   e.g. the ``string set`` values of ``VM_metrics.VCPUs_flags``, are atoms whose
   text is itself an S-expression, which is how xapi marshals them.

Field attributes written by old xapi use ``__`` for the dots of a dotted name
(``name__label``); newer ones use the flattened datamodel name (``name_label``).
Both are read; :func:`format_dump` writes the datamodel names.

Values are typed after the datamodel (see :class:`DumpData`). What the
datamodel does not know, and values that do not parse as their declared type,
are kept as the raw attribute text so that saving loses nothing.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import stat
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

from xsnap_gui.simulator.wire import format_datetime, parse_datetime
from xsnap_gui.xapi.datamodel import ClassDef, Datamodel, Field, XType, load

__all__ = [
    "DumpData",
    "DumpError",
    "SExpr",
    "escape_atom",
    "escape_value",
    "format_dump",
    "format_sexpr",
    "load_dump",
    "parse_dump",
    "parse_sexpr",
    "save_dump",
    "unescape_atom",
    "unescape_value",
]

SExpr: TypeAlias = "str | list[SExpr]"
"""An S-expression: an atom (str) or a list of S-expressions."""


class DumpError(ValueError):
    """A dump that cannot be read, or data that cannot be written as one."""


@dataclass
class DumpData:
    """The content of a dump.

    ``tables`` maps a class name as spelled in the datamodel (``"VM"``,
    ``"host"``, ``"VM_metrics"``) to ref to datamodel field name to a typed
    value: str for string, enum and ref (a null ref stays ``"OpaqueRef:NULL"``),
    int, float, bool, datetime (aware UTC when the text ends in ``Z``), list for
    a set and dict for a map. Every row of a known table has an entry, possibly
    empty.

    ``extra_fields`` (class -> ref -> attribute -> text) and ``extra_tables``
    (table name -> ref -> attribute -> text) keep, verbatim as the attribute
    text (no ``%`` unescaping), what the datamodel does not know or what did
    not parse: obsolete fields, internal ``__ctime``-style attributes, a ``_ref``
    that differs from the row's ref, bad values, and whole unknown tables. An
    unknown table's rows keep every attribute except ``ref``.
    """

    manifest: list[tuple[str, str]] = field(default_factory=list)
    tables: dict[str, dict[str, dict[str, object]]] = field(default_factory=dict)
    extra_fields: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)
    extra_tables: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)


# --- the % layer -----------------------------------------------------------

_UNESCAPES = {".": " ", "_": "  ", "n": "\n", "r": "\r", "t": "\t", "%": "%"}
_UNESCAPE_RE = re.compile(r"%([._nrt%])")
_ESCAPES = {"%": "%%", "\t": "%t", "\n": "%n", "\r": "%r", "  ": "%_", " ": "%."}
# Pairs of spaces and a lone space at either end are escaped; other single
# spaces stay readable, like the dumps that old xapi wrote.
_ESCAPE_RE = re.compile(r"[%\t\n\r]|  |^ | \Z")


def unescape_value(text: str) -> str:
    """Undo xapi's ``%`` whitespace protection of an attribute value."""
    if "%" not in text:
        return text
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPES[m.group(1)], text)


def escape_value(text: str) -> str:
    """Protect whitespace and ``%`` so that an XML reader keeps ``text`` exactly."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group(0)], text)


# --- S-expressions -----------------------------------------------------------

# One token after optional whitespace: ( ) 'atom' "atom" bare-atom or the end.
_TOKEN_RE = re.compile(
    r"""\s*(?:(\()|(\))"""
    r"""|'([^'\\]*(?:\\.[^'\\]*)*)'|"([^"\\]*(?:\\.[^"\\]*)*)"|([^\s()'"\\]+)|(\Z))""",
    re.S,
)
_BACKSLASH_RE = re.compile(r"\\(.)", re.S)


def unescape_atom(text: str) -> str:
    """The value of a quoted atom's content: a backslash makes the next character literal."""
    if "\\" not in text:
        return text
    return _BACKSLASH_RE.sub(r"\1", text)


def escape_atom(text: str) -> str:
    """The content to put between single quotes for ``text`` (as xapi escapes it)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    if "'" in text:
        text = text.replace("'", "\\'")
    if '"' in text:
        text = text.replace('"', '\\"')
    return text


def parse_sexpr(text: str) -> list[SExpr]:
    """Parse one parenthesised S-expression into nested lists of str atoms.

    Atoms may be single- or double-quoted, or bare words. Raises
    :class:`DumpError` for anything else, naming the offset.
    """
    top: list[SExpr] | None = None
    stack: list[list[SExpr]] = []
    pos = 0
    while True:
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise DumpError(f"bad S-expression at offset {pos}: {text[pos : pos + 30]!r}")
        kind = m.lastindex
        if kind is None:  # cannot happen: every alternative has a group
            raise DumpError(f"bad S-expression at offset {pos}")
        if kind == 1:
            node: list[SExpr] = []
            if stack:
                stack[-1].append(node)
            elif top is None:
                top = node
            else:
                raise DumpError(f"S-expression has text after its end at offset {m.start(1)}")
            stack.append(node)
        elif kind == 2:
            if not stack:
                raise DumpError(f"S-expression has an unbalanced ')' at offset {m.start(2)}")
            stack.pop()
        elif kind == 6:
            if stack:
                raise DumpError("S-expression ends inside a list (missing ')')")
            if top is None:
                raise DumpError("S-expression is empty; expected '(…)'")
            return top
        else:
            if not stack:
                raise DumpError(f"S-expression has an atom outside any list at offset {m.start()}")
            raw = m.group(kind)
            stack[-1].append(raw if kind == 5 else unescape_atom(raw))
        pos = m.end()


def format_sexpr(items: Sequence[SExpr]) -> str:
    """Write a list of atoms and nested lists as xapi does: ``('a' ('b' 'c'))``."""
    parts = [
        format_sexpr(item) if isinstance(item, list) else f"'{escape_atom(item)}'" for item in items
    ]
    return f"({' '.join(parts)})"


# --- typed values ------------------------------------------------------------

# Kinds kept as the text itself. option/record/opaque never appear as stored
# fields of the dump classes; keeping them as text is lossless.
_TEXT_KINDS = frozenset({"string", "enum", "ref", "option", "record", "opaque"})
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")


def _scalar_in(text: str, t: XType) -> object:
    kind = t.kind
    if kind in _TEXT_KINDS:
        return text
    if kind == "int":
        if _INT_RE.match(text) is None:
            raise ValueError(f"not an int: {text!r}")
        return int(text)
    if kind == "float":
        # float() also takes "1_0" and padding, which xapi would not write.
        if "_" in text or text != text.strip():
            raise ValueError(f"not a float: {text!r}")
        return float(text)
    if kind == "bool":
        if text == "true":
            return True
        if text == "false":
            return False
        raise ValueError(f"not a bool: {text!r}")
    if kind == "datetime":
        return parse_datetime(text)
    raise ValueError(f"{t} is not a scalar type")


def _node_in(node: SExpr, t: XType) -> object:
    if t.kind in ("set", "map"):
        return _collection_in(parse_sexpr(node) if isinstance(node, str) else node, t)
    if not isinstance(node, str):
        raise ValueError(f"expected an atom for {t}, got a list")
    return _scalar_in(node, t)


def _collection_in(items: list[SExpr], t: XType) -> object:
    if t.elem is None:
        raise ValueError(f"{t} has no element type")
    if t.kind == "set":
        return [_node_in(item, t.elem) for item in items]
    if t.key is None:
        raise ValueError(f"{t} has no key type")
    out: dict[object, object] = {}
    for pair in items:
        if not isinstance(pair, list) or len(pair) != 2:
            raise ValueError(f"map entry is not a (key value) pair: {pair!r}")
        key = _node_in(pair[0], t.key)
        if key in out:
            # A dict would silently drop one of them; keep the field raw instead.
            raise ValueError(f"duplicate map key {key!r}")
        out[key] = _node_in(pair[1], t.elem)
    return out


def _value_in(text: str, t: XType) -> object:
    if t.kind in ("set", "map"):
        return _collection_in(parse_sexpr(text), t)
    return _scalar_in(text, t)


def _type_error(where: str, t: XType, value: object) -> DumpError:
    return DumpError(f"{where}: expected {t}, got {type(value).__name__} {value!r:.80}")


def _scalar_out(value: object, t: XType, where: str) -> str:
    kind = t.kind
    if kind in _TEXT_KINDS:
        if isinstance(value, str):
            return value
    elif kind == "int":
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    elif kind == "float":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return repr(float(value))
    elif kind == "bool":
        if isinstance(value, bool):
            return "true" if value else "false"
    elif kind == "datetime":
        if isinstance(value, _dt.datetime):
            return format_datetime(value)
    raise _type_error(where, t, value)


def _node_out(value: object, t: XType, where: str) -> SExpr:
    if t.kind in ("set", "map"):
        # Nested collections are atoms holding their own S-expression text.
        return format_sexpr(_collection_out(value, t, where))
    return _scalar_out(value, t, where)


def _collection_out(value: object, t: XType, where: str) -> list[SExpr]:
    assert t.elem is not None
    if t.kind == "set":
        # Only ordered sequences: a Python set would make the output order vary.
        if not isinstance(value, (list, tuple)):
            raise _type_error(where, t, value)
        return [_node_out(item, t.elem, where) for item in value]
    assert t.key is not None
    if not isinstance(value, Mapping):
        raise _type_error(where, t, value)
    return [[_node_out(k, t.key, where), _node_out(v, t.elem, where)] for k, v in value.items()]


def _value_out(value: object, t: XType, where: str) -> str:
    if t.kind in ("set", "map"):
        return format_sexpr(_collection_out(value, t, where))
    return _scalar_out(value, t, where)


# --- reading -----------------------------------------------------------------


class _FieldLookup:
    """Attribute name -> datamodel field, cached: the same names repeat on every row."""

    def __init__(self, cls: ClassDef) -> None:
        self.cls = cls
        self.cache: dict[str, Field | None] = {}

    def __call__(self, attr: str) -> Field | None:
        try:
            return self.cache[attr]
        except KeyError:
            pass
        found: Field | None = None
        # "__ctime" and friends are xapi-internal; "_ref" is handled by the caller.
        if not attr.startswith("_"):
            found = self.cls.field_named(attr)
            if found is None and "__" in attr:
                found = self.cls.field_named(attr.replace("__", "_"))
        self.cache[attr] = found
        return found


def _row_ref(table: str, index: int, row: ET.Element) -> str:
    if row.tag != "row":
        raise DumpError(f"table {table!r}: unexpected element <{row.tag}>, expected <row>")
    ref = row.get("ref") or row.get("_ref")
    if not ref:
        raise DumpError(f"table {table!r}: row {index + 1} has no ref attribute")
    return ref


def _read_table(table: ET.Element, dm: Datamodel, dump: DumpData) -> None:
    name = table.get("name")
    if not name:
        raise DumpError("<table> without a name attribute")
    cls = dm.class_named(name)
    if cls is None:
        if name in dump.extra_tables:
            raise DumpError(f"table {name!r} appears twice")
        raw_rows: dict[str, dict[str, str]] = {}
        dump.extra_tables[name] = raw_rows
        for i, row in enumerate(table):
            ref = _row_ref(name, i, row)
            if ref in raw_rows:
                raise DumpError(f"table {name!r}: duplicate row {ref}")
            raw_rows[ref] = {k: v for k, v in row.attrib.items() if k != "ref"}
        return

    if cls.name in dump.tables:
        raise DumpError(f"table {name!r} appears twice")
    rows: dict[str, dict[str, object]] = {}
    extras: dict[str, dict[str, str]] = {}
    dump.tables[cls.name] = rows
    field_for = _FieldLookup(cls)
    for i, row in enumerate(table):
        ref = _row_ref(name, i, row)
        if ref in rows:
            raise DumpError(f"table {name!r}: duplicate row {ref}")
        values: dict[str, object] = {}
        extra: dict[str, str] = {}
        for attr, raw in row.attrib.items():
            if attr == "ref" or (attr == "_ref" and raw == ref):
                continue  # the row's key; format_dump writes both back
            f = field_for(attr)
            if f is None or f.name in values:
                extra[attr] = raw
                continue
            try:
                values[f.name] = _value_in(unescape_value(raw), f.type)
            except (ValueError, TypeError):
                # A bad value must not stop the load; keep it for the next save.
                extra[attr] = raw
        rows[ref] = values
        if extra:
            extras[ref] = extra
    if extras:
        dump.extra_fields[cls.name] = extras


def parse_dump(data: bytes | str, dm: Datamodel | None = None) -> DumpData:
    """Parse the text of a dump. Raises :class:`DumpError` if it is not one."""
    dm = dm or load()
    try:
        root = ET.fromstring(data)
    except ET.ParseError as e:
        raise DumpError(f"not well-formed XML: {e}") from None
    if root.tag != "database":
        raise DumpError(f"root element is <{root.tag}>, expected <database>")
    dump = DumpData()
    manifests = 0
    for child in root:
        if child.tag == "table":
            _read_table(child, dm, dump)
        elif child.tag == "manifest":
            manifests += 1
            if manifests > 1:
                raise DumpError("more than one <manifest>")
            for pair in child:
                key, value = pair.get("key"), pair.get("value")
                if pair.tag != "pair" or key is None or value is None:
                    raise DumpError(f"<manifest> holds <{pair.tag}>, not <pair key= value=>")
                dump.manifest.append((key, value))
        else:
            raise DumpError(f"unexpected element <{child.tag}> in <database>")
    return dump


def load_dump(path: str | os.PathLike[str], dm: Datamodel | None = None) -> DumpData:
    """Read a dump file. Raises :class:`DumpError` (naming the file) if it is not one."""
    with open(path, "rb") as f:
        data = f.read()
    try:
        return parse_dump(data, dm)
    except DumpError as e:
        raise DumpError(f"{os.fspath(path)}: {e}") from e


# --- writing -----------------------------------------------------------------

# Characters XML 1.0 cannot carry at all, even as character references.
_BAD_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_SPECIAL_RE = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
# Whitespace as character references, or the XML reader would turn it into spaces.
_ATTR_ESCAPES = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\t": "&#9;",
        "\n": "&#10;",
        "\r": "&#13;",
    }
)
_NAME_RE = re.compile(r"[^\W\d][\w.\-]*\Z")


def _attr(text: str, where: str) -> str:
    if _ATTR_SPECIAL_RE.search(text) is None:
        return text
    bad = _BAD_XML_RE.search(text)
    if bad is not None:
        raise DumpError(f"{where}: character {bad.group()!r} cannot be written in XML")
    return text.translate(_ATTR_ESCAPES)


def _row(attrs: list[tuple[str, str]], where: str) -> str:
    seen: set[str] = set()
    parts = ["<row"]
    for name, value in attrs:
        if name in seen:
            raise DumpError(f"{where}: attribute {name!r} would be written twice")
        if _NAME_RE.match(name) is None:
            raise DumpError(f"{where}: {name!r} is not a valid XML attribute name")
        seen.add(name)
        parts.append(f' {name}="{_attr(value, f"{where}.{name}")}"')
    parts.append("/>\n")
    return "".join(parts)


def _table(name: str, rows: list[str]) -> str:
    if not rows:
        return f'<table name="{_attr(name, name)}"/>\n'
    return f'<table name="{_attr(name, name)}">\n{"".join(rows)}</table>\n'


def format_dump(dump: DumpData, dm: Datamodel | None = None) -> bytes:
    """Write ``dump`` as UTF-8 XML that :func:`parse_dump` reads back to an equal DumpData.

    Known tables come first in ``tables`` order, then ``extra_tables``; in a row
    the typed fields come first, then the extras. Raises :class:`DumpError` for
    data that could not round-trip: a value of the wrong type, a class or field
    the datamodel does not know (those belong in the extras), extras for rows
    that do not exist, or text XML cannot hold.
    """
    dm = dm or load()
    out = ["<database>\n<manifest>\n"]
    for mkey, mvalue in dump.manifest:
        out.append(f'<pair key="{_attr(mkey, "manifest")}" value="{_attr(mvalue, mkey)}"/>\n')
    out.append("</manifest>\n")

    written: set[str] = set()
    for cname, rows in dump.tables.items():
        cls = dm.class_named(cname)
        if cls is None:
            raise DumpError(f"class {cname!r} is unknown to the datamodel; use extra_tables")
        if cls.name.lower() in written:
            raise DumpError(f"table {cls.name!r} would be written twice")
        written.add(cls.name.lower())
        extras = dump.extra_fields.get(cname, {})
        for ref in extras:
            if ref not in rows:
                raise DumpError(f"extra_fields[{cname!r}] has {ref}, which has no row in tables")
        lines = []
        for ref, values in rows.items():
            where = f"{cls.name} {ref}"
            attrs: list[tuple[str, str]] = [("ref", ref)]
            for fname, value in values.items():
                f = cls.field_named(fname)
                if f is None:
                    raise DumpError(f"{where}: {cls.name} has no field {fname!r}; use extra_fields")
                text = _value_out(value, f.type, f"{where}.{fname}")
                attrs.append((f.name, escape_value(text)))
            extra = extras.get(ref, {})
            attrs.extend(extra.items())
            if "_ref" not in extra:
                attrs.append(("_ref", ref))
            lines.append(_row(attrs, where))
        out.append(_table(cls.name, lines))
    for cname in dump.extra_fields:
        if cname not in dump.tables:
            raise DumpError(f"extra_fields has class {cname!r}, which has no table in tables")

    for tname, raw_rows in dump.extra_tables.items():
        if tname.lower() in written:
            raise DumpError(f"table {tname!r} would be written twice")
        written.add(tname.lower())
        lines = [
            _row([("ref", ref), *raw.items()], f"{tname} {ref}") for ref, raw in raw_rows.items()
        ]
        out.append(_table(tname, lines))
    out.append("</database>\n")
    return "".join(out).encode("utf-8")


def save_dump(dump: DumpData, path: str | os.PathLike[str], dm: Datamodel | None = None) -> None:
    """Write ``dump`` to ``path`` atomically: a temp file beside it, then ``os.replace``.

    A new file is created mode 0600 (dumps hold the pool token and secrets); an
    existing file keeps its mode.
    """
    data = format_dump(dump, dm)  # before touching the disk, so a bad dump changes nothing
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
