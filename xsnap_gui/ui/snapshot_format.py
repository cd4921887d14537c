"""What the Snapshots tab shows about one snapshot, and how it words it.

:class:`SnapshotInfo` is the plain, comparable picture of a snapshot that the
list model, the details panel and the graph's tooltips are built from, so the
three agree and an unchanged snapshot compares equal across refreshes.
:class:`PoolClock` turns xapi's UTC timestamps into the user's local time and
the pool's wall-clock time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from PySide6.QtCore import QDate, QLocale, QTime

from ..model.cache import ObjectCache, Record
from ..model.views import snapshot_kind
from ..xapi.client import LoginInfo
from .i18n import translate

VNC_BLOB_NAME = "XenCenter.VNCSnapshot"
# Below this the measured clock difference is noise (xapi answers in whole seconds).
SKEW_THRESHOLD = dt.timedelta(seconds=60)



@dataclass(frozen=True)
class SnapshotInfo:
    """One snapshot as the tab presents it. Frozen and comparable: equal means unchanged."""

    ref: str
    name: str
    description: str
    tags: tuple[str, ...]
    kind: str  # disk, disk_and_memory or scheduled (as snapshot_kind)
    has_memory: bool
    time: dt.datetime | None  # snapshot_time, aware UTC
    size: int  # bytes (views.snapshot_size)
    power_state: str  # of the VM when the snapshot was taken
    is_scheduled: bool
    schedule_ref: str | None  # the VMSS that (probably) took it; see schedule_of
    schedule_name: str
    screenshot_blob: str | None  # ref of the XenCenter.VNCSnapshot blob
    screenshot_inline: str  # base64 JPEG from other_config, XenCenter's older place

    @classmethod
    def from_record(cls, cache: ObjectCache, ref: str, rec: Record, size: int) -> SnapshotInfo:
        time = rec.get("snapshot_time")
        if isinstance(time, dt.datetime) and time.tzinfo is None:
            time = time.replace(tzinfo=dt.UTC)
        info_map = rec.get("snapshot_info") or {}
        blobs = rec.get("blobs") or {}
        other = rec.get("other_config") or {}
        scheduled = bool(rec.get("is_vmss_snapshot") or rec.get("is_snapshot_from_vmpp"))
        schedule_ref, schedule_name = schedule_of(cache, rec) if scheduled else (None, "")
        blob = blobs.get(VNC_BLOB_NAME)
        return cls(
            ref=ref,
            name=str(rec.get("name_label", "")),
            description=str(rec.get("name_description", "")),
            tags=tuple(str(t) for t in rec.get("tags") or ()),
            kind=snapshot_kind(rec),
            has_memory=rec.get("power_state") == "Suspended" or rec.get("suspend_VDI") is not None,
            time=time if isinstance(time, dt.datetime) else None,
            size=size,
            power_state=str(info_map.get("power-state-at-snapshot", "")),
            is_scheduled=scheduled,
            schedule_ref=schedule_ref,
            schedule_name=schedule_name,
            screenshot_blob=blob if isinstance(blob, str) else None,
            screenshot_inline=str(other.get(VNC_BLOB_NAME, "")),
        )

    @property
    def has_screenshot(self) -> bool:
        return self.screenshot_blob is not None or bool(self.screenshot_inline)


def schedule_of(cache: ObjectCache, rec: Record) -> tuple[str | None, str]:
    """The schedule a scheduled snapshot came from, as (VMSS ref, name).

    xapi records no link from a snapshot to its schedule (a scheduled snapshot's
    own ``snapshot_schedule`` is NULL), so this is the schedule its VM belongs
    to now: right unless the VM was moved between schedules since. Without a
    schedule today the answer is (None, "").
    """
    vm = cache.get("VM", rec.get("snapshot_of"))
    vmss_ref = vm.get("snapshot_schedule") if vm is not None else None
    vmss = cache.get("VMSS", vmss_ref)
    if vmss is None or not isinstance(vmss_ref, str):
        return None, ""
    return vmss_ref, str(vmss.get("name_label", ""))


# --- words ----------------------------------------------------------------------------


def kind_text(info: SnapshotInfo) -> str:
    if info.is_scheduled:
        return (translate("SnapshotFormat", "Scheduled, disks and memory") if info.has_memory
                else translate("SnapshotFormat", "Scheduled, disks only"))
    return (
        translate("SnapshotFormat", "Disks and memory")
        if info.has_memory
        else translate("SnapshotFormat", "Disks only")
    )


def power_state_text(state: str) -> str:
    known = {
        "Running": translate("SnapshotFormat", "Running"),
        "Halted": translate("SnapshotFormat", "Halted"),
        "Suspended": translate("SnapshotFormat", "Suspended"),
        "Paused": translate("SnapshotFormat", "Paused"),
    }
    return known.get(state, state or translate("SnapshotFormat", "Unknown"))


def size_text(size: int) -> str:
    """A size in binary units, in the user's locale (``9.0 MiB``)."""
    return QLocale().formattedDataSize(max(0, size), 1,
                                       QLocale.DataSizeFormat.DataSizeIecFormat)


