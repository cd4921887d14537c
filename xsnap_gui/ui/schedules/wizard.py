"""The New Snapshot Schedule wizard: name, VMs, snapshot type, schedule, finish.

Finishing creates the schedule with ``Async.VMSS.create``, adds each VM with
``VM.set_snapshot_schedule`` and, if asked, runs it once (``VMSS.snapshot_now``);
see :func:`xsnap_gui.operations.schedules.create_schedule`. The wizard itself
only collects a :class:`ScheduleDraft` that the server is known to accept.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QMessageBox, QVBoxLayout, QWidget, QWizard, QWizardPage

from ...model.schedules import DEFAULT_RETENTION, ScheduleDraft, ServerError, draft_problem
from ..i18n import translate
from .common import PoolFacts, draft_problem_text, fill
from .pages import NamePane, Pane, SchedulePane, SummaryPane, TypePane, VmRow, VmsPane


class PanePage(QWizardPage):
    """A wizard page showing one pane; complete while the pane has no problem."""

    def __init__(self, pane: Pane, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pane = pane
        self.setObjectName(name)
        self.setTitle(pane.title)
        self.setSubTitle(pane.subtitle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(pane)
        pane.changed.connect(self.completeChanged)

    def isComplete(self) -> bool:  # noqa: N802 - Qt override
        return not self.pane.problem()


class VmsPage(PanePage):
    """Moving VMs out of other schedules is confirmed before going on."""

    def __init__(self, pane: VmsPane, parent: QWidget | None = None) -> None:
        super().__init__(pane, "pageVms", parent)
        self.vms_pane = pane
        self._confirmed: frozenset[str] = frozenset()
        self.confirm_box: QMessageBox | None = None

    def validatePage(self) -> bool:  # noqa: N802 - Qt override
        moves = self.vms_pane.moves()
        wanted = frozenset(ref for ref, _, _ in moves)
        if not moves or wanted <= self._confirmed:
            return True
        box = QMessageBox(QMessageBox.Icon.Question, translate("Schedules",
                                                               "Move VMs to this schedule?"), "",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                          self)
        box.setObjectName("confirmMoves")
        if len(moves) == 1:
            _, vm, other = moves[0]
            box.setText(fill(translate("Schedules",
                                       "The VM “%1” is already in the snapshot schedule “%2”. "
                                       "Move it to the new schedule?"), vm, other))
        else:
            move_count = len(moves)
            box.setText(translate("Schedules",
                                  "%n of the selected VMs are already in other snapshot schedules. "
                                  "Move them to the new schedule?", "", move_count))
            box.setInformativeText("\n".join(fill(translate("Schedules",
                                                            "%1 (now in “%2”)"), vm, other)
                                             for _, vm, other in moves))
        box.button(QMessageBox.StandardButton.Yes).setText(translate("Schedules", "&Move"))
        box.button(QMessageBox.StandardButton.No).setText(translate("Schedules", "&Go back"))

        def answered(result: int) -> None:
            if result == QMessageBox.StandardButton.Yes:
                self._confirmed = wanted
                self.wizard().next()

        box.finished.connect(answered)
        self.confirm_box = box
        box.open()
        return False


class SummaryPage(PanePage):
    def __init__(self, pane: SummaryPane, wizard: NewScheduleWizard) -> None:
        super().__init__(pane, "pageFinish", wizard)
        self.summary = pane
        self._wizard = wizard
        self.setFinalPage(True)

    def initializePage(self) -> None:  # noqa: N802 - Qt override
        wizard = self._wizard
        notes = []
        moves = wizard.vms_pane.moves()
        if moves:
            move_count = len(moves)
            notes.append(translate("Schedules",
                                   "%n VM(s) will move here from other schedules.", "", move_count))
        if wizard.type_pane.kind() == "checkpoint":
            failing = wizard.type_pane.vms_without_memory()
            if failing:
                failing_count = len(failing)
                notes.append(translate("Schedules",
                                       "A snapshot with memory would fail now for %n VM(s) that "
                                       "are not running or suspended.", "", failing_count))
        self.summary.show_draft(wizard.draft(), wizard.selected_vms(), notes)


class NewScheduleWizard(QWizard):
    """Collects a new schedule. ``submitted(draft, vms, run_now)`` on Finish."""

    submitted = Signal(object, list, bool)

    def __init__(self, facts: PoolFacts, parent: QWidget | None = None, *,
                 preselected: Sequence[str] = ()) -> None:
        super().__init__(parent)
        self.facts = facts
        self.setObjectName("newScheduleWizard")
        self.setWindowTitle(fill(translate("Schedules",
                                           "New Snapshot Schedule — %1"), facts.pool_name))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.HaveHelpButton, False)
        self.name_pane = NamePane(facts)
        self.vms_pane = VmsPane(facts)
        self.type_pane = TypePane(facts)
        self.schedule_pane = SchedulePane(facts)
        self.summary_pane = SummaryPane(facts)
        self.name_page = PanePage(self.name_pane, "pageName")
        self.vms_page = VmsPage(self.vms_pane)
        self.type_page = PanePage(self.type_pane, "pageType")
        self.schedule_page = PanePage(self.schedule_pane, "pageSchedule")
        self.summary_page = SummaryPage(self.summary_pane, self)
        for page in (self.name_page, self.vms_page, self.type_page, self.schedule_page,
                     self.summary_page):
            self.addPage(page)
        self.vms_pane.changed.connect(
            lambda: self.type_pane.set_vms(self.vms_pane.checked_vms()))

        default = ScheduleDraft(frequency="daily", hour=2,
                                retained_snapshots=DEFAULT_RETENTION["daily"])
        self.name_pane.load(default)
        self.vms_pane.load(preselected)
        self.type_pane.load(default.type)
        self.schedule_pane.load(default, retention_chosen=False)
        if not facts.licensed:
            self.name_pane.problem_label.setText(translate("Schedules",
                "The pool's licence does not include snapshot schedules, so none can be "
                "created."))
            self.name_pane.problem_label.show()
            self.name_pane.setEnabled(False)
        self.resize(760, 600)

    def draft(self) -> ScheduleDraft:
        draft = self.name_pane.apply(ScheduleDraft())
        draft = self.schedule_pane.apply(draft)
        from dataclasses import replace  # noqa: PLC0415

        # XenCenter's rule: a schedule without VMs starts disabled.
        return replace(draft, type=self.type_pane.kind(),
                       enabled=bool(self.vms_pane.checked_vms()))

    def selected_vms(self) -> list[VmRow]:
        return self.vms_pane.checked_vms()

    def run_now_requested(self) -> bool:
        return self.summary_pane.run_now.isEnabled() and self.summary_pane.run_now.isChecked()

    def problem(self) -> str:
        """Why Finish cannot create the schedule ("" when it can)."""
        if not self.facts.licensed:
            return draft_problem_text(ServerError("LICENCE_RESTRICTION", ("VMSS",)))
        draft = self.draft()
        return draft_problem_text(draft_problem(self.facts.cache, draft,
                                                restrictions=self.facts.restrictions),
                                  draft.frequency)

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.summary_pane.problem_label.setText(problem)
            self.summary_pane.problem_label.show()
            return
        self.submitted.emit(self.draft(), self.selected_vms(), self.run_now_requested())
        super().accept()
