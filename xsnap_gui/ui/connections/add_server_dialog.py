"""Add Server (and Edit Server): address, user, password, then a live connection attempt.

The attempt runs on the event loop while the dialog stays responsive: a busy
bar shows progress and Cancel aborts it (and closes the dialog). Each kind of
failure gets its own message (see :mod:`.texts`); a certificate the system
does not trust opens the :class:`CertificateDialog`, and trusting it pins its
fingerprint and tries again. A pool member answers with HOST_IS_SLAVE: the
client follows it to the coordinator, and the dialog says so before it closes.

On success :attr:`AddServerDialog.connected` carries a :class:`ConnectOutcome`
with the logged-in connection; saving the server and its password is the
controller's business, not the dialog's.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...model.secrets import KeyringStatus
from ...model.servers import SavedServer, normalise_address
from ...xapi.client import Connection
from ...xapi.errors import (
    AuthenticationFailed,
    CertificateChanged,
    ConnectionFailed,
    UntrustedCertificate,
    XapiError,
)
from .certificate_dialog import CertificateDialog, CertificateInfo
from .common import fill, grow_to_fit, run_dialog, selectable_label
from .password_dialog import ERROR_STYLE, WARNING_STYLE, show_keyring_status
from .texts import failure_text, host_of

log = logging.getLogger(__name__)

# Certificate questions in one attempt: a member's, then its coordinator's, then a change.
MAX_TRUST_ROUNDS = 4
INFO_STYLE = "color: palette(text); background: rgba(47, 116, 208, 0.12); " \
             "border: 1px solid rgba(47, 116, 208, 0.45); border-radius: 4px; padding: 6px;"


@dataclass(frozen=True)
class ConnectOutcome:
    """A successful Add/Edit: the live connection and what to save."""

    connection: Connection
    address: str  # the coordinator's URL, where the login succeeded
    username: str
    password: str = field(repr=False)
    fingerprint: str | None  # the pin used (None: the system CAs trust the certificate)
    remember: bool
    auto_connect: bool
    redirected_from: str | None  # the address typed, when it was a pool member


class AddServerDialog(QDialog):
    """Add a server, or edit ``server`` (its stored password is ``known_password``)."""

    connected = Signal(object)  # ConnectOutcome

    def __init__(self, parent: QWidget | None, *, keyring: KeyringStatus | None = None,
                 server: SavedServer | None = None, known_password: str | None = None,
                 allow_plain_http: bool = False, timeout: float = 30.0) -> None:
        super().__init__(parent)
        self.setObjectName("editServerDialog" if server else "addServerDialog")
        self.setWindowTitle(self.tr("Edit Server") if server else self.tr("Add Server"))
        self.server = server
        self._known_password = known_password
        self._allow_plain_http = allow_plain_http or bool(server and server.allow_plain_http)
        self._timeout = timeout
        self._attempt: asyncio.Task[None] | None = None
        self._keyring_usable = True
        self._pin: str | None = None
        self._redirected_from: str | None = None
        self.outcome: ConnectOutcome | None = None

        intro = QLabel(self.tr("Connect to a XenServer, XCP-ng or Citrix Hypervisor pool. "
                               "Give any of its hosts: a pool member sends xsnap on to the "
                               "pool coordinator."), self)
        intro.setObjectName("introLabel")
        intro.setWordWrap(True)

        self.server_edit = QLineEdit(self)
        self.server_edit.setObjectName("serverEdit")
        self.server_edit.setPlaceholderText(self.tr("pool1.example.com, 10.0.0.5:443 or "
                                                    "https://\u2026"))
        self.user_edit = QLineEdit("root", self)
        self.user_edit.setObjectName("userEdit")
        self.password_edit = QLineEdit(self)
        self.password_edit.setObjectName("passwordEdit")
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember_check = QCheckBox(self.tr("Remember password in the keyring"), self)
        self.remember_check.setObjectName("rememberPasswordCheck")
        self.remember_check.setChecked(True)
        self.auto_connect_check = QCheckBox(self.tr("Connect when xsnap starts"), self)
        self.auto_connect_check.setObjectName("autoConnectCheck")
        self.auto_connect_check.setChecked(True)
        if server is not None:
            self.server_edit.setText(server.address)
            self.user_edit.setText(server.username)
            self.remember_check.setChecked(server.remember_password or known_password is None)
            self.auto_connect_check.setChecked(server.auto_connect)
            if known_password is not None:
                self.password_edit.setPlaceholderText(self.tr("Unchanged"))

        self.keyring_warning = QLabel(self)
        self.keyring_warning.setObjectName("keyringWarning")
        self.keyring_warning.setWordWrap(True)
        self.keyring_warning.setStyleSheet(WARNING_STYLE)
        self.keyring_warning.hide()

        self.progress = QProgressBar(self)
        self.progress.setObjectName("connectProgress")
        self.progress.setRange(0, 0)  # busy: how long a login takes is not known
        self.progress.setTextVisible(False)
        self.progress.setMaximumHeight(8)
        self.progress.hide()
        self.status_label = selectable_label("", self, name="statusLabel")
        self.status_label.hide()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Server:"), self.server_edit)
        form.addRow(self.tr("&User name:"), self.user_edit)
        form.addRow(self.tr("&Password:"), self.password_edit)
        form.addRow("", self.remember_check)
        form.addRow("", self.auto_connect_check)

        self.buttons = QDialogButtonBox(self)
        self.connect_button = QPushButton(
            self.tr("Save and Connect") if server else self.tr("Connect"), self)
        self.connect_button.setObjectName("connectButton")
        self.connect_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        self.close_button = QPushButton(self.tr("Close"), self)
        self.close_button.setObjectName("closeButton")
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.clicked.connect(self.start_connecting)
        self.cancel_button.clicked.connect(self.reject)
        self.close_button.clicked.connect(self.accept)
        self.close_button.hide()  # after addButton, which shows it

        status_row = QVBoxLayout()
        status_row.setSpacing(4)
        status_row.addWidget(self.progress)
        status_row.addWidget(self.status_label)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.keyring_warning)
        layout.addLayout(status_row)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.setMinimumWidth(520)
        self.set_keyring_status(keyring)
        for edit in (self.server_edit, self.user_edit, self.password_edit):
            edit.returnPressed.connect(self.start_connecting)
        (self.password_edit if server else self.server_edit).setFocus()

    # --- public ---------------------------------------------------------------------

    def set_keyring_status(self, status: KeyringStatus | None) -> None:
        """Enable "Remember password" only with a usable keyring; otherwise say so."""
        self._keyring_usable = show_keyring_status(
            self, self.remember_check, self.keyring_warning, status, enable=not self.busy)

    @property
    def busy(self) -> bool:
        return self._attempt is not None and not self._attempt.done()

    def start_connecting(self) -> None:
        """Check the fields and start the connection attempt (the Connect button)."""
        if self.busy or self.outcome is not None:
            return
        typed = self.server_edit.text().strip()
        user = self.user_edit.text().strip()
        password = self.password_edit.text() or self._known_password or ""
        if not typed:
            self._show_error(self.tr("Enter the server's host name or address."),
                             self.server_edit)
            return
        try:
            url = normalise_address(typed, allow_plain_http=self._allow_plain_http)
        except ValueError as e:
            self._show_error(failure_text(e), self.server_edit)
            return
        if not user:
            self._show_error(self.tr("Enter the user name."), self.user_edit)
            return
        if not password:
            self._show_error(self.tr("Enter the password."), self.password_edit)
            return
        if self.server is not None and url == self.server.address:
            self._pin = self._pin or self.server.fingerprint
        self._attempt = asyncio.ensure_future(self._connect(url, user, password))

    # --- the attempt ----------------------------------------------------------------

    async def _connect(self, url: str, user: str, password: str) -> None:
        for _ in range(MAX_TRUST_ROUNDS):
            self._set_busy(True, fill(self.tr("Connecting to %1\u2026"), host_of(url)))
            try:
                conn = await Connection.connect(
                    url, user, password, trusted_fingerprint=self._pin,
                    allow_plain_http=self._allow_plain_http, timeout=self._timeout)
            except UntrustedCertificate as e:
                if not await self._trust(url, e):
                    return
                if e.url and e.url != url:
                    # The coordinator has its own certificate: from now on we talk to it.
                    self._redirected_from = self._redirected_from or url
                    url = e.url
                self._pin = e.fingerprint_sha256
            except CertificateChanged as e:
                if not await self._trust_change(url, e):
                    return
                self._pin = e.actual
            except AuthenticationFailed as e:
                self._show_error(failure_text(e, url), self.password_edit)
                return
            except (ConnectionFailed, XapiError, ValueError) as e:
                self._show_error(failure_text(e, url), self.server_edit)
                return
            else:
                self._succeeded(conn, user, password)
                return
        self._show_error(self.tr("The server kept presenting other certificates."),
                         self.server_edit)

    async def _trust(self, url: str, error: UntrustedCertificate) -> bool:
        note = ""
        if error.url and error.url != url:
            note = fill(self.tr("%1 is a pool member; this is the certificate of the pool "
                                "coordinator %2, where xsnap was redirected."),
                        host_of(url), host_of(error.url))
        dialog = CertificateDialog(self, server=host_of(error.url or url),
                                   certificate=CertificateInfo.from_untrusted(error), note=note)
        return await self._ask(dialog)

    async def _trust_change(self, url: str, error: CertificateChanged) -> bool:
        dialog = CertificateDialog(self, server=host_of(error.url or url),
                                   certificate=CertificateInfo.from_changed(error),
                                   previous_fingerprint=error.expected)
        return await self._ask(dialog)

    async def _ask(self, dialog: CertificateDialog) -> bool:
        self._set_busy(False, self.tr("Check the server's certificate\u2026"))
        try:
            trusted = await run_dialog(dialog) == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
        if not trusted:
            self._show_error(self.tr("Not connected: the certificate was not trusted."), None)
        return trusted

    def _succeeded(self, conn: Connection, user: str, password: str) -> None:
        info = conn.info
        redirected_from = info.redirected_from or self._redirected_from
        self.outcome = ConnectOutcome(
            connection=conn, address=info.url, username=user, password=password,
            fingerprint=self._pin, remember=self._keyring_usable
            and self.remember_check.isChecked(),
            auto_connect=self.auto_connect_check.isChecked(), redirected_from=redirected_from)
        self._attempt = None  # done: closing must not cancel the task that is closing it
        self.connected.emit(self.outcome)
        if redirected_from is None:
            self.accept()
            return
        # Say where we ended up before the dialog goes.
        self._set_busy(False, "")
        self.server_edit.setText(info.url)
        self._set_status(fill(self.tr("Connected. %1 is a pool member: xsnap was redirected to "
                                      "the pool coordinator %2, and saved that address."),
                              host_of(redirected_from), host_of(info.url)), INFO_STYLE)
        for widget in (self.server_edit, self.user_edit, self.password_edit,
                       self.remember_check, self.auto_connect_check):
            widget.setEnabled(False)
        self.connect_button.hide()
        self.cancel_button.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.close_button.setFocus()

    # --- widget states --------------------------------------------------------------

    def _set_busy(self, busy: bool, status: str) -> None:
        for widget in (self.server_edit, self.user_edit, self.password_edit,
                       self.auto_connect_check, self.connect_button):
            widget.setEnabled(not busy)
        self.remember_check.setEnabled(not busy and self._keyring_usable)
        self.progress.setVisible(busy)
        self._set_status(status, "")

    def _set_status(self, text: str, style: str) -> None:
        self.status_label.setText(text)
        self.status_label.setStyleSheet(style)
        self.status_label.setVisible(bool(text))
        grow_to_fit(self)

    def _show_error(self, text: str, focus: QLineEdit | None) -> None:
        self._set_busy(False, "")
        self._set_status(text, ERROR_STYLE)
        if focus is not None:
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
            focus.selectAll()

    def status_text(self) -> str:
        return self.status_label.text() if self.status_label.isVisible() else ""

    # --- closing --------------------------------------------------------------------

    def done(self, result: int) -> None:
        """Closing the dialog (Cancel, Escape, the window's close button) aborts the attempt."""
        attempt, self._attempt = self._attempt, None
        if attempt is not None and not attempt.done():
            attempt.cancel()
        super().done(result)
