"""pool: the pool record is served by the implicit messages; nothing explicit is needed yet."""

from __future__ import annotations
