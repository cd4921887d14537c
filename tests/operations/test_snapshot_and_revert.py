"""take_snapshot and revert_to_snapshot against a served pool, checked through the SDK:
names, descriptions, memory, task labels, SR_FULL from the server, cancel, partial
failures, the branch a "snapshot first" leaves, and the power state afterwards."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from xsnap_gui.operations.common import Step, StepFailed
from xsnap_gui.operations.power import resume_vm
from xsnap_gui.operations.revert import revert_to_snapshot
from xsnap_gui.operations.snapshot import SnapshotRequest, take_snapshot
from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.faults import FailCall
from xsnap_gui.simulator.generate import NEARLY_FULL_SR_NAME
from xsnap_gui.xapi.tasks import LABEL_KEY

from .conftest import connect, run, sdk, snapshots_of, vm_named, vm_on_sr

NULL = "OpaqueRef:NULL"


def labels_seen(running: RunningSimulator) -> list[str]:
    """Task labels the client writes, as the server receives them."""
    seen: list[str] = []

    def hook(method: str, params: list[Any]) -> None:
        if method == "task.add_to_other_config" and len(params) >= 4 and params[2] == LABEL_KEY:
            seen.append(str(params[3]))

    running.sim.before_call.append(hook)
    return seen


def snapshot_named(x: Any, vm: str, name: str) -> str:
    return next(ref for ref, rec in snapshots_of(x, vm).items() if rec["name_label"] == name)


def test_take_snapshot_with_description_and_label(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "web-01")
    before = set(x.VM.get_snapshots(vm))
    labels = labels_seen(sim)
    fractions: list[float] = []

    async def go() -> str:
        conn = await connect(sim)
        try:
            result = await take_snapshot(
                conn, SnapshotRequest(vm, "before the upgrade", "kernel 6.1 → 6.6"),
                progress=fractions.append, labels={Step.SNAPSHOT: "Take snapshot"})
            return result.ref
        finally:
            await conn.close()

    ref = run(go())
    assert set(x.VM.get_snapshots(vm)) == before | {ref}
    rec = x.VM.get_record(ref)
    assert rec["name_label"] == "before the upgrade"
    assert rec["name_description"] == "kernel 6.1 → 6.6"
    assert rec["is_a_snapshot"] and rec["snapshot_of"] == vm and rec["suspend_VDI"] == NULL
    assert x.VM.get_parent(vm) == ref
    assert x.VM.get_power_state(vm) == "Running"
    assert labels == ["Take snapshot"]
    assert fractions and fractions[-1] == 1.0


def test_memory_snapshot_of_a_running_vm(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "web-03")

    async def go() -> str:
        conn = await connect(sim)
        try:
            return (await take_snapshot(conn, SnapshotRequest(vm, "with memory",
                                                              memory=True))).ref
        finally:
            await conn.close()

    ref = run(go())
    rec = x.VM.get_record(ref)
    assert rec["power_state"] == "Suspended" and rec["suspend_VDI"] != NULL
    assert rec["snapshot_info"]["power-state-at-snapshot"] == "Running"
    assert x.VM.get_power_state(vm) == "Running"


def test_sr_full_from_the_server_changes_nothing(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_on_sr(x, NEARLY_FULL_SR_NAME)
    before = set(x.VM.get_snapshots(vm))

    async def go() -> None:
        conn = await connect(sim)
        try:
            await take_snapshot(conn, SnapshotRequest(vm, "does not fit"))
        finally:
            await conn.close()

    with pytest.raises(StepFailed) as caught:
        run(go())
    assert caught.value.step is Step.SNAPSHOT and caught.value.code == "SR_FULL"
    assert caught.value.nothing_changed
    assert set(x.VM.get_snapshots(vm)) == before


def test_description_failure_names_the_snapshot_made(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "mail-01")
    sim.sim.faults.add(FailCall("VM.set_name_description", "INTERNAL_ERROR", ("injected",)))

    async def go() -> None:
        conn = await connect(sim)
        try:
            await take_snapshot(conn, SnapshotRequest(vm, "half done", "never set"))
        finally:
            await conn.close()

    with pytest.raises(StepFailed) as caught:
        run(go())
    failure = caught.value
    assert failure.step is Step.DESCRIBE and not failure.nothing_changed
    made = failure.done[0]
    assert made.step is Step.SNAPSHOT and x.VM.get_name_label(made.ref) == "half done"
    assert x.VM.get_snapshot_of(made.ref) == vm


def test_cancelling_a_snapshot_leaves_nothing(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "api-01")
    before = set(x.VM.get_snapshots(vm))
    sim.sim.config.work_scale = 1.0  # about 2.6 real seconds for this VM's 32 GiB

    async def go() -> None:
        conn = await connect(sim)
        try:
            job = asyncio.ensure_future(take_snapshot(conn, SnapshotRequest(vm, "cancelled")))
            while not sim.sim.db.get("VM", vm, "current_operations"):
                await asyncio.sleep(0.02)
            job.cancel()
            with pytest.raises(asyncio.CancelledError):
                await job
        finally:
            await conn.close()

    run(go())
    assert set(x.VM.get_snapshots(vm)) == before
    assert x.VM.get_current_operations(vm) == {}
    assert not [t for t in x.task.get_all_records().values() if t["status"] == "pending"]


def test_revert_with_a_snapshot_first_branches_and_restarts_the_vm(
        sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "web-01")
    target = snapshot_named(x, vm, "before driver update")
    host = x.VM.get_resident_on(vm)
    old_parent = x.VM.get_parent(vm)
    assert old_parent != target
    fractions: list[float] = []

    async def go() -> Any:
        conn = await connect(sim)
        try:
            return await revert_to_snapshot(
                conn, target, snapshot_first=SnapshotRequest(vm, "state before revert"),
                progress=fractions.append)
        finally:
            await conn.close()

    result = run(go())
    pre = result.pre_snapshot
    assert pre is not None and x.VM.get_name_label(pre) == "state before revert"
    # The state before the revert is a branch of its own: it hangs where Now was.
    assert x.VM.get_parent(pre) == old_parent
    assert x.VM.get_parent(vm) == target
    assert x.VM.get_power_state(vm) == "Running" and x.VM.get_resident_on(vm) == host
    assert result.started and not result.needs_resume and result.power_state == "Running"
    assert [d.step for d in result.done] == [Step.SNAPSHOT, Step.REVERT, Step.START]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_revert_to_a_memory_snapshot_leaves_it_suspended_until_resumed(
        sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "api-01")
    target = snapshot_named(x, vm, "baseline")
    assert x.VM.get_power_state(target) == "Suspended"

    async def go() -> Any:
        conn = await connect(sim)
        try:
            result = await revert_to_snapshot(conn, target)
            assert x.VM.get_power_state(vm) == "Suspended"
            await resume_vm(conn, vm)
            return result
        finally:
            await conn.close()

    result = run(go())
    assert result.needs_resume and not result.started and result.power_state == "Suspended"
    assert x.VM.get_power_state(vm) == "Running"


def test_revert_to_a_halted_snapshot_leaves_the_vm_halted(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "api-01")
    target = snapshot_named(x, vm, "baseline (3)")

    async def go() -> Any:
        conn = await connect(sim)
        try:
            return await revert_to_snapshot(conn, target)
        finally:
            await conn.close()

    result = run(go())
    assert result.power_state_at_snapshot == "Halted" and not result.started
    assert x.VM.get_power_state(vm) == "Halted"


def test_a_failed_start_says_the_vm_is_halted_and_reverted(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "web-01")
    target = snapshot_named(x, vm, "before driver update")
    sim.sim.faults.add(FailCall("VM.start*", "HOST_NOT_ENOUGH_FREE_MEMORY",
                                ("1073741824", "0")))

    async def go() -> None:
        conn = await connect(sim)
        try:
            await revert_to_snapshot(conn, target)
        finally:
            await conn.close()

    with pytest.raises(StepFailed) as caught:
        run(go())
    failure = caught.value
    assert failure.step is Step.START and failure.code == "HOST_NOT_ENOUGH_FREE_MEMORY"
    assert failure.vm_power_state == "Halted"
    assert [d.step for d in failure.done] == [Step.REVERT]
    assert x.VM.get_parent(vm) == target and x.VM.get_power_state(vm) == "Halted"


def test_a_failed_first_snapshot_stops_before_the_revert(sim: RunningSimulator) -> None:
    x = sdk(sim)
    vm = vm_named(x, "web-01")
    target = snapshot_named(x, vm, "before driver update")
    parent = x.VM.get_parent(vm)
    sim.sim.faults.add(FailCall("VM.snapshot", "SR_FULL", ("1", "0")))

    async def go() -> None:
        conn = await connect(sim)
        try:
            await revert_to_snapshot(conn, target,
                                     snapshot_first=SnapshotRequest(vm, "never made"))
        finally:
            await conn.close()

    with pytest.raises(StepFailed) as caught:
        run(go())
    assert caught.value.step is Step.SNAPSHOT and caught.value.nothing_changed
    assert x.VM.get_parent(vm) == parent and x.VM.get_power_state(vm) == "Running"
