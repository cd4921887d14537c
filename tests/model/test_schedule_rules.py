"""Schedule validation, edits, pool/local time and health, checked against a served pool.

``validate_schedule`` must answer exactly what ``VMSS.create`` answers: every case
below goes to the simulator through the XenAPI SDK and to the model, and both must
agree (error code and parameters, or success with the same stored schedule).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import zoneinfo
from collections.abc import Iterator
from typing import Any

import pytest
import XenAPI

from xsnap_gui.model.cache import ObjectCache
from xsnap_gui.model.schedules import (
    DEFAULT_RETENTION,
    FLAG_CHAIN,
    FLAG_FAILED,
    FLAG_NO_VMS,
    FLAG_OVER_RETENTION,
    FLAG_OVERDUE,
    ScheduleDraft,
    ServerError,
    check_schedule_value,
    draft_problem,
    dst_effects,
    name_problem,
    normalised_schedule,
    ocaml_int_of_string,
    schedule_health,
    shift_schedule,
    validate_assignment,
    validate_schedule,
)
from xsnap_gui.model.views import VMSS
from xsnap_gui.operations.schedules import (
    ASSIGN,
    CREATE,
    DESTROY,
    RUN_NOW,
    UNASSIGN,
    create_schedule,
    delete_schedules,
    property_calls,
    save_properties,
)
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.core import SimConfig
from xsnap_gui.simulator.faults import FailCall
from xsnap_gui.simulator.generate import (
    DEEP_CHAIN_VM_NAME,
    OVER_RETENTION_SCHEDULE_NAME,
)
from xsnap_gui.xapi.errors import XapiError

from .conftest import Feed

UTC = dt.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
LONDON = zoneinfo.ZoneInfo("Europe/London")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
KOLKATA = zoneinfo.ZoneInfo("Asia/Kolkata")


@pytest.fixture(scope="module")
def served() -> Iterator[RunningSimulator]:
    running = start_simulator(generate="hosts=2,vms=20,snapshots=2,schedules=3", seed=5,
                              tls=False, config=SimConfig(clock_speed=0))
    yield running
    running.stop()


@pytest.fixture
def sdk(served: RunningSimulator) -> Iterator[Any]:
    session = XenAPI.Session(served.url)
    session.xenapi.login_with_password("root", "xsnap", "2.21", "xsnap-tests")
    yield session.xenapi
    session.xenapi.session.logout()


def _cache_of(served: RunningSimulator) -> ObjectCache:
    cache = ObjectCache()
    cache.load(Feed(served.sim.db).full())
    return cache


def restrictions(served: RunningSimulator) -> dict[str, str]:
    return dict(served.sim.db.get("pool", served.sim.pool, "restrictions"))


def server_answer(xapi: Any, record: dict[str, Any]) -> ServerError | dict[str, str]:
    """The server's error, or the stored schedule (and the schedule is destroyed again)."""
    try:
        ref = xapi.VMSS.create(record)
    except XenAPI.Failure as e:
        code, *params = e.details
        return ServerError(code, tuple(str(p) for p in params))
    stored = dict(xapi.VMSS.get_schedule(ref))
    xapi.VMSS.destroy(ref)
    return stored


def rec(frequency: str = "daily", schedule: dict[str, str] | None = None,
        **extra: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"name_label": "rule-check", "type": "snapshot",
                            "frequency": frequency, "schedule": schedule or {},
                            "retained_snapshots": 7}
    base.update(extra)
    return base


