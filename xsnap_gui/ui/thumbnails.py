"""Snapshot screenshots: the ``XenCenter.VNCSnapshot`` blobs, fetched lazily and kept.

XenCenter stores a JPEG of the console next to a checkpoint as a blob of the
snapshot VM. Its bytes are not part of any record: they come from
``GET /blob?ref=…&session_id=…`` on the coordinator. :class:`ThumbnailCache`
does that GET on a worker thread (through the connection's own endpoint
rules: the same scheme, host and pinned certificate as its RPC calls), keeps
the bytes per blob ref, and says ``ready(blob_ref)`` when they arrive, so the
tab can redraw. A blob that cannot be fetched is not asked for again until
the connection changes (a new login may have new rights).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import concurrent.futures
import logging
import urllib.parse
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from ..xapi.client import Connection
from ..xapi.errors import ConnectionFailed
from ..xapi.transport import USER_AGENT, parse_url

log = logging.getLogger(__name__)

FETCH_TIMEOUT = 20.0
MAX_THUMBNAIL_BYTES = 8 * 1024 * 1024  # a console screenshot is tens of KiB; refuse junk
FETCH_THREADS = 2

Fetcher = Callable[[str, str | None, str, str, float], bytes]


class BlobFetchError(Exception):
    """The blob could not be fetched (HTTP status, size, or a connection problem)."""


def fetch_blob(url: str, pin: str | None, session_ref: str, blob_ref: str,
               timeout: float = FETCH_TIMEOUT) -> bytes:
    """``GET /blob`` from the coordinator at ``url``; blocking, for a worker thread."""
    endpoint = parse_url(url, allow_plain_http=True, pin=pin)
    path = "/blob?" + urllib.parse.urlencode({"ref": blob_ref, "session_id": session_ref})
    conn = endpoint.http_connection(timeout)
    try:
        conn.request("GET", path, headers={"User-Agent": USER_AGENT})
        response = conn.getresponse()
        if response.status != 200:
            raise BlobFetchError(f"HTTP {response.status} {response.reason}")
        data = response.read(MAX_THUMBNAIL_BYTES + 1)
        if len(data) > MAX_THUMBNAIL_BYTES:
            raise BlobFetchError("the screenshot blob is implausibly large")
        return data
    except BlobFetchError:
        raise
    except Exception as e:  # socket, TLS and pinning errors alike: no screenshot, not a crash
        raise BlobFetchError(str(e) or type(e).__name__) from e
    finally:
        conn.close()


def decode_inline(text: str) -> bytes | None:
    """The base64 screenshot XenCenter once kept in other_config, or None if unusable."""
    try:
        data = base64.b64decode(text, validate=False)
    except (binascii.Error, ValueError):
        return None
    return data or None


_executor: concurrent.futures.ThreadPoolExecutor | None = None


def _fetch_executor() -> concurrent.futures.ThreadPoolExecutor:
    """Threads shared by every cache: a few small GETs never need more."""
    global _executor  # one lazily made pool for the process
    if _executor is None:
        _executor = concurrent.futures.ThreadPoolExecutor(
            FETCH_THREADS, thread_name_prefix="xsnap-thumbnails")
    return _executor


class ThumbnailCache(QObject):
    """Screenshot bytes by blob ref, fetched on demand; ``ready`` fires as each arrives."""

    ready = Signal(str)  # blob ref

    def __init__(self, parent: QObject | None = None, *, fetcher: Fetcher = fetch_blob) -> None:
        super().__init__(parent)
        self._fetcher = fetcher
        self._data: dict[str, bytes] = {}
        self._failed: dict[str, int] = {}  # blob ref -> id() of the connection that failed
        self._pending: dict[str, asyncio.Task[None]] = {}

    def get(self, conn: Connection | None, blob_ref: str | None, inline: str = "") -> bytes | None:
        """The bytes if known; otherwise start fetching them (when connected) and return None."""
        if blob_ref is None:
            return decode_inline(inline) if inline else None
        data = self._data.get(blob_ref)
        if data is not None:
            return data
        if conn is None or conn.closed or blob_ref in self._pending:
            return None
        if self._failed.get(blob_ref) == id(conn):
            return decode_inline(inline) if inline else None
        try:
            loop = asyncio.get_event_loop()
        except RuntimeError:  # no event loop in this thread: nothing can be fetched
            return None
        self._pending[blob_ref] = loop.create_task(self._fetch(conn, blob_ref))
        return None

    def peek(self, blob_ref: str | None) -> bytes | None:
        return self._data.get(blob_ref) if blob_ref is not None else None

    def is_fetching(self, blob_ref: str) -> bool:
        return blob_ref in self._pending

    async def _fetch(self, conn: Connection, blob_ref: str) -> None:
        try:
            info = conn.info
            loop = asyncio.get_running_loop()
            data = await loop.run_in_executor(_fetch_executor(), self._fetcher, conn.url,
                                              info.certificate_fingerprint, info.session_ref,
                                              blob_ref, FETCH_TIMEOUT)
        except (BlobFetchError, ConnectionFailed, RuntimeError, ValueError) as e:
            # RuntimeError: the interpreter is shutting the executor down; ValueError: a bad URL.
            log.info("no screenshot for blob %s: %s", blob_ref, e)
            self._failed[blob_ref] = id(conn)
            return
        finally:
            self._pending.pop(blob_ref, None)
        self._data[blob_ref] = data
        self.ready.emit(blob_ref)

    def cancel(self) -> None:
        """Stop waiting for fetches in flight (their results are dropped)."""
        for task in list(self._pending.values()):
            task.cancel()
        self._pending.clear()
