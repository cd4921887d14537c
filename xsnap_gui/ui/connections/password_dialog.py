"""Asking for a server's password at connect time.

Used when no password is stored (none was remembered, or no keyring exists),
when the keyring cannot be read, and when the server refused the stored one.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...model.secrets import KeyringStatus
from ..i18n import translate
from .common import fill, grow_to_fit, selectable_label

WARNING_STYLE = "color: palette(text); background: rgba(217, 139, 12, 0.16); " \
                "border: 1px solid rgba(217, 139, 12, 0.55); border-radius: 4px; padding: 6px;"
ERROR_STYLE = "color: #c0262f;"


class PasswordDialog(QDialog):
    """The password of ``username`` on ``server``. Accepted means: connect with it.

    ``problem`` says why we ask (shown in red). ``keyring`` decides the
    "Remember password" box: disabled, with the reason, when no keyring is usable.
    """

    def __init__(self, parent: QWidget | None, *, server: str, username: str,
                 problem: str = "", keyring: KeyringStatus | None = None,
                 remember: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("passwordDialog")
        self.setWindowTitle(self.tr("Password"))
        intro = QLabel(fill(self.tr("Enter the password of %1 on %2."),
                            f"<b>{_escape(username)}</b>", f"<b>{_escape(server)}</b>"), self)
        intro.setObjectName("introLabel")
        intro.setTextFormat(Qt.TextFormat.RichText)
        intro.setWordWrap(True)

        self.problem_label = selectable_label(problem, self, name="problemLabel")
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.setVisible(bool(problem))

        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox(self.tr("Remember password in the keyring"), self)
        self.remember_check.setObjectName("rememberPasswordCheck")
        self.remember_check.setChecked(remember)
        self.keyring_warning = QLabel(self)
        self.keyring_warning.setObjectName("keyringWarning")
        self.keyring_warning.setWordWrap(True)
        self.keyring_warning.setStyleSheet(WARNING_STYLE)
        self.keyring_warning.hide()

        form = QFormLayout()
        form.addRow(self.tr("Password:"), self.password_edit)
        form.addRow("", self.remember_check)

        buttons = QDialogButtonBox(self)
        self.connect_button = QPushButton(self.tr("Connect"), self)
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.connect_button.setEnabled(False)
        self.password_edit.textChanged.connect(
            lambda text: self.connect_button.setEnabled(bool(text)))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.problem_label)
        layout.addLayout(form)
        layout.addWidget(self.keyring_warning)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.set_keyring_status(keyring)
        self.password_edit.setFocus()

    def set_keyring_status(self, status: KeyringStatus | None) -> None:
        """Enable "Remember" only with a usable keyring; otherwise say why not."""
        show_keyring_status(self, self.remember_check, self.keyring_warning, status)

    def password(self) -> str:
        return self.password_edit.text()

    def remember(self) -> bool:
        return self.remember_check.isEnabled() and self.remember_check.isChecked()


def show_keyring_status(dialog: QDialog, remember: QCheckBox, warning: QLabel,
                        status: KeyringStatus | None, *, enable: bool = True) -> bool:
    """With a usable keyring (or none checked yet), enable ``remember`` if ``enable``;
    otherwise untick and disable it and say why in ``warning``. True if usable."""
    if status is None or status.usable:
        remember.setEnabled(enable)
        remember.setToolTip("")
        warning.hide()
        return True
    remember.setChecked(False)
    remember.setEnabled(False)
    text = no_keyring_text(status)
    remember.setToolTip(text)
    warning.setText(text)
    warning.show()
    grow_to_fit(dialog)
    return False


def no_keyring_text(status: KeyringStatus) -> str:
    """The one explanation of a missing keyring, shared by every dialog that shows it."""
    if status.kind == "disabled":
        why = translate("Connections", "the keyring is disabled in keyring's configuration")
    elif status.kind == "file":
        why = translate(
            "Connections",
            "the configured keyring keeps passwords in a file, which xsnap does not use",
        )
    elif status.kind == "timeout":
        why = translate("Connections", "the keyring does not answer (is it locked?)")
    elif status.kind in ("error", "locked"):
        why = translate("Connections", "the keyring cannot be used")
    else:
        why = translate("Connections",
                        "no keyring service (such as GNOME Keyring, KWallet or KeePassXC) is "
                        "available")
    return fill(translate("Connections",
                          "Passwords cannot be saved: %1. The password is not stored anywhere, and "
                          "xsnap asks for it each time it connects."), why)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
