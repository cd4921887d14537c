"""Snapshot schedules (VMSS): next and previous runs, run history, retention.

A schedule's ``min``/``hour``/``days`` are wall-clock times in the pool's
timezone. Runs are computed there and handed out in three clocks: pool time,
the user's local time and UTC.

Daylight saving time. xapi's scheduling plugin is closed source, so what it
does when a run's wall time does not exist (clocks spring forward over it) or
exists twice (clocks fall back over it) is not known. By default runs follow
the wall clock, as the simulator's scheduler does (``WALL_CLOCK_RULES``): a
run time is an instant whose local reading matches the schedule, so

- a daily or weekly run at a skipped time does not happen that day
  (``dst="skipped"``; reported, not run);
- a run at a repeated time happens twice, an hour apart (``dst="doubled"``);
- hourly runs keep one run per real hour either way: the skipped hour simply
  has no reading to match, and is not reported.

Classic cron (cron(8), "Daylight Saving Time and other time changes") treats
fixed-time jobs differently: a skipped run happens right after the change
(``dst="shifted"``) and a repeated one only once (``dst="repeated"``).
``CRON_RULES`` describes that, should a real pool turn out to behave so.

History comes from the ``VMSS_*`` messages (cls VMSS, obj_uuid the schedule's
uuid), as XenCenter reads it; failure bodies list one VM per line, parsed with
XenCenter's pattern ``^VM:(.*)UUID:(.*)Error:\\[('.*',?)*\\],?$``.
"""

from __future__ import annotations

import datetime as dt
import heapq
import re
import zoneinfo
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from .cache import ObjectCache
from .snapshots import DEFAULT_WARN_DEPTH, XAPI_CHAIN_LIMIT, SnapshotTree
from .views import VM, VMSS, Message

UTC = dt.UTC
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Longer than any backward clock change: a run this much earlier than the next wall time
# considered cannot be overtaken.
_SETTLE = dt.timedelta(hours=26)
_WEEKDAY_INDEX = {name.lower(): i for i, name in enumerate(WEEKDAYS)}

SUCCEEDED = "succeeded"
FAILED = "failed"
MISSED = "missed"
OUTCOMES = {
    "VMSS_SNAPSHOT_SUCCEEDED": SUCCEEDED,
    "VMSS_SNAPSHOT_FAILED": FAILED,
    "VMSS_SNAPSHOT_LOCK_FAILED": FAILED,
    "VMSS_LICENSE_ERROR": FAILED,
    "VMSS_XAPI_LOGON_FAILURE": FAILED,
    "VMSS_SNAPSHOT_MISSED_EVENT": MISSED,
}


# --- time zones -----------------------------------------------------------------------


_OFFSET = re.compile(r"^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$", re.IGNORECASE)


def pool_timezone(value: dt.tzinfo | dt.timedelta | str | None) -> dt.tzinfo:
    """A tzinfo from what is known about the pool's zone.

    Accepts a tzinfo, a UTC offset (timedelta, or text such as ``+01:00``,
    ``-0530``, ``UTC+2``), a zoneinfo name (``Europe/London``), or None/""
    for UTC. A fixed offset knows nothing of daylight saving time.
    """
    if value is None:
        return UTC
    if isinstance(value, dt.tzinfo):
        return value
    if isinstance(value, dt.timedelta):
        return dt.timezone(value)
    text = value.strip()
    if text.upper() in ("", "UTC", "GMT", "Z", "ZULU"):
        return UTC
    m = _OFFSET.match(text)
    if m:
        sign = -1 if m.group(1) == "-" else 1
        offset = dt.timedelta(hours=int(m.group(2)), minutes=int(m.group(3) or 0))
        return dt.timezone(sign * offset)
    try:
        return zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {value!r}") from None


# --- run times ------------------------------------------------------------------------


@dataclass(frozen=True)
class DstRules:
    """What a scheduler does with wall times that DST makes vanish or repeat.

    ``gap``: ``"skip"`` drops the run, ``"shift"`` runs right after the change.
    ``fold``: ``"twice"`` runs at both occurrences, ``"once"`` at the first.
    ``hourly_gap`` / ``hourly_fold`` apply to hourly schedules.
    """

    gap: str = "skip"
    fold: str = "twice"
    hourly_gap: str = "skip"
    hourly_fold: str = "twice"


WALL_CLOCK_RULES = DstRules()
CRON_RULES = DstRules(gap="shift", fold="once")


