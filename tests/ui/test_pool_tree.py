"""PoolTreeModel / PoolFilterProxy / PoolTreeView: levels, roles, warnings, incremental
updates without resets (rows move, selection survives), the model tester through live
changes, a live session against a served simulator, and rendered screenshots."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI
from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.livepool import (
    PASSWORD,
    USER,
    DbFeed,
    connected,
    generated,
    offline_session,
    run,
    set_state,
    until,
)
from tests.ui.qtloop import qasync_loop
from xsnap_gui.model.sync import CONNECTING, FAILED, RECONNECTING, SyncState
from xsnap_gui.simulator.classes.message import raise_message
from xsnap_gui.simulator.coerce import NULL_REF
from xsnap_gui.simulator.core import SimConfig, Simulator
from xsnap_gui.simulator.generate import DEEP_CHAIN_VM_NAME
from xsnap_gui.ui import icons
from xsnap_gui.ui.pool_session import PoolSession, ServerSpec
from xsnap_gui.ui.pool_tree import (
    HOST,
    POOL,
    SERVER,
    VM,
    KindRole,
    NameRole,
    PoolFilterProxy,
    PoolTreeModel,
    PoolTreeView,
    PowerStateRole,
    RefRole,
    SessionRole,
    SnapshotCountRole,
    WarningsRole,
    natural_key,
)
from xsnap_gui.xapi.errors import from_failure

SHOTS = Path("/tmp/xsnap-shots")
SPEC = "hosts=3,vms=20,snapshots=4,schedules=3"
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
DECORATION = Qt.ItemDataRole.DecorationRole


class Pool:
    """A generated pool fed into an offline session shown by a model."""

    def __init__(self, spec: str = SPEC, seed: int = 1, name: str = "lab") -> None:
        self.sim: Simulator = generated(spec, seed)
        self.db = self.sim.db
        self.session = offline_session(name)
        self.feed = DbFeed(self.db, self.session)
        self.feed.load()
        connected(self.session)

    def vm(self, name: str) -> str:
        found = self.db.find("VM", name_label=name)
        assert found, name
        return str(found[0])

    def real_vms(self) -> list[str]:
        return [ref for ref, row in self.db.rows("VM")
                if not (row["is_a_template"] or row["is_a_snapshot"]
                        or row["is_control_domain"])]

    def hosts(self) -> list[str]:
        return sorted(self.db.all_refs("host"), key=lambda h: self.db.get("host", h,
                                                                          "name_label"))

    def start(self, vm: str, host: str) -> None:
        self.db.update("VM", vm, power_state="Running", resident_on=host)

    def stop(self, vm: str) -> None:
        self.db.update("VM", vm, power_state="Halted", resident_on=NULL_REF)


@pytest.fixture
def pool(qapp: QApplication) -> Pool:
    return Pool()


@pytest.fixture
def model(pool: Pool) -> Iterator[PoolTreeModel]:
    tree = PoolTreeModel()
    tree.add_session(pool.session)
    yield tree
    tree.remove_session(pool.session)


# --- helpers ------------------------------------------------------------------------------


def children(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[QModelIndex]:
    parent = parent or QModelIndex()
    return [model.index(r, 0, parent) for r in range(model.rowCount(parent))]


def walk(model: QAbstractItemModel, parent: QModelIndex | None = None) -> Iterator[QModelIndex]:
    for index in children(model, parent):
        yield index
        yield from walk(model, index)


def names(indexes: list[QModelIndex]) -> list[str]:
    return [str(i.data(NameRole)) for i in indexes]


def pool_index(model: QAbstractItemModel) -> QModelIndex:
    return children(model, children(model)[0])[0]


def hosts_of(model: QAbstractItemModel) -> list[QModelIndex]:
    return [i for i in children(model, pool_index(model)) if i.data(KindRole) == HOST]


def vms_under(model: QAbstractItemModel, parent: QModelIndex) -> list[QModelIndex]:
    return [i for i in children(model, parent) if i.data(KindRole) == VM]


def placement(model: QAbstractItemModel) -> dict[str, str]:
    """VM ref → where it is shown: the host's ref, or "pool"."""
    where = {}
    for index in walk(model):
        if index.data(KindRole) == VM:
            parent = index.parent()
            where[index.data(RefRole)] = (parent.data(RefRole)
                                          if parent.data(KindRole) == HOST else "pool")
    return where


