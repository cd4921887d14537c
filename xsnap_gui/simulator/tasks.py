"""Asynchronous calls: each ``Async.`` call becomes a task record whose thread runs the handler.

A finished task holds its result as an XML-RPC value fragment, as xapi
stores it; a failed one has status failure (or cancelled for TASK_CANCELLED)
and the error in ``error_info``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .coerce import EPOCH, NULL_REF
from .errors import XapiError
from .wire import xmlrpc

if TYPE_CHECKING:
    from .call import Call
    from .core import Simulator


def new_task(sim: Simulator, label: str, description: str, host: str,
             cancellable: bool, other_config: dict[str, str] | None = None) -> str:
    return sim.db.create(
        "task",
        {
            "name_label": label,
            "name_description": description,
            "status": "pending",
            "progress": 0.0,
            "created": sim.now(),
            "finished": EPOCH,
            "resident_on": host,
            "type": "<none/>",
            "result": "",
            "error_info": [],
            "allowed_operations": ["cancel"] if cancellable else [],
            "current_operations": {},
            "other_config": other_config or {},
            "subtask_of": NULL_REF,
        },
    )


def finish(sim: Simulator, task: str, result: Any) -> None:
    if sim.db.exists("task", task):
        sim.db.update(
            "task", task,
            status="success", progress=1.0, finished=sim.now(),
            result=xmlrpc.value_fragment(result),
            allowed_operations=[], current_operations={},
        )


def fail(sim: Simulator, task: str, error: XapiError) -> None:
    sim.error_log.append(error.description)
    if sim.db.exists("task", task):
        status = "cancelled" if error.code == "TASK_CANCELLED" else "failure"
        sim.db.update(
            "task", task,
            status=status, progress=1.0, finished=sim.now(),
            error_info=error.description,
            allowed_operations=[], current_operations={},
        )


def start(sim: Simulator, call: Call, run: Callable[[], Any], cancellable: bool) -> str:
    """Create the task for an Async call and run it on its own thread."""
    label = f"Async.{call.message.wire_name}"
    task = new_task(sim, label, "", call.host, cancellable)
    if call.session is not None:
        sim.task_owners[task] = call.session_field("auth_user_name") or ""
    call.task = task

    def body() -> None:
        try:
            result = run()
        except XapiError as e:
            fail(sim, task, e)
        except Exception as e:  # noqa: BLE001 - a handler bug must still end the task
            fail(sim, task, XapiError("INTERNAL_ERROR", f"{type(e).__name__}: {e}"))
        else:
            finish(sim, task, result)

    threading.Thread(target=body, name=label, daemon=True).start()
    return task
