"""Snapshot schedule (VMSS) operations: create, change, enable, run now, delete. Qt-free.

Each operation runs its calls in XenCenter's order (notes/xencenter-snapshots.md §2,
"XenAPI calls") and never stops at the first failure it can work around: the
:class:`Report` it returns lists every step done and every step that failed, so the
user is told exactly what state the pool was left in.

Calls that xapi offers as ``Async.`` run as tasks with a label, so the tasks panel
shows them; implicit setters (``set_name_label``, ``set_enabled`` …) are plain calls.
Labels are user-visible text: the caller passes a :data:`Labeller` that translates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..model.schedules import (
    SCHEDULE_KEYS,
    ScheduleDraft,
    VmFailure,
    normalised_schedule,
    ocaml_int_of_string,
    parse_failures,
)
from ..xapi.errors import XapiError

NULL_REF = "OpaqueRef:NULL"
# Steps, as reported.
CREATE = "create"
ASSIGN = "assign"
UNASSIGN = "unassign"
RUN_NOW = "run_now"
DESTROY = "destroy"
SET = "set"  # a VMSS.set_* call; ``detail`` names the field
# Errors meaning "already gone": deleting what is not there any more is not a failure.
_GONE = frozenset({"HANDLE_INVALID", "UUID_INVALID"})


class Caller(Protocol):
    """What the operations need from a connection (xsnap_gui.xapi.client.Connection)."""

    async def call(self, method: str, *args: Any) -> Any: ...

    async def run_task(self, method: str, *args: Any,
                       progress: Callable[[float], None] | None = None,
                       applies_to: str | None = None, label: str | None = None) -> Any: ...


# (step, {"schedule": name, "vm": name, "field": name}) -> the task's label.
Labeller = Callable[[str, Mapping[str, str]], str]


def english_labels(step: str, names: Mapping[str, str]) -> str:
    schedule, vm = names.get("schedule", ""), names.get("vm", "")
    return {
        CREATE: f"Creating snapshot schedule '{schedule}'",
        ASSIGN: f"Adding '{vm}' to snapshot schedule '{schedule}'",
        UNASSIGN: f"Removing '{vm}' from snapshot schedule '{schedule}'",
        RUN_NOW: f"Running snapshot schedule '{schedule}' now",
        DESTROY: f"Deleting snapshot schedule '{schedule}'",
    }.get(step, f"Changing snapshot schedule '{schedule}'")


@dataclass(frozen=True)
class Step:
    """One call: what it did (``kind``), to which object (``target``, a ref), with
    ``detail`` (the field for SET; the schedule's name for CREATE, RUN_NOW and DESTROY)
    and, for a failure, the error."""

    kind: str
    target: str
    detail: str = ""
    error: XapiError | None = None


@dataclass
class Report:
    """What an operation did. ``vmss`` is the schedule it made or worked on."""

    vmss: str | None = None
    done: list[Step] = field(default_factory=list)
    failed: list[Step] = field(default_factory=list)
    # A run (snapshot_now) whose snapshots failed for some VMs: per-VM errors.
    run_failures: list[VmFailure] = field(default_factory=list)
    run_summary: str = ""

    @property
    def ok(self) -> bool:
        return not self.failed and not self.run_failures

    def targets(self, kind: str, *, failed: bool = False) -> list[str]:
        return [s.target for s in (self.failed if failed else self.done) if s.kind == kind]

    def merge(self, other: Report) -> None:
        self.done += other.done
        self.failed += other.failed
        self.run_failures += other.run_failures
        if other.run_summary:
            self.run_summary = other.run_summary


def _names(schedule: str = "", vm: str = "", field_name: str = "") -> dict[str, str]:
    return {"schedule": schedule, "vm": vm, "field": field_name}


async def _assign_each(conn: Caller, report: Report, vms: Iterable[tuple[str, str]],
                       vmss: str, schedule_name: str, labels: Labeller, *,
                       unassign: bool = False) -> None:
    kind = UNASSIGN if unassign else ASSIGN
    for vm, vm_name in vms:
        try:
            await conn.run_task("VM.set_snapshot_schedule", vm,
                                NULL_REF if unassign else vmss, applies_to=vm,
                                label=labels(kind, _names(schedule_name, vm_name)))
        except XapiError as e:
            if unassign and e.code in _GONE:
                continue  # the VM is gone, and with it its assignment
            report.failed.append(Step(kind, vm, error=e))
        else:
            report.done.append(Step(kind, vm))


async def run_now(conn: Caller, vmss: str, schedule_name: str,
                  labels: Labeller = english_labels) -> Report:
    """``VMSS.snapshot_now``; VMs whose snapshot failed are in ``run_failures``."""
    report = Report(vmss)
    try:
        summary = await conn.run_task("VMSS.snapshot_now", vmss, applies_to=vmss,
                                      label=labels(RUN_NOW, _names(schedule_name)))
    except XapiError as e:
        report.failed.append(Step(RUN_NOW, vmss, schedule_name, e))
        return report
    report.run_summary = str(summary or "")
    report.run_failures = parse_failures(report.run_summary)
    report.done.append(Step(RUN_NOW, vmss, schedule_name))
    return report


async def create_schedule(conn: Caller, draft: ScheduleDraft,
                          vms: Sequence[tuple[str, str]], *, run_after: bool = False,
                          labels: Labeller = english_labels) -> Report:
    """Create the schedule, add ``vms`` ((ref, name) pairs) one by one, then run it once
    if asked and at least one VM made it in (XenCenter's CreateVMPolicy)."""
    report = Report()
    try:
        vmss = await conn.run_task("VMSS.create", draft.record(),
                                   label=labels(CREATE, _names(draft.name_label)))
    except XapiError as e:
        report.failed.append(Step(CREATE, "", draft.name_label, e))
        return report
    report.vmss = str(vmss)
    report.done.append(Step(CREATE, report.vmss, draft.name_label))
    await _assign_each(conn, report, vms, report.vmss, draft.name_label, labels)
    if run_after and report.targets(ASSIGN):
        report.merge(await run_now(conn, report.vmss, draft.name_label, labels))
    return report


def _same_value(key: str, a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return a == b
    if key == "hour":
        return ocaml_int_of_string(a) == ocaml_int_of_string(b)
    if key == "days":
        return {d.strip().lower() for d in a.split(",")} == {d.strip().lower()
                                                                for d in b.split(",")}
    return a.strip().lower() == b.strip().lower()


def property_calls(before: Mapping[str, Any], after: ScheduleDraft) -> list[tuple[str, Any]]:
    """The ``VMSS.set_*`` calls that turn the record ``before`` into ``after``: one per
    changed field, none for what is unchanged. Returns (method, value) pairs in order.

    set_frequency re-normalises the stored schedule (keys of the new frequency only,
    defaults filled), and set_schedule merges keys over what is stored, so the schedule
    is sent after the frequency, with only the keys whose value still differs.
    """
    calls: list[tuple[str, Any]] = []
    if str(before.get("name_label", "")) != after.name_label:
        calls.append(("VMSS.set_name_label", after.name_label))
    if str(before.get("name_description", "")) != after.name_description:
        calls.append(("VMSS.set_name_description", after.name_description))
    if before.get("type") != after.type:
        calls.append(("VMSS.set_type", after.type))
    if before.get("retained_snapshots") != after.retained_snapshots:
        calls.append(("VMSS.set_retained_snapshots", after.retained_snapshots))
    stored: dict[str, str] = dict(before.get("schedule") or {})
    if before.get("frequency") != after.frequency:
        calls.append(("VMSS.set_frequency", after.frequency))
        try:
            stored = normalised_schedule(after.frequency, stored)
        except ValueError:
            stored = {}  # unreadable stored values: send every key
    wanted = after.schedule
    changed = {key: value for key, value in wanted.items()
               if key in SCHEDULE_KEYS[after.frequency]
               and not _same_value(key, stored.get(key), value)}
    if changed:
        calls.append(("VMSS.set_schedule", changed))
    if bool(before.get("enabled")) != after.enabled:
        calls.append(("VMSS.set_enabled", after.enabled))
    return calls


async def save_properties(conn: Caller, vmss: str, before: Mapping[str, Any],
                          after: ScheduleDraft, *, add: Sequence[tuple[str, str]] = (),
                          remove: Sequence[tuple[str, str]] = (),
                          labels: Labeller = english_labels) -> Report:
    """Apply a properties dialog: VM membership first, then only the changed fields
    (XenCenter's order). Every call is tried; failures are reported, not fatal."""
    report = Report(vmss)
    name = after.name_label
    await _assign_each(conn, report, remove, vmss, name, labels, unassign=True)
    await _assign_each(conn, report, add, vmss, name, labels)
    for method, value in property_calls(before, after):
        field_name = method.removeprefix("VMSS.set_")
        try:
            await conn.call(method, vmss, value)
        except XapiError as e:
            report.failed.append(Step(SET, vmss, field_name, e))
        else:
            report.done.append(Step(SET, vmss, field_name))
    return report


async def set_enabled(conn: Caller, schedules: Sequence[str], enabled: bool) -> Report:
    """``VMSS.set_enabled`` on each schedule."""
    report = Report(schedules[0] if len(schedules) == 1 else None)
    for vmss in schedules:
        try:
            await conn.call("VMSS.set_enabled", vmss, enabled)
        except XapiError as e:
            report.failed.append(Step(SET, vmss, "enabled", e))
        else:
            report.done.append(Step(SET, vmss, "enabled"))
    return report


async def delete_schedules(conn: Caller, schedules: Sequence[tuple[str, str]],
                           members: Mapping[str, Sequence[tuple[str, str]]],
                           labels: Labeller = english_labels) -> Report:
    """For each (ref, name) schedule: take its VMs (``members[ref]``) out, then
    ``VMSS.destroy``. A schedule that still holds a VM is not destroyed (the server would
    refuse with VMSS_HAS_VM); one already gone counts as deleted."""
    report = Report(schedules[0][0] if len(schedules) == 1 else None)
    for vmss, name in schedules:
        part = Report(vmss)
        await _assign_each(conn, part, members.get(vmss, ()), vmss, name, labels,
                           unassign=True)
        report.merge(part)
        if part.failed:
            continue
        try:
            await conn.run_task("VMSS.destroy", vmss, applies_to=vmss,
                                label=labels(DESTROY, _names(name)))
        except XapiError as e:
            if e.code not in _GONE:
                report.failed.append(Step(DESTROY, vmss, name, e))
                continue
        report.done.append(Step(DESTROY, vmss, name))
    return report


async def assign_vms(conn: Caller, vmss: str | None, schedule_name: str,
                     vms: Sequence[tuple[str, str]],
                     labels: Labeller = english_labels) -> Report:
    """Put ``vms`` into schedule ``vmss`` (moving them from any other), or take them out of
    their schedules when ``vmss`` is None."""
    report = Report(vmss)
    await _assign_each(conn, report, vms, vmss or NULL_REF, schedule_name, labels,
                       unassign=vmss is None)
    return report


__all__ = [
    "ASSIGN",
    "CREATE",
    "DESTROY",
    "RUN_NOW",
    "SET",
    "UNASSIGN",
    "Caller",
    "Labeller",
    "Report",
    "Step",
    "assign_vms",
    "create_schedule",
    "delete_schedules",
    "english_labels",
    "property_calls",
    "run_now",
    "save_properties",
    "set_enabled",
]
