"""The context a handler runs in: who is calling, on which host, under which task."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..xapi.datamodel import Message
from .errors import XapiError

if TYPE_CHECKING:
    from .core import Simulator
    from .db import Database


@dataclass
class Call:
    sim: Simulator
    message: Message
    session: str | None
    host: str
    task: str | None = None
    started: float = field(default_factory=time.monotonic)

    @property
    def db(self) -> Database:
        return self.sim.db

    def session_field(self, name: str) -> Any:
        if self.session is None:
            return None
        return self.db.get("session", self.session, name)

    def progress(self, fraction: float) -> None:
        """Report progress on the task of an Async call; a no-op for sync calls."""
        if self.task is not None and self.db.exists("task", self.task):
            self.db.set("task", self.task, "progress", round(min(max(fraction, 0.0), 1.0), 4))

    def check_cancelled(self) -> None:
        """Raise TASK_CANCELLED if someone called task.cancel on this call's task."""
        if self.task is None:
            return
        with self.db.lock:
            if not self.db.exists("task", self.task):
                return
            status = self.db.get("task", self.task, "status")
            ops = self.db.get("task", self.task, "current_operations")
        if status == "cancelling" or "cancel" in ops.values():
            raise XapiError("TASK_CANCELLED", self.task)

    def work(self, simulated_seconds: float, steps: int = 10, start: float = 0.0,
             end: float = 1.0) -> None:
        """Spend simulated time on a piece of work, reporting progress and honouring cancel."""
        steps = max(1, steps)
        real = self.sim.config.work_seconds(simulated_seconds)
        for i in range(1, steps + 1):
            self.check_cancelled()
            if real > 0:
                time.sleep(real / steps)
            self.progress(start + (end - start) * i / steps)
        self.check_cancelled()
