"""Saved servers turned into live sessions in one main window, and back.

:class:`ConnectionsController` owns the saved list (:class:`ServerList`) and
the keyring (:class:`SecretStore`), and for every session it made it knows the
saved entry behind it. It

- opens the saved servers at start: each gets its row in the pool tree at
  once, in the saved order; auto-connect ones fetch their password and
  connect in parallel, each in its own task, so a slow or failing server
  never holds up the others;
- runs Add Server and Edit, saving the entry (never the password) and
  putting the password in the keyring when asked to;
- answers failures the user must resolve: a refused password brings up the
  password prompt, an untrusted or changed certificate the certificate
  dialog; other failures stay in the tree (state, reason in the tooltip)
  until Reconnect (shown as Retry);
- gives server rows of the pool tree their context menu: Disconnect,
  Reconnect, Forget Server, Edit.

Passwords are held only in the sessions' specs (memory) and the keyring.
Dialogs are opened with ``open()`` and awaited through their ``finished``
signal, never with ``exec()``.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import os
from collections.abc import Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox

from ...model.secrets import NO_BACKEND, KeyringStatus, KeyringUnavailable, SecretStore
from ...model.servers import SavedServer, ServerList, normalise_address
from ...model.sync import CONNECTED, FAILED, RECONNECTING, STOPPED, SyncState
from ...xapi.errors import (
    AuthenticationFailed,
    CertificateChanged,
    ConnectionFailed,
    UntrustedCertificate,
)
from ..pool_session import PoolSession, ServerSpec
from ..pool_tree import SERVER, KindRole, SessionRole
from .add_server_dialog import AddServerDialog, ConnectOutcome
from .certificate_dialog import CertificateDialog, CertificateInfo
from .common import fill, run_dialog
from .password_dialog import PasswordDialog
from .texts import failure_text, host_of, keyring_problem_text

if TYPE_CHECKING:
    from ..main_window import MainWindow

log = logging.getLogger(__name__)

PASSWORD_ENV = "XSNAP_PASSWORD"
_USER_FIXABLE = (AuthenticationFailed, UntrustedCertificate, CertificateChanged)


@dataclass
class _Entry:
    """What the controller knows about one of its sessions."""

    server_id: str | None  # the saved entry; None for a --connect session not saved
    flow: asyncio.Task[None] | None = None  # connecting or asking the user, if running


class ConnectionsController(QObject):
    """Connections of one :class:`MainWindow`. Made by :func:`..install.install`."""

    keyringStatusKnown = Signal(object)  # KeyringStatus  # noqa: N815 - Qt naming

    def __init__(self, window: MainWindow, *, config_dir: Path | None = None,
                 secrets: SecretStore | None = None, allow_plain_http: bool = False) -> None:
        super().__init__(window)
        self.window = window
        self.config_dir = config_dir
        self.secrets = secrets or SecretStore()
        # Only for test pools over http://; the Add Server dialog refuses it otherwise.
        self.allow_plain_http = allow_plain_http
        self.keyring_status: KeyringStatus | None = None
        self._servers: ServerList | None = None
        self._entries: dict[PoolSession, _Entry] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._probe: asyncio.Task[KeyringStatus] | None = None
        self._closing = False
        self._menu_session: PoolSession | None = None
        self.add_dialog: AddServerDialog | None = None
        self._build_actions()
        window.registry.set_handler("actionAddServer", self.add_server)
        tree = window.pool_tree
        tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        tree.customContextMenuRequested.connect(self._tree_menu_requested)

    # --- the saved list -------------------------------------------------------------

    @property
    def servers(self) -> ServerList:
        """The saved servers, read at first use."""
        if self._servers is None:
            self._servers = ServerList.open(self.config_dir)
            if self._servers.load_problem:
                self._inform(self.tr("Saved Servers"), fill(
                    self.tr("Some saved servers could not be read: %1"),
                    self._servers.load_problem))
        return self._servers

    def saved_server(self, session: PoolSession) -> SavedServer | None:
        entry = self._entries.get(session)
        if entry is None or entry.server_id is None:
            return None
        return self.servers.get(entry.server_id)

    def session_of(self, server_id: str) -> PoolSession | None:
        return next((s for s, e in self._entries.items() if e.server_id == server_id), None)

    def sessions(self) -> list[PoolSession]:
        return list(self._entries)

    # --- start-up -------------------------------------------------------------------

    def open_saved(self) -> None:
        """Show every saved server; connect those marked auto-connect, all in parallel."""
        for server in self.servers:
            if self.session_of(server.id) is not None:
                continue
            session = self._new_session(self._spec_of(server), server.id)
            if server.auto_connect:
                self._start_flow(session, self._connect(session))
            else:
                session.announce(SyncState(STOPPED))

    def connect_at_start(self, url: str, username: str, *,
                         fingerprint: str | None = None) -> PoolSession | None:
        """``--connect URL --user NAME``: connect without saving anything.

        The password comes from the keyring (a password remembered for this
        address and user), else ``$XSNAP_PASSWORD``, else a prompt. A saved
        entry for the same address and user lends its pinned certificate.
        """
        try:
            address = normalise_address(url, allow_plain_http=self.allow_plain_http)
        except ValueError as e:
            self._inform(self.tr("Cannot Connect"), failure_text(e))
            return None
        saved = self.servers.find(address, username)
        if saved is not None:
            existing = self.session_of(saved.id)
            session = existing or self._new_session(self._spec_of(saved), saved.id)
            if fingerprint:
                session.update_spec(trusted_fingerprint=fingerprint)
        else:
            spec = ServerSpec(name=host_of(address), url=address, username=username,
                              password="", trusted_fingerprint=fingerprint,
                              allow_plain_http=self.allow_plain_http)
            session = self._new_session(spec, None)
        self._start_flow(session, self._connect(session, use_environment=True))
        return session

    def _spec_of(self, server: SavedServer) -> ServerSpec:
        return ServerSpec(name=server.display_name, url=server.address,
                          username=server.username, password="",
                          trusted_fingerprint=server.fingerprint,
                          allow_plain_http=server.allow_plain_http)

    def _new_session(self, spec: ServerSpec, server_id: str | None) -> PoolSession:
        session = PoolSession(spec, self.window)
        self._entries[session] = _Entry(server_id)
        session.stateChanged.connect(
            lambda state, s=session: self._on_state(s, state))
        # A re-login can land on a new coordinator without any change of state.
        session.cacheChanged.connect(
            lambda _changes, s=session: self._follow_coordinator(s))
        self.window.add_session(session)
        return session

    # --- connecting -----------------------------------------------------------------

    def _start_flow(self, session: PoolSession, coro: Coroutine[Any, Any, None]) -> bool:
        """Run ``coro`` as the session's one flow; False (and ``coro`` dropped) if one runs."""
        entry = self._entries.get(session)
        if entry is None or self._closing or (entry.flow is not None and not entry.flow.done()):
            coro.close()
            return False
        entry.flow = self._spawn(coro)
        return True

    def _account(self, session: PoolSession) -> str:
        return f"{session.spec.username}@{session.spec.url}"

    async def _connect(self, session: PoolSession, *, use_environment: bool = False) -> None:
        """Find the password (memory, keyring, environment, the user) and start syncing."""
        password = session.spec.password or None
        problem = ""
        saved = self.saved_server(session)
        if password is None and (saved is None or saved.remember_password):
            try:
                password = await self.secrets.get(self._account(session))
            except KeyringUnavailable as e:
                # Without any keyring the prompt's own notice says so; other trouble is news.
                if e.kind != NO_BACKEND:
                    log.warning("cannot read the password from the keyring: %s", e)
                    problem = keyring_problem_text(e.kind)
            else:
                if password is None and saved is not None:
                    problem = self.tr("The keyring has no saved password for this server.")
        if password is None and use_environment:
            # Taken out of the environment, so child processes and crash reports never see it.
            password = os.environ.pop(PASSWORD_ENV, None) or None
        if password is None:
            password = await self._ask_password(session, problem)
            if password is None:
                session.announce(SyncState(STOPPED))
                return
        session.update_spec(password=password)
        await session.restart()

    async def _ask_password(self, session: PoolSession, problem: str) -> str | None:
        """The password prompt; stores the password when the user ticks Remember."""
        saved = self.saved_server(session)
        status = await self.keyring()
        dialog = PasswordDialog(self.window, server=host_of(session.spec.url),
                                username=session.spec.username, problem=problem,
                                keyring=status,
                                remember=saved.remember_password if saved else False)
        try:
            if await run_dialog(dialog) != QDialog.DialogCode.Accepted:
                return None
            password, remember = dialog.password(), dialog.remember()
        finally:
            dialog.deleteLater()
        await self._remember(session, password, remember)
        return password

    async def _remember(self, session: PoolSession, password: str, remember: bool) -> None:
        """Store (or, when no longer wanted, delete) the session's password in the keyring."""
        saved = self.saved_server(session)
        account = self._account(session)
        stored = False
        if remember:
            try:
                await self.secrets.set(account, password)
                stored = True
            except KeyringUnavailable as e:
                self._password_not_saved(e)
        elif saved is not None and saved.remember_password:
            with contextlib.suppress(KeyringUnavailable):
                await self.secrets.delete(account)
        if saved is not None and saved.remember_password != stored:
            self.servers.update(saved.id, remember_password=stored)

    def _password_not_saved(self, error: KeyringUnavailable) -> None:
        log.warning("cannot store the password in the keyring: %s", error)
        self._inform(self.tr("Password Not Saved"), fill(
            self.tr("The password could not be saved in the keyring. %1 It was not saved "
                    "anywhere else; xsnap will ask for it at the next connection."),
            keyring_problem_text(error.kind)))

    # --- reacting to states ---------------------------------------------------------

    def _on_state(self, session: PoolSession, state: SyncState) -> None:
        if self._closing or session not in self._entries:
            return
        if state.kind == CONNECTED:
            self._follow_coordinator(session)
        elif state.kind == FAILED and isinstance(state.error, _USER_FIXABLE):
            # Only the user can fix these: ask at once rather than leave a dead row.
            self._start_flow(session, self._resolve(session, state.error))

    async def _resolve(self, session: PoolSession, error: BaseException) -> None:
        """Ask about a refused password or a certificate, then reconnect with the answer."""
        url = session.spec.url
        if isinstance(error, AuthenticationFailed):
            password = await self._ask_password(session, failure_text(error, url))
            if password is None:
                return
            session.update_spec(password=password)
        elif isinstance(error, CertificateChanged):
            dialog = CertificateDialog(self.window, server=host_of(error.url or url),
                                       certificate=CertificateInfo.from_changed(error),
                                       previous_fingerprint=error.expected)
            if not await self._trusted(dialog):
                return
            self._pin(session, error.actual, url)
        elif isinstance(error, UntrustedCertificate):
            dialog = CertificateDialog(self.window, server=host_of(error.url or url),
                                       certificate=CertificateInfo.from_untrusted(error))
            if not await self._trusted(dialog):
                return
            self._pin(session, error.fingerprint_sha256, error.url or url)
        await session.restart()

    @staticmethod
    async def _trusted(dialog: CertificateDialog) -> bool:
        try:
            return await run_dialog(dialog) == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()

    def _pin(self, session: PoolSession, fingerprint: str, url: str) -> None:
        """Trust ``fingerprint`` for the session (and its saved entry) at ``url``."""
        session.update_spec(trusted_fingerprint=fingerprint, url=url)
        saved = self.saved_server(session)
        if saved is not None:
            self._save_address(session, saved, url, fingerprint=fingerprint)

    def _follow_coordinator(self, session: PoolSession) -> None:
        """After a redirect to another coordinator, remember where the pool is now."""
        conn = session.connection
        saved = self.saved_server(session)
        if conn is None or saved is None or self._closing:
            return
        try:
            url = conn.info.url
        except ConnectionFailed:
            return  # closed meanwhile
        if url == saved.address:
            return
        log.info("the pool of %s is now coordinated by %s", saved.address, url)
        session.update_spec(url=url)
        self._save_address(session, saved, url)

    def _save_address(self, session: PoolSession, saved: SavedServer, url: str,
                      **changes: Any) -> None:
        old_account = saved.secret_account
        updated = self.servers.update(saved.id, address=url, **changes)
        if updated.secret_account != old_account and saved.remember_password:
            self._spawn(self._move_secret(old_account, updated.secret_account))

    async def _move_secret(self, old: str, new: str) -> None:
        try:
            await self.secrets.move(old, new)
        except KeyringUnavailable as e:
            log.warning("could not move a password in the keyring: %s", e)

    # --- Add Server and Edit --------------------------------------------------------

    def add_server(self) -> None:
        """Open the Add Server dialog (the ``actionAddServer`` handler); see ``add_dialog``."""
        self._open_server_dialog(None, None)

    def edit_server(self, session: PoolSession) -> None:
        """Open the Edit dialog of ``session``'s server."""
        self._spawn(self._edit(session))

    async def _edit(self, session: PoolSession) -> None:
        saved = self.saved_server(session)
        known = session.spec.password or None
        if known is None and saved is not None and saved.remember_password:
            with contextlib.suppress(KeyringUnavailable):
                known = await self.secrets.get(saved.secret_account)
        server = saved or SavedServer.new(session.spec.url, session.spec.username,
                                          fingerprint=session.spec.trusted_fingerprint,
                                          allow_plain_http=session.spec.allow_plain_http)
        self._open_server_dialog(server, known, session)

    def _open_server_dialog(self, server: SavedServer | None, known_password: str | None,
                            session: PoolSession | None = None) -> AddServerDialog:
        dialog = AddServerDialog(self.window, keyring=self.keyring_status, server=server,
                                 known_password=known_password,
                                 allow_plain_http=self.allow_plain_http)
        dialog.connected.connect(lambda outcome: self._adopt_later(outcome, session))
        self.keyringStatusKnown.connect(dialog.set_keyring_status)
        dialog.finished.connect(lambda _code: self._dialog_closed(dialog))
        self.add_dialog = dialog
        dialog.open()
        if self.keyring_status is None:
            self._spawn(self.keyring())
        return dialog

    def _dialog_closed(self, dialog: AddServerDialog) -> None:
        with contextlib.suppress(RuntimeError, TypeError):
            self.keyringStatusKnown.disconnect(dialog.set_keyring_status)
        if self.add_dialog is dialog:
            self.add_dialog = None
        dialog.deleteLater()

    def _adopt_later(self, outcome: ConnectOutcome, editing: PoolSession | None) -> None:
        entry = self._entries.get(editing) if editing is not None else None
        if entry is None:
            self._spawn(self._adopt(outcome, None))
            return
        # An edit replaces whatever the session was doing (a prompt, a reconnection), and is
        # itself cancelled by a Forget.
        if entry.flow is not None and not entry.flow.done():
            entry.flow.cancel()
        entry.flow = self._spawn(self._adopt(outcome, editing))

    async def _adopt(self, outcome: ConnectOutcome, editing: PoolSession | None) -> None:
        """Save the server, start its session on the new connection, store the password."""
        old = self.saved_server(editing) if editing is not None else None
        if old is not None:
            server = dataclasses.replace(
                old, address=outcome.address, username=outcome.username,
                fingerprint=outcome.fingerprint, auto_connect=outcome.auto_connect,
                remember_password=outcome.remember)
            self.servers.replace(server)
        else:
            server = self.servers.add(SavedServer.new(
                outcome.address, outcome.username, fingerprint=outcome.fingerprint,
                auto_connect=outcome.auto_connect, remember_password=outcome.remember,
                allow_plain_http=self.allow_plain_http
                and outcome.address.startswith("http://")))
        spec = dataclasses.replace(self._spec_of(server), password=outcome.password)
        session = editing if editing is not None else self.session_of(server.id)
        if session is None:
            session = self._new_session(spec, server.id)
            session.start(outcome.connection)
        else:
            self._entries[session].server_id = server.id
            session.update_spec(**{f.name: getattr(spec, f.name)
                                   for f in dataclasses.fields(spec)})
            try:
                await session.restart(outcome.connection)
            except asyncio.CancelledError:
                if session.sync.connection is not outcome.connection:
                    self._spawn(outcome.connection.close())  # never handed over: ours to close
                raise
        self.window.pool_tree.select_object(session)

        # The keyring last: a locked one may take its time, and the pool is already there.
        stale = [old.secret_account] if old is not None and old.remember_password else []
        if outcome.remember:
            try:
                await self.secrets.set(server.secret_account, outcome.password)
            except KeyringUnavailable as e:
                if self.servers.get(server.id) is not None:
                    self.servers.update(server.id, remember_password=False)
                self._password_not_saved(e)
            else:
                if self.servers.get(server.id) is None and session not in self._entries:
                    stale.append(server.secret_account)  # forgotten while we were storing
                else:
                    stale = [a for a in stale if a != server.secret_account]
        else:
            stale.append(server.secret_account)
        for account in stale:
            with contextlib.suppress(KeyringUnavailable):
                await self.secrets.delete(account)

    # --- the server menu ------------------------------------------------------------

    def _build_actions(self) -> None:
        def make(name: str, text: str, handler: Any) -> QAction:
            action = QAction(text, self.window)
            action.setObjectName(name)
            action.triggered.connect(lambda _checked=False: self._on_menu_action(handler))
            return action

        self.action_disconnect = make("actionServerDisconnect", self.tr("&Disconnect"),
                                      self.disconnect_server)
        self.action_reconnect = make("actionServerReconnect", self.tr("&Reconnect"),
                                     self.reconnect_server)
        self.action_forget = make("actionServerForget", self.tr("&Forget Server\u2026"),
                                  self.forget_server)
        self.action_edit = make("actionServerEdit", self.tr("&Edit\u2026"), self.edit_server)

    def _on_menu_action(self, handler: Any) -> None:
        session = self._menu_session
        if session is not None and session in self.window.sessions:
            handler(session)

    def server_menu(self, session: PoolSession) -> QMenu:
        """The menu of a server row, its actions set up for ``session``."""
        self._menu_session = session
        state = session.state
        managed = session in self._entries
        self.action_disconnect.setEnabled(session.running)
        if state.kind in (FAILED, RECONNECTING):
            self.action_reconnect.setText(self.tr("&Retry"))
        elif state.kind == STOPPED:
            self.action_reconnect.setText(self.tr("&Connect"))
        else:
            self.action_reconnect.setText(self.tr("&Reconnect"))
        self.action_forget.setEnabled(managed)
        self.action_edit.setEnabled(managed)
        tip = "" if managed else self.tr("This connection is not managed by xsnap's server "
                                         "list (the demo pool)")
        self.action_forget.setToolTip(tip)
        self.action_edit.setToolTip(tip)
        menu = QMenu(self.window.pool_tree)
        menu.setObjectName("serverMenu")
        menu.setToolTipsVisible(True)
        menu.addAction(self.action_reconnect)
        menu.addAction(self.action_disconnect)
        menu.addSeparator()
        menu.addAction(self.action_edit)
        menu.addAction(self.action_forget)
        return menu

    def _tree_menu_requested(self, pos: QPoint) -> None:
        tree = self.window.pool_tree
        index = tree.indexAt(pos)
        if not index.isValid() or index.data(KindRole) != SERVER:
            return  # other rows' menus belong to others
        session = index.data(SessionRole)
        if not isinstance(session, PoolSession):
            return
        menu = self.server_menu(session)
        menu.aboutToHide.connect(menu.deleteLater)
        # popup(), not exec(): no nested event loop under qasync.
        menu.popup(tree.viewport().mapToGlobal(pos))

    def disconnect_server(self, session: PoolSession) -> None:
        """Stop syncing and close the connection; the pool's objects leave the tree."""
        entry = self._entries.get(session)
        if entry is not None and entry.flow is not None:
            entry.flow.cancel()
        self._spawn(self._disconnect(session))

    async def _disconnect(self, session: PoolSession) -> None:
        await session.stop()
        session.cache.clear()

    def reconnect_server(self, session: PoolSession) -> None:
        """Connect again now (Retry): ask first if the failure needs the user."""
        state = session.state
        if session not in self._entries:
            self._spawn(session.restart())
        elif state.kind == FAILED and isinstance(state.error, _USER_FIXABLE):
            self._start_flow(session, self._resolve(session, state.error))
        elif not session.spec.password:
            self._start_flow(session, self._connect(session))
        else:
            self._start_flow(session, session.restart())

    def forget_server(self, session: PoolSession) -> None:
        """Ask, then disconnect, remove the server from the list and its password from the
        keyring."""
        self._spawn(self._forget(session))

    async def _forget(self, session: PoolSession) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Forget Server"), fill(
            self.tr("Forget %1? It is removed from the server list, and its saved password "
                    "is deleted from the keyring."), session.name),
            QMessageBox.StandardButton.NoButton, self.window)
        box.setObjectName("forgetServerBox")
        forget = box.addButton(self.tr("Forget"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        try:
            await run_dialog(box)
            confirmed = box.clickedButton() is forget
        finally:
            box.deleteLater()
        if confirmed:
            await self.forget_now(session)

    async def forget_now(self, session: PoolSession) -> None:
        """Forget without asking (what the confirmed menu entry does)."""
        entry = self._entries.pop(session, None)
        if entry is not None and entry.flow is not None:
            entry.flow.cancel()
        await session.stop()
        self._remove_from_window(session)
        if entry is not None and entry.server_id is not None:
            server = self.servers.remove(entry.server_id)
            if server is not None:
                with contextlib.suppress(KeyringUnavailable):
                    await self.secrets.delete(server.secret_account)
        session.deleteLater()

    def _remove_from_window(self, session: PoolSession) -> None:
        window = self.window
        remove = getattr(window, "remove_session", None)
        if callable(remove):
            remove(session)
            return
        # The window has no remove_session yet: undo what add_session did.
        if window.current_session is session:
            window.show_vm(None, None)
        if session in window.sessions:
            window.sessions.remove(session)
        window.pool_model.remove_session(session)
        window.tasks_panel.remove_session(session)
        window._update_status()  # private, until MainWindow.remove_session exists

    # --- keyring, messages, tasks ---------------------------------------------------

    async def keyring(self) -> KeyringStatus:
        """The keyring's status, probed once (off the UI thread) and remembered."""
        if self.keyring_status is not None:
            return self.keyring_status
        if self._probe is None:
            self._probe = asyncio.ensure_future(self.secrets.status())
        status = await asyncio.shield(self._probe)
        if self.keyring_status is None:
            self.keyring_status = status
            if not status.usable:
                log.warning("no usable keyring (%s): passwords will not be saved",
                            status.problem)
            self.keyringStatusKnown.emit(status)
        return status

    def _inform(self, title: str, text: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok,
                          self.window)
        box.setObjectName("connectionMessage")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def _spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._task_done)
        return task

    def _task_done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            log.error("a connection task failed: %s: %s", type(error).__name__, error,
                      exc_info=error)

    async def shutdown(self) -> None:
        """Cancel what is pending (prompts, keyring calls) and stop the keyring thread."""
        self._closing = True
        pending = [t for t in self._tasks if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending, timeout=5)
        self.secrets.close()
