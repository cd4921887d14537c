"""The JSON-RPC channel: the streaming reply reader, reply shapes, errors, the GC pause."""

from __future__ import annotations

import gc
import io
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from xsnap_gui.xapi import jsonrpc
from xsnap_gui.xapi.errors import ConnectionFailed, HostIsSlave, XapiError
from xsnap_gui.xapi.gcpause import paused_gc
from xsnap_gui.xapi.jsonrpc import JsonRpcChannel, MalformedReplyError, ReplyReader
from xsnap_gui.xapi.transport import parse_url

EVENTS_REPLY = {
    "jsonrpc": "2.0",
    "result": {
        "events": [
            {"id": 1, "timestamp": "0.0", "class": "vm", "operation": "add",
             "ref": "OpaqueRef:a", "snapshot": {"name_label": "café ☕ 😀", "memory": 123456789,
                                                "VCPUs_at_startup": 2, "ratio": -1.5e-3,
                                                "tags": ["x", "y"], "other_config": {},
                                                "events": [{"not": "an event"}],
                                                "escaped": "quote \" back \\ tab \t \u0001"}},
            {"id": 2, "timestamp": "0.0", "class": "vm", "operation": "del",
             "ref": "OpaqueRef:b"},
        ],
        "valid_ref_counts": {"vm": 1},
        "token": "00000000000000000007,00000000000000000007",
    },
    "id": 3,
}


def _read(payload: str | bytes, chunk: int, hook: Any = None) -> dict[str, Any]:
    data = payload.encode() if isinstance(payload, str) else payload
    return ReplyReader(io.BytesIO(data), hook, chunk=chunk).read()


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_the_reader_gives_what_json_loads_gives(chunk: int) -> None:
    # Chunks of 1 to 7 bytes cut numbers, escapes and multi-byte characters in two.
    spaced = json.dumps(EVENTS_REPLY, indent=2, ensure_ascii=False)
    compact = json.dumps(EVENTS_REPLY, separators=(",", ":"), ensure_ascii=False)
    for text in (spaced, compact):
        assert _read(text, chunk) == json.loads(text)
    for result in ([1, 22, 333, "four"], 12345678901234, 2.5, -7, 1.5e300, "text", None, True,
                   {}, []):
        text = json.dumps({"id": 1, "result": result, "error": None})
        assert _read(text, chunk) == json.loads(text)


@pytest.mark.parametrize("chunk", [1, 5, 1 << 20])
def test_the_event_hook_replaces_each_event_and_nothing_else(chunk: int) -> None:
    seen: list[dict[str, Any]] = []

    def hook(event: dict[str, Any]) -> tuple[str, str]:
        seen.append(event)
        return event["operation"], event["ref"]

    reply = _read(json.dumps(EVENTS_REPLY), chunk, hook)
    assert reply["result"]["events"] == [("add", "OpaqueRef:a"), ("del", "OpaqueRef:b")]
    assert seen == EVENTS_REPLY["result"]["events"]  # type: ignore[index]
    # An "events" list deeper down (here inside a snapshot) is data, not a batch.
    assert seen[0]["snapshot"]["events"] == [{"not": "an event"}]
    assert reply["result"]["token"] == EVENTS_REPLY["result"]["token"]  # type: ignore[index]


@pytest.mark.parametrize("payload", [
    b'{"id": 1, "result": {"events": [1, 2',  # cut short
    b'{"id": 1, "result": 5} trailing',
    b"<html>HTTP 500</html>",
    b'{"id": 1 "result": 5}',
    b'{"id": 1, "result": "\xff\xfe"}',  # not UTF-8
    b"",
])
def test_the_reader_refuses_what_is_not_a_reply(payload: bytes) -> None:
    with pytest.raises(MalformedReplyError):
        _read(payload, 3)


# --- the channel against a canned HTTP server --------------------------------------------


class _Canned(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _CannedServer

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        request = json.loads(body)
        self.server.requests.append((self.path, dict(self.headers), request))
        status, content_type, reply, cut = self.server.answer(request)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply[:cut] if cut is not None else reply)
        if cut is not None:
            self.close_connection = True


class _CannedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Canned)
        self.requests: list[tuple[str, dict[str, str], dict[str, Any]]] = []
        self.status = 200
        self.content_type = "application/json"
        self.reply: Any = None  # a dict (its "id" set from the request) or raw bytes
        self.cut: int | None = None

    def answer(self, request: dict[str, Any]) -> tuple[int, str, bytes, int | None]:
        reply = self.reply
        if isinstance(reply, dict):
            reply = json.dumps({**reply, "id": reply.get("id", request["id"])}).encode()
        return self.status, self.content_type, reply, self.cut


@pytest.fixture
def canned() -> Iterator[_CannedServer]:
    server = _CannedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _channel(server: _CannedServer) -> JsonRpcChannel:
    port = server.server_address[1]
    return JsonRpcChannel(parse_url(f"http://127.0.0.1:{port}", allow_plain_http=True), 5.0)


def test_requests_are_json_rpc_2(canned: _CannedServer) -> None:
    canned.reply = {"jsonrpc": "2.0", "result": ["OpaqueRef:p"]}
    channel = _channel(canned)
    try:
        assert channel.call("pool.get_all", ("OpaqueRef:s",)) == ["OpaqueRef:p"]
        assert channel.call("pool.get_all", ("OpaqueRef:s",)) == ["OpaqueRef:p"]
    finally:
        channel.close()
    (path, headers, first), (_, _, second) = canned.requests
    assert path == "/jsonrpc"
    assert headers["Content-Type"] == "application/json"
    assert first == {"jsonrpc": "2.0", "method": "pool.get_all", "params": ["OpaqueRef:s"],
                     "id": first["id"]}
    assert second["id"] != first["id"]


