"""Wire the snapshot operations into the main window: action handlers and checks, the
context menus of the Snapshots tab (snapshots, in tree and list, and the Now node),
double-click and "drag Now onto a snapshot" to revert.

``install(window)`` is the one entry point. Every menu entry is an action of the
window's registry, so menus, toolbar, keyboard shortcuts and permissions agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QPoint
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from ...model.views import VM, Snapshot
from ...operations.new_vm import NewVmResult, new_vm_from_snapshot
from ...operations.power import resume_vm
from ...operations.properties import save_properties
from ...operations.revert import RevertResult, revert_to_snapshot
from ...operations.snapshot import SnapshotResult, take_snapshot
from ...operations.template import TemplateResult, create_template
from ...xapi.client import Connection
from ..i18n import translate
from ..pool_session import PoolSession
from .base import task_labels
from .delete_dialog import DeleteDialog
from .export_dialog import ExportDialog
from .new_vm_dialog import NewVmDialog
from .properties_dialog import PropertiesDialog
from .revert_dialog import RevertDialog
from .runner import Job, OperationRunner
from .take_snapshot_dialog import TakeSnapshotDialog
from .template_dialog import TemplateDialog, TemplateListDialog

if TYPE_CHECKING:
    from ..main_window import MainWindow

RESUME_BOX_NAME = "revertResumeBox"
ATTRIBUTE = "snapshot_operations"  # where install() leaves the controller on the window

SNAPSHOT_MENU = ("actionRevert", None, "actionNewVm", "actionNewTemplate", "actionExport",
                 None, "actionDelete", "actionProperties")
MANY_MENU = ("actionDelete",)
NOW_MENU = ("actionTakeSnapshot", "actionTakeCheckpoint")


D = TypeVar("D", bound=QDialog)


def _returning_none(handler: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        handler()

    return run


class SnapshotOperations(QObject):
    """The controller behind the snapshot actions of one main window."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("snapshotOperations")
        self.window = window
        self.runner = OperationRunner(window)
        self.last_dialog: Any = None  # the dialog opened last (tests and scripts drive it)
        self.menu: QMenu | None = None
        registry = window.registry
        handlers = {
            "actionTakeSnapshot": lambda: self.take_snapshot(memory=False),
            "actionTakeCheckpoint": lambda: self.take_snapshot(memory=True),
            "actionRevert": lambda: self.revert(),
            "actionDelete": lambda: self.delete(),
            "actionExport": lambda: self.export(),
            "actionNewTemplate": lambda: self.new_template(),
            "actionNewVm": lambda: self.new_vm(),
            "actionProperties": lambda: self.properties(),
        }
        checks = {
            "actionTakeSnapshot": lambda: self._vm_check("snapshot"),
            "actionTakeCheckpoint": self._checkpoint_check,
            "actionRevert": lambda: self._one_check("revert"),
            "actionDelete": self._delete_check,
            "actionExport": lambda: self._one_check("export"),
            "actionNewTemplate": lambda: self._one_check("clone", "copy"),
            "actionNewVm": lambda: self._one_check("clone", "copy"),
            "actionProperties": lambda: self._one_check(),
        }
        for name, handler in handlers.items():
            registry.set_handler(name, _returning_none(handler))
        for name, check in checks.items():
            registry.set_check(name, check)
        tab = window.snapshots_tab
        tab.activated.connect(self._on_activated)
        tab.revertRequested.connect(self._on_activated)
        tab.contextMenuRequested.connect(self._on_context_menu)

    # --- context ----------------------------------------------------------------------

    def _session(self) -> PoolSession | None:
        session = self.window.current_session
        return session if session is not None and session.connection is not None else None

    def _vm(self) -> VM | None:
        session = self.window.current_session
        if session is None or self.window.current_vm is None:
            return None
        return VM.get(session.cache, self.window.current_vm)

    def _selected(self) -> list[Snapshot]:
        session = self.window.current_session
        if session is None:
            return []
        found = (Snapshot.get(session.cache, r) for r in self.window.selected_snapshots())
        return [s for s in found if s is not None and s.is_a_snapshot]

    # --- checks (None: usable; else why not) -----------------------------------------

    def _connected_reason(self) -> str | None:
        if self.window.current_session is None:
            return translate("OperationDialogs", "select a VM first")
        if self._session() is None:
            return translate("OperationDialogs", "not connected to the pool")
        return None

    def _vm_check(self, operation: str) -> str | None:
        reason = self._connected_reason()
        if reason is not None:
            return reason
        vm = self._vm()
        if vm is None or not vm.is_real_vm:
            return translate("OperationDialogs", "select a VM first")
        if not vm.allows(operation):
            return translate("OperationDialogs",
                             "the pool does not allow this for %1 now").replace("%1", vm.name_label)
        return None

    def _checkpoint_check(self) -> str | None:
        reason = self._connected_reason()
        if reason is not None:
            return reason
        vm = self._vm()
        if vm is None or not vm.is_real_vm:
            return translate("OperationDialogs", "select a VM first")
        if vm.power_state not in ("Running", "Paused"):
            return translate("OperationDialogs", "memory snapshots need the VM running or paused")
        if not vm.allows("checkpoint"):
            return translate("OperationDialogs",
                             "the pool does not allow this for %1 now").replace("%1", vm.name_label)
        return None

    def _one_check(self, *operations: str) -> str | None:
        reason = self._connected_reason()
        if reason is not None:
            return reason
        selected = self._selected()
        if len(selected) != 1:
            return translate("OperationDialogs", "select one snapshot")
        if operations and not any(selected[0].allows(op) for op in operations):
            return translate("OperationDialogs",
                             "the pool does not allow this for the snapshot now")
        return None

    def _delete_check(self) -> str | None:
        reason = self._connected_reason()
        if reason is not None:
            return reason
        selected = self._selected()
        if not selected:
            return translate("OperationDialogs", "select one or more snapshots")
        if not all(s.allows("destroy") for s in selected):
            return translate("OperationDialogs",
                             "the pool does not allow deleting every selected snapshot now")
        return None

    # --- signals from the tab -----------------------------------------------------------

    def _on_activated(self, ref: str) -> None:
        session = self._session()
        if session is None:
            return
        snapshot = Snapshot.get(session.cache, ref)
        if snapshot is None or not snapshot.is_a_snapshot or not snapshot.allows("revert"):
            return
        conn = session.connection
        if conn is None or not conn.can("vm.revert"):
            return  # the disabled Revert action's tooltip names the role needed
        self.revert(ref)

    def _on_context_menu(self, refs: list[str] | None, pos: QPoint) -> None:
        session = self.window.current_session
        snapshots = [r for r in (refs or []) if session is not None
                     and Snapshot.get(session.cache, r) is not None
                     and (session.cache.get("VM", r) or {}).get("is_a_snapshot")]
        if snapshots and set(snapshots) != set(self.window.selected_snapshots()):
            self.window.snapshots_tab.select_snapshots(snapshots)
        self.window.registry.refresh()
        names = NOW_MENU if not snapshots else SNAPSHOT_MENU if len(snapshots) == 1 \
            else MANY_MENU
        self.menu = self.build_menu(names)
        self.menu.popup(pos)

    def build_menu(self, names: tuple[str | None, ...]) -> QMenu:
        menu = QMenu(self.window)
        menu.setObjectName("snapshotContextMenu")
        actions = self.window.registry.actions
        for name in names:
            if name is None:
                menu.addSeparator()
            else:
                menu.addAction(actions[name])
        return menu

    # --- take snapshot ------------------------------------------------------------------

    def take_snapshot(self, *, memory: bool = False) -> TakeSnapshotDialog | None:
        session, vm = self._session(), self.window.current_vm
        if session is None or vm is None:
            return None
        dialog = TakeSnapshotDialog(self.window, session, vm, memory=memory)
        dialog.accepted.connect(lambda: self._run_snapshot(session, dialog))
        return self._open(dialog)

    def _run_snapshot(self, session: PoolSession, dialog: TakeSnapshotDialog) -> Job:
        request = dialog.request()
        labels = task_labels()

        async def work(conn: Connection) -> SnapshotResult:
            return await take_snapshot(conn, request, labels=labels)

        return self._run(Job(translate("OperationDialogs",
                                       "Take Snapshot"), session, work, vm_ref=request.vm_ref,
                             busy=True, on_success=lambda r: self._select_new(r.ref)))

    def _select_new(self, ref: str) -> None:
        # The cache may learn of the snapshot a moment later; select it if it is there.
        self.window.snapshots_tab.select_snapshots([ref])

    # --- revert -----------------------------------------------------------------------

    def revert(self, ref: str | None = None) -> RevertDialog | None:
        session = self._session()
        if session is None:
            return None
        if ref is None:
            selected = self._selected()
            if len(selected) != 1:
                return None
            ref = selected[0].ref
        dialog = RevertDialog(self.window, session, ref)
        dialog.accepted.connect(lambda: self._run_revert(session, dialog))
        return self._open(dialog)

    def _run_revert(self, session: PoolSession, dialog: RevertDialog) -> Job:
        snapshot_ref, first = dialog.snapshot_ref, dialog.snapshot_first()
        labels = task_labels()

        async def work(conn: Connection) -> RevertResult:
            return await revert_to_snapshot(conn, snapshot_ref, snapshot_first=first,
                                            labels=labels)

        return self._run(Job(translate("OperationDialogs",
                                       "Revert to Snapshot"), session, work, vm_ref=dialog.vm_ref,
                             busy=True, on_success=lambda r: self._after_revert(session, r)))

    def _after_revert(self, session: PoolSession, result: RevertResult) -> None:
        if not result.needs_resume:
            return
        vm = VM.get(session.cache, result.vm_ref)
        snapshot = VM.get(session.cache, result.snapshot_ref)
        box = QMessageBox(QMessageBox.Icon.Information, translate("OperationDialogs",
                                                                  "Revert to Snapshot"),
                          translate("OperationDialogs",
                                    "%1 was reverted to “%2” and is suspended, holding the memory "
                                    "the snapshot saved.")
                          .replace("%1", vm.name_label if vm else result.vm_ref)
                          .replace("%2", snapshot.name_label if snapshot else ""),
                          QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName(RESUME_BOX_NAME)
        box.setInformativeText(translate("OperationDialogs",
                                         "Resume it now to carry on exactly where it was?"))
        resume = box.addButton(translate("OperationDialogs",
                                         "&Resume Now"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(translate("OperationDialogs",
                                "&Leave Suspended"), QMessageBox.ButtonRole.RejectRole)
        resume.setObjectName("resumeButton")
        resume.clicked.connect(lambda: self.resume(session, result.vm_ref))
        self.last_dialog = box
        box.open()

    def resume(self, session: PoolSession, vm_ref: str) -> Job:
        labels = task_labels()

        async def work(conn: Connection) -> None:
            await resume_vm(conn, vm_ref, labels=labels)

        return self._run(Job(translate("OperationDialogs",
                                       "Resume VM"), session, work, vm_ref=vm_ref))

    # --- delete -----------------------------------------------------------------------

    def delete(self) -> DeleteDialog | None:
        session = self._session()
        selected = self._selected()
        if session is None or not selected:
            return None
        return self._open(DeleteDialog(self.window, session, [s.ref for s in selected],
                                       self.runner))

    # --- export -----------------------------------------------------------------------

    def export(self) -> ExportDialog | None:
        return self._open_for_one(
            lambda session, ref: ExportDialog(self.window, session, ref, self.runner))

    # --- template and new VM ------------------------------------------------------------

    def new_template(self) -> TemplateDialog | None:
        return self._open_for_one(
            lambda session, ref: TemplateDialog(self.window, session, ref), self._run_template)

    def _run_template(self, session: PoolSession, dialog: TemplateDialog) -> Job:
        request = dialog.request()
        labels = task_labels()

        async def work(conn: Connection) -> TemplateResult:
            return await create_template(conn, request, labels=labels)

        def show(result: TemplateResult) -> None:
            self.show_templates(session, result.ref)

        return self._run(
            Job(
                translate("OperationDialogs", "New Template from Snapshot"),
                session,
                work,
                on_success=show,
            )
        )

    def show_templates(self, session: PoolSession, new_ref: str) -> None:
        if session.cache.get("VM", new_ref) is None:
            # The event for the new template has not arrived yet: look again when it does.
            def retry(_changes: object) -> None:
                if session.cache.get("VM", new_ref) is not None:
                    session.cacheChanged.disconnect(retry)
                    self.show_templates(session, new_ref)

            session.cacheChanged.connect(retry)
            return
        self._open(TemplateListDialog(self.window, session, new_ref))

    def new_vm(self) -> NewVmDialog | None:
        return self._open_for_one(
            lambda session, ref: NewVmDialog(self.window, session, ref), self._run_new_vm)

    def _run_new_vm(self, session: PoolSession, dialog: NewVmDialog) -> Job:
        request = dialog.request()
        labels = task_labels()

        async def work(conn: Connection) -> NewVmResult:
            return await new_vm_from_snapshot(conn, request, labels=labels)

        return self._run(Job(translate("OperationDialogs", "New VM from Snapshot"), session, work))

    # --- properties ---------------------------------------------------------------------

    def properties(self) -> PropertiesDialog | None:
        return self._open_for_one(
            lambda session, ref: PropertiesDialog(self.window, session, ref),
            self._run_properties)

    def _run_properties(self, session: PoolSession, dialog: PropertiesDialog) -> Job:
        ref, changes = dialog.ref, dialog.changes()

        async def work(conn: Connection) -> object:
            return await save_properties(conn, ref, changes)

        return self._run(Job(translate("OperationDialogs", "Properties"), session, work))

    # --- plumbing ---------------------------------------------------------------------

    def _open_for_one(self, make: Callable[[PoolSession, str], D],
                      run: Callable[[PoolSession, D], Job] | None = None) -> D | None:
        """The dialog ``make`` builds for the one selected snapshot, opened; on OK it
        runs ``run``. None unless exactly one snapshot is selected on a live pool."""
        session = self._session()
        selected = self._selected()
        if session is None or len(selected) != 1:
            return None
        dialog = make(session, selected[0].ref)
        if run is not None:
            dialog.accepted.connect(lambda: run(session, dialog))
        return self._open(dialog)

    def _open(self, dialog: D) -> D:
        self.last_dialog = dialog
        dialog.open()
        return dialog

    @property
    def last_job(self) -> Job | None:
        return self.runner.last_job

    def _run(self, job: Job) -> Job:
        return self.runner.run(job)


def install(window: MainWindow) -> SnapshotOperations:
    """Register the snapshot operations with ``window``; returns the controller (also kept
    as ``window.snapshot_operations``)."""
    existing = getattr(window, ATTRIBUTE, None)
    if isinstance(existing, SnapshotOperations):
        return existing
    controller = SnapshotOperations(window)
    setattr(window, ATTRIBUTE, controller)
    return controller
