"""download_export against the simulator's /export, and the streaming XVA verifier itself."""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import io
import random
import tarfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import xxhash

from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.core import SimConfig
from xsnap_gui.simulator.faults import CutExport
from xsnap_gui.simulator.http_handlers import handle_export
from xsnap_gui.simulator.server import RequestHandler
from xsnap_gui.xapi.client import Connection
from xsnap_gui.xapi.errors import ConnectionFailed, ExportError, PermissionDenied, XapiError
from xsnap_gui.xapi.export import IncompleteArchiveError, TarStreamReader, XvaVerifier
from xsnap_gui.xapi.tasks import CLIENT_ID_KEY

from .conftest import assert_clean_error, login, run, start

MiB = 1024 * 1024
CAP = 16 * MiB


@pytest.fixture(scope="module")
def sim() -> Iterator[RunningSimulator]:
    running = start(tls=True, config=SimConfig(export_bytes_cap=CAP))
    yield running
    running.stop()


@pytest.fixture
def slow_exports(sim: RunningSimulator) -> Iterator[None]:
    config = sim.sim.config
    before = (config.work_scale, config.export_bytes_per_second)
    config.work_scale, config.export_bytes_per_second = 1.0, 1 * MiB
    yield
    config.work_scale, config.export_bytes_per_second = before


def halted_vm(running: RunningSimulator, name: str = "mail-01") -> str:
    return running.sim.db.find("VM", name_label=name)[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def our_tasks(running: RunningSimulator, conn: Connection) -> list[str]:
    return [ref for ref, row in running.sim.db.rows("task")
            if row["other_config"].get(CLIENT_ID_KEY) == conn.client_id]


def read_xva(data: bytes) -> dict[str, bytes]:
    """Every member of an XVA, read with the standard library, checksums checked."""
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:*") as tar:
        members = {m.name: tar.extractfile(m).read()  # type: ignore[union-attr]
                   for m in tar.getmembers() if m.isfile()}
    for name, content in members.items():
        if name.endswith(".xxhash"):
            chunk = members[name.removesuffix(".xxhash")]
            assert content.decode() == xxhash.xxh64(chunk).hexdigest().upper()
    return members


# --- against the simulator's real /export ------------------------------------------------


def test_download_a_snapshot(sim: RunningSimulator, tmp_path: Path) -> None:
    snapshot = sim.sim.db.find("VM", name_label="baseline")[0]
    dest = tmp_path / "baseline.xva"
    seen: list[tuple[int, int | None]] = []

    async def scenario() -> None:
        async with await login(sim, "vmadmin") as conn:
            result = await conn.download_export(
                snapshot, dest, progress=lambda n, total: seen.append((n, total)))
            assert result.path == dest
            assert result.size == dest.stat().st_size
            assert result.verified and not result.compressed
            assert result.chunks_verified > 0 and result.disks >= 1
            assert result.checksum_algorithm == "xxhash"
            assert our_tasks(sim, conn) == []

    run(scenario())
    members = read_xva(dest.read_bytes())
    assert next(iter(members)) == "ova.xml"
    assert leftovers(tmp_path) == ["baseline.xva"]
    assert seen[-1] == (dest.stat().st_size, None)
    assert [n for n, _ in seen] == sorted(n for n, _ in seen)


def test_download_compressed(sim: RunningSimulator, tmp_path: Path) -> None:
    dest = tmp_path / "mail.xva.gz"

    async def scenario() -> None:
        async with await login(sim, "admin") as conn:
            result = await conn.download_export(halted_vm(sim), dest, use_compression=True)
            assert result.compressed and result.chunks_verified > 0

    run(scenario())
    # The file is the stream as received: gzip around the XVA tar.
    read_xva(gzip.decompress(dest.read_bytes()))
    assert leftovers(tmp_path) == ["mail.xva.gz"]


def test_an_interrupted_stream_leaves_nothing(sim: RunningSimulator, tmp_path: Path) -> None:
    dest = tmp_path / "cut.xva"
    sim.sim.faults.add(CutExport(3 * MiB, count=1))

    async def scenario() -> None:
        async with await login(sim, "admin") as conn:
            with pytest.raises(ConnectionFailed) as caught:
                await conn.download_export(halted_vm(sim), dest)
            assert caught.value.reason == "dropped"
            assert "ended" in str(caught.value)
            assert_clean_error(caught.value)

    try:
        run(scenario())
    finally:
        sim.sim.faults.clear()
    assert leftovers(tmp_path) == []


def test_cancelling_a_download(sim: RunningSimulator, tmp_path: Path,
                               slow_exports: None) -> None:
    dest = tmp_path / "cancelled.xva"

    async def scenario() -> None:
        async with await login(sim, "admin") as conn:
            started = asyncio.Event()
            downloading = asyncio.ensure_future(conn.download_export(
                halted_vm(sim), dest, progress=lambda n, _total: started.set()))
            await started.wait()
            assert any(p.name.endswith(".part") for p in tmp_path.iterdir())
            task = our_tasks(sim, conn)[0]
            downloading.cancel()
            with pytest.raises(asyncio.CancelledError):
                await downloading
            assert leftovers(tmp_path) == []
            # The server task is cancelled and destroyed in the background.
            while sim.sim.db.exists("task", task):
                await asyncio.sleep(0.05)

    run(scenario())
    assert leftovers(tmp_path) == []


def test_existing_destination_is_kept(sim: RunningSimulator, tmp_path: Path) -> None:
    dest = tmp_path / "keep.xva"
    dest.write_bytes(b"precious")

    async def scenario() -> None:
        async with await login(sim, "admin") as conn:
            with pytest.raises(FileExistsError):
                await conn.download_export(halted_vm(sim), dest)
            assert dest.read_bytes() == b"precious"
            await conn.download_export(halted_vm(sim), dest, overwrite=True)

    run(scenario())
    read_xva(dest.read_bytes())
    assert leftovers(tmp_path) == ["keep.xva"]


def test_export_errors_come_from_the_task(sim: RunningSimulator, tmp_path: Path) -> None:
    running_vm = sim.sim.db.find("VM", name_label="log-01")[0]

    async def scenario() -> None:
        async with await login(sim, "admin") as conn:
            with pytest.raises(XapiError) as caught:
                await conn.download_export(running_vm, tmp_path / "running.xva")
            assert caught.value.code == "VM_BAD_POWER_STATE"
        async with await login(sim, "reader") as reader:
            with pytest.raises(PermissionDenied) as denied:
                await reader.download_export(halted_vm(sim), tmp_path / "denied.xva")
            assert denied.value.permission == "http/get_export"

    run(scenario())
    assert leftovers(tmp_path) == []


# --- hand-made XVA streams served by the simulator -------------------------------------


def build_xva(*, checksum: str = "xxhash", corrupt: str | None = None,
              disks: int = 2, chunks: int = 3, seed: int = 1) -> bytes:
    """An XVA as xapi writes it; ``corrupt`` names a chunk whose checksum is wrong."""
    rng = random.Random(seed)
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        def add(name: str, data: bytes) -> None:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))

        add("ova.xml", b"<value><struct></struct></value>")
        for disk in range(disks):
            for n in range(0, chunks * 2, 2):  # gaps: zero chunks left out
                name = f"Ref:{disk + 5}/{n:08d}"
                data = rng.randbytes(MiB if n else 1000)
                if checksum == "xxhash":
                    digest = xxhash.xxh64(data).hexdigest().upper()
                else:
                    digest = hashlib.sha1(data).hexdigest()
                if name == corrupt:
                    digest = digest[::-1]
                add(name, data)
                add(f"{name}.{checksum}", digest.encode())
    return out.getvalue()


