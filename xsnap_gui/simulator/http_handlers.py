"""The plain-HTTP side of xapi beside the RPC endpoints: ``GET /export`` and ``/blob``.

Authentication follows xapi_http.ml: a ``session_id`` cookie or query
parameter (cookie first), or HTTP Basic credentials (a temporary session is
made and ended afterwards). No valid session answers 401. Each handler then
needs its RBAC permission ``http/<action>``; without it the answer is 403 and,
for an export given a ``task_id``, the RBAC error is written to that task.

The roles per action are xapi's ``Datamodel.http_actions``: ``get_export`` is
``_R_VM_ADMIN`` (vm-admin and above), ``get_blob`` ``_R_READ_ONLY`` (everyone)
and ``put_blob`` ``_R_VM_POWER_ADMIN``. (xapi also lists these ``http/…``
permissions in ``session.rbac_permissions``; the simulator's sessions carry only
message permissions so far.)

An export takes the VM's ``export`` operation lock before answering (so a
running VM fails with VM_BAD_POWER_STATE). Errors before the stream starts go
to the task and answer HTTP 500, as xapi's handler table turns a handler's API
error into one; once the 200 has gone out, an error (a cancel among them) can
only end the task and close the connection, leaving a short stream.
"""

from __future__ import annotations

import base64
import binascii
import http.cookies
import logging
import threading
import time
import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..xapi.datamodel import ALL_ROLES, Message
from . import export, lifecycle, tasks
from .call import Call
from .errors import XapiError

if TYPE_CHECKING:
    from .api import RunningSimulator
    from .core import Simulator
    from .server import RequestHandler

log = logging.getLogger(__name__)


def roles_from(role: str) -> tuple[str, ...]:
    """``role`` and every role above it (datamodel_roles.ml's roles_gte)."""
    return ALL_ROLES[: ALL_ROLES.index(role) + 1]


HTTP_ACTION_ROLES: dict[str, tuple[str, ...]] = {
    "get_export": roles_from("vm-admin"),
    "get_blob": roles_from("read-only"),
    "put_blob": roles_from("vm-power-admin"),
}
EXPORT_CONTENT_TYPE = "application/octet-stream"
EXPORT_DISPOSITION = 'attachment; filename="export.xva"'
_PROGRESS_STEP = 0.01  # write task progress when it has moved this much
_PACE_SLICE = 0.05  # real seconds slept at a time while pacing, between cancel checks
# The server side of an export, as a Call needs a message: xapi has no VM.export call.
_EXPORT_MESSAGE = Message(cls="VM", name="export", params=(), result="void",
                          roles=HTTP_ACTION_ROLES["get_export"], implicit=False,
                          state="Published_s", errors=())


def register(running: RunningSimulator) -> None:
    """Serve /export and /blob on every listener of ``running``."""
    running.get_handlers["/export"] = handle_export
    running.get_handlers["/blob"] = handle_get_blob
    running.get_handlers["PUT /blob"] = handle_put_blob


# --- authentication ----------------------------------------------------------------------


class _AnsweredError(Exception):
    """The request has been answered with 401 or 403."""


def param(handler: RequestHandler, query: dict[str, str], name: str) -> str | None:
    """A request parameter, looked up in the cookies first and then the query, as xapi does."""
    cookies = http.cookies.SimpleCookie()
    try:
        cookies.load(handler.headers.get("Cookie", ""))
    except http.cookies.CookieError:
        pass
    if name in cookies:
        return cookies[name].value
    return query.get(name)


def _unauthorised(handler: RequestHandler, reason: str) -> _AnsweredError:
    handler.close_connection = True
    body = f"<html><body><h1>HTTP 401 Unauthorised</h1>{reason}</body></html>".encode()
    handler.send_body(401, "text/html", body, (("WWW-Authenticate", 'Basic realm="xapi"'),
                                               ("Connection", "close")))
    return _AnsweredError()