@dataclass(frozen=True)
class ScheduledRun:
    """One run: when, in three clocks, and what DST did to it (None: nothing).

    ``dst`` is ``"shifted"`` (the wall time was skipped; runs right after the
    change), ``"skipped"`` (the wall time was skipped and so is the run; ``utc``
    is then the change itself, for display), ``"repeated"`` (the wall time
    happens twice; runs once) or ``"doubled"`` (runs at both occurrences).
    ``wall`` is the wall time the schedule asked for, naive, in pool time.
    """

    utc: dt.datetime
    pool_time: dt.datetime
    local_time: dt.datetime
    wall: dt.datetime
    dst: str | None = None

    @property
    def runs(self) -> bool:
        return self.dst != "skipped"


def _day_set(days: str) -> frozenset[int]:
    found = set()
    for part in days.split(","):
        index = _WEEKDAY_INDEX.get(part.strip().lower())
        if index is not None:
            found.add(index)
    return frozenset(found)


@dataclass(frozen=True)
class Recurrence:
    """A schedule's frequency and schedule map, parsed with xapi's defaults."""

    frequency: str
    minute: int
    hour: int
    days: frozenset[int]

    @classmethod
    def of(cls, frequency: str, schedule: Mapping[str, str]) -> Recurrence:
        """Parse; ValueError for a schedule that can never run (as the simulator reads it).

        Missing keys take xapi's defaults: minute 0, hour 0, Monday.
        """
        if frequency not in ("hourly", "daily", "weekly"):
            raise ValueError(f"unknown schedule frequency {frequency!r}")

        def number(key: str, default: str, top: int) -> int:
            text = str(schedule.get(key, default)).strip()
            if not text.isdigit() or int(text) > top:
                raise ValueError(f"schedule {key} {text!r} is not a number from 0 to {top}")
            return int(text)

        minute, hour = number("min", "0", 59), number("hour", "0", 23)
        if frequency != "weekly":
            return cls(frequency, minute, hour, frozenset(range(7)))
        days = _day_set(str(schedule.get("days", "Monday")))
        if not days:
            raise ValueError(f"schedule days {schedule.get('days')!r} name no weekday")
        return cls(frequency, minute, hour, days)

    def walls(self, first_day: dt.date) -> Iterator[dt.datetime]:
        """Wanted wall times (naive, pool time) from ``first_day`` on, in order."""
        day = first_day
        hours = range(24) if self.frequency == "hourly" else (self.hour,)
        while True:
            if day.weekday() in self.days:
                for h in hours:
                    yield dt.datetime(day.year, day.month, day.day, h, self.minute)
            day += dt.timedelta(days=1)


