"""VMSS validation and VM.set_snapshot_schedule, as xapi's xapi_vmss.ml and map_check.ml do it."""

from __future__ import annotations

import datetime as dt
import time
import xmlrpc.client
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.classes.vmss import ocaml_int
from xsnap_gui.simulator.core import SimConfig

from .conftest import ROLE_USERS, sdk_login
from .wirehelp import xml_call

CLOCK_START = dt.datetime(2025, 3, 18, 10, 0, tzinfo=dt.UTC)
NULL = "OpaqueRef:NULL"


@pytest.fixture
def running() -> Iterator[RunningSimulator]:
    # A frozen clock: nothing runs by itself while a test looks at schedules.
    config = SimConfig(users=ROLE_USERS, clock_start=CLOCK_START, clock_speed=0)
    r = start_simulator(generate="hosts=1,vms=6,snapshots=1,schedules=0", seed=5, tls=False,
                        config=config)
    yield r
    r.stop()


@pytest.fixture
def api(running: RunningSimulator) -> Iterator[XenAPI.Session]:
    session = sdk_login(running)
    yield session
    session.xenapi.session.logout()


def failure(fn: Any, *args: Any) -> list[str]:
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    details: list[str] = info.value.details
    return details


def create(api: XenAPI.Session, frequency: str, schedule: dict[str, str] | None = None,
           **fields: Any) -> str:
    record = {"name_label": f"{frequency} test", "type": "snapshot", "frequency": frequency,
              "schedule": schedule or {}, **fields}
    ref: str = api.xenapi.VMSS.create(record)
    return ref


def plain_vms(api: XenAPI.Session) -> list[str]:
    records = api.xenapi.VM.get_all_records()
    return sorted(ref for ref, r in records.items()
                  if not r["is_a_template"] and not r["is_control_domain"])


# --- create ------------------------------------------------------------------------------


def test_missing_type_or_frequency_fails_like_xapis_dispatcher(api: XenAPI.Session) -> None:
    # xapi's generated dispatcher raises Dispatcher_FieldNotFound, which no error code maps.
    assert failure(api.xenapi.VMSS.create, {"frequency": "daily"}) == [
        "INTERNAL_ERROR", 'Server_helpers.Dispatcher_FieldNotFound("type")']
    assert failure(api.xenapi.VMSS.create, {"type": "snapshot"}) == [
        "INTERNAL_ERROR", 'Server_helpers.Dispatcher_FieldNotFound("frequency")']
    # Fields are read in datamodel order: type comes before frequency.
    assert failure(api.xenapi.VMSS.create, {"name_label": "x"}) == [
        "INTERNAL_ERROR", 'Server_helpers.Dispatcher_FieldNotFound("type")']


@pytest.mark.parametrize(("frequency", "expected"), [
    ("hourly", {"min": "0"}),
    ("daily", {"hour": "0", "min": "0"}),
    ("weekly", {"hour": "0", "min": "0", "days": "Monday"}),
])
def test_create_fills_defaults(api: XenAPI.Session, frequency: str,
                               expected: dict[str, str]) -> None:
    record = api.xenapi.VMSS.get_record(create(api, frequency))
    assert record["schedule"] == expected
    assert record["retained_snapshots"] == "7"
    assert record["enabled"] is True
    assert record["last_run_time"].value == "19700101T00:00:00Z"
    assert record["VMs"] == []


@pytest.mark.parametrize(("frequency", "schedule", "expected"), [
    ("hourly", {"hour": "3"}, ["schedule:hour", "3"]),
    ("hourly", {"days": "Monday"}, ["schedule:days", "Monday"]),
    ("daily", {"days": "Monday"}, ["schedule:days", "Monday"]),
    ("weekly", {"sec": "5"}, ["schedule:sec", "5"]),
    ("daily", {"Min": "15"}, ["schedule:Min", "15"]),
])
def test_key_not_allowed_for_the_frequency(api: XenAPI.Session, frequency: str,
                                           schedule: dict[str, str],
                                           expected: list[str]) -> None:
    assert failure(create, api, frequency, schedule) == ["INVALID_VALUE", *expected]


