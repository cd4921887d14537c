"""The XVA stream xapi's ``/export`` handler writes (xen-api export.ml and stream_vdi.ml).

An XVA is a tar: first ``ova.xml`` (the VM and the objects around it, as one
XML-RPC struct), then each disk as 1 MiB chunks ``Ref:N/00000000``, each
followed by ``Ref:N/00000000.xxhash`` holding the chunk's XXH64 in 16 upper-case
hex digits. All-zero chunks are left out, except each disk's first and last;
after :data:`KEEPALIVE_SECONDS` without sending anything the exporter emits an
empty chunk that takes the next number but covers no bytes, as xapi does to keep
firewalls from closing the connection.

Disk contents are synthetic and deterministic: mostly zeros, with a few data
chunks whose places and bytes derive from the VDI's uuid, so exports are
reproducible and :func:`chunk_content` tells a test what to expect. The stream
is produced lazily by :func:`stream`, so a 200 GiB disk never sits in memory;
the time the disk read would take is simulated from the bytes covered (see
``SimConfig.export_bytes_per_second``), which also drives the keep-alives.

Where the simulator differs from xapi: a NULL or dangling reference gets no
``Ref:N`` of its own (xapi numbers ``OpaqueRef:NULL`` too and so writes dangling
ids), every reference field is rewritten (xapi leaves a few, such as
VDI.snapshot_of, as raw OpaqueRefs), and a VTPM's secret contents are exported
empty.
"""

from __future__ import annotations

import hashlib
import random
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import xxhash

from ..xapi.datamodel import XType
from .coerce import EPOCH, NULL_REF
from .wire.xmlrpc import value_fragment

if TYPE_CHECKING:
    from .core import Simulator
    from .db import Database

CHUNK_SIZE = 1024 * 1024
EXPORT_VSN = 2
OVA_XML = "ova.xml"
KEEPALIVE_SECONDS = 5.0  # stream_vdi.ml: an empty chunk after 5 s without writing
DATA_CHUNKS_PER_DISK = 6  # data chunks in each synthetic disk (chunk 0 is always one)
_PATTERN_BYTES = 4096  # a data chunk repeats one random block, so it compresses like disks do
_TAR_BLOCK = 512

# export.ml's make_all: the order of classes in ova.xml.
OBJECT_ORDER = ("host", "VM", "VM_guest_metrics", "VBD", "VIF", "network", "VDI", "SR",
                "VGPU_type", "VGPU", "GPU_group", "PVS_proxy", "PVS_site", "VTPM")

# Fields export.ml empties in each class, whatever their type.
_OPERATIONS: dict[str, Any] = {"current_operations": {}, "allowed_operations": []}
_CLEARED: dict[str, dict[str, Any]] = {
    "VM": {**_OPERATIONS, "crash_dumps": [], "consoles": [], "metrics": NULL_REF,
           "protection_policy": NULL_REF, "blobs": {}},
    "host": {"PIFs": [], "PBDs": [], "PGPUs": [], "PCIs": [], "host_CPUs": [],
             "license_params": {}, "blobs": {}, "external_auth_type": "",
             "external_auth_service_name": "", "external_auth_configuration": {},
             "metrics": NULL_REF, "patches": [], "crashdumps": [], "logging": {},
             "supported_bootloaders": [], "cpu_configuration": {}, "other_config": {},
             "capabilities": [], "software_version": {}, "sched_policy": "",
             "ha_statefiles": [], "ha_network_peers": [], "tags": []},
    "VIF": {**_OPERATIONS, "metrics": NULL_REF},
    "network": {**_OPERATIONS, "PIFs": []},
    "VBD": {**_OPERATIONS, "metrics": NULL_REF},
    "VDI": {**_OPERATIONS, "crash_dumps": []},
    "SR": {**_OPERATIONS, "PBDs": []},
    "GPU_group": {"PGPUs": []},
    "PVS_proxy": {"currently_attached": False},
    "PVS_site": {"cache_storage": [], "servers": []},
}
# Fields kept only when the power state is preserved.
_ATTACHMENT_CLASSES = ("VIF", "VBD", "VGPU")


