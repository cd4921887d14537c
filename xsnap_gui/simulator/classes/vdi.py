"""VDI: destroy, snapshot, clone and copy, and the SR space accounting they share.

Space follows the SR's provisioning: on thick SRs (``sm_config.allocation`` thick,
or LVM types) every new disk occupies its full virtual size; on thin SRs a
snapshot or clone starts small and a copy takes the data it holds. A request
that does not fit fails with SR_FULL [requested, free bytes] before anything is
created, as the storage manager refuses it up front.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..call import Call
from ..coerce import NULL_REF
from ..db import Database
from ..errors import XapiError
from ..generate import (
    VDI_ATTACHED_OPERATIONS,
    VDI_DETACHED_OPERATIONS,
    VDI_SNAPSHOT_OPERATIONS,
    VDI_SUSPEND_OPERATIONS,
)
from ..registry import implements

MiB = 1 << 20
# A fresh thin snapshot or clone holds only the VHD header and a little metadata.
THIN_FRESH_FRACTION = 0.01
# Fields a new disk inherits from the one it is made from.
INHERITED_FIELDS = ("name_label", "name_description", "type", "virtual_size", "sharable",
                    "read_only", "other_config", "xenstore_data", "sm_config", "tags",
                    "on_boot", "allow_caching", "metadata_of_pool")


def _round_mib(value: float) -> int:
    return max(MiB, int(value) // MiB * MiB)


def is_thick(sr_row: dict[str, Any]) -> bool:
    allocation = sr_row["sm_config"].get("allocation")
    if allocation is not None:
        return bool(allocation == "thick")
    return str(sr_row["type"]).startswith("lvm")


def free_space(sr_row: dict[str, Any]) -> int:
    return max(0, int(sr_row["physical_size"]) - int(sr_row["physical_utilisation"]))


def fresh_size(vdi_row: dict[str, Any], sr_row: dict[str, Any]) -> int:
    """Space a new snapshot or clone of this disk takes in ``sr_row``."""
    size = int(vdi_row["virtual_size"])
    if is_thick(sr_row):
        return size
    return min(size, _round_mib(size * THIN_FRESH_FRACTION))


def data_size(db: Database, vdi_row: dict[str, Any]) -> int:
    """The bytes a disk's contents occupy: what a full copy has to write.

    A snapshot's own allocation is only its delta; its data is (about) what its
    origin held, so take the larger of the two.
    """
    used = int(vdi_row["physical_utilisation"])
    origin = db.tables["VDI"].get(vdi_row["snapshot_of"])
    if origin is not None:
        used = max(used, int(origin["physical_utilisation"]))
    return min(int(vdi_row["virtual_size"]), max(used, 0))


def copy_size(db: Database, vdi_row: dict[str, Any], sr_row: dict[str, Any]) -> int:
    if is_thick(sr_row):
        return int(vdi_row["virtual_size"])
    return data_size(db, vdi_row)


class SpacePlan:
    """Bytes to allocate (and free) per SR, checked in one go before creating anything."""

    def __init__(self) -> None:
        self.needed: dict[str, int] = {}
        self.freed: dict[str, int] = {}

    def need(self, sr: str, size: int) -> None:
        self.needed[sr] = self.needed.get(sr, 0) + size

    def free(self, sr: str, size: int) -> None:
        self.freed[sr] = self.freed.get(sr, 0) + size

    def check(self, db: Database) -> None:
        """Raise SR_FULL [requested, available] for the first SR that cannot take its share."""
        with db.lock:
            for sr, size in self.needed.items():
                row = db.row("SR", sr)
                available = free_space(row) + self.freed.get(sr, 0)
                if size > available:
                    raise XapiError("SR_FULL", size, available)


def charge_sr(db: Database, sr: str, physical: int, virtual: int) -> None:
    """Account for a disk appearing in (positive) or leaving (negative) an SR."""
    with db.lock:
        if not db.exists("SR", sr):
            return
        row = db.row("SR", sr)
        db.update("SR", sr,
                  physical_utilisation=max(0, int(row["physical_utilisation"]) + physical),
                  virtual_allocation=max(0, int(row["virtual_allocation"]) + virtual))


def vdi_operations(db: Database, vdi: str) -> list[str]:
    """A plausible VDI.allowed_operations for the disk's current use."""
    row = db.row("VDI", vdi)
    if row["type"] == "suspend" and not row["is_a_snapshot"]:
        return list(VDI_SUSPEND_OPERATIONS)
    if row["is_a_snapshot"]:
        return list(VDI_SNAPSHOT_OPERATIONS)
    attached = any(db.tables["VBD"].get(vbd, {}).get("currently_attached") for vbd in row["VBDs"])
    return list(VDI_ATTACHED_OPERATIONS if attached else VDI_DETACHED_OPERATIONS)


def refresh_operations(db: Database, vdis: Iterable[str]) -> None:
    with db.lock:
        for vdi in vdis:
            if db.exists("VDI", vdi):
                ops = vdi_operations(db, vdi)
                if db.get("VDI", vdi, "allowed_operations") != ops:
                    db.set("VDI", vdi, "allowed_operations", ops)


def create_from(call: Call, source: dict[str, Any], sr: str, physical: int,
                **overrides: Any) -> str:
    """A new VDI shaped like ``source`` in ``sr``, charged to the SR. Caller holds the lock."""
    db = call.db
    uuid = db.new_uuid()
    fields: dict[str, Any] = {name: source[name] for name in INHERITED_FIELDS if name in source}
    fields.update(uuid=uuid, SR=sr, location=uuid, managed=True, missing=False,
                  physical_utilisation=physical, is_a_snapshot=False, snapshot_of=NULL_REF,
                  current_operations={}, storage_lock=False, cbt_enabled=False)
    fields.update(overrides)
    ref = db.create("VDI", fields)
    charge_sr(db, sr, physical, int(fields["virtual_size"]))
    db.set("VDI", ref, "allowed_operations", vdi_operations(db, ref))
    return ref