def _wall_of(instant: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    return instant.astimezone(tz).replace(tzinfo=None)


def resolve_wall_time(wall: dt.datetime, tz: dt.tzinfo) -> tuple[str | None, list[dt.datetime]]:
    """The UTC instants a naive wall time names in ``tz``.

    Returns (None, [t]) normally, ("fold", [first, second]) when it happens
    twice, and ("gap", [change]) when it does not exist, with ``change`` the
    instant the clocks jumped over it.
    """
    early = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    late = wall.replace(tzinfo=tz, fold=1).astimezone(UTC)
    if early == late:
        return None, [early]
    first, second = min(early, late), max(early, late)
    if _wall_of(first, tz) == wall and _wall_of(second, tz) == wall:
        return "fold", [first, second]
    # In a gap the two readings straddle the change; find it to the second.
    lo, hi = first, second
    before = lo.astimezone(tz).utcoffset()
    while hi - lo > dt.timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        mid = mid.replace(microsecond=0)
        if mid.astimezone(tz).utcoffset() == before:
            lo = mid
        else:
            hi = mid
    return "gap", [hi]


def runs_from(frequency: str, schedule: Mapping[str, str], start: dt.datetime,
              pool_tz: dt.tzinfo, local_tz: dt.tzinfo | None = None,
              rules: DstRules = WALL_CLOCK_RULES) -> Iterator[ScheduledRun]:
    """Every run strictly after ``start`` (aware), in order, forever."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    rec = Recurrence.of(frequency, schedule)
    hourly = rec.frequency == "hourly"
    gap_rule = rules.hourly_gap if hourly else rules.gap
    fold_rule = rules.hourly_fold if hourly else rules.fold
    local = local_tz or UTC
    first_day = _wall_of(start, pool_tz).date() - dt.timedelta(days=1)

    def run(instant: dt.datetime, wall: dt.datetime, note: str | None) -> ScheduledRun:
        return ScheduledRun(instant, instant.astimezone(pool_tz), instant.astimezone(local),
                            wall, note)

    # Where clocks fall back across midnight a later date can hold an earlier instant, so
    # runs wait in a heap until no later wall time can come before them.
    pending: list[tuple[dt.datetime, int, ScheduledRun]] = []
    order = 0
    for wall in rec.walls(first_day):
        floor = wall.replace(tzinfo=pool_tz).astimezone(UTC) - _SETTLE
        while pending and pending[0][0] < floor:
            yield heapq.heappop(pending)[2]
        kind, instants = resolve_wall_time(wall, pool_tz)
        if kind is None:
            candidates = [run(instants[0], wall, None)]
        elif kind == "gap":
            if gap_rule == "skip":
                # Hourly runs lose nothing in real time, so only report other frequencies.
                if hourly:
                    continue
                candidates = [run(instants[0], wall, "skipped")]
            else:
                candidates = [run(instants[0], wall, "shifted")]
        elif fold_rule == "twice":
            candidates = [run(t, wall, "doubled") for t in instants]
        else:
            candidates = [run(instants[0], wall, "repeated")]
        for candidate in candidates:
            if candidate.utc > start:
                order += 1
                heapq.heappush(pending, (candidate.utc, order, candidate))


def next_runs(frequency: str, schedule: Mapping[str, str], now: dt.datetime,
              pool_tz: dt.tzinfo, local_tz: dt.tzinfo | None = None, *, count: int = 1,
              rules: DstRules = WALL_CLOCK_RULES, include_skipped: bool = True
              ) -> list[ScheduledRun]:
    """The next ``count`` runs after ``now``; skipped ones included unless asked not to."""
    out: list[ScheduledRun] = []
    for r in runs_from(frequency, schedule, now, pool_tz, local_tz, rules):
        if not r.runs and not include_skipped:
            continue
        out.append(r)
        if len(out) >= count:
            break
    return out


def previous_run(frequency: str, schedule: Mapping[str, str], now: dt.datetime,
                 pool_tz: dt.tzinfo, local_tz: dt.tzinfo | None = None,
                 rules: DstRules = WALL_CLOCK_RULES) -> ScheduledRun | None:
    """The latest run due at or before ``now`` (skipped runs do not count)."""
    span = dt.timedelta(days=9 if frequency == "weekly" else 2)
    latest: ScheduledRun | None = None
    for r in runs_from(frequency, schedule, now - span, pool_tz, local_tz, rules):
        if r.utc > now:
            break
        if r.runs:
            latest = r
    return latest


# --- history --------------------------------------------------------------------------

# XenCenter's pattern, with its ``('.*',?)*`` list written as one linear group: the same
# lines match, and a long line cannot make the matcher backtrack exponentially.
FAILURE_LINE = re.compile(r"^VM:(?P<name>.*)UUID:(?P<uuid>.*)Error:\[(?P<errors>(?:'.*)?)\],?$")
_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")


@dataclass(frozen=True)
class VmFailure:
    """One VM of a failed run: its name and uuid as the plugin wrote them, and the error."""

    vm_name: str
    vm_uuid: str
    code: str
    params: tuple[str, ...]


def parse_failures(body: str) -> list[VmFailure]:
    """The per-VM failures in a VMSS_SNAPSHOT_FAILED body (lines that do not match are ignored).

    ``VM:web-01UUID:1b2c…Error:['SR_FULL', '10737418240', '2147483648']``
    gives VmFailure("web-01", "1b2c…", "SR_FULL", ("10737418240", "2147483648")).
    """
    failures = []
    for line in body.splitlines():
        m = FAILURE_LINE.match(line.strip())
        if m is None:
            continue
        items = [re.sub(r"\\(.)", r"\1", q) for q in _QUOTED.findall(m.group("errors"))]
        code = items[0] if items else ""
        failures.append(VmFailure(m.group("name").strip(), m.group("uuid").strip(), code,
                                  tuple(items[1:])))
    return failures


@dataclass(frozen=True)
class RunRecord:
    """One entry of a schedule's run history, from one message."""

    message_ref: str
    name: str
    outcome: str  # succeeded, failed or missed
    severity: str  # error, warning or info (XenCenter's reading of the priority)
    timestamp: dt.datetime | None
    body: str
    failures: tuple[VmFailure, ...]


def run_history(cache: ObjectCache, vmss_ref: str, *, since: dt.datetime | None = None,
                limit: int | None = None) -> list[RunRecord]:
    """The schedule's runs, newest first, from its ``VMSS_*`` messages."""
    vmss = VMSS.get(cache, vmss_ref)
    if vmss is None:
        return []
    records = []
    for msg in Message.about(cache, vmss.uuid):
        outcome = OUTCOMES.get(msg.name)
        if outcome is None or msg.cls not in ("VMSS", ""):
            continue
        stamp = msg.timestamp
        if since is not None and (stamp is None or stamp < since):
            continue
        failures = parse_failures(msg.body) if msg.name == "VMSS_SNAPSHOT_FAILED" else []
        records.append(RunRecord(msg.ref, msg.name, outcome, msg.severity, stamp, msg.body,
                                 tuple(failures)))
        if limit is not None and len(records) >= limit:
            break
    return records


# --- retention and health -------------------------------------------------------------


@dataclass(frozen=True)
class VmRetention:
    """How many scheduled snapshots a VM of the schedule has, against what it keeps."""

    vm_ref: str
    vm_name: str
    scheduled_snapshots: int
    retained: int

    @property
    def over_by(self) -> int:
        return max(0, self.scheduled_snapshots - self.retained)


def retention(cache: ObjectCache, vmss_ref: str) -> list[VmRetention]:
    """Per VM of the schedule: its scheduled snapshots and the schedule's retention."""
    vmss = VMSS.get(cache, vmss_ref)
    if vmss is None:
        return []
    keep = vmss.retained_snapshots
    vms = cache.records("VM")
    out = []
    for vm in vmss.vms:
        scheduled = 0
        for ref in vm.snapshot_refs:
            rec = vms.get(ref)
            if rec is not None and (rec.get("is_vmss_snapshot")
                                    or rec.get("is_snapshot_from_vmpp")):
                scheduled += 1
        out.append(VmRetention(vm.ref, vm.name_label, scheduled, keep))
    out.sort(key=lambda r: r.vm_name.lower())
    return out


@dataclass(frozen=True)
class ScheduleStatus:
    """What a schedules dialog shows for one VMSS, and the inputs of its health checks.

    ``next_run`` is None when the schedule is disabled or has no VMs (nothing
    would happen). ``overdue`` means it should have run (``previous_due``) but
    ``last_run`` is older than that by more than the grace period.
    """

    vmss_ref: str
    name: str
    enabled: bool
    vm_count: int
    next_run: ScheduledRun | None
    previous_due: ScheduledRun | None
    last_run: dt.datetime | None
    last_result: RunRecord | None
    overdue: bool
    over_retention: tuple[VmRetention, ...]


def schedule_status(cache: ObjectCache, vmss_ref: str, now: dt.datetime,
                    pool_tz: dt.tzinfo, local_tz: dt.tzinfo | None = None, *,
                    rules: DstRules = WALL_CLOCK_RULES,
                    grace: dt.timedelta = dt.timedelta(minutes=30)) -> ScheduleStatus | None:
    vmss = VMSS.get(cache, vmss_ref)
    if vmss is None:
        return None
    active = vmss.enabled and bool(vmss.vm_refs)
    next_run = previous = None
    try:
        if active:
            found = next_runs(vmss.frequency, vmss.schedule, now, pool_tz, local_tz,
                              rules=rules, include_skipped=False)
            next_run = found[0] if found else None
            previous = previous_run(vmss.frequency, vmss.schedule, now, pool_tz, local_tz,
                                    rules)
    except ValueError:
        next_run = previous = None  # an unknown frequency: nothing can be predicted
    last_run = vmss.last_run_time
    history = run_history(cache, vmss_ref, limit=1)
    overdue = (previous is not None and now - previous.utc > grace
               and (last_run is None or last_run < previous.utc - grace))
    return ScheduleStatus(
        vmss_ref=vmss_ref, name=vmss.name_label, enabled=vmss.enabled,
        vm_count=len(vmss.vm_refs), next_run=next_run, previous_due=previous,
        last_run=last_run, last_result=history[0] if history else None, overdue=overdue,
        over_retention=tuple(r for r in retention(cache, vmss_ref) if r.over_by > 0),
    )


def scheduled_count(cache: ObjectCache, vm_ref: str) -> int:
    """How many scheduled snapshots a VM has."""
    vm = VM.get(cache, vm_ref)
    if vm is None:
        return 0
    vms = cache.records("VM")
    return sum(1 for ref in vm.snapshot_refs
               if (rec := vms.get(ref)) is not None
               and (rec.get("is_vmss_snapshot") or rec.get("is_snapshot_from_vmpp")))


# --- validation, exactly as xapi does it ----------------------------------------------
#
# Written from xen-api's xapi_vmss.ml and map_check.ml (see notes/xapi-protocol.md §1.3):
# a wizard that asks this first never sends what the pool would refuse. Each function
# returns the error the server would answer ([code, *params]), or None.

VMSS_TYPES = ("snapshot", "checkpoint", "snapshot_with_quiesce")
FREQUENCIES = ("hourly", "daily", "weekly")
SCHEDULE_MINUTES = ("0", "15", "30", "45")
RETENTION_MIN, RETENTION_MAX = 1, 10
DEFAULT_RETAINED = 7  # the datamodel's default for retained_snapshots
# What the wizard proposes for each frequency (XenCenter's choice).
DEFAULT_RETENTION = {"hourly": 10, "daily": 7, "weekly": 4}
SCHEDULE_KEYS: dict[str, tuple[str, ...]] = {
    "hourly": ("min",),
    "daily": ("hour", "min"),
    "weekly": ("hour", "min", "days"),
}
SCHEDULE_DEFAULTS = {"min": "0", "hour": "0", "days": "Monday"}
# Constructor fields and their wire types; runtime fields (uuid, VMs, last_run_time) and
# unknown keys are ignored by the server.
_CONSTRUCTOR_TYPES = {
    "name_label": "string", "name_description": "string", "enabled": "bool",
    "type": "vmss_type", "retained_snapshots": "int", "frequency": "vmss_frequency",
    "schedule": "map",
}
_ENUMS = {"vmss_type": VMSS_TYPES, "vmss_frequency": FREQUENCIES}


@dataclass(frozen=True)
class ServerError:
    """An error as the server reports it: ``code`` and ``params`` of ErrorDescription."""

    code: str
    params: tuple[str, ...] = ()

    @property
    def description(self) -> list[str]:
        return [self.code, *self.params]

    @property
    def field(self) -> str:
        """What the error is about: a constructor field, ``schedule:<key>``, or the licence."""
        if self.code == "LICENCE_RESTRICTION":
            return "licence"
        if self.code in ("INVALID_VALUE", "FIELD_TYPE_ERROR") and self.params:
            return self.params[0]
        return ""


# OCaml's int_of_string: optional sign, then decimal or 0x/0o/0b/0u digits; underscores
# may follow the first digit.
_INT_SYNTAX = re.compile(
    r"[-+]?(?:0[xX][0-9a-fA-F][0-9a-fA-F_]*|0[oO][0-7][0-7_]*|0[bB][01][01_]*"
    r"|0[uU][0-9][0-9_]*|[0-9][0-9_]*)"
)
_INT_BASES = {"x": 16, "o": 8, "b": 2, "u": 10}


def ocaml_int_of_string(text: str) -> int | None:
    """The number OCaml's ``int_of_string`` reads (xapi's hour check), or None."""
    if not _INT_SYNTAX.fullmatch(text):
        return None
    negative = text.startswith("-")
    digits = text.lstrip("+-").replace("_", "")
    base = 10
    if len(digits) > 1 and digits[0] == "0" and digits[1].lower() in _INT_BASES:
        base = _INT_BASES[digits[1].lower()]
        digits = digits[2:]
    value = int(digits, base)
    return -value if negative else value


def _schedule_error(key: str, value: str) -> ServerError:
    return ServerError("INVALID_VALUE", (f"schedule:{key}", value))


def _one_of(value: str, choices: tuple[str, ...]) -> str | None:
    lowered = value.lower()
    return next((c for c in choices if c.lower() == lowered), None)


def check_schedule_value(key: str, value: str) -> str | ServerError:
    """The value as the server stores it, or its error (``key`` must be a schedule key).

    ``min``: one of 0/15/30/45. ``hour``: anything int_of_string reads as 0..23, stored as
    given. ``days``: day names, any case, comma-separated, stored capitalised; an unknown
    name is reported alone, a repeat with the whole list (xapi folds from the right).
    """
    if key == "min":
        found = _one_of(value, SCHEDULE_MINUTES)
        return found if found is not None else _schedule_error(key, value)
    if key == "hour":
        number = ocaml_int_of_string(value)
        return value if number is not None and 0 <= number <= 23 else _schedule_error(key, value)
    kept: list[str] = []
    for item in reversed(value.split(",")):
        found = _one_of(item, WEEKDAYS)
        if found is None:
            return _schedule_error(key, item)
        # xapi tests for a repeat with a substring search over what it has kept so far.
        if kept and found in ",".join(kept):
            return _schedule_error(key, value)
        kept.insert(0, found)
    return ",".join(kept)


def _wire_type_ok(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool) or (isinstance(value, str)
                                           and value.lower() in ("true", "false"))
    if kind == "int":
        if isinstance(value, bool):
            return False
        if isinstance(value, int):
            return True
        if isinstance(value, str):
            try:
                int(value.strip())
            except ValueError:
                return False
            return True
        return False
    if kind == "map":
        return isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str)
                                               for k, v in value.items())
    choices = _ENUMS[kind]
    return isinstance(value, str) and _one_of(value, choices) is not None


