"""What the simulator answers matches the datamodel: names, parameter counts, fields, errors."""

from __future__ import annotations

import datetime as dt
import xmlrpc.client
from typing import Any

import pytest
import XenAPI

from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.xapi.datamodel import XType, load

from .conftest import sdk_login
from .wirehelp import json_call, xml_call

DM = load()

# SESSION_AUTHENTICATION_FAILED is declared without parameters, but xapi's code sends
# [user, message] (xapi_session.ml); clients rely on that, so we follow the code.
# VM_IS_TEMPLATE is declared with [vm]; xapi_vm_lifecycle.ml sends [vm, operation].
KNOWN_PARAM_DEVIATIONS = {"SESSION_AUTHENTICATION_FAILED": 2, "VM_IS_TEMPLATE": 2}


def test_every_listed_method_exists_with_its_parameter_count(sim_http: RunningSimulator) -> None:
    _, names = xml_call(sim_http.url, "system.listMethods")
    s = sdk_login(sim_http)
    assert len(names) > 500
    for name in names:
        m = DM.message(name)
        assert m is not None, name
        # Too many arguments always fails the count check, with the datamodel's count.
        args = [s._session] * (len(m.params) + 1)
        _, value = xml_call(sim_http.url, name, *args)
        assert value["ErrorDescription"] == [
            "MESSAGE_PARAMETER_COUNT_MISMATCH", name, str(len(m.args)),
            str(len(m.args) + 1)], name


def _check_type(t: XType, value: Any, where: str) -> None:
    kind = t.kind
    if kind in ("string", "ref"):
        assert isinstance(value, str), where
    elif kind == "enum":
        assert value in DM.enums[t.name], f"{where}: {value!r} not in enum {t.name}"
    elif kind == "int":
        assert isinstance(value, int) and not isinstance(value, bool), where
    elif kind == "float":
        assert isinstance(value, float | int) and not isinstance(value, bool), where
    elif kind == "bool":
        assert isinstance(value, bool), where
    elif kind == "datetime":
        assert isinstance(value, str) and len(value) in (17, 18), where
        dt.datetime.strptime(value.rstrip("Z"), "%Y%m%dT%H:%M:%S")
    elif kind == "set":
        assert isinstance(value, list), where
        assert t.elem is not None
        for v in value:
            _check_type(t.elem, v, where)
    elif kind == "map":
        assert isinstance(value, dict), where
        assert t.key is not None and t.elem is not None
        for v in value.values():
            _check_type(t.elem, v, where)


def test_every_record_field_is_a_datamodel_field_of_the_right_type(
    sim_http: RunningSimulator,
) -> None:
    # JSON-RPC keeps ints and floats typed, so the check can be strict.
    session = json_call(sim_http.url, "session.login_with_password", "root", "xsnap")["result"]
    checked = 0
    for cls in sorted(sim_http.sim.db.tables):
        if not sim_http.sim.db.tables[cls] or "get_all_records" not in DM.classes[cls].messages:
            continue
        records = json_call(sim_http.url, f"{cls}.get_all_records", session)
        assert "result" in records, (cls, records)
        fields = DM.classes[cls].fields
        for ref, record in records["result"].items():
            assert set(record) == set(fields), (cls, set(record) ^ set(fields))
            for name, value in record.items():
                _check_type(fields[name].type, value, f"{cls}.{name} of {ref}")
                checked += 1
    assert checked > 1000


def test_every_error_raised_is_catalogued(sim_http: RunningSimulator) -> None:
    s = sdk_login(sim_http)
    me = s._session
    probes: list[tuple[str, list[Any]]] = [
        ("VM.get_record", [me, "OpaqueRef:x"]),
        ("VM.get_by_uuid", [me, "x"]),
        ("VM.nope", [me]),
        ("VM.get_record", [me]),
        ("pool.get_all", ["OpaqueRef:bad"]),
        ("VMSS.set_enabled", [me, "OpaqueRef:x", "nope"]),
        ("event.from", [me, ["bogus"], "", 0.0]),
        ("event.from", [me, ["vm"], "bogus", 0.0]),
        ("event.inject", [me, "vm", "OpaqueRef:x"]),
        ("VM.snapshot_with_quiesce", [me, "OpaqueRef:x", "n"]),
        ("task.cancel", [me, "OpaqueRef:x"]),
        ("session.login_with_password", ["root", "bad"]),
    ]
    seen = set()
    for method, params in probes:
        _, value = xml_call(sim_http.url, method, *params)
        assert value["Status"] == "Failure", (method, value)
        code, *rest = value["ErrorDescription"]
        seen.add(code)
        assert code in DM.errors, code
        declared = DM.errors[code].params
        expected = KNOWN_PARAM_DEVIATIONS.get(code, len(declared) if declared is not None else None)
        if expected is not None:
            assert len(rest) == expected, (method, value)
    assert {"HANDLE_INVALID", "UUID_INVALID", "MESSAGE_METHOD_UNKNOWN",
            "MESSAGE_PARAMETER_COUNT_MISMATCH", "SESSION_INVALID", "FIELD_TYPE_ERROR",
            "MESSAGE_REMOVED", "SESSION_AUTHENTICATION_FAILED"} <= seen


def test_error_log_of_the_whole_module_is_catalogued(sim_http: RunningSimulator) -> None:
    for description in sim_http.sim.error_log:
        code, *rest = description
        assert code in DM.errors, description
        declared = DM.errors[code].params
        expected = KNOWN_PARAM_DEVIATIONS.get(code, len(declared) if declared is not None else None)
        if expected is not None:
            assert len(rest) == expected, description


def test_removed_message_answers_message_removed(xapi: XenAPI.Session) -> None:
    vm = xapi.xenapi.VM.get_all()[0]
    with pytest.raises(XenAPI.Failure) as info:
        xapi.xenapi.VM.snapshot_with_quiesce(vm, "q")
    assert info.value.details == ["MESSAGE_REMOVED"]


def test_datetime_params_accept_datetimes_and_strings(sim_http: RunningSimulator) -> None:
    s = sdk_login(sim_http)
    since = xmlrpc.client.DateTime("20000101T00:00:00Z")
    _, a = xml_call(sim_http.url, "message.get_since", s._session, since)
    _, b = xml_call(sim_http.url, "message.get_since", s._session, "20000101T00:00:00Z")
    assert a["Status"] == b["Status"] == "Success"
    assert a["Value"].keys() == b["Value"].keys()
