"""Keyring backends for tests: an in-memory store, and ones that block or fail.

Tests install them with ``keyring.set_keyring`` (or hand them to SecretStore),
so no test ever reaches the real OS keyring.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import keyring
import keyring.backend
import keyring.errors


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Passwords in a dict, per (service, account)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.passwords: dict[tuple[str, str], str] = {}
        self.calls: list[tuple[str, str, str]] = []  # (method, service, account)

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append(("get", service, username))
        return self.passwords.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append(("set", service, username))
        self.passwords[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append(("delete", service, username))
        if self.passwords.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("no such password")


class BlockingKeyring(MemoryKeyring):
    """Every call waits until ``release`` is set, as a locked Secret Service can."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()
        self.entered = threading.Event()

    def get_password(self, service: str, username: str) -> str | None:
        self.entered.set()
        self.release.wait()
        return super().get_password(service, username)


class LeakyFailingKeyring(MemoryKeyring):
    """A backend whose error text quotes the password it was given (a worst case)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise RuntimeError(f"D-Bus said no to storing {password!r} for {username}")

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("collection is locked")


def installed(backend: keyring.backend.KeyringBackend) -> Iterator[keyring.backend.KeyringBackend]:
    """Install ``backend`` as keyring's backend for a fixture's duration, then restore."""
    previous = keyring.get_keyring() if keyring.core._keyring_backend is not None else None
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.core._keyring_backend = previous
