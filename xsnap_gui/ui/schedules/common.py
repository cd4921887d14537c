"""What the schedule windows share: the clocks, the pool's facts, and the texts.

Every user-visible string is translated here or in the widgets (context
``Schedules``). Times are shown in three clocks: the user's (local), the pool
coordinator's (pool time, which is what a schedule is stored in) and UTC.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime, QTimeZone

from ...model.cache import ObjectCache
from ...model.schedules import (
    FAILED,
    MISSED,
    SUCCEEDED,
    WEEKDAYS,
    RunRecord,
    ServerError,
    VmFailure,
)
from ...model.views import VM, Pool
from ...operations.schedules import (
    ASSIGN,
    CREATE,
    DESTROY,
    RUN_NOW,
    SET,
    UNASSIGN,
    Report,
)
from ...xapi.errors import XapiError, readable_message
from ..i18n import translate
from ..pool_session import PoolSession

UTC = dt.UTC



def fill(template: str, *values: object) -> str:
    """Qt-style ``%1``, ``%2`` … placeholders (translators may reorder them)."""
    out = template
    for i, value in reversed(list(enumerate(values, start=1))):
        out = out.replace(f"%{i}", str(value))
    return out


# --- clocks -----------------------------------------------------------------------------


def system_timezone() -> dt.tzinfo:
    """The computer's zone, by its IANA name when Qt knows it (so DST is right)."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode(errors="replace")
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        offset = dt.datetime.now().astimezone().utcoffset() or dt.timedelta(0)
        return dt.timezone(offset)


def zone_label(tz: dt.tzinfo, at: dt.datetime | None = None) -> str:
    """``Europe/Berlin``, or ``UTC+01:00`` for a zone known only by its offset."""
    key = getattr(tz, "key", None)
    if key:
        return str(key)
    offset = (at or dt.datetime.now(UTC)).astimezone(tz).utcoffset() or dt.timedelta(0)
    if not offset:
        return "UTC"
    sign = "+" if offset >= dt.timedelta(0) else "\N{MINUS SIGN}"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class ScheduleClock:
    """Where "now" and the user's zone come from. Tests replace both."""

    now_fn: Callable[[], dt.datetime] | None = None
    local_tz: dt.tzinfo | None = None

    def now(self, session: PoolSession | None = None) -> dt.datetime:
        """The pool's "now": the local clock corrected by the server's measured offset."""
        if self.now_fn is not None:
            return self.now_fn()
        now = dt.datetime.now(UTC)
        conn = session.connection if session is not None else None
        if conn is not None:
            now += conn.info.server_time_offset
        return now

    def local(self) -> dt.tzinfo:
        return self.local_tz or system_timezone()


class PoolFacts:
    """What one pool tells the schedule windows: its name, zone, licence and rights."""

    def __init__(self, session: PoolSession, clock: ScheduleClock) -> None:
        self.session = session
        self.clock = clock

    @property
    def cache(self) -> ObjectCache:
        return self.session.cache

    def now(self) -> dt.datetime:
        return self.clock.now(self.session)

    @property
    def local_tz(self) -> dt.tzinfo:
        return self.clock.local()

    @property
    def pool_tz(self) -> dt.tzinfo:
        conn = self.session.connection
        return conn.info.tzinfo() if conn is not None else UTC

    @property
    def pool_zone_named(self) -> bool:
        """The pool's zone is known by name (so DST changes can be predicted)."""
        conn = self.session.connection
        return conn is not None and bool(conn.info.pool_timezone)

    @property
    def pool_name(self) -> str:
        pool = Pool.of(self.session.cache)
        name = pool.name_label if pool is not None else ""
        if not name and pool is not None and pool.master is not None:
            name = pool.master.name_label
        return name or self.session.name

    @property
    def restrictions(self) -> Mapping[str, str] | None:
        pool = Pool.of(self.session.cache)
        if pool is None:
            return None
        return pool.restrictions

    @property
    def licensed(self) -> bool:
        r = self.restrictions
        return r is None or r.get("restrict_vmss") == "false"

    @property
    def checkpoint_allowed(self) -> bool:
        r = self.restrictions
        return r is None or r.get("restrict_checkpoint") != "true"

    def can(self, permission: str) -> bool:
        conn = self.session.connection
        return conn is not None and conn.can(permission)

    def real_vms(self) -> list[VM]:
        vms = list(VM.real_vms(self.session.cache))
        vms.sort(key=lambda v: (v.name_label.lower(), v.ref))
        return vms


# --- formatting ---------------------------------------------------------------------------


def qdatetime(when: dt.datetime, tz: dt.tzinfo) -> QDateTime:
    wall = when.astimezone(tz)
    return QDateTime(wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second)


