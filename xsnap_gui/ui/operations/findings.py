"""Pre-flight findings in words, and the panel the operation dialogs show them in."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QLocale, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from ...operations.preflight import Finding, FindingKind
from .. import icons
from ..i18n import translate
from ..snapshot_format import size_text

FINDINGS_NAME = "preflightFindings"
ICON_SIZE = 16



def duration_text(seconds: float) -> str:
    """About how long, in unit symbols that need no plural: "12 s", "3 min", "2 h"."""
    locale = QLocale()
    if seconds < 90:
        return translate("Preflight", "%1 s").replace("%1", locale.toString(max(1, round(seconds))))
    if seconds < 90 * 60:
        return translate("Preflight", "%1 min").replace("%1", locale.toString(round(seconds / 60)))
    return translate("Preflight", "%1 h").replace("%1", locale.toString(round(seconds / 3600, 1)))


def _percent(fraction: float) -> str:
    return QLocale().toString(round(fraction * 100))


def finding_text(finding: Finding) -> str:
    f = finding
    kind = f.kind
    if kind is FindingKind.SR_FULL:
        return (translate("Preflight",
                          "Not enough space on SR “%1”: this needs %2, only %3 is free.")
                .replace("%1", f.sr_name).replace("%2", size_text(f.needed))
                .replace("%3", size_text(f.available)))
    if kind is FindingKind.SR_NEARLY_FULL:
        return (translate("Preflight",
                          "SR “%1” would be %2 % full afterwards (this needs %3 of its %4 free).")
                .replace("%1", f.sr_name).replace("%2", _percent(f.fraction_after))
                .replace("%3", size_text(f.needed)).replace("%4", size_text(f.available)))
    if kind is FindingKind.NO_SUSPEND_SR:
        return translate("Preflight",
                         "There is no SR for the memory image: set a suspend SR for the pool or "
                         "for the VM's host, or take a disk-only snapshot.")
    if kind is FindingKind.CHAIN_DEPTH:
        if f.depth >= f.limit:
            return (translate("Preflight",
                              "The snapshot chain would be %1 deep; xapi refuses chains longer "
                              "than %2 (SR_BACKEND_FAILURE_109). Delete older snapshots first.")
                    .replace("%1", str(f.depth)).replace("%2", str(f.limit)))
        return (translate("Preflight",
                          "The snapshot chain would be %1 deep, close to xapi's limit of %2. "
                          "Consider deleting older snapshots.")
                .replace("%1", str(f.depth)).replace("%2", str(f.limit)))
    if kind is FindingKind.MEMORY_PAUSE:
        return (translate("Preflight",
                          "The VM stops running while its %1 of memory is saved and read back: "
                          "about %2.")
                .replace("%1", size_text(f.memory)).replace("%2", duration_text(f.seconds)))
    if kind is FindingKind.COALESCE_SPACE:
        return (translate("Preflight",
                          "SR “%1” has %2 free. Merging a %3 disk after the delete (coalescing) "
                          "may be slow or wait until space is freed.")
                .replace("%1", f.sr_name).replace("%2", size_text(f.available))
                .replace("%3", size_text(f.needed)))
    if kind is FindingKind.DESTINATION_FULL:
        return (translate("Preflight", "The export needs at least %1, but only %2 is free in “%3”.")
                .replace("%1", size_text(f.needed)).replace("%2", size_text(f.available))
                .replace("%3", f.path))
    if kind is FindingKind.DESTINATION_TIGHT:
        return (translate("Preflight",
                          "The export may need up to %1, but only %2 is free in “%3”. It is "
                          "usually smaller, as empty blocks are skipped.")
                .replace("%1", size_text(f.needed)).replace("%2", size_text(f.available))
                .replace("%3", f.path))
    return kind.value


class FindingsView(QWidget):
    """Errors (which block the operation) and warnings, one wrapped line each."""

    def __init__(self, parent: QWidget | None = None, *, all_clear: str = "") -> None:
        super().__init__(parent)
        self.setObjectName(FINDINGS_NAME)
        self._all_clear = all_clear or translate("Preflight",
                                                 "Pre-flight checks found nothing in the way.")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self._findings: list[Finding] = []
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.set_findings([])

    def findings(self) -> list[Finding]:
        return list(self._findings)

    def has_blocking(self) -> bool:
        return any(f.blocking for f in self._findings)

    def texts(self) -> list[str]:
        return [finding_text(f) for f in self._findings]

    def set_findings(self, findings: Sequence[Finding]) -> None:
        if list(findings) == self._findings and self._layout.count():
            return
        self._findings = list(findings)
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()  # gone from the picture now, deleted when Qt gets to it
                widget.deleteLater()
        if not self._findings:
            self._layout.addWidget(self._row("task-success", self._all_clear, "clear"))
            return
        for finding in self._findings:
            icon = "task-failure" if finding.blocking else "warning"
            self._layout.addWidget(self._row(icon, finding_text(finding),
                                             "error" if finding.blocking else "warning"))

    def _row(self, icon_name: str, text: str, kind: str) -> QWidget:
        row = QWidget(self)
        row.setProperty("findingKind", kind)
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        icon = QLabel(row)
        icon.setPixmap(icons.icon(icon_name).pixmap(QSize(ICON_SIZE, ICON_SIZE),
                                                     self.devicePixelRatioF()))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        icon.setFixedWidth(ICON_SIZE + 2)
        label = QLabel(text, row)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if kind == "error":
            font = label.font()
            font.setBold(True)
            label.setFont(font)
        layout.addWidget(icon)
        layout.addWidget(label, 1)
        return row
