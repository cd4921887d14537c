from __future__ import annotations

from collections.abc import Iterator

import pytest
import XenAPI

from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.core import SimConfig, User

ROLE_USERS = [
    User("root", "xsnap", "pool-admin"),
    User("admin", "pw-admin", "pool-admin"),
    User("operator", "pw-operator", "pool-operator"),
    User("poweradmin", "pw-poweradmin", "vm-power-admin"),
    User("vmadmin", "pw-vmadmin", "vm-admin"),
    User("vmoperator", "pw-vmoperator", "vm-operator"),
    User("reader", "pw-reader", "read-only"),
]
SPEC = "hosts=3,vms=8,snapshots=2,schedules=2"


def _start(tls: bool) -> RunningSimulator:
    # A frozen clock: the generated schedules must not fire in the middle of a test.
    return start_simulator(generate=SPEC, seed=7, tls=tls,
                           config=SimConfig(users=ROLE_USERS, clock_speed=0))


@pytest.fixture(scope="module")
def sim_https() -> Iterator[RunningSimulator]:
    running = _start(tls=True)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def sim_http() -> Iterator[RunningSimulator]:
    running = _start(tls=False)
    yield running
    running.stop()


@pytest.fixture(params=["http", "https"])
def sim(request: pytest.FixtureRequest) -> RunningSimulator:
    fixture: RunningSimulator = request.getfixturevalue(f"sim_{request.param}")
    return fixture


def sdk_login(running: RunningSimulator, user: str = "root", password: str = "xsnap",
              url: str | None = None) -> XenAPI.Session:
    session = XenAPI.Session(url or running.url, ignore_ssl=True)
    session.xenapi.login_with_password(user, password, "2.21", "xsnap-tests")
    return session


@pytest.fixture
def xapi(sim: RunningSimulator) -> Iterator[XenAPI.Session]:
    session = sdk_login(sim)
    yield session
    try:
        session.xenapi.session.logout()
    except Exception:  # noqa: BLE001 - a test may have ended the session already
        pass
