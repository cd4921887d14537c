"""The snapshot tree of a VM, as XenCenter's Snapshots tab draws it.

Snapshots hang off each other through ``VM.parent`` (a snapshot's parent is
the snapshot its VM was at when it was taken); roots are snapshots whose parent
is not one of the VM's snapshots. The "Now" node marks the VM's current
state: under ``VM.parent``, or at the top level when that is None.

With scheduled snapshots hidden (XenCenter's default), a hidden snapshot's
children, and Now, move up to the nearest visible ancestor.

Chain depth counts snapshots along parent links, hidden ones included, since
hiding changes nothing on storage: xapi refuses snapshots when a disk's VHD
chain would pass 30 links (SR_BACKEND_FAILURE_109), so a deep chain deserves a
warning before that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from .cache import ObjectCache, Record
from .views import EPOCH, Snapshot, snapshot_kind, snapshot_size

DEFAULT_WARN_DEPTH = 25
XAPI_CHAIN_LIMIT = 30
NOW_KIND = "now"


@dataclass(eq=False, slots=True)
class SnapshotNode:
    """One node of the tree: a snapshot, or the VM's "Now" position (``ref`` None)."""

    ref: str | None
    rec: Record | None
    kind: str  # disk, disk_and_memory, scheduled, or now
    time: dt.datetime | None
    size: int
    depth: int  # snapshots from the root of its chain down to this one; Now: its parent's
    parent: SnapshotNode | None = None
    children: list[SnapshotNode] = field(default_factory=list)

    @property
    def is_now(self) -> bool:
        return self.ref is None

    @property
    def name(self) -> str:
        return str(self.rec.get("name_label", "")) if self.rec is not None else ""

    @property
    def has_memory(self) -> bool:
        rec = self.rec
        return rec is not None and (rec.get("power_state") == "Suspended"
                                    or rec.get("suspend_VDI") is not None)

    @property
    def is_scheduled(self) -> bool:
        rec = self.rec
        return rec is not None and bool(rec.get("is_vmss_snapshot")
                                        or rec.get("is_snapshot_from_vmpp"))

    def view(self, cache: ObjectCache) -> Snapshot | None:
        """The snapshot's view (None for Now)."""
        if self.ref is None or self.rec is None:
            return None
        return Snapshot(cache, self.ref, self.rec)

    def walk(self) -> Iterator[SnapshotNode]:
        """This node and everything under it, depth first, children in order."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(node.children))

    def __repr__(self) -> str:
        label = "Now" if self.is_now else repr(self.name)
        return f"SnapshotNode({label}, depth={self.depth}, children={len(self.children)})"


@dataclass(eq=False)
class SnapshotTree:
    """The snapshots of one VM (or one group of orphans) as a forest, plus Now.

    ``roots`` are the top-level nodes in order (Now among them when the VM sits
    on no snapshot). ``nodes`` holds the visible snapshot nodes by ref;
    ``hidden`` the refs of scheduled snapshots left out. ``max_depth`` is the
    deepest chain, ``now_depth`` the number of snapshots under the VM's current
    state.
    """

    vm_ref: str | None
    roots: list[SnapshotNode]
    nodes: dict[str, SnapshotNode]
    now: SnapshotNode | None
    hidden: set[str]
    max_depth: int
    now_depth: int
    total_size: int
    warn_depth: int = DEFAULT_WARN_DEPTH

    @property
    def chain_warning(self) -> bool:
        """The deepest chain is near xapi's limit; new snapshots may soon fail."""
        return self.max_depth >= self.warn_depth

    @property
    def count(self) -> int:
        """Snapshots in the tree, hidden ones included."""
        return len(self.nodes) + len(self.hidden)

    @property
    def is_empty(self) -> bool:
        return self.count == 0

    def walk(self) -> Iterator[SnapshotNode]:
        for root in self.roots:
            yield from root.walk()

    def path_to_now(self) -> list[SnapshotNode]:
        """From the top level down to Now (the branch XenCenter highlights)."""
        path: list[SnapshotNode] = []
        node = self.now
        while node is not None:
            path.append(node)
            node = node.parent
        path.reverse()
        return path

    # --- building -------------------------------------------------------------------

    @classmethod
    def build(cls, cache: ObjectCache, vm_ref: str, *, show_scheduled: bool = True,
              warn_depth: int = DEFAULT_WARN_DEPTH) -> SnapshotTree:
        """The tree of ``vm_ref``'s snapshots; an empty tree (with Now) if it has none."""
        vms = cache.records("VM")
        vm = vms.get(vm_ref)
        members: dict[str, Record] = {}
        if vm is not None:
            for ref in vm.get("snapshots") or ():
                rec = vms.get(ref)
                if rec is not None:
                    members[ref] = rec
        now_parent = vm.get("parent") if vm is not None else None
        return _Builder(cache, members, show_scheduled, warn_depth).build(
            vm_ref, with_now=vm is not None, now_parent=now_parent)

    @classmethod
    def orphans(cls, cache: ObjectCache, *, show_scheduled: bool = True,
                warn_depth: int = DEFAULT_WARN_DEPTH) -> list[SnapshotTree]:
        """Snapshots whose VM is gone, one tree per former VM (``vm_ref`` the dangling ref).

        Snapshots with no ``snapshot_of`` at all form one group with ``vm_ref``
        None. Groups come in order of their newest snapshot, newest first.
        """
        vms = cache.records("VM")
        groups: dict[str | None, dict[str, Record]] = {}
        for ref, rec in vms.items():
            if not rec.get("is_a_snapshot"):
                continue
            owner = rec.get("snapshot_of")
            if owner is not None and owner in vms:
                continue
            groups.setdefault(owner, {})[ref] = rec
        trees = [
            _Builder(cache, members, show_scheduled, warn_depth).build(
                owner, with_now=False, now_parent=None)
            for owner, members in groups.items()
        ]
        trees.sort(key=_newest, reverse=True)
        return trees


