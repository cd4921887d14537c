"""The packaged artwork: where the SVG icons are, and QIcons made from them.

The icons ship inside the package, in ``xsnap_gui/resources/icons``, so a source
checkout, an installed wheel and a PyInstaller bundle all find them next to this code;
a bundle may also unpack them under ``sys._MEIPASS``, which is searched as well. Files
for the desktop rather than for Python (the ``.desktop`` entry, the AppStream metainfo,
the translation sources) live in the top-level ``resources/`` folder.

Names are file stems: ``icon("vm-running")`` is ``vm-running.svg``.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtSvg import QSvgRenderer

APP_ID = "io.github.xsnap_gui.XsnapGui"  # the reverse-DNS id of the desktop and AppStream files
APP_ICON = "app"
_ICON_SUBDIR = Path("resources") / "icons"


def _candidate_dirs() -> list[Path]:
    package = Path(__file__).resolve().parent.parent  # xsnap_gui/
    found = [package / _ICON_SUBDIR]
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        found.append(Path(bundle) / "xsnap_gui" / _ICON_SUBDIR)
    return found


@cache
def icons_dir() -> Path:
    """The folder holding the SVG icons; FileNotFoundError if the install lost them."""
    for directory in _candidate_dirs():
        if directory.is_dir():
            return directory
    searched = ", ".join(str(d) for d in _candidate_dirs())
    raise FileNotFoundError(f"xsnap-gui's icons are missing (looked in {searched})")


def icon_names() -> tuple[str, ...]:
    return tuple(sorted(p.stem for p in icons_dir().glob("*.svg")))


def icon_path(name: str) -> Path:
    """The SVG file of icon ``name``; KeyError for an unknown name."""
    path = icons_dir() / f"{name}.svg"
    if not path.is_file():
        raise KeyError(name)
    return path


@cache
def svg_data(name: str) -> bytes:
    return icon_path(name).read_bytes()


_renderers: dict[str, QSvgRenderer] = {}
_icons: dict[str, QIcon] = {}


def svg_renderer(name: str) -> QSvgRenderer:
    """A shared renderer for icon ``name``, to paint it (or one of its elements) at any size."""
    found = _renderers.get(name)
    if found is None:
        found = QSvgRenderer(QByteArray(svg_data(name)))
        if not found.isValid():
            raise ValueError(f"{icon_path(name)} is not a valid SVG file")
        _renderers[name] = found
    return found


def icon(name: str) -> QIcon:
    """Icon ``name`` as a QIcon drawn from its SVG at whatever size and pixel ratio is asked."""
    found = _icons.get(name)
    if found is None:
        found = _icons[name] = QIcon(str(icon_path(name)))
    return found


def apply_app_identity(app: QGuiApplication) -> None:
    """Give the application its window icon and tell the desktop which entry it belongs to
    (Wayland compositors find the launcher icon through the desktop file name)."""
    app.setWindowIcon(icon(APP_ICON))
    QGuiApplication.setDesktopFileName(APP_ID)
