"""Bad requests get proper error answers and never take the server down."""

from __future__ import annotations

import socket
import ssl
import urllib.parse
import urllib.request

import pytest

from xsnap_gui.simulator.api import RunningSimulator

from .wirehelp import UNVERIFIED, post, xml_call


def alive(sim: RunningSimulator) -> bool:
    _, value = xml_call(sim.url, "system.listMethods")
    return bool(value)


@pytest.mark.parametrize("body", [
    b"",
    b"garbage",
    b"<?xml version='1.0'?><methodCall><methodName>x</methodName><params><param>",
    b"<methodCall><params/></methodCall>",
    b"<methodCall><methodName>pool.get_all</methodName><params><param><value><i4>x</i4>"
    b"</value></param></params></methodCall>",
    b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "bbbbbbbbbb"><!ENTITY c "&b;&b;&b;&b;">]>'
    b"<methodCall><methodName>&c;</methodName></methodCall>",
    b"<methodCall><methodName>\xff\xfe\xfa</methodName></methodCall>",
])
def test_garbage_xml_gets_http_500(sim: RunningSimulator, body: bytes) -> None:
    status, headers, reply = post(sim.url, body)
    assert status == 500
    assert headers["Content-Type"] == "text/html"
    assert b"<html>" in reply
    assert alive(sim)


def test_wrong_types_are_failures(sim: RunningSimulator) -> None:
    _, value = xml_call(sim.url, "session.login_with_password", ["root"], {"x": 1})
    assert value["ErrorDescription"][0] == "FIELD_TYPE_ERROR"
    assert alive(sim)


def test_unknown_class(sim: RunningSimulator) -> None:
    _, value = xml_call(sim.url, "Teapot.get_all", "OpaqueRef:x")
    assert value["ErrorDescription"] == ["MESSAGE_METHOD_UNKNOWN", "Teapot.get_all"]


def test_huge_body_is_refused_without_reading_it(sim: RunningSimulator) -> None:
    limit = sim.sim.config.max_body_bytes
    parts = urllib.parse.urlsplit(sim.url)
    raw = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock: socket.socket = raw
    if parts.scheme == "https":
        sock = UNVERIFIED.wrap_socket(raw, server_hostname=parts.hostname)
    sock.sendall(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\n"
        + f"Content-Length: {limit + 1}\r\n\r\n".encode()
    )
    reply = sock.recv(4096)
    assert reply.startswith(b"HTTP/1.1 413")
    sock.close()
    assert alive(sim)


def test_missing_content_length(sim: RunningSimulator) -> None:
    parts = urllib.parse.urlsplit(sim.url)
    raw = socket.create_connection((parts.hostname, parts.port), timeout=10)
    sock: socket.socket = raw
    if parts.scheme == "https":
        sock = UNVERIFIED.wrap_socket(raw, server_hostname=parts.hostname)
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert sock.recv(4096).startswith(b"HTTP/1.1 411")
    sock.close()
    assert alive(sim)


def test_client_that_drops_mid_handshake(sim_https: RunningSimulator) -> None:
    parts = urllib.parse.urlsplit(sim_https.url)
    for _ in range(5):
        s = socket.create_connection((parts.hostname, parts.port), timeout=5)
        s.sendall(b"\x16\x03\x01\x00\x05hello")
        s.close()
    assert alive(sim_https)


def test_plain_http_to_the_tls_port(sim_https: RunningSimulator) -> None:
    url = sim_https.url.replace("https://", "http://")
    with pytest.raises((OSError, ssl.SSLError, ConnectionError)):
        post(url, b"<methodCall/>")
    assert alive(sim_https)


def test_unknown_path_get(sim: RunningSimulator) -> None:
    with pytest.raises(Exception) as info:
        urllib.request.urlopen(sim.url + "/nothing", context=UNVERIFIED, timeout=5)
    assert "404" in str(info.value)


@pytest.mark.parametrize("error", [
    BrokenPipeError(32, "Broken pipe"),
    ConnectionResetError(104, "Connection reset by peer"),
    ssl.SSLEOFError(8, "EOF occurred in violation of protocol"),
])
def test_a_client_that_goes_away_is_one_quiet_line(
        sim_http: RunningSimulator, error: OSError, caplog: pytest.LogCaptureFixture) -> None:
    """An aborted event.from or a closing app is routine: no traceback in a -v log."""
    caplog.set_level("DEBUG", logger="xsnap_gui.simulator.server")
    try:
        raise error
    except OSError:
        sim_http.master.handle_error(None, ("127.0.0.1", 40000))
    [record] = caplog.records
    assert "closed by the client" in record.getMessage()
    assert record.exc_info is None


def test_a_handler_bug_keeps_its_traceback(
        sim_http: RunningSimulator, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("DEBUG", logger="xsnap_gui.simulator.server")
    try:
        raise KeyError("a bug in the simulator")
    except KeyError:
        sim_http.master.handle_error(None, ("127.0.0.1", 40000))
    [record] = caplog.records
    assert "ended with an error" in record.getMessage()
    assert record.exc_info is not None and record.exc_info[0] is KeyError
