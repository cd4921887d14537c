"""Blocking JSON-RPC 2.0 transport to one xapi host (``POST /jsonrpc``), decoded as it arrives.

The counterpart of :class:`~xsnap_gui.xapi.transport.RpcChannel` (XML-RPC) with
the same contract: one :class:`JsonRpcChannel` owns one HTTP(S) connection and
is used by one thread; every socket has a timeout and every TLS connection is
verified or pinned (the same :class:`~xsnap_gui.xapi.transport.Endpoint`
connections); xapi failures raise :class:`XapiError` subclasses and network
trouble :class:`ConnectionFailed` with the same reasons. Like ``xmlrpc.client``,
a request whose connection drops before any answer is sent once more.

JSON carries ints as numbers and datetimes as ``20250319T04:16:24Z`` strings;
:class:`~xsnap_gui.xapi.values.Normaliser` takes either form.

Replies are never held whole. :class:`ReplyReader` decodes the body a chunk at
a time and walks the outer levels of the reply by hand, handing each member of
the result (each record of a ``get_all_records``, each element of
``event.from``'s ``events``) to the C decoder on its own. So a pool's initial
``event.from`` costs neither the body's bytes nor its text in memory, an
``event_hook`` can turn each event into its final form as soon as it is
parsed, and the GIL is let go between members (other threads, the UI's among
them, keep running during a long decode). Big replies are decoded with the
cyclic garbage collector paused (:mod:`~xsnap_gui.xapi.gcpause`).
"""

from __future__ import annotations

import codecs
import errno
import http.client
import itertools
import json
import re
import threading
from collections.abc import Callable
from typing import Any, Protocol

from .errors import (
    CertificateChanged,
    ConnectionClosed,
    ConnectionFailed,
    UntrustedCertificate,
    XapiError,
    from_failure,
)
from .gcpause import paused_gc
from .transport import USER_AGENT, Endpoint, break_socket, connection_error

__all__ = ["JSONRPC_PATH", "EventHook", "JsonRpcChannel", "MalformedReplyError", "ReplyReader"]

JSONRPC_PATH = "/jsonrpc"
# Bytes read from the socket at a time: the most raw reply text held at once, roughly.
CHUNK = 1 << 20
# Replies this long or longer (or of unknown length) are decoded with the cyclic GC paused.
BIG_REPLY = 1 << 20
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_AFTER_VALUE = frozenset(" \t\n\r,:]}")
# xmlrpc.client sends a request again when a reused connection turns out to be dead.
_RETRIED_ERRNOS = (errno.ECONNRESET, errno.ECONNABORTED, errno.EPIPE)
# JSON-RPC 2.0's own error codes (-32768..-32000): the request itself was refused.
_PROTOCOL_ERROR_CODES = range(-32768, -31999)

EventHook = Callable[[dict[str, Any]], Any]


class MalformedReplyError(ValueError):
    """The body is not a JSON-RPC reply."""


class _HookFailed(Exception):  # noqa: N818 - a carrier, never seen outside this module
    """The event hook raised ``error``: the caller gets that error itself, not a
    "cannot talk to the server"."""

    def __init__(self, error: Exception) -> None:
        super().__init__(error)
        self.error = error


class _ByteSource(Protocol):
    def read(self, amt: int) -> bytes: ...


