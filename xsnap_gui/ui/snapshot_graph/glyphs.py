"""Every node icon of the snapshot graph, drawn with QPainter in one place.

The icons are vector drawings in a square ``rect`` so they scale with the zoom; to
switch to SVG artwork, replace ``paint_glyph``'s body (and keep its signature).
Colours come from ``GlyphColors``, built from the widget's palette, so a dark theme
gets outlines and fills that stand out against a dark background.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QImage,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)

from .layout import BASE, DISK_AND_MEMORY, NOW, SCHEDULED


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
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if kind == BASE:
        _vm(painter, rect, colors)
    elif kind == NOW:
        _you_are_here(painter, rect, colors)
    else:  # every snapshot kind, and any kind this version does not know, is a disk
        _disk(painter, _shrink(rect, 0.08), colors)
        if kind == DISK_AND_MEMORY:
            _memory_badge(painter, rect, colors)
        elif kind == SCHEDULED:
            _clock_badge(painter, rect, colors)
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
    if kind == DISK_AND_MEMORY:
        _memory_badge(painter, rect, colors)
    elif kind == SCHEDULED:
        _clock_badge(painter, rect, colors)
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


def _shrink(rect: QRectF, fraction: float) -> QRectF:
    dx = rect.width() * fraction
    dy = rect.height() * fraction
    return rect.adjusted(dx, dy, -dx, -dy)


def _disk(painter: QPainter, rect: QRectF, colors: GlyphColors) -> None:
    """A storage drum: an upright cylinder with one band, the usual "volume" sign."""
    x, y, w, h = rect.x() + rect.width() * 0.1, rect.y(), rect.width() * 0.8, rect.height()
    cap = h * 0.26
    body = QPainterPath()
    body.moveTo(x, y + cap / 2)
    body.lineTo(x, y + h - cap / 2)
    body.arcTo(QRectF(x, y + h - cap, w, cap), 180, 180)
    body.lineTo(x + w, y + cap / 2)
    body.arcTo(QRectF(x, y, w, cap), 0, -180)
    body.closeSubpath()
    gradient = QLinearGradient(QPointF(x, 0), QPointF(x + w, 0))
    gradient.setColorAt(0.0, colors.disk.lighter(125))
    gradient.setColorAt(0.45, colors.disk)
    gradient.setColorAt(1.0, colors.disk.darker(135))
    painter.setPen(QPen(colors.disk.darker(160), 1.1))
    painter.setBrush(QBrush(gradient))
    painter.drawPath(body)
    painter.setBrush(colors.disk.lighter(150))
    painter.drawEllipse(QRectF(x, y, w, cap))
    band = QPainterPath()
    band.moveTo(x, y + h * 0.5)
    band.arcTo(QRectF(x, y + h * 0.5 - cap / 2, w, cap), 180, 180)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.setPen(QPen(colors.disk.lighter(160), 1.1))
    painter.drawPath(band)


def _badge_rect(rect: QRectF, corner: str, size: float) -> QRectF:
    left = rect.right() - size if corner.endswith("right") else rect.left()
    top = rect.bottom() - size if corner.startswith("bottom") else rect.top()
    return QRectF(left, top, size, size)


def _memory_badge(painter: QPainter, rect: QRectF, colors: GlyphColors) -> None:
    """A RAM module: the snapshot holds the VM's memory too."""
    size = min(rect.width(), rect.height()) * 0.55
    area = _badge_rect(rect, "bottom-right", size).translated(size * 0.12, size * 0.1)
    chip = QRectF(area.x(), area.y() + size * 0.22, size, size * 0.5)
    painter.setPen(QPen(colors.background, 3))
    painter.setBrush(colors.memory)
    painter.drawRoundedRect(chip, 1.5, 1.5)
    painter.setPen(QPen(colors.memory.darker(150), 1))
    painter.drawRoundedRect(chip, 1.5, 1.5)
    painter.setPen(QPen(colors.memory.darker(130), 1.3))
    pins = 4
    for i in range(pins):
        px = chip.x() + chip.width() * (i + 0.75) / (pins + 0.5)
        painter.drawLine(QPointF(px, chip.top() - size * 0.13), QPointF(px, chip.top()))
        painter.drawLine(QPointF(px, chip.bottom()), QPointF(px, chip.bottom() + size * 0.13))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colors.memory.darker(170))
    painter.drawRect(QRectF(chip.x() + chip.width() * 0.22, chip.y() + chip.height() * 0.28,
                            chip.width() * 0.56, chip.height() * 0.44))