class _Credentials:
    """The session a request runs under; a temporary one (HTTP Basic) ends with the request."""

    def __init__(self, handler: RequestHandler, sim: Simulator, query: dict[str, str]) -> None:
        self.sim = sim
        self.temporary = False
        session = param(handler, query, "session_id")
        if session is not None:
            try:
                self.session = sim.check_session(session)
            except XapiError:
                raise _unauthorised(handler, "invalid session") from None
            return
        auth = handler.headers.get("Authorization", "")
        scheme, _, encoded = auth.partition(" ")
        if scheme.lower() != "basic":
            raise _unauthorised(handler, "no credentials")
        try:
            user, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            raise _unauthorised(handler, "malformed Basic credentials") from None
        try:
            # xapi logs in through the master whichever host was asked.
            self.session = sim.login(user, password, "xapi-http", sim.master)
        except XapiError:
            raise _unauthorised(handler, "authentication failed") from None
        self.temporary = True

    def permission_error(self, action: str) -> XapiError | None:
        row = self.sim.db.row("session", self.session)
        roles = HTTP_ACTION_ROLES[action]
        if row["is_local_superuser"] or self.sim.role_of_session(self.session) in roles:
            return None
        return XapiError(
            "RBAC_PERMISSION_DENIED", f"http/{action}",
            f"No permission in user session. (Roles with this permission: {', '.join(roles)})",
        )

    def end(self) -> None:
        if self.temporary and self.sim.db.exists("session", self.session):
            self.sim.db.destroy("session", self.session)


def _forbidden(handler: RequestHandler, error: XapiError) -> _AnsweredError:
    handler.send_html_error(403, " ".join(error.description))
    return _AnsweredError()


def _task_exists(sim: Simulator, task: str | None) -> bool:
    return task is not None and sim.db.exists("task", task)


# --- /export -------------------------------------------------------------------------------


class _StreamCutError(Exception):
    """The cut-export fault: stop writing after the configured number of bytes."""


class _Pacer:
    """Takes the simulated time of reading the disks, reports progress, honours cancel."""

    def __init__(self, call: Call, total: int) -> None:
        config = call.sim.config
        self.call = call
        self.total = total
        self.done = 0
        self.reported = 0.0
        # Real seconds per disk byte.
        rate = config.export_bytes_per_second
        self.cost = config.work_scale / rate if rate > 0 else 0.0
        self.debt = 0.0

    def covered(self, n: int) -> None:
        self.done += n
        self.debt += n * self.cost
        while self.debt >= _PACE_SLICE:
            time.sleep(_PACE_SLICE)
            self.debt -= _PACE_SLICE
            self.check()
        fraction = self.done / self.total if self.total else 1.0
        if fraction - self.reported >= _PROGRESS_STEP:
            self.reported = fraction
            self.call.progress(fraction)
            self.check()

    def check(self) -> None:
        if self.call.sim.stopping:
            raise XapiError("INTERNAL_ERROR", "the simulator is stopping")
        self.call.check_cancelled()


def handle_export(handler: RequestHandler, host: str, query: dict[str, str]) -> None:
    """GET /export?ref=|uuid=&session_id=[&task_id=][&use_compression=][&preserve_power_state=]"""
    sim = handler.server.sim
    if handler.command == "HEAD":
        handler.send_html_error(404, "HEAD is not served on /export")
        return
    try:
        credentials = _Credentials(handler, sim, query)
    except _AnsweredError:
        return
    try:
        task_id = param(handler, query, "task_id")
        denied = credentials.permission_error("get_export")
        if denied is not None:
            if task_id is not None and _task_exists(sim, task_id):
                tasks.fail(sim, task_id, denied)
            raise _forbidden(handler, denied)
        _export(handler, sim, host, query, credentials.session, task_id)
    except _AnsweredError:
        return
    finally:
        credentials.end()


