"""Starting and resuming a VM, preferably on a given host (XenCenter's order of tries)."""

from __future__ import annotations

from collections.abc import Sequence

from ..xapi.client import Connection
from ..xapi.errors import XapiError
from .common import Done, Labels, ProgressCallback, Step, StepFailed, run_step

__all__ = ["resume_vm", "start_vm"]


async def _on_host_then_anywhere(conn: Connection, step: Step, vm: str, host: str | None, *,
                                 done: Sequence[Done], progress: ProgressCallback | None,
                                 labels: Labels | None, strict_host: bool) -> None:
    plain = "VM.start" if step is Step.START else "VM.resume"
    if host is not None:
        try:
            await run_step(conn, step, plain + "_on", vm, host, False, False, done=done,
                           progress=progress, applies_to=vm, labels=labels, vm_state_of=vm)
            return
        except StepFailed as e:
            # The host may lack memory or a network, or the role may not allow *_on
            # (vm-admin may start, not start_on): the user wants the VM running, so let
            # the pool choose, unless the host was the user's explicit choice. A
            # connection failure would fail again elsewhere.
            if strict_host or not isinstance(e.cause, XapiError):
                raise
    await run_step(conn, step, plain, vm, False, False, done=done, progress=progress,
                   applies_to=vm, labels=labels, vm_state_of=vm)


async def start_vm(conn: Connection, vm: str, host: str | None = None, *,
                   done: Sequence[Done] = (), progress: ProgressCallback | None = None,
                   labels: Labels | None = None, strict_host: bool = False) -> None:
    """Start a halted VM on ``host`` (falling back to any host unless ``strict_host``)."""
    await _on_host_then_anywhere(conn, Step.START, vm, host, done=done, progress=progress,
                                 labels=labels, strict_host=strict_host)


async def resume_vm(conn: Connection, vm: str, host: str | None = None, *,
                    done: Sequence[Done] = (), progress: ProgressCallback | None = None,
                    labels: Labels | None = None) -> None:
    """Resume a suspended VM, on ``host`` if it can be, else wherever the pool chooses."""
    await _on_host_then_anywhere(conn, Step.RESUME, vm, host, done=done, progress=progress,
                                 labels=labels, strict_host=False)
