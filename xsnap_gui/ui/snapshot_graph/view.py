"""``SnapshotGraphView``: a VM's snapshots as a tree on a timeline (the Snapshots tab).

Older snapshots are on the left, newer on the right; each branch has its own lane and
the path from the base to "Now" runs along the top in the accent colour. A date band
above the graph stays in view while scrolling. The widget takes plain ``GraphNode``s
and reports what the user does through signals; it never talks to XenAPI.
"""

from __future__ import annotations

import bisect
import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from PySide6.QtCore import (
    QDate,
    QEvent,
    QLocale,
    QPoint,
    QPointF,
    QRect,
    QRectF,
    Qt,
    QTime,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QShowEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsScene,
    QGraphicsView,
    QWidget,
)

from ..i18n import translate
from .glyphs import paint_glyph
from .items import (
    COLUMN_WIDTH,
    ICON_SIZE,
    LANE_HEIGHT,
    EdgeItem,
    GraphStyle,
    NodeItem,
    Theme,
    node_centre,
)
from .layout import (
    BASE,
    DISK,
    DISK_AND_MEMORY,
    NOW,
    SCHEDULED,
    DayMark,
    GraphNode,
    Layout,
    day_marks,
)
from .layout import layout as compute_layout

SCENE_MARGIN = 16.0
SPINNER_INTERVAL_MS = 60
SPINNER_STEP = 24.0  # degrees per frame



@dataclass
class _NowDrag:
    start: QPoint
    active: bool = False
    scene_pos: QPointF | None = None


