"""Take a snapshot: ``Async.VM.snapshot`` (disks) or ``Async.VM.checkpoint`` (disks and
memory), then the description, as XenCenter's VMSnapshotCreateAction does."""

from __future__ import annotations

from dataclasses import dataclass

from ..model.cache import ObjectCache
from ..model.views import VM, Pool
from ..xapi.client import Connection
from .common import Done, Labels, ProgressCallback, Step, call_step, run_step, unique_name

__all__ = [
    "MemoryMode",
    "SnapshotRequest",
    "SnapshotResult",
    "default_snapshot_name",
    "memory_mode",
    "snapshot_names",
    "take_snapshot",
]


@dataclass(frozen=True)
class SnapshotRequest:
    vm_ref: str
    name: str
    description: str = ""
    memory: bool = False  # a checkpoint: disks and memory


@dataclass(frozen=True)
class SnapshotResult:
    ref: str
    request: SnapshotRequest


async def take_snapshot(conn: Connection, request: SnapshotRequest, *,
                        progress: ProgressCallback | None = None,
                        labels: Labels | None = None) -> SnapshotResult:
    """Take the snapshot; cancelling the coroutine cancels the server task (nothing made).

    Raises StepFailed: at SNAPSHOT/CHECKPOINT nothing changed; at DESCRIBE the
    snapshot exists (``done`` names it) but kept its VM's description.
    """
    step = Step.CHECKPOINT if request.memory else Step.SNAPSHOT
    method = "VM.checkpoint" if request.memory else "VM.snapshot"
    ref = str(await run_step(conn, step, method, request.vm_ref, request.name,
                             progress=progress, applies_to=request.vm_ref, labels=labels))
    if request.description:
        await call_step(conn, Step.DESCRIBE, "VM.set_name_description", ref,
                        request.description, done=[Done(step, ref, request.name)])
    return SnapshotResult(ref, request)


def snapshot_names(cache: ObjectCache, vm_ref: str) -> set[str]:
    vm = VM.get(cache, vm_ref)
    return {s.name_label for s in vm.snapshots} if vm is not None else set()


def default_snapshot_name(cache: ObjectCache, vm_ref: str, base: str) -> str:
    """``base`` made unique among the VM's snapshots."""
    return unique_name(base, snapshot_names(cache, vm_ref))


@dataclass(frozen=True)
class MemoryMode:
    """Whether the VM can take a memory snapshot now, and if not, why (first reason wins)."""

    available: bool
    reason: str = ""  # "power_state", "not_allowed", "licence", "permission", "missing"
    power_state: str = ""


def memory_mode(cache: ObjectCache, vm_ref: str, *, permitted: bool) -> MemoryMode:
    """Memory snapshots need a running or paused VM whose allowed_operations has
    ``checkpoint``, a licence for checkpoints, and a role with ``vm.checkpoint``."""
    vm = VM.get(cache, vm_ref)
    if vm is None:
        return MemoryMode(False, "missing")
    state = vm.power_state
    if not permitted:
        return MemoryMode(False, "permission", state)
    if state not in ("Running", "Paused"):
        return MemoryMode(False, "power_state", state)
    pool = Pool.of(cache)
    if pool is not None and pool.checkpoint_restricted:
        return MemoryMode(False, "licence", state)
    if not vm.allows("checkpoint"):
        return MemoryMode(False, "not_allowed", state)
    return MemoryMode(True, "", state)
