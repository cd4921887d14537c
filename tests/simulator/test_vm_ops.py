"""VM lifecycle and snapshot operations through the official XenAPI SDK, as xapi behaves."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import XenAPI

from xsnap_gui.simulator import vm_metadata
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.generate import NEARLY_FULL_SR_NAME
from xsnap_gui.simulator.lifecycle import operation_error
from xsnap_gui.xapi.datamodel import load

from .conftest import sdk_login

DM = load()
NULL = "OpaqueRef:NULL"
SPEC = "hosts=2,vms=8,snapshots=1,schedules=1"
# Only parameter counts that xapi's code sends differently from the datamodel.
KNOWN_PARAM_DEVIATIONS = {"VM_IS_TEMPLATE": 2}
POLL = 0.02
# work_scale that makes a snapshot take long enough (a minute or more) to act on it.
SLOW = 50.0
PATIENCE = 60.0  # seconds before a wait gives up (a hang, not a slow machine)


@pytest.fixture
def pool() -> Iterator[RunningSimulator]:
    """A fresh pool per test: these tests change it a lot."""
    running = start_simulator(generate=SPEC, seed=11, tls=False)
    yield running
    running.stop()
    for description in running.sim.error_log:
        code, *params = description
        assert code in DM.errors, description
        declared = DM.errors[code].params
        expected = KNOWN_PARAM_DEVIATIONS.get(
            code, len(declared) if declared is not None else None)
        assert expected is None or len(params) == expected, description


@pytest.fixture
def x(pool: RunningSimulator) -> Iterator[Any]:
    session = sdk_login(pool)
    yield session.xenapi
    session.xenapi.session.logout()


def failure(fn: Callable[..., Any], *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def wait_for(predicate: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not predicate():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached")
        time.sleep(POLL)


def wait_task(x: Any, task: str) -> dict[str, Any]:
    wait_for(lambda: x.task.get_status(task) != "pending")
    record: dict[str, Any] = x.task.get_record(task)
    return record


def guest_vms(x: Any) -> dict[str, dict[str, Any]]:
    return {ref: rec for ref, rec in x.VM.get_all_records().items()
            if not rec["is_a_template"] and not rec["is_control_domain"]}


def vm_in_state(x: Any, state: str, *, avoid_sr: str | None = None) -> str:
    """A guest VM in ``state``, made so from a running one if the pool has none."""
    vms = {ref: rec for ref, rec in guest_vms(x).items()
           if avoid_sr is None or avoid_sr not in srs_of(x, ref)}
    for ref, rec in sorted(vms.items(), key=lambda item: item[1]["name_label"]):
        if rec["power_state"] == state:
            return ref
    running = next(ref for ref, rec in vms.items() if rec["power_state"] == "Running")
    if state == "Halted":
        x.VM.hard_shutdown(running)
    elif state == "Suspended":
        x.VM.suspend(running)
    elif state == "Paused":
        x.VM.pause(running)
    return running


def sr_named(x: Any, name: str) -> str:
    (sr,) = x.SR.get_by_name_label(name)
    return str(sr)


def srs_of(x: Any, vm: str) -> set[str]:
    return {x.VDI.get_SR(x.VBD.get_VDI(vbd)) for vbd in x.VM.get_VBDs(vm)
            if x.VBD.get_type(vbd) == "Disk"}


def disk_vdis(x: Any, vm: str) -> list[str]:
    return [x.VBD.get_VDI(vbd) for vbd in x.VM.get_VBDs(vm) if x.VBD.get_type(vbd) == "Disk"]


def pool_state(x: Any) -> dict[str, Any]:
    return {cls: getattr(x, cls).get_all_records() for cls in ("VM", "VDI", "VBD", "VIF", "SR")}


# --- allowed operations ------------------------------------------------------------------


def test_allowed_operations_follow_power_state_and_kind(x: Any) -> None:
    halted, running = vm_in_state(x, "Halted"), vm_in_state(x, "Running")
    halted_ops = set(x.VM.get_allowed_operations(halted))
    running_ops = set(x.VM.get_allowed_operations(running))
    assert "checkpoint" not in halted_ops
    assert {"snapshot", "start", "clone", "copy", "destroy", "export"} <= halted_ops
    assert {"snapshot", "checkpoint", "clean_shutdown", "suspend"} <= running_ops
    assert not {"start", "destroy", "clone"} & running_ops
    snapshot = x.VM.snapshot(halted, "plain")
    # xapi conses the allowed operations, so they come out in reverse check order.
    assert x.VM.get_allowed_operations(snapshot) == ["destroy", "export", "revert", "clone",
                                                     "copy"]
    checkpoint = x.VM.checkpoint(running, "with memory")
    assert set(x.VM.get_allowed_operations(checkpoint)) == {
        "destroy", "export", "revert", "clone", "copy", "hard_shutdown"}


def test_every_vm_has_consistent_allowed_operations_after_load(
        x: Any, pool: RunningSimulator) -> None:
    for ref, rec in x.VM.get_all_records().items():
        for op in rec["allowed_operations"]:
            assert operation_error(pool.sim, ref, op) is None, (rec["name_label"], op)


def test_assert_operation_valid_gives_the_check_errors(x: Any) -> None:
    halted = vm_in_state(x, "Halted")
    x.VM.assert_operation_valid(halted, "start")
    assert failure(x.VM.assert_operation_valid, halted, "checkpoint") == [
        "VM_BAD_POWER_STATE", halted, "paused, suspended, running", "halted"]
    assert failure(x.VM.assert_operation_valid, halted, "provision") == [
        "PROVISION_ONLY_ALLOWED_ON_TEMPLATE"]
    x.VM.add_to_blocked_operations(halted, "snapshot", "frozen by admin")
    assert failure(x.VM.snapshot, halted, "nope") == ["OPERATION_BLOCKED", halted,
                                                      "frozen by admin"]


def test_control_domain_refuses_snapshots(x: Any) -> None:
    dom0 = next(ref for ref, rec in x.VM.get_all_records().items() if rec["is_control_domain"])
    assert failure(x.VM.snapshot, dom0, "dom0") == [
        "OPERATION_NOT_ALLOWED", "This operation is not allowed on a control domain"]


# --- snapshot and checkpoint -------------------------------------------------------------


def test_snapshot_record_is_shaped_like_xapis(x: Any) -> None:
    vm = vm_in_state(x, "Running")
    before = x.VM.get_record(vm)
    snapshot = x.VM.snapshot(vm, "before upgrade")
    rec = x.VM.get_record(snapshot)
    assert rec["name_label"] == "before upgrade"
    assert rec["is_a_snapshot"] is True and rec["is_a_template"] is True
    assert rec["snapshot_of"] == vm and rec["power_state"] == "Halted"
    assert rec["snapshot_info"] == {"power-state-at-snapshot": "Running",
                                    "disk-snapshot-type": "crash_consistent"}
    assert rec["transportable_snapshot_id"] == "" and rec["suspend_VDI"] == NULL
    assert rec["snapshot_schedule"] == NULL and rec["is_vmss_snapshot"] is False
    assert rec["parent"] == before["parent"] and x.VM.get_parent(vm) == snapshot
    assert rec["resident_on"] == NULL and rec["domid"] == "-1"
    assert rec["other_config"] == before["other_config"]
    meta = vm_metadata.decode(DM, rec["snapshot_metadata"])
    assert meta["uuid"] == before["uuid"] and meta["power_state"] == "Running"
    assert meta["name_label"] == before["name_label"]
    assert snapshot in x.VM.get_snapshots(vm)
    # VIFs keep their MACs; disks are new snapshot VDIs owned by the snapshot.
    assert sorted(x.VIF.get_MAC(v) for v in rec["VIFs"]) == sorted(
        x.VIF.get_MAC(v) for v in before["VIFs"])
    originals = disk_vdis(x, vm)
    for vbd in rec["VBDs"]:
        vbd_rec = x.VBD.get_record(vbd)
        assert vbd_rec["currently_attached"] is False
        if vbd_rec["type"] == "CD":
            assert vbd_rec["empty"] is True and vbd_rec["VDI"] == NULL
            continue
        assert vbd_rec["other_config"] == {"owner": ""}
        vdi = x.VDI.get_record(vbd_rec["VDI"])
        assert vdi["is_a_snapshot"] is True and vdi["snapshot_of"] in originals
        assert vdi["virtual_size"] == x.VDI.get_virtual_size(vdi["snapshot_of"])
        assert vdi["snapshot_time"] == rec["snapshot_time"]


def test_snapshot_space_thin_is_small_thick_is_full(x: Any) -> None:
    checked = set()
    for vm in guest_vms(x):
        sr = next(iter(srs_of(x, vm)))
        thick = x.SR.get_sm_config(sr).get("allocation") == "thick"
        name = x.SR.get_name_label(sr)
        if name == NEARLY_FULL_SR_NAME or thick in checked:
            continue
        used_before = int(x.SR.get_physical_utilisation(sr))
        allocated_before = int(x.SR.get_virtual_allocation(sr))
        snapshot = x.VM.snapshot(vm, "space")
        new_vdis = disk_vdis(x, snapshot)
        sizes = [int(x.VDI.get_virtual_size(v)) for v in new_vdis]
        physical = [int(x.VDI.get_physical_utilisation(v)) for v in new_vdis]
        if thick:
            assert physical == sizes
        else:
            assert all(p < s / 10 for p, s in zip(physical, sizes, strict=True))
        assert int(x.SR.get_physical_utilisation(sr)) == used_before + sum(physical)
        assert int(x.SR.get_virtual_allocation(sr)) == allocated_before + sum(sizes)
        checked.add(thick)
    assert checked == {True, False}


def test_snapshot_raises_vm_snapshotted_message(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    name, uuid = x.VM.get_name_label(vm), x.VM.get_uuid(vm)
    x.VM.snapshot(vm, "nightly")
    messages = [m for m in x.message.get_all_records().values()
                if m["obj_uuid"] == uuid and m["name"] == "VM_SNAPSHOTTED"
                and m["body"].endswith("snapshot name: nightly")]
    (message,) = messages
    assert int(message["priority"]) == 5
    assert message["cls"] == "VM"
    assert message["body"] == f"VM '{name}' (uuid: {uuid}) snapshotted, snapshot name: nightly"


def test_snapshot_ignore_vdis_leaves_that_disk_out(x: Any) -> None:
    full = sr_named(x, NEARLY_FULL_SR_NAME)
    vm = next(ref for ref in guest_vms(x)
              if len(disk_vdis(x, ref)) >= 2 and full not in srs_of(x, ref))
    first, *rest = disk_vdis(x, vm)
    snapshot = x.VM.snapshot(vm, "partial", [first])
    origins = {x.VDI.get_snapshot_of(v) for v in disk_vdis(x, snapshot)}
    assert origins == set(rest)


def test_checkpoint_of_a_running_vm(x: Any) -> None:
    vm = vm_in_state(x, "Running")
    memory = int(x.VM.get_memory_static_max(vm))
    checkpoint = x.VM.checkpoint(vm, "with memory")
    rec = x.VM.get_record(checkpoint)
    assert rec["power_state"] == "Suspended"
    assert rec["snapshot_info"]["power-state-at-snapshot"] == "Running"
    image = x.VDI.get_record(rec["suspend_VDI"])
    assert image["type"] == "suspend" and int(image["virtual_size"]) >= memory
    pool_sr = x.pool.get_suspend_image_SR(x.pool.get_all()[0])
    assert image["SR"] == pool_sr
    assert x.VM.get_power_state(vm) == "Running"
    assert x.VM.get_suspend_VDI(vm) == NULL
    names = {m["name"] for m in x.message.get_all_records().values()
             if m["obj_uuid"] == x.VM.get_uuid(vm)}
    assert "VM_CHECKPOINTED" in names


def test_checkpoint_of_a_halted_vm_is_a_bad_power_state(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    assert failure(x.VM.checkpoint, vm, "no") == [
        "VM_BAD_POWER_STATE", vm, "paused, suspended, running", "halted"]


def test_checkpoint_of_a_suspended_vm_snapshots_its_memory_image(x: Any) -> None:
    vm = vm_in_state(x, "Suspended")
    image = x.VM.get_suspend_VDI(vm)
    checkpoint = x.VM.checkpoint(vm, "suspended")
    copy = x.VM.get_suspend_VDI(checkpoint)
    assert x.VM.get_power_state(checkpoint) == "Suspended"
    assert x.VDI.get_snapshot_of(copy) == image
    assert x.VDI.get_SR(copy) == x.VDI.get_SR(image)
    # xapi records the power state only when it had to suspend a running VM.
    assert x.VM.get_snapshot_info(checkpoint) == {}


def test_snapshot_on_a_nearly_full_sr_fails_before_creating_anything(x: Any) -> None:
    full = sr_named(x, NEARLY_FULL_SR_NAME)
    vm = next(ref for ref in guest_vms(x) if full in srs_of(x, ref))
    needed = sum(int(x.VDI.get_virtual_size(v)) for v in disk_vdis(x, vm)
                 if x.VDI.get_SR(v) == full)
    free = int(x.SR.get_physical_size(full)) - int(x.SR.get_physical_utilisation(full))
    before = pool_state(x)
    assert failure(x.VM.snapshot, vm, "too big") == ["SR_FULL", str(needed), str(free)]
    assert pool_state(x) == before


def test_snapshot_of_a_snapshot_is_refused(x: Any) -> None:
    snapshot = x.VM.snapshot(vm_in_state(x, "Halted"), "s")
    assert failure(x.VM.snapshot, snapshot, "s2") == ["VM_IS_SNAPSHOT", snapshot, "snapshot"]


def test_start_on_a_snapshot_is_refused(x: Any) -> None:
    snapshot = x.VM.snapshot(vm_in_state(x, "Halted"), "s")
    assert failure(x.VM.start, snapshot, False, False) == ["VM_IS_SNAPSHOT", snapshot, "start"]


def test_snapshot_with_quiesce_is_removed(x: Any) -> None:
    assert failure(x.VM.snapshot_with_quiesce, vm_in_state(x, "Running"), "q") == [
        "MESSAGE_REMOVED"]


# --- tree ----------------------------------------------------------------------------------


def test_snapshot_tree_after_a_revert_branches(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    root = x.VM.get_parent(vm)
    s1 = x.VM.snapshot(vm, "one")
    s2 = x.VM.snapshot(vm, "two")
    assert x.VM.get_parent(s1) == root and x.VM.get_parent(s2) == s1
    assert x.VM.get_parent(vm) == s2
    x.VM.revert(s1)
    assert x.VM.get_parent(vm) == s1
    s3 = x.VM.snapshot(vm, "three")
    assert x.VM.get_parent(s3) == s1 and x.VM.get_parent(vm) == s3
    assert set(x.VM.get_children(s1)) == {s2, s3}
    assert x.VM.get_children(s2) == []
    assert x.VM.get_children(s3) == [vm]
    if root != NULL:
        assert s1 in x.VM.get_children(root)
    assert {s1, s2, s3} <= set(x.VM.get_snapshots(vm))
    # Every snapshot's disks still hang off the VM's current disks.
    current = set(disk_vdis(x, vm))
    for snap in (s1, s2, s3):
        assert {x.VDI.get_snapshot_of(v) for v in disk_vdis(x, snap)} == current


def test_destroying_a_snapshot_reparents_its_children(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    root = x.VM.get_parent(vm)
    s1 = x.VM.snapshot(vm, "one")
    s2 = x.VM.snapshot(vm, "two")
    x.VM.destroy(s1)
    assert x.VM.get_parent(s2) == root


# --- revert --------------------------------------------------------------------------------


def test_revert_of_a_checkpoint_leaves_the_vm_suspended(x: Any) -> None:
    vm = vm_in_state(x, "Running")
    checkpoint = x.VM.checkpoint(vm, "c")
    old_disks = disk_vdis(x, vm)
    x.VM.revert(checkpoint)
    rec = x.VM.get_record(vm)
    assert rec["power_state"] == "Suspended" and rec["parent"] == checkpoint
    assert rec["resident_on"] == NULL
    assert rec["suspend_VDI"] not in (NULL, x.VM.get_suspend_VDI(checkpoint))
    assert x.VDI.get_type(rec["suspend_VDI"]) == "suspend"
    new_disks = disk_vdis(x, vm)
    assert not set(new_disks) & set(old_disks)
    for vdi in old_disks:
        assert failure(x.VDI.get_record, vdi)[0] == "HANDLE_INVALID"
    assert "resume" in rec["allowed_operations"]
    x.VM.resume(vm, False, False)
    assert x.VM.get_power_state(vm) == "Running"


def test_revert_of_a_disk_snapshot_of_a_running_vm_halts_it(x: Any) -> None:
    vm = vm_in_state(x, "Running")
    macs = sorted(x.VIF.get_MAC(v) for v in x.VM.get_VIFs(vm))
    name = x.VM.get_name_label(vm)
    snapshot = x.VM.snapshot(vm, "disk only")
    x.VM.set_name_label(vm, "renamed later")
    x.VM.revert(snapshot)
    rec = x.VM.get_record(vm)
    assert rec["power_state"] == "Halted" and rec["resident_on"] == NULL
    assert rec["name_label"] == name
    assert rec["is_a_snapshot"] is False and rec["is_a_template"] is False
    assert sorted(x.VIF.get_MAC(v) for v in rec["VIFs"]) == macs
    assert all(not x.VBD.get_currently_attached(v) for v in rec["VBDs"])
    assert x.VM.get_snapshot_info(snapshot)["power-state-at-snapshot"] == "Running"
    reverted = [m for m in x.message.get_all_records().values()
                if m["name"] == "VM_SNAPSHOT_REVERTED" and m["obj_uuid"] == rec["uuid"]]
    assert len(reverted) == 1


def test_revert_of_a_generated_snapshot(x: Any) -> None:
    snapshot, rec = next((ref, rec) for ref, rec in x.VM.get_all_records().items()
                         if rec["is_a_snapshot"] and rec["power_state"] == "Halted")
    vm = rec["snapshot_of"]
    x.VM.revert(snapshot)
    assert x.VM.get_parent(vm) == snapshot
    assert x.VM.get_power_state(vm) == "Halted"
    assert x.VM.get_is_a_template(vm) is False


def test_revert_only_on_snapshots(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    assert failure(x.VM.revert, vm) == ["REVERT_ONLY_ALLOWED_ON_SNAPSHOT"]


def test_revert_recreates_a_destroyed_vm(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    uuid = x.VM.get_uuid(vm)
    snapshot = x.VM.snapshot(vm, "keep me")
    x.VM.destroy(vm)
    x.VM.revert(snapshot)
    reborn = x.VM.get_by_uuid(uuid)
    assert reborn != vm and x.VM.get_snapshot_of(snapshot) == reborn
    assert x.VM.get_parent(reborn) == snapshot
    assert x.VM.get_is_a_snapshot(reborn) is False
    assert len(disk_vdis(x, reborn)) == len(disk_vdis(x, snapshot))


def test_revert_without_metadata_of_a_gone_vm_fails(x: Any, pool: RunningSimulator) -> None:
    vm = vm_in_state(x, "Halted")
    snapshot = x.VM.snapshot(vm, "orphan")
    x.VM.destroy(vm)
    pool.sim.db.set("VM", snapshot, "snapshot_metadata", "")
    assert failure(x.VM.revert, snapshot) == ["VM_REVERT_FAILED", snapshot, vm]


# --- clone, copy, provision, destroy ---------------------------------------------------------


def test_clone_of_a_snapshot_is_a_template_until_provisioned(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    snapshot = x.VM.snapshot(vm, "base")
    template = x.VM.clone(snapshot, "Template from snapshot 'base'")
    rec = x.VM.get_record(template)
    assert rec["is_a_template"] is True and rec["is_a_snapshot"] is False
    assert rec["snapshot_of"] == NULL and rec["parent"] == NULL
    assert rec["other_config"]["mac_seed"] != x.VM.get_other_config(vm)["mac_seed"]
    assert not {x.VIF.get_MAC(v) for v in rec["VIFs"]} & {
        x.VIF.get_MAC(v) for v in x.VM.get_VIFs(snapshot)}
    assert failure(x.VM.start, template, False, False) == ["VM_IS_TEMPLATE", template, "start"]
    x.VM.provision(template)
    assert x.VM.get_is_a_template(template) is False
    assert "start" in x.VM.get_allowed_operations(template)
    x.VM.start(template, False, False)
    assert x.VM.get_power_state(template) == "Running"
    assert failure(x.VM.provision, template) == [
        "VM_BAD_POWER_STATE", template, "halted", "running"]
    cloned = [m for m in x.message.get_all_records().values() if m["name"] == "VM_CLONED"]
    assert len(cloned) == 1


def test_clone_of_a_halted_vm_is_a_vm(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    new = x.VM.clone(vm, "twin")
    assert x.VM.get_is_a_template(new) is False
    assert x.VM.get_power_state(new) == "Halted"
    running = vm_in_state(x, "Running")
    assert failure(x.VM.clone, running, "no") == ["VM_BAD_POWER_STATE", running, "halted",
                                                  "running"]


def test_copy_of_a_snapshot_to_another_sr_allocates_full_size(x: Any) -> None:
    lvm = sr_named(x, "iscsi-lvm-01")
    vm = vm_in_state(x, "Halted", avoid_sr=lvm)
    snapshot = x.VM.snapshot(vm, "to copy")
    used_before = int(x.SR.get_physical_utilisation(lvm))
    copy = x.VM.copy(snapshot, "copied", lvm)
    assert x.VM.get_is_a_template(copy) is True
    vdis = disk_vdis(x, copy)
    assert vdis and all(x.VDI.get_SR(v) == lvm for v in vdis)
    sizes = [int(x.VDI.get_virtual_size(v)) for v in vdis]
    assert [int(x.VDI.get_physical_utilisation(v)) for v in vdis] == sizes
    assert int(x.SR.get_physical_utilisation(lvm)) == used_before + sum(sizes)
    same = x.VM.copy(snapshot, "same SRs", NULL)
    assert {x.VDI.get_SR(v) for v in disk_vdis(x, same)} == srs_of(x, snapshot)


def test_copy_to_the_nearly_full_sr_is_sr_full(x: Any) -> None:
    full = sr_named(x, NEARLY_FULL_SR_NAME)
    vm = vm_in_state(x, "Halted", avoid_sr=full)
    before = pool_state(x)
    details = failure(x.VM.copy, vm, "no room", full)
    assert details[0] == "SR_FULL" and len(details) == 3
    assert pool_state(x) == before


def test_destroy_keeps_disks_and_needs_a_stopped_vm(x: Any) -> None:
    running = vm_in_state(x, "Running")
    assert failure(x.VM.destroy, running) == ["VM_BAD_POWER_STATE", running,
                                              "halted, suspended", "running"]
    vm = vm_in_state(x, "Halted")
    vdis = disk_vdis(x, vm)
    vbds, vifs, metrics = x.VM.get_VBDs(vm), x.VM.get_VIFs(vm), x.VM.get_metrics(vm)
    x.VM.destroy(vm)
    assert all(x.VDI.get_VBDs(v) == [] for v in vdis)
    for getter, ref in [(x.VBD.get_record, r) for r in vbds] + [
            (x.VIF.get_record, r) for r in vifs] + [(x.VM_metrics.get_record, metrics)]:
        assert failure(getter, ref)[0] == "HANDLE_INVALID"


def test_destroying_a_default_template_is_refused(x: Any) -> None:
    template = x.VM.clone(x.VM.snapshot(vm_in_state(x, "Halted"), "s"), "t")
    x.VM.add_to_other_config(template, "default_template", "true")
    assert failure(x.VM.destroy, template) == ["VM_IS_TEMPLATE", template, "destroy"]


def test_vdi_destroy_of_an_attached_disk_is_in_use(x: Any) -> None:
    vm = vm_in_state(x, "Running")
    disk = disk_vdis(x, vm)[0]
    assert failure(x.VDI.destroy, disk) == ["VDI_IN_USE", disk, "destroy"]


def test_create_makes_metrics(x: Any) -> None:
    vm = x.VM.create({
        "name_label": "blank", "name_description": "", "user_version": "1",
        "is_a_template": False, "affinity": NULL, "memory_static_max": str(1 << 30),
        "memory_dynamic_max": str(1 << 30), "memory_dynamic_min": str(1 << 30),
        "memory_static_min": str(1 << 29), "VCPUs_params": {}, "VCPUs_max": "1",
        "VCPUs_at_startup": "1", "actions_after_shutdown": "destroy",
        "actions_after_reboot": "restart", "actions_after_crash": "restart",
        "PV_bootloader": "", "PV_kernel": "", "PV_ramdisk": "", "PV_args": "",
        "PV_bootloader_args": "", "PV_legacy_args": "", "HVM_boot_policy": "BIOS order",
        "HVM_boot_params": {}, "platform": {}, "PCI_bus": "", "other_config": {},
        "recommendations": "",
    })
    assert x.VM_metrics.get_record(x.VM.get_metrics(vm))
    assert "start" in x.VM.get_allowed_operations(vm)


# --- power --------------------------------------------------------------------------------


def test_power_cycle(x: Any) -> None:
    vm = vm_in_state(x, "Halted")
    x.VM.start(vm, True, False)
    assert x.VM.get_power_state(vm) == "Paused"
    x.VM.unpause(vm)
    rec = x.VM.get_record(vm)
    assert rec["power_state"] == "Running" and rec["resident_on"] != NULL and int(rec["domid"]) > 0
    assert all(x.VBD.get_currently_attached(v) for v in rec["VBDs"])
    assert x.VM_metrics.get_VCPUs_number(rec["metrics"]) == rec["VCPUs_at_startup"]
    x.VM.clean_reboot(vm)
    x.VM.suspend(vm)
    image = x.VM.get_suspend_VDI(vm)
    assert x.VDI.get_type(image) == "suspend" and x.VM.get_resident_on(vm) == NULL
    x.VM.resume(vm, False, False)
    assert x.VM.get_suspend_VDI(vm) == NULL
    assert failure(x.VDI.get_record, image)[0] == "HANDLE_INVALID"
    x.VM.suspend(vm)
    x.VM.hard_shutdown(vm)
    rec = x.VM.get_record(vm)
    assert rec["power_state"] == "Halted" and rec["suspend_VDI"] == NULL
    assert rec["guest_metrics"] == NULL
    assert not any(x.VBD.get_currently_attached(v) for v in rec["VBDs"])
    host = x.host.get_all()[-1]
    x.VM.start_on(vm, host, False, False)
    assert x.VM.get_resident_on(vm) == host
    x.VM.clean_shutdown(vm)
    assert failure(x.VM.clean_shutdown, vm) == ["VM_BAD_POWER_STATE", vm, "running", "halted"]


# --- concurrency and cancel ----------------------------------------------------------------


def test_conflicting_operations_while_a_snapshot_runs(x: Any, pool: RunningSimulator) -> None:
    vm = vm_in_state(x, "Halted")
    pool.sim.config.work_scale = SLOW
    task = x.Async.VM.snapshot(vm, "slow")
    wait_for(lambda: x.VM.get_current_operations(vm) == {task: "snapshot"})
    allowed = x.VM.get_allowed_operations(vm)
    assert "snapshot" in allowed and "start" not in allowed
    assert failure(x.VM.start, vm, False, False) == [
        "OTHER_OPERATION_IN_PROGRESS", "VM", vm, "snapshot", task]
    assert failure(x.VM.clone, vm, "c") == ["OTHER_OPERATION_IN_PROGRESS", "VM", vm,
                                            "snapshot", task]
    # Snapshots may run side by side.
    second = x.Async.VM.snapshot(vm, "also slow")
    wait_for(lambda: len(x.VM.get_current_operations(vm)) == 2)
    for t in (task, second):
        x.task.cancel(t)
        assert wait_task(x, t)["status"] == "cancelled"
    assert x.VM.get_current_operations(vm) == {}
    assert "start" in x.VM.get_allowed_operations(vm)


def test_cancelling_a_snapshot_leaves_the_pool_unchanged(x: Any, pool: RunningSimulator) -> None:
    vm = vm_in_state(x, "Running")
    before = pool_state(x)
    messages = len(x.message.get_all())
    pool.sim.config.work_scale = SLOW
    task = x.Async.VM.snapshot(vm, "to be cancelled")
    wait_for(lambda: float(x.task.get_progress(task)) > 0)
    assert "cancel" in x.task.get_allowed_operations(task)
    x.task.cancel(task)
    record = wait_task(x, task)
    assert record["status"] == "cancelled"
    assert record["error_info"] == ["TASK_CANCELLED", task]
    assert pool_state(x) == before
    assert len(x.message.get_all()) == messages


def test_revert_is_not_cancellable(x: Any, pool: RunningSimulator) -> None:
    vm = vm_in_state(x, "Halted")
    snapshot = x.VM.snapshot(vm, "s")
    pool.sim.config.work_scale = 0.01
    task = x.Async.VM.revert(snapshot)
    assert "cancel" not in x.task.get_allowed_operations(task)
    assert wait_task(x, task)["status"] == "success"


# --- the xe walkthrough ------------------------------------------------------------------


def test_xe_snapshot_walkthrough(x: Any) -> None:
    vm = vm_in_state(x, "Running")
    # xe vm-snapshot, xe vm-checkpoint
    snap = x.VM.snapshot(vm, "walk-snap")
    check = x.VM.checkpoint(vm, "walk-check")
    # xe snapshot-list snapshot-of=<vm>
    listed = {x.VM.get_name_label(s) for s in x.VM.get_snapshots(vm)}
    assert {"walk-snap", "walk-check"} <= listed
    # xe snapshot-revert to the checkpoint: the VM comes back suspended
    x.VM.revert(check)
    assert x.VM.get_power_state(vm) == "Suspended"
    # xe snapshot-copy: a full copy of a snapshot is a template
    other = next(sr for sr in x.SR.get_all() if x.SR.get_name_label(sr) == "nfs-vhd-01")
    template = x.VM.copy(snap, "walk-template", other)
    assert x.VM.get_is_a_template(template) and not x.VM.get_is_a_snapshot(template)
    # xe snapshot-uninstall: the owned disks and the memory image, then the record
    owned = [x.VBD.get_VDI(vbd) for vbd in x.VM.get_VBDs(check)
             if x.VBD.get_type(vbd) == "Disk" and "owner" in x.VBD.get_other_config(vbd)]
    image = x.VM.get_suspend_VDI(check)
    for vdi in [*owned, image]:
        x.VDI.destroy(vdi)
    x.VM.destroy(check)
    all_vdis = set(x.VDI.get_all())
    assert not {*owned, image} & all_vdis
    # xe snapshot-destroy: the record only; its disks stay behind, detached
    kept = disk_vdis(x, snap)
    x.VM.destroy(snap)
    assert snap not in x.VM.get_snapshots(vm)
    for vdi in kept:
        rec = x.VDI.get_record(vdi)
        assert rec["is_a_snapshot"] is True and rec["VBDs"] == []
    x.VM.resume(vm, False, False)
    assert x.VM.get_power_state(vm) == "Running"


# --- metadata ------------------------------------------------------------------------------


def test_snapshot_metadata_round_trips_every_field(x: Any, pool: RunningSimulator) -> None:
    vm = vm_in_state(x, "Running")
    row = pool.sim.db.record("VM", vm)
    derived = set(pool.sim.db.set_fields["VM"])
    decoded = vm_metadata.decode(DM, vm_metadata.encode(DM, row, skip=derived))
    assert decoded == {k: v for k, v in row.items() if k not in derived}
    quoted = {**row, "name_label": "it's a \"test\" \\ here", "other_config": {"k'": "v)"}}
    again = vm_metadata.decode(DM, vm_metadata.encode(DM, quoted, skip=derived))
    assert again["name_label"] == quoted["name_label"]
    assert again["other_config"] == quoted["other_config"]
