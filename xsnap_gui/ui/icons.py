"""The application's small icons, painted in code behind one function, ``icon(name)``.

They are vector drawings in a 32 by 32 design space, rendered for every usual size
at device pixel ratios 1 and 2, so they are crisp on ordinary and HiDPI screens
alike. Artwork (SVG files) can replace them later without touching callers:
only this module knows how an icon is made.

Names:

- VMs by power state: ``vm-running``, ``vm-halted``, ``vm-suspended``, ``vm-paused``
  (any other state: ``vm``);
- ``pool``, ``host``, ``host-disabled``;
- server connections: ``server-connecting``, ``server-connected``,
  ``server-reconnecting``, ``server-failed``, ``server-disconnected``;
- tasks: ``task-pending``, ``task-cancelling``, ``task-success``, ``task-failure``,
  ``task-cancelled``, ``task-ended``;
- ``warning``, and :func:`badged` for any icon with the warning triangle on it.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QIcon,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QPolygonF,
)

DESIGN = 32.0  # every painter works in a DESIGN by DESIGN square
SIZES = (16, 20, 22, 24, 32, 48)
RATIOS = (1.0, 2.0)

# Mid-tone colours that read on light and dark backgrounds alike.
GREEN = QColor("#2ea043")
RED = QColor("#d1242f")
AMBER = QColor("#d98b0c")
BLUE = QColor("#2f74d0")
GREY = QColor("#7d8590")
SLATE = QColor("#4f5d70")
SCREEN_TOP = QColor("#7fb0f5")
SCREEN_BOTTOM = QColor("#3d72d6")
SCREEN_OFF = QColor("#a7b0bc")
WARNING_FILL = QColor("#f5c518")
WARNING_EDGE = QColor("#9a6a00")
WHITE = QColor("#ffffff")

Painter = Callable[[QPainter], None]


# --- building blocks --------------------------------------------------------------------


def _pen(color: QColor, width: float) -> QPen:
    pen = QPen(color, width)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    return pen


def _monitor(p: QPainter, lit: bool) -> None:
    """A VM: a small screen on a stand, lit (blue) or dark (grey)."""
    p.setPen(_pen(SLATE, 1.6))
    p.setBrush(SLATE)
    p.drawRoundedRect(QRectF(11, 24.5, 10, 2.5), 1, 1)  # foot
    p.drawRect(QRectF(14.5, 21, 3, 4))  # neck
    body = QRectF(2.5, 4, 27, 18)
    p.drawRoundedRect(body, 2.5, 2.5)
    screen = body.adjusted(2.2, 2.2, -2.2, -2.2)
    if lit:
        gradient = QLinearGradient(screen.topLeft(), screen.bottomLeft())
        gradient.setColorAt(0, SCREEN_TOP)
        gradient.setColorAt(1, SCREEN_BOTTOM)
        p.setBrush(QBrush(gradient))
    else:
        p.setBrush(SCREEN_OFF)
    p.setPen(Qt.PenStyle.NoPen)
    p.drawRect(screen)


def _badge_disc(p: QPainter, color: QColor, centre: QPointF | None = None,
                radius: float = 9.0) -> QRectF:
    """A coloured disc with a white rim (so it stands free of what it covers); by default
    in the bottom right corner, where state badges go."""
    if centre is None:
        centre = QPointF(22.5, 22.5)
    p.setPen(_pen(WHITE, 1.8))
    p.setBrush(color)
    p.drawEllipse(centre, radius, radius)
    return QRectF(centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius)


def _play(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(WHITE)
    p.drawPolygon(QPolygonF([QPointF(c.x() - 2.6, c.y() - 4.2), QPointF(c.x() - 2.6, c.y() + 4.2),
                             QPointF(c.x() + 4.4, c.y())]))


def _stop(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(WHITE)
    p.drawRect(QRectF(c.x() - 3.4, c.y() - 3.4, 6.8, 6.8))


def _pause(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(WHITE)
    p.drawRect(QRectF(c.x() - 3.6, c.y() - 4, 2.6, 8))
    p.drawRect(QRectF(c.x() + 1.0, c.y() - 4, 2.6, 8))


def _moon(p: QPainter, disc: QRectF) -> None:
    """Suspended: a crescent (the VM sleeps, its memory saved to disk)."""
    c = disc.center()
    outer = QPainterPath()
    outer.addEllipse(c, 4.6, 4.6)
    bite = QPainterPath()
    bite.addEllipse(QPointF(c.x() + 2.8, c.y() - 2.0), 4.0, 4.0)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(WHITE)
    p.drawPath(outer.subtracted(bite))


def _check(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    p.setPen(_pen(WHITE, 2.4))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPolyline(QPolygonF([QPointF(c.x() - 4, c.y() + 0.2), QPointF(c.x() - 1.2, c.y() + 3),
                              QPointF(c.x() + 4.2, c.y() - 3.2)]))


def _cross(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    p.setPen(_pen(WHITE, 2.4))
    d = 3.2
    p.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
    p.drawLine(QPointF(c.x() - d, c.y() + d), QPointF(c.x() + d, c.y() - d))


def _dots(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(WHITE)
    for dx in (-3.6, 0.0, 3.6):
        p.drawEllipse(QPointF(c.x() + dx, c.y()), 1.35, 1.35)


def _circular_arrow(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    r = 3.8
    p.setPen(_pen(WHITE, 2.0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    arc = QRectF(c.x() - r, c.y() - r, 2 * r, 2 * r)
    p.drawArc(arc, 60 * 16, 270 * 16)
    # Arrow head at the arc's start (60°), pointing along the turn.
    angle = math.radians(60)
    tip = QPointF(c.x() + r * math.cos(angle), c.y() - r * math.sin(angle))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(WHITE)
    p.drawPolygon(QPolygonF([QPointF(tip.x() + 3.0, tip.y() - 0.6),
                             QPointF(tip.x() - 1.2, tip.y() - 2.8),
                             QPointF(tip.x() - 0.6, tip.y() + 2.2)]))


def _slash(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    p.setPen(_pen(WHITE, 2.0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(c, 4.0, 4.0)
    p.drawLine(QPointF(c.x() - 2.8, c.y() + 2.8), QPointF(c.x() + 2.8, c.y() - 2.8))


def _clock(p: QPainter, disc: QRectF) -> None:
    c = disc.center()
    p.setPen(_pen(WHITE, 2.0))
    p.drawLine(c, QPointF(c.x(), c.y() - 4.2))
    p.drawLine(c, QPointF(c.x() + 3.2, c.y() + 1.2))


def _rack_unit(p: QPainter, rect: QRectF, led: QColor) -> None:
    """One server box: a rounded slab with vents and a status light."""
    gradient = QLinearGradient(rect.topLeft(), rect.bottomLeft())
    gradient.setColorAt(0, QColor("#8b98aa"))
    gradient.setColorAt(1, QColor("#5c6a7e"))
    p.setPen(_pen(SLATE.darker(130), 1.2))
    p.setBrush(QBrush(gradient))
    p.drawRoundedRect(rect, 1.8, 1.8)
    p.setPen(_pen(QColor("#d7dde5"), 1.2))
    y = rect.center().y()
    for x in (rect.left() + 4, rect.left() + 7, rect.left() + 10):
        p.drawLine(QPointF(x, y - rect.height() * 0.22), QPointF(x, y + rect.height() * 0.22))
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(led)
    p.drawEllipse(QPointF(rect.right() - 4, y), 1.7, 1.7)


def _host_body(p: QPainter, disabled: bool) -> None:
    led = GREY if disabled else GREEN
    _rack_unit(p, QRectF(3, 6, 26, 9), led)
    _rack_unit(p, QRectF(3, 17, 26, 9), led)


# --- the icons --------------------------------------------------------------------------


_VM_STATES: dict[str, tuple[bool, QColor, Callable[[QPainter, QRectF], None]]] = {
    # name: (screen lit, badge colour, badge mark)
    "vm-running": (True, GREEN, _play),
    "vm-halted": (False, RED, _stop),
    "vm-suspended": (False, BLUE, _moon),
    "vm-paused": (True, AMBER, _pause),
}


def _vm(name: str, warned: bool) -> Painter:
    """A VM in a power state; a VM needing attention shows the warning sign as its body,
    so the flag reads at 16 px while the state badge stays."""

    def paint(p: QPainter) -> None:
        state = _VM_STATES.get(name)
        if warned:
            _warning_triangle(p, QRectF(1, 1.5, 26, 23))
        else:
            _monitor(p, lit=state[0] if state else False)
        if state is not None:
            _lit, color, mark = state
            mark(p, _badge_disc(p, color))

    return paint


def _host(p: QPainter) -> None:
    _host_body(p, disabled=False)


def _host_disabled(p: QPainter) -> None:
    _host_body(p, disabled=True)
    _pause(p, _badge_disc(p, AMBER, QPointF(24, 24), 7.0))


def _pool(p: QPainter) -> None:
    """Three hosts in a rack frame: the pool they form."""
    p.setPen(_pen(SLATE, 1.6))
    p.setBrush(QColor("#e8edf3"))
    p.drawRoundedRect(QRectF(2, 2, 28, 28), 3.5, 3.5)
    for top in (5.0, 12.5, 20.0):
        _rack_unit(p, QRectF(5, top, 22, 6.5), GREEN)


def _server(p: QPainter, color: QColor, mark: Callable[[QPainter, QRectF], None] | None) -> None:
    """A connection to a server: a globe-like disc of network lines, with a state badge."""
    centre = QPointF(13.5, 13.5)
    radius = 11.0
    p.setPen(_pen(SLATE, 1.8))
    p.setBrush(QColor("#dfe7f1"))
    p.drawEllipse(centre, radius, radius)
    p.setPen(_pen(SLATE, 1.3))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawEllipse(centre, radius * 0.45, radius)
    p.drawLine(QPointF(centre.x() - radius, centre.y()), QPointF(centre.x() + radius, centre.y()))
    p.drawLine(QPointF(centre.x(), centre.y() - radius), QPointF(centre.x(), centre.y() + radius))
    disc = _badge_disc(p, color)
    if mark is not None:
        mark(p, disc)


def _warning_triangle(p: QPainter, rect: QRectF) -> None:
    """A yellow triangle with an exclamation mark, filling ``rect``."""
    w, h = rect.width(), rect.height()
    tri = QPolygonF([QPointF(rect.left() + w / 2, rect.top()),
                     QPointF(rect.right(), rect.bottom()),
                     QPointF(rect.left(), rect.bottom())])
    p.setPen(_pen(WARNING_EDGE, max(1.2, w * 0.07)))
    p.setBrush(WARNING_FILL)
    p.drawPolygon(tri)
    p.setPen(_pen(QColor("#2b2100"), max(1.6, w * 0.12)))
    cx = rect.left() + w / 2
    p.drawLine(QPointF(cx, rect.top() + h * 0.36), QPointF(cx, rect.top() + h * 0.64))
    p.drawPoint(QPointF(cx, rect.top() + h * 0.82))


def _warning(p: QPainter) -> None:
    _warning_triangle(p, QRectF(2, 3, 28, 26))


def _task(color: QColor, mark: Callable[[QPainter, QRectF], None]) -> Painter:
    def paint(p: QPainter) -> None:
        mark(p, _badge_disc(p, color, QPointF(16, 16), 13.0))

    return paint


PAINTERS: dict[str, Painter] = {
    "vm-running": _vm("vm-running", warned=False),
    "vm-halted": _vm("vm-halted", warned=False),
    "vm-suspended": _vm("vm-suspended", warned=False),
    "vm-paused": _vm("vm-paused", warned=False),
    "vm": _vm("vm", warned=False),
    "host": _host,
    "host-disabled": _host_disabled,
    "pool": _pool,
    "server-connecting": lambda p: _server(p, BLUE, _dots),
    "server-connected": lambda p: _server(p, GREEN, _check),
    "server-reconnecting": lambda p: _server(p, AMBER, _circular_arrow),
    "server-failed": lambda p: _server(p, RED, _cross),
    "server-disconnected": lambda p: _server(p, GREY, _stop),
    "task-pending": _task(BLUE, _clock),
    "task-cancelling": _task(AMBER, _dots),
    "task-success": _task(GREEN, _check),
    "task-failure": _task(RED, _cross),
    "task-cancelled": _task(GREY, _slash),
    "task-ended": _task(GREY, _dots),
    "warning": _warning,
}

POWER_STATE_ICONS = {
    "Running": "vm-running",
    "Halted": "vm-halted",
    "Suspended": "vm-suspended",
    "Paused": "vm-paused",
}


# --- rendering --------------------------------------------------------------------------

_cache: dict[tuple[str, str], QIcon] = {}


def _pixmap(size: int, ratio: float, paint: Painter) -> QPixmap:
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    try:
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.scale(size / DESIGN, size / DESIGN)
        paint(p)
    finally:
        p.end()
    return pixmap


def _build(paint: Painter) -> QIcon:
    result = QIcon()
    for size in SIZES:
        for ratio in RATIOS:
            result.addPixmap(_pixmap(size, ratio, paint))
    return result


def icon_names() -> tuple[str, ...]:
    return tuple(PAINTERS)


def icon(name: str) -> QIcon:
    """The icon called ``name`` (see the module doc); KeyError for an unknown name."""
    found = _cache.get((name, ""))
    if found is None:
        found = _cache[(name, "")] = _build(PAINTERS[name])
    return found


def badged(name: str) -> QIcon:
    """``name``'s icon flagged with the warning sign.

    VM icons swap their screen for the sign and keep their power-state badge;
    other icons get the sign in their top right corner.
    """
    found = _cache.get((name, "warning"))
    if found is None:
        paint: Painter
        if name in _VM_STATES or name == "vm":
            paint = _vm(name, warned=True)
        else:
            base = PAINTERS[name]

            def paint(p: QPainter) -> None:
                base(p)
                _warning_triangle(p, QRectF(15, 0.5, 16.5, 15))

        found = _cache[(name, "warning")] = _build(paint)
    return found


def power_state_icon(power_state: str, *, warning: bool = False) -> QIcon:
    name = POWER_STATE_ICONS.get(power_state, "vm")
    return badged(name) if warning else icon(name)
