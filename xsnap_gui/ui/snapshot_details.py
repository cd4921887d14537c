"""The details panel beside the snapshot tree or list (objectName ``snapshotDetails``).

One snapshot: its name and description, editable in place (saved when the
field is left, only if changed, through ``VM.set_name_label`` /
``VM.set_name_description`` as an asyncio task, never blocking; a failure is
shown under the fields and the old text comes back), then when it was taken
(local and pool time), its type, size, the VM's power state at the time, the
schedule that took it, tags and the console screenshot when there is one.
Several snapshots: how many, their total size and the dates they span. No
snapshots, or none selected: a short explanation.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QFocusEvent, QFont, QKeyEvent, QPalette, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..xapi.client import Connection
from ..xapi.errors import ConnectionFailed, XapiError
from .i18n import translate
from .pool_session import PoolSession
from .snapshot_format import (
    PoolClock,
    SnapshotInfo,
    kind_text,
    power_state_text,
    schedule_text,
    size_text,
)
from .snapshot_list import kind_icon
from .thumbnails import ThumbnailCache

log = logging.getLogger(__name__)

NAME = "name"
DESCRIPTION = "description"
_METHODS = {NAME: "VM.set_name_label", DESCRIPTION: "VM.set_name_description"}
_PERMISSIONS = {NAME: "vm.set_name_label", DESCRIPTION: "vm.set_name_description"}
SCREENSHOT_WIDTH = 260
DETAILS_WIDTH = 330



@dataclass
class _Save:
    """A save in flight, or done but not yet seen in the cache."""

    before: str  # the value the server had when the user started
    value: str
    done: bool = False


class _NameEdit(QLineEdit):
    """Commits on Enter or focus loss (editingFinished); Escape restores the saved text."""

    reverted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and not self.isReadOnly():
            self.reverted.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class _DescriptionEdit(QPlainTextEdit):
    """Commits on focus loss or Ctrl+Enter; Escape restores the saved text."""

    committed = Signal()
    reverted = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.committed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() == Qt.Key.Key_Escape and not self.isReadOnly():
            self.reverted.emit()
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.committed.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt override
        lines = 4
        height = self.fontMetrics().lineSpacing() * lines + 2 * self.frameWidth() + 8
        return QSize(super().sizeHint().width(), height)


class _Rows:
    """Label/value rows on a grid, labels at the top of their row (values may wrap)."""

    def __init__(self) -> None:
        self.grid = QGridLayout()
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.grid.setColumnStretch(1, 1)
        self._labels: dict[QWidget, QLabel] = {}

    def add(self, text: str, value: QWidget) -> None:
        row = self.grid.rowCount()
        label = QLabel(text)
        label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(value, row, 1, Qt.AlignmentFlag.AlignTop)
        self._labels[value] = label

    def set_visible(self, value: QWidget, visible: bool) -> None:
        value.setVisible(visible)
        self._labels[value].setVisible(visible)


def _value_label(object_name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    return label


def _message_page(object_name: str) -> tuple[QWidget, QLabel]:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(16, 24, 16, 16)
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
    palette = label.palette()
    dim = QColor(palette.color(QPalette.ColorRole.WindowText))
    dim.setAlphaF(0.65)  # quieter than text, darker than a disabled widget
    palette.setColor(QPalette.ColorRole.WindowText, dim)
    label.setPalette(palette)
    layout.addWidget(label)
    layout.addStretch(1)
    return page, label


class SnapshotDetails(QWidget):
    """Details of the selected snapshot(s); see the module docstring."""

    EMPTY, HINT, SINGLE, MULTI = range(4)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshotDetails")
        self._session: PoolSession | None = None
        self._thumbnails: ThumbnailCache | None = None
        self._clock = PoolClock()
        self._infos: list[SnapshotInfo] = []
        self._info: SnapshotInfo | None = None  # the one shown on the single page
        self._shown: dict[str, str] = {NAME: "", DESCRIPTION: ""}  # the saved values on screen
        self._saves: dict[tuple[str, str], _Save] = {}
        self._tasks: set[asyncio.Task[None]] = set()

        self._stack = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._stack)

        empty, self._empty_label = _message_page("snapshotDetailsEmpty")
        self._empty_label.setText(
            translate(
                "SnapshotDetails", "No snapshots of this VM yet. Take one with Take Snapshot."
            )
        )
        hint, self._hint_label = _message_page("snapshotDetailsHint")
        self._hint_label.setText(translate("SnapshotDetails",
                                           "Select a snapshot to see its details. Ctrl+click or "
                                           "Shift+click selects several."))
        self._stack.addWidget(empty)
        self._stack.addWidget(hint)
        self._stack.addWidget(self._build_single())
        self._stack.addWidget(self._build_multi())
        self._stack.setCurrentIndex(self.HINT)
        self.setMinimumWidth(DETAILS_WIDTH - 60)

    # --- building ---------------------------------------------------------------------

    def _scroll(self, content: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(content)
        return area

    def _form(self) -> _Rows:
        return _Rows()

    def _build_single(self) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)

        title_row = QHBoxLayout()
        title_row.setSpacing(8)
        self._kind_icon = QLabel()
        self._kind_icon.setFixedSize(24, 24)
        self._name_edit = _NameEdit()
        self._name_edit.setObjectName("snapshotNameEdit")
        self._name_edit.setAccessibleName(translate("SnapshotDetails", "Snapshot name"))
        self._name_edit.setPlaceholderText(translate("SnapshotDetails", "Snapshot name"))
        font = QFont(self._name_edit.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self._name_edit.setFont(font)
        self._name_edit.editingFinished.connect(lambda: self._commit(NAME))
        self._name_edit.reverted.connect(lambda: self._revert(NAME))
        title_row.addWidget(self._kind_icon, 0, Qt.AlignmentFlag.AlignVCenter)
        title_row.addWidget(self._name_edit, 1)
        layout.addLayout(title_row)

        self._description_edit = _DescriptionEdit()
        self._description_edit.setObjectName("snapshotDescriptionEdit")
        self._description_edit.setAccessibleName(translate("SnapshotDetails", "Description"))
        self._description_edit.setPlaceholderText(translate("SnapshotDetails", "Add a description"))
        self._description_edit.setTabChangesFocus(True)
        self._description_edit.setSizePolicy(QSizePolicy.Policy.Expanding,
                                             QSizePolicy.Policy.Fixed)
        self._description_edit.setFixedHeight(self._description_edit.sizeHint().height())
        self._description_edit.committed.connect(lambda: self._commit(DESCRIPTION))
        self._description_edit.reverted.connect(lambda: self._revert(DESCRIPTION))
        layout.addWidget(self._description_edit)

        self._error = QLabel()
        self._error.setObjectName("snapshotSaveError")
        self._error.setWordWrap(True)
        self._error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._error.setStyleSheet("color: #c62828;")
        self._error.hide()
        layout.addWidget(self._error)

        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)

        form = self._form()
        self._created = _value_label("snapshotCreated")
        self._pool_time = _value_label("snapshotPoolTime")
        self._type = _value_label("snapshotType")
        self._size = _value_label("snapshotSize")
        self._power = _value_label("snapshotPowerState")
        self._schedule = _value_label("snapshotSchedule")
        self._tags = _value_label("snapshotTags")
        form.add(translate("SnapshotDetails", "Created:"), self._created)
        form.add(translate("SnapshotDetails", "Pool time:"), self._pool_time)
        form.add(translate("SnapshotDetails", "Type:"), self._type)
        form.add(translate("SnapshotDetails", "Size:"), self._size)
        form.add(translate("SnapshotDetails", "VM was:"), self._power)
        form.add(translate("SnapshotDetails", "Schedule:"), self._schedule)
        form.add(translate("SnapshotDetails", "Tags:"), self._tags)
        self._form_single = form
        layout.addLayout(form.grid)

        self._screenshot_title = QLabel(translate("SnapshotDetails",
                                                  "Console at the time of the snapshot:"))
        self._screenshot = QLabel()
        self._screenshot.setObjectName("snapshotScreenshot")
        self._screenshot.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self._screenshot.setFrameShape(QFrame.Shape.StyledPanel)
        layout.addSpacing(4)
        layout.addWidget(self._screenshot_title)
        layout.addWidget(self._screenshot, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return self._scroll(content)

    def _build_multi(self) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)
        self._multi_title = QLabel()
        self._multi_title.setObjectName("snapshotSelectionCount")
        font = QFont(self._multi_title.font())
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self._multi_title.setFont(font)
        layout.addWidget(self._multi_title)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addWidget(line)
        form = self._form()
        self._multi_size = _value_label("snapshotTotalSize")
        self._multi_from = _value_label("snapshotOldest")
        self._multi_to = _value_label("snapshotNewest")
        self._multi_kinds = _value_label("snapshotKinds")
        self._multi_tags = _value_label("snapshotAllTags")
        form.add(translate("SnapshotDetails", "Total size:"), self._multi_size)
        form.add(translate("SnapshotDetails", "Oldest:"), self._multi_from)
        form.add(translate("SnapshotDetails", "Newest:"), self._multi_to)
        form.add(translate("SnapshotDetails", "Types:"), self._multi_kinds)
        form.add(translate("SnapshotDetails", "Tags:"), self._multi_tags)
        layout.addLayout(form.grid)
        layout.addStretch(1)
        return self._scroll(content)

    # --- public API -------------------------------------------------------------------

    def set_session(self, session: PoolSession | None) -> None:
        self._session = session

    def set_thumbnails(self, thumbnails: ThumbnailCache | None) -> None:
        self._thumbnails = thumbnails

    def set_clock(self, clock: PoolClock) -> None:
        self._clock = clock

    def page(self) -> int:
        """Which page shows: EMPTY, HINT, SINGLE or MULTI."""
        return self._stack.currentIndex()

    def current_ref(self) -> str | None:
        """The snapshot on the single page, if that page shows."""
        return self._info.ref if self._info is not None and self.page() == self.SINGLE else None

    def error_text(self) -> str:
        return self._error.text() if not self._error.isHidden() else ""

    def show_snapshots(self, infos: Sequence[SnapshotInfo], *, vm_has_snapshots: bool) -> None:
        """Show ``infos`` (the selection, oldest first); none: the empty state or a hint."""
        infos = list(infos)
        if self._info is not None and (len(infos) != 1 or infos[0].ref != self._info.ref):
            # Leaving a snapshot: keep what the user typed.
            self._commit(NAME)
            self._commit(DESCRIPTION)
        self._infos = infos
        if not infos:
            self._info = None
            self._error.hide()
            self._stack.setCurrentIndex(self.HINT if vm_has_snapshots else self.EMPTY)
        elif len(infos) == 1:
            self._show_single(infos[0])
            self._stack.setCurrentIndex(self.SINGLE)
        else:
            self._info = None
            self._error.hide()
            self._show_multi(infos)
            self._stack.setCurrentIndex(self.MULTI)

    def refresh_screenshot(self) -> None:
        """A screenshot may have arrived: show it if it is the current snapshot's."""
        if self._info is not None:
            self._update_screenshot(self._info)

    # --- one snapshot -----------------------------------------------------------------

    def _show_single(self, info: SnapshotInfo) -> None:
        same = self._info is not None and self._info.ref == info.ref
        if not same:
            self._error.hide()
        self._info = info
        icon = kind_icon(info.kind, self.palette(), 24)
        self._kind_icon.setPixmap(icon.pixmap(24, 24))
        self._kind_icon.setToolTip(kind_text(info))
        self._sync_editor(NAME, info.name, same)
        self._sync_editor(DESCRIPTION, info.description, same)
        self._apply_permissions()

        clock = self._clock
        self._created.setText(
            clock.local_text(info.time, long=True) or translate("SnapshotDetails", "Unknown")
        )
        self._pool_time.setText(clock.pool_text(info.time, long=True, beside_local=True)
                                or translate("SnapshotDetails", "Unknown"))
        self._type.setText(kind_text(info))
        self._size.setText(size_text(info.size))
        self._size.setToolTip(translate("SnapshotDetails", "%1 bytes on storage").replace(
            "%1", self.locale().toString(info.size)))
        self._power.setText(power_state_text(info.power_state))
        self._form_single.set_visible(self._schedule, info.is_scheduled)
        self._schedule.setText(schedule_text(info))
        self._tags.setText(", ".join(info.tags) if info.tags else translate("SnapshotDetails",
                                                                            "None"))
        self._update_screenshot(info)

    def _update_screenshot(self, info: SnapshotInfo) -> None:
        data = None
        if self._thumbnails is not None and info.has_screenshot:
            conn = self._session.connection if self._session is not None else None
            data = self._thumbnails.get(conn, info.screenshot_blob, info.screenshot_inline)
        pixmap = QPixmap()
        if data:
            pixmap.loadFromData(data)
        if pixmap.isNull():
            self._screenshot.clear()
            self._screenshot.hide()
            self._screenshot_title.hide()
            return
        ratio = self.devicePixelRatioF()
        # As wide as the panel allows (small screenshots are scaled up: a thumbnail
        # the size of an icon helps nobody).
        room = self._name_edit.width() + self._kind_icon.width() + 8
        width = max(120, min(SCREENSHOT_WIDTH, room))
        scaled = pixmap.scaledToWidth(round(width * ratio),
                                      Qt.TransformationMode.SmoothTransformation)
        scaled.setDevicePixelRatio(ratio)
        self._screenshot.setPixmap(scaled)
        self._screenshot.show()
        self._screenshot_title.show()

    def _editor_text(self, field: str) -> str:
        if field == NAME:
            return self._name_edit.text()
        return self._description_edit.toPlainText()

    def _set_editor_text(self, field: str, text: str) -> None:
        if field == NAME:
            self._name_edit.setText(text)
            self._name_edit.setCursorPosition(0)
        else:
            self._description_edit.setPlainText(text)

    def _editor(self, field: str) -> QLineEdit | QPlainTextEdit:
        return self._name_edit if field == NAME else self._description_edit

    def _sync_editor(self, field: str, server_value: str, same_snapshot: bool) -> None:
        """Show the server's value, unless the user is typing or a save has not landed yet."""
        assert self._info is not None
        key = (self._info.ref, field)
        save = self._saves.get(key)
        shown = server_value
        if save is not None:
            if not save.done or server_value == save.before:
                shown = save.value  # ours is on its way; the cache still has the old text
            else:
                # The cache has our value, or someone else's newer one: trust it from now on.
                del self._saves[key]
        editing = (same_snapshot and self._editor(field).hasFocus()
                   and self._editor_text(field) != self._shown[field])
        self._shown[field] = shown
        if not editing and self._editor_text(field) != shown:
            self._set_editor_text(field, shown)

    def _apply_permissions(self) -> None:
        conn = self._session.connection if self._session is not None else None
        for field, editor in ((NAME, self._name_edit), (DESCRIPTION, self._description_edit)):
            if conn is None:
                allowed, tip = False, translate("SnapshotDetails", "Not connected to the pool")
            elif not conn.can(_PERMISSIONS[field]):
                allowed = False
                role = conn.info.role or ""
                tip = (translate("SnapshotDetails",
                                 "Your role (%1) does not allow changing snapshot names")
                       if field == NAME else
                       translate("SnapshotDetails",
                                 "Your role (%1) does not allow changing snapshot descriptions")
                       ).replace("%1", role)
            else:
                allowed = True
                tip = (translate("SnapshotDetails",
                                 "Click to rename; Enter saves, Escape undoes") if field == NAME
                       else translate("SnapshotDetails",
                                      "Saved when you leave the field; Escape undoes"))
            editor.setReadOnly(not allowed)
            editor.setToolTip(tip)

    def _revert(self, field: str) -> None:
        self._set_editor_text(field, self._shown[field])

    def _commit(self, field: str) -> None:
        info = self._info
        if info is None or self._editor(field).isReadOnly():
            return
        value = self._editor_text(field)
        if value == self._shown[field]:
            return
        if field == NAME and not value.strip():
            self._show_error(translate("SnapshotDetails", "A snapshot needs a name."))
            self._revert(field)
            return
        conn = self._session.connection if self._session is not None else None
        if conn is None:
            self._show_error(translate("SnapshotDetails",
                                       "Not connected to the pool: the change was not saved."))
            self._revert(field)
            return
        key = (info.ref, field)
        before = self._shown[field]
        self._saves[key] = _Save(before=before, value=value)
        self._shown[field] = value
        self._error.hide()
        task = asyncio.ensure_future(self._save(conn, info.ref, field, before, value))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _save(self, conn: Connection, ref: str, field: str, before: str,
                    value: str) -> None:
        key = (ref, field)
        try:
            await conn.call(_METHODS[field], ref, value)
        except (XapiError, ConnectionFailed) as e:
            log.info("saving the %s of %s failed: %s", field, ref, e)
            if self._saves.get(key) is not None and self._saves[key].value == value:
                del self._saves[key]
            self._failed(ref, field, before, str(e))
            return
        save = self._saves.get(key)
        if save is not None and save.value == value:
            save.done = True

    def _failed(self, ref: str, field: str, before: str, reason: str) -> None:
        what = translate("SnapshotDetails", "The name was not saved: %1") if field == NAME \
            else translate("SnapshotDetails", "The description was not saved: %1")
        if self._info is None or self._info.ref != ref:
            return  # the user has moved on; the cache still shows the old value there
        self._show_error(what.replace("%1", reason))
        # Back to what the server has (the cache may have moved on since ``before``).
        self._shown[field] = self._info.name if field == NAME else self._info.description
        self._set_editor_text(field, self._shown[field])

    def _show_error(self, text: str) -> None:
        self._error.setText(text)
        self._error.show()

    def pending_saves(self) -> int:
        """Saves still on their way to the server (for tests and the window's close)."""
        return sum(1 for task in self._tasks if not task.done())

    # --- several snapshots ------------------------------------------------------------

    def _show_multi(self, infos: Sequence[SnapshotInfo]) -> None:
        count = len(infos)
        self._multi_title.setText(translate("SnapshotDetails",
                                            "%n snapshots selected", None, count))
        self._multi_size.setText(size_text(sum(i.size for i in infos)))
        times = sorted(i.time for i in infos if i.time is not None)
        clock = self._clock
        self._multi_from.setText(clock.local_text(times[0], long=True) if times else "")
        self._multi_to.setText(clock.local_text(times[-1], long=True) if times else "")
        kinds: dict[str, int] = {}
        for info in infos:
            text = kind_text(info)
            kinds[text] = kinds.get(text, 0) + 1
        self._multi_kinds.setText("\n".join(f"{text}: {n}" for text, n in sorted(kinds.items())))
        tags = sorted({t for i in infos for t in i.tags}, key=str.casefold)
        self._multi_tags.setText(", ".join(tags) if tags else translate("SnapshotDetails", "None"))
