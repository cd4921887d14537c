"""Fixtures for the operation tests: a served simulated pool, the client, a cache, the SDK.

Operations run through the real async client over loopback HTTP; the tests then
look at the server through the XenAPI SDK, as another client would. Coroutines
are driven with :func:`run` (``asyncio.run`` under a safety timeout).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import pytest
import XenAPI

from xsnap_gui.model.cache import ObjectCache
from xsnap_gui.model.sync import DEFAULT_CLASSES
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.core import SimConfig, Simulator, User
from xsnap_gui.simulator.db import NO_EVENTS
from xsnap_gui.xapi.client import Connection

T = TypeVar("T")

USERS = [
    User("root", "xsnap", "pool-admin"),
    User("vmadmin", "pw-vmadmin", "vm-admin"),
    User("reader", "pw-reader", "read-only"),
]
PASSWORDS = {u.name: u.password for u in USERS}
SPEC = "hosts=3,vms=20,snapshots=4,schedules=3"
MiB = 1 << 20
EXPORT_CAP = 16 * MiB


def run(coro: Coroutine[Any, Any, T], timeout: float = 90.0) -> T:
    async def guarded() -> T:
        return await asyncio.wait_for(coro, timeout)

    return asyncio.run(guarded())


def start() -> RunningSimulator:
    # A stopped clock: no schedule fires while a test looks.
    return start_simulator(generate=SPEC, seed=1, tls=False,
                           config=SimConfig(users=list(USERS), clock_speed=0,
                                            export_bytes_cap=EXPORT_CAP))


@pytest.fixture
def sim() -> Iterator[RunningSimulator]:
    """A fresh pool per test: operations change it."""
    running = start()
    yield running
    running.stop()


async def connect(running: RunningSimulator, user: str = "root") -> Connection:
    return await Connection.connect(running.url, user, PASSWORDS[user], allow_plain_http=True)


def cache_of(pool: RunningSimulator | Simulator) -> ObjectCache:
    """The pool as a synced session's cache would hold it now."""
    db = pool.sim.db if isinstance(pool, RunningSimulator) else pool.db
    wanted = {c.lower() for c in DEFAULT_CLASSES}
    with db.lock:
        events = [{"class": cls.lower(), "operation": "add", "ref": ref,
                   "snapshot": dict(row)}
                  for cls, rows in db.tables.items()
                  if cls.lower() in wanted and cls not in NO_EVENTS
                  for ref, row in rows.items()]
    cache = ObjectCache()
    cache.load(events, classes=list(DEFAULT_CLASSES))
    return cache


def sdk(running: RunningSimulator, user: str = "root") -> Any:
    session = XenAPI.Session(running.url)
    session.xenapi.login_with_password(user, PASSWORDS[user], "2.21", "xsnap-tests")
    return session.xenapi


def vm_named(x: Any, name: str) -> str:
    return str(x.VM.get_by_name_label(name)[0])


def snapshots_of(x: Any, vm: str) -> dict[str, dict[str, Any]]:
    return {ref: x.VM.get_record(ref) for ref in x.VM.get_snapshots(vm)}


def sr_named(x: Any, name: str) -> str:
    return str(x.SR.get_by_name_label(name)[0])


def vm_on_sr(x: Any, sr_name: str, *, power_state: str | None = None) -> str:
    """A real VM whose first disk lives on the SR called ``sr_name``."""
    sr = sr_named(x, sr_name)
    for ref, rec in x.VM.get_all_records().items():
        if rec["is_a_template"] or rec["is_control_domain"] or rec["is_a_snapshot"]:
            continue
        if power_state is not None and rec["power_state"] != power_state:
            continue
        for vbd in rec["VBDs"]:
            vbd_rec = x.VBD.get_record(vbd)
            if vbd_rec["type"] == "Disk" and vbd_rec["VDI"] != "OpaqueRef:NULL" \
                    and x.VDI.get_SR(vbd_rec["VDI"]) == sr:
                return str(ref)
    raise LookupError(f"no VM with a disk on {sr_name}")


def disk_vdis(x: Any, vm: str) -> set[str]:
    found = set()
    for vbd in x.VM.get_VBDs(vm):
        rec = x.VBD.get_record(vbd)
        if rec["type"] == "Disk" and rec["VDI"] != "OpaqueRef:NULL":
            found.add(str(rec["VDI"]))
    return found
