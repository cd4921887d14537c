"""How fast does the pool tree fill and follow changes in a big pool?

    python bench/ui_pool_tree.py --vms 2000 --hosts 8 --snapshots 5

Builds a generated pool in a bare simulator (no HTTP), loads it into a session's
cache, then prints one line per figure:

- populate (model only): ``add_session`` on a loaded cache, the whole tree built;
- populate (view): the same with a PoolTreeView (filter proxy, hosts expanded) shown;
- first paint: rendering the view once (decorations, chain depths of visible rows);
- batches of 1,000 VMs, each applied through the view and its proxy: power flips
  (rows move between hosts and the pool), renames (rows move within their parent),
  description edits (dataChanged only), and a full reload after another round of power
  flips (a resync, applied as a diff); each with the model's share (the rest is the cache
  normalising and applying the batch) and the repaint that follows;
- filter: typing a filter and clearing it.

Figures are wall-clock seconds on this machine; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from tests.ui.livepool import DbFeed, connected, generated, offline_session
from xsnap_gui.simulator.coerce import NULL_REF
from xsnap_gui.ui.pool_tree import VM, KindRole, PoolTreeModel, PoolTreeView

MODEL_SECONDS: list[float] = []


def _time_model_updates() -> None:
    """Record how long the model spends on each cacheChanged (the rest is the cache's)."""
    plain = PoolTreeModel._on_cache_changed

    def timed_update(self: PoolTreeModel, tree: Any, changes: Any) -> None:
        start = time.perf_counter()
        plain(self, tree, changes)
        MODEL_SECONDS.append(time.perf_counter() - start)

    PoolTreeModel._on_cache_changed = timed_update  # type: ignore[method-assign]


def figure(name: str, seconds: float, extra: str = "") -> None:
    print(f"{name}: {seconds * 1000:.1f} ms{extra}", flush=True)


def timed(action: Callable[[], object]) -> float:
    # A full collection first: the simulator's and the cache's millions of objects make a
    # collection that happens to fall inside a measurement cost hundreds of milliseconds.
    gc.collect()
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--vms", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--snapshots", type=int, default=5)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()

    app = QApplication.instance() or QApplication([])
    _time_model_updates()
    start = time.perf_counter()
    sim = generated(f"hosts={args.hosts},vms={args.vms},snapshots={args.snapshots},"
                    f"schedules=4", seed=1)
    session = offline_session("bench")
    feed = DbFeed(sim.db, session)
    feed.load()
    connected(session)
    db = sim.db
    vms = [ref for ref, row in db.rows("VM")
           if not (row["is_a_template"] or row["is_a_snapshot"] or row["is_control_domain"])]
    print(f"pool: {len(vms)} VMs, {args.hosts} hosts, {session.cache.count('VM')} VM records "
          f"(generated and cached in {time.perf_counter() - start:.1f} s)", flush=True)

    model = PoolTreeModel()
    figure("populate (model only)", timed(lambda: model.add_session(session)))
    model.remove_session(session)

    model = PoolTreeModel()
    view = PoolTreeView(model)
    view.resize(360, 900)
    view.show()
    app.processEvents()
    figure("populate (view)", timed(lambda: model.add_session(session)))
    figure("first paint", timed(lambda: view.grab()))
    shown = sum(1 for r in model._nodes.values() if r.kind == VM)
    print(f"rows: {shown} VMs in the tree", flush=True)

    hosts = db.all_refs("host")
    batch = vms[:args.batch]

    def flip() -> None:
        for i, ref in enumerate(batch):
            if db.get("VM", ref, "power_state") in ("Running", "Paused"):
                db.update("VM", ref, power_state="Halted", resident_on=NULL_REF)
            else:
                db.update("VM", ref, power_state="Running", resident_on=hosts[i % len(hosts)])

    def apply(label: str, change: Callable[[], None]) -> None:
        change()
        signals: list[str] = []
        model.rowsMoved.connect(lambda *_: signals.append("move"))
        model.layoutChanged.connect(lambda *_: signals.append("layout"))
        seconds = timed(feed.step)
        repaint = timed(lambda: view.grab())
        figure(label, seconds, f" (model {MODEL_SECONDS[-1] * 1000:.1f} ms, the rest in the "
               f"cache; repaint {repaint * 1000:.1f} ms; {signals.count('move')} row moves, "
               f"{signals.count('layout')} layout changes)")
        model.rowsMoved.disconnect()
        model.layoutChanged.disconnect()

    apply(f"{args.batch} VMs power flip", flip)
    apply(f"{args.batch} VMs renamed", lambda: [
        db.update("VM", ref, name_label=f"renamed-{len(batch) - i}")
        for i, ref in enumerate(batch)])
    apply(f"{args.batch} VMs description edit", lambda: [
        db.update("VM", ref, name_description=f"edit {i}") for i, ref in enumerate(batch)])
    flip()
    calls = len(MODEL_SECONDS)
    seconds = timed(feed.load)
    model_part = sum(MODEL_SECONDS[calls:])
    figure(f"resync (full reload) after {args.batch} power flips", seconds,
           f" (model {model_part * 1000:.1f} ms, the rest in the cache)")
    figure("filter 'web' typed", timed(lambda: view.set_filter_text("web")))
    matching = sum(1 for _ in _walk_vms(view.proxy))
    figure("filter cleared", timed(lambda: view.set_filter_text("")), f" ({matching} matched)")
    view.close()


def _walk_vms(model: object) -> list[object]:
    from PySide6.QtCore import QModelIndex  # noqa: PLC0415

    found = []
    stack = [QModelIndex()]
    while stack:
        parent = stack.pop()
        for row in range(model.rowCount(parent)):  # type: ignore[attr-defined]
            index = model.index(row, 0, parent)  # type: ignore[attr-defined]
            if index.data(KindRole) == VM:
                found.append(index)
            stack.append(index)
    return found


if __name__ == "__main__":
    main()
