"""Errors of the XenAPI client: server failures, and failures to reach the server at all.

Server failures (``Status: Failure`` with ``ErrorDescription = [CODE, params…]``)
become :class:`XapiError` or one of its subclasses through :func:`from_failure`;
their message is written from xapi's error catalogue, with the parameters named
and byte counts made readable.

Network trouble becomes :class:`ConnectionFailed`, whose ``reason`` says what
kind: refused, unreachable, dns, timeout, dropped, http, tls or closed.
"""

from __future__ import annotations

import datetime as dt
import re

from . import datamodel

__all__ = [
    "AuthenticationFailed",
    "CertificateChanged",
    "ConnectionClosed",
    "ConnectionFailed",
    "ExportError",
    "HostIsSlave",
    "PermissionDenied",
    "SessionInvalid",
    "TaskCancelled",
    "TlsError",
    "UntrustedCertificate",
    "XapiError",
    "format_bytes",
    "from_failure",
    "readable_message",
]

# Codes whose numeric parameters are all byte counts although their names don't say so.
_BYTE_PARAM_CODES = frozenset({
    "SR_FULL",
    "HOST_NOT_ENOUGH_FREE_MEMORY",
    "PATCH_PRECHECK_FAILED_OUT_OF_SPACE",
    "UPDATE_PRECHECK_FAILED_OUT_OF_SPACE",
})
_BYTE_PARAM_NAME = re.compile(r"size|space|memory|bytes", re.IGNORECASE)
_UNITS = ("bytes", "KiB", "MiB", "GiB", "TiB", "PiB")


def format_bytes(count: int) -> str:
    """``10737418240`` → ``"10 GiB"``; one decimal when it is not a whole number of units."""
    value = float(count)
    unit = 0
    while abs(value) >= 1024 and unit < len(_UNITS) - 1:
        value /= 1024
        unit += 1
    if unit == 0:
        return f"{count} bytes"
    text = f"{value:.1f}".removesuffix(".0")
    return f"{text} {_UNITS[unit]}"


def _is_byte_param(code: str, name: str) -> bool:
    return code in _BYTE_PARAM_CODES or bool(_BYTE_PARAM_NAME.search(name))


def _readable_value(code: str, name: str, value: str) -> str:
    if value.isdigit() and _is_byte_param(code, name):
        return format_bytes(int(value))
    return value


_ACRONYMS = frozenset({"vm", "vdi", "vbd", "vif", "sr", "pif", "pbd", "ip", "uuid", "url",
                       "vmss", "vgpu", "pgpu", "mac", "cpu", "pci", "vlan", "dns"})


def _label(name: str) -> str:
    """A parameter name as a label: ``vdi`` → ``VDI``, ``minimum size`` unchanged."""
    return " ".join(w.upper() if w.lower() in _ACRONYMS else w for w in name.split(" "))


def readable_message(code: str, params: list[str]) -> str:
    """The catalogue's description of ``code`` followed by its parameters, named.

    ``SR_FULL ["10737418240", "2147483648"]`` gives "The SR is full. Requested
    new size exceeds the maximum size. Requested: 10 GiB, maximum: 2 GiB".
    Parameters beyond the catalogue's names (xapi sometimes sends more than it
    declares) are listed as details.
    """
    known = datamodel.load().errors.get(code)
    if known is None:
        doc = f"The server reported an error ({code})."
        names: tuple[str, ...] = ()
    else:
        doc = known.doc.strip() or f"The server reported an error ({code})."
        names = known.params or ()
    if not doc.endswith((".", "!", "?")):
        doc += "."
    parts = []
    for i, value in enumerate(params):
        if i < len(names):
            name = names[i].strip()
            parts.append(f"{_label(name)}: {_readable_value(code, name, value)}")
        else:
            parts.append(value)
    if not parts:
        return doc
    named = [p for i, p in enumerate(parts) if i < len(names)]
    extra = [p for i, p in enumerate(parts) if i >= len(names)]
    text = ", ".join(named)
    if extra:
        text = f"{text}; details: {', '.join(extra)}" if text else f"Details: {', '.join(extra)}"
    return f"{doc} {text[:1].upper()}{text[1:]}"


class XapiError(Exception):
    """A failure answered by xapi: ``code`` and its string ``params``.

    ``message`` is readable text for people; ``str()`` adds the raw code and
    parameters, which is what a bug report needs.
    """

    def __init__(self, code: str, params: list[str] | tuple[str, ...] = (),
                 message: str | None = None) -> None:
        self.code = code
        self.params = [str(p) for p in params]
        self.message = message if message is not None else readable_message(code, self.params)
        super().__init__(code, *self.params)

    @property
    def description(self) -> list[str]:
        return [self.code, *self.params]

    def __str__(self) -> str:
        return f"{self.message} ({self.code} [{', '.join(self.params)}])"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.params!r})"


