"""The simulated pool: its database, users, clock, and the dispatch of XenAPI calls.

Dispatch follows xapi's order of checks: the method must exist, the argument
count must match, the session must be valid, removed messages answer
MESSAGE_REMOVED, arguments must unmarshal to their declared types, and the
session's role must hold the permission. Then the handler runs, synchronously
or as a task for ``Async.`` calls.
"""

from __future__ import annotations

import collections
import datetime as dt
import time
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..xapi import datamodel as datamodel_mod
from ..xapi.datamodel import ALL_ROLES, Datamodel, Message
from . import implicit
from .call import Call
from .clock import Clock
from .coerce import NULL_REF, from_wire
from .db import Database
from .errors import XapiError
from .faults import Faults
from .registry import lookup

if TYPE_CHECKING:
    from .scheduler import Scheduler

SESSION_IDLE_LIMIT = dt.timedelta(hours=24)


@dataclass(frozen=True)
class User:
    name: str
    password: str
    role: str


@dataclass
class SimConfig:
    """Knobs of the simulated pool. The defaults suit tests: fast and deterministic."""

    users: list[User] = field(default_factory=lambda: [User("root", "xsnap", "pool-admin")])
    timezone: str = "UTC"
    # Simulated seconds of work are multiplied by this to give real seconds.
    work_scale: float = 0.0
    auth_failure_delay: float = 0.0
    max_body_bytes: int = 64 * 1024 * 1024
    clock_speed: float = 1.0
    clock_start: dt.datetime | None = None
    # Simulated cost of VM operations, in simulated seconds per GiB (see work_scale).
    snapshot_seconds_per_gib: float = 0.05  # a disk snapshot is mostly metadata work
    memory_seconds_per_gib: float = 2.0  # writing or reading a memory image
    copy_seconds_per_gib: float = 6.0  # a full disk copy streams every byte
    # XVA export: simulated disk read rate (bytes per simulated second, see work_scale), and
    # an optional cap on each exported disk's size (ova.xml then carries the capped size).
    export_bytes_per_second: float = 200 * 1024 * 1024
    export_bytes_cap: int | None = None

    def work_seconds(self, simulated: float) -> float:
        return simulated * self.work_scale


