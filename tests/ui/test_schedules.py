"""Scheduled snapshots in the real main window against a served pool with a stepped clock.

The pool runs on New York time and the user's clock is Tokyo's, so every time shown
has to be converted, and DST in March moves one but not the other. The clock only
moves when a test steps it; the simulator's scheduler then runs what became due.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import zoneinfo
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import XenAPI
from PySide6.QtCore import Qt, QTime
from PySide6.QtGui import QAction
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from tests.ui.livepool import PASSWORD, USER, LoopDriver, run, until
from tests.ui.qtloop import qasync_loop
from xsnap_gui.model.schedules import SCHEDULE_KEYS, validate_schedule
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.core import SimConfig
from xsnap_gui.simulator.faults import FailCall
from xsnap_gui.ui.main_window import MainWindow
from xsnap_gui.ui.pool_session import PoolSession, ServerSpec
from xsnap_gui.ui.schedules import ScheduleUi, install, schedule_ui
from xsnap_gui.ui.schedules.common import ScheduleClock, time_text
from xsnap_gui.ui.schedules.dialog import COLUMNS, SchedulesDialog
from xsnap_gui.ui.schedules.pages import REF_ROLE
from xsnap_gui.ui.schedules.wizard import NewScheduleWizard

SHOTS = Path("/tmp/xsnap-shots")
UTC = dt.UTC
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# Wednesday 5 March 2025, 12:00 in New York (EST) and 02:00 on Thursday in Tokyo; New
# York's clocks go forward on Sunday 9 March at 02:00, Tokyo's never do.
START = dt.datetime(2025, 3, 5, 17, 0, tzinfo=UTC)
SPEC = "hosts=2,vms=10,snapshots=1,schedules=2"
NULL = "OpaqueRef:NULL"


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sched_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    with qasync_loop(qapp) as loop:
        yield loop


class Env(LoopDriver):
    """The window on a served pool, its schedule UI, and the SDK on the side."""

    settle_seconds = 0.15

    def __init__(self, loop: asyncio.AbstractEventLoop, running: RunningSimulator,
                 window: MainWindow, session: PoolSession, ui: ScheduleUi) -> None:
        super().__init__(loop)
        self.running = running
        self.window = window
        self.session = session
        self.ui = ui
        sdk = XenAPI.Session(running.url)
        sdk.xenapi.login_with_password(USER, PASSWORD, "2.21", "xsnap-tests")
        self.sdk_session = sdk
        self.xapi: Any = sdk.xenapi

    def vm(self, name: str) -> str:
        return str(self.xapi.VM.get_by_name_label(name)[0])

    def real_vms(self) -> dict[str, dict[str, Any]]:
        return {r: v for r, v in self.xapi.VM.get_all_records().items()
                if not v["is_a_template"] and not v["is_control_domain"]}

    def free_vms(self, count: int) -> list[str]:
        """VMs in no schedule, by name."""
        free = sorted((v["name_label"], r) for r, v in self.real_vms().items()
                      if v["snapshot_schedule"] == NULL)
        assert len(free) >= count
        return [r for _, r in free[:count]]

    def wait_jobs(self) -> None:
        self.wait(lambda: self.ui.jobs.idle)
        self.settle()

    def step(self, delta: dt.timedelta) -> None:
        """Move the pool's clock on and let the scheduler finish what became due."""
        self.running.sim.clock.step(delta)
        assert self.running.scheduler is not None
        assert self.running.scheduler.wait_idle(30)

    def sync(self) -> None:
        """Wait until the cache has every change the server made so far."""
        marker = self.xapi.VM.get_all()[0]
        stamp = f"sync-{dt.datetime.now().timestamp()}"
        self.xapi.VM.add_to_other_config(marker, "xsnap-test-sync", stamp)
        self.wait(lambda: (self.session.cache.get("VM", marker) or {}).get(
            "other_config", {}).get("xsnap-test-sync") == stamp)
        self.xapi.VM.remove_from_other_config(marker, "xsnap-test-sync")

    def dialog(self, select: str | None = None) -> SchedulesDialog:
        dialog = self.ui.open_schedules(self.session, select)
        assert dialog is not None
        self.settle()
        return dialog


