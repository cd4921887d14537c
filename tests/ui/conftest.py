"""Qt widget tests run headless: the offscreen platform must be chosen before Qt loads."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.ui.qtloop import pump_pytest_qt_inside_the_loop

pump_pytest_qt_inside_the_loop()
