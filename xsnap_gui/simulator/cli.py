"""``xsnap-sim``: serve a simulated XAPI pool on loopback."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
import zoneinfo
from collections.abc import Sequence

from ..xapi.datamodel import ALL_ROLES
from .api import start_simulator
from .core import SimConfig, User
from .faults import Rule, parse_spec


def parse_user(text: str) -> User:
    name, sep, rest = text.partition(":")
    password, sep2, role = rest.rpartition(":")
    if not sep or not sep2 or not name:
        raise argparse.ArgumentTypeError(f"expected NAME:PASSWORD:ROLE, got {text!r}")
    if role not in ALL_ROLES:
        raise argparse.ArgumentTypeError(
            f"unknown role {role!r}; choose one of {', '.join(ALL_ROLES)}"
        )
    return User(name, password, role)


def parse_fault(text: str) -> Rule:
    try:
        return parse_spec(text)
    except ValueError as e:
        raise argparse.ArgumentTypeError(str(e)) from None


def parse_timezone(text: str) -> str:
    """An IANA timezone name; the VMSS schedules run on the pool's wall clock in it."""
    try:
        zoneinfo.ZoneInfo(text)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(
            f"unknown timezone {text!r}; use an IANA name such as Europe/London"
        ) from None
    return text


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="xsnap-sim",
        description="Serve a simulated XenServer/XCP-ng pool (XAPI) for tests and demos.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    p.add_argument("--plain-http", action="store_true", help="serve plain HTTP instead of HTTPS")
    source = p.add_mutually_exclusive_group()
    source.add_argument("--db", metavar="DUMP.xml", help="load a XAPI database dump")
    source.add_argument("--generate", metavar="SPEC",
                        help="generate a pool, e.g. hosts=4,vms=200,snapshots=5,schedules=3")
    p.add_argument("--save", metavar="DUMP.xml", help="write the database here on exit")
    p.add_argument("--user", action="append", type=parse_user, default=[],
                   metavar="NAME:PASSWORD:ROLE", help="add a user (repeatable)")
    p.add_argument("--seed", type=int, default=0, help="seed for --generate (default 0)")
    p.add_argument("--timezone", default="UTC", type=parse_timezone,
                   help="the pool's timezone, for its local time and VMSS schedules "
                        "(default UTC)")
    p.add_argument("--clock-speed", type=float, default=1.0,
                   help="simulated seconds per real second (default 1)")
    p.add_argument("--no-members", action="store_true",
                   help="serve only the master, not each pool member")
    p.add_argument("--fault", action="append", type=parse_fault, default=[], metavar="SPEC",
                   help="inject a fault (repeatable), e.g. latency=0.5:VM.snapshot, drop=5:2, "
                        "http500=2, expire-sessions=10, fail=VM.snapshot:SR_FULL:1024:0, "
                        "move-master=HOST, cut-export=1048576; see xsnap_gui/simulator/faults.py")
    p.add_argument("-v", "--verbose", action="store_true", help="log every request")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.WARNING,
                        format="%(asctime)s %(name)s: %(message)s")
    users = [User("root", "xsnap", "pool-admin")]
    for u in args.user:
        users = [x for x in users if x.name != u.name] + [u]
    if args.clock_speed <= 0:
        print("xsnap-sim: --clock-speed must be positive", file=sys.stderr)
        return 2
    # Work takes simulated time, so a faster clock makes it faster in real time too.
    config = SimConfig(users=users, timezone=args.timezone, clock_speed=args.clock_speed,
                       work_scale=1.0 / args.clock_speed)
    try:
        running = start_simulator(
            db=args.db, generate=args.generate, seed=args.seed, config=config,
            tls=not args.plain_http, bind=args.host, port=args.port,
            serve_members=not args.no_members,
        )
    except (OSError, ValueError) as e:
        print(f"xsnap-sim: {e}", file=sys.stderr)
        return 1
    try:
        for rule in args.fault:
            running.sim.faults.add(rule)
    except ValueError as e:  # a fault naming something the pool does not have
        running.stop()
        print(f"xsnap-sim: --fault: {e}", file=sys.stderr)
        return 2
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    print(f"listening on {running.url}", flush=True)
    sim = running.sim
    for ref, server in running.members.items():
        name = sim.db.get("host", ref, "name_label")
        print(f"pool member {name} at {server.url}", flush=True)
    if running.certificate is not None:
        print(f"certificate sha256 {running.certificate.fingerprint_sha256}", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        running.stop()
        if args.save:
            from .dump import DumpData, save_dump  # noqa: PLC0415

            db = sim.db
            with db.lock:
                # Sessions and tasks are not persisted by xapi either.
                tables = {c: db.all_records(c) for c, rows in db.tables.items()
                          if rows and c not in ("session", "task")}
                save_dump(DumpData(db.manifest, tables, db.extra_fields, db.extra_tables),
                          args.save, sim.dm)
            print(f"saved {args.save}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
