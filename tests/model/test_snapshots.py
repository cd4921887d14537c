"""SnapshotTree: roots, Now, ordering, hidden scheduled snapshots, sizes, depth, orphans."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import XenAPI

from xsnap_gui.model.cache import ObjectCache
from xsnap_gui.model.snapshots import SnapshotNode, SnapshotTree
from xsnap_gui.model.views import VM, Snapshot
from xsnap_gui.simulator.api import start_simulator
from xsnap_gui.simulator.db import Database
from xsnap_gui.simulator.dump import load_dump
from xsnap_gui.simulator.generate import (
    DEEP_CHAIN_DEPTH,
    DEEP_CHAIN_VM_NAME,
    NEARLY_FULL_SR_NAME,
    PoolSpec,
    generate_pool,
)

from .conftest import DM, Feed, GiB, MiB, new_vm, snapshot_chain


def names(nodes: list[SnapshotNode]) -> list[str]:
    return ["Now" if n.is_now else n.name for n in nodes]


def shape(node: SnapshotNode) -> object:
    """A nested (name, [children]) picture of a subtree, for readable assertions."""
    label = "Now" if node.is_now else node.name
    return (label, [shape(c) for c in node.children]) if node.children else label


def loaded(db: Database) -> ObjectCache:
    cache = ObjectCache(dm=DM)
    cache.load(Feed(db).full())
    return cache


def test_branching_tree_with_now_ordering_sizes_and_kinds() -> None:
    db = Database(DM)
    vm = new_vm(db)
    # s1 → s2; reverted to s1, then s3 (checkpoint) → s4; reverted to s3.
    s1, _s2, s3, s4 = snapshot_chain(db, vm, [
        {"name": "s1", "minutes": 0, "disks": [100 * MiB, 50 * MiB]},
        {"name": "s2", "parent": 0, "minutes": 10},
        {"name": "s3", "parent": 0, "minutes": 20, "memory": True, "memory_bytes": 2 * GiB},
        {"name": "s4", "parent": 2, "minutes": 30},
    ])
    db.set("VM", vm, "parent", s3)
    tree = SnapshotTree.build(loaded(db), vm)

    assert [shape(r) for r in tree.roots] == [("s1", ["s2", ("s3", ["s4", "Now"])])]
    assert tree.now is not None and tree.now.parent is tree.nodes[s3]
    assert names(tree.path_to_now()) == ["s1", "s3", "Now"]
    assert tree.nodes[s1].size == 150 * MiB  # owned disks only; the CD drive has no VDI
    assert tree.nodes[s3].size == 10 * MiB + 2 * GiB  # plus the memory image
    assert tree.total_size == 150 * MiB + 3 * 10 * MiB + 2 * GiB
    assert [tree.nodes[r].kind for r in (s1, s3)] == ["disk", "disk_and_memory"]
    assert tree.nodes[s4].depth == 3 and tree.max_depth == 3 and tree.now_depth == 2
    assert not tree.chain_warning and tree.count == 4
    assert [n.name for n in tree.walk() if not n.is_now] == ["s1", "s2", "s3", "s4"]
    view = tree.nodes[s3].view(tree_cache := loaded(db))
    assert view is not None and view.has_memory and view.size == tree.nodes[s3].size
    assert Snapshot.get(tree_cache, s3) == view


def test_children_are_ordered_by_snapshot_time_not_creation() -> None:
    db = Database(DM)
    vm = new_vm(db)
    snapshot_chain(db, vm, [
        {"name": "root", "minutes": 0},
        {"name": "late", "parent": 0, "minutes": 50},
        {"name": "early", "parent": 0, "minutes": 5},
        {"name": "middle", "parent": 0, "minutes": 20},
    ])
    tree = SnapshotTree.build(loaded(db), vm)
    assert names(tree.roots[0].children) == ["early", "middle", "late"]
    assert names(tree.roots) == ["root", "Now"]  # VM.parent is None: Now at the top level


def test_hidden_scheduled_snapshots_reattach_children_and_now() -> None:
    db = Database(DM)
    vm = new_vm(db)
    refs = snapshot_chain(db, vm, [
        {"name": "manual-1", "minutes": 0},
        {"name": "sched-1", "parent": 0, "minutes": 10, "scheduled": True},
        {"name": "manual-2", "parent": 1, "minutes": 20},
        {"name": "sched-2", "parent": 1, "minutes": 30, "scheduled": True},
        {"name": "sched-3", "parent": 3, "minutes": 40, "scheduled": True},
        {"name": "sched-root", "minutes": 50, "scheduled": True},
        {"name": "under-sched-root", "parent": 5, "minutes": 60},
    ])
    db.set("VM", vm, "parent", refs[4])
    cache = loaded(db)

    full = SnapshotTree.build(cache, vm)
    assert [shape(r) for r in full.roots] == [
        ("manual-1", [("sched-1", ["manual-2", ("sched-2", [("sched-3", ["Now"])])])]),
        ("sched-root", ["under-sched-root"]),
    ]
    tidy = SnapshotTree.build(cache, vm, show_scheduled=False)
    assert [shape(r) for r in tidy.roots] == [
        ("manual-1", ["manual-2", "Now"]),
        "under-sched-root",
    ]
    assert tidy.hidden == {refs[1], refs[3], refs[4], refs[5]}
    assert tidy.count == full.count == 7
    # Hiding changes nothing on storage: depths still count the hidden links.
    assert tidy.nodes[refs[2]].depth == 3 and tidy.now_depth == full.now_depth == 4
    assert full.nodes[refs[1]].kind == "scheduled" and full.nodes[refs[1]].is_scheduled


def test_missing_parent_makes_a_root_and_cycles_do_not_hang() -> None:
    db = Database(DM)
    vm = new_vm(db)
    a, b, c = snapshot_chain(db, vm, [
        {"name": "a", "minutes": 0}, {"name": "b", "minutes": 1}, {"name": "c", "minutes": 2},
    ])
    db.set("VM", a, "parent", "OpaqueRef:deleted-snapshot")
    # Corrupt data: b and c each other's parent.
    db.set("VM", b, "parent", c)
    db.set("VM", c, "parent", b)
    tree = SnapshotTree.build(loaded(db), vm)
    assert [shape(r) for r in tree.roots] == ["a", ("b", ["c"]), "Now"]
    assert tree.count == 3


def test_vm_without_snapshots_and_unknown_vm() -> None:
    db = Database(DM)
    vm = new_vm(db)
    cache = loaded(db)
    tree = SnapshotTree.build(cache, vm)
    assert tree.is_empty and names(tree.roots) == ["Now"] and tree.max_depth == 0
    gone = SnapshotTree.build(cache, "OpaqueRef:gone")
    assert gone.is_empty and gone.roots == [] and gone.now is None


def dump_cache(path: Path) -> ObjectCache:
    db = Database(DM)
    db.bulk_load(load_dump(path, DM).tables)
    return loaded(db)


def test_state1_dump_orphan(dumps_dir: Path) -> None:
    cache = dump_cache(dumps_dir / "state1.xml")
    box = next(vm for vm in VM.real_vms(cache) if vm.name_label == "Iscsi Box")
    tree = SnapshotTree.build(cache, box.ref)
    assert names(tree.roots) == ["julieonXP", "Now"]
    orphans = SnapshotTree.orphans(cache)
    assert len(orphans) == 1
    group = orphans[0]
    assert names(group.roots) == ["orphaned snapshot"] and group.now is None
    assert group.vm_ref is not None and cache.get("VM", group.vm_ref) is None
    snap = Snapshot.get(cache, group.roots[0].ref)
    assert snap is not None and snap.is_orphan and not Snapshot.get(
        cache, tree.roots[0].ref).is_orphan  # type: ignore[union-attr]


def test_cowley_policies_dump_nested_scheduled_chains(dumps_dir: Path) -> None:
    cache = dump_cache(dumps_dir / "cowleyPolicies.xml")
    vms = {vm.name_label: vm for vm in VM.real_vms(cache)}
    assert SnapshotTree.orphans(cache) == []

    demo1 = SnapshotTree.build(cache, vms["demo (1)"].ref)
    # "x" hangs off a snapshot that was deleted; "y" and then ten hourly VMPP runs follow it.
    assert names(demo1.roots) == ["x"]
    chain = demo1.path_to_now()
    assert names(chain)[:2] == ["x", "y"] and names(chain)[-1] == "Now"
    assert all(n.kind == "scheduled" for n in chain[2:-1]) and len(chain) == 13
    assert demo1.max_depth == demo1.now_depth == 12

    tidy = SnapshotTree.build(cache, vms["demo (1)"].ref, show_scheduled=False)
    assert [shape(r) for r in tidy.roots] == [("x", [("y", ["Now"])])]
    assert tidy.now_depth == 12  # the hidden runs are still on the chain

    # demo (2): a manual snapshot with two scheduled branches after a revert.
    demo2 = SnapshotTree.build(cache, vms["demo (2)"].ref)
    assert names(demo2.roots) == ["new snapshot"]
    assert sum(1 for n in demo2.walk() if n.is_scheduled) == 10
    assert demo2.now is not None and demo2.now.parent is not None
    assert demo2.now.parent.ref == vms["demo (2)"].parent_ref
    tidy2 = SnapshotTree.build(cache, vms["demo (2)"].ref, show_scheduled=False)
    assert [shape(r) for r in tidy2.roots] == [("new snapshot", ["Now"])]

    scheduled = sum(1 for s in Snapshot.all(cache) if s.is_scheduled)
    assert scheduled == 35 and sum(1 for _ in Snapshot.all(cache)) == 38


@pytest.fixture(scope="module")
def generated() -> ObjectCache:
    db = Database(DM)
    db.bulk_load(generate_pool(PoolSpec(hosts=2, vms=24, snapshots=6, schedules=3), seed=11))
    return loaded(db)


def test_generated_trees_hold_every_snapshot_once(generated: ObjectCache) -> None:
    for vm in VM.real_vms(generated):
        tree = SnapshotTree.build(generated, vm.ref)
        seen = [n.ref for n in tree.walk() if not n.is_now]
        assert sorted(seen) == sorted(vm.snapshot_refs)
        assert tree.now is not None
        at = tree.now.parent.ref if tree.now.parent is not None else None
        assert at == vm.parent_ref
        for node in tree.walk():
            for child in node.children:
                if not child.is_now:
                    assert child.rec is not None and child.rec["parent"] == node.ref
            times = [c.time for c in node.children if c.time is not None]
            assert times == sorted(times)


def test_generated_deep_chain_warns(generated: ObjectCache) -> None:
    deep = next(vm for vm in VM.real_vms(generated) if vm.name_label == DEEP_CHAIN_VM_NAME)
    tree = SnapshotTree.build(generated, deep.ref)
    assert tree.max_depth == tree.now_depth == DEEP_CHAIN_DEPTH
    assert tree.chain_warning
    assert not SnapshotTree.build(generated, deep.ref, warn_depth=29).chain_warning


def test_build_speed_with_500_snapshots() -> None:
    db = Database(DM)
    vm = new_vm(db)
    specs = []
    for i in range(500):
        # Mostly a chain, with a revert every 7th snapshot and every 3rd scheduled.
        parent = None if i == 0 else (i - 5 if i % 7 == 0 and i >= 5 else i - 1)
        specs.append({"name": f"s{i:03d}", "parent": parent, "minutes": i,
                      "scheduled": i % 3 == 0})
    refs = snapshot_chain(db, vm, specs)
    db.set("VM", vm, "parent", refs[-1])
    cache = loaded(db)
    timings = {}
    for show in (True, False):
        best = float("inf")
        for _ in range(5):
            start = time.perf_counter()
            tree = SnapshotTree.build(cache, vm, show_scheduled=show)
            best = min(best, time.perf_counter() - start)
        timings[show] = best
        assert tree.count == 500
    print(f"\nSnapshotTree.build, 500 snapshots: {timings[True] * 1000:.2f} ms shown, "
          f"{timings[False] * 1000:.2f} ms with scheduled hidden")


def roomy_vm(db: Database) -> str:
    """A real VM whose disks are not on the nearly full SR, so snapshots succeed."""
    full = {ref for ref, rec in db.all_records("SR").items()
            if rec["name_label"] == NEARLY_FULL_SR_NAME}
    for ref, rec in db.all_records("VM").items():
        if rec["is_a_template"] or rec["is_control_domain"]:
            continue
        srs = {db.get("VDI", db.get("VBD", vbd, "VDI"), "SR") for vbd in rec["VBDs"]
               if db.exists("VDI", db.get("VBD", vbd, "VDI"))}
        if not srs & full:
            return ref
    raise AssertionError("no VM with room for snapshots")


def test_tree_after_snapshot_revert_snapshot_through_the_simulator() -> None:
    with start_simulator(generate="hosts=1,vms=3,snapshots=0,schedules=0", tls=False) as sim:
        session = XenAPI.Session(sim.url)
        session.xenapi.login_with_password("root", "xsnap", "2.21", "xsnap-tests")
        try:
            api = session.xenapi
            vm = roomy_vm(sim.sim.db)
            first = api.VM.snapshot(vm, "first")
            second = api.VM.snapshot(vm, "second")
            api.VM.revert(first)
            third = api.VM.snapshot(vm, "third")
            cache = loaded(sim.sim.db)
        finally:
            session.xenapi.session.logout()
    tree = SnapshotTree.build(cache, vm)
    assert [shape(r) for r in tree.roots] == [("first", ["second", ("third", ["Now"])])]
    assert tree.nodes[second].parent is tree.nodes[first]
    assert tree.now is not None and tree.now.parent is tree.nodes[third]
    assert all(n.size > 0 for n in tree.nodes.values())
