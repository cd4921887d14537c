"""run_task: Async calls with progress, tags, results, failures and cancellation."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest

from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.core import SimConfig
from xsnap_gui.simulator.faults import FailCall
from xsnap_gui.xapi.client import Connection
from xsnap_gui.xapi.errors import TaskCancelled, XapiError
from xsnap_gui.xapi.tasks import APPLIES_TO_KEY, CLIENT_ID_KEY, LABEL_KEY, parse_task_result

from .conftest import assert_clean_error, login, run, sdk, start

SLOW = 2.0  # simulated seconds per GiB: a 32 GiB snapshot then takes about a minute


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    # Real seconds = simulated seconds: a snapshot of mail-01 (32 GiB) takes about 2.6 s.
    running = start(tls=True, config=SimConfig(work_scale=1.0))
    yield running
    running.stop()


@pytest.fixture
def slow_snapshots(sim: RunningSimulator) -> Iterator[None]:
    before = sim.sim.config.snapshot_seconds_per_gib
    sim.sim.config.snapshot_seconds_per_gib = SLOW
    yield
    sim.sim.config.snapshot_seconds_per_gib = before


def vm_named(running: RunningSimulator, name: str) -> str:
    return running.sim.db.find("VM", name_label=name)[0]


def our_tasks(running: RunningSimulator, conn: Connection) -> list[str]:
    return [ref for ref, row in running.sim.db.rows("task")
            if row["other_config"].get(CLIENT_ID_KEY) == conn.client_id]


async def wait_for_our_task(running: RunningSimulator, conn: Connection,
                            *keys: str) -> str:
    """The ref of the task our client tagged (server side), once it carries ``keys`` too."""
    while True:
        found = [ref for ref in our_tasks(running, conn)
                 if all(k in running.sim.db.get("task", ref, "other_config") for k in keys)]
        if found:
            return found[0]
        await asyncio.sleep(0.02)


def test_snapshot_with_progress(sim: RunningSimulator, protocol: str) -> None:
    vm = vm_named(sim, "mail-01")
    seen: list[float] = []

    async def scenario() -> Any:
        async with await login(sim, "poweradmin", protocol=protocol) as conn:
            result = await conn.run_task("VM.snapshot", vm, "with progress",
                                         progress=seen.append, applies_to=vm)
            assert our_tasks(sim, conn) == []  # destroyed
            return result

    snapshot = run(scenario())
    assert isinstance(snapshot, str) and snapshot.startswith("OpaqueRef:")
    row = sim.sim.db.row("VM", snapshot)
    assert row["is_a_snapshot"] and row["snapshot_of"] == vm
    assert row["name_label"] == "with progress"
    assert seen == sorted(seen)
    assert seen[-1] == 1.0
    assert any(0.0 < p < 1.0 for p in seen)


def test_the_task_is_tagged_while_it_runs(sim: RunningSimulator, slow_snapshots: None) -> None:
    vm = vm_named(sim, "cache-02")

    async def scenario() -> None:
        async with await login(sim, "poweradmin") as conn:
            running = asyncio.ensure_future(conn.run_task(
                "VM.snapshot", vm, "tagged", applies_to=vm, label="Snapshot of cache-02"))
            task = await wait_for_our_task(sim, conn, APPLIES_TO_KEY, LABEL_KEY)
            session = sdk(sim)
            try:
                record = await asyncio.to_thread(session.xenapi.task.get_record, task)
            finally:
                await asyncio.to_thread(session.xenapi.session.logout)
            assert record["status"] == "pending"
            assert record["other_config"][CLIENT_ID_KEY] == conn.client_id
            assert record["other_config"][APPLIES_TO_KEY] == vm
            assert record["other_config"][LABEL_KEY] == "Snapshot of cache-02"
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running

    run(scenario())


def test_cancelling_the_coroutine_cancels_the_task(sim: RunningSimulator,
                                                   slow_snapshots: None) -> None:
    vm = vm_named(sim, "mail-01")
    snapshots_before = set(sim.sim.db.get("VM", vm, "snapshots"))

    async def scenario() -> None:
        moving = asyncio.Event()
        async with await login(sim, "poweradmin") as conn:
            def on_progress(fraction: float) -> None:
                if fraction > 0:
                    moving.set()

            running = asyncio.ensure_future(
                conn.run_task("VM.snapshot", vm, "never", progress=on_progress))
            task = await wait_for_our_task(sim, conn)
            await moving.wait()
            running.cancel()
            with pytest.raises(asyncio.CancelledError):
                await running
            # By the time the cancellation reaches us, the server task has ended and is gone.
            assert not sim.sim.db.exists("task", task)
            assert ["TASK_CANCELLED", task] in list(sim.sim.error_log)

    run(scenario())
    assert set(sim.sim.db.get("VM", vm, "snapshots")) == snapshots_before


def test_a_task_cancelled_elsewhere_raises_task_cancelled(sim: RunningSimulator,
                                                          slow_snapshots: None) -> None:
    vm = vm_named(sim, "cache-04")

    async def scenario() -> None:
        async with await login(sim, "poweradmin") as conn:
            running = asyncio.ensure_future(conn.run_task("VM.snapshot", vm, "interrupted"))
            task = await wait_for_our_task(sim, conn)
            session = sdk(sim)
            try:
                await asyncio.to_thread(session.xenapi.task.cancel, task)
            finally:
                await asyncio.to_thread(session.xenapi.session.logout)
            with pytest.raises(TaskCancelled) as caught:
                await running
            assert caught.value.code == "TASK_CANCELLED"
            assert isinstance(caught.value, XapiError)
            assert not sim.sim.db.exists("task", task)

    run(scenario())


def test_a_failed_task_raises_its_error(sim: RunningSimulator, protocol: str) -> None:
    vm = vm_named(sim, "mail-01")
    sim.sim.faults.add(FailCall("VM.snapshot", "SR_FULL",
                                (str(40 * 2**30), str(8 * 2**30)), count=1))

    async def scenario() -> None:
        async with await login(sim, "poweradmin", protocol=protocol) as conn:
            with pytest.raises(XapiError) as caught:
                await conn.run_task("VM.snapshot", vm, "too big")
            error = caught.value
            assert error.code == "SR_FULL"
            assert "Requested: 40 GiB, maximum: 8 GiB" in error.message
            assert_clean_error(error)
            assert our_tasks(sim, conn) == []

    try:
        run(scenario())
    finally:
        sim.sim.faults.clear()


def test_results_are_normalised(sim: RunningSimulator, protocol: str) -> None:
    async def scenario() -> None:
        async with await login(sim, "admin", protocol=protocol) as conn:
            record = {"name_label": "nightly", "type": "snapshot", "frequency": "daily",
                      "retained_snapshots": 5, "schedule": {"hour": "2", "min": "30"}}
            vmss = await conn.run_task("VMSS.create", record)
            assert sim.sim.db.get("VMSS", vmss, "retained_snapshots") == 5
            assert (await conn.call("VMSS.get_record", vmss))["retained_snapshots"] == 5
            # A void result is None.
            assert await conn.run_task("VMSS.destroy", vmss) is None
            assert not sim.sim.db.exists("VMSS", vmss)

    run(scenario())


def test_run_task_refuses_rights_it_lacks(sim: RunningSimulator) -> None:
    vm = vm_named(sim, "mail-01")

    async def scenario() -> None:
        async with await login(sim, "reader") as conn:
            with pytest.raises(XapiError) as caught:
                await conn.run_task("VM.snapshot", vm, "nope")
            assert caught.value.code == "RBAC_PERMISSION_DENIED"

    run(scenario())


@pytest.mark.parametrize(("text", "expected"), [
    ("<value>OpaqueRef:abc</value>", "OpaqueRef:abc"),
    ("<value></value>", ""),
    ("", ""),
    ("OpaqueRef:bare", "OpaqueRef:bare"),
    ("<value><array><data><value>OpaqueRef:a</value><value>OpaqueRef:b</value></data>"
     "</array></value>", ["OpaqueRef:a", "OpaqueRef:b"]),
    ("<value><struct><member><name>k</name><value>12</value></member></struct></value>",
     {"k": "12"}),
    ("<value><boolean>1</boolean></value>", True),
    ("<value>a &amp; b</value>", "a & b"),
])
def test_parse_task_result(text: str, expected: object) -> None:
    assert parse_task_result(text) == expected


def test_parse_task_result_refuses_garbage() -> None:
    with pytest.raises(XapiError, match="cannot decode the task result"):
        parse_task_result("<value><struct>")
