"""Passwords in the OS keyring, through ``keyring``, without ever blocking the UI.

A locked Secret Service can block a keyring call indefinitely, and KWallet
answers only after a long wait, so every call runs on one dedicated worker
thread (keyring backends are not all thread-safe) and is awaited with a
timeout. While a call that timed out is still stuck on that thread, further
calls fail at once instead of queueing behind it.

When no usable backend exists (a headless box without Secret Service: keyring
then falls back to ``keyring.backends.fail.Keyring``, or a chainer with
nothing to chain), :meth:`SecretStore.status` says so and every call raises
:class:`KeyringUnavailable`. There is **no plaintext fallback**: file-based
backends from ``keyrings.alt`` and the "null" keyring are refused as well.
The caller then asks for the password at connect time.

Passwords never appear in exception texts or logs: errors from backends are
reported by type, with any text that contains the password replaced, and
are raised without their cause chained.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import keyring
import keyring.backend
import keyring.errors
from keyring.backends import chainer, fail, null

log = logging.getLogger(__name__)

__all__ = [
    "ABSENT",
    "DEFAULT_TIMEOUT",
    "ERROR",
    "LOCKED",
    "NO_BACKEND",
    "SERVICE",
    "TIMEOUT",
    "KeyringStatus",
    "KeyringUnavailable",
    "SecretStore",
    "backend_status",
]

SERVICE = "xsnap-gui"
DEFAULT_TIMEOUT = 10.0

# Kinds of KeyringUnavailable.
NO_BACKEND = "no-backend"
LOCKED = "locked"
TIMEOUT = "timeout"
ERROR = "error"
ABSENT = "absent"  # delete: there was nothing to delete

T = TypeVar("T")


@dataclass(frozen=True)
class KeyringStatus:
    """Whether passwords can be stored, which backend would store them, or why not."""

    usable: bool
    backend: str  # e.g. "SecretService Keyring"
    problem: str = ""  # why not usable, for people (English; UIs translate by ``kind``)
    kind: str = "ok"  # ok, no-backend, disabled, file, error


class KeyringUnavailable(Exception):  # noqa: N818 - reads as a state, as keyring's own errors
    """The keyring cannot be used for this call. ``kind``: no-backend, locked, timeout, error."""

    def __init__(self, kind: str, detail: str) -> None:
        self.kind = kind
        self.detail = detail
        super().__init__(kind, detail)

    def __str__(self) -> str:
        return self.detail


def _name(backend: keyring.backend.KeyringBackend) -> str:
    cls = type(backend)
    name = getattr(backend, "name", "") or cls.__name__
    return str(name)


_NO_SERVICE = ("no keyring service (such as GNOME Keyring, KWallet or KeePassXC) is "
               "available")


def _is_file_backend(backend: keyring.backend.KeyringBackend) -> bool:
    # keyrings.alt stores in files (plaintext, or behind a prompt on stdin): never ours.
    return type(backend).__module__.startswith("keyrings.alt")


def backend_status(backend: keyring.backend.KeyringBackend) -> KeyringStatus:
    """Judge ``backend`` (what ``keyring.get_keyring()`` returned) without calling it."""
    name = _name(backend)
    if isinstance(backend, fail.Keyring):
        return KeyringStatus(False, name, _NO_SERVICE, NO_BACKEND)
    if isinstance(backend, null.Keyring):
        return KeyringStatus(False, name, "the keyring has been disabled in keyring's "
                             "configuration", "disabled")
    if _is_file_backend(backend):
        return KeyringStatus(False, name, "the configured keyring stores passwords in a file, "
                             "which xsnap-gui does not use", "file")
    if isinstance(backend, chainer.ChainerBackend):
        chained = list(backend.backends)
        if not chained:
            return KeyringStatus(False, name, _NO_SERVICE, NO_BACKEND)
        first = chained[0]
        # The chainer stores in its first backend: that is the one that must be safe.
        inner = backend_status(first)
        if not inner.usable:
            return inner
        return KeyringStatus(True, _name(first))
    return KeyringStatus(True, name)


def _scrub(text: str, secret: str | None) -> str:
    if secret:
        text = text.replace(secret, "********")
    return text


class SecretStore:
    """Get, set and delete passwords of ``service`` in the keyring, off the calling thread.

    ``backend`` is the keyring backend to use; None means ``keyring.get_keyring()``
    (what ``keyring.set_keyring`` chose, or the platform's default), looked up on
    the worker thread at the first call because finding it can itself be slow.
    """

    def __init__(self, service: str = SERVICE, *, timeout: float = DEFAULT_TIMEOUT,
                 backend: keyring.backend.KeyringBackend | None = None) -> None:
        self.service = service
        self.timeout = timeout
        self._backend = backend
        self._executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="keyring")
        self._stuck: concurrent.futures.Future[Any] | None = None
        self._lock = threading.Lock()
        self._status: KeyringStatus | None = None

    def __repr__(self) -> str:
        return f"<SecretStore service={self.service!r}>"

    # --- public API -----------------------------------------------------------------

    @property
    def known_status(self) -> KeyringStatus | None:
        """The status found by the last :meth:`status` or call, None before any."""
        return self._status

    async def status(self) -> KeyringStatus:
        """Whether a usable backend exists (finding the backend runs off this thread)."""
        try:
            return await self._run(self._status_blocking)
        except KeyringUnavailable as e:
            return KeyringStatus(False, "", str(e), e.kind)

    async def get(self, account: str) -> str | None:
        """The password of ``account``, or None if none is stored."""
        result = await self._run(functools.partial(self._call, "get_password", account))
        return None if result is None else str(result)

    async def set(self, account: str, password: str) -> None:
        await self._run(functools.partial(self._call, "set_password", account, password))

    async def delete(self, account: str) -> bool:
        """Remove ``account``'s password; False when there was none."""
        try:
            await self._run(functools.partial(self._call, "delete_password", account))
        except KeyringUnavailable as e:
            if e.kind == ABSENT:
                return False
            raise
        return True

    async def move(self, old_account: str, new_account: str) -> bool:
        """Store ``old_account``'s password under ``new_account``; False if there was none."""
        if old_account == new_account:
            return await self.get(old_account) is not None
        password = await self.get(old_account)
        if password is None:
            return False
        await self.set(new_account, password)
        await self.delete(old_account)
        return True

    def close(self) -> None:
        """Stop the worker thread (a call stuck in the backend is abandoned)."""
        self._executor.shutdown(wait=False, cancel_futures=True)

    # --- the worker thread ----------------------------------------------------------

    async def _run(self, fn: Callable[[], T]) -> T:
        with self._lock:
            stuck = self._stuck
            if stuck is not None and not stuck.done():
                raise KeyringUnavailable(TIMEOUT, "the keyring is still not answering an "
                                         "earlier request (is it locked?)")
            self._stuck = None
            future = self._executor.submit(fn)
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), self.timeout)
        except TimeoutError:
            with self._lock:
                self._stuck = future
            log.warning("the keyring did not answer within %g seconds", self.timeout)
            raise KeyringUnavailable(TIMEOUT, f"the keyring did not answer within "
                                     f"{self.timeout:g} seconds (is it locked?)") from None

    def _backend_blocking(self) -> keyring.backend.KeyringBackend:
        if self._backend is None:
            self._backend = keyring.get_keyring()
        return self._backend

    def _status_blocking(self) -> KeyringStatus:
        try:
            backend = self._backend_blocking()
        except Exception as e:  # noqa: BLE001 - any failure to find a backend means "none"
            status = KeyringStatus(False, "", f"the keyring could not be set up "
                                   f"({type(e).__name__})", ERROR)
        else:
            status = backend_status(backend)
        self._status = status
        return status

    def _call(self, method: str, account: str, *args: str) -> Any:
        status = self._status_blocking()
        if not status.usable:
            raise KeyringUnavailable(NO_BACKEND, status.problem)
        backend = self._backend_blocking()
        failure: KeyringUnavailable
        try:
            return getattr(backend, method)(self.service, account, *args)
        except keyring.errors.PasswordDeleteError:
            failure = KeyringUnavailable(ABSENT, "no password is stored")
        except keyring.errors.NoKeyringError:
            failure = KeyringUnavailable(NO_BACKEND, "no keyring service is available")
        except keyring.errors.KeyringLocked:
            failure = KeyringUnavailable(LOCKED, "the keyring is locked")
        except Exception as e:  # noqa: BLE001 - backends raise D-Bus, OS and own errors
            secret = args[0] if args else None
            failure = KeyringUnavailable(ERROR, f"the keyring failed ({type(e).__name__}: "
                                         f"{_scrub(str(e), secret)})")
        # Raised outside the handler, so the backend's exception (whose text or frames might
        # hold the password) is not even attached as the context.
        raise failure
