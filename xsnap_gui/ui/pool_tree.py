"""The pool tree: server connections, their pools, hosts and VMs.

Levels::

    server connection (one per PoolSession; shows the connection state)
      pool
        host …            (natural order by name)
          VM …            (Running or Paused, resident on this host)
        VM …              (halted, suspended, or running somewhere unknown; after the hosts)

Templates, snapshots and control domains are not shown. Every VM row carries its
power state, its snapshot count, and a warning when its snapshot chain nears
xapi's limit or its schedule's last run failed or was missed.

The model follows each session's ``cacheChanged`` incrementally and never
resets: every change becomes the smallest set of row insertions, removals and
moves (a VM starting moves from the pool to its host) plus ``dataChanged`` for
rows that stayed, so selection and expansion in views survive. A resync (full
reload) is applied the same way, as a diff. Children of every node are kept
sorted by a key stored in the node, which also finds a node's row by bisection.

:class:`PoolFilterProxy` filters VMs by name and keeps their ancestors;
:class:`PoolTreeView` is a tree view set up for both.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import html
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDateTime,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeView,
    QWidget,
)

from ..model.cache import Changes, ObjectCache, Record
from ..model.schedules import FAILED, MISSED, RunRecord, run_history
from ..model.snapshots import DEFAULT_WARN_DEPTH, XAPI_CHAIN_LIMIT, SnapshotTree
from ..model.sync import CONNECTED, CONNECTING, RECONNECTING, SyncState
from ..model.sync import FAILED as SYNC_FAILED
from ..xapi.errors import from_failure
from . import icons
from .connections.texts import sync_reason
from .pool_session import PoolSession

_NO_PARENT = QModelIndex()  # the root, as a default argument
AnyIndex = QModelIndex | QPersistentModelIndex
RefRole = Qt.ItemDataRole.UserRole + 1  # the object's ref (None for a server row)
KindRole = Qt.ItemDataRole.UserRole + 2  # "server", "pool", "host" or "vm"
SessionRole = Qt.ItemDataRole.UserRole + 3  # the PoolSession the row belongs to
NameRole = Qt.ItemDataRole.UserRole + 4  # the plain name (what the filter matches)
SnapshotCountRole = Qt.ItemDataRole.UserRole + 5  # VMs: how many snapshots
PowerStateRole = Qt.ItemDataRole.UserRole + 6  # VMs: Running, Halted, Suspended, Paused
WarningsRole = Qt.ItemDataRole.UserRole + 7  # VMs: list of warning texts (empty: none)

SERVER = "server"
POOL = "pool"
HOST = "host"
VM = "vm"

ON_HOST_STATES = frozenset({"Running", "Paused"})
_HOST_GROUP = 0  # hosts sort before the VMs that sit directly under the pool
_VM_GROUP = 1
_DIGITS = re.compile(r"(\d+)")
# Up to this many VM moves in one batch are signalled row by row (rowsMoved); more
# become one layout change (see PoolTreeModel._move_many).
MOVE_BATCH = 32

Key = tuple[Any, ...]


def natural_key(name: str) -> tuple[str | int, ...]:
    """Sort key that orders numbers by value: web-2 before web-10, case-insensitive.

    The split alternates text and digits and always starts with text, so two
    keys compare text with text and numbers with numbers.
    """
    return tuple(int(part) if i % 2 else part.casefold()
                 for i, part in enumerate(_DIGITS.split(name)))


def _is_real_vm(rec: Record) -> bool:
    return not (rec.get("is_a_template") or rec.get("is_a_snapshot")
                or rec.get("is_control_domain"))


def _format_time(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    moment = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    return QLocale().toString(moment, QLocale.FormatType.ShortFormat)


class _Node:
    """One row. ``key`` orders siblings and is the key the node was last placed by."""

    __slots__ = ("children", "id", "key", "kind", "parent", "ref", "tree")

    def __init__(self, node_id: int, kind: str, ref: str | None, key: Key,
                 parent: _Node | None, tree: _SessionTree | None) -> None:
        self.id = node_id
        self.kind = kind
        self.ref = ref
        self.key = key
        self.parent = parent
        self.tree = tree
        self.children: list[_Node] = []

    def walk(self) -> Iterator[_Node]:
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.children)


_node_key = attrgetter("key")


class _SessionTree:
    """What the model knows of one session: its nodes and per-VM caches."""

    def __init__(self, session: PoolSession, server: _Node) -> None:
        self.session = session
        self.server = server
        self.pool: _Node | None = None
        self.hosts: dict[str, _Node] = {}
        self.vms: dict[str, _Node] = {}
        self.depths: dict[str, int] = {}  # VM ref -> deepest snapshot chain
        self.health: dict[str, RunRecord | None] = {}  # VMSS ref -> latest run record
        self.on_changes: Callable[[Changes], None] | None = None
        self.on_state: Callable[[SyncState], None] | None = None

    @property
    def cache(self) -> ObjectCache:
        return self.session.cache


class PoolTreeModel(QAbstractItemModel):
    """Servers → pool → hosts → VMs for any number of :class:`PoolSession` objects.

    ``warn_depth`` is the snapshot chain depth from which a VM is flagged.
    """

    def __init__(self, parent: QObject | None = None, *,
                 warn_depth: int = DEFAULT_WARN_DEPTH) -> None:
        super().__init__(parent)
        self.warn_depth = warn_depth
        self._ids = itertools.count(1)
        self._root = _Node(0, "root", None, (), None, None)
        self._nodes: dict[int, _Node] = {}
        self._trees: list[_SessionTree] = []
        # Bumped around every change announced, so a proxy can tell its caches are stale
        # even while it is still handling the change.
        self.generation = 0

    # --- sessions ---------------------------------------------------------------------

    def sessions(self) -> list[PoolSession]:
        return [t.session for t in self._trees]

    def add_session(self, session: PoolSession) -> None:
        """Show ``session`` as the last server row, with what its cache holds now."""
        if self._tree_of(session) is not None:
            return
        row = len(self._root.children)
        server = self._new_node(SERVER, None, (next(self._ids),), self._root, None)
        tree = _SessionTree(session, server)
        server.tree = tree
        pool = self._build_pool(tree)
        if pool is not None:
            server.children.append(pool)
        self.generation += 1
        self.beginInsertRows(QModelIndex(), row, row)
        self._root.children.append(server)
        self._trees.append(tree)
        self.endInsertRows()
        self.generation += 1
        tree.on_changes = functools.partial(self._on_cache_changed, tree)
        tree.on_state = functools.partial(self._on_state_changed, tree)
        session.cacheChanged.connect(tree.on_changes)
        session.stateChanged.connect(tree.on_state)

    def remove_session(self, session: PoolSession) -> None:
        tree = self._tree_of(session)
        if tree is None:
            return
        session.cacheChanged.disconnect(tree.on_changes)
        session.stateChanged.disconnect(tree.on_state)
        row = self._root.children.index(tree.server)
        self.generation += 1
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._root.children[row]
        self._trees.remove(tree)
        self._forget(tree.server)
        self.endRemoveRows()
        self.generation += 1

    def _tree_of(self, session: PoolSession) -> _SessionTree | None:
        for tree in self._trees:
            if tree.session is session:
                return tree
        return None

    # --- lookups for views and the window ----------------------------------------------

    def index_of(self, session: PoolSession, ref: str | None = None) -> QModelIndex:
        """The row of ``ref`` (a pool, host or VM) in ``session``; the server row for None."""
        tree = self._tree_of(session)
        if tree is None:
            return QModelIndex()
        node: _Node | None
        if ref is None:
            node = tree.server
        elif tree.pool is not None and tree.pool.ref == ref:
            node = tree.pool
        else:
            node = tree.vms.get(ref) or tree.hosts.get(ref)
        return self._index_of_node(node) if node is not None else QModelIndex()

    def vm_names_below(self, index: AnyIndex) -> Iterator[str]:
        """The names of the VMs in the subtree of ``index`` (quick: no indexes made)."""
        node = self._node(index)
        for n in node.walk():
            if n.kind == VM and n.tree is not None:
                rec = n.tree.cache.get("VM", n.ref)
                if rec is not None:
                    yield str(rec.get("name_label") or "")

    def chain_depth(self, session: PoolSession, vm_ref: str) -> int:
        """The deepest snapshot chain of a VM (computed once, until the VM changes)."""
        tree = self._tree_of(session)
        return self._depth(tree, vm_ref) if tree is not None else 0

    # --- Qt model interface -----------------------------------------------------------

    def _node(self, index: AnyIndex) -> _Node:
        if not index.isValid():
            return self._root
        return self._nodes.get(index.internalId(), self._root)

    def index(self, row: int, column: int,
              parent: AnyIndex = _NO_PARENT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        node = self._node(parent)
        if row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row].id)

    def parent(self, index: AnyIndex | None = None) -> Any:
        if index is None:
            return super().parent()  # QObject.parent(), which shares the name
        if not index.isValid():
            return QModelIndex()
        node = self._nodes.get(index.internalId())
        if node is None or node.parent is None or node.parent is self._root:
            return QModelIndex()
        return self._index_of_node(node.parent)

    def rowCount(self, parent: AnyIndex = _NO_PARENT) -> int:  # noqa: N802 - Qt override
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._node(parent).children)

    def columnCount(self, parent: AnyIndex = _NO_PARENT) -> int:  # noqa: N802 - Qt override
        return 1

    def hasChildren(self, parent: AnyIndex = _NO_PARENT) -> bool:  # noqa: N802 - Qt override
        return self.rowCount(parent) > 0

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt override
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (section == 0 and orientation == Qt.Orientation.Horizontal
                and role == Qt.ItemDataRole.DisplayRole):
            return self.tr("Name")
        return None

    def data(self, index: AnyIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._nodes.get(index.internalId())
        if node is None or node.tree is None:
            return None
        tree = node.tree
        if role == KindRole:
            return node.kind
        if role == RefRole:
            return node.ref
        if role == SessionRole:
            return tree.session
        if node.kind == VM:
            return self._vm_data(tree, node, role)
        if node.kind == HOST:
            return self._host_data(tree, node, role)
        if node.kind == POOL:
            return self._pool_data(tree, node, role)
        return self._server_data(tree, node, role)

    # --- row contents -----------------------------------------------------------------

    def _server_data(self, tree: _SessionTree, node: _Node, role: int) -> Any:
        session = tree.session
        state = session.state
        if role == NameRole:
            return session.name
        if role == Qt.ItemDataRole.DisplayRole:
            if state.kind == CONNECTED:
                return session.name
            detail = self._state_detail(state, session.spec.url)
            if state.kind == SYNC_FAILED and detail:
                # The reason in the row itself: a failed server is what the user looks for.
                return self.tr("%1 — failed: %2").replace("%1", session.name).replace(
                    "%2", detail)
            return self.tr("%1 — %2").replace("%1", session.name).replace(
                "%2", self._state_text(state))
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.icon(_SERVER_ICONS.get(state.kind, "server-disconnected"))
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{html.escape(session.name)}</b>",
                     html.escape(session.spec.url),
                     html.escape(self._state_text(state))]
            detail = self._state_detail(state, session.spec.url)
            if detail:
                lines.append(html.escape(detail))
            technical = str(state.error) if state.error is not None else ""
            if technical and technical != detail:  # e.g. both fingerprints of a changed cert
                lines.append(html.escape(technical))
            return "<br>".join(lines)
        return None

    def _state_text(self, state: SyncState) -> str:
        if state.kind == CONNECTED:
            return self.tr("connected")
        if state.kind == CONNECTING:
            return self.tr("connecting…")
        if state.kind == RECONNECTING:
            return self.tr("reconnecting, attempt %n", "", state.attempt)
        if state.kind == SYNC_FAILED:
            return self.tr("failed")
        return self.tr("disconnected")

    @staticmethod
    def _state_detail(state: SyncState, url: str) -> str:
        if state.kind not in (RECONNECTING, SYNC_FAILED):
            return ""
        return sync_reason(state, url)

    def _pool_data(self, tree: _SessionTree, node: _Node, role: int) -> Any:
        rec = tree.cache.get("pool", node.ref) or {}
        if role in (Qt.ItemDataRole.DisplayRole, NameRole):
            return self._pool_name(tree, rec)
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.icon("pool")
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{html.escape(self._pool_name(tree, rec))}</b>"]
            description = str(rec.get("name_description") or "")
            if description:
                lines.append(html.escape(description))
            lines.append(self.tr("%n host(s)", "", len(tree.hosts)))
            lines.append(self.tr("%n VM(s)", "", len(tree.vms)))
            return "<br>".join(lines)
        return None

    def _pool_name(self, tree: _SessionTree, rec: Record) -> str:
        name = str(rec.get("name_label") or "")
        if name:
            return name
        # An unnamed pool is known by its coordinator, as XenCenter shows it.
        master = tree.cache.get("host", rec.get("master"))
        return str(master.get("name_label") or "") if master else self.tr("Pool")

    def _host_data(self, tree: _SessionTree, node: _Node, role: int) -> Any:
        rec = tree.cache.get("host", node.ref) or {}
        name = _host_name(rec)
        if role in (Qt.ItemDataRole.DisplayRole, NameRole):
            return name
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.icon("host" if rec.get("enabled", True) else "host-disabled")
        if role == Qt.ItemDataRole.ToolTipRole:
            lines = [f"<b>{html.escape(name)}</b>"]
            address = str(rec.get("address") or "")
            if address:
                lines.append(html.escape(address))
            pool_rec = tree.cache.get("pool", tree.pool.ref if tree.pool else None) or {}
            if pool_rec.get("master") == node.ref:
                lines.append(self.tr("Pool coordinator"))
            if not rec.get("enabled", True):
                lines.append(self.tr("Disabled (maintenance mode)"))
            lines.append(self.tr("%n running VM(s)", "", len(node.children)))
            return "<br>".join(lines)
        return None

    def _vm_data(self, tree: _SessionTree, node: _Node, role: int) -> Any:
        rec = tree.cache.get("VM", node.ref)
        if rec is None:
            return None
        name = str(rec.get("name_label") or "")
        if role == NameRole:
            return name
        count = len(rec.get("snapshots") or ())
        if role == Qt.ItemDataRole.DisplayRole:
            return self.tr("%1 (%2)").replace("%1", name).replace("%2", str(count)) if count \
                else name
        if role == SnapshotCountRole:
            return count
        power = str(rec.get("power_state") or "")
        if role == PowerStateRole:
            return power
        if role == Qt.ItemDataRole.DecorationRole:
            return icons.power_state_icon(power, warning=bool(self._warnings(tree, node, rec)))
        if role == WarningsRole:
            return self._warnings(tree, node, rec)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._vm_tooltip(tree, node, rec, name, count, power)
        return None

    def _vm_tooltip(self, tree: _SessionTree, node: _Node, rec: Record, name: str, count: int,
                    power: str) -> str:
        lines = [f"<b>{html.escape(name)}</b>"]
        description = str(rec.get("name_description") or "")
        if description:
            lines.append(html.escape(description))
        state = self._power_text(power)
        if power in ON_HOST_STATES and node.parent is not None and node.parent.kind == HOST:
            host = _host_name(tree.cache.get("host", node.parent.ref) or {})
            state = self.tr("%1 on %2").replace("%1", state).replace("%2", html.escape(host))
        lines.append(state)
        lines.append(self.tr("%n snapshot(s)", "", count))
        for warning in self._warnings(tree, node, rec):
            lines.append("⚠ " + html.escape(warning))
        return "<br>".join(lines)

    def _power_text(self, power: str) -> str:
        texts = {
            "Running": self.tr("Running"),
            "Halted": self.tr("Halted"),
            "Suspended": self.tr("Suspended"),
            "Paused": self.tr("Paused"),
        }
        return texts.get(power, power or self.tr("Unknown state"))

    # --- warnings ---------------------------------------------------------------------

    def _depth(self, tree: _SessionTree, vm_ref: str) -> int:
        depth = tree.depths.get(vm_ref)
        if depth is None:
            rec = tree.cache.get("VM", vm_ref)
            if rec is None or not rec.get("snapshots"):
                depth = 0
            else:
                depth = SnapshotTree.build(tree.cache, vm_ref, warn_depth=self.warn_depth
                                           ).max_depth
            tree.depths[vm_ref] = depth
        return depth

    def _latest_run(self, tree: _SessionTree, vmss_ref: str) -> RunRecord | None:
        if vmss_ref not in tree.health:
            history = run_history(tree.cache, vmss_ref, limit=1)
            tree.health[vmss_ref] = history[0] if history else None
        return tree.health[vmss_ref]

    def _warnings(self, tree: _SessionTree, node: _Node, rec: Record) -> list[str]:
        found = []
        assert node.ref is not None
        depth = self._depth(tree, node.ref)
        if depth >= self.warn_depth:
            found.append(self.tr(
                "Its snapshot chain is %1 deep; XenServer refuses new snapshots beyond %2. "
                "Delete old snapshots to make room.").replace("%1", str(depth)).replace(
                "%2", str(XAPI_CHAIN_LIMIT)))
        problem = self._schedule_problem(tree, rec)
        if problem:
            found.append(problem)
        return found

    def _schedule_problem(self, tree: _SessionTree, rec: Record) -> str:
        vmss_ref = rec.get("snapshot_schedule")
        vmss = tree.cache.get("VMSS", vmss_ref)
        if vmss is None or not isinstance(vmss_ref, str):
            return ""
        last = self._latest_run(tree, vmss_ref)
        if last is None or last.outcome not in (FAILED, MISSED):
            return ""
        schedule = str(vmss.get("name_label") or "")
        when = _format_time(last.timestamp)
        if last.outcome == MISSED:
            return self.tr("Schedule “%1” missed its last run (%2).").replace(
                "%1", schedule).replace("%2", when)
        if last.failures:
            uuid = rec.get("uuid")
            mine = [f for f in last.failures if f.vm_uuid == uuid]
            if not mine:
                return ""  # the run failed for other VMs of the schedule, not this one
            error = from_failure([mine[0].code, *mine[0].params]) if mine[0].code else None
            reason = error.message if error is not None else self.tr("unknown error")
            return self.tr("Schedule “%1” failed to snapshot it (%2): %3").replace(
                "%1", schedule).replace("%2", when).replace("%3", reason)
        return self.tr("Schedule “%1” failed on its last run (%2).").replace(
            "%1", schedule).replace("%2", when)

    # --- building ---------------------------------------------------------------------

    def _new_node(self, kind: str, ref: str | None, key: Key, parent: _Node,
                  tree: _SessionTree | None) -> _Node:
        node = _Node(next(self._ids), kind, ref, key, parent, tree)
        self._nodes[node.id] = node
        return node

    def _forget(self, node: _Node) -> None:
        tree = node.tree
        for n in node.walk():
            self._nodes.pop(n.id, None)
            if tree is None or n.ref is None:
                continue
            if n.kind == VM and tree.vms.get(n.ref) is n:
                del tree.vms[n.ref]
                tree.depths.pop(n.ref, None)
            elif n.kind == HOST and tree.hosts.get(n.ref) is n:
                del tree.hosts[n.ref]
            elif n.kind == POOL and tree.pool is n:
                tree.pool = None

    @staticmethod
    def _pool_ref(cache: ObjectCache) -> str | None:
        for ref in cache.records("pool"):
            return ref
        return None

    def _build_pool(self, tree: _SessionTree) -> _Node | None:
        """The pool node with all its hosts and VMs, not yet attached to the server node."""
        cache = tree.cache
        pool_ref = self._pool_ref(cache)
        if pool_ref is None:
            return None
        pool = self._new_node(POOL, pool_ref, (0,), tree.server, tree)
        tree.pool = pool
        for ref, rec in cache.records("host").items():
            tree.hosts[ref] = self._new_node(HOST, ref, _host_key(ref, rec), pool, tree)
        for ref, rec in cache.records("VM").items():
            if not _is_real_vm(rec):
                continue
            parent = self._parent_for(tree, rec)
            if parent is not None:
                node = self._new_node(VM, ref, _vm_key(ref, rec), parent, tree)
                tree.vms[ref] = node
                parent.children.append(node)
        pool.children.extend(tree.hosts.values())
        for node in pool.walk():
            node.children.sort(key=_node_key)
        return pool

    def _parent_for(self, tree: _SessionTree, rec: Record) -> _Node | None:
        """Where a VM belongs: its host while running or paused there, else the pool."""
        if tree.pool is None:
            return None
        if rec.get("power_state") in ON_HOST_STATES:
            host_ref = rec.get("resident_on")
            host = tree.hosts.get(host_ref) if isinstance(host_ref, str) else None
            if host is not None and tree.cache.get("host", host_ref) is not None:
                return host
        return tree.pool

    # --- rows -------------------------------------------------------------------------

    def _row(self, node: _Node) -> int:
        parent = node.parent
        assert parent is not None
        siblings = parent.children
        row = bisect.bisect_left(siblings, node.key, key=_node_key)
        if row < len(siblings) and siblings[row] is node:
            return row
        return siblings.index(node)  # not reached while keys stay sorted; kept as a safety net

    def _index_of_node(self, node: _Node) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(self._row(node), 0, node.id)

    def _insert(self, parent: _Node, nodes: list[_Node]) -> None:
        """Insert ``nodes`` (not yet in ``parent``) at their sorted places, in runs."""
        if not nodes:
            return
        nodes.sort(key=_node_key)
        parent_index = self._index_of_node(parent)
        siblings = parent.children
        i = 0
        while i < len(nodes):
            at = bisect.bisect_left(siblings, nodes[i].key, key=_node_key)
            # Everything that sorts before the next existing sibling goes in one run.
            limit = siblings[at].key if at < len(siblings) else None
            j = i + 1
            while j < len(nodes) and (limit is None or nodes[j].key < limit):
                j += 1
            self.generation += 1
            self.beginInsertRows(parent_index, at, at + (j - i) - 1)
            siblings[at:at] = nodes[i:j]
            self.endInsertRows()
            self.generation += 1
            i = j

    def _remove(self, parent: _Node, nodes: Iterable[_Node]) -> None:
        """Remove ``nodes`` (children of ``parent``) and their subtrees, in runs."""
        rows = sorted((self._row(n) for n in nodes), reverse=True)
        if not rows:
            return
        parent_index = self._index_of_node(parent)
        siblings = parent.children
        i = 0
        while i < len(rows):
            last = first = rows[i]
            i += 1
            while i < len(rows) and rows[i] == first - 1:
                first = rows[i]
                i += 1
            self.generation += 1
            self.beginRemoveRows(parent_index, first, last)
            gone = siblings[first:last + 1]
            del siblings[first:last + 1]
            for node in gone:
                self._forget(node)
            self.endRemoveRows()
            self.generation += 1

    def _fits(self, node: _Node, new_key: Key) -> bool:
        """Whether ``node`` can take ``new_key`` where it is and its siblings stay sorted."""
        assert node.parent is not None
        row = self._row(node)
        at = bisect.bisect_left(node.parent.children, new_key, key=_node_key)
        return at in (row, row + 1)

    def _place(self, node: _Node, new_parent: _Node, new_key: Key) -> bool:
        """Move ``node`` to its sorted place under ``new_parent``; False if it stayed put."""
        old_parent = node.parent
        assert old_parent is not None
        row = self._row(node)
        if old_parent is new_parent:
            siblings = old_parent.children
            at = bisect.bisect_left(siblings, new_key, key=_node_key)
            if at in (row, row + 1):
                node.key = new_key  # still between its neighbours
                return False
            parent_index = self._index_of_node(old_parent)
            self.generation += 1
            moving = self.beginMoveRows(parent_index, row, row, parent_index, at)
            assert moving, "a move within one parent was refused"
            del siblings[row]
            node.key = new_key
            siblings.insert(at if at < row else at - 1, node)
            self.endMoveRows()
            self.generation += 1
            return True
        target = new_parent.children
        at = bisect.bisect_left(target, new_key, key=_node_key)
        self.generation += 1
        moving = self.beginMoveRows(self._index_of_node(old_parent), row, row,
                                    self._index_of_node(new_parent), at)
        assert moving, "a move between parents was refused"
        del old_parent.children[row]
        node.key = new_key
        node.parent = new_parent
        target.insert(at, node)
        self.endMoveRows()
        self.generation += 1
        return True

    def _move_many(self, moves: list[tuple[_Node, _Node, Key]]) -> None:
        """Many moves as one layout change, persistent indexes carried over.

        A QSortFilterProxyModel rebuilds its whole mapping for every source row move,
        so a thousand single-row moves cost a thousand rebuilds; one layout change
        costs one. Selection and expansion survive as they do for single moves.
        """
        self.generation += 1
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        held = [self._nodes.get(index.internalId()) for index in persistent]
        for node, new_parent, new_key in moves:
            old_parent = node.parent
            assert old_parent is not None
            del old_parent.children[self._row(node)]
            node.key = new_key
            node.parent = new_parent
            bisect.insort(new_parent.children, node, key=_node_key)
        self.changePersistentIndexList(
            persistent, [self._index_of_node(n) if n is not None and n.id in self._nodes
                         else QModelIndex() for n in held])
        self.layoutChanged.emit()
        self.generation += 1

    def _changed(self, nodes: Iterable[_Node]) -> None:
        """dataChanged for these rows, one signal per run of adjacent rows.

        Not one span per parent: the view re-measures every row inside a span, so
        two changed VMs at either end of a 2,000-VM host would cost a second.
        """
        rows: dict[int, tuple[_Node, set[int]]] = {}
        for node in nodes:
            parent = node.parent
            if parent is None or node.id not in self._nodes:
                continue
            rows.setdefault(parent.id, (parent, set()))[1].add(self._row(node))
        for parent, changed_rows in rows.values():
            parent_index = self._index_of_node(parent)
            self.generation += 1
            for first, last in _runs(sorted(changed_rows)):
                self.dataChanged.emit(self.index(first, 0, parent_index),
                                      self.index(last, 0, parent_index))

    # --- live updates -----------------------------------------------------------------

    def _on_state_changed(self, tree: _SessionTree, _state: SyncState) -> None:
        self._changed([tree.server])

    def _on_cache_changed(self, tree: _SessionTree, changes: Changes) -> None:
        cache = tree.cache
        pool_ref = self._pool_ref(cache)
        if tree.pool is not None and tree.pool.ref != pool_ref:
            # The pool is gone (disconnected, cleared) or another one answers at this address.
            self._remove(tree.server, [tree.pool])
            tree.depths.clear()
            tree.health.clear()
        if tree.pool is None:
            pool = self._build_pool(tree)
            if pool is not None:
                self._insert(tree.server, [pool])
            return
        if changes.resync:
            tree.depths.clear()
            tree.health.clear()
            self._sync_all(tree)
        else:
            self._sync_changes(tree, changes)

    def _sync_all(self, tree: _SessionTree) -> None:
        """Bring every row in line with the cache (after a full reload)."""
        cache = tree.cache
        hosts = set(cache.records("host")) | set(tree.hosts)
        vms = {ref for ref, rec in cache.records("VM").items() if _is_real_vm(rec)}
        self._update(tree, hosts, vms | set(tree.vms), pool_changed=True)

    def _sync_changes(self, tree: _SessionTree, changes: Changes) -> None:
        cache = tree.cache
        removed = changes.removed_records
        dirty_vms: set[str] = set()
        for ref in changes.touched("VM"):
            rec = cache.get("VM", ref) or removed.get(ref)
            if rec is None:
                continue
            if rec.get("is_a_snapshot"):
                # A snapshot came, went or moved in its chain: its VM's depth may differ.
                owner = rec.get("snapshot_of")
                if isinstance(owner, str):
                    tree.depths.pop(owner, None)
                    dirty_vms.add(owner)
            else:
                tree.depths.pop(ref, None)
                dirty_vms.add(ref)
        for vmss_ref in self._schedules_touched(tree, changes):
            tree.health.pop(vmss_ref, None)
            dirty_vms.update(self._vms_of_schedule(tree, vmss_ref, changes))
        self._update(tree, set(changes.touched("host")), dirty_vms,
                     pool_changed=bool(changes.touched("pool")))

    def _schedules_touched(self, tree: _SessionTree, changes: Changes) -> set[str]:
        cache = tree.cache
        touched = set(changes.touched("VMSS"))
        for ref in changes.touched("message"):
            rec = cache.get("message", ref) or changes.removed_records.get(ref)
            if rec is None or rec.get("cls") not in ("VMSS", ""):
                continue
            vmss_ref = cache.by_uuid("VMSS", str(rec.get("obj_uuid") or ""))
            if vmss_ref is not None:
                touched.add(vmss_ref)
        return touched

    @staticmethod
    def _vms_of_schedule(tree: _SessionTree, vmss_ref: str, changes: Changes) -> set[str]:
        found: set[str] = set()
        for rec in (tree.cache.get("VMSS", vmss_ref), changes.removed_records.get(vmss_ref)):
            if rec is not None:
                found.update(rec.get("VMs") or ())
        found.update(tree.cache.referrers("VM", "snapshot_schedule", vmss_ref))
        return found

    def _update(self, tree: _SessionTree, dirty_hosts: set[str], dirty_vms: set[str], *,
                pool_changed: bool) -> None:
        """Apply host and VM changes: insertions, moves, removals, then dataChanged."""
        cache = tree.cache
        pool = tree.pool
        assert pool is not None
        changed: list[_Node] = []
        if pool_changed:
            changed.append(pool)

        # Hosts first, so VMs have somewhere to go. A host that is new or gone moves the
        # VMs that name it as resident_on, so those are looked at again too.
        new_hosts = []
        gone_hosts = []
        for ref in dirty_hosts:
            rec = cache.get("host", ref)
            node = tree.hosts.get(ref)
            if rec is not None and node is None:
                node = self._new_node(HOST, ref, _host_key(ref, rec), pool, tree)
                tree.hosts[ref] = node
                new_hosts.append(node)
                dirty_vms.update(cache.referrers("VM", "resident_on", ref))
            elif rec is None and node is not None:
                gone_hosts.append(node)
                dirty_vms.update(child.ref for child in node.children if child.ref)
            elif rec is not None and node is not None:
                self._place(node, pool, _host_key(ref, rec))
                changed.append(node)
        self._insert(pool, new_hosts)

        # VMs: moves and renames first, then removals and insertions in runs.
        leaving: dict[_Node, list[_Node]] = {}
        arriving: dict[_Node, list[_Node]] = {}
        moves: list[tuple[_Node, _Node, Key]] = []
        regrouped: set[_Node] = set()  # parents whose children came or went
        for ref in dirty_vms:
            rec = cache.get("VM", ref)
            node = tree.vms.get(ref)
            target = self._parent_for(tree, rec) if rec is not None and _is_real_vm(rec) \
                else None
            if target is None:
                if node is not None:
                    assert node.parent is not None
                    leaving.setdefault(node.parent, []).append(node)
                continue
            assert rec is not None
            key = _vm_key(ref, rec)
            if node is None:
                node = self._new_node(VM, ref, key, target, tree)
                tree.vms[ref] = node
                arriving.setdefault(target, []).append(node)
                continue
            changed.append(node)  # moved or not, its text or icon may differ
            if node.parent is target and self._fits(node, key):
                node.key = key
                continue
            if node.parent is not target:
                assert node.parent is not None
                regrouped.update((node.parent, target))
            moves.append((node, target, key))
        if len(moves) > MOVE_BATCH:
            self._move_many(moves)
        else:
            for node, target, key in moves:
                self._place(node, target, key)
        for parent, nodes in leaving.items():
            self._remove(parent, nodes)
        for parent, nodes in arriving.items():
            self._insert(parent, nodes)
        regrouped.update(leaving)
        regrouped.update(arriving)

        # Gone hosts are empty by now: their VMs went to the pool or elsewhere above.
        self._remove(pool, gone_hosts)
        # Hosts show how many VMs run on them, the pool its host and VM counts.
        if new_hosts or gone_hosts or regrouped:
            changed.append(pool)
        changed.extend(node for node in regrouped if node.kind == HOST)
        self._changed(changed)


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _host_name(rec: Record) -> str:
    return str(rec.get("name_label") or rec.get("hostname") or rec.get("address") or "")


def _host_key(ref: str, rec: Record) -> Key:
    name = _host_name(rec)
    return (_HOST_GROUP, natural_key(name), name, ref)


def _vm_key(ref: str, rec: Record) -> Key:
    name = str(rec.get("name_label") or "")
    return (_VM_GROUP, natural_key(name), name, ref)


_SERVER_ICONS = {
    CONNECTING: "server-connecting",
    CONNECTED: "server-connected",
    RECONNECTING: "server-reconnecting",
    SYNC_FAILED: "server-failed",
}


class PoolFilterProxy(QSortFilterProxyModel):
    """Shows the VMs whose name matches the filter (any case), and their ancestors.

    Any of QSortFilterProxyModel's filter setters works (``setFilterFixedString``
    is a case-insensitive substring match); :meth:`set_filter_text` trims the
    text first. With no filter every row shows.

    Recursive filtering keeps ancestors of matches. Left to itself it would look
    for a match below every ancestor again and again (once per level, per
    change), so over a :class:`PoolTreeModel` an ancestor answers from one walk of
    its subtree, remembered until the filter or the model changes.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setFilterRole(NameRole)
        self._below: dict[int, bool] = {}  # source internalId -> a match below it
        self._below_for: tuple[str, int, int] | None = None

    def set_filter_text(self, text: str) -> None:
        self.setFilterFixedString(text.strip())

    def filterAcceptsRow(self, source_row: int,  # noqa: N802 - Qt override
                         source_parent: AnyIndex) -> bool:
        pattern = self.filterRegularExpression()
        if not pattern.pattern():
            return True
        source = self.sourceModel()
        index = source.index(source_row, 0, source_parent)
        if index.data(KindRole) == VM:
            name = index.data(NameRole)
            return isinstance(name, str) and pattern.match(name).hasMatch()
        if not isinstance(source, PoolTreeModel):
            return False  # recursive filtering finds the matches below
        state = (pattern.pattern(), int(pattern.patternOptions().value), source.generation)
        if state != self._below_for:
            self._below_for = state
            self._below.clear()
        found = self._below.get(index.internalId())
        if found is None:
            found = any(pattern.match(name).hasMatch()
                        for name in source.vm_names_below(index))
            self._below[index.internalId()] = found
        return found