def serve(running: RunningSimulator, body: bytes) -> None:
    """Make /export answer ``body`` (then end the task as xapi does)."""

    def handler(request: RequestHandler, _host: str, query: dict[str, str]) -> None:
        request.protocol_version = "HTTP/1.0"
        request.close_connection = True
        request.send_response(200)
        request.send_header("Connection", "close")
        request.end_headers()
        request.wfile.write(body)
        request.wfile.flush()
        task = query.get("task_id", "")
        if running.sim.db.exists("task", task):
            running.sim.db.update("task", task, status="success", progress=1.0)

    running.get_handlers["/export"] = handler


@pytest.fixture
def crafted() -> Iterator[RunningSimulator]:
    running = start(tls=True)
    yield running
    running.stop()


def _download(running: RunningSimulator, dest: Path) -> object:
    async def scenario() -> object:
        async with await login(running, "admin") as conn:
            return await conn.download_export(halted_vm(running), dest)

    return run(scenario())


def test_a_corrupted_chunk_is_caught(crafted: RunningSimulator, tmp_path: Path) -> None:
    serve(crafted, build_xva(corrupt="Ref:6/00000002"))
    with pytest.raises(ExportError, match=r"chunk Ref:6/00000002 is corrupted") as caught:
        _download(crafted, tmp_path / "corrupt.xva")
    assert_clean_error(caught.value)
    assert leftovers(tmp_path) == []


def test_legacy_sha1_checksums(crafted: RunningSimulator, tmp_path: Path) -> None:
    serve(crafted, build_xva(checksum="checksum"))
    result = _download(crafted, tmp_path / "old.xva")
    assert getattr(result, "checksum_algorithm", None) == "sha1"
    assert getattr(result, "chunks_verified", None) == 6
    serve(crafted, build_xva(checksum="checksum", corrupt="Ref:5/00000004"))
    with pytest.raises(ExportError, match="sha1 checksum"):
        _download(crafted, tmp_path / "old-corrupt.xva")
    assert leftovers(tmp_path) == ["old.xva"]


