"""Runs the operations for the window: one asyncio task per job, held until it ends.

A job's server tasks carry our labels, so they show in the tasks panel with
readable names and live progress; the Snapshots tab shows "Now" as busy while a
snapshot or revert of the VM it shows runs; failures are shown the one
consistent way (:mod:`.errors`). Dialogs never wait inside a coroutine: they
start a job and react to its ``finished`` callback.
"""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox

from ...operations.common import EXPECTED_ERRORS, StepFailed
from ...xapi.client import Connection
from ...xapi.errors import ConnectionClosed
from ..pool_session import PoolSession
from .errors import present_error

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger(__name__)


@dataclass(eq=False)
class Job:
    """One operation the user started."""

    title: str  # the dialog's title, reused for its error message
    session: PoolSession
    work: Callable[[Connection], Awaitable[Any]]
    vm_ref: str | None = None
    busy: bool = False  # show "Now" as busy while it runs (snapshot, revert)
    on_success: Callable[[Any], None] | None = None
    # Called instead of the standard error message; return True when it was handled.
    on_failure: Callable[[BaseException], bool] | None = None
    on_finished: Callable[[Job], None] | None = None
    task: asyncio.Task[None] | None = field(default=None, repr=False)
    result: Any = None
    error: BaseException | None = None
    cancelled: bool = False
    finished: bool = False

    def cancel(self) -> None:
        """Cancel the job; the client cancels the server task where xapi allows it."""
        if self.task is not None and not self.task.done():
            self.task.cancel()


class OperationRunner(QObject):
    jobStarted = Signal(object)  # noqa: N815 - Qt naming; the Job
    jobFinished = Signal(object)  # noqa: N815

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setObjectName("operationRunner")
        self.window = window
        self.jobs: list[Job] = []  # running ones
        self.last_job: Job | None = None
        self.error_boxes: list[QMessageBox] = []  # the last few errors shown
        self._busy: Counter[tuple[int, str]] = Counter()
        window.vmSelected.connect(lambda _session, _vm: self._apply_busy())

    def run(self, job: Job) -> Job:
        self.last_job = job
        conn = job.session.connection
        if conn is None:
            job.error = ConnectionClosed(job.session.spec.url)
            job.finished = True
            self._show_error(job, job.error)
            return job
        if job.busy and job.vm_ref is not None:
            self._busy[(id(job.session), job.vm_ref)] += 1
            self._apply_busy()
        self.jobs.append(job)
        job.task = asyncio.ensure_future(self._drive(job, conn))
        self.jobStarted.emit(job)
        return job

    def is_busy(self, session: PoolSession, vm_ref: str) -> bool:
        return self._busy[(id(session), vm_ref)] > 0

    async def _drive(self, job: Job, conn: Connection) -> None:
        try:
            job.result = await job.work(conn)
        except asyncio.CancelledError:
            job.cancelled = True
        except StepFailed as e:
            job.error = e
            log.info("%s failed: %s", job.title, e)
        except EXPECTED_ERRORS as e:
            job.error = e
            log.info("%s failed: %s", job.title, e)
        except Exception as e:  # a bug must still reach the user, not vanish in a task
            job.error = e
            log.exception("%s failed unexpectedly", job.title)
        finally:
            job.finished = True
            self._finish(job)

    def _finish(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        if job.busy and job.vm_ref is not None:
            key = (id(job.session), job.vm_ref)
            self._busy[key] -= 1
            if self._busy[key] <= 0:
                del self._busy[key]
            self._apply_busy()
        if job.error is not None:
            handled = job.on_failure(job.error) if job.on_failure is not None else False
            if not handled:
                self._show_error(job, job.error)
        elif not job.cancelled and job.on_success is not None:
            job.on_success(job.result)
        if job.on_finished is not None:
            job.on_finished(job)
        self.jobFinished.emit(job)

    def _show_error(self, job: Job, error: BaseException) -> None:
        box = present_error(self.window, job.title, error)
        self.error_boxes = [*self.error_boxes[-4:], box]
        box.destroyed.connect(lambda *_: self._forget_box(box))

    def _forget_box(self, box: QMessageBox) -> None:
        if box in self.error_boxes:
            self.error_boxes.remove(box)

    def _apply_busy(self) -> None:
        session, vm = self.window.current_session, self.window.current_vm
        busy = session is not None and vm is not None and self.is_busy(session, vm)
        self.window.snapshots_tab.set_busy(busy)
