"""What the operation dialogs share: a heading, the form, the pre-flight panel, OK/Cancel,
re-checking when the pool changes, and the wording of role and mode reasons."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...model.cache import Changes
from ...operations.common import Step
from ...operations.preflight import Finding
from ...xapi.client import Connection
from ..actions import roles_with
from ..i18n import translate
from ..pool_session import PoolSession
from .findings import FindingsView

REFRESH_DELAY_MS = 150  # coalesce bursts of cache changes (task progress) into one check
DIALOG_WIDTH = 520



def task_labels() -> dict[Step, str]:
    """How our server tasks are named in the tasks panel (translated)."""
    return {
        Step.SNAPSHOT: translate("OperationDialogs", "Take snapshot"),
        Step.CHECKPOINT: translate("OperationDialogs", "Take snapshot with memory"),
        Step.REVERT: translate("OperationDialogs", "Revert to snapshot"),
        Step.START: translate("OperationDialogs", "Start VM"),
        Step.RESUME: translate("OperationDialogs", "Resume VM"),
        Step.CLONE: translate("OperationDialogs", "Clone snapshot"),
        Step.COPY: translate("OperationDialogs", "Copy snapshot"),
        Step.PROVISION: translate("OperationDialogs", "Provision VM"),
        Step.DESTROY_DISK: translate("OperationDialogs", "Delete snapshot disk"),
        Step.DESTROY_RECORD: translate("OperationDialogs", "Delete snapshot"),
        Step.EXPORT: translate("OperationDialogs", "Export snapshot"),
    }


def role_reason(conn: Connection | None, permission: str) -> str | None:
    """None when the user's role may do ``permission``; else a sentence naming the role needed."""
    if conn is None:
        return translate("OperationDialogs", "Not connected to the pool.")
    if conn.can(permission):
        return None
    needed = roles_with(permission)
    mine = conn.info.role or translate("OperationDialogs", "your role")
    if not needed:
        return translate("OperationDialogs",
                         "Your role (%1) does not allow this.").replace("%1", mine)
    return (translate("OperationDialogs",
                      "Your role (%1) does not allow this; it needs %2 or higher.")
            .replace("%1", mine).replace("%2", needed[-1]))


def hint_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """A small, muted, wrapped explanation under an option."""
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setIndent(22)
    palette = label.palette()
    palette.setColor(label.foregroundRole(), palette.color(palette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    font = label.font()
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.92))
    label.setFont(font)
    return label


def set_hint(label: QLabel, reason: str | None, explanation: str) -> None:
    """Show why an option is unavailable (italic), else what it does."""
    font = label.font()
    font.setItalic(reason is not None)
    label.setFont(font)
    label.setText(reason if reason is not None else explanation)


class OperationDialog(QDialog):
    """Heading, ``body`` (filled by subclasses), pre-flight findings, OK/Cancel.

    Subclasses implement :meth:`check` (findings) and :meth:`ready` (the form is
    complete); OK is enabled when the form is ready and nothing blocks. The
    check runs again when the pool changes, so a freed SR unblocks the dialog.
    """

    def __init__(self, parent: QWidget | None, session: PoolSession, *, object_name: str,
                 title: str, heading: str, ok_text: str, show_findings: bool = True) -> None:
        super().__init__(parent)
        self.session = session
        self.setObjectName(object_name)
        self.setWindowTitle(title)
        self.setMinimumWidth(DIALOG_WIDTH)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.heading = QLabel(heading, self)
        self.heading.setObjectName("dialogHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.heading.setFont(font)
        layout.addWidget(self.heading)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        layout.addLayout(self.body)
        self.findings_box = QGroupBox(translate("OperationDialogs",
                                                "Checks before you go on"), self)
        self.findings_box.setObjectName("preflightBox")
        box_layout = QVBoxLayout(self.findings_box)
        self.findings = FindingsView(self.findings_box)
        box_layout.addWidget(self.findings)
        layout.addWidget(self.findings_box)
        self.findings_box.setVisible(show_findings)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert ok is not None
        self.ok_button: QPushButton = ok
        self.ok_button.setText(ok_text)
        self.ok_button.setObjectName("okButton")
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        session.cacheChanged.connect(self._on_cache_changed)

    # --- for subclasses ---------------------------------------------------------------

    def check(self) -> list[Finding]:
        return []

    def ready(self) -> bool:
        return True

    def refresh(self) -> None:
        """Re-run the checks and set OK accordingly."""
        findings = self.check()
        self.findings.set_findings(findings)
        self.ok_button.setEnabled(self.ready() and not self.findings.has_blocking())

    def schedule_refresh(self) -> None:
        self._timer.start()

    # --- internals --------------------------------------------------------------------

    def _on_cache_changed(self, _changes: Changes) -> None:
        if self.isVisible():
            self.schedule_refresh()

    def _on_ok(self) -> None:
        self.refresh()
        if self.ok_button.isEnabled():
            self.accept()

    def done(self, result: int) -> None:  # Qt override: stop watching the pool
        self._timer.stop()
        try:
            self.session.cacheChanged.disconnect(self._on_cache_changed)
        except (RuntimeError, TypeError):
            pass  # already disconnected
        super().done(result)
