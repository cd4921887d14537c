"""SnapshotsTab against a served simulator: the tree and Now as the SDK sees them, the
scheduled-snapshots toggle, numeric size sorting, editing in the details panel, live
snapshots from elsewhere keeping the selection, the model tester, and screenshots."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QAction, QActionGroup, QFocusEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
)
from pytestqt.qtbot import QtBot

from tests.ui.livepool import PASSWORD, USER, LoopDriver, run, until
from tests.ui.qtloop import qasync_loop
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.classes import vm as sim_vm
from xsnap_gui.simulator.core import SimConfig, User
from xsnap_gui.simulator.faults import FailCall
from xsnap_gui.simulator.generate import DEFAULT_NOW, VNC_SNAPSHOT_JPEG
from xsnap_gui.ui.pool_session import PoolSession, ServerSpec
from xsnap_gui.ui.snapshot_details import SnapshotDetails
from xsnap_gui.ui.snapshot_format import SnapshotInfo
from xsnap_gui.ui.snapshot_list import (
    REF_ROLE,
    SORT_ROLE,
    Column,
    SnapshotFilterProxy,
    SnapshotListModel,
)
from xsnap_gui.ui.snapshots_tab import SnapshotsTab
from xsnap_gui.ui.thumbnails import ThumbnailCache

SHOTS = Path("/tmp/xsnap-shots")
SPEC = "hosts=3,vms=20,snapshots=4,schedules=3"
NULL = "OpaqueRef:NULL"
MiB = 1 << 20
GiB = 1 << 30
USERS = [User(USER, PASSWORD, "pool-admin"), User("reader", "pw-reader", "read-only")]


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def snap_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    with qasync_loop(qapp) as loop:
        yield loop


@pytest.fixture
def snap_sim() -> Iterator[RunningSimulator]:
    # A stopped clock: no schedule fires while a test looks. A fixed start too: the
    # generator places scheduled runs relative to "now", which changes the trees.
    running = start_simulator(generate=SPEC, seed=1, tls=False,
                              config=SimConfig(users=USERS, clock_speed=0,
                                               clock_start=DEFAULT_NOW,
                                               timezone="Asia/Tokyo"))
    yield running
    running.stop()


class Live(LoopDriver):
    """A connected session, the tab showing it, and the SDK on the side."""

    wait_timeout = 20.0
    settle_seconds = 0.1

    def __init__(self, loop: asyncio.AbstractEventLoop, sim: RunningSimulator,
                 session: PoolSession, tab: SnapshotsTab) -> None:
        super().__init__(loop)
        self.sim = sim
        self.session = session
        self.tab = tab
        self.sdk = XenAPI.Session(sim.url)
        self.sdk.xenapi.login_with_password(USER, PASSWORD, "2.21", "xsnap-tests")

    def vm(self, name: str) -> str:
        return str(self.sdk.xenapi.VM.get_by_name_label(name)[0])

    def show(self, name: str, *, scheduled: bool = True) -> str:
        ref = self.vm(name)
        self.tab.set_show_scheduled(scheduled)
        self.tab.set_vm(self.session, ref)
        return ref

    def keys(self) -> dict[str, str | None]:
        """Graph node key → parent key."""
        return {n.key: n.parent for n in self.tab.graph_nodes()}


def _start_live(loop: asyncio.AbstractEventLoop, sim: RunningSimulator, qtbot: QtBot,
                user: str = USER, password: str = PASSWORD) -> Iterator[Live]:
    session = PoolSession(ServerSpec("sim", sim.url, user, password, allow_plain_http=True))

    async def connect() -> None:
        session.start()
        await until(lambda: session.state.kind == "connected", 30)

    run(loop, connect(), 40)
    tab = SnapshotsTab()
    qtbot.addWidget(tab)
    tab.resize(1360, 640)
    tab.show()
    live = Live(loop, sim, session, tab)
    try:
        yield live
    finally:
        tab.set_vm(None, None)
        run(loop, session.stop(), 30)
        live.sdk.xenapi.session.logout()


@pytest.fixture
def live(snap_loop: asyncio.AbstractEventLoop, snap_sim: RunningSimulator,
         qtbot: QtBot) -> Iterator[Live]:
    yield from _start_live(snap_loop, snap_sim, qtbot)


# --- helpers --------------------------------------------------------------------------


def sdk_tree(live: Live, vm: str) -> tuple[dict[str, dict[str, Any]], str]:
    """The VM's snapshot records and VM.parent, straight from the server."""
    x = live.sdk.xenapi
    records = {ref: x.VM.get_record(ref) for ref in x.VM.get_snapshots(vm)}
    return records, str(x.VM.get_parent(vm))


