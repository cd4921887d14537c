"""task: create, cancel and destroy, with xapi's owner rule."""

from __future__ import annotations

from ..call import Call
from ..errors import XapiError
from ..registry import implements
from ..tasks import new_task


def _check_owner(call: Call, task: str) -> None:
    """Only the task's owner, or a role with ``task.destroy/any``, may act on it."""
    owner = call.sim.task_owners.get(task, "")
    if not owner or call.session is None:
        return
    if call.session_field("is_local_superuser"):
        return
    me = call.session_field("auth_user_name")
    if me != owner and call.sim.role_of_session(call.session) not in ("pool-admin",
                                                                        "pool-operator"):
        raise XapiError(
            "RBAC_PERMISSION_DENIED", "task.destroy/any",
            "No permission in user session. (Roles with this permission: pool-admin, "
            "pool-operator)",
        )


@implements("task.create")
def create(call: Call, label: str, description: str) -> str:
    task = new_task(call.sim, label, description, call.host, cancellable=True)
    call.sim.task_owners[task] = call.session_field("auth_user_name") or ""
    return task


@implements("task.cancel")
def cancel(call: Call, task: str) -> str:
    with call.db.lock:
        row = call.db.row("task", task)
        _check_owner(call, task)
        if row["status"] != "pending" or "cancel" not in row["allowed_operations"]:
            raise XapiError("OPERATION_NOT_ALLOWED", f"task {task} cannot be cancelled")
        call.db.update("task", task, current_operations={
            **row["current_operations"], f"OpaqueRef:cancel-{task[10:]}": "cancel"})
    return ""


@implements("task.destroy")
def destroy(call: Call, task: str) -> str:
    with call.db.lock:
        call.db.row("task", task)
        _check_owner(call, task)
        call.db.destroy("task", task)
        call.sim.task_owners.pop(task, None)
    return ""


def _owner_set(call: Call, task: str, **fields: object) -> str:
    with call.db.lock:
        call.db.row("task", task)
        _check_owner(call, task)
        call.db.update("task", task, **fields)
    return ""


@implements("task.set_status")
def set_status(call: Call, task: str, value: str) -> str:
    return _owner_set(call, task, status=value)


@implements("task.set_progress")
def set_progress(call: Call, task: str, value: float) -> str:
    return _owner_set(call, task, progress=value)


@implements("task.set_result")
def set_result(call: Call, task: str, value: str) -> str:
    return _owner_set(call, task, result=value)


@implements("task.set_error_info")
def set_error_info(call: Call, task: str, value: list[str]) -> str:
    return _owner_set(call, task, error_info=value)


@implements("task.set_other_config")
def set_other_config(call: Call, task: str, value: dict[str, str]) -> str:
    return _owner_set(call, task, other_config=value)


@implements("task.add_to_other_config")
def add_to_other_config(call: Call, task: str, key: str, value: str) -> str:
    with call.db.lock:
        current = call.db.get("task", task, "other_config")
        if key in current:
            raise XapiError("MAP_DUPLICATE_KEY", "task", "other_config", task, key)
        return _owner_set(call, task, other_config={**current, key: value})


@implements("task.remove_from_other_config")
def remove_from_other_config(call: Call, task: str, key: str) -> str:
    with call.db.lock:
        current = call.db.get("task", task, "other_config")
        return _owner_set(call, task,
                          other_config={k: v for k, v in current.items() if k != key})
