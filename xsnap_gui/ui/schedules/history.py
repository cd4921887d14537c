"""A schedule's run history, from its ``VMSS_*`` messages: newest first, filterable,
failed runs expanding to the error of each VM."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...model.cache import ObjectCache
from ...model.schedules import FAILED, MISSED, RunRecord, run_history
from ...model.views import VMSS
from .. import icons
from ..i18n import translate
from .common import failure_text, fill, run_title, time_text

LAST_10 = "last10"
DAY = "day"
WEEK = "week"
REF_ROLE = Qt.ItemDataRole.UserRole + 1


class RunHistoryPane(QWidget):
    """Shows the runs of one schedule; ``show_schedule(ref)`` picks which."""

    def __init__(self, cache: ObjectCache, now: Callable[[], dt.datetime],
                 local_tz: Callable[[], dt.tzinfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runHistoryPane")
        self.cache = cache
        self._now = now
        self._local_tz = local_tz
        self.vmss_ref: str | None = None
        self.title = QLabel()
        self.title.setObjectName("runHistoryTitle")
        self.filter = QComboBox()
        self.filter.setObjectName("historyFilter")
        self.filter.addItem(translate("Schedules", "Last 10 runs"), LAST_10)
        self.filter.addItem(translate("Schedules", "Last 24 hours"), DAY)
        self.filter.addItem(translate("Schedules", "Last 7 days"), WEEK)
        self.tree = QTreeWidget()
        self.tree.setObjectName("runHistory")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([translate("Schedules", "Date and time"), translate("Schedules",
                                                                                      "Result")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.empty = QLabel()
        self.empty.setObjectName("runHistoryEmpty")
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(mid);")
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self._expanded: set[str] = set()
        self.tree.itemExpanded.connect(lambda item: self._expanded.add(item.data(0, REF_ROLE)))
        self.tree.itemCollapsed.connect(
            lambda item: self._expanded.discard(item.data(0, REF_ROLE)))
        self.refresh()

    def show_schedule(self, vmss_ref: str | None) -> None:
        if vmss_ref != self.vmss_ref:
            self._expanded.clear()
        self.vmss_ref = vmss_ref
        self.refresh()

    def set_filter(self, key: str) -> None:
        index = self.filter.findData(key)
        if index >= 0:
            self.filter.setCurrentIndex(index)

    def records(self) -> list[RunRecord]:
        if self.vmss_ref is None:
            return []
        key = self.filter.currentData()
        if key == LAST_10:
            return run_history(self.cache, self.vmss_ref, limit=10)
        span = dt.timedelta(days=1) if key == DAY else dt.timedelta(days=7)
        return run_history(self.cache, self.vmss_ref, since=self._now() - span)

    def refresh(self) -> None:
        vmss = VMSS.get(self.cache, self.vmss_ref)
        self.tree.clear()
        if vmss is None:
            self.title.setText(translate("Schedules", "<b>Run history</b>"))
            self.empty.setText(translate("Schedules", "Select a schedule to see its runs."))
            self.empty.show()
            return
        self.title.setText(fill(translate("Schedules",
                                          "<b>Run history of “%1”</b>"), vmss.name_label.replace(
            "&", "&amp;").replace("<", "&lt;")))
        tz = self._local_tz()
        records = self.records()
        for record in records:
            item = QTreeWidgetItem([time_text(record.timestamp, tz), run_title(record)])
            item.setData(0, REF_ROLE, record.message_ref)
            item.setIcon(0, _icon(record))
            item.setToolTip(1, record.body)
            for failure in record.failures:
                child = QTreeWidgetItem(["", failure_text(failure)])
                raw = ", ".join([failure.code, *failure.params])
                child.setToolTip(1, f"{failure_text(failure)}\n[{raw}]")
                child.setIcon(1, icons.icon("task-failure"))
                item.addChild(child)
            if record.outcome == FAILED and not record.failures and record.body:
                child = QTreeWidgetItem(["", record.body.splitlines()[0]])
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            if record.message_ref in self._expanded or (record is records[0]
                                                        and record.failures):
                item.setExpanded(True)
        if records:
            self.empty.hide()
        else:
            self.empty.setText(translate("Schedules",
                                         "No runs in this period. The pool keeps the messages of "
                                         "recent runs only; dismissed alerts are gone from here "
                                         "too."))
            self.empty.show()

    def row_texts(self) -> list[tuple[str, list[str]]]:
        """Each run's result and the texts of its per-VM rows (for tests and copy)."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(i)
            if item is None:
                continue
            children = [item.child(j) for j in range(item.childCount())]
            out.append((item.text(1), [c.text(1) for c in children if c is not None]))
        return out


def _icon(record: RunRecord) -> QIcon:
    if record.outcome == FAILED:
        return icons.icon("task-failure")
    if record.outcome == MISSED:
        return icons.icon("warning")
    return icons.icon("task-success")