@pytest.mark.parametrize(("schedule", "expected"), [
    ({"min": "10"}, ["schedule:min", "10"]),
    ({"min": "00"}, ["schedule:min", "00"]),
    ({"hour": "24"}, ["schedule:hour", "24"]),
    ({"hour": "-1"}, ["schedule:hour", "-1"]),
    ({"hour": "noon"}, ["schedule:hour", "noon"]),
    ({"days": "Monday,Funday"}, ["schedule:days", "Funday"]),
    ({"days": "Monday, Tuesday"}, ["schedule:days", " Tuesday"]),
    ({"days": "Monday,monday"}, ["schedule:days", "Monday,monday"]),
    ({"days": "Friday,Monday,Friday"}, ["schedule:days", "Friday,Monday,Friday"]),
    ({"days": ""}, ["schedule:days", ""]),
])
def test_bad_values(api: XenAPI.Session, schedule: dict[str, str],
                    expected: list[str]) -> None:
    assert failure(create, api, "weekly", schedule) == ["INVALID_VALUE", *expected]


@pytest.mark.parametrize("retained", [0, 11, -3])
def test_retention_out_of_range(api: XenAPI.Session, retained: int) -> None:
    record = {"name_label": "r", "type": "snapshot", "frequency": "daily",
              "retained_snapshots": retained}
    assert failure(api.xenapi.VMSS.create, record) == [
        "INVALID_VALUE", "retained_snapshots", str(retained)]


def test_quiesce_type_needs_the_vss_licence(api: XenAPI.Session) -> None:
    record = {"name_label": "vss", "type": "snapshot_with_quiesce", "frequency": "daily"}
    assert failure(api.xenapi.VMSS.create, record) == ["LICENCE_RESTRICTION", "VSS"]
    vmss = create(api, "daily")
    assert failure(api.xenapi.VMSS.set_type, vmss, "snapshot_with_quiesce") == [
        "LICENCE_RESTRICTION", "VSS"]
    api.xenapi.VMSS.set_type(vmss, "checkpoint")
    assert api.xenapi.VMSS.get_type(vmss) == "checkpoint"


def test_valid_edge_values(api: XenAPI.Session) -> None:
    vmss = create(api, "weekly", {"min": "45", "hour": "23", "days": "sunday"},
                  retained_snapshots=10)
    record = api.xenapi.VMSS.get_record(vmss)
    assert record["schedule"] == {"hour": "23", "min": "45", "days": "Sunday"}
    assert record["retained_snapshots"] == "10"
    one = create(api, "daily", {"hour": "07", "min": "0"}, retained_snapshots=1)
    # int_of_string reads "07"; xapi stores the value as it was given.
    assert api.xenapi.VMSS.get_schedule(one) == {"hour": "07", "min": "0"}


def test_days_are_normalised_in_the_order_given(api: XenAPI.Session) -> None:
    vmss = create(api, "weekly", {"days": "wednesday,MONDAY,Friday"})
    assert api.xenapi.VMSS.get_schedule(vmss)["days"] == "Wednesday,Monday,Friday"


def test_ocaml_int_of_string() -> None:
    assert [ocaml_int(t) for t in ("7", "+7", "-0", "0x17", "0o7", "0b101", "1_2")] == [
        7, 7, 0, 23, 7, 5, 12]
    assert [ocaml_int(t) for t in ("", " 7", "7 ", "0x", "_1", "1.0", "seven")] == [None] * 7


def test_licence_is_checked_first(running: RunningSimulator, api: XenAPI.Session) -> None:
    vmss = create(api, "daily")
    db = running.sim.db
    pool = running.sim.pool
    db.set("pool", pool, "restrictions", {"restrict_vmss": "true"})
    assert failure(create, api, "daily") == ["LICENCE_RESTRICTION", "VMSS"]
    assert failure(api.xenapi.VMSS.set_retained_snapshots, vmss, "3") == [
        "LICENCE_RESTRICTION", "VMSS"]
    vm = plain_vms(api)[0]
    assert failure(api.xenapi.VM.set_snapshot_schedule, vm, vmss) == [
        "LICENCE_RESTRICTION", "VMSS"]
    # The implicit setters are plain database writes, with no licence check.
    api.xenapi.VMSS.set_enabled(vmss, False)
    # A flag that is missing counts as restricted.
    db.set("pool", pool, "restrictions", {})
    assert failure(create, api, "daily") == ["LICENCE_RESTRICTION", "VMSS"]


# --- setters -----------------------------------------------------------------------------


def test_set_retained_snapshots(api: XenAPI.Session) -> None:
    vmss = create(api, "daily")
    for bad in ("0", "11"):
        assert failure(api.xenapi.VMSS.set_retained_snapshots, vmss, bad) == [
            "INVALID_VALUE", "retained_snapshots", bad]
    api.xenapi.VMSS.set_retained_snapshots(vmss, "10")
    assert api.xenapi.VMSS.get_retained_snapshots(vmss) == "10"


