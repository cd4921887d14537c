"""The saved server list: where to connect, as whom, and which certificate to trust.

It lives in ``servers.json`` in the platform's config folder
(``$XDG_CONFIG_HOME/xsnap-gui`` on Linux), indented JSON a person can read
and fix by hand::

    {
      "version": 1,
      "servers": [
        {"id": "…", "address": "https://pool1.example.com", "username": "root",
         "fingerprint": "AB:CD:…", "auto_connect": true, "remember_password": true}
      ]
    }

The list order is the display order. **No password is ever written here**:
:class:`SavedServer` has no field for one, and unknown keys in a file (a
"password" someone typed in by hand) are dropped on load, so the next save
removes them. Passwords live in the OS keyring (:mod:`.secrets`), under
:attr:`SavedServer.secret_account`.

Every change is saved at once, atomically: the new content goes to a
temporary file in the same folder, is flushed to disk, and replaces the old
file with one rename, so a crash leaves either the old list or the new one.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import logging
import os
import tempfile
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs

from ..xapi.tls import normalise_fingerprint
from ..xapi.transport import parse_url

log = logging.getLogger(__name__)

__all__ = [
    "APP_NAME",
    "SERVERS_FILE",
    "SavedServer",
    "ServerList",
    "default_config_dir",
    "normalise_address",
]

APP_NAME = "xsnap-gui"
SERVERS_FILE = "servers.json"
FORMAT_VERSION = 1


def default_config_dir() -> Path:
    """The platform's per-user config folder for the app (honours ``XDG_CONFIG_HOME``)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def normalise_address(text: str, *, allow_plain_http: bool = False) -> str:
    """What the user typed (``host``, ``host:port``, ``https://…``) as a canonical URL.

    ``pool1`` and ``https://pool1:443/`` both become ``https://pool1``. Raises
    ValueError with a readable reason for anything the client cannot use.
    """
    return parse_url(text, allow_plain_http=allow_plain_http).url


@dataclass(frozen=True)
class SavedServer:
    """One saved server. ``address`` is a canonical URL (see :func:`normalise_address`)."""

    id: str
    address: str
    username: str
    fingerprint: str | None = None  # the pinned SHA-256 certificate fingerprint
    auto_connect: bool = True
    remember_password: bool = False  # whether a password was put in the keyring
    allow_plain_http: bool = False  # only ever set by hand, for test pools

    @property
    def secret_account(self) -> str:
        """The keyring account of this server's password: ``user@address``."""
        return f"{self.username}@{self.address}"

    @property
    def display_name(self) -> str:
        """The address without ``https://``, as the pool tree shows it."""
        return self.address.split("://", 1)[-1]

    @staticmethod
    def new(address: str, username: str, *, fingerprint: str | None = None,
            auto_connect: bool = True, remember_password: bool = False,
            allow_plain_http: bool = False) -> SavedServer:
        """A new entry with a fresh id; the address and fingerprint are normalised."""
        return SavedServer(
            id=uuid.uuid4().hex,
            address=normalise_address(address, allow_plain_http=allow_plain_http),
            username=username,
            fingerprint=normalise_fingerprint(fingerprint) if fingerprint else None,
            auto_connect=auto_connect,
            remember_password=remember_password,
            allow_plain_http=allow_plain_http,
        )

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "address": self.address,
            "username": self.username,
            "fingerprint": self.fingerprint,
            "auto_connect": self.auto_connect,
            "remember_password": self.remember_password,
        }
        if self.allow_plain_http:
            data["allow_plain_http"] = True
        return data

    @staticmethod
    def from_json(data: Any) -> SavedServer:
        """Read one entry; ValueError for an unusable one. Unknown keys are ignored."""
        if not isinstance(data, dict):
            raise ValueError("a server entry is not an object")
        address = data.get("address")
        username = data.get("username")
        if not isinstance(address, str) or not isinstance(username, str) or not username:
            raise ValueError("a server entry lacks its address or user name")
        plain = data.get("allow_plain_http") is True
        fingerprint = data.get("fingerprint")
        server_id = data.get("id")
        return SavedServer(
            id=server_id if isinstance(server_id, str) and server_id else uuid.uuid4().hex,
            address=normalise_address(address, allow_plain_http=plain),
            username=username,
            fingerprint=normalise_fingerprint(fingerprint)
            if isinstance(fingerprint, str) and fingerprint else None,
            auto_connect=data.get("auto_connect", True) is not False,
            remember_password=data.get("remember_password") is True,
            allow_plain_http=plain,
        )


