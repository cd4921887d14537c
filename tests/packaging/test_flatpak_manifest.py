"""The Flatpak manifest cannot be built here: check that it parses, has what
flatpak-builder requires, uses the KDE runtime with the matching PySide base app, and
agrees with pyproject.toml and the files it installs."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from packaging.requirements import Requirement

from tests.packaging.project import ROOT, pyproject
from xsnap_gui.ui.resources import APP_ID

FLATPAK = ROOT / "packaging" / "flatpak"
MANIFEST = FLATPAK / f"{APP_ID}.json"


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    data = json.loads(MANIFEST.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_top_level_keys(manifest: dict[str, Any]) -> None:
    assert manifest["id"] == APP_ID
    assert manifest["runtime"] == "org.kde.Platform"
    assert manifest["sdk"] == "org.kde.Sdk"
    assert re.fullmatch(r"6\.\d+", manifest["runtime-version"])
    # PySide6 comes from the base app, whose branches follow the KDE runtime's.
    assert manifest["base"] == "io.qt.PySide.BaseApp"
    assert manifest["base-version"] == manifest["runtime-version"]
    assert int(manifest["runtime-version"].split(".")[1]) < 12  # pyproject: PySide6 < 6.12
    assert "/app/cleanup-BaseApp.sh" in manifest["cleanup-commands"]
    assert manifest["command"] in pyproject()["project"]["scripts"]
    finish = manifest["finish-args"]
    assert all(isinstance(arg, str) and arg.startswith("--") for arg in finish)
    for needed in ("--share=network", "--socket=wayland", "--socket=fallback-x11",
                   "--talk-name=org.freedesktop.secrets"):
        assert needed in finish


def test_modules(manifest: dict[str, Any]) -> None:
    modules = manifest["modules"]
    assert modules and all(isinstance(m, dict) for m in modules)
    for module in modules:
        assert module["name"] and module["buildsystem"] == "simple"
        assert module["build-commands"] and module["sources"]
        for source in module["sources"]:
            assert source["type"] in ("file", "dir")
            assert (FLATPAK / source["path"]).exists(), source["path"]
    app = modules[-1]
    (source,) = app["sources"]
    assert (FLATPAK / source["path"]).resolve() == ROOT


def test_installed_files_exist(manifest: dict[str, Any]) -> None:
    commands = [c.replace("${FLATPAK_ID}", APP_ID) for c in manifest["modules"][-1]
                ["build-commands"]]
    # "install -Dm644 SOURCE (-t DIRECTORY | DESTINATION)": the sources are the repo's files.
    sources = [ROOT / c.split()[2] for c in commands if c.startswith("install ")]
    assert {path.name for path in sources} == {
        f"{APP_ID}.desktop", f"{APP_ID}.metainfo.xml", "app.svg"}
    for path in sources:
        assert path.is_file(), path
    assert any(c.startswith("python3 tools/build_translations.py") for c in commands)
    assert (ROOT / "tools" / "build_translations.py").is_file()
    assert any("hicolor/scalable/apps/" + APP_ID + ".svg" in c for c in commands)


def test_requirements_match_pyproject() -> None:
    lines = (FLATPAK / "requirements.txt").read_text().splitlines()
    flatpak = {Requirement(line) for line in lines if line.strip() and not line.startswith("#")}
    project = {Requirement(dep) for dep in pyproject()["project"]["dependencies"]}
    # PySide6 is the base app's; everything else must be the same, versions included.
    assert {str(r) for r in flatpak} == {
        str(r) for r in project if not r.name.lower().startswith("pyside6")}
