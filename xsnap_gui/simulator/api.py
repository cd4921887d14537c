"""Start a simulated pool in-process: what tests, the demo and the benchmarks use.

    with start_simulator(generate="hosts=2,vms=10") as running:
        session = XenAPI.Session(running.url, ignore_ssl=True)
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from . import classes  # noqa: F401 - registers the explicit message handlers
from .core import SimConfig, Simulator
from .http_handlers import register as register_http_handlers
from .scheduler import Scheduler, for_simulator
from .server import GetHandler, HostServer
from .tls import Certificate, self_signed


@dataclass
class RunningSimulator:
    sim: Simulator
    master: HostServer
    members: dict[str, HostServer] = field(default_factory=dict)  # host ref -> listener
    certificate: Certificate | None = None
    get_handlers: dict[str, GetHandler] = field(default_factory=dict)
    scheduler: Scheduler | None = None  # runs the VMSS schedules on sim.clock
    _stopped: bool = False

    @property
    def url(self) -> str:
        return self.master.url

    @property
    def member_urls(self) -> dict[str, str]:
        return {ref: s.url for ref, s in self.members.items()}

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.sim.stopping = True
        with self.sim.db.changed:
            self.sim.db.changed.notify_all()
        if self.scheduler is not None:
            self.scheduler.stop()
        for server in [self.master, *self.members.values()]:
            server.stop()

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def load_tables(sim: Simulator, db_path: str | os.PathLike[str] | None, generate: str | None,
                seed: int) -> None:
    if db_path is not None and generate is not None:
        raise ValueError("give either a database dump or a generator spec, not both")
    if db_path is not None:
        from .dump import load_dump  # noqa: PLC0415 - only needed for dumps

        dump = load_dump(db_path, sim.dm)
        sim.db.bulk_load(dump.tables)
        sim.db.extra_fields = dump.extra_fields
        sim.db.extra_tables = dump.extra_tables
        sim.db.manifest = dump.manifest
    else:
        from .generate import PoolSpec, blob_payloads, generate_pool  # noqa: PLC0415

        spec = PoolSpec.parse(generate) if generate else PoolSpec()
        tables = generate_pool(spec, seed=seed, now=sim.now())
        sim.db.bulk_load(tables)
        sim.blob_payloads.update(blob_payloads(tables))
    sim.ensure_roles()
    from .lifecycle import update_all_allowed_operations  # noqa: PLC0415

    # Loaded pools carry stale or approximate lists; derive them as xapi does at start.
    update_all_allowed_operations(sim)


def start_simulator(
    *,
    db: str | os.PathLike[str] | None = None,
    generate: str | None = None,
    seed: int = 0,
    config: SimConfig | None = None,
    tls: bool = True,
    bind: str = "127.0.0.1",
    port: int = 0,
    serve_members: bool = True,
) -> RunningSimulator:
    """Build the pool and start listening. Members are served on 127.0.0.2, .3, … (same port)."""
    sim = Simulator(config)
    load_tables(sim, db, generate, seed)
    hosts = _hosts_in_order(sim)
    addresses = [bind] + [_member_bind(bind, i) for i in range(1, len(hosts))]
    cert = self_signed("xsnap-sim", addresses) if tls else None
    context = cert.server_context() if cert else None
    get_handlers: dict[str, GetHandler] = {}
    master = HostServer(sim, sim.master, bind, port, context, get_handlers)
    running = RunningSimulator(sim, master, certificate=cert, get_handlers=get_handlers)
    default_port = 443 if tls else 80
    sim.db.set("host", sim.master, "address", bind)
    if serve_members:
        for i, host in enumerate(h for h in hosts if h != sim.master):
            member_bind = _member_bind(bind, i + 1)
            try:
                server = HostServer(sim, host, member_bind, master.port, context, get_handlers)
            except OSError:
                # That loopback address or port is taken: fall back to any free port.
                server = HostServer(sim, host, bind, 0, context, get_handlers)
            running.members[host] = server
            sim.db.set("host", host, "address", str(server.server_address[0]))
    port_of = {sim.master: master.port, **{h: s.port for h, s in running.members.items()}}

    def master_address() -> str:
        # A bare address means port 443; loopback listeners need the port spelled out.
        address = str(sim.db.get("host", sim.master, "address"))
        p = port_of.get(sim.master, master.port)
        return address if p == default_port else f"{address}:{p}"

    sim.master_address_for_clients = master_address
    register_http_handlers(running)
    master.start()
    for server in running.members.values():
        server.start()
    running.scheduler = for_simulator(sim)
    running.scheduler.start()
    return running


def _hosts_in_order(sim: Simulator) -> list[str]:
    hosts = sim.db.all_refs("host")
    master = sim.master
    return [master, *sorted(
        (h for h in hosts if h != master), key=lambda h: str(sim.db.get("host", h, "name_label"))
    )]


def _member_bind(bind: str, index: int) -> str:
    if bind.startswith("127."):
        return f"127.0.0.{index + 1}"
    return bind


@contextlib.contextmanager
def simulator(**kwargs: Any) -> Iterator[RunningSimulator]:
    running = start_simulator(**kwargs)
    try:
        yield running
    finally:
        running.stop()


def wait_forever(running: RunningSimulator, stop: threading.Event) -> None:
    stop.wait()
    running.stop()


__all__ = [
    "RunningSimulator",
    "SimConfig",
    "Simulator",
    "load_tables",
    "simulator",
    "start_simulator",
]