@dataclass(frozen=True)
class ExportedDisk:
    """One disk streamed into the XVA."""

    export_id: str  # Ref:N, the chunk directory
    vdi: str
    uuid: str
    size: int  # bytes streamed: the VDI's virtual_size, or the configured cap


@dataclass(frozen=True)
class XvaPlan:
    """What one export will write: ova.xml, then these disks in this order."""

    vm: str
    ova_xml: bytes
    ids: dict[str, str]  # database ref -> Ref:N
    disks: tuple[ExportedDisk, ...]

    @property
    def disk_bytes(self) -> int:
        return sum(d.size for d in self.disks)


# --- synthetic disk contents ------------------------------------------------------------


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest, "big"))


def chunk_count(size: int) -> int:
    return -(-size // CHUNK_SIZE)


def data_chunks(vdi_uuid: str, size: int) -> frozenset[int]:
    """Indices (offset // CHUNK_SIZE) of the chunks holding data; every other chunk is zeros.

    Chunk 0 always holds data (a boot sector); the last chunk never does, so the
    rule that the last chunk is sent even when empty is always exercised.
    """
    count = chunk_count(size)
    if count == 0:
        return frozenset()
    inner = range(1, count - 1)
    picked = _rng("layout", vdi_uuid).sample(inner, min(DATA_CHUNKS_PER_DISK - 1, len(inner)))
    return frozenset({0, *picked})


def chunk_content(vdi_uuid: str, size: int, index: int) -> bytes:
    """The bytes of chunk ``index`` of the synthetic disk: zeros or deterministic data."""
    length = min(CHUNK_SIZE, size - index * CHUNK_SIZE)
    if length <= 0:
        return b""
    if index not in data_chunks(vdi_uuid, size):
        return bytes(length)
    block = bytearray(_rng("data", vdi_uuid, index).randbytes(_PATTERN_BYTES))
    block[0] |= 1  # never all zeros
    repeats = -(-length // _PATTERN_BYTES)
    return (bytes(block) * repeats)[:length]


# --- ova.xml ------------------------------------------------------------------------------


def _valid(db: Database, cls: str, ref: object) -> bool:
    return isinstance(ref, str) and db.class_of.get(ref) == cls


def _number_objects(sim: Simulator, vm: str, preserve_power_state: bool) -> dict[str, str]:
    """export.ml's update_table: the objects to export, numbered Ref:0 (the VM) upwards."""
    db = sim.db
    ids: dict[str, str] = {}

    def add(cls: str, ref: object) -> None:
        if _valid(db, cls, ref) and ref not in ids:
            assert isinstance(ref, str)
            ids[ref] = f"Ref:{len(ids)}"

    def add_vdi(vdi: str) -> None:
        if _valid(db, "VDI", vdi):
            add("VDI", vdi)
            add("SR", db.get("VDI", vdi, "SR"))

    row = db.row("VM", vm)
    add("VM", vm)
    for vif in row["VIFs"]:
        if _valid(db, "VIF", vif):
            add("VIF", vif)
            add("network", db.get("VIF", vif, "network"))
    for vbd in row["VBDs"]:
        if _valid(db, "VBD", vbd):
            add("VBD", vbd)
            if not db.get("VBD", vbd, "empty"):
                add_vdi(db.get("VBD", vbd, "VDI"))
    for vgpu in row["VGPUs"]:
        if _valid(db, "VGPU", vgpu):
            add("VGPU", vgpu)
            add("VGPU_type", db.get("VGPU", vgpu, "type"))
            add("GPU_group", db.get("VGPU", vgpu, "GPU_group"))
    for proxy, proxy_row in db.rows("PVS_proxy"):
        if proxy_row["VIF"] in row["VIFs"]:
            add("PVS_proxy", proxy)
            add("PVS_site", proxy_row["site"])
    for vtpm in row["VTPMs"]:
        add("VTPM", vtpm)
    if preserve_power_state and row["power_state"] == "Suspended":
        add_vdi(row["suspend_VDI"])
    add("VM_guest_metrics", row["guest_metrics"])
    add("host", row["resident_on"])
    add("host", row["affinity"])
    return ids


def _rewrite(value: Any, t: XType, ids: dict[str, str]) -> Any:
    """Replace database refs by export ids; refs to objects not exported become NULL or go."""
    if t.kind == "ref":
        return ids.get(value, NULL_REF)
    if t.kind == "set" and t.elem is not None and t.elem.kind == "ref":
        return [ids[v] for v in value if v in ids]
    if t.kind == "map" and t.key is not None and t.elem is not None \
            and "ref" in (t.key.kind, t.elem.kind):
        out = {}
        for k, v in value.items():
            key = ids.get(k) if t.key.kind == "ref" else k
            item = ids.get(v) if t.elem.kind == "ref" else v
            if key is not None and item is not None:
                out[key] = item
        return out
    return value


def _snapshot(sim: Simulator, cls: str, ref: str, ids: dict[str, str],
              preserve_power_state: bool, sizes: dict[str, int]) -> dict[str, Any]:
    """The record export.ml's make_<class> writes for one object."""
    row = sim.db.record(cls, ref)
    if cls == "VTPM":
        # xapi writes a hand-made record with the secret contents, which are not simulated.
        return {"VM": ids.get(row["VM"], NULL_REF), "is_unique": row["is_unique"],
                "is_protected": row["is_protected"], "content": ""}
    fields = sim.dm.classes[cls].fields
    record = {name: _rewrite(value, fields[name].type, ids) if name in fields else value
              for name, value in row.items()}
    record.update({k: v for k, v in _CLEARED.get(cls, {}).items() if k in record})
    if cls in _ATTACHMENT_CLASSES and not preserve_power_state:
        record["currently_attached"] = False
    if cls == "VM":
        if not preserve_power_state:
            record["power_state"] = "Halted"
            record["suspend_VDI"] = NULL_REF
        # A normal export makes a plain VM, even of a snapshot (with_snapshot_metadata=false).
        record.update(is_a_snapshot=False, snapshot_of=NULL_REF, snapshots=[],
                      snapshot_time=EPOCH, transportable_snapshot_id="", parent=NULL_REF)
    if cls == "VDI" and ref in sizes:
        record["virtual_size"] = sizes[ref]
    return record


def _version(sim: Simulator) -> dict[str, Any]:
    """importexport.ml's this_version, from the master's host record."""
    host = sim.db.record("host", sim.master)
    software = host.get("software_version", {})
    return {
        "hostname": host.get("hostname", ""),
        "date": software.get("date", ""),
        "product_version": software.get("product_version", ""),
        "product_brand": software.get("product_brand", ""),
        "build_number": software.get("build_number", ""),
        "xapi_major": int(host.get("API_version_major", 2)),
        "xapi_minor": int(host.get("API_version_minor", 21)),
        "export_vsn": EXPORT_VSN,
    }


def _streamed_disks(sim: Simulator, vm: str, ids: dict[str, str], preserve_power_state: bool,
                    cap: int | None) -> list[ExportedDisk]:
    """export.ml's export: non-CD disks (and the suspend image if kept), not on ISO SRs."""
    db = sim.db
    row = db.row("VM", vm)
    vdis = [db.get("VBD", vbd, "VDI") for vbd in row["VBDs"]
            if _valid(db, "VBD", vbd) and db.get("VBD", vbd, "type") != "CD"]
    if preserve_power_state and row["power_state"] == "Suspended":
        vdis.insert(0, row["suspend_VDI"])
    disks: dict[str, ExportedDisk] = {}
    for vdi in vdis:
        if vdi not in ids or vdi in disks:
            continue
        sr = db.get("VDI", vdi, "SR")
        if _valid(db, "SR", sr) and db.get("SR", sr, "content_type") == "iso":
            continue
        size = int(db.get("VDI", vdi, "virtual_size"))
        if cap is not None:
            size = min(size, cap)
        disks[vdi] = ExportedDisk(ids[vdi], vdi, str(db.get("VDI", vdi, "uuid")), max(size, 0))
    # stream_vdi.ml sorts on the export id as a string, so Ref:10 comes before Ref:2.
    return sorted(disks.values(), key=lambda d: d.export_id)


def plan(sim: Simulator, vm: str, *, preserve_power_state: bool = False,
         size_cap: int | None = None) -> XvaPlan:
    """Read what an export of ``vm`` writes. Raises HANDLE_INVALID if the VM is gone."""
    db = sim.db
    with db.lock:
        ids = _number_objects(sim, vm, preserve_power_state)
        disks = _streamed_disks(sim, vm, ids, preserve_power_state, size_cap)
        sizes = {d.vdi: d.size for d in disks}
        objects = []
        for cls in OBJECT_ORDER:
            for ref in db.all_refs(cls):
                if ref in ids:
                    objects.append({
                        "class": cls, "id": ids[ref],
                        "snapshot": _snapshot(sim, cls, ref, ids, preserve_power_state, sizes),
                    })
        header = {"version": _version(sim), "objects": objects}
    return XvaPlan(vm, value_fragment(header).encode("utf-8"), ids, tuple(disks))


# --- the tar stream -----------------------------------------------------------------------


def _tar_header(name: str, size: int) -> bytes:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o400  # ocaml-tar's default, as xapi writes it
    info.mtime = 0
    return info.tobuf(format=tarfile.USTAR_FORMAT, encoding="utf-8", errors="strict")


def tar_entry(name: str, data: bytes) -> Iterator[bytes]:
    yield _tar_header(name, len(data))
    if data:
        yield data
        padding = -len(data) % _TAR_BLOCK
        if padding:
            yield bytes(padding)


def xxhash_text(data: bytes) -> bytes:
    return f"{xxhash.xxh64_intdigest(data):016X}".encode("ascii")


def _chunk_entries(prefix: str, number: int, data: bytes) -> Iterator[bytes]:
    name = f"{prefix}/{number:08d}"
    yield from tar_entry(name, data)
    yield from tar_entry(name + ".xxhash", xxhash_text(data))


def stream_disk(disk: ExportedDisk, bytes_per_second: float,
                covered: Callable[[int], None]) -> Iterator[bytes]:
    """One disk's chunk entries; ``covered(n)`` is told of every n disk bytes read."""
    size = disk.size
    data = data_chunks(disk.uuid, size)
    number = 0
    offset = 0
    quiet = 0.0  # simulated seconds since the last chunk went out
    while offset < size:
        length = min(CHUNK_SIZE, size - offset)
        first_or_last = number == 0 or length == size - offset
        if quiet > KEEPALIVE_SECONDS and not first_or_last:
            yield from _chunk_entries(disk.export_id, number, b"")
            quiet = 0.0
            number += 1
            continue
        index = offset // CHUNK_SIZE
        if first_or_last or index in data:
            yield from _chunk_entries(disk.export_id, number,
                                      chunk_content(disk.uuid, size, index))
            quiet = 0.0
        covered(length)
        if bytes_per_second > 0:
            quiet += length / bytes_per_second
        offset += CHUNK_SIZE
        number += 1


def stream(xva: XvaPlan, bytes_per_second: float,
           covered: Callable[[int], None] = lambda _n: None) -> Iterator[bytes]:
    """The whole XVA as a lazy sequence of byte strings.

    ``covered(n)`` is called as disk bytes are read (zeros that are skipped
    included); it may sleep to pace the export or raise to abandon it.
    """
    yield from tar_entry(OVA_XML, xva.ova_xml)
    for disk in xva.disks:
        yield from stream_disk(disk, bytes_per_second, covered)
    yield bytes(2 * _TAR_BLOCK)  # the tar end: two empty blocks, as ocaml-tar writes


__all__ = [
    "CHUNK_SIZE",
    "EXPORT_VSN",
    "KEEPALIVE_SECONDS",
    "ExportedDisk",
    "XvaPlan",
    "chunk_content",
    "data_chunks",
    "plan",
    "stream",
    "stream_disk",
    "tar_entry",
    "xxhash_text",
]