def expected_parent(records: dict[str, dict[str, Any]], ref: str, *,
                    show_scheduled: bool) -> str:
    """The graph key a node hangs under: its nearest shown snapshot ancestor, else base."""
    parent = records[ref]["parent"] if ref in records else ref
    while parent in records:
        if show_scheduled or not records[parent]["is_vmss_snapshot"]:
            return parent
        parent = records[parent]["parent"]
    return "base"


def info(ref: str, name: str, size: int, *, minutes: int = 0, tags: tuple[str, ...] = (),
         description: str = "", scheduled: bool = False) -> SnapshotInfo:
    return SnapshotInfo(
        ref=ref, name=name, description=description, tags=tags,
        kind="scheduled" if scheduled else "disk", has_memory=False,
        time=dt.datetime(2025, 3, 1, 9, 0, tzinfo=dt.UTC) + dt.timedelta(minutes=minutes),
        size=size, power_state="Running", is_scheduled=scheduled, schedule_ref=None,
        schedule_name="", screenshot_blob=None, screenshot_inline="",
    )


def proxy_names(proxy: SnapshotFilterProxy) -> list[str]:
    return [proxy.index(row, Column.NAME).data() for row in range(proxy.rowCount())]


def list_selection(tab: SnapshotsTab) -> set[str]:
    return {i.data(REF_ROLE) for i in tab.list_view().selectionModel().selectedRows(0)}


# --- the tree as the server has it ---------------------------------------------------


@pytest.mark.parametrize("name", ["web-01", "log-01", "api-01", "git-01", "rds-02"])
def test_tree_and_now_match_the_sdk_on_branching_trees(live: Live, name: str) -> None:
    vm = live.show(name, scheduled=True)
    records, vm_parent = sdk_tree(live, vm)
    children: dict[str, int] = {}
    for rec in records.values():
        children[rec["parent"]] = children.get(rec["parent"], 0) + 1
    assert any(n > 1 for p, n in children.items() if p in records), "not a branching tree"

    keys = live.keys()
    assert set(keys) == set(records) | {"base", "now"}
    for ref in records:
        assert keys[ref] == expected_parent(records, ref, show_scheduled=True), ref
    assert keys["now"] == (vm_parent if vm_parent in records else "base")
    assert keys["base"] is None
    # The list shows the same snapshots.
    assert {i.ref for i in live.tab.list_model().snapshots()} == set(records)
    vm_name = live.sdk.xenapi.VM.get_name_label(vm)
    assert live.tab.findChild(QLabel, "snapshotVmName").text() == vm_name
    # Tooltips carry the pool's time (the simulated pool runs on Tokyo time, UTC+9).
    first = next(n for n in live.tab.graph_nodes() if n.key in records)
    tooltip = live.tab.graph_view().node_tooltip(first.key)
    assert "Pool time:" in tooltip and "UTC+09:00" in tooltip
    model = live.tab.list_model()
    created = model.index(model.row_of(first.key), Column.CREATED)
    assert "UTC+09:00" in created.data(Qt.ItemDataRole.ToolTipRole)


