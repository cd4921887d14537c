"""PoolSync against a served simulator: load, live updates, bursts, drops, expiry, drift."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import XenAPI

from xsnap_gui.model.cache import Changes, ObjectCache
from xsnap_gui.model.sync import (
    CONNECTED,
    FAILED,
    RECONNECTING,
    Backoff,
    PoolSync,
    SyncState,
)
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.faults import DropConnection, ExpireSessions, Http500
from xsnap_gui.xapi.client import Connection
from xsnap_gui.xapi.values import Normaliser

from .conftest import DM

T = TypeVar("T")
CLASSES = ["pool", "host", "SR", "VDI", "VBD", "VM", "VMSS", "task", "message"]
FAST = Backoff(initial=0.05, factor=2.0, maximum=0.4, jitter=0.1)
PASSWORD = "xsnap"
SAFETY = 90.0


def run(coro: Coroutine[Any, Any, T]) -> T:
    async def guarded() -> T:
        return await asyncio.wait_for(coro, SAFETY)

    return asyncio.run(guarded())


@pytest.fixture
def sim() -> Iterator[RunningSimulator]:
    running = start_simulator(generate="hosts=2,vms=10,snapshots=2,schedules=2", seed=4,
                              tls=False)
    yield running
    running.stop()


def sdk(sim: RunningSimulator) -> XenAPI.Session:
    session = XenAPI.Session(sim.url)
    session.xenapi.login_with_password("root", PASSWORD, "2.21", "xsnap-tests")
    return session


def connector(sim: RunningSimulator, password: str = PASSWORD, protocol: str = "jsonrpc"
              ) -> Callable[[], Awaitable[Connection]]:
    async def connect() -> Connection:
        return await Connection.connect(sim.url, "root", password, allow_plain_http=True,
                                        timeout=10.0, protocol=protocol)

    return connect


def server_state(sim: RunningSimulator) -> dict[str, dict[str, dict[str, Any]]]:
    """Every watched class through the SDK's get_all_records, normalised like the cache."""
    session = sdk(sim)
    norm = Normaliser(DM)
    try:
        out = {}
        for cls in CLASSES:
            records = getattr(session.xenapi, cls).get_all_records()
            out[cls] = {ref: norm.record(cls, rec) for ref, rec in records.items()}
        return out
    finally:
        session.xenapi.session.logout()


def cache_state(cache: ObjectCache) -> dict[str, dict[str, dict[str, Any]]]:
    return {cls: dict(cache.records(cls)) for cls in CLASSES}


def differences(cache: ObjectCache, sim: RunningSimulator) -> list[str]:
    server, ours = server_state(sim), cache_state(cache)
    # Our own session objects and the tasks of the comparing calls are not of interest.
    problems = []
    for cls in CLASSES:
        s, c = server[cls], ours[cls]
        if s.keys() != c.keys():
            problems.append(f"{cls}: missing {sorted(s.keys() - c.keys())[:3]}, "
                            f"stale {sorted(c.keys() - s.keys())[:3]}")
            continue
        problems += [f"{cls} {ref} differs" for ref in s if s[ref] != c[ref]]
    return problems


async def settled(cache: ObjectCache, sim: RunningSimulator, timeout: float = 20.0) -> list[str]:
    """Wait until the cache matches the server (events take a moment); the last differences."""
    deadline = time.monotonic() + timeout
    while True:
        problems = await asyncio.get_running_loop().run_in_executor(None, differences, cache,
                                                                    sim)
        if not problems or time.monotonic() > deadline:
            return problems
        await asyncio.sleep(0.2)


