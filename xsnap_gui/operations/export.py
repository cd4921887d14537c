"""Export a snapshot as an XVA file, with a size estimate, progress, rate and ETA.

The client streams ``/export`` to a hidden temporary file beside the
destination, verifies every chunk's checksum as it arrives and renames the file
into place only when the whole stream checked out; on cancel or failure the
temporary file is deleted. Nothing is held in memory beyond one read buffer.

xapi sends no length, and leaves all-zero chunks out, so the size of the file
is not known in advance: the estimate is a range (the data the disks hold, up
to their full virtual size) and the fraction done comes from the server's
export task, which counts disk bytes covered, zeros included.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..model.cache import ObjectCache
from ..model.views import VM
from ..xapi.client import Connection, ExportResult
from ..xapi.errors import ConnectionFailed, ExportError, XapiError
from ..xapi.tasks import CLIENT_ID_KEY, LABEL_KEY
from .common import Step, StepFailed
from .preflight import Finding, data_size, destination_findings, disks_of

log = logging.getLogger(__name__)

__all__ = [
    "ExportEstimate",
    "RateMeter",
    "TransferProgress",
    "destination_free",
    "export_estimate",
    "export_findings",
    "export_xva",
]

MiB = 1 << 20
EXPORT_SPARE = 100 * MiB  # XenCenter's margin on top of the disks
# Each 1 MiB chunk is preceded by a tar header and followed by its checksum member.
TAR_OVERHEAD_PER_CHUNK = 3 * 512
RATE_WINDOW = 5.0  # seconds of samples the transfer rate is measured over


@dataclass(frozen=True)
class ExportEstimate:
    at_least: int  # the data the disks hold
    at_most: int  # every disk in full, plus the tar's overhead and a margin


def export_estimate(cache: ObjectCache, ref: str) -> ExportEstimate:
    vdis = disks_of(cache, ref)
    vm = VM.get(cache, ref)
    suspend = vm.suspend_vdi if vm is not None else None
    if suspend is not None:
        vdis.append(suspend)
    virtual = sum(max(v.virtual_size, 0) for v in vdis)
    chunks = virtual // MiB + len(vdis)
    at_most = virtual + chunks * TAR_OVERHEAD_PER_CHUNK + EXPORT_SPARE
    at_least = sum(data_size(cache, v) for v in vdis)
    return ExportEstimate(at_least, at_most)


def destination_free(path: Path) -> int:
    """Free bytes on the file system that would hold ``path``."""
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def export_findings(estimate: ExportEstimate, path: Path, free: int | None = None) -> list[Finding]:
    available = destination_free(path) if free is None else free
    return destination_findings(estimate.at_least, estimate.at_most, available,
                                str(path.parent))


@dataclass(frozen=True)
class TransferProgress:
    received: int  # bytes written so far
    elapsed: float  # seconds since the download started
    bytes_per_second: float | None  # over the last few seconds; None until measurable
    fraction: float | None  # of the export done, from the server's task; None until known
    eta_seconds: float | None  # None until the fraction is known


class RateMeter:
    """Bytes per second over a sliding window of recent samples."""

    def __init__(self, window: float = RATE_WINDOW) -> None:
        self.window = window
        self._samples: collections.deque[tuple[float, int]] = collections.deque()

    def add(self, when: float, total: int) -> None:
        self._samples.append((when, total))
        while len(self._samples) > 2 and when - self._samples[1][0] >= self.window:
            self._samples.popleft()

    def rate(self) -> float | None:
        if len(self._samples) < 2:
            return None
        (t0, b0), (t1, b1) = self._samples[0], self._samples[-1]
        if t1 - t0 < 0.2:
            return None
        return max(0.0, (b1 - b0) / (t1 - t0))


def eta(elapsed: float, fraction: float | None) -> float | None:
    """Seconds left if the rest goes as fast as what is done; None before 1 %."""
    if fraction is None or fraction < 0.01 or elapsed <= 0:
        return None
    return max(0.0, elapsed * (1.0 - fraction) / fraction)


class _ExportWatch:
    """Finds the export's server task, labels it for the tasks panel, reads its progress."""

    def __init__(self, conn: Connection, ref: str, label: str | None,
                 on_poll: Callable[[], None]) -> None:
        self.conn = conn
        self.ref = ref
        self.label = label
        self.on_poll = on_poll
        self.task: str | None = None
        self.fraction: float | None = None

    async def _find(self) -> str | None:
        # The client names its export tasks "Export of <ref>" and tags them with its id.
        for task in await self.conn.call("task.get_by_name_label", f"Export of {self.ref}"):
            config = await self.conn.call("task.get_other_config", task)
            if config.get(CLIENT_ID_KEY) == self.conn.client_id and LABEL_KEY not in config:
                return str(task)
        return None

    async def run(self, interval: float) -> None:
        try:
            while True:
                if self.task is None:
                    self.task = await self._find()
                    if self.task is not None and self.label:
                        await self.conn.call("task.add_to_other_config", self.task, LABEL_KEY,
                                             self.label)
                if self.task is not None:
                    self.fraction = float(await self.conn.call("task.get_progress", self.task))
                    self.on_poll()
                await asyncio.sleep(interval)
        except (XapiError, ConnectionFailed) as e:
            # Only the display suffers (no label, no ETA); the download goes on.
            log.debug("watching the export task of %s stopped: %s", self.ref, e)


async def export_xva(conn: Connection, ref: str, dest: Path, *, overwrite: bool = False,
                     progress: Callable[[TransferProgress], None] | None = None,
                     label: str | None = None, poll_interval: float = 1.0,
                     clock: Callable[[], float] = time.monotonic) -> ExportResult:
    """Download the XVA of ``ref`` to ``dest``, verified; cancel by cancelling the coroutine.

    Raises StepFailed(EXPORT): the server refused or failed the export, the
    connection dropped, the stream did not verify, or the file could not be
    written (disk full, destination exists and not ``overwrite``). In every
    case, as on cancel, no file is left behind.
    """
    meter = RateMeter()
    started = clock()
    received_so_far = 0

    def report() -> None:
        if progress is not None:
            elapsed = clock() - started
            progress(TransferProgress(received_so_far, elapsed, meter.rate(), watch.fraction,
                                      eta(elapsed, watch.fraction)))

    def on_bytes(received: int, _total: int | None) -> None:
        nonlocal received_so_far
        received_so_far = received
        meter.add(clock(), received)
        report()

    # The server's fraction also moves while the stream skips zeros and sends nothing.
    watch = _ExportWatch(conn, ref, label, report)
    watcher = asyncio.ensure_future(watch.run(poll_interval))
    try:
        return await conn.download_export(ref, dest, progress=on_bytes, overwrite=overwrite)
    except (XapiError, ConnectionFailed, ExportError, OSError) as e:
        raise StepFailed(Step.EXPORT, e) from e
    finally:
        watcher.cancel()
        await asyncio.gather(watcher, return_exceptions=True)