def test_show_scheduled_toggle_hides_them_and_reattaches_children(live: Live) -> None:
    vm = live.show("web-01", scheduled=True)
    records, vm_parent = sdk_tree(live, vm)
    scheduled = {r for r, rec in records.items() if rec["is_vmss_snapshot"]}
    # web-01 has scheduled snapshots with children under them, and Now below one.
    assert scheduled and any(rec["parent"] in scheduled for rec in records.values())

    toggle = live.tab.findChild(QCheckBox, "showScheduledToggle")
    assert toggle.isChecked()
    changes: list[bool] = []
    live.tab.showScheduledChanged.connect(changes.append)
    toggle.click()
    assert changes == [False] and not live.tab.show_scheduled()

    keys = live.keys()
    assert not scheduled & set(keys)
    for ref in set(records) - scheduled:
        assert keys[ref] == expected_parent(records, ref, show_scheduled=False), ref
    now_at = vm_parent if vm_parent in records else "base"
    if now_at in scheduled:
        now_at = expected_parent(records, now_at, show_scheduled=False)
    assert keys["now"] == now_at
    assert {i.ref for i in live.tab.list_model().snapshots()} == set(records) - scheduled
    counts = live.tab.findChild(QLabel, "snapshotCounts").text()
    assert f"{len(scheduled)} scheduled hidden" in counts

    toggle.click()
    assert changes == [False, True]
    assert set(live.keys()) == set(records) | {"base", "now"}


def test_header_links_the_schedule_and_warns_of_deep_chains(live: Live) -> None:
    vm = live.show("web-01")
    vmss = str(live.sdk.xenapi.VM.get_snapshot_schedule(vm))
    link = live.tab.findChild(QLabel, "scheduleLink")
    assert live.sdk.xenapi.VMSS.get_name_label(vmss) in link.text()
    opened: list[str] = []
    live.tab.scheduleLinkActivated.connect(opened.append)
    link.linkActivated.emit(f"vmss:{vmss}")
    assert opened == [vmss]
    assert live.tab.findChild(QLabel, "chainWarning").isHidden()

    live.show("deep-chain-01")
    warning = live.tab.findChild(QLabel, "chainWarning")
    assert not warning.isHidden() and "30" in warning.text()
    assert "View snapshot schedules" in live.tab.findChild(QLabel, "scheduleLink").text()


# --- the list model ---------------------------------------------------------------------


def test_list_sorts_sizes_by_number_not_text(qapp: QApplication) -> None:
    model = SnapshotListModel()
    proxy = SnapshotFilterProxy()
    proxy.setSourceModel(model)
    model.set_snapshots([info("a", "ten", 10 * MiB), info("b", "gig", GiB, minutes=1),
                         info("c", "nine", 9 * MiB, minutes=2)])
    assert proxy.sortRole() == SORT_ROLE
    # As text these would sort "1.0 GiB" < "10.0 MiB" < "9.0 MiB".
    texts = sorted(model.index(r, Column.SIZE).data() for r in range(3))
    assert texts[0].startswith("1.0")

    proxy.sort(Column.SIZE, Qt.SortOrder.AscendingOrder)
    assert proxy_names(proxy) == ["nine", "ten", "gig"]
    proxy.sort(Column.SIZE, Qt.SortOrder.DescendingOrder)
    assert proxy_names(proxy) == ["gig", "ten", "nine"]
    proxy.sort(Column.CREATED, Qt.SortOrder.AscendingOrder)
    assert proxy_names(proxy) == ["ten", "gig", "nine"]


def test_list_view_sorts_size_numerically_through_its_header(live: Live) -> None:
    live.show("web-01")
    live.tab.set_view_mode("list")
    view = live.tab.list_view()
    view.sortByColumn(Column.SIZE, Qt.SortOrder.AscendingOrder)
    proxy = live.tab.proxy_model()
    sizes = [proxy.index(r, Column.SIZE).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert len(sizes) > 3 and sizes == sorted(sizes)


def test_model_passes_the_tester_through_incremental_updates(qapp: QApplication,
                                                             qtmodeltester: Any) -> None:
    model = SnapshotListModel()
    proxy = SnapshotFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(Column.SIZE)
    resets: list[int] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.set_snapshots([info(f"r{i}", f"snap {i}", (i + 1) * MiB, minutes=i,
                              tags=("nightly",) if i % 2 else ()) for i in range(6)])
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)

    inserted: list[tuple[int, int]] = []
    removed: list[tuple[int, int]] = []
    changed: list[int] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))
    rows = {i.ref: i for i in model.snapshots()}
    rows.pop("r1")
    rows.pop("r2")
    rows.pop("r5")
    rows["r3"] = info("r3", "renamed", 4 * MiB, minutes=3)
    rows["r9"] = info("r9", "new", 20 * MiB, minutes=9)
    model.set_snapshots(rows.values())
    assert removed == [(5, 5), (1, 2)]  # from the bottom, adjacent rows together
    assert inserted == [(3, 3)]
    assert changed == [model.row_of("r3")]
    assert [i.ref for i in model.snapshots()] == ["r0", "r3", "r4", "r9"]
    assert not resets

    proxy.set_filter_text("SNAP")
    assert sorted(proxy_names(proxy)) == ["snap 0", "snap 4"]
    proxy.set_filter_text("")
    assert proxy.rowCount() == 4
    model.set_snapshots([])
    assert model.rowCount() == 0 and not resets


