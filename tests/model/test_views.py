"""Typed views over a generated pool and hand-made records."""

from __future__ import annotations

import pytest

from xsnap_gui.model.cache import ObjectCache
from xsnap_gui.model.views import SR, VBD, VDI, VM, VMSS, Host, Message, Pool, Snapshot, Task
from xsnap_gui.simulator.db import Database
from xsnap_gui.simulator.generate import NEARLY_FULL_SR_NAME, PoolSpec, generate_pool

from .conftest import DM, Feed


@pytest.fixture(scope="module")
def pool() -> ObjectCache:
    db = Database(DM)
    db.bulk_load(generate_pool(PoolSpec(hosts=2, vms=12, snapshots=3, schedules=3), seed=2))
    db.create("task", {"name_label": "Async.VM.snapshot", "status": "pending",
                       "other_config": {"applies_to": "OpaqueRef:a, OpaqueRef:b"}})
    cache = ObjectCache(dm=DM)
    cache.load(Feed(db).full())
    return cache


def test_pool_and_hosts(pool: ObjectCache) -> None:
    p = Pool.of(pool)
    assert p is not None and p.master is not None
    assert p.master.address == "127.0.0.1" and p.master.name_label == "xcp-host-01"
    assert not p.vmss_restricted and not p.checkpoint_restricted
    assert p.default_sr is not None and p.default_sr.name_label == "nfs-vhd-01"
    hosts = list(Host.all(pool))
    assert len(hosts) == 2
    resident = {vm.ref for h in hosts for vm in h.resident_vms if vm.is_real_vm}
    assert resident == {vm.ref for vm in VM.real_vms(pool)
                        if vm.power_state in ("Running", "Paused")}
    assert any(vm.is_control_domain for h in hosts for vm in h.resident_vms)


def test_vms_and_snapshots(pool: ObjectCache) -> None:
    real = list(VM.real_vms(pool))
    assert real and all(vm.is_real_vm for vm in real)
    snaps = list(Snapshot.all(pool))
    assert snaps and not any(s.is_real_vm for s in snaps)
    for snap in snaps:
        owner = snap.snapshot_of
        assert owner is not None and snap.ref in owner.snapshot_refs and not snap.is_orphan
        assert snap.kind in ("disk", "disk_and_memory", "scheduled")
        assert snap.has_memory == (snap.power_state == "Suspended")
        assert snap.size > 0 and snap.snapshot_time is not None
        assert snap.power_state_at_snapshot in ("Running", "Halted")
        assert all(vbd.is_owner for vbd in snap.disk_vbds)
    vm = real[0]
    assert VM.get(pool, vm.ref) == vm and hash(VM.get(pool, vm.ref)) == hash(vm)
    assert VM.by_uuid(pool, vm.uuid) == vm
    assert VM.get(pool, None) is None and VM.get(pool, "OpaqueRef:gone") is None
    assert all(not vbd.is_owner for vbd in vm.vbds)
    assert {vbd.vm_ref for vbd in vm.vbds} == {vm.ref}


def test_storage(pool: ObjectCache) -> None:
    srs = {sr.name_label: sr for sr in SR.all(pool)}
    assert srs["nfs-vhd-01"].allocation == "thin" and srs["nfs-vhd-01"].is_thin
    assert srs["iscsi-lvm-01"].allocation == "thick"
    assert srs["ISO library"].allocation is None
    full = srs[NEARLY_FULL_SR_NAME]
    assert full.used_fraction > 0.95 and full.free_space < 4 << 30
    for sr in srs.values():
        for vdi in sr.vdis:
            assert vdi.sr == sr
    vdi = next(v for v in VDI.all(pool) if v.vbds)
    assert all(vbd.vdi == vdi for vbd in vdi.vbds)
    assert vdi.virtual_size > 0 and vdi.managed


def test_schedules_tasks_messages(pool: ObjectCache) -> None:
    schedules = list(VMSS.all(pool))
    assert len(schedules) == 3
    for vmss in schedules:
        assert vmss.frequency in ("hourly", "daily", "weekly")
        assert 1 <= vmss.retained_snapshots <= 10
        for vm in vmss.vms:
            assert vm.snapshot_schedule == vmss
    task = next(iter(Task.all(pool)))
    assert task.is_pending and task.finished is None
    assert task.applies_to == ["OpaqueRef:a", "OpaqueRef:b"]
    msgs = list(Message.all(pool))
    assert msgs
    vmss_msgs = [m for m in msgs if m.cls == "VMSS"]
    assert vmss_msgs and {m.severity for m in vmss_msgs} <= {"info", "warning"}
    about = VMSS.by_uuid(pool, vmss_msgs[0].obj_uuid)
    assert about is not None and vmss_msgs[0] in about.messages


def test_views_read_what_is_there() -> None:
    # A sparse record (an old server, or a class the view does not know well) reads as empty.
    cache = ObjectCache(dm=DM)
    cache.apply([{"class": "vm", "operation": "add", "ref": "OpaqueRef:v",
                  "snapshot": {"uuid": "u", "snapshot_time": "19700101T00:00:00Z"}}])
    vm = Snapshot.get(cache, "OpaqueRef:v")
    assert vm is not None
    assert vm.name_label == "" and vm.power_state == "" and vm.snapshot_refs == ()
    assert vm.snapshot_time is None  # the epoch means "never"
    assert vm.size == 0 and vm.is_orphan and vm.kind == "disk"
    assert VBD.get(cache, "OpaqueRef:nothing") is None
    assert vm.memory_static_max == 0 and vm.other_config == {}
