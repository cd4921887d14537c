"""Fixtures for the async client tests: simulated pools over real loopback HTTP(S).

Tests are plain functions that drive coroutines with :func:`run` (``asyncio.run``
under a generous safety timeout), so no pytest plugin for asyncio is needed.
Every password below is distinctive, and the ``no_password_leaks`` fixture
(autouse) fails a test whose captured logs contain one.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import XenAPI

from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.core import SimConfig, User
from xsnap_gui.xapi.client import PROTOCOLS, Connection

T = TypeVar("T")

USERS = [
    User("root", "Root-Pw-9f81d2", "pool-admin"),
    User("admin", "Admin-Pw-5c2e77", "pool-admin"),
    User("poweradmin", "Power-Pw-0a4b19", "vm-power-admin"),
    User("vmadmin", "VmAdmin-Pw-77e1c3", "vm-admin"),
    User("reader", "Reader-Pw-3d6f50", "read-only"),
]
PASSWORDS = {u.name: u.password for u in USERS}
ROOT_PASSWORD = PASSWORDS["root"]
SPEC = "hosts=3,vms=8,snapshots=2,schedules=2"
SAFETY_TIMEOUT = 90.0


def run(coro: Coroutine[Any, Any, T], timeout: float = SAFETY_TIMEOUT) -> T:
    """Run a coroutine on a fresh event loop; the timeout only guards against hangs."""

    async def guarded() -> T:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(guarded())


def start(tls: bool = True, config: SimConfig | None = None,
          spec: str = SPEC) -> RunningSimulator:
    cfg = config or SimConfig()
    cfg.users = list(USERS)
    return start_simulator(generate=spec, seed=7, tls=tls, config=cfg)


def pin_of(running: RunningSimulator) -> str:
    assert running.certificate is not None
    return running.certificate.fingerprint_sha256


async def login(running: RunningSimulator, user: str = "root", **kwargs: Any) -> Connection:
    """Connect as ``user`` to the coordinator, trusting the simulator's certificate."""
    if running.certificate is not None:
        kwargs.setdefault("trusted_fingerprint", pin_of(running))
    else:
        kwargs.setdefault("allow_plain_http", True)
    url = kwargs.pop("url", running.url)
    return await Connection.connect(url, user, PASSWORDS[user], **kwargs)


def sdk(running: RunningSimulator, user: str = "root") -> XenAPI.Session:
    """A plain XenAPI SDK session, to look at the server behind the client's back."""
    session = XenAPI.Session(running.url, ignore_ssl=True)
    session.xenapi.login_with_password(user, PASSWORDS[user], "2.21", "xsnap-tests")
    return session


def assert_no_password(*texts: object) -> None:
    for text in texts:
        for password in PASSWORDS.values():
            assert password not in str(text), f"a password leaked into {text!r}"


def assert_clean_error(error: BaseException) -> None:
    """No password in the error's text, repr, arguments or anything it was raised from."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        assert_no_password(str(current), repr(current), *current.args)
        current = current.__cause__ or current.__context__


def free_port() -> int:
    """A port nobody listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture(autouse=True)
def no_password_leaks(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    caplog.set_level(logging.DEBUG)
    yield
    assert_no_password(caplog.text)


@pytest.fixture(params=PROTOCOLS)
def protocol(request: pytest.FixtureRequest) -> str:
    """Each test using this runs over JSON-RPC (the default) and over XML-RPC."""
    value: str = request.param
    return value


@pytest.fixture(scope="module")
def sim_https() -> Iterator[RunningSimulator]:
    running = start(tls=True)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def sim_http() -> Iterator[RunningSimulator]:
    running = start(tls=False)
    yield running
    running.stop()


@pytest.fixture
def silent_socket() -> Iterator[int]:
    """A port that accepts TCP connections (via the backlog) but never answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(16)
        port: int = s.getsockname()[1]
        yield port
