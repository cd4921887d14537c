"""Fault injection: make the simulated pool slow, flaky or hostile on purpose.

Rules are added at run time (``running.sim.faults.add(Latency(0.2))``) or from
``xsnap-sim --fault SPEC``. The listeners consult :meth:`Faults.on_request`
before answering each request (latency, dropped connections, HTTP 500), the
dispatcher consults :meth:`Faults.check_call` where the handler would run
(injected XenAPI failures, so an ``Async.`` call fails through its task), and
the export handler asks :meth:`Faults.export_cut` how far to let a stream go.

Counting rules (``DropConnection``, ``Http500``, ``ExpireSessions``) count the
matching requests seen after the rule was added. A request is named by its
method (``VM.snapshot``, ``Async.VM.snapshot``) or, for plain HTTP, its path
(``/export``); globs match with or without the ``Async.`` prefix.

Spec grammar (one rule per ``--fault``)::

    latency=SECONDS[:GLOB]       every matching call waits first
    drop=N[:COUNT]               close the socket without an answer on the Nth request
                                 (and the COUNT-1 after it)
    http500=N | GLOB[:N]         answer HTTP 500: the next N requests, or matching ones
                                 (N times, or always without N)
    expire-sessions[=N]          destroy every session just before the Nth request (default 1)
    fail=GLOB:CODE[:PARAM...]    matching calls fail with that XenAPI error, always
    fail-once=GLOB:CODE[:PARAM...]   the same, once
    move-master=HOST             make HOST (name, uuid or ref) the pool master now
    cut-export=BYTES[:COUNT]     close export streams after BYTES bytes (COUNT times, or always)

Python's ``xmlrpc.client`` (and so the XenAPI SDK) silently retries a request
once when the connection drops before any answer, so ``drop=N:2`` is what makes
a dropped call visible to it.
"""

from __future__ import annotations

import enum
import fnmatch
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import XapiError

if TYPE_CHECKING:
    from .call import Call
    from .core import Simulator


class FaultAction(enum.Enum):
    ANSWER = "answer"
    DROP = "drop"
    HTTP_500 = "http500"


@dataclass(frozen=True)
class Latency:
    """Every matching request waits ``seconds`` before it is handled."""

    seconds: float
    match: str = "*"


@dataclass(frozen=True)
class DropConnection:
    """Close the connection without answering the ``nth`` matching request and ``count``-1 more."""

    nth: int = 1
    count: int = 1
    match: str = "*"


@dataclass(frozen=True)
class Http500:
    """Answer matching requests with HTTP 500: ``count`` of them, or all if ``count`` is None."""

    count: int | None = 1
    match: str = "*"


@dataclass(frozen=True)
class ExpireSessions:
    """Destroy every session just before the ``nth`` request from now."""

    nth: int = 1


@dataclass(frozen=True)
class FailCall:
    """Matching calls fail with ``[code, *params]``: ``count`` times, or always if None."""

    method: str
    code: str
    params: tuple[str, ...] = ()
    count: int | None = None


@dataclass(frozen=True)
class MoveMaster:
    """Make another host the pool master, at once (by name_label, uuid or ref)."""

    host: str


@dataclass(frozen=True)
class CutExport:
    """Close export streams after ``after_bytes`` bytes: ``count`` of them, or all if None."""

    after_bytes: int
    count: int | None = None


Rule = Latency | DropConnection | Http500 | ExpireSessions | FailCall | MoveMaster | CutExport


@dataclass
class _Active:
    rule: Rule
    seen: int = 0  # matching requests counted so far
    fired: int = 0  # times the rule took effect


def _matches(pattern: str, name: str) -> bool:
    if fnmatch.fnmatchcase(name, pattern):
        return True
    return name.startswith("Async.") and fnmatch.fnmatchcase(name[len("Async."):], pattern)


