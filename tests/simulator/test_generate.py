"""The pool generator: spec parsing, determinism, datamodel types and a consistent pool."""

from __future__ import annotations

import datetime as dt
import re
import time
import uuid
from collections import Counter
from typing import Any

import pytest

from xsnap_gui.simulator.coerce import NULL_REF
from xsnap_gui.simulator.db import Database
from xsnap_gui.simulator.generate import (
    DEEP_CHAIN_DEPTH,
    DEEP_CHAIN_VM_NAME,
    DEFAULT_NOW,
    NEARLY_FULL_SR_NAME,
    OVER_RETENTION_SCHEDULE_NAME,
    VNC_BLOB_NAME,
    VNC_SNAPSHOT_JPEG,
    PoolSpec,
    blob_payloads,
    generate_pool,
)
from xsnap_gui.xapi.datamodel import Datamodel, XType, load

SPEC = PoolSpec(hosts=4, vms=200, snapshots=5, schedules=3)
GiB = 1 << 30
Tables = dict[str, dict[str, dict[str, Any]]]
# XenCenter's parser for VMSS_SNAPSHOT_FAILED bodies (PolicyAlert.cs).
FAILED_LINE = re.compile(r"^VM:(.*)UUID:(.*)Error:\[('.*',?)*\],?$")


@pytest.fixture(scope="module")
def pool() -> Tables:
    return generate_pool(SPEC, seed=3)


@pytest.fixture(scope="module")
def db(pool: Tables) -> Database:
    database = Database(load())
    database.bulk_load(pool)
    return database


def normal_vms(db: Database) -> dict[str, dict[str, Any]]:
    return {
        ref: row for ref, row in db.tables["VM"].items()
        if not row["is_a_template"] and not row["is_control_domain"]
    }


def snapshots(db: Database) -> dict[str, dict[str, Any]]:
    return {ref: row for ref, row in db.tables["VM"].items() if row["is_a_snapshot"]}


# --- PoolSpec.parse ---------------------------------------------------------------------


def test_parse_valid() -> None:
    assert PoolSpec.parse("hosts=4,vms=200,snapshots=5,schedules=3") == PoolSpec(4, 200, 5, 3)
    assert PoolSpec.parse(" vms = 7 , ") == PoolSpec(vms=7)
    assert PoolSpec.parse("") == PoolSpec()
    assert PoolSpec.parse("snapshots=0,schedules=0") == PoolSpec(snapshots=0, schedules=0)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("flavour=3", "unknown generator key 'flavour'"),
        ("hosts=x", "hosts must be a whole number"),
        ("vms=1.5", "vms must be a whole number"),
        ("vms=-1", "vms must not be negative"),
        ("hosts=0", "hosts must be between 1 and 64"),
        ("hosts=65", "hosts must be between 1 and 64"),
        ("vms", "expected KEY=NUMBER"),
        ("vms=1,vms=2", "vms given twice"),
    ],
)
def test_parse_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        PoolSpec.parse(text)


# --- determinism and types --------------------------------------------------------------


def test_same_seed_same_pool_and_different_seed_differs() -> None:
    spec = PoolSpec(hosts=3, vms=30, snapshots=3, schedules=3)
    first = generate_pool(spec, seed=11)
    assert first == generate_pool(spec, seed=11)
    assert first != generate_pool(spec, seed=12)
    assert first != generate_pool(spec, seed=11, now=DEFAULT_NOW + dt.timedelta(days=1))


def test_times_are_before_now_and_whole_seconds() -> None:
    now = dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC)
    tables = generate_pool(PoolSpec(vms=40), seed=1, now=now)
    stamps = [v for rows in tables.values() for row in rows.values() for v in row.values()
              if isinstance(v, dt.datetime)]
    assert stamps and all(s <= now and s.microsecond == 0 for s in stamps)
    naive = generate_pool(PoolSpec(vms=5), seed=1, now=now.replace(tzinfo=None))
    assert naive == generate_pool(PoolSpec(vms=5), seed=1, now=now)


