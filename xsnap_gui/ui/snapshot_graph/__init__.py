"""The Snapshots tab's graph: a VM's snapshot tree drawn as a timeline.

The ``layout`` module (``layout.layout(nodes)``) and ``samples`` are Qt-free; the widget
is imported lazily so that importing this package or its layout does not load Qt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .layout import GraphNode, Layout, Position

if TYPE_CHECKING:
    from .view import SnapshotGraphView

__all__ = ["GraphNode", "Layout", "Position", "SnapshotGraphView"]


def __getattr__(name: str) -> Any:
    if name == "SnapshotGraphView":
        from .view import SnapshotGraphView  # noqa: PLC0415 - keeps the layout Qt-free

        return SnapshotGraphView
    raise AttributeError(name)
