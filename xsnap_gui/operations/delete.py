"""Delete snapshots, as ``xe`` has it: with their disks (``snapshot-uninstall``) or only the
record (``snapshot-destroy``), one or many at a time.

Uninstalling a snapshot destroys the VDIs of its disk VBDs that carry
``other_config["owner"]`` and its suspend VDI, then the VM record. Each
deleted disk sets off a coalesce on its SR, and coalesces on one SR compete
for its I/O and space, so deletes that touch the same SR run one at a time;
deletes on different SRs run side by side. A failing snapshot is reported
with exactly what was destroyed before the failure, and the others go on.
"""

from __future__ import annotations

import asyncio
import enum
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field

from ..model.cache import ObjectCache
from ..model.views import SR, VDI, VM
from ..xapi.client import Connection
from ..xapi.errors import XapiError
from .common import Done, Labels, ProgressCallback, Step, StepFailed, run_step
from .preflight import Finding, coalesce_findings

__all__ = [
    "DeleteMode",
    "DeletePlan",
    "DeleteSummary",
    "DiskToDelete",
    "ItemOutcome",
    "SnapshotToDelete",
    "delete_findings",
    "delete_snapshots",
    "plan_delete",
]


class DeleteMode(enum.StrEnum):
    UNINSTALL = "uninstall"  # the snapshot and its disks (xe snapshot-uninstall)
    RECORD_ONLY = "record_only"  # the record; every disk stays (xe snapshot-destroy)


@dataclass(frozen=True)
class DiskToDelete:
    vdi_ref: str
    name: str
    sr_ref: str | None
    sr_name: str
    size: int  # physical_utilisation: what deleting it frees (before coalescing)
    virtual_size: int
    is_memory: bool  # the suspend image of a memory snapshot


@dataclass(frozen=True)
class SnapshotToDelete:
    ref: str
    name: str
    disks: tuple[DiskToDelete, ...]  # destroyed by an uninstall: owned disks, memory image
    shared: tuple[DiskToDelete, ...]  # disks it uses but does not own: always kept

    @property
    def sr_refs(self) -> frozenset[str]:
        return frozenset(d.sr_ref for d in self.disks if d.sr_ref is not None)

    @property
    def size(self) -> int:
        return sum(d.size for d in self.disks)


@dataclass(frozen=True)
class DeletePlan:
    mode: DeleteMode
    items: tuple[SnapshotToDelete, ...]

    @property
    def destroyed_disks(self) -> list[DiskToDelete]:
        return [d for i in self.items for d in i.disks] if self.mode is DeleteMode.UNINSTALL \
            else []

    @property
    def kept_disks(self) -> list[DiskToDelete]:
        kept = [d for i in self.items for d in i.shared]
        if self.mode is DeleteMode.RECORD_ONLY:
            kept += [d for i in self.items for d in i.disks]
        return kept

    @property
    def space_freed(self) -> int:
        return sum(d.size for d in self.destroyed_disks)

    def freed_by_sr(self) -> dict[str, int]:
        freed: dict[str, int] = {}
        for disk in self.destroyed_disks:
            if disk.sr_ref is not None:
                freed[disk.sr_ref] = freed.get(disk.sr_ref, 0) + disk.size
        return freed


def _disk(cache: ObjectCache, vdi: VDI, *, is_memory: bool) -> DiskToDelete:
    sr = SR.get(cache, vdi.sr_ref)
    return DiskToDelete(vdi.ref, vdi.name_label, vdi.sr_ref, sr.name_label if sr else "",
                        max(vdi.physical_utilisation, 0), vdi.virtual_size, is_memory)


def plan_delete(cache: ObjectCache, refs: Sequence[str], mode: DeleteMode) -> DeletePlan:
    """What deleting these snapshots destroys and keeps (refs not in the cache are skipped)."""
    items: list[SnapshotToDelete] = []
    for ref in dict.fromkeys(refs):
        snapshot = VM.get(cache, ref)
        if snapshot is None:
            continue
        owned: list[DiskToDelete] = []
        shared: list[DiskToDelete] = []
        for vbd in snapshot.disk_vbds:
            vdi = vbd.vdi
            if vbd.empty or vdi is None:
                continue
            (owned if vbd.is_owner else shared).append(_disk(cache, vdi, is_memory=False))
        suspend = snapshot.suspend_vdi
        if suspend is not None:
            owned.append(_disk(cache, suspend, is_memory=True))
        items.append(SnapshotToDelete(ref, snapshot.name_label, tuple(owned), tuple(shared)))
    return DeletePlan(mode, tuple(items))


