"""Snapshot graph timings: layout, scene build, first paint, live update, overview paint.

Run from the repository root: ``python bench/graph_layout.py`` (headless is fine).
Figures are the best of a few runs, in milliseconds; nothing is asserted.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication  # after the platform is chosen above

from xsnap_gui.simulator.generate import VNC_SNAPSHOT_JPEG
from xsnap_gui.ui.snapshot_graph import GraphNode, SnapshotGraphView, samples
from xsnap_gui.ui.snapshot_graph.layout import DISK, NOW, layout

RUNS = 5
VIEW_SIZE = (1280, 720)


def best_ms(action: Callable[[], object], runs: int = RUNS) -> tuple[float, float]:
    """(best, median) wall time of ``action`` in ms."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def with_one_more(nodes: list[GraphNode]) -> list[GraphNode]:
    """The same tree after one more snapshot: the head gets a child and Now moves on."""
    now = next(n for n in nodes if n.kind == NOW)
    assert now.time is not None
    newest = GraphNode("OpaqueRef:bench-new", now.parent, "new", now.time, DISK)
    return [n for n in nodes if n.kind != NOW] + [
        newest, GraphNode(NOW, newest.key, "Now", now.time + timedelta(minutes=1), NOW)]


def measure(app: QApplication, name: str, nodes: list[GraphNode]) -> None:
    lay_best, lay_median = best_ms(lambda: layout(nodes))
    lanes = layout(nodes).row_count

    builds, paints = [], []
    for _ in range(RUNS):
        view = SnapshotGraphView()
        view.resize(*VIEW_SIZE)
        view.show()
        app.processEvents()
        started = time.perf_counter()
        view.set_nodes(nodes, keep_view=False)
        builds.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        view.viewport().grab()
        paints.append((time.perf_counter() - started) * 1000)
        view.close()
        view.deleteLater()
        app.processEvents()

    view = SnapshotGraphView()
    view.resize(*VIEW_SIZE)
    view.show()
    view.set_nodes(nodes, keep_view=False)
    app.processEvents()
    more = with_one_more(nodes)
    same_best, _ = best_ms(lambda: view.set_nodes(nodes))
    update_best, _ = best_ms(lambda: (view.set_nodes(more), view.set_nodes(nodes)), runs=3)
    view.zoom_to_fit()
    overview_best, _ = best_ms(lambda: view.viewport().grab(), runs=3)
    view.close()

    print(f"{name:<22} {len(nodes):>5} {lanes:>5} "
          f"{lay_best:>8.1f} {lay_median:>8.1f} "
          f"{min(builds):>8.1f} {min(paints):>8.1f} "
          f"{same_best:>8.1f} {update_best / 2:>8.1f} {overview_best:>8.1f}")


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    print(f"view {VIEW_SIZE[0]}x{VIEW_SIZE[1]}, best of {RUNS} (ms); nodes include Base and Now")
    print(f"{'tree':<22} {'nodes':>5} {'lanes':>5} {'layout':>8} {'(median)':>8} "
          f"{'build':>8} {'paint':>8} {'same':>8} {'+1 node':>8} {'overview':>8}")
    cases = [
        ("history 100", samples.history(100, seed=1, thumbnail=VNC_SNAPSHOT_JPEG)),
        ("history 500", samples.history(500, seed=3, thumbnail=VNC_SNAPSHOT_JPEG, orphans=2)),
        ("history 2000", samples.history(2000, seed=5, thumbnail=VNC_SNAPSHOT_JPEG,
                                         orphans=3)),
        ("chain 28", samples.chain(28)),
    ]
    for name, nodes in cases:
        measure(app, name, nodes)
    print("layout: positions only; build: set_nodes on an empty view; paint: first grab of "
          "the viewport;\nsame: set_nodes with identical nodes; +1 node: set_nodes after one "
          "new snapshot;\noverview: a paint zoomed out to fit (as far as the minimum zoom).")


if __name__ == "__main__":
    main()
