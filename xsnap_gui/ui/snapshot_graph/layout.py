"""Where each node of a VM's snapshot tree goes on the timeline graph (Qt-free).

The graph reads left to right in time: a node's *column* is its chronological rank
among all nodes (so two nodes never share a column, whatever their timestamps), and
its *row* is the lane of the branch it sits on. The lanes form a tidy tree:

* the path from the root to the "Now" node is lane 0;
* at every node one child continues on the node's own lane (the child on the Now
  path, otherwise the child with the largest subtree) and the other children hang
  below it, each subtree packed as high as it fits without touching anything it
  could be confused with;
* trees whose root is not the main one (orphaned snapshots) are stacked below.

Packing works on *contours*: for every relative lane of a subtree, the hull of the
half-columns it occupies, including the connector that leads into it (connectors
turn down half a column right of their parent, on the column boundary). Because a
subtree's contour includes its lead-in, a branch never crosses another one and an
edge never runs through a node. Columns are a topological order, so the contours
are built in one pass from the newest column back to the oldest.

Cost: sorting is O(n log n). A contour is copied only when its subtree is a side
branch, and a side branch is never the largest child of a node off the Now path,
so each node is copied O(log n) times; the lane search tries at most
``SEARCH_LIMIT`` offsets before falling back to the free lane under everything.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

BASE = "base"
NOW = "now"
DISK = "disk"
DISK_AND_MEMORY = "disk_and_memory"
SCHEDULED = "scheduled"
KINDS = frozenset({BASE, NOW, DISK, DISK_AND_MEMORY, SCHEDULED})
SNAPSHOT_KINDS = frozenset({DISK, DISK_AND_MEMORY, SCHEDULED})

# Half-columns that must separate two things sharing a lane: one full column plus the
# connector slot, so a branch that ends is never read as flowing into the next one.
LANE_GAP = 2
SEARCH_LIMIT = 16


@dataclass(frozen=True)
class GraphNode:
    """One node of the graph, as plain data (the widget never sees XenAPI records)."""

    key: str  # snapshot ref, or "base" / "now"
    parent: str | None  # key of the parent node; None for roots (base, orphans)
    label: str
    time: datetime | None  # snapshot_time (aware UTC); None for base
    kind: str  # one of KINDS
    tooltip: str = ""
    thumbnail: bytes | None = None  # JPEG of the XenCenter.VNCSnapshot screenshot

    @property
    def is_snapshot(self) -> bool:
        return self.kind in SNAPSHOT_KINDS


@dataclass(frozen=True, slots=True)
class Position:
    column: int
    row: int


@dataclass(frozen=True)
class Layout:
    positions: Mapping[str, Position]
    columns: tuple[str, ...]  # node key per column, oldest first
    parents: Mapping[str, str | None]  # the parent each edge is drawn from
    children: Mapping[str, tuple[str, ...]]  # ordered by row
    main_path: frozenset[str]  # root → Now, inclusive; empty without a Now node
    now_key: str | None
    row_count: int
    tree_starts: tuple[int, ...]  # first row of each tree after the main one

    @property
    def column_count(self) -> int:
        return len(self.columns)

    def edges(self) -> Iterable[tuple[str, str]]:
        """(parent, child) pairs, in column order of the child."""
        for key in self.columns:
            parent = self.parents[key]
            if parent is not None:
                yield parent, key

    def is_ancestor(self, ancestor: str, key: str) -> bool:
        """Whether ``ancestor`` lies on the path from ``key``'s root to ``key`` (inclusive)."""
        limit = self.positions[ancestor].column
        current: str | None = key
        while current is not None and self.positions[current].column >= limit:
            if current == ancestor:
                return True
            current = self.parents[current]
        return False


@dataclass(frozen=True, slots=True)
class DayMark:
    column: int  # first column of the day
    day: date
    new_month: bool
    new_year: bool


def layout(nodes: Sequence[GraphNode]) -> Layout:
    """Lay out ``nodes``; duplicate keys keep their first occurrence."""
    by_key: dict[str, GraphNode] = {}
    for node in nodes:
        by_key.setdefault(node.key, node)
    if not by_key:
        return Layout({}, (), {}, {}, frozenset(), None, 0, ())

    now_key = next((k for k, n in by_key.items() if n.kind == NOW), None)
    base_key = next((k for k, n in by_key.items() if n.kind == BASE), None)
    parents = _effective_parents(by_key, now_key, base_key)
    children = _children(by_key, parents)
    columns = _chronological_order(by_key, parents, children)
    column_of = {key: i for i, key in enumerate(columns)}

    main_path: set[str] = set()
    walk: str | None = now_key
    while walk is not None:
        main_path.add(walk)
        walk = parents[walk]

    sizes = dict.fromkeys(columns, 1)
    for key in reversed(columns):
        parent = parents[key]
        if parent is not None:
            sizes[parent] += sizes[key]

    offsets, ordered_children, contours = _pack(columns, column_of, children, sizes, main_path)

    roots = [k for k in columns if parents[k] is None]
    main_root = (
        next((r for r in roots if r in main_path), None)
        or (base_key if base_key is not None and parents[base_key] is None else None)
        or roots[0]
    )
    rows: dict[str, int] = {}
    root_row = {main_root: 0}
    next_free = len(contours[main_root])
    tree_starts: list[int] = []
    for root in roots:
        if root != main_root:
            root_row[root] = next_free
            tree_starts.append(next_free)
            next_free += len(contours[root])
    for key in columns:
        parent = parents[key]
        rows[key] = root_row[key] if parent is None else rows[parent] + offsets[key]

    positions = {key: Position(column_of[key], rows[key]) for key in columns}
    return Layout(
        positions=positions,
        columns=tuple(columns),
        parents=parents,
        children=ordered_children,
        main_path=frozenset(main_path),
        now_key=now_key,
        row_count=next_free,
        tree_starts=tuple(tree_starts),
    )


