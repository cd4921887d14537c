"""Export as XVA: a file (asked for, never overwritten without asking), the estimated size
against the free space there, then the download with progress, rate, time left and cancel.
Every chunk is verified as it arrives; a cancelled or failed export leaves no file."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QLocale, QSettings
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...model.views import VM
from ...operations.common import Step
from ...operations.export import (
    ExportEstimate,
    TransferProgress,
    export_estimate,
    export_findings,
    export_xva,
)
from ...operations.preflight import Finding
from ...xapi.client import Connection, ExportResult
from ..i18n import translate
from ..pool_session import PoolSession
from ..snapshot_format import size_text
from .base import OperationDialog, hint_label, task_labels
from .findings import duration_text
from .runner import Job, OperationRunner

DIALOG_NAME = "exportDialog"
OVERWRITE_BOX_NAME = "exportOverwriteBox"
SETTINGS_FOLDER = "operations/exportFolder"
_UNSAFE = re.compile(r"[\\/:*?\"<>|\x00-\x1f]+")


def file_name_for(name: str) -> str:
    """A file name from a snapshot name: no path separators or characters file systems refuse."""
    cleaned = _UNSAFE.sub("_", name).strip(" .") or "snapshot"
    return f"{cleaned}.xva"


class ExportDialog(OperationDialog):
    def __init__(self, parent: QWidget | None, session: PoolSession, snapshot_ref: str,
                 runner: OperationRunner, *, folder: Path | None = None) -> None:
        snapshot = VM.get(session.cache, snapshot_ref)
        name = snapshot.name_label if snapshot is not None else snapshot_ref
        super().__init__(
            parent,
            session,
            object_name=DIALOG_NAME,
            title=translate("OperationDialogs", "Export as XVA"),
            heading=translate("OperationDialogs", "Export “%1” as an XVA file").replace("%1", name),
            ok_text=translate("OperationDialogs", "&Export"),
        )
        self.snapshot_ref = snapshot_ref
        self.runner = runner
        self.job: Job | None = None
        self.export_result: ExportResult | None = None
        self.estimate: ExportEstimate = export_estimate(session.cache, snapshot_ref)
        self._confirmed: Path | None = None  # a path the user agreed to replace
        start_folder = folder or Path(str(QSettings().value(SETTINGS_FOLDER, str(Path.home()))))

        row = QHBoxLayout()
        self.path_edit = QLineEdit(str(start_folder / file_name_for(name)), self)
        self.path_edit.setObjectName("exportPath")
        self.path_edit.textChanged.connect(lambda _t: self.refresh())
        self.browse = QPushButton(translate("OperationDialogs", "&Browse…"), self)
        self.browse.setObjectName("exportBrowse")
        self.browse.clicked.connect(self._choose_file)
        file_label = QLabel(translate("OperationDialogs", "&File:"), self)
        file_label.setBuddy(self.path_edit)
        row.addWidget(file_label)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse)
        self.form = QWidget(self)
        form_layout = QVBoxLayout(self.form)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addLayout(row)
        self.estimate_label = QLabel(self.form)
        self.estimate_label.setObjectName("exportEstimate")
        self.estimate_label.setWordWrap(True)
        self.estimate_label.setText(
            translate("OperationDialogs",
                      "Estimated size: %1 to %2. Blocks the disks never wrote are left out, so the "
                      "file is usually near the smaller figure.")
            .replace("%1", size_text(self.estimate.at_least))
            .replace("%2", size_text(self.estimate.at_most)))
        form_layout.addWidget(self.estimate_label)
        form_layout.addWidget(hint_label(translate("OperationDialogs",
            "Every chunk's checksum is checked as it arrives. The file appears under its "
            "name only when the whole export has checked out; nothing is left behind if it "
            "is cancelled or fails."), self.form))
        self.body.addWidget(self.form)

        self.transfer = QWidget(self)
        transfer_layout = QVBoxLayout(self.transfer)
        transfer_layout.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar(self.transfer)
        self.progress.setObjectName("exportProgress")
        self.progress.setRange(0, 0)
        self.status = QLabel(self.transfer)
        self.status.setObjectName("exportStatus")
        self.status.setWordWrap(True)
        transfer_layout.addWidget(self.progress)
        transfer_layout.addWidget(self.status)
        self.transfer.hide()
        self.body.addWidget(self.transfer)
        self.refresh()

    # --- the form ---------------------------------------------------------------------

    def path(self) -> Path:
        return Path(self.path_edit.text().strip()).expanduser()

    def check(self) -> list[Finding]:
        if not hasattr(self, "path_edit") or not self.path_edit.text().strip():
            return []
        return export_findings(self.estimate, self.path())

    def ready(self) -> bool:
        if not hasattr(self, "path_edit") or self.job is not None:
            return False
        text = self.path_edit.text().strip()
        path = self.path()
        return bool(text) and not path.is_dir() and path.parent.is_dir()

    def _choose_file(self) -> None:
        chooser = QFileDialog(self, translate("OperationDialogs",
                                              "Export as XVA"), str(self.path()),
                              translate("OperationDialogs", "XVA files (*.xva)"))
        chooser.setObjectName("exportFileChooser")
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setDefaultSuffix("xva")
        chooser.fileSelected.connect(self._file_chosen)
        chooser.open()

    def _file_chosen(self, name: str) -> None:
        path = Path(name)
        # The file chooser has asked about replacing an existing file already.
        self._confirmed = path if path.exists() else None
        self.path_edit.setText(str(path))

    # --- starting ---------------------------------------------------------------------

    def _on_ok(self) -> None:
        self.refresh()
        if not self.ok_button.isEnabled():
            return
        path = self.path()
        if path.exists() and self._confirmed != path:
            self._ask_overwrite(path)
            return
        self.start(overwrite=path.exists())

    def _ask_overwrite(self, path: Path) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, translate("OperationDialogs", "Export as XVA"),
                          translate("OperationDialogs",
                                    "“%1” already exists. Replace it?").replace("%1", str(path)),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self)
        box.setObjectName(OVERWRITE_BOX_NAME)
        box.setInformativeText(translate("OperationDialogs",
                                         "The old file is kept until the new export has been "
                                         "downloaded and verified completely."))
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(button: int) -> None:
            if button == QMessageBox.StandardButton.Yes:
                self._confirmed = path
                self.start(overwrite=True)

        box.finished.connect(answered)
        self.overwrite_box = box
        box.open()

    def start(self, *, overwrite: bool) -> Job:
        path = self.path()
        QSettings().setValue(SETTINGS_FOLDER, str(path.parent))
        self.form.setEnabled(False)
        self.findings_box.hide()
        self.transfer.show()
        self.ok_button.setEnabled(False)
        self.status.setText(translate("OperationDialogs", "Starting the export…"))
        label = task_labels()[Step.EXPORT]

        async def work(conn: Connection) -> ExportResult:
            return await export_xva(conn, self.snapshot_ref, path, overwrite=overwrite,
                                    progress=self._on_progress, label=label)

        self.job = self.runner.run(Job(translate("OperationDialogs",
                                                 "Export as XVA"), self.session, work,
                                       on_success=self._on_done,
                                       on_finished=self._on_finished))
        return self.job

    def _on_progress(self, p: TransferProgress) -> None:
        if p.fraction is not None:
            self.progress.setRange(0, 1000)
            self.progress.setValue(round(p.fraction * 1000))
        parts = [translate("OperationDialogs", "%1 received").replace("%1", size_text(p.received))]
        if p.bytes_per_second is not None:
            parts.append(translate("OperationDialogs",
                                   "%1/s").replace("%1", size_text(round(p.bytes_per_second))))
        if p.eta_seconds is not None:
            parts.append(translate("OperationDialogs",
                                   "about %1 left").replace("%1", duration_text(p.eta_seconds)))
        self.status.setText(" · ".join(parts))

    def _on_done(self, result: ExportResult) -> None:
        self.export_result = result
        self.progress.setRange(0, 1000)
        self.progress.setValue(1000)
        self.heading.setText(translate("OperationDialogs", "Export finished"))
        self.status.setText(
            translate("OperationDialogs", "Saved %1 to “%2”; %3 chunks verified.")
            .replace("%1", size_text(result.size)).replace("%2", str(result.path))
            .replace("%3", QLocale().toString(result.chunks_verified)))
        self.ok_button.hide()
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        if cancel is not None:
            cancel.setText(translate("OperationDialogs", "Close"))

    def _on_finished(self, job: Job) -> None:
        if job.cancelled:
            super().reject()
        elif job.error is not None:
            # Back to the form: the runner has said why; another file may do.
            self.job = None
            self.form.setEnabled(True)
            self.transfer.hide()
            self.findings_box.show()
            self.refresh()

    def reject(self) -> None:
        if self.job is not None and not self.job.finished:
            self.status.setText(translate("OperationDialogs",
                                          "Cancelling; the partial file is being removed…"))
            self.job.cancel()
            return
        super().reject()