def _vm_of(sim: Simulator, query: dict[str, str]) -> str:
    if "ref" in query:
        ref = query["ref"]
        if not sim.db.exists("VM", ref):
            raise XapiError("HANDLE_INVALID", "VM", ref)
        return ref
    if "uuid" in query:
        found = sim.db.by_uuid("VM", query["uuid"])
        if found is None:
            raise XapiError("UUID_INVALID", "VM", query["uuid"])
        return found
    raise XapiError("INTERNAL_ERROR", "the export request names no VM (ref or uuid)")


def _is_true(value: str | None) -> bool:
    return value is not None and value.strip().lower() == "true"


def _export(handler: RequestHandler, sim: Simulator, host: str, query: dict[str, str],
            session: str, task_id: str | None) -> None:
    if task_id is not None and not _task_exists(sim, task_id):
        handler.send_html_error(500, f"HANDLE_INVALID task {task_id}")
        return
    vm, early_error = "", None
    try:
        vm = _vm_of(sim, query)
    except XapiError as e:
        early_error = e
    if task_id is None:
        target = sim.db.get("VM", vm, "uuid") if vm else query.get("uuid", query.get("ref", ""))
        task = tasks.new_task(sim, f"Export of VM: {target}", "", host, cancellable=True)
        sim.task_owners[task] = str(sim.db.get("session", session, "auth_user_name"))
    else:
        task = task_id
    compression = query.get("use_compression", "").lower()
    if early_error is None and compression == "zstd":
        early_error = XapiError("INTERNAL_ERROR",
                                "zstd compression is not simulated; use use_compression=gzip")
    if early_error is not None:
        _fail_before_stream(handler, sim, task, early_error)
        return
    call = Call(sim, _EXPORT_MESSAGE, session, host, task)
    call.progress(0.0)
    preserve = _is_true(param(handler, query, "preserve_power_state"))
    _stream_export(handler, call, vm, preserve, compression in ("true", "gzip"))


def _fail_before_stream(handler: RequestHandler, sim: Simulator, task: str,
                        error: XapiError) -> None:
    tasks.fail(sim, task, error)
    handler.close_connection = True
    body = f"<html><body><h1>HTTP 500</h1>{' '.join(error.description)}</body></html>"
    handler.send_body(500, "text/html", body.encode(), (("task-id", task),
                                                        ("Connection", "close")))


def _stream_export(handler: RequestHandler, call: Call, vm: str, preserve: bool,
                   gzip: bool) -> None:
    sim = call.sim
    task = call.task
    assert task is not None
    started = False
    try:
        with lifecycle.operation(call, vm, "export", strict=True):
            xva = export.plan(sim, vm, preserve_power_state=preserve,
                              size_cap=sim.config.export_bytes_cap)
            pacer = _Pacer(call, xva.disk_bytes)
            _send_export_headers(handler, task)
            started = True
            pieces = export.stream(xva, sim.config.export_bytes_per_second, pacer.covered)
            _write_all(handler, _gzip(pieces) if gzip else pieces, sim.faults.export_cut())
    except XapiError as e:
        if not started:
            _fail_before_stream(handler, sim, task, e)
            return
        tasks.fail(sim, task, e)
        handler.drop_connection()
        return
    except _StreamCutError:
        tasks.fail(sim, task, XapiError("CLIENT_ERROR", "the connection was cut (injected fault)"))
        handler.drop_connection()
        return
    except OSError as e:
        # The client went away mid-stream; xapi reports a write failure as CLIENT_ERROR.
        tasks.fail(sim, task, XapiError("CLIENT_ERROR", f"{type(e).__name__}: {e}"))
        handler.close_connection = True
        return
    except Exception as e:  # a simulator bug must still end the task
        log.exception("export of %s failed", vm)
        error = XapiError("INTERNAL_ERROR", f"{type(e).__name__}: {e}")
        if started:
            tasks.fail(sim, task, error)
            handler.drop_connection()
        else:
            _fail_before_stream(handler, sim, task, error)
        return
    if sim.db.exists("task", task):
        sim.db.update("task", task, status="success", progress=1.0, finished=sim.now(),
                      result="", allowed_operations=[], current_operations={})
    handler.close_connection = True


