"""The wheel: built with ``python -m build`` (through packaging/build.py, which compiles the
translations first), it holds the icons, the datamodel and the .qm files, and installed
into a fresh venv it starts the demo and loads a translation from its own folder."""

from __future__ import annotations

import os
import subprocess
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.packaging.project import (
    ROOT,
    TEST_CONTEXT,
    TEST_LANGUAGE,
    TEST_SOURCE,
    TEST_TRANSLATION,
    copy_project,
    run_build,
    shipped_languages,
)

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]

PROBE = f"""
import sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
import xsnap_gui
from xsnap_gui.app import install_translator
from xsnap_gui.ui import resources

app = QCoreApplication([])
install_translator({TEST_LANGUAGE!r})
print(Path(xsnap_gui.__file__).resolve())
print(resources.icons_dir().resolve())
print(",".join(resources.icon_names()))
print(QCoreApplication.translate({TEST_CONTEXT!r}, {TEST_SOURCE!r}))
"""


def _distinct_colours(image: QImage) -> int:
    small = image.scaled(64, 48)
    return len({small.pixel(x, y) for y in range(small.height()) for x in range(small.width())})


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("wheel-src"))
    built, seconds = run_build(project, "wheel", "--outdir", str(project / "dist"))
    print(f"\nwheel {built.name}: {built.stat().st_size / 1e3:.0f} kB, built in {seconds:.0f} s")
    return built


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    icons = sorted(p.name for p in (ROOT / "xsnap_gui" / "resources" / "icons").glob("*.svg"))
    assert icons
    for icon in icons:
        assert f"xsnap_gui/resources/icons/{icon}" in names
    assert "xsnap_gui/xapi/data/datamodel.json" in names
    for language in [*shipped_languages(), TEST_LANGUAGE]:
        assert f"xsnap_gui/translations/xsnap_gui_{language}.qm" in names
    assert not any(name.endswith(".ts") for name in names)  # sources stay out of the wheel
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    scripts = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "xsnap-gui = xsnap_gui.app:main" in scripts


def test_wheel_runs_from_a_clean_venv(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True)
    # The dependencies (PySide6 and friends, hundreds of MB) come from the test environment
    # rather than the network: a .pth adds its site-packages *after* the venv's own, and
    # .pth files are not read there, so the working tree's editable install stays out.
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path"
                           "('purelib'))"], check=True, capture_output=True, text=True)
    (Path(site.stdout.strip()) / "xsnap-test-dependencies.pth").write_text(
        "\n".join(sorted({sysconfig.get_path("purelib"), sysconfig.get_path("platlib")})) + "\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path))

    probe = subprocess.run([str(python), "-c", PROBE], cwd=tmp_path, env=env, check=True,
                           capture_output=True, text=True)
    package, icons_dir, names, translated = probe.stdout.strip().splitlines()
    assert Path(package).is_relative_to(env_dir.resolve())
    assert Path(icons_dir).is_relative_to(env_dir.resolve())
    assert {"app", "vm-running", "snapshot-disk", "now"} <= set(names.split(","))
    assert translated == TEST_TRANSLATION

    shot = tmp_path / "wheel-demo.png"
    subprocess.run([str(env_dir / "bin" / "xsnap-gui"), "--demo", "--screenshot", str(shot)],
                   cwd=tmp_path, env=env, check=True, timeout=180)
    image = QImage(str(shot))
    assert image.width() > 400 and image.height() > 300
    assert _distinct_colours(image) > 20  # a drawn window, not a blank grab
