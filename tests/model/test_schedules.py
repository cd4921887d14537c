"""VMSS run times across DST in two zones, history parsing, retention and status."""

from __future__ import annotations

import datetime as dt
import itertools
import zoneinfo

import pytest

from xsnap_gui.model.cache import ObjectCache
from xsnap_gui.model.schedules import (
    CRON_RULES,
    VmFailure,
    next_runs,
    parse_failures,
    pool_timezone,
    previous_run,
    retention,
    run_history,
    schedule_status,
    scheduled_count,
)
from xsnap_gui.model.views import VMSS, Message
from xsnap_gui.simulator.db import Database
from xsnap_gui.simulator.generate import (
    NEARLY_FULL_SR_NAME,
    OVER_RETENTION_EXTRA,
    OVER_RETENTION_SCHEDULE_NAME,
    PoolSpec,
    generate_pool,
)
from xsnap_gui.simulator.scheduler import Timing, failure_line

from .conftest import DM, Feed

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)  # type: ignore[misc]


def test_daily_run_in_the_spring_gap_is_skipped_london() -> None:
    # 2025-03-30 01:00 GMT the clocks go to 02:00 BST: 01:30 does not exist that day.
    runs = next_runs("daily", {"hour": "1", "min": "30"}, utc(2025, 3, 29, 12), LONDON,
                     NEW_YORK, count=3)
    assert [(r.utc, r.dst) for r in runs] == [
        (utc(2025, 3, 30, 1), "skipped"),  # reported at the change, for display
        (utc(2025, 3, 31, 0, 30), None),  # 01:30 BST
        (utc(2025, 4, 1, 0, 30), None),
    ]
    assert not runs[0].runs and runs[0].wall == dt.datetime(2025, 3, 30, 1, 30)
    assert runs[1].pool_time.replace(tzinfo=None) == dt.datetime(2025, 3, 31, 1, 30)
    # New York was already on EDT (since 9 March): 20:30 the evening before.
    assert runs[1].local_time.replace(tzinfo=None) == dt.datetime(2025, 3, 30, 20, 30)
    assert runs[1].local_time.utcoffset() == dt.timedelta(hours=-4)
    only_real = next_runs("daily", {"hour": "1", "min": "30"}, utc(2025, 3, 29, 12), LONDON,
                          count=1, include_skipped=False)
    assert only_real[0].utc == utc(2025, 3, 31, 0, 30)


def test_daily_run_in_the_autumn_fold_happens_twice_london() -> None:
    # 2025-10-26 02:00 BST the clocks go back to 01:00 GMT: 01:30 happens twice.
    runs = next_runs("daily", {"hour": "1", "min": "30"}, utc(2025, 10, 25, 12), LONDON,
                     TOKYO, count=3)
    assert [(r.utc, r.dst) for r in runs] == [
        (utc(2025, 10, 26, 0, 30), "doubled"),
        (utc(2025, 10, 26, 1, 30), "doubled"),
        (utc(2025, 10, 27, 1, 30), None),
    ]
    assert [r.pool_time.utcoffset() for r in runs[:2]] == [dt.timedelta(hours=1),
                                                             dt.timedelta(0)]
    assert runs[0].local_time.replace(tzinfo=None) == dt.datetime(2025, 10, 26, 9, 30)


def test_new_york_spring_gap_and_autumn_fold() -> None:
    # 2025-03-09 02:00 EST → 03:00 EDT; 2025-11-02 02:00 EDT → 01:00 EST.
    spring = next_runs("daily", {"hour": "2", "min": "30"}, utc(2025, 3, 8, 12), NEW_YORK,
                       LONDON, count=2)
    assert [(r.utc, r.dst) for r in spring] == [(utc(2025, 3, 9, 7), "skipped"),
                                                (utc(2025, 3, 10, 6, 30), None)]
    # London is still on GMT: the run is at 06:30 there.
    assert spring[1].local_time.replace(tzinfo=None) == dt.datetime(2025, 3, 10, 6, 30)
    autumn = next_runs("weekly", {"hour": "1", "min": "30", "days": "sunday"},
                       utc(2025, 11, 1), NEW_YORK, LONDON, count=3)
    assert [(r.utc, r.dst) for r in autumn] == [
        (utc(2025, 11, 2, 5, 30), "doubled"),
        (utc(2025, 11, 2, 6, 30), "doubled"),
        (utc(2025, 11, 9, 6, 30), None),
    ]


def test_hourly_runs_stay_one_per_real_hour_across_both_changes() -> None:
    for zone, start in ((LONDON, utc(2025, 3, 29, 22)), (LONDON, utc(2025, 10, 25, 22)),
                        (NEW_YORK, utc(2025, 3, 9, 3)), (NEW_YORK, utc(2025, 11, 2, 3))):
        runs = next_runs("hourly", {"min": "15"}, start, zone, count=8)
        gaps = {b.utc - a.utc for a, b in itertools.pairwise(runs)}
        assert gaps == {dt.timedelta(hours=1)}, zone
        assert all(r.runs and r.pool_time.minute == 15 for r in runs)
        assert any(r.dst == "doubled" for r in runs) == (start.month > 6)


