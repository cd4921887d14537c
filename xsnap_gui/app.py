"""``xsnap-gui``: start the window, optionally on the built-in demo pool.

``create_main_window(argv)`` builds everything inside an existing QApplication
and qasync loop, so tests drive the real window in-process with the same
options as the command line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

DEMO_SPEC = "hosts=3,vms=36,snapshots=4,schedules=4"
DEMO_CLOCK_SPEED = 60.0  # demo minutes pass in real seconds, so schedules visibly fire
SCREENSHOT_TIMEOUT_MS = 60_000

log = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xsnap-gui",
        description="Snapshot manager for XenServer, XCP-ng and Citrix Hypervisor pools.",
    )
    p.add_argument("--demo", action="store_true",
                   help="start the built-in simulated pool and connect to it")
    p.add_argument("--db", metavar="DUMP.xml",
                   help="with --demo: serve this XAPI database dump instead of a generated pool")
    p.add_argument("--screenshot", metavar="FILE.png",
                   help="save a PNG of the main window once it has loaded, then quit")
    p.add_argument("--connect", metavar="URL",
                   help="connect to this pool at start, without saving it (the password comes "
                        "from the keyring, else $XSNAP_PASSWORD, else a prompt)")
    p.add_argument("--user", metavar="NAME", default="root",
                   help="with --connect: the user name (default: root)")
    p.add_argument("--fingerprint", metavar="SHA256", type=_fingerprint,
                   help="with --connect: trust the server certificate with this SHA-256 "
                        "fingerprint")
    p.add_argument("--select-vm", metavar="NAME", help="show this VM's snapshots")
    p.add_argument("--view", choices=("tree", "list"), help="the snapshot view")
    p.add_argument("--lang", metavar="CODE", help="user interface language, e.g. ja")
    p.add_argument("-v", "--verbose", action="store_true", help="log debugging details")
    return p


def _fingerprint(text: str) -> str:
    from .xapi.tls import normalise_fingerprint  # noqa: PLC0415

    try:
        return normalise_fingerprint(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


class Application:
    """Everything one window owns: sessions, the demo simulator, start-up options."""

    def __init__(self, args: argparse.Namespace) -> None:
        from .ui.main_window import MainWindow  # noqa: PLC0415 - Qt loads only with a window

        self.args = args
        # A screenshot run must look the same every time: no saved geometry in, none out.
        self.window = MainWindow(persist=not args.screenshot)
        self.window.application = self  # type: ignore[attr-defined]
        self.demo = None
        self._screenshot_done = False
        self._closing = False
        if args.view:
            self.window.set_view_mode(args.view)
        self.connections = None
        if args.demo:
            self._start_demo()
        self._start_connections()

    def _start_demo(self) -> None:
        from .simulator.api import start_simulator  # noqa: PLC0415
        from .simulator.core import SimConfig  # noqa: PLC0415
        from .ui.pool_session import PoolSession, ServerSpec  # noqa: PLC0415

        config = SimConfig(clock_speed=DEMO_CLOCK_SPEED, work_scale=1.0 / DEMO_CLOCK_SPEED)
        if self.args.db:
            running = start_simulator(db=self.args.db, config=config, tls=True)
        else:
            running = start_simulator(generate=DEMO_SPEC, seed=1, config=config, tls=True)
        self.demo = running
        assert running.certificate is not None
        # The demo's certificate is ours: pin it rather than asking the user.
        spec = ServerSpec(
            name="demo", url=running.url, username="root", password="xsnap",
            trusted_fingerprint=running.certificate.fingerprint_sha256,
        )
        session = PoolSession(spec, self.window)
        self.window.add_session(session)
        asyncio.get_event_loop().call_soon(session.start)

    def _start_connections(self) -> None:
        """Add Server and server menus; the --connect server, or else (without --demo,
        which stores nothing) the saved servers."""
        from .ui.connections.install import install  # noqa: PLC0415

        connections = self.connections = install(self.window)
        if self.args.connect:
            connections.connect_at_start(self.args.connect, self.args.user,
                                         fingerprint=self.args.fingerprint)
        elif not self.args.demo:
            connections.open_saved()

    # --- start-up selection and screenshots -------------------------------------------

    def start(self) -> None:
        from PySide6.QtCore import QTimer  # noqa: PLC0415

        self._poll_timer = QTimer(self.window)
        self._poll_timer.setInterval(100)
        self._poll_timer.timeout.connect(self._poll_startup)
        self._poll_timer.start()
        if self.args.screenshot:
            QTimer.singleShot(SCREENSHOT_TIMEOUT_MS, self._screenshot_timeout)

    def _loaded(self) -> bool:
        sessions = self.window.sessions
        return bool(sessions) and all(s.state.kind in ("connected", "failed") for s in sessions)

    def _poll_startup(self) -> None:
        if not self._loaded() and self.window.sessions:
            return
        if self.window.current_vm is None:
            if self.args.select_vm:
                if not self.window.select_vm_named(self.args.select_vm):
                    return
            else:
                self._select_interesting_vm()
        self._poll_timer.stop()
        if self.args.screenshot:
            from PySide6.QtCore import QTimer  # noqa: PLC0415

            # Let the views lay out and paint once before grabbing.
            QTimer.singleShot(600, self._take_screenshot)

    def _select_interesting_vm(self) -> None:
        """Show a VM whose tree branches, so a first look shows what the view can do."""
        best: tuple[int, int, int, str] | None = None
        for session in self.window.sessions:
            vms = session.cache.records("VM")
            for ref, rec in vms.items():
                if rec.get("is_a_template") or rec.get("is_control_domain"):
                    continue
                snapshots = [vms[s] for s in rec.get("snapshots", ()) if s in vms]
                branches = sum(1 for s in snapshots if len(s.get("children", ())) > 1)
                memory = sum(1 for s in snapshots if s.get("suspend_VDI"))
                candidate = (min(branches, 3), min(memory, 1), len(snapshots), ref)
                # Very deep chains make a poor first picture; they have their own warning.
                if len(snapshots) <= 12 and (best is None or candidate > best):
                    best = candidate
                    name = rec.get("name_label", "")
        if best is not None:
            self.window.select_vm_named(name)

    def _take_screenshot(self) -> None:
        if self._screenshot_done:
            return
        self._screenshot_done = True
        path = Path(self.args.screenshot)
        path.parent.mkdir(parents=True, exist_ok=True)
        ok = self.window.grab().save(str(path))
        if not ok:
            print(f"xsnap-gui: could not write {path}", file=sys.stderr)
        self.window.close()

    def _screenshot_timeout(self) -> None:
        if not self._screenshot_done:
            print("xsnap-gui: the window did not finish loading; saving what it shows",
                  file=sys.stderr)
            self._take_screenshot()

    # --- shutdown ---------------------------------------------------------------------

    async def shutdown(self) -> None:
        """Stop syncing, log out, stop the demo server."""
        if self.connections is not None:
            # Pending prompts and keyring calls first, so nothing reconnects meanwhile.
            with contextlib.suppress(Exception):
                await self.connections.shutdown()
        for session in list(self.window.sessions):
            with contextlib.suppress(Exception):
                await asyncio.wait_for(session.stop(), timeout=5)
        if self.demo is not None:
            self.demo.stop()
            self.demo = None


def install_translator(code: str | None) -> list[str]:
    """Load the UI translation for ``code`` (or the system locale); see ``ui.i18n``."""
    from .ui.i18n import install_translator as install  # noqa: PLC0415 - Qt only when needed

    return install(code)


def create_main_window(argv: Sequence[str]) -> object:
    """Build the main window inside the running QApplication and qasync loop.

    Returns the window; its ``application`` attribute holds the sessions and
    demo server, and ``application.shutdown()`` stops them.
    """
    args = build_parser().parse_args(list(argv))
    install_translator(args.lang)
    application = Application(args)
    application.start()
    return application.window


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    args = build_parser().parse_args(args_list)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s: %(message)s")
    import qasync  # noqa: PLC0415 - after PySide6, so qasync picks this binding
    from PySide6.QtCore import Qt  # noqa: PLC0415
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setOrganizationName("xsnap-gui")
    app.setApplicationName("xsnap-gui")
    app.setApplicationDisplayName("xsnap")
    from .ui.resources import apply_app_identity  # noqa: PLC0415

    apply_app_identity(app)
    from .ui.event_loop import run_until_done  # noqa: PLC0415

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed: asyncio.Future[None] = loop.create_future()
    with loop:
        window = create_main_window(args_list)
        application: Application = window.application  # type: ignore[attr-defined]
        app.lastWindowClosed.connect(lambda: closed.done() or closed.set_result(None))
        if args.screenshot:
            # Lay the window out at its real size without putting it on a screen.
            window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)  # type: ignore[attr-defined]
        window.show()  # type: ignore[attr-defined]
        run_until_done(loop, closed)
        run_until_done(loop, application.shutdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
