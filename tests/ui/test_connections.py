"""Connections end to end: the real window, the simulator over HTTPS, an in-memory keyring.

Every test runs with its own config folder (``XDG_CONFIG_HOME``) and keyring
backend (``keyring.set_keyring``), never the user's. After each test the
config folder, the window settings and the captured log are searched for the
password, which must not be in any of them.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
import shiboken6
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from tests.model.memory_keyring import LeakyFailingKeyring, MemoryKeyring, installed
from tests.ui.livepool import run
from tests.ui.qtloop import process_events, qasync_loop
from xsnap_gui.app import create_main_window
from xsnap_gui.model.secrets import SERVICE
from xsnap_gui.model.servers import SERVERS_FILE
from xsnap_gui.model.sync import CONNECTED, FAILED, RECONNECTING, STOPPED, SyncState
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.core import SimConfig, User
from xsnap_gui.simulator.faults import DropConnection, ExpireSessions
from xsnap_gui.ui.connections.add_server_dialog import AddServerDialog
from xsnap_gui.ui.connections.certificate_dialog import CertificateDialog, CertificateInfo
from xsnap_gui.ui.connections.controller import ConnectionsController
from xsnap_gui.ui.connections.install import install
from xsnap_gui.ui.connections.password_dialog import PasswordDialog
from xsnap_gui.ui.connections.texts import failure_text
from xsnap_gui.ui.pool_session import PoolSession
from xsnap_gui.ui.pool_tree import POOL, KindRole
from xsnap_gui.xapi.errors import ConnectionFailed

ROOT_PASSWORD = "Root-Pw-93!x"
READER_PASSWORD = "Reader-Pw-51?q"
AUDIT_PASSWORD = "Audit-Unique-Pw-4242-zz"
USERS = [
    User("root", ROOT_PASSWORD, "pool-admin"),
    User("reader", READER_PASSWORD, "read-only"),
    User("auditor", AUDIT_PASSWORD, "pool-admin"),
]
SPEC = "hosts=3,vms=8,snapshots=2,schedules=1"
SHOTS = Path("/tmp/xsnap-shots")
ALL_PASSWORDS = (ROOT_PASSWORD, READER_PASSWORD, AUDIT_PASSWORD)


def _start(port: int = 0) -> RunningSimulator:
    # A frozen clock: no schedule fires in the middle of a test.
    return start_simulator(generate=SPEC, seed=3, tls=True, port=port,
                           config=SimConfig(users=USERS, clock_speed=0))


# --- fixtures ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def settings_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("qsettings")


@pytest.fixture(scope="module")
def loop(qapp: QApplication, settings_dir: Path) -> Iterator[qasync.QEventLoop]:
    # Window geometry goes to a temporary folder too, never the user's settings.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings_dir))
    with qasync_loop(qapp) as event_loop:
        yield event_loop


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    running = _start()
    yield running
    running.stop()


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The app's config folder for this test (under a temporary XDG_CONFIG_HOME)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("XSNAP_PASSWORD", raising=False)
    return tmp_path / "config" / "xsnap-gui"


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    yield from installed(MemoryKeyring())  # type: ignore[misc]


@pytest.fixture(autouse=True)
def no_password_leaks(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                      settings_dir: Path) -> Iterator[None]:
    """After each test: no password in the log, the config folder or the window settings."""
    caplog.set_level(logging.DEBUG)
    yield
    assert not [p for p in ALL_PASSWORDS if p in caplog.text]
    # Nothing went wrong behind the scenes either (a task failing, a deleted session emitting).
    assert not [r.getMessage() for r in caplog.records
                if r.levelno >= logging.ERROR and r.name.startswith("xsnap_gui")]
    for record in caplog.records:
        text = record.getMessage() + (record.exc_text or "")
        assert not [p for p in ALL_PASSWORDS if p in text]
    for folder in (settings_dir, tmp_path / "config"):
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                assert not [p for p in ALL_PASSWORDS if p.encode() in data], path


# --- helpers ----------------------------------------------------------------------------


def run_until(loop: qasync.QEventLoop, predicate: Callable[[], Any],
              timeout: float = 30.0) -> Any:
    async def wait() -> Any:
        deadline = loop.time() + timeout
        while True:
            value = predicate()
            if value:
                return value
            if loop.time() > deadline:
                raise AssertionError("timed out")
            await asyncio.sleep(0.02)

    return run(loop, wait(), timeout + 5)


def open_window(loop: qasync.QEventLoop, argv: list[str] | None = None) -> Any:
    window = create_main_window(argv or [])
    window.show()
    return window


def close_window(loop: qasync.QEventLoop, window: Any) -> None:
    # Shut down while the loop runs: no task may be left to wake outside it.
    run(loop, window.application.shutdown(), 60.0)
    window.close()
    window.deleteLater()
    process_events()


@pytest.fixture
def windows(loop: qasync.QEventLoop) -> Iterator[list[Any]]:
    """Windows opened by a test, closed (sessions stopped) at its end even on failure."""
    opened: list[Any] = []
    yield opened
    for window in opened:
        try:
            close_window(loop, window)
        except RuntimeError:
            pass  # already closed and deleted by the test


def new_window(loop: qasync.QEventLoop, windows: list[Any],
               argv: list[str] | None = None) -> Any:
    window = open_window(loop, argv)
    windows.append(window)
    return window


def shown(parent: QWidget, cls: type[QDialog]) -> Any:
    found = [d for d in parent.findChildren(cls) if d.isVisible()]
    return found[-1] if found else None


def wait_dialog(loop: qasync.QEventLoop, parent: QWidget, cls: type[QDialog]) -> Any:
    return run_until(loop, lambda: shown(parent, cls))


def closed(widget: QWidget) -> bool:
    """Closed dialogs are deleted soon after: gone or hidden both count."""
    return not shiboken6.isValid(widget) or not widget.isVisible()


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def fingerprint_text(label: Any) -> str:
    return label.text().replace("\n", "")


def saved(config_dir: Path) -> list[dict[str, Any]]:
    path = config_dir / SERVERS_FILE
    if not path.exists():
        return []
    servers: list[dict[str, Any]] = json.loads(path.read_text())["servers"]
    return servers


def add_server(loop: qasync.QEventLoop, window: Any, url: str, user: str, password: str,
               *, remember: bool = True) -> AddServerDialog:
    window.registry.actions["actionAddServer"].trigger()
    dialog = wait_dialog(loop, window, AddServerDialog)
    dialog.server_edit.setText(url)
    dialog.user_edit.setText(user)
    dialog.password_edit.setText(password)
    if dialog.remember_check.isEnabled():
        dialog.remember_check.setChecked(remember)
    dialog.connect_button.click()
    return dialog


def trust(loop: qasync.QEventLoop, window: Any, name: str | None = None) -> CertificateDialog:
    dialog = wait_dialog(loop, window, CertificateDialog)
    if name:
        shot(dialog, name)
    dialog.trust_button.click()
    return dialog


def connected_session(loop: qasync.QEventLoop, window: Any, index: int = 0) -> PoolSession:
    run_until(loop, lambda: len(window.sessions) > index)
    session: PoolSession = window.sessions[index]
    run_until(loop, lambda: session.state.kind == CONNECTED)
    return session


def server_row_text(window: Any, session: PoolSession, role: int = Qt.ItemDataRole.DisplayRole,
                    ) -> str:
    model = window.pool_model
    return str(model.index_of(session).data(role) or "")


def controller(window: Any) -> ConnectionsController:
    return install(window)  # the app installed it already; this returns that one


# --- the tests the issue asks for -------------------------------------------------------


def test_add_https_server_trust_it_then_restart_auto_connects_from_the_keyring(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any]) -> None:
    assert sim.certificate is not None
    window = new_window(loop, windows)
    assert window.sessions == []
    dialog = add_server(loop, window, sim.url, "root", ROOT_PASSWORD)
    shot(dialog, "conn-add-server")
    cert = wait_dialog(loop, window, CertificateDialog)
    assert fingerprint_text(cert.fingerprint_label) == sim.certificate.fingerprint_sha256
    assert "xsnap-sim" in cert.subject_label.text()
    assert cert.valid_from_label.text() and cert.valid_until_label.text()
    assert "(self-signed)" in cert.issuer_label.text()
    trust(loop, window, "conn-certificate-trust")
    session = connected_session(loop, window)
    run_until(loop, lambda: session.cache.count("VM") > 0)
    assert window.pool_model.index_of(session).data(Qt.ItemDataRole.DisplayRole) == session.name

    entries = saved(config_dir)
    assert len(entries) == 1
    assert entries[0]["address"] == sim.url
    assert entries[0]["username"] == "root"
    assert entries[0]["fingerprint"] == sim.certificate.fingerprint_sha256
    assert entries[0]["remember_password"] is True and entries[0]["auto_connect"] is True
    run_until(loop, lambda: memory.passwords)
    assert memory.passwords == {(SERVICE, f"root@{sim.url}"): ROOT_PASSWORD}

    # Restart: a new window on the same config folder connects by itself.
    close_window(loop, window)
    windows.remove(window)
    memory.calls.clear()
    again = new_window(loop, windows)
    session = connected_session(loop, again)
    assert session.spec.url == sim.url
    assert ("get", SERVICE, f"root@{sim.url}") in memory.calls
    assert shown(again, PasswordDialog) is None and shown(again, CertificateDialog) is None
    assert session.connection is not None
    assert session.connection.info.certificate_fingerprint == sim.certificate.fingerprint_sha256


def test_a_changed_certificate_is_refused_with_both_fingerprints(
        loop: qasync.QEventLoop, config_dir: Path, memory: MemoryKeyring,
        windows: list[Any]) -> None:
    first = _start()
    try:
        assert first.certificate is not None
        old_fp = first.certificate.fingerprint_sha256
        url = first.url
        window = new_window(loop, windows)
        add_server(loop, window, url, "root", ROOT_PASSWORD)
        trust(loop, window)
        connected_session(loop, window)
        close_window(loop, window)
        windows.remove(window)
    finally:
        first.stop()

    # The same address, a new certificate: as after a host reinstall, or an interception.
    second = _start(port=int(url.rsplit(":", 1)[1]))
    try:
        assert second.certificate is not None and second.url == url
        new_fp = second.certificate.fingerprint_sha256
        assert new_fp != old_fp
        window = new_window(loop, windows)
        session = window.sessions[0]
        warning = wait_dialog(loop, window, CertificateDialog)
        shot(warning, "conn-certificate-changed")
        assert session.state.kind == FAILED
        assert warning.previous_label is not None
        assert fingerprint_text(warning.previous_label) == old_fp
        assert fingerprint_text(warning.fingerprint_label) == new_fp
        assert "xsnap-sim" in warning.subject_label.text()
        tooltip = server_row_text(window, session, Qt.ItemDataRole.ToolTipRole)
        assert old_fp in tooltip and new_fp in tooltip
        # Nothing connects until the user accepts on purpose: the button waits for the tick.
        assert not warning.trust_button.isEnabled()
        assert warning.cancel_button.isDefault()
        assert saved(config_dir)[0]["fingerprint"] == old_fp
        assert warning.accept_check is not None
        warning.accept_check.setChecked(True)
        warning.trust_button.click()
        connected_session(loop, window)
        assert saved(config_dir)[0]["fingerprint"] == new_fp
    finally:
        for window in list(windows):
            close_window(loop, window)
            windows.remove(window)
        second.stop()


def test_wrong_password_is_said_and_nothing_is_saved(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any]) -> None:
    window = new_window(loop, windows)
    dialog = add_server(loop, window, sim.url, "root", "not-the-password")
    trust(loop, window)
    run_until(loop, lambda: "password" in dialog.status_text())
    shot(dialog, "conn-add-server-wrong-password")
    assert "wrong" in dialog.status_text()
    assert dialog.isVisible() and dialog.connect_button.isEnabled()
    assert window.sessions == [] and saved(config_dir) == [] and memory.passwords == {}
    # The certificate trusted a moment ago is kept for the next try in the dialog.
    dialog.password_edit.setText(ROOT_PASSWORD)
    dialog.connect_button.click()
    connected_session(loop, window)
    assert shown(window, CertificateDialog) is None
    run_until(loop, lambda: closed(dialog))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize(("address", "expected"), [
    ("closed-port", "refused the connection"),
    ("no-such-host.invalid", "cannot be found"),
    ("http://plain.example.com", "This address cannot be used"),
])
def test_unreachable_hosts_get_their_own_messages(
        loop: qasync.QEventLoop, config_dir: Path, memory: MemoryKeyring,
        windows: list[Any], address: str, expected: str) -> None:
    url = f"https://127.0.0.1:{_closed_port()}" if address == "closed-port" else address
    window = new_window(loop, windows)
    dialog = add_server(loop, window, url, "root", ROOT_PASSWORD)
    run_until(loop, lambda: dialog.status_text() and not dialog.busy)
    assert expected in dialog.status_text()
    assert window.sessions == [] and saved(config_dir) == []


def test_each_failure_kind_reads_differently() -> None:
    reasons = ["refused", "unreachable", "dns", "timeout", "dropped", "tls", "http"]
    texts = {failure_text(ConnectionFailed(r, "detail", "https://h:443")) for r in reasons}
    assert len(texts) == len(reasons)


def test_a_pool_member_redirects_to_the_master(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any]) -> None:
    member_url = next(iter(sim.member_urls.values()))
    assert member_url != sim.url
    window = new_window(loop, windows)
    dialog = add_server(loop, window, member_url, "root", ROOT_PASSWORD)
    trust(loop, window)
    session = connected_session(loop, window)
    run_until(loop, lambda: dialog.close_button.isVisible())
    shot(dialog, "conn-add-server-redirected")
    status = dialog.status_text()
    assert "pool member" in status and "redirected" in status
    assert member_url.split("://")[1] in status and sim.url.split("://")[1] in status
    assert saved(config_dir)[0]["address"] == sim.url
    assert session.spec.url == sim.url
    assert session.connection is not None
    assert session.connection.info.redirected_from == member_url
    dialog.close_button.click()
    assert closed(dialog)


def test_without_a_keyring_it_says_so_saves_no_password_and_asks_at_connect(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        windows: list[Any]) -> None:
    for _ in installed(fail.Keyring()):
        window = new_window(loop, windows)
        window.registry.actions["actionAddServer"].trigger()
        dialog = wait_dialog(loop, window, AddServerDialog)
        run_until(loop, lambda d=dialog: d.keyring_warning.isVisible())
        dialog.server_edit.setText(sim.url)
        dialog.password_edit.setText(ROOT_PASSWORD)
        shot(dialog, "conn-no-keyring")
        assert "cannot be saved" in dialog.keyring_warning.text()
        assert "keyring" in dialog.keyring_warning.text()
        assert not dialog.remember_check.isEnabled() and not dialog.remember_check.isChecked()
        dialog.connect_button.click()
        trust(loop, window)
        connected_session(loop, window)
        assert saved(config_dir)[0]["remember_password"] is False
        close_window(loop, window)
        windows.remove(window)

        # At the next start the password is asked for, with the reason.
        again = new_window(loop, windows)
        prompt = wait_dialog(loop, again, PasswordDialog)
        run_until(loop, lambda p=prompt: p.keyring_warning.isVisible())
        shot(prompt, "conn-password-no-keyring")
        assert not prompt.remember_check.isEnabled()
        prompt.password_edit.setText(ROOT_PASSWORD)
        prompt.connect_button.click()
        connected_session(loop, again)
        assert saved(config_dir)[0]["remember_password"] is False
    files = [p for p in config_dir.parent.rglob("*") if p.is_file()]
    assert files and all(ROOT_PASSWORD.encode() not in p.read_bytes() for p in files)


def test_the_password_is_absent_from_logs_files_and_errors_after_a_full_session(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any], caplog: pytest.LogCaptureFixture,
        settings_dir: Path) -> None:
    errors: list[BaseException] = []
    window = new_window(loop, windows)
    dialog = add_server(loop, window, sim.url, "auditor", "wrong-" + AUDIT_PASSWORD[::-1])
    trust(loop, window)
    run_until(loop, lambda: "password" in dialog.status_text())
    dialog.password_edit.setText(AUDIT_PASSWORD)
    dialog.connect_button.click()
    session = connected_session(loop, window)
    session.stateChanged.connect(lambda s: s.error is not None and errors.append(s.error))
    # Session expiry: a silent re-login with the password in memory.
    resyncs = session.sync.resyncs
    sim.sim.faults.add(ExpireSessions())
    session.sync.request_resync()
    run_until(loop, lambda: session.sync.resyncs > resyncs and session.state.kind == CONNECTED)
    # A dropped connection, then a reconnection.
    sim.sim.faults.add(DropConnection(match="event.from", count=2))
    session.sync.request_resync()
    run_until(loop, lambda: errors)
    connected_session(loop, window)
    close_window(loop, window)
    windows.remove(window)
    # Restart from the keyring, then forget the server.
    again = new_window(loop, windows)
    session = connected_session(loop, again)
    run(loop, controller(again).forget_now(session), 60.0)
    assert memory.passwords == {} and saved(config_dir) == []

    assert errors
    for error in errors:
        assert AUDIT_PASSWORD not in str(error) and AUDIT_PASSWORD not in repr(error)
    assert AUDIT_PASSWORD not in repr(session.spec)
    assert "auditor" in caplog.text  # the log did record the session; just not the secret
    assert AUDIT_PASSWORD not in caplog.text
    for folder in (config_dir.parent, settings_dir):
        for path in folder.rglob("*"):
            assert not path.is_file() or AUDIT_PASSWORD.encode() not in path.read_bytes()


def test_a_dropped_connection_shows_reconnecting_then_the_cache_is_right_again(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any]) -> None:
    window = new_window(loop, windows)
    add_server(loop, window, sim.url, "root", ROOT_PASSWORD)
    trust(loop, window)
    session = connected_session(loop, window)
    run_until(loop, lambda: session.cache.count("VM") > 0)
    seen: list[tuple[SyncState, str]] = []
    session.stateChanged.connect(
        lambda s: seen.append((s, server_row_text(window, session))))
    db = sim.sim.db
    vm = next(ref for ref, row in db.rows("VM")
              if not row["is_a_template"] and not row["is_control_domain"])
    sim.sim.faults.add(DropConnection(match="event.from", count=2))
    # A change during the outage: the cache must have it once reconnected.
    db.update("VM", vm, name_label="renamed-during-outage")
    run_until(loop, lambda: any(s.kind == RECONNECTING for s, _ in seen))
    run_until(loop, lambda: seen[-1][0].kind == CONNECTED)
    reconnecting = [(s, text) for s, text in seen if s.kind == RECONNECTING]
    assert reconnecting[0][0].attempt == 1 and reconnecting[0][0].reason == "dropped"
    assert "reconnecting" in reconnecting[0][1]
    run_until(loop, lambda: session.cache.get("VM", vm)["name_label"]
              == "renamed-during-outage")
    expected = {ref: row["name_label"] for ref, row in db.rows("VM")}
    assert {ref: rec["name_label"] for ref, rec in session.cache.records("VM").items()} \
        == expected
    assert server_row_text(window, session) == session.name


def test_a_read_only_user_sees_the_actions_disabled_with_tooltips(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    assert sim.certificate is not None
    monkeypatch.setenv("XSNAP_PASSWORD", READER_PASSWORD)
    window = new_window(loop, windows, ["--connect", sim.url, "--user", "reader",
                                        "--fingerprint", sim.certificate.fingerprint_sha256])
    session = connected_session(loop, window)
    assert "XSNAP_PASSWORD" not in os.environ  # taken, not left for children
    assert session.connection is not None and session.connection.info.role == "read-only"
    assert saved(config_dir) == [] and memory.passwords == {}  # --connect stores nothing
    registry = window.registry
    # Handlers as the operations module registers them: the role still wins.
    for name in ("actionTakeSnapshot", "actionDelete", "actionNewSchedule"):
        registry.set_handler(name, lambda: None)
    run_until(loop, lambda: session.cache.count("VM") > 0)
    vm_name = next(rec["name_label"] for rec in session.cache.records("VM").values()
                   if not rec["is_a_template"] and not rec["is_control_domain"])
    assert window.select_vm_named(vm_name)
    run_until(loop, lambda: "read-only" in window.role_label.text())
    for name in ("actionTakeSnapshot", "actionDelete", "actionNewSchedule"):
        action = registry.actions[name]
        assert not action.isEnabled(), name
        assert "role" in action.toolTip(), name
    assert registry.actions["actionAddServer"].isEnabled()


def test_connect_at_start_asks_for_a_password_when_none_is_known(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any]) -> None:
    assert sim.certificate is not None
    window = new_window(loop, windows, ["--connect", sim.url, "--user", "root",
                                        "--fingerprint", sim.certificate.fingerprint_sha256])
    prompt = wait_dialog(loop, window, PasswordDialog)
    shot(prompt, "conn-password-prompt")
    prompt.password_edit.setText(ROOT_PASSWORD)
    prompt.remember_check.setChecked(True)
    prompt.connect_button.click()
    connected_session(loop, window)
    # Remembered under the address and user, so the next --connect needs no prompt.
    assert memory.passwords == {(SERVICE, f"root@{sim.url}"): ROOT_PASSWORD}
    assert saved(config_dir) == []


def test_a_failing_saved_server_never_blocks_the_others(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any]) -> None:
    assert sim.certificate is not None
    dead = f"https://127.0.0.1:{_closed_port()}"
    config_dir.mkdir(parents=True)
    (config_dir / SERVERS_FILE).write_text(json.dumps({"version": 1, "servers": [
        {"id": "dead", "address": dead, "username": "root", "remember_password": True},
        {"id": "live", "address": sim.url, "username": "root", "remember_password": True,
         "fingerprint": sim.certificate.fingerprint_sha256},
        {"id": "idle", "address": "https://idle.invalid", "username": "root",
         "auto_connect": False},
    ]}))
    memory.passwords[(SERVICE, f"root@{dead}")] = ROOT_PASSWORD
    memory.passwords[(SERVICE, f"root@{sim.url}")] = ROOT_PASSWORD
    window = new_window(loop, windows)
    dead_session, live_session, idle_session = window.sessions  # the saved order
    connected_session(loop, window, 1)
    run_until(loop, lambda: dead_session.state.kind == RECONNECTING)
    assert dead_session.state.reason == "refused"
    assert "reconnecting" in server_row_text(window, dead_session)
    assert "refused" in server_row_text(window, dead_session, Qt.ItemDataRole.ToolTipRole)
    assert idle_session.state.kind == STOPPED and not idle_session.running
    ctl = controller(window)
    menu = ctl.server_menu(dead_session)
    assert ctl.action_reconnect.text().replace("&", "") == "Retry"
    assert ctl.action_reconnect in menu.actions()
    ctl.action_reconnect.trigger()
    run_until(loop, lambda: dead_session.state.kind == RECONNECTING)
    assert live_session.state.kind == CONNECTED


def test_server_menu_disconnect_reconnect_edit_and_forget(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any]) -> None:
    window = new_window(loop, windows)
    add_server(loop, window, sim.url, "root", ROOT_PASSWORD)
    trust(loop, window)
    session = connected_session(loop, window)
    run_until(loop, lambda: memory.passwords)
    ctl = controller(window)
    model = window.pool_model

    def pool_rows() -> int:
        server = model.index_of(session)
        return sum(1 for row in range(model.rowCount(server))
                   if model.index(row, 0, server).data(KindRole) == POOL)

    run_until(loop, pool_rows)
    ctl.server_menu(session)
    assert ctl.action_disconnect.isEnabled()
    ctl.action_disconnect.trigger()
    run_until(loop, lambda: session.state.kind == STOPPED and pool_rows() == 0)
    assert "disconnected" in server_row_text(window, session)
    ctl.server_menu(session)
    assert not ctl.action_disconnect.isEnabled()
    ctl.action_reconnect.trigger()
    connected_session(loop, window)
    run_until(loop, pool_rows)

    ctl.server_menu(session)
    ctl.action_edit.trigger()
    edit = wait_dialog(loop, window, AddServerDialog)
    assert edit.objectName() == "editServerDialog"
    assert edit.server_edit.text() == sim.url and edit.user_edit.text() == "root"
    assert edit.password_edit.text() == ""  # the stored password is never shown
    edit.auto_connect_check.setChecked(False)
    loads = session.sync.resyncs
    edit.connect_button.click()
    run_until(loop, lambda: closed(edit))
    run_until(loop, lambda: saved(config_dir)[0]["auto_connect"] is False)
    # The session restarts on the edited settings (a new full load).
    run_until(loop, lambda: session.sync.resyncs > loads and session.state.kind == CONNECTED)
    assert len(window.sessions) == 1

    ctl.server_menu(session)
    ctl.action_forget.trigger()
    box = wait_dialog(loop, window, QMessageBox)
    forget = next(b for b in box.buttons() if b.text() == "Forget")
    forget.click()
    run_until(loop, lambda: window.sessions == [])
    run_until(loop, lambda: memory.passwords == {})
    assert saved(config_dir) == []
    assert model.rowCount() == 0


def test_a_master_change_is_followed_and_the_new_address_saved(
        loop: qasync.QEventLoop, config_dir: Path, memory: MemoryKeyring,
        windows: list[Any]) -> None:
    running = _start()
    try:
        window = new_window(loop, windows)
        add_server(loop, window, running.url, "root", ROOT_PASSWORD)
        trust(loop, window)
        session = connected_session(loop, window)
        run_until(loop, lambda: memory.passwords)
        new_master, new_url = next(iter(running.member_urls.items()))
        # As xapi does when the master moves: the old master's xapi restarts and drops its
        # connections. The reconnection meets HOST_IS_SLAVE there and follows it.
        running.sim.faults.move_master(new_master)
        running.sim.faults.add(DropConnection(match="event.from", count=2))
        session.sync.request_resync()
        run_until(loop, lambda: saved(config_dir)[0]["address"] == new_url)
        assert session.spec.url == new_url
        run_until(loop, lambda: session.state.kind == CONNECTED)
        # The keyring entry moved with the address.
        run_until(loop, lambda: set(memory.passwords) == {(SERVICE, f"root@{new_url}")})
    finally:
        for window in list(windows):
            close_window(loop, window)
            windows.remove(window)
        running.stop()


def test_certificate_dialog_marks_expired_and_future_dates(qapp: QApplication) -> None:
    now = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    fp = ":".join(["0F"] * 32)
    expired = CertificateDialog(None, server="h", now=now, certificate=CertificateInfo(
        fp, "CN=h", "CN=ca", dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC)))
    assert "expired" in expired.valid_until_label.text()
    assert "not valid yet" not in expired.valid_from_label.text()
    assert expired.issuer_label.text() == "CN=ca"
    future = CertificateDialog(None, server="h", now=now, certificate=CertificateInfo(
        fp, "CN=h", "CN=h", dt.datetime(2031, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2040, 1, 1, tzinfo=dt.UTC)))
    assert "not valid yet" in future.valid_from_label.text()
    assert "expired" not in future.valid_until_label.text()
    for dialog in (expired, future):
        dialog.deleteLater()


def test_forget_during_an_edit_leaves_nothing_behind(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        memory: MemoryKeyring, windows: list[Any]) -> None:
    window = new_window(loop, windows)
    add_server(loop, window, sim.url, "root", ROOT_PASSWORD)
    trust(loop, window)
    session = connected_session(loop, window)
    run_until(loop, lambda: memory.passwords)
    ctl = controller(window)
    ctl.server_menu(session)
    ctl.action_edit.trigger()
    edit = wait_dialog(loop, window, AddServerDialog)
    edit.connect_button.click()
    run_until(loop, lambda: closed(edit))
    # The edit is being applied (restart, keyring) when the server is forgotten.
    run(loop, ctl.forget_now(session), 60.0)
    run_until(loop, lambda: not [t for t in ctl._tasks if not t.done()])
    assert window.sessions == [] and saved(config_dir) == [] and memory.passwords == {}


@pytest.mark.parametrize(("backend", "reason"), [
    (LeakyFailingKeyring, "The keyring is locked."),  # its get_password raises KeyringLocked
    (MemoryKeyring, "The keyring has no saved password for this server."),
])
def test_a_keyring_without_the_password_at_start_leads_to_the_prompt_with_the_reason(
        loop: qasync.QEventLoop, sim: RunningSimulator, config_dir: Path,
        windows: list[Any], backend: type[MemoryKeyring], reason: str) -> None:
    assert sim.certificate is not None
    config_dir.mkdir(parents=True)
    (config_dir / SERVERS_FILE).write_text(json.dumps({"version": 1, "servers": [
        {"address": sim.url, "username": "root", "remember_password": True,
         "fingerprint": sim.certificate.fingerprint_sha256},
    ]}))
    for _ in installed(backend()):
        window = new_window(loop, windows)
        prompt = wait_dialog(loop, window, PasswordDialog)
        assert prompt.problem_label.text() == reason
        prompt.password_edit.setText(ROOT_PASSWORD)
        prompt.connect_button.click()
        connected_session(loop, window)


def test_demo_stores_nothing(loop: qasync.QEventLoop, config_dir: Path,
                             memory: MemoryKeyring, windows: list[Any]) -> None:
    window = new_window(loop, windows, ["--demo"])
    connected_session(loop, window)
    assert [s.name for s in window.sessions] == ["demo"]
    assert not config_dir.exists() and memory.calls == []


def test_dialogs_are_rendered_for_review(qapp: QApplication) -> None:
    """The password prompt with a refused password, as it appears after a server said no."""
    dialog = PasswordDialog(None, server="pool1.example.com", username="root",
                            problem="The user name or password is wrong: the server refused "
                                    "the login.")
    dialog.show()
    shot(dialog, "conn-password-refused")
    assert dialog.problem_label.isVisible() and not dialog.connect_button.isEnabled()
    dialog.password_edit.setText("x")
    assert dialog.connect_button.isEnabled()
    dialog.close()
    dialog.deleteLater()

