"""Wires the schedule windows into the main window.

``install(window)`` registers ``actionNewSchedule`` and ``actionSchedules``, adds
"Assign to snapshot schedule" to the context menu of VMs in the pool tree, and
opens the schedules dialog from the Snapshots tab's schedule link. The
:class:`ScheduleUi` it creates is a child of the window named ``scheduleUi``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QObject, QPoint, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMessageBox, QWidget

from ...model.schedules import ScheduleDraft
from ...model.sync import CONNECTED
from ...model.views import VM, VMSS
from ...operations import schedules as ops
from ..i18n import translate
from ..pool_session import PoolSession
from ..pool_tree import VM as VM_KIND
from ..pool_tree import KindRole, RefRole, SessionRole
from .common import PoolFacts, ScheduleClock, fill, task_label
from .dialog import SchedulesDialog, ScheduleWatch
from .jobs import ScheduleJobs
from .properties import SchedulePropertiesDialog
from .wizard import NewScheduleWizard

if TYPE_CHECKING:
    from ..main_window import MainWindow

UI_NAME = "scheduleUi"


class ScheduleUi(QObject):
    """The schedule windows of one main window: at most one schedules dialog per pool."""

    def __init__(self, window: MainWindow, clock: ScheduleClock | None = None) -> None:
        super().__init__(window)
        self.setObjectName(UI_NAME)
        self.window = window
        self.clock = clock or ScheduleClock()
        self.jobs = ScheduleJobs(self)
        self._facts: dict[int, PoolFacts] = {}
        self._watches: dict[int, ScheduleWatch] = {}
        self.dialogs: dict[int, SchedulesDialog] = {}
        self.wizards: list[NewScheduleWizard] = []
        self.properties: list[SchedulePropertiesDialog] = []
        self.menu: QMenu | None = None
        self.confirm_box: QMessageBox | None = None

    # --- pools -----------------------------------------------------------------------

    def facts(self, session: PoolSession) -> PoolFacts:
        key = id(session)
        found = self._facts.get(key)
        if found is None or found.session is not session:
            found = self._facts[key] = PoolFacts(session, self.clock)
            self._watches[key] = ScheduleWatch(found, self)
        return found

    def watch(self, session: PoolSession) -> ScheduleWatch:
        self.facts(session)
        return self._watches[id(session)]

    def session(self) -> PoolSession | None:
        """The pool the commands act on: the selected one, else the only connected one."""
        current = self.window.current_session
        if current is not None:
            return current
        connected = [s for s in self.window.sessions if s.state.kind == CONNECTED]
        return connected[0] if len(connected) == 1 else None

    def check_new(self) -> str | None:
        session = self.session()
        if session is None or session.connection is None:
            return translate("Schedules", "select a connected pool first")
        if not self.facts(session).licensed:
            return translate("Schedules", "the pool's licence does not include snapshot schedules")
        return None

    def check_dialog(self) -> str | None:
        session = self.session()
        if session is None or session.state.kind != CONNECTED:
            return translate("Schedules", "select a connected pool first")
        return None

    # --- windows ---------------------------------------------------------------------

    def open_wizard(self, session: PoolSession | None = None,
                    preselected: Sequence[str] = ()) -> NewScheduleWizard | None:
        session = session or self.session()
        if session is None:
            return None
        facts = self.facts(session)
        parent = self.dialogs.get(id(session)) or self.window
        wizard = NewScheduleWizard(facts, parent, preselected=preselected)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.submitted.connect(
            lambda draft, vms, run, s=session: self.create(s, draft, vms, run))
        self.wizards.append(wizard)
        wizard.destroyed.connect(lambda _o=None, w=wizard: self._forget(self.wizards, w))
        wizard.open()
        return wizard

    def open_schedules(self, session: PoolSession | None = None,
                       select: str | None = None) -> SchedulesDialog | None:
        session = session or self.session()
        if session is None:
            return None
        key = id(session)
        dialog = self.dialogs.get(key)
        if dialog is None:
            facts = self.facts(session)
            dialog = SchedulesDialog(facts, self.jobs, self.watch(session), self.window)
            dialog.newRequested.connect(lambda s=session: self.open_wizard(s))
            dialog.propertiesRequested.connect(
                lambda ref, s=session: self.open_properties(s, ref))
            self.dialogs[key] = dialog
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if select:
            dialog.select_schedule(select)
        return dialog

    def open_properties(self, session: PoolSession, vmss_ref: str
                        ) -> SchedulePropertiesDialog | None:
        for existing in self.properties:
            if existing.vmss_ref == vmss_ref and existing.facts.session is session:
                existing.raise_()
                return existing
        facts = self.facts(session)
        try:
            dialog = SchedulePropertiesDialog(facts, vmss_ref,
                                              self.dialogs.get(id(session)) or self.window)
        except KeyError:
            return None
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(
            lambda before, draft, add, remove, s=session, r=vmss_ref:
            self.save(s, r, before, draft, add, remove))
        self.properties.append(dialog)
        dialog.destroyed.connect(lambda _o=None, d=dialog: self._forget(self.properties, d))
        dialog.open()
        return dialog

    @staticmethod
    def _forget(items: list, item: object) -> None:  # type: ignore[type-arg]
        if item in items:
            items.remove(item)

    # --- operations --------------------------------------------------------------------

    def _parent(self, session: PoolSession) -> QWidget:
        return self.dialogs.get(id(session)) or self.window

    def create(self, session: PoolSession, draft: ScheduleDraft, vms: list[tuple[str, str]],
               run_now: bool) -> None:
        conn = session.connection
        if conn is None:
            QMessageBox.warning(
                self._parent(session),
                translate("Schedules", "Not connected"),
                translate("Schedules", "The pool is not connected; the schedule was not created."),
            )
            return

        def created(report: ops.Report) -> None:
            dialog = self.dialogs.get(id(session))
            if dialog is not None and report.vmss:
                dialog.refresh()
                dialog.select_schedule(report.vmss)

        self.jobs.start(ops.CREATE, session,
                        ops.create_schedule(conn, draft, vms, run_after=run_now,
                                            labels=task_label),
                        title=fill(translate("Schedules", "Create “%1”"), draft.name_label),
                        parent=self._parent(session), done=created)

    def save(self, session: PoolSession, vmss_ref: str, before: dict, draft: ScheduleDraft,  # type: ignore[type-arg]
             add: list[tuple[str, str]], remove: list[tuple[str, str]]) -> None:
        conn = session.connection
        if conn is None:
            QMessageBox.warning(self._parent(session), translate("Schedules", "Not connected"),
                                translate("Schedules",
                                          "The pool is not connected; nothing was changed."))
            return
        self.jobs.start("save", session,
                        ops.save_properties(conn, vmss_ref, before, draft, add=add,
                                            remove=remove, labels=task_label),
                        title=fill(translate("Schedules", "Change “%1”"), draft.name_label),
                        parent=self._parent(session), refs=[vmss_ref])

    def assign(self, session: PoolSession, vmss_ref: str | None,
               vms: list[tuple[str, str]]) -> None:
        """Put ``vms`` into ``vmss_ref`` (None: out of their schedules), asking before
        moving a VM out of another schedule."""
        cache = session.cache
        vmss = VMSS.get(cache, vmss_ref)
        name = vmss.name_label if vmss is not None else ""
        moves = []
        for ref, vm_name in vms:
            current = VM.get(cache, ref)
            other = current.snapshot_schedule if current is not None else None
            if vmss_ref is not None and other is not None and other.ref != vmss_ref:
                moves.append((vm_name, other.name_label))

        def go() -> None:
            conn = session.connection
            if conn is None:
                return
            wanted = [(r, n) for r, n in vms if vmss_ref is None
                      or (VM.get(cache, r) is not None
                          and VM.get(cache, r).snapshot_schedule_ref != vmss_ref)]  # type: ignore[union-attr]
            title = fill(translate("Schedules",
                                   "Assign to “%1”"), name) if vmss_ref else translate("Schedules",
                "Take VMs out of their schedules")
            self.jobs.start(ops.ASSIGN, session,
                            ops.assign_vms(conn, vmss_ref, name, wanted, task_label),
                            title=title, parent=self.window,
                            refs=[vmss_ref] if vmss_ref else [])

        if not moves:
            go()
            return
        box = QMessageBox(QMessageBox.Icon.Question, translate("Schedules",
                                                               "Move to another schedule?"), "",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self.window)
        box.setObjectName("confirmMoves")
        if len(moves) == 1:
            box.setText(fill(translate("Schedules",
                                       "The VM “%1” is already in the snapshot schedule “%2”. Move "
                                       "it to “%3”?"), moves[0][0], moves[0][1], name))
        else:
            move_count = len(moves)
            box.setText(fill(translate("Schedules",
                                       "%n VMs are already in other snapshot schedules. Move them "
                                       "to “%1”?", "", move_count), name))
            box.setInformativeText("\n".join(fill(translate("Schedules",
                                                            "%1 (now in “%2”)"), vm, other)
                                             for vm, other in moves))

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                go()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    # --- the pool tree's context menu ------------------------------------------------------

    def selected_vms(self, clicked: QModelIndex) -> tuple[PoolSession | None, list[str]]:
        """The VMs a context menu on ``clicked`` is about: the selection if it holds the
        clicked row, else the clicked row; VMs of the clicked row's pool only."""
        tree = self.window.pool_tree
        if not clicked.isValid() or clicked.data(KindRole) != VM_KIND:
            return None, []
        session = clicked.data(SessionRole)
        rows = tree.selectionModel().selectedRows()
        if clicked not in rows and not any(r.data(RefRole) == clicked.data(RefRole)
                                           for r in rows):
            rows = [clicked]
        refs = [str(r.data(RefRole)) for r in rows
                if r.data(KindRole) == VM_KIND and r.data(SessionRole) is session]
        return session, refs

    def build_vm_menu(self, session: PoolSession, vm_refs: Sequence[str]) -> QMenu:
        cache = session.cache
        facts = self.facts(session)
        vms = [v for v in (VM.get(cache, r) for r in vm_refs) if v is not None]
        rows = [(v.ref, v.name_label) for v in vms]
        menu = QMenu(self.window)
        menu.setObjectName("poolTreeMenu")
        sub = menu.addMenu(translate("Schedules", "Assign to snapshot &schedule"))
        sub.setObjectName("assignScheduleMenu")
        may_assign = facts.can("vm.set_snapshot_schedule") and facts.licensed
        schedules = sorted(VMSS.all(cache), key=lambda s: s.name_label.lower())
        for vmss in schedules:
            action = QAction(vmss.name_label or vmss.ref, sub)
            action.setObjectName(f"assignTo:{vmss.ref}")
            action.setCheckable(True)
            action.setChecked(bool(vms) and all(v.snapshot_schedule_ref == vmss.ref
                                                for v in vms))
            action.setEnabled(may_assign)
            action.triggered.connect(
                lambda _c=False, r=vmss.ref: self.assign(session, r, rows))
            sub.addAction(action)
        if not schedules:
            none = sub.addAction(translate("Schedules", "No schedules in this pool"))
            none.setEnabled(False)
        if any(v.snapshot_schedule_ref for v in vms):
            sub.addSeparator()
            out = sub.addAction(translate("Schedules", "&Remove from schedule"))
            out.setObjectName("removeFromSchedule")
            out.setEnabled(may_assign)
            out.triggered.connect(lambda _c=False: self.assign(session, None, rows))
        sub.addSeparator()
        new = sub.addAction(translate("Schedules", "&New schedule…"))
        new.setObjectName("assignNewSchedule")
        new.setEnabled(facts.can("vmss.create") and facts.licensed)
        new.triggered.connect(
            lambda _c=False: self.open_wizard(session, [v.ref for v in vms]))
        return menu

    def _on_tree_menu(self, pos: QPoint) -> None:
        tree = self.window.pool_tree
        session, refs = self.selected_vms(tree.indexAt(pos))
        if session is None or not refs:
            return
        if self.menu is not None:
            self.menu.deleteLater()
        self.menu = self.build_vm_menu(session, refs)
        self.menu.popup(tree.viewport().mapToGlobal(pos))


def install(window: MainWindow, *, clock: ScheduleClock | None = None) -> None:
    """Register the schedule actions, the VM context menu and the Snapshots tab link.

    The window installs this itself; a second call only swaps in ``clock``.
    """
    existing = schedule_ui(window)
    if existing is not None:
        if clock is not None:
            existing.clock = clock
            existing._facts.clear()  # facts hold the clock they were made with
        return
    ui = ScheduleUi(window, clock)
    registry = window.registry

    def new_schedule() -> None:
        ui.open_wizard()

    def schedules() -> None:
        ui.open_schedules()

    registry.set_handler("actionNewSchedule", new_schedule)
    registry.set_check("actionNewSchedule", ui.check_new)
    registry.set_handler("actionSchedules", schedules)
    registry.set_check("actionSchedules", ui.check_dialog)
    tree = window.pool_tree
    tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    tree.customContextMenuRequested.connect(ui._on_tree_menu)
    window.snapshots_tab.scheduleLinkActivated.connect(
        lambda ref: ui.open_schedules(select=ref or None))


def schedule_ui(window: QObject) -> ScheduleUi | None:
    """The :class:`ScheduleUi` that :func:`install` gave ``window``."""
    return window.findChild(ScheduleUi, UI_NAME)
