"""Pre-flight checks: pure functions over the cache that say what an operation will need.

They answer the complaints operators keep filing (SRs filling up, chains too
long, a VM frozen by a memory snapshot) before anything is sent to the pool.
Each check returns :class:`Finding` objects: errors block the operation (the
server would refuse it), warnings are shown and the user decides.

Space rules, per SR (the storage manager's, as xapi's SM backends apply them):

- thick-provisioned SRs (LVM) allocate a new disk's full virtual size at once;
- thin SRs (file, NFS, …) start a snapshot or clone as a small VHD leaf that
  grows as the VM writes; we count 1 % of the disk, at least 4 MiB;
- a full copy writes the disk's data (thin) or its virtual size (thick);
- a memory snapshot needs about RAM + 20 % for its suspend image on the
  suspend SR, plus the disks (the seed document's rule).

The numbers are estimates from the cached SR sizes, which xapi refreshes only
on SR scans: a finding that an SR is short is an error because the server
would give SR_FULL, not because the estimate is exact.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..model.cache import ObjectCache
from ..model.snapshots import XAPI_CHAIN_LIMIT, SnapshotTree
from ..model.views import SR, VDI, VM, Pool, Snapshot

__all__ = [
    "CHECKPOINT_BYTES_PER_SECOND",
    "Finding",
    "FindingKind",
    "Severity",
    "blocking",
    "clone_needs",
    "copy_findings",
    "copy_needs",
    "memory_pause_seconds",
    "revert_findings",
    "snapshot_findings",
    "snapshot_needs",
    "space_findings",
    "suspend_sr_of",
]

MiB = 1 << 20
GiB = 1 << 30
THIN_GROWTH_FRACTION = 0.01
MIN_DISK_GROWTH = 4 * MiB  # "at least 4 MiB per disk"
MEMORY_IMAGE_FACTOR = 1.2  # "RAM + 20 %"
NEARLY_FULL_FRACTION = 0.90  # warn when an SR would be fuller than this afterwards
# How fast a host writes (and reads back) a memory image; a checkpoint pauses the VM
# for both, plus a little for the disk snapshots (xen-api #5683: minutes for big VMs).
CHECKPOINT_BYTES_PER_SECOND = 400 * MiB
CHECKPOINT_FIXED_SECONDS = 2.0


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"


class FindingKind(enum.StrEnum):
    SR_FULL = "sr_full"  # needed > free on an SR: the server would answer SR_FULL
    SR_NEARLY_FULL = "sr_nearly_full"  # fits, but leaves the SR over 90 % full
    NO_SUSPEND_SR = "no_suspend_sr"  # a memory snapshot has nowhere to put the memory
    CHAIN_DEPTH = "chain_depth"  # the snapshot chain nears (or passes) xapi's limit of 30
    MEMORY_PAUSE = "memory_pause"  # a memory snapshot pauses the VM for a while
    COALESCE_SPACE = "coalesce_space"  # a delete's coalesce may lack room on a thick SR
    DESTINATION_FULL = "destination_full"  # an export cannot fit on the local disk
    DESTINATION_TIGHT = "destination_tight"  # an export may not fit (zeros are skipped)


@dataclass(frozen=True)
class Finding:
    """One result of a check. Which fields mean something depends on ``kind``."""

    kind: FindingKind
    severity: Severity
    sr_ref: str | None = None
    sr_name: str = ""
    needed: int = 0  # bytes
    available: int = 0  # bytes
    capacity: int = 0  # bytes: the SR's (or file system's) size
    depth: int = 0
    limit: int = 0
    seconds: float = 0.0
    memory: int = 0  # bytes of RAM
    path: str = ""

    @property
    def blocking(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def fraction_after(self) -> float:
        """How full the SR would be afterwards (0..1), when capacity is known."""
        if self.capacity <= 0:
            return 0.0
        return min(1.0, (self.capacity - self.available + self.needed) / self.capacity)


def blocking(findings: Iterable[Finding]) -> bool:
    return any(f.blocking for f in findings)


def _ordered(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (not f.blocking, f.kind.value, f.sr_name))


# --- what disks need -----------------------------------------------------------------


def _round_up_mib(value: float) -> int:
    return math.ceil(value / MiB) * MiB


def disks_of(cache: ObjectCache, vm_ref: str, *, owned_only: bool = False) -> list[VDI]:
    """The VM's (or snapshot's) disk VDIs on real SRs: no CDs, empty drives or ISO SRs."""
    vm = VM.get(cache, vm_ref)
    if vm is None:
        return []
    found: list[VDI] = []
    for vbd in vm.disk_vbds:
        if vbd.empty or (owned_only and not vbd.is_owner):
            continue
        vdi = vbd.vdi
        if vdi is None:
            continue
        sr = vdi.sr
        if sr is not None and sr.content_type == "iso":
            continue
        found.append(vdi)
    return found


def fresh_disk_size(vdi: VDI, sr: SR | None) -> int:
    """Space a new snapshot or clone of ``vdi`` takes at once on ``sr``."""
    if sr is not None and sr.allocation == "thick":
        return vdi.virtual_size
    return max(MIN_DISK_GROWTH, _round_up_mib(vdi.virtual_size * THIN_GROWTH_FRACTION))


def data_size(cache: ObjectCache, vdi: VDI) -> int:
    """The bytes a disk's contents occupy; a snapshot's data is (about) its origin's."""
    used = max(vdi.physical_utilisation, 0)
    origin = VDI.get(cache, vdi.snapshot_of_ref)
    if origin is not None:
        used = max(used, origin.physical_utilisation)
    return min(vdi.virtual_size, used) if vdi.virtual_size > 0 else used


