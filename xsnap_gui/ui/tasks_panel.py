"""The tasks panel: every task of every connected pool, live, with cancel.

:class:`TasksModel` lists the ``task`` objects of its sessions' caches: tasks
this application started (tagged with ``xsnap-gui:client-id``), tasks of other
clients, of ``xe`` and of snapshot schedules (``ShowInXenCenter``). Rows follow
``cacheChanged`` incrementally: inserted, updated, never reset.

Clients destroy their tasks once they have read the result (this application
does too), so a finished task often vanishes from the server moments after it
ends. The model keeps the last record it saw of every task that finished or
vanished until the user clears finished tasks. A task that vanished while it
still looked pending is shown as "Ended": its outcome was never seen.

Subtasks (``subtask_of`` set) are xapi's internal steps of another task and are
not listed.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import functools
import html
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..model.cache import Changes, ObjectCache, Record
from ..model.sync import CONNECTED, SyncState
from ..xapi.errors import ConnectionFailed, XapiError, from_failure
from ..xapi.tasks import APPLIES_TO_KEY, CLIENT_ID_KEY, LABEL_KEY
from . import icons
from .pool_session import PoolSession

log = logging.getLogger(__name__)

_NO_PARENT = QModelIndex()  # the root, as a default argument
AnyIndex = QModelIndex | QPersistentModelIndex
SHOW_IN_XENCENTER_KEY = "ShowInXenCenter"  # set on tasks of snapshot schedule runs

TASK, TARGET, SERVER, PROGRESS, ELAPSED, ETA, STATUS = range(7)
COLUMN_COUNT = 7

RefRole = Qt.ItemDataRole.UserRole + 1  # the task's ref
SessionRole = Qt.ItemDataRole.UserRole + 2  # the PoolSession it belongs to
StatusRole = Qt.ItemDataRole.UserRole + 3  # pending, cancelling, success, failure, cancelled, ended
ProgressRole = Qt.ItemDataRole.UserRole + 4  # float 0..1
CancellableRole = Qt.ItemDataRole.UserRole + 5  # bool
OriginRole = Qt.ItemDataRole.UserRole + 6  # this-app, schedule or other
ErrorCodeRole = Qt.ItemDataRole.UserRole + 7  # the failure's code ("" when none)

PENDING = "pending"
CANCELLING = "cancelling"
SUCCESS = "success"
FAILURE = "failure"
CANCELLED = "cancelled"
ENDED = "ended"  # vanished from the server while it still looked pending
UNFINISHED = frozenset({PENDING, CANCELLING})

THIS_APP = "this-app"
SCHEDULE = "schedule"
OTHER = "other"

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_STATUS_ICONS = {
    PENDING: "task-pending",
    CANCELLING: "task-cancelling",
    SUCCESS: "task-success",
    FAILURE: "task-failure",
    CANCELLED: "task-cancelled",
    ENDED: "task-ended",
}


def format_duration(seconds: float) -> str:
    """``42`` → ``0:42``, ``3725`` → ``1:02:05`` (clock style, the same in every language)."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def _time(value: Any) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
    return None if aware <= _EPOCH else aware


def _format_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    moment = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


@dataclass(eq=False)
class _Row:
    """One task as the panel knows it: the last record seen, and what was learnt on the way."""

    session: PoolSession
    ref: str
    rec: Record
    key: tuple[float, str]  # newest first
    gone: bool = False  # the server no longer has it
    target: str = ""  # resolved once and kept: the object may go before the task does
    target_tip: str = ""
    first_seen: float = 0.0  # clock() when the panel first saw it
    first_progress: float = 0.0
    progress_at: float = 0.0  # clock() when the progress last changed
    cancel_requested: bool = False
    cancel_error: str = ""
    finished_seen: float | None = None  # clock() when it was first seen finished

    @property
    def status(self) -> str:
        status = str(self.rec.get("status") or PENDING)
        if status == PENDING:
            if self.gone:
                return ENDED
            operations = self.rec.get("current_operations") or {}
            if self.cancel_requested or "cancel" in operations.values():
                return CANCELLING
        return status

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED

    @property
    def progress(self) -> float:
        value = self.rec.get("progress")
        return min(1.0, max(0.0, float(value))) if isinstance(value, int | float) else 0.0

    @property
    def other_config(self) -> dict[str, str]:
        value = self.rec.get("other_config")
        return value if isinstance(value, dict) else {}


