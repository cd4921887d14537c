"""Scene items of the snapshot graph: nodes and the connectors between them."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QImage,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsSceneHoverEvent,
    QStyleOptionGraphicsItem,
    QWidget,
)

from .glyphs import GlyphColors, paint_glyph, paint_spinner, paint_thumbnail
from .layout import BASE, DISK_AND_MEMORY, NOW, SCHEDULED, GraphNode

COLUMN_WIDTH = 150.0
LANE_HEIGHT = 100.0
ICON_SIZE = 40.0
ICON_Y = 38.0  # icon centre below the lane's top: the node's box then sits mid-lane
THUMBNAIL_SIZE = 54.0
NODE_WIDTH = COLUMN_WIDTH - 18  # leaves room for a connector on the column boundary
TEXT_GAP = 5.0
CORNER = 9.0  # radius of a connector's bends
TEXT_DETAIL = 0.45  # below this zoom, labels would be unreadable: draw icons only
DOT_DETAIL = 0.3  # below this, icons too: draw a dot in the kind's colour
EDGE_CLEARANCE = 9.0
EDGE_WIDTH, MAIN_EDGE_WIDTH = 1.6, 3.0

Z_EDGE, Z_MAIN_EDGE, Z_NODE = -2.0, -1.0, 0.0


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """``a`` moved ``amount`` of the way towards ``b``."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * amount,
        a.greenF() + (b.greenF() - a.greenF()) * amount,
        a.blueF() + (b.blueF() - a.blueF()) * amount,
    )


def _alpha(color: QColor, alpha: float) -> QColor:
    c = QColor(color)
    c.setAlphaF(alpha)
    return c


@dataclass
class Theme:
    """Colours for everything the graph paints, all derived from the palette."""

    background: QColor
    text: QColor
    dim_text: QColor
    edge: QColor
    accent: QColor
    selection_fill: QColor
    hover_fill: QColor
    band: QColor
    band_text: QColor
    band_line: QColor
    day_line: QColor
    glyphs: GlyphColors

    @classmethod
    def from_palette(cls, palette: QPalette) -> Theme:
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        window = palette.color(QPalette.ColorRole.Window)
        accent = palette.color(QPalette.ColorRole.Highlight)
        return cls(
            background=base,
            text=text,
            dim_text=_mix(text, base, 0.4),
            edge=_mix(text, base, 0.55),
            accent=accent,
            selection_fill=_alpha(accent, 0.2),
            hover_fill=_alpha(_mix(text, base, 0.5), 0.12),
            band=_mix(window, base, 0.35),
            band_text=palette.color(QPalette.ColorRole.WindowText),
            band_line=_mix(text, base, 0.75),
            day_line=_mix(text, base, 0.9),
            glyphs=GlyphColors.from_palette(palette),
        )


@dataclass
class GraphStyle:
    """State shared by every item; the view owns it and repaints when it changes."""

    theme: Theme
    font: QFont
    small_font: QFont
    bold_font: QFont
    busy: bool = False
    busy_caption: str = ""
    spinner_angle: float = 0.0
    current_key: str | None = None
    show_focus: bool = False
    drop_key: str | None = None
    thumbnails: dict[bytes, QImage] = field(default_factory=dict)

    @property
    def name_metrics(self) -> QFontMetricsF:
        return QFontMetricsF(self.font)

    def image(self, data: bytes) -> QImage | None:
        image = self.thumbnails.get(data)
        if image is None:
            image = QImage.fromData(data)
            if image.isNull():
                return None
            self.thumbnails[data] = image
        return image


def node_centre(column: int, row: int) -> QPointF:
    """The icon's centre: high in its lane, since the name and time hang below it."""
    return QPointF(column * COLUMN_WIDTH + COLUMN_WIDTH / 2, row * LANE_HEIGHT + ICON_Y)


