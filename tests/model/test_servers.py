"""The saved server list: a readable JSON file, atomic writes, never a password."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from xsnap_gui.model.servers import (
    SERVERS_FILE,
    SavedServer,
    ServerList,
    default_config_dir,
    normalise_address,
)

FP = ":".join(["AB"] * 32)


def test_default_config_dir_honours_xdg_config_home(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert default_config_dir() == tmp_path / "xsnap-gui"


@pytest.mark.parametrize(("typed", "url"), [
    ("pool1.example.com", "https://pool1.example.com"),
    ("pool1.example.com:8443", "https://pool1.example.com:8443"),
    ("https://pool1.example.com:443/", "https://pool1.example.com"),
    ("  10.0.0.5  ", "https://10.0.0.5"),
    ("[fe80::1]:4443", "https://[fe80::1]:4443"),
])
def test_addresses_are_normalised(typed: str, url: str) -> None:
    assert normalise_address(typed) == url


@pytest.mark.parametrize("typed", ["", "ftp://pool1", "http://pool1", "https://u:p@pool1",
                                   "pool1:notaport"])
def test_unusable_addresses_are_refused_with_a_reason(typed: str) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        normalise_address(typed)


def test_round_trip_keeps_order_and_fields(tmp_path: Path) -> None:
    servers = ServerList.open(tmp_path)
    assert len(servers) == 0 and servers.load_problem == ""
    a = servers.add(SavedServer.new("https://pool-a", "root", fingerprint=FP,
                                    remember_password=True))
    b = servers.add(SavedServer.new("https://pool-b:8443", "admin", auto_connect=False))
    again = ServerList.open(tmp_path)
    assert again.servers == [a, b]
    assert again.get(b.id) == b
    assert again.find("pool-b:8443", "admin") == b
    assert again.find("pool-b:8443", "root") is None
    data = json.loads((tmp_path / SERVERS_FILE).read_text())
    assert data["version"] == 1
    assert data["servers"][0] == {"id": a.id, "address": "https://pool-a", "username": "root",
                                  "fingerprint": FP, "auto_connect": True,
                                  "remember_password": True}


def test_the_file_is_private_and_indented(tmp_path: Path) -> None:
    servers = ServerList.open(tmp_path / "new-dir")
    servers.add(SavedServer.new("https://pool-a", "root"))
    path = tmp_path / "new-dir" / SERVERS_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("{\n  ")


def test_display_order_moves_and_removal(tmp_path: Path) -> None:
    servers = ServerList.open(tmp_path)
    a, b, c = (servers.add(SavedServer.new(f"https://pool-{n}", "root")) for n in "abc")
    servers.move(c.id, 0)
    assert [s.id for s in ServerList.open(tmp_path)] == [c.id, a.id, b.id]
    servers.move(c.id, 99)
    assert [s.id for s in servers] == [a.id, b.id, c.id]
    assert servers.remove(b.id) == b
    assert servers.remove(b.id) is None
    assert [s.id for s in ServerList.open(tmp_path)] == [a.id, c.id]


def test_adding_the_same_server_again_updates_it_in_place(tmp_path: Path) -> None:
    servers = ServerList.open(tmp_path)
    first = servers.add(SavedServer.new("https://pool-a", "root"))
    servers.add(SavedServer.new("https://pool-b", "root"))
    again = servers.add(SavedServer.new("pool-a:443", "root", fingerprint=FP))
    assert again.id == first.id and again.fingerprint == FP
    assert [s.address for s in servers] == ["https://pool-a", "https://pool-b"]
    updated = servers.update(first.id, auto_connect=False)
    assert ServerList.open(tmp_path).get(first.id) == updated


def test_a_password_in_the_file_is_never_read_and_dropped_on_save(tmp_path: Path) -> None:
    (tmp_path / SERVERS_FILE).write_text(json.dumps({"version": 1, "servers": [
        {"id": "x1", "address": "pool-a", "username": "root", "password": "hunter2"},
    ]}))
    servers = ServerList.open(tmp_path)
    assert not hasattr(servers.servers[0], "password")
    servers.update("x1", auto_connect=False)
    assert "hunter2" not in (tmp_path / SERVERS_FILE).read_text()


def test_a_failed_write_leaves_the_old_file_and_no_debris(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    servers = ServerList.open(tmp_path)
    servers.add(SavedServer.new("https://pool-a", "root"))
    before = (tmp_path / SERVERS_FILE).read_bytes()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        servers.add(SavedServer.new("https://pool-b", "root"))
    monkeypatch.undo()
    assert (tmp_path / SERVERS_FILE).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [SERVERS_FILE]


def test_an_unreadable_file_is_kept_aside_and_reported(tmp_path: Path) -> None:
    (tmp_path / SERVERS_FILE).write_text("{ this is not json")
    servers = ServerList.open(tmp_path)
    assert len(servers) == 0
    assert "unreadable" in servers.load_problem
    assert (tmp_path / (SERVERS_FILE + ".unreadable")).read_text() == "{ this is not json"


def test_bad_entries_are_skipped_and_reported(tmp_path: Path) -> None:
    (tmp_path / SERVERS_FILE).write_text(json.dumps({"version": 1, "servers": [
        {"address": "pool-a", "username": "root", "fingerprint": "ab" * 32},
        {"address": "ftp://nope", "username": "root"},
        {"username": "root"},
        "junk",
    ]}))
    servers = ServerList.open(tmp_path)
    assert [s.address for s in servers] == ["https://pool-a"]
    assert servers.servers[0].fingerprint == FP  # canonical form
    assert servers.servers[0].id  # an id is made for entries written by hand
    assert "3 unusable entries" in servers.load_problem


def test_secret_account_and_display_name() -> None:
    server = SavedServer.new("https://pool-a:8443", "root")
    assert server.secret_account == "root@https://pool-a:8443"
    assert server.display_name == "pool-a:8443"
