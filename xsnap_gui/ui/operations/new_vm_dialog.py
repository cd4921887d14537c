"""New VM from a snapshot: a name, a fast clone or a full copy, and optionally start it
(resume it, for a snapshot with memory) on a chosen host."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QWidget

from ...model.views import Host
from ...operations.new_vm import NewVmRequest, default_vm_name
from ...operations.preflight import Finding
from ..i18n import translate
from ..pool_session import PoolSession
from .base import hint_label, role_reason, set_hint
from .copy_options import CopySnapshotDialog

DIALOG_NAME = "newVmDialog"


class NewVmDialog(CopySnapshotDialog):
    def __init__(self, parent: QWidget | None, session: PoolSession, snapshot_ref: str) -> None:
        super().__init__(
            parent, session, snapshot_ref, object_name=DIALOG_NAME,
            title=translate("OperationDialogs", "New VM from Snapshot"),
            heading=translate("OperationDialogs", "New VM from “%1”"),
            ok_text=translate("OperationDialogs", "Create &VM"),
            name_object="vmName",
            default_name=lambda cache, name, owner: default_vm_name(
                cache, translate("OperationDialogs", "%1 from “%2”").replace("%1", owner)
                .replace("%2", name) if owner else name))
        cache = session.cache
        self.has_memory = self.snapshot is not None and self.snapshot.has_memory

        self.start = QCheckBox(
            translate("OperationDialogs",
                      "&Resume it afterwards, with the snapshot's memory") if self.has_memory
            else translate("OperationDialogs", "&Start it afterwards"), self)
        self.start.setObjectName("startAfter")
        self.host_combo = QComboBox(self)
        self.host_combo.setObjectName("startHost")
        self.host_combo.addItem(translate("OperationDialogs",
                                          "on any host (the pool chooses)"), None)
        hosts = sorted(Host.all(cache), key=lambda h: h.name_label.casefold())
        for host in hosts:
            if host.enabled:
                self.host_combo.addItem(translate("OperationDialogs",
                                                  "on %1").replace("%1", host.name_label), host.ref)
        row = QHBoxLayout()
        row.addWidget(self.start)
        row.addWidget(self.host_combo, 1)
        self.body.addLayout(row)
        self.start_hint = hint_label("", self)
        self.body.addWidget(self.start_hint)
        permission = "vm.resume" if self.has_memory else "vm.start"
        reason = role_reason(session.connection, permission)
        self.start.setEnabled(reason is None)
        set_hint(self.start_hint, reason, translate("OperationDialogs",
            "A host you choose must have the memory free; if it has not, creating the VM "
            "still succeeds and the start is reported as failed."))
        self.start.toggled.connect(lambda _c: self.refresh())
        self.refresh()

    def check(self) -> list[Finding]:
        if not hasattr(self, "start"):
            return []
        self.host_combo.setEnabled(self.start.isChecked())
        return super().check()

    def ready(self) -> bool:
        return hasattr(self, "start") and super().ready()

    def request(self) -> NewVmRequest:
        start = self.start.isChecked() and self.start.isEnabled()
        host = self.host_combo.currentData() if start else None
        return NewVmRequest(self.snapshot_ref, self.name_edit.text().strip(),
                            self.options.target_sr(), start,
                            host if isinstance(host, str) else None)
