"""Running schedule operations from the windows, and telling the user how they went.

An operation is a coroutine from :mod:`xsnap_gui.operations.schedules` returning a
:class:`Report`. It runs on the qasync loop (its tasks show in the tasks panel);
when it ends with failures, a non-modal message lists what was done and what was
not, so the user knows the state the pool is in.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from ...operations.schedules import Report, Step
from ...xapi.errors import XapiError
from ..i18n import translate
from ..pool_session import PoolSession
from .common import names_in, report_text

log = logging.getLogger(__name__)


class ScheduleJobs(QObject):
    """The schedule operations in flight, with the schedules each one works on."""

    # (kind, Report): emitted when an operation ends, however it ended.
    finished = Signal(str, object)
    busyChanged = Signal()  # noqa: N815 - Qt naming

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._tasks: dict[asyncio.Task[Any], tuple[str, frozenset[str]]] = {}
        self.reports: list[QMessageBox] = []  # the messages shown, newest last

    @property
    def idle(self) -> bool:
        return not self._tasks

    def busy(self, ref: str) -> bool:
        return any(ref in refs for _, refs in self._tasks.values())

    def start(self, kind: str, session: PoolSession, work: Coroutine[Any, Any, Report], *,
              title: str, parent: QWidget | None, refs: Sequence[str] = (),
              done: Callable[[Report], None] | None = None) -> asyncio.Task[Any]:
        """Run ``work``; on failure show what happened under ``title``."""
        async def run() -> Report:
            try:
                return await work
            except XapiError as e:
                return Report(failed=[Step(kind, "", error=e)])
            except (OSError, RuntimeError) as e:  # connection trouble, closed sessions
                log.warning("schedule operation %s failed: %s", kind, e)
                return Report(failed=[Step(kind, "", error=XapiError(
                    "INTERNAL_ERROR", [str(e)], str(e)))])

        task = asyncio.ensure_future(run())
        self._tasks[task] = (kind, frozenset(refs))
        self.busyChanged.emit()

        def ended(t: asyncio.Task[Report]) -> None:
            self._tasks.pop(t, None)
            self.busyChanged.emit()
            if t.cancelled():
                return
            report = t.result()
            if not report.ok:
                self.show_report(session, report, title, parent)
            if done is not None:
                done(report)
            self.finished.emit(kind, report)

        task.add_done_callback(ended)
        return task

    def show_report(self, session: PoolSession, report: Report, title: str,
                    parent: QWidget | None) -> QMessageBox:
        refs = [s.target for s in (*report.done, *report.failed)]
        box = QMessageBox(QMessageBox.Icon.Warning, title, "", QMessageBox.StandardButton.Close,
                          parent)
        box.setObjectName("scheduleReport")
        box.setText(translate("Schedules",
                              "Not everything worked. The pool is now as listed below."))
        box.setInformativeText(report_text(report, names_in(session, refs)))
        box.setModal(False)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.reports = [b for b in self.reports if _alive(b)] + [box]
        box.open()
        return box


def _alive(widget: QWidget) -> bool:
    try:
        widget.objectName()
    except RuntimeError:  # its C++ side was deleted
        return False
    return True
