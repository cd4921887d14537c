"""Which VM operations are allowed when, after xapi's ``xapi_vm_lifecycle.ml``.

:func:`check_operation` runs xapi's ``check_operation_error`` checks in their
order and raises the first failure; :func:`update_allowed_operations`
recomputes ``VM.allowed_operations`` from the same checks; :func:`operation`
marks a VM busy with an operation for the duration of a handler, so that
concurrent calls conflict as they do on a real pool.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .coerce import NULL_REF
from .errors import XapiError

if TYPE_CHECKING:
    from .call import Call
    from .core import Simulator
    from .db import Database

HALTED, PAUSED, SUSPENDED, RUNNING = "Halted", "Paused", "Suspended", "Running"
ALL_POWER_STATES = (HALTED, PAUSED, SUSPENDED, RUNNING)

# Power states each operation needs (xapi's allowed_power_states). clone and copy
# depend on the VM and are handled in allowed_power_states().
ALLOWED_POWER_STATES: dict[str, tuple[str, ...]] = {
    "import": (),
    "changing_VCPUs": (HALTED,),
    "changing_static_range": (HALTED,),
    "changing_memory_limits": (HALTED,),
    "changing_shadow_memory": (HALTED,),
    "make_into_template": (HALTED,),
    "provision": (HALTED,),
    "start": (HALTED,),
    "start_on": (HALTED,),
    "changing_NVRAM": (HALTED,),
    "create_vtpm": (HALTED,),
    "sysprep": (RUNNING,),
    "unpause": (PAUSED,),
    "csvm": (SUSPENDED,),
    "resume": (SUSPENDED,),
    "resume_on": (SUSPENDED,),
    "awaiting_memory_live": (RUNNING,),
    "call_plugin": (RUNNING,),
    "clean_reboot": (RUNNING,),
    "clean_shutdown": (RUNNING,),
    "changing_memory_live": (RUNNING,),
    "changing_shadow_memory_live": (RUNNING,),
    "changing_VCPUs_live": (RUNNING,),
    "data_source_op": (RUNNING,),
    "pause": (RUNNING,),
    "pool_migrate": (RUNNING,),
    "send_sysrq": (RUNNING,),
    "send_trigger": (RUNNING,),
    "snapshot_with_quiesce": (RUNNING,),
    "suspend": (RUNNING,),
    "changing_dynamic_range": (HALTED, RUNNING),
    "create_template": (HALTED, SUSPENDED),
    "destroy": (HALTED, SUSPENDED),
    "export": (HALTED, SUSPENDED),
    "hard_reboot": (PAUSED, RUNNING),
    "checkpoint": (PAUSED, SUSPENDED, RUNNING),
    "get_boot_record": (PAUSED, SUSPENDED, RUNNING),
    "shutdown": (PAUSED, SUSPENDED, RUNNING),
    "hard_shutdown": (PAUSED, SUSPENDED, RUNNING),
    "migrate_send": (HALTED, SUSPENDED, RUNNING),
    "assert_operation_valid": ALL_POWER_STATES,
    "metadata_export": ALL_POWER_STATES,
    "power_state_reset": ALL_POWER_STATES,
    "revert": ALL_POWER_STATES,
    "reverting": ALL_POWER_STATES,
    "snapshot": ALL_POWER_STATES,
    "update_allowed_operations": ALL_POWER_STATES,
    "query_services": ALL_POWER_STATES,
}

# The operations xapi's update_allowed_operations tries, in its order. It conses the
# allowed ones onto a list, so the stored list comes out in the reverse order.
ADVERTISED_OPERATIONS = (
    "snapshot", "copy", "clone", "revert", "checkpoint", "snapshot_with_quiesce", "start",
    "start_on", "pause", "unpause", "clean_shutdown", "clean_reboot", "hard_shutdown",
    "hard_reboot", "suspend", "resume", "resume_on", "export", "destroy", "provision",
    "changing_VCPUs_live", "pool_migrate", "migrate_send", "make_into_template",
    "changing_static_range", "changing_shadow_memory", "changing_dynamic_range",
)

# Operations that may run together: any mix within one of these groups.
CONCURRENT_GROUPS = (
    frozenset({"clone", "copy", "export"}),
    frozenset({"snapshot", "checkpoint"}),
    frozenset({"get_boot_record"}),
)
# (operations in progress, operation that may start alongside them)
CONCURRENT_TRANSITIONS = (
    (("snapshot_with_quiesce",), "snapshot"),
    (("migrate_send",), "metadata_export"),
    (("migrate_send",), "clean_shutdown"),
    (("migrate_send",), "clean_reboot"),
    (("migrate_send",), "start"),
    (("migrate_send",), "start_on"),
)

TEMPLATE_OPERATIONS = frozenset({
    "changing_dynamic_range", "changing_static_range", "changing_memory_limits",
    "changing_shadow_memory", "changing_VCPUs", "clone", "copy", "export", "metadata_export",
    "provision",
})
SNAPSHOT_OPERATIONS = frozenset({
    "revert", "clone", "copy", "export", "destroy", "hard_shutdown", "metadata_export",
})
CONTROL_DOMAIN_OPERATIONS = frozenset({
    "data_source_op", "changing_memory_live", "awaiting_memory_live", "metadata_export",
    "changing_dynamic_range", "changing_memory_limits", "changing_static_range", "start",
    "start_on", "changing_VCPUs", "destroy",
})
# Operations that move or save the domain's memory, so need a mobile, suspendable guest.
SUSPEND_LIKE = frozenset({"suspend", "checkpoint", "pool_migrate", "migrate_send"})

DEFAULT_TEMPLATE_KEY = "default_template"
CLONE_SUSPENDED_KEY = "allow_clone_suspended_vm"


def _is_true(value: object) -> bool:
    return isinstance(value, str) and (value == "1" or value.lower() == "true")


def is_default_template(row: dict[str, Any]) -> bool:
    return bool(row["is_default_template"]) or _is_true(
        row["other_config"].get(DEFAULT_TEMPLATE_KEY))


def allowed_power_states(sim: Simulator, vm_row: dict[str, Any], op: str) -> tuple[str, ...]:
    """The power states in which ``op`` may run on this VM."""
    if op in ("clone", "copy"):
        pool_config = sim.db.get("pool", sim.pool, "other_config")
        if vm_row["is_a_snapshot"] or _is_true(pool_config.get(CLONE_SUSPENDED_KEY)):
            return (HALTED, SUSPENDED)
        return (HALTED,)
    if op in ("changing_VCPUs", "changing_static_range", "changing_memory_limits") \
            and vm_row["is_control_domain"]:
        return (HALTED, RUNNING)
    return ALLOWED_POWER_STATES.get(op, ALL_POWER_STATES)


def is_allowed_concurrently(op: str, current_ops: list[str]) -> bool:
    """Whether ``op`` may start while ``current_ops`` are in progress (power state aside)."""
    for group in CONCURRENT_GROUPS:
        if op in group and all(o in group for o in current_ops):
            return True
    if op == "hard_shutdown":
        return "hard_shutdown" not in current_ops
    if op == "hard_reboot":
        return not any(o in ("hard_shutdown", "hard_reboot") for o in current_ops)
    return any(list(state) == current_ops and transition == op
               for state, transition in CONCURRENT_TRANSITIONS)


def _concurrency_error(ref: str, current: dict[str, str]) -> XapiError:
    if len(current) == 1:
        ((task, op),) = current.items()
        return XapiError("OTHER_OPERATION_IN_PROGRESS", "VM", ref, op, task)
    ops = "{" + ",".join(current.values()) + "}"
    tasks = "{" + ",".join(current) + "}"
    return XapiError("OTHER_OPERATION_IN_PROGRESS", "VM", ref, ops, tasks)


def _row_or_none(db: Database, cls: str, ref: str) -> dict[str, Any] | None:
    return db.tables[cls].get(ref) if isinstance(ref, str) else None


def _has_pv_drivers(guest: dict[str, Any] | None) -> bool:
    if guest is None:
        return False
    return bool(guest.get("PV_drivers_detected")) or bool(guest.get("PV_drivers_version"))


def _feature_error(db: Database, ref: str, row: dict[str, Any], op: str,
                   strict: bool) -> XapiError | None:
    """HVM guests without PV drivers must advertise the feature an operation needs."""
    if row["power_state"] != RUNNING:
        return None
    metrics = _row_or_none(db, "VM_metrics", row["metrics"])
    if metrics is not None and metrics.get("hvm") is False:
        return None  # a PV guest supports everything implicitly
    guest = _row_or_none(db, "VM_guest_metrics", row["guest_metrics"])
    if _has_pv_drivers(guest):
        return None
    other = guest.get("other", {}) if guest else {}

    def lacks(feature: str) -> bool:
        return other.get(feature) != "1"

    missing = (
        (op == "clean_shutdown" and strict and lacks("feature-shutdown")
         and lacks("feature-poweroff"))
        or (op == "clean_reboot" and strict and lacks("feature-shutdown")
            and lacks("feature-reboot"))
        or (op == "changing_VCPUs_live" and lacks("feature-vcpu-hotplug"))
        or (op in SUSPEND_LIKE and strict and lacks("feature-suspend"))
    )
    return XapiError("VM_LACKS_FEATURE", ref) if missing else None


def _is_mobile(db: Database, row: dict[str, Any], strict: bool) -> bool:
    if not strict:
        return True
    metrics = _row_or_none(db, "VM_metrics", row["metrics"])
    platform = row["platform"]
    if metrics is not None and row["power_state"] in (RUNNING, PAUSED):
        nomigrate, nested = bool(metrics.get("nomigrate")), bool(metrics.get("nested_virt"))
    else:
        nomigrate = _is_true(platform.get("nomigrate"))
        nested = _is_true(platform.get("nested-virt"))
    return not nomigrate and not nested


def _vdis_of(db: Database, row: dict[str, Any]) -> list[dict[str, Any]]:
    vdis = []
    for vbd in row["VBDs"]:
        vbd_row = _row_or_none(db, "VBD", vbd)
        vdi_row = _row_or_none(db, "VDI", vbd_row["VDI"]) if vbd_row else None
        if vdi_row is not None:
            vdis.append(vdi_row)
    return vdis


def operation_error(sim: Simulator, ref: str, op: str, *, strict: bool = True
                    ) -> XapiError | None:
    """The first reason ``op`` may not run on VM ``ref`` now, or None (check_operation_error)."""
    db = sim.db
    with db.lock:
        row = db.row("VM", ref)
        power_state = row["power_state"]
        is_template, is_snapshot = row["is_a_template"], row["is_a_snapshot"]
        blocked = row["blocked_operations"]
        if op in blocked:
            return XapiError("OPERATION_BLOCKED", ref, blocked[op])
        expected = allowed_power_states(sim, row, op)
        if power_state not in expected:
            return XapiError("VM_BAD_POWER_STATE", ref, ", ".join(s.lower() for s in expected),
                             power_state.lower())
        current: dict[str, str] = row["current_operations"]
        if current and not is_allowed_concurrently(op, list(current.values())):
            return _concurrency_error(ref, current)
        if is_template and not is_snapshot:
            default = is_default_template(row)
            if not (op in TEMPLATE_OPERATIONS
                    or (op in ("destroy", "migrate_send") and not default)):
                return XapiError("VM_IS_TEMPLATE", ref, op)
        if is_snapshot and op not in SNAPSHOT_OPERATIONS:
            return XapiError("VM_IS_SNAPSHOT", ref, op)
        if op == "provision" and not is_template:
            return XapiError("PROVISION_ONLY_ALLOWED_ON_TEMPLATE")
        if op == "revert" and not is_snapshot:
            return XapiError("REVERT_ONLY_ALLOWED_ON_SNAPSHOT")
        if op in SUSPEND_LIKE and not _is_mobile(db, row, strict):
            return XapiError("VM_IS_IMMOBILE", ref)
        if row["is_control_domain"] and op not in CONTROL_DOMAIN_OPERATIONS:
            return XapiError("OPERATION_NOT_ALLOWED",
                             "This operation is not allowed on a control domain")
        feature_error = _feature_error(db, ref, row, op, strict)
        if feature_error is not None:
            return feature_error
        if op == "snapshot_with_quiesce":
            # The VSS support behind it is gone from current guests and tools.
            return XapiError("VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED", ref)
        if op in ("checkpoint", "snapshot", "suspend", "snapshot_with_quiesce") and any(
                v["on_boot"] == "reset" or v["sm_config"].get("on_boot") == "reset"
                for v in _vdis_of(db, row)):
            return XapiError("VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION")
        if row["attached_PCIs"] and op in SUSPEND_LIKE:
            return XapiError("VM_HAS_PCI_ATTACHED", ref)
        if row["VGPUs"] and op in SUSPEND_LIKE:
            return XapiError("VM_HAS_VGPU", ref)
        if row["VUSBs"] and op in ("suspend", "snapshot", "checkpoint", "migrate_send",
                                   "pool_migrate"):
            return XapiError("VM_HAS_VUSBS", ref)
        if op == "make_into_template":
            for field, code in (("appliance", "VM_IS_PART_OF_AN_APPLIANCE"),
                                ("protection_policy", "VM_ASSIGNED_TO_PROTECTION_POLICY"),
                                ("snapshot_schedule", "VM_ASSIGNED_TO_SNAPSHOT_SCHEDULE")):
                target = row[field]
                if target != NULL_REF and db.class_of.get(target) is not None:
                    return XapiError(code, ref, target)
        if op == "query_services" and not _is_true(row["other_config"].get("is_system_domain")):
            return XapiError("NOT_SYSTEM_DOMAIN", ref)
        return None


def check_operation(sim: Simulator, vm_ref: str, op: str, *, strict: bool = True) -> None:
    """Raise the error xapi gives for ``op`` on ``vm_ref`` now, if any (assert_operation_valid).

    ``strict`` is xapi's flag: True for what the VM advertises, False when about to act
    (it then skips the checks that only depend on the guest cooperating).
    """
    error = operation_error(sim, vm_ref, op, strict=strict)
    if error is not None:
        raise error


def update_allowed_operations(sim: Simulator, vm_ref: str) -> None:
    """Recompute ``VM.allowed_operations``; a no-op for a VM that has gone."""
    db = sim.db
    with db.lock:
        if not db.exists("VM", vm_ref):
            return
        allowed = [op for op in ADVERTISED_OPERATIONS
                   if operation_error(sim, vm_ref, op, strict=True) is None]
        allowed.reverse()
        if db.get("VM", vm_ref, "allowed_operations") != allowed:
            db.set("VM", vm_ref, "allowed_operations", allowed)


def update_all_allowed_operations(sim: Simulator) -> None:
    """Recompute every VM's allowed operations (after loading a pool)."""
    with sim.db.lock:
        for ref in sim.db.all_refs("VM"):
            update_allowed_operations(sim, ref)


