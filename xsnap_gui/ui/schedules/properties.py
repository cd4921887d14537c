"""A schedule's properties: the wizard's pages as tabs; only what changed is saved.

Saving runs :func:`xsnap_gui.operations.schedules.save_properties`: VMs taken out
and added with ``VM.set_snapshot_schedule``, then one ``VMSS.set_*`` call per
changed field. The record the dialog compares against is the one it opened with.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...model.schedules import ScheduleDraft, draft_problem
from ...model.views import VMSS
from ..i18n import translate
from .common import PoolFacts, draft_problem_text, fill
from .pages import NamePane, SchedulePane, TypePane, VmRow, VmsPane


class SchedulePropertiesDialog(QDialog):
    """Edit one schedule. ``submitted(before_record, draft, add, remove)`` on OK."""

    submitted = Signal(object, object, list, list)

    def __init__(self, facts: PoolFacts, vmss_ref: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = facts
        self.vmss_ref = vmss_ref
        vmss = VMSS.get(facts.cache, vmss_ref)
        if vmss is None:
            raise KeyError(vmss_ref)
        self.before: dict[str, Any] = dict(vmss.rec)
        self.original = ScheduleDraft.of(vmss)
        self.original_vms = {ref for ref in vmss.vm_refs}
        self.setObjectName("schedulePropertiesDialog")
        self.setWindowTitle(fill(translate("Schedules", "Properties of “%1”"), vmss.name_label))
        self.name_pane = NamePane(facts, vmss_ref, with_enabled=True)
        self.vms_pane = VmsPane(facts, vmss_ref, creating=False)
        self.type_pane = TypePane(facts)
        self.schedule_pane = SchedulePane(facts)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("propertiesTabs")
        self.name_pane.title = translate("Schedules", "General")
        for pane, name in ((self.name_pane, "tabGeneral"), (self.vms_pane, "tabVms"),
                           (self.type_pane, "tabType"), (self.schedule_pane, "tabSchedule")):
            pane.setObjectName(name)
            self.tabs.addTab(pane, pane.title)
        self.problem_label = QLabel()
        self.problem_label.setObjectName("propertiesProblem")
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)

        self.name_pane.load(self.original)
        self.vms_pane.load(sorted(self.original_vms))
        self.type_pane.load(self.original.type)
        self.schedule_pane.load(self.original)
        self.type_pane.set_vms(self.vms_pane.checked_vms())
        for pane in (self.name_pane, self.vms_pane, self.type_pane, self.schedule_pane):
            pane.changed.connect(self._refresh)
        self.vms_pane.changed.connect(
            lambda: self.type_pane.set_vms(self.vms_pane.checked_vms()))
        self.confirm_box: QMessageBox | None = None
        self.resize(840, 620)
        self._refresh()

    def draft(self) -> ScheduleDraft:
        draft = self.name_pane.apply(self.original)
        draft = self.schedule_pane.apply(draft)
        return replace(draft, type=self.type_pane.kind())

    def changes(self) -> tuple[list[VmRow], list[VmRow]]:
        """VMs to add and to take out."""
        checked = dict(self.vms_pane.checked_vms())
        names = {ref: name for ref, name in (
            (r, str((self.facts.cache.get("VM", r) or {}).get("name_label", r)))
            for r in self.original_vms)}
        add = [(ref, name) for ref, name in checked.items() if ref not in self.original_vms]
        remove = [(ref, names[ref]) for ref in sorted(self.original_vms) if ref not in checked]
        return add, remove

    def problem(self) -> str:
        for pane in (self.name_pane, self.schedule_pane):
            text = pane.problem()
            if text:
                return text
        draft = self.draft()
        if draft.type == self.original.type:
            # An unchanged type is not sent, so the rules for setting it do not apply.
            draft = replace(draft, type="snapshot")
        return draft_problem_text(draft_problem(self.facts.cache, draft, own_ref=self.vmss_ref,
                                                restrictions=self.facts.restrictions),
                                  draft.frequency)

    def _refresh(self) -> None:
        problem = self.problem()
        self.problem_label.setText(problem)
        self.problem_label.setVisible(bool(problem))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)

    def _on_ok(self) -> None:
        if self.problem():
            return
        moves = [m for m in self.vms_pane.moves() if m[0] not in self.original_vms]
        if not moves:
            self._submit()
            return
        box = QMessageBox(QMessageBox.Icon.Question, translate("Schedules",
                                                               "Move VMs to this schedule?"), "",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName("confirmMoves")
        move_count = len(moves)
        box.setText(translate("Schedules",
                              "%n VM(s) will move here from other snapshot schedules.", "",
                       move_count))
        box.setInformativeText("\n".join(fill(translate("Schedules", "%1 (now in “%2”)"), vm, other)
                                         for _, vm, other in moves))

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self._submit()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()

    def _submit(self) -> None:
        add, remove = self.changes()
        self.submitted.emit(self.before, self.draft(), add, remove)
        self.accept()
