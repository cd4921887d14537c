"""GET /export (XVA streaming) and GET/PUT /blob, read back the way xapi's importer reads them."""

from __future__ import annotations

import base64
import gzip
import http.client
import io
import re
import ssl
import tarfile
import threading
import time
import urllib.parse
import xmlrpc.client
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import XenAPI
import xxhash

from xsnap_gui.simulator import export
from xsnap_gui.simulator.api import RunningSimulator, start_simulator
from xsnap_gui.simulator.core import SimConfig
from xsnap_gui.simulator.faults import CutExport
from xsnap_gui.simulator.generate import VNC_BLOB_NAME

from .conftest import ROLE_USERS, sdk_login

UNVERIFIED = ssl._create_unverified_context()
CHUNK_NAME = re.compile(r"^(Ref:\d+)/(\d{8})$")
REF_ID = re.compile(r"^Ref:\d+$")
BLOB_SPEC = "hosts=2,vms=6,snapshots=3,schedules=1"
CAP = 8 * 1024 * 1024


# --- HTTP and XVA helpers ---------------------------------------------------------------


@dataclass
class Reply:
    status: int
    version: int
    headers: dict[str, str]
    body: bytes


def connect(url: str) -> http.client.HTTPConnection:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https":
        return http.client.HTTPSConnection(parts.hostname or "", parts.port, timeout=60,
                                           context=UNVERIFIED)
    return http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)


def request(url: str, path: str, method: str = "GET", body: bytes | None = None,
            headers: dict[str, str] | None = None, **query: str) -> Reply:
    conn = connect(url)
    try:
        conn.request(method, f"{path}?{urllib.parse.urlencode(query)}", body=body,
                     headers=headers or {})
        resp = conn.getresponse()
        data = resp.read()
        return Reply(resp.status, resp.version, {k.lower(): v for k, v in resp.getheaders()},
                     data)
    finally:
        conn.close()


@dataclass
class Disk:
    export_id: str
    chunks: list[tuple[int, int, bytes]] = field(default_factory=list)  # number, offset, data
    end: int = 0  # the offset after the last chunk: the disk size the importer sees

    @property
    def keepalives(self) -> int:
        return sum(1 for _, _, data in self.chunks if not data)


@dataclass
class Xva:
    header: dict[str, Any]
    names: list[str]
    disks: dict[str, Disk]

    def objects(self, cls: str) -> list[dict[str, Any]]:
        return [o for o in self.header["objects"] if o["class"] == cls]

    def by_id(self, ref_id: str) -> dict[str, Any]:
        (found,) = [o for o in self.header["objects"] if o["id"] == ref_id]
        return found


def parse_ova(text: bytes) -> dict[str, Any]:
    wrapped = b"<methodResponse><params><param>" + text + b"</param></params></methodResponse>"
    (value,), _ = xmlrpc.client.loads(wrapped)
    assert isinstance(value, dict)
    return value


def read_xva(data: bytes) -> Xva:
    """Read an XVA as import.ml does: ova.xml first, then checksummed chunks, tracking offsets."""
    members = iter(tarfile.open(fileobj=io.BytesIO(data), mode="r:"))
    first = next(members)
    assert first.name == "ova.xml"
    tar = tarfile.open(fileobj=io.BytesIO(data), mode="r:")

    def content(member: tarfile.TarInfo) -> bytes:
        f = tar.extractfile(member)
        assert f is not None
        return f.read()

    header = parse_ova(content(tar.getmember("ova.xml")))
    names = ["ova.xml"]
    disks: dict[str, Disk] = {}
    first_length: dict[str, int] = {}
    for member in members:
        names.append(member.name)
        match = CHUNK_NAME.match(member.name)
        assert match, member.name
        checksum = next(members)
        names.append(checksum.name)
        assert checksum.name == member.name + ".xxhash"
        chunk = content(member)
        expected = content(checksum).decode()
        assert re.fullmatch(r"[0-9A-F]{16}", expected)
        assert expected == f"{xxhash.xxh64_intdigest(chunk):016X}"
        ref_id, number = match.group(1), int(match.group(2))
        disk = disks.setdefault(ref_id, Disk(ref_id))
        if disk.chunks:
            previous = disk.chunks[-1][0]
            assert number > previous, "chunk numbers must strictly increase"
            # A gap of k numbers stands for k zero chunks of the first chunk's length.
            disk.end += (number - previous - 1) * first_length[ref_id]
        else:
            assert number == 0
            first_length[ref_id] = len(chunk)
        disk.chunks.append((number, disk.end, chunk))
        disk.end += len(chunk)
    return Xva(header, names, disks)


