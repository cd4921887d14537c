"""SnapshotGraphView: items, Now placement, selection, keyboard, zoom, drag to revert,
keeping the user's place across updates, and rendered screenshots of real-sized trees."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QLocale, QPoint, QPointF, Qt, QTime
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QImage,
    QPalette,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from xsnap_gui.simulator.generate import VNC_SNAPSHOT_JPEG
from xsnap_gui.ui.snapshot_graph import GraphNode, SnapshotGraphView, samples
from xsnap_gui.ui.snapshot_graph.items import ICON_SIZE, EdgeItem, NodeItem
from xsnap_gui.ui.snapshot_graph.layout import (
    BASE,
    DISK,
    DISK_AND_MEMORY,
    NOW,
    SCHEDULED,
)

SHOTS = Path("/tmp/xsnap-shots")
T0 = datetime(2025, 6, 2, 8, 30, tzinfo=UTC)
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LEFT = Qt.MouseButton.LeftButton


def at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def small_tree() -> list[GraphNode]:
    """Base → a → b (checkpoint with screenshot) → c (scheduled) → Now, and a dead
    branch a → x → y left behind by a revert, plus a second one off b."""
    return [
        GraphNode(BASE, None, "db-server-01", None, BASE, tooltip="db-server-01"),
        GraphNode("a", BASE, "fresh install", at(0), DISK),
        GraphNode("x", "a", "trying kernel 6.9 (abandoned after boot loop)", at(5), DISK),
        GraphNode("y", "x", "kernel 6.9 + patches", at(7), DISK),
        GraphNode("b", "a", "before PostgreSQL 17 upgrade", at(26), DISK_AND_MEMORY,
                  tooltip="Taken by alice", thumbnail=VNC_SNAPSHOT_JPEG),
        GraphNode("z", "b", "pg17 first attempt", at(28), DISK_AND_MEMORY),
        GraphNode("c", "b", "daily-20250603-0300", at(42.5), SCHEDULED),
        GraphNode(NOW, "c", "Now", at(60), NOW),
    ]


@pytest.fixture
def view(qtbot: QtBot) -> SnapshotGraphView:
    widget = SnapshotGraphView()
    qtbot.addWidget(widget)
    widget.resize(1280, 520)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def nodes_in(view: SnapshotGraphView) -> dict[str, NodeItem]:
    return {i.key: i for i in view.scene().items() if isinstance(i, NodeItem)}


def point(view: SnapshotGraphView, key: str) -> QPoint:
    where = view.viewport_point(key)
    assert where is not None
    assert view.viewport().rect().contains(where), f"{key} is not in view"
    return where


def click(qtbot: QtBot, view: SnapshotGraphView, key: str,
          modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.mouseClick(view.viewport(), LEFT, modifiers, point(view, key))


def save_shot(image: QImage, tmp_path: Path, name: str) -> None:
    assert not image.isNull()
    assert image.save(str(tmp_path / name))
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert image.save(str(SHOTS / name))


def colour_pixels(image: QImage, colour: QColor, tolerance: int = 30) -> int:
    """How many pixels (sampled on a 3-px grid) are close to ``colour``."""
    hits = 0
    for y in range(0, image.height(), 3):
        for x in range(0, image.width(), 3):
            c = image.pixelColor(x, y)
            if (abs(c.red() - colour.red()) + abs(c.green() - colour.green())
                    + abs(c.blue() - colour.blue())) <= tolerance:
                hits += 1
    return hits


# --- building --------------------------------------------------------------------------


def test_object_name_and_one_item_per_node_and_edge(view: SnapshotGraphView) -> None:
    nodes = small_tree()
    view.set_nodes(nodes)
    assert view.objectName() == "snapshotTree"
    assert set(nodes_in(view)) == {n.key for n in nodes}
    edges = [i for i in view.scene().items() if isinstance(i, EdgeItem)]
    assert len(edges) == len(nodes) - 1
    assert sum(e.main for e in edges) == 4  # base-a, a-b, b-c, c-Now
    # Only snapshots take part in the selection.
    items = nodes_in(view)
    assert not items[BASE].selectable and not items[NOW].selectable
    assert all(items[k].selectable for k in "abcxyz")


def test_now_is_placed_under_its_parent(view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    lay = view.graph_layout()
    assert lay.parents[NOW] == "c"
    items = nodes_in(view)
    assert items[NOW].pos().y() == items["c"].pos().y() == items[BASE].pos().y()
    assert items[NOW].pos().x() > items["c"].pos().x()
    # Dead branches hang below the Now path.
    assert items["x"].pos().y() > items["a"].pos().y()
    assert items["z"].pos().y() > items["b"].pos().y()


def test_thumbnail_replaces_the_icon(view: SnapshotGraphView) -> None:
    nodes = small_tree()
    nodes.append(GraphNode("broken", "z", "bad screenshot", at(30), DISK_AND_MEMORY,
                           thumbnail=b"not a jpeg"))
    view.set_nodes(nodes)
    items = nodes_in(view)
    assert items["b"].icon_rect().width() > ICON_SIZE  # a 4:3 screenshot, not an icon
    assert items["z"].icon_rect().width() == ICON_SIZE
    assert items["broken"].icon_rect().width() == ICON_SIZE  # undecodable: the icon stays
    assert not view.viewport().grab().isNull()


def test_times_follow_the_chosen_zone(view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    def short(hour: int, minute: int) -> str:
        return QLocale().toString(QTime(hour, minute), QLocale.FormatType.ShortFormat)

    view.set_time_zone(UTC)
    assert nodes_in(view)["a"].time_text == short(8, 30)
    view.set_time_zone(timezone(timedelta(hours=-5)))
    assert nodes_in(view)["a"].time_text == short(3, 30)


def hover_tooltip(view: SnapshotGraphView, key: str) -> str:
    """What a mouse resting on node ``key`` would show (the view writes it on demand)."""
    view.centerOn(nodes_in(view)[key])
    where = point(view, key)
    event = QHelpEvent(QEvent.Type.ToolTip, where, view.viewport().mapToGlobal(where))
    view.viewportEvent(event)
    return nodes_in(view)[key].toolTip()


def test_tooltips_carry_the_full_name_and_model_text(view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    items = nodes_in(view)
    assert items["x"].toolTip() == ""  # not built until someone hovers
    assert "trying kernel 6.9 (abandoned after boot loop)" in hover_tooltip(view, "x")
    assert items["x"].elided != items["x"].node.label  # shown elided under the icon
    assert "Taken by alice" in hover_tooltip(view, "b")
    assert "Drag onto a snapshot" in hover_tooltip(view, NOW)
    assert view.node_tooltip("b") == items["b"].toolTip()


def test_five_hundred_nodes_build(view: SnapshotGraphView) -> None:
    nodes = samples.history(500, seed=3, thumbnail=VNC_SNAPSHOT_JPEG)
    started = time.perf_counter()
    view.set_nodes(nodes)
    built = time.perf_counter() - started
    started = time.perf_counter()
    view.viewport().grab()
    painted = time.perf_counter() - started
    print(f"\n500 snapshots: set_nodes {built * 1000:.0f} ms, first paint {painted * 1000:.0f} ms")
    assert len(nodes_in(view)) == len(nodes)
    assert view.viewport().rect().contains(point(view, NOW))


def test_empty_tree_and_clearing(view: SnapshotGraphView) -> None:
    view.set_nodes([GraphNode(BASE, None, "vm", None, BASE), GraphNode(NOW, None, "Now",
                                                                       at(1), NOW)])
    assert view.graph_layout().parents[NOW] == BASE
    view.set_nodes([])
    assert nodes_in(view) == {}
    assert view.selected_keys() == []


# --- selection -------------------------------------------------------------------------


def test_click_ctrl_click_and_shift_click(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    with qtbot.waitSignal(view.selectionChangedKeys) as blocker:
        click(qtbot, view, "b")
    assert blocker.args == [["b"]]
    with qtbot.waitSignal(view.selectionChangedKeys) as blocker:
        click(qtbot, view, "y", CTRL)
    assert blocker.args == [["y", "b"]]  # oldest first
    click(qtbot, view, "b", CTRL)
    assert view.selected_keys() == ["y"]
    # Shift extends along the branch when one end is an ancestor of the other...
    click(qtbot, view, "a")
    click(qtbot, view, "c", SHIFT)
    assert view.selected_keys() == ["a", "b", "c"]
    # ...and by time otherwise.
    click(qtbot, view, "y")
    click(qtbot, view, "z", SHIFT)
    assert view.selected_keys() == ["y", "b", "z"]


def test_base_and_now_are_never_selected(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    click(qtbot, view, "a")
    click(qtbot, view, BASE)
    assert view.selected_keys() == []
    view.select_keys(["a", BASE, NOW, "OpaqueRef:unknown", "c"])
    assert view.selected_keys() == ["a", "c"]
    click(qtbot, view, NOW)
    assert view.selected_keys() == []


def test_click_on_empty_space_clears(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    view.select_keys(["a", "b"])
    empty = view.viewport().rect().bottomLeft() + QPoint(30, -30)
    with qtbot.waitSignal(view.selectionChangedKeys) as blocker:
        qtbot.mouseClick(view.viewport(), LEFT, Qt.KeyboardModifier.NoModifier, empty)
    assert blocker.args == [[]]


def test_rubber_band_selects_snapshots_only(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    top_left = view.viewport().rect().topLeft() + QPoint(2, 2)
    bottom_right = point(view, "b") + QPoint(10, 10)
    qtbot.mousePress(view.viewport(), LEFT, pos=top_left)
    qtbot.mouseMove(view.viewport(), (top_left + bottom_right) / 2)
    qtbot.mouseMove(view.viewport(), bottom_right)
    qtbot.mouseRelease(view.viewport(), LEFT, pos=bottom_right)
    assert view.selected_keys() == ["a", "b"]


def test_select_keys_api_emits_once(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    received: list[list[str]] = []
    view.selectionChangedKeys.connect(received.append)
    view.select_keys(["c", "a"])
    assert view.selected_keys() == ["a", "c"]
    view.select_keys(["a", "c"])  # no change, no signal
    assert received == [["a", "c"]]


def test_keyboard_moves_along_parent_child_and_sibling(qtbot: QtBot,
                                                      view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    view.setFocus()
    view.select_keys(["b"])
    qtbot.keyClick(view, Qt.Key.Key_Left)
    assert view.selected_keys() == ["a"]
    qtbot.keyClick(view, Qt.Key.Key_Left)  # Base is not a snapshot: stay
    assert view.selected_keys() == ["a"]
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the child on a's own lane
    assert view.selected_keys() == ["b"]
    qtbot.keyClick(view, Qt.Key.Key_Down)  # b's sibling x, on the lane below
    assert view.selected_keys() == ["x"]
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.selected_keys() == ["b"]
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.selected_keys() == ["c"]
    qtbot.keyClick(view, Qt.Key.Key_Left, SHIFT)
    qtbot.keyClick(view, Qt.Key.Key_Left, SHIFT)
    assert view.selected_keys() == ["a", "b", "c"]
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.selected_keys() == ["a"]
    # Ctrl moves the focus only; Ctrl+Space toggles the focused node.
    qtbot.keyClick(view, Qt.Key.Key_Right, CTRL)
    qtbot.keyClick(view, Qt.Key.Key_Space, CTRL)
    assert view.selected_keys() == ["a", "b"]
    with qtbot.waitSignal(view.activated) as blocker:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert blocker.args == ["b"]
    qtbot.keyClick(view, Qt.Key.Key_A, CTRL)
    assert view.selected_keys() == ["a", "x", "y", "b", "z", "c"]


def test_double_click_activates(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    with qtbot.waitSignal(view.activated) as blocker:
        qtbot.mouseDClick(view.viewport(), LEFT, pos=point(view, "x"))
    assert blocker.args == ["x"]


def test_context_menu_requests(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    view.select_keys(["a"])
    where = point(view, "c")
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where,
                              view.viewport().mapToGlobal(where))
    qtbot.mousePress(view.viewport(), Qt.MouseButton.RightButton, pos=where)
    with qtbot.waitSignal(view.contextMenuRequested) as blocker:
        QApplication.sendEvent(view.viewport(), event)
    assert blocker.args[0] == "c"
    assert blocker.args[1] == view.viewport().mapToGlobal(where)
    assert view.selected_keys() == ["c"]  # right-click selects what it hits
    empty = view.viewport().rect().bottomRight() - QPoint(40, 40)
    with qtbot.waitSignal(view.contextMenuRequested) as blocker:
        QApplication.sendEvent(view.viewport(), QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, empty, view.viewport().mapToGlobal(empty)))
    assert blocker.args[0] is None


# --- keeping the user's place --------------------------------------------------------------


def test_selection_and_scroll_survive_an_update(qtbot: QtBot, view: SnapshotGraphView) -> None:
    nodes = samples.history(80, seed=4)
    view.set_nodes(nodes, keep_view=False)
    bar = view.horizontalScrollBar()
    bar.setValue(bar.maximum() // 2)
    visible = view.mapToScene(view.viewport().rect()).boundingRect()
    chosen = [i.key for i in nodes_in(view).values() if i.selectable
              and visible.contains(i.pos())][:3]
    assert chosen
    view.select_keys(chosen)
    selected = view.selected_keys()
    h_before, v_before = bar.value(), view.verticalScrollBar().value()
    points_before = {k: view.viewport_point(k) for k in chosen}

    # A new snapshot arrives: the old head gets a child and Now moves under it.
    head = next(n for n in nodes if n.kind == NOW).parent
    newest = GraphNode("OpaqueRef:new", head, "just taken", at(24 * 400), DISK)
    updated = [n for n in nodes if n.kind != NOW]
    updated += [newest, GraphNode(NOW, newest.key, "Now", at(24 * 401), NOW)]
    with qtbot.assertNotEmitted(view.selectionChangedKeys):
        view.set_nodes(updated)
    assert view.selected_keys() == selected
    assert bar.value() == h_before
    assert view.verticalScrollBar().value() == v_before
    assert {k: view.viewport_point(k) for k in chosen} == points_before
    assert len(nodes_in(view)) == len(updated)

    # The same keys again (say, a rename) change nothing either.
    renamed = [GraphNode(n.key, n.parent, n.label + " (renamed)", n.time, n.kind)
               if n.key == chosen[0] else n for n in updated]
    with qtbot.assertNotEmitted(view.selectionChangedKeys):
        view.set_nodes(renamed)
    assert view.selected_keys() == selected and bar.value() == h_before
    assert nodes_in(view)[chosen[0]].node.label.endswith("(renamed)")


def test_deleted_selection_is_reported(qtbot: QtBot, view: SnapshotGraphView) -> None:
    nodes = small_tree()
    view.set_nodes(nodes)
    view.select_keys(["x", "y"])
    with qtbot.waitSignal(view.selectionChangedKeys) as blocker:
        view.set_nodes([n for n in nodes if n.key != "y"])
    assert blocker.args == [["x"]]


def test_a_new_vm_resets_the_view(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(samples.history(80, seed=4))
    view.horizontalScrollBar().setValue(0)
    view.select_keys(["OpaqueRef:snap-00003"])
    with qtbot.waitSignal(view.selectionChangedKeys):
        view.set_nodes(samples.history(90, seed=8), keep_view=False)
    assert view.selected_keys() == []
    assert view.viewport().rect().contains(point(view, NOW))


# --- zoom ----------------------------------------------------------------------------------


def test_zoom_api_keys_and_wheel(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    assert view.transform().m11() == pytest.approx(1.0)
    view.zoom_in()
    assert view.transform().m11() == pytest.approx(view.ZOOM_STEP)
    view.zoom_out()
    view.zoom_out()
    assert view.transform().m11() == pytest.approx(1 / view.ZOOM_STEP)
    view.reset_zoom()
    assert view.transform().m11() == pytest.approx(1.0)

    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Minus, CTRL)
    assert view.zoom() < 1.0
    qtbot.keyClick(view, Qt.Key.Key_0, CTRL)
    assert view.zoom() == pytest.approx(1.0)
    qtbot.keyClick(view, Qt.Key.Key_Equal, CTRL)
    assert view.zoom() > 1.0
    view.reset_zoom()

    centre = QPointF(view.viewport().rect().center())
    wheel = QWheelEvent(centre, QPointF(view.viewport().mapToGlobal(centre.toPoint())),
                        QPoint(), QPoint(0, 120), Qt.MouseButton.NoButton, CTRL,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.zoom() == pytest.approx(view.ZOOM_STEP)
    for _ in range(40):
        view.zoom_out()
    assert view.zoom() == pytest.approx(view.MIN_ZOOM)
    view.zoom_to_fit()
    assert view.MIN_ZOOM <= view.zoom() <= view.MAX_ZOOM


# --- busy and drag to revert -------------------------------------------------------------


def test_busy_now_animates(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree(), now_busy=True)
    assert view.is_busy()
    rect = nodes_in(view)[NOW].sceneBoundingRect()
    area = view.mapFromScene(rect).boundingRect()
    first = view.viewport().grab(area).toImage()
    # The spinner turns (waits for the timer, however loaded the machine is).
    qtbot.waitUntil(lambda: view.viewport().grab(area).toImage() != first, timeout=5000)
    view.set_busy(False)
    assert not view.is_busy()
    third = view.viewport().grab(area).toImage()
    qtbot.wait(200)
    assert view.viewport().grab(area).toImage() == third


def test_dragging_now_onto_a_snapshot_requests_a_revert(qtbot: QtBot,
                                                       view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    start, target = point(view, NOW), point(view, "x")
    with qtbot.waitSignal(view.nowDroppedOn) as blocker:
        qtbot.mousePress(view.viewport(), LEFT, pos=start)
        qtbot.mouseMove(view.viewport(), start + QPoint(-20, 10))
        qtbot.mouseMove(view.viewport(), (start + target) / 2)
        qtbot.mouseMove(view.viewport(), target)
        qtbot.mouseRelease(view.viewport(), LEFT, pos=target)
    assert blocker.args == ["x"]
    assert view.selected_keys() == []  # dragging is not selecting


def test_dropping_now_elsewhere_does_nothing(qtbot: QtBot, view: SnapshotGraphView) -> None:
    view.set_nodes(small_tree())
    start = point(view, NOW)
    with qtbot.assertNotEmitted(view.nowDroppedOn):
        for target in (point(view, BASE), view.viewport().rect().bottomRight() - QPoint(9, 9)):
            qtbot.mousePress(view.viewport(), LEFT, pos=start)
            qtbot.mouseMove(view.viewport(), (start + target) / 2)
            qtbot.mouseMove(view.viewport(), target)
            qtbot.mouseRelease(view.viewport(), LEFT, pos=target)
        qtbot.mousePress(view.viewport(), LEFT, pos=start)  # Escape cancels mid-drag
        qtbot.mouseMove(view.viewport(), point(view, "a"))
        qtbot.keyClick(view, Qt.Key.Key_Escape)
        qtbot.mouseRelease(view.viewport(), LEFT, pos=point(view, "a"))


# --- palette and screenshots -------------------------------------------------------------


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#2b2d31"),
                         (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1f22"),
                         (QPalette.ColorRole.AlternateBase, "#26282c"),
                         (QPalette.ColorRole.Text, "#e6e6e6"),
                         (QPalette.ColorRole.Button, "#33353a"),
                         (QPalette.ColorRole.ButtonText, "#e6e6e6"),
                         (QPalette.ColorRole.Highlight, "#3d8ee8"),
                         (QPalette.ColorRole.HighlightedText, "#ffffff")):
        palette.setColor(role, QColor(colour))
    return palette


def test_render_small_tree(view: SnapshotGraphView, tmp_path: Path) -> None:
    view.resize(1500, 430)
    view.set_nodes(small_tree(), keep_view=False)
    view.horizontalScrollBar().setValue(0)
    view.select_keys(["x"])
    view.clearFocus()
    image = view.grab().toImage()
    save_shot(image, tmp_path, "graph-small.png")
    accent = view.palette().color(QPalette.ColorRole.Highlight)
    assert colour_pixels(image, accent) > 100  # the highlighted Now path is there

    view.setPalette(dark_palette())
    view.set_busy(True, "Creating a snapshot…")
    dark = view.grab().toImage()
    save_shot(dark, tmp_path, "graph-small-dark.png")
    assert dark.pixelColor(5, dark.height() - 40) == QColor("#1e1f22")
    assert colour_pixels(dark, QColor("#3d8ee8")) > 100


def test_render_five_hundred(view: SnapshotGraphView, tmp_path: Path) -> None:
    view.resize(1500, 520)
    view.set_nodes(samples.history(500, seed=3, thumbnail=VNC_SNAPSHOT_JPEG, orphans=1),
                   keep_view=False)
    image = view.grab().toImage()
    save_shot(image, tmp_path, "graph-500.png")
    assert view.viewport().rect().contains(point(view, NOW))
    view.zoom_to_fit()
    view.resize(1500, 520)
    overview = view.grab().toImage()
    save_shot(overview, tmp_path, "graph-500-overview.png")
    assert overview != image


def test_render_deep_chain(view: SnapshotGraphView, tmp_path: Path) -> None:
    view.resize(1500, 300)
    view.set_nodes(samples.chain(28), keep_view=False)
    image = view.grab().toImage()
    save_shot(image, tmp_path, "graph-chain28.png")
    assert view.graph_layout().row_count == 1
    view.zoom_out()
    view.zoom_out()
    view.horizontalScrollBar().setValue(0)
    save_shot(view.grab().toImage(), tmp_path, "graph-chain28-zoomed-out.png")
