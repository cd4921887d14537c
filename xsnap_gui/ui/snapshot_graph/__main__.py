"""Preview the snapshot graph on a sample tree: ``python -m xsnap_gui.ui.snapshot_graph [N]``.

Handy when working on the icons or the layout without a pool: N snapshots (default 60)
with reverts, checkpoints, schedules and a screenshot or two; F5 toggles the busy state.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication

from ...simulator.generate import VNC_SNAPSHOT_JPEG
from . import samples
from .view import SnapshotGraphView


def main(argv: list[str]) -> int:
    app = QApplication(argv)
    count = int(argv[1]) if len(argv) > 1 else 60
    view = SnapshotGraphView()
    view.setWindowTitle(f"Snapshot graph preview: {count} snapshots")
    view.resize(1280, 560)
    view.set_nodes(samples.history(count, seed=7, thumbnail=VNC_SNAPSHOT_JPEG, orphans=1),
                   keep_view=False)
    view.nowDroppedOn.connect(lambda key: print("revert to", key))
    view.activated.connect(lambda key: print("activated", key))
    view.selectionChangedKeys.connect(lambda keys: print("selected", keys))
    QShortcut(QKeySequence("F5"), view, lambda: view.set_busy(not view.is_busy()))
    view.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
