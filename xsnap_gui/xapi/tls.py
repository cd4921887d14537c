"""TLS for the XenAPI client: system-CA verification, or a pinned certificate fingerprint.

Hosts usually present self-signed certificates, so the client supports two modes:

- **verified** (no pin): the system CAs and the host name are checked, as a
  browser would. A failure is turned into :class:`UntrustedCertificate`
  carrying the server's certificate, fetched with a second, unverified
  handshake, so the user can decide to trust it.
- **pinned**: CA and host-name checks are off, and instead the SHA-256 of the
  leaf certificate must equal the pin. This is checked on *every* new TCP
  connection (each worker's, the event connection's, each download's), so a
  certificate swapped in mid-session is caught: :class:`CertificateChanged`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import http.client
import re
import socket
import ssl

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from .errors import CertificateChanged, UntrustedCertificate

__all__ = [
    "HTTPConnection",
    "PinnedHTTPSConnection",
    "certificate_error",
    "fetch_peer_certificate",
    "fingerprint_sha256",
    "make_context",
    "normalise_fingerprint",
]

_HEX_ONLY = re.compile(r"[^0-9A-Fa-f]")


def fingerprint_sha256(der: bytes) -> str:
    """Colon-separated uppercase hex, as xapi's ``Certificate.fingerprint_sha256``."""
    digest = hashlib.sha256(der).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def normalise_fingerprint(text: str) -> str:
    """Accept ``AB:CD:…``, ``abcd…``, ``sha-256:AB:CD…`` and return the canonical colon form."""
    body = text.strip()
    if body.lower().startswith(("sha-256:", "sha256:")):
        body = body.split(":", 1)[1]
    digits = _HEX_ONLY.sub("", body).upper()
    if len(digits) != 64:
        raise ValueError(f"not a SHA-256 fingerprint: {text!r}")
    return ":".join(digits[i : i + 2] for i in range(0, 64, 2))


def make_context(pinned: bool) -> ssl.SSLContext:
    """A client context: verifying against the system CAs, or verifying nothing (pinned)."""
    if not pinned:
        return ssl.create_default_context(ssl.Purpose.SERVER_AUTH)
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # The pin replaces CA and host-name checks; see PinnedHTTPSConnection.connect.
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    return ctx


def fetch_peer_certificate(host: str, port: int, timeout: float) -> bytes:
    """The DER leaf certificate the server presents, read with an unverified handshake."""
    ctx = make_context(pinned=True)
    with socket.create_connection((host, port), timeout=timeout) as raw, \
            ctx.wrap_socket(raw, server_hostname=_sni_name(host)) as tls:
        der = tls.getpeercert(binary_form=True)
    if not der:
        raise ssl.SSLError("the server presented no certificate")
    return der


def _sni_name(host: str) -> str | None:
    # SNI takes host names only; ssl refuses IP literals with check_hostname off anyway.
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
    except OSError:
        return host
    return None


def _rfc4514(name: x509.Name) -> str:
    return name.rfc4514_string() or "(empty)"


def certificate_error(der: bytes, problem: str, url: str) -> UntrustedCertificate:
    """An :class:`UntrustedCertificate` describing ``der``."""
    cert = x509.load_der_x509_certificate(der)
    return UntrustedCertificate(
        fingerprint_sha256=fingerprint_sha256(der),
        subject=_rfc4514(cert.subject),
        issuer=_rfc4514(cert.issuer),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        pem=cert.public_bytes(serialization.Encoding.PEM).decode("ascii"),
        problem=problem,
        url=url,
    )


def certificate_pem(der: bytes) -> str:
    return x509.load_der_x509_certificate(der).public_bytes(
        serialization.Encoding.PEM).decode("ascii")


def not_after(der: bytes) -> dt.datetime:
    return x509.load_der_x509_certificate(der).not_valid_after_utc


class HTTPConnection(http.client.HTTPConnection):
    """Plain HTTP with a socket timeout (only when the caller allowed plain HTTP)."""


class PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS that, when given a pin, checks the leaf certificate on every connect."""

    def __init__(self, host: str, port: int | None = None, *, timeout: float,
                 context: ssl.SSLContext, pin: str | None, url: str = "") -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self.pin = pin
        self.url = url

    def connect(self) -> None:
        super().connect()
        if self.pin is None:
            return
        assert isinstance(self.sock, ssl.SSLSocket)
        der = self.sock.getpeercert(binary_form=True) or b""
        actual = fingerprint_sha256(der)
        if actual != self.pin:
            self.sock.close()
            self.sock = None
            raise CertificateChanged(expected=self.pin, actual=actual,
                                     pem=certificate_pem(der) if der else "", url=self.url)
