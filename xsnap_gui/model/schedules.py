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

from .cache import ObjectCache
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