def validate_schedule(record: Mapping[str, Any],
                      restrictions: Mapping[str, str] | None = None) -> ServerError | None:
    """What ``VMSS.create(record)`` would answer, in the server's order; None if it succeeds.

    ``restrictions`` is the pool's ``restrictions`` map; None skips the licence checks
    (unknown). The order: required fields, wire types (in the record's order), the VMSS
    licence, the VSS licence for quiesced snapshots, the schedule's keys and values (in
    the map's order), then ``retained_snapshots``.
    """
    for required in ("type", "frequency"):
        if required not in record:
            return ServerError("INTERNAL_ERROR",
                               (f'Server_helpers.Dispatcher_FieldNotFound("{required}")',))
    for key, value in record.items():
        kind = _CONSTRUCTOR_TYPES.get(key)
        if kind is not None and not _wire_type_ok(kind, value):
            return ServerError("FIELD_TYPE_ERROR", (key,))
    if restrictions is not None:
        if restrictions.get("restrict_vmss") != "false":
            return ServerError("LICENCE_RESTRICTION", ("VMSS",))
        kind_of_snapshot = _one_of(str(record["type"]), VMSS_TYPES)
        if kind_of_snapshot == "snapshot_with_quiesce" and restrictions.get("restrict_vss") \
                != "false":
            return ServerError("LICENCE_RESTRICTION", ("VSS",))
    frequency = _one_of(str(record["frequency"]), FREQUENCIES) or ""
    allowed = SCHEDULE_KEYS[frequency]
    schedule: Mapping[str, str] = record.get("schedule") or {}
    for key, value in schedule.items():
        if key not in allowed:
            return _schedule_error(key, value)
        checked = check_schedule_value(key, value)
        if isinstance(checked, ServerError):
            return checked
    retained = int(str(record.get("retained_snapshots", DEFAULT_RETAINED)).strip())
    if not RETENTION_MIN <= retained <= RETENTION_MAX:
        return ServerError("INVALID_VALUE", ("retained_snapshots", str(retained)))
    return None


