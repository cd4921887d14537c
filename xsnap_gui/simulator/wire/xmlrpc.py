"""XML-RPC as xapi speaks it (server side): parse a methodCall, format a methodResponse.

Responses follow ocaml-rpc's ``Xmlrpc`` module, which xapi uses: strings are untyped
``<value>`` elements, 64-bit ints are strings of digits and results are wrapped in a
``Status``/``Value`` struct. Requests are parsed the way Python's ``xmlrpc.client`` reads
values (an untyped value keeps its text exactly) but stricter: anything malformed raises
:class:`WireError`.

The encoders take ``object``: any :data:`WireValue`, plus tuples and subclasses of the
basic types (``dict`` invariance would make ``WireValue`` reject a ``dict[str, str]``).
Anything else raises ``TypeError``.
"""

from __future__ import annotations

import base64
import binascii
import datetime as _dt
import math
import re
from collections.abc import Callable
from typing import Any, cast
from xml.parsers import expat

from . import Int32, WireError, WireValue, format_datetime, parse_datetime

__all__ = [
    "format_bare",
    "format_failure",
    "format_success",
    "parse_request",
    "value_fragment",
]

# --------------------------------------------------------------------------------------
# Encoding
# --------------------------------------------------------------------------------------

# Characters that need work: the XML specials (ocaml-rpc escapes '"' too) and characters
# XML 1.0 cannot carry at all, which ocaml-rpc silently drops. Lone surrogates and
# U+FFFE/U+FFFF are dropped too, so the document always encodes to valid UTF-8.
_NEEDS_ESCAPING = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_needs_escaping = _NEEDS_ESCAPING.search

_RESPONSE_HEAD = '<?xml version="1.0"?><methodResponse><params><param>'
_RESPONSE_TAIL = "</param></params></methodResponse>"
_SUCCESS_HEAD = (
    "<value><struct><member><name>Status</name><value>Success</value></member>"
    "<member><name>Value</name>"
)
_FAILURE_HEAD = (
    "<value><struct><member><name>Status</name><value>Failure</value></member>"
    "<member><name>ErrorDescription</name>"
)
_STRUCT_TAIL = "</member></struct></value>"
_TRUE = "<value><boolean>1</boolean></value>"
_FALSE = "<value><boolean>0</boolean></value>"


def _escape(text: str) -> str:
    if _NEEDS_ESCAPING.search(text) is None:
        return text
    return _escape_slowly(text)


def _escape_slowly(text: str) -> str:
    text = (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )
    return _NOT_XML_CHARS.sub("", text)


# Record field names repeat on every record, so their "<member><name>…</name>" is cached.
# Bounded, because map keys (other_config…) can be anything.
_MEMBER_HEADS: dict[str, str] = {}
_MEMBER_HEADS_LIMIT = 4096


def _member_head(key: object) -> str:
    name = key if type(key) is str else str(key)
    # ocaml-rpc writes member names unescaped; escaping keeps odd map keys well-formed.
    head = "<member><name>" + _escape(name) + "</name>"
    if type(key) is str and len(_MEMBER_HEADS) < _MEMBER_HEADS_LIMIT:
        _MEMBER_HEADS[key] = head
    return head


def _format_double(number: float) -> str:
    # xapi prints "%.16g"; the notes (§2.2) record that non-finite values go out as NaN.
    if math.isfinite(number):
        return format(number, ".16g")
    return "NaN"


def _append_value(value: Any, out: list[str]) -> None:
    """Append the ``<value>`` XML of ``value`` to ``out``.

    This is the hot path (get_all_records of thousands of VMs), hence exact ``type() is``
    checks, most common types first, and inlined string escaping. ``value`` is ``Any``
    because each branch knows its type.
    """
    kind = type(value)
    if kind is str:
        if _needs_escaping(value) is not None:
            value = _escape_slowly(value)
        out.append("<value>" + value + "</value>")
    elif kind is dict:
        _append_struct(value, out)
    elif kind is list or kind is tuple:
        _append_array(value, out)
    elif kind is bool:
        out.append(_TRUE if value else _FALSE)
    elif kind is int:
        out.append("<value>" + str(value) + "</value>")
    elif kind is Int32:
        out.append("<value><i4>" + str(value) + "</i4></value>")
    elif kind is float:
        out.append("<value><double>" + _format_double(value) + "</double></value>")
    elif value is None:
        out.append("<value><nil/></value>")
    else:
        _append_subclass_value(value, out)


def _append_struct(record: dict[Any, Any], out: list[str]) -> None:
    append = out.append
    append("<value><struct>")
    for key, item in record.items():
        head = _MEMBER_HEADS.get(key)
        if head is None:
            head = _member_head(key)
        if type(item) is str:
            if _needs_escaping(item) is not None:
                item = _escape_slowly(item)
            append(head + "<value>" + item + "</value></member>")
        else:
            append(head)
            _append_value(item, out)
            append("</member>")
    append("</struct></value>")