def test_set_frequency_adds_defaults_and_drops_unused_keys(api: XenAPI.Session) -> None:
    vmss = create(api, "weekly", {"hour": "5", "min": "30", "days": "Friday"})
    api.xenapi.VMSS.set_frequency(vmss, "hourly")
    assert api.xenapi.VMSS.get_schedule(vmss) == {"min": "30"}
    assert api.xenapi.VMSS.get_frequency(vmss) == "hourly"
    api.xenapi.VMSS.set_frequency(vmss, "weekly")
    assert api.xenapi.VMSS.get_schedule(vmss) == {"hour": "0", "min": "30", "days": "Monday"}
    api.xenapi.VMSS.set_frequency(vmss, "daily")
    assert api.xenapi.VMSS.get_schedule(vmss) == {"hour": "0", "min": "30"}


def test_set_schedule_merges_over_the_stored_value(api: XenAPI.Session) -> None:
    vmss = create(api, "daily", {"hour": "5", "min": "30"})
    api.xenapi.VMSS.set_schedule(vmss, {"min": "45"})
    assert api.xenapi.VMSS.get_schedule(vmss) == {"hour": "5", "min": "45"}
    # Checked against the keys of every frequency, so a daily schedule may hold days.
    api.xenapi.VMSS.set_schedule(vmss, {"days": "tuesday"})
    assert api.xenapi.VMSS.get_schedule(vmss) == {"days": "Tuesday", "hour": "5", "min": "45"}
    assert failure(api.xenapi.VMSS.set_schedule, vmss, {"sec": "1"}) == [
        "INVALID_VALUE", "schedule:sec", "1"]
    assert failure(api.xenapi.VMSS.set_schedule, vmss, {"min": "7"}) == [
        "INVALID_VALUE", "schedule:min", "7"]
    # An empty map removes nothing.
    api.xenapi.VMSS.set_schedule(vmss, {})
    assert api.xenapi.VMSS.get_schedule(vmss) == {"days": "Tuesday", "hour": "5", "min": "45"}


def test_add_to_and_remove_from_schedule(api: XenAPI.Session) -> None:
    vmss = create(api, "hourly", {"min": "15"})
    # Checked against the keys of every frequency: an hourly schedule may hold an hour.
    api.xenapi.VMSS.add_to_schedule(vmss, "hour", "5")
    assert api.xenapi.VMSS.get_schedule(vmss) == {"min": "15", "hour": "5"}
    api.xenapi.VMSS.remove_from_schedule(vmss, "hour")
    assert api.xenapi.VMSS.get_schedule(vmss) == {"min": "15"}
    # Removal is plain: even a key the frequency needs can go.
    api.xenapi.VMSS.remove_from_schedule(vmss, "min")
    assert api.xenapi.VMSS.get_schedule(vmss) == {}
    api.xenapi.VMSS.add_to_schedule(vmss, "min", "30")
    assert api.xenapi.VMSS.get_schedule(vmss) == {"min": "30"}
    # A key that is there already: the database refuses it, and so does the restore.
    assert failure(api.xenapi.VMSS.add_to_schedule, vmss, "min", "45") == [
        "MAP_DUPLICATE_KEY", "VMSS", "schedule", vmss, "min"]
    assert api.xenapi.VMSS.get_schedule(vmss) == {"min": "30"}


def test_param_set_keeps_the_old_value_when_the_new_one_is_bad(api: XenAPI.Session) -> None:
    # ``xe vmss-param-set schedule:min=7`` removes the key, then adds it back with the new
    # value; xapi restores the old value from its copy when the add fails.
    vmss = create(api, "daily", {"hour": "5", "min": "30"})
    api.xenapi.VMSS.remove_from_schedule(vmss, "min")
    assert failure(api.xenapi.VMSS.add_to_schedule, vmss, "min", "7") == [
        "INVALID_VALUE", "schedule:min", "7"]
    assert api.xenapi.VMSS.get_schedule(vmss) == {"hour": "5", "min": "30"}
    api.xenapi.VMSS.remove_from_schedule(vmss, "hour")
    api.xenapi.VMSS.add_to_schedule(vmss, "hour", "23")
    assert api.xenapi.VMSS.get_schedule(vmss) == {"min": "30", "hour": "23"}