def test_a_stream_cut_at_a_member_boundary(crafted: RunningSimulator, tmp_path: Path) -> None:
    whole = build_xva()
    # Cut right after a checksum member: every member read is whole, but no end marker.
    serve(crafted, whole[: whole.index(b"Ref:6/00000002.xxhash") + 1024])
    with pytest.raises(ConnectionFailed, match="ended before the end of the archive"):
        _download(crafted, tmp_path / "short.xva")
    assert leftovers(tmp_path) == []


def test_not_an_xva(crafted: RunningSimulator, tmp_path: Path) -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as tar:
        info = tarfile.TarInfo("README")
        tar.addfile(info, io.BytesIO(b""))
    serve(crafted, out.getvalue())
    with pytest.raises(ExportError, match="not an XVA"):
        _download(crafted, tmp_path / "readme.xva")
    assert leftovers(tmp_path) == []


# --- the incremental tar reader on its own -------------------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.members: list[tuple[str, int, bytes]] = []
        self._data = bytearray()

    def member_start(self, name: str, size: int, kind: bytes) -> None:
        self.members.append((name, size, b""))
        self._data.clear()

    def member_data(self, data: memoryview) -> None:
        self._data += data

    def member_end(self) -> None:
        name, size, _ = self.members[-1]
        self.members[-1] = (name, size, bytes(self._data))


def feed_in_pieces(data: bytes, sink: Callable[[bytes], None], seed: int) -> None:
    rng = random.Random(seed)
    pos = 0
    while pos < len(data):
        step = rng.choice([1, 7, 511, 512, 513, 4096, 100_000])
        sink(data[pos : pos + step])
        pos += step


@pytest.mark.parametrize("fmt", [tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT])
def test_tar_reader_matches_tarfile(fmt: int) -> None:
    rng = random.Random(fmt)
    # The long name needs ustar's prefix field, or a GNU or pax extension header.
    files = {"ova.xml": b"<value/>", f"{'d' * 120}/{'f' * 80}": rng.randbytes(5000),
             "empty": b"", "exact": rng.randbytes(1024), "ünïcode": b"x"}
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=fmt) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    recorder = Recorder()
    reader = TarStreamReader(recorder)
    feed_in_pieces(out.getvalue(), reader.feed, seed=fmt)
    reader.finish()
    assert [(n, d) for n, _, d in recorder.members] == list(files.items())


def test_tar_reader_notices_truncation_and_damage() -> None:
    data = build_xva(disks=1, chunks=2)  # the second chunk is 1 MiB: half-way is inside it
    for cut in (100, 600, len(data) // 2):
        reader = TarStreamReader(Recorder())
        reader.feed(data[:cut])
        with pytest.raises(IncompleteArchiveError):
            reader.finish()
    damaged = bytearray(data)
    damaged[1024 + 10] ^= 0xFF  # ova.xml takes two blocks; this is in the next header
    reader = TarStreamReader(XvaVerifier())
    with pytest.raises(ExportError, match="broken tar header"):
        reader.feed(bytes(damaged))


def test_verifier_requires_each_chunk_to_have_its_checksum() -> None:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in (("ova.xml", b"x"), ("Ref:1/00000000", b"data"),
                           ("Ref:1/00000001", b"more")):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    verifier = XvaVerifier()
    with pytest.raises(ExportError, match="chunk Ref:1/00000000 has no checksum"):
        TarStreamReader(verifier).feed(out.getvalue())
    # Without verification the layout is still read, but checksums are not required.
    lenient = XvaVerifier(verify=False)
    reader = TarStreamReader(lenient)
    reader.feed(out.getvalue())
    reader.finish()
    lenient.finish()
    assert lenient.chunks_verified == 0 and lenient.disks == {"1"}


def test_a_redirect_to_another_host_is_followed(crafted: RunningSimulator,
                                                tmp_path: Path) -> None:
    # xapi may send an export to a host that can see the VM's storage.
    member_url = next(iter(crafted.member_urls.values()))

    def redirecting(request: RequestHandler, host: str, query: dict[str, str]) -> None:
        if host == crafted.sim.master:
            request.send_response(302)
            request.send_header("Location", member_url + request.path)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        handle_export(request, host, query)

    crafted.get_handlers["/export"] = redirecting
    result = _download(crafted, tmp_path / "moved.xva")
    assert getattr(result, "chunks_verified", 0) > 0
    read_xva((tmp_path / "moved.xva").read_bytes())
