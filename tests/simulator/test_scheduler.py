"""The VMSS scheduler on the simulated clock, seen through the XenAPI SDK."""

from __future__ import annotations

import datetime as dt
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import XenAPI

from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.cli import build_parser
from xsnap_gui.simulator.core import SimConfig
from xsnap_gui.simulator.errors import XapiError
from xsnap_gui.simulator.faults import FailCall
from xsnap_gui.simulator.generate import NEARLY_FULL_SR_NAME
from xsnap_gui.simulator.scheduler import Scheduler, failure_line

from .conftest import sdk_login

# XenCenter's parser for VMSS_SNAPSHOT_FAILED body lines (PolicyAlert.cs).
XENCENTER_FAILURE_LINE = re.compile(r"^VM:(.*)UUID:(.*)Error:\[('.*',?)*\],?$")
TUESDAY_10 = dt.datetime(2025, 3, 18, 10, 0, tzinfo=dt.UTC)
NULL = "OpaqueRef:NULL"
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

Starter = Callable[..., RunningSimulator]


@pytest.fixture
def start() -> Iterator[Starter]:
    """Start a small pool on a frozen clock (only steps move it) in a given timezone."""
    started: list[RunningSimulator] = []

    def starter(clock_start: dt.datetime = TUESDAY_10, timezone: str = "UTC",
                clock_speed: float = 0) -> RunningSimulator:
        config = SimConfig(clock_start=clock_start, timezone=timezone, clock_speed=clock_speed)
        running = start_simulator(generate="hosts=1,vms=5,snapshots=0,schedules=0", seed=11,
                                  tls=False, config=config)
        started.append(running)
        return running

    yield starter
    for running in started:
        running.stop()


def scheduler_of(running: RunningSimulator) -> Scheduler:
    assert running.scheduler is not None
    return running.scheduler


def step(running: RunningSimulator, delta: dt.timedelta) -> None:
    running.sim.clock.step(delta)
    assert scheduler_of(running).wait_idle(30)


def step_to(running: RunningSimulator, when: dt.datetime, by: dt.timedelta = HOUR) -> None:
    """Walk the clock to ``when`` in steps of at most ``by``, letting each step settle."""
    while running.sim.now() < when:
        step(running, min(by, when - running.sim.now()))


class Pool:
    """The SDK session plus the lookups the tests share."""

    def __init__(self, running: RunningSimulator) -> None:
        self.running = running
        self.session = sdk_login(running)
        self.x = self.session.xenapi

    def vms_by_sr(self) -> tuple[list[str], list[str]]:
        """Ordinary VMs whose disks are all on healthy SRs, and those with a disk on the
        nearly full one."""
        x = self.x
        srs = {ref: r["name_label"] for ref, r in x.SR.get_all_records().items()}
        vdis = x.VDI.get_all_records()
        vbds = x.VBD.get_all_records()
        healthy, cramped = [], []
        for ref, vm in sorted(x.VM.get_all_records().items(), key=lambda i: i[1]["name_label"]):
            if vm["is_a_template"] or vm["is_control_domain"]:
                continue
            names = {srs[vdis[vbds[v]["VDI"]]["SR"]] for v in vm["VBDs"]
                     if vbds[v]["VDI"] in vdis}
            (cramped if NEARLY_FULL_SR_NAME in names else healthy).append(ref)
        return healthy, cramped

    def schedule(self, frequency: str, schedule: dict[str, str], vms: list[str],
                 **fields: Any) -> str:
        vmss: str = self.x.VMSS.create({"name_label": f"{frequency} schedule", "type": "snapshot",
                                        "frequency": frequency, "schedule": schedule, **fields})
        for vm in vms:
            self.x.VM.set_snapshot_schedule(vm, vmss)
        return vmss

    def scheduled_snapshots(self, vm: str) -> list[dict[str, Any]]:
        records = [self.x.VM.get_record(s) for s in self.x.VM.get_snapshots(vm)]
        return sorted((r for r in records if r["is_vmss_snapshot"]),
                      key=lambda r: r["snapshot_time"].value)

    def names(self, vm: str) -> list[str]:
        return [r["name_label"] for r in self.scheduled_snapshots(vm)]

    def messages(self, vmss: str) -> list[dict[str, Any]]:
        uuid = self.x.VMSS.get_uuid(vmss)
        found = [m for m in self.x.message.get_all_records().values()
                 if m["cls"] == "VMSS" and m["obj_uuid"] == uuid]
        return sorted(found, key=lambda m: m["timestamp"].value)

    def vm_name(self, vm: str) -> str:
        name: str = self.x.VM.get_name_label(vm)
        return name


