"""Handlers for explicit XenAPI messages, registered per wire name by the class modules."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .call import Call

HandlerFn = Callable[..., Any]
F = TypeVar("F", bound=HandlerFn)


@dataclass(frozen=True)
class Handler:
    fn: HandlerFn
    cancellable: bool


HANDLERS: dict[str, Handler] = {}


def implements(wire_name: str, *, cancellable: bool = False) -> Callable[[F], F]:
    """Register ``fn(call, *args)`` as the server side of ``wire_name`` (e.g. ``VM.snapshot``)."""

    def register(fn: F) -> F:
        HANDLERS[wire_name] = Handler(fn, cancellable)
        return fn

    return register


def lookup(wire_name: str) -> Handler | None:
    return HANDLERS.get(wire_name)


__all__ = ["HANDLERS", "Call", "Handler", "implements", "lookup"]
