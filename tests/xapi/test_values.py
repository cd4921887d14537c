"""Normalisation of decoded XenAPI values to their datamodel types."""

from __future__ import annotations

import datetime as dt
import json
import xmlrpc.client

import pytest

from xsnap_gui.simulator.db import Database
from xsnap_gui.simulator.generate import PoolSpec, generate_pool
from xsnap_gui.simulator.wire import jsonrpc as jsonrpc_wire
from xsnap_gui.simulator.wire import xmlrpc as xmlrpc_wire
from xsnap_gui.xapi.datamodel import load
from xsnap_gui.xapi.values import Normaliser, parse_datetime

UTC = dt.timezone.utc


@pytest.fixture(scope="module")
def norm() -> Normaliser:
    return Normaliser()


def test_datetimes() -> None:
    assert parse_datetime(xmlrpc.client.DateTime("20250319T04:16:24Z")) == dt.datetime(
        2025, 3, 19, 4, 16, 24, tzinfo=UTC)
    # Server local time has no Z and stays naive.
    local = parse_datetime("20250319T05:16:24")
    assert local.tzinfo is None and local.hour == 5
    assert parse_datetime("2025-03-19T04:16:24Z").tzinfo is UTC
    with pytest.raises(ValueError):
        parse_datetime("yesterday")


def test_vm_record(norm: Normaliser) -> None:
    record = {
        "memory_static_max": "4294967296",
        "VCPUs_max": "4",
        "parent": "OpaqueRef:NULL",
        "snapshot_of": "OpaqueRef:abc",
        "snapshot_time": xmlrpc.client.DateTime("19700101T00:00:00Z"),
        "VBDs": ["OpaqueRef:1", "OpaqueRef:2"],
        "power_state": "Running",
        "name_label": "web-01",
        "is_a_snapshot": False,
        "other_config": {"k": "v"},
        "unknown_future_field": "kept",
    }
    out = norm.record("VM", record)
    assert out is record
    assert out["memory_static_max"] == 4294967296 and out["VCPUs_max"] == 4
    assert out["parent"] is None and out["snapshot_of"] == "OpaqueRef:abc"
    assert out["snapshot_time"] == dt.datetime(1970, 1, 1, tzinfo=UTC)
    assert out["VBDs"] == ["OpaqueRef:1", "OpaqueRef:2"]
    assert out["unknown_future_field"] == "kept" and out["other_config"] == {"k": "v"}


def test_json_rpc_values_pass_through(norm: Normaliser) -> None:
    out = norm.record("VDI", {"virtual_size": 1073741824, "physical_utilisation": -1,
                              "snapshot_time": "20240101T00:00:00Z"})
    assert out["virtual_size"] == 1073741824 and out["physical_utilisation"] == -1
    assert out["snapshot_time"].year == 2024


def test_typed_values(norm: Normaliser) -> None:
    assert norm.value("int", "42") == 42
    assert norm.value("float", "0.5") == 0.5
    assert norm.value("VM ref", "OpaqueRef:NULL") is None
    assert norm.value("VM ref set", ["OpaqueRef:NULL", "OpaqueRef:x"]) == ["OpaqueRef:x"]
    assert norm.value("(string -> VM ref) map", {"a": "OpaqueRef:NULL"}) == {"a": None}
    assert norm.value("(int -> float) map", {"0": "0.25"}) == {0: 0.25}
    assert norm.value("string", "as is") == "as is"


def test_event_class_names(norm: Normaliser) -> None:
    assert norm.class_name("vm") == "VM"
    assert norm.class_name("vmss") == "VMSS"
    assert norm.class_name("vm_guest_metrics") == "VM_guest_metrics"


def test_every_converter_takes_json_values(norm: Normaliser) -> None:
    # JSON-RPC: ints are numbers, datetimes strings, null refs the same string as XML-RPC's.
    assert norm.value("int", 4294967296) == 4294967296
    assert norm.value("int", -1) == -1
    assert norm.value("float", 2) == 2.0 and isinstance(norm.value("float", 2), float)
    assert norm.value("float", 0.25) == 0.25
    assert norm.value("bool", False) is False
    assert norm.value("datetime", "20250319T04:16:24Z") == dt.datetime(2025, 3, 19, 4, 16, 24,
                                                                        tzinfo=UTC)
    assert norm.value("datetime", "20250319T05:16:24").tzinfo is None
    assert norm.value("VM ref", "OpaqueRef:NULL") is None
    assert norm.value("VM ref", "") is None
    assert norm.value("VM ref", "OpaqueRef:x") == "OpaqueRef:x"
    assert norm.value("VM ref set", ["OpaqueRef:NULL", "OpaqueRef:x"]) == ["OpaqueRef:x"]
    assert norm.value("enum vm_power_state", "Halted") == "Halted"
    assert norm.value("enum vm_operations set", ["start", "clone"]) == ["start", "clone"]
    assert norm.value("int set", [1, 2]) == [1, 2]
    # JSON object keys are always strings; values are numbers.
    assert norm.value("(int -> float) map", {"0": 0.25, "1": 1}) == {0: 0.25, 1: 1.0}
    assert norm.value("(string -> int) map", {"a": 5}) == {"a": 5}
    assert norm.value("(VM ref -> string) map", {"OpaqueRef:NULL": "x"}) == {None: "x"}
    assert norm.value("(string -> datetime) map", {"t": "19700101T00:00:00Z"}) == {
        "t": dt.datetime(1970, 1, 1, tzinfo=UTC)}
    assert norm.value("string", "as is") == "as is"


def test_both_wires_normalise_to_the_same_records(norm: Normaliser) -> None:
    # Every record of a generated pool, through the simulator's XML-RPC and JSON-RPC encoders
    # and the stdlib decoders, then normalised: the two must not differ in any field.
    db = Database(load())
    db.bulk_load(generate_pool(PoolSpec(hosts=2, vms=6, snapshots=3, schedules=2), seed=5))
    tables = {cls: db.all_records(cls) for cls in db.tables if db.tables[cls]}
    via_xml = xmlrpc.client.loads(xmlrpc_wire.format_success(tables))[0][0]["Value"]
    request = jsonrpc_wire.JsonRequest("x", [], 1, jsonrpc_wire.V2)
    via_json = json.loads(jsonrpc_wire.format_success(request, tables))["result"]
    checked = 0
    for cls, records in tables.items():
        for ref in records:
            from_xml = norm.record(cls, via_xml[cls][ref])
            from_json = norm.record(cls, via_json[cls][ref])
            assert from_xml == from_json, (cls, ref)
            checked += 1
    assert checked > 100
