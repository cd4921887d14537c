"""The same calls over JSON-RPC 1.0 and 2.0 give the same results as over XML-RPC."""

from __future__ import annotations

import json

import pytest
import XenAPI

from xsnap_gui.simulator.api import RunningSimulator

from .wirehelp import json_call, post


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_login_and_records_match_xmlrpc(sim: RunningSimulator, xapi: XenAPI.Session,
                                        version: str) -> None:
    login = json_call(sim.url, "session.login_with_password", "root", "xsnap", "1.0", "t",
                      version=version)
    session = login["result"]
    if version == "1.0":
        assert login["error"] is None and login["id"] == 42 and "jsonrpc" not in login
    else:
        assert "error" not in login and login["jsonrpc"] == "2.0"
    pools = json_call(sim.url, "pool.get_all_records", session, version=version)["result"]
    via_xml = xapi.xenapi.pool.get_all_records()
    assert pools.keys() == via_xml.keys()
    for ref, record in pools.items():
        xml_record = via_xml[ref]
        assert record["name_label"] == xml_record["name_label"]
        assert record["master"] == xml_record["master"]
    host = next(iter(pools.values()))["master"]
    metrics = json_call(sim.url, "host.get_metrics", session, host, version=version)["result"]
    total = json_call(sim.url, "host_metrics.get_memory_total", session, metrics,
                      version=version)["result"]
    # JSON-RPC carries ints as numbers, where XML-RPC carries strings.
    assert isinstance(total, int) and str(total) == xapi.xenapi.host_metrics.get_memory_total(
        metrics)
    servertime = json_call(sim.url, "host.get_servertime", session, host, version=version)
    assert servertime["result"].endswith("Z") and "-" not in servertime["result"]
    json_call(sim.url, "session.logout", session, version=version)


def test_failure_shapes(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    v1 = json_call(sim.url, "VM.get_record", xapi._session, "OpaqueRef:x", version="1.0")
    assert v1 == {"result": None, "error": ["HANDLE_INVALID", "VM", "OpaqueRef:x"], "id": 42}
    v2 = json_call(sim.url, "VM.get_record", xapi._session, "OpaqueRef:x", version="2.0")
    assert v2 == {"jsonrpc": "2.0", "id": 42,
                  "error": {"code": 1, "message": "HANDLE_INVALID",
                            "data": ["VM", "OpaqueRef:x"]}}


def test_async_over_jsonrpc(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    reply = json_call(sim.url, "Async.VMSS.create", xapi._session,
                      {"name_label": "json", "type": "snapshot", "frequency": "weekly"})
    assert reply["result"].startswith("OpaqueRef:")


def test_list_methods_over_jsonrpc(sim: RunningSimulator) -> None:
    reply = json_call(sim.url, "system.listMethods")
    assert "VM.get_all_records" in reply["result"]


@pytest.mark.parametrize("body", [b"{not json", b"[1,2]", b'{"method": "x", "params": {}, "id": 1}',
                                  b'{"method": 5, "params": [], "id": 1}',
                                  b'{"method": "pool.get_all", "params": []}'])
def test_malformed_json_gets_an_error_reply(sim: RunningSimulator, body: bytes) -> None:
    status, headers, reply = post(sim.url, body, "application/json", path="/jsonrpc")
    assert headers["Content-Type"] == "application/json"
    assert status in (200, 400, 500)
    decoded = json.loads(reply)
    assert decoded.get("error")