@pytest.mark.parametrize(("reply", "error", "code", "params"), [
    ({"jsonrpc": "2.0", "error": {"code": 1, "message": "HANDLE_INVALID",
                                  "data": ["VM", "OpaqueRef:x"]}},
     XapiError, "HANDLE_INVALID", ["VM", "OpaqueRef:x"]),
    ({"jsonrpc": "2.0", "error": {"code": 1, "message": "HOST_IS_SLAVE",
                                  "data": ["192.0.2.10"]}},
     HostIsSlave, "HOST_IS_SLAVE", ["192.0.2.10"]),
    ({"result": None, "error": ["SESSION_AUTHENTICATION_FAILED", "root", "no"]},  # v1
     XapiError, "SESSION_AUTHENTICATION_FAILED", ["root", "no"]),
])
def test_xapi_failures(canned: _CannedServer, reply: dict[str, Any], error: type[XapiError],
                       code: str, params: list[str]) -> None:
    canned.reply = reply
    channel = _channel(canned)
    try:
        with pytest.raises(error) as caught:
            channel.call("VM.get_record", ("s", "OpaqueRef:x"))
    finally:
        channel.close()
    assert caught.value.code == code and caught.value.params == params


@pytest.mark.parametrize(("setup", "reason", "words"), [
    ({"status": 500, "content_type": "text/html", "reply": b"<html>oops</html>"},
     "http", "HTTP 500"),
    ({"content_type": "text/xml", "reply": b"<methodResponse/>"},
     "http", "not XenAPI JSON-RPC"),
    ({"reply": b'{"jsonrpc": "2.0", "result": [1, 2'}, "http", "not XenAPI JSON-RPC"),
    ({"reply": {"jsonrpc": "2.0", "result": 1, "id": 999}}, "http", "another request"),
    ({"reply": {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request",
                                            "data": ["missing id"]}}},
     "http", "refused the JSON-RPC request (Invalid Request: missing id)"),
    ({"reply": {"jsonrpc": "2.0", "result": list(range(5000))}, "cut": 2000},
     "dropped", "closed the connection"),
])
def test_transport_failures(canned: _CannedServer, setup: dict[str, Any], reason: str,
                            words: str) -> None:
    for name, value in setup.items():
        setattr(canned, name, value)
    channel = _channel(canned)
    try:
        with pytest.raises(ConnectionFailed) as caught:
            channel.call("pool.get_all", ("s",))
        assert caught.value.reason == reason
        assert words in str(caught.value)
        # The channel starts afresh on the next call.
        canned.status, canned.content_type, canned.cut = 200, "application/json", None
        canned.reply = {"jsonrpc": "2.0", "result": "fine"}
        assert channel.call("pool.get_all", ("s",)) == "fine"
    finally:
        channel.close()


def test_an_event_hook_error_is_raised_as_it_is(canned: _CannedServer) -> None:
    canned.reply = {"jsonrpc": "2.0", "result": {"events": [{"class": "vm"}], "token": "t"}}

    def hook(event: dict[str, Any]) -> Any:
        return event["ref"]  # no ref: a KeyError, not a connection problem

    channel = _channel(canned)
    try:
        with pytest.raises(KeyError):
            channel.call("event.from", (["vm"], "", 0.0), hook)
        assert gc.isenabled()
        assert channel.call("event.from", (["vm"], "", 0.0))["events"] == [{"class": "vm"}]
    finally:
        channel.close()


def test_abort_makes_the_channel_refuse_further_calls(canned: _CannedServer) -> None:
    canned.reply = {"jsonrpc": "2.0", "result": 1}
    channel = _channel(canned)
    assert channel.call("pool.get_all", ()) == 1
    channel.abort()
    with pytest.raises(ConnectionFailed) as caught:
        channel.call("pool.get_all", ())
    assert caught.value.reason == "closed"


# --- the GC pause ------------------------------------------------------------------------


def test_gc_pauses_nest_and_overlap() -> None:
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
        inner_done = threading.Event()
        outer_may_end = threading.Event()

        def other_thread() -> None:
            with paused_gc():
                outer_may_end.set()
                inner_done.wait(5)

        thread = threading.Thread(target=other_thread)
        thread.start()
        outer_may_end.wait(5)
    # The other thread's pause still holds.
    assert not gc.isenabled()
    inner_done.set()
    thread.join(5)
    assert gc.isenabled()


def test_a_collector_disabled_by_the_application_stays_disabled() -> None:
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_big_replies_are_decoded_with_the_gc_paused(canned: _CannedServer,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jsonrpc, "BIG_REPLY", 4096)
    during: list[bool] = []

    def hook(event: dict[str, Any]) -> str:
        during.append(gc.isenabled())
        return str(event["ref"])

    channel = _channel(canned)
    try:
        for count in (1, 500):  # about 60 bytes per event
            canned.reply = {"jsonrpc": "2.0", "result": {"events": [
                {"class": "vm", "operation": "del", "ref": f"OpaqueRef:{i}"}
                for i in range(count)], "token": "t"}}
            during.clear()
            batch = channel.call("event.from", (["vm"], "", 0.0), hook)
            assert batch["events"] == [f"OpaqueRef:{i}" for i in range(count)]
            assert during == [count == 1] * count
            assert gc.isenabled()
    finally:
        channel.close()
