"""Keeping an :class:`ObjectCache` in step with a pool through ``event.from``.

The loop:

1. ``event.from(classes, "", 0)`` returns every object: the cache is replaced
   with it (objects that vanished meanwhile are announced as removed).
2. ``event.from(classes, token, 30)`` blocks until something changes; each
   batch is applied, then ``valid_ref_counts`` is compared with the cache and
   drifting classes are reloaded on their own.
3. SESSION_INVALID: log in again (``Connection.relogin``), then back to 1.
   A dropped or refused connection: a new connection after an exponential,
   capped, jittered backoff, then back to 1. Any other XenAPI error from
   event.from (EVENTS_LOST, a bad token): back to 1.

Wrong credentials and untrusted or changed certificates end the loop in the
``failed`` state: retrying cannot fix them, the user must.

Every batch is normalised on the connection's event thread as it is decoded
(``Connection.event_from(event_hook=ObjectCache.prepare_event)``): over
JSON-RPC each event becomes its cache record while the rest of the reply is
still arriving, so a big pool's raw batch is never held whole, and the event
loop, which under qasync is the UI thread, only hands the finished records to
the cache.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from ..xapi.client import Connection
from ..xapi.errors import (
    AuthenticationFailed,
    CertificateChanged,
    ConnectionClosed,
    ConnectionFailed,
    SessionInvalid,
    UntrustedCertificate,
    XapiError,
)
from .cache import ObjectCache, PreparedBatch

log = logging.getLogger(__name__)

DEFAULT_CLASSES: tuple[str, ...] = (
    "pool", "host", "SR", "VDI", "VBD", "VM", "VMSS", "task", "message",
)
CONNECTING = "connecting"
CONNECTED = "connected"
RECONNECTING = "reconnecting"
FAILED = "failed"
STOPPED = "stopped"


@dataclass(frozen=True)
class SyncState:
    """Where the sync stands, for the UI.

    ``kind`` is connecting, connected, reconnecting (``attempt`` counts from 1,
    ``reason`` says why, ``retry_in`` is the wait before the attempt), failed
    (``reason``; ``error`` is the exception) or stopped.
    """

    kind: str
    attempt: int = 0
    reason: str = ""
    retry_in: float = 0.0
    error: BaseException | None = None


@dataclass(frozen=True)
class Backoff:
    """Delays between reconnection attempts: ``initial * factor**(n-1)``, capped, ± jitter.

    ``max_attempts`` None retries forever.
    """

    initial: float = 1.0
    factor: float = 2.0
    maximum: float = 60.0
    jitter: float = 0.2  # fraction of the delay, either way
    max_attempts: int | None = None

    def delay(self, attempt: int, rng: random.Random) -> float:
        base = min(self.maximum, self.initial * self.factor ** max(0, attempt - 1))
        spread = base * self.jitter
        return max(0.0, base + rng.uniform(-spread, spread))


class _Reconnect(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Internal: drop the connection and make a new one."""

    def __init__(self, reason: str, error: BaseException) -> None:
        super().__init__(reason)
        self.reason = reason
        self.error = error