class Faults:
    """The fault rules of one simulated pool."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self._lock = threading.Lock()
        self._active: list[_Active] = []
        sim.before_call.append(self._before_call)
        sim.before_invoke.append(self._before_invoke)

    # --- managing rules -----------------------------------------------------------

    def add(self, rule: Rule) -> Rule:
        """Activate a rule. ``MoveMaster`` acts at once and is not kept."""
        if isinstance(rule, MoveMaster):
            self.move_master(rule.host)
            return rule
        with self._lock:
            self._active.append(_Active(rule))
        return rule

    def clear(self) -> None:
        with self._lock:
            self._active.clear()

    @property
    def rules(self) -> list[Rule]:
        with self._lock:
            return [a.rule for a in self._active]

    # --- immediate actions --------------------------------------------------------

    def expire_sessions(self) -> None:
        """Destroy every session now, as a xapi restart would."""
        self._sim.expire_sessions()

    def move_master(self, host: str) -> str:
        """Make ``host`` the pool master; the old master then answers HOST_IS_SLAVE."""
        db = self._sim.db
        with db.lock:
            ref = host if db.exists("host", host) else db.by_uuid("host", host)
            if ref is None:
                named = db.find("host", name_label=host)
                if len(named) != 1:
                    known = sorted(str(row["name_label"]) for _, row in db.rows("host"))
                    raise ValueError(
                        f"no single host called {host!r}; hosts are: {', '.join(known)}"
                    )
                ref = named[0]
            db.set("pool", self._sim.pool, "master", ref)
        return ref

    # --- hooks ----------------------------------------------------------------------

    def on_request(self, name: str) -> FaultAction:
        """Called by a listener before it handles a request; may sleep, drop or fail it."""
        delay = 0.0
        expire = False
        action = FaultAction.ANSWER
        with self._lock:
            for active in list(self._active):
                rule = active.rule
                if isinstance(rule, Latency) and _matches(rule.match, name):
                    delay += rule.seconds
                elif isinstance(rule, ExpireSessions):
                    active.seen += 1
                    if active.seen >= rule.nth:
                        expire = True
                        self._active.remove(active)
                elif isinstance(rule, DropConnection) and _matches(rule.match, name):
                    active.seen += 1
                    if active.seen >= rule.nth and action is FaultAction.ANSWER:
                        action = FaultAction.DROP
                        active.fired += 1
                        if active.fired >= rule.count:
                            self._active.remove(active)
                elif isinstance(rule, Http500) and _matches(rule.match, name):
                    if action is FaultAction.ANSWER:
                        action = FaultAction.HTTP_500
                        self._fire(active, rule.count)
        if expire:
            self._sim.expire_sessions()
        if delay > 0:
            time.sleep(delay)
        return action

    def check_call(self, wire_name: str) -> None:
        """Raise the injected XenAPI error for this call, if a FailCall rule matches."""
        with self._lock:
            for active in list(self._active):
                rule = active.rule
                if isinstance(rule, FailCall) and _matches(rule.method, wire_name):
                    self._fire(active, rule.count)
                    raise XapiError(rule.code, *rule.params)

    def export_cut(self) -> int | None:
        """For a starting export: the byte count after which to close it, or None."""
        with self._lock:
            for active in list(self._active):
                rule = active.rule
                if isinstance(rule, CutExport):
                    self._fire(active, rule.count)
                    return rule.after_bytes
        return None

    def _fire(self, active: _Active, count: int | None) -> None:
        active.fired += 1
        if count is not None and active.fired >= count:
            self._active.remove(active)

    def _before_call(self, method: str, _params: list[object]) -> None:
        # login never reaches a handler (core answers it), so its faults are injected here.
        if method == "session.login_with_password":
            self.check_call(method)

    def _before_invoke(self, call: Call) -> None:
        # Only Async calls run under a task here, so a glob may also say Async.VM.snapshot.
        wire_name = call.message.wire_name
        self.check_call(f"Async.{wire_name}" if call.task is not None else wire_name)


# --- the textual spec ---------------------------------------------------------------


def parse_spec(text: str) -> Rule:
    """Parse one ``--fault`` spec (see the module docstring). Raises ValueError."""
    kind, sep, value = text.strip().partition("=")
    kind = kind.strip().lower()
    parts = value.split(":") if sep else []
    try:
        rule = _parse(kind, sep == "=", value, parts)
    except ValueError as e:
        raise ValueError(f"bad fault spec {text!r}: {e}") from None
    return rule


def _parse(kind: str, has_value: bool, value: str, parts: list[str]) -> Rule:
    if kind == "latency":
        _need(has_value and 1 <= len(parts) <= 2, "expected latency=SECONDS[:GLOB]")
        seconds = _number(parts[0], "SECONDS")
        return Latency(seconds, _glob(parts[1]) if len(parts) > 1 else "*")
    if kind == "drop":
        _need(has_value and 1 <= len(parts) <= 2, "expected drop=N[:COUNT]")
        return DropConnection(_count(parts[0], "N"),
                              _count(parts[1], "COUNT") if len(parts) > 1 else 1)
    if kind == "http500":
        _need(has_value and 1 <= len(parts) <= 2, "expected http500=N or http500=GLOB[:N]")
        if len(parts) == 1 and parts[0].strip().isdigit():
            return Http500(_count(parts[0], "N"))
        return Http500(_count(parts[1], "N") if len(parts) > 1 else None, _glob(parts[0]))
    if kind == "expire-sessions":
        _need(not has_value or len(parts) == 1, "expected expire-sessions[=N]")
        return ExpireSessions(_count(parts[0], "N") if has_value else 1)
    if kind in ("fail", "fail-once"):
        _need(has_value and len(parts) >= 2, f"expected {kind}=GLOB:CODE[:PARAM...]")
        code = parts[1].strip()
        _need(code.replace("_", "").isalnum() and code.upper() == code,
              f"the error code must be an upper-case XenAPI code such as SR_FULL, got {code!r}")
        return FailCall(_glob(parts[0]), code, tuple(parts[2:]),
                        1 if kind == "fail-once" else None)
    if kind == "move-master":
        _need(has_value and value.strip() != "", "expected move-master=HOST")
        return MoveMaster(value.strip())
    if kind == "cut-export":
        _need(has_value and 1 <= len(parts) <= 2, "expected cut-export=BYTES[:COUNT]")
        after = _count(parts[0], "BYTES", minimum=0)
        return CutExport(after, _count(parts[1], "COUNT") if len(parts) > 1 else None)
    raise ValueError(
        f"unknown fault {kind!r}; expected one of latency, drop, http500, expire-sessions, "
        "fail, fail-once, move-master, cut-export"
    )


def _need(condition: bool, message: str) -> None:
    if not condition:
        raise ValueError(message)


def _number(text: str, what: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise ValueError(f"{what} must be a number, got {text!r}") from None
    _need(number >= 0 and number == number and number != float("inf"),
          f"{what} must be a finite number >= 0, got {text!r}")
    return number


def _count(text: str, what: str, minimum: int = 1) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise ValueError(f"{what} must be a whole number, got {text!r}") from None
    _need(number >= minimum, f"{what} must be at least {minimum}, got {number}")
    return number


def _glob(text: str) -> str:
    text = text.strip()
    _need(text != "", "the method pattern is empty")
    return text


__all__ = [
    "CutExport",
    "DropConnection",
    "ExpireSessions",
    "FailCall",
    "FaultAction",
    "Faults",
    "Http500",
    "Latency",
    "MoveMaster",
    "Rule",
    "parse_spec",
]