def _append_array(items: list[Any] | tuple[Any, ...], out: list[str]) -> None:
    append = out.append
    append("<value><array><data>")
    for item in items:
        if type(item) is str:
            if _needs_escaping(item) is not None:
                item = _escape_slowly(item)
            append("<value>" + item + "</value>")
        else:
            _append_value(item, out)
    append("</data></array></value>")


def _append_subclass_value(value: object, out: list[str]) -> None:
    """The rare cases: datetimes, bytes and subclasses of the basic types (str enums...)."""
    if isinstance(value, _dt.datetime):
        out.append(
            "<value><dateTime.iso8601>" + format_datetime(value) + "</dateTime.iso8601></value>"
        )
    elif isinstance(value, (bytes, bytearray)):
        out.append(
            "<value><base64>" + base64.b64encode(value).decode("ascii") + "</base64></value>"
        )
    elif isinstance(value, Int32):
        _append_value(Int32(value), out)
    elif isinstance(value, str):
        _append_value(str.__str__(value), out)  # the text itself, even for (str, Enum)
    elif isinstance(value, int):
        _append_value(int(value), out)
    elif isinstance(value, float):
        _append_value(float(value), out)
    elif isinstance(value, dict):
        _append_struct(value, out)
    elif isinstance(value, (list, tuple)):
        _append_array(value, out)
    else:
        raise TypeError(f"cannot encode {type(value).__name__} as XML-RPC")


def value_fragment(value: object) -> str:
    """The ``<value>…</value>`` XML of one value, as xapi stores it in ``task.result``."""
    out: list[str] = []
    _append_value(value, out)
    return "".join(out)


def format_success(value: object) -> bytes:
    """A methodResponse carrying ``{Status: Success, Value: value}``."""
    out = [_RESPONSE_HEAD, _SUCCESS_HEAD]
    _append_value(value, out)
    out.append(_STRUCT_TAIL)
    out.append(_RESPONSE_TAIL)
    return "".join(out).encode("utf-8")


def format_failure(description: list[str]) -> bytes:
    """A methodResponse carrying ``{Status: Failure, ErrorDescription: [CODE, params…]}``.

    xapi never answers with an XML-RPC ``<fault>``.
    """
    out = [_RESPONSE_HEAD, _FAILURE_HEAD, "<value><array><data>"]
    for part in description:
        out.append("<value>" + _escape(str(part)) + "</value>")
    out.append("</data></array></value>")
    out.append(_STRUCT_TAIL)
    out.append(_RESPONSE_TAIL)
    return "".join(out).encode("utf-8")


def format_bare(value: object) -> bytes:
    """A methodResponse whose only param is ``value`` itself (``system.listMethods``)."""
    out = [_RESPONSE_HEAD]
    _append_value(value, out)
    out.append(_RESPONSE_TAIL)
    return "".join(out).encode("utf-8")


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------

_SCALAR_TAGS = frozenset(
    ["string", "i4", "int", "i8", "boolean", "double", "dateTime.iso8601", "base64", "nil"]
)
_TYPE_TAGS = _SCALAR_TAGS | {"array", "struct"}
_DOCUMENT = "#document"  # a pseudo element holding the root, so the root needs no special case

# For each element: the tags allowed directly inside it, and, when its children form a
# fixed sequence, the tag expected at each position ("" means any allowed tag).
# Elements not listed (the scalars) may hold text only.
_Rule = tuple[frozenset[str], tuple[str, ...] | None]
_RULES: dict[str, _Rule] = {
    _DOCUMENT: (frozenset(["methodCall"]), ("methodCall",)),
    "methodCall": (frozenset(["methodName", "params"]), ("methodName", "params")),
    "params": (frozenset(["param"]), None),
    "param": (frozenset(["value"]), ("value",)),
    "value": (_TYPE_TAGS, ("",)),  # at most one typed child
    "array": (frozenset(["data"]), ("data",)),
    "data": (frozenset(["value"]), None),
    "struct": (frozenset(["member"]), None),
    "member": (frozenset(["name", "value"]), ("name", "value")),
}
_TEXT_ONLY: _Rule = (frozenset(), None)

_XML_WHITESPACE = " \t\n\r"
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")
_INT64_MIN = -(2**63)
_INT64_MAX = 2**63 - 1


class _Element:
    """An open element while parsing: its tag, rules, text and its children's values."""

    __slots__ = ("allowed", "children", "sequence", "tag", "text")

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.allowed, self.sequence = _RULES.get(tag, _TEXT_ONLY)
        self.text = ""
        self.children: list[object] = []

    def require_blank_text(self) -> None:
        if self.text and self.text.strip(_XML_WHITESPACE):
            raise WireError(f"unexpected text in <{self.tag}>")


def _parse_int(text: str) -> int:
    digits = text.strip(_XML_WHITESPACE)
    if _INTEGER.match(digits) is None:
        raise WireError(f"bad integer: {text!r}")
    number = int(digits)
    if not _INT64_MIN <= number <= _INT64_MAX:
        raise WireError(f"integer out of 64-bit range: {text!r}")
    return number


def _parse_boolean(text: str) -> bool:
    flag = text.strip(_XML_WHITESPACE)
    if flag == "1":
        return True
    if flag == "0":
        return False
    raise WireError(f"bad boolean: {text!r}")