def _clock_badge(painter: QPainter, rect: QRectF, colors: GlyphColors) -> None:
    """A clock face: taken by a snapshot schedule."""
    size = min(rect.width(), rect.height()) * 0.5
    face = _badge_rect(rect, "bottom-right", size).translated(size * 0.14, size * 0.1)
    painter.setPen(QPen(colors.background, 2.5))
    painter.setBrush(colors.clock)
    painter.drawEllipse(face)
    painter.setPen(QPen(colors.clock.darker(150), 1))
    painter.drawEllipse(face)
    centre = face.center()
    hand = QPen(QColor("white"), max(1.2, size * 0.09))
    hand.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(hand)
    painter.drawLine(centre, QPointF(centre.x(), face.top() + size * 0.2))
    painter.drawLine(centre, QPointF(face.right() - size * 0.25, centre.y()))


def _vm(painter: QPainter, rect: QRectF, colors: GlyphColors) -> None:
    """A monitor on a stand: the VM itself, the tree's base."""
    w, h = rect.width(), rect.height()
    screen = QRectF(rect.x() + w * 0.06, rect.y() + h * 0.12, w * 0.88, h * 0.6)
    painter.setPen(QPen(colors.vm.darker(150), 1.2))
    painter.setBrush(colors.vm)
    painter.drawRoundedRect(screen, 3, 3)
    glass = screen.adjusted(w * 0.06, h * 0.06, -w * 0.06, -h * 0.06)
    gradient = QLinearGradient(glass.topLeft(), glass.bottomRight())
    gradient.setColorAt(0.0, colors.disk.lighter(140))
    gradient.setColorAt(1.0, colors.disk.darker(120))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(gradient))
    painter.drawRect(glass)
    stand = QPainterPath()
    stand.moveTo(rect.x() + w * 0.42, screen.bottom())
    stand.lineTo(rect.x() + w * 0.38, rect.y() + h * 0.86)
    stand.lineTo(rect.x() + w * 0.62, rect.y() + h * 0.86)
    stand.lineTo(rect.x() + w * 0.58, screen.bottom())
    stand.closeSubpath()
    painter.setBrush(colors.vm.darker(115))
    painter.drawPath(stand)
    painter.drawRoundedRect(QRectF(rect.x() + w * 0.26, rect.y() + h * 0.84, w * 0.48,
                                   h * 0.07), 1.5, 1.5)


def _you_are_here(painter: QPainter, rect: QRectF, colors: GlyphColors) -> None:
    """A map pin over a halo: the VM's current state."""
    w, h = rect.width(), rect.height()
    halo = QColor(colors.accent)
    halo.setAlphaF(0.22)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(halo)
    painter.drawEllipse(QRectF(rect.x() + w * 0.18, rect.y() + h * 0.78, w * 0.64, h * 0.2))
    cx = rect.center().x()
    radius = w * 0.3
    top = rect.y() + h * 0.04
    pin = QPainterPath()
    pin.moveTo(cx, rect.y() + h * 0.88)
    pin.cubicTo(QPointF(cx - radius * 0.35, top + radius * 2.2),
                QPointF(cx - radius * 1.05, top + radius * 1.75),
                QPointF(cx - radius, top + radius))
    pin.arcTo(QRectF(cx - radius, top, 2 * radius, 2 * radius), 180, -180)
    pin.cubicTo(QPointF(cx + radius * 1.05, top + radius * 1.75),
                QPointF(cx + radius * 0.35, top + radius * 2.2),
                QPointF(cx, rect.y() + h * 0.88))
    pin.closeSubpath()
    painter.setPen(QPen(colors.accent.darker(140), 1.2))
    painter.setBrush(colors.accent)
    painter.drawPath(pin)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colors.accent_text)
    dot = radius * 0.45
    painter.drawEllipse(QPointF(cx, top + radius), dot, dot)