def test_filter_matches_name_description_and_tags(qapp: QApplication) -> None:
    model = SnapshotListModel()
    proxy = SnapshotFilterProxy()
    proxy.setSourceModel(model)
    model.set_snapshots([
        info("a", "before upgrade", MiB, description="kernel 6.8"),
        info("b", "nightly", MiB, tags=("Production",)),
        info("c", "clean install", MiB),
    ])
    proxy.set_filter_text("kernel")
    assert proxy_names(proxy) == ["before upgrade"]
    proxy.set_filter_text("production nightly")
    assert proxy_names(proxy) == ["nightly"]
    proxy.set_filter_text("production install")
    assert proxy_names(proxy) == []


# --- the details panel ------------------------------------------------------------------


def test_editing_in_details_reaches_the_server_only_when_changed(live: Live) -> None:
    vm = live.show("api-01")
    target = max(live.tab.list_model().snapshots(), key=lambda i: i.time or dt.datetime.min
                 .replace(tzinfo=dt.UTC)).ref
    live.tab.select_snapshots([target])
    details = live.tab.findChild(SnapshotDetails, "snapshotDetails")
    assert details.current_ref() == target
    assert "UTC+09:00" in details.findChild(QLabel, "snapshotPoolTime").text()
    calls: list[str] = []
    live.sim.sim.before_call.append(lambda method, _params: calls.append(method))

    description = details.findChild(QPlainTextEdit, "snapshotDescriptionEdit")
    assert not description.isReadOnly()
    QApplication.sendEvent(description, QFocusEvent(QEvent.Type.FocusOut))  # unchanged
    description.setPlainText("Before the TLS\nrenewal")
    QApplication.sendEvent(description, QFocusEvent(QEvent.Type.FocusOut))
    live.wait(lambda: live.sdk.xenapi.VM.get_name_description(target) == "Before the TLS\nrenewal")
    assert calls.count("VM.set_name_description") == 1

    name = details.findChild(QLineEdit, "snapshotNameEdit")
    name.selectAll()
    QtBot.keyClicks(name, "pre-renewal")
    QtBot.keyClick(name, Qt.Key.Key_Return)
    live.wait(lambda: live.sdk.xenapi.VM.get_name_label(target) == "pre-renewal")
    # Once the event comes back, the tree and the list show the new name in place.
    live.wait(lambda: any(n.key == target and n.label == "pre-renewal"
                          for n in live.tab.graph_nodes()))
    live.wait(lambda: live.tab.list_model().info(target).name == "pre-renewal")
    QtBot.keyClick(name, Qt.Key.Key_Return)  # nothing changed since: no second call
    live.settle()
    assert calls.count("VM.set_name_label") == 1
    assert details.error_text() == ""
    assert live.sdk.xenapi.VM.get_snapshots(vm)


