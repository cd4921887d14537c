"""The Snapshots tab's list view: a table model of one VM's snapshots and its filter proxy.

The model is updated incrementally (:meth:`SnapshotListModel.set_snapshots`
inserts, removes and reports changed rows, never resets for a live change),
so the view keeps its selection, current row and scroll position while
snapshots come and go. Every column has a raw value under :data:`SORT_ROLE`
(bytes for Size, a timestamp for Created) that the proxy sorts by, so sizes
sort by number and not by their text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QIcon, QKeyEvent, QPainter, QPaintEvent, QPalette, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTreeView, QWidget

from .i18n import translate
from .snapshot_format import (
    PoolClock,
    SnapshotInfo,
    kind_text,
    power_state_text,
    schedule_text,
    size_text,
)
from .snapshot_graph.glyphs import GlyphColors, paint_glyph

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
REF_ROLE = Qt.ItemDataRole.UserRole + 2
ICON_PIXELS = 16

_Index = QModelIndex | QPersistentModelIndex



class Column(IntEnum):
    TYPE = 0
    NAME = 1
    CREATED = 2
    SIZE = 3
    TAGS = 4
    DESCRIPTION = 5
    SCHEDULE = 6


_COLUMNS = tuple(Column)  # by number, without Column(n)'s cost in data()


def _header_text(column: Column) -> str:
    # Spelled out so translation tools find every string.
    texts = {
        Column.TYPE: translate("SnapshotList", "Type"),
        Column.NAME: translate("SnapshotList", "Name"),
        Column.CREATED: translate("SnapshotList", "Created"),
        Column.SIZE: translate("SnapshotList", "Size"),
        Column.TAGS: translate("SnapshotList", "Tags"),
        Column.DESCRIPTION: translate("SnapshotList", "Description"),
        Column.SCHEDULE: translate("SnapshotList", "Schedule"),
    }
    return texts[column]


def kind_icon(kind: str, palette: QPalette, pixels: int = ICON_PIXELS) -> QIcon:
    """The graph's glyph for a snapshot kind, small, for list rows and the details panel."""
    ratio = 2  # drawn at twice the size so it stays crisp on high-DPI screens
    pixmap = QPixmap(pixels * ratio, pixels * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_glyph(painter, QRectF(0, 0, pixels, pixels), kind, GlyphColors.from_palette(palette))
    painter.end()
    return QIcon(pixmap)


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0]


