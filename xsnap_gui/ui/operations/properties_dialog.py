"""Snapshot properties: name, description and tags; only what changed is saved."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCompleter, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from ...model.views import VM
from ...operations.properties import Properties, PropertyChanges, diff_properties, parse_tags
from ..i18n import translate
from ..pool_session import PoolSession
from .base import OperationDialog, hint_label, role_reason

DIALOG_NAME = "snapshotPropertiesDialog"


def pool_tags(session: PoolSession) -> list[str]:
    return sorted({t for vm in VM.all(session.cache) for t in vm.tags}, key=str.casefold)


class PropertiesDialog(OperationDialog):
    def __init__(self, parent: QWidget | None, session: PoolSession, ref: str) -> None:
        self.original = Properties.of(session.cache, ref) or Properties("", "", ())
        super().__init__(
            parent,
            session,
            object_name=DIALOG_NAME,
            title=translate("OperationDialogs", "Properties"),
            heading=translate("OperationDialogs", "Properties of “%1”").replace(
                "%1", self.original.name
            ),
            ok_text=translate("OperationDialogs", "&Save"),
            show_findings=False,
        )
        self.ref = ref
        form = QFormLayout()
        self.name_edit = QLineEdit(self.original.name, self)
        self.name_edit.setObjectName("propertiesName")
        form.addRow(translate("OperationDialogs", "&Name:"), self.name_edit)
        self.description_edit = QPlainTextEdit(self.original.description, self)
        self.description_edit.setObjectName("propertiesDescription")
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.description_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        form.addRow(translate("OperationDialogs", "&Description:"), self.description_edit)
        self.tags_edit = QLineEdit(", ".join(self.original.tags), self)
        self.tags_edit.setObjectName("propertiesTags")
        self.tags_edit.setPlaceholderText(
            translate("OperationDialogs", "Comma-separated, e.g. production, before-patch")
        )
        completer = QCompleter(pool_tags(session), self.tags_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags_edit.setCompleter(completer)
        form.addRow(translate("OperationDialogs", "&Tags:"), self.tags_edit)
        self.body.addLayout(form)
        reason = role_reason(session.connection, "vm.set_name_label")
        if reason is not None:
            for widget in (self.name_edit, self.description_edit, self.tags_edit):
                widget.setEnabled(False)
            self.body.addWidget(hint_label(reason, self))
        for signal in (self.name_edit.textChanged, self.tags_edit.textChanged):
            signal.connect(lambda _t: self.refresh())
        self.description_edit.textChanged.connect(self.refresh)
        self.refresh()

    def edited(self) -> Properties:
        return Properties(self.name_edit.text().strip(), self.description_edit.toPlainText(),
                          parse_tags(self.tags_edit.text()))

    def changes(self) -> PropertyChanges:
        return diff_properties(self.original, self.edited())

    def ready(self) -> bool:
        if not hasattr(self, "tags_edit") or not self.name_edit.isEnabled():
            return False
        return bool(self.name_edit.text().strip()) and not self.changes().empty
