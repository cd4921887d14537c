"""Revert: a confirmation that names what will be lost, with "take a snapshot of the
current state first" (on when the VM allows snapshots), whose pre-flight checks it shows."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from ...model.views import VM, Snapshot
from ...operations.preflight import Finding, revert_findings, snapshot_findings
from ...operations.snapshot import SnapshotRequest, default_snapshot_name, memory_mode
from ..i18n import translate
from ..pool_session import PoolSession
from ..snapshot_format import PoolClock
from .base import OperationDialog, hint_label, role_reason, set_hint

DIALOG_NAME = "revertDialog"


class RevertDialog(OperationDialog):
    def __init__(self, parent: QWidget | None, session: PoolSession, snapshot_ref: str) -> None:
        cache = session.cache
        snapshot = Snapshot.get(cache, snapshot_ref)
        self.snapshot_ref = snapshot_ref
        snap_name = snapshot.name_label if snapshot is not None else snapshot_ref
        vm = snapshot.snapshot_of if snapshot is not None else None
        self.vm_ref = vm.ref if vm is not None else None
        vm_name = vm.name_label if vm is not None else translate("OperationDialogs", "the VM")
        super().__init__(
            parent,
            session,
            object_name=DIALOG_NAME,
            title=translate("OperationDialogs", "Revert to Snapshot"),
            heading=translate("OperationDialogs", "Revert %1 to “%2”?")
            .replace("%1", vm_name)
            .replace("%2", snap_name),
            ok_text=translate("OperationDialogs", "&Revert"),
        )
        conn = session.connection
        clock = PoolClock(conn.info if conn is not None else None)
        self.loss = QLabel(self)
        self.loss.setObjectName("revertLoss")
        self.loss.setWordWrap(True)
        self.loss.setTextFormat(Qt.TextFormat.RichText)
        self.loss.setText(self._loss_html(vm, snapshot, clock))
        self.body.addWidget(self.loss)

        self.first = QCheckBox(translate("OperationDialogs",
                                         "&Take a snapshot of the current state first"), self)
        self.first.setObjectName("snapshotFirst")
        self.first_hint = hint_label("", self)
        self.first_hint.setObjectName("snapshotFirstReason")
        self.body.addWidget(self.first)
        self.body.addWidget(self.first_hint)
        options = QWidget(self)
        form = QFormLayout(options)
        form.setContentsMargins(22, 0, 0, 0)
        base = translate("OperationDialogs", "Before reverting to “%1”").replace("%1", snap_name)
        self.first_name = QLineEdit(
            default_snapshot_name(cache, self.vm_ref, base) if self.vm_ref else base, options)
        self.first_name.setObjectName("snapshotFirstName")
        self.first_name.textChanged.connect(lambda _t: self.refresh())
        form.addRow(translate("OperationDialogs", "Name:"), self.first_name)
        self.first_memory = QCheckBox(translate("OperationDialogs", "Include the &memory"), options)
        self.first_memory.setObjectName("snapshotFirstMemory")
        self.first_memory.toggled.connect(lambda _c: self.refresh())
        form.addRow("", self.first_memory)
        self.first_options = options
        self.body.addWidget(options)

        self._first_unavailable = self._first_reason()
        self.first.setEnabled(self._first_unavailable is None)
        self.first.setChecked(self._first_unavailable is None)
        mem = self._memory_available()
        self.first_memory.setEnabled(mem)
        if not mem:
            self.first_memory.setToolTip(
                translate("OperationDialogs", "Only a running or paused VM has memory to save.")
            )
        self.first.toggled.connect(lambda _c: self.refresh())
        self.refresh()

    # --- texts ------------------------------------------------------------------------

    def _loss_html(self, vm: VM | None, snapshot: Snapshot | None, clock: PoolClock) -> str:
        if vm is None:
            return html.escape(
                translate(
                    "OperationDialogs",
                    "The VM of this snapshot no longer exists: the revert creates "
                    "it again from the snapshot.",
                )
            )
        name = html.escape(vm.name_label)
        lost: list[str] = []
        parent = Snapshot.get(vm.cache, vm.parent_ref)
        if parent is not None and parent.snapshot_time is not None:
            lost.append(translate("OperationDialogs",
                                  "everything written to its disks since “%1” was taken (%2)")
                        .replace("%1", parent.name_label)
                        .replace("%2", clock.local_text(parent.snapshot_time)))
        else:
            lost.append(translate("OperationDialogs",
                                  "every change to its disks that no snapshot holds"))
        if vm.power_state in ("Running", "Paused"):
            lost.append(translate("OperationDialogs",
                                  "what is in its memory: the VM is switched off at once, without "
                                  "a clean shutdown"))
        elif vm.power_state == "Suspended":
            lost.append(translate("OperationDialogs", "the memory it was suspended with"))
        items = "".join(f"<li>{html.escape(t)}</li>" for t in lost)
        after = ""
        if snapshot is not None:
            if snapshot.has_memory:
                after = translate(
                    "OperationDialogs",
                    "Afterwards the VM is suspended with the memory the snapshot saved; "
                    "you can resume it then.",
                )
            elif snapshot.power_state_at_snapshot == "Running":
                after = translate("OperationDialogs",
                                  "Afterwards the VM is started again, as it was running when the "
                                  "snapshot was taken.")
            else:
                after = translate("OperationDialogs",
                                  "Afterwards the VM stays halted, as it was when the snapshot was "
                                  "taken.")
            taken = clock.local_text(snapshot.snapshot_time)
            if taken:
                after = translate("OperationDialogs",
                                  "The snapshot was taken %1.").replace("%1", taken) + " " + after
        lost = translate("OperationDialogs", "The current state of %1 will be lost:")
        return (f"<p>{html.escape(lost.replace('%1', name))}"
                f"</p><ul style='margin-top:0'>{items}</ul><p>{html.escape(after)}</p>")

    # --- the first snapshot -------------------------------------------------------------

    def _first_reason(self) -> str | None:
        if self.vm_ref is None:
            return translate("OperationDialogs", "There is no VM to take a snapshot of.")
        reason = role_reason(self.session.connection, "vm.snapshot")
        if reason is not None:
            return reason
        vm = VM.get(self.session.cache, self.vm_ref)
        if vm is None or not vm.allows("snapshot"):
            return translate("OperationDialogs",
                             "The pool does not allow a snapshot of this VM now.")
        return None

    def _memory_available(self) -> bool:
        if self.vm_ref is None:
            return False
        conn = self.session.connection
        return memory_mode(self.session.cache, self.vm_ref,
                           permitted=conn is not None and conn.can("vm.checkpoint")).available

    def snapshot_first(self) -> SnapshotRequest | None:
        if not self.first.isChecked() or self.vm_ref is None:
            return None
        memory = self.first_memory.isChecked() and self.first_memory.isEnabled()
        return SnapshotRequest(self.vm_ref, self.first_name.text().strip(), memory=memory)

    # --- checks -----------------------------------------------------------------------

    def check(self) -> list[Finding]:
        if not hasattr(self, "first"):
            return []
        self.first_options.setEnabled(self.first.isChecked())
        findings = revert_findings(self.session.cache, self.snapshot_ref)
        first = self.snapshot_first()
        first_findings = [] if first is None else snapshot_findings(
            self.session.cache, first.vm_ref, memory=first.memory)
        reason = self._first_unavailable
        if reason is None and any(f.blocking for f in first_findings):
            reason = translate("OperationDialogs",
                               "This snapshot cannot be taken (see the checks below). Untick it to "
                               "revert without one.")
        set_hint(self.first_hint, reason, translate("OperationDialogs",
            "Keeps what you would lose as a snapshot of its own, so the revert can be undone "
            "by reverting to it."))
        return first_findings + findings

    def ready(self) -> bool:
        if not hasattr(self, "first"):
            return False
        return not self.first.isChecked() or bool(self.first_name.text().strip())


