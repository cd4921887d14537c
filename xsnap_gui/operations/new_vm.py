"""New VM from a snapshot: clone or copy it (which gives a template), turn that into a VM
with ``VM.provision``, and optionally start it (XenCenter's CreateVMAction, in short).

A memory snapshot's clone comes out Suspended with a copy of the memory image;
``VM.provision`` only takes halted templates, so such a clone is turned into a
VM by clearing ``is_a_template`` instead, and "start" then means resume.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model.cache import ObjectCache
from ..model.views import VM
from ..xapi.client import Connection
from .common import (
    Done,
    Labels,
    ProgressCallback,
    Step,
    call_step,
    power_state_or_none,
    run_step,
    sub_progress,
    unique_name,
)
from .power import resume_vm, start_vm

__all__ = ["NewVmRequest", "NewVmResult", "default_vm_name", "new_vm_from_snapshot"]


@dataclass(frozen=True)
class NewVmRequest:
    snapshot_ref: str
    name: str
    sr_ref: str | None = None  # None: a fast clone; else a full copy to this SR
    start: bool = False
    host_ref: str | None = None  # where to start it; None lets the pool choose
    description: str = ""


@dataclass(frozen=True)
class NewVmResult:
    ref: str
    request: NewVmRequest
    power_state: str
    done: tuple[Done, ...]


def default_vm_name(cache: ObjectCache, base: str) -> str:
    """``base`` made unique among the pool's VMs."""
    return unique_name(base, {vm.name_label for vm in VM.real_vms(cache)})


async def new_vm_from_snapshot(conn: Connection, request: NewVmRequest, *,
                               progress: ProgressCallback | None = None,
                               labels: Labels | None = None) -> NewVmResult:
    """Make the VM; raises StepFailed naming what exists already (a template left by a
    failed provision, a VM that would not start)."""
    snapshot = request.snapshot_ref
    copy_end = 0.8 if request.start else 0.95
    if request.sr_ref is None:
        step = Step.CLONE
        ref = await run_step(conn, step, "VM.clone", snapshot, request.name,
                             progress=sub_progress(progress, 0, copy_end),
                             applies_to=snapshot, labels=labels)
    else:
        step = Step.COPY
        ref = await run_step(conn, step, "VM.copy", snapshot, request.name, request.sr_ref,
                             progress=sub_progress(progress, 0, copy_end),
                             applies_to=snapshot, labels=labels)
    ref = str(ref)
    done = [Done(step, ref, request.name)]
    state = await power_state_or_none(conn, ref) or "Halted"
    if state == "Halted":
        await run_step(conn, Step.PROVISION, "VM.provision", ref, done=done, applies_to=ref,
                       labels=labels)
        done.append(Done(Step.PROVISION, ref))
    else:
        await call_step(conn, Step.MAKE_VM, "VM.set_is_a_template", ref, False, done=done)
        done.append(Done(Step.MAKE_VM, ref))
    if request.description:
        await call_step(conn, Step.DESCRIBE, "VM.set_name_description", ref,
                        request.description, done=done)
        done.append(Done(Step.DESCRIBE, ref))
    if request.start:
        rest = sub_progress(progress, copy_end, 1.0)
        if state == "Suspended":
            await resume_vm(conn, ref, request.host_ref, done=done, progress=rest, labels=labels)
            done.append(Done(Step.RESUME, ref))
        else:
            await start_vm(conn, ref, request.host_ref, done=done, progress=rest, labels=labels,
                           strict_host=request.host_ref is not None)
            done.append(Done(Step.START, ref))
        state = await power_state_or_none(conn, ref) or state
    if progress is not None:
        progress(1.0)
    return NewVmResult(ref, request, state, tuple(done))
