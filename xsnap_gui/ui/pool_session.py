"""One server connection as the window sees it: its cache, its sync state, Qt signals.

The Qt-free :class:`PoolSync` keeps the :class:`ObjectCache` current; this
wrapper turns its callbacks into signals so models and widgets can listen.
It runs on the qasync loop, which is the Qt thread; network calls and the
normalising of big batches happen on worker threads inside the client and
the sync.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Signal

from ..model.cache import Changes, ObjectCache
from ..model.sync import CONNECTING, PoolSync, SyncState
from ..xapi.client import Connection

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ServerSpec:
    """Where and as whom to connect. The password lives only in memory here."""

    name: str
    url: str
    username: str
    password: str
    trusted_fingerprint: str | None = None
    allow_plain_http: bool = False

    def __repr__(self) -> str:  # never show the password
        return f"ServerSpec(name={self.name!r}, url={self.url!r}, username={self.username!r})"


class PoolSession(QObject):
    """A live pool: ``cache`` plus ``stateChanged``/``cacheChanged`` signals."""

    stateChanged = Signal(object)  # SyncState  # noqa: N815 - Qt naming
    cacheChanged = Signal(object)  # Changes  # noqa: N815

    def __init__(self, spec: ServerSpec, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.cache = ObjectCache()
        self.state = SyncState(CONNECTING)
        self.cache.subscribe(self._on_changes)
        self.sync = PoolSync(self._connect, self.cache, on_state=self._on_state)
        self._task: asyncio.Task[None] | None = None

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def connection(self) -> Connection | None:
        conn = self.sync.connection
        return conn if conn is not None and not conn.closed else None

    async def _connect(self) -> Connection:
        s = self.spec
        return await Connection.connect(
            s.url, s.username, s.password, trusted_fingerprint=s.trusted_fingerprint,
            allow_plain_http=s.allow_plain_http,
        )

    def start(self, connection: Connection | None = None) -> None:
        """Begin syncing on the running loop.

        ``connection``, already logged in with this spec (e.g. by the Add Server
        dialog, which had to check the password anyway), is used instead of a new login.
        """
        if connection is not None:
            self.sync.connection = connection
        self._task = self.sync.start()

    async def stop(self) -> None:
        await self.sync.stop()

    async def restart(self, connection: Connection | None = None) -> None:
        """Stop syncing (closing the connection) and start again, with the current spec."""
        if self.running:
            await self.sync.stop()
        # stop() closed the old connection; make sure run() does not pick it up again.
        self.sync.connection = None
        self.start(connection)

    @property
    def running(self) -> bool:
        """Whether the sync is active (connecting, connected or reconnecting)."""
        return self._task is not None and not self._task.done()

    def update_spec(self, **changes: Any) -> None:
        """Change connection details (password, trusted_fingerprint, url, …).

        They apply from the next new connection on (a reconnection after a drop,
        or :meth:`restart`); a live connection re-logs in with what it was made with.
        """
        self.spec = dataclasses.replace(self.spec, **changes)

    def announce(self, state: SyncState) -> None:
        """Show a state the sync is not running in: never started, waiting for a password.

        Only for a session that is not :attr:`running`; the sync's own states win.
        """
        if self.running:
            return
        self.sync.state = state
        self._on_state(state)

    def _on_state(self, state: SyncState) -> None:
        self.state = state
        self.stateChanged.emit(state)

    def _on_changes(self, changes: Changes) -> None:
        self.cacheChanged.emit(changes)
