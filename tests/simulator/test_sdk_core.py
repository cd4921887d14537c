"""The simulator core through the official XenAPI SDK, over loopback HTTP and HTTPS."""

from __future__ import annotations

import datetime as dt
import threading
import time
import xmlrpc.client

import pytest
import XenAPI

from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.http_handlers import HTTP_ACTION_ROLES
from xsnap_gui.xapi.datamodel import load

from .conftest import ROLE_USERS, sdk_login
from .wirehelp import json_call, post, xml_call

DM = load()


def failure(fn, *args):  # type: ignore[no-untyped-def]
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    return info.value.details


# --- sessions -----------------------------------------------------------------------


def test_login_with_two_three_and_four_arguments(sim: RunningSimulator) -> None:
    for args in (("root", "xsnap"), ("root", "xsnap", "1.1"), ("root", "xsnap", "1.1", "t")):
        s = XenAPI.Session(sim.url, ignore_ssl=True)
        s.xenapi.login_with_password(*args)
        assert s.xenapi.session.get_is_local_superuser(s._session) is True
        s.xenapi.session.logout()


def test_login_argument_count_mismatch(sim: RunningSimulator) -> None:
    _, value = xml_call(sim.url, "session.login_with_password", "root")
    assert value == {"Status": "Failure", "ErrorDescription": [
        "MESSAGE_PARAMETER_COUNT_MISMATCH", "session.login_with_password", "4", "1"]}


def test_wrong_password(sim: RunningSimulator) -> None:
    s = XenAPI.Session(sim.url, ignore_ssl=True)
    details = failure(s.xenapi.login_with_password, "root", "wrong")
    assert details[0] == "SESSION_AUTHENTICATION_FAILED"
    assert details[1] == "root" and len(details) == 3


def test_logout_invalidates_the_session(sim: RunningSimulator) -> None:
    s = sdk_login(sim)
    ref = s._session
    s.xenapi.session.logout()
    _, value = xml_call(sim.url, "VM.get_all", ref)
    assert value["ErrorDescription"] == ["SESSION_INVALID", ref]


def test_unknown_session_is_invalid(sim: RunningSimulator) -> None:
    _, value = xml_call(sim.url, "pool.get_all", "OpaqueRef:nope")
    assert value["ErrorDescription"] == ["SESSION_INVALID", "OpaqueRef:nope"]


def test_expired_session_is_invalid(sim: RunningSimulator) -> None:
    s = sdk_login(sim)
    ref = s._session
    sim.sim.db.row("session", ref)["last_active"] -= dt.timedelta(hours=25)
    _, value = xml_call(sim.url, "pool.get_all", ref)
    assert value["ErrorDescription"] == ["SESSION_INVALID", ref]


def test_root_is_local_superuser_with_empty_permissions(xapi: XenAPI.Session) -> None:
    me = xapi._session
    assert xapi.xenapi.session.get_is_local_superuser(me) is True
    assert xapi.xenapi.session.get_rbac_permissions(me) == []


@pytest.mark.parametrize("user", ROLE_USERS[1:], ids=lambda u: u.role)
def test_rbac_permissions_subject_and_role(sim: RunningSimulator, user) -> None:  # type: ignore[no-untyped-def]
    s = sdk_login(sim, user.name, user.password)
    me = s._session
    assert s.xenapi.session.get_is_local_superuser(me) is False
    perms = set(s.xenapi.session.get_rbac_permissions(me))
    expected = {m.permission for m in DM.all_messages() if user.role in m.roles}
    expected |= {f"http/{a}" for a, roles in HTTP_ACTION_ROLES.items() if user.role in roles}
    assert perms == expected
    subject = s.xenapi.session.get_subject(me)
    roles = s.xenapi.subject.get_roles(subject)
    assert [s.xenapi.role.get_name_label(r) for r in roles] == [user.role]
    s.xenapi.session.logout()


# Calls whose roles differ, each checked for every role: allowed exactly when the
# datamodel gives the role the permission.
RBAC_PROBES = ["VMSS.create", "VM.set_name_description", "pool.get_all", "VM.add_tags",
               "VMSS.set_last_run_time"]