async def until(predicate: Callable[[], bool], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


def in_thread(fn: Callable[[], Any]) -> Awaitable[Any]:
    return asyncio.get_running_loop().run_in_executor(None, fn)


@contextlib.asynccontextmanager
async def syncing(sim: RunningSimulator, *,
                  connect: Callable[[], Awaitable[Connection]] | None = None,
                  cache: ObjectCache | None = None, **options: Any,
                  ) -> AsyncIterator[tuple[PoolSync, ObjectCache, list[SyncState]]]:
    """A PoolSync on ``sim``, connected and loaded; stopped when the block ends, failed or not.

    Yields the sync, its cache and every state it announced."""
    cache = ObjectCache(dm=DM) if cache is None else cache
    states: list[SyncState] = []
    options.setdefault("classes", CLASSES)
    sync = PoolSync(connect or connector(sim), cache, on_state=states.append, **options)
    sync.start()
    try:
        await until(lambda: sync.state.kind == CONNECTED)
        yield sync, cache, states
    finally:
        await sync.stop()


def real_vms(session: XenAPI.Session) -> list[str]:
    return [ref for ref, rec in session.xenapi.VM.get_all_records().items()
            if not rec["is_a_template"] and not rec["is_control_domain"]]


@pytest.mark.parametrize("protocol", ["jsonrpc", "xmlrpc"])
def test_initial_load_equals_the_server(sim: RunningSimulator, protocol: str) -> None:
    async def main() -> None:
        async with syncing(sim, connect=connector(sim, protocol=protocol)) as (
                sync, cache, states):
            assert await settled(cache, sim) == []
            assert [s.kind for s in states] == ["connecting", CONNECTED]
        assert sync.state.kind == "stopped" and sync.connection is None

    run(main())


def test_live_update_latency(sim: RunningSimulator) -> None:
    async def main() -> None:
        async with syncing(sim) as (_sync, cache, _states):
            session = sdk(sim)
            vm = real_vms(session)[0]
            arrived = asyncio.Event()
            latencies = []

            def on_change(changes: Changes) -> None:
                rec = cache.get("VM", vm)
                if vm in changes.modified("VM") and rec is not None and rec["name_label"] == want:
                    latencies.append(time.perf_counter() - sent)
                    arrived.set()

            cache.subscribe(on_change)
            for i in range(5):
                await asyncio.sleep(0.3)  # let event.from settle into its wait
                arrived.clear()
                want = f"renamed {i}"
                sent = time.perf_counter()
                await in_thread(lambda name=want: session.xenapi.VM.set_name_label(vm, name))
                await asyncio.wait_for(arrived.wait(), 5.0)
            session.xenapi.session.logout()
        print(f"\nlive update latency (SDK change -> cache notification): "
              f"median {sorted(latencies)[2] * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")

    run(main())


def test_cache_equals_server_after_a_concurrent_burst(sim: RunningSimulator) -> None:
    def worker(n: int, errors: list[BaseException]) -> None:
        session = sdk(sim)
        api = session.xenapi
        try:
            srs = api.SR.get_all()
            for i, vm in enumerate(real_vms(session)[n::4]):
                api.VM.set_name_label(vm, f"w{n}-{i}")
                api.VM.add_to_other_config(vm, f"k{n}", str(i))
                api.VDI.create({"SR": srs[i % len(srs)], "virtual_size": str(1 << 30),
                                "type": "user", "sharable": False, "read_only": False,
                                "other_config": {}, "name_label": f"scratch {n}-{i}",
                                "name_description": ""})
                msg = api.message.create("BURST", 5, "SR", api.SR.get_uuid(srs[n % len(srs)]),
                                         f"burst {n}-{i}")
                if i % 2:
                    api.message.destroy(msg)
                api.VM.create_new_blob(vm, f"blob-{n}-{i}", "text/plain", False)
                try:
                    snap = api.VM.snapshot(vm, f"burst {n}-{i}")
                except XenAPI.Failure as e:
                    if e.details[0] != "SR_FULL":
                        raise
                else:
                    if i % 2:
                        api.VM.destroy(snap)
        except BaseException as e:  # noqa: BLE001 - reported to the test thread
            errors.append(e)
        finally:
            session.xenapi.session.logout()

    async def main() -> None:
        async with syncing(sim) as (sync, cache, _states):
            errors: list[BaseException] = []
            threads = [threading.Thread(target=worker, args=(n, errors)) for n in range(4)]
            for t in threads:
                t.start()
            await in_thread(lambda: [t.join() for t in threads])
            assert errors == []
            assert await settled(cache, sim) == []
            assert sync.resyncs == 1  # followed by events alone, no reload needed

    run(main())


def test_reconnects_after_dropped_connections(sim: RunningSimulator) -> None:
    async def main() -> None:
        async with syncing(sim, backoff=FAST) as (sync, cache, states):
            session = sdk(sim)
            vms = real_vms(session)
            # The next event.from requests are cut; meanwhile the pool changes, deletions too.
            sim.sim.faults.add(DropConnection(nth=1, count=3, match="event.from"))
            await in_thread(lambda: session.xenapi.VM.set_name_label(vms[0], "while away"))
            await until(lambda: any(s.kind == RECONNECTING for s in states))
            doomed = session.xenapi.message.get_all()[0]
            await in_thread(lambda: session.xenapi.message.destroy(doomed))
            await until(lambda: sync.state.kind == CONNECTED and sync.resyncs >= 2)
            assert await settled(cache, sim) == []
            assert cache.get("message", doomed) is None
            reconnecting = [s for s in states if s.kind == RECONNECTING]
            assert reconnecting[0].attempt == 1 and reconnecting[0].reason
            assert reconnecting[0].retry_in <= FAST.maximum * (1 + FAST.jitter)
            session.xenapi.session.logout()

    run(main())


def test_relogs_in_after_sessions_expire(sim: RunningSimulator) -> None:
    async def main() -> None:
        async with syncing(sim, backoff=FAST) as (sync, cache, _states):
            first_session = sync.connection.info.session_ref if sync.connection else ""
            sim.sim.faults.expire_sessions()  # event.from, waiting, answers SESSION_INVALID
            await until(lambda: sync.resyncs >= 2)
            assert sync.connection is not None
            assert sync.connection.info.session_ref != first_session
            # And once more through the rule, which expires sessions on the next request.
            sim.sim.faults.add(ExpireSessions(nth=1))
            session = sdk(sim)  # this login is that request: the sync's session dies with it
            vm = real_vms(session)[1]
            await in_thread(lambda: session.xenapi.VM.set_name_label(vm, "after expiry"))
            await until(lambda: sync.resyncs >= 3)
            assert await settled(cache, sim) == []
            assert cache.get("VM", vm)["name_label"] == "after expiry"  # type: ignore[index]
            assert sync.state.kind == CONNECTED
            session.xenapi.session.logout()

    run(main())


def test_server_errors_until_it_gives_up(sim: RunningSimulator) -> None:
    async def main() -> None:
        backoff = Backoff(initial=0.02, maximum=0.05, max_attempts=3)
        async with syncing(sim, backoff=backoff) as (sync, cache, states):
            sim.sim.faults.add(Http500(count=None))
            # A change made in-process ends the waiting event.from without a request of ours.
            sim.sim.db.set("pool", sim.sim.pool, "name_description", "failing from now on")
            await until(lambda: sync.state.kind == FAILED)
            attempts = [s.attempt for s in states if s.kind == RECONNECTING]
            assert attempts == [1, 2, 3]
            assert states[-1].kind == FAILED and states[-1].error is not None
            sim.sim.faults.clear()
            # Data stays in the cache for the UI to show as stale.
            assert cache.count("VM") > 0

    run(main())


def test_recovers_when_the_server_answers_again(sim: RunningSimulator) -> None:
    async def main() -> None:
        async with syncing(sim, backoff=FAST) as (sync, cache, states):
            sim.sim.faults.add(Http500(count=4))
            # A change made in-process ends the waiting event.from without a request of ours.
            db = sim.sim.db
            db.set("pool", sim.sim.pool, "name_description", "changed while failing")
            await until(lambda: any(s.kind == RECONNECTING for s in states))
            await until(lambda: sync.state.kind == CONNECTED)
            assert max(s.attempt for s in states if s.kind == RECONNECTING) >= 2
            assert await settled(cache, sim) == []

    run(main())


def test_wrong_password_fails_without_retrying(sim: RunningSimulator) -> None:
    async def main() -> None:
        states: list[SyncState] = []
        sync = PoolSync(connector(sim, "wrong"), ObjectCache(dm=DM), classes=CLASSES,
                        on_state=states.append, backoff=FAST)
        await sync.run()
        assert [s.kind for s in states] == ["connecting", FAILED]
        assert "SESSION_AUTHENTICATION_FAILED" in states[-1].reason

    run(main())


def test_drift_reloads_the_drifting_class(sim: RunningSimulator) -> None:
    async def main() -> None:
        async with syncing(sim, drift_cooldown=0.0) as (sync, cache, _states):
            # Lose an object behind the cache's back, as a missed event would.
            lost = next(iter(cache.records("VDI")))
            del cache.tables["VDI"][lost]
            seen: list[Changes] = []
            cache.subscribe(seen.append)
            session = sdk(sim)
            vm = real_vms(session)[2]
            await in_thread(lambda: session.xenapi.VM.set_name_label(vm, "poke"))
            await until(lambda: cache.get("VDI", lost) is not None)
            assert any(c.resync and lost in c.added("VDI") for c in seen)
            assert sync.resyncs == 1  # only the drifting class was reloaded
            assert await settled(cache, sim) == []
            session.xenapi.session.logout()

    run(main())


def test_request_resync_reloads_promptly(sim: RunningSimulator) -> None:
    async def main() -> None:
        async with syncing(sim, poll_timeout=30.0) as (sync, _cache, _states):
            await asyncio.sleep(0.2)
            sync.request_resync()
            await until(lambda: sync.resyncs == 2, timeout=10.0)

    run(main())


def test_an_unexpected_error_ends_in_failed() -> None:
    async def broken() -> Connection:
        raise ValueError("not a URL")

    async def main() -> None:
        states: list[SyncState] = []
        sync = PoolSync(broken, ObjectCache(dm=DM), on_state=states.append, backoff=FAST)
        await sync.run()
        assert [s.kind for s in states] == ["connecting", FAILED]
        assert states[-1].reason == "ValueError: not a URL"

    run(main())


def test_events_are_prepared_off_the_event_loop(sim: RunningSimulator) -> None:
    async def main() -> None:
        cache = ObjectCache(dm=DM)
        loop_thread = threading.current_thread()
        threads: list[threading.Thread] = []
        prepare_event = cache.prepare_event

        def watched(ev: Any) -> Any:
            threads.append(threading.current_thread())
            return prepare_event(ev)

        cache.prepare_event = watched  # type: ignore[method-assign]
        async with syncing(sim, cache=cache) as (_sync, _cache, _states):
            loaded = len(threads)
            assert loaded == sum(cache.count(cls) for cls in CLASSES)
            session = sdk(sim)
            vm = real_vms(session)[3]
            await in_thread(lambda: session.xenapi.VM.set_name_label(vm, "prepared elsewhere"))
            renamed = "prepared elsewhere"
            await until(lambda: (cache.get("VM", vm) or {}).get("name_label") == renamed)
            assert len(threads) > loaded
            assert loop_thread not in threads
            session.xenapi.session.logout()

    run(main())