ACCEPTED = [
    rec("hourly", {"min": "45"}, retained_snapshots=10),  # the wizard's edge values
    rec("daily", {"hour": "23", "min": "0"}),
    rec("weekly", {"days": "Sunday", "hour": "0", "min": "15"}, retained_snapshots=1),
    rec("weekly", {"days": "monday,FRIDAY", "hour": "7", "min": "30"}),
    rec("daily", {"hour": "07", "min": "45"}),  # stored as given
    rec("daily", {"hour": "0x17"}),  # OCaml reads hex: 23
    rec("daily", {"hour": "+5", "min": "15"}),
    rec("weekly", {}),  # every key defaulted
    rec("hourly", {}, retained_snapshots="3"),  # ints may come as strings
    rec("daily", {"hour": "1_0"}),
]
REFUSED = [
    rec(retained_snapshots=0),
    rec(retained_snapshots=11),
    rec(retained_snapshots=-1),
    rec("hourly", {"min": "7"}),
    rec("hourly", {"min": "60"}),
    rec("hourly", {"min": " 15"}),
    rec("daily", {"hour": "24"}),
    rec("daily", {"hour": "-1"}),
    rec("daily", {"hour": "noon"}),
    rec("daily", {"hour": ""}),
    rec("weekly", {"days": "Someday"}),
    rec("weekly", {"days": "Monday,monday"}),
    rec("weekly", {"days": ""}),  # a weekly schedule with no day
    rec("weekly", {"days": "Monday,,Tuesday"}),
    rec("weekly", {"days": "Tuesday,Monday,Tuesday", "hour": "99"}),
    rec("hourly", {"min": "15", "hour": "3"}),  # keys depend on the frequency
    rec("daily", {"hour": "3", "days": "Monday"}),
    rec("daily", {"colour": "blue"}),
    rec("daily", {"hour": "25", "min": "7"}),  # the first bad key in map order wins
    rec(type="bogus"),
    rec(frequency="monthly"),
    rec(retained_snapshots="many"),
    rec(enabled="perhaps"),
    rec(type="snapshot_with_quiesce"),  # needs the VSS licence, which pools lack
    {"name_label": "no type", "frequency": "daily"},
    {"name_label": "no frequency", "type": "snapshot"},
]


@pytest.mark.parametrize("record", ACCEPTED + REFUSED)
def test_validation_answers_what_the_server_answers(served: RunningSimulator, sdk: Any,
                                                    record: dict[str, Any]) -> None:
    answer = server_answer(sdk, record)
    mine = validate_schedule(record, restrictions(served))
    if isinstance(answer, ServerError):
        assert mine == answer
        assert record in REFUSED
    else:
        assert mine is None
        assert normalised_schedule(record["frequency"], record["schedule"]) == answer
        assert record in ACCEPTED


def test_validation_knows_the_licence(served: RunningSimulator, sdk: Any) -> None:
    db, pool = served.sim.db, served.sim.pool
    before = db.get("pool", pool, "restrictions")
    db.set("pool", pool, "restrictions", {**before, "restrict_vmss": "true"})
    try:
        record = rec()
        answer = server_answer(sdk, record)
        assert answer == ServerError("LICENCE_RESTRICTION", ("VMSS",))
        assert validate_schedule(record, restrictions(served)) == answer
        # Unknown restrictions skip the licence checks; the rest still apply.
        assert validate_schedule(record, None) is None
    finally:
        db.set("pool", pool, "restrictions", before)


def test_value_checks_and_ocaml_ints() -> None:
    assert [ocaml_int_of_string(t) for t in ("23", "0x17", "0o27", "0b10111", "-0", "1_0")] \
        == [23, 23, 23, 23, 0, 10]
    assert ocaml_int_of_string("") is None and ocaml_int_of_string("_1") is None
    assert check_schedule_value("days", "sunday,MONDAY") == "Sunday,Monday"
    assert check_schedule_value("days", "Monday,Funday") == ServerError(
        "INVALID_VALUE", ("schedule:days", "Funday"))


def test_assignment_rules_match_the_server(served: RunningSimulator, sdk: Any) -> None:
    cache = _cache_of(served)
    vmss = next(iter(cache.records("VMSS")))
    vms = cache.records("VM")
    snapshot = next(r for r, v in vms.items() if v.get("is_a_snapshot"))  # a template too
    dom0 = next(r for r, v in vms.items() if v.get("is_control_domain"))
    real = next(r for r, v in vms.items() if not v.get("is_a_template")
                and not v.get("is_control_domain") and v.get("snapshot_schedule") is None)
    for vm in (snapshot, dom0, real):
        try:
            sdk.VM.set_snapshot_schedule(vm, vmss)
        except XenAPI.Failure as e:
            answer: ServerError | None = ServerError(e.details[0], tuple(e.details[1:]))
        else:
            answer = None
            sdk.VM.set_snapshot_schedule(vm, "OpaqueRef:NULL")
        assert validate_assignment(cache, vm, vmss, restrictions(served)) == answer
    assert validate_assignment(cache, snapshot, vmss) == ServerError("VM_IS_TEMPLATE",
                                                                     (snapshot,))
    assert validate_assignment(cache, real, None) is None


