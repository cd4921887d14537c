"""Take Snapshot: name (a unique default), description, disks only or disks and memory.

A mode the VM cannot take is disabled with the reason beside it: memory needs
the VM running or paused, the operation must be in its allowed_operations, the
pool must be licensed for it and the role must allow it. The pre-flight checks
(space per SR, chain depth, the pause a memory snapshot causes) follow the mode.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...model.views import VM
from ...operations.preflight import Finding, snapshot_findings
from ...operations.snapshot import (
    MemoryMode,
    SnapshotRequest,
    default_snapshot_name,
    memory_mode,
)
from ..i18n import translate
from ..pool_session import PoolSession
from ..snapshot_format import power_state_text
from .base import OperationDialog, hint_label, role_reason, set_hint

DIALOG_NAME = "takeSnapshotDialog"


def default_name_base(vm_name: str) -> str:
    """"web-01 2025-03-19 14:05": sorts by time, reads in every language."""
    stamp = QDateTime.currentDateTime().toString("yyyy-MM-dd HH:mm")
    return (
        translate("OperationDialogs", "%1 %2", "snapshot name: VM name, date")
        .replace("%1", vm_name)
        .replace("%2", stamp)
    )


def memory_reason(mode: MemoryMode, permission_reason: str | None) -> str:
    if mode.reason == "permission" and permission_reason:
        return permission_reason
    if mode.reason == "power_state":
        return (translate("OperationDialogs",
                          "Memory snapshots need the VM running or paused; it is %1.")
                .replace("%1", power_state_text(mode.power_state).lower()))
    if mode.reason == "licence":
        return translate("OperationDialogs",
                         "Memory snapshots (checkpoints) are not licensed on this pool.")
    if mode.reason == "not_allowed":
        return translate("OperationDialogs",
                         "The pool does not allow a memory snapshot of this VM now (another "
                         "operation may be running, or the VM cannot be suspended).")
    if mode.reason == "missing":
        return translate("OperationDialogs", "The VM is no longer in the pool.")
    return ""


class TakeSnapshotDialog(OperationDialog):
    def __init__(self, parent: QWidget | None, session: PoolSession, vm_ref: str, *,
                 memory: bool = False) -> None:
        vm = VM.get(session.cache, vm_ref)
        vm_name = vm.name_label if vm is not None else vm_ref
        super().__init__(parent, session, object_name=DIALOG_NAME,
                         title=translate("OperationDialogs", "Take Snapshot"),
                         heading=translate("OperationDialogs",
                                           "Take a snapshot of %1").replace("%1", vm_name),
                         ok_text=translate("OperationDialogs", "Take Snapshot"))
        self.vm_ref = vm_ref
        form = QFormLayout()
        self.name_edit = QLineEdit(default_snapshot_name(session.cache, vm_ref,
                                                         default_name_base(vm_name)), self)
        self.name_edit.setObjectName("snapshotName")
        self.name_edit.selectAll()
        self.name_edit.textChanged.connect(lambda _text: self.refresh())
        form.addRow(translate("OperationDialogs", "&Name:"), self.name_edit)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setObjectName("snapshotDescription")
        self.description_edit.setPlaceholderText(translate("OperationDialogs",
                                                           "Why this snapshot (optional)"))
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        form.addRow(translate("OperationDialogs", "&Description:"), self.description_edit)
        self.body.addLayout(form)

        group = QGroupBox(translate("OperationDialogs", "Snapshot mode"), self)
        group_layout = QVBoxLayout(group)
        group_layout.setSpacing(2)
        self.disk_radio = QRadioButton(translate("OperationDialogs", "&Disks only"), group)
        self.disk_radio.setObjectName("modeDisks")
        self.disk_hint = hint_label("", group)
        self.disk_hint.setObjectName("modeDisksReason")
        self.memory_radio = QRadioButton(translate("OperationDialogs", "Disks and &memory"), group)
        self.memory_radio.setObjectName("modeMemory")
        self.memory_hint = hint_label("", group)
        self.memory_hint.setObjectName("modeMemoryReason")
        for widget in (self.disk_radio, self.disk_hint, self.memory_radio, self.memory_hint):
            group_layout.addWidget(widget)
        self.modes = QButtonGroup(self)
        self.modes.addButton(self.disk_radio)
        self.modes.addButton(self.memory_radio)
        self.modes.buttonToggled.connect(lambda _button, _checked: self.refresh())
        self.body.addWidget(group)
        self._update_modes(prefer_memory=memory)
        self.refresh()
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- modes ------------------------------------------------------------------------

    def disk_reason(self) -> str | None:
        """Why disk snapshots are not possible, or None."""
        reason = role_reason(self.session.connection, "vm.snapshot")
        if reason is not None:
            return reason
        vm = VM.get(self.session.cache, self.vm_ref)
        if vm is None:
            return translate("OperationDialogs", "The VM is no longer in the pool.")
        if not vm.allows("snapshot"):
            return translate("OperationDialogs",
                             "The pool does not allow a snapshot of this VM now (another operation "
                             "may be running on it).")
        return None

    def memory_mode(self) -> MemoryMode:
        conn = self.session.connection
        permitted = conn is not None and conn.can("vm.checkpoint")
        return memory_mode(self.session.cache, self.vm_ref, permitted=permitted)

    def _update_modes(self, *, prefer_memory: bool | None = None) -> None:
        disk_reason = self.disk_reason()
        mode = self.memory_mode()
        self.disk_radio.setEnabled(disk_reason is None)
        running = mode.power_state in ("Running", "Paused")
        set_hint(
            self.disk_hint,
            disk_reason,
            translate(
                "OperationDialogs",
                "Saves the disks as they are now, while the VM keeps running. Reverting to it "
                "is like restarting the VM after a power cut.",
            )
            if running
            else translate("OperationDialogs", "Saves the disks as they are now."),
        )
        self.memory_radio.setEnabled(mode.available)
        set_hint(self.memory_hint,
                 None if mode.available else memory_reason(
                     mode, role_reason(self.session.connection, "vm.checkpoint")),
                 translate("OperationDialogs",
                           "Also saves the memory: reverting brings the VM back exactly where it "
                           "was. The VM is paused while its memory is saved."))
        wants_memory = self.memory_radio.isChecked() if prefer_memory is None else prefer_memory
        if wants_memory and mode.available:
            self.memory_radio.setChecked(True)
        elif disk_reason is None:
            self.disk_radio.setChecked(True)
        elif mode.available:
            self.memory_radio.setChecked(True)
        else:
            self.modes.setExclusive(False)
            self.disk_radio.setChecked(False)
            self.memory_radio.setChecked(False)
            self.modes.setExclusive(True)

    def with_memory(self) -> bool:
        return self.memory_radio.isChecked()

    # --- checks -----------------------------------------------------------------------

    def refresh(self) -> None:
        if hasattr(self, "modes"):
            self._update_modes()
        super().refresh()

    def check(self) -> list[Finding]:
        if not hasattr(self, "modes"):
            return []
        return snapshot_findings(self.session.cache, self.vm_ref, memory=self.with_memory())

    def ready(self) -> bool:
        if not hasattr(self, "modes"):
            return False
        chosen = self.modes.checkedButton()
        return (bool(self.name_edit.text().strip()) and chosen is not None
                and chosen.isEnabled())

    def request(self) -> SnapshotRequest:
        return SnapshotRequest(self.vm_ref, self.name_edit.text().strip(),
                               self.description_edit.toPlainText().strip(),
                               memory=self.with_memory())
