"""Regenerate the README's screenshots, docs/screenshots/*.png, on the demo pool, offscreen.

    python tools/screenshots.py [--out docs/screenshots] [--lang en] [--only NAME ...]

The main window comes from ``xsnap-gui --demo --screenshot FILE --select-vm NAME --view
tree|list``, run as a subprocess (``python -m xsnap_gui.app``, the module behind the
``xsnap-gui`` command). The dialogs are opened in this process, in a window made by
``create_main_window(["--demo", ...])`` inside a qasync loop, through the same actions and
controllers a user's clicks reach, then grabbed (the dialog alone, without the desktop's
frame) and closed. Nothing is changed on the demo pool.

Without ``--only``, the English pictures go to ``--out`` and the Japanese ones (``--lang ja``:
the main window and the New Snapshot Schedule wizard) to ``--out``/ja, made by a second run of
this script, since a process keeps the first language it loads. Window settings go to a
temporary folder, never the user's, and no keyring is asked anything.

The demo pool is generated relative to today's date, so the dates in the pictures change
from one run to the next; the VMs, snapshots and schedules are the same every time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "docs" / "screenshots"
DEMO_VM = "web-01"  # a branch, memory snapshots, no schedule
DETAILS_VM = "rds-01"  # a branch and a memory snapshot, from Base to Now in one screen

# Main-window pictures: name -> (VM to select, snapshot view).
MAIN_SHOTS: dict[str, tuple[str, str]] = {
    "main-window": (DEMO_VM, "tree"),
    "list-view": (DEMO_VM, "list"),
}
# Pictures made in this process, in this order (see Studio below for each): the dialogs and
# the Snapshots tab with a snapshot's details.
IN_PROCESS_SHOTS = ("snapshot-details", "add-server", "certificate", "take-snapshot", "revert",
                    "delete", "export", "schedule-wizard", "schedule-wizard-schedule",
                    "schedules")
JAPANESE_SHOTS = ("main-window", "schedule-wizard", "schedule-wizard-schedule")
SUBPROCESS_TIMEOUT = 180.0
BORDER = "#9a9a9a"  # around the in-process pictures

# What the pictures show typed into fields: demo input, not user interface text.
TYPED: dict[str, dict[str, str]] = {
    "en": {
        "server": "pool1.example.com",
        "snapshot": "before the kernel update",
        "snapshot_description": "Linux 6.1 to 6.6, planned for tonight.",
        "schedule": "Nightly web servers",
        "schedule_description": "Disks of the web VMs, every night at 02:30; the last ten kept.",
    },
    "ja": {
        "server": "pool1.example.com",
        "snapshot": "カーネル更新の前",
        "snapshot_description": "Linux 6.1 から 6.6 へ、今夜実施。",
        "schedule": "Web サーバーの夜間スナップショット",
        "schedule_description": "Web 用 VM のディスクを毎晩 2:30 に。直近 10 個を保持。",
    },
}


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    # Run from this checkout even when another copy of the package is installed.
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


# --- the main window, from the command line --------------------------------------------------


def main_window_command(path: Path, vm: str, view: str, lang: str) -> list[str]:
    """The ``xsnap-gui`` command line that saves the main window to ``path``."""
    return [sys.executable, "-m", "xsnap_gui.app", "--demo", "--screenshot", str(path),
            "--select-vm", vm, "--view", view, "--lang", lang]


def start_main_windows(out: Path, names: Iterable[str], lang: str) -> list[
        tuple[Path, subprocess.Popen[str]]]:
    """Start one ``xsnap-gui --screenshot`` per picture; they run side by side."""
    started = []
    for name in names:
        vm, view = MAIN_SHOTS[name]
        path = out / f"{name}.png"
        path.unlink(missing_ok=True)  # a stale picture must not pass for a new one
        process = subprocess.Popen(main_window_command(path, vm, view, lang), cwd=ROOT,
                                   env=_environment(), stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE, text=True)
        started.append((path, process))
    return started


def finish(started: Sequence[tuple[Path, subprocess.Popen[str]]], what: str) -> list[Path]:
    """Wait for subprocesses; fail with their output if one failed or wrote nothing."""
    made = []
    for path, process in started:
        try:
            _out, err = process.communicate(timeout=SUBPROCESS_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
            raise RuntimeError(f"{what} {path.name}: timed out\n{err}") from None
        # Qt's offscreen platform says this about every window; it is not news.
        noise = "This plugin does not support propagateSizeHints()"
        err = "\n".join(line for line in err.splitlines() if line.strip() != noise)
        if process.returncode != 0:
            raise RuntimeError(f"{what} {path}: exit status {process.returncode}\n{err}")
        if err.strip():
            print(err, file=sys.stderr)
        if path.suffix == ".png" and not path.is_file():
            raise RuntimeError(f"{what} {path}: no picture was written\n{err}")
        made.append(path)
    return made


# --- the dialogs, in this process -----------------------------------------------------------


def drive(loop: asyncio.AbstractEventLoop, awaitable: Coroutine[Any, Any, Any],
          timeout: float = 60.0) -> Any:
    """Run the loop until ``awaitable`` is done (see xsnap_gui.ui.event_loop)."""
    from xsnap_gui.ui.event_loop import run_until_done  # noqa: PLC0415

    return run_until_done(loop, asyncio.wait_for(awaitable, timeout))


async def _until(predicate: Callable[[], Any], what: str, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}")
        await asyncio.sleep(0.02)


class Studio:
    """The demo window and the dialogs it opens, one picture at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, window: Any, scratch: Path,
                 lang: str) -> None:
        from xsnap_gui.ui.operations import install as operations  # noqa: PLC0415
        from xsnap_gui.ui.schedules import schedule_ui  # noqa: PLC0415

        self.loop = loop
        self.window = window
        self.scratch = scratch
        self.typed = TYPED.get(lang, TYPED["en"])
        self.ops = operations(window)  # the window installed it; this returns that one
        ui = schedule_ui(window)
        assert ui is not None
        self.schedules = ui

    # --- driving ----------------------------------------------------------------------

    def until(self, predicate: Callable[[], Any], what: str, timeout: float = 60.0) -> Any:
        return drive(self.loop, _until(predicate, what, timeout), timeout + 10)

    def settle(self, seconds: float = 0.4) -> None:
        """Let timers fire (pre-flight checks, layouts) before a picture."""
        drive(self.loop, asyncio.sleep(seconds))

    @property
    def session(self) -> Any:
        return self.window.sessions[0]

    def wait_connected(self) -> None:
        self.until(lambda: self.window.sessions
                   and self.session.state.kind == "connected", "the demo pool")

    def show_vm(self, name: str, snapshots: Sequence[str] = ()) -> None:
        """Select the VM in the pool tree, then these snapshots of it (by name)."""
        self.until(lambda: self.window.select_vm_named(name), f"VM {name}")
        tab = self.window.snapshots_tab
        tab.refresh()
        refs = [self.snapshot(name, s) for s in snapshots]
        tab.select_snapshots(refs)
        assert set(tab.selected_snapshots()) == set(refs), (name, snapshots)
        self.window.registry.refresh()

    def snapshot(self, vm_name: str, snapshot_name: str) -> str:
        cache = self.session.cache
        vms = cache.records("VM")
        for rec in vms.values():
            if rec.get("name_label") == vm_name and not rec.get("is_a_snapshot") \
                    and not rec.get("is_a_template"):
                for snap in rec.get("snapshots") or ():
                    if (vms.get(snap) or {}).get("name_label") == snapshot_name:
                        return str(snap)
        raise LookupError(f"{vm_name} has no snapshot called {snapshot_name!r}")

    def trigger(self, action_name: str) -> Any:
        """Trigger a snapshot action as its toolbar button would; the dialog it opened."""
        action = self.window.registry.actions[action_name]
        self.window.registry.refresh()
        if not action.isEnabled():
            raise RuntimeError(f"{action_name} is disabled: {action.toolTip()}")
        self.ops.last_dialog = None
        action.trigger()
        dialog = self.ops.last_dialog
        if dialog is None or not dialog.isVisible():
            raise RuntimeError(f"{action_name} opened no dialog")
        return dialog

    def visible(self, cls: type) -> Any:
        found = [d for d in self.window.findChildren(cls) if d.isVisible()]
        return found[-1] if found else None

    def save(self, widget: Any, path: Path, *, fit: bool = True) -> Path:
        """Grab ``widget`` (a dialog: just its contents, no window frame) with a thin border,
        so it stands out from a white page."""
        from PySide6.QtGui import QColor, QPainter, QPixmap  # noqa: PLC0415

        # Qt events are pumped only inside the loop: outside it, a sync wakeup has no
        # running loop and the pool sync stops (tests/ui/qtloop.py tells the story).
        self.settle()
        if fit:
            widget.adjustSize()
            self.settle()
        picture = widget.grab()
        framed = QPixmap(picture.width() + 2, picture.height() + 2)
        framed.fill(QColor(BORDER))
        painter = QPainter(framed)
        painter.drawPixmap(1, 1, picture)
        painter.end()
        path.parent.mkdir(parents=True, exist_ok=True)
        if not framed.save(str(path)):
            raise RuntimeError(f"could not write {path}")
        return path

    # --- the pictures -------------------------------------------------------------------

    def add_server(self, path: Path) -> Path:
        """File > Add Server, filled in, with a usable keyring (none is probed)."""
        dialog = self._open_add_server()
        try:
            dialog.server_edit.setText(self.typed["server"])
            dialog.password_edit.setText("password")
            return self.save(dialog, path)
        finally:
            dialog.reject()

    def certificate(self, path: Path) -> Path:
        """The certificate question, for real: Add Server on the demo pool's address,
        whose self-signed certificate nothing trusts yet. Cancelled; nothing is saved."""
        from xsnap_gui.ui.connections.certificate_dialog import (  # noqa: PLC0415
            CertificateDialog,
        )

        application = self.window.application
        dialog = self._open_add_server()
        try:
            dialog.server_edit.setText(application.demo.url)
            dialog.password_edit.setText(self.session.spec.password)
            dialog.connect_button.click()
            question = self.until(lambda: self.visible(CertificateDialog),
                                  "the certificate dialog")
            try:
                return self.save(question, path)
            finally:
                question.reject()
        finally:
            self.until(lambda: not dialog.busy, "the cancelled connection")
            dialog.reject()

    def _open_add_server(self) -> Any:
        from xsnap_gui.model.secrets import KeyringStatus  # noqa: PLC0415
        from xsnap_gui.ui.connections.add_server_dialog import AddServerDialog  # noqa: PLC0415

        connections = self.window.application.connections
        if connections.keyring_status is None:
            # Show the dialog as on a desktop with a keyring, whatever this machine has.
            connections.keyring_status = KeyringStatus(True, "SecretService Keyring")
        self.window.registry.actions["actionAddServer"].trigger()
        return self.until(lambda: self.visible(AddServerDialog), "the Add Server dialog")

    def snapshot_details(self, path: Path) -> Path:
        """The Snapshots tab alone: a smaller tree zoomed out one step (Ctrl+minus) so it
        fits from Base to Now, and a memory snapshot selected, its details beside it."""
        self.show_vm(DETAILS_VM)
        tab = self.window.snapshots_tab
        cache = self.session.cache
        vm = cache.get("VM", self._vm_ref(DETAILS_VM)) or {}
        memory = [ref for ref in vm.get("snapshots") or ()
                  if (cache.get("VM", ref) or {}).get("suspend_VDI")]
        if not memory:
            raise RuntimeError(f"{DETAILS_VM} has no snapshot with memory")
        tab.select_snapshots(memory[-1:])
        tab.graph_view().zoom_out()
        size = self.window.size()
        self.window.resize(size.width(), 680)  # less empty space under the tree
        try:
            return self.save(tab, path, fit=False)
        finally:
            tab.graph_view().reset_zoom()
            self.window.resize(size)

    def take_snapshot(self, path: Path) -> Path:
        self.show_vm(DEMO_VM)
        dialog = self.trigger("actionTakeSnapshot")
        try:
            dialog.name_edit.setText(self.typed["snapshot"])
            dialog.description_edit.setPlainText(self.typed["snapshot_description"])
            return self.save(dialog, path)
        finally:
            dialog.reject()

    def revert(self, path: Path) -> Path:
        self.show_vm(DEMO_VM, ["before config change"])
        dialog = self.trigger("actionRevert")
        try:
            return self.save(dialog, path)
        finally:
            dialog.reject()

    def delete(self, path: Path) -> Path:
        self.show_vm(DEMO_VM, ["before reboot", "before config change"])
        dialog = self.trigger("actionDelete")
        try:
            return self.save(dialog, path)
        finally:
            dialog.reject()

    def export(self, path: Path) -> Path:
        from PySide6.QtCore import QSettings  # noqa: PLC0415

        from xsnap_gui.ui.operations.export_dialog import SETTINGS_FOLDER  # noqa: PLC0415

        folder = self.scratch / "Downloads"
        folder.mkdir(exist_ok=True)
        QSettings().setValue(SETTINGS_FOLDER, str(folder))  # the scratch settings
        self.show_vm(DEMO_VM, ["before config change"])
        dialog = self.trigger("actionExport")
        try:
            return self.save(dialog, path)
        finally:
            dialog.reject()

    def _wizard_name_page(self) -> Any:
        self.show_vm(DEMO_VM)
        before = len(self.schedules.wizards)
        action = self.window.registry.actions["actionNewSchedule"]
        self.window.registry.refresh()
        if not action.isEnabled():
            raise RuntimeError(f"actionNewSchedule is disabled: {action.toolTip()}")
        action.trigger()
        self.until(lambda: len(self.schedules.wizards) > before, "the schedule wizard")
        wizard = self.schedules.wizards[-1]
        wizard.resize(720, 420)
        wizard.name_pane.name_edit.setText(self.typed["schedule"])
        wizard.name_pane.description_edit.setPlainText(self.typed["schedule_description"])
        return wizard

    def schedule_wizard(self, path: Path) -> Path:
        """Pool > New Snapshot Schedule, its first page filled in."""
        wizard = self._wizard_name_page()
        try:
            return self.save(wizard, path, fit=False)
        finally:
            wizard.reject()

    def schedule_wizard_schedule(self, path: Path) -> Path:
        """The wizard's Schedule page: daily at 02:30 for three web VMs, with the next runs."""
        from PySide6.QtCore import Qt, QTime  # noqa: PLC0415
        from PySide6.QtWidgets import QWizard  # noqa: PLC0415

        from xsnap_gui.ui.schedules.pages import REF_ROLE  # noqa: PLC0415

        wizard = self._wizard_name_page()
        try:
            def next_page(expected: str) -> None:
                button = wizard.button(QWizard.WizardButton.NextButton)
                if not button.isEnabled():
                    page = wizard.currentPage().objectName()
                    raise RuntimeError(f"the wizard cannot leave {page}")
                button.click()
                self.until(lambda: wizard.currentPage().objectName() == expected, expected)

            next_page("pageVms")
            wanted = {self._vm_ref(name) for name in ("web-01", "web-02", "web-04")}
            model = wizard.vms_pane.model
            for row in range(model.rowCount()):
                item = model.item(row, 0)
                if item.data(REF_ROLE) in wanted:
                    item.setCheckState(Qt.CheckState.Checked)
            next_page("pageType")
            next_page("pageSchedule")
            pane = wizard.schedule_pane
            pane.daily.setChecked(True)
            pane.time_edit.setTime(QTime(2, 30))
            pane.retention_spin.setValue(10)
            wizard.resize(820, 520)
            return self.save(wizard, path, fit=False)
        finally:
            wizard.reject()

    def _vm_ref(self, name: str) -> str:
        for ref, rec in self.session.cache.records("VM").items():
            if rec.get("name_label") == name and not rec.get("is_a_snapshot") \
                    and not rec.get("is_a_template"):
                return str(ref)
        raise LookupError(name)

    def schedules_dialog(self, path: Path) -> Path:
        """Pool > VM Snapshot Schedules, the schedule with the most runs selected."""
        self.show_vm(DEMO_VM)
        cache = self.session.cache
        runs: dict[str, int] = {}
        for message in cache.records("message").values():
            if str(message.get("name", "")).startswith("VMSS_"):
                owner = str(message.get("obj_uuid", ""))
                runs[owner] = runs.get(owner, 0) + 1
        schedules = cache.records("VMSS")
        busiest = max(schedules, key=lambda r: (runs.get(schedules[r].get("uuid", ""), 0),
                                                 schedules[r].get("name_label", "")),
                      default=None)
        dialog = self.schedules.open_schedules(self.session, busiest)
        if dialog is None:
            raise RuntimeError("the schedules dialog did not open")
        try:
            dialog.resize(1300, 560)
            return self.save(dialog, path, fit=False)
        finally:
            dialog.close()

    def shoot(self, name: str, path: Path) -> Path:
        method = {"schedules": self.schedules_dialog}.get(name) \
            or getattr(self, name.replace("-", "_"))
        return method(path)