def refs_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value.startswith(("OpaqueRef:", "Ref:")):
            yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from refs_in(k)
            yield from refs_in(v)
    elif isinstance(value, list):
        for item in value:
            yield from refs_in(item)


def check_disk_contents(xva: Xva, sizes_from_ova: bool = True) -> None:
    """Every disk is the synthetic disk: data chunks in place, zeros everywhere else."""
    vdis = {o["id"]: o["snapshot"] for o in xva.objects("VDI")}
    for ref_id, disk in xva.disks.items():
        vdi = vdis[ref_id]
        size = int(vdi["virtual_size"])
        assert disk.end == size
        present = set()
        for _, offset, data in disk.chunks:
            if not data:
                continue  # a keep-alive
            assert offset % export.CHUNK_SIZE == 0
            index = offset // export.CHUNK_SIZE
            present.add(index)
            assert data == export.chunk_content(vdi["uuid"], size, index)
        # Whatever was skipped must be zeros: every data chunk was sent.
        assert export.data_chunks(vdi["uuid"], size) <= present
        assert 0 in present and (size - 1) // export.CHUNK_SIZE in present


def vm_named(xapi: XenAPI.Session, predicate: Any) -> tuple[str, dict[str, Any]]:
    for ref, rec in sorted(xapi.xenapi.VM.get_all_records().items(),
                           key=lambda kv: kv[1]["name_label"]):
        if not rec["is_control_domain"] and predicate(rec):
            return ref, rec
    raise AssertionError("no such VM in the generated pool")


def halted_vm(rec: dict[str, Any]) -> bool:
    return rec["power_state"] == "Halted" and not rec["is_a_template"] and len(rec["VBDs"]) > 1


def export_of(sim: RunningSimulator, xapi: XenAPI.Session, vm: str, **query: str) -> Reply:
    return request(sim.url, "/export", ref=vm, session_id=xapi._session, **query)


# --- exports ------------------------------------------------------------------------------