@contextlib.contextmanager
def operation(call: Call, vm_ref: str, op: str, *, strict: bool = False) -> Iterator[str]:
    """Check ``op`` and mark the VM busy with it until the block ends, even on failure.

    Yields the key put into ``current_operations``: the call's task, or a fresh
    reference for a synchronous call (xapi makes a hidden task for those).
    """
    db = call.db
    key = call.task or db.new_ref()
    with db.lock:
        check_operation(call.sim, vm_ref, op, strict=strict)
        current = db.get("VM", vm_ref, "current_operations")
        db.set("VM", vm_ref, "current_operations", {**current, key: op})
        update_allowed_operations(call.sim, vm_ref)
    try:
        yield key
    finally:
        with db.lock:
            if db.exists("VM", vm_ref):
                current = db.get("VM", vm_ref, "current_operations")
                if key in current:
                    db.set("VM", vm_ref, "current_operations",
                           {k: v for k, v in current.items() if k != key})
                update_allowed_operations(call.sim, vm_ref)


def force_state_reset(sim: Simulator, vm_ref: str, state: str) -> None:
    """Put a VM in ``state`` with its devices and residence to match (xapi's helper)."""
    db = sim.db
    with db.lock:
        row = db.row("VM", vm_ref)
        if state == HALTED:
            for vbd in row["VBDs"]:
                if db.exists("VBD", vbd):
                    db.update("VBD", vbd, currently_attached=False, current_operations={})
            for vif in row["VIFs"]:
                if db.exists("VIF", vif):
                    db.update("VIF", vif, currently_attached=False, current_operations={})
            db.set("VM", vm_ref, "requires_reboot", False)
        fields: dict[str, Any] = {"power_state": state}
        if state in (HALTED, SUSPENDED):
            fields.update(resident_on=NULL_REF, scheduled_to_be_resident_on=NULL_REF, domid=-1)
        db.update("VM", vm_ref, **fields)
        update_allowed_operations(sim, vm_ref)
