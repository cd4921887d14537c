"""Pre-flight checks over a cache of a generated pool: space per SR (thick vs thin, memory),
SR_FULL before the call, chain depth, memory pause, revert/copy/delete/export estimates,
memory-mode reasons, unique names and property diffs. Pure functions, no server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from xsnap_gui.model.cache import ObjectCache
from xsnap_gui.model.views import SR, VM, Snapshot
from xsnap_gui.operations.common import unique_name
from xsnap_gui.operations.delete import DeleteMode, delete_findings, plan_delete
from xsnap_gui.operations.export import export_estimate, export_findings
from xsnap_gui.operations.preflight import (
    MIN_DISK_GROWTH,
    FindingKind,
    Severity,
    blocking,
    copy_findings,
    memory_image_size,
    memory_pause_seconds,
    revert_findings,
    snapshot_findings,
    snapshot_needs,
    suspend_sr_of,
)
from xsnap_gui.operations.properties import Properties, diff_properties, parse_tags
from xsnap_gui.operations.snapshot import memory_mode
from xsnap_gui.simulator.api import load_tables
from xsnap_gui.simulator.core import SimConfig, Simulator
from xsnap_gui.simulator.generate import DEEP_CHAIN_VM_NAME, NEARLY_FULL_SR_NAME

from .conftest import SPEC, cache_of

GiB = 1 << 30
MiB = 1 << 20


@pytest.fixture
def pool() -> Iterator[Simulator]:
    sim = Simulator(SimConfig(clock_speed=0))
    load_tables(sim, None, SPEC, 1)
    yield sim


def vm(cache: ObjectCache, name: str) -> VM:
    found = [v for v in VM.real_vms(cache) if v.name_label == name]
    assert len(found) == 1, name
    return found[0]


def sr(cache: ObjectCache, name: str) -> SR:
    return next(s for s in SR.all(cache) if s.name_label == name)


def disks(cache: ObjectCache, machine: VM) -> list[tuple[int, SR]]:
    out = []
    for vbd in machine.disk_vbds:
        vdi = vbd.vdi
        if vdi is not None and vdi.sr is not None:
            out.append((vdi.virtual_size, vdi.sr))
    return out


def on_sr(cache: ObjectCache, allocation: str, state: str | None = None, *,
          with_snapshots: bool = False) -> VM:
    """A VM whose disks all sit on SRs of this allocation, not the nearly-full one."""
    for candidate in VM.real_vms(cache):
        if with_snapshots and not candidate.snapshots:
            continue
        found = disks(cache, candidate)
        if found and all(s.allocation == allocation and s.name_label != NEARLY_FULL_SR_NAME
                         for _, s in found) \
                and (state is None or candidate.power_state == state) \
                and candidate.name_label != DEEP_CHAIN_VM_NAME:
            return candidate
    raise LookupError(allocation)


def on_nearly_full(cache: ObjectCache) -> VM:
    return next(v for v in VM.real_vms(cache)
                if any(s.name_label == NEARLY_FULL_SR_NAME for _, s in disks(cache, v)))


def test_thick_srs_need_the_full_virtual_size_thin_ones_the_growth(pool: Simulator) -> None:
    cache = cache_of(pool)
    thick = on_sr(cache, "thick")
    needs = snapshot_needs(cache, thick.ref, memory=False)
    expected: dict[str, int] = {}
    for size, where in disks(cache, thick):
        expected[where.ref] = expected.get(where.ref, 0) + size
    assert needs == expected

    thin = on_sr(cache, "thin")
    needs = snapshot_needs(cache, thin.ref, memory=False)
    thin_disks = disks(cache, thin)
    virtual = sum(size for size, _ in thin_disks)
    assert sum(needs.values()) >= MIN_DISK_GROWTH * len(thin_disks)
    assert sum(needs.values()) <= 0.02 * virtual + MIN_DISK_GROWTH * len(thin_disks)


def test_memory_adds_ram_and_a_fifth_on_the_suspend_sr(pool: Simulator) -> None:
    cache = cache_of(pool)
    running = on_sr(cache, "thin", state="Running")
    target = suspend_sr_of(cache, running.ref)
    assert target is not None
    disks_only = snapshot_needs(cache, running.ref, memory=False)
    with_memory = snapshot_needs(cache, running.ref, memory=True)
    image = memory_image_size(running)
    assert image >= 1.2 * running.memory_static_max
    assert with_memory[target] == disks_only.get(target, 0) + image
    # A halted VM has no memory to save: the mode changes nothing.
    halted = on_sr(cache, "thin", state="Halted")
    assert snapshot_needs(cache, halted.ref, memory=True) == \
        snapshot_needs(cache, halted.ref, memory=False)


def test_a_nearly_full_sr_is_a_blocking_error_naming_it(pool: Simulator) -> None:
    cache = cache_of(pool)
    crowded = on_nearly_full(cache)
    findings = snapshot_findings(cache, crowded.ref, memory=False)
    assert blocking(findings)
    full = [f for f in findings if f.kind is FindingKind.SR_FULL]
    assert len(full) == 1
    assert full[0].sr_name == NEARLY_FULL_SR_NAME and full[0].severity is Severity.ERROR
    assert full[0].needed > full[0].available
    virtual = sum(size for size, s in disks(cache, crowded) if s.name_label == NEARLY_FULL_SR_NAME)
    assert full[0].needed == virtual


def test_a_snapshot_that_would_leave_an_sr_over_90_percent_is_a_warning(pool: Simulator) -> None:
    thin = on_sr(cache_of(pool), "thin", state="Halted")
    target = disks(cache_of(pool), thin)[0][1]
    need = snapshot_needs(cache_of(pool), thin.ref, memory=False)[target.ref]
    # Fill the SR so the snapshot still fits but leaves it over 90 % full.
    pool.db.update("SR", target.ref, physical_utilisation=int(target.physical_size * 0.95) - need)
    findings = snapshot_findings(cache_of(pool), thin.ref, memory=False)
    assert not blocking(findings)
    assert [f.kind for f in findings] == [FindingKind.SR_NEARLY_FULL]
    assert findings[0].fraction_after == pytest.approx(0.95, abs=0.01)


def test_chain_depth_warns_near_thirty(pool: Simulator) -> None:
    cache = cache_of(pool)
    deep = vm(cache, DEEP_CHAIN_VM_NAME)
    findings = snapshot_findings(cache, deep.ref, memory=False)
    chain = [f for f in findings if f.kind is FindingKind.CHAIN_DEPTH]
    assert len(chain) == 1
    assert chain[0].severity is Severity.WARNING and chain[0].limit == 30
    assert chain[0].depth == 29  # 28 snapshots, and the new one
    shallow = on_sr(cache, "thick")
    assert not [f for f in snapshot_findings(cache, shallow.ref, memory=False)
                if f.kind is FindingKind.CHAIN_DEPTH]


def test_memory_pause_estimate_grows_with_ram(pool: Simulator) -> None:
    cache = cache_of(pool)
    running = [v for v in VM.real_vms(cache) if v.power_state == "Running"]
    small = min(running, key=lambda v: v.memory_static_max)
    big = max(running, key=lambda v: v.memory_static_max)
    assert big.memory_static_max > small.memory_static_max
    assert memory_pause_seconds(big) > memory_pause_seconds(small) > 0
    pauses = [f for f in snapshot_findings(cache, big.ref, memory=True)
              if f.kind is FindingKind.MEMORY_PAUSE]
    assert len(pauses) == 1 and pauses[0].memory == big.memory_static_max
    assert pauses[0].seconds == pytest.approx(memory_pause_seconds(big))
    assert not [f for f in snapshot_findings(cache, big.ref, memory=False)
                if f.kind is FindingKind.MEMORY_PAUSE]


def test_revert_counts_the_disks_it_drops_first(pool: Simulator) -> None:
    cache = cache_of(pool)
    crowded = on_nearly_full(cache)
    assert crowded.snapshots, "the generator gives every ordinary VM snapshots"
    snapshot = crowded.snapshots[0]
    # A new snapshot does not fit; a revert does, as the VM's own disks go first.
    assert blocking(snapshot_findings(cache, crowded.ref, memory=False))
    assert not blocking(revert_findings(cache, snapshot.ref))


def test_copy_to_a_full_sr_is_refused_a_clone_on_thin_storage_is_fine(pool: Simulator) -> None:
    cache = cache_of(pool)
    thin_vm = on_sr(cache, "thin", with_snapshots=True)
    snapshot = thin_vm.snapshots[0]
    full = sr(cache, NEARLY_FULL_SR_NAME)
    findings = copy_findings(cache, snapshot.ref, full.ref)
    assert [f.kind for f in findings] == [FindingKind.SR_FULL]
    assert findings[0].sr_ref == full.ref
    assert copy_findings(cache, snapshot.ref, None) == []


def test_delete_plan_lists_owned_disks_and_the_memory_image(pool: Simulator) -> None:
    cache = cache_of(pool)
    checkpoint = next(s for s in Snapshot.all(cache)
                      if s.has_memory and s.suspend_vdi is not None and not s.is_orphan)
    plain = next(s for s in Snapshot.all(cache) if not s.has_memory and s.disk_vbds)
    plan = plan_delete(cache, [checkpoint.ref, plain.ref, checkpoint.ref], DeleteMode.UNINSTALL)
    assert [i.ref for i in plan.items] == [checkpoint.ref, plain.ref]
    first = plan.items[0]
    assert [d.is_memory for d in first.disks].count(True) == 1
    owned = {vbd.vdi_ref for vbd in checkpoint.disk_vbds if vbd.is_owner}
    assert {d.vdi_ref for d in first.disks if not d.is_memory} == owned
    assert plan.space_freed == sum(d.size for i in plan.items for d in i.disks)
    assert sum(plan.freed_by_sr().values()) == plan.space_freed
    assert plan.kept_disks == []

    record_only = plan_delete(cache, [checkpoint.ref], DeleteMode.RECORD_ONLY)
    assert record_only.destroyed_disks == [] and record_only.space_freed == 0
    assert {d.vdi_ref for d in record_only.kept_disks} == {d.vdi_ref for d in first.disks}


def test_deleting_on_a_crowded_thick_sr_warns_about_coalescing(pool: Simulator) -> None:
    cache = cache_of(pool)
    crowded = on_nearly_full(cache)
    refs = [s.ref for s in crowded.snapshots]
    findings = delete_findings(cache, plan_delete(cache, refs, DeleteMode.UNINSTALL))
    assert [f.kind for f in findings] == [FindingKind.COALESCE_SPACE]
    assert findings[0].sr_name == NEARLY_FULL_SR_NAME and not findings[0].blocking
    assert delete_findings(cache, plan_delete(cache, refs, DeleteMode.RECORD_ONLY)) == []


def test_export_estimate_and_destination_space(pool: Simulator, tmp_path: Path) -> None:
    cache = cache_of(pool)
    snapshot = on_sr(cache, "thin", with_snapshots=True).snapshots[0]
    estimate = export_estimate(cache, snapshot.ref)
    virtual = sum(v.vdi.virtual_size for v in snapshot.disk_vbds if v.vdi is not None)
    assert estimate.at_most >= virtual + 100 * MiB
    assert 0 < estimate.at_least <= estimate.at_most
    dest = tmp_path / "missing-folder" / "x.xva"
    assert export_findings(estimate, dest, free=estimate.at_most) == []
    tight = export_findings(estimate, dest, free=estimate.at_most - 1)
    assert [(f.kind, f.blocking) for f in tight] == [(FindingKind.DESTINATION_TIGHT, False)]
    full = export_findings(estimate, dest, free=estimate.at_least - 1)
    assert [(f.kind, f.blocking) for f in full] == [(FindingKind.DESTINATION_FULL, True)]
    assert full[0].path == str(dest.parent)
    # Without a number, the real file system of the nearest existing folder is asked.
    assert isinstance(export_findings(estimate, dest), list)


def test_memory_mode_says_why_not(pool: Simulator) -> None:
    cache = cache_of(pool)
    running = on_sr(cache, "thin", state="Running")
    halted = on_sr(cache, "thin", state="Halted")
    assert memory_mode(cache, running.ref, permitted=True).available
    off = memory_mode(cache, halted.ref, permitted=True)
    assert not off.available and off.reason == "power_state" and off.power_state == "Halted"
    assert memory_mode(cache, running.ref, permitted=False).reason == "permission"
    ops = [op for op in running.allowed_operations if op != "checkpoint"]
    pool.db.update("VM", running.ref, allowed_operations=ops)
    assert memory_mode(cache_of(pool), running.ref, permitted=True).reason == "not_allowed"
    pool.db.update("pool", pool.pool, restrictions={"restrict_checkpoint": "true"})
    assert memory_mode(cache_of(pool), running.ref, permitted=True).reason == "licence"


def test_unique_names() -> None:
    assert unique_name("pre-upgrade", []) == "pre-upgrade"
    assert unique_name("pre-upgrade", ["pre-upgrade"]) == "pre-upgrade (2)"
    assert unique_name("pre-upgrade", ["pre-upgrade", "pre-upgrade (2)"]) == "pre-upgrade (3)"
    assert unique_name("a (2)", ["a (2)"]) == "a (3)"


def test_property_diff_keeps_only_changes() -> None:
    old = Properties("before patch", "kernel 6.1", ("prod", "db"))
    same = diff_properties(old, Properties("before patch", "kernel 6.1", ("prod", "db")))
    assert same.empty
    changed = diff_properties(old, Properties("before patch", "kernel 6.6",
                                              parse_tags(" db, , weekly,db ")))
    assert changed.name is None and changed.description == "kernel 6.6"
    assert changed.add_tags == ("weekly",) and changed.remove_tags == ("prod",)
