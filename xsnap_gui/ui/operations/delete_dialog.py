"""Delete snapshots: "Snapshot and its disks" (xe snapshot-uninstall) lists every VDI it
destroys with sizes and the space freed; "Snapshot record only" (xe snapshot-destroy)
says which disks stay. The dialog then shows each snapshot's progress and ends with a
summary of what was deleted and what was not, and why."""

from __future__ import annotations

import asyncio
import html
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialogButtonBox,
    QFrame,
    QHeaderView,
    QLabel,
    QProgressBar,
    QRadioButton,
    QStackedWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...operations.delete import (
    DeleteMode,
    DeletePlan,
    DeleteSummary,
    DiskToDelete,
    ItemOutcome,
    delete_findings,
    delete_snapshots,
    plan_delete,
)
from ...operations.preflight import Finding
from ...xapi.client import Connection
from .. import icons
from ..i18n import translate
from ..pool_session import PoolSession
from ..snapshot_format import size_text
from .base import OperationDialog, hint_label, task_labels
from .errors import describe_error, report_html
from .runner import Job, OperationRunner

DIALOG_NAME = "deleteSnapshotsDialog"
CONFIRM, RUNNING, SUMMARY = range(3)


class DeleteDialog(OperationDialog):
    def __init__(self, parent: QWidget | None, session: PoolSession, refs: Sequence[str],
                 runner: OperationRunner) -> None:
        self.refs = list(refs)
        self.runner = runner
        cache = session.cache
        names = [str((cache.get("VM", r) or {}).get("name_label", r)) for r in self.refs]
        count = len(self.refs)
        heading = (translate("OperationDialogs",
                             "Delete snapshot “%1”?").replace("%1", names[0]) if count == 1
                   else translate("OperationDialogs", "Delete %n snapshots?", "", count))
        super().__init__(parent, session, object_name=DIALOG_NAME,
                         title=translate("OperationDialogs",
                                         "Delete Snapshots", "", count), heading=heading,
                         ok_text=translate("OperationDialogs", "&Delete"))
        self.job: Job | None = None
        self.summary: DeleteSummary | None = None
        self._stop = asyncio.Event()
        self._rows: dict[str, QTreeWidgetItem] = {}
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_confirm())
        self.pages.addWidget(self._build_progress())
        self.body.addWidget(self.pages)
        self.refresh()

    # --- pages ------------------------------------------------------------------------

    def _build_confirm(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.uninstall = QRadioButton(translate("OperationDialogs",
                                                "Snapshot and its &disks"), page)
        self.uninstall.setObjectName("deleteUninstall")
        self.uninstall_hint = hint_label(translate("OperationDialogs",
            "Deletes the snapshot and the disks it owns, and its memory image: the space "
            "comes back once the storage has merged (coalesced) the chain. Like xe "
            "snapshot-uninstall."), page)
        self.record_only = QRadioButton(translate("OperationDialogs",
                                                  "Snapshot &record only"), page)
        self.record_only.setObjectName("deleteRecordOnly")
        self.record_hint = hint_label(translate("OperationDialogs",
            "Deletes only the snapshot's record. Its disks stay on their SRs, taking their "
            "space, and belong to no snapshot any more. Like xe snapshot-destroy."), page)
        group = QButtonGroup(self)
        group.addButton(self.uninstall)
        group.addButton(self.record_only)
        self.uninstall.setChecked(True)
        group.buttonToggled.connect(lambda _b, _c: self.refresh())
        for widget in (self.uninstall, self.uninstall_hint, self.record_only, self.record_hint):
            layout.addWidget(widget)
        self.disks = QTreeWidget(page)
        self.disks.setObjectName("deleteDisks")
        self.disks.setRootIsDecorated(False)
        self.disks.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.disks.setHeaderLabels(
            [
                translate("OperationDialogs", "Disk"),
                translate("OperationDialogs", "Snapshot"),
                translate("OperationDialogs", "SR"),
                translate("OperationDialogs", "Size"),
                translate("OperationDialogs", "Afterwards"),
            ]
        )
        header = self.disks.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.disks.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.disks.setMaximumHeight(self.fontMetrics().lineSpacing() * 16)
        layout.addWidget(self.disks)
        self.totals = QLabel(page)
        self.totals.setObjectName("deleteTotals")
        self.totals.setWordWrap(True)
        layout.addWidget(self.totals)
        warning = QLabel(translate("OperationDialogs", "This cannot be undone."), page)
        font = warning.font()
        font.setBold(True)
        warning.setFont(font)
        layout.addWidget(warning)
        return page

    def _build_progress(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar(page)
        self.progress.setObjectName("deleteProgress")
        self.progress.setRange(0, 1000)
        layout.addWidget(self.progress)
        self.outcomes = QTreeWidget(page)
        self.outcomes.setObjectName("deleteOutcomes")
        self.outcomes.setRootIsDecorated(False)
        self.outcomes.setWordWrap(True)
        self.outcomes.setHeaderLabels(
            [translate("OperationDialogs", "Snapshot"), translate("OperationDialogs", "Result")]
        )
        header = self.outcomes.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        lines = self.fontMetrics().lineSpacing()
        self.outcomes.setMinimumHeight(lines * 5)
        self.outcomes.setMaximumHeight(lines * 12)
        layout.addWidget(self.outcomes)
        self.result_view = QTextBrowser(page)
        self.result_view.setObjectName("deleteResult")
        self.result_view.setFrameShape(QFrame.Shape.NoFrame)
        self.result_view.viewport().setAutoFillBackground(False)
        self.result_view.setMinimumHeight(lines * 10)
        self.result_view.hide()
        layout.addWidget(self.result_view, 1)
        return page

    # --- the plan ---------------------------------------------------------------------

    def mode(self) -> DeleteMode:
        return DeleteMode.UNINSTALL if self.uninstall.isChecked() else DeleteMode.RECORD_ONLY

    def plan(self) -> DeletePlan:
        return plan_delete(self.session.cache, self.refs, self.mode())

    def check(self) -> list[Finding]:
        if not hasattr(self, "uninstall") or self.pages.currentIndex() != CONFIRM:
            return []
        plan = self.plan()
        self._show_plan(plan)
        return delete_findings(self.session.cache, plan)

    def ready(self) -> bool:
        return hasattr(self, "uninstall") and bool(self.plan().items)

    def _disk_row(self, disk: DiskToDelete, snapshot: str, destroyed: bool) -> QTreeWidgetItem:
        name = disk.name or disk.vdi_ref
        if disk.is_memory:
            name = translate("OperationDialogs", "Memory image")
        row = QTreeWidgetItem(
            [
                name,
                snapshot,
                disk.sr_name,
                size_text(disk.size),
                translate("OperationDialogs", "deleted")
                if destroyed
                else translate("OperationDialogs", "stays"),
            ]
        )
        row.setData(0, Qt.ItemDataRole.UserRole, disk.vdi_ref)
        row.setTextAlignment(3, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if not destroyed:
            for column in range(5):
                row.setForeground(column, self.palette().placeholderText())
        return row

    def _show_plan(self, plan: DeletePlan) -> None:
        self.disks.clear()
        uninstall = plan.mode is DeleteMode.UNINSTALL
        for item in plan.items:
            for disk in item.disks:
                self.disks.addTopLevelItem(self._disk_row(disk, item.name, uninstall))
            for disk in item.shared:
                self.disks.addTopLevelItem(self._disk_row(disk, item.name, False))
        destroyed = plan.destroyed_disks
        kept = plan.kept_disks
        if uninstall:
            srs = sorted({d.sr_name for d in destroyed if d.sr_name})
            destroyed_count = len(destroyed)
            text = (translate("OperationDialogs",
                              "Disks to delete: %n, on %1, freeing about %2.", "", destroyed_count)
                    .replace("%1", ", ".join(srs)).replace("%2", size_text(plan.space_freed)))
            if len(plan.items) > 1:
                text += " " + translate("OperationDialogs",
                                        "Deletes on the same SR run one after another, as each one "
                                        "starts a merge of the disk chain there.")
        else:
            kept_count = len(kept)
            text = (translate("OperationDialogs", "Disks that stay: %n, taking %1.", "", kept_count)
                    .replace("%1", size_text(sum(d.size for d in kept))))
        self.totals.setText(text)

    # --- running ----------------------------------------------------------------------

    def _on_ok(self) -> None:
        if self.pages.currentIndex() != CONFIRM:
            return
        self.refresh()
        if self.ok_button.isEnabled():
            self.start()

    def start(self) -> Job:
        plan = self.plan()
        self.pages.setCurrentIndex(RUNNING)
        self.findings_box.hide()
        self.outcomes.clear()
        for item in plan.items:
            row = QTreeWidgetItem([item.name, translate("OperationDialogs", "Waiting…")])
            row.setIcon(1, icons.icon("task-pending"))
            row.setData(0, Qt.ItemDataRole.UserRole, item.ref)
            self.outcomes.addTopLevelItem(row)
            self._rows[item.ref] = row
        self.ok_button.hide()
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setText(translate("OperationDialogs", "&Stop"))
        cancel.setToolTip(translate("OperationDialogs",
                                    "Finish the deletes under way and start no more"))
        self.heading.setText(translate("OperationDialogs", "Deleting snapshots…"))
        labels = task_labels()

        async def work(conn: Connection) -> DeleteSummary:
            return await delete_snapshots(conn, plan, progress=self._on_progress,
                                          on_outcome=self._on_outcome, stop=self._stop,
                                          labels=labels)

        self.job = self.runner.run(Job(translate("OperationDialogs",
                                                 "Delete Snapshots"), self.session, work,
                                       on_success=self.show_summary,
                                       on_finished=self._on_finished))
        return self.job

    def _on_finished(self, job: Job) -> None:
        if self.summary is None:
            # The run itself failed (the runner has shown why): let the dialog be closed.
            self.heading.setText(translate("OperationDialogs", "Deleting snapshots failed"))
            self._offer_close()

    def reject(self) -> None:
        if self.pages.currentIndex() == RUNNING and self.job is not None \
                and not self.job.finished:
            self._stop.set()
            cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
            if cancel is not None:
                cancel.setEnabled(False)
                cancel.setText(translate("OperationDialogs", "Stopping…"))
            return
        super().reject()

    def _on_progress(self, fraction: float) -> None:
        self.progress.setValue(round(fraction * 1000))

    def _on_outcome(self, outcome: ItemOutcome) -> None:
        row = self._rows.get(outcome.item.ref)
        if row is None:
            return
        if outcome.deleted:
            row.setIcon(1, icons.icon("task-success"))
            freed = sum(d.size for d in outcome.destroyed)
            row.setText(1, translate("OperationDialogs",
                                     "Deleted, freeing %1").replace("%1", size_text(freed))
                        if outcome.destroyed else translate("OperationDialogs",
                                                            "Deleted (its disks stay)"))
        elif outcome.skipped:
            row.setIcon(1, icons.icon("task-cancelled"))
            row.setText(1, translate("OperationDialogs", "Not deleted: stopped before its turn"))
        elif outcome.failure is not None:
            report = describe_error(outcome.failure)
            row.setIcon(1, icons.icon("task-failure"))
            # The full report is below the list; the row says what and the code.
            row.setText(
                1,
                translate("OperationDialogs", "Not deleted: %1").replace(
                    "%1", report.code or report.message
                ),
            )
            row.setToolTip(1, report.plain())

    def show_summary(self, summary: DeleteSummary) -> None:
        self.summary = summary
        for outcome in summary.outcomes:
            self._on_outcome(outcome)
        self.progress.setValue(1000)
        self.pages.setCurrentIndex(RUNNING)
        deleted_count = len(summary.deleted)
        self.heading.setText(translate("OperationDialogs",
                                       "Snapshots deleted: %n of %1", "", deleted_count)
                             .replace("%1", str(len(summary.outcomes))))
        parts = []
        if summary.space_freed:
            parts.append("<p>" + html.escape(
                translate("OperationDialogs",
                          "About %1 will be freed once the storage has merged the chains.")
                .replace("%1", size_text(summary.space_freed))) + "</p>")
        for outcome in summary.failed:
            assert outcome.failure is not None
            parts.append(report_html(describe_error(outcome.failure),
                                     translate("OperationDialogs",
                                               "“%1” was not deleted.").replace("%1",
                                                                        outcome.item.name)))
        if summary.skipped:
            skipped_count = len(summary.skipped)
            parts.append("<p>" + html.escape(translate("OperationDialogs",
                                                       "Not started, as you stopped: %n.", "",
                                                skipped_count)) + "</p>")
        self.result_view.setHtml("".join(parts))
        self.result_view.setVisible(bool(parts))
        self._offer_close()

    def result_text(self) -> str:
        return self.result_view.toPlainText()

    def _offer_close(self) -> None:
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            self.buttons.removeButton(cancel)
            cancel.deleteLater()
        if self.buttons.button(QDialogButtonBox.StandardButton.Close) is None:
            close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
            if close is not None:
                close.setObjectName("closeButton")
                close.clicked.connect(self.accept)
