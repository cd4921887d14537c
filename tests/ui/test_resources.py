"""The SVG artwork and its helper: every icon the issue asks for exists, is valid SVG,
renders from vectors at 1x and 2x, and the window icons (ui/icons.py) and the snapshot
graph's glyphs draw it, in the palette's colours for the glyphs."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPalette
from PySide6.QtWidgets import QApplication

from xsnap_gui.ui import icons, resources
from xsnap_gui.ui.snapshot_graph.glyphs import GlyphColors, paint_glyph, paint_thumbnail
from xsnap_gui.ui.snapshot_graph.layout import DISK, DISK_AND_MEMORY, KINDS, SCHEDULED

REQUIRED = (
    "app",
    "snapshot-disk", "snapshot-disk-memory", "snapshot-scheduled", "now", "vm-base",
    "vm-running", "vm-halted", "vm-suspended", "vm-paused", "vm",
    "pool", "host", "host-disabled",
    "server-connecting", "server-connected", "server-reconnecting", "server-failed",
    "server-disconnected",
    "warning",
)
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _app(qapp: QApplication) -> None:
    """Rendering needs a QGuiApplication; pytest-qt's qapp provides one."""


def _render(paint, size: int) -> QImage:  # type: ignore[no-untyped-def]
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint(painter)
    painter.end()
    return image


def _opaque_pixels(image: QImage) -> int:
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if image.pixelColor(x, y).alpha() > 0)


def _max_difference(a: QImage, b: QImage) -> int:
    a = a.convertToFormat(QImage.Format.Format_ARGB32)
    b = b.convertToFormat(QImage.Format.Format_ARGB32)
    assert a.size() == b.size()
    worst = 0
    for y in range(a.height()):
        for x in range(a.width()):
            pa, pb = a.pixelColor(x, y), b.pixelColor(x, y)
            worst = max(worst, abs(pa.red() - pb.red()), abs(pa.green() - pb.green()),
                        abs(pa.blue() - pb.blue()), abs(pa.alpha() - pb.alpha()))
    return worst


def test_every_required_icon_exists() -> None:
    missing = [name for name in REQUIRED if name not in resources.icon_names()]
    assert missing == []
    assert resources.icon_path("app").name == "app.svg"
    with pytest.raises(KeyError):
        resources.icon_path("no-such-icon")


@pytest.mark.parametrize("name", resources.icon_names())
def test_icon_is_square_valid_svg(name: str) -> None:
    root = ET.parse(resources.icon_path(name)).getroot()
    assert root.tag == f"{SVG}svg"
    _x, _y, width, height = (float(v) for v in root.get("viewBox", "").split())
    assert width == height
    assert float(root.get("width", "0")) == float(root.get("height", "1")) == width
    renderer = resources.svg_renderer(name)
    assert renderer.isValid()
    # Hand-written artwork only: no embedded bitmaps, no scripts.
    assert not list(root.iter(f"{SVG}image")) and not list(root.iter(f"{SVG}script"))


@pytest.mark.parametrize("name", resources.icon_names())
def test_icon_renders_from_vectors_at_1x_and_2x(name: str) -> None:
    icon = resources.icon(name)
    assert not icon.isNull()
    one = icon.pixmap(QSize(16, 16), 1.0).toImage()
    two = icon.pixmap(QSize(16, 16), 2.0).toImage()
    assert (one.width(), two.width()) == (16, 32)
    assert _opaque_pixels(one) > 16
    # A HiDPI pixmap is drawn at 32 device pixels from the SVG, not a 16 px one scaled up.
    direct = _render(lambda p: resources.svg_renderer(name).render(p, QRectF(0, 0, 32, 32)), 32)
    assert _max_difference(two, direct) <= 2


