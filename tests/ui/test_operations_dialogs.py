"""The snapshot operations' real dialogs in the real main window, against a served
simulator: every test drives the dialogs as a user would and then checks the server
through the XenAPI SDK. Each dialog is also rendered to /tmp/xsnap-shots/op-*.png."""

from __future__ import annotations

import asyncio
import io
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI
import xxhash
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from tests.ui.livepool import PASSWORD, USER, LoopDriver, run, until
from tests.ui.qtloop import process_events, qasync_loop
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.classes import vm as sim_vm
from xsnap_gui.simulator.core import SimConfig, User
from xsnap_gui.simulator.faults import FailCall
from xsnap_gui.simulator.generate import NEARLY_FULL_SR_NAME
from xsnap_gui.ui.main_window import MainWindow
from xsnap_gui.ui.operations import SnapshotOperations, install
from xsnap_gui.ui.operations.delete_dialog import DeleteDialog
from xsnap_gui.ui.operations.errors import ERROR_DIALOG_NAME
from xsnap_gui.ui.operations.export_dialog import ExportDialog
from xsnap_gui.ui.operations.install import NOW_MENU, RESUME_BOX_NAME, SNAPSHOT_MENU
from xsnap_gui.ui.operations.new_vm_dialog import NewVmDialog
from xsnap_gui.ui.operations.properties_dialog import PropertiesDialog
from xsnap_gui.ui.operations.revert_dialog import RevertDialog
from xsnap_gui.ui.operations.take_snapshot_dialog import TakeSnapshotDialog
from xsnap_gui.ui.operations.template_dialog import LIST_DIALOG_NAME, TemplateDialog
from xsnap_gui.ui.pool_session import PoolSession, ServerSpec
from xsnap_gui.ui.tasks_panel import TARGET, TASK, THIS_APP, OriginRole, RefRole, StatusRole

SHOTS = Path("/tmp/xsnap-shots")
SPEC = "hosts=3,vms=20,snapshots=4,schedules=3"
NULL = "OpaqueRef:NULL"
MiB = 1 << 20
READER, READER_PASSWORD = "reader", "pw-reader"
USERS = [User(USER, PASSWORD, "pool-admin"), User(READER, READER_PASSWORD, "read-only")]
OPERATION_ACTIONS = ("actionTakeSnapshot", "actionTakeCheckpoint", "actionRevert",
                     "actionDelete", "actionExport", "actionNewTemplate", "actionNewVm",
                     "actionProperties")


# --- fixtures -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def ops_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    with qasync_loop(qapp) as loop:
        yield loop


@pytest.fixture
def ops_sim() -> Iterator[RunningSimulator]:
    # A fresh pool per test (operations change it), with a stopped clock so no schedule
    # fires, and small exports.
    running = start_simulator(generate=SPEC, seed=1, tls=False,
                              config=SimConfig(users=list(USERS), clock_speed=0,
                                               export_bytes_cap=16 * MiB))
    yield running
    running.stop()


class Live(LoopDriver):
    """The main window connected to the simulator, operations installed, the SDK beside."""

    def __init__(self, loop: asyncio.AbstractEventLoop, sim: RunningSimulator,
                 window: MainWindow, session: PoolSession, ops: SnapshotOperations) -> None:
        super().__init__(loop)
        self.sim = sim
        self.window = window
        self.session = session
        self.ops = ops
        sdk = XenAPI.Session(sim.url)
        sdk.xenapi.login_with_password(USER, PASSWORD, "2.21", "xsnap-tests")
        self.sdk = sdk
        self.x = sdk.xenapi

    def vm(self, name: str) -> str:
        return str(self.x.VM.get_by_name_label(name)[0])

    def snapshot(self, vm_name: str, name: str | None = None, *,
                 memory: bool | None = None) -> str:
        vm = self.vm(vm_name)
        for ref in sorted(self.x.VM.get_snapshots(vm)):
            rec = self.x.VM.get_record(ref)
            if name is not None and rec["name_label"] != name:
                continue
            if memory is not None and (rec["suspend_VDI"] != NULL) != memory:
                continue
            return str(ref)
        raise LookupError(f"{vm_name}: {name}")

    def show(self, vm_name: str, snapshots: list[str] | None = None) -> str:
        ref = self.vm(vm_name)
        self.window.show_vm(self.session, ref)
        self.window.snapshots_tab.set_show_scheduled(True)
        self.window.snapshots_tab.refresh()
        if snapshots:
            self.window.snapshots_tab.select_snapshots(snapshots)
            assert set(self.window.selected_snapshots()) == set(snapshots)
        self.window.registry.refresh()
        return ref

    def action(self, name: str) -> QAction:
        return self.window.registry.actions[name]

    def trigger(self, name: str) -> Any:
        action = self.action(name)
        assert action.isEnabled(), f"{name}: {action.toolTip()}"
        self.ops.last_dialog = None
        action.trigger()
        dialog = self.ops.last_dialog
        assert dialog is not None and dialog.isVisible()
        return dialog

    def ok(self, dialog: Any) -> None:
        assert dialog.ok_button.isEnabled()
        QtBot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    def finish(self) -> Any:
        job = self.ops.last_job
        assert job is not None
        self.wait(lambda: job.finished)
        return job

    def error_box(self) -> QMessageBox:
        boxes = [b for b in self.ops.runner.error_boxes if b.isVisible()]
        assert boxes, "no error was shown"
        assert boxes[-1].objectName() == ERROR_DIALOG_NAME
        return boxes[-1]

    def in_cache(self, ref: str) -> bool:
        return self.session.cache.get("VM", ref) is not None