def test_cron_rules_shift_skipped_runs_and_run_repeated_ones_once() -> None:
    spring = next_runs("daily", {"hour": "1", "min": "30"}, utc(2025, 3, 29, 12), LONDON,
                       count=1, rules=CRON_RULES)
    assert (spring[0].utc, spring[0].dst, spring[0].runs) == (utc(2025, 3, 30, 1), "shifted",
                                                             True)
    autumn = next_runs("daily", {"hour": "1", "min": "30"}, utc(2025, 10, 25, 12), LONDON,
                       count=2, rules=CRON_RULES)
    assert [(r.utc, r.dst) for r in autumn] == [(utc(2025, 10, 26, 0, 30), "repeated"),
                                                (utc(2025, 10, 27, 1, 30), None)]


SCHEDULES = [
    ("hourly", {"min": "45"}),
    ("daily", {"hour": "1", "min": "30"}),
    ("daily", {"hour": "2", "min": "15"}),
    ("daily", {"hour": "23", "min": "0"}),
    ("weekly", {"hour": "1", "min": "0", "days": "Saturday,Sunday"}),
    ("weekly", {"hour": "2", "min": "30", "days": "sunday"}),
]


@pytest.mark.parametrize("zone", ["Europe/London", "America/New_York", "Australia/Lord_Howe"])
@pytest.mark.parametrize(("frequency", "schedule"), SCHEDULES)
def test_run_times_agree_with_the_simulator_scheduler(zone: str, frequency: str,
                                                      schedule: dict[str, str]) -> None:
    tz = zoneinfo.ZoneInfo(zone)
    timing = Timing.of(frequency, schedule)
    assert timing is not None
    start, until = utc(2025, 1, 1), utc(2026, 1, 1)
    if frequency == "hourly":
        start, until = utc(2025, 3, 25), utc(2025, 4, 15)
    expected = timing.between(tz, start, until)
    ours = []
    for run in next_runs(frequency, schedule, start, tz, count=len(expected) + 20,
                         include_skipped=False):
        if run.utc > until:
            break
        ours.append(run.utc)
    assert ours == expected


def test_previous_run_and_fixed_offset_pools() -> None:
    prev = previous_run("daily", {"hour": "2", "min": "30"}, utc(2025, 6, 2, 1),
                        pool_timezone("+05:30"))
    assert prev is not None and prev.utc == utc(2025, 6, 1, 21)
    assert prev.pool_time.replace(tzinfo=None) == dt.datetime(2025, 6, 2, 2, 30)
    # A fixed offset knows no DST: nothing is ever skipped or doubled.
    fixed = next_runs("daily", {"hour": "1", "min": "30"}, utc(2025, 3, 29), pool_timezone(
        dt.timedelta(hours=1)), count=3)
    assert all(r.dst is None for r in fixed)
    assert previous_run("weekly", {"hour": "0", "min": "0", "days": "Monday"},
                        utc(2025, 6, 4), UTC) == next_runs(
        "weekly", {"hour": "0", "min": "0", "days": "Monday"}, utc(2025, 6, 1), UTC)[0]


def test_pool_timezone_forms() -> None:
    assert pool_timezone(None) is UTC and pool_timezone("UTC") is UTC
    assert pool_timezone("Europe/London") == LONDON
    assert pool_timezone("+01:00").utcoffset(None) == dt.timedelta(hours=1)
    assert pool_timezone("-0530").utcoffset(None) == -dt.timedelta(hours=5, minutes=30)
    assert pool_timezone("UTC+2").utcoffset(None) == dt.timedelta(hours=2)
    assert pool_timezone(TOKYO) is TOKYO
    with pytest.raises(ValueError, match="unknown time zone"):
        pool_timezone("Mars/Olympus")


def test_schedules_that_can_never_run() -> None:
    for frequency, schedule in (("weekly", {"days": "Funday"}), ("daily", {"min": "x"}),
                                ("monthly", {})):
        with pytest.raises(ValueError):
            next_runs(frequency, schedule, utc(2025, 1, 1), UTC)
        assert Timing.of(frequency, schedule) is None  # the simulator agrees


# --- history and retention --------------------------------------------------------------