def expected_placement(pool: Pool) -> dict[str, str]:
    where = {}
    for ref in pool.real_vms():
        row = pool.db.row("VM", ref)
        on_host = (row["power_state"] in ("Running", "Paused")
                   and pool.db.exists("host", row["resident_on"]))
        where[ref] = row["resident_on"] if on_host else "pool"
    return where


def assert_sorted(model: QAbstractItemModel) -> None:
    for parent in [QModelIndex(), *walk(model)]:
        kids = children(model, parent)
        keys = [(0 if k.data(KindRole) == HOST else 1, natural_key(str(k.data(NameRole))))
                for k in kids]
        if parent.isValid() and parent.data(KindRole) in (POOL, HOST):
            assert keys == sorted(keys), names(kids)


class Recorder:
    """Counts the structural signals a model emits."""

    def __init__(self, model: QAbstractItemModel) -> None:
        self.events: list[str] = []
        model.modelReset.connect(lambda: self.events.append("reset"))
        model.layoutChanged.connect(lambda *_: self.events.append("layout"))
        model.rowsInserted.connect(lambda *_: self.events.append("insert"))
        model.rowsRemoved.connect(lambda *_: self.events.append("remove"))
        model.rowsMoved.connect(lambda *_: self.events.append("move"))
        model.dataChanged.connect(lambda *_: self.events.append("data"))

    def count(self, kind: str) -> int:
        return self.events.count(kind)


def live_changes(pool: Pool) -> None:
    """One of everything the tree must follow, each in its own batch."""
    db = pool.db
    host_refs = pool.hosts()
    halted = [r for r in pool.real_vms() if db.get("VM", r, "power_state") == "Halted"]
    running = [r for r in pool.real_vms() if db.get("VM", r, "power_state") == "Running"]
    pool.start(halted[0], host_refs[1])  # started
    pool.feed.step()
    pool.stop(running[0])  # stopped
    pool.feed.step()
    db.update("VM", running[1], name_label="aaa-renamed")  # renamed: moves to the top
    pool.feed.step()
    db.update("VM", running[1], resident_on=host_refs[-1])  # migrated
    pool.feed.step()
    db.destroy("VM", halted[1])  # destroyed
    pool.feed.step()
    db.create("VM", {"name_label": f"{db.get('VM', running[2], 'name_label')} snap",
                     "is_a_snapshot": True, "is_a_template": True, "snapshot_of": running[2],
                     "parent": db.get("VM", running[2], "parent"),
                     "snapshot_time": dt.datetime.now(dt.UTC)})  # a snapshot added
    pool.feed.step()
    new_host = db.create("host", {"name_label": "xcp-host-00", "enabled": True})  # host added
    pool.feed.step()
    pool.start(halted[2], new_host)
    db.create("VM", {"name_label": "web-100", "power_state": "Running",
                     "resident_on": new_host})  # a new VM, straight onto the new host
    pool.feed.step()
    db.destroy("host", host_refs[0])  # a host goes (its VMs are left pointing at it)
    pool.feed.step()
    db.update("host", new_host, name_label="zz-last")  # a renamed host moves
    pool.feed.step()


# --- structure and roles --------------------------------------------------------------------


def test_natural_key_orders_numbers_by_value() -> None:
    names_in = ["web-10", "Web-2", "web-1", "db", "web-02b", "app10", "app9"]
    assert sorted(names_in, key=natural_key) == [
        "app9", "app10", "db", "web-1", "Web-2", "web-02b", "web-10"]


def test_levels_kinds_roles_and_placement(pool: Pool, model: PoolTreeModel) -> None:
    servers = children(model)
    assert len(servers) == 1
    server = servers[0]
    assert server.data(KindRole) == SERVER and server.data(RefRole) is None
    assert server.data(SessionRole) is pool.session
    assert server.data(DISPLAY) == "lab"
    (pool_row,) = children(model, server)
    assert pool_row.data(KindRole) == POOL
    assert pool_row.data(RefRole) == pool.db.all_refs("pool")[0]
    assert pool_row.data(DISPLAY) == pool.db.get("pool", pool_row.data(RefRole), "name_label")

    kids = children(model, pool_row)
    kinds = [k.data(KindRole) for k in kids]
    assert kinds == sorted(kinds, key=lambda k: k != HOST), "hosts come before pool-level VMs"
    assert names(hosts_of(model)) == ["xcp-host-01", "xcp-host-02", "xcp-host-03"]
    assert placement(model) == expected_placement(pool)
    for index in walk(model):
        if index.data(KindRole) != VM:
            continue
        ref = index.data(RefRole)
        row = pool.db.row("VM", ref)
        assert index.data(SessionRole) is pool.session
        assert index.data(NameRole) == row["name_label"]
        assert index.data(PowerStateRole) == row["power_state"]
        assert index.data(SnapshotCountRole) == len(row["snapshots"])
        text = index.data(DISPLAY)
        assert text == (f"{row['name_label']} ({len(row['snapshots'])})" if row["snapshots"]
                        else row["name_label"])
        assert index.data(DECORATION) is not None
        assert row["name_label"] in index.data(TOOLTIP)
    assert_sorted(model)


