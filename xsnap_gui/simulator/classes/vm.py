"""VM: snapshots, checkpoints, revert, clone, copy, provision, destroy and power operations.

The shapes follow xapi: ``xapi_vm_clone.ml`` (the records a snapshot, clone or
copy produces), ``xapi_vm_snapshot.ml`` (checkpoint and revert) and
``xapi_vm.ml`` (destroy, provision). Every operation is checked with
:mod:`..lifecycle` first and keeps the VM in ``current_operations`` while it
runs. Long operations spend simulated time in :meth:`Call.work` *before*
changing anything, then create all their records in one go under the database
lock, so a cancelled task leaves the pool exactly as it was.
"""

from __future__ import annotations

import contextlib
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import implicit, lifecycle, vm_metadata
from ..call import Call
from ..coerce import EPOCH, NULL_REF
from ..db import Database
from ..errors import XapiError
from ..lifecycle import HALTED, PAUSED, RUNNING, SUSPENDED
from ..registry import implements
from . import vdi as vdis
from .message import raise_message

if TYPE_CHECKING:
    from ..core import Simulator

GiB = 1 << 30
MiB = 1 << 20
# xapi sizes a suspend image a little over the VM's maximum memory.
SUSPEND_IMAGE_FACTOR = 1.2
# Fixed simulated costs, in seconds, on top of the per-GiB rates in SimConfig.
SNAPSHOT_BASE_SECONDS = 1.0
CLONE_BASE_SECONDS = 1.0
REVERT_BASE_SECONDS = 2.0
BOOT_SECONDS = 5.0
SHUTDOWN_SECONDS = 3.0
PAUSE_SECONDS = 0.5
# Real seconds between progress updates (and cancel checks) while working.
WORK_TICK = 0.1
MAX_WORK_STEPS = 10_000

OWNER_KEY = "owner"
MAC_SEED_KEY = "mac_seed"
BASE_TEMPLATE_NAME_KEY = "base_template_name"
DROPPED_ON_COPY = ("default_template", "xensource_internal")
POWER_STATE_AT_SNAPSHOT = "power-state-at-snapshot"
DISK_SNAPSHOT_TYPE = "disk-snapshot-type"
CRASH_CONSISTENT = "crash_consistent"

# VM fields revert never takes from the snapshot (xapi_vm_snapshot.ml do_not_copy),
# plus the fields the simulator derives or that name other live objects.
REVERT_KEEPS = frozenset({
    "uuid", "suspend_VDI", "power_state", "parent", "current_operations",
    "allowed_operations", "guest_metrics", "resident_on", "domid", "protection_policy",
    "snapshot_schedule", "scheduled_to_be_resident_on", "snapshots", "tags", "affinity",
    "consoles", "VBDs", "VIFs", "VGPUs", "children", "crash_dumps", "VTPMs", "VUSBs",
    "metrics", "blobs",
})
# When the metadata does not say, the snapshot's own record fills in, minus what marks
# it as a snapshot (xapi's extended_do_not_copy for snapshots without metadata).
REVERT_KEEPS_FROM_RECORD = REVERT_KEEPS | {
    "name_label", "is_a_snapshot", "is_a_template", "is_default_template", "snapshot_of",
    "snapshot_time", "transportable_snapshot_id", "snapshot_info", "snapshot_metadata",
    "is_vmss_snapshot", "is_snapshot_from_vmpp",
}
REVERT_PASS_THROUGH = frozenset({"SR_FULL", "VDI_INCOMPATIBLE_TYPE"})


# --- small helpers -----------------------------------------------------------------------


def _work(call: Call, simulated: float, start: float = 0.0, end: float = 1.0) -> None:
    real = call.sim.config.work_seconds(simulated)
    steps = max(4, min(MAX_WORK_STEPS, math.ceil(real / WORK_TICK)))
    call.work(simulated, steps=steps, start=start, end=end)


def _valid(db: Database, cls: str, ref: Any) -> bool:
    return isinstance(ref, str) and ref != NULL_REF and db.exists(cls, ref)


def _vm_message(call: Call, name: str, vm_row: dict[str, Any], body: str) -> None:
    raise_message(call, name, 5, "VM", str(vm_row["uuid"]), body)


def _new_mac(rng: random.Random) -> str:
    # Locally administered unicast, as xapi's generated MACs are.
    octets = rng.getrandbits(48).to_bytes(6, "big")
    return ":".join(f"{b:02x}" for b in (octets[0] & 0xFC | 0x02, *octets[1:]))


def _fresh_genid(current: str) -> str:
    if not current:
        return ""
    return f"{random.getrandbits(63)}:{random.getrandbits(63)}"


def _gib(size: int) -> float:
    return size / GiB


def _set_fields(db: Database, cls: str) -> set[str]:
    return set(db.set_fields.get(cls, {}))


def _row_copy(db: Database, cls: str, ref: str) -> dict[str, Any]:
    """A row's stored fields without uuid and the derived set sides."""
    skip = _set_fields(db, cls) | {"uuid"}
    return {k: v for k, v in db.row(cls, ref).items() if k not in skip}


def copy_metrics(db: Database, metrics: str) -> str:
    """A new VM_metrics record like ``metrics`` (a blank one if that is gone)."""
    fields = _row_copy(db, "VM_metrics", metrics) if _valid(db, "VM_metrics", metrics) else {}
    return db.create("VM_metrics", fields)