class NodeItem(QGraphicsItem):
    """One snapshot (or Base, or Now): icon, elided name and time underneath."""

    def __init__(self, style: GraphStyle, node: GraphNode, time_text: str) -> None:
        super().__init__()
        self.graph_style = style
        self.node = node
        self.time_text = time_text
        self.elided = ""
        self.hovered = False
        self.setAcceptHoverEvents(True)
        self.setZValue(Z_NODE)
        self.update_node(node, time_text)

    @property
    def key(self) -> str:
        return self.node.key

    @property
    def selectable(self) -> bool:
        return self.node.is_snapshot

    def update_node(self, node: GraphNode, time_text: str) -> None:
        self.node = node
        self.time_text = time_text
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, node.is_snapshot)
        self.setToolTip("")  # the view writes it when it is first asked for
        self.refresh_text()

    def refresh_text(self) -> None:
        """Re-elide the name (after a font or node change)."""
        style = self.graph_style
        font = style.bold_font if self.node.kind in (BASE, NOW) else style.font
        label = self.node.label
        if not label and self.node.kind == NOW:
            label = QCoreApplication.translate("SnapshotGraphView", "Now")
        self.elided = QFontMetricsF(font).elidedText(
            label, Qt.TextElideMode.ElideRight, NODE_WIDTH - 8)
        self.update()

    def icon_rect(self) -> QRectF:
        if self._thumbnail() is not None:  # wider than an icon, never taller
            return QRectF(-THUMBNAIL_SIZE / 2, -ICON_SIZE / 2, THUMBNAIL_SIZE, ICON_SIZE)
        return QRectF(-ICON_SIZE / 2, -ICON_SIZE / 2, ICON_SIZE, ICON_SIZE)

    def _thumbnail(self) -> QImage | None:
        data = self.node.thumbnail
        return self.graph_style.image(data) if data else None

    def _text_height(self) -> float:
        return (QFontMetricsF(self.graph_style.font).height()
                + QFontMetricsF(self.graph_style.small_font).height() + 2)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        top = -ICON_SIZE / 2 - 9  # room for the busy spinner around the Now pin
        bottom = ICON_SIZE / 2 + TEXT_GAP + self._text_height() + 4
        return QRectF(-NODE_WIDTH / 2, top, NODE_WIDTH, bottom - top)

    def hoverEnterEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 - Qt override
        self.hovered = True
        self.update()

    def hoverLeaveEvent(self, event: QGraphicsSceneHoverEvent) -> None:  # noqa: N802 - Qt override
        self.hovered = False
        self.update()

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        style = self.graph_style
        theme = style.theme
        detail = option.levelOfDetailFromTransform(painter.worldTransform())
        box = self.boundingRect().adjusted(1, 1, -1, -1)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        if self.isSelected() or style.drop_key == self.key:
            painter.setBrush(theme.selection_fill)
            pen = QPen(theme.accent, 1.3)
            if style.drop_key == self.key:
                pen.setStyle(Qt.PenStyle.DashLine)
                pen.setWidthF(2)
            painter.setPen(pen)
            painter.drawRoundedRect(box, 7, 7)
        elif self.hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(theme.hover_fill)
            painter.drawRoundedRect(box, 7, 7)
        if style.show_focus and style.current_key == self.key:
            pen = QPen(theme.accent if self.isSelected() else theme.text, 1)
            pen.setStyle(Qt.PenStyle.DotLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(box.adjusted(2, 2, -2, -2), 5, 5)

        if detail < DOT_DETAIL:
            self._paint_dot(painter, detail)
            return
        image = self._thumbnail()
        if image is not None:
            paint_thumbnail(painter, self.icon_rect(), image, self.node.kind, theme.glyphs)
        else:
            paint_glyph(painter, self.icon_rect(), self.node.kind, theme.glyphs)
        busy = self.node.kind == NOW and style.busy
        if busy:
            ring = self.icon_rect().adjusted(-5, -5, 5, 5)
            paint_spinner(painter, ring, style.spinner_angle, theme.glyphs)
        if detail < TEXT_DETAIL:
            return

        name_top = ICON_SIZE / 2 + TEXT_GAP
        name_height = QFontMetricsF(style.font).height()
        name_rect = QRectF(-NODE_WIDTH / 2, name_top, NODE_WIDTH, name_height)
        centred = Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        if self.node.kind == NOW:
            painter.setFont(style.bold_font)
            painter.setPen(theme.accent)
        elif self.node.kind == BASE:
            painter.setFont(style.bold_font)
            painter.setPen(theme.text)
        else:
            painter.setFont(style.font)
            painter.setPen(theme.text)
        painter.drawText(name_rect, centred, self.elided)
        second = style.busy_caption if busy else self.time_text
        if second:
            painter.setFont(style.small_font)
            painter.setPen(theme.accent if busy else theme.dim_text)
            small = QFontMetricsF(style.small_font)
            painter.drawText(
                QRectF(-NODE_WIDTH / 2, name_top + name_height + 1, NODE_WIDTH, small.height()),
                centred, small.elidedText(second, Qt.TextElideMode.ElideRight, NODE_WIDTH - 4))


    def _paint_dot(self, painter: QPainter, detail: float) -> None:
        glyphs = self.graph_style.theme.glyphs
        colour = {BASE: glyphs.vm, NOW: glyphs.accent, DISK_AND_MEMORY: glyphs.memory,
                  SCHEDULED: glyphs.clock}.get(self.node.kind, glyphs.disk)
        radius = max(ICON_SIZE * 0.3, 3.5 / detail)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(QPointF(0, 0), radius, radius)


class EdgeItem(QGraphicsPathItem):
    """A connector from a parent to a child: straight along a lane, else down the
    column boundary to the child's lane with rounded bends."""

    def __init__(self, child_key: str) -> None:
        super().__init__()
        self.child_key = child_key
        self.main = False
        self._signature: tuple[float, float, float, float, bool] | None = None
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)

    def route(self, parent: NodeItem, child: NodeItem, *, main: bool, theme: Theme) -> None:
        start, end = parent.pos(), child.pos()
        # Clear of the icon and of the badge that sticks out of its lower right corner.
        start_x = start.x() + parent.icon_rect().right() + EDGE_CLEARANCE
        end_x = end.x() + child.icon_rect().left() - EDGE_CLEARANCE
        signature = (start_x, start.y(), end_x, end.y(), main)
        if signature == self._signature:
            return  # live updates mostly re-send an unchanged tree
        self._signature = signature
        self.main = main
        path = QPainterPath(QPointF(start_x, start.y()))
        if abs(end.y() - start.y()) < 0.5:
            path.lineTo(end_x, end.y())
        else:
            trunk = start.x() + COLUMN_WIDTH / 2
            down = 1.0 if end.y() > start.y() else -1.0
            path.lineTo(trunk - CORNER, start.y())
            path.quadTo(QPointF(trunk, start.y()), QPointF(trunk, start.y() + down * CORNER))
            path.lineTo(trunk, end.y() - down * CORNER)
            path.quadTo(QPointF(trunk, end.y()), QPointF(trunk + CORNER, end.y()))
            path.lineTo(end_x, end.y())
        self.setPath(path)
        self.apply_theme(theme)

    def apply_theme(self, theme: Theme) -> None:
        pen = QPen(theme.accent if self.main else theme.edge, self._width())
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        self.setPen(pen)
        self.setZValue(Z_MAIN_EDGE if self.main else Z_EDGE)

    def _width(self) -> float:
        return MAIN_EDGE_WIDTH if self.main else EDGE_WIDTH

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem,
              widget: QWidget | None = None) -> None:
        # Zoomed far out, scaled pens vanish: keep at least a pixel or two on screen.
        detail = option.levelOfDetailFromTransform(painter.worldTransform())
        least = (2.0 if self.main else 1.0) / max(detail, 1e-6)
        if least > self._width():
            pen = self.pen()
            pen.setWidthF(least)
            painter.setPen(pen)
        else:
            painter.setPen(self.pen())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.drawPath(self.path())