def test_parse_failures_with_xencenter_pattern() -> None:
    body = "\n".join([
        "VM:web-01UUID:0b1c2d3e-0000-4000-8000-000000000001Error:['SR_FULL', '10737418240', "
        "'2147483648']",
        failure_line("db 'primary'", "0b1c2d3e-0000-4000-8000-000000000002",
                     ["VM_BAD_POWER_STATE", "OpaqueRef:x", "running", "halted"]),
        "VM:emptyUUID:0b1c2d3e-0000-4000-8000-000000000003Error:[],",
        "The snapshot schedule could not run.",
        "VM:brokenUUID:no error list here",
    ])
    failures = parse_failures(body)
    assert failures[0] == VmFailure("web-01", "0b1c2d3e-0000-4000-8000-000000000001",
                                    "SR_FULL", ("10737418240", "2147483648"))
    assert failures[1].code == "VM_BAD_POWER_STATE"
    assert failures[1].params == ("OpaqueRef:x", "running", "halted")
    assert failures[2] == VmFailure("empty", "0b1c2d3e-0000-4000-8000-000000000003", "", ())
    assert len(failures) == 3
    escaped = parse_failures(r"VM:aUUID:bError:['INTERNAL_ERROR', 'it\'s broken']")
    assert escaped[0].params == ("it's broken",)


@pytest.fixture(scope="module")
def pool() -> ObjectCache:
    db = Database(DM)
    db.bulk_load(generate_pool(PoolSpec(hosts=2, vms=30, snapshots=4, schedules=4), seed=5))
    cache = ObjectCache(dm=DM)
    cache.load(Feed(db).full())
    return cache


def nightly(cache: ObjectCache) -> VMSS:
    return next(v for v in VMSS.all(cache) if v.name_label == OVER_RETENTION_SCHEDULE_NAME)


def test_run_history_of_a_generated_pool(pool: ObjectCache) -> None:
    vmss = nightly(pool)
    history = run_history(pool, vmss.ref)
    assert history and history == sorted(history, key=lambda r: r.timestamp or utc(1970, 1, 1),
                                          reverse=True)
    latest = history[0]
    assert latest.name == "VMSS_SNAPSHOT_FAILED" and latest.outcome == "failed"
    assert latest.severity == "warning"
    sr = next(ref for ref, rec in pool.records("SR").items()
              if rec["name_label"] == NEARLY_FULL_SR_NAME)
    on_full_sr = set()
    for vm in vmss.vms:
        vdis = [vbd.vdi for vbd in vm.disk_vbds]
        if any(v is not None and v.sr_ref == sr for v in vdis):
            on_full_sr.add((vm.name_label, vm.uuid))
    assert {(f.vm_name, f.vm_uuid) for f in latest.failures} == on_full_sr
    assert {f.code for f in latest.failures} == {"SR_FULL"}
    assert all(r.outcome == "succeeded" and not r.failures for r in history[1:])
    assert len(run_history(pool, vmss.ref, limit=2)) == 2
    assert run_history(pool, vmss.ref, since=latest.timestamp) == [latest]
    assert {m.ref for m in Message.about(pool, vmss.uuid)} >= {r.message_ref for r in history}


def test_retention_counts_scheduled_snapshots(pool: ObjectCache) -> None:
    vmss = nightly(pool)
    rows = retention(pool, vmss.ref)
    over = [r for r in rows if r.over_by > 0]
    assert len(over) == 1 and over[0].over_by == OVER_RETENTION_EXTRA
    assert over[0].scheduled_snapshots == vmss.retained_snapshots + OVER_RETENTION_EXTRA
    assert scheduled_count(pool, over[0].vm_ref) == over[0].scheduled_snapshots


def test_schedule_status(pool: ObjectCache) -> None:
    vmss = nightly(pool)
    last = vmss.last_run_time
    assert last is not None
    status = schedule_status(pool, vmss.ref, last + dt.timedelta(hours=1), UTC, TOKYO)
    assert status is not None and status.enabled and status.vm_count == len(vmss.vm_refs)
    assert status.next_run is not None and status.next_run.utc == last + dt.timedelta(days=1)
    assert status.previous_due is not None and status.previous_due.utc == last
    assert not status.overdue
    assert status.last_result is not None and status.last_result.outcome == "failed"
    assert len(status.over_retention) == 1
    later = schedule_status(pool, vmss.ref, last + dt.timedelta(days=2, hours=1), UTC)
    assert later is not None and later.overdue
    # Disabled, or without VMs, a schedule has no next run.
    for other in VMSS.all(pool):
        if not other.enabled or not other.vm_refs:
            quiet = schedule_status(pool, other.ref, last, UTC)
            assert quiet is not None and quiet.next_run is None and not quiet.overdue


def test_last_run_time_epoch_means_never() -> None:
    db = Database(DM)
    ref = db.create("VMSS", {"type": "snapshot", "frequency": "hourly",
                             "schedule": {"min": "15"}})
    cache = ObjectCache(dm=DM)
    cache.load(Feed(db).full())
    vmss = VMSS.get(cache, ref)
    assert vmss is not None and vmss.last_run_time is None
    assert run_history(cache, ref) == []