def _start_live(loop: asyncio.AbstractEventLoop, sim: RunningSimulator, qtbot: QtBot,
                user: str = USER, password: str = PASSWORD) -> Iterator[Live]:
    # Not handed to qtbot: it would delete the window before the session has stopped.
    window = MainWindow(persist=False)
    session = PoolSession(ServerSpec("sim", sim.url, user, password, allow_plain_http=True),
                          window)
    window.add_session(session)
    ops = install(window)
    assert install(window) is ops  # installing twice changes nothing

    async def connect() -> None:
        session.start()
        await until(lambda: session.state.kind == "connected", 30)

    run(loop, connect(), 40)
    window.show()
    live = Live(loop, sim, window, session, ops)
    try:
        yield live
    finally:
        for widget in QApplication.topLevelWidgets():
            if widget is not window and widget.isVisible() and widget.isWindow():
                widget.close()
        run(loop, session.stop(), 30)
        window.close()
        window.deleteLater()
        live.sdk.xenapi.session.logout()


@pytest.fixture
def live(ops_loop: asyncio.AbstractEventLoop, ops_sim: RunningSimulator,
         qtbot: QtBot) -> Iterator[Live]:
    yield from _start_live(ops_loop, ops_sim, qtbot)


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    process_events()
    widget.adjustSize()
    assert widget.grab().save(str(SHOTS / f"{name}.png"))


# --- take snapshot ----------------------------------------------------------------------


def test_take_a_disk_snapshot(live: Live) -> None:
    vm = live.show("web-01")
    before = set(live.x.VM.get_snapshots(vm))
    dialog = live.trigger("actionTakeSnapshot")
    assert isinstance(dialog, TakeSnapshotDialog)
    assert dialog.objectName() == "takeSnapshotDialog"
    assert dialog.disk_radio.isChecked() and dialog.memory_radio.isEnabled()
    assert dialog.name_edit.text().startswith("web-01 ")
    dialog.name_edit.setText("before the kernel update")
    dialog.description_edit.setPlainText("6.1 → 6.6")
    live.ok(dialog)
    assert live.ops.runner.is_busy(live.session, vm)
    assert live.window.snapshots_tab.is_busy()
    live.finish()
    assert not live.ops.runner.is_busy(live.session, vm)
    made = set(live.x.VM.get_snapshots(vm)) - before
    assert len(made) == 1
    rec = live.x.VM.get_record(made.pop())
    assert rec["name_label"] == "before the kernel update"
    assert rec["name_description"] == "6.1 → 6.6"
    assert rec["power_state"] == "Halted" and rec["suspend_VDI"] == NULL
    assert live.x.VM.get_power_state(vm) == "Running"