def _row_key(rec: Record, ref: str) -> tuple[float, str]:
    created = _time(rec.get("created"))
    return (-(created.timestamp() if created else 0.0), ref)


_row_key_of = lambda row: row.key  # noqa: E731 - a bisect key


class TasksModel(QAbstractTableModel):
    """The tasks of every added session, newest first.

    ``clock`` (monotonic seconds) and ``utc_now`` are injectable for tests;
    ``max_finished`` bounds how many finished rows are kept (the oldest go first).
    """

    cancelFailed = Signal(str)  # readable reason  # noqa: N815 - Qt naming

    def __init__(self, parent: QObject | None = None, *,
                 clock: Callable[[], float] = time.monotonic,
                 utc_now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
                 max_finished: int = 2000, tick_ms: int = 1000) -> None:
        super().__init__(parent)
        self._clock = clock
        self._utc_now = utc_now
        self.max_finished = max_finished
        self._rows: list[_Row] = []
        self._by_ref: dict[tuple[int, str], _Row] = {}
        self._sessions: list[PoolSession] = []
        self._slots: dict[int, Callable[[Changes], None]] = {}
        self._state_slots: dict[int, Callable[[SyncState], None]] = {}
        self._dismissed: dict[int, set[str]] = {}  # per session: cleared finished tasks
        self._own_clients: dict[int, set[str]] = {}  # per session: our connections' ids
        self._time_offsets: dict[int, dt.timedelta] = {}  # server clock - local clock
        self._cancels: set[asyncio.Task[None]] = set()
        self._ticker = QTimer(self)
        self._ticker.setInterval(tick_ms)
        self._ticker.timeout.connect(self._tick)

    # --- sessions ---------------------------------------------------------------------

    def sessions(self) -> list[PoolSession]:
        return list(self._sessions)

    def add_session(self, session: PoolSession) -> None:
        if session in self._sessions:
            return
        key = id(session)
        self._sessions.append(session)
        self._dismissed[key] = set()
        self._own_clients[key] = set()
        slot = functools.partial(self._on_cache_changed, session)
        self._slots[key] = slot
        session.cacheChanged.connect(slot)
        state_slot = functools.partial(self._on_state_changed, session)
        self._state_slots[key] = state_slot
        session.stateChanged.connect(state_slot)
        self._learn_connection(session)
        records = session.cache.records("task")
        self._add(session, list(records))

    def remove_session(self, session: PoolSession) -> None:
        if session not in self._sessions:
            return
        key = id(session)
        session.cacheChanged.disconnect(self._slots.pop(key))
        session.stateChanged.disconnect(self._state_slots.pop(key))
        self._sessions.remove(session)
        self._remove_rows([r for r in self._rows if r.session is session])
        self._dismissed.pop(key, None)
        self._own_clients.pop(key, None)
        self._time_offsets.pop(key, None)

    def _learn_connection(self, session: PoolSession) -> None:
        """Note the current connection's client id and the server's clock offset."""
        conn = session.connection
        if conn is None:
            return
        key = id(session)
        self._own_clients[key].add(conn.client_id)
        try:
            self._time_offsets[key] = conn.info.server_time_offset
        except ConnectionFailed:
            pass  # closed meanwhile; keep what was known

    # --- rows -------------------------------------------------------------------------

    def row_of(self, session: PoolSession, ref: str) -> int:
        """The row showing ``ref`` of ``session``, or -1."""
        row = self._by_ref.get((id(session), ref))
        return self._row_number(row) if row is not None else -1

    def _row_number(self, row: _Row) -> int:
        at = bisect.bisect_left(self._rows, row.key, key=_row_key_of)
        if at < len(self._rows) and self._rows[at] is row:
            return at
        return self._rows.index(row)

    def _row_at(self, index: AnyIndex) -> _Row | None:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._rows[index.row()]

    def _listed(self, rec: Record) -> bool:
        return rec.get("subtask_of") is None

    def _add(self, session: PoolSession, refs: Iterable[str]) -> None:
        cache = session.cache
        dismissed = self._dismissed[id(session)]
        now = self._clock()
        new_rows = []
        for ref in refs:
            rec = cache.get("task", ref)
            if rec is None or ref in dismissed or not self._listed(rec):
                continue
            if (id(session), ref) in self._by_ref:
                continue
            row = _Row(session, ref, rec, _row_key(rec, ref), first_seen=now,
                       first_progress=0.0, progress_at=now)
            row.first_progress = row.progress
            self._resolve_target(row, cache)
            if row.finished:
                row.finished_seen = now
            new_rows.append(row)
        if not new_rows:
            return
        new_rows.sort(key=_row_key_of)
        # Insert in runs: rows that land between the same two existing rows go together.
        i = 0
        while i < len(new_rows):
            at = bisect.bisect_left(self._rows, new_rows[i].key, key=_row_key_of)
            limit = self._rows[at].key if at < len(self._rows) else None
            j = i + 1
            while j < len(new_rows) and (limit is None or new_rows[j].key < limit):
                j += 1
            self.beginInsertRows(QModelIndex(), at, at + (j - i) - 1)
            self._rows[at:at] = new_rows[i:j]
            for row in new_rows[i:j]:
                self._by_ref[(id(session), row.ref)] = row
            self.endInsertRows()
            i = j
        self._trim_finished()
        self._update_ticker()

    def _remove_rows(self, rows: Iterable[_Row]) -> None:
        numbers = sorted((self._row_number(r) for r in rows), reverse=True)
        i = 0
        while i < len(numbers):
            last = first = numbers[i]
            i += 1
            while i < len(numbers) and numbers[i] == first - 1:
                first = numbers[i]
                i += 1
            self.beginRemoveRows(QModelIndex(), first, last)
            for row in self._rows[first:last + 1]:
                self._by_ref.pop((id(row.session), row.ref), None)
            del self._rows[first:last + 1]
            self.endRemoveRows()
        self._update_ticker()

    def _rows_changed(self, rows: Iterable[_Row], first_column: int = 0,
                      last_column: int = COLUMN_COUNT - 1) -> None:
        numbers = sorted(self._row_number(r) for r in rows)
        if not numbers:
            return
        # One signal per run of adjacent rows.
        start = prev = numbers[0]
        for n in [*numbers[1:], None]:
            if n is not None and n == prev + 1:
                prev = n
                continue
            self.dataChanged.emit(self.index(start, first_column),
                                  self.index(prev, last_column))
            if n is not None:
                start = prev = n

    def _trim_finished(self) -> None:
        finished = [r for r in self._rows if r.finished]
        excess = len(finished) - self.max_finished
        if excess > 0:
            finished.sort(key=lambda r: r.finished_seen or 0.0)
            self._remove_rows(finished[:excess])

    # --- live updates -----------------------------------------------------------------

    def _on_state_changed(self, session: PoolSession, _state: SyncState) -> None:
        # Whether a task can be cancelled depends on the connection.
        self._learn_connection(session)
        self._rows_changed([r for r in self._rows if r.session is session and not r.finished],
                           STATUS, STATUS)

    def _on_cache_changed(self, session: PoolSession, changes: Changes) -> None:
        self._learn_connection(session)
        if not changes.touched("task"):
            return
        cache = session.cache
        key = id(session)
        now = self._clock()
        touched: list[_Row] = []
        added: list[str] = []
        for ref in changes.added("task") | changes.modified("task"):
            row = self._by_ref.get((key, ref))
            rec = cache.get("task", ref)
            if rec is None:
                continue
            if row is None:
                added.append(ref)
                continue
            self._refresh(row, rec, now, cache)
            touched.append(row)
        for ref in changes.removed("task"):
            self._dismissed[key].discard(ref)  # the server forgot it; so can we
            row = self._by_ref.get((key, ref))
            if row is None:
                continue
            last = changes.removed_records.get(ref)
            if last is not None and last is not row.rec:
                self._refresh(row, last, now, cache)
            row.gone = True
            if row.finished_seen is None:
                row.finished_seen = now
            touched.append(row)
        self._rows_changed(touched)
        self._add(session, added)
        self._trim_finished()
        self._update_ticker()

    def _refresh(self, row: _Row, rec: Record, now: float, cache: ObjectCache) -> None:
        before = row.progress
        row.rec = rec
        if row.progress != before:
            row.progress_at = now
        if not row.target:
            self._resolve_target(row, cache)
        if row.finished:
            row.cancel_requested = False
            if row.finished_seen is None:
                row.finished_seen = now

    def _update_ticker(self) -> None:
        running = any(not r.finished for r in self._rows)
        if running and not self._ticker.isActive():
            self._ticker.start()
        elif not running and self._ticker.isActive():
            self._ticker.stop()

    def _tick(self) -> None:
        pending = [r for r in self._rows if not r.finished]
        self._rows_changed(pending, ELAPSED, ETA)
        self._update_ticker()

    # --- user actions -----------------------------------------------------------------

    def clear_finished(self) -> int:
        """Forget every finished task (they do not come back); returns how many went."""
        finished = [r for r in self._rows if r.finished]
        for row in finished:
            if not row.gone:
                self._dismissed[id(row.session)].add(row.ref)
        self._remove_rows(finished)
        return len(finished)

    def has_finished(self) -> bool:
        return any(r.finished for r in self._rows)

    def can_cancel(self, index: AnyIndex) -> bool:
        row = self._row_at(index)
        return row is not None and self._cancellable(row)

    def _cancellable(self, row: _Row) -> bool:
        operations = row.rec.get("allowed_operations") or ()
        return (row.status == PENDING and "cancel" in operations and not row.gone
                and row.session.connection is not None
                and row.session.state.kind == CONNECTED)

    def cancel(self, index: AnyIndex) -> asyncio.Task[None] | None:
        """Ask the server to cancel the task (in the background); None if it cannot be."""
        row = self._row_at(index)
        if row is None or not self._cancellable(row):
            return None
        conn = row.session.connection
        assert conn is not None
        row.cancel_requested = True
        row.cancel_error = ""
        self._rows_changed([row])
        task = asyncio.ensure_future(self._cancel(row, conn))
        self._cancels.add(task)
        task.add_done_callback(self._cancels.discard)
        return task

    async def _cancel(self, row: _Row, conn: Any) -> None:
        try:
            await conn.call("task.cancel", row.ref)
        except (XapiError, ConnectionFailed) as e:
            row.cancel_requested = False
            row.cancel_error = e.message if isinstance(e, XapiError) else str(e)
            log.info("cancelling task %s failed: %s", row.ref, e)
            if (id(row.session), row.ref) in self._by_ref:
                self._rows_changed([row])
            self.cancelFailed.emit(self.tr("Could not cancel “%1”: %2").replace(
                "%1", self._task_name(row)).replace("%2", row.cancel_error))

    # --- Qt model interface -----------------------------------------------------------

    def rowCount(self, parent: AnyIndex = _NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = _NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 0 if parent.isValid() else COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            side = Qt.AlignmentFlag.AlignRight if section in (ELAPSED, ETA) \
                else Qt.AlignmentFlag.AlignLeft
            return int(side | Qt.AlignmentFlag.AlignVCenter)
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = {
            TASK: self.tr("Task"),
            TARGET: self.tr("Target"),
            SERVER: self.tr("Server"),
            PROGRESS: self.tr("Progress"),
            ELAPSED: self.tr("Elapsed"),
            ETA: self.tr("Remaining"),
            STATUS: self.tr("Status"),
        }
        return titles.get(section)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: AnyIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self._row_at(index)
        if row is None:
            return None
        if role == RefRole:
            return row.ref
        if role == SessionRole:
            return row.session
        if role == StatusRole:
            return row.status
        if role == ProgressRole:
            return row.progress
        if role == CancellableRole:
            return self._cancellable(row)
        if role == OriginRole:
            return self._origin(row)[0]
        if role == ErrorCodeRole:
            info = row.rec.get("error_info") or []
            return str(info[0]) if info and row.status == FAILURE else ""
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == Qt.ItemDataRole.DecorationRole and column == STATUS:
            return icons.icon(_STATUS_ICONS.get(row.status, "task-ended"))
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (ELAPSED, ETA):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    # --- texts ------------------------------------------------------------------------

    def _display(self, row: _Row, column: int) -> str | None:
        if column == TASK:
            return self._task_name(row)
        if column == TARGET:
            return row.target
        if column == SERVER:
            return row.session.name
        if column == PROGRESS:
            return self.tr("%1%").replace("%1", str(round(row.progress * 100)))
        if column == ELAPSED:
            elapsed = self._elapsed(row)
            return format_duration(elapsed) if elapsed is not None else ""
        if column == ETA:
            eta = self._eta(row)
            return format_duration(eta) if eta is not None else ""
        if column == STATUS:
            return self._status_text(row)
        return None

    def _task_name(self, row: _Row) -> str:
        own_label = row.other_config.get(LABEL_KEY)
        if own_label:
            return own_label
        label = str(row.rec.get("name_label") or "")
        method = label.removeprefix("Async.")
        known = self._method_names().get(method)
        if known is not None:
            return known
        if label.startswith("Export of VM:"):
            return self.tr("Export")
        if label.startswith("VM import") or method == "import":
            return self.tr("Import")
        return label or self.tr("Task")

    def _method_names(self) -> dict[str, str]:
        return {
            "VM.snapshot": self.tr("Snapshot"),
            "VM.checkpoint": self.tr("Snapshot with memory"),
            "VM.snapshot_with_quiesce": self.tr("Quiesced snapshot"),
            "VM.revert": self.tr("Revert to snapshot"),
            "VM.destroy": self.tr("Delete"),
            "VM.clone": self.tr("Clone"),
            "VM.copy": self.tr("Copy"),
            "VM.provision": self.tr("Provision"),
            "VM.start": self.tr("Start"),
            "VM.start_on": self.tr("Start"),
            "VM.clean_shutdown": self.tr("Shut down"),
            "VM.shutdown": self.tr("Shut down"),
            "VM.hard_shutdown": self.tr("Force shutdown"),
            "VM.clean_reboot": self.tr("Reboot"),
            "VM.hard_reboot": self.tr("Force reboot"),
            "VM.suspend": self.tr("Suspend"),
            "VM.resume": self.tr("Resume"),
            "VM.resume_on": self.tr("Resume"),
            "VM.pause": self.tr("Pause"),
            "VM.unpause": self.tr("Unpause"),
            "VM.pool_migrate": self.tr("Migrate"),
            "VM.export": self.tr("Export"),
            "export": self.tr("Export"),
            "VMSS.create": self.tr("Create snapshot schedule"),
            "VMSS.destroy": self.tr("Delete snapshot schedule"),
            "VMSS.snapshot_now": self.tr("Run snapshot schedule"),
            "VDI.destroy": self.tr("Delete disk"),
            "VDI.snapshot": self.tr("Disk snapshot"),
            "VDI.clone": self.tr("Clone disk"),
            "VDI.copy": self.tr("Copy disk"),
            "SR.scan": self.tr("Rescan storage"),
        }

    def _status_text(self, row: _Row) -> str:
        status = row.status
        if status == PENDING:
            return self.tr("In progress")
        if status == CANCELLING:
            return self.tr("Cancelling…")
        if status == SUCCESS:
            return self.tr("Done")
        if status == CANCELLED:
            return self.tr("Cancelled")
        if status == ENDED:
            return self.tr("Ended")
        if status == FAILURE:
            error = self._error(row)
            return self.tr("Failed: %1").replace("%1", error.message) if error \
                else self.tr("Failed")
        return status

    @staticmethod
    def _error(row: _Row) -> XapiError | None:
        info = row.rec.get("error_info") or []
        return from_failure([str(x) for x in info]) if info else None

    def _origin(self, row: _Row) -> tuple[str, str]:
        """(origin kind, readable sentence)."""
        config = row.other_config
        client = config.get(CLIENT_ID_KEY)
        if client is not None and client in self._own_clients.get(id(row.session), ()):
            return THIS_APP, self.tr("Started by this application")
        if SHOW_IN_XENCENTER_KEY in config:
            schedule = self._schedule_name(row)
            if schedule:
                return SCHEDULE, self.tr("Started by snapshot schedule “%1”").replace(
                    "%1", schedule)
            return SCHEDULE, self.tr("Started by a snapshot schedule")
        if client is not None:
            return OTHER, self.tr("Started by another copy of this application")
        return OTHER, self.tr("Started by another client")

    def _schedule_name(self, row: _Row) -> str:
        cache = row.session.cache
        for ref in self._applies_to(row):
            vm = cache.get("VM", ref)
            vmss = cache.get("VMSS", vm.get("snapshot_schedule")) if vm else None
            if vmss is not None:
                return str(vmss.get("name_label") or "")
        return ""

    @staticmethod
    def _applies_to(row: _Row) -> list[str]:
        text = row.other_config.get(APPLIES_TO_KEY, "")
        return [part.strip() for part in text.split(",") if part.strip()]

    def _resolve_target(self, row: _Row, cache: ObjectCache) -> None:
        names = []
        tips = []
        for ref in self._applies_to(row):
            found = cache.find(ref)
            if found is None:
                continue
            cls, rec = found
            name = str(rec.get("name_label") or rec.get("name") or "")
            if not name:
                continue
            if cls == "VM" and rec.get("is_a_snapshot"):
                owner = cache.get("VM", rec.get("snapshot_of"))
                tips.append(self.tr("Snapshot “%1” of %2").replace("%1", name).replace(
                    "%2", str(owner.get("name_label") or "") if owner else "?"))
            else:
                tips.append(name)
            names.append(name)
        label = str(row.rec.get("name_label") or "")
        if not names and label.startswith("Export of VM:"):
            # xapi's own export tasks name the VM by uuid (or ref) in their label.
            wanted = label.partition(":")[2].strip()
            ref = cache.by_uuid("VM", wanted) or wanted
            exported = cache.get("VM", ref)
            if exported is not None:
                names.append(str(exported.get("name_label") or ""))
                tips.append(names[-1])
        if names:
            row.target = ", ".join(names)
            row.target_tip = "<br>".join(html.escape(t) for t in tips)

    def _elapsed(self, row: _Row) -> float | None:
        created = _time(row.rec.get("created"))
        if created is None:
            return None
        finished = _time(row.rec.get("finished"))
        if row.finished:
            if finished is not None:
                return max(0.0, (finished - created).total_seconds())
            return None
        offset = self._time_offsets.get(id(row.session), dt.timedelta(0))
        return max(0.0, (self._utc_now() + offset - created).total_seconds())

    def _eta(self, row: _Row) -> float | None:
        """Seconds left, from the progress rate; None when it cannot be told."""
        if row.finished:
            return None
        progress = row.progress
        if progress <= 0.0 or progress >= 1.0:
            return None
        now = self._clock()
        # The rate seen since the panel first saw the task, when it has moved since then…
        watched = row.progress_at - row.first_seen
        if progress > row.first_progress and watched > 0:
            rate = (progress - row.first_progress) / watched
            return max(0.0, (1.0 - progress) / rate - (now - row.progress_at))
        # …else the average since the task was created.
        elapsed = self._elapsed(row)
        if elapsed is None or elapsed <= 0:
            return None
        return max(0.0, elapsed * (1.0 - progress) / progress)

    def _tooltip(self, row: _Row, column: int) -> str | None:
        if column == TASK:
            lines = [f"<b>{html.escape(self._task_name(row))}</b>"]
            label = str(row.rec.get("name_label") or "")
            if label and label != self._task_name(row):
                lines.append(html.escape(label))
            description = str(row.rec.get("name_description") or "")
            if description:
                lines.append(html.escape(description))
            lines.append(html.escape(self._origin(row)[1]))
            created = _time(row.rec.get("created"))
            if created is not None:
                lines.append(self.tr("Started %1").replace("%1", _format_time(created)))
            finished = _time(row.rec.get("finished"))
            if finished is not None:
                lines.append(self.tr("Finished %1").replace("%1", _format_time(finished)))
            return "<br>".join(lines)
        if column == TARGET:
            return row.target_tip or None
        if column == STATUS:
            return self._status_tooltip(row)
        if column == PROGRESS:
            return self._display(row, PROGRESS)
        return None

    def _status_tooltip(self, row: _Row) -> str:
        lines = [html.escape(self._status_text(row))]
        status = row.status
        if status == FAILURE:
            error = self._error(row)
            if error is not None:
                lines = [html.escape(self.tr("Failed")), html.escape(error.message),
                         f"<small>{html.escape(error.code)}"
                         f"{html.escape(' ' + str(error.params)) if error.params else ''}"
                         "</small>"]
        elif status == ENDED:
            lines.append(html.escape(self.tr(
                "The server removed this task before its outcome was seen.")))
        elif row.gone:
            lines.append(html.escape(self.tr("No longer on the server.")))
        if row.cancel_error:
            lines.append(html.escape(self.tr("Cancel failed: %1").replace(
                "%1", row.cancel_error)))
        return "<br>".join(lines)


class ProgressDelegate(QStyledItemDelegate):
    """Draws the Progress column as a progress bar while a task runs or when it succeeded."""

    def paint(self, painter: Any, option: QStyleOptionViewItem,
              index: AnyIndex) -> None:
        status = index.data(StatusRole)
        if status not in (PENDING, CANCELLING, SUCCESS):
            # A failed or cancelled task's last progress says little: leave the cell plain.
            opt = QStyleOptionViewItem(option)
            self.initStyleOption(opt, index)
            opt.text = ""
            widget = opt.widget
            style = widget.style() if widget is not None else QApplication.style()
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
            return
        # The row's selection background first, then the bar on top.
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        widget = background.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)
        bar = QStyleOptionProgressBar()
        bar.rect = option.rect.adjusted(3, 3, -3, -3)
        bar.minimum = 0
        bar.maximum = 100
        progress = index.data(ProgressRole)
        bar.progress = 100 if status == SUCCESS else round(float(progress or 0.0) * 100)
        bar.text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        bar.textVisible = True
        bar.textAlignment = Qt.AlignmentFlag.AlignCenter
        # Not the row's selected state: the bar keeps its own colours on a selected row.
        bar.state = QStyle.StateFlag.State_Enabled | QStyle.StateFlag.State_Horizontal
        bar.palette = option.palette
        bar.fontMetrics = option.fontMetrics
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)


