"""The VMSS scheduler: runs snapshot schedules on the simulated clock, as xapi's plugin does.

On a real pool a cron job starts the closed ``vmss`` plugin every few minutes; the
plugin looks for schedules that are due, snapshots their VMs, deletes scheduled
snapshots beyond ``retained_snapshots``, sets ``last_run_time`` and raises
VMSS_SNAPSHOT_* messages (xen-api doc/content/design/schedule-snapshot.md). Here one
thread per simulator plays cron and plugin:

- **Wall clock.** Schedules are in the pool's local time (``SimConfig.timezone``). A run
  time is an instant whose local wall-clock reading matches the schedule (minute; hour
  for daily and weekly; weekday for weekly), as a cron job comparing the local clock
  would see it. Across a DST change this means: a wall time that does not exist that
  day (02:30 in New York on the spring-forward day) gives no run that day; a wall time
  that happens twice (01:30 on the fall-back day) gives two runs, an hour apart, with
  the same snapshot name. Hourly schedules run once per real hour either way.
- **Clock jumps.** Each time the scheduler looks at the clock it considers the run times
  since it last looked. If several have passed (a test stepped a week, the demo clock is
  fast), the schedule runs once, for the latest of them; the earlier ones are skipped
  without a message, like runs a stopped server never saw. Run times before the
  scheduler started, or before a schedule was created, enabled or re-timed, never run.
- **Overlap.** A run due while the same schedule's previous run is still going raises
  VMSS_SNAPSHOT_MISSED_EVENT instead.
- **A run.** For each VM of the schedule (by name): a task ``Async.VM.snapshot`` (or
  ``checkpoint``) with other_config ShowInXenCenter="" and applies_to=<vm>, a snapshot
  named ``<vm name>-<YYYYMMDD>-<HHMM>`` after the run time in pool local time (the
  generator's scheme), marked is_vmss_snapshot, then the VM's oldest scheduled snapshots
  beyond ``retained_snapshots`` are uninstalled as ``xe snapshot-uninstall`` does. Then
  last_run_time (UTC, when the run started) and one message: VMSS_SNAPSHOT_SUCCEEDED, or
  VMSS_SNAPSHOT_FAILED with a line ``VM:<name>UUID:<uuid>Error:['CODE', 'p1', ...]`` per
  failed VM, the form XenCenter's PolicyAlert parses. A schedule without VMs only gets
  its last_run_time, as in the generated pools.
- The plugin's calls go through the simulator's ``before_call`` and ``before_invoke``
  hooks, as they would over the wire, so fault injection reaches scheduled snapshots.

Tests step the clock and call :meth:`Scheduler.wait_idle`, or stop the thread and call
:meth:`Scheduler.run_due` themselves.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import tasks
from .call import Call
from .classes.message import raise_message
from .classes.vmss import DAYS, MINUTES, ocaml_int
from .coerce import NULL_REF
from .errors import XapiError

if TYPE_CHECKING:
    from .core import Simulator

log = logging.getLogger(__name__)

PLUGIN_USER = "__dom0__vmss"  # xapi_vmss.ml: the plugin's local-superuser login
SHOW_IN_XENCENTER = "ShowInXenCenter"
APPLIES_TO = "applies_to"
# Longest real wait between looks at the clock, so a slow wall clock cannot stall runs.
MAX_SLEEP = 30.0
# Only the latest run time in a window matters; a window longer than this is cut.
LOOKBACK = dt.timedelta(days=15)
DAY = dt.timedelta(days=1)


# --- run times ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Timing:
    """When a schedule runs, read from its ``frequency`` and ``schedule`` map."""

    frequency: str
    minute: int
    hour: int
    weekdays: frozenset[int]  # 0 = Monday

    @classmethod
    def of(cls, frequency: str, schedule: dict[str, str]) -> Timing | None:
        """The timing, or None for a schedule that can never run.

        Missing keys take xapi's defaults (remove_from_schedule can delete them).
        """
        minute = ocaml_int(schedule.get("min", MINUTES[0]))
        hour = ocaml_int(schedule.get("hour", "0"))
        if minute is None or not 0 <= minute <= 59 or hour is None or not 0 <= hour <= 23:
            return None
        lowered = [d.lower() for d in DAYS]
        named = [d.strip().lower() for d in schedule.get("days", DAYS[0]).split(",")]
        weekdays = frozenset(lowered.index(d) for d in named if d in lowered)
        if frequency == "weekly" and not weekdays:
            return None
        if frequency not in ("hourly", "daily", "weekly"):
            return None
        return cls(frequency, minute, hour, weekdays)

    def _instants_on(self, day: dt.date, tz: dt.tzinfo) -> list[dt.datetime]:
        """The UTC instants on local date ``day`` whose wall-clock time matches."""
        if self.frequency == "weekly" and day.weekday() not in self.weekdays:
            return []
        hours = range(24) if self.frequency == "hourly" else (self.hour,)
        found: set[dt.datetime] = set()
        for hour in hours:
            wall = dt.datetime.combine(day, dt.time(hour, self.minute))
            for fold in (0, 1):
                instant = wall.replace(tzinfo=tz, fold=fold).astimezone(dt.UTC)
                # A wall time inside a DST gap maps to an instant that reads differently.
                if instant.astimezone(tz).replace(tzinfo=None) == wall:
                    found.add(instant)
        return sorted(found)

    def between(self, tz: dt.tzinfo, after: dt.datetime,
                until: dt.datetime) -> list[dt.datetime]:
        """Run times in ``(after, until]``, oldest first."""
        if until <= after:
            return []
        first = after.astimezone(tz).date() - DAY
        last = until.astimezone(tz).date() + DAY
        runs: list[dt.datetime] = []
        day = first
        while day <= last:
            runs.extend(t for t in self._instants_on(day, tz) if after < t <= until)
            day += DAY
        return sorted(runs)

    def latest(self, tz: dt.tzinfo, after: dt.datetime, until: dt.datetime) -> dt.datetime | None:
        """The latest run time in ``(after, until]``, or None."""
        runs = self.between(tz, max(after, until - LOOKBACK), until)
        return runs[-1] if runs else None

    def next_after(self, tz: dt.tzinfo, after: dt.datetime) -> dt.datetime | None:
        """The first run time after ``after``."""
        day = after.astimezone(tz).date() - DAY
        found: list[dt.datetime] = []
        # A weekly schedule runs within 8 days; one more day covers clocks going back
        # across midnight, where a later local date can hold an earlier instant.
        for _ in range(10):
            later = [t for t in self._instants_on(day, tz) if t > after]
            if found:
                return min(found + later)
            found = later
            day += DAY
        return min(found, default=None)


def snapshot_name(vm_name: str, run_time: dt.datetime, tz: dt.tzinfo) -> str:
    """``<vm name>-<YYYYMMDD>-<HHMM>`` after the run time in pool local time."""
    return f"{vm_name}-{run_time.astimezone(tz):%Y%m%d-%H%M}"


def failure_line(vm_name: str, vm_uuid: str, error: list[str]) -> str:
    """One VMSS_SNAPSHOT_FAILED body line, in the form XenCenter's PolicyAlert parses."""
    listed = ", ".join(f"'{part}'" for part in error)
    return f"VM:{vm_name}UUID:{vm_uuid}Error:[{listed}]"