def _make_env(loop: asyncio.AbstractEventLoop, qtbot: QtBot, *,
              restrictions: dict[str, str] | None = None) -> Iterator[Env]:
    running = start_simulator(generate=SPEC, seed=11, tls=False, config=SimConfig(
        clock_speed=0, clock_start=START, timezone="America/New_York"))
    db, pool = running.sim.db, running.sim.pool
    # A named zone lets the client foresee DST (xapi itself has no field for it).
    db.set("pool", pool, "other_config",
           {**db.get("pool", pool, "other_config"), "timezone": "America/New_York"})
    if restrictions:
        db.set("pool", pool, "restrictions", {**db.get("pool", pool, "restrictions"),
                                              **restrictions})
    window = MainWindow(persist=False)
    session = PoolSession(ServerSpec("sim", running.url, USER, PASSWORD,
                                     allow_plain_http=True))
    window.add_session(session)
    install(window, clock=ScheduleClock(now_fn=running.sim.now, local_tz=TOKYO))
    ui = schedule_ui(window)
    assert ui is not None

    async def connect() -> None:
        session.start()
        await until(lambda: session.state.kind == "connected", 30)

    run(loop, connect(), 40)
    env = Env(loop, running, window, session, ui)
    try:
        yield env
    finally:
        for dialog in list(ui.dialogs.values()) + list(ui.wizards) + list(ui.properties):
            dialog.close()
        run(loop, session.stop(), 30)
        window.close()
        window.deleteLater()
        env.sdk_session.xenapi.session.logout()
        running.stop()


@pytest.fixture
def env(sched_loop: asyncio.AbstractEventLoop, qtbot: QtBot) -> Iterator[Env]:
    yield from _make_env(sched_loop, qtbot)


# --- driving the wizard ------------------------------------------------------------------


def open_wizard(env: Env, via_action: bool = True) -> NewScheduleWizard:
    before = len(env.ui.wizards)
    if via_action:
        env.window.registry.refresh()
        action = env.window.findChild(QAction, "actionNewSchedule")
        assert action is not None and action.isEnabled(), action.toolTip()
        action.trigger()
    else:
        env.ui.open_wizard(env.session)
    assert len(env.ui.wizards) == before + 1
    return env.ui.wizards[-1]


def next_page(wizard: NewScheduleWizard) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled(), wizard.currentPage().objectName()
    button.click()


def check_vms(wizard: NewScheduleWizard, refs: list[str]) -> None:
    """Tick the VMs' boxes, as clicks would."""
    model = wizard.vms_pane.model
    for row in range(model.rowCount()):
        item = model.item(row, 0)
        if item.data(REF_ROLE) in refs:
            item.setCheckState(Qt.CheckState.Checked)


def fill_wizard(env: Env, name: str, refs: list[str], *, frequency: str = "daily",
                zone: str = "pool", hour: int = 3, minute: int = 30,
                days: tuple[str, ...] = (), retention: int | None = None,
                memory: bool = False) -> NewScheduleWizard:
    wizard = open_wizard(env)
    assert wizard.currentPage().objectName() == "pageName"
    QTest.keyClicks(wizard.name_pane.name_edit, name)
    next_page(wizard)
    check_vms(wizard, refs)
    next_page(wizard)
    (wizard.type_pane.memory if memory else wizard.type_pane.disk).setChecked(True)
    next_page(wizard)
    pane = wizard.schedule_pane
    {"hourly": pane.hourly, "daily": pane.daily, "weekly": pane.weekly}[frequency].setChecked(
        True)
    pane.zone_combo.setCurrentIndex(pane.zone_combo.findData(zone))
    if frequency == "hourly":
        pane.minute_spin.setValue(minute)
    else:
        pane.time_edit.setTime(QTime(hour, minute))
    if frequency == "weekly":
        for check in pane.day_checks:
            check.setChecked(check.objectName().removeprefix("day") in days)
    if retention is not None:
        pane.retention_spin.setValue(retention)
    next_page(wizard)
    assert wizard.currentPage().objectName() == "pageFinish"
    return wizard


def finish(env: Env, wizard: NewScheduleWizard, *, run_now: bool = False) -> str:
    wizard.summary_pane.run_now.setChecked(run_now)
    button = wizard.button(QWizard.WizardButton.FinishButton)
    assert button.isEnabled()
    name = wizard.draft().name_label
    button.click()
    env.wait_jobs()
    refs = env.xapi.VMSS.get_by_name_label(name)
    assert len(refs) == 1
    env.wait(lambda: env.session.cache.get("VMSS", refs[0]) is not None)
    return str(refs[0])


# --- the tests ---------------------------------------------------------------------------


