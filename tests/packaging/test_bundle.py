"""The PyInstaller one-folder bundle: built from packaging/pyinstaller/xsnap-gui.spec, it
starts offscreen on the demo pool and saves a screenshot with no Python of ours around:
no virtualenv, no PYTHON* variables, only the system PATH. Prints its size and build time."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.packaging.project import TEST_LANGUAGE, copy_project, run_build, shipped_languages

pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]


def _tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("bundle-src"))
    built, seconds = run_build(project, "bundle", "--distpath", str(project / "dist"),
                               "--workpath", str(project / "build"))
    print(f"\nbundle {built}: {_tree_size(built) / 1e6:.1f} MB, built in {seconds:.0f} s")
    return built


def test_bundle_carries_its_own_python_and_resources(bundle: Path) -> None:
    executable = bundle / "xsnap-gui"
    assert executable.is_file()
    internal = bundle / "_internal"
    assert list(internal.glob("libpython3*.so*")), "the bundle must bring its interpreter"
    assert (internal / "xsnap_gui" / "resources" / "icons" / "app.svg").is_file()
    assert (internal / "xsnap_gui" / "xapi" / "data" / "datamodel.json").is_file()
    for language in [*shipped_languages(), TEST_LANGUAGE]:
        assert (internal / "xsnap_gui" / "translations" / f"xsnap_gui_{language}.qm").is_file()
    qt_plugins = internal / "PySide6" / "Qt" / "plugins"
    # Without these the window has no offscreen/X11/Wayland platform or SVG icons.
    for plugin in ("platforms/libqoffscreen.so", "platforms/libqxcb.so",
                   "iconengines/libqsvgicon.so", "imageformats/libqsvg.so"):
        assert (qt_plugins / plugin).is_file(), plugin
    # Unused Qt modules stay out (they would double the size).
    for unused in ("libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6Pdf.so.6"):
        assert not (internal / "PySide6" / "Qt" / "lib" / unused).exists(), unused


def test_bundle_starts_the_demo_and_saves_a_screenshot(bundle: Path, tmp_path: Path) -> None:
    shot = tmp_path / "bundle-demo.png"
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    start = time.monotonic()
    result = subprocess.run([str(bundle / "xsnap-gui"), "--demo", "--screenshot", str(shot)],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    print(f"\nbundle start-up to screenshot: {time.monotonic() - start:.1f} s")
    assert result.returncode == 0, result.stderr
    image = QImage(str(shot))
    assert image.width() > 400 and image.height() > 300
    small = image.scaled(64, 48)
    colours = {small.pixel(x, y) for y in range(small.height()) for x in range(small.width())}
    assert len(colours) > 20  # a drawn window, not a blank grab
    Path("/tmp/xsnap-shots").mkdir(parents=True, exist_ok=True)
    image.save("/tmp/xsnap-shots/bundle-demo.png")
    # The launcher loads the bundled libpython itself: it links to no Python library.
    linked = subprocess.run(["ldd", str(bundle / "xsnap-gui")], capture_output=True,
                            text=True, check=True).stdout
    assert "libpython" not in linked
