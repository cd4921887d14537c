"""Blocking XML-RPC transport to one xapi host: URL parsing, connections, error mapping.

The JSON-RPC channel (:mod:`~xsnap_gui.xapi.jsonrpc`, the client's default)
uses the endpoints and the error mapping defined here.

One :class:`RpcChannel` owns one HTTP(S) connection and is used by one thread
only; the async :class:`~xsnap_gui.xapi.client.Connection` gives each worker
thread its own. Every socket has a timeout, and every TLS connection is
verified (system CAs) or checked against the pinned fingerprint.

Results come back decoded as the XenAPI SDK decodes them (ints as str,
``xmlrpc.client.DateTime``); failures raise :class:`XapiError` subclasses and
network trouble :class:`ConnectionFailed` with a ``reason``.
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import logging
import socket
import ssl
import threading
import urllib.parse
import xmlrpc.client
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from xml.parsers.expat import ExpatError

from . import tls
from .errors import (
    CertificateChanged,
    ConnectionClosed,
    ConnectionFailed,
    TlsError,
    UntrustedCertificate,
    XapiError,
    from_failure,
)
from .gcpause import paused_gc

log = logging.getLogger(__name__)

__all__ = ["Endpoint", "RpcChannel", "connection_error", "endpoint_for_address", "parse_url"]

# Calls whose answer is the bare value, without the Status/Value envelope.
_BARE_ANSWERS = frozenset({"system.listMethods"})
USER_AGENT = "xsnap-gui"
# A batch this big is a (re)load whose records the cache keeps: frozen out of the GC.
FREEZE_AT = 1000


@dataclass(frozen=True)
class Endpoint:
    """Where one xapi host listens, and how its TLS is trusted."""

    scheme: str  # "https" or "http"
    host: str  # name or IP address, IPv6 without brackets
    port: int
    pin: str | None = None  # canonical SHA-256 fingerprint, or None to verify with system CAs

    @property
    def netloc(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return host if self.port == default else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.netloc}"

    def http_connection(self, timeout: float) -> http.client.HTTPConnection:
        """A new, not yet connected, HTTP(S) connection with ``timeout`` on every socket op."""
        if self.scheme == "http":
            return tls.HTTPConnection(self.host, self.port, timeout=timeout)
        return tls.PinnedHTTPSConnection(
            self.host, self.port, timeout=timeout, context=_context(self.pin is not None),
            pin=self.pin, url=self.url,
        )


_contexts: dict[bool, ssl.SSLContext] = {}
_contexts_lock = threading.Lock()


def _context(pinned: bool) -> ssl.SSLContext:
    # Loading the system CAs is slow, so one context per mode is shared (SSLContext is
    # thread-safe once configured).
    with _contexts_lock:
        ctx = _contexts.get(pinned)
        if ctx is None:
            ctx = _contexts[pinned] = tls.make_context(pinned)
        return ctx


def parse_url(url: str, *, allow_plain_http: bool, pin: str | None = None) -> Endpoint:
    """Parse the address the user typed: ``https://host[:port]``, ``host``, ``http://…``.

    A bare host name means https. ``http://`` is refused unless allowed, because
    the password would cross the network in clear.
    """
    text = url.strip()
    if "://" not in text:
        text = "https://" + text
    parts = urllib.parse.urlsplit(text)
    if parts.username is not None or parts.password is not None:
        # Checked first: the messages below quote the URL.
        raise ValueError("put the user name and password in their own fields, not in the URL")
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise ValueError(f"unsupported URL scheme {parts.scheme!r} in {url!r}; use https://")
    if scheme == "http" and not allow_plain_http:
        raise ValueError(
            f"refusing plain http:// for {parts.hostname or url}: the password would be sent "
            "unencrypted; use https:// (or allow plain HTTP explicitly)"
        )
    host = parts.hostname
    if not host:
        raise ValueError(f"no host name in {url!r}")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise ValueError(f"bad port in {url!r}") from None
    if scheme == "http" and pin is not None:
        raise ValueError("a certificate fingerprint only makes sense with https://")
    return Endpoint(scheme, host, port, tls.normalise_fingerprint(pin) if pin else None)


def endpoint_for_address(current: Endpoint, address: str) -> Endpoint:
    """The endpoint of the host named by HOST_IS_SLAVE's ``address`` ("ip" or "ip:port").

    The scheme and the pin carry over; without a port, the scheme's default port.
    """
    text = address.strip()
    if "://" in text:
        text = text.split("://", 1)[1]
    text = text.rstrip("/")
    host, port = text, 443 if current.scheme == "https" else 80
    if text.startswith("["):
        close = text.index("]")
        host = text[1:close]
        if text[close + 1 :].startswith(":"):
            port = int(text[close + 2 :])
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
        port = int(port_text)
    # More than one colon and no brackets: a bare IPv6 address.
    return Endpoint(current.scheme, host, port, current.pin)


def break_socket(sock: socket.socket | None) -> None:
    """Shut ``sock`` down from another thread, so a read or write blocked on it returns now."""
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def connection_error(exc: BaseException, endpoint: Endpoint, timeout: float) -> ConnectionFailed:
    """Turn a socket, TLS or HTTP exception into :class:`ConnectionFailed` with its reason."""
    url = endpoint.url
    if isinstance(exc, ConnectionFailed):
        return exc
    if isinstance(exc, ssl.SSLCertVerificationError):
        problem = exc.verify_message or str(exc)
        try:
            der = tls.fetch_peer_certificate(endpoint.host, endpoint.port, timeout)
        except (OSError, ValueError) as fetch_error:
            return TlsError(f"the certificate is not trusted ({problem}), and it could not be "
                            f"read: {fetch_error}", url)
        return tls.certificate_error(der, problem, url)
    if isinstance(exc, socket.gaierror):
        return ConnectionFailed("dns", f"the host name {endpoint.host} cannot be resolved "
                                f"({exc.strerror or exc})", url)
    if isinstance(exc, TimeoutError):
        return ConnectionFailed("timeout", f"no answer within {timeout:g} seconds", url)
    if isinstance(exc, ConnectionRefusedError):
        return ConnectionFailed("refused", "the connection was refused (is xapi running, and "
                                "is the port right?)", url)
    if isinstance(exc, ssl.SSLEOFError | ssl.SSLZeroReturnError):
        return ConnectionFailed("dropped", "the server closed the TLS connection", url)
    if isinstance(exc, ssl.SSLError):
        reason = exc.reason or str(exc)
        if reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "UNKNOWN_PROTOCOL"):
            return TlsError("the server does not speak TLS on this port (is it http://?)", url)
        return TlsError(f"the TLS handshake failed ({reason})", url)
    if isinstance(exc, http.client.RemoteDisconnected | ConnectionResetError | BrokenPipeError
                  | ConnectionAbortedError | http.client.IncompleteRead | EOFError):
        return ConnectionFailed("dropped", "the server closed the connection without an "
                                "answer", url)
    if isinstance(exc, xmlrpc.client.ProtocolError):
        return ConnectionFailed("http", f"the server answered HTTP {exc.errcode} "
                                f"{exc.errmsg}", url)
    if isinstance(exc, ExpatError | xmlrpc.client.ResponseError | http.client.HTTPException):
        return ConnectionFailed("http", f"the server's answer is not XenAPI XML-RPC "
                                f"({type(exc).__name__})", url)
    if isinstance(exc, OSError):
        if exc.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH, errno.EHOSTDOWN,
                         errno.ENETDOWN, errno.EADDRNOTAVAIL):
            return ConnectionFailed("unreachable", f"the host is unreachable "
                                    f"({exc.strerror})", url)
        if exc.errno in (errno.ECONNRESET, errno.EPIPE, errno.ECONNABORTED, errno.ENOTCONN,
                         errno.EBADF, errno.ESHUTDOWN):
            return ConnectionFailed("dropped", f"the connection was lost ({exc.strerror})", url)
        if exc.errno == errno.ETIMEDOUT:
            return ConnectionFailed("timeout", "the connection timed out", url)
        return ConnectionFailed("dropped", f"network error: {exc.strerror or exc}", url)
    return ConnectionFailed("http", f"unexpected error talking to the server: "
                            f"{type(exc).__name__}", url)


class _Transport(xmlrpc.client.Transport):
    """xmlrpc.client's transport on our own connection class: timeouts, TLS trust, abort."""

    user_agent = USER_AGENT
    accept_gzip_encoding = False

    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        super().__init__(use_datetime=False, use_builtin_types=False)
        self.endpoint = endpoint
        self.timeout = timeout
        self._lock = threading.Lock()
        self._aborted = False

    def make_connection(self, host: Any) -> http.client.HTTPConnection:
        with self._lock:
            if self._aborted:
                # Also stops xmlrpc.client's silent retry after we broke the socket.
                raise ConnectionClosed(self.endpoint.url)
            cached = self._connection
            if cached[1] is not None and cached[0] == host:
                conn: http.client.HTTPConnection = cached[1]
                return conn
            conn = self.endpoint.http_connection(self.timeout)
            self._connection = (host, conn)
            self._extra_headers = []
            return conn

    def set_timeout(self, timeout: float) -> None:
        """Change the timeout of the next connection and of the open socket, if any."""
        with self._lock:
            self.timeout = timeout
            conn = self._connection[1]
            if conn is not None:
                conn.timeout = timeout
                if conn.sock is not None:
                    conn.sock.settimeout(timeout)

    def abort(self) -> None:
        """From another thread: break the open socket, so a blocked call returns at once.

        The transport is unusable afterwards.
        """
        with self._lock:
            self._aborted = True
            conn = self._connection[1]
            sock = conn.sock if conn is not None else None
        break_socket(sock)


