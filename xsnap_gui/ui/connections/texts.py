"""What went wrong, in words for people: one text per kind of connection failure.

Each kind reads differently on purpose (the issue asks for clear, separate
errors): a wrong password, a refused port, an unknown host name, an
unreachable host, a TLS problem and a certificate problem each say what to check.
"""

from __future__ import annotations

from ...model.sync import SyncState
from ...xapi.errors import (
    AuthenticationFailed,
    CertificateChanged,
    ConnectionFailed,
    UntrustedCertificate,
    XapiError,
)
from ..i18n import translate
from .common import fill


def host_of(url: str) -> str:
    return url.split("://", 1)[-1].rstrip("/") if url else ""


def failure_text(error: BaseException, address: str = "") -> str:
    """A sentence or two for the dialog or the tree; never contains the password."""
    where = host_of(getattr(error, "url", "") or address) or translate("Connections", "the server")
    if isinstance(error, AuthenticationFailed):
        return translate("Connections",
                         "The user name or password is wrong: the server refused the login.")
    if isinstance(error, CertificateChanged):
        return fill(translate("Connections",
                              "The certificate of %1 has changed since you trusted it. "
                              "The connection was refused."), where)
    if isinstance(error, UntrustedCertificate):
        return fill(translate("Connections", "The certificate of %1 is not trusted."), where)
    if isinstance(error, ConnectionFailed):
        return _connection_text(error, where)
    if isinstance(error, XapiError):
        return error.message
    if isinstance(error, ValueError):
        return fill(translate("Connections", "This address cannot be used: %1"), str(error))
    return fill(translate("Connections",
                          "The connection failed unexpectedly (%1)."), type(error).__name__)


def sync_reason(state: SyncState, address: str = "") -> str:
    """Why a pool's sync failed or is retrying, in the words of the connection dialogs."""
    return failure_text(state.error, address) if state.error is not None else state.reason


def _connection_text(error: ConnectionFailed, where: str) -> str:
    reason = error.reason
    if reason == "dns":
        return fill(translate("Connections",
                              "The host name %1 cannot be found. Check the spelling, or use the "
                              "host's IP address."), where.rsplit(":", 1)[0] if "]" not in where
                    else where)
    if reason == "unreachable":
        return fill(translate("Connections",
                              "%1 cannot be reached: no route to the host. Check the network "
                              "and the address."), where)
    if reason == "refused":
        return fill(translate("Connections",
                              "%1 refused the connection. Is xapi running there, and is the port "
                              "right?"), where)
    if reason == "timeout":
        return fill(translate("Connections", "%1 did not answer in time."), where)
    if reason in ("dropped", "closed"):
        return fill(translate("Connections", "The connection to %1 was lost."), where)
    if reason == "tls":
        return fill(translate("Connections",
                              "The secure (TLS) connection to %1 failed: %2"), where, error.detail)
    if reason == "http":
        return fill(translate("Connections",
                              "%1 did not answer as a XenServer or XCP-ng host does: %2"), where,
                    error.detail)
    return fill(translate("Connections", "Cannot talk to %1: %2"), where, error.detail)


def keyring_problem_text(kind: str) -> str:
    """Why the keyring could not give or take a password, by KeyringUnavailable.kind."""
    if kind == "timeout":
        return translate("Connections", "The keyring does not answer (is it locked?).")
    if kind == "locked":
        return translate("Connections", "The keyring is locked.")
    if kind == "no-backend":
        return translate("Connections", "No keyring service is available.")
    return translate("Connections", "The keyring reported an error.")