def test_take_a_memory_snapshot_of_a_running_vm(live: Live) -> None:
    vm = live.show("web-03")
    before = set(live.x.VM.get_snapshots(vm))
    live.sim.sim.config.work_scale = 0.3  # a few seconds: the tasks panel sees it running
    dialog = live.trigger("actionTakeCheckpoint")
    assert dialog.memory_radio.isChecked()
    texts = dialog.findings.texts()
    assert any("memory" in t and "about" in t for t in texts), texts
    live.ok(dialog)
    model = live.window.tasks_panel.model

    def our_row() -> int | None:
        for row in range(model.rowCount()):
            index = model.index(row, TASK)
            if index.data() == "Take snapshot with memory" \
                    and index.data(OriginRole) == THIS_APP:
                return row
        return None

    live.wait(lambda: our_row() is not None)
    row = our_row()
    assert row is not None and model.index(row, TARGET).data() == "web-03"
    live.finish()
    made = set(live.x.VM.get_snapshots(vm)) - before
    assert len(made) == 1
    rec = live.x.VM.get_record(made.pop())
    assert rec["power_state"] == "Suspended" and rec["suspend_VDI"] != NULL
    assert live.x.VM.get_power_state(vm) == "Running"


def test_memory_is_disabled_on_a_halted_vm_with_the_reason(live: Live) -> None:
    vm = live.show("mail-01")
    before = set(live.x.VM.get_snapshots(vm))
    checkpoint = live.action("actionTakeCheckpoint")
    assert not checkpoint.isEnabled()
    assert "running or paused" in checkpoint.toolTip()
    dialog = live.trigger("actionTakeSnapshot")
    assert not dialog.memory_radio.isEnabled()
    assert "running or paused" in dialog.memory_hint.text()
    assert "halted" in dialog.memory_hint.text()
    assert dialog.memory_hint.font().italic()
    assert dialog.disk_radio.isChecked() and dialog.ok_button.isEnabled()
    dialog.reject()
    assert set(live.x.VM.get_snapshots(vm)) == before


def test_sr_full_is_caught_before_the_call(live: Live) -> None:
    vm_name = next(rec["name_label"] for rec in live.x.VM.get_all_records().values()
                   if not rec["is_a_template"] and not rec["is_control_domain"]
                   and any(live.x.SR.get_name_label(live.x.VDI.get_SR(live.x.VBD.get_VDI(v)))
                           == NEARLY_FULL_SR_NAME for v in rec["VBDs"]
                           if live.x.VBD.get_type(v) == "Disk"))
    vm = live.show(vm_name)
    before = set(live.x.VM.get_snapshots(vm))
    calls: list[str] = []
    live.sim.sim.before_call.append(lambda method, _params: calls.append(method))
    dialog = live.trigger("actionTakeSnapshot")
    assert dialog.findings.has_blocking()
    assert any(NEARLY_FULL_SR_NAME in t and "Not enough space" in t
               for t in dialog.findings.texts())
    assert not dialog.ok_button.isEnabled()
    dialog.buttons.accepted.emit()  # even a forced OK does not run it
    assert dialog.isVisible()
    dialog.reject()
    live.settle()
    assert not [c for c in calls if "VM.snapshot" in c or "VM.checkpoint" in c]
    assert set(live.x.VM.get_snapshots(vm)) == before


def test_sr_full_from_the_server_is_shown_with_its_code(live: Live) -> None:
    vm = live.show("mail-01")
    before = set(live.x.VM.get_snapshots(vm))
    live.sim.sim.faults.add(FailCall("VM.snapshot", "SR_FULL", ("10737418240", "2147483648"),
                                     count=1))
    dialog = live.trigger("actionTakeSnapshot")
    assert not dialog.findings.has_blocking()
    live.ok(dialog)
    job = live.finish()
    assert job.error is not None
    box = live.error_box()
    assert "Taking the snapshot failed" in box.text()
    assert "The SR is full" in box.text()
    info = box.informativeText()
    assert "SR_FULL [10737418240, 2147483648]" in info
    assert "Free space on the storage repository" in info
    assert "requested" in box.detailedText()
    assert set(live.x.VM.get_snapshots(vm)) == before
    assert not live.window.snapshots_tab.is_busy()
    shot(box, "op-error-sr-full")


# --- revert -------------------------------------------------------------------------------