def test_templates_snapshots_and_control_domains_are_not_vms(pool: Pool,
                                                             model: PoolTreeModel) -> None:
    shown = {i.data(RefRole) for i in walk(model) if i.data(KindRole) == VM}
    assert shown == set(pool.real_vms())
    hidden = [ref for ref, row in pool.db.rows("VM")
              if row["is_a_template"] or row["is_a_snapshot"] or row["is_control_domain"]]
    assert hidden and not shown & set(hidden)
    assert any(pool.db.get("VM", r, "is_control_domain") for r in hidden)


def test_power_state_icons(pool: Pool, model: PoolTreeModel) -> None:
    vm = pool.vm("web-01")
    for state, name in icons.POWER_STATE_ICONS.items():
        pool.db.update("VM", vm, power_state=state,
                       resident_on=pool.hosts()[0] if state in ("Running", "Paused")
                       else NULL_REF)
        pool.feed.step()
        index = model.index_of(pool.session, vm)
        warned = bool(index.data(WarningsRole))
        expected = icons.badged(name) if warned else icons.icon(name)
        assert index.data(DECORATION).cacheKey() == expected.cacheKey()
        assert model._power_text(state) in index.data(TOOLTIP)


def test_server_row_shows_the_connection_state(pool: Pool, model: PoolTreeModel) -> None:
    session = pool.session
    server = model.index_of(session)
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))

    set_state(session, SyncState(CONNECTING))
    assert server.data(DISPLAY) == "lab — connecting…"
    assert server.data(DECORATION).cacheKey() == icons.icon("server-connecting").cacheKey()

    set_state(session, SyncState(RECONNECTING, attempt=3, reason="refused"))
    assert server.data(DISPLAY) == "lab — reconnecting, attempt 3"
    assert "refused" in server.data(TOOLTIP)
    assert server.data(DECORATION).cacheKey() == icons.icon("server-reconnecting").cacheKey()

    error = from_failure(["SESSION_AUTHENTICATION_FAILED", "root", "wrong password"])
    set_state(session, SyncState(FAILED, reason=str(error), error=error))
    # The reason is in the row itself, in the words of the connection dialogs.
    assert server.data(DISPLAY) == ("lab — failed: The user name or password is wrong: "
                                    "the server refused the login.")
    assert "user name or password is wrong" in server.data(TOOLTIP)
    assert server.data(DECORATION).cacheKey() == icons.icon("server-failed").cacheKey()

    connected(session)
    assert server.data(DISPLAY) == "lab"
    assert server.data(DECORATION).cacheKey() == icons.icon("server-connected").cacheKey()
    assert changed.count(server.row()) == 4
    # While reconnecting the tree keeps the last known pool.
    assert model.rowCount(server) == 1


def test_deep_chain_warning_follows_snapshot_changes(pool: Pool, model: PoolTreeModel) -> None:
    deep = pool.vm(DEEP_CHAIN_VM_NAME)
    index = QPersistentModelIndex(model.index_of(pool.session, deep))
    warnings = index.data(WarningsRole)
    assert len(warnings) == 1 and "28 deep" in warnings[0] and "30" in warnings[0]
    assert "28 deep" in index.data(TOOLTIP)
    assert index.data(DECORATION).cacheKey() != icons.icon("vm-running").cacheKey()
    assert model.chain_depth(pool.session, deep) == 28

    # Deleting snapshots from the top of the chain shortens it below the threshold.
    chain = sorted(pool.db.get("VM", deep, "snapshots"),
                   key=lambda s: pool.db.get("VM", s, "snapshot_time"))
    for snap in chain[-5:]:
        pool.db.destroy("VM", snap)
    pool.feed.step()
    assert model.chain_depth(pool.session, deep) == 23
    assert index.data(WarningsRole) == []
    state = pool.db.get("VM", deep, "power_state")
    assert index.data(DECORATION).cacheKey() == icons.power_state_icon(state).cacheKey()


