"""The Snapshots tab: the selected VM's snapshots as a tree or a list, with details.

Layout, top to bottom: a header (the VM's name, the schedule it belongs to as a
link, snapshot counts, and a warning when its snapshot chain nears xapi's
limit), a bar with the tree/list toggle, "Show scheduled snapshots" and a
filter box, then the view beside the details panel.

Live updates. The tab listens to ``PoolSession.cacheChanged`` and rebuilds only
when a batch concerns its VM: the VM itself, its snapshots (also new ones,
found through ``snapshot_of``, and removed ones, through the removed records),
their VBDs and VDIs, the VM's schedule, or the tasks in the VM's
``current_operations``. Rebuilds are coalesced on the event loop (one per
burst of batches) and incremental: the graph keeps its view (``keep_view``),
the list model inserts, removes and changes rows in place, so selection,
current item and scroll position survive.

The filter. It matches name, description and tags (every word, any case). The
list hides rows that do not match; the tree hides such snapshots and hangs
their children on the nearest shown ancestor, the same rule as for hidden
scheduled snapshots, so the tree keeps its shape.

The tree/list toggle. The tab has its own checkable actions on its two tool
buttons; :meth:`SnapshotsTab.set_view_actions` swaps in the main window's
``actionViewTree``/``actionViewList`` instead, so the menu, the shortcuts and
the buttons are the same actions. Either way :meth:`set_view_mode` is the one
place the mode changes, and it keeps the actions' checked state in step.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QPointF,
    QSignalBlocker,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QColor,
    QFont,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..model.cache import Changes, ObjectCache, Record
from ..model.snapshots import XAPI_CHAIN_LIMIT, SnapshotNode, SnapshotTree
from ..model.views import Pool
from .i18n import translate
from .pool_session import PoolSession
from .snapshot_details import DETAILS_WIDTH, SnapshotDetails
from .snapshot_format import (
    PoolClock,
    SnapshotInfo,
    kind_text,
    power_state_text,
    schedule_text,
    size_text,
)
from .snapshot_graph import GraphNode, SnapshotGraphView
from .snapshot_graph.layout import BASE, NOW
from .snapshot_list import (
    REF_ROLE,
    Column,
    SnapshotFilterProxy,
    SnapshotListModel,
    SnapshotListView,
    matches,
)
from .thumbnails import ThumbnailCache

TREE = "tree"
LIST = "list"
BASE_KEY = BASE
NOW_KEY = NOW
# VM.current_operations values during which "Now" is shown as working.
TAKING_OPERATIONS = frozenset({"snapshot", "checkpoint", "snapshot_with_quiesce"})
REVERTING_OPERATIONS = frozenset({"revert", "reverting"})



def _view_icon(mode: str, palette: QPalette) -> QIcon:
    """A tiny branch (tree) or three lines (list), in the palette's text colour."""
    size, ratio = 16, 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(palette.color(QPalette.ColorRole.ButtonText))
    pen = QPen(colour, 1.6)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    if mode == TREE:
        # A timeline with one branch: three nodes on top, one below.
        painter.drawLine(QPointF(3, 5), QPointF(13, 5))
        branch = QPainterPath(QPointF(5, 5))
        branch.cubicTo(QPointF(6.5, 5), QPointF(6.5, 11), QPointF(9, 11))
        branch.lineTo(QPointF(13, 11))
        painter.drawPath(branch)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        for x, y in ((3.0, 5.0), (8.5, 5.0), (13.0, 5.0), (13.0, 11.0)):
            painter.drawEllipse(QPointF(x, y), 2.0, 2.0)
    else:
        for y in (4.0, 8.0, 12.0):
            painter.drawLine(QPointF(5.5, y), QPointF(13.5, y))
            painter.drawPoint(QPointF(2.5, y))
    painter.end()
    return QIcon(pixmap)


def _busy_caption(cache: ObjectCache, vm: Record) -> str | None:
    """What "Now" says while a snapshot or revert of the VM runs; None when idle."""
    operations: Mapping[str, str] = vm.get("current_operations") or {}
    for task_ref, op in operations.items():
        if op in TAKING_OPERATIONS:
            caption = translate("SnapshotsTab", "Taking snapshot…")
        elif op in REVERTING_OPERATIONS:
            caption = translate("SnapshotsTab", "Reverting…")
        else:
            continue
        task = cache.get("task", task_ref)
        progress = task.get("progress") if task is not None else None
        if isinstance(progress, (int, float)) and 0 < progress < 1:
            caption = (
                translate("SnapshotsTab", "%1 %2%")
                .replace("%1", caption)
                .replace("%2", str(int(progress * 100)))
            )
        return caption
    return None