def check_value(t: XType, value: Any, dm: Datamodel, tables: Tables, where: str) -> None:
    kind = t.kind
    if kind in ("string", "ref", "enum"):
        assert isinstance(value, str), where
        if kind == "enum":
            assert value in dm.enums[t.name], f"{where}: {value!r} not in enum {t.name}"
        if kind == "ref":
            assert value == NULL_REF or value in tables.get(t.name, {}), (
                f"{where}: dangling {t.name} ref {value}"
            )
    elif kind == "int":
        assert isinstance(value, int) and not isinstance(value, bool), where
    elif kind == "float":
        assert isinstance(value, float), where
    elif kind == "bool":
        assert isinstance(value, bool), where
    elif kind == "datetime":
        assert isinstance(value, dt.datetime) and value.utcoffset() == dt.timedelta(0), where
    elif kind == "set":
        assert isinstance(value, list) and t.elem is not None, where
        for item in value:
            check_value(t.elem, item, dm, tables, where)
    elif kind == "map":
        assert isinstance(value, dict) and t.key is not None and t.elem is not None, where
        for k, v in value.items():
            check_value(t.key, k, dm, tables, f"{where} key")
            check_value(t.elem, v, dm, tables, f"{where}[{k}]")
    else:
        pytest.fail(f"{where}: unexpected field kind {kind}")


def test_every_field_exists_with_its_datamodel_type(pool: Tables) -> None:
    dm = load()
    tables_in_db = Database(dm).tables
    for cls, rows in pool.items():
        assert cls in tables_in_db, cls
        fields = dm.classes[cls].fields
        for ref, row in rows.items():
            assert ref.startswith("OpaqueRef:")
            for name, value in row.items():
                assert name in fields, f"{cls}.{name} is not in the datamodel"
                check_value(fields[name].type, value, dm, pool, f"{cls}.{name}")


def test_refs_and_uuids_are_unique_v4(pool: Tables) -> None:
    refs = [ref for rows in pool.values() for ref in rows]
    uuids = [row["uuid"] for rows in pool.values() for row in rows.values()]
    assert len(set(refs)) == len(refs) and len(set(uuids)) == len(uuids)
    assert all(uuid.UUID(u).version == 4 for u in uuids)
    assert all(uuid.UUID(r.removeprefix("OpaqueRef:")).version == 4 for r in refs)


# --- relations ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one_cls", "one_field", "many_cls", "many_field"),
    [
        ("VBD", "VM", "VM", "VBDs"),
        ("VIF", "VM", "VM", "VIFs"),
        ("VM", "snapshot_of", "VM", "snapshots"),
        ("VM", "parent", "VM", "children"),
        ("VM", "snapshot_schedule", "VMSS", "VMs"),
        ("VM", "resident_on", "host", "resident_VMs"),
        ("VDI", "SR", "SR", "VDIs"),
        ("VDI", "snapshot_of", "VDI", "snapshots"),
        ("VBD", "VDI", "VDI", "VBDs"),
        ("PBD", "SR", "SR", "PBDs"),
        ("PBD", "host", "host", "PBDs"),
    ],
)
def test_relations_agree_both_ways(db: Database, one_cls: str, one_field: str, many_cls: str,
                                   many_field: str) -> None:
    linked = 0
    for ref, row in db.tables[one_cls].items():
        target = row[one_field]
        if target != NULL_REF:
            assert ref in db.tables[many_cls][target][many_field]
            linked += 1
    for ref, row in db.tables[many_cls].items():
        for member in row[many_field]:
            assert db.tables[one_cls][member][one_field] == ref
    assert linked > 0