def _parse_double(text: str) -> float:
    number = text.strip(_XML_WHITESPACE)
    # float() would also accept digit separators and non-ASCII digits.
    if not number.isascii() or "_" in number:
        raise WireError(f"bad double: {text!r}")
    try:
        return float(number)
    except ValueError:
        raise WireError(f"bad double: {text!r}") from None


def _parse_base64(text: str) -> bytes:
    try:
        # Like xmlrpc.client, tolerate the line breaks encoders put in long base64.
        return binascii.a2b_base64(text.encode("ascii"))
    except (UnicodeEncodeError, binascii.Error):
        raise WireError("bad base64") from None


def _finish_value(element: _Element) -> object:
    if element.children:
        element.require_blank_text()
        return element.children[0]
    return element.text  # untyped: the text exactly, "" when empty


def _finish_string(element: _Element) -> object:
    return element.text


def _finish_nil(element: _Element) -> object:
    element.require_blank_text()
    return None


def _finish_array(element: _Element) -> object:
    element.require_blank_text()
    return element.children[0] if element.children else []  # <array/> is an empty array


def _finish_data(element: _Element) -> object:
    element.require_blank_text()
    return element.children


def _finish_struct(element: _Element) -> object:
    element.require_blank_text()
    return dict(element.children)  # type: ignore[arg-type]  # children are (name, value)


def _finish_member(element: _Element) -> object:
    element.require_blank_text()
    if len(element.children) != 2:
        raise WireError("incomplete struct member")
    return (element.children[0], element.children[1])


def _finish_param(element: _Element) -> object:
    element.require_blank_text()
    if not element.children:
        raise WireError("param without a value")
    return element.children[0]


def _finish_params(element: _Element) -> object:
    element.require_blank_text()
    return element.children


def _finish_method_call(element: _Element) -> object:
    element.require_blank_text()
    if not element.children or not element.children[0]:
        raise WireError("missing methodName")
    params = element.children[1] if len(element.children) > 1 else []
    return (element.children[0], params)


def _scalar(convert: Callable[[str], object]) -> Callable[[_Element], object]:
    def finish(element: _Element) -> object:
        return convert(element.text)

    return finish


_FINISHERS: dict[str, Callable[[_Element], object]] = {
    "methodCall": _finish_method_call,
    "methodName": _finish_string,
    "params": _finish_params,
    "param": _finish_param,
    "value": _finish_value,
    "string": _finish_string,
    "name": _finish_string,
    "i4": _scalar(_parse_int),
    "int": _scalar(_parse_int),
    "i8": _scalar(_parse_int),
    "boolean": _scalar(_parse_boolean),
    "double": _scalar(_parse_double),
    "dateTime.iso8601": _scalar(parse_datetime),
    "base64": _scalar(_parse_base64),
    "nil": _finish_nil,
    "array": _finish_array,
    "data": _finish_data,
    "struct": _finish_struct,
    "member": _finish_member,
}


class _RequestParser:
    """Builds the call while expat streams through the document, one element at a time."""

    def __init__(self) -> None:
        self.document = _Element(_DOCUMENT)
        self.open = [self.document]
        self.current = self.document

    def start(self, tag: str, _attributes: object) -> None:
        parent = self.current
        if tag not in parent.allowed:
            raise _misplaced(tag, parent.tag)
        sequence = parent.sequence
        if sequence is not None:
            position = len(parent.children)
            if position >= len(sequence):
                raise WireError(f"too many elements in <{parent.tag}>")
            if sequence[position] and sequence[position] != tag:
                raise WireError(f"<{tag}> out of order in <{parent.tag}>")
        element = _Element(tag)
        self.open.append(element)
        self.current = element

    def end(self, tag: str) -> None:
        element = self.open.pop()
        parent = self.open[-1]
        self.current = parent
        parent.children.append(_FINISHERS[tag](element))

    def text(self, data: str) -> None:
        self.current.text += data


def _misplaced(tag: str, parent_tag: str) -> WireError:
    if parent_tag == _DOCUMENT:
        return WireError(f"root element is <{tag}>, not <methodCall>")
    if tag not in _FINISHERS:
        return WireError(f"unknown tag <{tag}>")
    return WireError(f"<{tag}> not allowed in <{parent_tag}>")


def _refuse_doctype(*_args: object) -> None:
    # Entity declarations are the way to "billion laughs"; xapi requests never need a DTD.
    raise WireError("DOCTYPE and entity declarations are not allowed")


def parse_request(body: bytes) -> tuple[str, list[WireValue]]:
    """Decode an XML-RPC ``methodCall`` into its method name and positional params.

    Raises :class:`WireError` with a short reason when ``body`` is not a well-formed call.
    """
    builder = _RequestParser()
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.text
    try:
        parser.Parse(body, True)
    except expat.ExpatError as error:
        raise WireError(f"malformed XML: {expat.ErrorString(error.code)}") from None
    # expat has checked there is exactly one root, and start() that it is a methodCall.
    return cast("tuple[str, list[WireValue]]", builder.document.children[0])