def test_schedule_failure_flags_the_failed_vm_only(pool: Pool, model: PoolTreeModel) -> None:
    db = pool.db
    vmss = next(r for r, row in db.rows("VMSS") if len(row["VMs"]) >= 2)
    first, second = sorted(db.get("VMSS", vmss, "VMs"))[:2]
    vmss_uuid = db.get("VMSS", vmss, "uuid")

    def problems(ref: str) -> list[str]:
        return [w for w in model.index_of(pool.session, ref).data(WarningsRole)
                if "Schedule" in w]

    body = (f"VM:{db.get('VM', first, 'name_label')}UUID:{db.get('VM', first, 'uuid')}"
            "Error:['SR_FULL', '10737418240', '2147483648']")
    # Each run's message is the newest: a minute after whatever the generator left.
    pool.sim.clock.step(dt.timedelta(minutes=1))
    raise_message(pool.sim, "VMSS_SNAPSHOT_FAILED", 3, "VMSS", vmss_uuid, body)
    pool.feed.step()
    (problem,) = problems(first)
    assert db.get("VMSS", vmss, "name_label") in problem
    assert "The SR is full" in problem and "10 GiB" in problem
    assert problems(second) == []

    pool.sim.clock.step(dt.timedelta(minutes=1))
    raise_message(pool.sim, "VMSS_SNAPSHOT_MISSED_EVENT", 3, "VMSS", vmss_uuid, "")
    pool.feed.step()
    assert "missed" in problems(first)[0] and "missed" in problems(second)[0]
    index = model.index_of(pool.session, second)
    assert "missed" in index.data(TOOLTIP)

    pool.sim.clock.step(dt.timedelta(minutes=1))
    raise_message(pool.sim, "VMSS_SNAPSHOT_SUCCEEDED", 5, "VMSS", vmss_uuid, "")
    pool.feed.step()
    assert problems(first) == [] and problems(second) == []


# --- incremental updates ------------------------------------------------------------------


def test_live_changes_move_rows_without_resets(pool: Pool, model: PoolTreeModel) -> None:
    recorder = Recorder(model)
    db = pool.db
    halted = next(r for r in pool.real_vms() if db.get("VM", r, "power_state") == "Halted")
    host = pool.hosts()[1]

    pool.start(halted, host)
    pool.feed.step()
    assert recorder.events.count("move") == 1
    index = model.index_of(pool.session, halted)
    assert index.parent().data(RefRole) == host

    pool.stop(halted)
    pool.feed.step()
    assert recorder.count("move") == 2
    assert model.index_of(pool.session, halted).parent().data(KindRole) == POOL

    other = pool.vm("web-01")
    db.update("VM", other, name_description="touched")
    before = len(recorder.events)
    pool.feed.step()
    assert recorder.events[before:] == ["data"]  # nothing moved

    live_changes(pool)
    assert recorder.count("reset") == 0 and recorder.count("layout") == 0
    assert recorder.count("insert") >= 2 and recorder.count("remove") >= 2
    assert placement(model) == expected_placement(pool)
    assert names(hosts_of(model)) == ["xcp-host-02", "xcp-host-03", "zz-last"]
    assert_sorted(model)


def test_resync_is_applied_as_a_diff(pool: Pool, model: PoolTreeModel) -> None:
    recorder = Recorder(model)
    db = pool.db
    victim = pool.vm("web-02")
    starter = next(r for r in pool.real_vms() if db.get("VM", r, "power_state") == "Halted")
    db.destroy("VM", victim)
    pool.start(starter, pool.hosts()[0])
    db.create("VM", {"name_label": "web-3", "power_state": "Halted"})
    pool.feed.load()  # a full reload: Changes.resync
    assert recorder.count("reset") == 0
    assert recorder.count("remove") == 1 and recorder.count("insert") == 1
    assert recorder.count("move") == 1
    assert placement(model) == expected_placement(pool)
    assert_sorted(model)