def test_hosts_pool_and_control_domains(db: Database) -> None:
    hosts = db.tables["host"]
    (pool,) = db.tables["pool"].values()
    ordered = sorted(hosts.values(), key=lambda h: h["name_label"])
    assert [h["address"] for h in ordered] == [f"127.0.0.{i}" for i in range(1, 5)]
    assert hosts[pool["master"]]["name_label"] == "xcp-host-01"
    assert db.tables["SR"][pool["default_SR"]]["type"] == "nfs"
    for ref, host in hosts.items():
        assert host["software_version"]["product_brand"] == "XCP-ng"
        assert (host["API_version_major"], host["API_version_minor"]) == (2, 21)
        metrics = db.tables["host_metrics"][host["metrics"]]
        assert 0 < metrics["memory_free"] < metrics["memory_total"]
        dom0 = db.tables["VM"][host["control_domain"]]
        assert dom0["is_control_domain"] and dom0["resident_on"] == ref
        assert dom0["name_label"] == f"Control domain on host: {host['name_label']}"
        assert dom0["power_state"] == "Running"
        assert len(host["PBDs"]) >= 5  # four shared SRs and its local one


# --- VMs ----------------------------------------------------------------------------------


def test_vm_power_states_devices_and_operations(db: Database) -> None:
    vms = normal_vms(db)
    assert len(vms) == SPEC.vms
    assert len({vm["name_label"] for vm in vms.values()}) == SPEC.vms
    states = Counter(vm["power_state"] for vm in vms.values())
    assert 0.45 < states["Running"] / SPEC.vms < 0.75
    assert 0.15 < states["Halted"] / SPEC.vms < 0.45
    assert states["Suspended"] >= 3
    for vm in vms.values():
        state = vm["power_state"]
        ops = set(vm["allowed_operations"])
        assert "snapshot" in ops
        assert ("checkpoint" in ops) == (state != "Halted")
        assert ("start" in ops) == (state == "Halted")
        live = state in ("Running", "Paused")
        assert (vm["resident_on"] != NULL_REF) == live
        assert (vm["guest_metrics"] != NULL_REF) == live
        assert (vm["suspend_VDI"] != NULL_REF) == (state == "Suspended")
        assert GiB <= vm["memory_static_max"] <= 16 * GiB
        assert vm["memory_static_min"] <= vm["memory_dynamic_min"] <= vm["memory_dynamic_max"]
        assert vm["domain_type"] == "hvm" and vm["user_version"] == 1
        vbds = [db.tables["VBD"][r] for r in vm["VBDs"]]
        disks = sorted((v for v in vbds if v["type"] == "Disk"), key=lambda v: v["userdevice"])
        cds = [v for v in vbds if v["type"] == "CD"]
        assert 1 <= len(disks) <= 3 and len(cds) == 1
        assert [d["userdevice"] for d in disks] == [str(i) for i in range(len(disks))]
        assert disks[0]["bootable"] and all(d["mode"] == "RW" for d in disks)
        assert cds[0]["empty"] and cds[0]["VDI"] == NULL_REF and cds[0]["mode"] == "RO"
        for d in disks:
            vdi = db.tables["VDI"][d["VDI"]]
            assert 8 * GiB <= vdi["virtual_size"] <= 200 * GiB
            assert vdi["physical_utilisation"] <= vdi["virtual_size"]
            assert vdi["sm_config"]["vdi_type"] == "vhd" and not vdi["is_a_snapshot"]
        assert 1 <= len(vm["VIFs"]) <= 2


# --- snapshots ----------------------------------------------------------------------------


def depth_of(db: Database, ref: str) -> int:
    depth, seen = 0, set()
    while ref != NULL_REF:
        assert ref not in seen, "cycle in parent chain"
        seen.add(ref)
        depth += 1
        ref = db.tables["VM"][ref]["parent"]
    return depth


def test_snapshot_count_near_budget(db: Database) -> None:
    vms = normal_vms(db)
    per_vm = {vm["name_label"]: len(vm["snapshots"]) for vm in vms.values()}
    ordinary = sum(n for name, n in per_vm.items() if name != DEEP_CHAIN_VM_NAME)
    budget = SPEC.vms * SPEC.snapshots
    assert 0.9 * budget <= ordinary <= 1.1 * budget
    assert 0.9 * budget <= len(snapshots(db)) <= 1.1 * budget
    over_budget = [n for name, n in per_vm.items()
                   if n > 2 * SPEC.snapshots and name != DEEP_CHAIN_VM_NAME]
    assert len(over_budget) <= 1  # only the over-retention VM may exceed 2 x snapshots