def normalised_schedule(frequency: str, schedule: Mapping[str, str]) -> dict[str, str]:
    """The schedule map the server stores for ``frequency``: exactly its keys, defaults
    filled, values normalised (what create and set_frequency leave). Values must be valid."""
    out = {}
    for key in SCHEDULE_KEYS[frequency]:
        checked = check_schedule_value(key, schedule.get(key, SCHEDULE_DEFAULTS[key]))
        if isinstance(checked, ServerError):
            raise ValueError(f"invalid schedule {key}: {checked.params[-1]!r}")
        out[key] = checked
    return out


def validate_assignment(cache: ObjectCache, vm_ref: str, vmss_ref: str | None,
                        restrictions: Mapping[str, str] | None = None) -> ServerError | None:
    """What ``VM.set_snapshot_schedule(vm, vmss)`` would answer (None: unassign or fine)."""
    if restrictions is not None and restrictions.get("restrict_vmss") != "false":
        return ServerError("LICENCE_RESTRICTION", ("VMSS",))
    if not vmss_ref:
        return None
    if cache.get("VMSS", vmss_ref) is None:
        return ServerError("INVALID_VALUE", (vmss_ref,))
    vm = cache.get("VM", vm_ref)
    if vm is None:
        return ServerError("HANDLE_INVALID", ("VM", vm_ref))
    if vm.get("is_control_domain"):
        return ServerError("INVALID_VALUE", (vmss_ref,))
    if vm.get("is_a_template"):
        return ServerError("VM_IS_TEMPLATE", (vm_ref,))
    return None