def test_drafts_name_rules_and_weekly_without_days() -> None:
    feed = Feed()
    feed.db.create("VMSS", {"name_label": "Nightly", "type": "snapshot",
                            "frequency": "daily", "schedule": {"hour": "2", "min": "0"}})
    cache = ObjectCache()
    cache.load(feed.full())
    assert name_problem(cache, "  ") == "empty"
    assert name_problem(cache, "nightly ") == "taken"
    own = next(iter(cache.records("VMSS")))
    assert name_problem(cache, "Nightly", own) is None
    draft = ScheduleDraft("Weekly", frequency="weekly", days=frozenset(), retained_snapshots=4)
    assert draft_problem(cache, draft) == ServerError("INVALID_VALUE", ("schedule:days", ""))
    assert draft.schedule == {"hour": "0", "min": "0", "days": ""}
    assert ScheduleDraft("h", frequency="hourly", minute=45).schedule == {"min": "45"}
    assert DEFAULT_RETENTION == {"hourly": 10, "daily": 7, "weekly": 4}


# --- editing: the calls Properties makes --------------------------------------------------

TRANSITIONS = [
    (ScheduleDraft("p", frequency="daily", hour=2, minute=15),
     ScheduleDraft("p", frequency="weekly", hour=2, minute=15, days=frozenset({6}))),
    (ScheduleDraft("p", frequency="weekly", hour=5, days=frozenset({0, 4})),
     ScheduleDraft("p", frequency="daily", hour=5)),
    (ScheduleDraft("p", frequency="daily", hour=23, minute=45),
     ScheduleDraft("p", frequency="hourly", minute=45, retained_snapshots=10)),
    (ScheduleDraft("p", frequency="hourly", minute=30),
     ScheduleDraft("p", frequency="daily", hour=0, minute=30)),
    (ScheduleDraft("p", frequency="hourly", minute=30),
     ScheduleDraft("q", "renamed", type="checkpoint", frequency="weekly", hour=9,
                   days=frozenset({1, 3}), enabled=False)),
]


@pytest.mark.parametrize(("before", "after"), TRANSITIONS)
def test_property_calls_reach_the_wanted_schedule_and_nothing_more(
        sdk: Any, before: ScheduleDraft, after: ScheduleDraft) -> None:
    ref = sdk.VMSS.create(before.record())
    try:
        stored = sdk.VMSS.get_record(ref)
        stored["retained_snapshots"] = int(stored["retained_snapshots"])
        calls = property_calls(stored, after)
        for method, value in calls:
            getattr(sdk.VMSS, method.removeprefix("VMSS."))(ref, value)
        record = sdk.VMSS.get_record(ref)
        assert dict(record["schedule"]) == normalised_schedule(after.frequency, after.schedule)
        assert (record["name_label"], record["name_description"], record["type"],
                record["frequency"], int(record["retained_snapshots"]), record["enabled"]) \
            == (after.name_label, after.name_description, after.type, after.frequency,
                after.retained_snapshots, after.enabled)
        record["retained_snapshots"] = int(record["retained_snapshots"])
        assert property_calls(record, after) == []  # nothing left to change
    finally:
        sdk.VMSS.destroy(ref)


def test_drafts_of_stored_schedules_change_nothing(served: RunningSimulator, sdk: Any) -> None:
    made = [sdk.VMSS.create(rec("daily", {"hour": "0x17", "min": "45"})),
            sdk.VMSS.create(rec("weekly", {"hour": "07", "days": "friday,MONDAY"})),
            sdk.VMSS.create(rec("hourly", {"min": "30"}, type="checkpoint"))]
    try:
        cache = _cache_of(served)
        for ref in made:
            vmss = VMSS.get(cache, ref)
            assert vmss is not None
            draft = ScheduleDraft.of(vmss)
            assert property_calls(vmss.rec, draft) == []
        weekly = ScheduleDraft.of(VMSS.get(cache, made[1]))  # type: ignore[arg-type]
        assert (weekly.hour, weekly.minute, weekly.days) == (7, 0, frozenset({0, 4}))
        assert ScheduleDraft.of(VMSS.get(cache, made[0])).hour == 23  # type: ignore[arg-type]
    finally:
        for ref in made:
            sdk.VMSS.destroy(ref)


def test_property_calls_leave_unchanged_fields_alone() -> None:
    before = ScheduleDraft("n", "d", frequency="daily", hour=7, minute=15).record()
    assert property_calls(before, ScheduleDraft("n", "d", frequency="daily", hour=7,
                                                minute=15)) == []
    # "07" is stored as given but is the same hour.
    assert property_calls({**before, "schedule": {"hour": "07", "min": "15"}},
                          ScheduleDraft("n", "d", frequency="daily", hour=7, minute=15)) == []
    assert property_calls(before, ScheduleDraft("n", "d", frequency="daily", hour=8,
                                                minute=15)) == [("VMSS.set_schedule",
                                                                 {"hour": "8"})]


# --- time zones --------------------------------------------------------------------------