class ReplyReader:
    """Decodes one JSON-RPC reply from ``source``, reading ``chunk`` bytes at a time.

    The reply object and its ``result`` (when an object or array) are walked
    member by member; everything below is decoded by ``json``'s C scanner one
    member at a time. ``result.events`` (event.from) is walked element by
    element, and each element is replaced by ``event_hook(element)`` when one
    is given.
    """

    def __init__(self, source: _ByteSource, event_hook: EventHook | None = None, *,
                 chunk: int = CHUNK) -> None:
        self._read = source.read
        self._chunk = chunk
        self._utf8 = codecs.getincrementaldecoder("utf-8")("surrogatepass")
        self._text = ""
        self._pos = 0
        self._eof = False
        # One decoder per reply: its C scanner keeps per-call state.
        self._raw_decode = json.JSONDecoder().raw_decode
        self._event_hook = event_hook

    def read(self) -> dict[str, Any]:
        """The whole reply, as ``json.loads`` would give it (events through the hook)."""
        try:
            reply = self._object(self._reply_member)
            self._skip_whitespace()
            if self._pos < len(self._text):
                raise MalformedReplyError("text after the end of the reply")
        except json.JSONDecodeError as e:
            raise MalformedReplyError(f"invalid JSON ({e.msg})") from None
        except (RecursionError, UnicodeDecodeError) as e:
            raise MalformedReplyError(f"invalid JSON ({type(e).__name__})") from None
        return reply

    # --- the text buffer -------------------------------------------------------------

    def _more(self, pending: int) -> None:
        """Drop the text before ``_pos`` and append the next chunk (at least ``pending``
        bytes, so re-reading a member that spans many chunks stays linear)."""
        data = self._read(max(self._chunk, pending)) if not self._eof else b""
        if not data:
            self._eof = True
        text = self._utf8.decode(data, final=self._eof)
        self._text = self._text[self._pos:] + text
        self._pos = 0

    def _skip_whitespace(self) -> None:
        while True:
            match = _WHITESPACE.match(self._text, self._pos)
            assert match is not None  # the pattern matches the empty string
            self._pos = match.end()
            if self._pos < len(self._text) or self._eof:
                return
            self._more(0)

    def _peek(self) -> str:
        self._skip_whitespace()
        if self._pos >= len(self._text):
            raise MalformedReplyError("the reply ends too early")
        return self._text[self._pos]

    def _expect(self, char: str) -> None:
        if self._peek() != char:
            raise MalformedReplyError(f"expected {char!r} at character {self._pos}")
        self._pos += 1

    def _value(self) -> Any:
        """One JSON value, decoded by the C scanner."""
        self._skip_whitespace()
        while True:
            text, pos = self._text, self._pos
            try:
                value, end = self._raw_decode(text, pos)
            except json.JSONDecodeError as e:
                if self._eof:
                    raise MalformedReplyError(f"invalid JSON ({e.msg})") from None
                self._more(len(text) - pos)  # probably cut by the chunk's end
                continue
            if not self._eof and (end == len(text) or text[end] not in _AFTER_VALUE):
                # A number cut at the chunk's end parses short ("12" of "1234", "2" of
                # "2.5"): in a reply only these characters can follow a value.
                self._more(len(text) - pos)
                continue
            self._pos = end
            return value

    # --- the outer levels, by hand ------------------------------------------------

    def _object(self, member: Callable[[str], Any]) -> dict[str, Any]:
        self._expect("{")
        out: dict[str, Any] = {}
        if self._peek() == "}":
            self._pos += 1
            return out
        while True:
            if self._peek() != '"':
                raise MalformedReplyError(f"expected a member name at character {self._pos}")
            key = self._value()
            self._expect(":")
            out[key] = member(key)
            separator = self._peek()
            self._pos += 1
            if separator == "}":
                return out
            if separator != ",":
                raise MalformedReplyError(f"expected ',' or '}}' at character {self._pos - 1}")

    def _array(self, element: Callable[[], Any]) -> list[Any]:
        self._expect("[")
        out: list[Any] = []
        if self._peek() == "]":
            self._pos += 1
            return out
        while True:
            out.append(element())
            separator = self._peek()
            self._pos += 1
            if separator == "]":
                return out
            if separator != ",":
                raise MalformedReplyError(f"expected ',' or ']' at character {self._pos - 1}")

    def _reply_member(self, key: str) -> Any:
        if key != "result":
            return self._value()
        first = self._peek()
        if first == "{":
            return self._object(self._result_member)
        if first == "[":
            return self._array(self._value)
        return self._value()

    def _result_member(self, key: str) -> Any:
        if key == "events" and self._peek() == "[":
            return self._array(self._event)
        return self._value()

    def _event(self) -> Any:
        event = self._value()
        hook = self._event_hook
        # Only well-formed events go to the hook; anything else stays for the caller.
        if hook is not None and isinstance(event, dict):
            try:
                return hook(event)
            except Exception as e:
                raise _HookFailed(e) from e
        return event


