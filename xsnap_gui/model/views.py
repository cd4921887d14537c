"""Typed, read-only views over cached records.

A view is a thin wrapper holding the cache, a ref and the record it was made
from. The cache replaces records instead of changing them, so a view is a
consistent picture of its object at the moment it was made; ask for a new one
after a change. Views are cheap (three slots) and made on demand:

    vm = VM.get(cache, ref)
    for snap in vm.snapshots: ...
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, ClassVar, Self, TypeVar

from .cache import ObjectCache, Record

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
_EPOCH_NAIVE = EPOCH.replace(tzinfo=None)
_NO_MAP: Mapping[str, str] = {}

# SR types whose disks grow on demand, when sm_config does not say "allocation".
THIN_SR_TYPES = frozenset({
    "nfs", "ext", "file", "smb", "cifs", "xfs", "zfs", "btrfs", "gfs2", "largeblock",
    "glusterfs", "cephfs", "moosefs", "linstor",
})
THICK_SR_TYPES = frozenset({"lvm", "lvmoiscsi", "lvmohba", "lvmofcoe"})


def _datetime_or_none(value: Any) -> dt.datetime | None:
    """A datetime, or None for the epoch, which xapi uses for "never"."""
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        return None if value <= _EPOCH_NAIVE else value
    return None if value <= EPOCH else value


class View:
    """Base of all views: identity is (class, ref); fields through typed accessors."""

    __slots__ = ("cache", "rec", "ref")
    CLASS: ClassVar[str] = ""

    def __init__(self, cache: ObjectCache, ref: str, rec: Record) -> None:
        self.cache = cache
        self.ref = ref
        self.rec = rec

    @classmethod
    def get(cls, cache: ObjectCache, ref: str | None) -> Self | None:
        """The view of ``ref``, or None when it is None or not in the cache."""
        rec = cache.get(cls.CLASS, ref)
        if rec is None or ref is None:
            return None
        return cls(cache, ref, rec)

    @classmethod
    def all(cls, cache: ObjectCache) -> Iterator[Self]:
        for ref, rec in cache.records(cls.CLASS).items():
            yield cls(cache, ref, rec)

    @classmethod
    def by_uuid(cls, cache: ObjectCache, uuid: str) -> Self | None:
        return cls.get(cache, cache.by_uuid(cls.CLASS, uuid))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, View) and other.CLASS == self.CLASS and other.ref == self.ref

    def __hash__(self) -> int:
        return hash((self.CLASS, self.ref))

    def __repr__(self) -> str:
        label = self.rec.get("name_label", self.rec.get("name", ""))
        return f"{type(self).__name__}({self.ref!r}, {label!r})"

    # --- typed field access ---------------------------------------------------------

    def _str(self, name: str) -> str:
        value = self.rec.get(name)
        return value if isinstance(value, str) else ""

    def _int(self, name: str) -> int:
        value = self.rec.get(name)
        return value if isinstance(value, int) else 0

    def _float(self, name: str) -> float:
        value = self.rec.get(name)
        return float(value) if isinstance(value, (int, float)) else 0.0

    def _bool(self, name: str) -> bool:
        return self.rec.get(name) is True

    def _ref(self, name: str) -> str | None:
        value = self.rec.get(name)
        return value if isinstance(value, str) else None

    def _refs(self, name: str) -> Sequence[str]:
        value = self.rec.get(name)
        return value if isinstance(value, list) else ()

    def _map(self, name: str) -> Mapping[str, Any]:
        value = self.rec.get(name)
        return value if isinstance(value, dict) else _NO_MAP

    def _time(self, name: str) -> dt.datetime | None:
        return _datetime_or_none(self.rec.get(name))

    @property
    def uuid(self) -> str:
        return self._str("uuid")

    @property
    def name_label(self) -> str:
        return self._str("name_label")

    @property
    def name_description(self) -> str:
        return self._str("name_description")

    @property
    def other_config(self) -> Mapping[str, str]:
        return self._map("other_config")

    @property
    def tags(self) -> Sequence[str]:
        return self._refs("tags")


class Pool(View):
    __slots__ = ()
    CLASS = "pool"

    @classmethod
    def of(cls, cache: ObjectCache) -> Pool | None:
        """The pool (a connection has exactly one)."""
        for ref, rec in cache.records("pool").items():
            return cls(cache, ref, rec)
        return None

    @property
    def master(self) -> Host | None:
        return Host.get(self.cache, self._ref("master"))

    @property
    def default_sr(self) -> SR | None:
        return SR.get(self.cache, self._ref("default_SR"))

    @property
    def restrictions(self) -> Mapping[str, str]:
        return self._map("restrictions")

    @property
    def vmss_restricted(self) -> bool:
        return self.restrictions.get("restrict_vmss") == "true"

    @property
    def checkpoint_restricted(self) -> bool:
        return self.restrictions.get("restrict_checkpoint") == "true"


class Host(View):
    __slots__ = ()
    CLASS = "host"

    @property
    def address(self) -> str:
        return self._str("address")

    @property
    def hostname(self) -> str:
        return self._str("hostname")

    @property
    def enabled(self) -> bool:
        return self._bool("enabled")

    @property
    def resident_vms(self) -> list[VM]:
        return _views(VM, self.cache, self._refs("resident_VMs"))

    @property
    def software_version(self) -> Mapping[str, str]:
        return self._map("software_version")


class VM(View):
    """A VM, template, control domain or snapshot (see :class:`Snapshot`)."""

    __slots__ = ()
    CLASS = "VM"

    @classmethod
    def real_vms(cls, cache: ObjectCache) -> Iterator[VM]:
        """Every VM that is not a template, snapshot or control domain."""
        for ref, rec in cache.records("VM").items():
            if not (rec.get("is_a_template") or rec.get("is_a_snapshot")
                    or rec.get("is_control_domain")):
                yield cls(cache, ref, rec)

    @property
    def power_state(self) -> str:
        return self._str("power_state")

    @property
    def is_a_template(self) -> bool:
        return self._bool("is_a_template")

    @property
    def is_a_snapshot(self) -> bool:
        return self._bool("is_a_snapshot")

    @property
    def is_control_domain(self) -> bool:
        return self._bool("is_control_domain")

    @property
    def is_real_vm(self) -> bool:
        """Not a template, snapshot or control domain: what a user calls a VM."""
        return not (self.is_a_template or self.is_a_snapshot or self.is_control_domain)

    @property
    def allowed_operations(self) -> Sequence[str]:
        return self._refs("allowed_operations")

    @property
    def current_operations(self) -> Mapping[str, str]:
        """Task ref → operation, for operations in progress."""
        return self._map("current_operations")

    @property
    def blocked_operations(self) -> Mapping[str, str]:
        return self._map("blocked_operations")

    def allows(self, operation: str) -> bool:
        return operation in self.allowed_operations

    @property
    def snapshot_refs(self) -> Sequence[str]:
        return self._refs("snapshots")

    @property
    def snapshots(self) -> list[Snapshot]:
        return _views(Snapshot, self.cache, self._refs("snapshots"))

    @property
    def parent_ref(self) -> str | None:
        """The snapshot the current state descends from (XenCenter's "Now" position)."""
        return self._ref("parent")

    @property
    def children_refs(self) -> Sequence[str]:
        return self._refs("children")

    @property
    def snapshot_schedule(self) -> VMSS | None:
        return VMSS.get(self.cache, self._ref("snapshot_schedule"))

    @property
    def snapshot_schedule_ref(self) -> str | None:
        return self._ref("snapshot_schedule")

    @property
    def resident_on(self) -> Host | None:
        return Host.get(self.cache, self._ref("resident_on"))

    @property
    def suspend_vdi(self) -> VDI | None:
        return VDI.get(self.cache, self._ref("suspend_VDI"))

    @property
    def vbds(self) -> list[VBD]:
        return _views(VBD, self.cache, self._refs("VBDs"))

    @property
    def disk_vbds(self) -> list[VBD]:
        return [vbd for vbd in self.vbds if vbd.type == "Disk"]

    @property
    def blobs(self) -> Mapping[str, str]:
        """Blob name → blob ref (XenCenter keeps its snapshot screenshots here)."""
        return self._map("blobs")

    @property
    def memory_static_max(self) -> int:
        return self._int("memory_static_max")

    @property
    def vcpus_max(self) -> int:
        return self._int("VCPUs_max")

    @property
    def messages(self) -> list[Message]:
        return Message.about(self.cache, self.uuid)


class Snapshot(VM):
    """A VM with ``is_a_snapshot``: what the Snapshots tab shows."""

    __slots__ = ()

    @classmethod
    def all(cls, cache: ObjectCache) -> Iterator[Snapshot]:
        for ref, rec in cache.records("VM").items():
            if rec.get("is_a_snapshot"):
                yield cls(cache, ref, rec)

    @property
    def snapshot_of_ref(self) -> str | None:
        return self._ref("snapshot_of")

    @property
    def snapshot_of(self) -> VM | None:
        return VM.get(self.cache, self._ref("snapshot_of"))

    @property
    def is_orphan(self) -> bool:
        """Its VM is gone (or it never had one in the cache's eyes)."""
        return self.cache.get("VM", self._ref("snapshot_of")) is None

    @property
    def snapshot_time(self) -> dt.datetime | None:
        return self._time("snapshot_time")

    @property
    def is_scheduled(self) -> bool:
        """Taken by a snapshot schedule (VMSS, or the older VMPP)."""
        return self._bool("is_vmss_snapshot") or self._bool("is_snapshot_from_vmpp")

    @property
    def has_memory(self) -> bool:
        """A checkpoint: disks and memory."""
        return self.power_state == "Suspended" or self._ref("suspend_VDI") is not None

    @property
    def kind(self) -> str:
        """``scheduled``, ``disk_and_memory`` or ``disk`` (scheduled wins; see has_memory)."""
        return snapshot_kind(self.rec)

    @property
    def power_state_at_snapshot(self) -> str:
        return str(self._map("snapshot_info").get("power-state-at-snapshot", ""))

    @property
    def size(self) -> int:
        """Bytes on storage, by XenCenter's rule (see :func:`snapshot_size`)."""
        return snapshot_size(self.cache, self.rec)


class SR(View):
    __slots__ = ()
    CLASS = "SR"

    @property
    def type(self) -> str:
        return self._str("type")

    @property
    def content_type(self) -> str:
        return self._str("content_type")

    @property
    def shared(self) -> bool:
        return self._bool("shared")

    @property
    def sm_config(self) -> Mapping[str, str]:
        return self._map("sm_config")

    @property
    def allocation(self) -> str | None:
        """``thin`` or ``thick``: from sm_config, else from the SR type; None if unknown."""
        declared = self.sm_config.get("allocation")
        if declared in ("thin", "thick"):
            return declared
        if self.type in THIN_SR_TYPES:
            return "thin"
        if self.type in THICK_SR_TYPES:
            return "thick"
        return None

    @property
    def is_thin(self) -> bool:
        return self.allocation == "thin"

    @property
    def physical_size(self) -> int:
        return self._int("physical_size")

    @property
    def physical_utilisation(self) -> int:
        return self._int("physical_utilisation")

    @property
    def virtual_allocation(self) -> int:
        return self._int("virtual_allocation")

    @property
    def free_space(self) -> int:
        return max(0, self.physical_size - self.physical_utilisation)

    @property
    def used_fraction(self) -> float:
        size = self.physical_size
        return self.physical_utilisation / size if size > 0 else 0.0

    @property
    def vdis(self) -> list[VDI]:
        return _views(VDI, self.cache, self.cache.referrers("VDI", "SR", self.ref))


class VDI(View):
    __slots__ = ()
    CLASS = "VDI"

    @property
    def sr(self) -> SR | None:
        return SR.get(self.cache, self._ref("SR"))

    @property
    def sr_ref(self) -> str | None:
        return self._ref("SR")

    @property
    def type(self) -> str:
        return self._str("type")

    @property
    def virtual_size(self) -> int:
        return self._int("virtual_size")

    @property
    def physical_utilisation(self) -> int:
        return self._int("physical_utilisation")

    @property
    def is_a_snapshot(self) -> bool:
        return self._bool("is_a_snapshot")

    @property
    def snapshot_of_ref(self) -> str | None:
        return self._ref("snapshot_of")

    @property
    def snapshot_time(self) -> dt.datetime | None:
        return self._time("snapshot_time")

    @property
    def managed(self) -> bool:
        return self._bool("managed")

    @property
    def read_only(self) -> bool:
        return self._bool("read_only")

    @property
    def sm_config(self) -> Mapping[str, str]:
        return self._map("sm_config")

    @property
    def vhd_parent(self) -> str | None:
        """The uuid of the parent VHD on VHD-based SRs."""
        return self.sm_config.get("vhd-parent")

    @property
    def vbds(self) -> list[VBD]:
        return _views(VBD, self.cache, self._refs("VBDs"))


class VBD(View):
    __slots__ = ()
    CLASS = "VBD"

    @property
    def vm_ref(self) -> str | None:
        return self._ref("VM")

    @property
    def vm(self) -> VM | None:
        return VM.get(self.cache, self._ref("VM"))

    @property
    def vdi_ref(self) -> str | None:
        return self._ref("VDI")

    @property
    def vdi(self) -> VDI | None:
        return VDI.get(self.cache, self._ref("VDI"))

    @property
    def type(self) -> str:
        return self._str("type")

    @property
    def mode(self) -> str:
        return self._str("mode")

    @property
    def userdevice(self) -> str:
        return self._str("userdevice")

    @property
    def empty(self) -> bool:
        return self._bool("empty")

    @property
    def currently_attached(self) -> bool:
        return self._bool("currently_attached")

    @property
    def is_owner(self) -> bool:
        """A snapshot's own disk: deleting the snapshot deletes this VDI (``owner`` key)."""
        return "owner" in self.other_config


class VMSS(View):
    """A VM snapshot schedule."""

    __slots__ = ()
    CLASS = "VMSS"

    @property
    def enabled(self) -> bool:
        return self._bool("enabled")

    @property
    def type(self) -> str:
        """``snapshot``, ``checkpoint`` or ``snapshot_with_quiesce``."""
        return self._str("type")

    @property
    def frequency(self) -> str:
        """``hourly``, ``daily`` or ``weekly``."""
        return self._str("frequency")

    @property
    def schedule(self) -> Mapping[str, str]:
        """Keys ``min``, ``hour``, ``days``, in the pool's local time."""
        return self._map("schedule")

    @property
    def retained_snapshots(self) -> int:
        return self._int("retained_snapshots")

    @property
    def last_run_time(self) -> dt.datetime | None:
        """When it last ran; None if never (xapi keeps the epoch)."""
        return self._time("last_run_time")

    @property
    def vm_refs(self) -> Sequence[str]:
        return self._refs("VMs")

    @property
    def vms(self) -> list[VM]:
        return _views(VM, self.cache, self._refs("VMs"))

    @property
    def messages(self) -> list[Message]:
        return Message.about(self.cache, self.uuid)


class Task(View):
    __slots__ = ()
    CLASS = "task"

    @property
    def status(self) -> str:
        """``pending``, ``success``, ``failure``, ``cancelling`` or ``cancelled``."""
        return self._str("status")

    @property
    def is_pending(self) -> bool:
        return self.status in ("pending", "cancelling")

    @property
    def progress(self) -> float:
        return self._float("progress")

    @property
    def created(self) -> dt.datetime | None:
        return self._time("created")

    @property
    def finished(self) -> dt.datetime | None:
        """None while the task runs (xapi keeps the epoch)."""
        return self._time("finished")

    @property
    def result(self) -> str:
        return self._str("result")

    @property
    def error_info(self) -> Sequence[str]:
        return self._refs("error_info")

    @property
    def allowed_operations(self) -> Sequence[str]:
        return self._refs("allowed_operations")

    @property
    def subtask_of(self) -> str | None:
        return self._ref("subtask_of")

    @property
    def applies_to(self) -> list[str]:
        """Refs named in other_config ``applies_to`` (XenCenter and VMSS tasks set it)."""
        text = self.other_config.get("applies_to", "")
        return [part for part in (p.strip() for p in text.split(",")) if part]


class Message(View):
    """An alert. ``cls`` and ``obj_uuid`` name the object it is about."""

    __slots__ = ()
    CLASS = "message"

    @classmethod
    def about(cls, cache: ObjectCache, obj_uuid: str) -> list[Message]:
        """Messages about the object with this uuid, newest first."""
        found = _views(cls, cache, cache.referrers("message", "obj_uuid", obj_uuid))
        found.sort(key=lambda m: m.timestamp or EPOCH, reverse=True)
        return found

    @property
    def name(self) -> str:
        return self._str("name")

    @property
    def priority(self) -> int:
        return self._int("priority")

    @property
    def severity(self) -> str:
        """XenCenter's reading of priority: below 3 error, 3 warning, above 3 info."""
        p = self.priority
        return "error" if p < 3 else "warning" if p == 3 else "info"

    @property
    def cls(self) -> str:
        return self._str("cls")

    @property
    def obj_uuid(self) -> str:
        return self._str("obj_uuid")

    @property
    def timestamp(self) -> dt.datetime | None:
        return self._time("timestamp")

    @property
    def body(self) -> str:
        return self._str("body")


V = TypeVar("V", bound=View)


def _views(kind: type[V], cache: ObjectCache,
           refs: Sequence[str] | set[str] | frozenset[str]) -> list[V]:
    table = cache.records(kind.CLASS)
    out = []
    for ref in refs:
        rec = table.get(ref)
        if rec is not None:
            out.append(kind(cache, ref, rec))
    return out


def snapshot_kind(rec: Record) -> str:
    """``scheduled`` (VMSS or VMPP), ``disk_and_memory`` (a checkpoint) or ``disk``."""
    if rec.get("is_vmss_snapshot") or rec.get("is_snapshot_from_vmpp"):
        return "scheduled"
    if rec.get("power_state") == "Suspended" or rec.get("suspend_VDI") is not None:
        return "disk_and_memory"
    return "disk"


def snapshot_size(cache: ObjectCache, rec: Record) -> int:
    """XenCenter's snapshot size: what its own disks and memory image use on storage.

    The sum of ``physical_utilisation`` over the VDIs of the snapshot's Disk
    VBDs that carry other_config ``owner`` (the disks deleting the snapshot
    deletes), skipping -1 (unknown), plus the suspend VDI's. On VHD SRs this
    under-counts, as the shared base is a hidden parent no snapshot owns.
    """
    vbds = cache.records("VBD")
    vdis = cache.records("VDI")
    total = 0
    for vbd_ref in rec.get("VBDs") or ():
        vbd = vbds.get(vbd_ref)
        if vbd is None or vbd.get("type") != "Disk" or "owner" not in (vbd.get("other_config")
                                                                      or _NO_MAP):
            continue
        vdi_ref = vbd.get("VDI")
        vdi = vdis.get(vdi_ref) if isinstance(vdi_ref, str) else None
        if vdi is not None:
            used = vdi.get("physical_utilisation", -1)
            if isinstance(used, int) and used >= 0:
                total += used
    suspend_ref = rec.get("suspend_VDI")
    suspend = vdis.get(suspend_ref) if isinstance(suspend_ref, str) else None
    if suspend is not None:
        used = suspend.get("physical_utilisation", -1)
        if isinstance(used, int) and used >= 0:
            total += used
    return total
