"""The XenAPI datamodel, loaded from the compact extract shipped in ``data/datamodel.json``.

Both the simulator (to serve implicit messages, check roles and types) and the
client (to turn error codes into readable text) read it from here.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

ALL_ROLES = (
    "pool-admin",
    "pool-operator",
    "vm-power-admin",
    "vm-admin",
    "vm-operator",
    "read-only",
)


@dataclass(frozen=True)
class XType:
    """A parsed datamodel type string such as ``(string -> VM ref) map``."""

    kind: str  # string int float bool datetime enum ref set map record option opaque
    name: str = ""  # enum name, or class name for ref/record
    elem: XType | None = None  # set/option element, map value
    key: XType | None = None  # map key

    def __str__(self) -> str:
        if self.kind in ("string", "int", "float", "bool", "datetime"):
            return self.kind
        if self.kind == "enum":
            return f"enum {self.name}"
        if self.kind in ("ref", "record"):
            return f"{self.name} {self.kind}"
        if self.kind in ("set", "option"):
            return f"{self.elem} {self.kind}"
        if self.kind == "map":
            return f"({self.key} -> {self.elem}) map"
        return self.name


@functools.cache
def parse_type(text: str) -> XType:
    text = text.strip()
    if text in ("string", "int", "float", "bool", "datetime"):
        return XType(text)
    if text.endswith(" map") and text.startswith("("):
        inner = text[1 : text.rindex(")")]
        key, _, value = inner.partition(" -> ")
        return XType("map", key=parse_type(key), elem=parse_type(value))
    if text.endswith(" set"):
        return XType("set", elem=parse_type(text[: -len(" set")]))
    if text.endswith(" option"):
        return XType("option", elem=parse_type(text[: -len(" option")]))
    if text.startswith("enum "):
        return XType("enum", name=text[len("enum ") :])
    if text.endswith(" ref"):
        return XType("ref", name=text[: -len(" ref")])
    if text.endswith(" record"):
        return XType("record", name=text[: -len(" record")])
    return XType("opaque", name=text)


@dataclass(frozen=True)
class Field:
    name: str
    type: XType
    qualifier: str  # RW, RO/constructor, RO/runtime
    default: str | None


@dataclass(frozen=True)
class Param:
    name: str
    type: XType
    required: bool


@dataclass(frozen=True)
class Message:
    cls: str
    name: str
    params: tuple[Param, ...]  # session_id included when the message takes one
    result: str
    roles: tuple[str, ...]
    implicit: bool
    state: str  # Published_s, Prototyped_s, Deprecated_s, Removed_s
    errors: tuple[str, ...]

    @property
    def wire_name(self) -> str:
        return f"{self.cls}.{self.name}"

    @property
    def takes_session(self) -> bool:
        return bool(self.params) and self.params[0].name == "session_id"

    @property
    def args(self) -> tuple[Param, ...]:
        """The parameters after the session argument."""
        return self.params[1:] if self.takes_session else self.params

    @property
    def permission(self) -> str:
        return f"{self.cls}.{self.name}".lower()

    @property
    def offered_async(self) -> bool:
        """Whether xapi offers ``Async.<cls>.<name>``.

        xapi makes every explicit message asynchronous, and of the implicit
        ones only the constructor and destructor; session, task and event
        messages are sync-only.
        """
        if self.cls in ("session", "task", "event") or not self.takes_session:
            return False
        return not self.implicit or self.name in ("create", "destroy")


@dataclass
class ClassDef:
    name: str
    state: str
    fields: dict[str, Field]
    messages: dict[str, Message]
    lower_fields: dict[str, str] = field(default_factory=dict)

    def field_named(self, name: str) -> Field | None:
        f = self.fields.get(name)
        if f is None:
            canonical = self.lower_fields.get(name.lower())
            f = self.fields.get(canonical) if canonical else None
        return f


@dataclass(frozen=True)
class ErrorDef:
    code: str
    params: tuple[str, ...] | None  # None: the number of parameters is not known
    doc: str


class Datamodel:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.classes: dict[str, ClassDef] = {}
        for cname, c in raw["classes"].items():
            fields = {
                fname: Field(fname, parse_type(t), q, d) for fname, (t, q, d) in c["fields"].items()
            }
            messages = {
                mname: Message(
                    cls=cname,
                    name=mname,
                    params=tuple(Param(p, parse_type(t), r) for p, t, r in m["params"]),
                    result=m["result"],
                    roles=tuple(m["roles"]),
                    implicit=m["implicit"],
                    state=m["state"],
                    errors=tuple(m["errors"]),
                )
                for mname, m in c["messages"].items()
            }
            self.classes[cname] = ClassDef(
                cname, c["state"], fields, messages, {f.lower(): f for f in fields}
            )
        self.lower_classes = {name.lower(): name for name in self.classes}
        self.enums: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in raw["enums"].items()}
        self.errors: dict[str, ErrorDef] = {
            code: ErrorDef(code, tuple(e["params"]) if e["params"] is not None else None, e["doc"])
            for code, e in raw["errors"].items()
        }
        self.alerts: dict[str, int] = dict(raw["alerts"])

    def class_named(self, name: str) -> ClassDef | None:
        """Look a class up by name, ignoring case as xapi does for event classes."""
        c = self.classes.get(name)
        if c is None:
            canonical = self.lower_classes.get(name.lower())
            c = self.classes.get(canonical) if canonical else None
        return c

    def message(self, wire_name: str) -> Message | None:
        cls, _, name = wire_name.partition(".")
        c = self.classes.get(cls)
        return c.messages.get(name) if c else None

    def all_messages(self) -> list[Message]:
        return [m for c in self.classes.values() for m in c.messages.values()]


@functools.lru_cache(maxsize=1)
def load() -> Datamodel:
    text = resources.files("xsnap_gui.xapi").joinpath("data/datamodel.json").read_text("utf-8")
    return Datamodel(json.loads(text))
