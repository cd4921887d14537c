"""JSON-RPC as xapi speaks it on ``/jsonrpc`` (server side), versions 1.0 and 2.0.

Request checks and response shapes follow ocaml-rpc's ``Jsonrpc`` module and xapi's
``api_server.ml``. Values encode like yojson does: ints and floats are numbers (NaN and
infinities as the bare tokens ``NaN``/``Infinity``, which Python's ``json`` also reads),
datetimes are ``20250319T04:16:24Z`` strings. As in the XML-RPC module, the encoders take
any :data:`WireValue` (or tuple, or subclass of a basic type) typed as ``object``.
"""

from __future__ import annotations

import base64
import datetime as _dt
import json
from dataclasses import dataclass
from typing import Any

from ...xapi.gcpause import paused_gc
from . import WireError, WireValue, format_datetime

__all__ = [
    "INVALID_REQUEST",
    "PARSE_ERROR",
    "V1",
    "V2",
    "JsonId",
    "JsonParseError",
    "JsonRequest",
    "format_failure",
    "format_request_error",
    "format_success",
    "format_wire_error",
    "parse_request",
    "peek_id_and_version",
]

JsonId = int | str | None

V1 = "1.0"
V2 = "2.0"

# JSON-RPC 2.0 reserved codes, used only for requests that could not be decoded.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
_STANDARD_MESSAGES = {PARSE_ERROR: "Parse error", INVALID_REQUEST: "Invalid Request"}

# xapi's code for every API error in a v2 reply; non-zero because some clients treat an
# error code of 0 as "no error" (api_server.ml).
_API_ERROR_CODE = 1


class JsonParseError(WireError):
    """The body is not JSON at all (as opposed to JSON that is not a valid request)."""


@dataclass
class JsonRequest:
    method: str
    params: list[WireValue]
    id: JsonId
    version: str  # "1.0" or "2.0"


def _decode_json(body: bytes) -> object:
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as error:  # JSONDecodeError, UnicodeDecodeError
        raise JsonParseError(f"invalid JSON: {error}") from None


def _version_of(request: dict[str, object]) -> str:
    # Like ocaml-rpc: no "jsonrpc" key means 1.0; any value but "2.0" is refused.
    if "jsonrpc" not in request:
        return V1
    if request["jsonrpc"] == V2:
        return V2
    raise WireError("invalid field 'jsonrpc'")


def _valid_id(request: dict[str, object]) -> JsonId:
    request_id = request.get("id")
    if request_id is None:
        raise WireError("missing id: notifications are not supported")
    # ocaml-rpc accepts integer and string ids only (bool is an int in Python).
    if type(request_id) is bool or not isinstance(request_id, (int, str)):
        raise WireError("invalid field 'id'")
    return request_id


def parse_request(body: bytes) -> JsonRequest:
    """Decode a JSON-RPC call. Raises :class:`WireError` (:class:`JsonParseError` when the
    body is not JSON) with a short reason for anything xapi would refuse."""
    request = _decode_json(body)
    if not isinstance(request, dict):
        raise WireError("request is not a JSON object")
    method = request.get("method")
    if method is None:
        raise WireError("missing method")
    if not isinstance(method, str):
        raise WireError("invalid field 'method'")
    version = _version_of(request)
    params = request.get("params")
    # ocaml-rpc lets a 2.0 call omit params (or send null). By-name params (an object)
    # are refused here: no xapi method can take them.
    if params is None and version == V2:
        params = []
    if params is None:
        raise WireError("missing params")
    if not isinstance(params, list):
        raise WireError("params must be an array")
    return JsonRequest(method=method, params=params, id=_valid_id(request), version=version)


