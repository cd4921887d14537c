"""Helpers for the packaging tests: a private copy of the project to build from, with a
small finished translation in it, so builds neither touch nor race the working tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("xsnap_gui", "tools", "resources", "packaging", "pyproject.toml", "README.md")
IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.qm", "*.egg-info")

# A language we do not ship, so the test catalogue never collides with a real one.
TEST_LANGUAGE = "eo"
TEST_CONTEXT = "XsnapPackagingTest"
TEST_SOURCE = "Snapshot"
TEST_TRANSLATION = "Momentkopio"
TEST_TS = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="{TEST_LANGUAGE}">
<context>
    <name>{TEST_CONTEXT}</name>
    <message>
        <source>{TEST_SOURCE}</source>
        <translation>{TEST_TRANSLATION}</translation>
    </message>
</context>
</TS>
"""


def pyproject() -> dict:  # type: ignore[type-arg]
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)


def copy_project(destination: Path) -> Path:
    """The project's sources (no caches, no build products) plus the test translation."""
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=IGNORED)
        else:
            shutil.copy2(source, destination / name)
    translations = destination / "resources" / "translations"
    translations.mkdir(parents=True, exist_ok=True)
    (translations / f"xsnap_gui_{TEST_LANGUAGE}.ts").write_text(TEST_TS, encoding="utf-8")
    return destination


def shipped_languages(root: Path = ROOT) -> list[str]:
    """The languages with a .ts file in the real project."""
    return sorted(p.stem.removeprefix("xsnap_gui_")
                  for p in (root / "resources" / "translations").glob("xsnap_gui_*.ts"))


def run_build(project: Path, *args: str) -> tuple[Path, float]:
    """``packaging/build.py ARGS`` in ``project``; returns what it built and the seconds."""
    result = subprocess.run([sys.executable, str(project / "packaging" / "build.py"), *args],
                            cwd=project, check=True, capture_output=True, text=True)
    last = result.stdout.strip().splitlines()[-1]  # "built PATH: N MB in S s"
    assert last.startswith("built "), result.stdout + result.stderr
    path, _, rest = last.removeprefix("built ").rpartition(": ")
    return Path(path), float(rest.split(" in ")[1].removesuffix(" s"))
