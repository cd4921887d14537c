"""What the snapshot operations share: steps, partial failures, progress, unique names.

Every operation is a sequence of steps (snapshot, then describe; revert, then
start; …). When a step fails, :class:`StepFailed` says which one, why (the
server's error, a dropped connection, a local file error) and which steps had
already changed the pool, so nothing is left half-done without explanation.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..xapi.client import Connection
from ..xapi.errors import ConnectionFailed, ExportError, XapiError

__all__ = [
    "Done",
    "Labels",
    "ProgressCallback",
    "Step",
    "StepFailed",
    "call_step",
    "power_state_or_none",
    "run_step",
    "sub_progress",
    "unique_name",
]

ProgressCallback = Callable[[float], None]
# Errors an operation expects and reports; anything else is a bug and propagates as is.
EXPECTED_ERRORS: tuple[type[Exception], ...] = (XapiError, ConnectionFailed, ExportError, OSError)


class Step(enum.StrEnum):
    """One server-side (or file) step of an operation."""

    SNAPSHOT = "snapshot"
    CHECKPOINT = "checkpoint"
    DESCRIBE = "describe"  # VM.set_name_description after creating something
    REVERT = "revert"
    START = "start"
    RESUME = "resume"
    CLONE = "clone"
    COPY = "copy"
    PROVISION = "provision"
    MAKE_VM = "make_vm"  # VM.set_is_a_template false, for a suspended clone
    DESTROY_DISK = "destroy_disk"
    DESTROY_RECORD = "destroy_record"
    EXPORT = "export"
    RENAME = "rename"
    ADD_TAG = "add_tag"
    REMOVE_TAG = "remove_tag"


# Task labels per step, as the tasks panel should show them (translated by the caller).
Labels = Mapping[Step, str]


@dataclass(frozen=True)
class Done:
    """A step that has changed the pool: ``ref`` is the object it made or touched."""

    step: Step
    ref: str | None = None
    detail: str = ""  # e.g. the name of the disk destroyed, or the tag added


class StepFailed(Exception):  # noqa: N818 - a step failing is the event, not an error class
    """``step`` failed because of ``cause``; ``done`` had already happened.

    An empty ``done`` means the pool is as it was before the operation.
    ``vm_power_state`` is the VM's power state read after the failure, for
    operations that change it (revert), or None when it was not read.
    """

    def __init__(self, step: Step, cause: Exception, done: Sequence[Done] = (), *,
                 vm_power_state: str | None = None) -> None:
        self.step = step
        self.cause = cause
        self.done = tuple(done)
        self.vm_power_state = vm_power_state
        super().__init__(step, cause)

    @property
    def nothing_changed(self) -> bool:
        return not self.done

    @property
    def code(self) -> str | None:
        """The XAPI error code of the cause, if the server gave one."""
        return self.cause.code if isinstance(self.cause, XapiError) else None

    def __str__(self) -> str:
        done = ", ".join(d.step.value for d in self.done) or "nothing"
        state = f"; the VM is now {self.vm_power_state}" if self.vm_power_state else ""
        return f"{self.step.value} failed: {self.cause} (already done: {done}{state})"


def sub_progress(progress: ProgressCallback | None, start: float,
                 end: float) -> ProgressCallback | None:
    """A callback mapping 0..1 onto ``start``..``end`` of ``progress``."""
    if progress is None:
        return None
    outer = progress

    def report(fraction: float) -> None:
        outer(start + (end - start) * min(1.0, max(0.0, fraction)))

    return report


def label_of(labels: Labels | None, step: Step) -> str | None:
    return labels.get(step) if labels is not None else None


async def run_step(conn: Connection, step: Step, method: str, *args: Any,
                   done: Sequence[Done] = (), progress: ProgressCallback | None = None,
                   applies_to: str | None = None, labels: Labels | None = None,
                   vm_state_of: str | None = None) -> Any:
    """``Async.<method>`` as one step; its failure becomes :class:`StepFailed`.

    With ``vm_state_of``, the VM's power state is read after a failure, so
    the error can say what state the failure left it in.
    """
    try:
        return await conn.run_task(method, *args, progress=progress, applies_to=applies_to,
                                   label=label_of(labels, step))
    except (XapiError, ConnectionFailed) as e:
        state = await power_state_or_none(conn, vm_state_of) if vm_state_of else None
        raise StepFailed(step, e, done, vm_power_state=state) from e


async def call_step(conn: Connection, step: Step, method: str, *args: Any,
                    done: Sequence[Done] = ()) -> Any:
    """A quick synchronous call as one step (setters); failure becomes :class:`StepFailed`."""
    try:
        return await conn.call(method, *args)
    except (XapiError, ConnectionFailed) as e:
        raise StepFailed(step, e, done) from e


async def power_state_or_none(conn: Connection, vm: str | None) -> str | None:
    """The VM's power state as the server has it now; None when it cannot be read."""
    if vm is None:
        return None
    try:
        state = await conn.call("VM.get_power_state", vm)
    except (XapiError, ConnectionFailed):
        return None
    return str(state)


_NUMBERED = re.compile(r"^(?P<base>.*) \((?P<n>\d+)\)$")


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base``, or ``base (2)``, ``base (3)``… whichever is not taken yet."""
    names = set(taken)
    if base not in names:
        return base
    stem = base
    match = _NUMBERED.match(base)
    number = 2
    if match:
        stem, number = match.group("base"), int(match.group("n")) + 1
    while f"{stem} ({number})" in names:
        number += 1
    return f"{stem} ({number})"