def _isolate_settings(folder: Path) -> None:
    """QSettings (window geometry, the export folder) in ``folder``, not the user's."""
    from PySide6.QtCore import QSettings  # noqa: PLC0415

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))


def shoot_in_process(out: Path, names: Sequence[str] = IN_PROCESS_SHOTS, *, lang: str = "en",
                     loop: asyncio.AbstractEventLoop | None = None) -> list[Path]:
    """Save each picture in ``names`` (of IN_PROCESS_SHOTS) to ``out``/NAME.png; returns the
    files, in that order.

    Uses the running QApplication (or makes one) and ``loop``, a qasync loop (or makes
    one, and closes it at the end). The demo window is opened for this call and closed.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync  # noqa: PLC0415 - after PySide6's binding is chosen
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    from xsnap_gui.app import create_main_window  # noqa: PLC0415

    unknown = [n for n in names if n not in IN_PROCESS_SHOTS]
    if unknown:
        raise ValueError(f"no such picture: {', '.join(unknown)}")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    own_loop = loop is None
    if loop is None:
        loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    made: list[Path] = []
    try:
        with tempfile.TemporaryDirectory(prefix="xsnap-screenshots-") as scratch:
            _isolate_settings(Path(scratch) / "settings")
            window = create_main_window(["--demo", "--lang", lang])
            window.show()  # type: ignore[attr-defined]
            try:
                studio = Studio(loop, window, Path(scratch), lang)
                studio.wait_connected()
                for name in names:
                    made.append(studio.shoot(name, out / f"{name}.png"))
            finally:
                drive(loop, window.application.shutdown())  # type: ignore[attr-defined]
                window.close()  # type: ignore[attr-defined]
                window.deleteLater()  # type: ignore[attr-defined]
                drive(loop, asyncio.sleep(0))
    finally:
        if own_loop:
            loop.close()
            asyncio.set_event_loop(None)
    return made


def _compile_translations() -> None:
    """Compile the catalogues of a checkout once, before the processes below start: each
    would compile them on its own at the same time, into the same files."""
    sys.path.insert(0, str(ROOT))
    from xsnap_gui.ui.i18n import catalogue_dir  # noqa: PLC0415

    catalogue_dir()


def _quiet_qt() -> None:
    """Drop what Qt's offscreen platform says about every window it cannot place."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler  # noqa: PLC0415

    def handler(_kind: QtMsgType, _context: object, message: str) -> None:
        if not message.startswith("This plugin does not support"):
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


