"""HTTP(S) listeners for the simulator: XML-RPC on / and /RPC2, JSON-RPC on /jsonrpc.

One listener serves one host of the pool. Logging in anywhere but the master
answers HOST_IS_SLAVE, as xapi does; other calls work on every host.
"""

from __future__ import annotations

import logging
import socket
import ssl
import sys
import threading
import urllib.parse
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .core import Simulator
from .errors import XapiError
from .faults import FaultAction
from .wire import WireError, jsonrpc, xmlrpc

log = logging.getLogger(__name__)

GetHandler = Callable[["RequestHandler", str, dict[str, str]], None]

CORS_HEADERS = (
    ("Access-Control-Allow-Origin", "*"),
    ("Access-Control-Allow-Headers", "X-Requested-With"),
)
JSON_PATHS = ("/jsonrpc", "/json")


class RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: HostServer
    server_version = "xapi-sim"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)

    # --- helpers ------------------------------------------------------------------

    def send_body(self, status: int, content_type: str, body: bytes,
                  extra: tuple[tuple[str, str], ...] = ()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (*CORS_HEADERS, *extra):
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_html_error(self, status: int, reason: str) -> None:
        body = (
            f"<html><body><h1>HTTP {status}</h1>{_html_escape(reason)}</body></html>"
        ).encode()
        self.close_connection = True
        self.send_body(status, "text/html", body)

    def read_body(self) -> bytes | None:
        """The request body, or None after answering an error (too big, no length)."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_html_error(411, "chunked requests are not supported")
            return None
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self.send_html_error(411, "a Content-Length is required")
            return None
        if length < 0:
            self.send_html_error(400, "bad Content-Length")
            return None
        if length > self.server.sim.config.max_body_bytes:
            self.send_html_error(413, "request body too large")
            return None
        return self.rfile.read(length)

    def faulted(self, name: str) -> bool:
        """Apply injected faults to the request ``name`` (method or path); True if answered."""
        action = self.server.sim.faults.on_request(name)
        if action is FaultAction.DROP:
            self.drop_connection()
            return True
        if action is FaultAction.HTTP_500:
            self.send_html_error(500, "injected fault")
            return True
        return False

    def drop_connection(self) -> None:
        """Close the socket without a word, as a crashed or partitioned host would."""
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # --- verbs --------------------------------------------------------------------

    def do_OPTIONS(self) -> None:
        self.send_body(200, "text/plain", b"")

    def do_POST(self) -> None:
        path = urllib.parse.urlsplit(self.path).path
        body = self.read_body()
        if body is None:
            return
        if any(path == p or path.startswith(p + "/") for p in JSON_PATHS):
            self.answer_json(body)
        else:
            self.answer_xmlrpc(body)

    def do_GET(self) -> None:
        parts = urllib.parse.urlsplit(self.path)
        if self.faulted(parts.path):
            return
        handler = self.server.sim_get_handlers.get(parts.path)
        if handler is None:
            self.send_html_error(404, f"no handler for {parts.path}")
            return
        query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        handler(self, self.server.host_ref, query)

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_PUT(self) -> None:
        # Upload handlers share the GET table, keyed "PUT /path".
        parts = urllib.parse.urlsplit(self.path)
        if self.faulted(parts.path):
            return
        handler = self.server.sim_get_handlers.get(f"PUT {parts.path}")
        if handler is None:
            self.send_html_error(404, f"no handler for PUT {parts.path}")
            return
        query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
        handler(self, self.server.host_ref, query)

    # --- protocols ----------------------------------------------------------------

    def answer_xmlrpc(self, body: bytes) -> None:
        try:
            method, params = xmlrpc.parse_request(body)
        except WireError as e:
            self.send_html_error(500, f"cannot parse the XML-RPC request: {e}")
            return
        if self.faulted(method):
            return
        if method == "system.listMethods":
            self.send_body(200, "text/xml", xmlrpc.format_bare(self.server.sim.answered_methods()))
            return
        try:
            result = self.server.sim.dispatch(method, params, self.server.host_ref)
        except XapiError as e:
            reply = xmlrpc.format_failure(e.description)
        except Exception as e:
            log.exception("internal error in %s", method)
            reply = xmlrpc.format_failure(["INTERNAL_ERROR", f"{type(e).__name__}: {e}"])
        else:
            reply = xmlrpc.format_success(result)
        self.send_body(200, "text/xml", reply)

    def answer_json(self, body: bytes) -> None:
        try:
            req = jsonrpc.parse_request(body)
        except WireError as e:
            self.send_body(200, "application/json", jsonrpc.format_request_error(body, e))
            return
        if self.faulted(req.method):
            return
        try:
            result = self.server.sim.dispatch(req.method, req.params, self.server.host_ref)
        except XapiError as e:
            reply = jsonrpc.format_failure(req, e.description)
        except Exception as e:
            log.exception("internal error in %s", req.method)
            reply = jsonrpc.format_failure(req, ["INTERNAL_ERROR", f"{type(e).__name__}: {e}"])
        else:
            reply = jsonrpc.format_success(req, result)
        self.send_body(200, "application/json", reply)


def _html_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class HostServer(ThreadingHTTPServer):
    """The listener of one simulated host."""

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, sim: Simulator, host_ref: str, bind: str, port: int,
                 tls: ssl.SSLContext | None,
                 get_handlers: dict[str, GetHandler] | None = None) -> None:
        self.sim = sim
        self.host_ref = host_ref
        self.tls = tls
        self.sim_get_handlers: dict[str, GetHandler] = get_handlers if get_handlers is not None \
            else {}
        super().__init__((bind, port), RequestHandler)
        self._thread: threading.Thread | None = None

    def get_request(self) -> tuple[socket.socket, Any]:
        sock, addr = super().get_request()
        if self.tls is not None:
            # Handshake in the worker thread, so one slow client cannot stall accept().
            sock = self.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def finish_request(self, request: Any, client_address: Any) -> None:
        if isinstance(request, ssl.SSLSocket):
            try:
                request.settimeout(30)
                request.do_handshake()
                request.settimeout(None)
            except (ssl.SSLError, OSError) as e:
                log.debug("TLS handshake with %s failed: %s", client_address, e)
                return
        super().finish_request(request, client_address)

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, ssl.SSLEOFError, TimeoutError)):
            # The client went away mid-answer (an aborted event.from, a closed app): routine.
            log.debug("connection from %s closed by the client: %s", client_address, error)
            return
        log.debug("connection from %s ended with an error", client_address, exc_info=True)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    @property
    def url(self) -> str:
        scheme = "https" if self.tls is not None else "http"
        host = str(self.server_address[0])
        return f"{scheme}://{host}:{self.port}"

    def start(self) -> None:
        self._thread = threading.Thread(target=self.serve_forever, name=f"sim-{self.url}",
                                        daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
