"""export_xva, create_template, new_vm_from_snapshot and save_properties against a served
pool: a verified XVA and its progress, cancel leaving no file, no silent overwrite,
clone vs copy, provision and start, a memory snapshot's VM, and only changed fields saved."""

from __future__ import annotations

import asyncio
import io
import tarfile
from pathlib import Path
from typing import Any

import pytest
import xxhash

from xsnap_gui.operations.common import Step, StepFailed
from xsnap_gui.operations.export import TransferProgress, export_xva
from xsnap_gui.operations.new_vm import NewVmRequest, new_vm_from_snapshot
from xsnap_gui.operations.properties import (
    Properties,
    PropertyChanges,
    diff_properties,
    save_properties,
)
from xsnap_gui.operations.template import (
    TemplateRequest,
    create_template,
    default_template_name,
    user_templates,
)
from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.faults import FailCall
from xsnap_gui.xapi.tasks import LABEL_KEY

from .conftest import MiB, cache_of, connect, disk_vdis, run, sdk, sr_named, vm_named

NULL = "OpaqueRef:NULL"


def first_snapshot(x: Any, vm_name: str, *, memory: bool = False) -> str:
    vm = vm_named(x, vm_name)
    return next(s for s in sorted(x.VM.get_snapshots(vm))
                if (x.VM.get_suspend_VDI(s) != NULL) == memory)


def read_xva(path: Path) -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(path.read_bytes()), mode="r:") as tar:
        return {m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
                for m in tar.getmembers() if m.isfile()}


# --- export --------------------------------------------------------------------------------


def test_export_writes_a_verified_xva_with_progress_and_a_label(
        sim: RunningSimulator, tmp_path: Path) -> None:
    x = sdk(sim)
    snapshot = first_snapshot(x, "mail-01")
    dest = tmp_path / "mail-01.xva"
    reports: list[TransferProgress] = []
    labels: list[str] = []

    def hook(method: str, params: list[Any]) -> None:
        if method == "task.add_to_other_config" and params[2:3] == [LABEL_KEY]:
            labels.append(str(params[3]))

    sim.sim.before_call.append(hook)
    sim.sim.config.work_scale = 1.0  # about 1.5 s: long enough for the task to be seen
    sim.sim.config.export_bytes_per_second = 40 * MiB

    async def go() -> Any:
        conn = await connect(sim)
        try:
            return await export_xva(conn, snapshot, dest, progress=reports.append,
                                    label="Export snapshot", poll_interval=0.1)
        finally:
            await conn.close()

    result = run(go())
    assert result.path == dest and result.verified and result.chunks_verified > 0
    members = read_xva(dest)
    assert next(iter(members)) == "ova.xml"
    for name, content in members.items():
        if name.endswith(".xxhash"):
            chunk = members[name.removesuffix(".xxhash")]
            assert content.decode() == xxhash.xxh64(chunk).hexdigest().upper()
    assert [p.name for p in tmp_path.iterdir()] == ["mail-01.xva"]
    assert reports and reports[-1].received == dest.stat().st_size
    assert any(r.fraction is not None and r.fraction > 0 for r in reports)
    assert any(r.eta_seconds is not None for r in reports)
    assert labels == ["Export snapshot"]


def test_cancelling_an_export_leaves_no_file(sim: RunningSimulator, tmp_path: Path) -> None:
    x = sdk(sim)
    snapshot = first_snapshot(x, "mail-01")
    dest = tmp_path / "cancelled.xva"
    sim.sim.config.work_scale = 1.0
    sim.sim.config.export_bytes_per_second = 2 * MiB  # 16 MiB per disk: several seconds

    async def go() -> None:
        conn = await connect(sim)
        try:
            received: list[int] = []
            job = asyncio.ensure_future(export_xva(
                conn, snapshot, dest, progress=lambda p: received.append(p.received)))
            while not received:
                await asyncio.sleep(0.02)
            job.cancel()
            with pytest.raises(asyncio.CancelledError):
                await job
            assert list(tmp_path.iterdir()) == []
            # The client cancels the server's export task in the background.
            while sim.sim.db.get("VM", snapshot, "current_operations"):
                await asyncio.sleep(0.05)
        finally:
            await conn.close()

    run(go())
    assert list(tmp_path.iterdir()) == []
    assert x.VM.get_current_operations(snapshot) == {}


def test_an_existing_file_is_not_overwritten_unless_asked(sim: RunningSimulator,
                                                         tmp_path: Path) -> None:
    x = sdk(sim)
    snapshot = first_snapshot(x, "mail-01")
    dest = tmp_path / "there.xva"
    dest.write_bytes(b"keep me")

    async def go(overwrite: bool) -> Any:
        conn = await connect(sim)
        try:
            return await export_xva(conn, snapshot, dest, overwrite=overwrite)
        finally:
            await conn.close()

    with pytest.raises(StepFailed) as caught:
        run(go(False))
    assert caught.value.step is Step.EXPORT and isinstance(caught.value.cause, FileExistsError)
    assert dest.read_bytes() == b"keep me"
    run(go(True))
    assert "ova.xml" in read_xva(dest)


# --- templates and VMs -----------------------------------------------------------------------