# --- the command --------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT,
                        help="the folder for the pictures (default: docs/screenshots)")
    parser.add_argument("--lang", default="en", help="user interface language (default: en)")
    parser.add_argument("--only", nargs="+", metavar="NAME",
                        choices=(*MAIN_SHOTS, *IN_PROCESS_SHOTS),
                        help="just these pictures (and no Japanese ones unless --lang ja)")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    wanted = args.only or [*MAIN_SHOTS, *IN_PROCESS_SHOTS]
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _compile_translations()
    _quiet_qt()
    started = start_main_windows(out, [n for n in wanted if n in MAIN_SHOTS], args.lang)
    helpers: list[tuple[Path, subprocess.Popen[str]]] = []
    if args.only is None:
        # Japanese in its own process: a QApplication keeps the first translator it loads.
        japanese = out / "ja"
        helpers.append((japanese, subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--out", str(japanese),
             "--lang", "ja", "--only", *JAPANESE_SHOTS],
            cwd=ROOT, env=_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)))
    dialogs = [n for n in wanted if n in IN_PROCESS_SHOTS]
    made = shoot_in_process(out, dialogs, lang=args.lang) if dialogs else []
    made += finish(started, "xsnap-gui --screenshot")
    finish(helpers, "the Japanese pictures in")
    for path in made:
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
              f"{path.stat().st_size / 1024:.0f} KiB")
    if helpers:
        for path in sorted((out / "ja").glob("*.png")):
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: "
                  f"{path.stat().st_size / 1024:.0f} KiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