def test_export_of_a_halted_vm(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    vm, rec = vm_named(xapi, halted_vm)
    reply = export_of(sim, xapi, vm)
    assert reply.status == 200 and reply.version == 10  # HTTP/1.0
    assert reply.headers["content-type"] == "application/octet-stream"
    assert reply.headers["content-disposition"] == 'attachment; filename="export.xva"'
    assert reply.headers["connection"] == "close"
    assert "content-length" not in reply.headers
    task = reply.headers["task-id"]
    task_rec = xapi.xenapi.task.get_record(task)
    assert task_rec["status"] == "success" and task_rec["progress"] == 1.0
    assert task_rec["result"] == "" and task_rec["name_label"] == f"Export of VM: {rec['uuid']}"
    assert xapi.xenapi.VM.get_current_operations(vm) == {}

    xva = read_xva(reply.body)
    version = xva.header["version"]
    assert version["export_vsn"] == "2" and version["xapi_major"] == "2"
    assert version["hostname"] and version["product_brand"]
    objects = xva.header["objects"]
    ids = [o["id"] for o in objects]
    assert len(ids) == len(set(ids)) and all(REF_ID.match(i) for i in ids)
    vm_obj = xva.by_id("Ref:0")
    assert vm_obj["class"] == "VM"
    snap = vm_obj["snapshot"]
    assert snap["uuid"] == rec["uuid"] and snap["name_label"] == rec["name_label"]
    assert snap["is_a_snapshot"] is False and snap["snapshot_of"] == "OpaqueRef:NULL"
    assert snap["snapshots"] == [] and snap["current_operations"] == {}
    assert snap["metrics"] == "OpaqueRef:NULL"
    assert sorted(snap["VBDs"]) == sorted(o["id"] for o in xva.objects("VBD"))
    # Every reference is an export id of an exported object, or NULL.
    for obj in objects:
        for ref in refs_in(obj["snapshot"]):
            assert ref == "OpaqueRef:NULL" or ref in ids, (obj["class"], ref)
    for vbd in xva.objects("VBD"):
        assert vbd["snapshot"]["VM"] == "Ref:0"
    # Disks: the non-CD VBDs' VDIs, streamed in export-id order (compared as strings).
    disk_vbds = [v["snapshot"] for v in xva.objects("VBD") if v["snapshot"]["type"] != "CD"]
    assert sorted(xva.disks) == sorted(v["VDI"] for v in disk_vbds)
    streamed = [n.split("/")[0] for n in xva.names[1:]]
    assert streamed == sorted(streamed)
    check_disk_contents(xva)
    assert any(d.keepalives for d in xva.disks.values()), "long zero runs send keep-alives"


def test_export_of_a_snapshot_is_a_plain_vm(sim: RunningSimulator,
                                            xapi: XenAPI.Session) -> None:
    snapshot, rec = vm_named(xapi, lambda r: r["is_a_snapshot"] and r["power_state"] == "Halted")
    reply = export_of(sim, xapi, snapshot)
    assert reply.status == 200
    xva = read_xva(reply.body)
    snap = xva.by_id("Ref:0")["snapshot"]
    assert snap["uuid"] == rec["uuid"]
    assert snap["is_a_snapshot"] is False and snap["snapshot_of"] == "OpaqueRef:NULL"
    assert snap["parent"] == "OpaqueRef:NULL" and snap["snapshots"] == []
    assert snap["snapshot_time"] == xmlrpc.client.DateTime("19700101T00:00:00Z")
    for vdi in xva.objects("VDI"):
        assert vdi["snapshot"]["is_a_snapshot"] is True  # the disks stay what they are
    check_disk_contents(xva)


def test_export_by_uuid_into_the_callers_task(sim: RunningSimulator,
                                              xapi: XenAPI.Session) -> None:
    _vm, rec = vm_named(xapi, halted_vm)
    task = xapi.xenapi.task.create("my export", "")
    reply = request(sim.url, "/export", uuid=rec["uuid"], task_id=task,
                    headers={"Cookie": f"session_id={xapi._session}"})
    assert reply.status == 200 and reply.headers["task-id"] == task
    assert xapi.xenapi.task.get_status(task) == "success"
    assert xapi.xenapi.task.get_name_label(task) == "my export"
    assert read_xva(reply.body).by_id("Ref:0")["snapshot"]["uuid"] == rec["uuid"]


def test_gzip_compression_wraps_the_same_stream(sim_http: RunningSimulator) -> None:
    xapi = sdk_login(sim_http)
    vm, _ = vm_named(xapi, halted_vm)
    plain = export_of(sim_http, xapi, vm)
    for value in ("true", "gzip"):
        packed = export_of(sim_http, xapi, vm, use_compression=value)
        assert packed.status == 200 and packed.body[:2] == b"\x1f\x8b"
        assert gzip.decompress(packed.body) == plain.body
    unknown = export_of(sim_http, xapi, vm, use_compression="lzma")
    assert unknown.body == plain.body  # anything else means no compression


def test_zstd_is_refused_on_the_task(sim_http: RunningSimulator) -> None:
    xapi = sdk_login(sim_http)
    vm, _ = vm_named(xapi, halted_vm)
    reply = export_of(sim_http, xapi, vm, use_compression="zstd")
    assert reply.status == 500
    assert xapi.xenapi.task.get_error_info(reply.headers["task-id"])[0] == "INTERNAL_ERROR"


def test_bad_credentials_answer_401(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    vm, _ = vm_named(xapi, halted_vm)
    tasks_before = set(xapi.xenapi.task.get_all())
    bad = request(sim.url, "/export", ref=vm, session_id="OpaqueRef:bogus")
    assert bad.status == 401 and bad.headers["www-authenticate"] == 'Basic realm="xapi"'
    assert request(sim.url, "/export", ref=vm).status == 401
    wrong = base64.b64encode(b"root:wrong").decode()
    assert request(sim.url, "/export", ref=vm,
                   headers={"Authorization": f"Basic {wrong}"}).status == 401
    assert set(xapi.xenapi.task.get_all()) == tasks_before


def test_basic_auth_uses_a_temporary_session(sim: RunningSimulator,
                                             xapi: XenAPI.Session) -> None:
    vm, _ = vm_named(xapi, halted_vm)
    sessions_before = len(sim.sim.db.all_refs("session"))
    good = base64.b64encode(b"vmadmin:pw-vmadmin").decode()
    reply = request(sim.url, "/export", ref=vm, headers={"Authorization": f"Basic {good}"})
    assert reply.status == 200
    read_xva(reply.body)
    assert len(sim.sim.db.all_refs("session")) == sessions_before


@pytest.mark.parametrize("user", ROLE_USERS[1:], ids=lambda u: u.role)
def test_export_needs_vm_admin(sim_http: RunningSimulator, user: Any) -> None:
    root = sdk_login(sim_http)
    vm, _ = vm_named(root, halted_vm)
    me = sdk_login(sim_http, user.name, user.password)
    allowed = user.role in ("pool-admin", "pool-operator", "vm-power-admin", "vm-admin")
    task = me.xenapi.task.create("export", "")
    reply = request(sim_http.url, "/export", ref=vm, session_id=me._session, task_id=task)
    if allowed:
        assert reply.status == 200
        assert me.xenapi.task.get_status(task) == "success"
    else:
        assert reply.status == 403
        assert me.xenapi.task.get_status(task) == "failure"
        error = me.xenapi.task.get_error_info(task)
        assert error[:2] == ["RBAC_PERMISSION_DENIED", "http/get_export"]
        assert "vm-admin" in error[2]


def test_running_vm_fails_with_bad_power_state(sim: RunningSimulator,
                                               xapi: XenAPI.Session) -> None:
    vm, _ = vm_named(xapi, lambda r: r["power_state"] == "Running" and not r["is_a_template"])
    reply = export_of(sim, xapi, vm)
    assert reply.status == 500
    task = reply.headers["task-id"]
    assert xapi.xenapi.task.get_status(task) == "failure"
    assert xapi.xenapi.task.get_error_info(task) == [
        "VM_BAD_POWER_STATE", vm, "halted, suspended", "running"]
    assert xapi.xenapi.VM.get_current_operations(vm) == {}


def test_unknown_vm_fails_the_task(sim: RunningSimulator, xapi: XenAPI.Session) -> None:
    reply = export_of(sim, xapi, "OpaqueRef:nope")
    assert reply.status == 500
    assert xapi.xenapi.task.get_error_info(reply.headers["task-id"]) == [
        "HANDLE_INVALID", "VM", "OpaqueRef:nope"]
    reply = request(sim.url, "/export", uuid="not-a-uuid", session_id=xapi._session)
    assert xapi.xenapi.task.get_error_info(reply.headers["task-id"]) == [
        "UUID_INVALID", "VM", "not-a-uuid"]


def test_suspended_vm_with_and_without_its_power_state(sim_http: RunningSimulator) -> None:
    xapi = sdk_login(sim_http)
    vm, _rec = vm_named(xapi, lambda r: r["power_state"] == "Suspended"
                       and not r["is_a_template"])
    plain = read_xva(export_of(sim_http, xapi, vm).body)
    snap = plain.by_id("Ref:0")["snapshot"]
    assert snap["power_state"] == "Halted" and snap["suspend_VDI"] == "OpaqueRef:NULL"
    kept = read_xva(export_of(sim_http, xapi, vm, preserve_power_state="true").body)
    snap = kept.by_id("Ref:0")["snapshot"]
    assert snap["power_state"] == "Suspended" and REF_ID.match(snap["suspend_VDI"])
    assert snap["suspend_VDI"] in kept.disks and snap["suspend_VDI"] not in plain.disks
    assert len(kept.disks) == len(plain.disks) + 1
    check_disk_contents(kept)


# --- paced exports, cancel, cut, cap: a pool of our own -----------------------------------


@pytest.fixture(scope="module")
def own() -> Iterator[RunningSimulator]:
    running = start_simulator(generate=BLOB_SPEC, seed=0, tls=False,
                              config=SimConfig(users=ROLE_USERS))
    yield running
    running.stop()


def biggest_halted_vm(xapi: XenAPI.Session) -> str:
    def size(rec: dict[str, Any]) -> int:
        total = 0
        for vbd in rec["VBDs"]:
            vdi = xapi.xenapi.VBD.get_VDI(vbd)
            if vdi != "OpaqueRef:NULL":
                total += int(xapi.xenapi.VDI.get_virtual_size(vdi))
        return total

    candidates = [(size(r), ref) for ref, r in xapi.xenapi.VM.get_all_records().items()
                  if r["power_state"] == "Halted" and not r["is_control_domain"]
                  and not r["is_a_template"]]
    return max(candidates)[1]


def test_cancel_a_running_export(own: RunningSimulator) -> None:
    xapi = sdk_login(own)
    vm = biggest_halted_vm(xapi)
    own.sim.config.work_scale = 1.0  # a multi-GiB disk now takes many seconds
    conn = connect(own.url)
    try:
        conn.request("GET", f"/export?ref={vm}&session_id={xapi._session}")
        resp = conn.getresponse()
        assert resp.status == 200
        task = resp.getheader("task-id")
        first = resp.read(4096)
        assert first[257:262] == b"ustar"
        deadline = time.monotonic() + 30
        while xapi.xenapi.task.get_progress(task) == 0.0:
            assert time.monotonic() < deadline, "the export never made progress"
            time.sleep(0.05)
        progress = xapi.xenapi.task.get_progress(task)
        assert 0.0 < progress < 1.0
        assert xapi.xenapi.VM.get_current_operations(vm) == {task: "export"}
        xapi.xenapi.task.cancel(task)
        rest = resp.read()  # the server closes the stream early
    finally:
        own.sim.config.work_scale = 0.0
        conn.close()
    assert xapi.xenapi.task.get_status(task) == "cancelled"
    assert xapi.xenapi.task.get_error_info(task) == ["TASK_CANCELLED", task]
    assert xapi.xenapi.VM.get_current_operations(vm) == {}
    whole = export_of(own, xapi, vm).body
    assert len(first + rest) < len(whole) and whole.startswith(first + rest)


def test_cut_export_fault(own: RunningSimulator) -> None:
    xapi = sdk_login(own)
    vm, _ = vm_named(xapi, halted_vm)
    own.sim.faults.add(CutExport(100_000, count=1))
    cut = export_of(own, xapi, vm)
    assert cut.status == 200 and len(cut.body) == 100_000
    assert xapi.xenapi.task.get_error_info(cut.headers["task-id"])[0] == "CLIENT_ERROR"
    whole = export_of(own, xapi, vm)
    assert len(whole.body) > 100_000
    read_xva(whole.body)
    assert xapi.xenapi.task.get_status(whole.headers["task-id"]) == "success"


def test_export_size_cap(own: RunningSimulator) -> None:
    xapi = sdk_login(own)
    vm, _ = vm_named(xapi, halted_vm)
    own.sim.config.export_bytes_cap = CAP
    try:
        xva = read_xva(export_of(own, xapi, vm).body)
    finally:
        own.sim.config.export_bytes_cap = None
    vdis = {o["id"]: o["snapshot"] for o in xva.objects("VDI")}
    for ref_id, disk in xva.disks.items():
        uuid = vdis[ref_id]["uuid"]
        assert int(vdis[ref_id]["virtual_size"]) == CAP == disk.end
        # Rebuild the whole disk, zero-filling what was skipped, and compare byte for byte.
        image = bytearray(CAP)
        for _, offset, data in disk.chunks:
            image[offset:offset + len(data)] = data
        expected = b"".join(export.chunk_content(uuid, CAP, i)
                            for i in range(CAP // export.CHUNK_SIZE))
        assert bytes(image) == expected
        assert len([c for c in disk.chunks if c[2]]) < CAP // export.CHUNK_SIZE


def test_two_exports_of_one_vm_run_together(own: RunningSimulator) -> None:
    xapi = sdk_login(own)
    vm, _ = vm_named(xapi, halted_vm)
    replies: list[Reply] = []
    threads = [threading.Thread(target=lambda: replies.append(export_of(own, xapi, vm)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert [r.status for r in replies] == [200, 200]
    assert replies[0].body == replies[1].body


# --- blobs ----------------------------------------------------------------------------------


def vnc_blob(xapi: XenAPI.Session) -> str:
    for rec in xapi.xenapi.VM.get_all_records().values():
        if VNC_BLOB_NAME in rec["blobs"]:
            return str(rec["blobs"][VNC_BLOB_NAME])
    raise AssertionError("the generated pool has no VNC snapshot blob")


def test_get_blob_serves_the_jpeg(own: RunningSimulator) -> None:
    reader = sdk_login(own, "reader", "pw-reader")
    blob = vnc_blob(reader)
    reply = request(own.url, "/blob", ref=blob, session_id=reader._session)
    assert reply.status == 200 and reply.headers["content-type"] == "image/jpeg"
    assert reply.body[:2] == b"\xff\xd8" and reply.body[-2:] == b"\xff\xd9"
    assert int(reader.xenapi.blob.get_size(blob)) == len(reply.body)
    by_uuid = request(own.url, "/blob", uuid=reader.xenapi.blob.get_uuid(blob),
                      session_id=reader._session)
    assert by_uuid.body == reply.body


def test_blob_errors(own: RunningSimulator) -> None:
    xapi = sdk_login(own)
    blob = vnc_blob(xapi)
    assert request(own.url, "/blob", ref=blob, session_id="OpaqueRef:bad").status == 401
    assert request(own.url, "/blob", ref=blob).status == 401
    assert request(own.url, "/blob", ref="OpaqueRef:nope",
                   session_id=xapi._session).status == 404
    assert request(own.url, "/blob", session_id=xapi._session).status == 400


def test_new_blob_upload_and_download(own: RunningSimulator) -> None:
    xapi = sdk_login(own)
    vm, _ = vm_named(xapi, halted_vm)
    blob = xapi.xenapi.VM.create_new_blob(vm, "notes", "text/plain", False)
    assert xapi.xenapi.VM.get_blobs(vm)["notes"] == blob
    assert xapi.xenapi.blob.get_size(blob) == "0"
    # Nothing uploaded yet: xapi has no file for it and answers 404.
    assert request(own.url, "/blob", ref=blob, session_id=xapi._session).status == 404
    reader = sdk_login(own, "reader", "pw-reader")
    denied = request(own.url, "/blob", "PUT", body=b"x", ref=blob, session_id=reader._session)
    assert denied.status == 403
    put = request(own.url, "/blob", "PUT", body=b"hello blob", ref=blob,
                  session_id=xapi._session)
    assert put.status == 200
    got = request(own.url, "/blob", ref=blob, session_id=reader._session)
    assert got.body == b"hello blob" and got.headers["content-type"] == "text/plain"
    assert xapi.xenapi.blob.get_size(blob) == str(len(b"hello blob"))
    xapi.xenapi.blob.destroy(blob)
    assert "notes" not in xapi.xenapi.VM.get_blobs(vm)
    assert request(own.url, "/blob", ref=blob, session_id=xapi._session).status == 404


def test_blob_create_defaults(own: RunningSimulator) -> None:
    xapi = sdk_login(own)
    blob = xapi.xenapi.blob.create("", True)
    rec = xapi.xenapi.blob.get_record(blob)
    assert rec["mime_type"] == "application/octet-stream" and rec["public"] is True
    pool = xapi.xenapi.pool.get_all()[0]
    pool_blob = xapi.xenapi.pool.create_new_blob(pool, "logo", "image/png")
    assert xapi.xenapi.pool.get_blobs(pool) == {"logo": pool_blob}
    reader = sdk_login(own, "reader", "pw-reader")
    with pytest.raises(XenAPI.Failure) as info:
        reader.xenapi.blob.create("text/plain", False)
    assert info.value.details[0] == "RBAC_PERMISSION_DENIED"