def test_wizard_creates_a_daily_schedule_for_three_vms(env: Env) -> None:
    vms = env.free_vms(3)
    wizard = fill_wizard(env, "Nightly three", vms, hour=3, minute=30)
    summary = wizard.summary_pane.values
    assert "Nightly three" == summary["name"].text()
    assert "3 VM" in summary["vms"].text()
    vmss = finish(env, wizard)

    record = env.xapi.VMSS.get_record(vmss)
    assert record["frequency"] == "daily"
    assert record["type"] == "snapshot"
    assert dict(record["schedule"]) == {"hour": "3", "min": "30"}  # pool time, as chosen
    assert int(record["retained_snapshots"]) == 7  # the daily default
    assert record["enabled"] is True
    assert sorted(record["VMs"]) == sorted(vms)
    for vm in vms:
        assert env.xapi.VM.get_snapshot_schedule(vm) == vmss
    # The tasks of the create went through the tasks panel's labels.
    labels = [t.get("other_config", {}).get("xsnap-gui:label", "")
              for t in env.session.cache.records("task").values()]
    assert all("Nightly three" in label for label in labels if label)


def test_scheduled_snapshots_appear_marked_and_retention_drops_the_oldest(env: Env) -> None:
    vms = env.free_vms(3)
    vmss = finish(env, fill_wizard(env, "Daily keep 2", vms, hour=3, minute=30,
                                   retention=2))
    target = vms[0]
    name = env.xapi.VM.get_name_label(target)
    assert env.window.select_vm_named(name)
    tab = env.window.snapshots_tab
    tab.set_show_scheduled(True)

    def scheduled_nodes() -> list[str]:
        return sorted(n.label for n in tab.graph_nodes() if n.kind == "scheduled")

    assert scheduled_nodes() == []
    # The first run: 03:30 New York time on Thursday 6 March (08:30 UTC).
    env.step(dt.timedelta(hours=16))
    env.wait(lambda: len(scheduled_nodes()) == 1)
    first = scheduled_nodes()[0]
    assert first == f"{name}-20250306-0330"
    snap = next(n for n in tab.graph_nodes() if n.kind == "scheduled")
    assert env.xapi.VM.get_is_vmss_snapshot(snap.key) is True

    # Three more runs (retention is 2): only the newest two remain, the first is gone.
    for _ in range(3):
        env.step(dt.timedelta(days=1))
    env.wait(lambda: scheduled_nodes() == [f"{name}-20250308-0330", f"{name}-20250309-0330"])
    assert env.xapi.VMSS.get_last_run_time(vmss)
    snapshots = env.xapi.VM.get_snapshots(target)
    assert sum(1 for s in snapshots if env.xapi.VM.get_is_vmss_snapshot(s)) == 2


def test_a_failed_run_shows_in_the_history_and_flags_the_schedule(env: Env) -> None:
    vms = env.free_vms(3)
    vmss = finish(env, fill_wizard(env, "Will fail once", vms, hour=3, minute=30))
    for other in env.xapi.VMSS.get_all():
        if other != vmss:  # the generated schedules must not take the injected failure
            env.xapi.VMSS.set_enabled(other, False)
    # The scheduler snapshots VMs by name: the first one hits a full SR.
    first = min(vms, key=lambda r: env.xapi.VM.get_name_label(r))
    first_name = env.xapi.VM.get_name_label(first)
    env.running.sim.faults.add(FailCall("VM.snapshot", "SR_FULL",
                                        ("10737418240", "2147483648"), count=1))
    env.step(dt.timedelta(hours=16))
    env.sync()
    dialog = env.dialog(select=vmss)
    assert dialog.selected_refs() == [vmss]
    dialog.history.set_filter("day")
    rows = dialog.history.row_texts()
    assert rows, "no run in the history"
    result, details = rows[0]
    assert "failed, 1 vm" in result.lower()
    assert len(details) == 1 and details[0].startswith(f"{first_name}: ")
    assert "SR is full" in details[0] and "10 GiB" in details[0]  # readable, sizes in words
    child = dialog.history.tree.topLevelItem(0).child(0)
    assert "SR_FULL" in child.toolTip(1)  # the raw error, for bug reports

    model = dialog.model
    row = model.row_of(vmss)
    assert "1 VM" in model.index(row, COLUMNS.index("last_result")).data()
    health = model.index(row, COLUMNS.index("health"))
    assert "last run failed" in health.data()
    tip = health.data(Qt.ItemDataRole.ToolTipRole)
    assert first_name in tip and "SR is full" in tip
    # The other two VMs got their snapshots.
    others = [vm for vm in vms if vm != first]
    assert all(any(env.xapi.VM.get_is_vmss_snapshot(s) for s in env.xapi.VM.get_snapshots(vm))
               for vm in others)


def _schedule_page(env: Env) -> NewScheduleWizard:
    wizard = open_wizard(env)
    QTest.keyClicks(wizard.name_pane.name_edit, "Rules")
    next_page(wizard)
    check_vms(wizard, env.free_vms(1))
    next_page(wizard)
    next_page(wizard)
    assert wizard.currentPage().objectName() == "pageSchedule"
    return wizard