def test_trees_are_acyclic_and_parents_are_own_snapshots(db: Database) -> None:
    vms = db.tables["VM"]
    for ref, vm in normal_vms(db).items():
        assert vm["parent"] == NULL_REF or vm["parent"] in vm["snapshots"]
        assert depth_of(db, vm["parent"]) <= DEEP_CHAIN_DEPTH
        for snap in vm["snapshots"]:
            parent = vms[snap]["parent"]
            assert parent == NULL_REF or vms[parent]["snapshot_of"] == ref
    snaps = snapshots(db)
    branches = [s for s in snaps.values() if len(set(s["children"]) & snaps.keys()) >= 2]
    assert branches, "no snapshot has two snapshot children"


def test_snapshot_records_look_like_xapi_made_them(db: Database) -> None:
    vms, vdis = db.tables["VM"], db.tables["VDI"]
    for vm_ref, vm in normal_vms(db).items():
        names = [vms[s]["name_label"] for s in vm["snapshots"]]
        assert len(set(names)) == len(names), vm["name_label"]
        times = [vms[s]["snapshot_time"] for s in vm["snapshots"]]
        assert all(t > DEFAULT_NOW - dt.timedelta(days=60) for t in times)
        macs = sorted(db.tables["VIF"][v]["MAC"] for v in vm["VIFs"])
        for s in vm["snapshots"]:
            snap = vms[s]
            assert snap["is_a_template"] and snap["snapshot_of"] == vm_ref
            assert snap["snapshot_info"]["disk-snapshot-type"] == "crash_consistent"
            assert snap["snapshot_metadata"]
            assert snap["snapshot_schedule"] == NULL_REF
            assert sorted(db.tables["VIF"][v]["MAC"] for v in snap["VIFs"]) == macs
            for vbd_ref in snap["VBDs"]:
                vbd = db.tables["VBD"][vbd_ref]
                if vbd["type"] != "Disk":
                    continue
                assert vbd["other_config"] == {"owner": ""}
                vdi = vdis[vbd["VDI"]]
                source = vdis[vdi["snapshot_of"]]
                assert vdi["is_a_snapshot"] and vdi["snapshot_time"] == snap["snapshot_time"]
                assert (vdi["SR"], vdi["virtual_size"]) == (source["SR"], source["virtual_size"])
                assert vdi["physical_utilisation"] < source["virtual_size"] / 10
                assert source["VBDs"] and db.tables["VBD"][source["VBDs"][0]]["VM"] == vm_ref


def test_checkpoints_and_screenshots(pool: Tables, db: Database) -> None:
    snaps = snapshots(db)
    checkpoints = [s for s in snaps.values() if s["power_state"] == "Suspended"]
    assert checkpoints
    for snap in snaps.values():
        suspended = snap["power_state"] == "Suspended"
        assert snap["power_state"] in ("Halted", "Suspended")
        assert (snap["suspend_VDI"] != NULL_REF) == suspended
        if suspended:
            assert snap["snapshot_info"]["power-state-at-snapshot"] == "Running"
            memory = db.tables["VDI"][snap["suspend_VDI"]]
            assert memory["type"] == "suspend"
            assert memory["virtual_size"] >= snap["memory_static_max"]
    with_blob = [s for s in checkpoints if VNC_BLOB_NAME in s["blobs"]]
    assert with_blob and all(s["power_state"] == "Suspended" for s in snaps.values()
                             if s["blobs"])
    payloads = blob_payloads(db.tables)
    assert payloads == blob_payloads(pool)
    for s in with_blob:
        blob = db.tables["blob"][s["blobs"][VNC_BLOB_NAME]]
        assert blob["mime_type"] == "image/jpeg" and blob["public"] is False
        assert blob["size"] == len(payloads[s["blobs"][VNC_BLOB_NAME]])