def test_shift_between_local_and_pool_time() -> None:
    now = dt.datetime(2025, 6, 2, 12, tzinfo=UTC)  # a Monday
    # 09:00 Tokyo on Monday is 20:00 on Sunday in New York (EDT).
    assert shift_schedule("weekly", 9, 0, frozenset({0, 2}), TOKYO, NEW_YORK, now) == (
        20, 0, frozenset({6, 1}))
    assert shift_schedule("weekly", 20, 0, frozenset({6, 1}), NEW_YORK, TOKYO, now) == (
        9, 0, frozenset({0, 2}))
    # Half-hour zones move the minute of hourly schedules.
    assert shift_schedule("hourly", 0, 15, frozenset(), KOLKATA, UTC, now)[1] == 45
    # In winter New York is an hour further from Tokyo.
    winter = dt.datetime(2025, 1, 6, 12, tzinfo=UTC)
    assert shift_schedule("daily", 9, 0, frozenset(), TOKYO, NEW_YORK, winter)[:2] == (19, 0)


def test_dst_effects_are_found_ahead_for_daily_not_hourly() -> None:
    now = dt.datetime(2025, 1, 10, tzinfo=UTC)
    effects = dst_effects("daily", {"hour": "2", "min": "30"}, now, NEW_YORK, TOKYO)
    assert [(r.wall, r.dst) for r in effects] == [(dt.datetime(2025, 3, 9, 2, 30), "skipped")]
    doubled = dst_effects("daily", {"hour": "1", "min": "15"}, now, NEW_YORK)
    assert [(r.wall, r.dst) for r in doubled] == [(dt.datetime(2025, 11, 2, 1, 15), "doubled")]
    assert dst_effects("hourly", {"min": "30"}, now, NEW_YORK) == []
    assert dst_effects("daily", {"hour": "4", "min": "0"}, now, NEW_YORK) == []


# --- health ------------------------------------------------------------------------------


def test_health_of_a_generated_pool(served: RunningSimulator) -> None:
    cache = _cache_of(served)
    by_name = {v.name_label: v for v in VMSS.all(cache)}
    over = by_name[OVER_RETENTION_SCHEDULE_NAME]
    now = served.sim.now()
    health = schedule_health(cache, over.ref, now, UTC)
    assert health is not None
    kinds = {f.kind for f in health.flags}
    assert {FLAG_FAILED, FLAG_OVER_RETENTION} <= kinds
    failed = health.flag(FLAG_FAILED)
    assert failed is not None and failed.failures and failed.failures[0].code == "SR_FULL"
    empty = [v for v in VMSS.all(cache) if v.enabled and not v.vm_refs]
    assert empty and FLAG_NO_VMS in {f.kind for f in schedule_health(
        cache, empty[0].ref, now, UTC).flags}  # type: ignore[union-attr]


def test_health_overdue_and_chain(served: RunningSimulator, sdk: Any) -> None:
    now = served.sim.now()
    deep_vm = sdk.VM.get_by_name_label(DEEP_CHAIN_VM_NAME)[0]
    old = sdk.VM.get_snapshot_schedule(deep_vm)
    ref = sdk.VMSS.create(rec("hourly", {"min": "0"}, name_label="health-check"))
    try:
        sdk.VM.set_snapshot_schedule(deep_vm, ref)
        cache = _cache_of(served)
        # Never ran, and nobody knows since when it should have: not overdue. ``later``
        # is 40 minutes past an hour, so its due run is past the 30-minute grace.
        later = (now + dt.timedelta(hours=3)).replace(minute=40, second=0)
        health = schedule_health(cache, ref, later, UTC)
        assert health is not None and health.flag(FLAG_OVERDUE) is None
        chain = health.flag(FLAG_CHAIN)
        assert chain is not None and chain.vms[0].vm_name == DEEP_CHAIN_VM_NAME
        # Watched since now: runs due since then and not run are overdue.
        health = schedule_health(cache, ref, later, UTC, known_since=now)
        overdue = health.flag(FLAG_OVERDUE) if health else None
        assert overdue is not None and overdue.when is not None and overdue.when <= later
        # A run after the due time clears it.
        served.sim.db.set("VMSS", ref, "last_run_time", later - dt.timedelta(minutes=5))
        cache = _cache_of(served)
        health = schedule_health(cache, ref, later, UTC, known_since=now)
        assert health is not None and health.flag(FLAG_OVERDUE) is None
    finally:
        sdk.VM.set_snapshot_schedule(deep_vm, old)
        sdk.VMSS.destroy(ref)


# --- operations against the served pool ----------------------------------------------