def _newest(tree: SnapshotTree) -> dt.datetime:
    times = [n.time for n in tree.walk() if n.time is not None]
    return max(times) if times else EPOCH


def _time_of(rec: Record) -> dt.datetime | None:
    value = rec.get("snapshot_time")
    if not isinstance(value, dt.datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


class _Builder:
    """One build: parent links → depths, visibility, nodes, ordering."""

    def __init__(self, cache: ObjectCache, members: Mapping[str, Record], show_scheduled: bool,
                 warn_depth: int) -> None:
        self.cache = cache
        self.members = members
        self.show_scheduled = show_scheduled
        self.warn_depth = warn_depth

    def build(self, vm_ref: str | None, *, with_now: bool, now_parent: str | None
              ) -> SnapshotTree:
        members = self.members
        # Children by parent ref; None collects the roots.
        kids: dict[str | None, list[str]] = {}
        for ref, rec in members.items():
            parent = rec.get("parent")
            key = parent if parent in members and parent != ref else None
            kids.setdefault(key, []).append(ref)

        depth: dict[str, int] = {}
        shown_parent: dict[str, str | None] = {}  # nearest visible ancestor
        hidden: set[str] = set()
        order: list[str] = []  # parents before children
        self._descend(kids, None, 0, None, depth, shown_parent, hidden, order)
        # Members on a parent cycle were never reached: start a chain at the oldest.
        while len(order) < len(members):
            rest = [r for r in members if r not in depth]
            start = min(rest, key=lambda r: (_time_of(members[r]) or EPOCH, r))
            self._descend(kids, None, 0, None, depth, shown_parent, hidden, order,
                          only=start)

        nodes: dict[str, SnapshotNode] = {}
        roots: list[SnapshotNode] = []
        total = 0
        for ref in order:
            rec = members[ref]
            size = snapshot_size(self.cache, rec)
            total += size
            if ref in hidden:
                continue
            node = SnapshotNode(ref, rec, snapshot_kind(rec), _time_of(rec), size, depth[ref])
            nodes[ref] = node
            above = shown_parent[ref]
            if above is None:
                roots.append(node)
            else:
                node.parent = nodes[above]
                node.parent.children.append(node)

        now: SnapshotNode | None = None
        now_depth = 0
        if with_now:
            at: str | None = None
            if now_parent is not None and now_parent in depth:
                now_depth = depth[now_parent]
                at = now_parent if now_parent not in hidden else shown_parent[now_parent]
            now = SnapshotNode(None, None, NOW_KIND, None, 0, now_depth)
            if at is None:
                roots.append(now)
            else:
                now.parent = nodes[at]
                now.parent.children.append(now)

        _sort(roots)
        for node in nodes.values():
            if len(node.children) > 1:
                _sort(node.children)
        return SnapshotTree(
            vm_ref=vm_ref, roots=roots, nodes=nodes, now=now, hidden=hidden,
            max_depth=max(depth.values(), default=0), now_depth=now_depth, total_size=total,
            warn_depth=self.warn_depth,
        )

    def _descend(self, kids: dict[str | None, list[str]], start: str | None, start_depth: int,
                 start_shown: str | None, depth: dict[str, int],
                 shown_parent: dict[str, str | None], hidden: set[str], order: list[str],
                 only: str | None = None) -> None:
        """Walk down from ``start`` iteratively (chains can be long), filling the maps."""
        members = self.members
        first = kids.get(start, [])
        if only is not None:
            first = [only]
        stack: list[tuple[str, int, str | None]] = [
            (ref, start_depth + 1, start_shown) for ref in first
        ]
        while stack:
            ref, d, above = stack.pop()
            if ref in depth:
                continue
            depth[ref] = d
            shown_parent[ref] = above
            order.append(ref)
            rec = members[ref]
            visible = self.show_scheduled or not (rec.get("is_vmss_snapshot")
                                                  or rec.get("is_snapshot_from_vmpp"))
            if not visible:
                hidden.add(ref)
            below = ref if visible else above
            for child in kids.get(ref, ()):
                stack.append((child, d + 1, below))


def _sort_key(node: SnapshotNode) -> tuple[int, dt.datetime, str, str]:
    # Now comes after its siblings: it is later than any snapshot.
    return (1 if node.is_now else 0, node.time or EPOCH, node.name, node.ref or "")


def _sort(nodes: list[SnapshotNode]) -> None:
    nodes.sort(key=_sort_key)