class SnapshotListModel(QAbstractTableModel):
    """One row per snapshot (:class:`SnapshotInfo`), in no particular order: sort with a proxy."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[SnapshotInfo] = []
        self._row_of: dict[str, int] = {}
        self._clock = PoolClock()
        self._icons: dict[str, QIcon] = {}
        self._sorting: tuple[Column, bool] | None = None  # (column, descending)

    # --- updating ---------------------------------------------------------------------

    def set_snapshots(self, infos: Iterable[SnapshotInfo]) -> None:
        """Make the rows ``infos``: removed, added and changed rows are announced one by one."""
        wanted = {info.ref: info for info in infos}
        # Removals first, in runs of adjacent rows, from the bottom so row numbers hold.
        gone = sorted((row for ref, row in self._row_of.items() if ref not in wanted),
                      reverse=True)
        while gone:
            last = first = gone.pop(0)
            while gone and gone[0] == first - 1:
                first = gone.pop(0)
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()
        self._row_of = {info.ref: i for i, info in enumerate(self._rows)}
        # Changes in place.
        last_column = len(Column) - 1
        for i, old in enumerate(self._rows):
            new = wanted[old.ref]
            if new != old:
                self._rows[i] = new
                self.dataChanged.emit(self.index(i, 0), self.index(i, last_column))
        # Additions at the end, in one run.
        fresh = [info for ref, info in wanted.items() if ref not in self._row_of]
        if fresh:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
            self._rows.extend(fresh)
            for i, info in enumerate(fresh, start):
                self._row_of[info.ref] = i
            self.endInsertRows()
        self._resort()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Keep the rows sorted by ``column`` (numbers by value), now and after updates.

        The model sorts itself, in Python: a proxy sorting 500 rows asks ``data()``
        some 9,000 times through Qt, most of the time it takes to show a big VM.
        """
        if not 0 <= column < len(_COLUMNS):
            return
        self._sorting = (_COLUMNS[column], order == Qt.SortOrder.DescendingOrder)
        self._resort()

    def _resort(self) -> None:
        if self._sorting is None or len(self._rows) < 2:
            return
        col, descending = self._sorting
        value = self._sort_value
        # Ties keep a fixed order (oldest first), whichever way the column is sorted.
        epoch = 0.0
        ordered = sorted(self._rows, key=lambda i: (i.time.timestamp() if i.time else epoch,
                                                    i.ref))
        ordered.sort(key=lambda i: value(i, col), reverse=descending)
        if all(a is b for a, b in zip(ordered, self._rows, strict=True)):
            return
        self.layoutAboutToBeChanged.emit()
        before = self._rows
        self._rows = ordered
        self._row_of = {info.ref: i for i, info in enumerate(ordered)}
        held = self.persistentIndexList()
        self.changePersistentIndexList(held, [
            self.index(self._row_of[before[i.row()].ref], i.column()) if i.isValid()
            and i.row() < len(before) else QModelIndex() for i in held])
        self.layoutChanged.emit()

    def set_clock(self, clock: PoolClock) -> None:
        """Times are shown through ``clock``; a change re-renders the Created column."""
        if clock == self._clock:
            return
        self._clock = clock
        if self._rows:
            self.dataChanged.emit(self.index(0, Column.CREATED),
                                  self.index(len(self._rows) - 1, Column.CREATED))

    def refresh_icons(self) -> None:
        """The palette changed: draw the type icons again."""
        self._icons.clear()
        if self._rows:
            self.dataChanged.emit(self.index(0, Column.TYPE),
                                  self.index(len(self._rows) - 1, Column.TYPE),
                                  [Qt.ItemDataRole.DecorationRole])

    # --- reading ----------------------------------------------------------------------

    def snapshots(self) -> list[SnapshotInfo]:
        return list(self._rows)

    def info(self, ref: str) -> SnapshotInfo | None:
        row = self._row_of.get(ref)
        return self._rows[row] if row is not None else None

    def row_of(self, ref: str) -> int | None:
        return self._row_of.get(ref)

    def ref_at(self, index: _Index) -> str | None:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._rows[index.row()].ref

    # --- QAbstractTableModel ----------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: N802, B008 - Qt API
        return 0 if parent.isValid() else len(Column)

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _header_text(Column(section))
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable \
            | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(_COLUMNS)):
            return None
        info = self._rows[row]
        col = _COLUMNS[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(info, col)
        if role == SORT_ROLE:
            return self._sort_value(info, col)
        if role == REF_ROLE:
            return info.ref
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(info, col)
        if role == Qt.ItemDataRole.DecorationRole and col == Column.TYPE:
            return self._icon(info.kind)
        return None

    def _display(self, info: SnapshotInfo, col: Column) -> str:
        if col == Column.TYPE:
            return kind_text(info)
        if col == Column.NAME:
            return info.name
        if col == Column.CREATED:
            return self._clock.local_text(info.time)
        if col == Column.SIZE:
            return size_text(info.size)
        if col == Column.TAGS:
            return ", ".join(info.tags)
        if col == Column.DESCRIPTION:
            return _first_line(info.description)
        return schedule_text(info)

    @staticmethod
    def _sort_value(info: SnapshotInfo, col: Column) -> Any:
        if col == Column.TYPE:
            return (2 if info.is_scheduled else 0) + (1 if info.has_memory else 0)
        if col == Column.NAME:
            return info.name.casefold()
        if col == Column.CREATED:
            return info.time.timestamp() if info.time is not None else 0.0
        if col == Column.SIZE:
            return info.size
        if col == Column.TAGS:
            return ", ".join(sorted(t.casefold() for t in info.tags))
        if col == Column.DESCRIPTION:
            return info.description.casefold()
        return info.schedule_name.casefold()

    def _tooltip(self, info: SnapshotInfo, col: Column) -> str | None:
        if col == Column.CREATED and info.time is not None:
            return translate("SnapshotList", "Your time: %1\nPool time: %2") \
                .replace("%1", self._clock.local_text(info.time, long=True)) \
                .replace("%2", self._clock.pool_text(info.time, long=True))
        if col == Column.SIZE:
            return translate("SnapshotList",
                             "%1 bytes on storage").replace("%1", QLocale().toString(info.size))
        if col == Column.DESCRIPTION and info.description:
            return info.description
        if col == Column.NAME:
            return info.name
        if col == Column.TYPE and info.power_state:
            return translate("SnapshotList", "The VM was %1 when this snapshot was taken") \
                .replace("%1", power_state_text(info.power_state).lower())
        return None

    def _icon(self, kind: str) -> QIcon:
        icon = self._icons.get(kind)
        if icon is None:
            app = QApplication.instance()
            palette = app.palette() if isinstance(app, QApplication) else QPalette()
            icon = self._icons[kind] = kind_icon(kind, palette)
        return icon


class SnapshotFilterProxy(QSortFilterProxyModel):
    """Sorts by :data:`SORT_ROLE` and keeps rows whose name, description or tags contain
    every word of the filter text (case-insensitive)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)
        self._words: tuple[str, ...] = ()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """The list model sorts itself (faster); the proxy keeps its order."""
        model = self.sourceModel()
        if isinstance(model, SnapshotListModel):
            model.sort(column, order)
        else:
            super().sort(column, order)

    def set_filter_text(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange"):  # Qt 6.9+, where invalidateFilter is deprecated
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = words
            self.invalidateRowsFilter()

    def filter_text_words(self) -> tuple[str, ...]:
        return self._words

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802
        if not self._words:
            return True
        model = self.sourceModel()
        if not isinstance(model, SnapshotListModel):
            return True
        ref = model.ref_at(model.index(source_row, 0, source_parent))
        info = model.info(ref) if ref is not None else None
        return info is None or matches(info, self._words)


def matches(info: SnapshotInfo, words: Sequence[str]) -> bool:
    """Whether every word occurs in the snapshot's name, description or tags."""
    haystack = "\n".join((info.name, info.description, *info.tags)).casefold()
    return all(word in haystack for word in words)


class SnapshotListView(QTreeView):
    """The flat, sortable snapshot table (objectName ``snapshotList``).

    ``activatedRef`` fires on double-click and on Enter/Return, and only then
    (not on the single click some styles treat as activation).
    """

    activatedRef = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshotList")
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSortingEnabled(True)
        self.setAllColumnsShowFocus(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.doubleClicked.connect(self._activate)
        self._placeholder = ""

    def set_placeholder(self, text: str) -> None:
        """What the empty table says (no snapshots, or none matching the filter)."""
        if text != self._placeholder:
            self._placeholder = text
            self.viewport().update()

    def placeholder(self) -> str:
        return self._placeholder

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        super().paintEvent(event)
        model = self.model()
        if not self._placeholder or model is None or model.rowCount() > 0:
            return
        painter = QPainter(self.viewport())
        colour = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        painter.setPen(colour)
        margin = 24
        area = self.viewport().rect().adjusted(margin, margin, -margin, -margin)
        painter.drawText(area, int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
                                   | Qt.TextFlag.TextWordWrap), self._placeholder)
        painter.end()

    def configure_columns(self) -> None:
        """Sensible widths once a model is set; Description takes what is left."""
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        widths = {
            Column.TYPE: metrics.horizontalAdvance(translate("SnapshotList",
                                                             "Scheduled, disks only")) + 36,
            Column.NAME: metrics.averageCharWidth() * 32,
            Column.CREATED: metrics.horizontalAdvance("2025-12-31 23:59 PM") + 24,
            Column.SIZE: metrics.horizontalAdvance("1,023.9 MiB") + 20,
            Column.TAGS: metrics.averageCharWidth() * 14,
            Column.SCHEDULE: metrics.averageCharWidth() * 16,
        }
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setMinimumSectionSize(metrics.averageCharWidth() * 6)

    def _activate(self, index: QModelIndex) -> None:
        ref = index.data(REF_ROLE) if index.isValid() else None
        if isinstance(ref, str):
            self.activatedRef.emit(ref)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt override
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self._activate(self.currentIndex())
            event.accept()
            return
        super().keyPressEvent(event)