def _next_enabled(wizard: NewScheduleWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_wizard_refuses_a_blank_or_taken_name(env: Env) -> None:
    wizard = open_wizard(env)
    pane = wizard.name_pane
    assert not _next_enabled(wizard)
    QTest.keyClicks(pane.name_edit, "x")
    pane.name_edit.clear()
    assert not _next_enabled(wizard)
    assert pane.problem_label.isVisible() and "Enter a name" in pane.problem_label.text()
    taken = next(iter(env.session.cache.records("VMSS").values()))["name_label"]
    QTest.keyClicks(pane.name_edit, taken.upper())
    assert not _next_enabled(wizard)
    assert "already has this name" in pane.problem_label.text()
    pane.name_edit.setText(taken + " 2")
    assert _next_enabled(wizard) and not pane.problem_label.isVisible()


@pytest.mark.parametrize("rule", ["min", "hourly-min", "hour", "retained-high", "retained-low",
                                  "days"])
def test_wizard_refuses_what_the_server_would(env: Env, rule: str) -> None:
    wizard = _schedule_page(env)
    pane = wizard.schedule_pane
    assert _next_enabled(wizard)
    if rule == "min":
        pane.time_edit.setTime(QTime(10, 7))  # what typing 10:07 gives
        assert not _next_enabled(wizard)
        assert "quarter hour" in pane.problem_label.text() and "7" in pane.problem_label.text()
        pane.time_edit.setTime(QTime(10, 15))
    elif rule == "hourly-min":
        pane.hourly.setChecked(True)
        pane.minute_spin.lineEdit().selectAll()
        QTest.keyClicks(pane.minute_spin, "7")
        pane.minute_spin.interpretText()
        assert pane.minute_spin.value() == 7
        assert not _next_enabled(wizard)
        assert "quarter hour" in pane.problem_label.text()
        QTest.keyClick(pane.minute_spin, Qt.Key.Key_Up)  # arrows move in quarter hours
        assert pane.minute_spin.value() == 22 or pane.minute_spin.value() % 15 == 0
        pane.minute_spin.setValue(45)
    elif rule == "hour":
        pane.time_edit.setCurrentSection(pane.time_edit.Section.HourSection)
        pane.time_edit.lineEdit().setSelection(0, 2)
        QTest.keyClicks(pane.time_edit, "2")
        QTest.keyClicks(pane.time_edit, "9")
        assert pane.time_edit.time().hour() <= 23
        assert pane.refusal_label.isVisible() and "00:00 to 23:45" in pane.refusal_label.text()
    elif rule in ("retained-high", "retained-low"):
        spin = pane.retention_spin
        before = spin.value()
        spin.lineEdit().selectAll()
        QTest.keyClicks(spin, "11" if rule == "retained-high" else "0")
        spin.interpretText()  # what leaving the box does (Enter would also press Next)
        assert 1 <= spin.value() <= 10
        assert spin.value() in (before, 1)
        assert pane.refusal_label.isVisible()
        assert "from 1 to 10" in pane.refusal_label.text()
    elif rule == "days":
        pane.weekly.setChecked(True)
        for check in pane.day_checks:
            check.setChecked(False)
        assert not _next_enabled(wizard)
        assert "at least one day" in pane.problem_label.text()
        pane.day_checks[6].setChecked(True)
    # Whatever was refused, what the page now holds is what the server takes.
    assert _next_enabled(wizard)
    assert validate_schedule(wizard.draft().record(),
                             dict(env.xapi.pool.get_restrictions(
                                 env.xapi.pool.get_all()[0]))) is None


def test_wizard_cannot_create_on_a_pool_without_the_licence(
        sched_loop: asyncio.AbstractEventLoop, qtbot: QtBot) -> None:
    for env in _make_env(sched_loop, qtbot, restrictions={"restrict_vmss": "true"}):
        env.window.registry.refresh()
        action = env.window.findChild(QAction, "actionNewSchedule")
        assert action is not None and not action.isEnabled()
        assert "licence" in action.toolTip()
        wizard = open_wizard(env, via_action=False)
        assert "licence" in wizard.name_pane.problem_label.text()
        assert not wizard.name_pane.isEnabled() and not _next_enabled(wizard)
        assert "licence" in wizard.problem()


@pytest.mark.parametrize("edge", ["hourly-45-keep-10", "daily-23", "weekly-sunday", "keep-1"])
def test_wizard_edge_values_are_accepted_by_the_server(env: Env, edge: str) -> None:
    vms = env.free_vms(1)
    if edge == "hourly-45-keep-10":
        wizard = fill_wizard(env, edge, vms, frequency="hourly", minute=45, retention=10)
        expected = {"min": "45"}
    elif edge == "daily-23":
        wizard = fill_wizard(env, edge, vms, hour=23, minute=45)
        expected = {"hour": "23", "min": "45"}
    elif edge == "weekly-sunday":
        wizard = fill_wizard(env, edge, vms, frequency="weekly", hour=0, minute=0,
                             days=("Sunday",))
        expected = {"hour": "0", "min": "0", "days": "Sunday"}
    else:
        wizard = fill_wizard(env, edge, vms, retention=1, hour=0, minute=15)
        expected = {"hour": "0", "min": "15"}
    draft = wizard.draft()
    assert set(draft.schedule) == set(SCHEDULE_KEYS[draft.frequency])
    vmss = finish(env, wizard)
    record = env.xapi.VMSS.get_record(vmss)
    assert dict(record["schedule"]) == expected
    assert int(record["retained_snapshots"]) == {"hourly-45-keep-10": 10, "keep-1": 1}.get(
        edge, 7 if edge == "daily-23" else 4)


def _expected(when: dt.datetime, tz: dt.tzinfo) -> str:
    return time_text(when, tz)


def test_next_runs_around_a_dst_change_in_the_pool_zone(env: Env) -> None:
    env.running.sim.clock.set(dt.datetime(2025, 3, 7, 12, 0, tzinfo=UTC))  # Friday
    wizard = _schedule_page(env)
    pane = wizard.schedule_pane
    pane.daily.setChecked(True)
    pane.zone_combo.setCurrentIndex(pane.zone_combo.findData("pool"))
    pane.time_edit.setTime(QTime(2, 30))
    rows = [[pane.next_runs.topLevelItem(i).text(c) for c in range(4)]
            for i in range(pane.next_runs.topLevelItemCount())]
    assert len(rows) == 3
    saturday = dt.datetime(2025, 3, 8, 7, 30, tzinfo=UTC)  # 02:30 EST
    monday = dt.datetime(2025, 3, 10, 6, 30, tzinfo=UTC)  # 02:30 EDT: an hour earlier in UTC
    assert rows[0][:3] == [_expected(saturday, TOKYO), _expected(saturday, NEW_YORK),
                           _expected(saturday, UTC)]
    assert "skipped" in rows[1][3]  # Sunday 9 March: 02:30 does not exist in New York
    assert "does not exist" in rows[1][1]
    assert rows[2][:3] == [_expected(monday, TOKYO), _expected(monday, NEW_YORK),
                           _expected(monday, UTC)]
    assert pane.dst_warning.isVisible() and "go forward" in pane.dst_warning.text()
    # Tokyo has no DST: the local time of the run moves from 16:30 to 15:30.
    assert "16:30" in rows[0][0] and "15:30" in rows[2][0]
    assert pane.zone_note.isVisible()

    # Entered in local time, it is stored in pool time.
    pane.zone_combo.setCurrentIndex(pane.zone_combo.findData("local"))
    assert pane.time_edit.time() == QTime(16, 30)
    pane.time_edit.setTime(QTime(17, 0))  # 03:00 in New York, before the change
    draft = wizard.draft()
    assert (draft.hour, draft.minute) == (3, 0)
    # A weekly schedule keeps its days together across midnight: Monday 09:00 in Tokyo
    # is Sunday 19:00 in New York (EST).
    pane.weekly.setChecked(True)
    for check in pane.day_checks:
        check.setChecked(check.objectName() == "dayMonday")
    pane.time_edit.setTime(QTime(9, 0))
    draft = wizard.draft()
    assert (draft.hour, draft.minute, sorted(draft.days)) == (19, 0, [6])


def test_zero_vms_make_a_disabled_schedule_and_run_now_takes_snapshots(env: Env) -> None:
    wizard = open_wizard(env)
    QTest.keyClicks(wizard.name_pane.name_edit, "Later")
    next_page(wizard)
    assert wizard.vms_pane.note.isVisible() and "disabled" in wizard.vms_pane.note.text()
    next_page(wizard)
    next_page(wizard)
    next_page(wizard)
    assert not wizard.summary_pane.run_now.isEnabled()
    assert "Disabled" in wizard.summary_pane.values["state"].text()
    vmss = finish(env, wizard)
    assert env.xapi.VMSS.get_enabled(vmss) is False and env.xapi.VMSS.get_VMs(vmss) == []

    vms = env.free_vms(2)
    wizard = fill_wizard(env, "Right away", vms, hour=23, minute=0)
    vmss = finish(env, wizard, run_now=True)
    assert env.xapi.VMSS.get_enabled(vmss) is True
    for vm in vms:
        taken = [s for s in env.xapi.VM.get_snapshots(vm) if env.xapi.VM.get_is_vmss_snapshot(s)]
        assert len(taken) == 1


def test_a_partial_failure_is_reported_with_what_was_done(env: Env) -> None:
    vms = env.free_vms(3)
    names = sorted(env.xapi.VM.get_name_label(vm) for vm in vms)
    env.running.sim.faults.add(FailCall("VM.set_snapshot_schedule", "OPERATION_NOT_ALLOWED",
                                        ("VM is locked",), count=1))
    wizard = fill_wizard(env, "Partly", vms)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    env.wait_jobs()
    vmss = env.xapi.VMSS.get_by_name_label("Partly")[0]
    assert len(env.xapi.VMSS.get_VMs(vmss)) == 2
    box = env.ui.jobs.reports[-1]
    assert box.isVisible() and box.objectName() == "scheduleReport"
    details = box.informativeText()
    assert "Create the schedule" in details
    assert details.count("✓ Add") == 2 and details.count("✗ Add") == 1
    failed_line = next(line for line in details.splitlines() if "✗" in line)
    assert any(name in failed_line for name in names) and "VM is locked" in failed_line
    SHOTS.mkdir(exist_ok=True)
    assert box.grab().save(str(SHOTS / "schedule-report.png"))


def test_dialog_enables_disables_and_runs_now(env: Env) -> None:
    vms = env.free_vms(2)
    vmss = env.xapi.VMSS.create({"name_label": "Buttons", "type": "snapshot",
                                 "frequency": "daily", "schedule": {"hour": "1"}})
    for vm in vms:
        env.xapi.VM.set_snapshot_schedule(vm, vmss)
    env.wait(lambda: len((env.session.cache.get("VMSS", vmss) or {}).get("VMs", [])) == 2)
    dialog = env.dialog(select=vmss)
    assert dialog.enable_button.text() == "&Disable" and dialog.run_button.isEnabled()
    dialog.enable_button.click()
    env.wait_jobs()
    assert env.xapi.VMSS.get_enabled(vmss) is False
    env.wait(lambda: dialog.enable_button.text() == "&Enable")
    assert not dialog.run_button.isEnabled()  # only enabled schedules run
    row = dialog.model.row_of(vmss)
    assert dialog.model.index(row, COLUMNS.index("enabled")).data() == "Disabled"
    dialog.enable_button.click()
    env.wait_jobs()
    assert env.xapi.VMSS.get_enabled(vmss) is True
    env.wait(lambda: dialog.run_button.isEnabled())
    dialog.run_button.click()
    env.wait_jobs()
    env.wait(lambda: dialog.model.index(row, COLUMNS.index("last_result")).data()
             == "Succeeded")
    assert dialog.history.row_texts()[0][0] == "Succeeded"


def _calls(env: Env) -> list[str]:
    seen: list[str] = []

    def hook(method: str, _params: list[Any]) -> None:
        if method.removeprefix("Async.").startswith("VMSS.set_"):
            seen.append(method.removeprefix("Async."))

    env.running.sim.before_call.append(hook)
    return seen


def test_properties_change_only_what_changed(env: Env) -> None:
    vms = env.free_vms(3)
    vmss = env.xapi.VMSS.create({"name_label": "Props", "type": "snapshot",
                                 "frequency": "daily", "schedule": {"hour": "4", "min": "15"},
                                 "retained_snapshots": "5", "enabled": True})
    env.xapi.VM.set_snapshot_schedule(vms[0], vmss)
    env.wait(lambda: env.session.cache.get("VMSS", vmss) is not None
             and env.session.cache.get("VMSS", vmss)["VMs"])
    calls = _calls(env)
    dialog = env.dialog(select=vmss)
    dialog.properties_button.click()
    props = env.ui.properties[-1]
    assert props.vmss_ref == vmss
    # The schedule is shown on the user's clock (Tokyo) and comes back unchanged.
    props.name_pane.name_edit.setText("Props renamed")
    props.buttons.button(props.buttons.StandardButton.Ok).click()
    env.wait_jobs()
    assert calls == ["VMSS.set_name_label"]
    assert env.xapi.VMSS.get_name_label(vmss) == "Props renamed"
    env.wait(lambda: env.session.cache.get("VMSS", vmss)["name_label"] == "Props renamed")

    calls.clear()
    dialog.properties_button.click()
    props = env.ui.properties[-1]
    props.schedule_pane.weekly.setChecked(True)
    props.schedule_pane.retention_spin.setValue(4)
    props.vms_pane.set_checked([vms[1], vms[2]])
    props.buttons.button(props.buttons.StandardButton.Ok).click()
    env.wait_jobs()
    assert sorted(calls) == ["VMSS.set_frequency", "VMSS.set_retained_snapshots"]
    record = env.xapi.VMSS.get_record(vmss)
    assert record["frequency"] == "weekly" and int(record["retained_snapshots"]) == 4
    # 04:15 in New York is 18:15 in Tokyo; Monday was ticked for the Tokyo day, which is
    # Monday in New York too at that hour, so set_frequency's defaults already fit.
    assert dict(record["schedule"]) == {"hour": "4", "min": "15", "days": "Monday"}
    assert sorted(record["VMs"]) == sorted(vms[1:])


def test_properties_keep_a_type_the_dialog_cannot_offer(env: Env) -> None:
    vmss = env.xapi.VMSS.create({"name_label": "Old quiesced", "type": "snapshot",
                                 "frequency": "hourly", "schedule": {"min": "45"}})
    # Made before quiesced snapshots were removed; no current pool accepts the type.
    env.running.sim.db.set("VMSS", vmss, "type", "snapshot_with_quiesce")
    env.wait(lambda: (env.session.cache.get("VMSS", vmss) or {}).get("type")
             == "snapshot_with_quiesce")
    calls = _calls(env)
    props = env.ui.open_properties(env.session, vmss)
    assert props is not None
    assert not props.type_pane.quiesce_note.isHidden()  # on the (hidden) Snapshot type tab
    assert props.type_pane.kind() == "snapshot_with_quiesce"
    props.name_pane.description_edit.setPlainText("kept as it was")
    props.buttons.button(props.buttons.StandardButton.Ok).click()
    env.wait_jobs()
    assert calls == ["VMSS.set_name_description"]
    assert env.xapi.VMSS.get_type(vmss) == "snapshot_with_quiesce"


def test_delete_unassigns_and_destroys(env: Env) -> None:
    vms = env.free_vms(4)
    made = []
    for i, pair in enumerate((vms[:2], vms[2:])):
        ref = env.xapi.VMSS.create({"name_label": f"Doomed {i}", "type": "snapshot",
                                    "frequency": "hourly", "schedule": {"min": "0"}})
        for vm in pair:
            env.xapi.VM.set_snapshot_schedule(vm, ref)
        made.append(ref)
    env.wait(lambda: all(len((env.session.cache.get("VMSS", r) or {}).get("VMs", [])) == 2
                         for r in made))
    dialog = env.dialog(select=made[0])
    dialog.select_schedule(made[0])
    selection = dialog.table.selectionModel()
    index = dialog.proxy.mapFromSource(dialog.model.index(dialog.model.row_of(made[1]), 0))
    selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    assert sorted(dialog.selected_refs()) == sorted(made)
    dialog.delete_button.click()
    box = dialog.confirm_box
    assert box is not None and box.isVisible()
    names = [env.xapi.VM.get_name_label(vm) for vm in vms]
    assert all(n in box.text() for n in names)  # it names the VMs it covers
    box.button(QMessageBox.StandardButton.Yes).click()
    env.wait_jobs()
    assert not set(made) & set(env.xapi.VMSS.get_all())
    assert all(env.xapi.VM.get_snapshot_schedule(vm) == NULL for vm in vms)
    env.wait(lambda: all(dialog.model.row_of(r) < 0 for r in made))


def test_assign_from_the_pool_tree_context_menu(env: Env) -> None:
    cache = env.session.cache
    schedules = sorted(cache.records("VMSS"), key=lambda r: cache.get("VMSS", r)["name_label"])
    member = next(r for r, v in env.real_vms().items() if v["snapshot_schedule"] != NULL)
    current = env.xapi.VM.get_snapshot_schedule(member)
    other = next(s for s in schedules if s != current)
    assert env.window.pool_tree.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    menu = env.ui.build_vm_menu(env.session, [member])
    sub = menu.findChild(type(menu), "assignScheduleMenu")
    assert sub is not None
    texts = [a.text() for a in sub.actions() if a.text()]
    assert texts[-1].startswith("&New schedule")
    assert [a.isChecked() for a in sub.actions() if a.objectName() == f"assignTo:{current}"] \
        == [True]
    move = next(a for a in sub.actions() if a.objectName() == f"assignTo:{other}")
    move.trigger()
    box = env.ui.confirm_box
    assert box is not None and "already in the snapshot schedule" in box.text()
    box.button(QMessageBox.StandardButton.Yes).click()
    env.wait_jobs()
    assert env.xapi.VM.get_snapshot_schedule(member) == other

    new = next(a for a in sub.actions() if a.objectName() == "assignNewSchedule")
    new.trigger()
    wizard = env.ui.wizards[-1]
    assert [r for r, _ in wizard.vms_pane.checked_vms()] == [member]


def test_snapshots_tab_link_opens_the_dialog_on_that_schedule(env: Env) -> None:
    cache = env.session.cache
    member = next(r for r, v in env.real_vms().items() if v["snapshot_schedule"] != NULL)
    vmss = env.xapi.VM.get_snapshot_schedule(member)
    assert env.window.select_vm_named(env.xapi.VM.get_name_label(member))
    env.window.snapshots_tab.scheduleLinkActivated.emit(vmss)
    dialog = env.ui.dialogs[id(env.session)]
    assert dialog.isVisible() and dialog.selected_refs() == [vmss]
    header = dialog.header.text()
    vms = [v for v in cache.records("VM").values() if not v.get("is_a_template")
           and not v.get("is_control_domain")]
    covered = sum(1 for v in vms if v.get("snapshot_schedule"))
    assert header.startswith(f"{len(cache.records('VMSS'))} schedule")
    assert f"({covered} of {len(vms)} VMs covered)" in header


def test_render_the_wizard_pages_and_the_dialog(env: Env) -> None:
    SHOTS.mkdir(exist_ok=True)
    vms = env.free_vms(3)
    halted = [r for r, v in env.real_vms().items() if v["power_state"] == "Halted"]
    env.running.sim.faults.add(FailCall("VM.snapshot", "SR_FULL",
                                        ("10737418240", "2147483648"), count=1))
    vmss = finish(env, fill_wizard(env, "Nightly web", vms, hour=2, minute=30))
    env.step(dt.timedelta(hours=16))
    env.sync()

    wizard = open_wizard(env)
    wizard.resize(820, 640)
    QTest.keyClicks(wizard.name_pane.name_edit, "Weekend full backup")
    wizard.name_pane.description_edit.setPlainText("Disks and memory of the app servers, "
                                                   "Saturday and Sunday nights.")
    shots = {"name": wizard.grab()}
    next_page(wizard)
    check_vms(wizard, vms[:1] + halted[:2] + [next(r for r, v in env.real_vms().items()
                                                  if v["snapshot_schedule"] != NULL)])
    shots["vms"] = wizard.grab()
    next_page(wizard)
    # A VM in another schedule: moving it is confirmed first.
    box = wizard.vms_page.confirm_box
    assert box is not None and "already in other snapshot schedules" in box.text()
    assert wizard.currentPage().objectName() == "pageVms"
    shots["vms-confirm"] = box.grab()
    box.button(QMessageBox.StandardButton.Yes).click()
    env.settle()
    assert wizard.currentPage().objectName() == "pageType"
    wizard.type_pane.memory.setChecked(True)
    shots["type"] = wizard.grab()
    next_page(wizard)
    pane = wizard.schedule_pane
    pane.weekly.setChecked(True)
    pane.zone_combo.setCurrentIndex(pane.zone_combo.findData("pool"))
    for check in pane.day_checks:
        check.setChecked(check.objectName() in ("daySaturday", "daySunday"))
    pane.time_edit.setTime(QTime(2, 30))
    shots["schedule"] = wizard.grab()
    pane.hourly.setChecked(True)
    pane.minute_spin.setValue(10)
    spin = pane.retention_spin
    spin.lineEdit().selectAll()
    QTest.keyClicks(spin, "12")
    shots["schedule-refused"] = wizard.grab()
    pane.minute_spin.setValue(15)
    pane.weekly.setChecked(True)
    next_page(wizard)
    wizard.summary_pane.run_now.setChecked(True)
    shots["finish"] = wizard.grab()
    wizard.reject()

    # More to see: an enabled schedule without VMs, and overdue runs (the pool's scheduler
    # stopped while the clock went on).
    env.xapi.VMSS.create({"name_label": "Empty but enabled", "type": "snapshot",
                          "frequency": "daily", "schedule": {"hour": "1"}, "enabled": True})
    assert env.running.scheduler is not None
    env.running.scheduler.stop()
    env.running.sim.clock.step(dt.timedelta(hours=3))
    env.sync()
    member = next(r for r, v in env.real_vms().items() if v["snapshot_schedule"] != NULL)
    menu = env.ui.build_vm_menu(env.session, [member])
    sub = menu.findChild(type(menu), "assignScheduleMenu")
    sub.adjustSize()
    shots["menu"] = sub.grab()

    dialog = env.dialog(select=vmss)
    dialog.resize(1240, 680)
    dialog.history.set_filter("week")
    env.settle()
    shots["dialog"] = dialog.grab()
    dialog.propertiesRequested.emit(vmss)
    props = env.ui.properties[-1]
    props.tabs.setCurrentIndex(3)
    shots["properties"] = props.grab()
    props.reject()
    for name, pixmap in shots.items():
        path = SHOTS / f"schedule-{name}.png"
        assert pixmap.save(str(path)) and not pixmap.isNull(), name
