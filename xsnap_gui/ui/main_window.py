"""The main window: pool tree on the left, the selected VM's Snapshots tab on the right.

It only wires widgets together; models, views and dialogs live in their own
modules, and every command comes from the one action registry.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QMainWindow,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..model.sync import CONNECTED, FAILED, RECONNECTING, STOPPED, SyncState
from .actions import ActionRegistry
from .connections.texts import sync_reason
from .pool_session import PoolSession
from .pool_tree import PoolTreeModel, PoolTreeView
from .snapshots_tab import SnapshotsTab
from .tasks_panel import TasksPanel

log = logging.getLogger(__name__)

SETTINGS_GROUP = "mainWindow"


class MainWindow(QMainWindow):
    """The window operators live in."""

    vmSelected = Signal(object, object)  # PoolSession | None, vm ref | None  # noqa: N815

    def __init__(self, settings: QSettings | None = None, *, persist: bool = True) -> None:
        super().__init__()
        self.persist = persist
        self.setObjectName("mainWindow")
        self.setWindowTitle(self.tr("xsnap — XenServer snapshots"))
        self.settings = settings or QSettings()
        self.sessions: list[PoolSession] = []
        self.current_session: PoolSession | None = None
        self.current_vm: str | None = None
        self.registry = ActionRegistry(self)

        # Left: the pool tree with its filter.
        self.pool_model = PoolTreeModel(self)
        self.pool_tree = PoolTreeView(self.pool_model, self)
        self.pool_proxy = self.pool_tree.proxy
        self.pool_filter = QLineEdit(self)
        self.pool_filter.setObjectName("poolFilter")
        self.pool_filter.setPlaceholderText(self.tr("Filter VMs…"))
        self.pool_filter.setClearButtonEnabled(True)
        self.pool_filter.textChanged.connect(self.pool_tree.set_filter_text)
        self.pool_tree.currentObjectChanged.connect(self._on_tree_current)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(4, 4, 0, 4)
        left_layout.addWidget(self.pool_filter)
        left_layout.addWidget(self.pool_tree)

        # Right: the Snapshots tab of the selected VM.
        self.snapshots_tab = SnapshotsTab(self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.snapshots_tab, self.tr("Snapshots"))

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([280, 1000])
        self.setCentralWidget(self.splitter)

        self.tasks_panel = TasksPanel(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.tasks_panel)

        self._build_menus()
        self._build_status_bar()
        self._wire_view_actions()
        # Actions whose state depends on the selection re-check it when it changes.
        self.snapshots_tab.selectionChanged.connect(lambda _refs: self.registry.refresh())
        self.restore_state()
        # The commands: each feature registers its handlers on the one action registry.
        from .operations.install import install as install_operations  # noqa: PLC0415
        from .schedules.install import install as install_schedules  # noqa: PLC0415

        install_operations(self)
        install_schedules(self)

    # --- construction ---------------------------------------------------------------

    def _build_menus(self) -> None:
        a = self.registry.actions
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        file_menu.addAction(a["actionAddServer"])
        file_menu.addSeparator()
        quit_action = file_menu.addAction(self.tr("&Quit"))
        quit_action.setObjectName("actionQuit")
        quit_action.setShortcut("Ctrl+Q")
        quit_action.triggered.connect(self.close)
        view_menu = bar.addMenu(self.tr("&View"))
        view_menu.addAction(a["actionViewTree"])
        view_menu.addAction(a["actionViewList"])
        view_menu.addSeparator()
        view_menu.addAction(self.tasks_panel.toggleViewAction())
        snap_menu = bar.addMenu(self.tr("&Snapshot"))
        for name in ("actionTakeSnapshot", "actionTakeCheckpoint", None, "actionRevert",
                     "actionDelete", None, "actionExport", "actionNewTemplate", "actionNewVm",
                     None, "actionProperties"):
            if name is None:
                snap_menu.addSeparator()
            else:
                snap_menu.addAction(a[name])
        pool_menu = bar.addMenu(self.tr("&Pool"))
        pool_menu.addAction(a["actionNewSchedule"])
        pool_menu.addAction(a["actionSchedules"])

        toolbar = QToolBar(self.tr("Main toolbar"), self)
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for name in ("actionAddServer", None, "actionTakeSnapshot", "actionTakeCheckpoint",
                     "actionRevert", "actionDelete", None, "actionExport", None,
                     "actionSchedules"):
            if name is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(a[name])
        self.addToolBar(toolbar)

    def _build_status_bar(self) -> None:
        self.connection_label = QLabel(self)
        self.connection_label.setObjectName("connectionStatus")
        self.tasks_label = QLabel(self)
        self.tasks_label.setObjectName("tasksStatus")
        self.role_label = QLabel(self)
        self.role_label.setObjectName("roleStatus")
        status = self.statusBar()
        status.addWidget(self.connection_label, 1)
        status.addPermanentWidget(self.role_label)
        status.addPermanentWidget(self.tasks_label)
        self._update_status()

    def _wire_view_actions(self) -> None:
        a = self.registry.actions
        self.registry.set_handler("actionViewTree", lambda: self.set_view_mode("tree"))
        self.registry.set_handler("actionViewList", lambda: self.set_view_mode("list"))
        self.snapshots_tab.viewModeChanged.connect(self._sync_view_actions)
        a["actionViewTree"].setChecked(True)

    # --- sessions -------------------------------------------------------------------

    def add_session(self, session: PoolSession) -> None:
        self.sessions.append(session)
        self.pool_model.add_session(session)
        self.tasks_panel.add_session(session)
        session.stateChanged.connect(lambda _state, s=session: self._on_session_state(s))
        session.cacheChanged.connect(lambda _changes: self._on_cache_changed())
        self._update_status()

    def _on_cache_changed(self) -> None:
        self._update_status()
        self.registry.refresh()

    def selected_snapshots(self) -> list[str]:
        return self.snapshots_tab.selected_snapshots() if self.current_vm else []

    def _on_session_state(self, session: PoolSession) -> None:
        if session is self.current_session:
            self._update_permissions()
        self._update_status()

    def session_by_name(self, name: str) -> PoolSession | None:
        return next((s for s in self.sessions if s.name == name), None)

    # --- selection ------------------------------------------------------------------

    def _on_tree_current(self, session: PoolSession | None, kind: str,
                         ref: str | None) -> None:
        self.show_vm(session, ref if kind == "vm" else None)

    def show_vm(self, session: PoolSession | None, vm_ref: str | None) -> None:
        self.current_session = session
        self.current_vm = vm_ref
        self.snapshots_tab.set_vm(session if vm_ref else None, vm_ref)
        self._update_permissions()
        self.registry.refresh()
        self.vmSelected.emit(session, vm_ref)

    def select_vm_named(self, name: str) -> bool:
        """Select the first VM called ``name`` in the tree; False when there is none yet."""
        for session in self.sessions:
            for ref, rec in session.cache.records("VM").items():
                if rec.get("name_label") == name and not rec.get("is_a_template") \
                        and not rec.get("is_control_domain"):
                    return self.pool_tree.select_object(session, ref)
        return False

    # --- view mode and permissions --------------------------------------------------

    def set_view_mode(self, mode: str) -> None:
        self.snapshots_tab.set_view_mode(mode)
        self._sync_view_actions(mode)

    def _sync_view_actions(self, mode: str) -> None:
        a = self.registry.actions
        a["actionViewTree"].setChecked(mode == "tree")
        a["actionViewList"].setChecked(mode == "list")

    def _update_permissions(self) -> None:
        conn = self.current_session.connection if self.current_session else None
        if conn is None:
            self.registry.set_permissions(None)
            self.role_label.clear()
            return
        info = conn.info
        self.registry.set_permissions(None if info.is_local_superuser else info.permissions)
        role = info.role or self.tr("pool-admin (local superuser)")
        self.role_label.setText(self.tr("Role: %s") % role)

    def _update_status(self) -> None:
        if not self.sessions:
            self.connection_label.setText(self.tr("No servers. Add one with Add Server."))
        else:
            parts = [self._describe_state(s.name, s.state) for s in self.sessions]
            self.connection_label.setText("   ".join(parts))
        running = sum(
            1
            for s in self.sessions
            for task in s.cache.records("task").values()
            if task.get("status") == "pending"
        )
        self.tasks_label.setText(self.tr("%n task(s) running", "", running))

    def _describe_state(self, name: str, state: SyncState) -> str:
        if state.kind == CONNECTED:
            return self.tr("%s: connected") % name
        if state.kind == RECONNECTING:
            return self.tr("%s: reconnecting (attempt %d)") % (name, state.attempt)
        if state.kind == FAILED:
            return self.tr("%s: failed — %s") % (name, sync_reason(state))
        if state.kind == STOPPED:
            return self.tr("%s: disconnected") % name
        return self.tr("%s: connecting…") % name

    # --- persistence ----------------------------------------------------------------

    def restore_state(self) -> None:
        if not self.persist:
            self.resize(1360, 860)
            self.resizeDocks([self.tasks_panel], [150], Qt.Orientation.Vertical)
            return
        s = self.settings
        s.beginGroup(SETTINGS_GROUP)
        geometry = s.value("geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1360, 860)
            self.resizeDocks([self.tasks_panel], [150], Qt.Orientation.Vertical)
        state = s.value("windowState")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        splitter = s.value("splitter")
        if isinstance(splitter, QByteArray):
            self.splitter.restoreState(splitter)
        mode = s.value("viewMode", "tree")
        s.endGroup()
        self.set_view_mode(mode if mode in ("tree", "list") else "tree")

    def save_state(self) -> None:
        if not self.persist:
            return
        s = self.settings
        s.beginGroup(SETTINGS_GROUP)
        s.setValue("geometry", self.saveGeometry())
        s.setValue("windowState", self.saveState())
        s.setValue("splitter", self.splitter.saveState())
        s.setValue("viewMode", self.snapshots_tab.view_mode())
        s.endGroup()
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt naming
        self.save_state()
        super().closeEvent(event)
