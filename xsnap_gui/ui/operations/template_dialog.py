"""New template from a snapshot (a fast clone or a full copy), and the list of the pool's
templates it then appears in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...model.views import VM
from ...operations.template import TemplateRequest, default_template_name, user_templates
from ..i18n import translate
from ..pool_session import PoolSession
from .copy_options import CopySnapshotDialog

DIALOG_NAME = "newTemplateDialog"
LIST_DIALOG_NAME = "templateListDialog"


class TemplateDialog(CopySnapshotDialog):
    def __init__(self, parent: QWidget | None, session: PoolSession, snapshot_ref: str) -> None:
        super().__init__(
            parent, session, snapshot_ref, object_name=DIALOG_NAME,
            title=translate("OperationDialogs", "New Template from Snapshot"),
            heading=translate("OperationDialogs", "New template from “%1”"),
            ok_text=translate("OperationDialogs", "Create &Template"),
            name_object="templateName",
            default_name=lambda cache, name, _owner: default_template_name(
                cache, translate("OperationDialogs",
                                 "Template from snapshot '%1'").replace("%1", name)))
        self.refresh()

    def request(self) -> TemplateRequest:
        description = translate("OperationDialogs",
                                "Created from snapshot “%1”").replace("%1", self.snapshot_name)
        if self.owner_name:
            description = (translate("OperationDialogs", "Created from snapshot “%1” of %2")
                           .replace("%1", self.snapshot_name).replace("%2", self.owner_name))
        return TemplateRequest(self.snapshot_ref, self.name_edit.text().strip(),
                               self.options.target_sr(), description)


class TemplateListDialog(QDialog):
    """The pool's own templates, the new one selected."""

    def __init__(self, parent: QWidget | None, session: PoolSession, new_ref: str) -> None:
        super().__init__(parent)
        self.setObjectName(LIST_DIALOG_NAME)
        self.setWindowTitle(translate("OperationDialogs",
                                      "Templates of %1").replace("%1", session.name))
        self.setMinimumWidth(420)
        layout = QVBoxLayout(self)
        new = VM.get(session.cache, new_ref)
        intro = QLabel(translate("OperationDialogs",
                                 "“%1” is now among the pool's templates:").replace(
            "%1", new.name_label if new is not None else new_ref), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.templates = QListWidget(self)
        self.templates.setObjectName("templateList")
        for template in user_templates(session.cache):
            item = QListWidgetItem(template.name_label)
            item.setData(Qt.ItemDataRole.UserRole, template.ref)
            if template.name_description:
                item.setToolTip(template.name_description)
            self.templates.addItem(item)
            if template.ref == new_ref:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
                self.templates.setCurrentItem(item)
        layout.addWidget(self.templates)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def refs(self) -> list[str]:
        return [str(self.templates.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.templates.count())]
