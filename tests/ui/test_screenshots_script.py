"""tools/screenshots.py, the script behind docs/screenshots: its in-process part opens real
dialogs on the demo pool and saves them; its main-window part runs ``xsnap-gui`` with
options the command line really has."""

from __future__ import annotations

import asyncio
import importlib.util
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from tests.ui.qtloop import qasync_loop
from xsnap_gui.app import build_parser

ROOT = Path(__file__).resolve().parents[2]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("xsnap_screenshots",
                                                  ROOT / "tools" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


screenshots = _load_script()


@pytest.fixture(scope="module")
def shots_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    with qasync_loop(qapp) as loop:
        yield loop


def colour_counts(image: QImage) -> Counter[bytes]:
    """How many pixels have each colour (ARGB32, 4 bytes a pixel)."""
    image = image.convertToFormat(QImage.Format.Format_ARGB32)
    data = bytes(image.constBits())
    row_bytes = image.width() * 4
    counts: Counter[bytes] = Counter()
    for y in range(image.height()):
        row = data[y * image.bytesPerLine(): y * image.bytesPerLine() + row_bytes]
        counts.update(row[i:i + 4] for i in range(0, row_bytes, 4))
    return counts


def check_picture(path: Path) -> QImage:
    assert path.is_file(), path
    assert path.read_bytes()[:8] == PNG_SIGNATURE, path
    image = QImage(str(path))
    assert not image.isNull(), path
    assert 300 <= image.width() <= 1600 and 150 <= image.height() <= 1000, \
        (path.name, image.width(), image.height())
    counts = colour_counts(image)
    # Not blank: text, icons and antialiasing give many colours, none of them everywhere.
    assert len(counts) > 24, (path.name, len(counts))
    assert counts.most_common(1)[0][1] < 0.9 * image.width() * image.height(), path.name
    # The thin border the script draws, so the dialog stands out from a white page.
    border = QColor(screenshots.BORDER)
    for x, y in ((0, 0), (image.width() - 1, image.height() - 1)):
        assert image.pixelColor(x, y).rgb() == border.rgb(), (path.name, x, y)
    return image


def test_dialogs_are_saved_as_real_pictures(shots_loop: asyncio.AbstractEventLoop,
                                            tmp_path: Path) -> None:
    names = ("take-snapshot", "delete", "schedule-wizard")
    made = screenshots.shoot_in_process(tmp_path, names, loop=shots_loop)
    assert made == [tmp_path / f"{name}.png" for name in names]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{n}.png" for n in names)
    images = {path.stem: check_picture(path) for path in made}
    # Each picture is its own dialog, not the same window three times.
    sizes = {name: (image.width(), image.height()) for name, image in images.items()}
    assert len(set(sizes.values())) == len(names), sizes
    # The dialogs were closed and the demo window with them.
    assert not [w for w in QApplication.topLevelWidgets()
                if w.isVisible() and w.objectName() in ("mainWindow", "takeSnapshotDialog",
                                                         "deleteDialog")]


def test_unknown_pictures_are_refused(shots_loop: asyncio.AbstractEventLoop,
                                      tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no-such-dialog"):
        screenshots.shoot_in_process(tmp_path, ["take-snapshot", "no-such-dialog"],
                                     loop=shots_loop)
    assert not list(tmp_path.iterdir())


def test_main_window_commands_are_ones_xsnap_gui_accepts(tmp_path: Path) -> None:
    for name, (vm, view) in screenshots.MAIN_SHOTS.items():
        command = screenshots.main_window_command(tmp_path / f"{name}.png", vm, view, "ja")
        assert command[1:3] == ["-m", "xsnap_gui.app"]
        args = build_parser().parse_args(command[3:])
        assert args.demo and args.screenshot == str(tmp_path / f"{name}.png")
        assert (args.select_vm, args.view, args.lang) == (vm, view, "ja")
    assert screenshots.MAIN_SHOTS["main-window"][1] == "tree"
    assert screenshots.MAIN_SHOTS["list-view"][1] == "list"
    # The AppStream metainfo shows main-window.png from this folder.
    metainfo = (ROOT / "resources" / "io.github.xsnap_gui.XsnapGui.metainfo.xml").read_text()
    assert "/docs/screenshots/main-window.png</image>" in metainfo
    assert screenshots.DEFAULT_OUT == ROOT / "docs" / "screenshots"