def test_failed_add_without_a_saved_value_is_xapis_not_found(api: XenAPI.Session) -> None:
    # add_to_schedule restores a failed key from the copy the last remove_from_schedule
    # took; with no such copy, or one without that key, OCaml's List.assoc raises Not_found.
    vmss = create(api, "weekly", {"days": "Monday"})
    assert failure(api.xenapi.VMSS.add_to_schedule, vmss, "sec", "1") == [
        "INTERNAL_ERROR", "Not_found"]
    assert failure(api.xenapi.VMSS.add_to_schedule, vmss, "hour", "6") == [
        "INTERNAL_ERROR", "Not_found"]
    api.xenapi.VMSS.remove_from_schedule(vmss, "days")
    assert failure(api.xenapi.VMSS.add_to_schedule, vmss, "sec", "1") == [
        "INTERNAL_ERROR", "Not_found"]
    assert failure(api.xenapi.VMSS.add_to_schedule, vmss, "days", "Funday") == [
        "INVALID_VALUE", "schedule:days", "Funday"]
    assert api.xenapi.VMSS.get_schedule(vmss)["days"] == "Monday"


def test_generic_setters_work(api: XenAPI.Session) -> None:
    vmss = create(api, "daily")
    api.xenapi.VMSS.set_enabled(vmss, False)
    api.xenapi.VMSS.set_name_label(vmss, "Nightly")
    api.xenapi.VMSS.set_name_description(vmss, "keep a week")
    record = api.xenapi.VMSS.get_record(vmss)
    assert (record["enabled"], record["name_label"], record["name_description"]) == (
        False, "Nightly", "keep a week")


# --- destroy -----------------------------------------------------------------------------


def test_destroy_refused_while_vms_are_assigned(api: XenAPI.Session) -> None:
    vmss = create(api, "daily")
    vm = plain_vms(api)[0]
    api.xenapi.VM.set_snapshot_schedule(vm, vmss)
    assert failure(api.xenapi.VMSS.destroy, vmss) == ["VMSS_HAS_VM"]
    api.xenapi.VM.set_snapshot_schedule(vm, NULL)
    api.xenapi.VMSS.destroy(vmss)
    assert vmss not in api.xenapi.VMSS.get_all()


def test_destroy_removes_the_schedules_messages(api: XenAPI.Session) -> None:
    doomed, kept = create(api, "daily"), create(api, "hourly")
    doomed_uuid = api.xenapi.VMSS.get_uuid(doomed)
    kept_uuid = api.xenapi.VMSS.get_uuid(kept)
    mine = [api.xenapi.message.create("VMSS_SNAPSHOT_SUCCEEDED", "5", "VMSS", doomed_uuid, "ok"),
            api.xenapi.message.create("VMSS_SNAPSHOT_FAILED", "3", "VMSS", doomed_uuid, "no")]
    other = api.xenapi.message.create("VMSS_SNAPSHOT_SUCCEEDED", "5", "VMSS", kept_uuid, "ok")
    api.xenapi.VMSS.destroy(doomed)
    remaining = api.xenapi.message.get_all()
    assert not set(mine) & set(remaining)
    assert other in remaining


# --- VM.set_snapshot_schedule ------------------------------------------------------------


def test_assign_unassign_and_move(api: XenAPI.Session) -> None:
    first, second = create(api, "daily"), create(api, "weekly")
    vm_a, vm_b = plain_vms(api)[:2]
    api.xenapi.VM.set_snapshot_schedule(vm_a, first)
    api.xenapi.VM.set_snapshot_schedule(vm_b, first)
    assert sorted(api.xenapi.VMSS.get_VMs(first)) == sorted([vm_a, vm_b])
    # A VM belongs to one schedule: assigning it elsewhere moves it.
    api.xenapi.VM.set_snapshot_schedule(vm_a, second)
    assert api.xenapi.VMSS.get_VMs(first) == [vm_b]
    assert api.xenapi.VMSS.get_VMs(second) == [vm_a]
    assert api.xenapi.VM.get_snapshot_schedule(vm_a) == second
    api.xenapi.VM.set_snapshot_schedule(vm_a, NULL)
    assert api.xenapi.VMSS.get_VMs(second) == []
    assert api.xenapi.VM.get_snapshot_schedule(vm_a) == NULL
    # XenCenter unassigns with "" (C#'s null); it reads back as OpaqueRef:NULL here.
    api.xenapi.VM.set_snapshot_schedule(vm_b, "")
    assert api.xenapi.VMSS.get_VMs(first) == []
    assert api.xenapi.VM.get_snapshot_schedule(vm_b) == NULL


