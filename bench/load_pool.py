"""How fast and how big is a big pool's initial load into the object cache?

    python bench/load_pool.py --vms 2000 --snapshots 10

Starts a generated simulator on loopback over plain HTTP (TLS would add the same
cost to both sides of the ratio), then prints one line per figure:

- generation + server load: building the pool and starting the listeners;
- floor: the same initial ``event.from(classes, "", 0)`` fetched with a plain
  ``xmlrpc.client.ServerProxy`` and decoded by ``xmlrpc.client`` alone;
- floor-json: the same over JSON-RPC with plain ``urllib`` and ``json.loads``
  (with the moment the server's answer began, i.e. its share);
- full load: ``Connection.event_from(event_hook=cache.prepare_event)`` (fetch,
  decode and normalise, streamed on the event thread) + ``ObjectCache.load``,
  i.e. what :class:`~xsnap_gui.model.sync.PoolSync` does on connect, over
  ``--protocol`` (JSON-RPC by default);
- peak RSS of this process (which also holds the simulator, unless
  ``--separate-process``), and the cache's own size as tracemalloc sees it;
- 10,000 mod events on existing VMs: ``cache.apply`` alone, and end to end
  (changed in the server's database, fetched by event.from, applied);
- ``ratio: X.XX``, full load / (XML-RPC) floor, and ``ratio-json``, full load /
  floor-json.

``--profile`` prints where the full load spends its time (cProfile), client side.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import multiprocessing
import multiprocessing.connection
import pstats
import resource
import sys
import time
import tracemalloc
import urllib.request
import xmlrpc.client
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from xsnap_gui.model.cache import Changes, ObjectCache, PreparedBatch
from xsnap_gui.model.sync import DEFAULT_CLASSES
from xsnap_gui.xapi.client import JSONRPC, PROTOCOLS, Connection
from xsnap_gui.xapi.jsonrpc import JsonRpcChannel
from xsnap_gui.xapi.transport import RpcChannel, parse_url

MiB = 1 << 20
USER, PASSWORD = "root", "xsnap"


def rss_now_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figure(name: str, text: str) -> None:
    print(f"{name}: {text}", flush=True)


# --- the simulator, here or in a child process -----------------------------------------


class Pool:
    """The simulated pool and the one thing the benchmark asks of it besides XML-RPC."""

    url: str

    def mutate_vms(self, count: int) -> int:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError


def _touch_vms(db: Any, count: int) -> int:
    refs = db.all_refs("VM")[:count]
    for i, ref in enumerate(refs):
        db.update("VM", ref, name_description=f"bench change {i}")
    return len(refs)


class InProcessPool(Pool):
    def __init__(self, spec: str) -> None:
        from xsnap_gui.simulator.api import start_simulator  # noqa: PLC0415

        self.running = start_simulator(generate=spec, tls=False)
        if self.running.scheduler is not None:
            self.running.scheduler.stop()  # no scheduled runs in the middle of a measurement
        self.url = self.running.url

    def mutate_vms(self, count: int) -> int:
        return _touch_vms(self.running.sim.db, count)

    def stop(self) -> None:
        self.running.stop()


def _serve(spec: str, pipe: multiprocessing.connection.Connection) -> None:
    from xsnap_gui.simulator.api import start_simulator  # noqa: PLC0415

    running = start_simulator(generate=spec, tls=False)
    if running.scheduler is not None:
        running.scheduler.stop()
    pipe.send(running.url)
    while True:
        command, arg = pipe.recv()
        if command == "mutate":
            pipe.send(_touch_vms(running.sim.db, arg))
        else:
            running.stop()
            pipe.send("stopped")
            return


class ChildProcessPool(Pool):
    def __init__(self, spec: str) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pipe, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(spec, child), daemon=True)
        self.process.start()
        self.url = self.pipe.recv()

    def mutate_vms(self, count: int) -> int:
        self.pipe.send(("mutate", count))
        return int(self.pipe.recv())

    def stop(self) -> None:
        self.pipe.send(("stop", None))
        self.pipe.recv()
        self.process.join(10)


# --- measurements ------------------------------------------------------------------------


def floor(url: str, classes: list[str]) -> tuple[float, int]:
    """The plain stdlib fetch and decode of the initial batch: seconds, events."""
    proxy = xmlrpc.client.ServerProxy(url)
    session = proxy.session.login_with_password(USER, PASSWORD, "2.21", "bench")["Value"]
    event_from = getattr(proxy, "event.from")
    start = time.perf_counter()
    answer = event_from(session, classes, "", 0.0)
    elapsed = time.perf_counter() - start
    count = len(answer["Value"]["events"])
    del answer
    proxy.session.logout(session)
    return elapsed, count


def _json_call(url: str, method: str, *params: Any) -> tuple[Any, float, float]:
    """A plain JSON-RPC call: the result, seconds until the answer began, seconds in all."""
    body = json.dumps({"jsonrpc": "2.0", "method": method, "params": list(params),
                       "id": 1}).encode()
    request = urllib.request.Request(f"{url}/jsonrpc", body,
                                     {"Content-Type": "application/json"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=600) as answer:
        began = time.perf_counter()
        reply = json.loads(answer.read())
    return reply["result"], began - start, time.perf_counter() - start


def floor_json(url: str, classes: list[str]) -> tuple[float, float, int]:
    """The plain stdlib fetch and decode over JSON-RPC: seconds, server's share, events."""
    session = _json_call(url, "session.login_with_password", USER, PASSWORD, "2.21",
                         "bench")[0]
    result, began, elapsed = _json_call(url, "event.from", session, classes, "", 0.0)
    count = len(result["events"])
    del result
    _json_call(url, "session.logout", session)
    return elapsed, began, count


