"""One server connection as the window sees it: its cache, its sync state, Qt signals.

The Qt-free :class:`PoolSync` keeps the :class:`ObjectCache` current; this
wrapper turns its callbacks into signals so models and widgets can listen.
It runs on the qasync loop, which is the Qt thread; network calls and the
normalising of big batches happen on worker threads inside the client and
the sync.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

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

    def start(self) -> None:
        """Begin syncing on the running loop."""
        self._task = self.sync.start()

    async def stop(self) -> None:
        await self.sync.stop()

    def _on_state(self, state: SyncState) -> None:
        self.state = state
        self.stateChanged.emit(state)

    def _on_changes(self, changes: Changes) -> None:
        self.cacheChanged.emit(changes)