def test_screenshot_is_a_valid_jpeg() -> None:
    assert VNC_SNAPSHOT_JPEG[:2] == b"\xff\xd8" and VNC_SNAPSHOT_JPEG[-2:] == b"\xff\xd9"
    qtgui = pytest.importorskip("PySide6.QtGui")
    image = qtgui.QImage()
    assert image.loadFromData(VNC_SNAPSHOT_JPEG)
    assert (image.width(), image.height()) == (64, 48)


def test_deep_chain_reaches_28(db: Database) -> None:
    vms = normal_vms(db)
    (deep,) = [vm for vm in vms.values() if vm["name_label"] == DEEP_CHAIN_VM_NAME]
    assert len(deep["snapshots"]) == DEEP_CHAIN_DEPTH
    assert depth_of(db, deep["parent"]) == DEEP_CHAIN_DEPTH
    assert all(len(db.tables["VM"][s]["children"]) <= 1 for s in deep["snapshots"])
    small = generate_pool(PoolSpec(vms=19), seed=3)
    assert DEEP_CHAIN_VM_NAME not in {vm["name_label"] for vm in small["VM"].values()}


def test_no_snapshots_when_asked_for_none() -> None:
    tables = generate_pool(PoolSpec(vms=30, snapshots=0, schedules=3), seed=2)
    assert not [vm for vm in tables["VM"].values() if vm.get("is_a_snapshot")]
    assert "blob" not in tables


# --- storage -----------------------------------------------------------------------------


def test_exactly_one_sr_is_nearly_full(db: Database) -> None:
    vdis = db.tables["VDI"]
    full = []
    for sr in db.tables["SR"].values():
        placed = [vdis[v] for v in sr["VDIs"]]
        assert sr["virtual_allocation"] == sum(v["virtual_size"] for v in placed)
        assert sr["physical_utilisation"] >= sum(v["physical_utilisation"] for v in placed)
        assert len(sr["PBDs"]) == (4 if sr["shared"] else 1)
        ratio = sr["physical_utilisation"] / sr["physical_size"]
        if ratio > 0.95:
            full.append(sr)
        else:
            assert ratio < 0.8, sr["name_label"]
    assert [sr["name_label"] for sr in full] == [NEARLY_FULL_SR_NAME]
    (nearly_full,) = full
    free = nearly_full["physical_size"] - nearly_full["physical_utilisation"]
    assert free < min(vdis[v]["virtual_size"] for v in nearly_full["VDIs"])
    kinds = {(sr["type"], sr["sm_config"].get("allocation")) for sr in db.tables["SR"].values()}
    assert {("lvmoiscsi", "thick"), ("nfs", "thin"), ("ext", "thin"), ("lvm", "thick")} <= kinds


# --- schedules and messages ----------------------------------------------------------------


ALLOWED_KEYS = {"hourly": {"min"}, "daily": {"hour", "min"}, "weekly": {"hour", "min", "days"}}
WEEKDAYS = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"}


def test_schedules(db: Database) -> None:
    schedules = db.tables["VMSS"]
    assert len(schedules) == SPEC.schedules
    for s in schedules.values():
        assert set(s["schedule"]) == ALLOWED_KEYS[s["frequency"]]
        assert s["schedule"]["min"] in ("0", "15", "30", "45")
        assert 0 <= int(s["schedule"].get("hour", "0")) <= 23
        assert set(s["schedule"].get("days", "Monday").split(",")) <= WEEKDAYS
        assert 1 <= s["retained_snapshots"] <= 10
        assert DEFAULT_NOW - dt.timedelta(days=14) < s["last_run_time"] <= DEFAULT_NOW
    assert sum(not s["enabled"] for s in schedules.values()) == 1
    assert sum(s["enabled"] and not s["VMs"] for s in schedules.values()) == 1
    scheduled = [vm for vm in normal_vms(db).values() if vm["snapshot_schedule"] != NULL_REF]
    assert 0.2 < len(scheduled) / SPEC.vms < 0.45
    (nightly,) = [s for s in schedules.values()
                  if s["name_label"] == OVER_RETENTION_SCHEDULE_NAME]
    over = []
    for vm_ref in nightly["VMs"]:
        vm = db.tables["VM"][vm_ref]
        kept = [db.tables["VM"][s] for s in vm["snapshots"]
                if db.tables["VM"][s]["is_vmss_snapshot"]]
        if len(kept) > nightly["retained_snapshots"]:
            over.append(vm)
    assert len(over) == 1


