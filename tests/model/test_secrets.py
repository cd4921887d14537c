"""SecretStore: passwords in a keyring backend, off-thread, with timeouts and no fallback."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import keyring
import keyring.backend
import pytest
from keyring.backends import chainer, fail, null

from tests.model.memory_keyring import (
    BlockingKeyring,
    LeakyFailingKeyring,
    MemoryKeyring,
    installed,
)
from xsnap_gui.model.secrets import (
    SERVICE,
    KeyringUnavailable,
    SecretStore,
    backend_status,
)

PASSWORD = "s3cret-Pa55-for-tests"


@pytest.fixture
def memory() -> Iterator[MemoryKeyring]:
    yield from installed(MemoryKeyring())  # type: ignore[misc]


def run(coro):  # type: ignore[no-untyped-def]
    return asyncio.run(coro)


def test_set_get_delete_through_keyring_set_keyring(memory: MemoryKeyring) -> None:
    store = SecretStore()
    try:
        assert run(store.status()).usable
        assert run(store.get("root@https://pool1")) is None
        run(store.set("root@https://pool1", PASSWORD))
        assert memory.passwords == {(SERVICE, "root@https://pool1"): PASSWORD}
        assert run(store.get("root@https://pool1")) == PASSWORD
        assert run(store.delete("root@https://pool1")) is True
        assert run(store.delete("root@https://pool1")) is False
        assert memory.passwords == {}
    finally:
        store.close()


def test_move_renames_the_account(memory: MemoryKeyring) -> None:
    store = SecretStore()
    try:
        run(store.set("root@https://old", PASSWORD))
        assert run(store.move("root@https://old", "root@https://new")) is True
        assert memory.passwords == {(SERVICE, "root@https://new"): PASSWORD}
        assert run(store.move("root@https://gone", "root@https://other")) is False
    finally:
        store.close()


def test_calls_run_on_the_keyring_thread_not_the_caller(memory: MemoryKeyring) -> None:
    seen: list[str] = []
    original = memory.get_password

    def recording(service: str, username: str) -> str | None:
        seen.append(threading.current_thread().name)
        return original(service, username)

    memory.get_password = recording  # type: ignore[method-assign]
    store = SecretStore()
    try:
        run(store.get("a"))
    finally:
        store.close()
    assert seen and seen[0].startswith("keyring") and seen[0] != threading.main_thread().name


@pytest.mark.parametrize("backend", [fail.Keyring(), null.Keyring()],
                         ids=["fail", "null"])
def test_no_usable_backend_is_a_clear_state(backend: keyring.backend.KeyringBackend) -> None:
    status = backend_status(backend)
    assert not status.usable and status.problem
    store = SecretStore(backend=backend)
    try:
        assert run(store.status()) == status
        with pytest.raises(KeyringUnavailable) as info:
            run(store.set("root@https://pool1", PASSWORD))
        assert info.value.kind == "no-backend"
        with pytest.raises(KeyringUnavailable):
            run(store.get("root@https://pool1"))
    finally:
        store.close()


def test_a_chainer_with_nothing_to_chain_is_unusable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [])
    status = backend_status(chainer.ChainerBackend())
    assert not status.usable
    assert "no keyring service" in status.problem


def test_a_chainer_is_judged_by_the_backend_it_stores_in(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [MemoryKeyring()])
    assert backend_status(chainer.ChainerBackend()).usable
    monkeypatch.setattr(chainer.ChainerBackend, "backends", [fail.Keyring(), MemoryKeyring()])
    assert not backend_status(chainer.ChainerBackend()).usable


def test_file_based_keyrings_are_refused() -> None:
    # keyrings.alt's PlaintextKeyring would put the password in a file: never a fallback.
    plaintext = type("PlaintextKeyring", (MemoryKeyring,), {"__module__": "keyrings.alt.file"})
    status = backend_status(plaintext())
    assert not status.usable and "file" in status.problem


def test_the_backend_set_through_keyring_is_the_one_used(memory: MemoryKeyring) -> None:
    store = SecretStore()
    try:
        assert "MemoryKeyring" in run(store.status()).backend
    finally:
        store.close()


def test_a_blocked_keyring_times_out_and_later_calls_fail_fast() -> None:
    backend = BlockingKeyring()
    store = SecretStore(backend=backend, timeout=0.3)
    try:
        with pytest.raises(KeyringUnavailable) as first:
            run(store.get("root@https://pool1"))
        assert first.value.kind == "timeout"
        assert backend.entered.is_set()
        # Still stuck: the next call is refused at once instead of queueing behind it.
        with pytest.raises(KeyringUnavailable) as second:
            run(store.set("root@https://pool1", PASSWORD))
        assert second.value.kind == "timeout"
        assert (SERVICE, "root@https://pool1") not in backend.passwords
        backend.release.set()

        async def after_release() -> str | None:
            while True:
                try:
                    return await store.get("root@https://pool1")
                except KeyringUnavailable:
                    await asyncio.sleep(0.05)

        assert run(after_release()) is None
    finally:
        backend.release.set()
        store.close()


def test_errors_never_carry_the_password() -> None:
    store = SecretStore(backend=LeakyFailingKeyring())
    try:
        with pytest.raises(KeyringUnavailable) as info:
            run(store.set("root@https://pool1", PASSWORD))
        assert info.value.kind == "error"
        texts = [str(info.value), repr(info.value), repr(info.value.args)]
        assert all(PASSWORD not in t for t in texts)
        assert info.value.__context__ is None and info.value.__cause__ is None
        with pytest.raises(KeyringUnavailable) as locked:
            run(store.get("root@https://pool1"))
        assert locked.value.kind == "locked"
    finally:
        store.close()
