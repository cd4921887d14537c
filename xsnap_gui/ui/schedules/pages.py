"""The parts of a schedule, one pane each: name, VMs, snapshot type, timing, summary.

The New Snapshot Schedule wizard shows them as pages and the properties dialog as
tabs. Each pane emits ``changed`` and answers ``problem()`` (why the schedule could
not be saved as it stands, in words, or "" when it can); the problems come from
:func:`xsnap_gui.model.schedules.validate_schedule`, which answers what the server
would, so nothing the panes accept is refused by the pool.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTime, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QStandardItem, QStandardItemModel, QValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableView,
    QTimeEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...model.schedules import (
    DEFAULT_RETENTION,
    RETENTION_MAX,
    RETENTION_MIN,
    ScheduleDraft,
    ScheduledRun,
    ServerError,
    draft_problem,
    dst_effects,
    name_problem,
    next_runs,
    shift_schedule,
    validate_schedule,
)
from ...model.views import VM
from .. import icons
from ..i18n import translate
from .common import (
    UTC,
    PoolFacts,
    clock_text,
    date_text,
    day_name,
    draft_problem_text,
    fill,
    frequency_text,
    time_text,
    type_text,
    zone_label,
)

FREQUENCY_ORDER = ("hourly", "daily", "weekly")
OTHER_SCHEDULE_COLOUR = "#6b6f76"
HELP_STYLE = "color: #5f6368;"
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NEXT_RUN_COUNT = 3
MEMORY_OK_STATES = frozenset({"Running", "Suspended", "Paused"})
VmRow = tuple[str, str]  # (ref, name)


def _problem_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet("color: #b3261e;")
    label.hide()
    return label


def _note_label(name: str, *, warning: bool = False) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    if warning:
        label.setStyleSheet("QLabel { background: #fff4ce; border: 1px solid #e0c060; "
                            "border-radius: 3px; padding: 4px 6px; }")
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))


class Pane(QWidget):
    """Base of the panes: a title, a subtitle and the ``changed`` signal."""

    changed = Signal()

    title = ""
    subtitle = ""

    def problem(self) -> str:
        return ""


# --- name ---------------------------------------------------------------------------------


class NamePane(Pane):
    def __init__(self, facts: PoolFacts, own_ref: str | None = None,
                 parent: QWidget | None = None, *, with_enabled: bool = False) -> None:
        super().__init__(parent)
        self.facts = facts
        self.own_ref = own_ref
        self.with_enabled = with_enabled
        self.title = translate("Schedules", "Name")
        self.subtitle = translate("Schedules", "What do you want to call this schedule?")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("scheduleName")
        self.name_edit.setPlaceholderText(translate("Schedules",
                                                    "For example: Nightly web servers"))
        self.description_edit = QPlainTextEdit()
        self.description_edit.setObjectName("scheduleDescription")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setMaximumHeight(90)
        self.enabled_check = QCheckBox(translate("Schedules",
                                                 "Enabled: take snapshots on this schedule"))
        self.enabled_check.setObjectName("scheduleEnabled")
        self.enabled_check.setVisible(with_enabled)
        self.problem_label = _problem_label("scheduleNameProblem")
        form = QFormLayout()
        form.addRow(translate("Schedules", "&Name:"), self.name_edit)
        form.addRow(translate("Schedules", "&Description:"), self.description_edit)
        if with_enabled:
            form.addRow("", self.enabled_check)
        form.addRow("", self.problem_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)
        self._edited = False
        self.name_edit.textEdited.connect(self._on_edited)
        self.name_edit.textChanged.connect(self._refresh)
        self.description_edit.textChanged.connect(self.changed)
        self.enabled_check.toggled.connect(self.changed)

    def load(self, draft: ScheduleDraft) -> None:
        self.name_edit.setText(draft.name_label)
        self.description_edit.setPlainText(draft.name_description)
        self.enabled_check.setChecked(draft.enabled)
        self._refresh()

    def apply(self, draft: ScheduleDraft) -> ScheduleDraft:
        from dataclasses import replace  # noqa: PLC0415

        return replace(draft, name_label=self.name_edit.text().strip(),
                       name_description=self.description_edit.toPlainText(),
                       enabled=self.enabled_check.isChecked() if self.with_enabled
                       else draft.enabled)

    def _on_edited(self) -> None:
        self._edited = True

    def problem(self) -> str:
        return draft_problem_text(name_problem(self.facts.cache, self.name_edit.text(),
                                               self.own_ref))

    def _refresh(self) -> None:
        text = self.problem()
        # A blank name is only an error once the user has typed something.
        _show(self.problem_label, text if (self._edited or self.name_edit.text()) else "")
        self.changed.emit()


# --- VMs ----------------------------------------------------------------------------------

REF_ROLE = Qt.ItemDataRole.UserRole + 1
SCHEDULE_ROLE = Qt.ItemDataRole.UserRole + 2  # the VM's current schedule ref, or ""


class VmsPane(Pane):
    """The pool's VMs with a check box each; a VM in another schedule is marked."""

    def __init__(self, facts: PoolFacts, own_ref: str | None = None,
                 parent: QWidget | None = None, *, creating: bool = True) -> None:
        super().__init__(parent)
        self.facts = facts
        self.own_ref = own_ref
        self.creating = creating
        self.title = translate("Schedules", "Virtual machines")
        self.subtitle = translate("Schedules", "Which VMs should this schedule take snapshots of?")
        self.search = QLineEdit()
        self.search.setObjectName("vmSearch")
        self.search.setPlaceholderText(translate("Schedules", "Search VMs…"))
        self.search.setClearButtonEnabled(True)
        self.model = QStandardItemModel(0, 3, self)
        self.model.setHorizontalHeaderLabels([translate("Schedules", "VM"), translate("Schedules",
                                                                                      "Description"),
                                              translate("Schedules", "Current schedule")])
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.table = QTableView()
        self.table.setObjectName("vmTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.select_all = QPushButton(translate("Schedules", "Select &all"))
        self.select_all.setObjectName("selectAllVms")
        self.clear_all = QPushButton(translate("Schedules", "C&lear"))
        self.clear_all.setObjectName("clearVms")
        self.count_label = QLabel()
        self.count_label.setObjectName("vmCount")
        self.note = _note_label("noVmsNote", warning=True)
        self.moves_note = _note_label("movesNote", warning=True)

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.select_all)
        top.addWidget(self.clear_all)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.moves_note)
        layout.addWidget(self.note)

        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.select_all.clicked.connect(lambda: self._check_shown(True))
        self.clear_all.clicked.connect(lambda: self._check_shown(False))
        self.model.itemChanged.connect(self._on_item_changed)
        self._loading = False

    def load(self, checked: Sequence[str]) -> None:
        """Fill the table from the pool's VMs, checking ``checked``."""
        wanted = set(checked)
        self._loading = True
        try:
            self.model.removeRows(0, self.model.rowCount())
            cache = self.facts.cache
            for vm in self.facts.real_vms():
                name = QStandardItem(vm.name_label or vm.ref)
                name.setCheckable(True)
                name.setCheckState(Qt.CheckState.Checked if vm.ref in wanted
                                   else Qt.CheckState.Unchecked)
                name.setData(vm.ref, REF_ROLE)
                name.setIcon(icons.power_state_icon(vm.power_state))
                description = QStandardItem(vm.name_description)
                schedule_ref = vm.snapshot_schedule_ref or ""
                rec = cache.get("VMSS", schedule_ref) if schedule_ref else None
                current = QStandardItem(str(rec.get("name_label", "")) if rec else "")
                name.setData(schedule_ref if rec else "", SCHEDULE_ROLE)
                if rec is not None and schedule_ref != self.own_ref:
                    font = current.font()
                    font.setItalic(True)
                    current.setFont(font)
                    current.setForeground(QBrush(QColor(OTHER_SCHEDULE_COLOUR)))
                    current.setToolTip(
                        translate(
                            "Schedules",
                            "This VM is in another schedule. Selecting it here "
                            "moves it to this one.",
                        )
                    )
                self.model.appendRow([name, description, current])
                self._mark_move(name)
        finally:
            self._loading = False
        self._refresh()

    def checked_vms(self) -> list[VmRow]:
        out = []
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            if item.checkState() == Qt.CheckState.Checked:
                out.append((str(item.data(REF_ROLE)), item.text()))
        return out

    def set_checked(self, refs: Sequence[str]) -> None:
        wanted = set(refs)
        self._loading = True
        try:
            for row in range(self.model.rowCount()):
                item = self.model.item(row, 0)
                item.setCheckState(Qt.CheckState.Checked if item.data(REF_ROLE) in wanted
                                   else Qt.CheckState.Unchecked)
        finally:
            self._loading = False
        self._refresh()

    def moves(self) -> list[tuple[str, str, str]]:
        """Checked VMs now in another schedule: (vm ref, vm name, that schedule's name)."""
        cache = self.facts.cache
        out = []
        for row in range(self.model.rowCount()):
            item = self.model.item(row, 0)
            current = str(item.data(SCHEDULE_ROLE) or "")
            if item.checkState() == Qt.CheckState.Checked and current \
                    and current != self.own_ref:
                rec = cache.get("VMSS", current)
                out.append((str(item.data(REF_ROLE)), item.text(),
                            str(rec.get("name_label", "")) if rec else ""))
        return out

    def _check_shown(self, check: bool) -> None:
        self._loading = True
        try:
            for row in range(self.proxy.rowCount()):
                source = self.proxy.mapToSource(self.proxy.index(row, 0))
                self.model.itemFromIndex(source).setCheckState(
                    Qt.CheckState.Checked if check else Qt.CheckState.Unchecked)
        finally:
            self._loading = False
        self._refresh()

    def _mark_move(self, item: QStandardItem) -> None:
        """A ticked VM that is in another schedule gets the warning sign: it will move."""
        current = self.model.item(item.row(), 2)
        if current is None:
            return
        moving = item.checkState() == Qt.CheckState.Checked and bool(
            item.data(SCHEDULE_ROLE)) and item.data(SCHEDULE_ROLE) != self.own_ref
        current.setIcon(icons.icon("warning") if moving else QIcon())

    def _on_item_changed(self, item: QStandardItem) -> None:
        if item.column() == 0:
            self._mark_move(item)
            if not self._loading:
                self._refresh()

    def _refresh(self) -> None:
        count = len(self.checked_vms())
        self.count_label.setText(translate("Schedules", "%n VM(s) selected", "", count))
        if count:
            _show(self.note, "")
        elif self.creating:
            _show(self.note, translate("Schedules",
                                       "No VMs selected: the schedule will be created disabled. "
                                       "Add VMs later in its properties."))
        else:
            _show(self.note, translate("Schedules", "No VMs: the schedule takes no snapshots."))
        moves = self.moves()
        if moves:
            names = ", ".join(name for _, name, _ in moves[:5])
            more = len(moves) - 5
            move_count = len(moves)
            text = translate("Schedules",
                             "%n selected VM(s) will move here from another schedule:", "",
                      move_count) + " " + names
            if more > 0:
                text += " " + translate("Schedules", "and %n more", "", more)
            _show(self.moves_note, text)
        else:
            _show(self.moves_note, "")
        self.changed.emit()