async def full_load(conn: Connection, cache: ObjectCache, classes: list[str]
                    ) -> tuple[float, float, str]:
    """Fetch + decode + normalise (streamed), then load: seconds for each, and the token."""
    start = time.perf_counter()
    batch = await conn.event_from(classes, "", 0.0, event_hook=cache.prepare_event)
    fetched = time.perf_counter()
    cache.load(PreparedBatch(batch["events"]), classes=classes)
    loaded = time.perf_counter()
    return fetched - start, loaded - fetched, str(batch["token"])


async def traced_cache_size(conn: Connection, classes: list[str]) -> tuple[int, ObjectCache]:
    """Bytes held by a freshly loaded cache once the batch is gone, as tracemalloc counts."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        cache = ObjectCache()
        batch = await conn.event_from(classes, "", 0.0, event_hook=cache.prepare_event)
        cache.load(PreparedBatch(batch["events"]), classes=classes)
        del batch
        # Until this coroutine yields, the loop's wake-up handle still holds the batch.
        await asyncio.sleep(0)
        gc.collect()
        after = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    return after - before, cache


async def apply_mods(pool: Pool, conn: Connection, cache: ObjectCache, classes: list[str],
                     token: str, count: int) -> tuple[int, float, float, float]:
    """Change ``count`` VMs on the server; fetch the mods, apply them: events, times."""
    changed = pool.mutate_vms(count)
    start = time.perf_counter()
    batch = await conn.event_from(classes, token, 5.0)
    fetched = time.perf_counter()
    events = [e for e in batch["events"] if e["operation"] == "mod"]
    notified: list[Changes] = []
    unsubscribe = cache.subscribe(notified.append)
    applied_start = time.perf_counter()
    cache.apply(events)
    applied = time.perf_counter()
    unsubscribe()
    assert changed and len(notified) == 1
    return len(events), fetched - start, applied - applied_start, applied - start


def profile_load(conn: Connection, classes: list[str]) -> None:
    """Profile the client side of a full load: the event thread's work, on this thread."""
    cache = ObjectCache()
    endpoint = parse_url(conn.url, allow_plain_http=True)
    channel = (JsonRpcChannel(endpoint, 600.0) if conn.protocol == JSONRPC
               else RpcChannel(endpoint, 600.0))
    profiler = cProfile.Profile()
    profiler.enable()
    batch = channel.call("event.from", (conn.info.session_ref, classes, "", 0.0),
                         cache.prepare_event)
    cache.load(PreparedBatch(batch["events"]), classes=classes)
    profiler.disable()
    channel.close()
    del batch
    print(f"--- profile of fetch + decode + normalise + load ({conn.protocol}; the server's "
          "encoding shows as time in socket reads) ---")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(14)
    decoder = cProfile.Profile()
    proxy = xmlrpc.client.ServerProxy(conn.url)
    session = proxy.session.login_with_password(USER, PASSWORD, "2.21", "bench")["Value"]
    decoder.enable()
    getattr(proxy, "event.from")(session, classes, "", 0.0)
    decoder.disable()
    print("--- profile of fetch + decode (xmlrpc.client) ---")
    pstats.Stats(decoder).sort_stats("tottime").print_stats(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vms", type=int, default=2000)
    parser.add_argument("--snapshots", type=int, default=10, help="average per VM")
    parser.add_argument("--hosts", type=int, default=4)
    parser.add_argument("--schedules", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=1,
                        help="alternate floor and full load this many times, keep the best")
    parser.add_argument("--events", type=int, default=10_000, help="mod events to apply")
    parser.add_argument("--separate-process", action="store_true",
                        help="run the simulator in a child process, so RSS is the client's")
    parser.add_argument("--no-trace", action="store_true",
                        help="skip the (slow) tracemalloc measurement of the cache")
    parser.add_argument("--profile", action="store_true", help="profile the full load")
    parser.add_argument("--protocol", choices=PROTOCOLS, default=JSONRPC,
                        help="the client's protocol for the full load")
    args = parser.parse_args(argv)
    classes = list(DEFAULT_CLASSES)
    spec = (f"hosts={args.hosts},vms={args.vms},snapshots={args.snapshots},"
            f"schedules={args.schedules}")

    start = time.perf_counter()
    pool: Pool = ChildProcessPool(spec) if args.separate_process else InProcessPool(spec)
    figure("generation+server load", f"{time.perf_counter() - start:.2f} s ({spec}; "
           f"{'child process' if args.separate_process else 'in-process'} simulator on "
           f"{pool.url}, plain HTTP on loopback; RSS now {rss_now_mib():.0f} MiB)")
    loop = asyncio.new_event_loop()
    try:
        conn = loop.run_until_complete(Connection.connect(
            pool.url, USER, PASSWORD, allow_plain_http=True, timeout=600.0,
            protocol=args.protocol))
        # Floors and full load alternate; the best of each counts (the machine is shared).
        floors: list[float] = []
        json_floors: list[tuple[float, float]] = []
        loads: list[tuple[float, float, str]] = []
        client_peak = 0.0
        for _ in range(max(1, args.repeat)):
            cache = ObjectCache()
            loads.append(loop.run_until_complete(full_load(conn, cache, classes)))
            # ru_maxrss only grows: read it before the floor's decode can raise it.
            client_peak = client_peak or rss_peak_mib()
            # The floors decode without a loaded cache around (the collector would walk it).
            del cache
            gc.collect()
            floor_s, events = floor(pool.url, classes)
            floors.append(floor_s)
            gc.collect()
            json_s, server_s, json_events = floor_json(pool.url, classes)
            json_floors.append((json_s, server_s))
            gc.collect()
        floor_s = min(floors)
        figure("floor", f"{floor_s:.2f} s (ServerProxy event.from + xmlrpc.client decode, "
               f"{events:,} events; runs: {', '.join(f'{f:.2f}' for f in floors)})")
        json_floor_s, server_s = min(json_floors)
        figure("floor-json", f"{json_floor_s:.2f} s (urllib POST /jsonrpc event.from + "
               f"json.loads, {json_events:,} events; the answer began after {server_s:.2f} s "
               f"of server-side work; runs: {', '.join(f'{f[0]:.2f}' for f in json_floors)})")
        fetch_s, load_s, _ = min(loads, key=lambda t: t[0] + t[1])
        full_s = fetch_s + load_s
        # A loaded cache again, for the mod events (this load is not counted).
        cache = ObjectCache()
        token = loop.run_until_complete(full_load(conn, cache, classes))[2]
        vm_records = cache.count("VM")
        objects = sum(cache.count(c) for c in cache.tracked)
        figure("full load", f"{full_s:.2f} s over {conn.protocol} (event.from with "
               f"normalisation streamed on the event thread {fetch_s:.2f} s, cache.load "
               f"{load_s:.2f} s; {objects:,} objects, {vm_records:,} VM records; runs: "
               f"{', '.join(f'{sum(t[:2]):.2f}' for t in loads)})")

        count, fetch_mods_s, apply_s, end_to_end_s = loop.run_until_complete(
            apply_mods(pool, conn, cache, classes, token, args.events))
        figure(f"apply {count:,} mod events", f"{apply_s:.3f} s (cache.apply incl. "
               f"normalisation and one notification)")
        figure(f"apply {count:,} mod events end to end",
               f"{end_to_end_s:.3f} s (event.from fetch+decode {fetch_mods_s:.3f} s "
               f"after the server-side changes, then cache.apply)")
        figure("peak RSS", f"{client_peak:.0f} MiB up to the end of the first full load "
               f"(this process{'' if args.separate_process else ', simulator included'}); "
               f"{rss_peak_mib():.0f} MiB over the whole run, floor decodes included; "
               f"now {rss_now_mib():.0f} MiB")
        if not args.no_trace:
            del cache
            gc.collect()
            size, traced = loop.run_until_complete(traced_cache_size(conn, classes))
            per_object = size / max(1, sum(traced.count(c) for c in traced.tracked))
            figure("cache size", f"{size / MiB:.0f} MiB by tracemalloc "
                   f"({per_object / 1024:.2f} KiB per object on average)")
            del traced
        if args.profile:
            profile_load(conn, classes)
        loop.run_until_complete(conn.close())
        figure("ratio", f"{full_s / floor_s:.2f}")
        figure("ratio-json", f"{full_s / json_floor_s:.2f}")
    finally:
        loop.close()
        pool.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
