"""Downloading a VM export (XVA) and verifying it while it streams.

``GET /export?ref=…&session_id=…&task_id=…`` answers a tar stream (see the
protocol notes §2.6): ``ova.xml`` first, then for each disk 1 MiB chunks named
``Ref:<n>/<8 digits>``, each followed by its checksum member ``….xxhash``
(XXH64, 16 hex digits) or, from hosts before 2019, ``….checksum`` (SHA-1).
The response has no Content-Length and ends by closing the connection, so
only the tar end marker tells a complete stream from a cut one.

:class:`TarStreamReader` parses the tar incrementally as bytes arrive (no
seeking, nothing held in memory beyond one header), :class:`XvaVerifier`
checks every chunk against its checksum as it passes, and
:class:`ExportJob` writes the bytes, exactly as received, to a temporary
file. Placing the file under its final name is the caller's job once the
whole stream has been verified.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import re
import threading
import urllib.parse
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import xxhash

from .errors import ConnectionFailed, ExportError
from .transport import Endpoint, break_socket, connection_error

log = logging.getLogger(__name__)

__all__ = [
    "ExportJob",
    "ExportResult",
    "ExportStats",
    "HttpStatusError",
    "IncompleteArchiveError",
    "TarStreamReader",
    "XvaVerifier",
    "place_file",
]

BLOCK = 512
READ_SIZE = 256 * 1024
PROGRESS_EVERY = 1024 * 1024
_CHUNK = re.compile(r"^Ref:(\d+)/(\d{8})$")
_CHECKSUM = re.compile(r"^(Ref:\d+/\d{8})\.(xxhash|checksum)$")
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_META_LIMIT = 1024 * 1024  # GNU long names and pax headers are tiny; refuse absurd ones


class IncompleteArchiveError(ExportError):
    """The stream ended before the tar end marker (or in the middle of a member)."""


class HttpStatusError(Exception):
    """The export request was answered with an HTTP error status."""

    def __init__(self, status: int, reason: str) -> None:
        self.status = status
        self.reason = reason
        super().__init__(status, reason)


@dataclass(frozen=True)
class ExportResult:
    """A finished, verified download."""

    path: Path
    size: int  # bytes written, as received (compressed if compression was used)
    compressed: bool
    verified: bool
    chunks_verified: int
    disks: int
    checksum_algorithm: str | None  # "xxhash", "sha1", or None (no disk data / not verified)


# --------------------------------------------------------------------------------------
# Incremental tar parsing
# --------------------------------------------------------------------------------------


class TarVisitor(Protocol):
    def member_start(self, name: str, size: int, kind: bytes) -> None: ...

    def member_data(self, data: memoryview) -> None: ...

    def member_end(self) -> None: ...


def _octal(field_bytes: bytes, what: str) -> int:
    if field_bytes and field_bytes[0] & 0x80:
        # GNU base-256 for values that do not fit the octal field.
        value = int.from_bytes(field_bytes[1:], "big")
        return value
    text = field_bytes.split(b"\0", 1)[0].strip(b" \0")
    if not text:
        return 0
    try:
        return int(text, 8)
    except ValueError:
        raise ExportError(f"broken tar header: bad {what} field {text!r}") from None


def _checksum_ok(header: bytes) -> bool:
    stored = _octal(header[148:156], "checksum")
    unsigned = sum(header[:148]) + 8 * 32 + sum(header[156:])
    signed = sum(b - 256 if b > 127 else b for b in header[:148]) + 8 * 32 + sum(
        b - 256 if b > 127 else b for b in header[156:])
    return stored in (unsigned, signed)


def _cstring(data: bytes) -> str:
    return data.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")


def _parse_pax(data: bytes) -> dict[str, str]:
    records: dict[str, str] = {}
    pos = 0
    while pos < len(data):
        space = data.find(b" ", pos)
        if space < 0:
            break
        try:
            length = int(data[pos:space])
        except ValueError:
            raise ExportError("broken pax header") from None
        if length <= 0:
            raise ExportError("broken pax header")
        record = data[space + 1 : pos + length].rstrip(b"\n")
        key, _, value = record.partition(b"=")
        records[key.decode("utf-8", "replace")] = value.decode("utf-8", "surrogateescape")
        pos += length
    return records


class TarStreamReader:
    """Push parser for ustar, GNU and pax tar streams: feed bytes as they arrive."""

    def __init__(self, visitor: TarVisitor) -> None:
        self._visitor = visitor
        self._header = bytearray()
        self._remaining = 0  # data bytes left in the current member
        self._padding = 0  # padding bytes left after it
        self._in_member = False
        self._meta: bytearray | None = None  # data of a GNU long name / pax member
        self._meta_kind = b""
        self._long_name: str | None = None
        self._pax: dict[str, str] = {}
        self.ended = False  # the end-of-archive (zero) block was seen
        self.bytes_after_end = 0

    def feed(self, data: bytes | memoryview) -> None:
        view = memoryview(data)
        pos, total = 0, len(view)
        while pos < total:
            if self.ended:
                self.bytes_after_end += total - pos
                return
            if self._remaining:
                take = min(self._remaining, total - pos)
                self._member_bytes(view[pos : pos + take])
                self._remaining -= take
                pos += take
                if self._remaining == 0:
                    self._end_member()
                continue
            if self._padding:
                take = min(self._padding, total - pos)
                self._padding -= take
                pos += take
                continue
            need = BLOCK - len(self._header)
            take = min(need, total - pos)
            self._header += view[pos : pos + take]
            pos += take
            if len(self._header) == BLOCK:
                header = bytes(self._header)
                self._header.clear()
                self._start_member(header)

    def finish(self) -> None:
        """The stream is over: raise :class:`IncompleteArchiveError` unless the tar was complete."""
        if self._remaining or self._in_member:
            raise IncompleteArchiveError("the export stream ended in the middle of a member")
        if not self.ended:
            raise IncompleteArchiveError("the export stream ended before the end of the archive")

    def _start_member(self, header: bytes) -> None:
        if header == bytes(BLOCK):
            self.ended = True
            return
        if not _checksum_ok(header):
            raise ExportError("broken tar header (checksum mismatch): the stream is corrupted")
        kind = header[156:157] or b"0"
        size = _octal(header[124:136], "size")
        name = _cstring(header[0:100])
        if header[257:262] == b"ustar":
            prefix = _cstring(header[345:500])
            if prefix:
                name = f"{prefix}/{name}"
        if kind in (b"L", b"x", b"g", b"K"):
            if size > _META_LIMIT:
                raise ExportError(f"tar extension header of {size} bytes: not an XVA")
            self._meta = bytearray()
            self._meta_kind = kind
        else:
            if self._long_name is not None:
                name = self._long_name
            if "path" in self._pax:
                name = self._pax["path"]
            if "size" in self._pax:
                try:
                    size = int(self._pax["size"])
                except ValueError:
                    raise ExportError("broken pax size") from None
            self._long_name = None
            self._pax = {}
            self._meta = None
            self._in_member = True
            self._visitor.member_start(name, size, kind)
        self._remaining = size
        self._padding = (-size) % BLOCK
        if size == 0:
            self._end_member()

    def _member_bytes(self, data: memoryview) -> None:
        if self._meta is not None:
            self._meta += data
        else:
            self._visitor.member_data(data)

    def _end_member(self) -> None:
        if self._meta is not None:
            meta, kind = bytes(self._meta), self._meta_kind
            self._meta = None
            if kind == b"L":
                self._long_name = meta.split(b"\0", 1)[0].decode("utf-8", "surrogateescape")
            elif kind == b"x":
                self._pax = _parse_pax(meta)
            return
        self._in_member = False
        self._visitor.member_end()


# --------------------------------------------------------------------------------------
# XVA verification
# --------------------------------------------------------------------------------------


@dataclass
class _PendingChunk:
    name: str
    xxh: Any = None
    sha1: Any = None


class XvaVerifier:
    """Checks the XVA layout and, if ``verify``, every chunk against its checksum member."""

    def __init__(self, verify: bool = True) -> None:
        self.verify = verify
        self.members = 0
        self.chunks_verified = 0
        self.algorithm: str | None = None
        self.disks: set[str] = set()
        self._last_chunk: dict[str, str] = {}  # disk id -> last chunk number
        self._current: str | None = None  # name of the member being read
        self._chunk: _PendingChunk | None = None  # chunk being read
        self._awaiting_checksum: _PendingChunk | None = None
        self._checksum_text = bytearray()
        self._checksum_kind: str | None = None

    # TarVisitor

    def member_start(self, name: str, size: int, kind: bytes) -> None:
        self.members += 1
        self._current = name
        if self.members == 1 and name != "ova.xml":
            raise ExportError(f"not an XVA export: it starts with {name!r}, not ova.xml")
        chunk = _CHUNK.match(name)
        checksum = _CHECKSUM.match(name)
        if self.verify and self._awaiting_checksum is not None and not (
                checksum and checksum.group(1) == self._awaiting_checksum.name):
            raise ExportError(f"chunk {self._awaiting_checksum.name} has no checksum")
        if chunk:
            disk, number = chunk.group(1), chunk.group(2)
            previous = self._last_chunk.get(disk)
            if previous is not None and number <= previous:
                raise ExportError(f"chunk {name} is out of order (after {previous})")
            self._last_chunk[disk] = number
            self.disks.add(disk)
            if self.verify:
                pending = _PendingChunk(name)
                if self.algorithm in (None, "xxhash"):
                    pending.xxh = xxhash.xxh64()
                if self.algorithm in (None, "sha1"):
                    pending.sha1 = hashlib.sha1(usedforsecurity=False)
                self._chunk = pending
        elif checksum and self.verify:
            if self._awaiting_checksum is None:
                raise ExportError(f"checksum {name} does not follow its chunk")
            self._checksum_kind = "xxhash" if checksum.group(2) == "xxhash" else "sha1"
            self._checksum_text.clear()
            if size > 128:
                raise ExportError(f"checksum member {name} is {size} bytes long")

    def member_data(self, data: memoryview) -> None:
        if self._chunk is not None:
            if self._chunk.xxh is not None:
                self._chunk.xxh.update(data)
            if self._chunk.sha1 is not None:
                self._chunk.sha1.update(data)
        elif self._checksum_kind is not None:
            self._checksum_text += data

    def member_end(self) -> None:
        if self._chunk is not None:
            self._awaiting_checksum = self._chunk
            self._chunk = None
        elif self._checksum_kind is not None:
            self._check(self._checksum_kind, bytes(self._checksum_text))
            self._checksum_kind = None
        self._current = None

    def _check(self, kind: str, text: bytes) -> None:
        pending = self._awaiting_checksum
        assert pending is not None
        self._awaiting_checksum = None
        hasher = pending.xxh if kind == "xxhash" else pending.sha1
        if hasher is None:
            raise ExportError(f"chunk {pending.name}: the export mixes checksum kinds")
        expected = text.decode("ascii", "replace").strip().lower()
        actual = str(hasher.hexdigest()).lower()
        if expected != actual:
            raise ExportError(
                f"chunk {pending.name} is corrupted: its {kind} checksum is {expected} but "
                f"the data hashes to {actual}"
            )
        self.algorithm = kind
        self.chunks_verified += 1

    def finish(self) -> None:
        if self.members == 0:
            raise IncompleteArchiveError("the export stream is empty")
        if self.verify and self._awaiting_checksum is not None:
            raise IncompleteArchiveError(
                f"the export stream ended before the checksum of {self._awaiting_checksum.name}")


class _Decoder:
    """Undoes the gzip of ``use_compression=true`` exports, detected by the magic bytes."""

    def __init__(self) -> None:
        self._head = bytearray()
        self._mode: str | None = None
        self._inflater: Any = None
        self.compressed = False

    def feed(self, data: bytes) -> bytes:
        if self._mode is None:
            self._head += data
            if len(self._head) < len(_ZSTD_MAGIC):
                return b""
            data = bytes(self._head)
            self._head.clear()
            if data.startswith(_GZIP_MAGIC):
                self._mode = "gzip"
                self.compressed = True
                self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
            elif data.startswith(_ZSTD_MAGIC):
                raise ExportError("the export is zstd-compressed, which cannot be verified here")
            else:
                self._mode = "plain"
        if self._mode == "plain":
            return data
        return self._inflate(data)

    def _inflate(self, data: bytes) -> bytes:
        out = bytearray()
        while data:
            try:
                out += self._inflater.decompress(data)
            except zlib.error as e:
                raise ExportError(f"the compressed export is corrupted: {e}") from None
            if not self._inflater.eof:
                break
            # A concatenated gzip member follows (or nothing).
            data = self._inflater.unused_data
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        return bytes(out)

    def finish(self) -> bytes:
        if self._mode is None:
            data = bytes(self._head)
            self._head.clear()
            self._mode = "plain"
            return data
        return b""


# --------------------------------------------------------------------------------------
# The download
# --------------------------------------------------------------------------------------


@dataclass
class ExportStats:
    received: int = 0
    compressed: bool = False
    chunks_verified: int = 0
    disks: int = 0
    algorithm: str | None = None


@dataclass(eq=False)  # identity semantics: jobs live in a set while they run
class ExportJob:
    """One blocking download into ``temp_path``; :meth:`run` runs on a transfer thread.

    ``report(received, total)`` is called from that thread (the caller makes it
    thread-safe). :meth:`abort` may be called from any thread.
    """

    endpoint: Endpoint
    timeout: float
    query: dict[str, str]
    temp_path: Path
    verify: bool
    report: Callable[[int, int | None], None] | None = None
    max_redirects: int = 3
    _stop: threading.Event = field(default_factory=threading.Event)
    _conn: http.client.HTTPConnection | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def abort(self) -> None:
        self._stop.set()
        with self._lock:
            conn = self._conn
        break_socket(conn.sock if conn is not None else None)

    @property
    def aborted(self) -> bool:
        return self._stop.is_set()

    def run(self) -> ExportStats:
        try:
            return self._run()
        except BaseException:
            self.temp_path.unlink(missing_ok=True)
            raise
        finally:
            with self._lock:
                conn, self._conn = self._conn, None
            if conn is not None:
                conn.close()

    def _open(self) -> tuple[http.client.HTTPResponse, Endpoint]:
        endpoint = self.endpoint
        path = "/export?" + urllib.parse.urlencode(self.query)
        for _ in range(self.max_redirects + 1):
            conn = endpoint.http_connection(self.timeout)
            with self._lock:
                self._conn = conn
            if self._stop.is_set():
                raise _AbortedError
            try:
                conn.request("GET", path, headers={"User-Agent": "xsnap-gui"})
                response = conn.getresponse()
            except ConnectionFailed:
                raise
            except Exception as exc:
                if self._stop.is_set():
                    raise _AbortedError from None
                raise connection_error(exc, endpoint, self.timeout) from exc
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location", "")
                response.close()
                conn.close()
                target = urllib.parse.urlsplit(urllib.parse.urljoin(endpoint.url + path,
                                                                    location))
                if target.scheme not in ("http", "https") or not target.hostname:
                    raise HttpStatusError(response.status, f"bad redirect to {location!r}")
                if target.scheme == "http" and endpoint.scheme == "https":
                    raise HttpStatusError(response.status, "refusing a redirect from https to "
                                          "plain http")
                port = target.port or (443 if target.scheme == "https" else 80)
                endpoint = Endpoint(target.scheme, target.hostname, port, endpoint.pin)
                path = target.path + (f"?{target.query}" if target.query else "")
                log.debug("export redirected to %s", endpoint.url)
                continue
            if response.status != 200:
                reason = response.reason
                response.close()
                raise HttpStatusError(response.status, reason)
            return response, endpoint
        raise HttpStatusError(302, "too many redirects")

    def _run(self) -> ExportStats:
        response, endpoint = self._open()
        length_header = response.getheader("Content-Length")
        total = int(length_header) if length_header and length_header.isdigit() else None
        decoder = _Decoder()
        verifier = XvaVerifier(self.verify)
        reader = TarStreamReader(verifier)
        stats = ExportStats()
        next_report = 0
        with open(self.temp_path, "wb") as out:
            while True:
                if self._stop.is_set():
                    raise _AbortedError
                try:
                    data = response.read1(READ_SIZE)
                except Exception as exc:
                    if self._stop.is_set():
                        raise _AbortedError from None
                    raise connection_error(exc, endpoint, self.timeout) from exc
                if not data:
                    break
                out.write(data)
                stats.received += len(data)
                reader.feed(decoder.feed(data))
                if self.report is not None and stats.received >= next_report:
                    self.report(stats.received, total)
                    next_report = stats.received + PROGRESS_EVERY
            if self._stop.is_set():
                raise _AbortedError
            reader.feed(decoder.finish())
            reader.finish()
            verifier.finish()
            out.flush()
            os.fsync(out.fileno())
        if self.report is not None:
            self.report(stats.received, total)
        stats.compressed = decoder.compressed
        stats.chunks_verified = verifier.chunks_verified
        stats.disks = len(verifier.disks)
        stats.algorithm = verifier.algorithm
        return stats


class _AbortedError(Exception):
    """The download was aborted from another thread (the coroutine was cancelled)."""


def place_file(temp: Path, dest: Path, overwrite: bool) -> None:
    """Move the finished download into place; without ``overwrite`` never replace a file."""
    if overwrite:
        os.replace(temp, dest)
        return
    try:
        # link() refuses an existing target atomically, unlike rename().
        os.link(temp, dest)
    except FileExistsError:
        raise
    except OSError:
        # No hard links on this file system: check, then rename (a small race remains).
        if dest.exists():
            raise FileExistsError(f"{dest} already exists") from None
        os.replace(temp, dest)
        return
    temp.unlink()