def delete_findings(cache: ObjectCache, plan: DeletePlan) -> list[Finding]:
    """Warnings about coalescing after an uninstall (nothing blocks a delete)."""
    largest: dict[str, int] = {}
    for disk in plan.destroyed_disks:
        if disk.sr_ref is not None:
            largest[disk.sr_ref] = max(largest.get(disk.sr_ref, 0), disk.virtual_size)
    return coalesce_findings(cache, largest)


@dataclass(frozen=True)
class ItemOutcome:
    item: SnapshotToDelete
    deleted: bool
    destroyed: tuple[DiskToDelete, ...] = ()  # disks destroyed (also when the record failed)
    failure: StepFailed | None = None
    skipped: bool = False  # never started: the run was stopped first


@dataclass
class DeleteSummary:
    mode: DeleteMode
    outcomes: list[ItemOutcome] = field(default_factory=list)

    @property
    def deleted(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if o.deleted]

    @property
    def failed(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if o.failure is not None]

    @property
    def skipped(self) -> list[ItemOutcome]:
        return [o for o in self.outcomes if o.skipped]

    @property
    def all_deleted(self) -> bool:
        return all(o.deleted for o in self.outcomes)

    @property
    def space_freed(self) -> int:
        return sum(d.size for o in self.outcomes for d in o.destroyed)


async def _delete_one(conn: Connection, item: SnapshotToDelete, mode: DeleteMode,
                      labels: Labels | None) -> ItemOutcome:
    destroyed: list[DiskToDelete] = []
    done: list[Done] = []
    try:
        if mode is DeleteMode.UNINSTALL:
            for disk in item.disks:
                try:
                    await run_step(conn, Step.DESTROY_DISK, "VDI.destroy", disk.vdi_ref,
                                   done=done, applies_to=item.ref, labels=labels)
                except StepFailed as e:
                    # Already gone (deleted elsewhere meanwhile): that is what we wanted.
                    if not (isinstance(e.cause, XapiError) and e.cause.code == "HANDLE_INVALID"):
                        raise
                destroyed.append(disk)
                done.append(Done(Step.DESTROY_DISK, disk.vdi_ref, disk.name))
        await run_step(conn, Step.DESTROY_RECORD, "VM.destroy", item.ref, done=done,
                       applies_to=item.ref, labels=labels)
    except StepFailed as e:
        return ItemOutcome(item, False, tuple(destroyed), e)
    return ItemOutcome(item, True, tuple(destroyed))


async def delete_snapshots(conn: Connection, plan: DeletePlan, *,
                           progress: ProgressCallback | None = None,
                           on_outcome: Callable[[ItemOutcome], None] | None = None,
                           stop: asyncio.Event | None = None,
                           labels: Labels | None = None) -> DeleteSummary:
    """Delete every snapshot of ``plan``; never raises for a single snapshot's failure.

    Setting ``stop`` lets running deletes finish and starts no new one (those
    are reported ``skipped``). Outcomes come in ``plan.items`` order in the
    summary, and to ``on_outcome`` as each snapshot finishes.
    """
    uninstall = plan.mode is DeleteMode.UNINSTALL
    sr_locks: dict[str, asyncio.Lock] = {}
    if uninstall:
        for item in plan.items:
            for sr in item.sr_refs:
                sr_locks.setdefault(sr, asyncio.Lock())
    finished = 0
    total = len(plan.items)

    async def run(item: SnapshotToDelete) -> ItemOutcome:
        nonlocal finished
        async with AsyncExitStack() as held:
            # One delete per SR at a time; locks in a fixed order, so none waits in a cycle.
            for sr in sorted(item.sr_refs) if uninstall else ():
                await held.enter_async_context(sr_locks[sr])
            if stop is not None and stop.is_set():
                outcome = ItemOutcome(item, False, skipped=True)
            else:
                outcome = await _delete_one(conn, item, plan.mode, labels)
        finished += 1
        if progress is not None:
            progress(finished / total)
        if on_outcome is not None:
            on_outcome(outcome)
        return outcome

    outcomes = await asyncio.gather(*(run(item) for item in plan.items))
    return DeleteSummary(plan.mode, list(outcomes))