# --- a schedule being written: the wizard's and the properties dialog's state ----------


@dataclass(frozen=True)
class ScheduleDraft:
    """A schedule as the user describes it; times are in pool time, as the server keeps them.

    ``days`` are weekday indexes (0 = Monday); ``hour`` and ``days`` matter only for the
    frequencies that use them.
    """

    name_label: str = ""
    name_description: str = ""
    type: str = "snapshot"
    frequency: str = "daily"
    hour: int = 0
    minute: int = 0
    days: frozenset[int] = frozenset({0})
    retained_snapshots: int = DEFAULT_RETENTION["daily"]
    enabled: bool = True

    @property
    def schedule(self) -> dict[str, str]:
        """The schedule map, with only the keys this frequency allows."""
        values = {"min": str(self.minute), "hour": str(self.hour),
                  "days": ",".join(WEEKDAYS[d] for d in sorted(self.days) if 0 <= d < 7)}
        return {key: values[key] for key in SCHEDULE_KEYS.get(self.frequency, ())}

    def record(self) -> dict[str, Any]:
        """The constructor record for ``VMSS.create``."""
        return {
            "name_label": self.name_label, "name_description": self.name_description,
            "type": self.type, "frequency": self.frequency, "schedule": self.schedule,
            "retained_snapshots": self.retained_snapshots, "enabled": self.enabled,
        }

    @classmethod
    def of(cls, vmss: VMSS) -> ScheduleDraft:
        """The draft of an existing schedule, its values read as the server reads them
        (``hour`` "07" or "0x7" is 7); xapi's defaults where its map lacks a key."""
        frequency = vmss.frequency if vmss.frequency in FREQUENCIES else "daily"
        schedule = vmss.schedule
        minute_text = str(schedule.get("min", SCHEDULE_DEFAULTS["min"])).strip()
        minute = int(minute_text) if minute_text.isdigit() and int(minute_text) < 60 else 0
        hour = ocaml_int_of_string(str(schedule.get("hour", SCHEDULE_DEFAULTS["hour"])))
        days = _day_set(str(schedule.get("days", SCHEDULE_DEFAULTS["days"]))) or frozenset({0})
        return cls(vmss.name_label, vmss.name_description, vmss.type or "snapshot", frequency,
                   hour if hour is not None and 0 <= hour <= 23 else 0, minute, days,
                   vmss.retained_snapshots, vmss.enabled)