def date_text(when: dt.datetime) -> str:
    """A short date with its weekday (``Sat 2025-03-08`` in the C locale)."""
    locale = QLocale()
    day = QDate(when.year, when.month, when.day)
    weekday = locale.dayName(day.dayOfWeek(), QLocale.FormatType.ShortFormat)
    if locale.language() == QLocale.Language.C:
        # The C locale's short date ("8 03 2025") reads like a typo; ISO reads everywhere.
        return f"{weekday} {day.toString('yyyy-MM-dd')}"
    return f"{weekday} {locale.toString(day, QLocale.FormatType.ShortFormat)}"


def time_text(when: dt.datetime | None, tz: dt.tzinfo, *, with_zone: bool = False) -> str:
    """A date and time on ``tz``'s clock, in the user's locale's short format."""
    if when is None:
        return ""
    wall = when.astimezone(tz)
    text = f"{date_text(wall)} {clock_text(wall.hour, wall.minute)}"
    return f"{text} ({zone_label(tz, when)})" if with_zone else text


def clock_text(hour: int, minute: int) -> str:
    return QLocale().toString(QTime(hour, minute), QLocale.FormatType.ShortFormat)


def day_name(index: int, *, short: bool = False) -> str:
    """Monday = 0, in the user's language."""
    kind = QLocale.FormatType.ShortFormat if short else QLocale.FormatType.LongFormat
    return QLocale().dayName(index + 1, kind)


def day_index(name: str) -> int | None:
    lowered = name.strip().lower()
    return next((i for i, d in enumerate(WEEKDAYS) if d.lower() == lowered), None)


def frequency_text(frequency: str, schedule: Mapping[str, str]) -> str:
    """``Daily at 02:30``, ``Hourly at 15 minutes past``, ``Weekly on Mon, Fri at 23:00``."""
    def number(key: str) -> int:
        text = str(schedule.get(key, "0")).strip()
        return int(text) if text.isdigit() else 0

    minute, hour = number("min"), number("hour")
    if frequency == "hourly":
        return fill(translate("Schedules", "Hourly at %1 minutes past"), minute)
    if frequency == "daily":
        return fill(translate("Schedules", "Daily at %1"), clock_text(hour, minute))
    if frequency == "weekly":
        days = [day_index(d) for d in str(schedule.get("days", "Monday")).split(",")]
        names = ", ".join(day_name(d, short=True) for d in sorted(i for i in days if i is not None))
        return fill(translate("Schedules", "Weekly on %1 at %2"), names, clock_text(hour, minute))
    return frequency


def type_text(kind: str) -> str:
    if kind == "checkpoint":
        return translate("Schedules", "Disks and memory")
    if kind == "snapshot_with_quiesce":
        return translate("Schedules", "Quiesced disks (no longer supported)")
    return translate("Schedules", "Disks only")


def error_text(error: XapiError | ServerError | Sequence[str]) -> str:
    """A server error in readable words (xapi's catalogue, with parameters named)."""
    if isinstance(error, XapiError):
        return error.message
    if isinstance(error, ServerError):
        return readable_message(error.code, list(error.params))
    code, *params = list(error) or ["INTERNAL_ERROR"]
    return readable_message(code, params)


def failure_text(failure: VmFailure) -> str:
    """``web-01: There is not enough space … (SR_FULL)``."""
    reason = (
        readable_message(failure.code, list(failure.params))
        if failure.code
        else translate("Schedules", "no reason given")
    )
    return fill(translate("Schedules", "%1: %2"), failure.vm_name or failure.vm_uuid, reason)


def result_text(record: RunRecord | None) -> str:
    """The outcome of a run: succeeded, failed with N VMs, missed, or not yet run."""
    if record is None:
        return translate("Schedules", "Not yet run")
    if record.outcome == SUCCEEDED:
        return translate("Schedules", "Succeeded")
    if record.outcome == MISSED:
        return translate("Schedules", "Missed")
    if record.outcome == FAILED and record.failures:
        failure_count = len(record.failures)
        return translate("Schedules", "Failed, %n VM(s)", "", failure_count)
    return translate("Schedules", "Failed")


def run_title(record: RunRecord) -> str:
    """What a history row says about one run message."""
    name = record.name
    if name == "VMSS_SNAPSHOT_LOCK_FAILED":
        return translate("Schedules", "Failed: another scheduled snapshot was running in the pool")
    if name == "VMSS_LICENSE_ERROR":
        return translate("Schedules",
                         "Failed: the pool's licence does not allow snapshot schedules")
    if name == "VMSS_XAPI_LOGON_FAILURE":
        return translate("Schedules", "Failed: the schedule could not log in to the pool")
    if name == "VMSS_SNAPSHOT_MISSED_EVENT":
        return translate("Schedules", "Missed: the previous run was still going")
    return result_text(record)


