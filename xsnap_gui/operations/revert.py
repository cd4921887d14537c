"""Revert a VM to a snapshot, optionally snapshotting its current state first, and put
the VM back in the power state the snapshot recorded (XenCenter's VMSnapshotRevertAction).

``VM.revert`` hard-shuts the VM down, replaces its disks with clones of the
snapshot's and leaves it Halted, or Suspended for a checkpoint. If the snapshot
says the VM was running, it is started again on the host it ran on (CA-218260),
else anywhere. A checkpoint's VM is left Suspended: resuming it is the user's
call (:func:`~xsnap_gui.operations.power.resume_vm`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..xapi.client import Connection
from ..xapi.errors import ConnectionFailed, XapiError
from .common import (
    Done,
    Labels,
    ProgressCallback,
    Step,
    StepFailed,
    power_state_or_none,
    run_step,
    sub_progress,
)
from .power import start_vm
from .snapshot import SnapshotRequest, take_snapshot

__all__ = ["POWER_STATE_AT_SNAPSHOT", "RevertResult", "revert_to_snapshot"]

POWER_STATE_AT_SNAPSHOT = "power-state-at-snapshot"


@dataclass(frozen=True)
class RevertResult:
    snapshot_ref: str
    vm_ref: str
    pre_snapshot: str | None  # the snapshot of the state before the revert, if one was taken
    power_state_at_snapshot: str  # from snapshot_info; "" when the snapshot does not say
    power_state: str  # the VM's, now
    started: bool  # the VM was started to restore "Running"
    needs_resume: bool  # a checkpoint left the VM Suspended
    done: tuple[Done, ...]


async def _read(conn: Connection, method: str, *args: Any) -> Any:
    try:
        return await conn.call(method, *args)
    except (XapiError, ConnectionFailed) as e:
        raise StepFailed(Step.REVERT, e) from e


async def revert_to_snapshot(conn: Connection, snapshot_ref: str, *,
                             snapshot_first: SnapshotRequest | None = None,
                             restore_power: bool = True,
                             progress: ProgressCallback | None = None,
                             labels: Labels | None = None) -> RevertResult:
    """Revert; raises StepFailed saying which step failed and the VM's power state then.

    Progress: the first snapshot takes 0 to 30 %, the revert up to 90 %, the start
    the rest. Only the first snapshot can be cancelled (xapi cannot cancel a revert).
    """
    vm_ref = await _read(conn, "VM.get_snapshot_of", snapshot_ref)
    previous_host = await _read(conn, "VM.get_resident_on", vm_ref) if vm_ref else None
    info = await _read(conn, "VM.get_snapshot_info", snapshot_ref)
    at_snapshot = str(info.get(POWER_STATE_AT_SNAPSHOT, "")) if isinstance(info, dict) else ""
    done: list[Done] = []
    pre_snapshot: str | None = None
    revert_from = 0.0
    if snapshot_first is not None:
        taken = await take_snapshot(conn, snapshot_first, progress=sub_progress(progress, 0, 0.3),
                                    labels=labels)
        pre_snapshot = taken.ref
        step = Step.CHECKPOINT if snapshot_first.memory else Step.SNAPSHOT
        done.append(Done(step, taken.ref, snapshot_first.name))
        revert_from = 0.3
    targets = ",".join(r for r in (vm_ref, snapshot_ref) if r)
    await run_step(conn, Step.REVERT, "VM.revert", snapshot_ref, done=done,
                   progress=sub_progress(progress, revert_from, 0.9), applies_to=targets,
                   labels=labels, vm_state_of=vm_ref)
    if vm_ref is None:
        # The VM had been deleted: the revert made a new one from the snapshot.
        vm_ref = await conn.call("VM.get_snapshot_of", snapshot_ref)
    done.append(Done(Step.REVERT, snapshot_ref))
    state = await power_state_or_none(conn, vm_ref) or ""
    started = False
    if restore_power and at_snapshot == "Running" and state == "Halted" and vm_ref:
        await start_vm(conn, vm_ref, previous_host, done=done,
                       progress=sub_progress(progress, 0.9, 1.0), labels=labels)
        done.append(Done(Step.START, vm_ref))
        started = True
        state = await power_state_or_none(conn, vm_ref) or "Running"
    if progress is not None:
        progress(1.0)
    return RevertResult(snapshot_ref, str(vm_ref), pre_snapshot, at_snapshot, state, started,
                        state == "Suspended", tuple(done))