def test_a_failed_save_shows_inline_and_restores(live: Live) -> None:
    live.show("api-01")
    target = live.tab.list_model().snapshots()[0]
    live.tab.select_snapshots([target.ref])
    live.sim.sim.faults.add(FailCall("VM.set_name_description", "INTERNAL_ERROR",
                                     ("storage is on fire",), count=1))
    details = live.tab.details()
    description = details.findChild(QPlainTextEdit, "snapshotDescriptionEdit")
    description.setPlainText("never saved")
    QApplication.sendEvent(description, QFocusEvent(QEvent.Type.FocusOut))
    live.wait(lambda: details.error_text() != "")
    assert "storage is on fire" in details.error_text()
    assert description.toPlainText() == target.description
    assert live.sdk.xenapi.VM.get_name_description(target.ref) == target.description


def test_details_for_several_and_for_none(live: Live) -> None:
    live.show("web-01")
    infos = sorted(live.tab.list_model().snapshots(), key=lambda i: i.time)
    live.tab.select_snapshots([i.ref for i in infos[:3]])
    details = live.tab.details()
    assert details.page() == SnapshotDetails.MULTI
    assert details.findChild(QLabel, "snapshotSelectionCount").text() == "3 snapshots selected"
    assert live.tab.selected_snapshots() == [i.ref for i in infos[:3]]
    live.tab.select_snapshots([])
    assert details.page() == SnapshotDetails.HINT
    live.show("lb-01")  # no snapshots at all
    assert details.page() == SnapshotDetails.EMPTY
    assert "No snapshots of this VM yet" in details.findChild(QLabel,
                                                              "snapshotDetailsEmpty").text()


def test_read_only_role_cannot_edit(snap_loop: asyncio.AbstractEventLoop,
                                    snap_sim: RunningSimulator, qtbot: QtBot) -> None:
    gen = _start_live(snap_loop, snap_sim, qtbot, "reader", "pw-reader")
    live = next(gen)
    try:
        live.show("api-01")
        live.tab.select_snapshots([live.tab.list_model().snapshots()[0].ref])
        name = live.tab.findChild(QLineEdit, "snapshotNameEdit")
        description = live.tab.findChild(QPlainTextEdit, "snapshotDescriptionEdit")
        assert name.isReadOnly() and description.isReadOnly()
        assert "read-only" in name.toolTip()
    finally:
        gen.close()


# --- live changes -------------------------------------------------------------------------


def test_snapshots_from_elsewhere_appear_live_keeping_the_selection(live: Live) -> None:
    vm = live.show("log-01")
    tab = live.tab
    graph = tab.graph_view()
    kept = sorted(tab.list_model().snapshots(), key=lambda i: i.time)[1].ref
    tab.select_snapshots([kept])
    live.settle()
    kept_at = graph.viewport_point(kept)
    assert kept_at is not None and graph.viewport().rect().contains(kept_at)
    resets: list[int] = []
    tab.list_model().modelReset.connect(lambda: resets.append(1))

    # Tree view: a snapshot taken through the SDK shows up under Now's old place.
    new = live.off_loop(live.sdk.xenapi.VM.snapshot, vm, "taken elsewhere")
    live.wait(lambda: new in live.keys())
    keys = live.keys()
    assert keys["now"] == new
    assert tab.selected_snapshots() == [kept] and graph.selected_keys() == [kept]
    assert graph.viewport_point(kept) == kept_at  # the view stayed where the user was

    # List view: another one; the selection and the rows already there stay.
    tab.set_view_mode("list")
    assert list_selection(tab) == {kept}
    rows_before = tab.list_model().rowCount()
    second = live.off_loop(live.sdk.xenapi.VM.snapshot, vm, "and another")
    live.wait(lambda: tab.list_model().info(second) is not None)
    assert tab.list_model().rowCount() == rows_before + 1
    assert list_selection(tab) == {kept} and tab.selected_snapshots() == [kept]

    # Renamed elsewhere: updated in place. Deleted elsewhere: gone from both views.
    live.off_loop(live.sdk.xenapi.VM.set_name_label, kept, "renamed elsewhere")
    live.wait(lambda: tab.list_model().info(kept).name == "renamed elsewhere")
    assert list_selection(tab) == {kept}
    live.off_loop(live.sdk.xenapi.VM.destroy, new)
    live.wait(lambda: new not in live.keys() and tab.list_model().info(new) is None)
    assert tab.selected_snapshots() == [kept]
    assert not resets


