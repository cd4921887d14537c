"""VMSS (VM snapshot schedules) and VM.set_snapshot_schedule, validated as xapi does.

The rules follow xen-api ``ocaml/xapi/xapi_vmss.ml`` and ``map_check.ml``:

- ``schedule`` keys per frequency: hourly {min}; daily {hour, min}; weekly {hour, min,
  days}. ``min`` is one of 0/15/30/45 (matched case-insensitively like every enum),
  ``hour`` anything OCaml's ``int_of_string`` reads as 0..23 (stored as given, so "07"
  stays "07"), ``days`` a comma-separated list of day names, matched case-insensitively,
  stored capitalised, no repeats. A failure is ``INVALID_VALUE ["schedule:<key>",
  "<value>"]``; for a bad day the value is that one day, for a repeat the whole list.
- Defaults for missing keys: min "0", hour "0", days "Monday".
- ``retained_snapshots`` outside 1..10: ``INVALID_VALUE ["retained_snapshots", "<n>"]``.
- Every explicit VMSS call first checks the pool's licence (``restrict_vmss`` must be
  "false"), else ``LICENCE_RESTRICTION ["VMSS"]``; snapshot_with_quiesce needs
  ``restrict_vss`` = "false", which current pools never have: ``LICENCE_RESTRICTION
  ["VSS"]``. The implicit setters (set_enabled, set_name_*) are plain database writes.
- A constructor record without ``type`` or ``frequency`` fails while xapi unmarshals it:
  its generated dispatcher looks required fields up with ``my_assoc``, which raises
  ``Server_helpers.Dispatcher_FieldNotFound "<field>"``; no error code maps that
  exception, so the client gets ``INTERNAL_ERROR ['Server_helpers.Dispatcher_FieldNotFound
  ("type")']`` (gen_server.ml, server_helpers.ml). It is neither FIELD_TYPE_ERROR (a
  present field of the wrong type) nor INVALID_VALUE.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..call import Call
from ..coerce import EPOCH, NULL_REF
from ..errors import XapiError
from ..implicit import constructor_fields
from ..registry import implements

if TYPE_CHECKING:
    import datetime as dt

    from ..core import Simulator
    from ..db import Database

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MINUTES = ("0", "15", "30", "45")
FREQUENCIES = ("hourly", "daily", "weekly")
RETAINED_RANGE = (1, 10)
# Constructor fields without a default, in the order xapi's dispatcher reads them.
REQUIRED_FIELDS = ("type", "frequency")


@dataclass(frozen=True)
class KeyRule:
    """What one schedule key accepts (map_check.ml's key_type) and its default."""

    kind: str  # "enum", "enumset" or "intrange"
    default: str
    choices: tuple[str, ...] = ()
    low: int = 0
    high: int = 0


MIN_RULE = KeyRule("enum", MINUTES[0], choices=MINUTES)
HOUR_RULE = KeyRule("intrange", "0", low=0, high=23)
DAYS_RULE = KeyRule("enumset", DAYS[0], choices=DAYS)

Rules = tuple[tuple[str, KeyRule], ...]
FREQUENCY_KEYS: dict[str, Rules] = {
    "hourly": (("min", MIN_RULE),),
    "daily": (("hour", HOUR_RULE), ("min", MIN_RULE)),
    "weekly": (("hour", HOUR_RULE), ("min", MIN_RULE), ("days", DAYS_RULE)),
}
# set_schedule and add_to_schedule check against the keys of every frequency at once.
ALL_KEYS: Rules = tuple(rule for f in FREQUENCIES for rule in FREQUENCY_KEYS[f])

# OCaml's int_of_string: an optional sign, then decimal, or 0x/0o/0b/0u with digits,
# underscores allowed after the first digit.
_OCAML_INT = re.compile(
    r"[-+]?(?:0[xX][0-9a-fA-F][0-9a-fA-F_]*|0[oO][0-7][0-7_]*|0[bB][01][01_]*"
    r"|0[uU][0-9][0-9_]*|[0-9][0-9_]*)"
)
_BASES = {"x": 16, "o": 8, "b": 2, "u": 10}


def ocaml_int(text: str) -> int | None:
    """What OCaml's ``int_of_string`` makes of ``text``, or None where it fails."""
    if not _OCAML_INT.fullmatch(text):
        return None
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").replace("_", "")
    base = 10
    if len(body) > 1 and body[0] == "0" and body[1].lower() in _BASES:
        base = _BASES[body[1].lower()]
        body = body[2:]
    return sign * int(body, base)


def _invalid(key: str, value: str) -> XapiError:
    return XapiError("INVALID_VALUE", f"schedule:{key}", value)


def _match(value: str, choices: tuple[str, ...]) -> str | None:
    lowered = value.lower()
    return next((c for c in choices if c.lower() == lowered), None)


def check_value(key: str, rule: KeyRule, value: str) -> str:
    """The normalised value, or INVALID_VALUE as map_check.ml's assert_value raises it."""
    if rule.kind == "enum":
        found = _match(value, rule.choices)
        if found is None:
            raise _invalid(key, value)
        return found
    if rule.kind == "enumset":
        # A right fold, as in OCaml: the last item is looked at first, and a repeat is
        # spotted by a substring test on what has been accumulated so far.
        accumulated = ""
        for item in reversed(value.split(",")):
            found = _match(item, rule.choices)
            if found is None:
                raise _invalid(key, item)
            if not accumulated:
                accumulated = found
            elif found in accumulated:
                raise _invalid(key, value)
            else:
                accumulated = f"{found},{accumulated}"
        return accumulated
    number = ocaml_int(value)
    if number is None or not rule.low <= number <= rule.high:
        raise _invalid(key, value)
    return value


def _merge(new: dict[str, str], stored: dict[str, str]) -> list[tuple[str, str]]:
    """map_check.ml's merge: new keys first, then the stored ones with new values over them."""
    fresh = [(k, v) for k, v in new.items() if k not in stored]
    return fresh + [(k, new.get(k, v)) for k, v in stored.items()]


def _rule(rules: Rules, key: str) -> KeyRule | None:
    return next((r for k, r in rules if k == key), None)


def check_keys(rules: Rules, new: dict[str, str], stored: dict[str, str]) -> dict[str, str]:
    """assert_keys: every key of the merged map must be allowed and its value valid."""
    checked: dict[str, str] = {}
    for key, value in _merge(new, stored):
        rule = _rule(rules, key)
        if rule is None:
            raise _invalid(key, value)
        checked[key] = check_value(key, rule, value)
    return checked


def normalise_for_frequency(frequency: str, schedule: dict[str, str]) -> dict[str, str]:
    """assert_all_keys: exactly the frequency's keys, defaults filled, values checked."""
    rules = FREQUENCY_KEYS[frequency]
    filled = {key: schedule.get(key, rule.default) for key, rule in rules}
    return {key: check_value(key, rule, filled[key]) for key, rule in rules}


def assert_feature(db: Database, pool: str, feature: str) -> None:
    """Pool_features.assert_enabled: a negative flag must read exactly "false"."""
    restrictions = db.get("pool", pool, "restrictions")
    if restrictions.get(f"restrict_{feature.lower()}") != "false":
        raise XapiError("LICENCE_RESTRICTION", feature)


def assert_licensed(call: Call) -> None:
    assert_feature(call.db, call.sim.pool, "VMSS")


def check_retained(value: int) -> None:
    low, high = RETAINED_RANGE
    if not low <= value <= high:
        raise XapiError("INVALID_VALUE", "retained_snapshots", str(value))


def assert_supports_quiesce(db: Database, vm: str) -> None:
    """Xapi_vm_helpers.assert_vm_supports_quiesce_snapshot."""
    row = db.row("VM", vm)
    for vbd in row["VBDs"]:
        vdi = db.tables["VBD"].get(vbd, {}).get("VDI", NULL_REF)
        vdi_row = db.tables["VDI"].get(vdi)
        if vdi_row is not None and vdi_row["sm_config"].get("on_boot") == "reset":
            raise XapiError("VDI_ON_BOOT_MODE_INCOMPATIBLE_WITH_OPERATION")
    metrics = db.tables["VM_guest_metrics"].get(row["guest_metrics"])
    other = metrics["other"] if metrics is not None else {}
    if other.get("feature-snapshot") != "1" and other.get("feature-quiesce") != "1":
        raise XapiError("VM_SNAPSHOT_WITH_QUIESCE_NOT_SUPPORTED", vm)


def _assert_quiesce_allowed(call: Call, vms: list[str]) -> None:
    assert_feature(call.db, call.sim.pool, "VSS")
    for vm in vms:
        assert_supports_quiesce(call.db, vm)


# --- constructor and destructor --------------------------------------------------------


@implements("VMSS.create")
def create(call: Call, record: dict[str, Any]) -> str:
    for name in REQUIRED_FIELDS:
        if name not in record:
            raise XapiError("INTERNAL_ERROR", f'Server_helpers.Dispatcher_FieldNotFound("{name}")')
    fields_known = call.db.classdef("VMSS").fields
    # The dispatcher looks fields up by their exact wire names; anything else is ignored.
    fields = constructor_fields(call, {k: v for k, v in record.items() if k in fields_known})
    assert_licensed(call)
    if fields["type"] == "snapshot_with_quiesce":
        assert_feature(call.db, call.sim.pool, "VSS")
    frequency = str(fields["frequency"])
    given: dict[str, str] = fields.get("schedule", {})
    check_keys(FREQUENCY_KEYS[frequency], given, {})
    fields["schedule"] = normalise_for_frequency(frequency, given)
    check_retained(int(fields.get("retained_snapshots", 7)))
    fields["last_run_time"] = EPOCH
    return call.db.create("VMSS", fields)


@implements("VMSS.destroy")
def destroy(call: Call, vmss: str) -> str:
    assert_licensed(call)
    db = call.db
    with db.lock:
        row = db.row("VMSS", vmss)
        if row["VMs"]:
            raise XapiError("VMSS_HAS_VM")
        uuid = row["uuid"]
        # xapi matches on obj_uuid alone, whatever the message's class.
        for message in db.find("message", obj_uuid=uuid):
            db.destroy("message", message)
        db.destroy("VMSS", vmss)
    return ""


# --- setters ---------------------------------------------------------------------------


@implements("VMSS.set_retained_snapshots")
def set_retained_snapshots(call: Call, vmss: str, value: int) -> str:
    assert_licensed(call)
    check_retained(value)
    call.db.set("VMSS", vmss, "retained_snapshots", value)
    return ""


@implements("VMSS.set_frequency")
def set_frequency(call: Call, vmss: str, value: str) -> str:
    assert_licensed(call)
    db = call.db
    with db.lock:
        schedule = db.get("VMSS", vmss, "schedule")
        renewed = normalise_for_frequency(value, schedule)
        db.update("VMSS", vmss, frequency=value, schedule=renewed)
    return ""


@implements("VMSS.set_schedule")
def set_schedule(call: Call, vmss: str, value: dict[str, str]) -> str:
    assert_licensed(call)
    db = call.db
    with db.lock:
        merged = check_keys(ALL_KEYS, value, db.get("VMSS", vmss, "schedule"))
        db.set("VMSS", vmss, "schedule", merged)
    return ""


@implements("VMSS.set_type")
def set_type(call: Call, vmss: str, value: str) -> str:
    assert_licensed(call)
    db = call.db
    with db.lock:
        vms = list(db.get("VMSS", vmss, "VMs"))
        if value == "snapshot_with_quiesce":
            _assert_quiesce_allowed(call, vms)
        db.set("VMSS", vmss, "type", value)
    return ""


# xapi keeps one process-wide copy of the schedule as it was before the last
# remove_from_schedule: ``xe vmss-param-set schedule:min=7`` removes the key and adds it
# again, and an add that fails puts the old value back from this copy. An add that fails
# for a key the copy lacks ends in OCaml's Not_found, i.e. INTERNAL_ERROR ["Not_found"].
_SCHEDULE_BACKUP: weakref.WeakKeyDictionary[Simulator, dict[str, str]] = (
    weakref.WeakKeyDictionary()
)


@implements("VMSS.remove_from_schedule")
def remove_from_schedule(call: Call, vmss: str, key: str) -> str:
    assert_licensed(call)
    db = call.db
    with db.lock:
        _SCHEDULE_BACKUP[call.sim] = dict(db.get("VMSS", vmss, "schedule"))
        db.map_remove("VMSS", vmss, "schedule", key)
    return ""


def _add_schedule_key(db: Database, vmss: str, key: str, value: str) -> None:
    current = db.get("VMSS", vmss, "schedule")
    if key in current:
        raise XapiError("MAP_DUPLICATE_KEY", "VMSS", "schedule", vmss, key)
    db.set("VMSS", vmss, "schedule", {**current, key: value})


@implements("VMSS.add_to_schedule")
def add_to_schedule(call: Call, vmss: str, key: str, value: str) -> str:
    assert_licensed(call)
    db = call.db
    with db.lock:
        try:
            checked = check_keys(ALL_KEYS, {key: value}, db.get("VMSS", vmss, "schedule"))
            _add_schedule_key(db, vmss, key, checked[key])
        except XapiError:
            backup = _SCHEDULE_BACKUP.get(call.sim, {})
            if key not in backup:
                raise XapiError("INTERNAL_ERROR", "Not_found") from None
            _add_schedule_key(db, vmss, key, backup[key])
            raise
    return ""


@implements("VMSS.set_last_run_time")
def set_last_run_time(call: Call, vmss: str, value: dt.datetime) -> str:
    # Roles [] in the datamodel: only a local superuser gets here (core checks RBAC).
    assert_licensed(call)
    call.db.set("VMSS", vmss, "last_run_time", value)
    return ""


@implements("VMSS.snapshot_now")
def snapshot_now(call: Call, vmss: str) -> str:
    """Run the schedule once, now, and return the summary the run produced.

    xapi hands this to the closed ``vmss`` host plugin and returns its output. We run
    the same code as a scheduled run, synchronously, and return the body of the message
    it raised (the VMSS_SNAPSHOT_SUCCEEDED sentence, the VMSS_SNAPSHOT_FAILED lines or
    the VMSS_SNAPSHOT_MISSED_EVENT sentence), or "" for a schedule without VMs.
    """
    from ..scheduler import for_simulator  # noqa: PLC0415 - the scheduler imports this module

    assert_licensed(call)
    call.db.row("VMSS", vmss)
    return for_simulator(call.sim).run_now(vmss).summary


# --- VM side ---------------------------------------------------------------------------


@implements("VM.set_snapshot_schedule")
def set_snapshot_schedule(call: Call, vm: str, value: str) -> str:
    """xapi_vm.ml set_snapshot_schedule.

    Unlike xapi, which stores an empty string as given, "" is stored as OpaqueRef:NULL so
    that every reader sees one spelling of "no schedule".
    """
    assert_licensed(call)
    db = call.db
    with db.lock:
        # xapi asks whether the reference is valid in any table, not only VMSS.
        known = value in db.class_of
        if not (known or value in (NULL_REF, "")):
            raise XapiError("INVALID_VALUE", value)
        if known and value != NULL_REF:
            row = db.row("VM", vm)
            if row["is_control_domain"]:
                raise XapiError("INVALID_VALUE", value)
            if row["is_a_template"]:
                raise XapiError("VM_IS_TEMPLATE", vm)
            if db.get("VMSS", value, "type") == "snapshot_with_quiesce":
                _assert_quiesce_allowed(call, [vm])
        db.set("VM", vm, "snapshot_schedule", value or NULL_REF)
    return ""
