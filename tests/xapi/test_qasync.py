"""The client under qasync's Qt event loop, as the GUI runs it (headless)."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
qasync = pytest.importorskip("qasync")

from xsnap_gui.simulator.api import RunningSimulator  # noqa: E402 - after the platform choice
from xsnap_gui.simulator.core import SimConfig  # noqa: E402

from .conftest import login, start  # noqa: E402


def test_calls_tasks_events_and_downloads_under_qasync(qapp: object, tmp_path: Path) -> None:
    running: RunningSimulator = start(tls=True, config=SimConfig(work_scale=0.2,
                                                                 export_bytes_cap=4 << 20))
    loop = qasync.QEventLoop(qapp)
    try:
        async def scenario() -> None:
            async with await login(running, "admin") as conn:
                vm = running.sim.db.find("VM", name_label="cache-02")[0]
                progress: list[float] = []
                calls = await asyncio.gather(*(conn.call("VM.get_record", vm) for _ in range(20)))
                assert all(r["uuid"] == calls[0]["uuid"] for r in calls)
                snapshot = await conn.run_task("VM.snapshot", vm, "under qasync",
                                               progress=progress.append)
                assert running.sim.db.get("VM", snapshot, "snapshot_of") == vm
                assert progress[-1] == 1.0
                batch = await conn.event_from(["VM"], "", 1.0)
                assert batch["events"]
                result = await conn.download_export(snapshot, tmp_path / "snap.xva")
                assert result.chunks_verified > 0

        loop.run_until_complete(asyncio.wait_for(scenario(), 90))
    finally:
        loop.close()
        running.stop()