def name_problem(cache: ObjectCache, name: str, own_ref: str | None = None) -> str | None:
    """``"empty"`` or ``"taken"`` (another schedule of the pool has it); None if usable.

    Not a server rule (xapi allows duplicates), but two schedules with one name are
    impossible to tell apart in lists and alerts.
    """
    wanted = name.strip()
    if not wanted:
        return "empty"
    for ref, rec in cache.records("VMSS").items():
        if ref != own_ref and str(rec.get("name_label", "")).strip().casefold() \
                == wanted.casefold():
            return "taken"
    return None


def draft_problem(cache: ObjectCache, draft: ScheduleDraft, *, own_ref: str | None = None,
                  restrictions: Mapping[str, str] | None = None) -> ServerError | str | None:
    """Everything that stops a draft being saved: the name rule (``"empty"``/``"taken"``),
    then the server's own answer to its record (a weekly schedule without days sends
    ``days=""``, which the server refuses as INVALID_VALUE ["schedule:days", ""])."""
    named = name_problem(cache, draft.name_label, own_ref)
    if named is not None:
        return named
    return validate_schedule(draft.record(), restrictions)


# --- pool time and local time ----------------------------------------------------------

WEEK = dt.timedelta(days=7)


def shift_schedule(frequency: str, hour: int, minute: int, days: frozenset[int],
                   from_tz: dt.tzinfo, to_tz: dt.tzinfo, now: dt.datetime
                   ) -> tuple[int, int, frozenset[int]]:
    """The same schedule read on another clock: hour, minute and days in ``to_tz``.

    The two clocks' difference is taken at the schedule's next run after ``now`` (it
    changes when only one of the zones switches to or from daylight saving time), and
    applied to every day of a weekly schedule, so the days move together across midnight.
    """
    wall = dt.datetime.combine(now.astimezone(from_tz).date(), dt.time(hour, minute))
    instant = wall.replace(tzinfo=from_tz).astimezone(UTC)
    if instant <= now:
        step = dt.timedelta(hours=1) if frequency == "hourly" else dt.timedelta(days=1)
        wall += step
        instant = wall.replace(tzinfo=from_tz).astimezone(UTC)
    there = instant.astimezone(to_tz).replace(tzinfo=None)
    here = instant.astimezone(from_tz).replace(tzinfo=None)
    delta = there - here
    if frequency == "hourly":
        shifted_minute = (minute + int(delta.total_seconds() // 60)) % 60
        return hour, shifted_minute, days
    base = dt.datetime(2024, 1, 1)  # a Monday
    moved = {base + dt.timedelta(days=d, hours=hour, minutes=minute) + delta for d in days}
    one = next(iter(moved)) if moved else base + dt.timedelta(hours=hour, minutes=minute) + delta
    shifted_days = frozenset(m.weekday() for m in moved)
    return one.hour, one.minute, shifted_days


def dst_effects(frequency: str, schedule: Mapping[str, str], now: dt.datetime,
                pool_tz: dt.tzinfo, local_tz: dt.tzinfo | None = None, *,
                horizon: dt.timedelta = dt.timedelta(days=370),
                rules: DstRules = WALL_CLOCK_RULES) -> list[ScheduledRun]:
    """Runs within ``horizon`` that a DST change in the pool's zone skips or doubles.

    Hourly schedules are left out: they keep one run per real hour either way. Doubled
    runs are reported once (their first occurrence).
    """
    if frequency == "hourly":
        return []
    found: list[ScheduledRun] = []
    seen_walls: set[dt.datetime] = set()
    end = now + horizon
    for run in runs_from(frequency, schedule, now, pool_tz, local_tz, rules):
        if run.utc > end:
            break
        if run.dst is not None and run.wall not in seen_walls:
            seen_walls.add(run.wall)
            found.append(run)
    return found


# --- health -----------------------------------------------------------------------------

FLAG_FAILED = "failed"  # the last run failed
FLAG_MISSED = "missed"  # the last run was missed
FLAG_OVERDUE = "overdue"  # a run that was due did not happen
FLAG_OVER_RETENTION = "over_retention"  # a VM holds more scheduled snapshots than kept
FLAG_CHAIN = "chain"  # a VM's snapshot chain is near xapi's limit
FLAG_NO_VMS = "no_vms"  # enabled, but nothing to snapshot
HEALTH_FLAGS = (FLAG_FAILED, FLAG_MISSED, FLAG_OVERDUE, FLAG_OVER_RETENTION, FLAG_CHAIN,
                FLAG_NO_VMS)


@dataclass(frozen=True)
class VmCount:
    """A VM with a number: its scheduled snapshots, or its chain depth."""

    vm_ref: str
    vm_name: str
    count: int


@dataclass(frozen=True)
class HealthFlag:
    """One problem of a schedule. ``when``: the run that failed, was missed or was due;
    ``failures``: per-VM errors of a failed run; ``vms`` and ``limit``: the VMs over the
    retention (``limit`` = retained) or near the chain limit (``limit`` = xapi's limit)."""

    kind: str
    when: dt.datetime | None = None
    failures: tuple[VmFailure, ...] = ()
    vms: tuple[VmCount, ...] = ()
    limit: int = 0


@dataclass(frozen=True)
class ScheduleHealth:
    """A schedule's status, when it last ran (last_run_time or its newest message, as
    last_run_time is known not to update on some pools), and its problems."""

    status: ScheduleStatus
    last_run: dt.datetime | None
    flags: tuple[HealthFlag, ...]

    @property
    def healthy(self) -> bool:
        return not self.flags

    def flag(self, kind: str) -> HealthFlag | None:
        return next((f for f in self.flags if f.kind == kind), None)


def last_run_seen(cache: ObjectCache, vmss_ref: str) -> dt.datetime | None:
    """The later of ``last_run_time`` and the schedule's newest run message."""
    vmss = VMSS.get(cache, vmss_ref)
    if vmss is None:
        return None
    stamps = [t for t in (vmss.last_run_time,) if t is not None]
    history = run_history(cache, vmss_ref, limit=1)
    if history and history[0].timestamp is not None:
        stamps.append(history[0].timestamp)
    return max(stamps, default=None)


def schedule_health(cache: ObjectCache, vmss_ref: str, now: dt.datetime, pool_tz: dt.tzinfo,
                    local_tz: dt.tzinfo | None = None, *,
                    known_since: dt.datetime | None = None,
                    warn_depth: int | None = None,
                    grace: dt.timedelta = dt.timedelta(minutes=30),
                    rules: DstRules = WALL_CLOCK_RULES) -> ScheduleHealth | None:
    """The schedule's health at ``now``; None if it is not in the cache.

    Overdue: the latest run that was due (more than ``grace`` ago) did not happen, i.e.
    the last run is older than it. xapi does not record when a schedule was created,
    enabled or re-timed, so runs due before then cannot be told from missed ones: pass
    ``known_since``, the latest such moment the caller saw, and runs due before it are
    not expected. Without it, a schedule that never ran is never overdue.
    """
    status = schedule_status(cache, vmss_ref, now, pool_tz, local_tz, rules=rules, grace=grace)
    vmss = VMSS.get(cache, vmss_ref)
    if status is None or vmss is None:
        return None
    flags: list[HealthFlag] = []
    last = status.last_result
    if last is not None and last.outcome == FAILED:
        flags.append(HealthFlag(FLAG_FAILED, last.timestamp, last.failures))
    elif last is not None and last.outcome == MISSED:
        flags.append(HealthFlag(FLAG_MISSED, last.timestamp))
    last_run = last_run_seen(cache, vmss_ref)
    due = status.previous_due
    if due is not None and now - due.utc > grace:
        late = last_run is None or last_run < due.utc - grace
        if known_since is not None:
            expected = due.utc > known_since + grace
        else:
            expected = last_run is not None
        if late and expected:
            flags.append(HealthFlag(FLAG_OVERDUE, due.utc))
    if status.over_retention:
        flags.append(HealthFlag(FLAG_OVER_RETENTION, vms=tuple(
            VmCount(r.vm_ref, r.vm_name, r.scheduled_snapshots) for r in status.over_retention),
            limit=vmss.retained_snapshots))
    depth_limit = DEFAULT_WARN_DEPTH if warn_depth is None else warn_depth
    deep = []
    for vm in vmss.vms:
        depth = SnapshotTree.build(cache, vm.ref, warn_depth=depth_limit).max_depth
        if depth >= depth_limit:
            deep.append(VmCount(vm.ref, vm.name_label, depth))
    if deep:
        deep.sort(key=lambda v: v.vm_name.lower())
        flags.append(HealthFlag(FLAG_CHAIN, vms=tuple(deep), limit=XAPI_CHAIN_LIMIT))
    if vmss.enabled and not vmss.vm_refs:
        flags.append(HealthFlag(FLAG_NO_VMS))
    return ScheduleHealth(status, last_run, tuple(flags))
