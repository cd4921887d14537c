"""The application's small icons behind one function, ``icon(name)``.

The artwork is SVG (``xsnap_gui/resources/icons``, found through :mod:`.resources`),
drawn in a 32 by 32 design space and rendered for every usual size at device pixel
ratios 1 and 2, so it is crisp on ordinary and HiDPI screens alike. Only this module
knows how an icon is made; callers ask for names.

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

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap

from . import resources

DESIGN = 32.0  # every painter works in a DESIGN by DESIGN square
SIZES = (16, 20, 22, 24, 32, 48)
RATIOS = (1.0, 2.0)

# Where the warning sign goes: in place of a VM's screen, or in any other icon's corner.
WARNING_AS_BODY = QRectF(0, 0, 28, 28)
WARNING_IN_CORNER = QRectF(15, 0.5, 16.5, 15)
BADGE_ELEMENT = "badge"  # the state badge's element id in the VM artwork

Painter = Callable[[QPainter], None]


def _svg(name: str, target: QRectF | None = None) -> Painter:
    """Paint icon ``name``'s artwork over the design square, or into ``target``."""

    def paint(p: QPainter) -> None:
        renderer = resources.svg_renderer(name)
        renderer.render(p, target if target is not None else QRectF(0, 0, DESIGN, DESIGN))

    return paint


def _svg_element(name: str, element: str) -> Painter:
    """Paint one element of ``name``'s artwork where it sits in the whole drawing."""

    def paint(p: QPainter) -> None:
        renderer = resources.svg_renderer(name)
        scale = DESIGN / renderer.viewBoxF().width()
        bounds = renderer.boundsOnElement(element)
        renderer.render(p, element, QRectF(bounds.x() * scale, bounds.y() * scale,
                                           bounds.width() * scale, bounds.height() * scale))

    return paint


_VM_NAMES = ("vm-running", "vm-halted", "vm-suspended", "vm-paused", "vm")

PAINTERS: dict[str, Painter] = {
    name: _svg(name)
    for name in (
        *_VM_NAMES,
        "host", "host-disabled", "pool",
        "server-connecting", "server-connected", "server-reconnecting", "server-failed",
        "server-disconnected",
        "task-pending", "task-cancelling", "task-success", "task-failure", "task-cancelled",
        "task-ended",
        "warning",
    )
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
        layers: list[Painter]
        if name in _VM_NAMES:
            # The sign as the body reads at 16 px; the power-state badge stays on top.
            layers = [_svg("warning", WARNING_AS_BODY)]
            if resources.svg_renderer(name).elementExists(BADGE_ELEMENT):
                layers.append(_svg_element(name, BADGE_ELEMENT))
        else:
            layers = [PAINTERS[name], _svg("warning", WARNING_IN_CORNER)]

        def paint(p: QPainter) -> None:
            for layer in layers:
                layer(p)

        found = _cache[(name, "warning")] = _build(paint)
    return found


def power_state_icon(power_state: str, *, warning: bool = False) -> QIcon:
    name = POWER_STATE_ICONS.get(power_state, "vm")
    return badged(name) if warning else icon(name)
