"""How a palette entry is drawn: the action's badge, its name, and one muted line saying what it does."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from studio.theme import mix

__all__ = ["SUMMARY_ROLE", "PaletteDelegate"]

SUMMARY_ROLE = Qt.ItemDataRole.UserRole + 2  # the one-line summary under an entry's name
ICON = 24
PADDING = 6
GROUP_PADDING = 8
Index = QModelIndex | QPersistentModelIndex


class PaletteDelegate(QStyledItemDelegate):
    """Two-line entries (name, summary); group headers and hints keep the style's drawing, a little taller."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        size = super().sizeHint(option, index)
        if not index.data(SUMMARY_ROLE):
            return QSize(size.width(), size.height() + GROUP_PADDING)
        metrics = QFontMetrics(option.font)
        return QSize(size.width(), max(ICON, metrics.height() * 2) + 2 * PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        summary = index.data(SUMMARY_ROLE)
        if not summary:
            super().paint(painter, option, index)
            return
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        style = item.widget.style() if item.widget is not None else None
        if style is not None:  # background, hover and selection as the style draws them
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, item, painter, item.widget)
        rect = option.rect
        icon_rect = QRect(rect.left() + PADDING, rect.center().y() - ICON // 2 + 1, ICON, ICON)
        item.icon.paint(painter, icon_rect)
        text_left = icon_rect.right() + PADDING + 2
        text_rect = QRect(text_left, rect.top() + PADDING, rect.right() - text_left - PADDING,
                          rect.height() - 2 * PADDING)
        self._paint_text(painter, item, text_rect, str(index.data(Qt.ItemDataRole.DisplayRole)), str(summary))

    def _paint_text(self, painter: QPainter, item: QStyleOptionViewItem, rect: QRect, name: str,
                    summary: str) -> None:
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        palette = item.palette
        text = palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        background = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
        name_font = QFont(item.font)
        name_font.setWeight(QFont.Weight.DemiBold)
        small = QFont(item.font)
        small.setPointSizeF(item.font.pointSizeF() * 0.88)
        half = rect.height() // 2
        painter.save()
        painter.setFont(name_font)
        painter.setPen(text)
        painter.drawText(rect.adjusted(0, 0, 0, -half), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                         QFontMetrics(name_font).elidedText(name, Qt.TextElideMode.ElideRight, rect.width()))
        painter.setFont(small)
        painter.setPen(mix(text, background, 0.4))
        painter.drawText(rect.adjusted(0, half + 1, 0, 0), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         QFontMetrics(small).elidedText(summary, Qt.TextElideMode.ElideRight, rect.width()))
        painter.restore()
