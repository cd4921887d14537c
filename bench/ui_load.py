"""The main window on a big pool: how long things take and how long the UI ever freezes.

    python bench/ui_load.py --vms 2000 --snapshots 10 --big-vm 500

Serves a generated pool from ``xsnap-sim`` in a child process (so the server's
work never competes with the UI thread for the GIL), opens the real main window
offscreen, connects through the real client, and prints one line per figure:

- initial load: connect, event.from, normalise and fill the cache;
- tree populated: a pool tree built from the loaded cache;
- a VM with N snapshots shown in the tree (graph) view, and in the list view;
- the longest stall of the Qt event loop during the initial load, and during a
  burst of 1,000 changes made by another client.

A stall is the longest gap between ticks of a 5 ms QTimer on the UI thread.
Figures are wall-clock on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qasync
import XenAPI
from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication

from xsnap_gui.ui.event_loop import run_until_done
from xsnap_gui.ui.main_window import MainWindow
from xsnap_gui.ui.pool_session import PoolSession, ServerSpec
from xsnap_gui.ui.pool_tree import PoolTreeModel


class StallMeter:
    """Measures the longest gap between timer ticks on the UI thread."""

    def __init__(self, interval_ms: int = 5) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self._tick)
        self.longest = 0.0
        self._last = 0

    def start(self) -> None:
        self.longest = 0.0
        self.clock.start()
        self._last = self.clock.elapsed()
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        return self.longest

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.longest = max(self.longest, (now - self._last) / 1000.0)
        self._last = now


class StallSampler:
    """With --why: while the UI thread has not ticked for 50 ms, sample its stack every
    5 ms from another thread, and print the frames most seen, by stall."""

    def __init__(self, meter: StallMeter) -> None:
        self.meter = meter
        self.ui_thread = threading.get_ident()
        self.samples: dict[str, list[tuple[str, ...]]] = {}
        self.phase = ""
        self._stop = threading.Event()
        self.collections: dict[str, list[tuple[int, float]]] = {}
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.005):
            if not self.meter.timer.isActive():
                continue
            gap = self.meter.clock.elapsed() - self.meter._last
            if gap < 50:
                continue
            for ident, frame in sys._current_frames().items():
                if ident == threading.get_ident():
                    continue
                stack = []
                while frame is not None and len(stack) < 40:
                    code = frame.f_code
                    stack.append(f"{Path(code.co_filename).name}:{frame.f_lineno} "
                                 f"{code.co_name}")
                    frame = frame.f_back
                where = "UI thread" if ident == self.ui_thread else "other threads"
                self.samples.setdefault(f"{self.phase}, {where}", []).append(tuple(stack))

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            took = time.perf_counter() - self._gc_started
            where = "UI thread" if threading.get_ident() == self.ui_thread else "other threads"
            self.collections.setdefault(f"{self.phase}, {where}", []).append(
                (info["generation"], took))

    def report(self) -> None:
        self._stop.set()
        for phase, runs in self.collections.items():
            for generation in (0, 1, 2):
                times = [t for g, t in runs if g == generation]
                if times:
                    print(f"--- gc during {phase}: generation {generation}: "
                          f"{len(times)} runs, {sum(times) * 1000:.0f} ms in all, "
                          f"longest {max(times) * 1000:.0f} ms")
        for phase, stacks in self.samples.items():
            print(f"--- stall samples during {phase}: {len(stacks)} x 5 ms")
            counts: dict[str, int] = {}
            for stack in stacks:
                for entry in set(stack):
                    counts[entry] = counts.get(entry, 0) + 1
            for entry, n in sorted(counts.items(), key=lambda kv: -kv[1])[:25]:
                print(f"  {n:5d}  {entry}")


def figure(name: str, seconds: float, extra: str = "") -> None:
    print(f"{name}: {seconds * 1000:.0f} ms{extra}", flush=True)


def start_server(vms: int, snapshots: int) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "xsnap_gui.simulator.cli", "--plain-http", "--port", "0",
         "--no-members", "--clock-speed", "1000",
         "--generate", f"hosts=4,vms={vms},snapshots={snapshots},schedules=8"],
        stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("listening on "):
        proc.kill()
        raise SystemExit(f"xsnap-sim did not start: {line!r}")
    return proc, line.split()[-1]


def make_big_vm(url: str, count: int) -> str:
    """Give one halted VM ``count`` snapshots, four clients at a time."""
    s = XenAPI.Session(url)
    s.xenapi.login_with_password("root", "xsnap")
    vms = s.xenapi.VM.get_all_records()
    ref, rec = next((r, v) for r, v in vms.items()
                    if not v["is_a_template"] and not v["is_control_domain"]
                    and v["power_state"] == "Halted")
    s.xenapi.session.logout()
    local = threading.local()

    def one(i: int) -> None:
        if not hasattr(local, "s"):
            local.s = XenAPI.Session(url)
            local.s.xenapi.login_with_password("root", "xsnap")
        local.s.xenapi.VM.snapshot(ref, f"bench snapshot {i:03d}")

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(one, range(count)))
    return str(rec["name_label"])


BURST_CLIENT = """
import sys, XenAPI
url, count = sys.argv[1], int(sys.argv[2])
s = XenAPI.Session(url)
s.xenapi.login_with_password("root", "xsnap")
vms = [r for r, v in s.xenapi.VM.get_all_records().items()
       if not v["is_a_template"] and not v["is_control_domain"]]
