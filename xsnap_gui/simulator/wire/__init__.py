"""Wire encodings used by xapi: XML-RPC and JSON-RPC.

Values handed to the encoders are plain Python values whose type decides the
encoding, the way xapi's typed marshalling does:

- ``str``: a string, ref, uuid or enum (untyped ``<value>`` in XML-RPC);
- ``bool``; ``int``: a 64-bit int (a string in XML-RPC); ``Int32``: ``<i4>``;
- ``float``: ``<double>``;
- ``datetime``: aware means UTC with a trailing ``Z``; naive means server local time, no ``Z``;
- ``list``/``tuple``: a set; ``dict``: a map or record, keys stringified.
"""

from __future__ import annotations

import datetime as _dt
from typing import Union


class Int32(int):
    """An int that xapi sends as ``<i4>`` (only ``valid_ref_counts`` in event.from)."""


class WireError(ValueError):
    """A request that cannot be decoded. The server answers it with HTTP 500 or a JSON error."""


WireValue = Union[
    str, bool, int, float, _dt.datetime, bytes, None, "list[WireValue]", "dict[str, WireValue]"
]


def format_datetime(value: _dt.datetime) -> str:
    """``YYYYMMDDTHH:MM:SSZ`` for UTC, without the ``Z`` for naive server-local times."""
    # %-formatting: a quarter of strftime's cost, and a big event.from has ~60,000 of these.
    if value.tzinfo is None:
        return "%04d%02d%02dT%02d:%02d:%02d" % (  # noqa: UP031
            value.year, value.month, value.day, value.hour, value.minute, value.second)
    if value.tzinfo is not _dt.UTC:
        value = value.astimezone(_dt.UTC)
    return "%04d%02d%02dT%02d:%02d:%02dZ" % (  # noqa: UP031
        value.year, value.month, value.day, value.hour, value.minute, value.second)


def parse_datetime(text: str) -> _dt.datetime:
    """Parse xapi's datetime forms. A trailing ``Z`` gives an aware UTC datetime.

    Accepts ``20250319T04:16:24Z``, ``20250319T04:16:24`` and the dashed
    ISO 8601 form ``2025-03-19T04:16:24Z``.
    """
    s = text.strip()
    utc = s.endswith("Z")
    if utc:
        s = s[:-1]
    for fmt in ("%Y%m%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y%m%dT%H%M%S"):
        try:
            value = _dt.datetime.strptime(s, fmt)
        except ValueError:
            continue
        return value.replace(tzinfo=_dt.UTC) if utc else value
    raise WireError(f"not a datetime: {text!r}")
