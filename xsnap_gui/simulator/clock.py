"""The simulator's clock. Tests step it; demos run it faster than real time."""

from __future__ import annotations

import datetime as dt
import threading
import time


class Clock:
    """Simulated UTC time: ``start + (monotonic elapsed) * speed + manual steps``."""

    def __init__(self, start: dt.datetime | None = None, speed: float = 1.0) -> None:
        self._lock = threading.Lock()
        self._base = (start or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
        self._base_mono = time.monotonic()
        self._speed = speed
        self._listeners: list[threading.Event] = []

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> dt.datetime:
        with self._lock:
            elapsed = (time.monotonic() - self._base_mono) * self._speed
            return (self._base + dt.timedelta(seconds=elapsed)).replace(microsecond=0)

    def step(self, delta: dt.timedelta) -> None:
        """Move time forward by ``delta`` at once, waking whatever waits on the clock."""
        with self._lock:
            self._base += delta
            listeners = list(self._listeners)
        for event in listeners:
            event.set()

    def set(self, when: dt.datetime) -> None:
        with self._lock:
            self._base = when.astimezone(dt.UTC)
            self._base_mono = time.monotonic()
            listeners = list(self._listeners)
        for event in listeners:
            event.set()

    def subscribe(self) -> threading.Event:
        """An event that is set whenever the clock is stepped or set."""
        event = threading.Event()
        with self._lock:
            self._listeners.append(event)
        return event

    def real_seconds(self, simulated_seconds: float) -> float:
        """How long to really wait for ``simulated_seconds`` to pass."""
        return simulated_seconds / self._speed if self._speed > 0 else simulated_seconds