class PoolSync:
    """Feeds ``cache`` from one pool until :meth:`stop`.

    ``connect`` makes a logged-in :class:`Connection` (it is called again for
    every reconnection). ``on_state`` receives :class:`SyncState` changes.
    """

    def __init__(self, connect: Callable[[], Awaitable[Connection]], cache: ObjectCache, *,
                 classes: Sequence[str] = DEFAULT_CLASSES,
                 on_state: Callable[[SyncState], None] | None = None,
                 backoff: Backoff | None = None, poll_timeout: float = 30.0,
                 drift_cooldown: float = 10.0, rng: random.Random | None = None) -> None:
        self._connect = connect
        self.cache = cache
        self.classes = list(classes)
        self._on_state = on_state
        self.backoff = backoff or Backoff()
        self.poll_timeout = poll_timeout
        self.drift_cooldown = drift_cooldown
        self._rng = rng or random.Random()
        self.connection: Connection | None = None
        self.token = ""
        self.state = SyncState(STOPPED)
        self._stopping = False
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._resync_wanted = False
        self._drift_resynced: dict[str, float] = {}
        self.resyncs = 0  # full loads done, for tests and diagnostics

    # --- control --------------------------------------------------------------------

    def start(self) -> asyncio.Task[None]:
        """Run in the background on the current event loop; returns the task."""
        if self._task is None or self._task.done():
            self._stopping = False
            self._task = asyncio.get_running_loop().create_task(self.run(), name="pool-sync")
        return self._task

    async def stop(self) -> None:
        """Stop syncing: break the waiting event.from, close the connection, end the loop."""
        self._stopping = True
        self._wake.set()
        conn = self.connection
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()
        task = self._task
        if task is not None and task is not asyncio.current_task():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._set_state(SyncState(STOPPED))

    def request_resync(self) -> None:
        """Reload everything soon (e.g. a user's "Refresh")."""
        self._resync_wanted = True
        conn = self.connection
        if conn is not None and not conn.closed:
            # event.inject touches the pool, which ends the waiting event.from at once.
            conn.keep_alive(self._inject(conn))

    @staticmethod
    async def _inject(conn: Connection) -> None:
        try:
            await conn.call("event.inject", "pool", conn.info.pool_ref)
        except (XapiError, ConnectionFailed) as e:
            log.debug("event.inject failed: %s", e)

    # --- the loop -------------------------------------------------------------------

    async def run(self) -> None:
        """Connect, load, follow events, and recover, until :meth:`stop` or a fatal error."""
        attempt = 0
        self._set_state(SyncState(CONNECTING))
        while not self._stopping:
            try:
                if self.connection is None:
                    self.connection = await self._connect()
                await self._full_load()
                attempt = 0
                self._set_state(SyncState(CONNECTED))
                await self._follow()
            except _Resynced as e:
                # The first new session reloads at once; if sessions keep dying, back off.
                attempt += 1
                if attempt > 1 and not await self._wait_before_retry(
                        attempt, "session", e, keep_connection=True):
                    return
            except _Reconnect as e:
                if self._stopping:
                    break
                attempt += 1
                if not await self._wait_before_retry(attempt, e.reason, e.error):
                    return
            except (AuthenticationFailed, UntrustedCertificate, CertificateChanged) as e:
                # Retrying cannot help: the user has to act.
                await self._drop_connection()
                self._set_state(SyncState(FAILED, reason=str(e), error=e))
                return
            except ConnectionFailed as e:
                if self._stopping:
                    break
                await self._drop_connection()
                attempt += 1
                if not await self._wait_before_retry(attempt, e.reason, e):
                    return
            except SessionInvalid as e:
                # Raised by connect() or the initial load: treat like a dropped session.
                if self._stopping:
                    break
                attempt += 1
                await self._drop_connection()
                if not await self._wait_before_retry(attempt, "session", e):
                    return
            except XapiError as e:
                if self._stopping:
                    break
                log.warning("event.from failed (%s); reloading everything", e)
                attempt += 1
                if not await self._wait_before_retry(attempt, e.code, e, keep_connection=True):
                    return
            except Exception as e:
                log.exception("the pool sync stopped on an unexpected error")
                await self._drop_connection()
                self._set_state(SyncState(FAILED, reason=f"{type(e).__name__}: {e}", error=e))
                return
        await self._drop_connection()

    async def _wait_before_retry(self, attempt: int, reason: str, error: BaseException, *,
                                 keep_connection: bool = False) -> bool:
        """Announce and sleep before attempt ``attempt``; False when giving up or stopping."""
        limit = self.backoff.max_attempts
        if limit is not None and attempt > limit:
            await self._drop_connection()
            self._set_state(SyncState(FAILED, attempt=attempt - 1, reason=reason, error=error))
            return False
        if not keep_connection:
            await self._drop_connection()
        delay = self.backoff.delay(attempt, self._rng)
        self._set_state(SyncState(RECONNECTING, attempt=attempt, reason=reason,
                                  retry_in=delay, error=error))
        self._wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._wake.wait(), timeout=delay)
        return not self._stopping

    async def _drop_connection(self) -> None:
        conn, self.connection = self.connection, None
        if conn is not None:
            with contextlib.suppress(Exception):
                await conn.close()

    async def _full_load(self) -> None:
        conn = self._require_connection()
        batch = await self._event_from(conn, self.classes, "", 0.0)
        tables = await asyncio.to_thread(self.cache.tabulate, _prepared(batch))
        self.cache.load(tables, classes=self.classes)
        self.token = str(batch["token"])
        self._resync_wanted = False
        self.resyncs += 1

    async def _follow(self) -> None:
        while not self._stopping and not self._resync_wanted:
            conn = self._require_connection()
            batch = await self._event_from(conn, self.classes, self.token, self.poll_timeout)
            if self._stopping:
                return
            prepared = _prepared(batch)
            if prepared:
                self.cache.apply(prepared)
            self.token = str(batch["token"])
            counts = batch.get("valid_ref_counts")
            if counts:
                await self._fix_drift(conn, counts)

    async def _fix_drift(self, conn: Connection, counts: dict[str, Any]) -> None:
        drifting = self.cache.drift(counts)
        if not drifting:
            return
        now = time.monotonic()
        due = {cls for cls in drifting
               if now - self._drift_resynced.get(cls, -1e9) >= self.drift_cooldown}
        if not due:
            return
        log.info("object counts differ from the server for %s; reloading them",
                 ", ".join(sorted(due)))
        for cls in due:
            self._drift_resynced[cls] = now
        wanted = sorted(due)
        batch = await self._event_from(conn, wanted, "", 0.0)
        tables = await asyncio.to_thread(self.cache.tabulate, _prepared(batch))
        self.cache.load(tables, classes=wanted)

    async def _event_from(self, conn: Connection, classes: list[str], token: str,
                          timeout: float) -> dict[str, Any]:
        """One event.from; sessions are renewed and connection trouble becomes _Reconnect."""
        try:
            return await conn.event_from(classes, token, timeout,
                                         event_hook=self.cache.prepare_event)
        except ConnectionClosed as e:
            raise _Reconnect("closed", e) from e
        except (UntrustedCertificate, CertificateChanged):
            raise
        except ConnectionFailed as e:
            raise _Reconnect(e.reason, e) from e
        except SessionInvalid as e:
            log.info("the session expired; logging in again")
            try:
                await conn.relogin()
            except (AuthenticationFailed, UntrustedCertificate, CertificateChanged):
                raise
            except ConnectionFailed as failure:
                raise _Reconnect(failure.reason, failure) from failure
            # The events since the old session are unknown: start over from a full load.
            self._resync_wanted = True
            raise _Resynced from e

    def _require_connection(self) -> Connection:
        conn = self.connection
        if conn is None:
            raise _Reconnect("closed", ConnectionClosed())
        return conn

    def _set_state(self, state: SyncState) -> None:
        if state == self.state:
            return
        self.state = state
        if self._on_state is not None:
            try:
                self._on_state(state)
            except Exception:
                log.exception("sync state callback failed")


def _prepared(batch: dict[str, Any]) -> PreparedBatch:
    """The batch's events, which the event hook has already turned into prepared items."""
    return PreparedBatch(batch.get("events") or [])


class _Resynced(Exception):  # noqa: N818 - a control-flow signal, not an error
    """Internal: a new session is in place; reload from scratch."""
