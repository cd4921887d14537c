"""Packaging tests start the application headless: choose the offscreen platform before Qt
loads, for this process and the builds and programs it starts."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
