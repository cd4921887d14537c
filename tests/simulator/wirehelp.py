"""Raw HTTP access to the simulator, to look at the bytes the SDK hides."""

from __future__ import annotations

import json
import ssl
import urllib.error
import urllib.request
import xmlrpc.client
from typing import Any

UNVERIFIED = ssl._create_unverified_context()


def post(url: str, body: bytes, content_type: str = "text/xml",
         path: str = "/") -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(url + path, data=body, method="POST",
                                 headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(req, context=UNVERIFIED, timeout=30) as resp:
            return resp.status, dict(resp.headers.items()), resp.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers.items()), e.read()


def xml_call(url: str, method: str, *params: Any, path: str = "/") -> tuple[bytes, Any]:
    """Call over XML-RPC; returns the raw body and the decoded first param."""
    body = xmlrpc.client.dumps(tuple(params), method, allow_none=True).encode()
    status, _, reply = post(url, body, path=path)
    assert status == 200, reply
    (value,), _ = xmlrpc.client.loads(reply)
    return reply, value


def json_call(url: str, method: str, *params: Any, version: str = "2.0") -> dict[str, Any]:
    payload: dict[str, Any] = {"method": method, "params": list(params), "id": 42}
    if version == "2.0":
        payload["jsonrpc"] = "2.0"
    status, headers, reply = post(url, json.dumps(payload).encode(), "application/json",
                                  path="/jsonrpc")
    assert status == 200, reply
    assert headers["Content-Type"] == "application/json"
    result: dict[str, Any] = json.loads(reply)
    return result
