"""What the template and new-VM dialogs share: the snapshot's names, a Name field, and the
choice of a fast clone or a full copy to an SR, checked together."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QLineEdit,
    QRadioButton,
    QWidget,
)

from ...model.cache import ObjectCache
from ...model.views import SR, VM, Snapshot
from ...operations.preflight import Finding, copy_findings
from ...xapi.client import Connection
from ..i18n import translate
from ..pool_session import PoolSession
from ..snapshot_format import size_text
from .base import OperationDialog, hint_label, role_reason, set_hint


def storage_srs(cache: ObjectCache) -> list[SR]:
    """SRs that can hold VM disks (not ISO libraries), by name."""
    found = [sr for sr in SR.all(cache) if sr.content_type != "iso" and sr.physical_size > 0]
    return sorted(found, key=lambda sr: (sr.name_label.casefold(), sr.name_description, sr.ref))


def snapshot_sr(cache: ObjectCache, snapshot_ref: str) -> str | None:
    """The SR of the snapshot's first disk (where a copy most likely belongs)."""
    vm = VM.get(cache, snapshot_ref)
    for vbd in vm.disk_vbds if vm is not None else ():
        vdi = vbd.vdi
        if vdi is not None and vdi.sr_ref is not None:
            return vdi.sr_ref
    return None


class CopyOptions(QWidget):
    """(•) Fast clone  ( ) Full copy to [SR ▾], each with what it means or why it is off."""

    changed = Signal()

    def __init__(self, cache: ObjectCache, conn: Connection | None, snapshot_ref: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        snapshot = VM.get(cache, snapshot_ref)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setVerticalSpacing(2)
        self.clone = QRadioButton(translate("OperationDialogs", "Fast &clone"), self)
        self.clone.setObjectName("copyFast")
        self.clone_hint = hint_label("", self)
        self.copy = QRadioButton(translate("OperationDialogs", "Full c&opy to:"), self)
        self.copy.setObjectName("copyFull")
        self.sr_combo = QComboBox(self)
        self.sr_combo.setObjectName("copySr")
        self.copy_hint = hint_label("", self)
        grid.addWidget(self.clone, 0, 0, 1, 2)
        grid.addWidget(self.clone_hint, 1, 0, 1, 2)
        grid.addWidget(self.copy, 2, 0)
        grid.addWidget(self.sr_combo, 2, 1)
        grid.addWidget(self.copy_hint, 3, 0, 1, 2)
        grid.setColumnStretch(1, 1)
        group = QButtonGroup(self)
        group.addButton(self.clone)
        group.addButton(self.copy)

        srs = storage_srs(cache)
        names = Counter(sr.name_label for sr in srs)
        for sr in srs:
            label = sr.name_label
            if names[label] > 1 and sr.name_description:
                label = f"{label} ({sr.name_description})"
            self.sr_combo.addItem(translate("OperationDialogs", "%1 — %2 free").replace("%1", label)
                                  .replace("%2", size_text(sr.free_space)), sr.ref)
        default = snapshot_sr(cache, snapshot_ref)
        index = self.sr_combo.findData(default) if default is not None else -1
        self.sr_combo.setCurrentIndex(max(index, 0))

        ops = snapshot.allowed_operations if snapshot is not None else ()
        clone_reason = role_reason(conn, "vm.clone") or (
            None
            if "clone" in ops
            else translate("OperationDialogs", "The pool does not allow cloning this snapshot now.")
        )
        copy_reason = role_reason(conn, "vm.copy") or (
            None
            if "copy" in ops
            else translate("OperationDialogs", "The pool does not allow copying this snapshot now.")
        )
        self.clone.setEnabled(clone_reason is None)
        self.copy.setEnabled(copy_reason is None)
        set_hint(self.clone_hint, clone_reason, translate("OperationDialogs",
            "Quick, and takes little space: the new disks share the snapshot's data on its "
            "SRs (copy-on-write)."))
        set_hint(self.copy_hint, copy_reason, translate("OperationDialogs",
            "Independent disks on the chosen SR. Takes as long as copying the data."))
        if clone_reason is None:
            self.clone.setChecked(True)
        elif copy_reason is None:
            self.copy.setChecked(True)
        self.sr_combo.setEnabled(self.copy.isChecked())
        group.buttonToggled.connect(lambda _b, _c: self._toggled())
        self.sr_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def _toggled(self) -> None:
        self.sr_combo.setEnabled(self.copy.isChecked())
        self.changed.emit()

    def target_sr(self) -> str | None:
        """None for a fast clone, else the SR to copy to."""
        if not self.copy.isChecked():
            return None
        ref = self.sr_combo.currentData()
        return ref if isinstance(ref, str) else None

    def is_valid(self) -> bool:
        return (self.clone.isChecked() and self.clone.isEnabled()) or (
            self.copy.isChecked() and self.copy.isEnabled() and self.target_sr() is not None)


class CopySnapshotDialog(OperationDialog):
    """Base of the dialogs that make something new from a snapshot (a template, a VM).

    ``heading`` has ``%1`` for the snapshot's name; ``default_name(cache, snapshot name,
    name of the VM it was taken of or "")`` proposes the new object's name. Subclasses add
    their own fields after this constructor and then call :meth:`refresh`.
    """

    def __init__(self, parent: QWidget | None, session: PoolSession, snapshot_ref: str, *,
                 object_name: str, title: str, heading: str, ok_text: str, name_object: str,
                 default_name: Callable[[ObjectCache, str, str], str]) -> None:
        cache = session.cache
        snapshot = Snapshot.get(cache, snapshot_ref)
        name = snapshot.name_label if snapshot is not None else snapshot_ref
        owner = snapshot.snapshot_of if snapshot is not None else None
        super().__init__(parent, session, object_name=object_name, title=title,
                         heading=heading.replace("%1", name), ok_text=ok_text)
        self.snapshot_ref = snapshot_ref
        self.snapshot = snapshot
        self.snapshot_name = name
        self.owner_name = owner.name_label if owner is not None else ""
        form = QFormLayout()
        self.name_edit = QLineEdit(default_name(cache, name, self.owner_name), self)
        self.name_edit.setObjectName(name_object)
        self.name_edit.textChanged.connect(lambda _t: self.refresh())
        form.addRow(translate("OperationDialogs", "&Name:"), self.name_edit)
        self.body.addLayout(form)
        self.options = CopyOptions(cache, session.connection, snapshot_ref, self)
        self.options.changed.connect(self.refresh)
        self.body.addWidget(self.options)

    def check(self) -> list[Finding]:
        if not hasattr(self, "options"):  # the base class checks before we are built
            return []
        return copy_findings(self.session.cache, self.snapshot_ref, self.options.target_sr())

    def ready(self) -> bool:
        return hasattr(self, "options") and bool(self.name_edit.text().strip()) \
            and self.options.is_valid()
