"""Render a contact sheet of every icon, to look at them side by side.

Rows: the SVG artwork (``xsnap_gui.ui.resources``), the window's icons
(``xsnap_gui.ui.icons``, plain and warning-badged) and the snapshot graph's node glyphs
(``paint_glyph``) in a light and a dark palette. Columns: 16, 24, 32 and 48 px at device
pixel ratio 1, then the same sizes at ratio 2. Each row is drawn on a light and on a dark
background.

    python tools/render_icon_sheet.py /tmp/xsnap-shots/icons.png [--zoom 3]

``--zoom`` also writes ``NAME-zoomN.png``, magnified without smoothing, to judge pixels.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

SIZES = (16, 24, 32, 48)
RATIOS = (1, 2)
LABEL_WIDTH = 190
GAP = 8
BACKGROUNDS = (QColor("#f6f7f9"), QColor("#23272e"))

Renderer = Callable[[int, int, QColor], QPixmap]  # (size, ratio, background) -> pixmap


def _blank(size: int, ratio: int) -> tuple[QPixmap, QPainter]:
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    return pixmap, painter


def _from_icon(get_icon: Callable[[], object]) -> Renderer:
    def render(size: int, ratio: int, _background: QColor) -> QPixmap:
        from PySide6.QtGui import QIcon  # noqa: PLC0415

        found = get_icon()
        assert isinstance(found, QIcon)
        pixmap, painter = _blank(size, ratio)
        found.paint(painter, 0, 0, size, size)
        painter.end()
        return pixmap

    return render


def _glyph(kind: str) -> Renderer:
    def render(size: int, ratio: int, background: QColor) -> QPixmap:
        from xsnap_gui.ui.snapshot_graph.glyphs import GlyphColors, paint_glyph  # noqa: PLC0415

        palette = QPalette()
        dark = background.lightnessF() < 0.5
        palette.setColor(QPalette.ColorRole.Base, background)
        palette.setColor(QPalette.ColorRole.Text, QColor("#e6e6e6" if dark else "#1f2328"))
        palette.setColor(QPalette.ColorRole.Highlight, QColor("#3d8ee6" if dark else "#2f6fd0"))
        palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
        pixmap, painter = _blank(size, ratio)
        paint_glyph(painter, QRectF(0, 0, size, size), kind, GlyphColors.from_palette(palette))
        painter.end()
        return pixmap

    return render


def rows() -> list[tuple[str, Renderer]]:
    from xsnap_gui.ui import icons, resources  # noqa: PLC0415
    from xsnap_gui.ui.snapshot_graph.layout import KINDS  # noqa: PLC0415

    found: list[tuple[str, Renderer]] = []
    for name in resources.icon_names():
        found.append((f"svg {name}", _from_icon(lambda n=name: resources.icon(n))))
    for name in icons.icon_names():
        found.append((f"icons {name}", _from_icon(lambda n=name: icons.icon(n))))
    for name in ("vm-running", "vm-halted", "host", "pool", "server-connected"):
        found.append((f"badged {name}", _from_icon(lambda n=name: icons.badged(n))))
    for kind in sorted(KINDS):
        found.append((f"glyph {kind}", _glyph(kind)))
    return found


def render_sheet(path: Path, zoom: int = 1, only: str | None = None) -> None:
    sheet_rows = [r for r in rows() if only is None or only in r[0]]
    cell = max(SIZES) * max(RATIOS)
    columns = len(SIZES) * len(RATIOS)
    half_width = LABEL_WIDTH + columns * (cell + GAP)
    row_height = cell + GAP
    image = QImage(2 * half_width, len(sheet_rows) * row_height + GAP, QImage.Format.Format_ARGB32)
    image.fill(BACKGROUNDS[0])
    painter = QPainter(image)
    painter.fillRect(half_width, 0, half_width, image.height(), BACKGROUNDS[1])
    font = QFont()
    font.setPixelSize(12)
    painter.setFont(font)
    for side, background in enumerate(BACKGROUNDS):
        text = QColor("#1f2328") if side == 0 else QColor("#e6e6e6")
        x0 = side * half_width
        for row, (label, render) in enumerate(sheet_rows):
            y = GAP + row * row_height
            painter.setPen(text)
            painter.drawText(QRectF(x0 + 6, y, LABEL_WIDTH - 8, cell),
                             Qt.AlignmentFlag.AlignVCenter, label)
            x = x0 + LABEL_WIDTH
            for ratio in RATIOS:
                for size in SIZES:
                    pixmap = render(size, ratio, background)
                    # Drawn at physical pixels: a 2x column shows what a HiDPI screen gets.
                    physical = pixmap.toImage()
                    physical.setDevicePixelRatio(1)
                    top = y + (cell - physical.height()) // 2
                    painter.drawImage(x, top, physical)
                    x += cell + GAP
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(path))
    if zoom > 1:
        big = image.scaled(image.width() * zoom, image.height() * zoom,
                           Qt.AspectRatioMode.IgnoreAspectRatio,
                           Qt.TransformationMode.FastTransformation)
        big.save(str(path.with_name(f"{path.stem}-zoom{zoom}{path.suffix}")))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--zoom", type=int, default=1)
    parser.add_argument("--only", help="only rows whose label contains this text")
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    render_sheet(args.out, args.zoom, args.only)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
