"""``xsnap-sim`` as a process: prints its URL, serves the SDK, stops on SIGTERM, saves dumps."""

from __future__ import annotations

import signal
import subprocess
import sys
from pathlib import Path

import XenAPI

from xsnap_gui.simulator.dump import load_dump


def start(*args: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "xsnap_gui.simulator.cli", "--port", "0", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("listening on "), (line, proc.stderr.read() if proc.stderr else "")
    return proc, line.split()[-1]


def test_generate_serve_and_stop(tmp_path: Path) -> None:
    saved = tmp_path / "saved.xml"
    proc, url = start("--generate", "hosts=4,vms=200,snapshots=5,schedules=3", "--seed", "3",
                      "--save", str(saved), "--user", "ro:secret:read-only", "--no-members")
    try:
        assert url.startswith("https://127.0.0.1:")
        s = XenAPI.Session(url, ignore_ssl=True)
        s.xenapi.login_with_password("root", "xsnap")
        vms = s.xenapi.VM.get_all_records()
        normal = [r for r in vms.values() if not r["is_a_template"] and not r["is_control_domain"]]
        assert len(normal) == 200
        assert len(s.xenapi.host.get_all()) == 4
        token = getattr(s.xenapi.event, "from")(["vm"], "", 0.0)["token"]
        assert token
        ro = XenAPI.Session(url, ignore_ssl=True)
        ro.xenapi.login_with_password("ro", "secret")
        assert ro.xenapi.session.get_is_local_superuser(ro._session) is False
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    dump = load_dump(saved)
    names = {r["name_label"] for r in dump.tables["VM"].values()}
    assert len(names) > 200
    assert "session" not in dump.tables


def test_plain_http_and_db(dumps_dir: Path) -> None:
    proc, url = start("--plain-http", "--db", str(dumps_dir / "state1.xml"))
    try:
        assert url.startswith("http://")
        s = XenAPI.Session(url)
        s.xenapi.login_with_password("root", "xsnap")
        pool = s.xenapi.pool.get_all_records()
        assert [p["name_label"] for p in pool.values()] == ["Hottub"]
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_bad_arguments_exit_nonzero() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "xsnap_gui.simulator.cli", "--user", "nocolons"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 2 and "NAME:PASSWORD:ROLE" in result.stderr
    result = subprocess.run(
        [sys.executable, "-m", "xsnap_gui.simulator.cli", "--generate", "hosts=x"],
        capture_output=True, text=True, timeout=30,
    )
    assert result.returncode != 0 and "hosts" in result.stderr