def test_snapshots_templates_and_control_domains_are_refused(api: XenAPI.Session) -> None:
    vmss = create(api, "daily")
    records = api.xenapi.VM.get_all_records()
    snapshot = next(r for r, v in records.items() if v["is_a_snapshot"])
    dom0 = next(r for r, v in records.items() if v["is_control_domain"])
    template = plain_vms(api)[0]
    api.xenapi.VM.set_is_a_template(template, True)
    assert failure(api.xenapi.VM.set_snapshot_schedule, snapshot, vmss) == [
        "VM_IS_TEMPLATE", snapshot]
    assert failure(api.xenapi.VM.set_snapshot_schedule, template, vmss) == [
        "VM_IS_TEMPLATE", template]
    # xapi names the schedule, not the VM, for a control domain.
    assert failure(api.xenapi.VM.set_snapshot_schedule, dom0, vmss) == ["INVALID_VALUE", vmss]
    # Unassigning is always allowed.
    api.xenapi.VM.set_snapshot_schedule(snapshot, NULL)
    assert api.xenapi.VMSS.get_VMs(vmss) == []


def test_bad_schedule_references(api: XenAPI.Session) -> None:
    vm = plain_vms(api)[0]
    assert failure(api.xenapi.VM.set_snapshot_schedule, vm, "OpaqueRef:nope") == [
        "INVALID_VALUE", "OpaqueRef:nope"]
    assert failure(api.xenapi.VM.set_snapshot_schedule, vm, "junk") == ["INVALID_VALUE", "junk"]
    # xapi only asks whether the reference is valid at all; a VM's is, until read as a VMSS.
    other_vm = plain_vms(api)[1]
    assert failure(api.xenapi.VM.set_snapshot_schedule, vm, other_vm) == [
        "HANDLE_INVALID", "VMSS", other_vm]
    vmss = create(api, "daily")
    assert failure(api.xenapi.VM.set_snapshot_schedule, "OpaqueRef:ghost", vmss) == [
        "HANDLE_INVALID", "VM", "OpaqueRef:ghost"]


# --- RBAC --------------------------------------------------------------------------------


def test_vm_admin_cannot_create_pool_operator_can(running: RunningSimulator,
                                                  api: XenAPI.Session) -> None:
    vm = plain_vms(api)[0]
    record = {"name_label": "rbac", "type": "snapshot", "frequency": "daily"}
    vm_admin = sdk_login(running, "vmadmin", "pw-vmadmin")
    details = failure(vm_admin.xenapi.VMSS.create, record)
    assert details[:2] == ["RBAC_PERMISSION_DENIED", "vmss.create"]
    assert "pool-admin, pool-operator" in details[2]
    existing = create(api, "daily")
    assert failure(vm_admin.xenapi.VM.set_snapshot_schedule, vm, existing)[:2] == [
        "RBAC_PERMISSION_DENIED", "vm.set_snapshot_schedule"]
    # Every role may read schedules.
    assert existing in vm_admin.xenapi.VMSS.get_all()
    operator = sdk_login(running, "operator", "pw-operator")
    vmss = operator.xenapi.VMSS.create(record)
    operator.xenapi.VM.set_snapshot_schedule(vm, vmss)
    operator.xenapi.VMSS.set_schedule(vmss, {"hour": "3"})
    assert api.xenapi.VMSS.get_VMs(vmss) == [vm]


def test_set_last_run_time_is_for_the_local_superuser_only(running: RunningSimulator,
                                                          api: XenAPI.Session) -> None:
    vmss = create(api, "daily")
    when = xmlrpc.client.DateTime("20250101T02:30:00Z")
    admin = sdk_login(running, "admin", "pw-admin")
    details = failure(admin.xenapi.VMSS.set_last_run_time, vmss, when)
    assert details[:2] == ["RBAC_PERMISSION_DENIED", "vmss.set_last_run_time"]
    api.xenapi.VMSS.set_last_run_time(vmss, when)
    assert api.xenapi.VMSS.get_last_run_time(vmss).value == "20250101T02:30:00Z"


def test_async_create_validates_on_its_task(running: RunningSimulator,
                                            api: XenAPI.Session) -> None:
    _, reply = xml_call(running.url, "Async.VMSS.create", api._session,
                        {"name_label": "a", "type": "snapshot", "frequency": "hourly",
                         "schedule": {"min": "20"}})
    task = reply["Value"]
    deadline = time.monotonic() + 10
    while api.xenapi.task.get_status(task) == "pending" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert api.xenapi.task.get_status(task) == "failure"
    assert api.xenapi.task.get_error_info(task) == ["INVALID_VALUE", "schedule:min", "20"]