def test_revert_with_a_snapshot_first_branches_and_restores_the_power_state(
        live: Live) -> None:
    target = live.snapshot("web-01", "before driver update")
    vm = live.show("web-01", [target])
    old_parent = live.x.VM.get_parent(vm)
    host = live.x.VM.get_resident_on(vm)
    before = set(live.x.VM.get_snapshots(vm))
    live.window.snapshots_tab.activated.emit(target)  # a double-click
    dialog = live.ops.last_dialog
    assert isinstance(dialog, RevertDialog) and dialog.isVisible()
    loss = dialog.loss.text()
    assert "will be lost" in loss and "memory" in loss and "started again" in loss
    assert dialog.first.isChecked() and dialog.first.isEnabled()
    assert dialog.first_name.text() == "Before reverting to “before driver update”"
    live.ok(dialog)
    live.finish()
    made = set(live.x.VM.get_snapshots(vm)) - before
    assert len(made) == 1
    pre = made.pop()
    assert live.x.VM.get_name_label(pre) == "Before reverting to “before driver update”"
    # A branch: the old state hangs where Now was, Now hangs under the target.
    assert live.x.VM.get_parent(pre) == old_parent != target
    assert live.x.VM.get_parent(vm) == target
    assert live.x.VM.get_power_state(vm) == "Running"
    assert live.x.VM.get_resident_on(vm) == host
    live.wait(lambda: (live.session.cache.get("VM", vm) or {}).get("parent") == target)


def test_dragging_now_onto_a_memory_snapshot_reverts_and_offers_resume(live: Live) -> None:
    target = live.snapshot("api-01", "baseline")
    vm = live.show("api-01", [target])
    live.window.snapshots_tab.revertRequested.emit(target)  # Now dropped on the snapshot
    dialog = live.ops.last_dialog
    assert isinstance(dialog, RevertDialog)
    assert "suspended" in dialog.loss.text()
    dialog.first.setChecked(False)
    live.ok(dialog)
    live.finish()
    assert live.x.VM.get_power_state(vm) == "Suspended"
    box = live.ops.last_dialog
    assert isinstance(box, QMessageBox) and box.objectName() == RESUME_BOX_NAME
    shot(box, "op-revert-resume")
    resume = box.findChild(QWidget, "resumeButton")
    assert resume is not None
    QtBot.mouseClick(resume, Qt.MouseButton.LeftButton)
    live.finish()
    assert live.x.VM.get_power_state(vm) == "Running"


# --- delete -------------------------------------------------------------------------------


def vdis_of(live: Live, snapshot: str) -> set[str]:
    found = set()
    for vbd in live.x.VM.get_VBDs(snapshot):
        if live.x.VBD.get_type(vbd) == "Disk" and live.x.VBD.get_VDI(vbd) != NULL:
            found.add(str(live.x.VBD.get_VDI(vbd)))
    suspend = live.x.VM.get_suspend_VDI(snapshot)
    if suspend != NULL:
        found.add(str(suspend))
    return found


def test_delete_with_disks_vs_record_only(live: Live) -> None:
    first, second = sorted(live.x.VM.get_snapshots(live.vm("mail-01")))[:2]
    first_vdis, second_vdis = vdis_of(live, first), vdis_of(live, second)
    live.show("mail-01", [first])
    dialog = live.trigger("actionDelete")
    assert isinstance(dialog, DeleteDialog)
    assert dialog.uninstall.isChecked()
    listed = {dialog.disks.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
              for i in range(dialog.disks.topLevelItemCount())}
    assert listed == first_vdis
    assert "freeing" in dialog.totals.text()
    live.ok(dialog)
    live.finish()
    assert dialog.summary is not None and dialog.summary.all_deleted
    assert first not in live.x.VM.get_all()
    assert not first_vdis & set(live.x.VDI.get_all())
    dialog.accept()

    live.wait(lambda: not live.in_cache(first))
    live.show("mail-01", [second])
    dialog = live.trigger("actionDelete")
    dialog.record_only.setChecked(True)
    assert "stay" in dialog.totals.text()
    rows = [dialog.disks.topLevelItem(i) for i in range(dialog.disks.topLevelItemCount())]
    assert {r.data(0, Qt.ItemDataRole.UserRole) for r in rows} == second_vdis
    assert {r.text(4) for r in rows} == {"stays"}
    live.ok(dialog)
    live.finish()
    assert second not in live.x.VM.get_all()
    assert second_vdis <= set(live.x.VDI.get_all())