class SessionInvalid(XapiError):  # noqa: N818 - named after the XenAPI error
    """SESSION_INVALID: the session expired or was logged out; :meth:`Connection.relogin`."""


class AuthenticationFailed(XapiError):  # noqa: N818 - named after the XenAPI error
    """SESSION_AUTHENTICATION_FAILED: wrong user name or password."""


class PermissionDenied(XapiError):  # noqa: N818 - named after the XenAPI error
    """RBAC_PERMISSION_DENIED: the user's role lacks ``permission``."""

    @property
    def permission(self) -> str:
        return self.params[0] if self.params else ""


class HostIsSlave(XapiError):  # noqa: N818 - named after the XenAPI error
    """HOST_IS_SLAVE: a login reached a pool member; the coordinator is at ``master_address``."""

    @property
    def master_address(self) -> str:
        return self.params[0] if self.params else ""


class TaskCancelled(XapiError):  # noqa: N818 - named after the XenAPI error
    """TASK_CANCELLED: the task was cancelled (by someone else, when we did not ask)."""


_SUBCLASSES: dict[str, type[XapiError]] = {
    "SESSION_INVALID": SessionInvalid,
    "SESSION_AUTHENTICATION_FAILED": AuthenticationFailed,
    "RBAC_PERMISSION_DENIED": PermissionDenied,
    "HOST_IS_SLAVE": HostIsSlave,
    "TASK_CANCELLED": TaskCancelled,
}


def from_failure(details: list[str] | tuple[str, ...]) -> XapiError:
    """The right :class:`XapiError` subclass for an ``ErrorDescription`` list."""
    items = [str(d) for d in details]
    if not items:
        return XapiError("INTERNAL_ERROR", ["the server sent an empty error description"])
    code, params = items[0], items[1:]
    return _SUBCLASSES.get(code, XapiError)(code, params)


class ExportError(Exception):
    """An export stream that is not a valid XVA: corrupted chunk, broken tar, missing end."""


class ConnectionFailed(Exception):  # noqa: N818 - the client API's name
    """The server could not be reached or stopped answering.

    ``reason`` is one of "refused", "unreachable", "dns", "timeout", "dropped",
    "http", "tls" or "closed"; ``url`` is the server the attempt was made to.
    """

    def __init__(self, reason: str, detail: str, url: str = "") -> None:
        self.reason = reason
        self.detail = detail
        self.url = url
        super().__init__(reason, detail)

    def __str__(self) -> str:
        where = f" {self.url}" if self.url else ""
        return f"Cannot talk to the server{where}: {self.detail}"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.reason!r}, {self.detail!r}, url={self.url!r})"


class ConnectionClosed(ConnectionFailed):
    """A call on a :class:`Connection` that has been closed."""

    def __init__(self, url: str = "") -> None:
        super().__init__("closed", "the connection has been closed", url)


class TlsError(ConnectionFailed):
    """The TLS handshake failed for a reason other than trust (protocol, not TLS at all…)."""

    def __init__(self, detail: str, url: str = "") -> None:
        super().__init__("tls", detail, url)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


class UntrustedCertificate(TlsError):  # noqa: N818 - the client API's name
    """The server's certificate is not trusted by the system CAs (or its name does not match).

    Carries what a "trust this certificate?" dialog shows; pass
    ``fingerprint_sha256`` back as ``trusted_fingerprint`` to pin it.
    """

    def __init__(self, *, fingerprint_sha256: str, subject: str, issuer: str,
                 not_before: dt.datetime, not_after: dt.datetime, pem: str, problem: str,
                 url: str = "") -> None:
        self.fingerprint_sha256 = fingerprint_sha256
        self.subject = subject
        self.issuer = issuer
        self.not_before = not_before
        self.not_after = not_after
        self.pem = pem
        self.problem = problem
        super().__init__(
            f"the certificate is not trusted ({problem}); subject {subject}, "
            f"valid {_utc(not_before)} to {_utc(not_after)}, SHA-256 {fingerprint_sha256}",
            url,
        )


class CertificateChanged(TlsError):  # noqa: N818 - the client API's name
    """The server presented a certificate other than the pinned one: maybe an attack."""

    def __init__(self, *, expected: str, actual: str, pem: str = "", url: str = "") -> None:
        self.expected = expected
        self.actual = actual
        self.pem = pem
        super().__init__(
            f"the certificate has changed: expected SHA-256 {expected}, the server presented "
            f"{actual}",
            url,
        )