class Simulator:
    """One pool. Listeners (one per served host) share it and call :meth:`dispatch`."""

    def __init__(self, config: SimConfig | None = None, dm: Datamodel | None = None) -> None:
        self.config = config or SimConfig()
        self.dm = dm or datamodel_mod.load()
        self.db = Database(self.dm)
        self.clock = Clock(self.config.clock_start, self.config.clock_speed)
        self.users = {u.name: u for u in self.config.users}
        for u in self.users.values():
            if u.role not in ALL_ROLES:
                raise ValueError(f"unknown role {u.role!r} for user {u.name!r}")
        self.master_address_for_clients: Callable[[], str] = self._default_master_address
        # Hooks for fault injection and extensions: called before every dispatch.
        self.before_call: list[Callable[[str, list[Any]], None]] = []
        # Called where the handler runs (in the task thread for Async calls).
        self.before_invoke: list[Callable[[Call], None]] = []
        # The bytes behind blob records (served on /blob), by blob ref.
        self.blob_payloads: dict[str, bytes] = {}
        self.faults = Faults(self)
        self._role_refs: dict[str, str] = {}
        self.task_owners: dict[str, str] = {}
        self.stopping = False
        # The VMSS scheduler, made by scheduler.for_simulator (started by api.start_simulator).
        self.scheduler: Scheduler | None = None
        # Every error answered, newest last: the conformance tests check them all.
        self.error_log: collections.deque[list[str]] = collections.deque(maxlen=10_000)
        self.tz = zoneinfo.ZoneInfo(self.config.timezone)
        self.ensure_roles()

    # --- pool structure -------------------------------------------------------------

    def ensure_roles(self) -> None:
        """The six static roles as role records, as xapi has them."""
        for name in ALL_ROLES:
            found = self.db.find("role", name_label=name)
            if found:
                self._role_refs[name] = found[0]
            else:
                self._role_refs[name] = self.db.create(
                    "role",
                    {"name_label": name, "name_description": f"The {name} role",
                     "is_internal": False},
                )

    @property
    def pool(self) -> str:
        refs = self.db.all_refs("pool")
        if not refs:
            raise XapiError("INTERNAL_ERROR", "the simulated database has no pool")
        return refs[0]

    @property
    def master(self) -> str:
        return str(self.db.get("pool", self.pool, "master"))

    def _default_master_address(self) -> str:
        return str(self.db.get("host", self.master, "address"))

    def now(self) -> dt.datetime:
        return self.clock.now()

    def local_now(self) -> dt.datetime:
        """Server local time in the pool's timezone, naive as xapi sends it."""
        return self.now().astimezone(self.tz).replace(tzinfo=None)

    # --- sessions -------------------------------------------------------------------

    def permissions_of(self, role: str) -> list[str]:
        """What a role may do: message permissions plus ``http/<action>`` ones, as xapi lists."""
        from .http_handlers import HTTP_ACTION_ROLES  # noqa: PLC0415 - avoids an import cycle

        messages = {m.permission for m in self.dm.all_messages() if role in m.roles}
        http = {f"http/{action}" for action, roles in HTTP_ACTION_ROLES.items() if role in roles}
        return sorted(messages | http)

    def login(self, uname: str, pwd: str, originator: str, host: str) -> str:
        user = self.users.get(uname)
        if user is None or user.password != pwd:
            if self.config.auth_failure_delay:
                time.sleep(self.config.auth_failure_delay)
            raise XapiError("SESSION_AUTHENTICATION_FAILED", uname,
                            "Authentication failure")
        if host != self.master:
            raise XapiError("HOST_IS_SLAVE", self.master_address_for_clients())
        superuser = uname == "root"
        subject = NULL_REF
        if not superuser:
            found = self.db.find("subject", subject_identifier=f"sim-{uname}")
            subject = found[0] if found else self.db.create(
                "subject",
                {"subject_identifier": f"sim-{uname}",
                 "other_config": {"subject-name": uname, "subject-is-group": "false"},
                 "roles": [self._role_refs[user.role]]},
            )
        now = self.now()
        return self.db.create(
            "session",
            {
                "this_host": host,
                "this_user": NULL_REF,
                "last_active": now,
                "validation_time": now,
                "pool": False,
                "is_local_superuser": superuser,
                "subject": subject,
                "auth_user_sid": "" if superuser else f"sim-{uname}",
                "auth_user_name": uname,
                "rbac_permissions": [] if superuser else self.permissions_of(user.role),
                "originator": originator,
            },
        )

    def role_of_session(self, session: str) -> str:
        name = self.db.get("session", session, "auth_user_name")
        user = self.users.get(name)
        return user.role if user else "read-only"

    def check_session(self, session: Any) -> str:
        if not isinstance(session, str) or not self.db.exists("session", session):
            raise XapiError("SESSION_INVALID", session)
        row = self.db.row("session", session)
        now = self.now()
        if now - row["last_active"] > SESSION_IDLE_LIMIT:
            self.db.destroy("session", session)
            raise XapiError("SESSION_INVALID", session)
        # Only record activity once a minute, to spare the event machinery.
        if now - row["last_active"] > dt.timedelta(minutes=1):
            row["last_active"] = now
        return session

    def expire_sessions(self) -> None:
        for ref in self.db.all_refs("session"):
            self.db.destroy("session", ref)

    def check_permission(self, session: str, message: Message) -> None:
        row = self.db.row("session", session)
        if row["is_local_superuser"]:
            return
        if self.role_of_session(session) in message.roles:
            return
        holders = ", ".join(r for r in message.roles if r in ALL_ROLES) or "none"
        raise XapiError(
            "RBAC_PERMISSION_DENIED",
            message.permission,
            f"No permission in user session. (Roles with this permission: {holders})",
        )

    # --- dispatch -------------------------------------------------------------------

    def answered_methods(self) -> list[str]:
        """Every sync wire name this simulator answers (system.listMethods)."""
        names = []
        for m in self.dm.all_messages():
            if m.state == "Removed_s" or self.answers(m):
                names.append(m.wire_name)
        return sorted(names)

    def answers(self, m: Message) -> bool:
        if lookup(m.wire_name) is not None:
            return True
        cdef = self.dm.classes[m.cls]
        return m.cls in self.db.tables and (m.implicit or implicit.can_run(cdef, m.name))

    def resolve(self, method: str) -> tuple[Message, bool]:
        is_async = method.startswith("Async.")
        name = method[len("Async."):] if is_async else method
        m = self.dm.message(name)
        if m is None or (is_async and not m.offered_async):
            raise XapiError("MESSAGE_METHOD_UNKNOWN", method)
        return m, is_async

    def dispatch(self, method: str, params: list[Any], host: str) -> Any:
        """Run one call. Returns the result, or a task ref for ``Async.``; raises XapiError."""
        try:
            return self._dispatch(method, params, host)
        except XapiError as e:
            self.error_log.append(e.description)
            raise

    def _dispatch(self, method: str, params: list[Any], host: str) -> Any:
        for hook in self.before_call:
            hook(method, params)
        if method == "system.listMethods":
            return self.answered_methods()
        m, is_async = self.resolve(method)
        args_decl = m.args
        given = params[1:] if m.takes_session else params
        required = sum(1 for p in args_decl if p.required)
        if not (required <= len(given) <= len(args_decl)):
            raise XapiError(
                "MESSAGE_PARAMETER_COUNT_MISMATCH", method, len(args_decl), len(given)
            )
        if m.wire_name == "session.login_with_password":
            uname, pwd = (from_wire(p.type, v, p.name, self.dm)
                          for p, v in zip(args_decl[:2], given[:2], strict=True))
            originator = str(given[3]) if len(given) > 3 else ""
            return self.login(uname, pwd, originator, host)
        session: str | None = None
        if m.takes_session:
            session = self.check_session(params[0])
        if m.state == "Removed_s":
            raise XapiError("MESSAGE_REMOVED")
        pairs = zip(args_decl, given, strict=False)
        args = [from_wire(p.type, v, p.name, self.dm) for p, v in pairs]
        if session is not None:
            self.check_permission(session, m)
        handler = lookup(m.wire_name)
        if handler is None and not self.answers(m):
            raise XapiError("NOT_IMPLEMENTED", m.wire_name)
        call = Call(self, m, session, host)
        if not is_async:
            return self._invoke(call, args)
        from . import tasks  # noqa: PLC0415 - tasks imports the wire codec, keep core light

        cancellable = handler.cancellable if handler else False
        return tasks.start(self, call, lambda: self._invoke(call, args), cancellable)

    def _invoke(self, call: Call, args: list[Any]) -> Any:
        for hook in self.before_invoke:
            hook(call)
        handler = lookup(call.message.wire_name)
        if handler is not None:
            return handler.fn(call, *args)
        return implicit.run(call, args)


