"""Snapshot operations as async functions over the client. Qt-free.

Each operation takes a :class:`~xsnap_gui.xapi.client.Connection` and a
request, reports progress through a callback, can be cancelled where the
server allows (by cancelling the coroutine), and returns a result dataclass or
raises :class:`~xsnap_gui.operations.common.StepFailed`, which says which step
failed and what had already changed. Pre-flight checks
(:mod:`~xsnap_gui.operations.preflight`) are pure functions over the cache.
"""