class SdkCaller:
    """The operations' Caller over the SDK (blocking calls on a thread)."""

    def __init__(self, xapi: Any) -> None:
        self.xapi = xapi
        self.labels: list[str] = []

    def _method(self, name: str) -> Any:
        target = self.xapi
        for part in name.split("."):
            target = getattr(target, part)
        return target

    async def call(self, method: str, *args: Any) -> Any:
        try:
            return await asyncio.to_thread(self._method(method), *args)
        except XenAPI.Failure as e:
            raise XapiError(e.details[0], e.details[1:]) from None

    async def run_task(self, method: str, *args: Any, progress: Any = None,
                       applies_to: str | None = None, label: str | None = None) -> Any:
        self.labels.append(label or "")
        return await self.call(method, *args)


def test_create_reports_a_partial_failure_and_delete_cleans_up(
        served: RunningSimulator, sdk: Any) -> None:
    records = sdk.VM.get_all_records()
    vms = sorted((r, v["name_label"]) for r, v in records.items()
                 if not v["is_a_template"] and not v["is_control_domain"])[:3]
    template = next(r for r, v in records.items() if v["is_a_snapshot"])
    caller = SdkCaller(sdk)
    draft = ScheduleDraft("ops-check", frequency="daily", hour=3)
    fault = served.sim.faults.add(FailCall("VM.snapshot", "SR_FULL", ("10", "20"), count=1))
    try:
        report = asyncio.run(create_schedule(caller, draft, [*vms, (template, "tpl")],
                                             run_after=True))
    finally:
        served.sim.faults.clear()
    assert fault is not None and report.vmss is not None
    assert report.targets(CREATE) == [report.vmss]
    assert report.targets(ASSIGN) == [r for r, _ in vms]
    assert [s.error.code for s in report.failed if s.error] == ["VM_IS_TEMPLATE"]
    assert report.targets(RUN_NOW) == [report.vmss]
    assert [f.code for f in report.run_failures] == ["SR_FULL"]
    assert not report.ok and len(caller.labels) == 1 + 4 + 1
    assert sorted(sdk.VMSS.get_VMs(report.vmss)) == sorted(r for r, _ in vms)

    members = {report.vmss: vms}
    gone = asyncio.run(delete_schedules(caller, [(report.vmss, "ops-check")], members))
    assert gone.ok and gone.targets(DESTROY) == [report.vmss]
    assert sorted(gone.targets(UNASSIGN)) == sorted(r for r, _ in vms)
    assert report.vmss not in sdk.VMSS.get_all()
    assert all(sdk.VM.get_snapshot_schedule(r) == "OpaqueRef:NULL" for r, _ in vms)


def test_save_properties_moves_vms_then_sets_changed_fields(sdk: Any) -> None:
    vms = sorted(r for r, v in sdk.VM.get_all_records().items()
                 if not v["is_a_template"] and not v["is_control_domain"])[:2]
    before = ScheduleDraft("props-check", frequency="daily", hour=1)
    ref = sdk.VMSS.create(before.record())
    old = {vm: sdk.VM.get_snapshot_schedule(vm) for vm in vms}
    try:
        sdk.VM.set_snapshot_schedule(vms[0], ref)
        after = ScheduleDraft("props-check", frequency="daily", hour=1,
                              retained_snapshots=3)
        record = sdk.VMSS.get_record(ref)
        record["retained_snapshots"] = int(record["retained_snapshots"])
        report = asyncio.run(save_properties(SdkCaller(sdk), ref, record, after,
                                             add=[(vms[1], "b")], remove=[(vms[0], "a")]))
        assert report.ok
        assert [(s.kind, s.detail) for s in report.done] == [
            (UNASSIGN, ""), (ASSIGN, ""), ("set", "retained_snapshots")]
        assert sdk.VMSS.get_VMs(ref) == [vms[1]]
        # A failing setter is reported; the others still run.
        bad = ScheduleDraft("props-renamed", frequency="daily", hour=1, retained_snapshots=11)
        record = sdk.VMSS.get_record(ref)
        record["retained_snapshots"] = int(record["retained_snapshots"])
        report = asyncio.run(save_properties(SdkCaller(sdk), ref, record, bad))
        assert [s.detail for s in report.failed] == ["retained_snapshots"]
        assert [s.detail for s in report.done] == ["name_label"]
        assert sdk.VMSS.get_name_label(ref) == "props-renamed"
    finally:
        for vm, was in old.items():
            sdk.VM.set_snapshot_schedule(vm, was)
        sdk.VMSS.destroy(ref)