def test_template_by_clone_and_by_copy_to_another_sr(sim: RunningSimulator) -> None:
    x = sdk(sim)
    snapshot = first_snapshot(x, "mail-01")
    name = x.VM.get_name_label(snapshot)
    base = f"Template from snapshot '{name}'"
    first = default_template_name(cache_of(sim), base)
    assert first == base
    target = sr_named(x, "iscsi-lvm-01")

    async def go() -> tuple[str, str]:
        conn = await connect(sim)
        try:
            clone = await create_template(conn, TemplateRequest(snapshot, first,
                                                                description="from a test"))
            second = default_template_name(cache_of(sim), base)
            copy = await create_template(conn, TemplateRequest(snapshot, second, target))
            return clone.ref, copy.ref
        finally:
            await conn.close()

    clone, copy = run(go())
    for ref in (clone, copy):
        rec = x.VM.get_record(ref)
        assert rec["is_a_template"] and not rec["is_a_snapshot"]
    assert x.VM.get_name_label(clone) == base
    assert x.VM.get_name_label(copy) == f"{base} (2)"
    assert x.VM.get_name_description(clone) == "from a test"
    assert {x.VDI.get_SR(v) for v in disk_vdis(x, copy)} == {target}
    assert {clone, copy} <= {t.ref for t in user_templates(cache_of(sim))}


def test_new_vm_from_snapshot_is_provisioned_and_started_on_the_host(
        sim: RunningSimulator) -> None:
    x = sdk(sim)
    snapshot = first_snapshot(x, "web-01")
    host = sorted(x.host.get_all())[-1]

    async def go() -> Any:
        conn = await connect(sim)
        try:
            return await new_vm_from_snapshot(
                conn, NewVmRequest(snapshot, "web-01 restored", start=True, host_ref=host))
        finally:
            await conn.close()

    result = run(go())
    rec = x.VM.get_record(result.ref)
    assert rec["name_label"] == "web-01 restored"
    assert not rec["is_a_template"] and not rec["is_a_snapshot"]
    assert rec["power_state"] == "Running" and rec["resident_on"] == host
    assert [d.step for d in result.done] == [Step.CLONE, Step.PROVISION, Step.START]


def test_new_vm_from_a_memory_snapshot_resumes_its_memory(sim: RunningSimulator) -> None:
    x = sdk(sim)
    snapshot = first_snapshot(x, "api-01", memory=True)
    target = sr_named(x, "nfs-vhd-01")

    async def go() -> Any:
        conn = await connect(sim)
        try:
            return await new_vm_from_snapshot(
                conn, NewVmRequest(snapshot, "api-01 copy", sr_ref=target, start=True))
        finally:
            await conn.close()

    result = run(go())
    assert [d.step for d in result.done] == [Step.COPY, Step.MAKE_VM, Step.RESUME]
    rec = x.VM.get_record(result.ref)
    assert not rec["is_a_template"] and rec["power_state"] == "Running"
    assert {x.VDI.get_SR(v) for v in disk_vdis(x, result.ref)} == {target}


def test_a_failed_provision_names_the_template_left_behind(sim: RunningSimulator) -> None:
    x = sdk(sim)
    snapshot = first_snapshot(x, "mail-01")
    sim.sim.faults.add(FailCall("VM.provision", "INTERNAL_ERROR", ("injected",)))

    async def go() -> None:
        conn = await connect(sim)
        try:
            await new_vm_from_snapshot(conn, NewVmRequest(snapshot, "half made"))
        finally:
            await conn.close()

    with pytest.raises(StepFailed) as caught:
        run(go())
    failure = caught.value
    assert failure.step is Step.PROVISION
    made = failure.done[0]
    assert made.step is Step.CLONE and x.VM.get_is_a_template(made.ref)
    assert x.VM.get_name_label(made.ref) == "half made"


# --- properties ------------------------------------------------------------------------------


def test_only_changed_properties_are_written(sim: RunningSimulator) -> None:
    x = sdk(sim)
    snapshot = first_snapshot(x, "mail-01")
    x.VM.add_tags(snapshot, "keep")
    x.VM.add_tags(snapshot, "drop")
    old = Properties.of(cache_of(sim), snapshot)
    assert old is not None
    written: list[str] = []
    sim.sim.before_call.append(
        lambda method, _params: written.append(method) if ".set_" in method
        or method.endswith("_tags") else None)
    new = Properties(old.name, "a better description",
                     (*(t for t in old.tags if t != "drop"), "new"))

    async def go(changes: PropertyChanges) -> Any:
        conn = await connect(sim)
        try:
            return await save_properties(conn, snapshot, changes)
        finally:
            await conn.close()

    done = run(go(diff_properties(old, new)))
    assert written == ["VM.set_name_description", "VM.remove_tags", "VM.add_tags"]
    assert [d.step for d in done] == [Step.DESCRIBE, Step.REMOVE_TAG, Step.ADD_TAG]
    rec = x.VM.get_record(snapshot)
    assert rec["name_description"] == "a better description"
    assert sorted(rec["tags"]) == sorted(new.tags) and "keep" in rec["tags"]
    written.clear()
    assert run(go(diff_properties(new, new))) == ()
    assert written == []