def copy_disk_size(cache: ObjectCache, vdi: VDI, target: SR | None) -> int:
    """Space a full copy of ``vdi`` takes on ``target``."""
    if target is not None and target.allocation == "thick":
        return vdi.virtual_size
    return data_size(cache, vdi)


def _add(needs: dict[str, int], sr: str | None, size: int) -> None:
    if sr is not None and size > 0:
        needs[sr] = needs.get(sr, 0) + size


def suspend_sr_of(cache: ObjectCache, vm_ref: str) -> str | None:
    """Where a memory image of the VM goes: its suspend_SR, the pool's, else its host's."""
    vm = VM.get(cache, vm_ref)
    if vm is None:
        return None
    candidates: list[object] = [vm.rec.get("suspend_SR")]
    pool = Pool.of(cache)
    if pool is not None:
        candidates.append(pool.rec.get("suspend_image_SR"))
    host = vm.resident_on
    if host is not None:
        candidates.append(host.rec.get("suspend_image_sr"))
    for ref in candidates:
        if isinstance(ref, str) and cache.get("SR", ref) is not None:
            return ref
    return None


def memory_image_size(vm: VM) -> int:
    return _round_up_mib(vm.memory_static_max * MEMORY_IMAGE_FACTOR)


def snapshot_needs(cache: ObjectCache, vm_ref: str, *, memory: bool) -> dict[str, int]:
    """Bytes a snapshot (or, with ``memory``, a checkpoint) of the VM needs, per SR."""
    needs: dict[str, int] = {}
    for vdi in disks_of(cache, vm_ref):
        sr = vdi.sr
        size = fresh_disk_size(vdi, sr)
        if memory:
            size = max(size, MIN_DISK_GROWTH)
        _add(needs, vdi.sr_ref, size)
    vm = VM.get(cache, vm_ref)
    if memory and vm is not None and vm.power_state in ("Running", "Paused"):
        _add(needs, suspend_sr_of(cache, vm_ref), memory_image_size(vm))
    return needs


def clone_needs(cache: ObjectCache, snapshot_ref: str) -> dict[str, int]:
    """Bytes a fast clone of the snapshot needs, per SR (its disks and memory image)."""
    needs: dict[str, int] = {}
    for vdi in _disks_and_suspend(cache, snapshot_ref):
        _add(needs, vdi.sr_ref, fresh_disk_size(vdi, vdi.sr))
    return needs


def copy_needs(cache: ObjectCache, snapshot_ref: str, target_sr: str) -> dict[str, int]:
    """Bytes a full copy of the snapshot to ``target_sr`` needs there."""
    target = SR.get(cache, target_sr)
    total = sum(copy_disk_size(cache, vdi, target)
                for vdi in _disks_and_suspend(cache, snapshot_ref))
    return {target_sr: total} if total > 0 else {}


def _disks_and_suspend(cache: ObjectCache, snapshot_ref: str) -> list[VDI]:
    disks = disks_of(cache, snapshot_ref)
    snapshot = VM.get(cache, snapshot_ref)
    suspend = snapshot.suspend_vdi if snapshot is not None else None
    if suspend is not None:
        disks.append(suspend)
    return disks


# --- checks ----------------------------------------------------------------------------


def space_findings(cache: ObjectCache, needs: Mapping[str, int],
                   freed: Mapping[str, int] | None = None) -> list[Finding]:
    """SR_FULL errors and nearly-full warnings for ``needs`` bytes per SR.

    ``freed`` is space the operation releases first (a revert drops the
    VM's old disks before cloning the snapshot's). SRs whose size is
    unknown (0 or -1, as some SM backends report) are not judged.
    """
    freed = freed or {}
    found: list[Finding] = []
    for sr_ref, needed in needs.items():
        sr = SR.get(cache, sr_ref)
        if sr is None or sr.physical_size <= 0 or needed <= 0:
            continue
        available = sr.free_space + freed.get(sr_ref, 0)
        if needed > available:
            found.append(_sr_finding(FindingKind.SR_FULL, Severity.ERROR, sr, needed, available))
            continue
        after = (sr.physical_size - available + needed) / sr.physical_size
        if after > NEARLY_FULL_FRACTION:
            found.append(_sr_finding(FindingKind.SR_NEARLY_FULL, Severity.WARNING, sr, needed,
                                     available))
    return found