@pytest.mark.parametrize("name", icons.icon_names())
def test_window_icons_draw_the_artwork(name: str) -> None:
    drawn = icons.icon(name).pixmap(QSize(32, 32), 1.0).toImage()
    artwork = _render(lambda p: resources.svg_renderer(name).render(p, QRectF(0, 0, 32, 32)), 32)
    assert _max_difference(drawn, artwork) <= 2
    assert icons.icon(name).cacheKey() == icons.icon(name).cacheKey()


def test_badged_vm_shows_the_warning_and_keeps_its_state_badge() -> None:
    image = icons.badged("vm-halted").pixmap(QSize(32, 32), 1.0).toImage()
    warning_yellow = image.pixelColor(9, 20)  # inside the triangle, left of the mark
    assert warning_yellow.red() > 200 and warning_yellow.green() > 150
    assert warning_yellow.blue() < 120
    badge = image.pixelColor(27, 27)  # the red disc, off its white stop mark
    assert badge.red() > 150 and badge.green() < 90
    plain = icons.badged("host").pixmap(QSize(32, 32), 1.0).toImage()
    corner = plain.pixelColor(20, 11)  # the triangle in the top right, left of the mark
    assert corner.red() > 200 and corner.green() > 150 and corner.blue() < 120


def _palette(base: str, text: str) -> QPalette:
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Base, QColor(base))
    palette.setColor(QPalette.ColorRole.Text, QColor(text))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fd0"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    return palette


LIGHT = GlyphColors.from_palette(_palette("#ffffff", "#1f2328"))
DARK = GlyphColors.from_palette(_palette("#1e2227", "#e6e6e6"))


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_glyphs_draw_every_kind(kind: str) -> None:
    image = _render(lambda p: paint_glyph(p, QRectF(0, 0, 40, 40), kind, LIGHT), 40)
    assert _opaque_pixels(image) > 200


def test_glyphs_follow_the_palette() -> None:
    light = _render(lambda p: paint_glyph(p, QRectF(0, 0, 32, 32), DISK, LIGHT), 32)
    dark = _render(lambda p: paint_glyph(p, QRectF(0, 0, 32, 32), DISK, DARK), 32)
    # The drum's front, mid-height: the palette's disk colour.
    light_disk, dark_disk = light.pixelColor(16, 18), dark.pixelColor(16, 18)
    assert light_disk.blue() > light_disk.red() and dark_disk.blue() > dark_disk.red()
    assert dark_disk.lightness() > light_disk.lightness() + 20
    # The memory badge is cut free of the drum with a ring of the background colour.
    ring = _render(lambda p: paint_glyph(p, QRectF(0, 0, 64, 64), DISK_AND_MEMORY, DARK), 64)
    cut = ring.pixelColor(26, 43)  # just left of the badge, over the drum
    assert abs(cut.lightness() - DARK.background.lightness()) < 25


def test_thumbnails_keep_their_kind_badge() -> None:
    screenshot = QImage(64, 48, QImage.Format.Format_RGB32)
    screenshot.fill(QColor("#808080"))
    image = _render(lambda p: paint_thumbnail(p, QRectF(0, 0, 40, 40), screenshot, SCHEDULED,
                                              LIGHT), 40)
    clock = image.pixelColor(QPointF(35, 34).toPoint())
    assert clock.red() > 180 and clock.blue() < 100  # the schedule's amber clock face
    plain = _render(lambda p: paint_thumbnail(p, QRectF(0, 0, 40, 40), screenshot, DISK,
                                              LIGHT), 40)
    assert plain.pixelColor(35, 34).red() < 150


def test_app_identity() -> None:
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    before_icon, before_name = app.windowIcon(), QGuiApplication.desktopFileName()
    try:
        resources.apply_app_identity(app)
        assert QGuiApplication.desktopFileName() == resources.APP_ID
        assert not app.windowIcon().isNull()
        assert app.windowIcon().pixmap(QSize(48, 48)).width() == 48
    finally:
        app.setWindowIcon(before_icon)
        QGuiApplication.setDesktopFileName(before_name)