def peek_id_and_version(body: bytes) -> tuple[JsonId, str]:
    """Best-effort id and version of a request that failed :func:`parse_request`, for the
    error reply: ``(None, "1.0")`` when they cannot be told."""
    try:
        request = json.loads(body)
    except (ValueError, RecursionError):
        return None, V1
    if not isinstance(request, dict):
        return None, V1
    version = V2 if request.get("jsonrpc") == V2 else V1
    request_id = request.get("id")
    if type(request_id) is bool or not isinstance(request_id, (int, str)):
        request_id = None
    return request_id, version


def _json_default(value: object) -> object:
    """Types ``json`` does not know; called only for those, so the common path stays in C."""
    if isinstance(value, _dt.datetime):
        return format_datetime(value)
    if isinstance(value, (bytes, bytearray)):
        # ocaml-rpc would put the raw bytes in a string; base64 keeps the JSON valid.
        return base64.b64encode(value).decode("ascii")
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


# Compact like yojson; raw UTF-8 like yojson; NaN/Infinity as bare tokens like yojson.
# Values come from the database and cannot be cyclic: skipping the check saves a tenth
# of a big reply's encoding.
_encoder = json.JSONEncoder(
    ensure_ascii=False, allow_nan=True, separators=(",", ":"), default=_json_default,
    check_circular=False,
)


def _dump(reply: dict[str, Any]) -> bytes:
    # The C encoder makes an item list per dict encoded: for a big reply (a pool's
    # event.from) the collector would otherwise walk the whole heap over and over.
    with paused_gc():
        text = _encoder.encode(reply)
    # "replace" only matters for lone surrogates (possible via "\ud800" in a request).
    return text.encode("utf-8", "replace")


def format_success(req: JsonRequest, value: object) -> bytes:
    """v1 ``{"result":…,"error":null,"id":…}``; v2 ``{"jsonrpc":"2.0","result":…,"id":…}``."""
    if req.version == V2:
        return _dump({"jsonrpc": V2, "result": value, "id": req.id})
    return _dump({"result": value, "error": None, "id": req.id})


def format_failure(req: JsonRequest, description: list[str]) -> bytes:
    """An API error ``[CODE, params…]``.

    v1 sends the list as ``error``; v2 sends ``{"code":1,"message":CODE,"data":[params…]}``
    and no ``result`` key.
    """
    if req.version == V2:
        code = description[0] if description else ""
        error = {"code": _API_ERROR_CODE, "message": code, "data": list(description[1:])}
        return _dump({"jsonrpc": V2, "error": error, "id": req.id})
    return _dump({"result": None, "error": list(description), "id": req.id})


def format_wire_error(
    request_id: JsonId, version: str, reason: str, *, code: int = INVALID_REQUEST
) -> bytes:
    """The reply to a request that could not be decoded.

    Real xapi answers those with HTTP 500 and an HTML page. The simulator sends a JSON
    error instead, so JSON clients get something they can parse:

    - v2: the standard JSON-RPC error object, ``code`` -32700 (not JSON) or -32600 (not a
      valid request) with its standard message, and ``data`` = ``[reason]``, an array like
      xapi's own v2 errors;
    - v1: ``error`` = ``["INTERNAL_ERROR", "<standard message>: <reason>"]``, the xapi code
      for "the server could not handle this", so v1 clients see a normal xapi failure.

    ``request_id`` is None (null) when it could not be read from the request.
    """
    message = _STANDARD_MESSAGES.get(code, "Server error")
    if version == V2:
        error = {"code": code, "message": message, "data": [reason]}
        return _dump({"jsonrpc": V2, "error": error, "id": request_id})
    description = ["INTERNAL_ERROR", f"{message}: {reason}"]
    return _dump({"result": None, "error": description, "id": request_id})


def format_request_error(body: bytes, error: WireError) -> bytes:
    """:func:`format_wire_error` for a body that :func:`parse_request` refused with ``error``."""
    request_id, version = peek_id_and_version(body)
    code = PARSE_ERROR if isinstance(error, JsonParseError) else INVALID_REQUEST
    return format_wire_error(request_id, version, str(error), code=code)
