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


def burst(url: str, count: int) -> None:
    s = XenAPI.Session(url)
    s.xenapi.login_with_password("root", "xsnap")
    vms = [r for r, v in s.xenapi.VM.get_all_records().items()
           if not v["is_a_template"] and not v["is_control_domain"]]
    for i in range(count):
        s.xenapi.VM.set_name_description(vms[i % len(vms)], f"burst {i}")
    s.xenapi.session.logout()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vms", type=int, default=2000)
    parser.add_argument("--snapshots", type=int, default=10)
    parser.add_argument("--big-vm", type=int, default=500, help="snapshots of the big VM")
    parser.add_argument("--burst", type=int, default=1000)
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
    window = MainWindow(persist=False)
    window.show()
    session = PoolSession(ServerSpec("bench", url, "root", "xsnap", allow_plain_http=True),
                          window)

    async def load() -> float:
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

        meter.start()
        t0 = time.perf_counter()
        await asyncio.get_running_loop().run_in_executor(None, burst, url, args.burst)
        burst_seconds = time.perf_counter() - t0
        await asyncio.sleep(1.0)  # let the last batches arrive and be applied
        figure(f"longest UI stall during a burst of {args.burst} changes", meter.stop(),
               f" (the burst took {burst_seconds:.1f} s from another client)")
        await session.stop()

    with loop:
        loop.run_until_complete(measure())
    proc.terminate()
    proc.wait(timeout=30)


if __name__ == "__main__":
    main()