# --- snapshot type -----------------------------------------------------------------------


class TypePane(Pane):
    def __init__(self, facts: PoolFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.title = translate("Schedules", "Snapshot type")
        self.subtitle = translate("Schedules", "What should the scheduled snapshots contain?")
        self.disk = QRadioButton(translate("Schedules", "&Disks only"))
        self.disk.setObjectName("typeDisk")
        self.memory = QRadioButton(translate("Schedules", "Disks and &memory"))
        self.memory.setObjectName("typeMemory")
        self.group = QButtonGroup(self)
        self.group.addButton(self.disk)
        self.group.addButton(self.memory)
        disk_help = QLabel(
            translate(
                "Schedules",
                "A crash-consistent copy of the VM's disks, as if the power was "
                "cut. Quick, and works whatever state the VM is in.",
            )
        )
        disk_help.setWordWrap(True)
        memory_help = QLabel(
            translate(
                "Schedules",
                "The disks and the contents of memory, so a revert resumes the "
                "VM where it was. This only works for VMs that are running or "
                "suspended when the schedule runs; for the others the run "
                "fails. It pauses the VM briefly and takes more space.",
            )
        )
        memory_help.setWordWrap(True)
        for label in (disk_help, memory_help):
            label.setContentsMargins(24, 0, 0, 8)
            label.setStyleSheet(HELP_STYLE)
        self.memory_note = _note_label("memoryNote", warning=True)
        self.licence_note = _note_label("memoryLicenceNote")
        layout = QVBoxLayout(self)
        layout.addWidget(self.disk)
        layout.addWidget(disk_help)
        layout.addWidget(self.memory)
        layout.addWidget(memory_help)
        layout.addWidget(self.memory_note)
        layout.addWidget(self.licence_note)
        layout.addStretch(1)
        self.quiesce_note = _note_label("quiesceNote", warning=True)
        layout.insertWidget(layout.count() - 1, self.quiesce_note)
        self._vms: list[VmRow] = []
        # A type neither button stands for (quiesced snapshots, which current pools no
        # longer take) is kept until the user picks one.
        self._kept: str | None = None
        self._loading = False
        self.disk.setChecked(True)
        self.group.buttonToggled.connect(self._on_toggled)
        self.group.buttonClicked.connect(lambda button: self._on_toggled(button, True))
        if not facts.checkpoint_allowed:
            self.memory.setEnabled(False)
            _show(self.licence_note, translate("Schedules",
                                               "The pool's licence does not allow snapshots with "
                                               "memory."))

    def load(self, kind: str) -> None:
        self._loading = True
        try:
            (self.memory if kind == "checkpoint" else self.disk).setChecked(True)
        finally:
            self._loading = False
        self._kept = kind if kind not in ("snapshot", "checkpoint") else None
        _show(self.quiesce_note, translate("Schedules",
            "This schedule takes quiesced snapshots, which the pool no longer supports, so "
            "its runs fail. Choose one of the types above.") if self._kept else "")
        self._refresh()

    def kind(self) -> str:
        if self._kept is not None:
            return self._kept
        return "checkpoint" if self.memory.isChecked() else "snapshot"

    def _on_toggled(self, _button: object, checked: bool) -> None:
        if checked and not self._loading:
            self._kept = None
            _show(self.quiesce_note, "")
        self._refresh()

    def set_vms(self, vms: Sequence[VmRow]) -> None:
        self._vms = list(vms)
        self._refresh()

    def vms_without_memory(self) -> list[str]:
        """The chosen VMs a memory snapshot would fail for now (not running or suspended)."""
        cache = self.facts.cache
        out = []
        for ref, name in self._vms:
            vm = VM.get(cache, ref)
            if vm is not None and vm.power_state not in MEMORY_OK_STATES:
                out.append(name)
        return out

    def _refresh(self) -> None:
        if self.memory.isChecked():
            names = self.vms_without_memory()
            if names:
                shown = ", ".join(names[:6])
                if len(names) > 6:
                    count = len(names) - 6
                    shown += " " + translate("Schedules", "and %n more", "", count)
                name_count = len(names)
                _show(self.memory_note, translate("Schedules",
                    "Not running or suspended now, so a snapshot with memory would fail "
                    "(%n VM(s)):", "", name_count) + " " + shown)
            else:
                _show(self.memory_note, "")
        else:
            _show(self.memory_note, "")
        self.changed.emit()


# --- timing -------------------------------------------------------------------------------


class RefusingSpinBox(QSpinBox):
    """A spin box that says when it refuses typed input (out of range), not just beeps."""

    refused = Signal(str)

    def validate(self, text: str, pos: int  # Qt override
                 ) -> tuple[QValidator.State, str, int]:
        result = super().validate(text, pos)
        state = result[0]
        stripped = text.strip()
        if state == QValidator.State.Invalid and stripped.lstrip("-").isdigit():
            self.refused.emit(stripped)
        return result

    def fixup(self, text: str) -> str:  # Qt override
        # Called when editing ends on text that is not a value, e.g. "0" below the minimum:
        # the box goes back to its last value, and says why.
        stripped = text.strip()
        if stripped.lstrip("-").isdigit():
            self.refused.emit(stripped)
        return super().fixup(text)


class QuarterTimeEdit(QTimeEdit):
    """A time of day whose arrows move in quarter hours; it reports refused typing."""

    refused = Signal(str)

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt override
        if self.currentSection() == QTimeEdit.Section.MinuteSection:
            t = self.time()
            minutes = (t.hour() * 60 + t.minute()) // 15 * 15 + steps * 15
            minutes %= 24 * 60
            self.setTime(QTime(minutes // 60, minutes % 60))
            return
        super().stepBy(steps)

    def validate(self, text: str, pos: int  # Qt override
                 ) -> tuple[QValidator.State, str, int]:
        result = super().validate(text, pos)
        state = result[0]
        if state == QValidator.State.Invalid and any(c.isdigit() for c in text):
            self.refused.emit(text)
        return result


class SchedulePane(Pane):
    """Frequency, time (in pool or local time), retention, and the next runs."""

    def __init__(self, facts: PoolFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.title = translate("Schedules", "Schedule")
        self.subtitle = translate("Schedules",
                                  "When should snapshots be taken, and how many should be kept?")
        self._loading = False
        self._retention_touched = False
        self._refusal = ""
        self._last_retention = 0
        self._last_values: tuple[int, int, frozenset[int]] | None = None

        self.hourly = QRadioButton(translate("Schedules", "&Hourly"))
        self.hourly.setObjectName("frequencyHourly")
        self.daily = QRadioButton(translate("Schedules", "Dai&ly"))
        self.daily.setObjectName("frequencyDaily")
        self.weekly = QRadioButton(translate("Schedules", "&Weekly"))
        self.weekly.setObjectName("frequencyWeekly")
        self.frequency_group = QButtonGroup(self)
        for button in (self.hourly, self.daily, self.weekly):
            self.frequency_group.addButton(button)
        frequency_row = QHBoxLayout()
        for button in (self.hourly, self.daily, self.weekly):
            frequency_row.addWidget(button)
        frequency_row.addStretch(1)

        self.minute_spin = RefusingSpinBox()
        self.minute_spin.setObjectName("scheduleMinute")
        self.minute_spin.setRange(0, 59)
        self.minute_spin.setSingleStep(15)
        self.minute_spin.setSuffix(translate("Schedules", " min"))
        self.minute_label = QLabel(translate("Schedules", "minutes past every hour"))
        minute_row = QHBoxLayout()
        minute_row.addWidget(self.minute_spin)
        minute_row.addWidget(self.minute_label)
        minute_row.addStretch(1)
        self.minute_box = QWidget()
        self.minute_box.setLayout(minute_row)
        minute_row.setContentsMargins(0, 0, 0, 0)

        self.time_edit = QuarterTimeEdit()
        self.time_edit.setObjectName("scheduleTime")
        self.time_edit.setDisplayFormat("HH:mm")
        self.time_edit.setWrapping(True)
        self.time_edit.setCurrentSection(QTimeEdit.Section.MinuteSection)
        self.time_box = QWidget()
        time_row = QHBoxLayout(self.time_box)
        time_row.setContentsMargins(0, 0, 0, 0)
        time_row.addWidget(self.time_edit)
        time_row.addWidget(QLabel(translate("Schedules", "in 15-minute steps")))
        time_row.addStretch(1)

        self.day_checks: list[QCheckBox] = []
        self.days_box = QWidget()
        days_row = QHBoxLayout(self.days_box)
        days_row.setContentsMargins(0, 0, 0, 0)
        for index, english in enumerate(WEEKDAY_NAMES):
            check = QCheckBox(day_name(index, short=True))
            check.setObjectName(f"day{english}")
            check.setToolTip(day_name(index))
            self.day_checks.append(check)
            days_row.addWidget(check)
        days_row.addStretch(1)

        self.zone_combo = QComboBox()
        self.zone_combo.setObjectName("timeZoneChoice")
        self.zone_combo.addItem("", "local")
        self.zone_combo.addItem("", "pool")

        self.retention_spin = RefusingSpinBox()
        self.retention_spin.setObjectName("retention")
        self.retention_spin.setRange(RETENTION_MIN, RETENTION_MAX)
        retention_line = QHBoxLayout()
        retention_line.setSpacing(6)
        retention_line.addWidget(self.retention_spin)
        retention_line.addWidget(QLabel(translate("Schedules",
                                                  "scheduled snapshots of each VM (1 to 10)")))
        retention_line.addStretch(1)
        retention_help = QLabel(
            translate(
                "Schedules",
                "When a run takes one more, the oldest scheduled snapshot "
                "is deleted. Snapshots taken by hand are never deleted.",
            )
        )
        retention_help.setWordWrap(True)
        retention_help.setStyleSheet(HELP_STYLE)
        retention_row = QVBoxLayout()
        retention_row.setSpacing(2)
        retention_row.addLayout(retention_line)
        retention_row.addWidget(retention_help)
        keep_label = QLabel(translate("Schedules", "&Keep:"))
        keep_label.setBuddy(self.retention_spin)

        self.refusal_label = _problem_label("scheduleRefused")
        self.problem_label = _problem_label("scheduleProblem")

        self.next_runs = QTreeWidget()
        self.next_runs.setObjectName("nextRuns")
        self.next_runs.setRootIsDecorated(False)
        self.next_runs.setColumnCount(4)
        self.next_runs.setMaximumHeight(100)
        self.next_runs.header().setStretchLastSection(True)
        self.zone_note = _note_label("poolZoneNote")
        self.dst_warning = _note_label("dstWarning", warning=True)

        form = QFormLayout()
        form.addRow(translate("Schedules", "Frequency:"), frequency_row)
        self.at_label = QLabel(translate("Schedules", "At:"))
        at_row = QHBoxLayout()
        at_row.addWidget(self.minute_box)
        at_row.addWidget(self.time_box)
        at_row.addWidget(self.zone_combo)
        at_row.addStretch(1)
        form.addRow(self.at_label, at_row)
        self.days_label = QLabel(translate("Schedules", "On:"))
        form.addRow(self.days_label, self.days_box)
        form.addRow(keep_label, retention_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.refusal_label)
        layout.addWidget(self.problem_label)
        next_title = QLabel(translate("Schedules", "<b>Next runs</b>"))
        layout.addWidget(next_title)
        layout.addWidget(self.next_runs)
        layout.addWidget(self.dst_warning)
        layout.addWidget(self.zone_note)
        layout.addStretch(1)

        self.frequency_group.buttonToggled.connect(self._on_frequency)
        self.minute_spin.valueChanged.connect(self._on_value)
        self.time_edit.timeChanged.connect(self._on_value)
        for check in self.day_checks:
            check.toggled.connect(self._on_value)
        self.zone_combo.currentIndexChanged.connect(self._on_zone)
        self.retention_spin.valueChanged.connect(self._on_retention)
        self.retention_spin.refused.connect(self._on_retention_refused)
        self.minute_spin.refused.connect(self._on_minute_refused)
        self.time_edit.refused.connect(self._on_time_refused)
        self._zone_shown = "local"
        self._update_zone_items()

    # --- the zone the time is shown in ---------------------------------------------

    def _update_zone_items(self) -> None:
        now = self.facts.now()
        self.zone_combo.setItemText(0, fill(translate("Schedules", "local time (%1)"),
                                            zone_label(self.facts.local_tz, now)))
        self.zone_combo.setItemText(1, fill(translate("Schedules", "pool time (%1)"),
                                            zone_label(self.facts.pool_tz, now)))

    def zone(self) -> str:
        return str(self.zone_combo.currentData())

    def _shown_tz(self, which: str | None = None) -> dt.tzinfo:
        return self.facts.pool_tz if (which or self.zone()) == "pool" else self.facts.local_tz

    # --- values ------------------------------------------------------------------------

    def frequency(self) -> str:
        if self.hourly.isChecked():
            return "hourly"
        if self.weekly.isChecked():
            return "weekly"
        return "daily"

    def _shown_values(self) -> tuple[int, int, frozenset[int]]:
        # The minute box and the time share their minute (kept in step by _on_value).
        t = self.time_edit.time()
        hour = t.hour() if self.frequency() != "hourly" else 0
        minute = t.minute()
        days = frozenset(i for i, c in enumerate(self.day_checks) if c.isChecked())
        return hour, minute, days

    def _set_shown(self, hour: int, minute: int, days: frozenset[int]) -> None:
        self._loading = True
        try:
            self.minute_spin.setValue(minute)
            self.time_edit.setTime(QTime(hour, minute))
            for i, check in enumerate(self.day_checks):
                check.setChecked(i in days)
        finally:
            self._loading = False

    def pool_values(self) -> tuple[int, int, frozenset[int]]:
        """Hour, minute and days in pool time, as the server stores them."""
        hour, minute, days = self._shown_values()
        if self.zone() == "pool" or not 0 <= minute < 60:
            return hour, minute, days
        return shift_schedule(self.frequency(), hour, minute, days, self.facts.local_tz,
                              self.facts.pool_tz, self.facts.now())

    def load(self, draft: ScheduleDraft, *, retention_chosen: bool = True) -> None:
        self._loading = True
        try:
            {"hourly": self.hourly, "weekly": self.weekly}.get(draft.frequency,
                                                              self.daily).setChecked(True)
            self.retention_spin.setValue(draft.retained_snapshots)
        finally:
            self._loading = False
        self._retention_touched = retention_chosen
        hour, minute, days = draft.hour, draft.minute, draft.days
        if self.zone() == "local":
            hour, minute, days = shift_schedule(draft.frequency, hour, minute, days,
                                                self.facts.pool_tz, self.facts.local_tz,
                                                self.facts.now())
        self._set_shown(hour, minute, days)
        self._refresh()

    def apply(self, draft: ScheduleDraft) -> ScheduleDraft:
        from dataclasses import replace  # noqa: PLC0415

        hour, minute, days = self.pool_values()
        return replace(draft, frequency=self.frequency(), hour=hour, minute=minute, days=days,
                       retained_snapshots=self.retention_spin.value())

    def problem(self) -> str:
        draft = self.apply(ScheduleDraft(name_label="-"))
        error = validate_schedule(draft.record(), self.facts.restrictions)
        if error is not None and error.field == "schedule:min":
            # Name the minute the user typed, which is on their chosen clock.
            error = ServerError(error.code, (error.field, str(self._shown_values()[1])))
        return draft_problem_text(error, self.frequency())

    # --- reactions ----------------------------------------------------------------------

    def _on_frequency(self, _button: object = None, checked: bool = True) -> None:
        if not checked or self._loading:
            return
        if not self._retention_touched:
            self._loading = True
            try:
                self.retention_spin.setValue(DEFAULT_RETENTION[self.frequency()])
            finally:
                self._loading = False
        if self.frequency() == "weekly" and not any(c.isChecked() for c in self.day_checks):
            self._loading = True
            try:
                self.day_checks[0].setChecked(True)
            finally:
                self._loading = False
        self._refresh()

    def _on_value(self, *_args: object) -> None:
        if self._loading:
            return
        self._loading = True
        try:
            if self.sender() is self.minute_spin:
                t = self.time_edit.time()
                self.time_edit.setTime(QTime(t.hour(), self.minute_spin.value()))
            else:
                self.minute_spin.setValue(self.time_edit.time().minute())
        finally:
            self._loading = False
        values = self._shown_values()
        if values != self._last_values:
            # A new value replaces what was refused; re-emitting the same one does not.
            self._refusal = ""
        self._last_values = values
        self._refresh()

    def _on_zone(self, _index: int) -> None:
        # Show the same instants on the other clock.
        old = self._zone_shown
        new = self.zone()
        if old != new:
            hour, minute, days = self._shown_values()
            if 0 <= minute < 60:
                hour, minute, days = shift_schedule(self.frequency(), hour, minute, days,
                                                    self._shown_tz(old), self._shown_tz(new),
                                                    self.facts.now())
                self._set_shown(hour, minute, days)
            self._zone_shown = new
        self._refresh()

    def _on_retention(self, value: int) -> None:
        if not self._loading and value != self._last_retention:
            self._retention_touched = True
            self._refusal = ""
        self._last_retention = value
        self._refresh()

    def _on_retention_refused(self, text: str) -> None:
        self._refusal = fill(
            translate(
                "Schedules", "%1 refused: the pool keeps from 1 to 10 scheduled snapshots per VM."
            ),
            text,
        )
        _show(self.refusal_label, self._refusal)

    def _on_minute_refused(self, text: str) -> None:
        self._refusal = fill(translate("Schedules",
                                       "%1 refused: choose 0, 15, 30 or 45 minutes past the hour."),
                             text)
        _show(self.refusal_label, self._refusal)

    def _on_time_refused(self, text: str) -> None:
        self._refusal = fill(translate("Schedules",
                                       "“%1” refused: enter a time of day from 00:00 to 23:45, on "
                                       "the quarter hour."), text.strip())
        _show(self.refusal_label, self._refusal)

    def _refresh(self) -> None:
        frequency = self.frequency()
        hourly, weekly = frequency == "hourly", frequency == "weekly"
        self.minute_box.setVisible(hourly)
        self.time_box.setVisible(not hourly)
        self.days_label.setVisible(weekly)
        self.days_box.setVisible(weekly)
        _show(self.refusal_label, self._refusal)
        problem = self.problem()
        _show(self.problem_label, problem)
        self._update_zone_items()
        self._fill_next_runs(None if problem else self.apply(ScheduleDraft(name_label="-")))
        self.changed.emit()

    def _fill_next_runs(self, draft: ScheduleDraft | None) -> None:
        facts = self.facts
        now = facts.now()
        local_tz, pool_tz = facts.local_tz, facts.pool_tz
        self.next_runs.setHeaderLabels([
            fill(translate("Schedules", "Local time (%1)"), zone_label(local_tz, now)),
            fill(translate("Schedules", "Pool time (%1)"), zone_label(pool_tz, now)),
            translate("Schedules", "UTC"), ""])
        self.next_runs.clear()
        dst_text = ""
        if draft is not None:
            runs = next_runs(draft.frequency, draft.schedule, now, pool_tz, local_tz,
                             count=NEXT_RUN_COUNT)
            for run in runs:
                item = QTreeWidgetItem([time_text(run.utc, local_tz),
                                        time_text(run.utc, pool_tz), time_text(run.utc, UTC),
                                        dst_note(run)])
                if run.dst is not None:
                    item.setIcon(3, icons.icon("warning"))
                    item.setToolTip(3, dst_note(run))
                if not run.runs:
                    # No run: the pool's clock jumps over the wall time, so there is no
                    # instant to show on the other clocks.
                    item.setText(0, "—")
                    item.setText(1, fill(translate("Schedules",
                                                   "%1 (does not exist)"), _wall_text(run.wall)))
                    item.setText(2, "—")
                    for column in range(4):
                        item.setForeground(column, QBrush(QColor(OTHER_SCHEDULE_COLOUR)))
                self.next_runs.addTopLevelItem(item)
            dst_text = dst_warning_text(dst_effects(draft.frequency, draft.schedule, now,
                                                    pool_tz, local_tz))
        for column in range(3):
            self.next_runs.resizeColumnToContents(column)
        _show(self.dst_warning, dst_text)
        notes = []
        if not facts.pool_zone_named:
            notes.append(fill(translate("Schedules",
                                        "The pool's time zone is known only by its current offset "
                                        "(%1), so changes to daylight saving time cannot be "
                                        "foreseen."), zone_label(pool_tz, now)))
        if draft is not None and draft.frequency != "hourly" and zones_drift(local_tz, pool_tz,
                                                                             now):
            notes.append(translate("Schedules",
                                   "Your clock and the pool's change for daylight saving time on "
                                   "different dates: the local time of a run moves by an hour for "
                                   "part of the year. The schedule itself is kept in pool time."))
        _show(self.zone_note, "\n".join(notes))


def _wall_text(wall: dt.datetime) -> str:
    return f"{date_text(wall)} {clock_text(wall.hour, wall.minute)}"


def dst_note(run: ScheduledRun) -> str:
    if run.dst == "skipped":
        return translate("Schedules", "skipped: the clocks go forward")
    if run.dst == "doubled":
        return translate("Schedules", "runs twice: the clocks go back")
    if run.dst == "shifted":
        return translate("Schedules", "late: the clocks go forward")
    if run.dst == "repeated":
        return translate("Schedules", "once only: the clocks go back")
    return ""


def dst_warning_text(effects: Sequence[ScheduledRun]) -> str:
    """Sentences about the coming DST changes that skip or double a run."""
    lines = []
    seen: set[str] = set()
    for run in effects:
        if run.dst in seen or run.dst is None:
            continue
        seen.add(run.dst)
        day = date_text(run.wall)
        at = clock_text(run.wall.hour, run.wall.minute)
        if run.dst in ("skipped", "shifted"):
            lines.append(
                fill(
                    translate(
                        "Schedules",
                        "On %1 the pool's clocks go forward past %2: there is no %2 "
                        "that day, so that day's run does not happen.",
                    ),
                    day,
                    at,
                )
            )
        else:
            lines.append(fill(translate("Schedules",
                                        "On %1 the pool's clocks go back past %2: %2 happens twice "
                                        "that day, so the schedule runs twice, an hour apart."),
                              day, at))
    return "\n".join(lines)


def zones_drift(a: dt.tzinfo, b: dt.tzinfo, now: dt.datetime) -> bool:
    """The two zones' difference changes within the year (DST on different dates)."""
    differences = set()
    for month in range(12):
        when = now + dt.timedelta(days=30.5 * month)
        differences.add((when.astimezone(a).utcoffset(), when.astimezone(b).utcoffset()))
    return len({(x or dt.timedelta(0)) - (y or dt.timedelta(0)) for x, y in differences}) > 1


# --- summary ------------------------------------------------------------------------------


class SummaryPane(Pane):
    """The finish page: what will be created, and "run it now"."""

    def __init__(self, facts: PoolFacts, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.title = translate("Schedules", "Finish")
        self.subtitle = translate("Schedules",
                                  "Check the schedule, then click Finish to create it.")
        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(16)
        self.values: dict[str, QLabel] = {}
        self.titles: dict[str, QLabel] = {}
        rows = (
            ("name", translate("Schedules", "Name:")),
            ("vms", translate("Schedules", "VMs:")),
            ("type", translate("Schedules", "Snapshot type:")),
            ("schedule", translate("Schedules", "Schedule:")),
            ("keep", translate("Schedules", "Keep:")),
            ("state", translate("Schedules", "State:")),
            ("notes", translate("Schedules", "Note:")),
        )
        for row, (key, caption) in enumerate(rows):
            title = QLabel(caption)
            title.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            value = QLabel()
            value.setObjectName(f"summary_{key}")
            value.setWordWrap(True)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = value
            self.grid.addWidget(title, row, 0)
            self.grid.addWidget(value, row, 1)
            self.titles[key] = title
        self.run_now = QCheckBox(translate("Schedules",
                                           "&Run the schedule now when I click Finish"))
        self.run_now.setObjectName("runNowCheck")
        self.problem_label = _problem_label("summaryProblem")
        layout = QVBoxLayout(self)
        layout.addLayout(self.grid)
        layout.addSpacing(12)
        layout.addWidget(self.run_now)
        layout.addWidget(self.problem_label)
        layout.addStretch(1)
        self._problem = ""

    def show_draft(self, draft: ScheduleDraft, vms: Sequence[VmRow],
                   notes: Sequence[str] = ()) -> None:
        facts = self.facts
        self.values["notes"].setText("\n".join(notes))
        self.values["notes"].setVisible(bool(notes))
        self.titles["notes"].setVisible(bool(notes))
        v = self.values
        v["name"].setText(draft.name_label)
        if vms:
            names = ", ".join(name for _, name in vms[:8])
            if len(vms) > 8:
                count = len(vms) - 8
                names += " " + translate("Schedules", "and %n more", "", count)
            vm_count = len(vms)
            v["vms"].setText(translate("Schedules", "%n VM(s):", "", vm_count) + " " + names)
        else:
            v["vms"].setText(translate("Schedules", "None"))
        v["type"].setText(type_text(draft.type))
        text = fill(
            translate("Schedules", "%1, pool time (%2)"),
            frequency_text(draft.frequency, draft.schedule),
            zone_label(facts.pool_tz, facts.now()),
        )
        try:
            upcoming = next_runs(draft.frequency, draft.schedule, facts.now(), facts.pool_tz,
                                 facts.local_tz, count=1, include_skipped=False)
        except ValueError:
            upcoming = []
        if upcoming:
            text += "\n" + fill(translate("Schedules", "First run: %1 your time"),
                                time_text(upcoming[0].utc, facts.local_tz))
        v["schedule"].setText(text)
        retained_snapshots = draft.retained_snapshots
        v["keep"].setText(translate("Schedules", "the last %n scheduled snapshot(s) of each VM", "",
                             retained_snapshots))
        v["state"].setText(
            translate("Schedules", "Enabled")
            if vms
            else translate("Schedules", "Disabled, as it has no VMs")
        )
        self.run_now.setEnabled(bool(vms))
        if not vms:
            self.run_now.setChecked(False)
        self._problem = draft_problem_text(draft_problem(facts.cache, draft,
                                                         restrictions=facts.restrictions),
                                           draft.frequency)
        _show(self.problem_label, self._problem)

    def problem(self) -> str:
        return self._problem