print("ready", flush=True)
sys.stdin.readline()
for i in range(count):
    s.xenapi.VM.set_name_description(vms[i % len(vms)], f"burst {i}")
s.xenapi.session.logout()
"""


def burst_client(url: str, count: int) -> subprocess.Popen[str]:
    """Another client, in its own process as it would be on another machine (in this
    one, its XML-RPC decoding would compete with the UI thread for the GIL). It reads
    the VM list first and makes its changes when told to."""
    proc = subprocess.Popen([sys.executable, "-c", BURST_CLIENT, url, str(count)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "ready":
        proc.kill()
        raise SystemExit("the burst client did not start")
    return proc


def run_burst(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None
    proc.stdin.write("go\n")
    proc.stdin.flush()
    if proc.wait() != 0:
        raise SystemExit("the burst client failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vms", type=int, default=2000)
    parser.add_argument("--snapshots", type=int, default=10)
    parser.add_argument("--big-vm", type=int, default=500, help="snapshots of the big VM")
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--why", action="store_true",
                        help="sample the UI thread's stack during stalls and print a summary")
    args = parser.parse_args()

    started = time.perf_counter()
    proc, url = start_server(args.vms, args.snapshots)
    print(f"server: {url} ready in {time.perf_counter() - started:.1f} s "
          f"(child process, plain HTTP, 2-core machine)", flush=True)
    started = time.perf_counter()
    big_name = make_big_vm(url, args.big_vm)
    print(f"big VM: {big_name} given {args.big_vm} snapshots in "
          f"{time.perf_counter() - started:.1f} s", flush=True)

    app = QApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    meter = StallMeter()
    sampler = StallSampler(meter) if args.why else None
    window = MainWindow(persist=False)
    window.show()
    session = PoolSession(ServerSpec("bench", url, "root", "xsnap", allow_plain_http=True),
                          window)

    async def load() -> float:
        if sampler:
            sampler.phase = "initial load"
        t0 = time.perf_counter()
        window.add_session(session)
        meter.start()
        session.start()
        while session.state.kind != "connected":
            await asyncio.sleep(0.01)
        return time.perf_counter() - t0

    async def measure() -> None:
        # Everything runs inside the loop: qasync callbacks need a running loop.
        load_seconds = await load()
        load_stall = meter.stop()
        records = session.cache.records("VM")
        snapshot_count = sum(1 for v in records.values() if v.get("is_a_snapshot"))
        figure("initial load (connect, event.from, normalise, cache)", load_seconds,
               f" ({len(records)} VM records, {snapshot_count} of them snapshots)")
        figure("longest UI stall during the initial load", load_stall)

        t0 = time.perf_counter()
        model = PoolTreeModel()
        model.add_session(session)
        figure("pool tree populated from the loaded cache", time.perf_counter() - t0)

        big_ref = next(r for r, v in session.cache.records("VM").items()
                       if v.get("name_label") == big_name and not v.get("is_a_snapshot"))
        for mode in ("tree", "list"):
            window.show_vm(None, None)
            window.set_view_mode(mode)
            await asyncio.sleep(0.2)
            t0 = time.perf_counter()
            window.show_vm(session, big_ref)
            # Layout requests, then the first paint: both are part of showing it. (Not
            # processEvents: inside a coroutine that would re-enter the asyncio loop.)
            QApplication.sendPostedEvents()
            window.snapshots_tab.grab()
            figure(f"VM with {args.big_vm} snapshots shown in the {mode} view",
                   time.perf_counter() - t0)

        client = await asyncio.get_running_loop().run_in_executor(
            None, burst_client, url, args.burst)
        await asyncio.sleep(1.0)
        meter.start()
        if sampler:
            sampler.phase = "burst"
        t0 = time.perf_counter()
        await asyncio.get_running_loop().run_in_executor(None, run_burst, client)
        burst_seconds = time.perf_counter() - t0
        await asyncio.sleep(1.0)  # let the last batches arrive and be applied
        figure(f"longest UI stall during a burst of {args.burst} changes", meter.stop(),
               f" (the burst took {burst_seconds:.1f} s from another client)")
        await session.stop()

    with loop:
        run_until_done(loop, measure())
    proc.terminate()
    proc.wait(timeout=30)
    if sampler:
        sampler.report()


if __name__ == "__main__":
    main()
