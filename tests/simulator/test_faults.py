"""Fault injection: each fault kind as the XenAPI SDK (and a raw client) sees it, and --fault."""

from __future__ import annotations

import http.client
import subprocess
import sys
import time
import xmlrpc.client
from collections.abc import Iterator

import pytest
import XenAPI

from xsnap_gui.simulator import cli
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.core import SimConfig
from xsnap_gui.simulator.faults import (
    CutExport,
    DropConnection,
    ExpireSessions,
    FailCall,
    Http500,
    Latency,
    MoveMaster,
    parse_spec,
)

from .conftest import ROLE_USERS, sdk_login
from .wirehelp import xml_call

SPEC = "hosts=3,vms=4,snapshots=1,schedules=0"


@pytest.fixture(scope="module")
def pool() -> Iterator[RunningSimulator]:
    running = start_simulator(generate=SPEC, seed=3, tls=False,
                              config=SimConfig(users=ROLE_USERS))
    yield running
    running.stop()


@pytest.fixture
def running(pool: RunningSimulator) -> Iterator[RunningSimulator]:
    yield pool
    pool.sim.faults.clear()


def failure(fn, *args):  # type: ignore[no-untyped-def]
    with pytest.raises(XenAPI.Failure) as info:
        fn(*args)
    return info.value.details


def halted_vm(xapi: XenAPI.Session) -> str:
    for ref, rec in sorted(xapi.xenapi.VM.get_all_records().items()):
        if rec["power_state"] == "Halted" and not rec["is_a_template"] \
                and not rec["is_control_domain"]:
            return str(ref)
    raise AssertionError("no halted VM")


# --- the spec -------------------------------------------------------------------------------


@pytest.mark.parametrize(("spec", "rule"), [
    ("latency=0.2", Latency(0.2)),
    ("latency=0.5:VM.snapshot", Latency(0.5, "VM.snapshot")),
    ("drop=5", DropConnection(5)),
    ("drop=5:2", DropConnection(5, 2)),
    ("http500=2", Http500(2)),
    ("http500=VM.*", Http500(None, "VM.*")),
    ("http500=VM.snapshot:3", Http500(3, "VM.snapshot")),
    ("expire-sessions", ExpireSessions(1)),
    ("expire-sessions=10", ExpireSessions(10)),
    ("fail=VM.snapshot:SR_FULL:1024:0", FailCall("VM.snapshot", "SR_FULL", ("1024", "0"))),
    ("fail-once=VM.clone:VDI_IN_USE", FailCall("VM.clone", "VDI_IN_USE", (), 1)),
    ("move-master=xcp-host-02", MoveMaster("xcp-host-02")),
    ("cut-export=1048576", CutExport(1048576)),
    ("cut-export=0:1", CutExport(0, 1)),
])
def test_spec_parses(spec: str, rule: object) -> None:
    assert parse_spec(spec) == rule


