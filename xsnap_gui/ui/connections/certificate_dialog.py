"""Trusting a server certificate, or a changed one, only after the user has seen it.

Two modes:

- **untrusted** (first contact, a self-signed host certificate): the SHA-256
  fingerprint, subject, issuer and validity dates, then "Trust and connect"
  or "Cancel";
- **changed** (the pinned fingerprint no longer matches): a warning with the
  old and the new fingerprints side by side. Cancel is the default button, and
  trusting the new certificate needs a tick in "I have checked the new
  fingerprint" first: the user must accept explicitly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ...xapi.errors import CertificateChanged, UntrustedCertificate
from .. import icons
from .common import fill, format_fingerprint, selectable_label


@dataclass(frozen=True)
class CertificateInfo:
    """What the dialog shows of one certificate."""

    fingerprint: str  # canonical colon form, SHA-256
    subject: str = ""
    issuer: str = ""
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    problem: str = ""  # why it is not trusted, as the TLS library put it

    @staticmethod
    def from_untrusted(error: UntrustedCertificate) -> CertificateInfo:
        return CertificateInfo(error.fingerprint_sha256, error.subject, error.issuer,
                               error.not_before, error.not_after, error.problem)

    @staticmethod
    def from_changed(error: CertificateChanged) -> CertificateInfo:
        """The new certificate of a CertificateChanged (details only if its PEM came along)."""
        if not error.pem:
            return CertificateInfo(error.actual)
        try:
            return CertificateInfo.from_pem(error.pem)
        except ValueError:
            return CertificateInfo(error.actual)

    @staticmethod
    def from_pem(pem: str) -> CertificateInfo:
        cert = x509.load_pem_x509_certificate(pem.encode("ascii"))
        digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest()
        fingerprint = ":".join(digest[i:i + 2] for i in range(0, 64, 2)).upper()
        return CertificateInfo(fingerprint, cert.subject.rfc4514_string(),
                               cert.issuer.rfc4514_string(), cert.not_valid_before_utc,
                               cert.not_valid_after_utc)


def _when(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    moment = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    return QLocale().toString(moment, QLocale.FormatType.LongFormat)


class CertificateDialog(QDialog):
    """Shows ``certificate`` of ``server``; accepted means "trust it".

    With ``previous_fingerprint`` the dialog is the changed-certificate warning.
    ``note`` adds a line of context (e.g. that a pool member redirected us here).
    """

    def __init__(self, parent: QWidget | None, *, server: str, certificate: CertificateInfo,
                 previous_fingerprint: str | None = None, note: str = "",
                 now: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificateDialog")
        self.certificate = certificate
        self.changed = previous_fingerprint is not None
        self.setWindowTitle(self.tr("Certificate Changed") if self.changed
                            else self.tr("Untrusted Certificate"))
        now = now or dt.datetime.now(dt.UTC)

        icon = QLabel(self)
        icon.setPixmap(icons.icon("warning").pixmap(48, 48))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        heading = QLabel(self)
        heading.setObjectName("headingLabel")
        heading.setWordWrap(True)
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        heading.setFont(font)
        explanation = QLabel(self)
        explanation.setObjectName("explanationLabel")
        explanation.setWordWrap(True)
        if self.changed:
            heading.setText(fill(self.tr("The certificate of %1 has changed"), server))
            explanation.setText(self.tr(
                "The server presents a different certificate from the one you trusted, so "
                "the connection was refused. This is expected after the host's certificate "
                "was renewed or the host was reinstalled. Otherwise someone may be "
                "intercepting the connection: ask the host's administrator for the new "
                "fingerprint and compare before you trust it."))
        else:
            heading.setText(fill(self.tr("Do you trust the certificate of %1?"), server))
            explanation.setText(self.tr(
                "The server presented a certificate that no authority trusted by this "
                "computer has signed. XenServer and XCP-ng hosts usually have such "
                "self-signed certificates. Compare the fingerprint with the host's own "
                "(for example from \u201cxe certificate-list\u201d on the host) before you "
                "trust it."))

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.previous_label: QLabel | None = None
        if previous_fingerprint is not None:
            self.previous_label = selectable_label(format_fingerprint(previous_fingerprint),
                                                   self, name="previousFingerprintLabel",
                                                   mono=True)
            form.addRow(self.tr("Trusted fingerprint (SHA-256):"), self.previous_label)
        self.fingerprint_label = selectable_label(format_fingerprint(certificate.fingerprint),
                                                  self, name="fingerprintLabel", mono=True)
        form.addRow(self.tr("Presented fingerprint (SHA-256):") if self.changed
                    else self.tr("Fingerprint (SHA-256):"), self.fingerprint_label)
        self.subject_label = selectable_label(certificate.subject or self.tr("(not known)"),
                                              self, name="subjectLabel")
        form.addRow(self.tr("Subject:"), self.subject_label)
        self.issuer_label = selectable_label(self._issuer_text(), self, name="issuerLabel")
        form.addRow(self.tr("Issuer:"), self.issuer_label)
        self.valid_from_label = selectable_label(self._from_text(now), self,
                                                 name="validFromLabel")
        form.addRow(self.tr("Valid from:"), self.valid_from_label)
        self.valid_until_label = selectable_label(self._until_text(now), self,
                                                  name="validUntilLabel")
        form.addRow(self.tr("Valid until:"), self.valid_until_label)
        if certificate.problem and not self.changed:
            problem = selectable_label(certificate.problem, self, name="problemLabel")
            form.addRow(self.tr("Not trusted because:"), problem)

        text = QVBoxLayout()
        text.addWidget(heading)
        text.addWidget(explanation)
        if note:
            note_label = QLabel(note, self)
            note_label.setObjectName("noteLabel")
            note_label.setWordWrap(True)
            text.addWidget(note_label)
        text.addSpacing(6)
        text.addLayout(form)

        self.accept_check: QCheckBox | None = None
        if self.changed:
            self.accept_check = QCheckBox(
                self.tr("I have checked the new fingerprint and I trust this certificate"),
                self)
            self.accept_check.setObjectName("acceptChangeCheck")
            text.addSpacing(4)
            text.addWidget(self.accept_check)

        buttons = QDialogButtonBox(self)
        self.trust_button = QPushButton(
            self.tr("Trust the New Certificate and Connect") if self.changed
            else self.tr("Trust and Connect"), self)
        self.trust_button.setObjectName("trustButton")
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.setObjectName("cancelButton")
        buttons.addButton(self.trust_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        if self.accept_check is not None:
            # A changed certificate is trusted only on purpose, never by pressing Enter.
            self.trust_button.setEnabled(False)
            self.trust_button.setAutoDefault(False)
            self.cancel_button.setDefault(True)
            self.accept_check.toggled.connect(self.trust_button.setEnabled)
        else:
            self.trust_button.setDefault(True)

        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addSpacing(8)
        top.addLayout(text, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def _issuer_text(self) -> str:
        c = self.certificate
        if not c.issuer:
            return self.tr("(not known)")
        if c.issuer == c.subject:
            return fill(self.tr("%1 (self-signed)"), c.issuer)
        return c.issuer

    def _from_text(self, now: dt.datetime) -> str:
        c = self.certificate
        text = _when(c.not_before)
        if not text:
            return self.tr("(not known)")
        if c.not_before is not None and c.not_before > now:
            return fill(self.tr("%1 \u2014 not valid yet"), text)
        return text

    def _until_text(self, now: dt.datetime) -> str:
        c = self.certificate
        text = _when(c.not_after)
        if not text:
            return self.tr("(not known)")
        if c.not_after is not None and c.not_after < now:
            return fill(self.tr("%1 \u2014 expired"), text)
        return text
