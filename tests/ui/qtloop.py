"""The qasync loop of a UI test module, and Qt event pumps that run inside it.

In the app every Qt event is handled inside ``loop.run_forever()``, so asyncio
callbacks that qasync delivers as Qt timer events always see a running loop.
Tests run the loop only while they wait (``xsnap_gui.ui.event_loop.run_until_done``);
between those runs pytest-qt (after each test phase) and some tests call
``QApplication.processEvents()``.
A pending callback then runs with no running loop, and the first coroutine to
reach ``asyncio.get_running_loop()`` dies. Seen in CI: a demo schedule's events
arrived between two tests, and the pool sync ended with "no running event loop".
:func:`process_events` pumps Qt with the module's loop marked as running.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

from PySide6.QtWidgets import QApplication

_open_loops: list[Any] = []


@contextlib.contextmanager
def qasync_loop(qapp: QApplication) -> Iterator[Any]:
    """A qasync loop, the current event loop for the ``with`` block.

    Use one per module where the module allows: loops made and closed test after
    test leave Qt timers and socket notifiers behind.
    """
    import qasync  # noqa: PLC0415 - after PySide6, so qasync picks this binding

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    _open_loops.append(loop)
    try:
        yield loop
    finally:
        _open_loops.remove(loop)
        loop.close()
        asyncio.set_event_loop(None)


def process_events() -> None:
    """``QApplication.processEvents()``, inside the open loop as the app would be."""
    app = QApplication.instance()
    if app is None:
        return
    loop = _open_loops[-1] if _open_loops else None
    if loop is None or loop.is_closed() or loop.is_running():
        app.processEvents()
        return
    asyncio.events._set_running_loop(loop)
    try:
        app.processEvents()
    finally:
        asyncio.events._set_running_loop(None)


def pump_pytest_qt_inside_the_loop() -> None:
    """Make pytest-qt's pumps between test phases use :func:`process_events`."""
    import pytestqt.plugin  # noqa: PLC0415

    if not callable(getattr(pytestqt.plugin, "_process_events", None)):
        raise RuntimeError(
            "pytest-qt no longer has plugin._process_events; tests/ui/qtloop.py must find "
            "another way to keep its event pumps inside the qasync loop")
    pytestqt.plugin._process_events = process_events