def test_changes_elsewhere_do_not_rebuild_the_tab(live: Live) -> None:
    live.show("log-01")
    live.settle()
    before = live.tab.refresh_count
    other = live.vm("web-03")
    live.off_loop(live.sdk.xenapi.VM.set_name_description, other, "unrelated")
    live.wait(lambda: live.session.cache.get("VM", other)["name_description"] == "unrelated")
    live.settle()
    assert live.tab.refresh_count == before


def test_now_is_busy_while_a_snapshot_of_the_vm_runs(live: Live,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    vm = live.show("web-03")
    release = threading.Event()
    original = sim_vm._work

    def held(call: Any, simulated: float, *args: Any, **kwargs: Any) -> None:
        release.wait(30)
        original(call, simulated, *args, **kwargs)

    monkeypatch.setattr(sim_vm, "_work", held)
    assert not live.tab.is_busy()
    task = live.off_loop(live.sdk.xenapi.Async.VM.snapshot, vm, "slow one")
    try:
        live.wait(live.tab.is_busy)
    finally:
        release.set()
    live.wait(lambda: not live.tab.is_busy())
    live.wait(lambda: live.sdk.xenapi.task.get_status(task) == "success")
    live.tab.set_busy(True)
    assert live.tab.is_busy()
    live.tab.set_busy(False)
    assert not live.tab.is_busy()


def test_signals_for_activation_context_menu_and_revert(live: Live) -> None:
    live.show("api-01")
    tab = live.tab
    ref = tab.list_model().snapshots()[0].ref
    tab.select_snapshots([ref])
    activated: list[str] = []
    menus: list[tuple[object, QPoint]] = []
    reverts: list[str] = []
    modes: list[str] = []
    tab.activated.connect(activated.append)
    tab.contextMenuRequested.connect(lambda refs, pos: menus.append((refs, pos)))
    tab.revertRequested.connect(reverts.append)
    tab.viewModeChanged.connect(modes.append)
    graph = tab.graph_view()
    graph.activated.emit(ref)
    graph.contextMenuRequested.emit(ref, QPoint(1, 2))
    graph.contextMenuRequested.emit(None, QPoint(3, 4))
    graph.nowDroppedOn.emit(ref)
    assert activated == [ref] and reverts == [ref]
    assert menus == [([ref], QPoint(1, 2)), (None, QPoint(3, 4))]
    tab.set_view_mode("list")
    tab.set_view_mode("list")
    assert modes == ["list"] and tab.view_mode() == "list"
    view = tab.list_view()
    view.setFocus()
    row = tab.proxy_model().mapFromSource(tab.list_model().index(tab.list_model().row_of(ref), 0))
    view.setCurrentIndex(row)
    QtBot.keyClick(view, Qt.Key.Key_Return)
    assert activated == [ref, ref]


def test_filter_hides_in_both_views(live: Live) -> None:
    live.show("web-01", scheduled=True)
    tab = live.tab
    manual = [i for i in tab.list_model().snapshots() if not i.is_scheduled]
    assert manual
    word = manual[0].name.split()[0]
    tab.findChild(QLineEdit, "snapshotFilter").setText(word)
    shown = {n.key for n in tab.graph_nodes()} - {"base", "now"}
    expected = {i.ref for i in tab.list_model().snapshots()
                if word.casefold() in (i.name + i.description + " ".join(i.tags)).casefold()}
    assert shown == expected
    assert {tab.proxy_model().index(r, 0).data(REF_ROLE)
            for r in range(tab.proxy_model().rowCount())} == expected
    assert all(parent in shown | {"base"} for key, parent in live.keys().items()
               if key != "base")
    # Nothing matches: both views say why, not that the VM has no snapshots.
    tab.findChild(QLineEdit, "snapshotFilter").setText("no-such-snapshot-name")
    assert {n.key for n in tab.graph_nodes()} == {"base", "now"}
    assert tab.graph_view()._empty_text == "No snapshots match the filter."
    tab.findChild(QLineEdit, "snapshotFilter").setText("")
    assert tab.graph_view()._empty_text == ""


def test_thumbnail_is_fetched_over_http_once(live: Live) -> None:
    fetched: list[str] = []
    serve_blob = live.sim.get_handlers["/blob"]

    def counting(handler: Any, host: str, query: dict[str, str]) -> None:
        fetched.append(query.get("ref", ""))
        serve_blob(handler, host, query)

    live.sim.get_handlers["/blob"] = counting
    live.show("api-01")
    with_shot = [i for i in live.tab.list_model().snapshots() if i.screenshot_blob]
    assert with_shot
    blob = with_shot[0].screenshot_blob
    live.wait(lambda: any(n.thumbnail == VNC_SNAPSHOT_JPEG for n in live.tab.graph_nodes()))
    cache = live.tab.findChild(ThumbnailCache)
    assert cache.peek(blob) == VNC_SNAPSHOT_JPEG
    live.tab.select_snapshots([with_shot[0].ref])
    screenshot = live.tab.findChild(QLabel, "snapshotScreenshot")
    assert not screenshot.isHidden() and not screenshot.pixmap().isNull()
    # Rebuilds and other VMs and back: the bytes come from the cache.
    live.tab.set_show_scheduled(not live.tab.show_scheduled())
    live.show("web-01")
    live.show("api-01")
    live.settle()
    assert fetched == [blob]


# --- screenshots ------------------------------------------------------------------------


def test_render_screenshots(live: Live) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab = live.tab
    live.show("api-01", scheduled=True)
    live.wait(lambda: any(n.thumbnail for n in tab.graph_nodes()))
    shot = next(i for i in tab.list_model().snapshots() if i.screenshot_blob)
    tab.select_snapshots([shot.ref])
    live.settle()
    tab.grab().save(str(SHOTS / "snapshots-tab-tree.png"))

    live.show("web-01", scheduled=True)
    tab.set_view_mode("list")
    infos = sorted(tab.list_model().snapshots(), key=lambda i: i.time)
    tab.select_snapshots([infos[-1].ref])
    live.settle()
    tab.grab().save(str(SHOTS / "snapshots-tab-list.png"))

    tab.select_snapshots([i.ref for i in infos[:4]])
    live.settle()
    tab.grab().save(str(SHOTS / "snapshots-tab-multi.png"))

    tab.set_view_mode("tree")
    live.show("deep-chain-01", scheduled=False)
    live.settle()
    tab.grab().save(str(SHOTS / "snapshots-tab-deep-chain.png"))

    live.show("lb-01")
    live.settle()
    tab.grab().save(str(SHOTS / "snapshots-tab-empty.png"))
    for name in ("tree", "list", "multi", "deep-chain", "empty"):
        assert (SHOTS / f"snapshots-tab-{name}.png").stat().st_size > 10_000


def test_view_toggle_can_use_the_main_windows_actions(live: Live) -> None:
    group = QActionGroup(live.tab)
    tree_action = QAction("Snapshot Tree", live.tab)
    list_action = QAction("Snapshot List", live.tab)
    for action in (tree_action, list_action):
        action.setCheckable(True)
        group.addAction(action)
    live.tab.set_view_actions(tree_action, list_action)
    assert tree_action.isChecked() and not list_action.isChecked()
    list_action.trigger()
    assert live.tab.view_mode() == "list"
    live.tab.set_view_mode("tree")
    assert tree_action.isChecked() and not list_action.isChecked()
    assert live.tab.findChild(QToolButton, "viewListButton").defaultAction() is list_action


def test_placeholders_without_a_vm(live: Live) -> None:
    placeholder = live.tab.findChild(QLabel, "snapshotsPlaceholder")
    live.tab.set_vm(None, None)
    assert placeholder.isVisible() and "Select a VM" in placeholder.text()
    ref = live.show("web-01")
    assert not placeholder.isVisible()
    if live.sdk.xenapi.VM.get_power_state(ref) != "Halted":
        live.off_loop(live.sdk.xenapi.VM.hard_shutdown, ref)
    live.off_loop(live.sdk.xenapi.VM.destroy, ref)
    live.wait(placeholder.isVisible)
    assert "no longer in the pool" in placeholder.text()