def test_deleting_many_with_one_failure_reports_each(live: Live) -> None:
    vm = live.vm("log-01")
    every = set(live.x.VM.get_snapshots(vm))
    chosen = sorted(every)[:3]
    live.show("log-01", chosen)
    live.sim.sim.faults.add(FailCall("VM.destroy", "OTHER_OPERATION_IN_PROGRESS",
                                     ("VM", "x", "export", "OpaqueRef:y"), count=1))
    dialog = live.trigger("actionDelete")
    assert dialog.heading.text() == "Delete 3 snapshots?"
    live.ok(dialog)
    live.finish()
    summary = dialog.summary
    assert summary is not None
    assert len(summary.deleted) == 2 and len(summary.failed) == 1
    failed = summary.failed[0].item.ref
    rows = {dialog.outcomes.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole):
            dialog.outcomes.topLevelItem(i).text(1)
            for i in range(dialog.outcomes.topLevelItemCount())}
    assert rows[failed] == "Not deleted: OTHER_OPERATION_IN_PROGRESS"
    assert all(text.startswith("Deleted") for ref, text in rows.items() if ref != failed)
    details = dialog.result_text()
    assert "was not deleted" in details and "Another operation" in details
    assert "XAPI error: OTHER_OPERATION_IN_PROGRESS" in details
    assert "Snapshots deleted: 2 of 3" in dialog.heading.text()
    shot(dialog, "op-delete-summary")
    assert set(live.x.VM.get_snapshots(vm)) == (every - set(chosen)) | {failed}


# --- export ---------------------------------------------------------------------------------


def test_export_to_a_file_then_verify_the_tar(live: Live, tmp_path: Path) -> None:
    snapshot = live.snapshot("mail-01")
    live.show("mail-01", [snapshot])
    dialog = live.trigger("actionExport")
    assert isinstance(dialog, ExportDialog)
    dest = tmp_path / "mail-01 backup.xva"
    dialog.path_edit.setText(str(dest))
    assert not dialog.findings.has_blocking()
    live.ok(dialog)
    job = live.finish()
    assert job.error is None and dialog.export_result is not None
    with tarfile.open(fileobj=io.BytesIO(dest.read_bytes()), mode="r:") as tar:
        members = {m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
                   for m in tar.getmembers() if m.isfile()}
    assert next(iter(members)) == "ova.xml"
    checked = 0
    for name, content in members.items():
        if name.endswith(".xxhash"):
            assert content.decode() == xxhash.xxh64(
                members[name.removesuffix(".xxhash")]).hexdigest().upper()
            checked += 1
    assert checked == dialog.export_result.chunks_verified > 0
    assert "verified" in dialog.status.text()
    assert [p.name for p in tmp_path.iterdir()] == [dest.name]
    assert live.x.VM.get_current_operations(snapshot) == {}


def test_export_cancelled_halfway_leaves_no_file(live: Live, tmp_path: Path) -> None:
    snapshot = live.snapshot("mail-01")
    live.show("mail-01", [snapshot])
    config = live.sim.sim.config
    config.work_scale, config.export_bytes_per_second = 1.0, 2 * MiB  # seconds per disk
    dialog = live.trigger("actionExport")
    dialog.path_edit.setText(str(tmp_path / "half.xva"))
    live.ok(dialog)
    live.wait(lambda: "received" in dialog.status.text())
    shot(dialog, "op-export-progress")
    dialog.reject()  # the Cancel button
    job = live.finish()
    assert job.cancelled and not dialog.isVisible()
    assert list(tmp_path.iterdir()) == []
    live.wait(lambda: live.sim.sim.db.get("VM", snapshot, "current_operations") == {})
    assert list(tmp_path.iterdir()) == []


def test_export_asks_before_replacing_a_file(live: Live, tmp_path: Path) -> None:
    snapshot = live.snapshot("mail-01")
    live.show("mail-01", [snapshot])
    dest = tmp_path / "old.xva"
    dest.write_bytes(b"an older export")
    dialog = live.trigger("actionExport")
    dialog.path_edit.setText(str(dest))
    live.ok(dialog)
    box = dialog.overwrite_box
    assert box.isVisible() and dialog.job is None
    shot(box, "op-export-overwrite")
    box.button(QMessageBox.StandardButton.No).click()
    assert dialog.job is None and dest.read_bytes() == b"an older export"
    live.ok(dialog)
    dialog.overwrite_box.button(QMessageBox.StandardButton.Yes).click()
    live.finish()
    assert dest.read_bytes()[:7] == b"ova.xml"


# --- template and new VM --------------------------------------------------------------------


