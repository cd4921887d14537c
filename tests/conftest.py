from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
DUMPS = FIXTURES / "dumps"


@pytest.fixture(scope="session")
def dumps_dir() -> Path:
    return DUMPS