class _HttpError(Exception):
    """A reply with an HTTP status other than 200 (mapped like xmlrpc.client's ProtocolError)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(status, reason)
        self.status = status
        self.reason = reason


class _Body:
    """A response body whose premature end raises IncompleteRead (a dropped connection):
    ``HTTPResponse.read(n)`` just returns less."""

    def __init__(self, response: http.client.HTTPResponse) -> None:
        self._response = response

    def read(self, amt: int) -> bytes:
        data = self._response.read(amt)
        if not data and self._response.length:
            raise http.client.IncompleteRead(b"", self._response.length)
        return data


class JsonRpcChannel:
    """JSON-RPC 2.0 calls to one host over one connection. Not thread-safe: one per thread."""

    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        self.endpoint = endpoint
        self.timeout = timeout
        self._lock = threading.Lock()
        self._aborted = False
        self._connection: http.client.HTTPConnection | None = None
        self._ids = itertools.count(1)

    def set_timeout(self, timeout: float) -> None:
        """Change the timeout of the next connection and of the open socket, if any."""
        with self._lock:
            self.timeout = timeout
            conn = self._connection
            if conn is not None:
                conn.timeout = timeout
                if conn.sock is not None:
                    conn.sock.settimeout(timeout)

    def call(self, method: str, params: tuple[Any, ...] | list[Any],
             event_hook: EventHook | None = None) -> Any:
        """One call; the ``result``, or raise XapiError / ConnectionFailed.

        With ``event_hook``, each element of the result's ``events`` list is
        replaced by ``event_hook(element)`` as soon as it is decoded (on this
        thread), so a big batch is never held in its raw form.
        """
        request_id = next(self._ids)
        try:
            body = json.dumps({"jsonrpc": "2.0", "method": method, "params": list(params),
                               "id": request_id}, ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError) as e:
            raise TypeError(f"cannot send the arguments of {method} as JSON: {e}") from None
        try:
            reply = self._exchange(body, event_hook)
        except (CertificateChanged, UntrustedCertificate):
            raise
        except _HookFailed as e:
            raise e.error from None
        except MalformedReplyError as e:
            raise ConnectionFailed("http", f"the server's answer is not XenAPI JSON-RPC ({e})",
                                   self.endpoint.url) from None
        except _HttpError as e:
            raise ConnectionFailed("http", f"the server answered HTTP {e.status} {e.reason}",
                                   self.endpoint.url) from None
        except Exception as exc:  # every transport failure is classified
            raise connection_error(exc, self.endpoint, self.timeout) from exc
        return _unwrap(reply, request_id, self.endpoint)

    def close(self) -> None:
        with self._lock:
            conn, self._connection = self._connection, None
        if conn is not None:
            conn.close()

    def abort(self) -> None:
        """From another thread: break the open socket, so a blocked call returns at once.

        The channel is unusable afterwards.
        """
        with self._lock:
            self._aborted = True
            conn = self._connection
            sock = conn.sock if conn is not None else None
        break_socket(sock)

    # --- internals ------------------------------------------------------------------

    def _open(self) -> http.client.HTTPConnection:
        with self._lock:
            if self._aborted:
                # Also stops the retry below after the socket was broken on purpose.
                raise ConnectionClosed(self.endpoint.url)
            if self._connection is None:
                self._connection = self.endpoint.http_connection(self.timeout)
            return self._connection

    def _exchange(self, body: bytes, event_hook: EventHook | None) -> dict[str, Any]:
        for attempt in (0, 1):
            try:
                return self._request(body, event_hook)
            except http.client.RemoteDisconnected:
                if attempt:
                    raise
            except OSError as e:
                if attempt or e.errno not in _RETRIED_ERRNOS:
                    raise
        raise AssertionError("unreachable")

    def _request(self, body: bytes, event_hook: EventHook | None) -> dict[str, Any]:
        conn = self._open()
        try:
            conn.putrequest("POST", JSONRPC_PATH, skip_accept_encoding=True)
            conn.putheader("User-Agent", USER_AGENT)
            conn.putheader("Content-Type", "application/json")
            conn.putheader("Accept", "application/json")
            conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            response = conn.getresponse()
            if response.status != 200:
                response.read()  # so the connection can be used again
                raise _HttpError(response.status, response.reason)
            content_type = response.getheader("Content-Type", "")
            if "json" not in content_type.lower():
                response.read()
                raise MalformedReplyError(f"Content-Type {content_type or 'missing'}")
            reader = ReplyReader(_Body(response), event_hook)
            # The reader reads the body to its end, so the connection can be used again.
            if response.length is not None and response.length < BIG_REPLY:
                return reader.read()
            # A big reply is a pool's worth of records that the cache keeps.
            with paused_gc(freeze=event_hook is not None):
                return reader.read()
        except BaseException:
            # Whatever is left on the socket cannot be trusted: start afresh next time.
            self.close()
            raise


def _unwrap(reply: Any, request_id: int, endpoint: Endpoint) -> Any:
    """The result of a v2 (or v1) reply, or its error raised as XapiError."""
    if not isinstance(reply, dict) or not ("result" in reply or "error" in reply):
        raise ConnectionFailed("http", "the server's answer has no result or error",
                               endpoint.url)
    if reply.get("id") != request_id:
        raise ConnectionFailed("http", "the server's answer is for another request",
                               endpoint.url)
    error = reply.get("error")
    if error is None:
        if "result" not in reply:
            raise ConnectionFailed("http", "the server's answer has no result", endpoint.url)
        return reply["result"]
    if isinstance(error, list):  # JSON-RPC 1.0: the ErrorDescription itself
        raise from_failure([str(d) for d in error])
    if not isinstance(error, dict):
        raise XapiError("INTERNAL_ERROR", ["the server failed without an error description"])
    code, message, data = error.get("code"), error.get("message"), error.get("data")
    details = [str(d) for d in data] if isinstance(data, list) else []
    if isinstance(code, int) and code in _PROTOCOL_ERROR_CODES:
        # Not an xapi failure: the request itself was refused (like XML-RPC's HTTP 500).
        why = f"{message}: {', '.join(details)}" if details else str(message)
        raise ConnectionFailed("http", f"the server refused the JSON-RPC request ({why})",
                               endpoint.url)
    if not isinstance(message, str) or not message:
        raise XapiError("INTERNAL_ERROR", ["the server failed without an error code"])
    raise from_failure([message, *details])
