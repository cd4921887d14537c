"""The real main window, built in-process on the demo pool and on a XenCenter dump."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction, QImage
from PySide6.QtWidgets import QApplication, QLineEdit, QTreeView, QWidget

from tests.ui.qtloop import qasync_loop
from xsnap_gui.app import create_main_window
from xsnap_gui.ui.event_loop import run_until_done
from xsnap_gui.ui.pool_tree import KindRole

ACTION_NAMES = [
    "actionTakeSnapshot", "actionTakeCheckpoint", "actionRevert", "actionDelete", "actionExport",
    "actionNewTemplate", "actionNewVm", "actionProperties", "actionNewSchedule",
    "actionSchedules", "actionAddServer", "actionViewTree", "actionViewList",
]
OBJECT_NAMES = ["poolTree", "poolFilter", "snapshotTree", "snapshotList", "snapshotFilter",
                "snapshotDetails", "showScheduledToggle", "tasksPanel"]


@pytest.fixture
def loop(qapp: QApplication, tmp_path: Path) -> Iterator[qasync.QEventLoop]:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path))
    with qasync_loop(qapp) as event_loop:
        yield event_loop


def run_until(loop: qasync.QEventLoop, predicate, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    async def wait() -> None:
        deadline = loop.time() + timeout
        while not predicate():
            if loop.time() > deadline:
                raise AssertionError("timed out waiting for the window")
            await asyncio.sleep(0.05)

    run_until_done(loop, wait())


def test_demo_window_shows_the_pool_and_a_snapshot_tree(loop: qasync.QEventLoop) -> None:
    window = create_main_window(["--demo", "--select-vm", "deep-chain-01"])
    assert isinstance(window, QWidget)
    try:
        assert window.objectName() == "mainWindow"
        for name in ACTION_NAMES:
            assert window.findChild(QAction, name) is not None, name
        for name in OBJECT_NAMES:
            assert window.findChild(QWidget, name) is not None, name
        window.show()
        session = window.sessions[0]  # type: ignore[attr-defined]
        run_until(loop, lambda: session.state.kind == "connected")
        tree = window.findChild(QTreeView, "poolTree")
        assert tree is not None
        model = tree.model()
        run_until(loop, lambda: model.rowCount() == 1)
        kinds = []
        server = model.index(0, 0)
        pool = model.index(0, 0, server)
        kinds.append(pool.data(KindRole))
        assert kinds == ["pool"]
        run_until(loop, lambda: window.current_vm is not None)  # type: ignore[attr-defined]
        vm = session.cache.get("VM", window.current_vm)  # type: ignore[attr-defined]
        assert vm["name_label"] == "deep-chain-01"
        filt = window.findChild(QLineEdit, "poolFilter")
        assert filt is not None
        filt.setText("no-such-vm-anywhere")
        run_until(loop, lambda: model.rowCount(model.index(0, 0, model.index(0, 0))) == 0)
    finally:
        window.close()
        run_until_done(loop, window.application.shutdown())  # type: ignore[attr-defined]


def _screenshot(tmp_path: Path, *args: str) -> QImage:
    out = tmp_path / "window.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "xsnap_gui.app", "--demo", *args, "--screenshot", str(out)],
        capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert not image.isNull() and image.width() > 800 and image.height() > 500
    shots = Path("/tmp/xsnap-shots")
    shots.mkdir(exist_ok=True)
    image.save(str(shots / f"window{'-'.join(a.strip('-') for a in args if '/' not in a)}.png"))
    return image


def test_screenshot_of_the_demo_pool(tmp_path: Path) -> None:
    _screenshot(tmp_path)


def test_screenshot_on_cowley_policies(tmp_path: Path, dumps_dir: Path) -> None:
    _screenshot(tmp_path, "--db", str(dumps_dir / "cowleyPolicies.xml"), "--view", "list")
