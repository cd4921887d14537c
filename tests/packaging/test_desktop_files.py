"""The freedesktop entry and the AppStream metainfo: one reverse-DNS id everywhere, the
command pyproject installs, the icon we ship; and the official validators where they are
installed (.ci/run installs them and runs them too)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import xml.etree.ElementTree as ET

import pytest

from tests.packaging.project import ROOT, pyproject
from xsnap_gui.ui import resources
from xsnap_gui.ui.resources import APP_ID

DESKTOP = ROOT / "resources" / f"{APP_ID}.desktop"
METAINFO = ROOT / "resources" / f"{APP_ID}.metainfo.xml"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign] - keys are case-sensitive
    parser.read(DESKTOP, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry() -> None:
    entry = _desktop_entry()
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] in pyproject()["project"]["scripts"]
    assert entry["Icon"] == APP_ID  # installed as hicolor/scalable/apps/APP_ID.svg
    assert resources.icon_path(resources.APP_ICON).is_file()
    assert "System" in entry["Categories"].split(";")
    assert entry["Name"] and entry["Comment"] and entry["Comment[ja]"]


def test_metainfo() -> None:
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == DESKTOP.name
    assert root.findtext("provides/binary") == _desktop_entry()["Exec"].split()[0]
    assert root.findtext("project_license") == "MIT"
    assert root.findtext("name") == _desktop_entry()["Name"]
    paragraphs = [p for p in root.iter("p") if p.get("{http://www.w3.org/XML/1998/namespace}"
                                                   "lang") is None]
    assert paragraphs and all(p.text and p.text.strip() for p in paragraphs)
    images = [i.text or "" for i in root.iter("image")]
    assert images and all(i.startswith("https://") and i.endswith(".png") for i in images)
    versions = [r.get("version") for r in root.iter("release")]
    assert pyproject()["project"]["version"] in versions


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate is not installed (Debian: desktop-file-utils)")
def test_desktop_file_validates() -> None:
    result = subprocess.run(["desktop-file-validate", str(DESKTOP)], capture_output=True,
                            text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@pytest.mark.skipif(shutil.which("appstreamcli") is None,
                    reason="appstreamcli is not installed (Debian: appstream)")
def test_metainfo_validates() -> None:
    result = subprocess.run(["appstreamcli", "validate", "--no-net", str(METAINFO)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