def draft_problem_text(problem: ServerError | str | None, frequency: str = "") -> str:
    """Why a schedule cannot be saved, in words a user can act on ("" if it can)."""
    if problem is None:
        return ""
    if problem == "empty":
        return translate("Schedules", "Enter a name for the schedule.")
    if problem == "taken":
        return translate("Schedules",
                         "Another schedule of this pool already has this name. Choose another.")
    if isinstance(problem, str):
        return problem
    field, value = problem.field, problem.params[-1] if problem.params else ""
    if problem.code == "LICENCE_RESTRICTION":
        if problem.params and problem.params[0] == "VSS":
            return translate("Schedules", "Quiesced snapshots are not available on this pool.")
        return translate("Schedules", "The pool's licence does not include snapshot schedules.")
    if field == "schedule:min":
        return fill(
            translate(
                "Schedules",
                "Snapshots can only be scheduled on the quarter hour (0, 15, 30 or 45 "
                "minutes past); %1 is not one of them.",
            ),
            value,
        )
    if field == "schedule:hour":
        return fill(translate("Schedules", "The hour must be from 0 to 23; %1 is not."), value)
    if field == "schedule:days":
        if not value:
            return translate("Schedules", "Choose at least one day of the week.")
        return fill(translate("Schedules",
                              "The days “%1” are not a list of different weekdays."), value)
    if field.startswith("schedule:"):
        return fill(translate("Schedules",
                              "A %1 schedule cannot have “%2”."), frequency, field.split(":", 1)[1])
    if field == "retained_snapshots":
        return fill(translate("Schedules",
                              "Keep from 1 to 10 snapshots per VM; the pool does not accept %1."),
                    value)
    return error_text(problem)


# --- reporting what an operation did -----------------------------------------------------


def step_text(kind: str, target: str, detail: str, names: Mapping[str, str]) -> str:
    name = names.get(target, target)
    if kind == CREATE:
        return (
            fill(translate("Schedules", "Create the schedule “%1”"), detail)
            if detail
            else translate("Schedules", "Create the schedule")
        )
    if kind == RUN_NOW:
        return fill(translate("Schedules", "Run “%1” now"), detail or name)
    if kind == DESTROY:
        return fill(translate("Schedules", "Delete “%1”"), detail or name)
    if kind == ASSIGN:
        return fill(translate("Schedules", "Add %1 to the schedule"), name)
    if kind == UNASSIGN:
        return fill(translate("Schedules", "Take %1 out of the schedule"), name)
    if kind == SET:
        what = {
            "name_label": translate("Schedules", "the name"),
            "name_description": translate("Schedules", "the description"),
            "type": translate("Schedules", "the snapshot type"),
            "retained_snapshots": translate("Schedules", "how many are kept"),
            "frequency": translate("Schedules", "the frequency"),
            "schedule": translate("Schedules", "the time"),
            "enabled": translate("Schedules", "enabled or disabled"),
        }.get(detail, detail)
        return fill(translate("Schedules", "Change %1 of %2"), what, name)
    return kind


def report_text(report: Report, names: Mapping[str, str]) -> str:
    """Done and failed steps, one a line, for the message a partial failure shows."""
    lines = []
    if report.done:
        lines.append(translate("Schedules", "Done:"))
        lines += ["  ✓ " + step_text(s.kind, s.target, s.detail, names) for s in report.done]
    if report.failed:
        lines.append(translate("Schedules", "Failed:"))
        for s in report.failed:
            reason = error_text(s.error) if s.error is not None else ""
            lines.append("  ✗ " + fill(translate("Schedules",
                                                 "%1: %2"), step_text(s.kind, s.target, s.detail,
                                                               names), reason))
    if report.run_failures:
        run_failure_count = len(report.run_failures)
        lines.append(translate("Schedules",
                               "The run failed for %n VM(s):", "", run_failure_count))
        lines += ["  ✗ " + failure_text(f) for f in report.run_failures]
    return "\n".join(lines)


def task_label(step: str, names: Mapping[str, str]) -> str:
    """The label a schedule operation's task gets in the tasks panel."""
    schedule, vm = names.get("schedule", ""), names.get("vm", "")
    if step == CREATE:
        return fill(translate("Schedules", "Create snapshot schedule “%1”"), schedule)
    if step == ASSIGN:
        return fill(translate("Schedules", "Add %1 to snapshot schedule “%2”"), vm, schedule)
    if step == UNASSIGN:
        return fill(translate("Schedules", "Take %1 out of snapshot schedule “%2”"), vm, schedule)
    if step == RUN_NOW:
        return fill(translate("Schedules", "Run snapshot schedule “%1” now"), schedule)
    if step == DESTROY:
        return fill(translate("Schedules", "Delete snapshot schedule “%1”"), schedule)
    return fill(translate("Schedules", "Change snapshot schedule “%1”"), schedule)


def names_in(session: PoolSession, refs: Sequence[str]) -> dict[str, str]:
    cache = session.cache
    out = {}
    for ref in refs:
        rec = cache.get("VM", ref) or cache.get("VMSS", ref)
        if rec is not None:
            out[ref] = str(rec.get("name_label", "")) or ref
    return out

