"""Running ``Async.`` calls: tag the task, watch its progress, cancel it, read its result.

xapi stores a finished task's result as an XML-RPC value fragment
(``<value>OpaqueRef:…</value>``, ``<value></value>`` for void, ``""`` on old
hosts); :func:`parse_task_result` decodes it as the SDK decodes any value.
Failures are in ``error_info`` ([CODE, params…]); a task cancelled through
``task.cancel`` ends with status ``cancelled``.

Tasks are watched by polling ``task.get_record`` with a growing interval
(0.05 s up to 1 s). Polling keeps no worker thread busy while the task runs
(unlike a blocking ``event.from`` per task), is cancellable at any await, and
does not depend on the model's own event loop.
"""

from __future__ import annotations

import asyncio
import logging
import xmlrpc.client
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol
from xml.parsers.expat import ExpatError

from .errors import ConnectionFailed, TaskCancelled, XapiError, from_failure

log = logging.getLogger(__name__)

__all__ = [
    "APPLIES_TO_KEY",
    "CLIENT_ID_KEY",
    "LABEL_KEY",
    "PollPolicy",
    "TaskCaller",
    "parse_task_result",
    "run_task",
    "task_failure",
]

APPLIES_TO_KEY = "applies_to"  # the key XenCenter uses, so its task list shows the object
CLIENT_ID_KEY = "xsnap-gui:client-id"
LABEL_KEY = "xsnap-gui:label"
_UNFINISHED = ("pending", "cancelling")


@dataclass(frozen=True)
class PollPolicy:
    first: float = 0.05
    factor: float = 1.5
    longest: float = 1.0


def parse_task_result(text: str) -> Any:
    """Decode ``task.result``: an XML-RPC ``<value>`` fragment, or ``""`` for void."""
    fragment = text.strip()
    if not fragment:
        return ""
    if not fragment.startswith("<value"):
        # Not a fragment (some code paths store a bare ref): the text is the value.
        return fragment
    document = ("<?xml version='1.0'?><methodResponse><params><param>" + fragment
                + "</param></params></methodResponse>")
    try:
        params, _ = xmlrpc.client.loads(document, use_datetime=False, use_builtin_types=False)
    except (ExpatError, xmlrpc.client.ResponseError, ValueError) as e:
        raise XapiError("INTERNAL_ERROR", [f"cannot decode the task result: {e}"]) from None
    return params[0] if params else ""


def task_failure(record: dict[str, Any]) -> XapiError:
    """The error a failed (or cancelled) task record reports."""
    info = record.get("error_info") or []
    if not info:
        status = record.get("status", "failure")
        if status == "cancelled":
            return TaskCancelled("TASK_CANCELLED", [])
        return XapiError("INTERNAL_ERROR", [f"the task ended with status {status} but no error"])
    error = from_failure([str(x) for x in info])
    if record.get("status") == "cancelled" and not isinstance(error, TaskCancelled):
        return TaskCancelled("TASK_CANCELLED", error.params)
    return error


class TaskCaller(Protocol):
    """What :func:`run_task` needs from the connection."""

    client_id: str

    async def call_raw(self, method: str, *args: Any) -> Any: ...

    def start_raw(self, method: str, *args: Any) -> asyncio.Future[Any]:
        """Submit a call whose worker keeps going even if the awaiting coroutine is cancelled."""
        ...

    def keep_alive(self, coro: Awaitable[None]) -> None:
        """Run cleanup in the background, holding a strong reference until it ends."""
        ...


async def wait_for_task(caller: TaskCaller, task: str, progress: Callable[[float], None] | None,
                        poll: PollPolicy) -> dict[str, Any]:
    """Poll until the task leaves pending/cancelling; report progress changes on the way."""
    interval = poll.first
    last = -1.0
    while True:
        record: dict[str, Any] = await caller.call_raw("task.get_record", task)
        status = str(record.get("status", ""))
        if progress is not None and status == "pending":
            fraction = float(record.get("progress", 0.0))
            if fraction != last:
                last = fraction
                progress(fraction)
        if status not in _UNFINISHED:
            if progress is not None and status == "success" and last < 1.0:
                progress(1.0)
            return record
        await asyncio.sleep(interval)
        interval = min(interval * poll.factor, poll.longest)


async def _destroy(caller: TaskCaller, task: str) -> None:
    try:
        await caller.call_raw("task.destroy", task)
    except (XapiError, ConnectionFailed) as e:
        log.debug("could not destroy task %s: %s", task, e)


async def _cancel_and_reap(caller: TaskCaller, task: str, what: str, poll: PollPolicy) -> None:
    """task.cancel, wait for the task to end, destroy it. Never raises."""
    try:
        try:
            await caller.call_raw("task.cancel", task)
        except XapiError as e:
            # Already finished, or not cancellable: it will end on its own.
            log.debug("task.cancel %s (%s): %s", task, what, e)
        record = await wait_for_task(caller, task, None, poll)
        if record.get("status") == "success":
            log.info("%s finished before the cancellation took effect", what)
        await _destroy(caller, task)
    except (XapiError, ConnectionFailed) as e:
        log.warning("cleaning up cancelled task %s (%s) failed: %s", task, what, e)


async def _tag(caller: TaskCaller, task: str, tags: dict[str, str]) -> None:
    results = await asyncio.gather(
        *(caller.call_raw("task.add_to_other_config", task, k, v) for k, v in tags.items()),
        return_exceptions=True,
    )
    for (key, _), result in zip(tags.items(), results, strict=True):
        if isinstance(result, XapiError | ConnectionFailed):
            # Tags only help other clients; the operation itself goes on.
            log.debug("could not tag task %s with %s: %s", task, key, result)
        elif isinstance(result, BaseException):
            raise result


async def run_task(caller: TaskCaller, method: str, args: tuple[Any, ...], *,
                   progress: Callable[[float], None] | None, applies_to: str | None,
                   label: str | None, decode: Callable[[Any], Any],
                   poll: PollPolicy = PollPolicy()) -> Any:
    """Run ``Async.<method>``; see :meth:`Connection.run_task`."""
    what = label or method
    started = caller.start_raw("Async." + method, *args)
    try:
        task: str = await asyncio.shield(started)
    except asyncio.CancelledError:
        # The call is on its way: once it answers, cancel the task it created.
        async def reap_when_started() -> None:
            try:
                ref = await started
            except (XapiError, ConnectionFailed):
                return
            await _cancel_and_reap(caller, ref, what, poll)

        caller.keep_alive(reap_when_started())
        raise
    try:
        tags = {CLIENT_ID_KEY: caller.client_id}
        if applies_to:
            tags[APPLIES_TO_KEY] = applies_to
        if label:
            tags[LABEL_KEY] = label
        await _tag(caller, task, tags)
        record = await wait_for_task(caller, task, progress, poll)
    except asyncio.CancelledError:
        cleanup = asyncio.ensure_future(_cancel_and_reap(caller, task, what, poll))
        caller.keep_alive(cleanup)
        try:
            await asyncio.shield(cleanup)
        except asyncio.CancelledError:
            pass  # cancelled again: the cleanup carries on in the background
        raise
    except BaseException:
        caller.keep_alive(_destroy(caller, task))
        raise
    await _destroy(caller, task)
    if record.get("status") == "success":
        return decode(parse_task_result(str(record.get("result", ""))))
    raise task_failure(record)