class RpcChannel:
    """XML-RPC calls to one host over one connection. Not thread-safe: one per thread."""

    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self._transport = _Transport(endpoint, timeout)

    def set_timeout(self, timeout: float) -> None:
        self.timeout = timeout
        self._transport.set_timeout(timeout)

    def call(self, method: str, params: tuple[Any, ...],
             event_hook: Callable[[dict[str, Any]], Any] | None = None) -> Any:
        """One call; the decoded ``Value``, or raise XapiError / ConnectionFailed.

        With ``event_hook``, each element of the result's ``events`` list is
        replaced by ``event_hook(element)``, freeing the raw events as it goes
        (xmlrpc.client decodes the whole reply first, unlike the JSON-RPC channel).
        """
        body = xmlrpc.client.dumps(params, method, encoding="utf-8", allow_none=False)
        try:
            answer = self._transport.request(self.endpoint.netloc, "/", body.encode("utf-8"))
        except (CertificateChanged, UntrustedCertificate):
            raise
        except xmlrpc.client.Fault as fault:
            # xapi never answers with <fault>; something else is listening.
            raise ConnectionFailed("http", f"the server answered with an XML-RPC fault "
                                   f"{fault.faultCode}", self.endpoint.url) from None
        except Exception as exc:  # every transport failure is classified
            raise connection_error(exc, self.endpoint, self.timeout) from exc
        value = answer[0] if isinstance(answer, tuple) and len(answer) == 1 else answer
        if method in _BARE_ANSWERS:
            return value
        result = _unwrap(value, self.endpoint)
        if event_hook is not None and isinstance(result, dict):
            events = result.get("events")
            if isinstance(events, list):
                # Hooked events are records the cache keeps (see gcpause).
                with paused_gc(freeze=len(events) > FREEZE_AT):
                    result["events"] = _hooked(events, event_hook)
        return result

    def close(self) -> None:
        self._transport.close()

    def abort(self) -> None:
        self._transport.abort()


def _hooked(events: list[Any], hook: Callable[[dict[str, Any]], Any]) -> list[Any]:
    """``[hook(e) for e in events]``, emptying ``events`` from the front as it goes."""
    events.reverse()
    out = []
    while events:
        event = events.pop()
        out.append(hook(event) if isinstance(event, dict) else event)
    return out


def _unwrap(value: Any, endpoint: Endpoint) -> Any:
    if not isinstance(value, dict) or "Status" not in value:
        raise ConnectionFailed("http", "the server's answer has no XenAPI Status",
                               endpoint.url)
    if value["Status"] == "Success":
        if "Value" not in value:
            raise ConnectionFailed("http", "the server's answer has no Value", endpoint.url)
        return value["Value"]
    details = value.get("ErrorDescription")
    if not isinstance(details, list):
        raise XapiError("INTERNAL_ERROR", ["the server failed without an ErrorDescription"])
    raise from_failure([str(d) for d in details])