def _sr_finding(kind: FindingKind, severity: Severity, sr: SR, needed: int,
                available: int) -> Finding:
    return Finding(kind, severity, sr_ref=sr.ref, sr_name=sr.name_label, needed=needed,
                   available=available, capacity=sr.physical_size)


def chain_findings(cache: ObjectCache, vm_ref: str) -> list[Finding]:
    """A warning when one more snapshot brings the VM's chain near xapi's limit."""
    tree = SnapshotTree.build(cache, vm_ref)
    depth_after = tree.now_depth + 1
    if depth_after < tree.warn_depth:
        return []
    return [Finding(FindingKind.CHAIN_DEPTH, Severity.WARNING, depth=depth_after,
                    limit=XAPI_CHAIN_LIMIT)]


def memory_pause_seconds(vm: VM) -> float:
    """Roughly how long a memory snapshot keeps the VM from running: the memory image is
    written, the disks snapshotted, then the image read back."""
    return CHECKPOINT_FIXED_SECONDS + 2 * vm.memory_static_max / CHECKPOINT_BYTES_PER_SECOND


def snapshot_findings(cache: ObjectCache, vm_ref: str, *, memory: bool) -> list[Finding]:
    """Everything to know before a snapshot (or a memory snapshot) of the VM."""
    vm = VM.get(cache, vm_ref)
    if vm is None:
        return []
    found = space_findings(cache, snapshot_needs(cache, vm_ref, memory=memory))
    found += chain_findings(cache, vm_ref)
    if memory and vm.power_state in ("Running", "Paused"):
        if suspend_sr_of(cache, vm_ref) is None:
            found.append(Finding(FindingKind.NO_SUSPEND_SR, Severity.ERROR))
        found.append(Finding(FindingKind.MEMORY_PAUSE, Severity.WARNING,
                             seconds=memory_pause_seconds(vm), memory=vm.memory_static_max))
    return _ordered(found)


def revert_findings(cache: ObjectCache, snapshot_ref: str) -> list[Finding]:
    """Space for a revert: the snapshot's disks are cloned after the VM's are dropped."""
    snapshot = Snapshot.get(cache, snapshot_ref)
    if snapshot is None:
        return []
    needs = clone_needs(cache, snapshot_ref)
    freed: dict[str, int] = {}
    origins = {vdi.snapshot_of_ref for vdi in disks_of(cache, snapshot_ref)}
    vm = snapshot.snapshot_of
    if vm is not None:
        for vdi in disks_of(cache, vm.ref):
            if vdi.ref in origins:
                _add(freed, vdi.sr_ref, max(vdi.physical_utilisation, 0))
        suspend = vm.suspend_vdi
        if suspend is not None:
            _add(freed, suspend.sr_ref, max(suspend.physical_utilisation, 0))
    return _ordered(space_findings(cache, needs, freed))


def copy_findings(cache: ObjectCache, snapshot_ref: str, target_sr: str | None) -> list[Finding]:
    """Space for a template or VM made from the snapshot: a clone (``target_sr`` None)
    stays on the snapshot's SRs, a full copy goes to ``target_sr``."""
    needs = (clone_needs(cache, snapshot_ref) if target_sr is None
             else copy_needs(cache, snapshot_ref, target_sr))
    return _ordered(space_findings(cache, needs))


def coalesce_findings(cache: ObjectCache, largest_by_sr: Mapping[str, int]) -> list[Finding]:
    """Warnings for thick SRs whose free space is below the largest disk deleted there:
    each delete starts a coalesce, which needs room to merge (xen-orchestra #7224)."""
    found: list[Finding] = []
    for sr_ref, largest in largest_by_sr.items():
        sr = SR.get(cache, sr_ref)
        if sr is None or sr.allocation != "thick" or sr.physical_size <= 0:
            continue
        if sr.free_space < largest:
            found.append(_sr_finding(FindingKind.COALESCE_SPACE, Severity.WARNING, sr, largest,
                                     sr.free_space))
    return found


def destination_findings(needed_at_least: int, needed_at_most: int, available: int,
                         path: str) -> list[Finding]:
    """An export's size against the local free space: it surely does not fit (error)
    or might not (warning: all-zero chunks are left out, so it is usually smaller)."""
    if available < needed_at_least:
        return [Finding(FindingKind.DESTINATION_FULL, Severity.ERROR, needed=needed_at_least,
                        available=available, path=path)]
    if available < needed_at_most:
        return [Finding(FindingKind.DESTINATION_TIGHT, Severity.WARNING, needed=needed_at_most,
                        available=available, path=path)]
    return []
