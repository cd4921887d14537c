"""Error mapping: XenAPI failures to XapiError subclasses, network trouble to reasons."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest

from xsnap_gui.simulator.api import RunningSimulator
from xsnap_gui.simulator.faults import DropConnection, Http500
from xsnap_gui.xapi.client import Connection
from xsnap_gui.xapi.errors import (
    AuthenticationFailed,
    ConnectionFailed,
    HostIsSlave,
    PermissionDenied,
    SessionInvalid,
    TaskCancelled,
    XapiError,
    format_bytes,
    from_failure,
)

from .conftest import ROOT_PASSWORD, assert_clean_error, free_port, login, run


@pytest.mark.parametrize(("code", "cls"), [
    ("SESSION_INVALID", SessionInvalid),
    ("SESSION_AUTHENTICATION_FAILED", AuthenticationFailed),
    ("RBAC_PERMISSION_DENIED", PermissionDenied),
    ("HOST_IS_SLAVE", HostIsSlave),
    ("TASK_CANCELLED", TaskCancelled),
    ("VM_BAD_POWER_STATE", XapiError),
    ("SOMETHING_NEW_IN_XAPI_99", XapiError),
])
def test_from_failure_picks_the_subclass(code: str, cls: type[XapiError]) -> None:
    error = from_failure([code, "a", "b"])
    assert type(error) is cls
    assert error.code == code
    assert error.params == ["a", "b"]
    assert error.description == [code, "a", "b"]


def test_sizes_are_made_readable() -> None:
    error = from_failure(["SR_FULL", str(10 * 2**30), str(2 * 2**30)])
    assert error.message == ("The SR is full. Requested new size exceeds the maximum size. "
                             "Requested: 10 GiB, maximum: 2 GiB")
    assert str(error) == f"{error.message} (SR_FULL [10737418240, 2147483648])"
    too_small = from_failure(["VDI_TOO_SMALL", "OpaqueRef:v", str(3 * 2**29)])
    assert "minimum size: 1.5 GiB" in too_small.message
    assert "VDI: OpaqueRef:v, minimum size: 1.5 GiB" in too_small.message


def test_message_shapes() -> None:
    # No parameters declared, two sent (as xapi does for this code).
    auth = from_failure(["SESSION_AUTHENTICATION_FAILED", "alice", "Authentication failure"])
    assert auth.message.endswith("Details: alice, Authentication failure")
    unknown = from_failure(["SOMETHING_NEW_IN_XAPI_99", "x"])
    assert "SOMETHING_NEW_IN_XAPI_99" in unknown.message and "x" in unknown.message
    assert from_failure(["MESSAGE_REMOVED"]).message.endswith(".")
    assert from_failure([]).code == "INTERNAL_ERROR"
    assert repr(from_failure(["HANDLE_INVALID", "VM", "OpaqueRef:x"])) == \
        "XapiError('HANDLE_INVALID', ['VM', 'OpaqueRef:x'])"


def test_format_bytes() -> None:
    assert format_bytes(512) == "512 bytes"
    assert format_bytes(1024) == "1 KiB"
    assert format_bytes(5 * 2**40) == "5 TiB"
    assert format_bytes(int(2.25 * 2**20)) == "2.2 MiB"


def _connect_error(url: str, **kwargs: object) -> ConnectionFailed:
    with pytest.raises(ConnectionFailed) as caught:
        run(Connection.connect(url, "root", ROOT_PASSWORD, allow_plain_http=True,
                               **kwargs))  # type: ignore[arg-type]
    assert_clean_error(caught.value)
    return caught.value


def test_connection_refused() -> None:
    error = _connect_error(f"http://127.0.0.1:{free_port()}")
    assert error.reason == "refused"
    assert "refused" in str(error)


def test_unknown_host_name() -> None:
    # .invalid never resolves (RFC 2606).
    error = _connect_error("https://no-such-pool.invalid")
    assert error.reason == "dns"
    assert "no-such-pool.invalid" in str(error)


def test_server_that_never_answers(silent_socket: int) -> None:
    error = _connect_error(f"http://127.0.0.1:{silent_socket}", timeout=0.5)
    assert error.reason == "timeout"
    tls_error = _connect_error(f"https://127.0.0.1:{silent_socket}", timeout=0.5)
    assert tls_error.reason == "timeout"


@pytest.fixture
def slamming_socket() -> Iterator[int]:
    """A port that accepts connections and closes them at once, without a word."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)  # so the thread notices the end of the test
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                client, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    server.close()
    thread.join(timeout=5)


def test_connection_dropped(slamming_socket: int) -> None:
    error = _connect_error(f"http://127.0.0.1:{slamming_socket}", timeout=5)
    assert error.reason == "dropped"


def test_dropped_and_http_errors_from_a_pool(sim_http: RunningSimulator, protocol: str) -> None:
    async def scenario() -> None:
        async with await login(sim_http, "reader", protocol=protocol) as conn:
            # xmlrpc.client retries a dropped request once, and so does the JSON-RPC
            # channel: two drops reach the caller.
            sim_http.sim.faults.add(DropConnection(1, 2, "pool.get_all"))
            with pytest.raises(ConnectionFailed) as dropped:
                await conn.call("pool.get_all")
            assert dropped.value.reason == "dropped"
            sim_http.sim.faults.add(Http500(1, "pool.get_all"))
            with pytest.raises(ConnectionFailed) as http:
                await conn.call("pool.get_all")
            assert http.value.reason == "http"
            assert "500" in str(http.value)
            # The connection is usable again afterwards.
            assert await conn.call("pool.get_all") == [sim_http.sim.pool]

    try:
        run(scenario())
    finally:
        sim_http.sim.faults.clear()


def test_cancelling_a_hanging_connect_frees_its_thread(silent_socket: int) -> None:
    def login_threads() -> list[threading.Thread]:
        return [t for t in threading.enumerate()
                if t.name.startswith("xapi-127.0.0.1") and t.is_alive()]

    async def scenario() -> None:
        connecting = asyncio.ensure_future(Connection.connect(
            f"http://127.0.0.1:{silent_socket}", "root", ROOT_PASSWORD,
            allow_plain_http=True, timeout=120))
        while not login_threads():
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.2)  # let the request reach the silent server
        connecting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await connecting
        # The blocked socket was broken, so the thread ends long before its 120 s timeout.
        while login_threads():
            await asyncio.sleep(0.05)

    run(scenario(), timeout=60)