def snapshot_of(call: Call, vdi: str, physical: int | None = None) -> str:
    """VDI.snapshot's result: same SR, marked as a snapshot of ``vdi``. Caller holds the lock."""
    db = call.db
    row = db.row("VDI", vdi)
    sr_row = db.row("SR", row["SR"])
    size = fresh_size(row, sr_row) if physical is None else physical
    return create_from(call, row, row["SR"], size, is_a_snapshot=True, snapshot_of=vdi,
                       snapshot_time=call.sim.now())


def clone_of(call: Call, vdi: str) -> str:
    """VDI.clone's result: a new independent disk in the same SR. Caller holds the lock."""
    db = call.db
    row = db.row("VDI", vdi)
    return create_from(call, row, row["SR"], fresh_size(row, db.row("SR", row["SR"])))


def copy_of(call: Call, vdi: str, sr: str) -> str:
    """VDI.copy's result: a full copy in ``sr``. Caller holds the lock."""
    db = call.db
    row = db.row("VDI", vdi)
    return create_from(call, row, sr, copy_size(db, row, db.row("SR", sr)))


def assert_not_in_use(db: Database, vdi: str, operation: str) -> None:
    with db.lock:
        for vbd in db.get("VDI", vdi, "VBDs"):
            vbd_row = db.tables["VBD"].get(vbd)
            if vbd_row is not None and (vbd_row["currently_attached"]
                                        or vbd_row.get("reserved")):
                raise XapiError("VDI_IN_USE", vdi, operation)


def _assert_sr_allows(db: Database, sr: str, op: str) -> None:
    if db.exists("SR", sr) and op not in db.get("SR", sr, "allowed_operations"):
        raise XapiError("SR_OPERATION_NOT_SUPPORTED", sr)


def remove(db: Database, vdi: str) -> None:
    """Delete a VDI as VDI.destroy does: its VBDs go too, and any suspend_VDI link is cut."""
    with db.lock:
        row = db.row("VDI", vdi)
        vbds = list(row["VBDs"])
        db.destroy("VDI", vdi)
        charge_sr(db, row["SR"], -int(row["physical_utilisation"]), -int(row["virtual_size"]))
        for vbd in vbds:
            if db.exists("VBD", vbd):
                db.destroy("VBD", vbd)
        for vm in db.find("VM", suspend_VDI=vdi):
            db.set("VM", vm, "suspend_VDI", NULL_REF)


@implements("VDI.destroy")
def destroy(call: Call, self_ref: str) -> str:
    db = call.db
    with db.lock:
        row = db.row("VDI", self_ref)
        _assert_sr_allows(db, row["SR"], "vdi_destroy")
        if not row["managed"]:
            raise XapiError("VDI_NOT_MANAGED", self_ref)
        assert_not_in_use(db, self_ref, "destroy")
        remove(db, self_ref)
    return ""


def _space_for(call: Call, sr: str, size: int) -> None:
    plan = SpacePlan()
    plan.need(sr, size)
    plan.check(call.db)


def _copy_in_place(call: Call, vdi: str, sr_operation: str,
                   make: Callable[[str, int], str]) -> str:
    """VDI.snapshot and VDI.clone: check the SR, do the work, then create on the same SR.

    Space is checked before the work and again after it, under the lock, so a
    cancel or a full SR leaves nothing behind.
    """
    db = call.db
    with db.lock:
        row = db.row("VDI", vdi)
        _assert_sr_allows(db, row["SR"], sr_operation)
        size = fresh_size(row, db.row("SR", row["SR"]))
        _space_for(call, row["SR"], size)
    call.work(call.sim.config.snapshot_seconds_per_gib * int(row["virtual_size"]) / (1 << 30))
    with db.lock:
        _space_for(call, row["SR"], size)
        return make(vdi, size)


@implements("VDI.snapshot", cancellable=True)
def snapshot(call: Call, vdi: str, driver_params: dict[str, str] | None = None) -> str:
    return _copy_in_place(call, vdi, "vdi_snapshot",
                          lambda source, size: snapshot_of(call, source, size))


@implements("VDI.clone", cancellable=True)
def clone(call: Call, vdi: str, driver_params: dict[str, str] | None = None) -> str:
    return _copy_in_place(call, vdi, "vdi_clone", lambda source, _size: clone_of(call, source))


@implements("VDI.copy", cancellable=True)
def copy(call: Call, vdi: str, sr: str, base_vdi: str = NULL_REF,
         into_vdi: str = NULL_REF) -> str:
    db = call.db
    if into_vdi not in (NULL_REF, ""):
        # Copying into an existing disk rewrites its blocks; no record changes.
        with db.lock:
            data = data_size(db, db.row("VDI", vdi))
            db.row("VDI", into_vdi)
        call.work(call.sim.config.copy_seconds_per_gib * data / (1 << 30))
        return into_vdi
    with db.lock:
        row = db.row("VDI", vdi)
        target_sr = db.row("SR", sr)
        _assert_sr_allows(db, sr, "vdi_create")
        size = copy_size(db, row, target_sr)
        _space_for(call, sr, size)
        data = data_size(db, row)
    call.work(call.sim.config.copy_seconds_per_gib * data / (1 << 30))
    with db.lock:
        _space_for(call, sr, size)
        return copy_of(call, vdi, sr)
