"""call / call_raw / event_from: normalised results, encoded arguments, errors, concurrency."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import xmlrpc.client
from collections.abc import Iterator
from typing import Any

import pytest

from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.faults import Latency
from xsnap_gui.xapi.client import Connection
from xsnap_gui.xapi.errors import ConnectionClosed, ConnectionFailed, XapiError

from .conftest import assert_clean_error, assert_no_password, login, run, start


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    running = start(tls=True)
    yield running
    running.stop()


def _snapshot_vm(running: RunningSimulator) -> tuple[str, dict[str, object]]:
    return next((ref, row) for ref, row in running.sim.db.rows("VM") if row["is_a_snapshot"])


def _plain_vm(running: RunningSimulator) -> str:
    return next(ref for ref, row in running.sim.db.rows("VM")
                if not row["is_a_snapshot"] and not row["is_control_domain"])


def test_jsonrpc_is_the_default(sim: RunningSimulator) -> None:
    async def scenario() -> None:
        async with await login(sim, "reader") as conn:
            assert conn.protocol == "jsonrpc"
        with pytest.raises(ValueError, match="protocol"):
            await login(sim, "reader", protocol="soap")

    run(scenario())


def test_call_normalises_by_declared_type(sim: RunningSimulator, protocol: str) -> None:
    snap, row = _snapshot_vm(sim)

    async def scenario() -> None:
        async with await login(sim, protocol=protocol) as conn:
            assert conn.protocol == protocol
            record = await conn.call("VM.get_record", snap)
            assert record["memory_static_max"] == row["memory_static_max"]
            assert isinstance(record["memory_static_max"], int)
            assert isinstance(record["snapshot_time"], dt.datetime)
            assert record["snapshot_time"].tzinfo is not None
            assert record["snapshot_time"] == row["snapshot_time"]
            assert record["snapshot_of"] == row["snapshot_of"]
            assert record["suspend_VDI"] is None  # OpaqueRef:NULL
            assert record["is_a_snapshot"] is True
            everything = await conn.call("VM.get_all_records")
            assert everything[snap]["uuid"] == row["uuid"]
            assert await conn.call("VM.get_snapshot_time", snap) == row["snapshot_time"]
            assert await conn.call("VM.get_suspend_VDI", snap) is None
            # Server-local time carries no Z and so stays naive.
            local = await conn.call("host.get_server_localtime", sim.sim.master)
            assert isinstance(local, dt.datetime) and local.tzinfo is None
            # void results are None.
            assert await conn.call("VM.set_name_description", snap, "checked") is None

    run(scenario())


def test_call_raw_is_as_the_sdk_decodes_it(sim: RunningSimulator) -> None:
    snap, row = _snapshot_vm(sim)

    async def scenario() -> None:
        async with await login(sim, "reader", protocol="xmlrpc") as conn:
            record = await conn.call_raw("VM.get_record", snap)
            assert record["memory_static_max"] == str(row["memory_static_max"])
            assert isinstance(record["snapshot_time"], xmlrpc.client.DateTime)
            assert record["suspend_VDI"] == "OpaqueRef:NULL"
            methods = await conn.call_raw("system.listMethods")
            assert "VM.snapshot" in methods

    run(scenario())


def test_call_raw_over_jsonrpc_is_as_json_has_it(sim: RunningSimulator) -> None:
    snap, row = _snapshot_vm(sim)

    async def scenario() -> None:
        async with await login(sim, "reader", protocol="jsonrpc") as conn:
            record = await conn.call_raw("VM.get_record", snap)
            assert record["memory_static_max"] == row["memory_static_max"]
            assert isinstance(record["memory_static_max"], int)
            assert record["snapshot_time"] == row["snapshot_time"].strftime("%Y%m%dT%H:%M:%SZ")
            assert record["suspend_VDI"] == "OpaqueRef:NULL"
            methods = await conn.call_raw("system.listMethods")
            assert "VM.snapshot" in methods

    run(scenario())


def test_arguments_are_encoded_for_xapi(sim: RunningSimulator, protocol: str) -> None:
    vm = _plain_vm(sim)
    big = 5 * 2**40  # above 2**31: Python's XML-RPC cannot send it as an int

    async def scenario() -> None:
        async with await login(sim, protocol=protocol) as conn:
            await conn.call("VM.set_user_version", vm, big)
            assert await conn.call("VM.get_user_version", vm) == big
            await conn.call("VM.set_affinity", vm, sim.sim.master)
            assert await conn.call("VM.get_affinity", vm) == sim.sim.master
            await conn.call("VM.set_affinity", vm, None)  # None for a ref is the null ref
            assert await conn.call("VM.get_affinity", vm) is None
            since = dt.datetime.now(dt.UTC) - dt.timedelta(days=365 * 30)
            messages = await conn.call("message.get_since", since)
            assert messages and all(isinstance(m["timestamp"], dt.datetime)
                                    for m in messages.values())
            assert not await conn.call("message.get_since",
                                       dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
            with pytest.raises(TypeError, match="None cannot be sent"):
                await conn.call("VM.set_name_label", vm, None)

    run(scenario())


def test_errors_carry_code_params_and_a_readable_message(sim: RunningSimulator,
                                                        protocol: str) -> None:
    async def scenario() -> None:
        async with await login(sim, "reader", protocol=protocol) as conn:
            with pytest.raises(XapiError) as caught:
                await conn.call("VM.get_record", "OpaqueRef:no-such-vm")
            error = caught.value
            assert error.code == "HANDLE_INVALID"
            assert error.params == ["VM", "OpaqueRef:no-such-vm"]
            assert "invalid object reference" in error.message
            assert "Class: VM, handle: OpaqueRef:no-such-vm" in error.message
            assert str(error).endswith("(HANDLE_INVALID [VM, OpaqueRef:no-such-vm])")
            assert_clean_error(error)
            with pytest.raises(XapiError) as unknown:
                await conn.call("VM.no_such_call", "x")
            assert unknown.value.code == "MESSAGE_METHOD_UNKNOWN"

    run(scenario())


def test_many_concurrent_calls_use_at_most_the_worker_threads(sim: RunningSimulator) -> None:
    async def scenario() -> None:
        async with await login(sim, "reader", workers=4) as conn:
            results = await asyncio.gather(*(conn.call("pool.get_all") for _ in range(200)))
            assert results == [[sim.sim.pool]] * 200
            assert 1 <= conn.threads_used <= 4

    run(scenario())


def test_a_hanging_pool_does_not_block_another() -> None:
    healthy = start(tls=True)
    hanging = start(tls=False)
    try:
        async def scenario() -> None:
            good = await login(healthy, "reader", workers=2)
            slow = await login(hanging, "reader", workers=2, timeout=60)
            try:
                hanging.sim.faults.add(Latency(60, "VM.get_all_records"))
                stuck = [asyncio.ensure_future(slow.call("VM.get_all_records"))
                         for _ in range(4)]
                answers = await asyncio.gather(*(good.call("VM.get_all") for _ in range(40)))
                assert all(answers)
                # The other pool's calls are still waiting, yet ours all came back.
                assert not any(s.done() for s in stuck)
            finally:
                await good.close()
                await slow.close()  # breaks the stuck calls' sockets
            for s in stuck:
                with pytest.raises(ConnectionClosed):
                    await s

        run(scenario())
    finally:
        hanging.sim.faults.clear()
        healthy.stop()
        hanging.stop()


def test_event_from_returns_raw_batches(sim: RunningSimulator, protocol: str) -> None:
    vm = _plain_vm(sim)
    # Snapshots are not normalised here (the model does that per class): ints arrive as
    # XML-RPC strings or JSON numbers, datetimes as DateTime or strings.
    raw_int = str if protocol == "xmlrpc" else int
    raw_time = xmlrpc.client.DateTime if protocol == "xmlrpc" else str

    async def scenario() -> None:
        async with await login(sim, protocol=protocol) as conn:
            first = await conn.event_from(["VM"], "", 5.0)
            assert first["events"] and all(e["class"] == "vm" for e in first["events"])
            assert all(isinstance(e["snapshot"]["memory_static_max"], raw_int)
                       and isinstance(e["snapshot"]["snapshot_time"], raw_time)
                       for e in first["events"])
            waiting = asyncio.ensure_future(conn.event_from(["VM"], first["token"], 30.0))
            await conn.call("VM.set_name_description", vm, "changed while watching")
            batch = await waiting
            assert [e["ref"] for e in batch["events"]] == [vm]
            assert batch["events"][0]["operation"] == "mod"
            empty = await conn.event_from(["VM"], batch["token"], 0.2)
            assert empty["events"] == []

    run(scenario())


def test_event_hook_replaces_each_event(sim: RunningSimulator, protocol: str) -> None:
    seen_on: set[str] = set()

    def hook(event: dict[str, Any]) -> tuple[str, str, int]:
        seen_on.add(threading.current_thread().name)
        return event["operation"], event["ref"], int(event["snapshot"]["memory_static_max"])

    async def scenario() -> None:
        async with await login(sim, protocol=protocol) as conn:
            plain = await conn.event_from(["VM"], "", 0.0)
            hooked = await conn.event_from(["VM"], "", 0.0, event_hook=hook)
            assert hooked["events"] == [
                (e["operation"], e["ref"], int(e["snapshot"]["memory_static_max"]))
                for e in plain["events"]]
            assert hooked["token"] and hooked["valid_ref_counts"]
        # The hook ran on the event thread, not the event loop's.
        assert seen_on and threading.current_thread().name not in seen_on

    run(scenario())


def test_close_breaks_a_waiting_event_from(sim: RunningSimulator, protocol: str) -> None:
    async def scenario() -> None:
        conn = await login(sim, "reader", protocol=protocol)
        first = await conn.event_from(["pool"], "", 1.0)
        waiting = asyncio.ensure_future(conn.event_from(["pool"], first["token"], 60.0))
        await asyncio.sleep(0.3)
        await conn.close()
        with pytest.raises(ConnectionFailed):
            await waiting

    run(scenario())


def test_independent_connections_to_several_pools(sim: RunningSimulator) -> None:
    second = start(tls=False)
    try:
        async def scenario() -> None:
            a, b = await asyncio.gather(login(sim, "reader"), login(second, "vmadmin"))
            try:
                pools = await asyncio.gather(a.call("pool.get_all"), b.call("pool.get_all"))
                assert list(pools) == [[sim.sim.pool], [second.sim.pool]]
                assert a.client_id != b.client_id
            finally:
                await asyncio.gather(a.close(), b.close())

        run(scenario())
    finally:
        second.stop()


def test_repr_hides_secrets(sim: RunningSimulator) -> None:
    async def scenario() -> Connection:
        return await login(sim, "admin")

    conn = run(scenario())
    try:
        text = repr(conn) + repr(conn.info) + repr(conn.__dict__)
        assert "admin" in repr(conn)
        assert conn.info.session_ref not in repr(conn.info)
        assert_no_password(text)
    finally:
        run(conn.close())