def test_model_tester_through_live_changes(pool: Pool, qtmodeltester: Any) -> None:
    model = PoolTreeModel()
    qtmodeltester.check(model, force_py=True)
    model.add_session(pool.session)
    live_changes(pool)
    pool.feed.load()
    second = Pool(spec="hosts=2,vms=12,snapshots=1,schedules=1", seed=3, name="edge")
    model.add_session(second.session)
    live_changes(second)
    pool.session.cache.clear()  # disconnected: the pool row goes
    assert model.rowCount(model.index_of(pool.session)) == 0
    pool.feed.load()
    assert placement(model) == expected_placement(pool) | expected_placement(second)
    model.remove_session(pool.session)
    assert model.rowCount() == 1


@pytest.mark.qt_log_level_fail("WARNING")
def test_qt_model_tester_on_model_and_proxy(pool: Pool, qtmodeltester: Any) -> None:
    model = PoolTreeModel()
    model.add_session(pool.session)
    qtmodeltester.check(model)
    proxy = PoolFilterProxy()
    proxy.setSourceModel(model)
    proxy_tester = type(qtmodeltester)(None)
    proxy_tester.check(proxy)
    proxy.set_filter_text("web")
    live_changes(pool)
    proxy.set_filter_text("")
    live_changes(pool)
    pool.feed.load()
    proxy.set_filter_text("host")  # no VM is called that: nothing shows
    assert proxy.rowCount() == 0
    proxy_tester._cleanup()


def test_selection_and_expansion_survive_updates(pool: Pool, qtbot: QtBot) -> None:
    model = PoolTreeModel()
    model.add_session(pool.session)
    view = PoolTreeView(model)
    qtbot.addWidget(view)
    view.resize(320, 700)
    view.show()
    db = pool.db
    chosen = pool.vm("web-03")
    assert view.select_object(pool.session, chosen)
    host_index = view.proxy.mapFromSource(model.index_of(pool.session, pool.hosts()[2]))
    view.collapse(host_index)

    others = [r for r in pool.real_vms() if r != chosen]
    for i, ref in enumerate(others[:8]):
        db.update("VM", ref, name_label=f"a{i}-{db.get('VM', ref, 'name_label')}")
    pool.feed.step()
    halted = [r for r in others if db.get("VM", r, "power_state") == "Halted"]
    for ref in halted[:3]:
        pool.start(ref, db.get("VM", chosen, "resident_on"))
    pool.feed.step()
    db.destroy("VM", others[-1])
    db.create("VM", {"name_label": "aaa-first", "power_state": "Running",
                     "resident_on": db.get("VM", chosen, "resident_on")})
    pool.feed.step()
    pool.feed.load()

    session, kind, ref = view.current_object()
    assert (session, kind, ref) == (pool.session, VM, chosen)
    selected = view.selectionModel().selectedIndexes()
    assert [i.data(RefRole) for i in selected] == [chosen]
    host_index = view.proxy.mapFromSource(model.index_of(pool.session, pool.hosts()[2]))
    assert not view.isExpanded(host_index)
    assert view.isExpanded(view.proxy.mapFromSource(model.index_of(pool.session,
                                                                   pool.hosts()[0])))

    # The current VM moving to another host keeps it current too.
    pool.start(chosen, pool.hosts()[0])
    pool.feed.step()
    assert view.current_object()[2] == chosen
    assert view.currentIndex().parent().data(RefRole) == pool.hosts()[0]


@pytest.mark.qt_log_level_fail("WARNING")
def test_big_batches_move_as_one_layout_change(qtbot: QtBot, qtmodeltester: Any) -> None:
    big = Pool(spec="hosts=3,vms=90,snapshots=1,schedules=1", seed=4)
    model = PoolTreeModel()
    model.add_session(big.session)
    qtmodeltester.check(model)
    view = PoolTreeView(model)
    qtbot.addWidget(view)
    view.show()
    recorder = Recorder(model)
    db = big.db
    hosts = big.hosts()
    chosen = next(r for r in big.real_vms() if db.get("VM", r, "power_state") == "Running")
    bystander = next(r for r in big.real_vms() if db.get("VM", r, "power_state") == "Halted")
    assert view.select_object(big.session, chosen)
    view.selectionModel().select(
        view.proxy.mapFromSource(model.index_of(big.session, bystander)),
        view.selectionModel().SelectionFlag.Select)
    view.collapse(view.proxy.mapFromSource(model.index_of(big.session, hosts[1])))

    flipped = 0
    for i, ref in enumerate(big.real_vms()):
        if ref == bystander:
            continue
        if db.get("VM", ref, "power_state") == "Running":
            big.stop(ref)
        else:
            big.start(ref, hosts[i % len(hosts)])
        flipped += 1
    assert flipped > 32
    big.feed.step()
    assert recorder.count("layout") == 1 and recorder.count("move") == 0
    assert recorder.count("reset") == 0
    assert placement(model) == expected_placement(big)
    assert_sorted(model)
    assert view.current_object()[2] == chosen
    assert view.currentIndex().parent().data(KindRole) == POOL
    assert {i.data(RefRole) for i in view.selectionModel().selectedIndexes()} == {
        chosen, bystander}
    assert not view.isExpanded(view.proxy.mapFromSource(model.index_of(big.session, hosts[1])))


