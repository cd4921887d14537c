"""TasksModel / TasksPanel: every pool task listed and humanised, live progress, finished
tasks kept after the server destroys them, Clear finished, Cancel (also against a served
simulator through the SDK on the side), the model tester, and a rendered screenshot."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QMainWindow
from pytestqt.qtbot import QtBot

from tests.ui.livepool import (
    PASSWORD,
    USER,
    DbFeed,
    connected,
    generated,
    offline_session,
    run,
    until,
)
from tests.ui.qtloop import qasync_loop
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.coerce import NULL_REF
from xsnap_gui.simulator.core import SimConfig, Simulator
from xsnap_gui.simulator.tasks import new_task
from xsnap_gui.ui.pool_session import PoolSession, ServerSpec
from xsnap_gui.ui.tasks_panel import (
    CANCELLED,
    CANCELLING,
    ELAPSED,
    ENDED,
    ETA,
    FAILURE,
    PENDING,
    PROGRESS,
    SERVER,
    STATUS,
    SUCCESS,
    TARGET,
    TASK,
    CancellableRole,
    ErrorCodeRole,
    OriginRole,
    ProgressRole,
    RefRole,
    SessionRole,
    StatusRole,
    TasksModel,
    TasksPanel,
    format_duration,
)
from xsnap_gui.xapi.errors import XapiError

SHOTS = Path("/tmp/xsnap-shots")
DISPLAY = Qt.ItemDataRole.DisplayRole
TOOLTIP = Qt.ItemDataRole.ToolTipRole
T0 = dt.datetime(2025, 6, 2, 9, 0, tzinfo=dt.UTC)


class Pool:
    """A small generated pool fed into an offline session, with task helpers."""

    def __init__(self, name: str = "lab") -> None:
        self.sim: Simulator = generated("hosts=2,vms=8,snapshots=2,schedules=2", seed=2)
        self.db = self.sim.db
        self.session = offline_session(name)
        self.feed = DbFeed(self.db, self.session)
        self.feed.load()
        connected(self.session)

    def vm(self, name: str | None = None) -> str:
        if name is not None:
            return str(self.db.find("VM", name_label=name)[0])
        return next(r for r, row in self.db.rows("VM")
                    if not (row["is_a_template"] or row["is_a_snapshot"]
                            or row["is_control_domain"]))

    def task(self, label: str, *, minutes: float = 0, progress: float = 0.0,
             config: dict[str, str] | None = None, **fields: Any) -> str:
        ref = new_task(self.sim, label, "", self.sim.master, cancellable=True,
                       other_config=config or {})
        self.db.update("task", ref, created=T0 + dt.timedelta(minutes=minutes),
                       progress=progress, **fields)
        return ref

    def finish(self, ref: str, status: str, error: list[str] | None = None) -> None:
        self.db.update("task", ref, status=status, progress=1.0, allowed_operations=[],
                       finished=self.db.get("task", ref, "created") + dt.timedelta(seconds=75),
                       error_info=error or [])


@pytest.fixture
def pool(qapp: QApplication) -> Pool:
    return Pool()


def rows(model: TasksModel) -> list[QModelIndex]:
    return [model.index(r, 0) for r in range(model.rowCount())]


def row_of(model: TasksModel, session: PoolSession, ref: str) -> int:
    row = model.row_of(session, ref)
    assert row >= 0, ref
    return row


def cell(model: TasksModel, session: PoolSession, ref: str, column: int,
         role: int = DISPLAY) -> Any:
    return model.index(row_of(model, session, ref), column).data(role)


class Recorder:
    def __init__(self, model: TasksModel) -> None:
        self.events: list[str] = []
        model.modelReset.connect(lambda: self.events.append("reset"))
        model.rowsInserted.connect(lambda *_: self.events.append("insert"))
        model.rowsRemoved.connect(lambda *_: self.events.append("remove"))
        model.dataChanged.connect(lambda *_: self.events.append("data"))


class RefusingConnection:
    """A connection whose task.cancel fails as xapi does for a task that just finished."""

    closed = False
    client_id = "refusing"

    class info:  # noqa: N801 - stands in for LoginInfo
        server_time_offset = dt.timedelta(0)

    async def call(self, method: str, *args: Any) -> Any:
        raise XapiError("OPERATION_NOT_ALLOWED", [f"task {args[0]} cannot be cancelled"])


# --- texts ----------------------------------------------------------------------------------


def test_format_duration() -> None:
    assert format_duration(0) == "0:00"
    assert format_duration(42.9) == "0:42"
    assert format_duration(3725) == "1:02:05"
    assert format_duration(-3) == "0:00"


def test_every_task_listed_with_readable_columns(pool: Pool) -> None:
    db = pool.db
    vm = pool.vm()
    vm_name = db.get("VM", vm, "name_label")
    snap = db.get("VM", vm, "snapshots")[0]
    scheduled_vm = next(r for r, row in db.rows("VM") if row["snapshot_schedule"] != NULL_REF
                        and not row["is_a_snapshot"])
    schedule_name = db.get("VMSS", db.get("VM", scheduled_vm, "snapshot_schedule"), "name_label")

    running = pool.task("Async.VM.snapshot", minutes=5, progress=0.4,
                        config={"applies_to": vm, "xsnap-gui:client-id": "someone-else"})
    scheduled = pool.task("Async.VM.checkpoint", minutes=4,
                          config={"ShowInXenCenter": "", "applies_to": scheduled_vm})
    failed = pool.task("Async.VM.revert", minutes=3, config={"applies_to": snap})
    pool.finish(failed, "failure", ["SR_FULL", "10737418240", "2147483648"])
    done = pool.task("Async.VMSS.create", minutes=2)
    pool.finish(done, "success")
    cancelled = pool.task("Async.VM.copy", minutes=1)
    pool.finish(cancelled, "cancelled", ["TASK_CANCELLED", "OpaqueRef:x"])
    export = pool.task(f"Export of VM: {db.get('VM', vm, 'uuid')}", minutes=0.5)
    labelled = pool.task("Async.VM.snapshot", minutes=0.25,
                         config={"xsnap-gui:label": "Snapshot before upgrade"})
    plain = pool.task("Something xe did", minutes=0)
    pool.task("Async.VM.snapshot subtask", minutes=6, subtask_of=running)
    pool.feed.step()

    model = TasksModel()
    model.add_session(pool.session)
    s = pool.session
    order = [i.data(RefRole) for i in rows(model)]
    assert order == [running, scheduled, failed, done, cancelled, export, labelled, plain]

    assert cell(model, s, running, TASK) == "Snapshot"
    assert cell(model, s, running, TARGET) == vm_name
    assert cell(model, s, running, SERVER) == "lab"
    assert cell(model, s, running, PROGRESS) == "40%"
    assert cell(model, s, running, PROGRESS, ProgressRole) == pytest.approx(0.4)
    assert cell(model, s, running, STATUS) == "In progress"
    assert cell(model, s, running, STATUS, CancellableRole) is False  # no connection
    s.sync.connection = RefusingConnection()  # type: ignore[assignment]
    assert cell(model, s, running, STATUS, CancellableRole) is True
    assert cell(model, s, running, TASK, OriginRole) == "other"
    assert "another copy of this application" in cell(model, s, running, TASK, TOOLTIP)
    assert cell(model, s, running, TASK, SessionRole) is s

    assert cell(model, s, scheduled, TASK) == "Snapshot with memory"
    assert cell(model, s, scheduled, TASK, OriginRole) == "schedule"
    assert schedule_name in cell(model, s, scheduled, TASK, TOOLTIP)

    assert cell(model, s, failed, TASK) == "Revert to snapshot"
    assert cell(model, s, failed, TARGET) == db.get("VM", snap, "name_label")
    assert vm_name in cell(model, s, failed, TARGET, TOOLTIP)
    status = cell(model, s, failed, STATUS)
    assert status.startswith("Failed: The SR is full") and "10 GiB" in status
    assert "SR_FULL" in cell(model, s, failed, STATUS, TOOLTIP)
    assert cell(model, s, failed, STATUS, ErrorCodeRole) == "SR_FULL"
    assert cell(model, s, failed, STATUS, StatusRole) == FAILURE
    assert cell(model, s, failed, ELAPSED) == "1:15"
    assert cell(model, s, failed, ETA) == ""
    assert cell(model, s, failed, STATUS, CancellableRole) is False

    assert cell(model, s, done, TASK) == "Create snapshot schedule"
    assert cell(model, s, done, STATUS) == "Done"
    assert cell(model, s, cancelled, STATUS) == "Cancelled"
    assert cell(model, s, cancelled, STATUS, StatusRole) == CANCELLED
    assert cell(model, s, export, TASK) == "Export"
    assert cell(model, s, export, TARGET) == vm_name
    assert cell(model, s, labelled, TASK) == "Snapshot before upgrade"
    assert cell(model, s, plain, TASK) == "Something xe did"
    assert cell(model, s, plain, TARGET) == ""
    assert cell(model, s, plain, TASK, OriginRole) == "other"
    for column, title in ((TASK, "Task"), (STATUS, "Status"), (ETA, "Remaining")):
        assert model.headerData(column, Qt.Orientation.Horizontal) == title
    assert model.index(0, STATUS).data(Qt.ItemDataRole.DecorationRole) is not None


def test_elapsed_and_remaining_from_the_progress_rate(pool: Pool) -> None:
    clock = [100.0]
    now = [T0 + dt.timedelta(seconds=60)]
    model = TasksModel(clock=lambda: clock[0], utc_now=lambda: now[0])
    model.add_session(pool.session)
    ref = pool.task("Async.VM.snapshot", progress=0.25)
    pool.feed.step()
    s = pool.session
    assert cell(model, s, ref, ELAPSED) == "1:00"
    # Only one observation: the average rate since creation (60 s for a quarter).
    assert cell(model, s, ref, ETA) == "3:00"
    clock[0] = 110.0
    now[0] += dt.timedelta(seconds=10)
    pool.db.update("task", ref, progress=0.5)
    pool.feed.step()
    # Watched: a quarter in 10 s, so half the work takes 20 s.
    assert cell(model, s, ref, ETA) == "0:20"
    clock[0] = 115.0
    assert cell(model, s, ref, ETA) == "0:15"
    assert cell(model, s, ref, ELAPSED) == "1:10"
    pool.finish(ref, "success")
    pool.feed.step()
    assert cell(model, s, ref, ETA) == ""
    assert cell(model, s, ref, ELAPSED) == "1:15"


def test_running_tasks_tick(pool: Pool, qtbot: QtBot) -> None:
    model = TasksModel(tick_ms=20)
    model.add_session(pool.session)
    ref = pool.task("Async.VM.snapshot", progress=0.1)
    pool.feed.step()
    row = row_of(model, pool.session, ref)
    with qtbot.waitSignal(model.dataChanged, timeout=2000,
                          check_params_cb=lambda top, bottom, *_: (
                              top.row() == row and top.column() == ELAPSED
                              and bottom.column() == ETA)):
        pass
    pool.finish(ref, "success")
    pool.feed.step()
    assert not model._ticker.isActive()


# --- live updates ------------------------------------------------------------------------------


@pytest.mark.qt_log_level_fail("WARNING")
def test_updates_are_incremental_and_finished_tasks_stay(pool: Pool, qtmodeltester: Any) -> None:
    model = TasksModel()
    qtmodeltester.check(model)
    model.add_session(pool.session)
    recorder = Recorder(model)
    s = pool.session
    first = pool.task("Async.VM.snapshot", minutes=1)
    second = pool.task("Async.VM.clone", minutes=2)
    pool.feed.step()
    assert recorder.events == ["insert"]  # both in one run
    assert [i.data(RefRole) for i in rows(model)] == [second, first]

    pool.db.update("task", first, progress=0.6)
    pool.feed.step()
    assert recorder.events[1:] == ["data"]
    assert cell(model, s, first, PROGRESS) == "60%"

    pool.finish(first, "success")
    pool.feed.step()
    pool.db.destroy("task", first)  # its client read the result and destroyed it
    pool.db.destroy("task", second)  # gone while still pending
    pool.feed.step()
    assert "remove" not in recorder.events and "reset" not in recorder.events
    assert cell(model, s, first, STATUS, StatusRole) == SUCCESS
    assert cell(model, s, second, STATUS, StatusRole) == ENDED
    assert "before its outcome" in cell(model, s, second, STATUS, TOOLTIP)
    assert cell(model, s, second, STATUS, CancellableRole) is False

    third = pool.task("Async.VM.snapshot", minutes=3)
    failed = pool.task("Async.VM.snapshot", minutes=0)
    pool.finish(failed, "failure", ["VM_BAD_POWER_STATE", third, "halted", "running"])
    pool.feed.step()
    assert model.rowCount() == 4
    assert model.clear_finished() == 3
    assert [i.data(RefRole) for i in rows(model)] == [third]
    assert not model.has_finished()

    # A cleared task the server still has does not come back, not even on a reload.
    pool.db.update("task", failed, name_description="touched")
    pool.feed.step()
    pool.feed.load()
    assert [i.data(RefRole) for i in rows(model)] == [third]
    assert "reset" not in recorder.events

    pool.db.destroy("task", third)
    pool.feed.load()  # a resync finds it gone
    assert cell(model, s, third, STATUS, StatusRole) == ENDED


def test_finished_rows_are_capped(pool: Pool) -> None:
    model = TasksModel(max_finished=3)
    model.add_session(pool.session)
    refs = []
    for i in range(5):
        ref = pool.task("Async.VM.snapshot", minutes=i)
        pool.finish(ref, "success")
        pool.feed.step()
        refs.append(ref)
    pending = pool.task("Async.VM.snapshot", minutes=10)
    pool.feed.step()
    assert [i.data(RefRole) for i in rows(model)] == [pending, refs[4], refs[3], refs[2]]


def test_sessions_added_and_removed(pool: Pool) -> None:
    other = Pool("edge")
    pool.task("Async.VM.snapshot")
    pool.feed.step()
    other.task("Async.VM.clone")
    other.feed.step()
    model = TasksModel()
    model.add_session(pool.session)
    model.add_session(other.session)
    model.add_session(other.session)
    assert sorted(i.siblingAtColumn(SERVER).data() for i in rows(model)) == ["edge", "lab"]
    model.remove_session(pool.session)
    assert [i.siblingAtColumn(SERVER).data() for i in rows(model)] == ["edge"]
    pool.task("Async.VM.copy")
    pool.feed.step()
    assert model.rowCount() == 1
    assert model.sessions() == [other.session]


# --- cancel ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tasks_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    with qasync_loop(qapp) as loop:
        yield loop


def test_cancel_failure_is_reported(pool: Pool, tasks_loop: asyncio.AbstractEventLoop) -> None:
    pool.session.sync.connection = RefusingConnection()  # type: ignore[assignment]
    model = TasksModel()
    model.add_session(pool.session)
    ref = pool.task("Async.VM.snapshot", progress=0.3)
    pool.feed.step()
    index = model.index(row_of(model, pool.session, ref), 0)
    reasons: list[str] = []
    model.cancelFailed.connect(reasons.append)

    async def scenario() -> None:
        task = model.cancel(index)
        assert task is not None
        assert index.siblingAtColumn(STATUS).data(StatusRole) == CANCELLING
        assert model.cancel(index) is None  # already asked
        await task

    run(tasks_loop, scenario())
    assert len(reasons) == 1 and "Snapshot" in reasons[0] and "not allowed" in reasons[0]
    assert index.siblingAtColumn(STATUS).data(StatusRole) == PENDING
    assert "Cancel failed" in index.siblingAtColumn(STATUS).data(TOOLTIP)


@pytest.fixture
def served() -> Iterator[RunningSimulator]:
    running = start_simulator(generate="hosts=2,vms=6,snapshots=1,schedules=1", seed=3,
                              tls=False, config=SimConfig(clock_speed=0, work_scale=0.05))
    yield running
    running.stop()


def sdk(running: RunningSimulator) -> XenAPI.Session:
    session = XenAPI.Session(running.url)
    session.xenapi.login_with_password(USER, PASSWORD, "2.21", "side-client")
    return session


def test_live_tasks_progress_cancel_and_clear(served: RunningSimulator,
                                              tasks_loop: asyncio.AbstractEventLoop,
                                              qtbot: QtBot) -> None:
    session = PoolSession(ServerSpec("sim", served.url, USER, PASSWORD, allow_plain_http=True))
    panel = TasksPanel()
    qtbot.addWidget(panel)
    panel.add_session(session)
    model = panel.model
    recorder = Recorder(model)
    side = sdk(served)
    db = served.sim.db
    vm = next(r for r, row in db.rows("VM") if not (row["is_a_template"] or row["is_a_snapshot"]
                                                    or row["is_control_domain"]))

    def status(ref: str) -> Any:
        row = model.row_of(session, ref)
        return model.index(row, STATUS).data(StatusRole) if row >= 0 else None

    async def call(fn: Any, *args: Any) -> Any:
        return await asyncio.to_thread(fn, *args)

    async def scenario() -> None:
        session.start()
        await until(lambda: session.state.kind == "connected")

        # A task made elsewhere, with progress: shown live.
        job = await call(side.xenapi.task.create, "Side job", "made by another client")
        await until(lambda: model.row_of(session, job) >= 0)
        await call(side.xenapi.task.set_progress, job, 0.4)
        await until(lambda: model.index(model.row_of(session, job), PROGRESS).data() == "40%")
        assert model.index(model.row_of(session, job), TASK).data() == "Side job"
        assert model.index(model.row_of(session, job), TASK).data(OriginRole) == "other"

        # Cancel it from the panel.
        panel.view.selectRow(model.row_of(session, job))
        assert panel.cancel_action.isEnabled()
        started = panel.cancel_selected()
        assert len(started) == 1
        await started[0]
        await until(lambda: "cancel" in db.get("task", job, "current_operations").values())
        assert status(job) == CANCELLING
        assert not panel.cancel_action.isEnabled()
        # The task's owner honours the request.
        await call(side.xenapi.task.set_status, job, "cancelled")
        await until(lambda: status(job) == CANCELLED)

        # An Async call on the side: humanised, and kept after its client destroys it.
        vmss_task = await call(side.xenapi.Async.VMSS.create, {
            "name_label": "Hourly", "type": "snapshot", "frequency": "hourly",
            "retained_snapshots": "3", "schedule": {"min": "15"}})
        await until(lambda: status(vmss_task) == SUCCESS)
        assert model.index(model.row_of(session, vmss_task), TASK).data() == \
            "Create snapshot schedule"
        await call(side.xenapi.task.destroy, vmss_task)
        await until(lambda: not db.exists("task", vmss_task))
        await asyncio.sleep(0.3)
        assert status(vmss_task) == SUCCESS

        # A task of this application: recognised as ours, with its target.
        conn = session.connection
        assert conn is not None
        snapshot = await conn.run_task("VM.snapshot", vm, "from the panel test", applies_to=vm)
        assert snapshot
        await until(lambda: model.row_of(session, next(
            (r for r in model_refs(model) if r not in (job, vmss_task)), "")) >= 0)
        ours = next(r for r in model_refs(model) if r not in (job, vmss_task))
        row = model.row_of(session, ours)
        assert model.index(row, TASK).data(OriginRole) == "this-app"
        assert model.index(row, TARGET).data() == db.get("VM", vm, "name_label")
        await until(lambda: status(ours) in (SUCCESS, ENDED))

        # One still running, and Clear finished.
        long_job = await call(side.xenapi.task.create, "Long job", "")
        await until(lambda: status(long_job) == PENDING)
        assert panel.clear_action.isEnabled()
        panel.clear_action.trigger()
        assert model_refs(model) == [long_job]
        await session.stop()

    try:
        run(tasks_loop, scenario(), timeout=60)
    finally:
        side.xenapi.session.logout()
    assert "reset" not in recorder.events


def model_refs(model: TasksModel) -> list[str]:
    return [model.index(r, 0).data(RefRole) for r in range(model.rowCount())]


# --- screenshot ------------------------------------------------------------------------------


def test_render_tasks_panel(pool: Pool, qtbot: QtBot) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    db = pool.db
    vm = next(r for r, row in db.rows("VM") if row["snapshots"] and not row["is_a_template"])
    snap = db.get("VM", vm, "snapshots")[0]
    scheduled_vm = next(r for r, row in db.rows("VM") if row["snapshot_schedule"] != NULL_REF
                        and not row["is_a_snapshot"])
    now = T0 + dt.timedelta(minutes=10)
    pool.task("Async.VM.checkpoint", minutes=9.5, progress=0.62,
              config={"applies_to": vm, "xsnap-gui:label": "Snapshot with memory"})
    pool.task("Async.VM.snapshot", minutes=9.8, progress=0.15,
              config={"ShowInXenCenter": "", "applies_to": scheduled_vm})
    job = pool.task("Export of VM: " + db.get("VM", vm, "uuid"), minutes=9, progress=0.35)
    db.update("task", job, current_operations={"OpaqueRef:c": "cancel"})
    failed = pool.task("Async.VM.snapshot", minutes=6, config={"applies_to": scheduled_vm})
    pool.finish(failed, "failure", ["SR_FULL", "10737418240", "2147483648"])
    done = pool.task("Async.VM.revert", minutes=4, config={"applies_to": snap})
    pool.finish(done, "success")
    cancelled = pool.task("Async.VM.copy", minutes=2, config={"applies_to": vm})
    pool.finish(cancelled, "cancelled", ["TASK_CANCELLED", cancelled])
    pool.feed.step()

    pool.session.sync.connection = RefusingConnection()  # type: ignore[assignment]
    clock = [0.0]
    model = TasksModel(clock=lambda: clock[0], utc_now=lambda: now)
    model.add_session(pool.session)
    window = QMainWindow()
    panel = TasksPanel(model=model)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, panel)
    qtbot.addWidget(window)
    window.resize(1100, 300)
    window.show()
    qtbot.waitExposed(window)
    panel.view.selectRow(1)
    panel.grab().save(str(SHOTS / "tasks-panel.png"))
    assert panel.cancel_action.isEnabled()
    assert panel.objectName() == "tasksPanel"