class TasksPanel(QDockWidget):
    """A dock listing the tasks of a :class:`TasksModel`, with Cancel and Clear finished.

    ``model`` is created when not given. The actions ``actionCancelTask`` and
    ``actionClearFinishedTasks`` are on the buttons and the view's context menu.
    """

    def __init__(self, parent: QWidget | None = None, *,
                 model: TasksModel | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tasks"))
        self.setObjectName("tasksPanel")
        self.model = model if model is not None else TasksModel(self)

        self.view = QTableView()
        self.view.setObjectName("tasksView")
        self.view.setModel(self.model)
        self.view.setItemDelegateForColumn(PROGRESS, ProgressDelegate(self.view))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().hide()
        self.view.verticalHeader().setDefaultSectionSize(
            self.view.fontMetrics().height() + 10)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        char = self.view.fontMetrics().averageCharWidth()
        for column, chars in ((TASK, 24), (TARGET, 20), (SERVER, 14), (PROGRESS, 14),
                              (ELAPSED, 8), (ETA, 10)):
            header.resizeSection(column, chars * char + 16)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._context_menu)

        self.cancel_action = QAction(self.tr("&Cancel Task"), self)
        self.cancel_action.setObjectName("actionCancelTask")
        self.cancel_action.setToolTip(self.tr("Ask the server to cancel the selected tasks"))
        self.cancel_action.triggered.connect(self.cancel_selected)
        self.clear_action = QAction(self.tr("Clear &Finished"), self)
        self.clear_action.setObjectName("actionClearFinishedTasks")
        self.clear_action.setToolTip(self.tr("Remove finished tasks from the list"))
        self.clear_action.triggered.connect(self.model.clear_finished)

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for action in (self.cancel_action, self.clear_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)

        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        self.setWidget(body)

        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.dataChanged,
                       self.model.modelReset):
            signal.connect(self._update_actions)
        self.view.selectionModel().selectionChanged.connect(self._update_actions)
        self._update_actions()

    def add_session(self, session: PoolSession) -> None:
        self.model.add_session(session)

    def remove_session(self, session: PoolSession) -> None:
        self.model.remove_session(session)

    def selected_rows(self) -> list[QModelIndex]:
        return self.view.selectionModel().selectedRows()

    def cancel_selected(self) -> list[asyncio.Task[None]]:
        """Cancel every selected task that can be cancelled; returns the background calls."""
        started = []
        for index in self.selected_rows():
            task = self.model.cancel(index)
            if task is not None:
                started.append(task)
        return started

    def _update_actions(self, *_args: object) -> None:
        self.cancel_action.setEnabled(any(self.model.can_cancel(i)
                                          for i in self.selected_rows()))
        self.clear_action.setEnabled(self.model.has_finished())

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.cancel_action)
        menu.addAction(self.clear_action)
        menu.popup(self.view.viewport().mapToGlobal(pos))


__all__ = [
    "CANCELLED",
    "CANCELLING",
    "ENDED",
    "FAILURE",
    "PENDING",
    "SUCCESS",
    "CancellableRole",
    "ErrorCodeRole",
    "OriginRole",
    "ProgressDelegate",
    "ProgressRole",
    "RefRole",
    "SessionRole",
    "StatusRole",
    "TasksModel",
    "TasksPanel",
    "format_duration",
]