def test_filter_keeps_ancestors_of_matching_vms(pool: Pool, model: PoolTreeModel) -> None:
    proxy = PoolFilterProxy()
    proxy.setSourceModel(model)
    db = pool.db

    def check(word: str) -> list[str]:
        """The proxy shows exactly the matching VMs, their hosts, the pool and the server."""
        shown = list(walk(proxy))
        matching = {r for r in pool.real_vms() if word in db.get("VM", r, "name_label").lower()}
        assert {i.data(RefRole) for i in shown if i.data(KindRole) == VM} == matching
        hosts = {where for ref, where in expected_placement(pool).items()
                 if ref in matching and where != "pool"}
        assert {i.data(RefRole) for i in shown if i.data(KindRole) == HOST} == hosts
        assert sum(1 for i in shown if i.data(KindRole) == SERVER) == (1 if matching else 0)
        assert sum(1 for i in shown if i.data(KindRole) == POOL) == (1 if matching else 0)
        return [str(i.data(NameRole)) for i in shown if i.data(KindRole) == VM]

    proxy.set_filter_text("WEB")
    assert check("web")

    # A VM renamed into the filter shows up with its host; one renamed out of it goes,
    # and so does its host when nothing else there matches.
    outsider = next(r for r in pool.real_vms() if "web" not in db.get("VM", r, "name_label")
                    and db.get("VM", r, "power_state") == "Running")
    db.update("VM", outsider, name_label="new-web-9")
    pool.feed.step()
    assert "new-web-9" in check("web")
    for ref in [r for r in pool.real_vms() if "web" in db.get("VM", r, "name_label")]:
        if ref != outsider:
            db.update("VM", ref, name_label="retired-" + db.get("VM", ref, "name_label")[4:])
            pool.feed.step()
            check("web")
    # The one match left moves between hosts and to the pool.
    for host in pool.hosts():
        pool.start(outsider, host)
        pool.feed.step()
        assert check("web") == ["new-web-9"]
    pool.stop(outsider)
    pool.feed.step()
    check("web")
    db.update("VM", outsider, name_label="gone")
    pool.feed.step()
    assert check("web") == []

    proxy.set_filter_text("")
    assert len(list(walk(proxy))) == len(list(walk(model)))
    # The plain QSortFilterProxyModel setter works the same way.
    proxy.setFilterFixedString("Retired-0")
    assert check("retired-0")


def test_sessions_added_and_removed(pool: Pool, model: PoolTreeModel) -> None:
    second = Pool(spec="hosts=1,vms=3,snapshots=0,schedules=0", seed=2, name="edge")
    model.add_session(second.session)
    model.add_session(second.session)  # once only
    assert [i.data(DISPLAY) for i in children(model)] == ["lab", "edge"]
    assert model.sessions() == [pool.session, second.session]
    model.remove_session(pool.session)
    assert [i.data(DISPLAY) for i in children(model)] == ["edge"]
    pool.db.update("VM", pool.vm("web-01"), name_label="ignored")
    pool.feed.step()  # no longer followed
    model.add_session(pool.session)
    assert [i.data(DISPLAY) for i in children(model)] == ["edge", "lab"]


def test_empty_session_gets_its_pool_on_first_load(qapp: QApplication) -> None:
    sim = generated("hosts=2,vms=4,snapshots=1,schedules=0")
    session = offline_session("fresh")
    model = PoolTreeModel()
    model.add_session(session)
    set_state(session, SyncState(CONNECTING))
    assert model.rowCount(model.index_of(session)) == 0
    DbFeed(sim.db, session).load()
    connected(session)
    assert model.rowCount(model.index_of(session)) == 1
    assert len([i for i in walk(model) if i.data(KindRole) == VM]) == 4