@pytest.mark.parametrize("user", ROLE_USERS, ids=lambda u: u.name)
@pytest.mark.parametrize("wire_name", RBAC_PROBES)
def test_rbac_per_role(sim_http: RunningSimulator, user, wire_name: str) -> None:  # type: ignore[no-untyped-def]
    s = sdk_login(sim_http, user.name, user.password)
    m = DM.message(wire_name)
    assert m is not None
    db = sim_http.sim.db
    vm = next(r for r in db.all_refs("VM") if not db.get("VM", r, "is_a_template"))
    vmss = db.all_refs("VMSS")[0]
    args = {
        "VMSS.create": [{"name_label": "probe", "type": "snapshot", "frequency": "daily"}],
        "VM.set_name_description": [vm, db.get("VM", vm, "name_description")],
        "pool.get_all": [],
        "VM.add_tags": [vm, "probe"],
        "VMSS.set_last_run_time": [vmss, xmlrpc.client.DateTime("20240101T00:00:00Z")],
    }[wire_name]
    _, value = xml_call(sim_http.url, wire_name, s._session, *args)
    allowed = user.name == "root" or user.role in m.roles
    if allowed:
        assert value["Status"] == "Success", value
    else:
        code, permission, message = value["ErrorDescription"]
        assert code == "RBAC_PERMISSION_DENIED"
        assert permission == wire_name.lower()
        assert message.startswith("No permission in user session. (Roles with this permission:")
    if allowed and wire_name == "VMSS.create":
        s.xenapi.VMSS.destroy(value["Value"])
    s.xenapi.session.logout()


def test_host_is_slave_gives_the_master_address(sim: RunningSimulator) -> None:
    assert len(sim.members) == 2
    for url in sim.member_urls.values():
        s = XenAPI.Session(url, ignore_ssl=True)
        details = failure(s.xenapi.login_with_password, "root", "xsnap")
        assert details[0] == "HOST_IS_SLAVE"
        master = details[1]
        scheme = sim.url.split("://")[0]
        follow = XenAPI.Session(f"{scheme}://{master}", ignore_ssl=True)
        follow.xenapi.login_with_password("root", "xsnap")
        pool = follow.xenapi.pool.get_all()[0]
        host = follow.xenapi.pool.get_master(pool)
        assert follow.xenapi.host.get_address(host) == master.split(":")[0]
        follow.xenapi.session.logout()


