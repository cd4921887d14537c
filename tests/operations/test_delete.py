"""delete_snapshots against a served pool: uninstall vs record-only (which VDIs remain),
one failure among many, one delete per SR at a time, disks already gone, and stop."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest

from xsnap_gui.operations.common import Step
from xsnap_gui.operations.delete import (
    DeleteMode,
    DeleteSummary,
    ItemOutcome,
    delete_snapshots,
    plan_delete,
)
from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.classes import vdi as sim_vdi
from xsnap_gui.simulator.faults import FailCall

from .conftest import cache_of, connect, disk_vdis, run, sdk, vm_named

NULL = "OpaqueRef:NULL"


def delete(running: RunningSimulator, refs: list[str], mode: DeleteMode, *,
           on_outcome: Any = None, stop: asyncio.Event | None = None) -> DeleteSummary:
    plan = plan_delete(cache_of(running), refs, mode)

    async def go() -> DeleteSummary:
        conn = await connect(running)
        try:
            return await delete_snapshots(conn, plan, on_outcome=on_outcome, stop=stop)
        finally:
            await conn.close()

    return run(go())


def checkpoint_of(x: Any, vm: str) -> str:
    return next(s for s in x.VM.get_snapshots(vm) if x.VM.get_suspend_VDI(s) != NULL)


def test_uninstall_destroys_owned_disks_and_memory_record_only_keeps_them(
        sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "api-01")
    checkpoint = checkpoint_of(x, vm)
    plain = next(s for s in x.VM.get_snapshots(vm) if x.VM.get_suspend_VDI(s) == NULL)
    gone = disk_vdis(x, checkpoint) | {x.VM.get_suspend_VDI(checkpoint)}
    kept = disk_vdis(x, plain)
    vm_disks = disk_vdis(x, vm)

    summary = delete(sim, [checkpoint], DeleteMode.UNINSTALL)
    assert summary.all_deleted and summary.space_freed > 0
    assert {d.vdi_ref for d in summary.outcomes[0].destroyed} == gone
    assert checkpoint not in x.VM.get_all()
    assert not gone & set(x.VDI.get_all())

    summary = delete(sim, [plain], DeleteMode.RECORD_ONLY)
    assert summary.all_deleted and summary.outcomes[0].destroyed == ()
    assert plain not in x.VM.get_all()
    assert kept <= set(x.VDI.get_all())
    # The VM's own disks are never touched.
    assert disk_vdis(x, vm) == vm_disks


def test_one_failure_among_many_is_reported_and_the_others_go_on(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "log-01")
    every = set(x.VM.get_snapshots(vm))
    refs = sorted(every)[:4]
    sim.sim.faults.add(FailCall("VM.destroy", "OTHER_OPERATION_IN_PROGRESS",
                                ("VM", "injected", "export", "OpaqueRef:x"), count=1))
    seen: list[ItemOutcome] = []
    summary = delete(sim, refs, DeleteMode.UNINSTALL, on_outcome=seen.append)

    assert [o.item.ref for o in summary.outcomes] == refs
    assert len(seen) == 4
    assert len(summary.failed) == 1 and len(summary.deleted) == 3
    failed = summary.failed[0]
    assert failed.failure is not None and failed.failure.step is Step.DESTROY_RECORD
    assert failed.failure.code == "OTHER_OPERATION_IN_PROGRESS"
    # Exactly what the report says: its disks went, its record stayed.
    remaining = set(x.VM.get_snapshots(vm))
    assert remaining == (every - set(refs)) | {failed.item.ref}
    destroyed = {d.vdi_ref for d in failed.destroyed}
    assert destroyed == {d.vdi_ref for d in failed.item.disks}
    assert not destroyed & set(x.VDI.get_all())
    assert [d.step for d in failed.failure.done] == [Step.DESTROY_DISK] * len(destroyed)


def test_deletes_on_one_sr_never_overlap(sim: RunningSimulator,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    x = sdk(sim)
    refs = [s for name in ("web-01", "web-02", "log-01", "dc-01")
            for s in list(x.VM.get_snapshots(vm_named(x, name)))[:2]]
    busy: dict[str, int] = {}
    most: dict[str, int] = {}
    lock = threading.Lock()
    original = sim_vdi.remove

    def slow_remove(db: Any, vdi: str) -> None:
        sr = str(db.get("VDI", vdi, "SR"))
        with lock:
            busy[sr] = busy.get(sr, 0) + 1
            most[sr] = max(most.get(sr, 0), busy[sr])
        time.sleep(0.05)  # long enough for a second delete on the SR to overlap, if allowed
        try:
            original(db, vdi)
        finally:
            with lock:
                busy[sr] -= 1

    monkeypatch.setattr(sim_vdi, "remove", slow_remove)
    summary = delete(sim, refs, DeleteMode.UNINSTALL)
    assert summary.all_deleted
    assert len(most) >= 2  # the snapshots span several SRs…
    assert set(most.values()) == {1}  # …and no SR ever had two deletes at once


def test_a_disk_already_deleted_elsewhere_is_not_a_failure(sim: RunningSimulator) -> None:
    x = sdk(sim)
    snapshot = next(iter(x.VM.get_snapshots(vm_named(x, "mail-01"))))
    plan_cache = cache_of(sim)
    first_disk = sorted(disk_vdis(x, snapshot))[0]
    x.VDI.destroy(first_disk)
    plan = plan_delete(plan_cache, [snapshot], DeleteMode.UNINSTALL)

    async def go() -> DeleteSummary:
        conn = await connect(sim)
        try:
            return await delete_snapshots(conn, plan)
        finally:
            await conn.close()

    summary = run(go())
    assert summary.all_deleted
    assert snapshot not in x.VM.get_all()


def test_stop_skips_what_has_not_started(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "runner-02")
    refs = list(x.VM.get_snapshots(vm))
    assert len(refs) >= 3
    stop = asyncio.Event()

    def stop_after_first(outcome: ItemOutcome) -> None:
        stop.set()

    # On one SR the deletes queue up; stopping after the first leaves the rest untouched.
    summary = delete(sim, refs, DeleteMode.UNINSTALL, on_outcome=stop_after_first, stop=stop)
    assert len(summary.deleted) == 1
    assert len(summary.skipped) == len(refs) - 1
    assert set(x.VM.get_snapshots(vm)) == {o.item.ref for o in summary.skipped}