class ServerList:
    """The saved servers, in display order, saved to ``path`` on every change.

    ``load_problem`` says why an existing file could not be read (it is then
    kept beside as ``servers.json.unreadable`` and the list starts empty), so
    the UI can tell the user instead of losing their servers silently.
    """

    def __init__(self, path: Path, servers: Iterable[SavedServer] = (),
                 load_problem: str = "") -> None:
        self.path = path
        self._servers = list(servers)
        self.load_problem = load_problem

    @classmethod
    def open(cls, config_dir: Path | None = None) -> ServerList:
        """Load ``servers.json`` from ``config_dir`` (default: :func:`default_config_dir`)."""
        path = (config_dir or default_config_dir()) / SERVERS_FILE
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except OSError as e:
            return cls(path, load_problem=f"cannot read {path}: {e.strerror or e}")
        try:
            servers, skipped = cls._parse(text)
        except ValueError as e:
            kept = path.with_name(path.name + ".unreadable")
            with contextlib.suppress(OSError):
                os.replace(path, kept)
            log.warning("the server list %s is unreadable (%s); it was moved to %s",
                        path, e, kept)
            return cls(path, load_problem=f"{path} was unreadable ({e}); it was kept as {kept}")
        problem = ""
        if skipped:
            problem = f"{skipped} unusable entries in {path} were skipped"
            log.warning("%s", problem)
        return cls(path, servers, problem)

    @staticmethod
    def _parse(text: str) -> tuple[list[SavedServer], int]:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise ValueError(f"not JSON: {e.msg} at line {e.lineno}") from None
        if not isinstance(data, dict) or not isinstance(data.get("servers"), list):
            raise ValueError("no server list in it")
        servers: list[SavedServer] = []
        skipped = 0
        seen: set[str] = set()
        for entry in data["servers"]:
            try:
                server = SavedServer.from_json(entry)
            except ValueError:
                skipped += 1
                continue
            if server.id in seen:
                server = dataclasses.replace(server, id=uuid.uuid4().hex)
            seen.add(server.id)
            servers.append(server)
        return servers, skipped

    # --- reading --------------------------------------------------------------------

    @property
    def servers(self) -> list[SavedServer]:
        return list(self._servers)

    def __iter__(self) -> Iterator[SavedServer]:
        return iter(list(self._servers))

    def __len__(self) -> int:
        return len(self._servers)

    def get(self, server_id: str) -> SavedServer | None:
        return next((s for s in self._servers if s.id == server_id), None)

    def find(self, address: str, username: str) -> SavedServer | None:
        """The entry for ``address`` (in any form :func:`normalise_address` takes) and user."""
        try:
            wanted = normalise_address(address, allow_plain_http=True)
        except ValueError:
            return None
        return next((s for s in self._servers
                     if s.address == wanted and s.username == username), None)

    # --- changing (each saves) ------------------------------------------------------

    def add(self, server: SavedServer) -> SavedServer:
        """Append ``server``; an entry for the same address and user is replaced in place."""
        existing = self.find(server.address, server.username)
        if existing is not None:
            server = dataclasses.replace(server, id=existing.id)
            self._servers[self._index(existing.id)] = server
        else:
            self._servers.append(server)
        self.save()
        return server

    def replace(self, server: SavedServer) -> None:
        """Store the changed entry with ``server.id`` (KeyError if there is none)."""
        self._servers[self._index(server.id)] = server
        self.save()

    def update(self, server_id: str, **changes: Any) -> SavedServer:
        server = dataclasses.replace(self._servers[self._index(server_id)], **changes)
        self.replace(server)
        return server

    def remove(self, server_id: str) -> SavedServer | None:
        index = next((i for i, s in enumerate(self._servers) if s.id == server_id), None)
        if index is None:
            return None
        server = self._servers.pop(index)
        self.save()
        return server

    def move(self, server_id: str, index: int) -> None:
        """Put the entry at position ``index`` of the display order."""
        server = self._servers.pop(self._index(server_id))
        self._servers.insert(max(0, min(index, len(self._servers))), server)
        self.save()

    def _index(self, server_id: str) -> int:
        for i, s in enumerate(self._servers):
            if s.id == server_id:
                return i
        raise KeyError(server_id)

    # --- saving ---------------------------------------------------------------------

    def save(self) -> None:
        """Write the list atomically, readable by the user only."""
        text = json.dumps({"version": FORMAT_VERSION,
                           "servers": [s.to_json() for s in self._servers]},
                          indent=2, ensure_ascii=False) + "\n"
        folder = self.path.parent
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(temp, 0o600)
            os.replace(temp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
        self._sync_folder(folder)

    @staticmethod
    def _sync_folder(folder: Path) -> None:
        # The rename is durable only once the folder itself is on disk.
        try:
            fd = os.open(folder, os.O_RDONLY)
        except OSError:
            return
        try:
            os.fsync(fd)
        except OSError:
            pass
        finally:
            os.close(fd)