def test_template_from_snapshot(live: Live) -> None:
    snapshot = live.snapshot("mail-01")
    name = live.x.VM.get_name_label(snapshot)
    live.show("mail-01", [snapshot])
    dialog = live.trigger("actionNewTemplate")
    assert isinstance(dialog, TemplateDialog)
    assert dialog.name_edit.text() == f"Template from snapshot '{name}'"
    assert dialog.options.clone.isChecked()
    live.ok(dialog)
    job = live.finish()
    template = job.result.ref
    live.wait(lambda: isinstance(live.ops.last_dialog, QWidget)
              and live.ops.last_dialog.objectName() == LIST_DIALOG_NAME)
    listing = live.ops.last_dialog
    assert template in listing.refs()
    assert listing.templates.currentItem().data(Qt.ItemDataRole.UserRole) == template
    shot(listing, "op-template-list")
    rec = live.x.VM.get_record(template)
    assert rec["is_a_template"] and not rec["is_a_snapshot"]
    assert rec["name_label"] == f"Template from snapshot '{name}'"
    assert name in rec["name_description"]


def test_new_vm_from_snapshot_started_on_a_chosen_host(live: Live) -> None:
    snapshot = live.snapshot("web-01", "before driver update")
    live.show("web-01", [snapshot])
    dialog = live.trigger("actionNewVm")
    assert isinstance(dialog, NewVmDialog)
    dialog.name_edit.setText("web-01 restored")
    dialog.options.copy.setChecked(True)
    nfs = dialog.options.sr_combo.findText("nfs-vhd-01", Qt.MatchFlag.MatchStartsWith)
    dialog.options.sr_combo.setCurrentIndex(nfs)
    dialog.start.setChecked(True)
    dialog.host_combo.setCurrentIndex(dialog.host_combo.count() - 1)
    host = dialog.host_combo.currentData()
    live.ok(dialog)
    job = live.finish()
    assert job.error is None
    rec = live.x.VM.get_record(job.result.ref)
    assert rec["name_label"] == "web-01 restored"
    assert not rec["is_a_template"] and rec["power_state"] == "Running"
    assert rec["resident_on"] == host
    nfs_ref = live.x.SR.get_by_name_label("nfs-vhd-01")[0]
    disks = [live.x.VBD.get_VDI(v) for v in rec["VBDs"] if live.x.VBD.get_type(v) == "Disk"]
    assert disks and {live.x.VDI.get_SR(v) for v in disks} == {nfs_ref}


# --- properties, menus, roles, tasks -----------------------------------------------------------


def test_properties_save_only_what_changed(live: Live) -> None:
    snapshot = live.snapshot("mail-01")
    live.show("mail-01", [snapshot])
    written: list[str] = []
    live.sim.sim.before_call.append(
        lambda method, _params: written.append(method) if method.startswith("VM.set_")
        or method.endswith("_tags") else None)
    dialog = live.trigger("actionProperties")
    assert isinstance(dialog, PropertiesDialog)
    assert not dialog.ok_button.isEnabled()  # nothing changed yet
    dialog.tags_edit.setText(dialog.tags_edit.text() + ", before-patch")
    live.ok(dialog)
    live.finish()
    assert written == ["VM.add_tags"]
    assert "before-patch" in live.x.VM.get_tags(snapshot)


def test_context_menus_come_from_the_registry(live: Live) -> None:
    first, second = sorted(live.x.VM.get_snapshots(live.vm("web-01")))[:2]
    live.show("web-01")
    tab = live.window.snapshots_tab
    actions = live.window.registry.actions
    tab.contextMenuRequested.emit(None, QPoint(10, 10))
    assert [a for a in live.ops.menu.actions() if not a.isSeparator()] == \
        [actions[n] for n in NOW_MENU]
    live.ops.menu.close()
    tab.contextMenuRequested.emit([first], QPoint(10, 10))
    assert live.window.selected_snapshots() == [first]
    assert [a for a in live.ops.menu.actions() if not a.isSeparator()] == \
        [actions[n] for n in SNAPSHOT_MENU if n is not None]
    assert actions["actionRevert"].isEnabled() and actions["actionExport"].isEnabled()
    live.ops.menu.close()
    tab.contextMenuRequested.emit(["now"], QPoint(10, 10))  # the graph's Now node
    assert [a.objectName() for a in live.ops.menu.actions()] == list(NOW_MENU)
    live.ops.menu.close()
    tab.contextMenuRequested.emit([first, second], QPoint(10, 10))
    assert [a.objectName() for a in live.ops.menu.actions()] == ["actionDelete"]
    assert not actions["actionRevert"].isEnabled()
    assert "select one snapshot" in actions["actionRevert"].toolTip()
    assert actions["actionTakeSnapshot"].shortcut().toString() == "Ctrl+T"
    live.ops.menu.close()
    assert len(live.x.VM.get_snapshots(live.vm("web-01"))) >= 2