def test_a_session_works_on_a_member(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    url = next(iter(sim.member_urls.values()))
    _, value = xml_call(url, "pool.get_all", xapi._session)
    assert value["Status"] == "Success"


# --- encodings ----------------------------------------------------------------------


def test_xmlrpc_encoding_is_xapis(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    host = xapi.xenapi.host.get_all()[0]
    raw, value = xml_call(sim.url, "host.get_record", xapi._session, host)
    assert value["Status"] == "Success"
    record = value["Value"]
    # Strings are untyped, ints are strings, datetimes have no dashes and end in Z.
    assert b"<string>" not in raw
    assert isinstance(record["API_version_major"], str) and record["API_version_major"] == "2"
    assert b"<fault>" not in raw
    metrics = record["metrics"]
    _, mv = xml_call(sim.url, "host_metrics.get_record", xapi._session, metrics)
    assert isinstance(mv["Value"]["memory_total"], str) and int(mv["Value"]["memory_total"]) > 2**31
    _, t = xml_call(sim.url, "host.get_servertime", xapi._session, host)
    assert isinstance(t["Value"], xmlrpc.client.DateTime)
    assert len(t["Value"].value) == 18 and t["Value"].value.endswith("Z")
    _, lt = xml_call(sim.url, "host.get_server_localtime", xapi._session, host)
    assert len(lt["Value"].value) == 17 and not lt["Value"].value.endswith("Z")


def test_errors_are_failures_never_faults(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    raw, value = xml_call(sim.url, "VM.get_record", xapi._session, "OpaqueRef:missing")
    assert b"<fault>" not in raw
    assert value == {"Status": "Failure",
                     "ErrorDescription": ["HANDLE_INVALID", "VM", "OpaqueRef:missing"]}


def test_system_list_methods_needs_no_session_and_is_bare(sim: RunningSimulator) -> None:
    for path in ("/", "/RPC2"):
        _, value = xml_call(sim.url, "system.listMethods", path=path)
        assert isinstance(value, list)
        assert "VM.get_all_records" in value and "event.from" in value
        assert not any(name.startswith("Async.") for name in value)


def test_uuid_and_name_lookups(xapi: XenAPI.Session) -> None:
    pool = xapi.xenapi.pool.get_all()[0]
    uuid = xapi.xenapi.pool.get_uuid(pool)
    assert xapi.xenapi.pool.get_by_uuid(uuid) == pool
    assert failure(xapi.xenapi.VM.get_by_uuid, "nope") == ["UUID_INVALID", "VM", "nope"]
    host = xapi.xenapi.host.get_all()[0]
    name = xapi.xenapi.host.get_name_label(host)
    assert xapi.xenapi.host.get_by_name_label(name) == [host]


def test_unknown_method_and_class(xapi: XenAPI.Session) -> None:
    assert failure(xapi.xenapi.VM.fly) == ["MESSAGE_METHOD_UNKNOWN", "VM.fly"]
    assert failure(xapi.xenapi.Spaceship.get_all) == ["MESSAGE_METHOD_UNKNOWN",
                                                      "Spaceship.get_all"]


def test_parameter_count_excludes_the_session(xapi: XenAPI.Session) -> None:
    assert failure(xapi.xenapi.VM.get_record) == [
        "MESSAGE_PARAMETER_COUNT_MISMATCH", "VM.get_record", "1", "0"]


def test_field_type_error(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    vmss = xapi.xenapi.VMSS.get_all()[0]
    _, value = xml_call(sim.url, "VMSS.set_enabled", xapi._session, vmss, "maybe")
    assert value["ErrorDescription"] == ["FIELD_TYPE_ERROR", "value"]
    _, value = xml_call(sim.url, "VM.set_name_label", xapi._session, 17, "x")
    assert value["ErrorDescription"] == ["FIELD_TYPE_ERROR", "self"]


def test_setters_maps_and_sets(xapi: XenAPI.Session) -> None:
    vm = next(v for v, r in xapi.xenapi.VM.get_all_records().items()
              if not r["is_a_template"] and not r["is_control_domain"])
    xapi.xenapi.VM.set_name_description(vm, "日本語の説明 <&>")
    assert xapi.xenapi.VM.get_name_description(vm) == "日本語の説明 <&>"
    xapi.xenapi.VM.add_to_other_config(vm, "k", "v")
    assert failure(xapi.xenapi.VM.add_to_other_config, vm, "k", "w")[0] == "MAP_DUPLICATE_KEY"
    xapi.xenapi.VM.remove_from_other_config(vm, "k")
    assert "k" not in xapi.xenapi.VM.get_other_config(vm)
    xapi.xenapi.VM.add_tags(vm, "gold")
    xapi.xenapi.VM.add_tags(vm, "gold")
    assert xapi.xenapi.VM.get_tags(vm).count("gold") == 1
    xapi.xenapi.VM.remove_tags(vm, "gold")
    assert "gold" not in xapi.xenapi.VM.get_tags(vm)


def test_relations_both_ways(xapi: XenAPI.Session) -> None:
    vms = xapi.xenapi.VM.get_all_records()
    vbds = xapi.xenapi.VBD.get_all_records()
    for ref, vm in vms.items():
        for vbd in vm["VBDs"]:
            assert vbds[vbd]["VM"] == ref
        for snap in vm["snapshots"]:
            assert vms[snap]["snapshot_of"] == ref
        for child in vm["children"]:
            assert vms[child]["parent"] == ref
    for ref, vbd in vbds.items():
        assert ref in vms[vbd["VM"]]["VBDs"]
    schedules = xapi.xenapi.VMSS.get_all_records()
    for ref, vmss in schedules.items():
        for vm in vmss["VMs"]:
            assert vms[vm]["snapshot_schedule"] == ref


# --- async and tasks ----------------------------------------------------------------


def wait_task(xapi: XenAPI.Session, task: str, timeout: float = 10) -> dict:  # type: ignore[type-arg]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        record = xapi.xenapi.task.get_record(task)
        if record["status"] != "pending":
            return record  # type: ignore[no-any-return]
        time.sleep(0.02)
    raise AssertionError("task did not finish")


def test_async_constructor_returns_a_task(xapi: XenAPI.Session) -> None:
    task = xapi.xenapi.Async.VMSS.create(
        {"name_label": "async", "type": "snapshot", "frequency": "hourly"})
    assert task.startswith("OpaqueRef:")
    record = wait_task(xapi, task)
    assert record["status"] == "success"
    assert record["progress"] == 1.0
    result = record["result"]
    assert result.startswith("<value>OpaqueRef:") and result.endswith("</value>")
    vmss = result[len("<value>"):-len("</value>")]
    assert xapi.xenapi.VMSS.get_name_label(vmss) == "async"
    xapi.xenapi.task.destroy(task)
    task = xapi.xenapi.Async.VMSS.destroy(vmss)
    record = wait_task(xapi, task)
    assert record["status"] == "success" and record["result"] == "<value></value>"


def test_async_failure_is_recorded_on_the_task(xapi: XenAPI.Session) -> None:
    task = xapi.xenapi.Async.VMSS.destroy("OpaqueRef:missing")
    record = wait_task(xapi, task)
    assert record["status"] == "failure"
    assert record["error_info"] == ["HANDLE_INVALID", "VMSS", "OpaqueRef:missing"]
    assert record["finished"].value > record["created"].value or record["finished"].value


def test_async_is_refused_for_getters_and_setters(xapi: XenAPI.Session) -> None:
    for call in (xapi.xenapi.Async.VM.get_record, xapi.xenapi.Async.VM.get_all_records,
                 xapi.xenapi.Async.VM.set_name_label, xapi.xenapi.Async.session.logout):
        details = failure(call, "OpaqueRef:x")
        assert details[0] == "MESSAGE_METHOD_UNKNOWN"


def test_task_create_cancel_destroy(xapi: XenAPI.Session) -> None:
    task = xapi.xenapi.task.create("upload", "a client-side task")
    record = xapi.xenapi.task.get_record(task)
    assert record["status"] == "pending" and record["name_label"] == "upload"
    assert record["finished"].value == "19700101T00:00:00Z"
    assert "cancel" in record["allowed_operations"]
    xapi.xenapi.task.cancel(task)
    assert "cancel" in xapi.xenapi.task.get_current_operations(task).values()
    xapi.xenapi.task.destroy(task)
    assert failure(xapi.xenapi.task.get_record, task) == ["HANDLE_INVALID", "task", task]


def test_task_changes_show_in_event_from(xapi: XenAPI.Session) -> None:
    token = getattr(xapi.xenapi.event, "from")(["task"], "", 0.0)["token"]
    task = xapi.xenapi.task.create("watched", "")
    batch = getattr(xapi.xenapi.event, "from")(["task"], token, 5.0)
    assert [(e["operation"], e["ref"]) for e in batch["events"]] == [("add", task)]
    xapi.xenapi.task.set_progress(task, 0.5)
    batch = getattr(xapi.xenapi.event, "from")(["task"], batch["token"], 5.0)
    assert [(e["operation"], e["snapshot"]["progress"]) for e in batch["events"]] == [("mod", 0.5)]
    xapi.xenapi.task.destroy(task)
    batch = getattr(xapi.xenapi.event, "from")(["task"], batch["token"], 5.0)
    assert [(e["operation"], "snapshot" in e) for e in batch["events"]] == [("del", False)]


# --- events -------------------------------------------------------------------------


def event_from(xapi: XenAPI.Session, classes: list[str], token: str, timeout: float):  # type: ignore[no-untyped-def]
    return getattr(xapi.xenapi.event, "from")(classes, token, float(timeout))


def test_event_from_empty_token_returns_everything_as_add(xapi: XenAPI.Session) -> None:
    batch = event_from(xapi, ["vm", "VMSS"], "", 0)
    vms = xapi.xenapi.VM.get_all()
    schedules = xapi.xenapi.VMSS.get_all()
    assert {e["ref"] for e in batch["events"]} == set(vms) | set(schedules)
    assert {e["operation"] for e in batch["events"]} == {"add"}
    assert {e["class"] for e in batch["events"]} == {"vm", "vmss"}
    for e in batch["events"][:5]:
        assert set(e) == {"id", "timestamp", "class", "operation", "ref", "snapshot"}
    counts = batch["valid_ref_counts"]
    assert counts["vm"] == len(vms) and isinstance(counts["vm"], int)
    assert "vdi" in counts and "task" in counts
    assert len(batch["token"]) == 41 and batch["token"][20] == ","


def test_valid_ref_counts_are_i4(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    raw, _ = xml_call(sim.url, "event.from", xapi._session, ["pool"], "", 0.0)
    assert b"<name>vm</name><value><i4>" in raw


def test_event_from_coalesces_per_batch(xapi: XenAPI.Session) -> None:
    vm = next(v for v, r in xapi.xenapi.VM.get_all_records().items() if not r["is_a_template"])
    token = event_from(xapi, ["vm", "vmss"], "", 0)["token"]
    xapi.xenapi.VM.set_name_description(vm, "one")
    xapi.xenapi.VM.set_name_description(vm, "two")
    created = xapi.xenapi.VMSS.create({"name_label": "c", "type": "snapshot",
                                       "frequency": "hourly"})
    xapi.xenapi.VMSS.set_name_label(created, "renamed")
    gone = xapi.xenapi.VMSS.create({"name_label": "g", "type": "snapshot", "frequency": "daily"})
    xapi.xenapi.VMSS.destroy(gone)
    batch = event_from(xapi, ["vm", "vmss"], token, 5)
    ops = sorted((e["operation"], e["ref"]) for e in batch["events"])
    assert ops == sorted([("mod", vm), ("add", created)])
    snap = next(e for e in batch["events"] if e["ref"] == vm)["snapshot"]
    assert snap["name_description"] == "two"
    token = batch["token"]
    xapi.xenapi.VMSS.destroy(created)
    batch = event_from(xapi, ["vmss"], token, 5)
    assert [(e["operation"], e["class"], "snapshot" in e) for e in batch["events"]] == [
        ("del", "vmss", False)]


def test_event_from_blocks_until_a_change(xapi: XenAPI.Session, sim: RunningSimulator) -> None:
    vm = next(v for v, r in xapi.xenapi.VM.get_all_records().items() if not r["is_a_template"])
    token = event_from(xapi, ["vm"], "", 0)["token"]

    def change_later() -> None:
        time.sleep(0.3)
        other = sdk_login(sim)
        other.xenapi.VM.set_name_description(vm, "changed later")
        other.xenapi.session.logout()

    threading.Thread(target=change_later).start()
    start = time.monotonic()
    batch = event_from(xapi, ["vm"], token, 10)
    elapsed = time.monotonic() - start
    assert 0.25 < elapsed < 5
    assert [e["ref"] for e in batch["events"]] == [vm]


def test_event_from_times_out_with_a_new_token(xapi: XenAPI.Session) -> None:
    token = event_from(xapi, ["vmss"], "", 0)["token"]
    start = time.monotonic()
    batch = event_from(xapi, ["vmss"], token, 0.5)
    assert 0.45 < time.monotonic() - start < 3
    assert batch["events"] == []
    assert batch["token"] >= token


def test_event_from_single_object(xapi: XenAPI.Session) -> None:
    vms = [v for v, r in xapi.xenapi.VM.get_all_records().items() if not r["is_a_template"]]
    a, b = vms[0], vms[1]
    token = event_from(xapi, [f"vm/{a}"], "", 0)["token"]
    xapi.xenapi.VM.set_name_description(b, "not watched")
    xapi.xenapi.VM.set_name_description(a, "watched")
    batch = event_from(xapi, [f"vm/{a}"], token, 5)
    assert [e["ref"] for e in batch["events"]] == [a]


def test_event_from_errors(xapi: XenAPI.Session) -> None:
    assert failure(event_from, xapi, ["nosuchclass"], "", 0) == [
        "EVENT_SUBSCRIPTION_PARSE_FAILURE", "nosuchclass"]
    assert failure(event_from, xapi, ["vm"], "garbage", 0) == [
        "EVENT_FROM_TOKEN_PARSE_FAILURE", "garbage"]


def test_event_inject(xapi: XenAPI.Session) -> None:
    pool = xapi.xenapi.pool.get_all()[0]
    token = xapi.xenapi.event.inject("pool", pool)
    batch = event_from(xapi, ["pool"], token, 5)
    assert [(e["operation"], e["ref"]) for e in batch["events"]] == [("mod", pool)]
    assert failure(xapi.xenapi.event.inject, "pool", "OpaqueRef:x") == [
        "HANDLE_INVALID", "pool", "OpaqueRef:x"]


def test_a_session_ref_works_across_protocols(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    reply = json_call(sim.url, "pool.get_all", xapi._session)
    assert reply["result"] == xapi.xenapi.pool.get_all()


def test_http_500_on_garbage_and_the_server_lives_on(sim: RunningSimulator) -> None:
    status, headers, _ = post(sim.url, b"<<<not xml")
    assert status == 500 and headers["Content-Type"] == "text/html"
    _, value = xml_call(sim.url, "system.listMethods")
    assert value