def schedule_text(info: SnapshotInfo) -> str:
    if not info.is_scheduled:
        return ""
    return info.schedule_name or translate("SnapshotFormat",
                                           "a schedule the VM no longer belongs to")


def _offset_text(offset: dt.timedelta | None) -> str:
    minutes = round((offset or dt.timedelta(0)).total_seconds() / 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def _day_text(when: dt.datetime, *, long: bool) -> str:
    locale = QLocale()
    day = QDate(when.year, when.month, when.day)
    if long:
        return locale.toString(day, QLocale.FormatType.LongFormat)
    if locale.language() == QLocale.Language.C:
        # The C locale's short date ("25 11 2026") reads like a typo; ISO reads everywhere.
        return day.toString("yyyy-MM-dd")
    return locale.toString(day, QLocale.FormatType.ShortFormat)


def _time_text(when: dt.datetime) -> str:
    return QLocale().toString(QTime(when.hour, when.minute, when.second),
                              QLocale.FormatType.ShortFormat)


def _wall_text(when: dt.datetime, *, long: bool) -> str:
    return f"{_day_text(when, long=long)} {_time_text(when)}"


class PoolClock:
    """Local and pool wall-clock readings of xapi timestamps.

    Local times are corrected by the server's clock error as measured at login
    (as XenCenter does), when it is larger than measurement noise, so a
    snapshot taken a moment ago reads as a moment ago. Pool times are the
    server's own reading in the pool's zone: its name when the pool declares
    one, else the UTC offset measured at login. Without a login the pool's zone
    is unknown and said to be.
    """

    def __init__(self, info: LoginInfo | None = None) -> None:
        self.pool_tz: dt.tzinfo | None = None
        self.zone_name = ""
        self.skew = dt.timedelta(0)
        if info is not None:
            self.pool_tz = info.tzinfo()
            self.zone_name = info.pool_timezone or _offset_text(info.pool_utc_offset)
            if abs(info.server_time_offset) >= SKEW_THRESHOLD:
                self.skew = info.server_time_offset

    def __eq__(self, other: object) -> bool:
        return (isinstance(other, PoolClock) and (self.zone_name, self.skew)
                == (other.zone_name, other.skew))

    __hash__ = None  # type: ignore[assignment]  # mutable-looking; compared, never hashed

    @property
    def knows_pool_time(self) -> bool:
        return self.pool_tz is not None

    def local(self, when: dt.datetime) -> dt.datetime:
        """``when`` on the user's clock, in the computer's zone."""
        return (when - self.skew).astimezone()

    def local_text(self, when: dt.datetime | None, *, long: bool = False) -> str:
        return _wall_text(self.local(when), long=long) if when is not None else ""

    def pool_text(self, when: dt.datetime | None, *, long: bool = False,
                  beside_local: bool = False) -> str:
        """``… (Europe/Berlin)``, or a note that the pool's zone is unknown.

        ``beside_local``: the text goes next to the local time, so say less when
        the two agree (the same reading, or the same day).
        """
        if when is None:
            return ""
        if self.pool_tz is None:
            return translate("SnapshotFormat", "pool time unknown")
        pool = when.astimezone(self.pool_tz)
        if beside_local:
            local = self.local(when)
            if local.replace(tzinfo=None) == pool.replace(tzinfo=None):
                return translate("SnapshotFormat", "the same (%1)").replace("%1", self.zone_name)
            if local.date() == pool.date():
                return translate("SnapshotFormat",
                                 "%1 (%2)").replace("%1", _time_text(pool)).replace("%2",
                                                                               self.zone_name)
        return translate("SnapshotFormat", "%1 (%2)").replace("%1", _wall_text(pool, long=long)) \
            .replace("%2", self.zone_name)