class _WarningLabel(QLabel):
    """A wrapped, amber-tinted notice (the chain-depth warning)."""

    def __init__(self, object_name: str) -> None:
        super().__init__()
        self.setObjectName(object_name)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setContentsMargins(8, 6, 8, 6)
        self.setStyleSheet(
            f"QLabel#{object_name} {{ background-color: rgba(240, 176, 58, 0.22);"
            " border: 1px solid rgba(217, 137, 12, 0.7); border-radius: 4px; }")


class SnapshotsTab(QWidget):
    """One VM's snapshots; see the module docstring."""

    selectionChanged = Signal(list)  # noqa: N815 - snapshot refs, oldest first
    activated = Signal(str)
    contextMenuRequested = Signal(object, QPoint)  # noqa: N815 - refs (list) or None
    revertRequested = Signal(str)  # noqa: N815
    viewModeChanged = Signal(str)  # noqa: N815
    showScheduledChanged = Signal(bool)  # noqa: N815
    scheduleLinkActivated = Signal(str)  # noqa: N815 - VMSS ref; "" for the schedules overview

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("snapshotsTab")
        self._session: PoolSession | None = None
        self._vm_ref: str | None = None
        self._view_mode = TREE
        self._show_scheduled = False  # XenCenter's default: scheduled snapshots hidden
        self._selected: list[str] = []
        self._explicit_busy = False
        self._syncing = 0  # >0 while the tab itself changes a view's selection
        self._keep_view = False
        self._clock = PoolClock()
        self._tree: SnapshotTree | None = None
        self._infos: dict[str, SnapshotInfo] = {}
        self._watch_vms: set[str] = set()
        self._watch_vbds: set[str] = set()
        self._watch_vdis: set[str] = set()
        self._watch_vmss: set[str] = set()
        self._watch_tasks: set[str] = set()
        self._blob_refs: set[str] = set()
        self._filter_words: tuple[str, ...] = ()
        self._graph_nodes: list[GraphNode] = []
        # Only the view on screen is rebuilt; the other catches up when it is shown.
        self._stale: set[str] = set()
        self._graph_shows: tuple[PoolSession, str] | None = None  # whose snapshots it has
        self._graph_vm_name = ""
        self._busy_caption: str | None = None
        self.refresh_count = 0  # rebuilds done, for tests and diagnostics

        self._thumbnails = ThumbnailCache(self)
        self._thumbnails.ready.connect(self._on_thumbnail)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(0)
        self._refresh_timer.timeout.connect(self._refresh)

        self._pages = QStackedWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self._pages)
        self._placeholder = QLabel(translate("SnapshotsTab", "Select a VM to see its snapshots."))
        self._placeholder.setObjectName("snapshotsPlaceholder")
        self._placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._placeholder.setWordWrap(True)
        self._pages.addWidget(self._placeholder)
        self._pages.addWidget(self._build_content())
        self._pages.setCurrentIndex(0)
        self._sync_view_actions()

    # --- building ---------------------------------------------------------------------

    def _build_content(self) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._build_header())
        layout.addWidget(self._build_bar())

        self._graph = SnapshotGraphView()
        self._graph.selectionChangedKeys.connect(self._on_graph_selection)
        self._graph.activated.connect(self.activated)
        self._graph.contextMenuRequested.connect(self._on_graph_menu)
        self._graph.nowDroppedOn.connect(self.revertRequested)
        self._graph.set_tooltip_provider(self._tooltip_of)  # written on first hover

        self._model = SnapshotListModel(self)
        self._proxy = SnapshotFilterProxy(self)
        self._proxy.setSourceModel(self._model)
        self._list = SnapshotListView()
        self._list.setModel(self._proxy)
        self._list.configure_columns()
        self._list.sortByColumn(Column.CREATED, Qt.SortOrder.DescendingOrder)
        self._list.selectionModel().selectionChanged.connect(self._on_list_selection)
        self._list.activatedRef.connect(self.activated)
        self._list.customContextMenuRequested.connect(self._on_list_menu)

        self._views = QStackedWidget()
        self._views.addWidget(self._graph)
        self._views.addWidget(self._list)

        self._details = SnapshotDetails()
        self._details.set_thumbnails(self._thumbnails)

        self._splitter = QSplitter(Qt.Orientation.Horizontal)
        self._splitter.setObjectName("snapshotsSplitter")
        self._splitter.setChildrenCollapsible(False)
        self._splitter.addWidget(self._views)
        self._splitter.addWidget(self._details)
        self._splitter.setStretchFactor(0, 1)
        self._splitter.setStretchFactor(1, 0)
        self._splitter.setSizes([800, DETAILS_WIDTH])
        layout.addWidget(self._splitter, 1)
        return content

    def _build_header(self) -> QWidget:
        header = QWidget()
        header.setObjectName("snapshotsHeader")
        layout = QVBoxLayout(header)
        layout.setContentsMargins(12, 10, 12, 6)
        layout.setSpacing(4)

        top = QHBoxLayout()
        top.setSpacing(12)
        self._vm_name = QLabel()
        self._vm_name.setObjectName("snapshotVmName")
        font = QFont(self._vm_name.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self._vm_name.setFont(font)
        self._vm_name.setTextFormat(Qt.TextFormat.PlainText)
        self._vm_name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._counts = QLabel()
        self._counts.setObjectName("snapshotCounts")
        self._counts.setTextFormat(Qt.TextFormat.PlainText)
        self._counts.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self._vm_name, 1)
        top.addWidget(self._counts, 0, Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(top)

        line = QHBoxLayout()
        line.setSpacing(6)
        self._schedule_text = QLabel()
        self._schedule_text.setObjectName("snapshotScheduleText")
        self._schedule_text.setTextFormat(Qt.TextFormat.PlainText)
        self._schedule_link = QLabel()
        self._schedule_link.setObjectName("scheduleLink")
        self._schedule_link.setTextFormat(Qt.TextFormat.RichText)
        self._schedule_link.setTextInteractionFlags(
            Qt.TextInteractionFlag.LinksAccessibleByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self._schedule_link.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self._schedule_link.linkActivated.connect(self._on_schedule_link)
        line.addWidget(self._schedule_text)
        line.addWidget(self._schedule_link)
        line.addStretch(1)
        layout.addLayout(line)

        self._chain_warning = _WarningLabel("chainWarning")
        self._chain_warning.hide()
        layout.addSpacing(2)
        layout.addWidget(self._chain_warning)
        return header

    def _build_bar(self) -> QWidget:
        bar = QWidget()
        bar.setObjectName("snapshotsBar")
        layout = QHBoxLayout(bar)
        layout.setContentsMargins(8, 4, 12, 6)
        layout.setSpacing(6)

        group = QActionGroup(self)
        group.setExclusive(True)
        self._own_tree_action = QAction(
            _view_icon(TREE, self.palette()), translate("SnapshotsTab", "Tree"), self
        )
        self._own_tree_action.setToolTip(translate("SnapshotsTab",
                                                   "Show snapshots as a tree over time"))
        self._own_list_action = QAction(
            _view_icon(LIST, self.palette()), translate("SnapshotsTab", "List"), self
        )
        self._own_list_action.setToolTip(translate("SnapshotsTab",
                                                   "Show snapshots as a sortable list"))
        for action, mode in ((self._own_tree_action, TREE), (self._own_list_action, LIST)):
            action.setCheckable(True)
            group.addAction(action)
            action.toggled.connect(lambda checked, m=mode: self._view_action_toggled(checked, m))
        self._tree_action = self._own_tree_action
        self._list_action = self._own_list_action

        self._tree_button = QToolButton()
        self._tree_button.setObjectName("viewTreeButton")
        self._list_button = QToolButton()
        self._list_button.setObjectName("viewListButton")
        for button, action in ((self._tree_button, self._tree_action),
                               (self._list_button, self._list_action)):
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setAutoRaise(True)
            button.setDefaultAction(action)
        layout.addWidget(self._tree_button)
        layout.addWidget(self._list_button)

        separator = QFrame()
        separator.setFrameShape(QFrame.Shape.VLine)
        separator.setFrameShadow(QFrame.Shadow.Sunken)
        layout.addSpacing(4)
        layout.addWidget(separator)
        layout.addSpacing(4)

        self._scheduled_toggle = QCheckBox(translate("SnapshotsTab", "Show scheduled snapshots"))
        self._scheduled_toggle.setObjectName("showScheduledToggle")
        self._scheduled_toggle.setChecked(self._show_scheduled)
        self._scheduled_toggle.toggled.connect(self.set_show_scheduled)
        layout.addWidget(self._scheduled_toggle)
        layout.addStretch(1)

        self._filter = QLineEdit()
        self._filter.setObjectName("snapshotFilter")
        self._filter.setPlaceholderText(translate("SnapshotsTab", "Filter snapshots"))
        self._filter.setToolTip(translate("SnapshotsTab",
                                          "Show only snapshots whose name, description or tags "
                                          "contain every word typed here"))
        self._filter.setClearButtonEnabled(True)
        metrics = self._filter.fontMetrics()
        # Room for the hint in any language (CJK glyphs are wider than the average).
        self._filter.setMinimumWidth(max(metrics.averageCharWidth() * 28,
                                         metrics.horizontalAdvance(self._filter.placeholderText())
                                         + 4 * metrics.averageCharWidth()))
        self._filter.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._filter.textChanged.connect(self._on_filter)
        layout.addWidget(self._filter)
        return bar

    # --- public API -------------------------------------------------------------------

    def set_vm(self, session: PoolSession | None, vm_ref: str | None) -> None:
        """Show ``vm_ref``'s snapshots (None: nothing selected)."""
        if session is self._session and vm_ref == self._vm_ref:
            return
        self._details.show_snapshots([], vm_has_snapshots=True)  # commits unsaved edits
        if session is not self._session:
            if self._session is not None:
                self._session.cacheChanged.disconnect(self._on_cache_changed)
            self._session = session
            if session is not None:
                session.cacheChanged.connect(self._on_cache_changed)
            self._details.set_session(session)
        self._vm_ref = vm_ref if session is not None else None
        self._selected = []
        self._keep_view = False
        self._refresh_timer.stop()
        self._refresh()

    def session(self) -> PoolSession | None:
        return self._session

    def vm_ref(self) -> str | None:
        return self._vm_ref

    def view_mode(self) -> str:
        return self._view_mode

    def set_view_mode(self, mode: str) -> None:
        if mode not in (TREE, LIST):
            raise ValueError(f"unknown snapshot view mode {mode!r}")
        if mode != self._view_mode:
            self._view_mode = mode
            self._sync_view(mode)
            self._views.setCurrentIndex(0 if mode == TREE else 1)
            self._push_selection()
            self._sync_view_actions()
            self._update_counts()
            self.viewModeChanged.emit(mode)
        else:
            self._sync_view_actions()

    def show_scheduled(self) -> bool:
        return self._show_scheduled

    def set_show_scheduled(self, show: bool) -> None:
        show = bool(show)
        if show == self._show_scheduled:
            return
        self._show_scheduled = show
        with QSignalBlocker(self._scheduled_toggle):
            self._scheduled_toggle.setChecked(show)
        self._refresh()
        self.showScheduledChanged.emit(show)

    def selected_snapshots(self) -> list[str]:
        """The selected snapshot refs, oldest first."""
        return list(self._selected)

    def select_snapshots(self, refs: Iterable[str]) -> None:
        """Select these snapshots (those shown) in both views."""
        wanted = [r for r in refs if r in self._infos]
        self._set_selection(self._ordered(wanted), push=True)

    def set_busy(self, busy: bool) -> None:
        """Show "Now" as working, e.g. from the moment the user asks for a snapshot."""
        self._explicit_busy = bool(busy)
        self._apply_busy()

    def is_busy(self) -> bool:
        return self._graph.is_busy()

    def set_view_actions(self, tree_action: QAction, list_action: QAction) -> None:
        """Drive the toggle with the main window's actions (checkable, exclusive)."""
        for action, mode in ((tree_action, TREE), (list_action, LIST)):
            action.setCheckable(True)
            if action.icon().isNull():
                action.setIcon(_view_icon(mode, self.palette()))
            action.toggled.connect(lambda checked, m=mode: self._view_action_toggled(checked, m))
        self._tree_action, self._list_action = tree_action, list_action
        self._tree_button.setDefaultAction(tree_action)
        self._list_button.setDefaultAction(list_action)
        self._sync_view_actions()

    def refresh(self) -> None:
        """Rebuild now (normally the tab does this itself when the cache changes)."""
        self._refresh_timer.stop()
        self._refresh()

    # Widgets, for tests and diagnostics: brought up to date even if hidden.
    def graph_view(self) -> SnapshotGraphView:
        self._catch_up()
        return self._graph

    def list_view(self) -> SnapshotListView:
        self._catch_up()
        return self._list

    def list_model(self) -> SnapshotListModel:
        self._catch_up()
        return self._model

    def proxy_model(self) -> SnapshotFilterProxy:
        self._catch_up()
        return self._proxy

    def details(self) -> SnapshotDetails:
        return self._details

    def tree(self) -> SnapshotTree | None:
        """The tree last shown (scheduled snapshots hidden or not, as toggled)."""
        return self._tree

    def graph_nodes(self) -> list[GraphNode]:
        self._catch_up()
        return self._graph_nodes

    # --- live updates -----------------------------------------------------------------

    def _on_cache_changed(self, changes: Changes) -> None:
        if self._concerns_us(changes):
            self._keep_view = True
            self._refresh_timer.start()

    def _concerns_us(self, changes: Changes) -> bool:
        vm_ref = self._vm_ref
        session = self._session
        if vm_ref is None or session is None:
            return False
        if changes.resync:
            return True
        touched_vms = changes.touched("VM")
        if touched_vms & self._watch_vms:
            return True
        cache = session.cache
        for ref in changes.added("VM"):
            rec = cache.get("VM", ref)
            if rec is not None and rec.get("snapshot_of") == vm_ref:
                return True
        for ref in changes.removed("VM"):
            old = changes.removed_records.get(ref)
            if old is not None and old.get("snapshot_of") == vm_ref:
                return True
        if changes.touched("VBD") & self._watch_vbds or changes.touched("VDI") & self._watch_vdis:
            return True
        for ref in changes.added("VBD"):  # a new snapshot's disks may come after its record
            rec = cache.get("VBD", ref)
            if rec is not None and rec.get("VM") in self._watch_vms:
                return True
        return bool(changes.touched("VMSS") & self._watch_vmss
                    or changes.touched("task") & self._watch_tasks)

    def _on_thumbnail(self, blob_ref: str) -> None:
        if blob_ref in self._blob_refs:
            self._keep_view = True
            self._refresh_timer.start()

    # --- rebuilding -------------------------------------------------------------------

    def _refresh(self) -> None:
        keep_view, self._keep_view = self._keep_view, False
        self.refresh_count += 1
        session, vm_ref = self._session, self._vm_ref
        vm = session.cache.get("VM", vm_ref) if session is not None else None
        if session is None or vm_ref is None or vm is None:
            if session is None or vm_ref is None:
                self._show_nothing(translate("SnapshotsTab", "Select a VM to see its snapshots."))
            elif "VM" not in session.cache.tracked:  # the first load has not arrived yet
                self._show_nothing(translate("SnapshotsTab", "Loading snapshots…"))
            else:
                self._show_nothing(translate("SnapshotsTab", "This VM is no longer in the pool."))
            return
        cache = session.cache
        self._pages.setCurrentIndex(1)
        conn = session.connection
        if conn is not None:
            clock = PoolClock(conn.info)
            if clock != self._clock:
                self._clock = clock
                self._model.set_clock(clock)
                self._details.set_clock(clock)

        tree = SnapshotTree.build(cache, vm_ref, show_scheduled=self._show_scheduled)
        self._tree = tree
        self._infos = {ref: SnapshotInfo.from_record(cache, ref, node.rec or {}, node.size)
                       for ref, node in tree.nodes.items()}
        self._watch(cache, vm_ref, vm)

        self._graph_vm_name = str(vm.get("name_label", ""))
        busy_caption = self._busy_caption = _busy_caption(cache, vm)
        self._stale = {TREE, LIST}
        self._sync_view(self._view_mode, keep_view=keep_view)
        self._apply_busy(busy_caption)
        self._update_header(cache, vm, tree)

        # Keep what is still there; the active view decides (it may have hidden some).
        survivors = [r for r in self._selected if r in self._visible_refs()]
        self._set_selection(self._ordered(survivors), push=True, force_details=True)

    def _sync_view(self, mode: str, *, keep_view: bool = True) -> None:
        """Bring the view of ``mode`` up to date with the tree last built."""
        if mode not in self._stale or self._tree is None:
            return
        self._stale.discard(mode)
        self._syncing += 1
        try:
            if mode == TREE:
                assert self._session is not None and self._vm_ref is not None
                shows = (self._session, self._vm_ref)
                self._graph_nodes = self._build_graph_nodes(self._tree, self._graph_vm_name)
                self._graph.set_nodes(self._graph_nodes,
                                      now_busy=self._busy(self._busy_caption),
                                      keep_view=keep_view and self._graph_shows == shows)
                self._graph_shows = shows
            else:
                self._model.set_snapshots(self._infos.values())
        finally:
            self._syncing -= 1

    def _catch_up(self) -> None:
        if not self._stale:
            return
        for mode in sorted(self._stale):
            self._sync_view(mode)
        self._push_selection()

    def _show_nothing(self, text: str) -> None:
        self._placeholder.setText(text)
        self._pages.setCurrentIndex(0)
        self._tree = None
        self._infos = {}
        self._graph_nodes = []
        self._watch_vms = set()
        self._watch_vbds = set()
        self._watch_vdis = set()
        self._watch_vmss = set()
        self._watch_tasks = set()
        self._blob_refs = set()
        self._stale = set()
        self._graph_shows = None
        self._syncing += 1
        try:
            self._graph.set_nodes([], keep_view=False)
            self._model.set_snapshots(())
        finally:
            self._syncing -= 1
        self._set_selection([], push=False, force_details=True)

    def _watch(self, cache: ObjectCache, vm_ref: str, vm: Record) -> None:
        """Remember which objects' changes concern this tab."""
        snapshots = set(vm.get("snapshots") or ())
        self._watch_vms = {vm_ref} | snapshots
        vbd_table = cache.records("VBD")
        vm_table = cache.records("VM")
        vbds: set[str] = set()
        vdis: set[str] = set()
        for ref in snapshots:
            rec = vm_table.get(ref)
            if rec is None:
                continue
            for vbd_ref in rec.get("VBDs") or ():
                vbds.add(vbd_ref)
                vbd = vbd_table.get(vbd_ref)
                if vbd is not None and vbd.get("VDI") is not None:
                    vdis.add(vbd["VDI"])
            if rec.get("suspend_VDI") is not None:
                vdis.add(rec["suspend_VDI"])
        self._watch_vbds = vbds
        self._watch_vdis = vdis
        schedule = vm.get("snapshot_schedule")
        self._watch_vmss = {schedule} if isinstance(schedule, str) else set()
        self._watch_tasks = set((vm.get("current_operations") or {}).keys())
        self._blob_refs = {i.screenshot_blob for i in self._infos.values()
                           if i.screenshot_blob is not None}

    def _build_graph_nodes(self, tree: SnapshotTree, vm_name: str) -> list[GraphNode]:
        words = self._filter_words
        shown = {ref for ref, info in self._infos.items() if not words or matches(info, words)}
        conn = self._session.connection if self._session is not None else None

        def parent_key(node: SnapshotNode) -> str:
            above = node.parent
            while above is not None and above.ref not in shown:
                above = above.parent
            return above.ref if above is not None and above.ref is not None else BASE_KEY

        nodes = [GraphNode(BASE_KEY, None, vm_name, None, BASE, tooltip=vm_name)]
        for node in tree.walk():
            if node.is_now:
                nodes.append(GraphNode(NOW_KEY, parent_key(node), translate("SnapshotsTab",
                                                                            "Now"), None, NOW))
                continue
            ref = node.ref
            if ref is None or ref not in shown:
                continue
            info = self._infos[ref]
            thumbnail = (self._thumbnails.get(conn, info.screenshot_blob, info.screenshot_inline)
                         if info.has_screenshot else None)
            when = info.time - self._clock.skew if info.time is not None else None
            nodes.append(GraphNode(ref, parent_key(node), info.name, when, info.kind,
                                   thumbnail=thumbnail))
        return nodes

    def _tooltip_of(self, ref: str) -> str:
        info = self._infos.get(ref)
        return self._node_tooltip(info) if info is not None else ""

    def _node_tooltip(self, info: SnapshotInfo) -> str:
        """Plain lines under the graph's own (name, type, local time)."""
        lines = [translate("SnapshotsTab",
                           "Pool time: %1").replace("%1", self._clock.pool_text(info.time))]
        if info.is_scheduled or info.has_memory:
            lines.append(translate("SnapshotsTab", "Type: %1").replace("%1", kind_text(info)))
        lines.append(translate("SnapshotsTab", "Size: %1").replace("%1", size_text(info.size)))
        if info.power_state:
            lines.append(translate("SnapshotsTab",
                                   "VM was: %1").replace("%1", power_state_text(info.power_state)))
        if info.is_scheduled:
            lines.append(translate("SnapshotsTab",
                                   "Schedule: %1").replace("%1", schedule_text(info)))
        if info.tags:
            lines.append(translate("SnapshotsTab", "Tags: %1").replace("%1", ", ".join(info.tags)))
        if info.description:
            lines.append(info.description)
        return "\n".join(lines)

    def _update_header(self, cache: ObjectCache, vm: Record, tree: SnapshotTree) -> None:
        self._vm_name.setText(str(vm.get("name_label", "")))
        self._vm_name.setToolTip(str(vm.get("name_label", "")))
        pool = Pool.of(cache)
        restricted = pool is not None and pool.vmss_restricted
        schedule_ref = vm.get("snapshot_schedule")
        vmss = cache.get("VMSS", schedule_ref)
        if restricted:
            self._schedule_text.setText(translate("SnapshotsTab",
                                                  "Snapshot schedules are not available with this "
                                                  "pool's licence."))
            self._schedule_link.hide()
        elif vmss is not None and isinstance(schedule_ref, str):
            state = "" if vmss.get("enabled") else translate("SnapshotsTab", " (disabled)")
            self._schedule_text.setText(translate("SnapshotsTab", "Snapshot schedule:"))
            self._set_link(schedule_ref, str(vmss.get("name_label", "")) + state,
                           translate("SnapshotsTab", "Open this schedule in VM Snapshot Schedules"))
        else:
            self._schedule_text.setText(translate("SnapshotsTab",
                                                  "Not part of a snapshot schedule."))
            self._set_link("", translate("SnapshotsTab", "View snapshot schedules…"),
                           translate("SnapshotsTab", "Open VM Snapshot Schedules"))
        depth = tree.max_depth
        if tree.chain_warning:
            self._chain_warning.setText(translate("SnapshotsTab",
                "This VM's longest snapshot chain is %1 deep; XenServer refuses new snapshots "
                "beyond %2. Delete snapshots you no longer need to make room.")
                .replace("%1", str(depth)).replace("%2", str(XAPI_CHAIN_LIMIT)))
            self._chain_warning.show()
        else:
            self._chain_warning.hide()
        self._update_counts()

    def _set_link(self, href: str, text: str, tip: str) -> None:
        self._schedule_link.setText(f'<a href="vmss:{html.escape(href)}">{html.escape(text)}</a>')
        self._schedule_link.setToolTip(tip)
        self._schedule_link.show()

    def _on_schedule_link(self, link: str) -> None:
        self.scheduleLinkActivated.emit(link.removeprefix("vmss:"))

    def _update_counts(self) -> None:
        tree = self._tree
        if tree is None:
            self._counts.setText("")
            return
        total = tree.count
        parts = [
            translate("SnapshotsTab", "%n snapshot(s)", None, total)
            if total
            else translate("SnapshotsTab", "No snapshots")
        ]
        if total:
            parts.append(translate("SnapshotsTab",
                                   "%1 on storage").replace("%1", size_text(tree.total_size)))
        hidden = len(tree.hidden)
        if hidden:
            parts.append(translate("SnapshotsTab", "%n scheduled hidden", None, hidden))
        visible = len(self._visible_refs())
        if self._filter_words:
            parts.append(translate("SnapshotsTab", "%n shown", None, visible))
        self._counts.setText(" · ".join(parts))
        if tree.is_empty:
            empty = translate("SnapshotsTab",
                              "No snapshots of this VM yet. Take one with Take Snapshot.")
        elif visible == 0 and self._filter_words:
            empty = translate("SnapshotsTab", "No snapshots match the filter.")
        elif visible == 0 and hidden:
            empty = translate("SnapshotsTab",
                              "This VM has only scheduled snapshots. Tick “Show scheduled "
                              "snapshots” to see them.")
        else:
            empty = ""
        self._list.set_placeholder(empty)
        self._graph.set_empty_text(empty)

    # --- busy -------------------------------------------------------------------------

    def _busy(self, caption: str | None) -> bool:
        return self._explicit_busy or caption is not None

    def _apply_busy(self, caption: str | None = None) -> None:
        if caption is None and self._session is not None and self._vm_ref is not None:
            vm = self._session.cache.get("VM", self._vm_ref)
            caption = _busy_caption(self._session.cache, vm) if vm is not None else None
        self._graph.set_busy(self._busy(caption), caption)

    # --- filter -----------------------------------------------------------------------

    def _on_filter(self, text: str) -> None:
        words = tuple(text.casefold().split())
        if words == self._filter_words:
            return
        self._filter_words = words
        self._proxy.set_filter_text(text)
        if self._tree is not None:
            self._keep_view = True
            self._refresh()

    def _visible_refs(self) -> set[str]:
        """Snapshots the active view shows (the filter may hide some)."""
        words = self._filter_words
        return {ref for ref, info in self._infos.items() if not words or matches(info, words)}

    # --- selection --------------------------------------------------------------------

    def _ordered(self, refs: Iterable[str]) -> list[str]:
        epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
        unique = dict.fromkeys(refs)
        return sorted(unique, key=lambda r: (self._infos[r].time or epoch, r)
                      if r in self._infos else (epoch, r))

    def _on_graph_selection(self, keys: list[str]) -> None:
        if self._syncing or self._view_mode != TREE:
            return
        self._set_selection(self._ordered(keys), push=True)

    def _on_list_selection(self) -> None:
        if self._syncing or self._view_mode != LIST:
            return
        self._set_selection(self._ordered(self._list_selected()), push=True)

    def _list_selected(self) -> list[str]:
        refs = []
        for index in self._list.selectionModel().selectedRows(0):
            ref = index.data(REF_ROLE)
            if isinstance(ref, str):
                refs.append(ref)
        return refs

    def _set_selection(self, refs: list[str], *, push: bool, force_details: bool = False) -> None:
        changed = refs != self._selected
        self._selected = refs
        if push:
            self._push_selection()
        if changed or force_details:
            infos = [self._infos[r] for r in refs if r in self._infos]
            self._details.show_snapshots(infos, vm_has_snapshots=bool(
                self._tree is not None and not self._tree.is_empty))
        if changed:
            self.selectionChanged.emit(list(refs))

    def _push_selection(self) -> None:
        """Make both views show the tab's selection (without echoing back)."""
        refs = self._selected
        self._syncing += 1
        try:
            if TREE not in self._stale and set(self._graph.selected_keys()) != set(refs):
                self._graph.select_keys(refs)
            if LIST not in self._stale and sorted(self._list_selected()) != sorted(refs):
                selection = QItemSelection()
                last = None
                for ref in refs:
                    row = self._model.row_of(ref)
                    if row is None:
                        continue
                    index = self._proxy.mapFromSource(self._model.index(row, 0))
                    if index.isValid():
                        selection.select(index, index)
                        last = index
                model = self._list.selectionModel()
                flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                         | QItemSelectionModel.SelectionFlag.Rows)
                model.select(selection, flags)
                if last is not None:
                    model.setCurrentIndex(last, QItemSelectionModel.SelectionFlag.NoUpdate)
                    self._list.scrollTo(last)
        finally:
            self._syncing -= 1

    # --- context menus ----------------------------------------------------------------

    def _on_graph_menu(self, key: object, global_pos: QPoint) -> None:
        if not isinstance(key, str):
            self.contextMenuRequested.emit(None, global_pos)
            return
        refs = self._selected if key in self._selected else [key]
        self.contextMenuRequested.emit(list(refs), global_pos)

    def _on_list_menu(self, pos: QPoint) -> None:
        global_pos = self._list.viewport().mapToGlobal(pos)
        index = self._list.indexAt(pos)
        ref = index.data(REF_ROLE) if index.isValid() else None
        if not isinstance(ref, str):
            self.contextMenuRequested.emit(None, global_pos)
            return
        if ref not in self._selected:
            self.select_snapshots([ref])
        self.contextMenuRequested.emit(list(self._selected), global_pos)

    # --- view toggle ------------------------------------------------------------------

    def _view_action_toggled(self, checked: bool, mode: str) -> None:
        if checked:
            self.set_view_mode(mode)

    def _sync_view_actions(self) -> None:
        for action, mode in ((self._tree_action, TREE), (self._list_action, LIST)):
            if action.isChecked() != (mode == self._view_mode):
                with QSignalBlocker(action):
                    action.setChecked(mode == self._view_mode)
        for button in (self._tree_button, self._list_button):
            button.update()
