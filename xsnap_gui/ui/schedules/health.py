"""Schedule health in words: a short label per flag and a tooltip that explains it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtGui import QIcon

from ...model.schedules import (
    FLAG_CHAIN,
    FLAG_FAILED,
    FLAG_MISSED,
    FLAG_NO_VMS,
    FLAG_OVER_RETENTION,
    FLAG_OVERDUE,
    HealthFlag,
    ScheduleHealth,
)
from .. import icons
from ..i18n import translate
from .common import failure_text, fill, time_text

MAX_LISTED = 6


def flag_label(flag: HealthFlag) -> str:
    """A few words for the health column."""
    if flag.kind == FLAG_FAILED:
        return translate("Schedules", "last run failed")
    if flag.kind == FLAG_MISSED:
        return translate("Schedules", "last run missed")
    if flag.kind == FLAG_OVERDUE:
        return translate("Schedules", "overdue")
    if flag.kind == FLAG_OVER_RETENTION:
        return translate("Schedules", "too many snapshots")
    if flag.kind == FLAG_CHAIN:
        return translate("Schedules", "chain near limit")
    if flag.kind == FLAG_NO_VMS:
        return translate("Schedules", "enabled, no VMs")
    return flag.kind


def _listed(lines: list[str]) -> list[str]:
    if len(lines) <= MAX_LISTED:
        return lines
    count = len(lines) - MAX_LISTED
    return [*lines[:MAX_LISTED], translate("Schedules",
                                           "…and %n more", "", count)]


def flag_explanation(flag: HealthFlag, local_tz: dt.tzinfo) -> str:
    """What the flag means and what to do about it (for the tooltip)."""
    when = time_text(flag.when, local_tz) if flag.when is not None else ""
    if flag.kind == FLAG_FAILED:
        head = (
            fill(translate("Schedules", "The last run (%1) failed."), when)
            if when
            else translate("Schedules", "The last run failed.")
        )
        if flag.failures:
            failure_count = len(flag.failures)
            head += " " + translate("Schedules",
                                    "No snapshot was taken of %n VM(s):", "", failure_count)
            return "\n".join([head, *_listed(["• " + failure_text(f) for f in flag.failures])])
        return head + " " + translate("Schedules", "See the run history for the reason.")
    if flag.kind == FLAG_MISSED:
        return fill(
            translate(
                "Schedules",
                "The run due at %1 was missed: the previous run was still going. If "
                "this repeats, the schedule runs more often than its snapshots can be "
                "taken.",
            ),
            when,
        )
    if flag.kind == FLAG_OVERDUE:
        return fill(translate("Schedules",
                              "The run due at %1 has not happened. The pool's scheduler may not be "
                              "running, or the pool's clock may be wrong."), when)
    if flag.kind == FLAG_OVER_RETENTION:
        limit = flag.limit
        head = translate(
            "Schedules",
            "The schedule keeps %n snapshot(s) per VM, but some VMs hold more scheduled "
            "snapshots. The oldest are deleted at the next successful run; until then "
            "they use storage.",
            "",
            limit,
        )
        return "\n".join(
            [
                head,
                *_listed(
                    [
                        "• "
                        + fill(
                            translate("Schedules", "%1: %2 scheduled snapshots"), v.vm_name, v.count
                        )
                        for v in flag.vms
                    ]
                ),
            ]
        )
    if flag.kind == FLAG_CHAIN:
        limit = flag.limit
        head = translate(
            "Schedules",
            "These VMs' snapshot chains are close to the pool's limit of %n; when it is "
            "reached, new snapshots fail. Delete or coalesce old snapshots.",
            "",
            limit,
        )
        return "\n".join([head, *_listed([
            "• " + fill(translate("Schedules",
                                  "%1: %2 deep"), v.vm_name, v.count) for v in flag.vms])])
    if flag.kind == FLAG_NO_VMS:
        return translate(
            "Schedules",
            "The schedule is enabled but has no VMs, so it takes no snapshots. Add VMs "
            "or disable it.",
        )
    return flag.kind


def health_text(health: ScheduleHealth | None) -> str:
    if health is None:
        return ""
    if health.healthy:
        return translate("Schedules", "OK")
    separator = translate("Schedules", ", ", "between the problems of one schedule")
    return separator.join(flag_label(f) for f in health.flags)


def health_tooltip(health: ScheduleHealth | None, local_tz: dt.tzinfo) -> str:
    if health is None:
        return ""
    if health.healthy:
        return translate("Schedules",
                         "No problems found: the last run succeeded or none was due yet, and every "
                         "VM is within its retention and chain limits.")
    return "\n\n".join(flag_explanation(f, local_tz) for f in health.flags)


def health_icon(health: ScheduleHealth | None) -> QIcon:
    if health is None:
        return QIcon()
    if health.healthy:
        return icons.icon("task-success")
    if health.flag(FLAG_FAILED) or health.flag(FLAG_OVERDUE):
        return icons.icon("task-failure")
    return icons.icon("warning")