class PoolTreeDelegate(QStyledItemDelegate):
    """Draws a VM's snapshot count as a muted number at the right edge of its row.

    The count lines up down the tree and does not crowd the name, which is
    elided first when space runs short. Rows without a count draw as usual.
    """

    GAP = 8

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: AnyIndex) -> None:
        count = index.data(SnapshotCountRole)
        if index.data(KindRole) != VM or not count:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        number = QLocale().toString(int(count))
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        number_width = opt.fontMetrics.horizontalAdvance(number)
        # Leave room for the number; the style elides the name into what is left.
        opt.text = str(index.data(NameRole) or "")
        opt.rect = opt.rect.adjusted(0, 0, -(number_width + self.GAP), 0)
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        painter.save()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        if selected:
            # The selection background runs under the number too.
            band = option.rect.adjusted(option.rect.width() - number_width - self.GAP, 0, 0, 0)
            painter.fillRect(band, opt.palette.brush(QPalette.ColorRole.Highlight))
        color = QColor(opt.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text))
        color.setAlphaF(0.75 if selected else 0.5)
        painter.setPen(color)
        painter.setFont(opt.font)
        number_rect = text_rect.adjusted(0, 0, 0, 0)
        number_rect.setLeft(option.rect.right() - number_width - self.GAP // 2)
        number_rect.setRight(option.rect.right() - self.GAP // 2)
        painter.drawText(number_rect, int(Qt.AlignmentFlag.AlignRight
                                           | Qt.AlignmentFlag.AlignVCenter), number)
        painter.restore()


class PoolTreeView(QTreeView):
    """A tree view over a :class:`PoolTreeModel` through a :class:`PoolFilterProxy`.

    New servers and pools open as they appear; ``currentObjectChanged(session,
    kind, ref)`` follows the current row (None, "", None when there is none).
    """

    currentObjectChanged = Signal(object, str, object)  # noqa: N815 - Qt naming

    def __init__(self, model: PoolTreeModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("poolTree")
        self.pool_model = model
        self.proxy = PoolFilterProxy(self)
        self.proxy.setSourceModel(model)
        self.setModel(self.proxy)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)  # keeps big pools fast to lay out
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAnimated(False)
        self.setItemDelegate(PoolTreeDelegate(self))
        self.proxy.rowsInserted.connect(self._open_new_rows)
        selection = self.selectionModel()
        selection.currentChanged.connect(self._current_changed)
        self._open_new_rows(QModelIndex(), 0, self.proxy.rowCount() - 1)

    def set_filter_text(self, text: str) -> None:
        self.proxy.set_filter_text(text)
        if text.strip():
            self.expandAll()  # matches are what the user wants to see

    def _open_new_rows(self, parent: QModelIndex, first: int, last: int) -> None:
        for row in range(first, last + 1):
            index = self.proxy.index(row, 0, parent)
            kind = index.data(KindRole)
            if kind == VM:
                break  # hosts sort before VMs, and VMs have no rows to open
            if kind in (SERVER, POOL, HOST):
                self.expand(index)
                self._open_new_rows(index, 0, self.proxy.rowCount(index) - 1)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            self.currentObjectChanged.emit(None, "", None)
            return
        self.currentObjectChanged.emit(current.data(SessionRole), current.data(KindRole),
                                       current.data(RefRole))

    def current_object(self) -> tuple[PoolSession | None, str, str | None]:
        index = self.currentIndex()
        if not index.isValid():
            return None, "", None
        return index.data(SessionRole), index.data(KindRole), index.data(RefRole)

    def select_object(self, session: PoolSession, ref: str | None = None) -> bool:
        """Make the row of ``ref`` (or the server row) current; False if it is not shown."""
        source = self.pool_model.index_of(session, ref)
        index = self.proxy.mapFromSource(source)
        if not index.isValid():
            return False
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True


__all__ = [
    "HOST",
    "POOL",
    "SERVER",
    "VM",
    "KindRole",
    "NameRole",
    "PoolFilterProxy",
    "PoolTreeDelegate",
    "PoolTreeModel",
    "PoolTreeView",
    "PowerStateRole",
    "RefRole",
    "SessionRole",
    "SnapshotCountRole",
    "WarningsRole",
    "natural_key",
]