def copy_guest_metrics(db: Database, guest: str) -> str:
    if not _valid(db, "VM_guest_metrics", guest):
        return NULL_REF
    return db.create("VM_guest_metrics", _row_copy(db, "VM_guest_metrics", guest))


def _vbd_operations(vbd_type: str, attached: bool, empty: bool) -> list[str]:
    if attached:
        return ["insert"] if vbd_type == "CD" and empty else \
            ["eject"] if vbd_type == "CD" else ["pause", "unplug", "unplug_force"]
    if vbd_type == "CD":
        return ["attach", "insert"] if empty else ["attach", "eject"]
    return ["attach"]


def copy_vbd(db: Database, vbd: str, vm: str, vdi: str, *, owned: bool) -> str:
    """Xapi_vbd_helpers.copy: a detached VBD like ``vbd`` on ``vm`` pointing at ``vdi``."""
    row = db.row("VBD", vbd)
    empty = bool(row["empty"]) or vdi == NULL_REF
    other_config = dict(row["other_config"])
    if owned and row["type"] == "Disk":
        # CA-58405: a snapshot, clone or checkpoint owns all its disks.
        other_config.setdefault(OWNER_KEY, "")
    return db.create("VBD", {
        "VM": vm, "VDI": vdi, "empty": empty, "userdevice": row["userdevice"],
        "bootable": row["bootable"], "mode": row["mode"], "type": row["type"],
        "unpluggable": row["unpluggable"], "other_config": other_config,
        "qos_algorithm_type": row["qos_algorithm_type"],
        "qos_algorithm_params": dict(row["qos_algorithm_params"]),
        "currently_attached": False, "device": "",
        "allowed_operations": _vbd_operations(row["type"], False, empty),
    })


def copy_vif(db: Database, vif: str, vm: str, *, preserve_mac: bool,
             rng: random.Random) -> str:
    row = db.row("VIF", vif)
    fields = _row_copy(db, "VIF", vif)
    fields.update(VM=vm, currently_attached=False, current_operations={},
                  allowed_operations=["attach"], metrics=NULL_REF, status_code=0,
                  status_detail="", runtime_properties={})
    if not preserve_mac:
        fields.update(MAC=_new_mac(rng), MAC_autogenerated=True)
    else:
        fields.update(MAC=row["MAC"], MAC_autogenerated=row["MAC_autogenerated"])
    return db.create("VIF", fields)


def _suspend_sr(db: Database, sim_pool: str, vm_row: dict[str, Any]) -> str | None:
    """Where a memory image goes: VM.suspend_SR, else the pool's, else the host's."""
    candidates = [vm_row["suspend_SR"], db.get("pool", sim_pool, "suspend_image_SR")]
    host = vm_row["resident_on"]
    if _valid(db, "host", host):
        candidates.append(db.get("host", host, "suspend_image_sr"))
    for sr in candidates:
        if _valid(db, "SR", sr):
            return str(sr)
    return None


