"""The async XenAPI client: one :class:`Connection` per pool.

Thread model
    The XenAPI wire calls are blocking, so they run on worker threads (a
    ``ThreadPoolExecutor`` of ``workers`` threads, so at most that many calls
    are in flight). Each worker thread has its *own* HTTP connection (an
    :class:`~xsnap_gui.xapi.jsonrpc.JsonRpcChannel` or, for XML-RPC,
    :class:`~xsnap_gui.xapi.transport.RpcChannel`, thread-local); only the
    session ref is shared. ``event.from`` runs on its own thread and
    connection, whose socket timeout is the event timeout plus the call
    timeout, so a long poll never ties up a worker. Export downloads run on
    transfer threads. Coroutines only use ``loop.run_in_executor``,
    ``asyncio.sleep`` and ``call_soon_threadsafe``, so the client works the
    same under plain asyncio and qasync.

Protocols
    Calls go over JSON-RPC 2.0 (``POST /jsonrpc``) unless ``protocol="xmlrpc"``
    is passed to :meth:`Connection.connect`. JSON-RPC is the default because it
    is several times cheaper to decode (ints are numbers, and there is no
    per-value markup), and because its replies are decoded as they arrive (see
    :mod:`~xsnap_gui.xapi.jsonrpc`): a pool's initial ``event.from`` never sits
    in memory whole, and ``event_from(event_hook=…)`` normalises each event as
    soon as it is parsed. XML-RPC (what the XenAPI SDK speaks) stays available
    for hosts or proxies without ``/jsonrpc``. Normalised results (:meth:`call`,
    :meth:`run_task`) are the same over both; raw ones (:meth:`call_raw`,
    :meth:`event_from` without a hook) are as each wire gives them.

Sessions
    The credentials are kept in memory (never logged, never in a repr or an
    exception) only so that :meth:`Connection.relogin` can make a new session.
    Nothing re-logs in silently: SESSION_INVALID surfaces as
    :class:`SessionInvalid` and the caller decides.

Time
    ``server_time_offset`` is server clock - local clock, measured by
    ``host.get_servertime`` on the coordinator against the local clock at the
    middle of the call (xapi sends whole seconds, so it is good to about a
    second). xapi has no field for the pool's timezone: its UTC offset is
    derived from ``host.get_server_localtime`` - ``host.get_servertime`` (both
    read back to back, the gap between them corrected, rounded to 15 minutes)
    and given as ``pool_utc_offset``; a zone *name* is only known if someone
    put one into the coordinator's or the pool's ``other_config["timezone"]``
    (it must be a valid IANA name), otherwise ``pool_timezone`` is None.
    :meth:`LoginInfo.tzinfo` gives the best tzinfo available.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import logging
import os
import ssl
import tempfile
import threading
import time
import uuid
import xmlrpc.client
import zoneinfo
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from . import datamodel, tls
from .datamodel import ALL_ROLES, XType
from .errors import (
    CertificateChanged,
    ConnectionClosed,
    ConnectionFailed,
    HostIsSlave,
    PermissionDenied,
    SessionInvalid,
    TlsError,
    XapiError,
)
from .export import (
    ExportJob,
    ExportResult,
    HttpStatusError,
    IncompleteArchiveError,
    place_file,
)
from .jsonrpc import EventHook, JsonRpcChannel
from .tasks import APPLIES_TO_KEY, CLIENT_ID_KEY, PollPolicy, run_task, task_failure
from .transport import Endpoint, RpcChannel, endpoint_for_address, parse_url
from .values import NULL_REF, Normaliser, parse_datetime

log = logging.getLogger(__name__)

__all__ = ["JSONRPC", "PROTOCOLS", "XMLRPC", "Connection", "ExportResult", "LoginInfo"]

JSONRPC = "jsonrpc"
XMLRPC = "xmlrpc"
PROTOCOLS = (JSONRPC, XMLRPC)
Channel = RpcChannel | JsonRpcChannel

# Sent as the version argument of login; xapi accepts and only records it.
LOGIN_API_VERSION = "2.21"
MAX_REDIRECTS = 2
LOGOUT_TIMEOUT = 5.0
TIMEZONE_KEY = "timezone"
_TZ_QUANTUM = dt.timedelta(minutes=15)
# Calls without a session argument that the datamodel does not list.
_SESSIONLESS = frozenset({"system.listMethods", "system.methodHelp", "system.methodSignature"})


@dataclass(frozen=True)
class LoginInfo:
    """What a login learned about the pool and the user's rights."""

    session_ref: str = field(repr=False)  # a bearer token: kept out of reprs and logs
    url: str  # the coordinator actually used
    redirected_from: str | None  # the address first given, when HOST_IS_SLAVE sent us on
    is_local_superuser: bool
    permissions: frozenset[str] = field(repr=False)  # lowercase, e.g. "vm.snapshot"
    role: str | None  # "pool-admin", …; None for the local superuser (all rights)
    pool_ref: str
    master_ref: str
    server_time_offset: dt.timedelta  # server clock - local clock
    pool_timezone: str | None  # IANA name from other_config["timezone"], if any
    api_version: tuple[int, int]
    pool_utc_offset: dt.timedelta = dt.timedelta(0)  # the coordinator's local time - UTC
    username: str = ""
    certificate_fingerprint: str | None = None  # the pin in use, if any

    def tzinfo(self) -> dt.tzinfo:
        """The pool's zone if it is named, else a fixed offset (no DST knowledge)."""
        if self.pool_timezone:
            try:
                return zoneinfo.ZoneInfo(self.pool_timezone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                pass
        return dt.timezone(self.pool_utc_offset)


class _Credentials:
    """The login secret. Its repr is masked so it cannot leak through debugging output."""

    __slots__ = ("_password", "username")

    def __init__(self, username: str, password: str) -> None:
        self.username = username
        self._password = password

    @property
    def password(self) -> str:
        return self._password

    def __repr__(self) -> str:
        return f"<credentials of {self.username!r}>"

    def __reduce__(self) -> Any:
        raise TypeError("credentials cannot be pickled")


def _message(method: str) -> datamodel.Message | None:
    name = method.removeprefix("Async.")
    return datamodel.load().message(name)


def _takes_session(method: str) -> bool:
    m = _message(method)
    if m is not None:
        return m.takes_session
    return method not in _SESSIONLESS


def _encode(value: Any, xtype: XType | None, as_json: bool = False) -> Any:
    """A Python value as xapi accepts it: datetimes in xapi's form, None as the null ref for
    ref-typed parameters, ints as digit strings over XML-RPC (64-bit safe) and as numbers
    over JSON-RPC where an int is declared (or nothing is)."""
    if value is None:
        if xtype is not None and xtype.kind in ("ref", "option"):
            return NULL_REF
        raise TypeError("None cannot be sent to xapi (use OpaqueRef:NULL for a null ref)")
    if isinstance(value, bool | str):
        return value
    if isinstance(value, xmlrpc.client.DateTime):
        return value.value if as_json else value
    if isinstance(value, int):
        if xtype is not None and xtype.kind == "float":
            return float(value)
        if as_json and (xtype is None or xtype.kind == "int"):
            return int(value)
        return str(value)
    if isinstance(value, float):
        return value
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            text = value.strftime("%Y%m%dT%H:%M:%S")
        else:
            text = value.astimezone(dt.UTC).strftime("%Y%m%dT%H:%M:%SZ")
        return text if as_json else xmlrpc.client.DateTime(text)
    elem = xtype.elem if xtype is not None else None
    if isinstance(value, list | tuple | set | frozenset):
        return [_encode(v, elem, as_json) for v in value]
    if isinstance(value, dict):
        key_type = xtype.key if xtype else None
        return {str(_encode(k, key_type, as_json)): _encode(v, elem, as_json)
                for k, v in value.items()}
    return value


def _encode_args(method: str, args: tuple[Any, ...], as_json: bool = False) -> tuple[Any, ...]:
    m = _message(method)
    declared = list(m.args) if m is not None else []
    return tuple(
        _encode(a, declared[i].type if i < len(declared) else None, as_json)
        for i, a in enumerate(args)
    )


def _result_type(method: str) -> str | None:
    if method.startswith("Async."):
        return "task ref"
    m = _message(method)
    return m.result if m is not None else None


def _decode(normaliser: Normaliser, method: str, raw: Any) -> Any:
    result = _result_type(method)
    if result is None:
        return raw
    if result == "void":
        return None
    return normaliser.value(result, raw)


def _round_offset(offset: dt.timedelta) -> dt.timedelta:
    quanta = round(offset / _TZ_QUANTUM)
    return quanta * _TZ_QUANTUM


def _valid_zone(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return False
    return True


class Connection:
    """A logged-in session to one pool. Create it with :meth:`connect`."""

    poll = PollPolicy()

    def __init__(self, endpoint: Endpoint, credentials: _Credentials, *, timeout: float,
                 originator: str, workers: int, protocol: str = JSONRPC) -> None:
        if protocol not in PROTOCOLS:
            raise ValueError(f"protocol must be one of {', '.join(PROTOCOLS)}, not {protocol!r}")
        if workers < 1:
            raise ValueError("workers must be at least 1")
        if timeout <= 0:
            raise ValueError("timeout must be positive")
        self._original = endpoint
        self._endpoint = endpoint
        self._credentials = credentials
        self._timeout = timeout
        self._originator = originator
        self._workers = workers
        self._protocol = protocol
        self._session: str | None = None
        self._closed = False
        self.client_id = str(uuid.uuid4())
        self._info: LoginInfo | None = None
        short = endpoint.host
        self._executor = concurrent.futures.ThreadPoolExecutor(
            workers, thread_name_prefix=f"xapi-{short}")
        self._event_executor = concurrent.futures.ThreadPoolExecutor(
            1, thread_name_prefix=f"xapi-events-{short}")
        self._transfer_executor = concurrent.futures.ThreadPoolExecutor(
            4, thread_name_prefix=f"xapi-transfer-{short}")
        self._local = threading.local()
        self._lock = threading.Lock()
        self._channels: set[Channel] = set()
        self._worker_threads: set[int] = set()
        self._event_channel: Channel | None = None
        self._jobs: set[ExportJob] = set()
        self._background: set[asyncio.Future[Any]] = set()
        self._normaliser = Normaliser()  # for the event-loop thread only
        self._relogin_lock: asyncio.Lock | None = None
        self._session_generation = 0

    # --- public API -------------------------------------------------------------------

    @classmethod
    async def connect(cls, url: str, username: str, password: str, *,
                      trusted_fingerprint: str | None = None, allow_plain_http: bool = False,
                      timeout: float = 30.0, originator: str = "xsnap-gui",
                      workers: int = 4, protocol: str = JSONRPC) -> Connection:
        """Log in to the pool at ``url`` (following HOST_IS_SLAVE to the coordinator).

        ``protocol`` is "jsonrpc" (the default) or "xmlrpc", for every call of
        the connection.

        Raises AuthenticationFailed, UntrustedCertificate (not trusted by the
        system CAs: ask the user, then pass its ``fingerprint_sha256`` as
        ``trusted_fingerprint``), CertificateChanged (pinned, but another
        certificate), ConnectionFailed, or ValueError for an unusable URL
        (including http:// without ``allow_plain_http``).
        """
        endpoint = parse_url(url, allow_plain_http=allow_plain_http, pin=trusted_fingerprint)
        conn = cls(endpoint, _Credentials(username, password), timeout=timeout,
                   originator=originator, workers=workers, protocol=protocol)
        loop = asyncio.get_running_loop()
        login = loop.run_in_executor(conn._executor, conn._login_blocking)
        try:
            info = await asyncio.shield(login)
        except asyncio.CancelledError:
            conn._abandon(login)
            raise
        except BaseException:
            conn._closed = True
            conn._shutdown_threads()
            raise
        conn._adopt(info)
        return conn

    @property
    def info(self) -> LoginInfo:
        if self._info is None:
            raise ConnectionClosed(self._endpoint.url)
        return self._info

    @property
    def url(self) -> str:
        return self._endpoint.url

    @property
    def protocol(self) -> str:
        """The wire protocol of every call: "jsonrpc" or "xmlrpc"."""
        return self._protocol

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def threads_used(self) -> int:
        """How many worker threads have opened a connection (at most ``workers``)."""
        with self._lock:
            return len(self._worker_threads)

    def can(self, permission: str) -> bool:
        """Whether the user may do ``permission`` (e.g. "vm.snapshot"); always for superusers."""
        info = self.info
        return info.is_local_superuser or permission.lower() in info.permissions

    async def call(self, method: str, *args: Any) -> Any:
        """Call ``method`` with the session inserted; the result normalised by its declared type
        (ints, aware UTC datetimes, None for null refs and void)."""
        return await self._submit(method, args, normalise=True)

    async def call_raw(self, method: str, *args: Any) -> Any:
        """Like :meth:`call`, but the result as the wire gives it, not normalised: over
        XML-RPC as the SDK decodes it (ints as str, DateTime…), over JSON-RPC as JSON has
        it (ints as numbers, datetimes as ``20250319T04:16:24Z`` strings). Null refs stay
        ``OpaqueRef:NULL`` over both."""
        return await self._submit(method, args, normalise=False)

    async def run_task(self, method: str, *args: Any,
                       progress: Callable[[float], None] | None = None,
                       applies_to: str | None = None, label: str | None = None) -> Any:
        """Run ``Async.<method>`` and return its normalised result.

        The task's other_config gets ``applies_to`` (the key XenCenter uses)
        and ``xsnap-gui:client-id``; ``progress(fraction)`` is called on the
        event loop as the task advances. Cancelling the awaiting coroutine
        cancels the task on the server and waits for it to end, then re-raises
        CancelledError. A task cancelled by someone else raises TaskCancelled
        (an XapiError with code TASK_CANCELLED). The task is always destroyed.
        """
        self._check_open()
        normaliser = self._normaliser
        return await run_task(
            self, method, args, progress=progress, applies_to=applies_to, label=label,
            decode=lambda raw: _decode(normaliser, method, raw), poll=self.poll,
        )

    async def event_from(self, classes: list[str], token: str, timeout: float, *,
                         event_hook: EventHook | None = None) -> dict[str, Any]:
        """``event.from`` on the dedicated event connection; the batch as decoded, not normalised.

        With ``event_hook``, ``batch["events"]`` holds ``event_hook(event)`` for
        each event instead of the event. The hook runs on the event thread, never
        the event loop's, as each event is decoded (over JSON-RPC, while the rest
        of the reply is still arriving), so the raw batch is never held whole:
        ``ObjectCache.prepare_event`` is made for this. It must be thread-safe.

        The socket timeout is ``timeout`` plus the call timeout. Cancelling the
        coroutine does not interrupt the server-side wait (it ends within
        ``timeout``); :meth:`close` does.
        """
        self._check_open()
        loop = asyncio.get_running_loop()
        batch: dict[str, Any] = await loop.run_in_executor(
            self._event_executor, self._event_blocking, list(classes), token, float(timeout),
            event_hook)
        return batch

    async def download_export(self, ref: str, dest: Path | str, *,
                              progress: Callable[[int, int | None], None] | None = None,
                              use_compression: bool = False, verify: bool = True,
                              overwrite: bool = False) -> ExportResult:
        """Download the XVA export of VM (or snapshot) ``ref`` to ``dest``.

        The stream goes to a hidden temporary file beside ``dest`` while every
        chunk's checksum is verified; only a complete, verified stream is
        renamed into place. On any failure or cancellation the temporary file
        is deleted (and the server task cancelled). ``progress(bytes, total)``
        runs on the event loop; ``total`` is None as xapi sends no length.
        Raises FileExistsError if ``dest`` exists and not ``overwrite``,
        ExportError for a corrupted stream, ConnectionFailed (reason
        "dropped") for a cut one, XapiError for server-side failures.
        """
        self._check_open()
        dest = Path(dest)
        if dest.exists() and not overwrite:
            raise FileExistsError(f"{dest} already exists")
        if not dest.parent.is_dir():
            raise FileNotFoundError(f"the folder {dest.parent} does not exist")
        loop = asyncio.get_running_loop()
        task: str = await self.call_raw("task.create", f"Export of {ref}", "xsnap-gui download")
        temp: Path | None = None
        placed = False
        try:
            tags = {CLIENT_ID_KEY: self.client_id, APPLIES_TO_KEY: ref}
            await asyncio.gather(*(self.call_raw("task.add_to_other_config", task, k, v)
                                   for k, v in tags.items()))
            fd, temp_name = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.",
                                             suffix=".part")
            os.close(fd)
            temp = Path(temp_name)
            job = self._export_job(ref, task, temp, use_compression, verify, progress, loop)
            stats = await self._run_job(job, task)
            await self._check_export_task(task)
            size = temp.stat().st_size
            await loop.run_in_executor(self._transfer_executor, place_file, temp, dest,
                                       overwrite)
            placed = True
        except asyncio.CancelledError:
            self.keep_alive(self._cancel_and_destroy(task))
            raise
        except BaseException:
            self.keep_alive(self._destroy_task(task))
            raise
        finally:
            if temp is not None and not placed:
                temp.unlink(missing_ok=True)
        await self._destroy_task(task)
        return ExportResult(dest, size, stats.compressed, verify, stats.chunks_verified,
                            stats.disks, stats.algorithm)

    async def relogin(self) -> None:
        """Make a new session with the stored credentials (after SessionInvalid).

        Concurrent callers share one login. Tries the current coordinator,
        then the address first given (which may redirect to a new coordinator).
        """
        self._check_open()
        if self._relogin_lock is None:
            self._relogin_lock = asyncio.Lock()
        generation = self._session_generation
        async with self._relogin_lock:
            if self._session_generation != generation:
                return  # another coroutine has just logged in again
            old = self._session
            loop = asyncio.get_running_loop()
            info = await loop.run_in_executor(self._executor, self._login_blocking)
            if self._closed:
                self._logout_in_background(info.session_ref)
                raise ConnectionClosed(self.url)
            self._adopt(info)
            if old is not None and old != info.session_ref:
                self._logout_in_background(old)

    async def close(self) -> None:
        """Log out and stop every thread. Calls still waiting fail with ConnectionClosed."""
        if self._closed:
            return
        self._closed = True
        session, self._session = self._session, None
        # event.from may be blocked for its whole timeout: break its socket first.
        with self._lock:
            event_channel = self._event_channel
            jobs = list(self._jobs)
        if event_channel is not None:
            event_channel.abort()
        for job in jobs:
            job.abort()
        for pending in list(self._background):
            pending.cancel()
        if session is not None:
            loop = asyncio.get_running_loop()
            once = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="xapi-logout")
            try:
                await loop.run_in_executor(once, self._logout_blocking, self._endpoint, session)
            finally:
                once.shutdown(wait=False)
        self._shutdown_threads()
        log.info("closed the connection to %s", self._endpoint.url)

    async def __aenter__(self) -> Connection:
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        await self.close()

    def __repr__(self) -> str:
        state = "closed" if self._closed else "open"
        return (f"<Connection {self._endpoint.url} user={self._credentials.username!r} "
                f"{state}>")

    # --- TaskCaller (used by tasks.run_task) ----------------------------------------------

    def start_raw(self, method: str, *args: Any) -> asyncio.Future[Any]:
        self._check_open()
        loop = asyncio.get_running_loop()
        return loop.run_in_executor(self._executor, self._invoke, method, args, False)

    def keep_alive(self, coro: Awaitable[Any]) -> None:
        future = asyncio.ensure_future(coro)
        self._background.add(future)
        future.add_done_callback(self._background.discard)

    # --- internals: calls -------------------------------------------------------------------

    def _check_open(self) -> None:
        if self._closed:
            raise ConnectionClosed(self._endpoint.url)

    async def _submit(self, method: str, args: tuple[Any, ...], normalise: bool) -> Any:
        self._check_open()
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._invoke, method, args, normalise)

    def _new_channel(self, endpoint: Endpoint, timeout: float) -> Channel:
        if self._protocol == XMLRPC:
            return RpcChannel(endpoint, timeout)
        return JsonRpcChannel(endpoint, timeout)

    def _worker_channel(self) -> Channel:
        local = self._local
        channel: Channel | None = getattr(local, "channel", None)
        endpoint = self._endpoint
        if channel is None or channel.endpoint != endpoint:
            if channel is not None:
                self._forget(channel)
            channel = self._new_channel(endpoint, self._timeout)
            local.channel = channel
            with self._lock:
                self._channels.add(channel)
                self._worker_threads.add(threading.get_ident())
        return channel

    def _forget(self, channel: Channel) -> None:
        channel.close()
        with self._lock:
            self._channels.discard(channel)

    def _params(self, method: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
        encoded = _encode_args(method, args, self._protocol == JSONRPC)
        if not _takes_session(method):
            return encoded
        session = self._session
        if session is None:
            raise ConnectionClosed(self._endpoint.url)
        return (session, *encoded)

    def _normaliser_for_thread(self) -> Normaliser:
        normaliser: Normaliser | None = getattr(self._local, "normaliser", None)
        if normaliser is None:
            normaliser = self._local.normaliser = Normaliser()
        return normaliser

    def _invoke(self, method: str, args: tuple[Any, ...], normalise: bool) -> Any:
        """Worker thread: one call on this thread's own connection."""
        self._check_open()
        params = self._params(method, args)
        channel = self._worker_channel()
        try:
            raw = channel.call(method, params)
        except (ConnectionFailed, XapiError):
            if self._closed:
                # Whatever broke (socket shut, session logged out) was the close.
                raise ConnectionClosed(self._endpoint.url) from None
            raise
        if not normalise:
            return raw
        return _decode(self._normaliser_for_thread(), method, raw)

    def _event_blocking(self, classes: list[str], token: str, timeout: float,
                        event_hook: EventHook | None) -> Any:
        self._check_open()
        with self._lock:
            channel = self._event_channel
            if channel is None or channel.endpoint != self._endpoint:
                if channel is not None:
                    channel.close()
                channel = self._event_channel = self._new_channel(self._endpoint, self._timeout)
        channel.set_timeout(timeout + self._timeout)
        params = self._params("event.from", (classes, token, timeout))
        try:
            return channel.call("event.from", params, event_hook)
        except (ConnectionFailed, XapiError):
            if self._closed:
                raise ConnectionClosed(self._endpoint.url) from None
            raise

    # --- internals: login -------------------------------------------------------------------

    def _login_blocking(self) -> LoginInfo:
        """Worker thread: log in, trying the coordinator we know, then the first address."""
        candidates = [self._endpoint]
        if self._original != self._endpoint:
            candidates.append(self._original)
        for i, endpoint in enumerate(candidates):
            try:
                return self._login_at(endpoint)
            except ConnectionFailed as e:
                if isinstance(e, TlsError) or i == len(candidates) - 1 or self._closed:
                    raise
                log.info("coordinator %s unreachable (%s); trying %s", endpoint.url, e.reason,
                         candidates[i + 1].url)
        raise AssertionError("unreachable")

    def _login_at(self, endpoint: Endpoint) -> LoginInfo:
        creds = self._credentials
        redirected_from: str | None = None
        for _ in range(MAX_REDIRECTS + 1):
            channel = self._new_channel(endpoint, self._timeout)
            with self._lock:
                self._channels.add(channel)
            try:
                if self._closed:
                    # connect() was cancelled before this channel could be aborted.
                    raise ConnectionClosed(endpoint.url)
                try:
                    session = channel.call(
                        "session.login_with_password",
                        (creds.username, creds.password, LOGIN_API_VERSION, self._originator))
                except HostIsSlave as e:
                    master = endpoint_for_address(endpoint, e.master_address)
                    log.info("%s is a pool member; the coordinator is %s", endpoint.url,
                             master.url)
                    redirected_from = redirected_from or endpoint.url
                    endpoint = master
                    continue
                except CertificateChanged as e:
                    if redirected_from is None:
                        raise
                    # Another host than the one the user pinned: not a change, a new host.
                    raise tls.certificate_error(
                        ssl.PEM_cert_to_DER_cert(e.pem),
                        f"the pool coordinator presents a different certificate from the "
                        f"pinned one of {redirected_from}", endpoint.url) from None
                try:
                    info = self._read_login_info(channel, str(session), endpoint,
                                                 redirected_from)
                except BaseException:
                    self._logout_quietly(channel, str(session))
                    raise
                log.info("logged in to %s as %s", endpoint.url, creds.username)
                return info
            finally:
                self._forget(channel)
        raise ConnectionFailed("http", f"more than {MAX_REDIRECTS} HOST_IS_SLAVE redirects",
                               endpoint.url)

    def _read_login_info(self, channel: Channel, session: str, endpoint: Endpoint,
                         redirected_from: str | None) -> LoginInfo:
        as_json = self._protocol == JSONRPC

        def call(method: str, *args: Any) -> Any:
            return channel.call(method, (session, *_encode_args(method, args, as_json)))

        superuser = bool(call("session.get_is_local_superuser", session))
        permissions = frozenset(str(p).lower() for p in call("session.get_rbac_permissions",
                                                                session))
        role = None if superuser else self._role_name(call, session, permissions)
        pools = call("pool.get_all")
        if not pools:
            raise XapiError("INTERNAL_ERROR", ["the server reports no pool"])
        pool = str(pools[0])
        master = str(call("pool.get_master", pool))
        api_version = (int(call("host.get_API_version_major", master)),
                       int(call("host.get_API_version_minor", master)))
        t0 = time.time()
        server_utc = parse_datetime(call("host.get_servertime", master))
        t1 = time.time()
        server_local = parse_datetime(call("host.get_server_localtime", master))
        t2 = time.time()
        local_mid = dt.datetime.fromtimestamp((t0 + t1) / 2, dt.UTC)
        offset = server_utc - local_mid
        # server_local was read (t2 - t0) / 2 seconds after server_utc, on average.
        utc_at_local = server_utc + dt.timedelta(seconds=((t1 + t2) - (t0 + t1)) / 2)
        pool_utc_offset = _round_offset(server_local.replace(tzinfo=None)
                                        - utc_at_local.replace(tzinfo=None))
        zone = self._zone_name(call, master, pool)
        return LoginInfo(
            session_ref=session,
            url=endpoint.url,
            redirected_from=redirected_from,
            is_local_superuser=superuser,
            permissions=permissions,
            role=role,
            pool_ref=pool,
            master_ref=master,
            server_time_offset=offset,
            pool_timezone=zone,
            api_version=api_version,
            pool_utc_offset=pool_utc_offset,
            username=self._credentials.username,
            certificate_fingerprint=endpoint.pin,
        )

    @staticmethod
    def _role_name(call: Callable[..., Any], session: str,
                   permissions: frozenset[str]) -> str | None:
        try:
            subject = str(call("session.get_subject", session))
            if subject and subject != NULL_REF:
                names = {str(call("role.get_name_label", r)).lower()
                         for r in call("subject.get_roles", subject)}
                for role in ALL_ROLES:  # highest first
                    if role in names:
                        return role
                if names:
                    return sorted(names)[0]
        except XapiError as e:
            log.debug("cannot read the session's roles: %s", e)
        return _role_from_permissions(permissions)

    @staticmethod
    def _zone_name(call: Callable[..., Any], master: str, pool: str) -> str | None:
        for cls, ref in (("host", master), ("pool", pool)):
            try:
                other = call(f"{cls}.get_other_config", ref)
            except XapiError as e:
                log.debug("cannot read %s.other_config: %s", cls, e)
                continue
            name = str(other.get(TIMEZONE_KEY, "")).strip() if isinstance(other, dict) else ""
            if name:
                if _valid_zone(name):
                    return name
                log.info("ignoring unknown timezone %r in %s.other_config", name, cls)
        return None

    def _adopt(self, info: LoginInfo) -> None:
        endpoint = self._endpoint
        if info.url != endpoint.url:
            self._endpoint = parse_url(info.url, allow_plain_http=True, pin=endpoint.pin)
        self._session = info.session_ref
        self._info = info
        self._session_generation += 1

    def _abandon(self, login: asyncio.Future[LoginInfo]) -> None:
        """connect() was cancelled: break the login, and log out if it succeeded anyway."""
        self._closed = True
        with self._lock:
            channels = list(self._channels)
        for channel in channels:
            channel.abort()

        def logout_if_logged_in(done: asyncio.Future[LoginInfo]) -> None:
            if not done.cancelled() and done.exception() is None:
                self._logout_in_background(done.result().session_ref)

        login.add_done_callback(logout_if_logged_in)
        self._shutdown_threads()

    # --- internals: logout and shutdown -------------------------------------------------

    def _logout_quietly(self, channel: Channel, session: str) -> None:
        try:
            channel.call("session.logout", (session,))
        except (XapiError, ConnectionFailed) as e:
            log.debug("logout failed: %s", e)

    def _logout_blocking(self, endpoint: Endpoint, session: str) -> None:
        channel = self._new_channel(endpoint, min(self._timeout, LOGOUT_TIMEOUT))
        try:
            self._logout_quietly(channel, session)
        finally:
            channel.close()

    def _logout_in_background(self, session: str) -> None:
        threading.Thread(target=self._logout_blocking, args=(self._endpoint, session),
                         name="xapi-logout", daemon=True).start()

    def _shutdown_threads(self) -> None:
        with self._lock:
            channels = list(self._channels)
            self._channels.clear()
            event_channel, self._event_channel = self._event_channel, None
        for channel in channels:
            channel.abort()
        if event_channel is not None:
            event_channel.abort()
        for executor in (self._executor, self._event_executor, self._transfer_executor):
            executor.shutdown(wait=False)

    # --- internals: export ------------------------------------------------------------------

    def _export_job(self, ref: str, task: str, temp: Path, use_compression: bool,
                    verify: bool, progress: Callable[[int, int | None], None] | None,
                    loop: asyncio.AbstractEventLoop) -> ExportJob:
        session = self._session
        if session is None:
            raise ConnectionClosed(self.url)
        query = {"ref": ref, "session_id": session, "task_id": task}
        if use_compression:
            query["use_compression"] = "true"
        report: Callable[[int, int | None], None] | None = None
        if progress is not None:
            callback = progress

            def report(received: int, total: int | None) -> None:
                try:
                    loop.call_soon_threadsafe(callback, received, total)
                except RuntimeError:
                    pass  # the loop has closed: nobody is listening any more

        return ExportJob(self._endpoint, self._timeout, query, temp, verify, report)

    async def _run_job(self, job: ExportJob, task: str) -> Any:
        loop = asyncio.get_running_loop()
        with self._lock:
            self._jobs.add(job)
        running = loop.run_in_executor(self._transfer_executor, job.run)
        try:
            try:
                return await asyncio.shield(running)
            except asyncio.CancelledError:
                job.abort()
                try:
                    await asyncio.wait([running])
                except asyncio.CancelledError:
                    pass  # cancelled again: the thread still deletes its file on the way out
                raise
            except IncompleteArchiveError as e:
                await self._raise_task_failure(task, e)
                raise ConnectionFailed("dropped", str(e), self.url) from e
            except HttpStatusError as e:
                await self._raise_task_failure(task, e)
                if e.status == 401:
                    raise SessionInvalid("SESSION_INVALID", [self._session or ""]) from e
                if e.status == 403:
                    raise PermissionDenied("RBAC_PERMISSION_DENIED",
                                           ["http/get_export", "the server refused the "
                                            "export (HTTP 403)"]) from e
                raise ConnectionFailed("http", f"the export was answered HTTP {e.status} "
                                       f"{e.reason}", self.url) from e
            except ConnectionFailed as e:
                await self._raise_task_failure(task, e)
                raise
        finally:
            with self._lock:
                self._jobs.discard(job)

    async def _task_record(self, task: str, settle: float) -> dict[str, Any] | None:
        """The task's record once it has left pending, or as it is after ``settle`` seconds."""
        deadline = time.monotonic() + settle
        interval = self.poll.first
        while True:
            try:
                record: dict[str, Any] = await self.call_raw("task.get_record", task)
            except (XapiError, ConnectionFailed) as e:
                log.debug("cannot read task %s: %s", task, e)
                return None
            if record.get("status") not in ("pending", "cancelling"):
                return record
            if time.monotonic() >= deadline:
                return record
            await asyncio.sleep(interval)
            interval = min(interval * self.poll.factor, self.poll.longest)

    async def _raise_task_failure(self, task: str, cause: BaseException) -> None:
        """If the server's task says why the transfer failed, raise that instead."""
        record = await self._task_record(task, settle=2.0)
        if record is None or record.get("status") not in ("failure", "cancelled"):
            return
        error = task_failure(record)
        # CLIENT_ERROR only says the server saw the connection go: ours is more precise.
        if error.code != "CLIENT_ERROR":
            raise error from cause

    async def _check_export_task(self, task: str) -> None:
        record = await self._task_record(task, settle=self._timeout)
        if record is None:
            return
        status = record.get("status")
        if status in ("failure", "cancelled"):
            raise task_failure(record)
        if status != "success":
            log.warning("export task %s still %s after the stream ended", task, status)

    async def _destroy_task(self, task: str) -> None:
        try:
            await self.call_raw("task.destroy", task)
        except (XapiError, ConnectionFailed) as e:
            log.debug("could not destroy task %s: %s", task, e)

    async def _cancel_and_destroy(self, task: str) -> None:
        try:
            await self.call_raw("task.cancel", task)
        except (XapiError, ConnectionFailed) as e:
            log.debug("task.cancel %s: %s", task, e)
        await self._task_record(task, settle=self._timeout)
        await self._destroy_task(task)


def _role_from_permissions(permissions: Iterable[str]) -> str | None:
    """The static role whose permission set is exactly ``permissions``, if any."""
    wanted = frozenset(permissions)
    if not wanted:
        return None
    dm = datamodel.load()
    for role in ALL_ROLES:
        if frozenset(m.permission for m in dm.all_messages() if role in m.roles) == wanted:
            return role
    return None