def _send_export_headers(handler: RequestHandler, task: str) -> None:
    # xapi answers exports in HTTP/1.0 with no length: the stream ends when the socket does.
    handler.protocol_version = "HTTP/1.0"
    handler.close_connection = True
    handler.send_response(200)
    handler.send_header("Connection", "close")
    handler.send_header("task-id", task)
    handler.send_header("Content-Type", EXPORT_CONTENT_TYPE)
    handler.send_header("Content-Disposition", EXPORT_DISPOSITION)
    handler.end_headers()


def _gzip(pieces: Iterable[bytes]) -> Iterable[bytes]:
    # Level 1, like a fast streaming gzip: the whole stream is one gzip member.
    compressor = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    for piece in pieces:
        out = compressor.compress(piece)
        if out:
            yield out
    yield compressor.flush()


def _write_all(handler: RequestHandler, pieces: Iterable[bytes], cut: int | None) -> None:
    sent = 0
    for piece in pieces:
        if cut is not None and sent + len(piece) >= cut:
            handler.wfile.write(piece[: cut - sent])
            raise _StreamCutError()
        handler.wfile.write(piece)
        sent += len(piece)
    handler.wfile.flush()


# --- /blob -----------------------------------------------------------------------------------


_blob_lock = threading.Lock()


def _blob_of(sim: Simulator, query: dict[str, str]) -> str | None:
    if "ref" in query:
        ref = query["ref"]
        return ref if sim.db.exists("blob", ref) else None
    return sim.db.by_uuid("blob", query.get("uuid", ""))


def _blob_request(handler: RequestHandler, query: dict[str, str],
                  action: str) -> tuple[_Credentials, str] | None:
    """Authenticate, authorise and find the blob; None once an error has been answered."""
    sim = handler.server.sim
    if "ref" not in query and "uuid" not in query:
        handler.send_html_error(400, "the blob request names no blob (ref or uuid)")
        return None
    try:
        credentials = _Credentials(handler, sim, query)
    except _AnsweredError:
        return None
    denied = credentials.permission_error(action)
    if denied is not None:
        credentials.end()
        _forbidden(handler, denied)
        return None
    blob = _blob_of(sim, query)
    if blob is None:
        credentials.end()
        handler.send_html_error(404, "Unknown reference")
        return None
    return credentials, blob


def handle_get_blob(handler: RequestHandler, _host: str, query: dict[str, str]) -> None:
    """GET /blob?ref=|uuid=&session_id=: the blob's bytes, with its mime type."""
    found = _blob_request(handler, query, "get_blob")
    if found is None:
        return
    credentials, blob = found
    sim = handler.server.sim
    try:
        with _blob_lock:
            payload = sim.blob_payloads.get(blob)
        if payload is None:
            # xapi keeps blobs as files; one never uploaded has none, which answers 404.
            handler.send_html_error(404, "the blob has no contents")
            return
        handler.close_connection = True
        mime_type = str(sim.db.get("blob", blob, "mime_type")) or EXPORT_CONTENT_TYPE
        handler.send_body(200, mime_type, payload, (("Connection", "close"),))
    finally:
        credentials.end()


def handle_put_blob(handler: RequestHandler, _host: str, query: dict[str, str]) -> None:
    """PUT /blob?ref=|uuid=&session_id=: replace the blob's bytes (Content-Length required)."""
    found = _blob_request(handler, query, "put_blob")
    if found is None:
        return
    credentials, blob = found
    sim = handler.server.sim
    try:
        body = handler.read_body()
        if body is None:
            return
        with _blob_lock:
            sim.blob_payloads[blob] = body
        if sim.db.exists("blob", blob):
            sim.db.update("blob", blob, size=len(body), last_updated=sim.now())
        handler.close_connection = True
        handler.send_body(200, "text/plain", b"", (("Connection", "close"),))
    finally:
        credentials.end()


__all__ = [
    "HTTP_ACTION_ROLES",
    "handle_export",
    "handle_get_blob",
    "handle_put_blob",
    "param",
    "register",
    "roles_from",
]