def _memory_image(db: Database, vm_row: dict[str, Any], sr: str) -> tuple[dict[str, Any], int]:
    """The fields of a new suspend image for this VM and the space it takes in ``sr``."""
    size = max(MiB, int(int(vm_row["memory_static_max"]) * SUSPEND_IMAGE_FACTOR) // MiB * MiB)
    used = size
    if not vdis.is_thick(db.row("SR", sr)):
        metrics = db.tables["VM_metrics"].get(vm_row["metrics"], {})
        in_use = int(metrics.get("memory_actual") or vm_row["memory_target"]
                     or vm_row["memory_static_max"])
        used = min(size, max(MiB, in_use // MiB * MiB))
    source = {"name_label": "Suspend image", "name_description": "Suspend image",
              "type": "suspend", "virtual_size": size, "sharable": False, "read_only": False,
              "other_config": {}, "xenstore_data": {}, "sm_config": {"vdi_type": "vhd"},
              "tags": []}
    return source, used


# --- copying a VM record (xapi_vm_clone.copy_vm_record) --------------------------------


def _copied_vm_fields(call: Call, vm: str, *, is_snapshot: bool, new_name: str,
                      power_state: str, snapshot_info: dict[str, str],
                      is_vmss_snapshot: bool) -> dict[str, Any]:
    db = call.db
    source = db.row("VM", vm)
    fields = _row_copy(db, "VM", vm)
    other_config = dict(source["other_config"])
    if not is_snapshot:
        other_config[MAC_SEED_KEY] = db.new_uuid()
    for key in DROPPED_ON_COPY:
        other_config.pop(key, None)
    if source["is_a_template"] and BASE_TEMPLATE_NAME_KEY not in other_config:
        other_config[BASE_TEMPLATE_NAME_KEY] = source["name_label"]
    metadata = ""
    if is_snapshot:
        metadata = vm_metadata.encode(db.dm, source, skip=_set_fields(db, "VM"))
    fields.update(
        name_label=new_name, power_state=power_state, allowed_operations=[],
        blocked_operations={}, current_operations={},
        is_a_template=is_snapshot or bool(source["is_a_template"]),
        is_default_template=False, is_a_snapshot=is_snapshot,
        snapshot_of=vm if is_snapshot else NULL_REF,
        snapshot_time=call.sim.now() if is_snapshot else EPOCH,
        snapshot_info=snapshot_info if is_snapshot else {},
        snapshot_metadata=metadata, transportable_snapshot_id="",
        # CA-52668: clones and copies are new top-level VMs.
        parent=source["parent"] if is_snapshot else NULL_REF,
        resident_on=NULL_REF, scheduled_to_be_resident_on=NULL_REF, suspend_VDI=NULL_REF,
        other_config=other_config, domid=-1, domarch="",
        metrics=copy_metrics(db, source["metrics"]),
        guest_metrics=copy_guest_metrics(db, source["guest_metrics"]),
        blobs={}, ha_always_run=False, protection_policy=NULL_REF,
        is_snapshot_from_vmpp=False, is_vmss_snapshot=is_snapshot and is_vmss_snapshot,
        snapshot_schedule=NULL_REF, appliance=NULL_REF, start_delay=0, shutdown_delay=0,
        order=0, suspend_SR=NULL_REF, version=0,
        generation_id=_fresh_genid(str(source["generation_id"])), requires_reboot=False,
        pending_guidances=[], attached_PCIs=[], groups=[],
    )
    return fields


# --- planning disk work ------------------------------------------------------------------


@dataclass
class _DiskStep:
    vbd: str
    vdi: str  # the source VDI, or NULL for an empty drive
    action: str  # snapshot | clone | copy | keep (CDs and empty drives)
    sr: str = NULL_REF
    size: int = 0


@dataclass
class _Plan:
    disks: list[_DiskStep] = field(default_factory=list)
    space: vdis.SpacePlan = field(default_factory=vdis.SpacePlan)
    suspend: _DiskStep | None = None
    memory_image: tuple[dict[str, Any], int, str] | None = None  # fields, size, SR
    seconds: float = 0.0


def _plan_disks(call: Call, vm: str, action: str, *, target_sr: str | None = None,
                ignore_vdis: Sequence[str] = ()) -> _Plan:
    """What each of the VM's drives becomes; the caller holds the lock."""
    db = call.db
    config = call.sim.config
    row = db.row("VM", vm)
    plan = _Plan()
    for vbd in row["VBDs"]:
        vbd_row = db.tables["VBD"].get(vbd)
        if vbd_row is None:
            continue
        source = str(vbd_row["VDI"])
        if action == "snapshot" and source in ignore_vdis:
            continue
        if vbd_row["empty"] or vbd_row["type"] == "CD" or not _valid(db, "VDI", source):
            plan.disks.append(_DiskStep(vbd, source if vbd_row["type"] == "CD"
                                        and not vbd_row["empty"] else NULL_REF, "keep"))
            continue
        plan.disks.append(_plan_one(call, source, action, vbd, target_sr, plan))
    suspend = row["suspend_VDI"]
    if action in ("clone", "copy") and _valid(db, "VDI", suspend):
        plan.suspend = _plan_one(call, str(suspend), action, NULL_REF, target_sr, plan)
    rate = config.copy_seconds_per_gib if action == "copy" else config.snapshot_seconds_per_gib
    base = SNAPSHOT_BASE_SECONDS if action == "snapshot" else CLONE_BASE_SECONDS
    sizes = [s for s in plan.disks if s.action != "keep"]
    if plan.suspend is not None:
        sizes.append(plan.suspend)
    if action == "copy":
        plan.seconds = base + rate * sum(
            _gib(vdis.data_size(db, db.row("VDI", s.vdi))) for s in sizes)
    else:
        plan.seconds = base + rate * sum(
            _gib(int(db.get("VDI", s.vdi, "virtual_size"))) for s in sizes)
    return plan


def _plan_one(call: Call, source: str, action: str, vbd: str, target_sr: str | None,
              plan: _Plan) -> _DiskStep:
    db = call.db
    vdi_row = db.row("VDI", source)
    sr = target_sr if action == "copy" and target_sr else str(vdi_row["SR"])
    sr_row = db.row("SR", sr)
    if action == "copy":
        size = vdis.copy_size(db, vdi_row, sr_row)
    else:
        size = vdis.fresh_size(vdi_row, sr_row)
    plan.space.need(sr, size)
    return _DiskStep(vbd, source, action, sr, size)


def _make_disk(call: Call, step: _DiskStep) -> str:
    if step.action == "keep":
        return step.vdi
    if step.action == "snapshot":
        return vdis.snapshot_of(call, step.vdi, step.size)
    if step.action == "clone":
        return vdis.clone_of(call, step.vdi)
    return vdis.copy_of(call, step.vdi, step.sr)


def _copy_devices(call: Call, source: str, new_vm: str, plan: _Plan, *,
                  preserve_macs: bool) -> None:
    db = call.db
    for step in plan.disks:
        copy_vbd(db, step.vbd, new_vm, _make_disk(call, step), owned=True)
    rng = random.Random()
    for vif in db.row("VM", source)["VIFs"]:
        if db.exists("VIF", vif):
            copy_vif(db, vif, new_vm, preserve_mac=preserve_macs, rng=rng)


# --- snapshot and checkpoint -------------------------------------------------------------


def take_snapshot(call: Call, vm: str, name: str, *, checkpoint: bool,
                  is_vmss_snapshot: bool = False, ignore_vdis: Sequence[str] = ()) -> str:
    """Take a disk snapshot or a checkpoint of ``vm`` as VM.snapshot / VM.checkpoint do.

    Runs the operation checks, spends the simulated time (honouring task.cancel),
    creates the snapshot VM, its disks, VBDs and VIFs in one go, rewires the
    snapshot tree and raises VM_SNAPSHOTTED or VM_CHECKPOINTED. Returns the new ref.
    """
    db = call.db
    op = "checkpoint" if checkpoint else "snapshot"
    with lifecycle.operation(call, vm, op):
        with db.lock:
            plan = _plan_snapshot(call, vm, checkpoint, ignore_vdis)
            plan.space.check(db)
        _work(call, plan.seconds)
        with db.lock:
            plan = _plan_snapshot(call, vm, checkpoint, ignore_vdis)
            plan.space.check(db)
            snapshot = _create_snapshot(call, vm, name, checkpoint, is_vmss_snapshot, plan)
            source = db.row("VM", vm)
            verb = "checkpointed" if checkpoint else "snapshotted"
            _vm_message(call, "VM_CHECKPOINTED" if checkpoint else "VM_SNAPSHOTTED", source,
                        f"VM '{source['name_label']}' (uuid: {source['uuid']}) {verb}, "
                        f"snapshot name: {name}")
    return snapshot


def _plan_snapshot(call: Call, vm: str, checkpoint: bool, ignore_vdis: Sequence[str]) -> _Plan:
    db = call.db
    config = call.sim.config
    row = db.row("VM", vm)
    plan = _plan_disks(call, vm, "snapshot", ignore_vdis=ignore_vdis)
    if not checkpoint:
        return plan
    state = row["power_state"]
    memory = _gib(int(row["memory_static_max"]))
    if state == RUNNING:
        sr = _suspend_sr(db, call.sim.pool, row)
        if sr is None:
            raise XapiError("VM_NO_SUSPEND_SR", vm)
        fields, size = _memory_image(db, row, sr)
        plan.memory_image = (fields, size, sr)
        plan.space.need(sr, size)
        # The memory is saved, the disks snapshotted, then the memory read back.
        plan.seconds += 2 * memory * config.memory_seconds_per_gib
    elif state == SUSPENDED and _valid(db, "VDI", row["suspend_VDI"]):
        plan.suspend = _plan_one(call, str(row["suspend_VDI"]), "snapshot", NULL_REF, None,
                                 plan)
        plan.seconds += memory * config.snapshot_seconds_per_gib
    return plan


def _create_snapshot(call: Call, vm: str, name: str, checkpoint: bool,
                     is_vmss_snapshot: bool, plan: _Plan) -> str:
    """Create the snapshot VM and everything it owns; the caller holds the lock."""
    db = call.db
    source = db.row("VM", vm)
    state = source["power_state"]
    if checkpoint:
        new_state = SUSPENDED if state in (RUNNING, SUSPENDED) else HALTED
        # xapi records the state only when it had to suspend a running VM.
        info = ({POWER_STATE_AT_SNAPSHOT: state, DISK_SNAPSHOT_TYPE: CRASH_CONSISTENT}
                if state == RUNNING else {})
    else:
        new_state = HALTED
        info = {POWER_STATE_AT_SNAPSHOT: state, DISK_SNAPSHOT_TYPE: CRASH_CONSISTENT}
    fields = _copied_vm_fields(call, vm, is_snapshot=True, new_name=name,
                               power_state=new_state, snapshot_info=info,
                               is_vmss_snapshot=is_vmss_snapshot)
    snapshot = db.create("VM", fields)
    _copy_devices(call, vm, snapshot, plan, preserve_macs=True)
    suspend = NULL_REF
    if plan.memory_image is not None:
        image, size, sr = plan.memory_image
        suspend = vdis.create_from(call, image, sr, size, is_a_snapshot=True,
                                   snapshot_time=call.sim.now())
    elif plan.suspend is not None:
        suspend = vdis.snapshot_of(call, plan.suspend.vdi, plan.suspend.size)
    db.update("VM", snapshot, suspend_VDI=suspend)
    db.set("VM", vm, "parent", snapshot)
    lifecycle.update_allowed_operations(call.sim, snapshot)
    return snapshot


@implements("VM.snapshot", cancellable=True)
def snapshot_handler(call: Call, vm: str, new_name: str,
                     ignore_vdis: list[str] | None = None) -> str:
    return take_snapshot(call, vm, new_name, checkpoint=False, ignore_vdis=ignore_vdis or ())


@implements("VM.checkpoint", cancellable=True)
def checkpoint_handler(call: Call, vm: str, new_name: str) -> str:
    return take_snapshot(call, vm, new_name, checkpoint=True)


# --- clone, copy, provision ------------------------------------------------------------


def _clone_or_copy(call: Call, vm: str, new_name: str, action: str,
                   target_sr: str | None) -> str:
    db = call.db
    with lifecycle.operation(call, vm, action):
        with db.lock:
            if target_sr is not None:
                db.row("SR", target_sr)
            plan = _plan_disks(call, vm, action, target_sr=target_sr)
            plan.space.check(db)
        _work(call, plan.seconds)
        with db.lock:
            plan = _plan_disks(call, vm, action, target_sr=target_sr)
            plan.space.check(db)
            source = db.row("VM", vm)
            state = SUSPENDED if source["power_state"] == SUSPENDED else HALTED
            fields = _copied_vm_fields(call, vm, is_snapshot=False, new_name=new_name,
                                       power_state=state, snapshot_info={},
                                       is_vmss_snapshot=False)
            new_vm = db.create("VM", fields)
            _copy_devices(call, vm, new_vm, plan, preserve_macs=False)
            if plan.suspend is not None:
                db.set("VM", new_vm, "suspend_VDI", _make_disk(call, plan.suspend))
            lifecycle.force_state_reset(call.sim, new_vm, state)
            _vm_message(call, "VM_CLONED", source,
                        f"VM '{source['name_label']}' (uuid: {source['uuid']}) cloned, "
                        f"new VM name: {new_name}")
    return new_vm


@implements("VM.clone", cancellable=True)
def clone(call: Call, vm: str, new_name: str) -> str:
    return _clone_or_copy(call, vm, new_name, "clone", None)


@implements("VM.copy", cancellable=True)
def copy(call: Call, vm: str, new_name: str, sr: str) -> str:
    target = None if sr in ("", NULL_REF) else sr
    return _clone_or_copy(call, vm, new_name, "copy", target)


@implements("VM.provision")
def provision(call: Call, vm: str) -> str:
    with lifecycle.operation(call, vm, "provision"):
        call.db.set("VM", vm, "is_a_template", False)
    return ""


# --- revert ------------------------------------------------------------------------------


@implements("VM.revert")
def revert(call: Call, snapshot: str) -> str:
    db = call.db
    with db.lock:
        snap_row = db.row("VM", snapshot)
        if not snap_row["is_a_snapshot"]:
            lifecycle.check_operation(call.sim, snapshot, "revert")
        target = str(snap_row["snapshot_of"])
        if not _valid(db, "VM", target):
            target = _create_vm_from_snapshot(call, snapshot, target)
    with lifecycle.operation(call, snapshot, "revert"), \
            lifecycle.operation(call, target, "reverting"):
        try:
            _revert(call, snapshot, target)
        except XapiError as e:
            lifecycle.force_state_reset(call.sim, target, HALTED)
            if e.code in REVERT_PASS_THROUGH:
                raise
            raise XapiError("VM_REVERT_FAILED", snapshot, target) from e
    with db.lock:
        vm_row = db.row("VM", target)
        _vm_message(call, "VM_SNAPSHOT_REVERTED", vm_row,
                    f"VM '{vm_row['name_label']}' (uuid: {vm_row['uuid']}) reverted to "
                    f"snapshot '{db.get('VM', snapshot, 'name_label')}'")
    return ""


def _create_vm_from_snapshot(call: Call, snapshot: str, old_vm: str) -> str:
    """A new VM in place of a destroyed one, with the uuid the snapshot remembers."""
    db = call.db
    meta = vm_metadata.decode(db.dm, str(db.get("VM", snapshot, "snapshot_metadata")))
    uuid = meta.get("uuid")
    if not isinstance(uuid, str) or not uuid or db.by_uuid("VM", uuid) is not None:
        raise XapiError("VM_REVERT_FAILED", snapshot, old_vm)
    fields = _row_copy(db, "VM", snapshot)
    fields.update(
        uuid=uuid, name_label=meta.get("name_label", fields["name_label"]),
        is_a_snapshot=False, is_a_template=False, snapshot_of=NULL_REF, snapshot_time=EPOCH,
        snapshot_info={}, snapshot_metadata="", is_vmss_snapshot=False,
        transportable_snapshot_id="", parent=NULL_REF, suspend_VDI=NULL_REF,
        power_state=HALTED, current_operations={}, allowed_operations=[], blobs={},
        metrics=copy_metrics(db, str(fields["metrics"])), guest_metrics=NULL_REF,
    )
    new_vm = db.create("VM", fields)
    for other in db.find("VM", snapshot_of=old_vm):
        db.set("VM", other, "snapshot_of", new_vm)
    lifecycle.update_allowed_operations(call.sim, new_vm)
    return new_vm


@dataclass
class _RevertPlan:
    old_vbds: list[str]
    old_vdis: list[str]  # VM disks the snapshot has a counterpart of, and its memory image
    disks: list[_DiskStep]
    suspend: _DiskStep | None
    space: vdis.SpacePlan
    seconds: float


def _plan_revert(call: Call, snapshot: str, vm: str) -> _RevertPlan:
    db = call.db
    snap_plan = _plan_disks(call, snapshot, "clone")
    origins = {db.get("VDI", s.vdi, "snapshot_of") for s in snap_plan.disks
               if s.action != "keep"}
    vm_row = db.row("VM", vm)
    old_vbds = [v for v in vm_row["VBDs"] if db.exists("VBD", v)]
    old_vdis = [db.get("VBD", v, "VDI") for v in old_vbds if db.get("VBD", v, "type") == "Disk"]
    old_vdis = [v for v in old_vdis if v in origins and _valid(db, "VDI", v)]
    if _valid(db, "VDI", vm_row["suspend_VDI"]):
        old_vdis.append(str(vm_row["suspend_VDI"]))
    # xapi deletes the old disks first, to have more free space for the clones.
    for vdi in old_vdis:
        row = db.row("VDI", vdi)
        if db.get("SR", row["SR"], "content_type") != "iso":
            snap_plan.space.free(row["SR"], int(row["physical_utilisation"]))
    return _RevertPlan(old_vbds, old_vdis, snap_plan.disks, snap_plan.suspend,
                       snap_plan.space, REVERT_BASE_SECONDS + snap_plan.seconds)


def _revert(call: Call, snapshot: str, vm: str) -> None:
    db = call.db
    if db.get("VM", vm, "power_state") != HALTED:
        _hard_shutdown(call, vm)
    with db.lock:
        plan = _plan_revert(call, snapshot, vm)
        plan.space.check(db)
    # xapi's progress steps: 0.1 fields, 0.2 old disks gone, 0.5 clones made, then 0.1 per
    # device kind. The clones are the slow part, so the simulated time goes there.
    call.progress(0.1)
    call.progress(0.2)
    _work(call, plan.seconds, 0.2, 0.5)
    with db.lock:
        plan = _plan_revert(call, snapshot, vm)
        plan.space.check(db)
        _revert_fields(call, snapshot, vm)
        for vbd in plan.old_vbds:
            if db.exists("VBD", vbd):
                db.destroy("VBD", vbd)
        for old in plan.old_vdis:
            sr = db.get("VDI", old, "SR")
            if db.get("SR", sr, "content_type") != "iso":
                vdis.remove(db, old)
        cloned: list[tuple[_DiskStep, str]] = [(s, _make_disk(call, s)) for s in plan.disks]
        for step, new_vdi in cloned:
            if step.action == "keep":
                continue
            # Snapshots of the replaced disk now hang off its replacement.
            origin = db.get("VDI", step.vdi, "snapshot_of")
            if origin != NULL_REF:
                for sibling in db.find("VDI", snapshot_of=origin):
                    db.set("VDI", sibling, "snapshot_of", new_vdi)
        suspend = _make_disk(call, plan.suspend) if plan.suspend is not None else NULL_REF
        call.progress(0.6)
        for step, new_vdi in cloned:
            copy_vbd(db, step.vbd, vm, new_vdi, owned=False)
        call.progress(0.7)
        db.set("VM", vm, "suspend_VDI", suspend)
        for vif in db.row("VM", vm)["VIFs"]:
            if db.exists("VIF", vif):
                db.destroy("VIF", vif)
        rng = random.Random()
        for vif in db.row("VM", snapshot)["VIFs"]:
            if db.exists("VIF", vif):
                copy_vif(db, vif, vm, preserve_mac=True, rng=rng)
        call.progress(0.8)
        old_guest = db.get("VM", vm, "guest_metrics")
        if _valid(db, "VM_guest_metrics", old_guest):
            db.destroy("VM_guest_metrics", old_guest)
        db.set("VM", vm, "guest_metrics",
               copy_guest_metrics(db, str(db.get("VM", snapshot, "guest_metrics"))))
        db.set("VM", vm, "parent", snapshot)
        call.progress(0.9)
        lifecycle.force_state_reset(call.sim, vm, str(db.get("VM", snapshot, "power_state")))
        vdis.refresh_operations(db, _vm_vdis(db, vm))
        call.progress(1.0)


def _revert_fields(call: Call, snapshot: str, vm: str) -> None:
    """Restore the VM's fields from the snapshot's metadata (xapi's revert_vm_fields)."""
    db = call.db
    snap_row = db.row("VM", snapshot)
    meta = vm_metadata.decode(db.dm, str(snap_row["snapshot_metadata"]))
    derived = _set_fields(db, "VM")
    values = {k: v for k, v in meta.items() if k not in REVERT_KEEPS and k not in derived}
    for name, value in snap_row.items():
        if name not in meta and name not in REVERT_KEEPS_FROM_RECORD and name not in derived:
            values[name] = value
    values["ha_always_run"] = False
    current = db.row("VM", vm)
    changed = {k: v for k, v in values.items() if current.get(k) != v}
    if changed:
        db.update("VM", vm, **changed)


# --- destroy -----------------------------------------------------------------------------


@implements("VM.destroy")
def destroy(call: Call, self_ref: str) -> str:
    db = call.db
    with db.lock:
        lifecycle.check_operation(call.sim, self_ref, "destroy")
        row = db.row("VM", self_ref)
        if lifecycle.is_default_template(row):
            raise XapiError("VM_CANNOT_DELETE_DEFAULT_TEMPLATE", self_ref)
        remove_vm(call.sim, self_ref)
    return ""


def remove_vm(sim: Simulator, vm: str) -> None:
    """Delete a VM record as xapi's VM.destroy does: devices, blobs and metrics, not disks."""
    db = sim.db
    with db.lock:
        row = db.row("VM", vm)
        parent = row["parent"]
        for child in list(row["children"]):
            if db.exists("VM", child):
                db.set("VM", child, "parent", parent)
        for blob in row["blobs"].values():
            if db.exists("blob", blob):
                db.destroy("blob", blob)
            sim.blob_payloads.pop(blob, None)
        for cls, field_name in (("VBD", "VBDs"), ("VIF", "VIFs"), ("VGPU", "VGPUs"),
                                ("VUSB", "VUSBs"), ("VTPM", "VTPMs"), ("console", "consoles")):
            for ref in list(row.get(field_name, [])):
                if db.exists(cls, ref):
                    metrics = db.row(cls, ref).get("metrics")
                    if cls in ("VBD", "VIF") and isinstance(metrics, str) \
                            and db.exists(f"{cls}_metrics", metrics):
                        db.destroy(f"{cls}_metrics", metrics)
                    db.destroy(cls, ref)
        for cls, field_name in (("VM_metrics", "metrics"), ("VM_guest_metrics", "guest_metrics")):
            if _valid(db, cls, row[field_name]):
                db.destroy(cls, row[field_name])
        db.destroy("VM", vm)


@implements("VM.create")
def create(call: Call, record: dict[str, Any]) -> str:
    db = call.db
    with db.lock:
        vm = implicit.create(call, record)
        if not _valid(db, "VM_metrics", db.get("VM", vm, "metrics")):
            db.set("VM", vm, "metrics", db.create("VM_metrics", {
                "install_time": call.sim.now(), "last_updated": call.sim.now()}))
        lifecycle.update_allowed_operations(call.sim, vm)
    return vm


@implements("VM.assert_operation_valid")
def assert_operation_valid(call: Call, self_ref: str, op: str) -> str:
    lifecycle.check_operation(call.sim, self_ref, op)
    return ""


@implements("VM.update_allowed_operations")
def update_allowed_operations(call: Call, self_ref: str) -> str:
    call.db.row("VM", self_ref)
    lifecycle.update_allowed_operations(call.sim, self_ref)
    return ""


# --- power operations --------------------------------------------------------------------


def _vm_vdis(db: Database, vm: str) -> list[str]:
    row = db.row("VM", vm)
    refs = [db.tables["VBD"][v]["VDI"] for v in row["VBDs"] if v in db.tables["VBD"]]
    return [r for r in refs if _valid(db, "VDI", r)]


def _memory_needed(row: dict[str, Any]) -> int:
    return int(row["memory_static_max"]) + int(row["memory_overhead"])


def _adjust_host_memory(db: Database, host: str, delta: int) -> None:
    if not _valid(db, "host", host):
        return
    metrics = db.get("host", host, "metrics")
    if _valid(db, "host_metrics", metrics):
        free = int(db.get("host_metrics", metrics, "memory_free"))
        db.set("host_metrics", metrics, "memory_free", max(0, free + delta))


def _choose_host(call: Call, vm: str, host: str | None) -> str:
    db = call.db
    row = db.row("VM", vm)
    if host is None:
        affinity = row["affinity"]
        host = str(affinity) if _valid(db, "host", affinity) else call.sim.master
    host_row = db.row("host", host)
    if not host_row["enabled"]:
        raise XapiError("HOST_DISABLED", host)
    metrics = host_row["metrics"]
    if _valid(db, "host_metrics", metrics):
        available = int(db.get("host_metrics", metrics, "memory_free"))
        if _memory_needed(row) > available:
            raise XapiError("HOST_NOT_ENOUGH_FREE_MEMORY", _memory_needed(row), available)
    return host


def _set_devices_attached(db: Database, vm: str, attached: bool) -> None:
    row = db.row("VM", vm)
    for vbd in row["VBDs"]:
        if db.exists("VBD", vbd):
            vbd_row = db.row("VBD", vbd)
            db.update("VBD", vbd, currently_attached=attached,
                      device=vbd_row["device"] or (f"xvd{'abcdefghijklmnop'[int(n)]}"
                                                   if (n := vbd_row["userdevice"]).isdigit()
                                                   and int(n) < 16 else ""),
                      allowed_operations=_vbd_operations(vbd_row["type"], attached,
                                                         bool(vbd_row["empty"])))
    for vif in row["VIFs"]:
        if db.exists("VIF", vif):
            db.update("VIF", vif, currently_attached=attached,
                      allowed_operations=["unplug"] if attached else ["attach"])
    vdis.refresh_operations(db, _vm_vdis(db, vm))


def _boot(call: Call, vm: str, host: str, paused: bool) -> None:
    """Make the VM live on ``host``; the caller holds the lock."""
    db = call.db
    row = db.row("VM", vm)
    now = call.sim.now()
    domids = [int(db.tables["VM"][v]["domid"]) for v in db.row("host", host)["resident_VMs"]
              if v in db.tables["VM"]]
    db.update("VM", vm, power_state=PAUSED if paused else RUNNING, resident_on=host,
              scheduled_to_be_resident_on=NULL_REF, domid=max(domids, default=0) + 1)
    _adjust_host_memory(db, host, -_memory_needed(row))
    metrics = row["metrics"]
    if not _valid(db, "VM_metrics", metrics):
        metrics = db.create("VM_metrics", {"install_time": now})
        db.set("VM", vm, "metrics", metrics)
    db.update("VM_metrics", metrics, start_time=now, last_updated=now,
              memory_actual=int(row["memory_target"] or row["memory_static_max"]),
              VCPUs_number=int(row["VCPUs_at_startup"]),
              current_domain_type=row["domain_type"] if row["domain_type"] != "unspecified"
              else "hvm", state=["paused"] if paused else ["running"])
    if not _valid(db, "VM_guest_metrics", row["guest_metrics"]):
        # The simulated guests run current tools, which report within seconds of boot.
        db.set("VM", vm, "guest_metrics", db.create("VM_guest_metrics", {
            "PV_drivers_detected": True, "PV_drivers_up_to_date": True,
            "PV_drivers_version": {"major": "9", "minor": "4", "micro": "0", "build": "1"},
            "other": {"feature-suspend": "1", "feature-balloon": "1",
                      "feature-shutdown": "1", "feature-poweroff": "1", "feature-reboot": "1"},
            "live": True, "last_updated": now, "can_use_hotplug_vbd": "yes",
            "can_use_hotplug_vif": "yes",
        }))
    _set_devices_attached(db, vm, True)
    lifecycle.update_allowed_operations(call.sim, vm)


def _stop_domain(call: Call, vm: str, state: str) -> None:
    """Tear the running domain down into ``state`` (Halted or Suspended)."""
    db = call.db
    row = db.row("VM", vm)
    if row["power_state"] in (RUNNING, PAUSED):
        _adjust_host_memory(db, str(row["resident_on"]), _memory_needed(row))
    guest = row["guest_metrics"]
    if _valid(db, "VM_guest_metrics", guest):
        db.destroy("VM_guest_metrics", guest)
    db.set("VM", vm, "guest_metrics", NULL_REF)
    if _valid(db, "VM_metrics", row["metrics"]):
        db.update("VM_metrics", row["metrics"], memory_actual=0, VCPUs_number=0,
                  current_domain_type="unspecified", state=[], last_updated=call.sim.now())
    lifecycle.force_state_reset(call.sim, vm, state)
    if state == HALTED:
        _set_devices_attached(db, vm, False)


def _hard_shutdown(call: Call, vm: str) -> None:
    db = call.db
    with db.lock:
        suspended = db.get("VM", vm, "power_state") == SUSPENDED
        image = db.get("VM", vm, "suspend_VDI")
        if suspended and _valid(db, "VDI", image):
            # A suspended VM's memory image has no further use.
            vdis.remove(db, str(image))
        _stop_domain(call, vm, HALTED)


@contextlib.contextmanager
def _power_op(call: Call, vm: str, op: str, seconds: float,
              strict: bool = True) -> Iterator[None]:
    with lifecycle.operation(call, vm, op, strict=strict):
        _work(call, seconds)
        with call.db.lock:
            yield


@implements("VM.start")
def start(call: Call, vm: str, start_paused: bool, force: bool) -> str:
    with _power_op(call, vm, "start", BOOT_SECONDS):
        _boot(call, vm, _choose_host(call, vm, None), start_paused)
    return ""


@implements("VM.start_on")
def start_on(call: Call, vm: str, host: str, start_paused: bool, force: bool) -> str:
    call.db.row("host", host)
    with _power_op(call, vm, "start_on", BOOT_SECONDS):
        _boot(call, vm, _choose_host(call, vm, host), start_paused)
    return ""


@implements("VM.clean_shutdown")
def clean_shutdown(call: Call, vm: str) -> str:
    with _power_op(call, vm, "clean_shutdown", SHUTDOWN_SECONDS, strict=False):
        _stop_domain(call, vm, HALTED)
    return ""


@implements("VM.shutdown")
def shutdown(call: Call, vm: str) -> str:
    with _power_op(call, vm, "shutdown", SHUTDOWN_SECONDS, strict=False):
        if call.db.get("VM", vm, "power_state") == SUSPENDED:
            _hard_shutdown(call, vm)
        else:
            _stop_domain(call, vm, HALTED)
    return ""


@implements("VM.hard_shutdown")
def hard_shutdown(call: Call, vm: str) -> str:
    with _power_op(call, vm, "hard_shutdown", PAUSE_SECONDS):
        _hard_shutdown(call, vm)
    return ""


def _reboot(call: Call, vm: str) -> None:
    db = call.db
    row = db.row("VM", vm)
    host = str(row["resident_on"])
    _stop_domain(call, vm, HALTED)
    _boot(call, vm, host, paused=False)


@implements("VM.clean_reboot")
def clean_reboot(call: Call, vm: str) -> str:
    with _power_op(call, vm, "clean_reboot", SHUTDOWN_SECONDS + BOOT_SECONDS, strict=False):
        _reboot(call, vm)
    return ""


@implements("VM.hard_reboot")
def hard_reboot(call: Call, vm: str) -> str:
    with _power_op(call, vm, "hard_reboot", BOOT_SECONDS):
        _reboot(call, vm)
    return ""


@implements("VM.pause")
def pause(call: Call, vm: str) -> str:
    with _power_op(call, vm, "pause", PAUSE_SECONDS):
        call.db.set("VM", vm, "power_state", PAUSED)
        lifecycle.update_allowed_operations(call.sim, vm)
    return ""


@implements("VM.unpause")
def unpause(call: Call, vm: str) -> str:
    with _power_op(call, vm, "unpause", PAUSE_SECONDS):
        call.db.set("VM", vm, "power_state", RUNNING)
        lifecycle.update_allowed_operations(call.sim, vm)
    return ""


@implements("VM.suspend")
def suspend(call: Call, vm: str) -> str:
    db = call.db
    with lifecycle.operation(call, vm, "suspend", strict=False):
        with db.lock:
            row = db.row("VM", vm)
            sr = _suspend_sr(db, call.sim.pool, row)
            if sr is None:
                raise XapiError("VM_NO_SUSPEND_SR", vm)
            image, size = _memory_image(db, row, sr)
            space = vdis.SpacePlan()
            space.need(sr, size)
            space.check(db)
        _work(call, _gib(int(row["memory_static_max"])) * call.sim.config.memory_seconds_per_gib)
        with db.lock:
            space.check(db)
            suspend_vdi = vdis.create_from(call, image, sr, size)
            _stop_domain(call, vm, SUSPENDED)
            db.set("VM", vm, "suspend_VDI", suspend_vdi)
    return ""


def _resume(call: Call, vm: str, host: str | None, op: str, start_paused: bool) -> None:
    db = call.db
    with lifecycle.operation(call, vm, op):
        with db.lock:
            memory = _gib(int(db.get("VM", vm, "memory_static_max")))
            chosen = _choose_host(call, vm, host)
        _work(call, memory * call.sim.config.memory_seconds_per_gib)
        with db.lock:
            image = db.get("VM", vm, "suspend_VDI")
            if _valid(db, "VDI", image):
                vdis.remove(db, str(image))
            db.set("VM", vm, "suspend_VDI", NULL_REF)
            _boot(call, vm, chosen, start_paused)


@implements("VM.resume")
def resume(call: Call, vm: str, start_paused: bool, force: bool) -> str:
    _resume(call, vm, None, "resume", start_paused)
    return ""


@implements("VM.resume_on")
def resume_on(call: Call, vm: str, host: str, start_paused: bool, force: bool) -> str:
    call.db.row("host", host)
    _resume(call, vm, host, "resume_on", start_paused)
    return ""