def test_a_read_only_user_sees_the_actions_disabled(ops_loop: asyncio.AbstractEventLoop,
                                                    ops_sim: RunningSimulator,
                                                    qtbot: QtBot) -> None:
    for live in _start_live(ops_loop, ops_sim, qtbot, READER, READER_PASSWORD):
        snapshot = live.snapshot("web-01")
        vm = live.show("web-01", [snapshot])
        before = set(live.x.VM.get_snapshots(vm))
        tips = {}
        for name in OPERATION_ACTIONS:
            action = live.action(name)
            assert not action.isEnabled(), name
            tips[name] = action.toolTip()
        assert "needs the vm-power-admin role or higher" in tips["actionTakeSnapshot"]
        assert "needs the vm-power-admin role or higher" in tips["actionRevert"]
        assert "needs the vm-admin role or higher" in tips["actionDelete"]
        assert "needs the vm-admin role or higher" in tips["actionExport"]
        live.window.snapshots_tab.activated.emit(snapshot)  # a double-click does nothing
        assert live.ops.last_dialog is None
        live.settle()
        assert set(live.x.VM.get_snapshots(vm)) == before


def test_a_task_started_through_the_sdk_shows_in_the_panel(
        live: Live, monkeypatch: pytest.MonkeyPatch) -> None:
    vm = live.show("web-02")
    release = threading.Event()
    original = sim_vm._work

    def held(call: Any, simulated: float, *args: Any, **kwargs: Any) -> None:
        release.wait(30)
        original(call, simulated, *args, **kwargs)

    monkeypatch.setattr(sim_vm, "_work", held)
    model = live.window.tasks_panel.model
    try:
        task = live.off_loop(live.x.Async.VM.snapshot, vm, "from the sdk")
        live.wait(lambda: model.row_of(live.session, task) >= 0)
        row = model.row_of(live.session, task)
        assert model.index(row, TASK).data(RefRole) == task
        assert model.index(row, TASK).data(OriginRole) != THIS_APP
        assert model.index(row, TASK).data(StatusRole) == "pending"
        assert model.index(row, TASK).data() == "Snapshot"
        assert live.window.snapshots_tab.is_busy()  # Now shows the VM is being snapshotted
    finally:
        release.set()
    live.wait(lambda: live.x.task.get_status(task) == "success")
    assert live.x.VM.get_name_label(live.x.task.get_result(task).strip()
                                    .removeprefix("<value>").removesuffix("</value>")) \
        == "from the sdk"


# --- pictures ----------------------------------------------------------------------------------


def test_render_every_dialog(live: Live, tmp_path: Path) -> None:
    """Renders each dialog to /tmp/xsnap-shots/op-*.png (looked at by a person)."""
    live.show("web-01")
    shot(live.trigger("actionTakeCheckpoint"), "op-take-snapshot")
    live.ops.last_dialog.reject()
    live.show("mail-01")
    shot(live.trigger("actionTakeSnapshot"), "op-take-snapshot-halted")
    live.ops.last_dialog.reject()
    target = live.snapshot("web-01", "before driver update")
    live.show("web-01", [target])
    shot(live.trigger("actionRevert"), "op-revert")
    live.ops.last_dialog.reject()
    shot(live.trigger("actionNewTemplate"), "op-template")
    live.ops.last_dialog.reject()
    shot(live.trigger("actionNewVm"), "op-new-vm")
    live.ops.last_dialog.reject()
    shot(live.trigger("actionProperties"), "op-properties")
    live.ops.last_dialog.reject()
    export = live.trigger("actionExport")
    export.path_edit.setText(str(tmp_path / "web-01.xva"))
    shot(export, "op-export")
    export.reject()
    checkpoint = live.snapshot("api-01", memory=True)
    plain = live.snapshot("api-01", memory=False)
    live.show("api-01", [checkpoint, plain])
    shot(live.trigger("actionDelete"), "op-delete")
    live.ops.last_dialog.reject()
    for name in ("op-take-snapshot", "op-revert", "op-delete", "op-export", "op-template",
                 "op-new-vm", "op-properties"):
        assert (SHOTS / f"{name}.png").stat().st_size > 0