@pytest.mark.parametrize(("spec", "message"), [
    ("latency", "latency=SECONDS"),
    ("latency=fast", "SECONDS must be a number"),
    ("latency=-1", "finite number >= 0"),
    ("drop=0", "N must be at least 1"),
    ("drop=x", "N must be a whole number"),
    ("http500=", "the method pattern is empty"),
    ("fail=VM.snapshot", "fail=GLOB:CODE"),
    ("fail=VM.snapshot:sr_full", "upper-case XenAPI code"),
    ("move-master=", "move-master=HOST"),
    ("expire-sessions=soon", "N must be a whole number"),
    ("explode=1", "unknown fault 'explode'"),
])
def test_bad_specs_say_why(spec: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as info:
        parse_spec(spec)
    assert repr(spec) in str(info.value)


def test_cli_parser_takes_repeated_faults(capsys: pytest.CaptureFixture[str]) -> None:
    args = cli.build_parser().parse_args(["--fault", "latency=0.2", "--fault", "drop=3"])
    assert args.fault == [Latency(0.2), DropConnection(3)]
    assert cli.build_parser().parse_args([]).fault == []
    with pytest.raises(SystemExit) as info:
        cli.build_parser().parse_args(["--fault", "drop=often"])
    assert info.value.code == 2
    assert "bad fault spec 'drop=often'" in capsys.readouterr().err


def test_cli_serves_with_faults() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "xsnap_gui.simulator.cli", "--port", "0", "--plain-http",
         "--no-members", "--generate", SPEC,
         "--fault", "fail=VM.get_all:SR_FULL:1024:0", "--fault", "latency=0.05:pool.*"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening on "), line
        s = XenAPI.Session(line.split()[-1])
        s.xenapi.login_with_password("root", "xsnap")
        assert failure(s.xenapi.VM.get_all) == ["SR_FULL", "1024", "0"]
        started = time.monotonic()
        assert len(s.xenapi.pool.get_all()) == 1
        assert time.monotonic() - started >= 0.05
    finally:
        proc.terminate()
        proc.communicate(timeout=30)


def test_cli_rejects_bad_faults() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xsnap_gui.simulator.cli", "--fault", "latency=soon"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 2 and "SECONDS must be a number" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "xsnap_gui.simulator.cli", "--port", "0", "--plain-http",
         "--generate", SPEC, "--fault", "move-master=nowhere"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "no single host called 'nowhere'" in result.stderr


# --- each fault through the SDK --------------------------------------------------------------


def test_latency_delays_matching_calls(running: RunningSimulator) -> None:
    xapi = sdk_login(running)
    running.sim.faults.add(Latency(0.3, "VM.get_all"))
    started = time.monotonic()
    xapi.xenapi.VM.get_all()
    assert time.monotonic() - started >= 0.3
    running.sim.faults.add(Latency(0.2))
    started = time.monotonic()
    xapi.xenapi.host.get_all()
    assert time.monotonic() - started >= 0.2
    running.sim.faults.clear()
    assert running.sim.faults.rules == []


def test_drop_is_a_connection_error_then_calls_work(running: RunningSimulator) -> None:
    xapi = sdk_login(running)
    # xmlrpc.client retries once on a dropped connection, so drop the retry too.
    running.sim.faults.add(DropConnection(nth=1, count=2))
    with pytest.raises(ConnectionError):
        xapi.xenapi.VM.get_all()
    assert xapi.xenapi.VM.get_all()
    assert running.sim.faults.rules == []


def test_a_single_drop_is_hidden_by_the_retry(running: RunningSimulator) -> None:
    xapi = sdk_login(running)
    running.sim.faults.add(DropConnection(nth=2))
    xapi.xenapi.pool.get_all()  # the first request passes
    assert xapi.xenapi.pool.get_all()  # dropped once, silently resent
    assert running.sim.faults.rules == []
    # A raw client sees the drop itself.
    running.sim.faults.add(DropConnection())
    conn = http.client.HTTPConnection(running.master.server_address[0], running.master.port,
                                      timeout=30)
    try:
        conn.request("POST", "/", body=xmlrpc.client.dumps((), "pool.get_all").encode())
        with pytest.raises(http.client.RemoteDisconnected):
            conn.getresponse()
    finally:
        conn.close()


def test_http500_is_a_protocol_error(running: RunningSimulator) -> None:
    xapi = sdk_login(running)
    running.sim.faults.add(Http500(count=2))
    for _ in range(2):
        with pytest.raises(xmlrpc.client.ProtocolError) as info:
            xapi.xenapi.VM.get_all()
        assert info.value.errcode == 500
    assert xapi.xenapi.VM.get_all()
    running.sim.faults.add(Http500(None, "host.*"))
    for _ in range(3):
        with pytest.raises(xmlrpc.client.ProtocolError):
            xapi.xenapi.host.get_all()
    assert xapi.xenapi.VM.get_all()


def test_expired_sessions_answer_session_invalid(running: RunningSimulator) -> None:
    xapi = sdk_login(running)
    old = xapi._session
    running.sim.faults.add(ExpireSessions())
    _, value = xml_call(running.url, "pool.get_all", old)
    assert value["ErrorDescription"] == ["SESSION_INVALID", old]
    # The SDK logs in again by itself on SESSION_INVALID.
    assert xapi.xenapi.pool.get_all()
    assert xapi._session != old
    running.sim.faults.expire_sessions()
    _, value = xml_call(running.url, "pool.get_all", xapi._session)
    assert value["ErrorDescription"][0] == "SESSION_INVALID"


def test_fail_injects_a_xenapi_error(running: RunningSimulator) -> None:
    xapi = sdk_login(running)
    vm = halted_vm(xapi)
    running.sim.faults.add(FailCall("VM.snapshot", "SR_FULL", ("1024", "0"), count=2))
    assert failure(xapi.xenapi.VM.snapshot, vm, "nope") == ["SR_FULL", "1024", "0"]
    # The Async form fails through its task, as the real error would.
    task = xapi.xenapi.Async.VM.snapshot(vm, "nope")
    deadline = time.monotonic() + 30
    while xapi.xenapi.task.get_status(task) == "pending":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert xapi.xenapi.task.get_error_info(task) == ["SR_FULL", "1024", "0"]
    snapshot = xapi.xenapi.VM.snapshot(vm, "works now")
    assert xapi.xenapi.VM.get_is_a_snapshot(snapshot) is True
    xapi.xenapi.VM.destroy(snapshot)


def test_fail_checks_the_session_first(running: RunningSimulator) -> None:
    running.sim.faults.add(FailCall("pool.*", "HOST_OFFLINE", ("x",)))
    _, value = xml_call(running.url, "pool.get_all", "OpaqueRef:stale")
    assert value["ErrorDescription"][0] == "SESSION_INVALID"


def test_fail_login(running: RunningSimulator) -> None:
    running.sim.faults.add(FailCall("session.login_with_password", "HOST_STILL_BOOTING",
                                    count=1))
    s = XenAPI.Session(running.url)
    assert failure(s.xenapi.login_with_password, "root", "xsnap") == ["HOST_STILL_BOOTING"]
    s.xenapi.login_with_password("root", "xsnap")
    assert s._session


def test_move_master(running: RunningSimulator) -> None:
    sim = running.sim
    old_master = sim.master
    new_master, server = sorted(running.members.items(),
                                key=lambda kv: sim.db.get("host", kv[0], "name_label"))[0]
    name = sim.db.get("host", new_master, "name_label")
    try:
        running.sim.faults.add(MoveMaster(name))
        assert sim.master == new_master
        s = XenAPI.Session(running.url)
        details = failure(s.xenapi.login_with_password, "root", "xsnap")
        assert details[0] == "HOST_IS_SLAVE"
        assert details[1] == f"{server.server_address[0]}:{server.port}"
        moved = XenAPI.Session(f"http://{details[1]}")
        moved.xenapi.login_with_password("root", "xsnap")
        pool_ref = moved.xenapi.pool.get_all()[0]
        assert moved.xenapi.pool.get_master(pool_ref) == new_master
    finally:
        running.sim.faults.move_master(old_master)
    s = XenAPI.Session(running.url)
    s.xenapi.login_with_password("root", "xsnap")


def test_fail_glob_can_name_only_the_async_form(running: RunningSimulator) -> None:
    xapi = sdk_login(running)
    vm = halted_vm(xapi)
    running.sim.faults.add(FailCall("Async.VM.snapshot", "SR_FULL", ("1", "2")))
    task = xapi.xenapi.Async.VM.snapshot(vm, "async only")
    deadline = time.monotonic() + 30
    while xapi.xenapi.task.get_status(task) == "pending":
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert xapi.xenapi.task.get_error_info(task) == ["SR_FULL", "1", "2"]
    snapshot = xapi.xenapi.VM.snapshot(vm, "sync works")
    xapi.xenapi.VM.destroy(snapshot)