class SnapshotGraphView(QGraphicsView):
    """The snapshot tree of one VM. Selection holds snapshot keys only (never Base/Now)."""

    selectionChangedKeys = Signal(list)  # noqa: N815 - Qt signal naming
    activated = Signal(str)
    contextMenuRequested = Signal(object, QPoint)  # noqa: N815 - key or None, global pos
    nowDroppedOn = Signal(str)  # noqa: N815 - Qt signal naming

    MIN_ZOOM = 0.15
    MAX_ZOOM = 3.0
    ZOOM_STEP = 1.25

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshotTree")
        self.setScene(QGraphicsScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing
                            | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)

        self._style = self._make_style()
        self._tz: tzinfo | None = None
        self._input: list[GraphNode] = []
        self._tooltip_provider: Callable[[str], str] | None = None
        self._empty_text = ""
        self._nodes: dict[str, GraphNode] = {}
        self._layout: Layout = compute_layout([])
        self._marks: list[DayMark] = []
        self._mark_columns: list[int] = []
        self._items: dict[str, NodeItem] = {}
        self._edges: dict[str, EdgeItem] = {}
        self._zoom = 1.0
        self._anchor_key: str | None = None
        self._drag: _NowDrag | None = None
        self._muted = 0  # >0 while the widget itself rearranges the scene's selection
        self._last_selection: list[str] = []
        self._reveal_pending = False

        self._spinner = QTimer(self)
        self._spinner.setInterval(SPINNER_INTERVAL_MS)
        self._spinner.timeout.connect(self._spin)
        self._band = _TimeBand(self)
        self.setViewportMargins(0, self._band.preferred_height(), 0, 0)
        self.setBackgroundBrush(self._style.theme.background)
        self.scene().selectionChanged.connect(self._scene_selection_changed)

    # --- public API ------------------------------------------------------------------

    def set_nodes(self, nodes: Sequence[GraphNode], *, now_busy: bool = False,
                  keep_view: bool = True) -> None:
        """Show ``nodes``. With ``keep_view``, nodes that come back keep their selection
        and the view stays where the user was looking; otherwise Now is brought into view.
        """
        keep = keep_view and bool(self._items)
        incoming = list(nodes)
        for item in self._items.values():
            item.setToolTip("")  # what the provider says may have changed: ask again
        if keep and incoming == self._input:
            self.set_busy(now_busy)  # live updates often re-send an unchanged tree
            return
        self._input = incoming
        anchor = self._capture_anchor() if keep else None
        new_layout = compute_layout(incoming)
        self._nodes = {}
        for node in incoming:  # layout keeps the first of duplicate keys; so do the items
            self._nodes.setdefault(node.key, node)
        self._layout = new_layout
        self._muted += 1
        try:
            self._sync_items()
            if not keep:
                self.scene().clearSelection()
                self._anchor_key = None
                self._style.current_key = None
            if self._style.current_key not in self._nodes:
                self._style.current_key = None
            if self._anchor_key not in self._nodes:
                self._anchor_key = None
        finally:
            self._muted -= 1
        if self._drag is not None and (self._layout.now_key is None
                                       or self._style.drop_key not in (None, *self._nodes)):
            self._end_drag()  # what was being dragged, or onto, has just gone
        self._marks = day_marks(new_layout, self._nodes.values(), self._tz)
        self._mark_columns = [m.column for m in self._marks]
        self.scene().setSceneRect(self._scene_rect())
        self.set_busy(now_busy)
        if anchor is not None:
            self._restore_anchor(*anchor)
        else:
            self._reveal_now()
        self._emit_selection()
        self._band.update()
        self.viewport().update()

    def graph_layout(self) -> Layout:
        return self._layout

    def selected_keys(self) -> list[str]:
        """Selected snapshot keys, oldest first."""
        items = [i for i in self.scene().selectedItems() if isinstance(i, NodeItem)]
        items.sort(key=lambda i: self._layout.positions[i.key].column)
        return [i.key for i in items]

    def select_keys(self, keys: Iterable[str]) -> None:
        """Replace the selection (unknown keys and Base/Now are ignored) and scroll the
        last of ``keys`` into view."""
        self._replace_selection(keys, reveal=True)

    def _replace_selection(self, keys: Iterable[str], *, reveal: bool) -> None:
        wanted = [k for k in keys if k in self._items and self._items[k].selectable]
        self._muted += 1
        try:
            self.scene().clearSelection()
            for key in wanted:
                self._items[key].setSelected(True)
        finally:
            self._muted -= 1
        if wanted:
            self._set_current(wanted[-1])
            self._anchor_key = wanted[0]
            if reveal:
                self.ensureVisible(self._items[wanted[-1]], 40, 20)
        self._emit_selection()

    def set_busy(self, busy: bool, caption: str | None = None) -> None:
        """Show Now as working (spinner and caption) while an operation runs on the VM."""
        self._style.busy = busy
        self._style.busy_caption = (
            caption if caption is not None else translate("SnapshotGraphView", "Working…")
        )
        if busy and not self._spinner.isActive():
            self._spinner.start()
        elif not busy:
            self._spinner.stop()
        now = self._now_item()
        if now is not None:
            now.update()

    def is_busy(self) -> bool:
        return self._style.busy

    def set_time_zone(self, tz: tzinfo | None) -> None:
        """Show times in ``tz`` (None: the computer's zone), e.g. the pool's."""
        self._tz = tz
        if self._nodes:
            for key, item in self._items.items():
                node = self._nodes[key]
                item.update_node(node, self._time_text(node))
            self._marks = day_marks(self._layout, self._nodes.values(), tz)
            self._mark_columns = [m.column for m in self._marks]
        self._band.update()
        self.viewport().update()

    def zoom(self) -> float:
        return self._zoom

    def zoom_in(self) -> None:
        self._zoom_about_centre(self._zoom * self.ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom_about_centre(self._zoom / self.ZOOM_STEP)

    def reset_zoom(self) -> None:
        self._zoom_about_centre(1.0)

    def zoom_to_fit(self) -> None:
        rect = self.sceneRect()
        if rect.isEmpty():
            return
        area = self.viewport().rect()
        self._zoom_about_centre(min(area.width() / rect.width(), area.height() / rect.height()))

    def viewport_point(self, key: str) -> QPoint | None:
        """Where a node's icon centre is, in viewport coordinates (None if unknown)."""
        item = self._items.get(key)
        return None if item is None else self.mapFromScene(item.pos())

    # --- building the scene ------------------------------------------------------------

    def _sync_items(self) -> None:
        scene = self.scene()
        positions = self._layout.positions
        for key in [k for k in self._items if k not in positions]:
            scene.removeItem(self._items.pop(key))
        for key in [k for k in self._edges if self._layout.parents.get(k) is None]:
            scene.removeItem(self._edges.pop(key))
        for key in self._layout.columns:
            node = self._nodes[key]
            item = self._items.get(key)
            if item is None:
                item = NodeItem(self._style, node, self._time_text(node))
                self._items[key] = item
                scene.addItem(item)
            elif item.node != node:
                was_selected = item.isSelected()
                item.update_node(node, self._time_text(node))
                item.setSelected(was_selected and item.selectable)
            position = positions[key]
            centre = node_centre(position.column, position.row)
            if item.pos() != centre:
                item.setPos(centre)
        main = self._layout.main_path
        for parent, child in self._layout.edges():
            edge = self._edges.get(child)
            if edge is None:
                edge = EdgeItem(child)
                self._edges[child] = edge
                scene.addItem(edge)
            edge.route(self._items[parent], self._items[child],
                       main=parent in main and child in main, theme=self._style.theme)

    def _scene_rect(self) -> QRectF:
        columns = max(self._layout.column_count, 1)
        rows = max(self._layout.row_count, 1) + (1 if self._show_empty_hint() else 0)
        return QRectF(-SCENE_MARGIN, -SCENE_MARGIN / 2, columns * COLUMN_WIDTH + 2 * SCENE_MARGIN,
                      rows * LANE_HEIGHT + SCENE_MARGIN)

    def _show_empty_hint(self) -> bool:
        return bool(self._nodes) and not any(n.is_snapshot for n in self._nodes.values())

    def _time_text(self, node: GraphNode) -> str:
        if node.kind == BASE:
            return translate("SnapshotGraphView", "Base")
        if node.kind == NOW or node.time is None:
            return ""
        local = node.time.astimezone(self._tz)
        return QLocale().toString(QTime(local.hour, local.minute),
                                  QLocale.FormatType.ShortFormat)

    def _full_time(self, when: datetime) -> str:
        local = when.astimezone(self._tz)
        locale = QLocale()
        day = locale.toString(QDate(local.year, local.month, local.day),
                              QLocale.FormatType.LongFormat)
        time = locale.toString(QTime(local.hour, local.minute, local.second),
                               QLocale.FormatType.LongFormat)
        return f"{day} {time}"

    def set_empty_text(self, text: str) -> None:
        """What to say under Base and Now when no snapshot is shown ("" for the default):
        the reason may be a filter or hidden scheduled snapshots, not an empty VM."""
        if text != self._empty_text:
            self._empty_text = text
            self.viewport().update()

    def set_tooltip_provider(self, provider: Callable[[str], str] | None) -> None:
        """``provider(key)`` gives the plain lines under a node's tooltip when the node
        has no ``tooltip`` of its own; it is asked when the tooltip is first shown."""
        self._tooltip_provider = provider

    def node_tooltip(self, key: str) -> str:
        """The tooltip of node ``key`` (rich text), or "" if there is no such node."""
        node = self._nodes.get(key)
        return self._tooltip(node) if node is not None else ""

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt override
        # Tooltips are written when first asked for: building 500 of them up front
        # costs a third of showing a big VM.
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            item = self.itemAt(event.pos())
            while item is not None and not isinstance(item, NodeItem):
                item = item.parentItem()
            if item is not None and not item.toolTip():
                item.setToolTip(self._tooltip(item.node))
        return super().viewportEvent(event)

    def _tooltip(self, node: GraphNode) -> str:
        lines = [f"<b>{html.escape(node.label)}</b>"]
        if node.kind == NOW:
            lines.append(html.escape(translate("SnapshotGraphView", "The VM as it is now.")))
            lines.append(html.escape(translate("SnapshotGraphView",
                                               "Drag onto a snapshot to revert to it.")))
        elif node.kind == BASE:
            lines.append(html.escape(translate("SnapshotGraphView",
                                               "The VM's disks before its oldest snapshot.")))
        else:
            kind = {
                DISK: translate("SnapshotGraphView", "Disks only"),
                DISK_AND_MEMORY: translate("SnapshotGraphView", "Disks and memory"),
                SCHEDULED: translate("SnapshotGraphView", "Scheduled snapshot"),
            }.get(node.kind, translate("SnapshotGraphView", "Snapshot"))
            lines.append(html.escape(kind))
            if node.time is not None:
                lines.append(html.escape(translate("SnapshotGraphView", "Taken %1").replace("%1",
                                                                 self._full_time(node.time))))
        extra = node.tooltip
        if not extra and self._tooltip_provider is not None and node.is_snapshot:
            extra = self._tooltip_provider(node.key)
        if extra and extra != node.label:
            lines.extend(html.escape(line) for line in extra.splitlines())
        return "<br>".join(lines)

    # --- keeping the user's place ------------------------------------------------------

    def _visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def _capture_anchor(self) -> tuple[str, QPointF] | None:
        visible = self._visible_scene_rect()
        current = self._style.current_key
        preferred = ([current] if current else []) + self.selected_keys()
        for key in preferred:
            item = self._items.get(key)
            if item is not None and visible.contains(item.pos()):
                return key, QPointF(self.mapFromScene(item.pos()))
        centre = visible.center()
        best: tuple[float, str] | None = None
        for found in self.scene().items(visible):
            if isinstance(found, NodeItem):
                distance = (found.pos() - centre).manhattanLength()
                if best is None or distance < best[0]:
                    best = (distance, found.key)
        if best is None:
            return None
        item = self._items[best[1]]
        return best[1], QPointF(self.mapFromScene(item.pos()))

    def _restore_anchor(self, key: str, where: QPointF) -> None:
        item = self._items.get(key)
        if item is None:
            return
        now_at = QPointF(self.mapFromScene(item.pos()))
        shift = now_at - where
        bar = self.horizontalScrollBar()
        bar.setValue(bar.value() + round(shift.x()))
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + round(shift.y()))

    def _reveal_now(self) -> None:
        if not self.isVisible():
            self._reveal_pending = True
            return
        self._reveal_pending = False
        self.verticalScrollBar().setValue(self.verticalScrollBar().minimum())
        target = self._now_item()
        if target is None and self._layout.columns:
            target = self._items[self._layout.columns[-1]]
        if target is not None:
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().minimum())
            self.ensureVisible(target.sceneBoundingRect(), int(COLUMN_WIDTH / 2), 0)

    # --- selection -----------------------------------------------------------------------

    def _scene_selection_changed(self) -> None:
        if not self._muted:
            self._emit_selection()

    def _emit_selection(self) -> None:
        keys = self.selected_keys()
        if keys != self._last_selection:
            self._last_selection = keys
            self.selectionChangedKeys.emit(keys)

    def _set_current(self, key: str | None) -> None:
        previous = self._items.get(self._style.current_key or "")
        self._style.current_key = key
        if previous is not None:
            previous.update()
        if key is not None:
            self._items[key].update()

    def _range(self, first: str, last: str) -> list[str]:
        """Along the branch when one is an ancestor of the other, else by time."""
        lay = self._layout
        if lay.is_ancestor(first, last) or lay.is_ancestor(last, first):
            older, newer = ((first, last) if lay.positions[first].column
                            <= lay.positions[last].column else (last, first))
            path: list[str] = []
            walk: str | None = newer
            while walk is not None:
                path.append(walk)
                if walk == older:
                    break
                walk = lay.parents[walk]
            return [k for k in path if self._items[k].selectable]
        lo, hi = sorted((lay.positions[first].column, lay.positions[last].column))
        return [k for k in lay.columns[lo:hi + 1] if self._items[k].selectable]

    def _select(self, key: str, modifiers: Qt.KeyboardModifier, *, toggle_key: bool) -> None:
        """Apply a click (or keyboard move) on ``key`` with the usual modifier rules."""
        shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
        ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
        self._muted += 1
        try:
            if shift and self._anchor_key in self._items:
                assert self._anchor_key is not None
                if not ctrl:
                    self.scene().clearSelection()
                for k in self._range(self._anchor_key, key):
                    self._items[k].setSelected(True)
            elif ctrl:
                if toggle_key:
                    item = self._items[key]
                    item.setSelected(not item.isSelected())
                self._anchor_key = key
            else:
                self.scene().clearSelection()
                self._items[key].setSelected(True)
                self._anchor_key = key
        finally:
            self._muted -= 1
        self._set_current(key)
        self._emit_selection()

    # --- mouse ---------------------------------------------------------------------------

    def _node_at(self, pos: QPoint) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def _now_item(self) -> NodeItem | None:
        key = self._layout.now_key
        return self._items.get(key) if key is not None else None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        pos = event.position().toPoint()
        item = self._node_at(pos)
        if event.button() == Qt.MouseButton.LeftButton:
            if item is not None and item.node.kind == NOW:
                self._drag = _NowDrag(start=pos)
                event.accept()
                return
            if item is not None and item.selectable:
                self._select(item.key, event.modifiers(), toggle_key=True)
                event.accept()
                return
            if item is not None:  # Base: like a click on empty space, minus the rubber band
                if not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
                    self.scene().clearSelection()
                event.accept()
                return
            super().mousePressEvent(event)
            return
        if event.button() == Qt.MouseButton.RightButton:
            if item is not None and item.selectable and not item.isSelected():
                self._select(item.key, Qt.KeyboardModifier.NoModifier, toggle_key=False)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        drag = self._drag
        if drag is None:
            super().mouseMoveEvent(event)
            return
        pos = event.position().toPoint()
        if not drag.active:
            if (pos - drag.start).manhattanLength() < QApplication.startDragDistance():
                return
            drag.active = True
        self._autoscroll(pos)
        drag.scene_pos = self.mapToScene(pos)
        target = self._node_at(pos)
        drop = target.key if target is not None and target.selectable else None
        if drop != self._style.drop_key:
            for key in (self._style.drop_key, drop):
                if key in self._items:
                    self._items[key].update()
            self._style.drop_key = drop
        self.viewport().setCursor(Qt.CursorShape.DragMoveCursor if drop
                                  else Qt.CursorShape.ForbiddenCursor)
        self.viewport().update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        drag = self._drag
        if drag is None:
            super().mouseReleaseEvent(event)
            event.accept()  # the press was ours (a node) or the rubber band's
            return
        drop = self._style.drop_key if drag.active else None
        self._end_drag()
        if drop is not None:
            self.nowDroppedOn.emit(drop)
        elif not drag.active and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.scene().clearSelection()  # a plain click on Now, like one on empty space
        event.accept()

    def _end_drag(self) -> None:
        previous = self._style.drop_key
        self._drag = None
        self._style.drop_key = None
        if previous in self._items:
            self._items[previous].update()
        self.viewport().unsetCursor()
        self.viewport().update()

    def _autoscroll(self, pos: QPoint) -> None:
        area = self.viewport().rect()
        edge = 24
        for bar, value, low, high in (
            (self.horizontalScrollBar(), pos.x(), area.left(), area.right()),
            (self.verticalScrollBar(), pos.y(), area.top(), area.bottom()),
        ):
            if value < low + edge:
                bar.setValue(bar.value() - bar.singleStep())
            elif value > high - edge:
                bar.setValue(bar.value() + bar.singleStep())

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt override
        item = self._node_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and item is not None and item.selectable:
            self.activated.emit(item.key)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802 - Qt override
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            key = self._style.current_key
            item = self._items.get(key) if key else None
            if item is None:
                selected = self.selected_keys()
                item = self._items[selected[-1]] if selected else None
            if item is not None:
                self.ensureVisible(item, 20, 20)
                global_pos = self.viewport().mapToGlobal(self.mapFromScene(item.pos()))
            else:
                global_pos = self.viewport().mapToGlobal(self.viewport().rect().center())
        else:
            item = self._node_at(event.pos())
            global_pos = event.globalPos()
        self.contextMenuRequested.emit(item.key if item is not None else None, global_pos)
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt override
        delta = event.angleDelta()
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = delta.y() / 120.0
            if steps:
                self._set_zoom(self._zoom * self.ZOOM_STEP ** steps)
            event.accept()
            return
        vertical = self.verticalScrollBar()
        if delta.x() == 0 and (event.modifiers() & Qt.KeyboardModifier.ShiftModifier
                               or vertical.maximum() == vertical.minimum()):
            # A timeline is wide: a plain wheel scrolls sideways when there is no height.
            bar = self.horizontalScrollBar()
            bar.setValue(bar.value() - delta.y())
            event.accept()
            return
        super().wheelEvent(event)

    # --- keyboard ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        key = Qt.Key(event.key())
        mods = event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if event.matches(QKeySequence.StandardKey.ZoomIn) or (
                ctrl and key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal)):
            self.zoom_in()
        elif event.matches(QKeySequence.StandardKey.ZoomOut) or (ctrl and key == Qt.Key.Key_Minus):
            self.zoom_out()
        elif ctrl and key == Qt.Key.Key_0:
            self.reset_zoom()
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            self._replace_selection((k for k in self._layout.columns
                                     if self._items[k].selectable), reveal=False)
        elif key == Qt.Key.Key_Escape and self._drag is not None:
            self._end_drag()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = self._style.current_key
            if current is not None and self._items[current].selectable:
                self.activated.emit(current)
        elif key == Qt.Key.Key_Space and self._style.current_key is not None:
            self._select(self._style.current_key, mods & ~Qt.KeyboardModifier.ShiftModifier,
                         toggle_key=True)
        elif key in _MOVES:
            target = self._neighbour(_MOVES[key])
            if target is not None:
                # Ctrl moves the focus only; Space then toggles (as in Qt's item views).
                if not ctrl or mods & Qt.KeyboardModifier.ShiftModifier:
                    self._select(target, mods, toggle_key=False)
                else:
                    self._set_current(target)
                self.ensureVisible(self._items[target], int(COLUMN_WIDTH / 2), 20)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _selectable(self, key: str | None) -> bool:
        return key is not None and key in self._items and self._items[key].selectable

    def _neighbour(self, move: str) -> str | None:
        lay = self._layout
        snapshots = [k for k in lay.columns if self._items[k].selectable]
        if not snapshots:
            return None
        current = self._style.current_key
        if not self._selectable(current):
            selected = self.selected_keys()
            if selected:
                return selected[-1]
            now = lay.now_key
            parent = lay.parents.get(now) if now else None
            return parent if self._selectable(parent) else snapshots[-1]
        assert current is not None
        if move == "first":
            return snapshots[0]
        if move == "last":
            return snapshots[-1]
        if move == "parent":
            parent = lay.parents[current]
            return parent if self._selectable(parent) else None
        if move == "child":
            return next((k for k in lay.children[current] if self._selectable(k)), None)
        parent = lay.parents[current]
        if parent is not None:
            siblings = [k for k in lay.children[parent] if self._selectable(k)]
            index = siblings.index(current) + (1 if move == "down" else -1)
            if 0 <= index < len(siblings):
                return siblings[index]
        return self._nearest_in_next_row(current, 1 if move == "down" else -1)

    def _nearest_in_next_row(self, key: str, direction: int) -> str | None:
        here = self._layout.positions[key]
        best: tuple[int, int, str] | None = None
        for other, pos in self._layout.positions.items():
            step = (pos.row - here.row) * direction
            if step <= 0 or not self._items[other].selectable:
                continue
            candidate = (step, abs(pos.column - here.column), other)
            if best is None or candidate < best:
                best = candidate
        return best[2] if best else None

    # --- zoom ----------------------------------------------------------------------------

    def _zoom_about_centre(self, factor: float) -> None:
        previous = self.transformationAnchor()
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self._set_zoom(factor)
        self.setTransformationAnchor(previous)

    def _set_zoom(self, factor: float) -> None:
        factor = min(self.MAX_ZOOM, max(self.MIN_ZOOM, factor))
        if abs(factor - self._zoom) < 1e-9:
            return
        self.scale(factor / self._zoom, factor / self._zoom)
        self._zoom = factor
        self._band.update()

    # --- painting and housekeeping -------------------------------------------------------

    def _make_style(self) -> GraphStyle:
        font = QFont(self.font())
        small = QFont(font)
        small.setPointSizeF(max(6.0, font.pointSizeF() - 1))
        bold = QFont(font)
        bold.setBold(True)
        return GraphStyle(Theme.from_palette(self.palette()), font, small, bold)

    def _restyle(self) -> None:
        old = self._style
        self._style = self._make_style()
        for name in ("busy", "busy_caption", "spinner_angle", "current_key", "show_focus",
                     "drop_key", "thumbnails"):
            setattr(self._style, name, getattr(old, name))
        for item in self._items.values():
            item.graph_style = self._style  # the items share the view's style
            item.prepareGeometryChange()
            item.refresh_text()
        for edge in self._edges.values():
            edge.apply_theme(self._style.theme)
        self.setBackgroundBrush(self._style.theme.background)
        self.setViewportMargins(0, self._band.preferred_height(), 0, 0)
        self._place_band()
        self._band.update()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        if getattr(self, "_band", None) is not None and event.type() in (
                QEvent.Type.PaletteChange, QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._restyle()
        super().changeEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self._style.show_focus = True
        self._refresh_current()
        super().focusInEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        self._style.show_focus = False
        self._refresh_current()
        super().focusOutEvent(event)

    def _refresh_current(self) -> None:
        key = self._style.current_key
        if key in self._items:
            self._items[key].update()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._place_band()
        if self._reveal_pending:
            self._reveal_now()

    def _place_band(self) -> None:
        viewport = self.viewport().geometry()
        height = self._band.preferred_height()
        self._band.setGeometry(viewport.left(), viewport.top() - height, viewport.width(), height)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._reveal_pending:
            self._reveal_now()

    def scrollContentsBy(self, dx: int, dy: int) -> None:  # noqa: N802 - Qt override
        super().scrollContentsBy(dx, dy)
        if dx:
            self._band.update()
            if self._layout.tree_starts:
                self.viewport().update()

    def _spin(self) -> None:
        self._style.spinner_angle = (self._style.spinner_angle + SPINNER_STEP) % 360
        now = self._now_item()
        if now is not None:
            now.update()

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        rect = QRectF(rect)
        painter.fillRect(rect, self._style.theme.background)
        theme = self._style.theme
        pen = QPen(theme.day_line, 0)  # cosmetic: one pixel at any zoom
        painter.setPen(pen)
        first = max(0, int(rect.left() // COLUMN_WIDTH))
        last = int(rect.right() // COLUMN_WIDTH) + 1
        start = bisect.bisect_left(self._mark_columns, first)
        stop = bisect.bisect_right(self._mark_columns, last)
        top = max(rect.top(), -SCENE_MARGIN / 2)
        bottom = min(rect.bottom(), self.sceneRect().bottom())
        for mark in self._marks[start:stop]:
            x = mark.column * COLUMN_WIDTH
            painter.drawLine(QPointF(x, top), QPointF(x, bottom))
        if self._layout.tree_starts:
            self._draw_tree_separators(painter, rect)

    def _draw_tree_separators(self, painter: QPainter, rect: QRectF) -> None:
        theme = self._style.theme
        pen = QPen(theme.band_line, 0, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setFont(self._style.small_font)
        height = QFontMetricsF(self._style.small_font).height()
        # The caption follows the left edge of the view (scrollContentsBy repaints it).
        left = self._visible_scene_rect().left() + 6 / self._zoom
        for row in self._layout.tree_starts:
            y = row * LANE_HEIGHT
            painter.drawLine(QPointF(rect.left(), y), QPointF(rect.right(), y))
            painter.setPen(theme.dim_text)
            painter.drawText(
                QPointF(left, y + height),
                translate("SnapshotGraphView", "Snapshots without a known parent"),
            )
            painter.setPen(pen)

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802
        if self._show_empty_hint():
            painter.setPen(self._style.theme.dim_text)
            painter.setFont(self._style.font)
            area = QRectF(COLUMN_WIDTH / 4, self._layout.row_count * LANE_HEIGHT,
                          max(self._layout.column_count, 1) * COLUMN_WIDTH + 400, LANE_HEIGHT / 2)
            painter.drawText(area, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             self._empty_text or translate(
                                 "SnapshotGraphView",
                                 "No snapshots yet. Take a snapshot to start the tree."))
        drag = self._drag
        if drag is not None and drag.active and drag.scene_pos is not None:
            painter.setOpacity(0.6)
            ghost = QRectF(drag.scene_pos.x() - ICON_SIZE / 2, drag.scene_pos.y() - ICON_SIZE / 2,
                           ICON_SIZE, ICON_SIZE)
            paint_glyph(painter, ghost, NOW, self._style.theme.glyphs)
            painter.setOpacity(1.0)

    # --- band support --------------------------------------------------------------------

    def _band_marks(self) -> tuple[list[DayMark], int]:
        """The day marks and the index of the first one right of the viewport's left edge."""
        left = self.mapToScene(QPoint(0, 0)).x()
        first_visible = bisect.bisect_left(self._mark_columns, int(left // COLUMN_WIDTH) + 1)
        return self._marks, first_visible

    def _column_x(self, column: int) -> float:
        return float(self.mapFromScene(QPointF(column * COLUMN_WIDTH, 0)).x())


_MOVES = {
    Qt.Key.Key_Left: "parent",
    Qt.Key.Key_Right: "child",
    Qt.Key.Key_Up: "up",
    Qt.Key.Key_Down: "down",
    Qt.Key.Key_Home: "first",
    Qt.Key.Key_End: "last",
}


class _TimeBand(QWidget):
    """Dates above the graph, aligned to the columns where a new day starts; the
    current day's label sticks to the left edge while its columns are in view."""

    def __init__(self, view: SnapshotGraphView) -> None:
        super().__init__(view)
        self._view = view
        self.setObjectName("snapshotTimeBand")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def preferred_height(self) -> int:
        return int(QFontMetricsF(self.font()).height() + 12)

    def _label(self, mark: DayMark, *, form: str = "") -> str:
        """The label of ``mark``: in the form its place in the calendar asks for, or in
        ``form`` ("full", "year", "month" or "day")."""
        day = QDate(mark.day.year, mark.day.month, mark.day.day)
        form = form or ("year" if mark.new_year else "month" if mark.new_month else "day")
        if form == "full":
            pattern = translate("SnapshotGraphView",
                                "ddd d MMM yyyy")  # QDate format: the day pinned at the left
        elif form == "year":
            pattern = translate("SnapshotGraphView",
                                "d MMM yyyy")  # QDate format: the first day of a year
        elif form == "month":
            pattern = translate("SnapshotGraphView",
                                "d MMM")  # QDate format: the first day of a month
        else:
            pattern = translate("SnapshotGraphView", "ddd d")  # QDate format: any other day
        return QLocale().toString(day, pattern)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        view = self._view
        theme = view._style.theme
        painter = QPainter(self)
        painter.fillRect(self.rect(), theme.band)
        painter.setPen(QPen(theme.band_line, 1))
        painter.drawLine(0, self.height() - 1, self.width(), self.height() - 1)
        marks, first = view._band_marks()
        if not marks:
            return
        plain = QFont(self.font())
        bold = QFont(plain)
        bold.setBold(True)
        baseline = self.height() / 2 + QFontMetricsF(plain).ascent() / 2 - 1
        visible: list[tuple[float, DayMark]] = []
        for mark in marks[first:]:
            x = view._column_x(mark.column)
            if x > self.width():
                break
            visible.append((x, mark))
            tick = 8 if mark.new_month else 5
            painter.drawLine(round(x), self.height() - tick, round(x), self.height() - 1)

        taken = _Spans()
        painter.setPen(theme.band_text)
        if first > 0:
            # The day already under way at the left edge stays named there, as fully as
            # the room before the next day's label allows, until that label pushes it out.
            room = visible[0][0] - 20 if visible else float(self.width())
            metrics = QFontMetricsF(bold)
            for form in ("full", "year", "month", "day"):
                text = self._label(marks[first - 1], form=form)
                if metrics.horizontalAdvance(text) <= room:
                    break
            width = metrics.horizontalAdvance(text)
            x = 6.0 if not visible else min(6.0, visible[0][0] - width - 14)
            painter.setFont(bold)
            painter.drawText(QPointF(x, baseline), text)
            taken.add(x, x + width)
        # Month starts get their labels first; other days fill the room that is left.
        for wanted in (True, False):
            for x, mark in visible:
                if mark.new_month != wanted:
                    continue
                text = self._label(mark)
                font = bold if mark.new_month else plain
                left = x + 5
                right = left + QFontMetricsF(font).horizontalAdvance(text)
                if taken.overlaps(left - 8, right + 8):
                    continue  # too crowded at this zoom: the tick stays, the label goes
                painter.setFont(font)
                painter.drawText(QPointF(left, baseline), text)
                taken.add(left, right)


class _Spans:
    """Disjoint horizontal spans, for placing labels that must not overlap."""

    def __init__(self) -> None:
        self._lefts: list[float] = []
        self._rights: list[float] = []

    def overlaps(self, left: float, right: float) -> bool:
        i = bisect.bisect_left(self._lefts, left)
        if i < len(self._lefts) and self._lefts[i] <= right:
            return True
        return i > 0 and self._rights[i - 1] >= left

    def add(self, left: float, right: float) -> None:
        i = bisect.bisect_left(self._lefts, left)
        self._lefts.insert(i, left)
        self._rights.insert(i, right)