def day_marks(result: Layout, nodes: Iterable[GraphNode], tz: tzinfo | None) -> list[DayMark]:
    """The columns that start a new calendar day in ``tz`` (None: the local zone)."""
    times = {n.key: n.time for n in nodes if n.time is not None}
    marks: list[DayMark] = []
    previous: date | None = None
    for column, key in enumerate(result.columns):
        when = times.get(key)
        if when is None:
            continue
        day = when.astimezone(tz).date()
        if previous is None or day > previous:
            marks.append(DayMark(
                column, day,
                new_month=previous is None or (day.year, day.month) != (previous.year,
                                                                        previous.month),
                new_year=previous is None or day.year != previous.year,
            ))
            previous = day
    return marks


def _effective_parents(by_key: Mapping[str, GraphNode], now_key: str | None,
                       base_key: str | None) -> dict[str, str | None]:
    parents: dict[str, str | None] = {}
    for key, node in by_key.items():
        parent = node.parent if node.parent in by_key and node.parent != key else None
        # XenCenter puts Now under the root when the VM's parent is not a known snapshot.
        if key == now_key and parent is None and base_key is not None and base_key != key:
            parent = base_key
        parents[key] = parent
    # Parent links that loop would hide nodes from every root: cut each cycle at its
    # smallest key so the result stays deterministic.
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to reach a root
    for start in sorted(by_key):
        path: list[str] = []
        walk: str | None = start
        while walk is not None and walk not in state:
            state[walk] = 1
            path.append(walk)
            walk = parents[walk]
        if walk is not None and state[walk] == 1:
            cycle = path[path.index(walk):]
            parents[min(cycle)] = None
        for key in path:
            state[key] = 2
    return parents


def _children(by_key: Mapping[str, GraphNode],
              parents: Mapping[str, str | None]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {key: [] for key in by_key}
    for key, parent in parents.items():
        if parent is not None:
            children[parent].append(key)
    return children


_KIND_RANK = {BASE: 0, DISK: 1, DISK_AND_MEMORY: 1, SCHEDULED: 1, NOW: 2}


def _chronological_order(by_key: Mapping[str, GraphNode],
                         parents: Mapping[str, str | None],
                         children: Mapping[str, list[str]]) -> list[str]:
    """Nodes oldest first, every parent before its children (clocks can disagree)."""

    def sort_key(key: str) -> tuple[float, int, str]:
        node = by_key[key]
        if node.time is not None:
            moment = node.time.timestamp()
        elif node.kind == NOW:
            moment = math.inf
        else:
            moment = -math.inf  # base, or a snapshot without a time: right after its parent
        return moment, _KIND_RANK.get(node.kind, 1), key

    heap = [sort_key(key) for key, parent in parents.items() if parent is None]
    heapq.heapify(heap)
    order: list[str] = []
    while heap:
        _, _, key = heapq.heappop(heap)
        order.append(key)
        for child in children[key]:
            heapq.heappush(heap, sort_key(child))
    return order


def _pack(columns: Sequence[str], column_of: Mapping[str, int],
          children: Mapping[str, list[str]], sizes: Mapping[str, int],
          main_path: set[str]
          ) -> tuple[dict[str, int], dict[str, tuple[str, ...]], dict[str, list[list[int]]]]:
    """Each node's lane offset from its parent, children by lane, and root contours."""
    offsets: dict[str, int] = {}
    ordered: dict[str, tuple[str, ...]] = {}
    contours: dict[str, list[list[int]]] = {}
    for key in reversed(columns):
        here = 2 * column_of[key]
        kids = children[key]
        if not kids:
            contours[key] = [[here, here]]
            ordered[key] = ()
            continue
        primary = next((k for k in kids if k in main_path), None)
        if primary is None:
            primary = min(kids, key=lambda k: (-sizes[k], column_of[k]))
        contour = contours.pop(primary)
        contour[0][0] = here
        offsets[primary] = 0
        lane_order = [primary]
        lowest = 1
        for child in sorted((k for k in kids if k != primary), key=column_of.__getitem__):
            branch = contours.pop(child)
            branch[0][0] = here + 1  # the lead-in from the column boundary
            offset = _fit(contour, branch, lowest)
            for r, (lo, hi) in enumerate(branch):
                if offset + r < len(contour):
                    hull = contour[offset + r]
                    hull[0] = min(hull[0], lo)
                    hull[1] = max(hull[1], hi)
                else:
                    contour.append([lo, hi])
            offsets[child] = offset
            lane_order.append(child)
            lowest = offset + 1
        contours[key] = contour
        ordered[key] = tuple(lane_order)
    return offsets, ordered, contours


def _fit(contour: Sequence[Sequence[int]], branch: Sequence[Sequence[int]], lowest: int) -> int:
    """The first lane offset from ``lowest`` where ``branch`` clears ``contour``."""
    for offset in range(lowest, min(lowest + SEARCH_LIMIT, len(contour))):
        if all(
            offset + r >= len(contour)
            or lo > contour[offset + r][1] + LANE_GAP
            or hi < contour[offset + r][0] - LANE_GAP
            for r, (lo, hi) in enumerate(branch)
        ):
            return offset
    # Under everything is always free: the contour's lanes below the parent hold only
    # its own descendants, which all start right of the connector.
    return len(contour)
