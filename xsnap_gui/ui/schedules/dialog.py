"""VM Snapshot Schedules: every schedule of a pool with its health, and its run history.

The table shows, per schedule: name, enabled, frequency and time, number of VMs,
the next run on the user's clock and the pool's, the last run (``last_run_time``
or the newest run message, whichever is later, since some pools never update the
former), the last result, and health flags explained in tooltips. Buttons create,
edit, enable or disable, run and delete schedules; the pane below lists the
selected schedule's runs.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...model.cache import Changes
from ...model.schedules import (
    ScheduleHealth,
    last_run_seen,
    schedule_health,
)
from ...model.views import VMSS
from ...operations import schedules as ops
from ..i18n import translate
from .common import (
    PoolFacts,
    fill,
    frequency_text,
    result_text,
    task_label,
    time_text,
    zone_label,
)
from .health import health_icon, health_text, health_tooltip
from .history import RunHistoryPane
from .jobs import ScheduleJobs

AnyIndex = QModelIndex | QPersistentModelIndex
_NO_PARENT = QModelIndex()
RefRole = Qt.ItemDataRole.UserRole + 1
SortRole = Qt.ItemDataRole.UserRole + 2

COLUMNS = ("name", "enabled", "frequency", "vms", "next_local", "next_pool", "last_run",
           "last_result", "health")
_NEVER = -1.0


class ScheduleWatch(QObject):
    """When this app first saw each schedule, and when its timing last changed.

    xapi keeps neither, yet "overdue" needs them: a run due before a schedule
    existed or was enabled was never expected. See :func:`schedule_health`.
    """

    def __init__(self, facts: PoolFacts, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.first_seen: dict[str, dt.datetime] = {}
        self.changed: dict[str, dt.datetime] = {}
        self._config: dict[str, tuple[Any, ...]] = {}
        self._loaded = False
        facts.session.cacheChanged.connect(self._on_changes)
        self._scan(initial=True)

    def _config_of(self, rec: dict[str, Any]) -> tuple[Any, ...]:
        schedule = rec.get("schedule") or {}
        return (rec.get("enabled"), rec.get("frequency"), tuple(sorted(schedule.items())),
                bool(rec.get("VMs")))

    def _scan(self, *, initial: bool) -> None:
        records = self.facts.cache.records("VMSS")
        if not records and not self._loaded:
            return  # nothing loaded yet: the first batch is the initial state
        now = self.facts.now()
        first = initial or not self._loaded
        self._loaded = True
        for ref, rec in records.items():
            config = self._config_of(rec)
            if ref not in self.first_seen:
                self.first_seen[ref] = now
                if not first:
                    self.changed[ref] = now  # created while we watched
            elif self._config.get(ref) != config:
                self.changed[ref] = now
            self._config[ref] = config
        for gone in set(self._config) - set(records):
            self._config.pop(gone, None)
            self.first_seen.pop(gone, None)
            self.changed.pop(gone, None)

    def _on_changes(self, changes: Changes) -> None:
        if changes.touched("VMSS") or changes.resync:
            self._scan(initial=False)

    def known_since(self, ref: str) -> dt.datetime | None:
        if ref in self.changed:
            return self.changed[ref]
        if last_run_seen(self.facts.cache, ref) is None:
            return self.first_seen.get(ref)
        return None


class SchedulesModel(QAbstractTableModel):
    """One row per schedule of the pool."""

    def __init__(self, facts: PoolFacts, watch: ScheduleWatch, jobs: ScheduleJobs,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.watch = watch
        self.jobs = jobs
        self.refs: list[str] = []
        self.health: dict[str, ScheduleHealth | None] = {}
        self.refresh()

    def refresh(self) -> None:
        current = set(self.facts.cache.records("VMSS"))
        for row in reversed(range(len(self.refs))):
            if self.refs[row] not in current:
                self.beginRemoveRows(_NO_PARENT, row, row)
                del self.refs[row]
                self.endRemoveRows()
        new = sorted(current - set(self.refs))
        if new:
            first = len(self.refs)
            self.beginInsertRows(_NO_PARENT, first, first + len(new) - 1)
            self.refs.extend(new)
            self.endInsertRows()
        now = self.facts.now()
        self.health = {
            ref: schedule_health(self.facts.cache, ref, now, self.facts.pool_tz,
                                 self.facts.local_tz, known_since=self.watch.known_since(ref))
            for ref in self.refs
        }
        if self.refs:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self.refs) - 1, len(COLUMNS) - 1))

    def rowCount(self, parent: AnyIndex = _NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self.refs)

    def columnCount(self, parent: AnyIndex = _NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = COLUMNS[section]
        now = self.facts.now()
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "next_local":
                return fill(translate("Schedules", "The next run on your clock (%1)"),
                            zone_label(self.facts.local_tz, now))
            if column == "next_pool":
                return fill(translate("Schedules",
                                      "The next run on the pool's clock (%1), which schedules are "
                                      "kept in"), zone_label(self.facts.pool_tz, now))
            if column == "last_run":
                return translate("Schedules",
                                 "The later of the schedule's last_run_time and its newest run "
                                 "message")
            return None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return {
            "name": translate("Schedules", "Name"),
            "enabled": translate("Schedules", "Enabled"),
            "frequency": translate("Schedules", "Frequency and time"),
            "vms": translate("Schedules", "VMs"),
            "next_local": translate("Schedules", "Next run (local)"),
            "next_pool": translate("Schedules", "Next run (pool)"),
            "last_run": translate("Schedules", "Last run"),
            "last_result": translate("Schedules", "Last result"),
            "health": translate("Schedules", "Health"),
        }[column]

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.refs):
            return None
        ref = self.refs[index.row()]
        vmss = VMSS.get(self.facts.cache, ref)
        if vmss is None:
            return None
        column = COLUMNS[index.column()]
        health = self.health.get(ref)
        if role == RefRole:
            return ref
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(vmss, column, health)
        if role == SortRole:
            return self._sort_key(vmss, column, health)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == "health":
                return health_tooltip(health, self.facts.local_tz)
            if column == "name":
                return vmss.name_description or None
            if column == "vms":
                names = sorted(v.name_label for v in vmss.vms)
                return "\n".join(names) if names else None
            if column == "last_result" and health is not None \
                    and health.status.last_result is not None:
                return health.status.last_result.body
        if role == Qt.ItemDataRole.DecorationRole and column == "health":
            return health_icon(health)
        return None

    def _next(self, health: ScheduleHealth | None) -> dt.datetime | None:
        if health is None or health.status.next_run is None:
            return None
        return health.status.next_run.utc

    def _display(self, vmss: VMSS, column: str, health: ScheduleHealth | None) -> str:
        facts = self.facts
        if column == "name":
            return vmss.name_label
        if column == "enabled":
            state = translate("Schedules", "Enabled") if vmss.enabled else translate("Schedules",
                                                                                     "Disabled")
            return fill(translate("Schedules",
                                  "%1 (working…)"), state) if self.jobs.busy(vmss.ref) else state
        if column == "frequency":
            return frequency_text(vmss.frequency, vmss.schedule)
        if column == "vms":
            return str(len(vmss.vm_refs))
        if column in ("next_local", "next_pool"):
            when = self._next(health)
            if when is None:
                return (
                    translate("Schedules", "not scheduled")
                    if not vmss.enabled
                    else translate("Schedules", "no VMs")
                )
            return time_text(when, facts.local_tz if column == "next_local" else facts.pool_tz)
        if column == "last_run":
            last = health.last_run if health is not None else None
            return time_text(last, facts.local_tz) if last is not None else translate("Schedules",
                                                                                      "never")
        if column == "last_result":
            return result_text(health.status.last_result if health is not None else None)
        return health_text(health)

    def _sort_key(self, vmss: VMSS, column: str, health: ScheduleHealth | None) -> Any:
        if column in ("next_local", "next_pool"):
            when = self._next(health)
            return when.timestamp() if when is not None else float("inf")
        if column == "last_run":
            last = health.last_run if health is not None else None
            return last.timestamp() if last is not None else _NEVER
        if column == "vms":
            return len(vmss.vm_refs)
        if column == "health":
            return len(health.flags) if health is not None else 0
        return self._display(vmss, column, health).lower()

    def row_of(self, ref: str) -> int:
        return self.refs.index(ref) if ref in self.refs else -1


class SchedulesDialog(QDialog):
    """The pool's schedules. ``newRequested`` and ``propertiesRequested(ref)`` ask the
    owner to open the wizard or a properties dialog."""

    newRequested = Signal()  # noqa: N815 - Qt naming
    propertiesRequested = Signal(str)  # noqa: N815

    def __init__(self, facts: PoolFacts, jobs: ScheduleJobs, watch: ScheduleWatch,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.jobs = jobs
        self.setObjectName("schedulesDialog")
        self.setWindowTitle(fill(translate("Schedules",
                                           "VM Snapshot Schedules — %1"), facts.pool_name))
        self.header = QLabel()
        self.header.setObjectName("schedulesHeader")
        self.header.setTextFormat(Qt.TextFormat.PlainText)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.licence_note = QLabel()
        self.licence_note.setObjectName("schedulesLicence")
        self.licence_note.setWordWrap(True)
        self.licence_note.hide()
        self.model = SchedulesModel(facts, watch, jobs, self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortRole)
        self.table = QTableView()
        self.table.setObjectName("schedulesTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self._properties())

        self.history = RunHistoryPane(facts.cache, facts.now, lambda: facts.local_tz)

        def button(name: str, text: str) -> QPushButton:
            b = QPushButton(text)
            b.setObjectName(name)
            b.setAutoDefault(False)
            return b

        self.new_button = button("newScheduleButton", translate("Schedules", "&New…"))
        self.properties_button = button("propertiesButton", translate("Schedules", "&Properties…"))
        self.enable_button = button("enableButton", translate("Schedules", "&Enable"))
        self.run_button = button("runNowButton", translate("Schedules", "&Run Now"))
        self.delete_button = button("deleteButton", translate("Schedules", "&Delete…"))
        self.close_button = button("closeButton", translate("Schedules", "Close"))
        buttons = QVBoxLayout()
        for b in (self.new_button, self.properties_button, self.enable_button, self.run_button,
                  self.delete_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        top = QWidget()
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.table, 1)
        top_layout.addLayout(buttons)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(self.history)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.licence_note)
        layout.addWidget(self.splitter, 1)

        self.new_button.clicked.connect(self.newRequested)
        self.properties_button.clicked.connect(self._properties)
        self.enable_button.clicked.connect(self._toggle_enabled)
        self.run_button.clicked.connect(self._run_now)
        self.delete_button.clicked.connect(self._delete)
        self.close_button.clicked.connect(self.close)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._on_selection())
        jobs.busyChanged.connect(self.refresh)
        facts.session.cacheChanged.connect(self._on_cache_changed)
        facts.session.stateChanged.connect(lambda _s: self.refresh())
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(50)
        self._pending.timeout.connect(self.refresh)
        # Next runs, overdue flags and "last 24 hours" move with the clock.
        self._ticker = QTimer(self)
        self._ticker.setInterval(30_000)
        self._ticker.timeout.connect(self.refresh)
        self._ticker.start()
        self.confirm_box: QMessageBox | None = None
        self.resize(1180, 640)
        self.refresh()
        if self.proxy.rowCount():
            self.table.selectRow(0)

    # --- selection ----------------------------------------------------------------------

    def selected_refs(self) -> list[str]:
        rows = self.table.selectionModel().selectedRows()
        return [str(i.data(RefRole)) for i in sorted(rows, key=lambda i: i.row())]

    def select_schedule(self, ref: str | None) -> bool:
        """Make ``ref`` the selected schedule; False if it is not listed."""
        if not ref:
            return False
        row = self.model.row_of(ref)
        if row < 0:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)
        return True

    def _on_selection(self) -> None:
        refs = self.selected_refs()
        self.history.show_schedule(refs[0] if len(refs) == 1 else None)
        self._update_buttons()

    # --- refreshing ----------------------------------------------------------------------

    def _on_cache_changed(self, changes: Changes) -> None:
        if changes.resync or any(changes.touched(c) for c in ("VMSS", "message", "VM",
                                                                 "pool")):
            self._pending.start()

    def refresh(self) -> None:
        self.model.refresh()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        facts = self.facts
        vms = facts.real_vms()
        covered = sum(1 for vm in vms if vm.snapshot_schedule_ref
                      and facts.cache.get("VMSS", vm.snapshot_schedule_ref) is not None)
        count = len(self.model.refs)
        self.header.setText(fill(translate("Schedules",
                                           "%n schedule(s) in pool “%1” (%2 of %3 VMs covered)", "",
                                    count), facts.pool_name, covered, len(vms)))
        if not facts.licensed:
            self.licence_note.setText(translate("Schedules",
                                                "The pool's licence does not include snapshot "
                                                "schedules: existing ones do not run."))
        self.licence_note.setVisible(not facts.licensed)
        self.history.refresh()
        self._update_buttons()

    def _update_buttons(self) -> None:
        facts = self.facts
        refs = self.selected_refs()
        schedules = [v for v in (VMSS.get(facts.cache, r) for r in refs) if v is not None]
        connected = facts.session.connection is not None

        def allow(button: QPushButton, ok: bool, permission: str, why_not: str = "") -> None:
            permitted = not permission or facts.can(permission)
            button.setEnabled(connected and ok and permitted)
            if not connected:
                button.setToolTip(translate("Schedules", "Not connected to the pool"))
            elif not permitted:
                button.setToolTip(translate("Schedules", "Your role does not allow this"))
            else:
                button.setToolTip(why_not if not ok else "")

        allow(self.new_button, facts.licensed, "vmss.create",
              translate("Schedules", "The pool's licence does not include snapshot schedules"))
        one = len(schedules) == 1
        allow(self.properties_button, one, "", translate("Schedules", "Select one schedule"))
        all_enabled = bool(schedules) and all(s.enabled for s in schedules)
        self.enable_button.setText(
            translate("Schedules", "&Disable") if all_enabled else translate("Schedules", "&Enable")
        )
        can_toggle = bool(schedules) and (all_enabled or all(s.vm_refs for s in schedules))
        allow(self.enable_button, can_toggle and not self._busy(refs), "vmss.set_enabled",
              translate("Schedules", "A schedule without VMs cannot be enabled") if schedules
              else translate("Schedules", "Select a schedule"))
        can_run = one and schedules[0].enabled and bool(schedules[0].vm_refs) \
            and not self._busy(refs)
        allow(self.run_button, can_run, "vmss.snapshot_now",
              translate("Schedules", "Only an enabled schedule with VMs can run"))
        allow(self.delete_button, bool(schedules) and not self._busy(refs), "vmss.destroy",
              translate("Schedules", "Select the schedules to delete"))

    def _busy(self, refs: list[str]) -> bool:
        return any(self.jobs.busy(r) for r in refs)

    # --- actions -------------------------------------------------------------------------

    def _properties(self) -> None:
        refs = self.selected_refs()
        if len(refs) == 1:
            self.propertiesRequested.emit(refs[0])

    def _connection(self) -> Any:
        conn = self.facts.session.connection
        if conn is None:
            QMessageBox.warning(self, translate("Schedules", "Not connected"),
                                translate("Schedules",
                                          "The pool is not connected; try again when it is."))
        return conn

    def _toggle_enabled(self) -> None:
        refs = self.selected_refs()
        schedules = [v for v in (VMSS.get(self.facts.cache, r) for r in refs) if v is not None]
        conn = self._connection()
        if not schedules or conn is None:
            return
        enable = not all(s.enabled for s in schedules)
        self.jobs.start(
            "enable",
            self.facts.session,
            ops.set_enabled(conn, [s.ref for s in schedules], enable),
            title=translate("Schedules", "Enable schedules")
            if enable
            else translate("Schedules", "Disable schedules"),
            parent=self,
            refs=[s.ref for s in schedules],
        )

    def _run_now(self) -> None:
        refs = self.selected_refs()
        vmss = VMSS.get(self.facts.cache, refs[0]) if len(refs) == 1 else None
        conn = self._connection()
        if vmss is None or conn is None:
            return
        self.jobs.start(ops.RUN_NOW, self.facts.session,
                        ops.run_now(conn, vmss.ref, vmss.name_label, task_label),
                        title=fill(translate("Schedules",
                                             "Run “%1” now"), vmss.name_label), parent=self,
                        refs=[vmss.ref])

    def delete_prompt(self) -> str:
        schedules = [v for v in (VMSS.get(self.facts.cache, r) for r in self.selected_refs())
                     if v is not None]
        vms = sorted({vm.name_label for s in schedules for vm in s.vms}, key=str.lower)
        if len(schedules) == 1:
            text = fill(translate("Schedules",
                                  "Delete the snapshot schedule “%1”?"), schedules[0].name_label)
        else:
            schedule_count = len(schedules)
            text = translate("Schedules", "Delete %n snapshot schedules?", "", schedule_count)
        if vms:
            shown = ", ".join(vms[:10])
            if len(vms) > 10:
                count = len(vms) - 10
                shown += " " + translate("Schedules", "and %n more", "", count)
            vm_count = len(vms)
            text += (
                "\n\n"
                + translate("Schedules", "It covers %n VM(s):", "", vm_count)
                + " "
                + shown
                + "\n\n"
                + translate(
                    "Schedules",
                    "They are taken out of the schedule first. The VMs and their snapshots, "
                    "scheduled ones included, are kept.",
                )
            )
        return text

    def _delete(self) -> None:
        refs = self.selected_refs()
        if not refs:
            return
        box = QMessageBox(QMessageBox.Icon.Warning, translate("Schedules",
                                                              "Delete snapshot schedules"),
                          self.delete_prompt(),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                          self)
        box.setObjectName("confirmDelete")
        box.button(QMessageBox.StandardButton.Yes).setText(translate("Schedules", "&Delete"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self.delete_schedules(refs)

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def delete_schedules(self, refs: list[str]) -> None:
        cache = self.facts.cache
        conn = self._connection()
        if conn is None:
            return
        schedules = [(v.ref, v.name_label) for v in (VMSS.get(cache, r) for r in refs)
                     if v is not None]
        members = {ref: [(vm, str((cache.get("VM", vm) or {}).get("name_label", vm)))
                         for vm in cache.referrers("VM", "snapshot_schedule", ref)]
                   for ref, _ in schedules}
        self.jobs.start(ops.DESTROY, self.facts.session,
                        ops.delete_schedules(conn, schedules, members, task_label),
                        title=translate("Schedules",
                                        "Delete snapshot schedules"), parent=self, refs=refs)

