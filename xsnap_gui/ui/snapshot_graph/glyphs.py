"""Every node icon of the snapshot graph, in one place.

The artwork is SVG (``xsnap_gui/resources/icons``: ``snapshot-*``, ``now``, ``vm-base``)
scaled into a square ``rect``, so it follows the zoom. Its colours come from
``GlyphColors``, built from the widget's palette, so a dark theme gets fills that stand
out against a dark background: an SVG element whose ``class`` holds ``fill-ROLE`` or
``stroke-ROLE`` takes the colour of that ``GlyphColors`` field (shading is drawn with
translucent white and black over it, so one colour per role is enough).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, fields

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QPen
from PySide6.QtSvg import QSvgRenderer

from .. import resources
from .layout import BASE, DISK, DISK_AND_MEMORY, NOW, SCHEDULED

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
BADGE_ELEMENT = "badge"  # the kind's badge, drawn alone over thumbnails
KIND_ARTWORK = {
    BASE: "vm-base",
    NOW: "now",
    DISK: "snapshot-disk",
    DISK_AND_MEMORY: "snapshot-disk-memory",
    SCHEDULED: "snapshot-scheduled",
}


@dataclass(frozen=True)
class GlyphColors:
    outline: QColor
    background: QColor  # what the icon sits on; used to cut badges free of the body
    disk: QColor
    memory: QColor
    clock: QColor
    vm: QColor
    accent: QColor
    accent_text: QColor

    @classmethod
    def from_palette(cls, palette: QPalette) -> GlyphColors:
        background = palette.color(QPalette.ColorRole.Base)
        dark = background.lightnessF() < 0.5
        text = palette.color(QPalette.ColorRole.Text)
        outline = QColor(text)
        outline.setAlphaF(0.55 if dark else 0.6)
        return cls(
            outline=outline,
            background=background,
            disk=QColor("#6d9cf0") if dark else QColor("#3d72d6"),
            memory=QColor("#43c08a") if dark else QColor("#1f9463"),
            clock=QColor("#f0b03a") if dark else QColor("#d9890c"),
            vm=QColor("#9aa7b8") if dark else QColor("#5f6e82"),
            accent=palette.color(QPalette.ColorRole.Highlight),
            accent_text=palette.color(QPalette.ColorRole.HighlightedText),
        )


def paint_glyph(painter: QPainter, rect: QRectF, kind: str, colors: GlyphColors) -> None:
    """Draw the icon for a node ``kind`` inside ``rect`` (square, centred on the node)."""
    # Every snapshot kind this version does not know is drawn as a disk.
    renderer = _renderer(KIND_ARTWORK.get(kind, KIND_ARTWORK[DISK]), colors)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, rect)
    painter.restore()


def paint_thumbnail(painter: QPainter, rect: QRectF, image: QImage, kind: str,
                    colors: GlyphColors) -> None:
    """A console screenshot in place of the icon, still badged with its kind."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    ratio = image.width() / image.height() if image.height() else 4 / 3
    width = rect.width()
    height = width / ratio
    if height > rect.height():
        height = rect.height()
        width = height * ratio
    frame = QRectF(rect.center().x() - width / 2, rect.center().y() - height / 2, width, height)
    painter.drawImage(frame, image)
    painter.setPen(QPen(colors.outline, 1.2))
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawRoundedRect(frame, 2, 2)
    if kind in (DISK_AND_MEMORY, SCHEDULED):
        _paint_badge(_renderer(KIND_ARTWORK[kind], colors), painter, rect)
    painter.restore()


def paint_spinner(painter: QPainter, rect: QRectF, angle: float, colors: GlyphColors) -> None:
    """A rotating arc around ``rect``: the Now node while an operation runs."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    track = QColor(colors.accent)
    track.setAlphaF(0.2)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(track, 3.5))
    painter.drawEllipse(rect)
    pen = QPen(colors.accent, 3.5)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.drawArc(rect, int(-angle * 16), 100 * 16)
    painter.restore()


_renderers: dict[tuple[str, tuple[str, ...]], QSvgRenderer] = {}


def _renderer(name: str, colors: GlyphColors) -> QSvgRenderer:
    """Artwork ``name`` in ``colors``; one renderer per artwork and palette, kept."""
    key = (name, tuple(getattr(colors, f.name).name(QColor.NameFormat.HexArgb)
                       for f in fields(colors)))
    found = _renderers.get(key)
    if found is None:
        found = QSvgRenderer(QByteArray(_themed(resources.svg_data(name), colors)))
        _renderers[key] = found
    return found


def _themed(svg: bytes, colors: GlyphColors) -> bytes:
    """The SVG with every ``fill-ROLE``/``stroke-ROLE`` element painted in that role's colour."""
    ET.register_namespace("", SVG_NAMESPACE)
    root = ET.fromstring(svg)
    roles = {f.name for f in fields(colors)}
    for element in root.iter():
        for token in element.get("class", "").split():
            prop, _, role = token.partition("-")
            if prop not in ("fill", "stroke") or role not in roles:
                continue
            color: QColor = getattr(colors, role)
            element.set(prop, color.name(QColor.NameFormat.HexRgb))
            opacity = float(element.get(f"{prop}-opacity", "1")) * color.alphaF()
            if opacity < 1:
                element.set(f"{prop}-opacity", f"{opacity:.3f}")
    return ET.tostring(root)


def _paint_badge(renderer: QSvgRenderer, painter: QPainter, rect: QRectF) -> None:
    """The artwork's badge alone, where it sits when the whole artwork fills ``rect``."""
    view = renderer.viewBoxF()
    bounds = renderer.boundsOnElement(BADGE_ELEMENT)
    sx, sy = rect.width() / view.width(), rect.height() / view.height()
    renderer.render(painter, BADGE_ELEMENT,
                    QRectF(rect.x() + (bounds.x() - view.x()) * sx,
                           rect.y() + (bounds.y() - view.y()) * sy,
                           bounds.width() * sx, bounds.height() * sy))