# --- outcomes ----------------------------------------------------------------------------


@dataclass
class RunOutcome:
    """What one run of a schedule did."""

    vmss: str
    run_time: dt.datetime  # the run time it served (UTC); for snapshot_now, when it started
    snapshots: dict[str, str] = field(default_factory=dict)  # VM -> new snapshot
    failures: dict[str, list[str]] = field(default_factory=dict)  # VM -> error description
    deleted: list[str] = field(default_factory=list)  # snapshots removed for retention
    message: str = ""  # name of the message raised, "" if none
    summary: str = ""  # its body


@dataclass
class _Watch:
    """A schedule as the scheduler last saw it, and since when it has been watched."""

    config: tuple[Any, ...]
    since: dt.datetime


# --- the scheduler -----------------------------------------------------------------------


class Scheduler:
    """Runs the VMSS schedules of one simulator on its clock; see the module docstring."""

    def __init__(self, sim: Simulator) -> None:
        self.sim = sim
        self._lock = threading.Lock()
        self._changed_cond = threading.Condition(self._lock)
        self._tick_lock = threading.Lock()
        self._wake = sim.clock.subscribe()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._watches: dict[str, _Watch] = {}
        self._changes: dict[str, dt.datetime] = {}  # VMSS ref -> when it last changed
        self._running: set[str] = set()  # schedules with a run in progress
        self._active_runs = 0
        self._workers: list[threading.Thread] = []
        self._ticks_started = 0
        self._ticks_done = 0
        self._started_at = sim.now()
        sim.db.add_listener(self._on_change)

    # --- lifecycle ----------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the background thread (once)."""
        if self._thread is not None:
            return
        self._started_at = self.sim.now()
        self._thread = threading.Thread(target=self._loop, name="vmss-scheduler", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the thread; runs in progress give up before their next VM."""
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)
        deadline = time.monotonic() + timeout
        with self._lock:
            workers = list(self._workers)
        for worker in workers:
            worker.join(max(0.0, deadline - time.monotonic()))

    # --- what tests call ------------------------------------------------------------

    def run_due(self, now: dt.datetime | None = None) -> list[RunOutcome]:
        """Look at the clock (or ``now``) and run what is due, here and now; the outcomes."""
        return self._tick(now or self.sim.now(), background=False)

    def run_now(self, vmss: str) -> RunOutcome:
        """One run of ``vmss`` at once, in the calling thread (VMSS.snapshot_now)."""
        now = self.sim.now()
        if not self._claim(vmss):
            return self._missed(vmss, now)
        try:
            return self._run(vmss, now, now)
        finally:
            self._release(vmss)

    def wait_idle(self, timeout: float = 10.0) -> bool:
        """Wait until the thread has looked at the clock since this call and no run is going.

        Step the clock, then call this: every run the step made due has finished when it
        returns True. False on timeout. Without the thread it only waits for runs.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            wanted = self._ticks_started + 1 if self.running else self._ticks_done
        self._wake.set()
        with self._changed_cond:
            while self._ticks_done < wanted or self._active_runs:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (wanted > self._ticks_done and not self.running):
                    return False
                self._changed_cond.wait(min(remaining, 0.5))
        return True

    def next_run_time(self, vmss: str, after: dt.datetime | None = None) -> dt.datetime | None:
        """When ``vmss`` runs next after ``after`` (default now), if enabled; UTC."""
        with self.sim.db.lock:
            if not self.sim.db.exists("VMSS", vmss):
                return None
            row = self.sim.db.row("VMSS", vmss)
            if not row["enabled"]:
                return None
            timing = Timing.of(row["frequency"], row["schedule"])
        if timing is None:
            return None
        return timing.next_after(self._tz(), after or self.sim.now())

    # --- the thread -------------------------------------------------------------------

    def _loop(self) -> None:
        while not self._stop.is_set() and not self.sim.stopping:
            # Clear first, count next, read the clock last: a wait_idle that saw this
            # count was called before the clock was read, and a wake it sends after the
            # count is not lost.
            self._wake.clear()
            with self._lock:
                self._ticks_started += 1
                tick = self._ticks_started
            now = self.sim.now()
            try:
                self._tick(now, background=True)
            except Exception:  # the scheduler must outlive a bad schedule
                log.exception("VMSS scheduler tick failed")
            finally:
                with self._lock:
                    self._ticks_done = tick
                    self._changed_cond.notify_all()
            self._wake.wait(self._sleep_for(now))

    def _sleep_for(self, now: dt.datetime) -> float:
        """Real seconds until the next run time of any enabled schedule (capped)."""
        db = self.sim.db
        with db.lock:
            timings = [Timing.of(row["frequency"], row["schedule"])
                       for _, row in db.rows("VMSS") if row["enabled"]]
        tz = self._tz()
        upcoming = [t.next_after(tz, now) for t in timings if t is not None]
        soonest = min((t for t in upcoming if t is not None), default=None)
        if soonest is None or self.sim.clock.speed <= 0:
            return MAX_SLEEP
        real = self.sim.clock.real_seconds((soonest - now).total_seconds())
        # Clock.now() drops microseconds: wake a hair late rather than early.
        return min(MAX_SLEEP, max(0.001, real + 0.002))

    def _on_change(self, cls: str, ref: str, _op: str) -> None:
        # Database listener: runs in whichever thread changed the row, maybe under its lock,
        # so it only notes the time and wakes the thread.
        if cls != "VMSS":
            return
        now = self.sim.now()
        with self._lock:
            self._changes[ref] = now
        self._wake.set()

    # --- one look at the clock -----------------------------------------------------------

    def _tz(self) -> dt.tzinfo:
        return self.sim.tz

    def _tick(self, now: dt.datetime, *, background: bool) -> list[RunOutcome]:
        outcomes: list[RunOutcome] = []
        with self._tick_lock:
            for vmss, run_time in self._due(now):
                if not self._claim(vmss):
                    outcomes.append(self._missed(vmss, run_time))
                elif background:
                    self._start_worker(vmss, run_time)
                else:
                    try:
                        outcomes.append(self._run(vmss, run_time, self.sim.now()))
                    finally:
                        self._release(vmss)
        return outcomes

    def _due(self, now: dt.datetime) -> list[tuple[str, dt.datetime]]:
        """The (schedule, run time) pairs due at ``now``; moves every watch window on."""
        with self.sim.db.lock:
            rows = {ref: (row["enabled"], row["frequency"], dict(row["schedule"]))
                    for ref, row in self.sim.db.rows("VMSS")}
        with self._lock:
            changes, self._changes = self._changes, {}
        tz = self._tz()
        due: list[tuple[str, dt.datetime]] = []
        for gone in set(self._watches) - set(rows):
            del self._watches[gone]
        for ref, (enabled, frequency, schedule) in sorted(rows.items()):
            config = (enabled, frequency, tuple(sorted(schedule.items())))
            watch = self._watches.get(ref)
            if watch is None:
                # A schedule is watched from its creation, or from when the scheduler began.
                watch = self._watches[ref] = _Watch(config, changes.get(ref, self._started_at))
            elif watch.config != config:
                # Re-enabled or re-timed: run times already past are not caught up.
                watch.config = config
                watch.since = max(watch.since, changes.get(ref, now))
            timing = Timing.of(frequency, schedule) if enabled else None
            if timing is not None:
                run_time = timing.latest(tz, watch.since, now)
                if run_time is not None:
                    due.append((ref, run_time))
            watch.since = max(watch.since, now)
        return due

    def _claim(self, vmss: str) -> bool:
        with self._lock:
            if vmss in self._running:
                return False
            self._running.add(vmss)
            self._active_runs += 1
            return True

    def _release(self, vmss: str) -> None:
        with self._lock:
            self._running.discard(vmss)
            self._active_runs -= 1
            self._changed_cond.notify_all()

    def _start_worker(self, vmss: str, run_time: dt.datetime) -> None:
        def body() -> None:
            try:
                self._run(vmss, run_time, self.sim.now(), abortable=True)
            except Exception:  # one broken run must not take the others down
                log.exception("VMSS run of %s failed", vmss)
            finally:
                with self._lock:
                    self._workers = [w for w in self._workers if w is not worker]
                self._release(vmss)

        worker = threading.Thread(target=body, name=f"vmss-run-{vmss[-8:]}", daemon=True)
        with self._lock:
            self._workers.append(worker)
        worker.start()

    # --- one run ------------------------------------------------------------------------

    def _missed(self, vmss: str, run_time: dt.datetime) -> RunOutcome:
        outcome = RunOutcome(vmss, run_time)
        db = self.sim.db
        with db.lock:
            if not db.exists("VMSS", vmss):
                return outcome
            row = db.row("VMSS", vmss)
            name, uuid = row["name_label"], row["uuid"]
        local = run_time.astimezone(self._tz())
        body = (f"The snapshot schedule '{name}' did not run at {local:%Y-%m-%d %H:%M}: its "
                "previous run was still in progress.")
        self._raise(uuid, "VMSS_SNAPSHOT_MISSED_EVENT", body)
        return dataclasses.replace(outcome, message="VMSS_SNAPSHOT_MISSED_EVENT", summary=body)

    def _raise(self, vmss_uuid: str, name: str, body: str) -> None:
        raise_message(self.sim, name, self.sim.dm.alerts[name], "VMSS", vmss_uuid, body)

    def _run(self, vmss: str, run_time: dt.datetime, started: dt.datetime, *,
             abortable: bool = False) -> RunOutcome:
        """One run; ``abortable`` runs (the thread's) give up when the scheduler stops."""
        sim, db = self.sim, self.sim.db
        outcome = RunOutcome(vmss, run_time)
        with db.lock:
            if not db.exists("VMSS", vmss):
                return outcome
            row = db.record("VMSS", vmss)
            vms = sorted((vm for vm in row["VMs"] if db.exists("VM", vm)),
                         key=lambda vm: (db.get("VM", vm, "name_label"), vm))
        session = self._login()
        try:
            for vm in vms:
                if sim.stopping or (abortable and self._stop.is_set()):
                    return outcome
                self._snapshot_vm(session, vm, row, run_time, outcome)
                outcome.deleted += self._enforce_retention(session, vm,
                                                           int(row["retained_snapshots"]))
        finally:
            if db.exists("session", session):
                db.destroy("session", session)
        with db.lock:
            if not db.exists("VMSS", vmss):
                return outcome
            db.set("VMSS", vmss, "last_run_time", started)
        if not vms:
            return outcome
        if outcome.failures:
            lines = []
            for vm, error in outcome.failures.items():
                vm_row = db.tables["VM"].get(vm, {})
                lines.append(failure_line(str(vm_row.get("name_label", "")),
                                          str(vm_row.get("uuid", "")), error))
            name, body = "VMSS_SNAPSHOT_FAILED", "\n".join(lines)
        else:
            kind = str(row["type"])
            name = "VMSS_SNAPSHOT_SUCCEEDED"
            body = (f"The snapshot schedule '{row['name_label']}' took {kind}s of "
                    f"{len(vms)} VMs.")
        self._raise(str(row["uuid"]), name, body)
        outcome.message, outcome.summary = name, body
        return outcome

    def _login(self) -> str:
        """The plugin's session: a local superuser login, as over xapi's unix socket."""
        sim = self.sim
        now = sim.now()
        return sim.db.create("session", {
            "this_host": sim.master, "this_user": NULL_REF, "last_active": now,
            "validation_time": now, "pool": False, "is_local_superuser": True,
            "subject": NULL_REF, "auth_user_sid": "", "auth_user_name": PLUGIN_USER,
            "rbac_permissions": [], "originator": "vmss",
        })

    def _call(self, wire_name: str, session: str, task: str | None = None) -> Call:
        message = self.sim.dm.message(wire_name)
        assert message is not None, wire_name
        return Call(self.sim, message, session, self.sim.master, task)

    def _hooks(self, call: Call, params: list[Any]) -> None:
        """The plugin's calls meet the same hooks a wire call does."""
        for before in self.sim.before_call:
            before(call.message.wire_name, [call.session, *params])
        for before_invoke in self.sim.before_invoke:
            before_invoke(call)

    def _snapshot_vm(self, session: str, vm: str, schedule: dict[str, Any],
                     run_time: dt.datetime, outcome: RunOutcome) -> None:
        sim = self.sim
        kind = str(schedule["type"])
        checkpoint = kind == "checkpoint"
        wire_name = "VM.checkpoint" if checkpoint else "VM.snapshot"
        task = tasks.new_task(sim, f"Async.{wire_name}", "", sim.master, cancellable=True,
                              other_config={SHOW_IN_XENCENTER: "", APPLIES_TO: vm})
        sim.task_owners[task] = PLUGIN_USER
        call = self._call(wire_name, session, task)
        try:
            name = snapshot_name(str(sim.db.get("VM", vm, "name_label")), run_time, self._tz())
            if kind == "snapshot_with_quiesce":
                # The plugin would call VM.snapshot_with_quiesce, which is gone.
                raise XapiError("MESSAGE_REMOVED")
            self._hooks(call, [vm, name])
            from .classes.vm import take_snapshot  # noqa: PLC0415 - vm.py is heavy and optional here

            snapshot = take_snapshot(call, vm, name, checkpoint=checkpoint,
                                     is_vmss_snapshot=True)
        except XapiError as e:
            tasks.fail(sim, task, e)
            outcome.failures[vm] = e.description
        except Exception as e:  # a simulator bug still fails just this VM
            error = XapiError("INTERNAL_ERROR", f"{type(e).__name__}: {e}")
            log.exception("scheduled snapshot of %s failed", vm)
            tasks.fail(sim, task, error)
            outcome.failures[vm] = error.description
        else:
            tasks.finish(sim, task, snapshot)
            outcome.snapshots[vm] = snapshot

    def _enforce_retention(self, session: str, vm: str, keep: int) -> list[str]:
        """Uninstall the VM's oldest scheduled snapshots beyond ``keep``; the refs removed."""
        db = self.sim.db
        with db.lock:
            if not db.exists("VM", vm):
                return []
            scheduled = [s for s in db.get("VM", vm, "snapshots")
                         if db.exists("VM", s) and db.get("VM", s, "is_vmss_snapshot")]
            scheduled.sort(key=lambda s: (db.get("VM", s, "snapshot_time"), db.created.get(s, 0)))
            excess = scheduled[:max(0, len(scheduled) - max(keep, 0))]
        removed = []
        for snapshot in excess:
            try:
                uninstall_snapshot(self, session, snapshot)
            except XapiError as e:
                # The plugin logs and goes on with the next one.
                log.warning("could not delete scheduled snapshot %s: %s", snapshot,
                            e.description)
            else:
                removed.append(snapshot)
        return removed


def uninstall_snapshot(scheduler: Scheduler, session: str, snapshot: str) -> None:
    """What ``xe snapshot-uninstall`` does: destroy the disks the snapshot owns (VBDs with
    other_config "owner") and its suspend image through VDI.destroy, then VM.destroy,
    which removes the devices and re-parents the snapshot's children."""
    from .classes import vdi as vdi_class  # noqa: PLC0415 - see _snapshot_vm
    from .classes import vm as vm_class  # noqa: PLC0415

    db = scheduler.sim.db
    with db.lock:
        row = db.row("VM", snapshot)
        disks = []
        for vbd in row["VBDs"]:
            vbd_row = db.tables["VBD"].get(vbd)
            if vbd_row is None or "owner" not in vbd_row["other_config"]:
                continue
            if vbd_row["type"] == "Disk" and db.exists("VDI", vbd_row["VDI"]):
                disks.append(vbd_row["VDI"])
        if db.exists("VDI", row["suspend_VDI"]):
            disks.append(row["suspend_VDI"])
    steps: list[tuple[str, Callable[[Call, str], str], str]] = [
        ("VDI.destroy", vdi_class.destroy, disk) for disk in disks
    ]
    steps.append(("VM.destroy", vm_class.destroy, snapshot))
    for wire_name, handler, ref in steps:
        call = scheduler._call(wire_name, session)
        scheduler._hooks(call, [ref])
        handler(call, ref)


_REGISTRY_LOCK = threading.Lock()


def for_simulator(sim: Simulator) -> Scheduler:
    """The simulator's scheduler, made on first use (api.start_simulator starts it)."""
    with _REGISTRY_LOCK:
        if sim.scheduler is None:
            sim.scheduler = Scheduler(sim)
        return sim.scheduler
