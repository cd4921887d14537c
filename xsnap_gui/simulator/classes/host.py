"""host: the server's clock, which the client reads to learn its offset and the pool's timezone."""

from __future__ import annotations

import datetime as dt

from ..call import Call
from ..registry import implements


@implements("host.get_servertime")
def get_servertime(call: Call, host: str) -> dt.datetime:
    call.db.row("host", host)
    return call.sim.now()


@implements("host.get_server_localtime")
def get_server_localtime(call: Call, host: str) -> dt.datetime:
    call.db.row("host", host)
    return call.sim.local_now()


@implements("host.list_methods")
def list_methods(call: Call) -> list[str]:
    return call.sim.answered_methods()
