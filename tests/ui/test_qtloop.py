"""Qt events pumped between tests run asyncio callbacks inside the module's loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import pytest
import pytestqt.plugin
from PySide6.QtWidgets import QApplication

from tests.ui.livepool import run
from tests.ui.qtloop import process_events, qasync_loop
from xsnap_gui.ui.event_loop import run_until_done


@pytest.fixture(scope="module")
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    with qasync_loop(qapp) as event_loop:
        yield event_loop


def test_pytest_qt_pumps_through_process_events() -> None:
    assert pytestqt.plugin._process_events is process_events


def test_a_wakeup_between_tests_sees_a_running_loop(loop: asyncio.AbstractEventLoop) -> None:
    """What ended the demo pool's sync in CI: an answer arriving from a worker thread
    while no run_until_complete was running, handled in pytest-qt's pump."""
    answer: asyncio.Future[str] = loop.create_future()
    seen: list[str] = []

    async def follow() -> str:
        text = await answer
        # The sync's next step: start another call, which needs the running loop.
        asyncio.get_running_loop()
        seen.append(text)
        return text

    task = loop.create_task(follow())
    run(loop, asyncio.sleep(0.05))  # the task now waits on the answer
    worker = threading.Thread(target=loop.call_soon_threadsafe,
                              args=(answer.set_result, "events"))
    worker.start()
    worker.join()
    for _ in range(20):  # the pumps pytest-qt makes after a test phase
        pytestqt.plugin._process_events()
        if seen:
            break
    assert seen == ["events"]
    assert run(loop, task) == "events"


def test_run_until_done_wakes_nothing_after_the_loop_stops(
        loop: asyncio.AbstractEventLoop) -> None:
    """qasync's run_until_complete pumps Qt once more after stopping; a callback queued
    just behind the awaitable's end would run there with no running loop."""
    seen: list[object] = []

    def probe() -> None:
        seen.append(asyncio._get_running_loop())

    async def finish() -> str:
        return "done"

    future = asyncio.ensure_future(finish(), loop=loop)
    # Queued with the stop callback, so it is due just as the loop stops.
    future.add_done_callback(lambda _done: loop.call_soon(probe))
    assert run_until_done(loop, future) == "done"
    run_until_done(loop, asyncio.sleep(0.01))
    assert seen == [loop]