# --- a live session -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def tree_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    with qasync_loop(qapp) as loop:
        yield loop


def test_live_session_follows_the_simulator(tree_loop: asyncio.AbstractEventLoop) -> None:
    from xsnap_gui.simulator.api import start_simulator  # noqa: PLC0415

    running = start_simulator(generate="hosts=2,vms=8,snapshots=1,schedules=0", seed=2,
                              tls=False, config=SimConfig(clock_speed=0, work_scale=0.01))
    session = PoolSession(ServerSpec("sim", running.url, USER, PASSWORD,
                                     allow_plain_http=True))
    model = PoolTreeModel()
    model.add_session(session)
    recorder = Recorder(model)
    try:
        async def scenario() -> None:
            session.start()
            await until(lambda: session.state.kind == "connected")
            db = running.sim.db
            halted = next(r for r, row in db.rows("VM")
                          if row["power_state"] == "Halted" and not row["is_a_template"])
            assert model.index_of(session, halted).parent().data(KindRole) == POOL
            sdk = XenAPI.Session(running.url)
            sdk.xenapi.login_with_password(USER, PASSWORD, "2.21", "tests")
            try:
                await asyncio.to_thread(sdk.xenapi.VM.start, halted, False, True)
            finally:
                sdk.xenapi.session.logout()
            await until(lambda: model.index_of(session, halted).parent().data(KindRole) == HOST)
            host = model.index_of(session, halted).parent().data(RefRole)
            assert host == db.get("VM", halted, "resident_on")
            await session.stop()

        run(tree_loop, scenario())
        assert recorder.count("reset") == 0 and recorder.count("move") >= 1
    finally:
        running.stop()


# --- screenshots --------------------------------------------------------------------------


def test_render_pool_tree(qtbot: QtBot) -> None:
    """Screenshots: a 3-host pool, a failed server and a reconnecting one; then filtered."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    main = Pool(name="Production (xcp-pool.example.com)")
    db = main.db
    # Suspend and pause one VM each so every power state shows.
    running = [r for r in main.real_vms() if db.get("VM", r, "power_state") == "Running"]
    db.update("VM", running[-1], power_state="Paused")
    db.update("VM", running[0], power_state="Suspended", resident_on=NULL_REF)
    main.feed.step()
    failed = offline_session("Lab (10.0.4.20)", "https://10.0.4.20")
    error = ValueError("The server's certificate is not trusted (SHA-256 5A:0C:…)")
    set_state(failed, SyncState(FAILED, reason=str(error), error=error))
    retrying = offline_session("DR site", "https://dr.example.com")
    set_state(retrying, SyncState(RECONNECTING, attempt=4, reason="unreachable"))

    model = PoolTreeModel()
    for session in (main.session, failed, retrying):
        model.add_session(session)
    holder = QWidget()
    layout = QVBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    view = PoolTreeView(model)
    layout.addWidget(view)
    qtbot.addWidget(holder)
    holder.resize(340, 760)
    holder.show()
    qtbot.waitExposed(holder)
    view.select_object(main.session, main.vm("web-02"))
    holder.grab().save(str(SHOTS / "pool-tree.png"))

    view.set_filter_text("web")
    holder.resize(340, 330)
    holder.grab().save(str(SHOTS / "pool-tree-filtered.png"))
    shown = [i.data(NameRole) for i in walk(view.proxy) if i.data(KindRole) == VM]
    assert shown and all("web" in n for n in shown)

    # The same on a dark theme: icons and the muted counts must still read.
    dark = QPalette()
    for role, color in ((QPalette.ColorRole.Window, "#2b2b2b"),
                        (QPalette.ColorRole.Base, "#1e1e1e"),
                        (QPalette.ColorRole.AlternateBase, "#262626"),
                        (QPalette.ColorRole.Text, "#e6e6e6"),
                        (QPalette.ColorRole.WindowText, "#e6e6e6"),
                        (QPalette.ColorRole.Highlight, "#2f65ca"),
                        (QPalette.ColorRole.HighlightedText, "#ffffff")):
        dark.setColor(role, QColor(color))
    view.setPalette(dark)
    view.set_filter_text("")
    holder.resize(340, 560)
    holder.grab().save(str(SHOTS / "pool-tree-dark.png"))
    assert (SHOTS / "pool-tree.png").stat().st_size > 0