def event_from(pool: Pool, token: str, timeout: float) -> dict[str, Any]:
    batch: dict[str, Any] = getattr(pool.x.event, "from")(["task"], token, float(timeout))
    return batch


def wait_until(predicate: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)


# --- when schedules run ------------------------------------------------------------------


def test_hourly_runs_at_its_minute_every_hour(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm_a, vm_b = pool.vms_by_sr()[0][:2]
    vmss = pool.schedule("hourly", {"min": "15"}, [vm_a, vm_b])
    token = event_from(pool, "", 0)["token"]
    step(running, dt.timedelta(minutes=14))
    assert pool.names(vm_a) == []
    step(running, dt.timedelta(minutes=1))
    assert pool.names(vm_a) == [f"{pool.vm_name(vm_a)}-20250318-1015"]
    assert pool.names(vm_b) == [f"{pool.vm_name(vm_b)}-20250318-1015"]
    assert pool.x.VMSS.get_last_run_time(vmss).value == "20250318T10:15:00Z"
    (message,) = pool.messages(vmss)
    assert (message["name"], message["priority"]) == ("VMSS_SNAPSHOT_SUCCEEDED", "5")
    # One task per VM, marked so every XenCenter shows it, and visible to event.from.
    events = event_from(pool, token, 0)["events"]
    added = [e["snapshot"] for e in events if e["operation"] == "add"]
    assert sorted(t["other_config"]["applies_to"] for t in added) == sorted([vm_a, vm_b])
    for task in added:
        assert task["other_config"]["ShowInXenCenter"] == ""
        assert task["name_label"] == "Async.VM.snapshot"
    for ref in pool.x.task.get_all():
        assert pool.x.task.get_status(ref) == "success"
    step(running, dt.timedelta(minutes=59))
    assert len(pool.names(vm_a)) == 1
    step(running, dt.timedelta(minutes=1))
    assert pool.names(vm_a)[-1] == f"{pool.vm_name(vm_a)}-20250318-1115"
    assert len(pool.messages(vmss)) == 2


def test_daily_runs_at_its_local_time(start: Starter) -> None:
    # Berlin is UTC+1 in March: 02:30 local is 01:30 UTC.
    running = start(timezone="Europe/Berlin")
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    vmss = pool.schedule("daily", {"hour": "2", "min": "30"}, [vm])
    step_to(running, dt.datetime(2025, 3, 19, 1, 29, tzinfo=dt.UTC))
    assert pool.names(vm) == []
    step(running, dt.timedelta(minutes=1))
    (snapshot,) = pool.scheduled_snapshots(vm)
    assert snapshot["name_label"] == f"{pool.vm_name(vm)}-20250319-0230"
    assert snapshot["snapshot_time"].value == "20250319T01:30:00Z"
    assert snapshot["is_a_snapshot"] and snapshot["snapshot_of"] == vm
    assert pool.x.VMSS.get_last_run_time(vmss).value == "20250319T01:30:00Z"
    step_to(running, dt.datetime(2025, 3, 20, 1, 29, tzinfo=dt.UTC))
    assert len(pool.names(vm)) == 1


def test_weekly_runs_on_its_days_only(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    vmss = pool.schedule("weekly", {"hour": "1", "min": "0", "days": "sunday,wednesday"}, [vm])
    assert pool.x.VMSS.get_schedule(vmss)["days"] == "Sunday,Wednesday"
    step_to(running, TUESDAY_10 + 14 * DAY, by=6 * HOUR)
    name = pool.vm_name(vm)
    assert pool.names(vm) == [f"{name}-{day}-0100" for day in
                              ("20250319", "20250323", "20250326", "20250330")]


def test_retention_uninstalls_the_oldest_with_its_disks(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    pool.schedule("daily", {"hour": "3", "min": "0"}, [vm], retained_snapshots=2)
    step_to(running, TUESDAY_10 + 2 * DAY, by=6 * HOUR)
    first, second = pool.scheduled_snapshots(vm)
    first_ref = pool.x.VM.get_by_uuid(first["uuid"])
    owned = [pool.x.VBD.get_VDI(v) for v in first["VBDs"]
             if "owner" in pool.x.VBD.get_other_config(v)]
    assert owned
    step_to(running, TUESDAY_10 + 3 * DAY, by=6 * HOUR)
    names = pool.names(vm)
    assert names == [second["name_label"], f"{pool.vm_name(vm)}-20250321-0300"]
    all_vdis = set(pool.x.VDI.get_all())
    assert not set(owned) & all_vdis
    assert first_ref not in pool.x.VM.get_all()
    for vbd in first["VBDs"]:
        assert vbd not in pool.x.VBD.get_all()
    # The snapshot tree stays whole: the survivor no longer points at the deleted one.
    for ref in pool.x.VM.get_snapshots(vm):
        assert pool.x.VM.get_parent(ref) != first_ref


def test_a_disabled_schedule_does_not_run_and_is_not_caught_up(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    vmss = pool.schedule("daily", {"hour": "12", "min": "0"}, [vm], enabled=False)
    step_to(running, TUESDAY_10 + 3 * HOUR)
    assert pool.names(vm) == []
    pool.x.VMSS.set_enabled(vmss, True)
    step(running, HOUR)
    assert pool.names(vm) == []
    step_to(running, TUESDAY_10 + DAY + 2 * HOUR)
    assert pool.names(vm) == [f"{pool.vm_name(vm)}-20250319-1200"]
    assert pool.x.VMSS.get_last_run_time(vmss).value == "20250319T12:00:00Z"


def test_a_jump_over_several_run_times_runs_once_for_the_latest(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    vmss = pool.schedule("daily", {"hour": "6", "min": "0"}, [vm])
    step(running, 7 * DAY)
    assert pool.names(vm) == [f"{pool.vm_name(vm)}-20250325-0600"]
    assert [m["name"] for m in pool.messages(vmss)] == ["VMSS_SNAPSHOT_SUCCEEDED"]
    # It ran when it looked, at the end of the jump.
    assert pool.x.VMSS.get_last_run_time(vmss).value == "20250325T10:00:00Z"


def test_a_schedule_without_vms_only_records_its_run(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vmss = pool.schedule("hourly", {"min": "30"}, [])
    step(running, HOUR / 2)
    assert pool.x.VMSS.get_last_run_time(vmss).value == "20250318T10:30:00Z"
    assert pool.messages(vmss) == []


# --- daylight saving time ----------------------------------------------------------------


def test_spring_forward_skips_a_wall_time_that_does_not_exist(start: Starter) -> None:
    # New York, 2025-03-09: 02:00 EST jumps to 03:00 EDT, so there is no 02:30 that day.
    running = start(clock_start=dt.datetime(2025, 3, 8, 17, 0, tzinfo=dt.UTC),
                    timezone="America/New_York")
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    pool.schedule("daily", {"hour": "2", "min": "30"}, [vm])
    step_to(running, dt.datetime(2025, 3, 10, 8, 0, tzinfo=dt.UTC), by=HOUR / 2)
    (snapshot,) = pool.scheduled_snapshots(vm)
    assert snapshot["name_label"] == f"{pool.vm_name(vm)}-20250310-0230"
    assert snapshot["snapshot_time"].value == "20250310T06:30:00Z"  # 02:30 EDT


def test_fall_back_runs_a_doubled_wall_time_twice(start: Starter) -> None:
    # New York, 2025-11-02: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice.
    running = start(clock_start=dt.datetime(2025, 11, 1, 16, 0, tzinfo=dt.UTC),
                    timezone="America/New_York")
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    vmss = pool.schedule("daily", {"hour": "1", "min": "30"}, [vm])
    step_to(running, dt.datetime(2025, 11, 2, 8, 0, tzinfo=dt.UTC), by=HOUR / 2)
    runs = pool.scheduled_snapshots(vm)
    assert [r["name_label"] for r in runs] == [f"{pool.vm_name(vm)}-20251102-0130"] * 2
    assert [r["snapshot_time"].value for r in runs] == ["20251102T05:30:00Z",
                                                         "20251102T06:30:00Z"]
    assert len(pool.messages(vmss)) == 2
    assert scheduler_of(running).next_run_time(vmss) == dt.datetime(2025, 11, 3, 6, 30,
                                                                     tzinfo=dt.UTC)


def test_hourly_runs_once_per_real_hour_across_both_changes(start: Starter) -> None:
    running = start(clock_start=dt.datetime(2025, 3, 30, 0, 0, tzinfo=dt.UTC),
                    timezone="Europe/London")
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    pool.schedule("hourly", {"min": "45"}, [vm], retained_snapshots=10)
    step_to(running, dt.datetime(2025, 3, 30, 4, 0, tzinfo=dt.UTC), by=dt.timedelta(minutes=15))
    name = pool.vm_name(vm)
    # 00:45 GMT, then the clocks go forward at 01:00 GMT: 02:45, 03:45, 04:45 BST.
    assert pool.names(vm) == [f"{name}-20250330-{t}" for t in ("0045", "0245", "0345", "0445")]


# --- failures and overlaps ---------------------------------------------------------------


def test_a_failing_vm_gives_a_failed_message_xencenter_can_parse(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    healthy, cramped = pool.vms_by_sr()
    if not cramped:
        # Put one VM's disks on the nearly full SR, where thick snapshots cannot fit.
        victim = healthy.pop()
        full = pool.x.SR.get_by_name_label(NEARLY_FULL_SR_NAME)[0]
        for vbd in pool.x.VM.get_VBDs(victim):
            vdi = pool.x.VBD.get_VDI(vbd)
            if vdi != NULL:
                running.sim.db.set("VDI", vdi, "SR", full)
        cramped = [victim]
    victim, ok = cramped[0], healthy[0]
    vmss = pool.schedule("hourly", {"min": "0"}, [victim, ok])
    step(running, HOUR)
    assert len(pool.names(ok)) == 1
    assert pool.names(victim) == []
    (message,) = pool.messages(vmss)
    assert (message["name"], message["priority"]) == ("VMSS_SNAPSHOT_FAILED", "3")
    (line,) = message["body"].splitlines()
    match = XENCENTER_FAILURE_LINE.match(line)
    assert match is not None
    assert match.group(1) == pool.vm_name(victim)
    assert match.group(2) == pool.x.VM.get_uuid(victim)
    assert line.split("Error:")[1].startswith("['SR_FULL', '")
    failed = [t for t in pool.x.task.get_all_records().values()
              if t["other_config"].get("applies_to") == victim]
    assert [t["status"] for t in failed] == ["failure"]
    assert failed[0]["error_info"][0] == "SR_FULL"


def test_checkpoints_fail_for_halted_vms(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    healthy = pool.vms_by_sr()[0]
    states = {vm: pool.x.VM.get_power_state(vm) for vm in healthy}
    halted = next(vm for vm, s in states.items() if s == "Halted")
    live = next(vm for vm, s in states.items() if s == "Running")
    vmss = pool.x.VMSS.create({"name_label": "mem", "type": "checkpoint", "frequency": "hourly",
                               "schedule": {"min": "0"}})
    for vm in (halted, live):
        pool.x.VM.set_snapshot_schedule(vm, vmss)
    step(running, HOUR)
    (checkpoint,) = pool.scheduled_snapshots(live)
    assert checkpoint["power_state"] == "Suspended"
    assert [t["name_label"] for t in pool.x.task.get_all_records().values()
            if t["other_config"].get("applies_to") == live] == ["Async.VM.checkpoint"]
    (message,) = pool.messages(vmss)
    assert message["name"] == "VMSS_SNAPSHOT_FAILED"
    assert "Error:['VM_BAD_POWER_STATE', '" in message["body"]
    assert pool.x.VM.get_uuid(halted) in message["body"]


def test_injected_faults_reach_scheduled_snapshots(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm_a, vm_b = pool.vms_by_sr()[0][:2]
    vmss = pool.schedule("hourly", {"min": "0"}, [vm_a, vm_b])
    running.sim.faults.add(FailCall("VM.snapshot", "SR_BACKEND_FAILURE_44", ("", "no space", ""),
                                    count=1))
    step(running, HOUR)
    (message,) = pool.messages(vmss)
    expected = failure_line(pool.vm_name(vm_a), pool.x.VM.get_uuid(vm_a),
                            ["SR_BACKEND_FAILURE_44", "", "no space", ""])
    assert message["body"] == expected
    assert XENCENTER_FAILURE_LINE.match(expected)
    assert len(pool.names(vm_b)) == 1


def test_a_run_due_while_the_last_is_going_is_a_missed_event(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    vmss = pool.schedule("hourly", {"min": "0"}, [vm])
    entered, release = threading.Event(), threading.Event()

    def hold_the_first_snapshot(method: str, params: list[Any]) -> None:
        if method == "VM.snapshot" and not entered.is_set():
            entered.set()
            release.wait(30)

    running.sim.before_call.append(hold_the_first_snapshot)
    running.sim.clock.step(HOUR)
    assert entered.wait(30)
    running.sim.clock.step(HOUR)
    wait_until(lambda: any(m["name"] == "VMSS_SNAPSHOT_MISSED_EVENT"
                           for m in pool.messages(vmss)))
    release.set()
    assert scheduler_of(running).wait_idle(30)
    names = [m["name"] for m in pool.messages(vmss)]
    assert sorted(names) == ["VMSS_SNAPSHOT_MISSED_EVENT", "VMSS_SNAPSHOT_SUCCEEDED"]
    missed = next(m for m in pool.messages(vmss) if m["name"] == "VMSS_SNAPSHOT_MISSED_EVENT")
    assert missed["priority"] == "3"
    assert pool.names(vm) == [f"{pool.vm_name(vm)}-20250318-1100"]


def test_failure_line_matches_xencenters_pattern() -> None:
    for error in (["SR_FULL", "42949672960", "1973420032"], ["VM_BAD_POWER_STATE"], []):
        line = failure_line("web-01", "8c1e", error)
        match = XENCENTER_FAILURE_LINE.match(line)
        assert match is not None and match.groups()[:2] == ("web-01", "8c1e")


# --- snapshot_now, run_due and the clock speed -------------------------------------------


def test_snapshot_now_runs_at_once_and_reports(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    vmss = pool.schedule("daily", {"hour": "23", "min": "45"}, [vm], enabled=False)
    summary = pool.x.VMSS.snapshot_now(vmss)
    assert summary == "The snapshot schedule 'daily schedule' took snapshots of 1 VMs."
    assert pool.names(vm) == [f"{pool.vm_name(vm)}-20250318-1000"]
    assert pool.x.VMSS.get_last_run_time(vmss).value == "20250318T10:00:00Z"
    assert [m["body"] for m in pool.messages(vmss)] == [summary]
    task = pool.x.Async.VMSS.snapshot_now(vmss)
    wait_until(lambda: pool.x.task.get_status(task) != "pending")
    assert pool.x.task.get_result(task) == f"<value>{summary}</value>"
    assert len(pool.names(vm)) == 2


def test_run_due_drives_the_scheduler_synchronously(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    scheduler = scheduler_of(running)
    scheduler.stop()
    assert not scheduler.running
    vm = pool.vms_by_sr()[0][0]
    vmss = pool.schedule("hourly", {"min": "30"}, [vm])
    assert scheduler.run_due() == []
    running.sim.clock.step(HOUR)
    (outcome,) = scheduler.run_due()
    assert outcome.vmss == vmss
    assert outcome.run_time == dt.datetime(2025, 3, 18, 10, 30, tzinfo=dt.UTC)
    assert list(outcome.snapshots) == [vm] and outcome.failures == {}
    assert outcome.message == "VMSS_SNAPSHOT_SUCCEEDED"
    assert scheduler.run_due() == []
    assert pool.names(vm) == [f"{pool.vm_name(vm)}-20250318-1030"]


def test_stopping_the_simulator_stops_the_scheduler(start: Starter) -> None:
    running = start()
    scheduler = scheduler_of(running)
    assert scheduler.running
    running.stop()
    assert not scheduler.running


def test_a_fast_clock_runs_schedules_in_real_seconds(start: Starter) -> None:
    # At 3600 simulated seconds per real second an hourly schedule fires every second.
    running = start(clock_start=dt.datetime(2025, 3, 18, 10, 14, tzinfo=dt.UTC),
                    clock_speed=3600)
    pool = Pool(running)
    vm = pool.vms_by_sr()[0][0]
    pool.schedule("hourly", {"min": "15"}, [vm], retained_snapshots=10)
    wait_until(lambda: len(pool.names(vm)) >= 2)
    for name in pool.names(vm):
        assert re.fullmatch(rf"{re.escape(pool.vm_name(vm))}-202503\d\d-\d\d15", name)


def test_hooks_that_raise_fail_the_vm_not_the_run(start: Starter) -> None:
    running = start()
    pool = Pool(running)
    vm_a, vm_b = pool.vms_by_sr()[0][:2]
    vmss = pool.schedule("hourly", {"min": "0"}, [vm_a, vm_b])

    def refuse_b(method: str, params: list[Any]) -> None:
        if method == "VM.snapshot" and params[1] == vm_b:
            raise XapiError("OPERATION_BLOCKED", vm_b, "maintenance")

    running.sim.before_call.append(refuse_b)
    step(running, HOUR)
    assert len(pool.names(vm_a)) == 1 and pool.names(vm_b) == []
    (message,) = pool.messages(vmss)
    assert message["body"].endswith("Error:['OPERATION_BLOCKED', '" + vm_b + "', 'maintenance']")


# --- xsnap-sim ---------------------------------------------------------------------------


def test_xsnap_sim_rejects_an_unknown_timezone() -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--timezone", "Mars/Olympus_Mons"])
    assert build_parser().parse_args(["--timezone", "Asia/Kolkata"]).timezone == "Asia/Kolkata"


def test_xsnap_sim_runs_schedules_on_its_fast_clock_in_its_timezone() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "xsnap_gui.simulator.cli", "--port", "0", "--plain-http",
         "--no-members", "--generate", "hosts=1,vms=3,snapshots=0,schedules=0",
         "--timezone", "Asia/Kolkata", "--clock-speed", "3600"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("listening on "), line
        session = XenAPI.Session(line.split()[-1])
        session.xenapi.login_with_password("root", "xsnap")
        x = session.xenapi
        host = x.host.get_all()[0]
        utc = dt.datetime.strptime(x.host.get_servertime(host).value, "%Y%m%dT%H:%M:%SZ")
        local = dt.datetime.strptime(x.host.get_server_localtime(host).value, "%Y%m%dT%H:%M:%S")
        # Kolkata is UTC+05:30 all year; the clock moves between the two calls, so round.
        offset = round((local - utc).total_seconds() / 1800) * 1800
        assert offset == 5.5 * 3600
        vms = [ref for ref, r in x.VM.get_all_records().items()
               if not r["is_a_template"] and not r["is_control_domain"]]
        vmss = x.VMSS.create({"name_label": "fast", "type": "snapshot", "frequency": "hourly",
                              "schedule": {"min": "0"}})
        for vm in vms:
            x.VM.set_snapshot_schedule(vm, vmss)

        def scheduled() -> list[str]:
            return [s for vm in vms for s in x.VM.get_snapshots(vm)
                    if x.VM.get_is_vmss_snapshot(s)]

        wait_until(lambda: bool(scheduled()), timeout=60)
        snapshot = scheduled()[0]
        # Named after the local run time: on the hour in Kolkata is half past in UTC.
        assert x.VM.get_name_label(snapshot).endswith("00")
        assert x.VM.get_snapshot_time(snapshot).value[12:14] == "30"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