def test_scheduled_snapshot_names(db: Database) -> None:
    vms = db.tables["VM"]
    found = 0
    for snap in snapshots(db).values():
        if not snap["is_vmss_snapshot"]:
            continue
        found += 1
        owner = vms[snap["snapshot_of"]]
        assert owner["snapshot_schedule"] != NULL_REF
        stamp = snap["name_label"].removeprefix(owner["name_label"] + "-")
        run = dt.datetime.strptime(stamp, "%Y%m%d-%H%M").replace(tzinfo=dt.UTC)
        assert dt.timedelta(0) < snap["snapshot_time"] - run < dt.timedelta(minutes=5)
        schedule = db.tables["VMSS"][owner["snapshot_schedule"]]
        assert run <= schedule["last_run_time"]
        if schedule["type"] == "checkpoint":
            assert snap["power_state"] == "Suspended"
    assert found


def test_vmss_messages(db: Database) -> None:
    messages = db.tables["message"].values()
    by_uuid = {s["uuid"]: s for s in db.tables["VMSS"].values()}
    vm_names = {vm["uuid"]: vm["name_label"] for vm in normal_vms(db).values()}
    (nearly_full,) = [sr for sr in db.tables["SR"].values()
                      if sr["name_label"] == NEARLY_FULL_SR_NAME]
    free = nearly_full["physical_size"] - nearly_full["physical_utilisation"]
    failed = [m for m in messages if m["name"] == "VMSS_SNAPSHOT_FAILED"]
    assert len(failed) == 1
    (message,) = failed
    assert message["priority"] == 3 and message["cls"] == "VMSS"
    assert by_uuid[message["obj_uuid"]]["name_label"] == OVER_RETENTION_SCHEDULE_NAME
    for line in message["body"].splitlines():
        match = FAILED_LINE.match(line)
        assert match, line
        assert vm_names[match.group(2)] == match.group(1)
        code, requested, maximum = re.findall(r"'([^']*)'", line.partition("Error:")[2])
        assert code == "SR_FULL" and int(requested) > int(maximum) == free
    succeeded = [m for m in messages if m["name"] == "VMSS_SNAPSHOT_SUCCEEDED"]
    assert succeeded
    assert all(m["priority"] == 5 and m["obj_uuid"] in by_uuid for m in succeeded)
    for m in messages:
        if m["name"] in ("VM_SNAPSHOTTED", "VM_CHECKPOINTED"):
            assert m["cls"] == "VM" and m["obj_uuid"] in vm_names


def test_small_and_empty_pools_load() -> None:
    for spec in (PoolSpec(hosts=1, vms=0, snapshots=0, schedules=0), PoolSpec(hosts=1, vms=1),
                 PoolSpec(), PoolSpec(vms=3, schedules=5)):
        database = Database(load())
        database.bulk_load(generate_pool(spec, seed=0))
        assert len(normal_vms(database)) == spec.vms
        assert len(database.tables["host"]) == spec.hosts


def test_large_pool_generation_time() -> None:
    started = time.perf_counter()
    tables = generate_pool(PoolSpec(hosts=4, vms=2000, snapshots=10, schedules=3), seed=1)
    elapsed = time.perf_counter() - started
    print(f"generated 2000 VMs x 10 snapshots in {elapsed:.2f} s")
    taken = sum(1 for vm in tables["VM"].values() if vm.get("is_a_snapshot"))
    assert 0.9 * 20_000 <= taken <= 1.1 * 20_000
