"""Small helpers shared by the connection dialogs."""

from __future__ import annotations

import asyncio

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QDialog, QLabel, QWidget


def fill(template: str, *values: str) -> str:
    """Qt-style placeholders: ``fill("%1 on %2", a, b)``; translators may reorder them."""
    # From the highest number down, so %1 does not eat the start of %10.
    for i in range(len(values), 0, -1):
        template = template.replace(f"%{i}", values[i - 1])
    return template


def fixed_font() -> QFont:
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)


def selectable_label(text: str = "", parent: QWidget | None = None, *,
                     name: str = "", mono: bool = False) -> QLabel:
    label = QLabel(text, parent)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(not mono)
    if name:
        label.setObjectName(name)
    if mono:
        label.setFont(fixed_font())
    return label


def grow_to_fit(dialog: QDialog) -> None:
    """Make ``dialog`` tall enough for what it shows now (a message appeared in it).

    Word-wrapped labels need the height for the dialog's actual width, which the
    plain size hint does not give.
    """
    layout = dialog.layout()
    if layout is None:
        return
    layout.activate()
    width = dialog.width()
    if layout.hasHeightForWidth():
        needed = layout.totalHeightForWidth(width)
    else:
        needed = layout.totalSizeHint().height()
    if needed > dialog.height():
        dialog.resize(width, needed)


def format_fingerprint(fingerprint: str) -> str:
    """The 32 byte pairs of a SHA-256 fingerprint on two lines of 16, easy to compare."""
    pairs = fingerprint.split(":")
    if len(pairs) != 32:
        return fingerprint
    return ":".join(pairs[:16]) + ":\n" + ":".join(pairs[16:])


async def run_dialog(dialog: QDialog) -> int:
    """Show ``dialog`` window-modally with ``open()`` and wait for its result code.

    Never ``exec()``: a nested Qt loop inside a coroutine breaks qasync. If the
    waiting coroutine is cancelled, the dialog is closed.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[int] = loop.create_future()

    def finished(code: int) -> None:
        if not done.done():
            done.set_result(int(code))

    dialog.finished.connect(finished)
    dialog.open()
    try:
        return await done
    except asyncio.CancelledError:
        if dialog.isVisible():
            dialog.reject()
        raise
