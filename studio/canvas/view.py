"""The canvas view: antialiased, zooms (Ctrl+wheel, +/-), pans (middle button or Space+drag), fits the graph
when opened; rubber-band selection, palette drops, keyboard editing (Delete, Ctrl+C/V/D, F2), a context
menu, find (Ctrl+F), a minimap, the stale-graph banner, notices and the run legend."""

from __future__ import annotations

import json
from typing import cast

from PySide6.QtCore import QEvent, QMimeData, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QCursor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPalette,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QGraphicsView, QWidget

from studio.canvas.badges import Banner, Legend
from studio.canvas.find_bar import FindBar
from studio.canvas.menus import context_menu
from studio.canvas.minimap import Minimap
from studio.canvas.node import StepNode
from studio.canvas.overlays import REFUSED_ACCENT, STALE_TEXT, WARNING_ACCENT
from studio.canvas.rename_editor import RenameEditor
from studio.canvas.scene import TemplateScene
from studio.document.skeleton import ACTION_MIME, FUNCTION_MIME
from studio.session import DocumentSession
from studio.theme import canvas_colour, mix, muted_text

__all__ = ["POSITIONS_MIME", "CanvasView"]

MIN_ZOOM = 0.05
MAX_ZOOM = 3.0
ZOOM_STEP = 1.15
KEY_ZOOM_STEP = 1.25
GRID = 24.0
# Fitting never magnifies: a 3-step template is shown at 100 %, not blown up.
MAX_FIT_ZOOM = 1.0
FIT_MARGIN = 20.0  # around the graph when fitting (the scene itself keeps a wider margin for panning)
NOTICE_MS = 5000
# Copied cards keep their arrangement when pasted on a canvas (JSON: name → offset from the group's corner).
POSITIONS_MIME = "application/x-utask-step-positions"
EMPTY_TEXT = "No steps yet: drag an action from the palette here"
_EDIT_KEYS = (QKeySequence.StandardKey.Copy, QKeySequence.StandardKey.Paste, QKeySequence.StandardKey.Find,
              QKeySequence.StandardKey.SelectAll, QKeySequence.StandardKey.Delete)


class CanvasView(QGraphicsView):
    zoom_changed = Signal(float)

    def __init__(self, scene: TemplateScene | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(scene if scene is not None else TemplateScene(self))
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                            | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.SmartViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAcceptDrops(True)
        # Panning is by dragging and the wheel; scroll bars would only frame the graph with clutter.
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.placeholder = "Open a µTask template (Ctrl+O)"
        # Until the user zooms, resizing the window keeps the whole graph in view.
        self._auto_fit = True
        self._pan_from: QPointF | None = None
        self._space = False
        self.minimap = Minimap(self)
        self.find_bar = FindBar(self)
        self.rename_editor = RenameEditor(self)
        self.stale_banner = Banner(self, WARNING_ACCENT)
        self.notice_banner = Banner(self, REFUSED_ACCENT, top=48, timeout_ms=NOTICE_MS)
        self.legend = Legend(self)
        self._wire(self.template_scene())

    def _wire(self, scene: TemplateScene) -> None:
        scene.stale_changed.connect(self._show_stale)
        scene.notice.connect(self.show_notice)
        scene.focus_requested.connect(self.centre_on)
        scene.run_states_changed.connect(self._show_legend)
        scene.graph_changed.connect(self.minimap.schedule_update)
        scene.selectionChanged.connect(self.minimap.schedule_update)
        for bar in (self.horizontalScrollBar(), self.verticalScrollBar()):
            bar.valueChanged.connect(self.minimap.schedule_update)

    # -- public API ----------------------------------------------------------------------------------

    def template_scene(self) -> TemplateScene:
        return cast(TemplateScene, self.scene())

    def set_session(self, session: DocumentSession | None) -> None:
        """Show `session`'s document (the scene follows it) and fit it in view."""
        self.template_scene().set_session(session)
        self.fit_all()

    def steps(self) -> list[StepNode]:
        return list(self.template_scene().nodes.values())

    def zoom(self) -> float:
        return self.transform().m11()

    def fit_all(self) -> None:
        """Show the whole graph, centred, at most at 100 %; resizes keep it fitted until the user zooms."""
        self._auto_fit = True
        self._fit()

    def set_zoom(self, factor: float) -> None:
        self._auto_fit = False
        factor = min(max(factor, MIN_ZOOM), MAX_ZOOM)
        self.setTransform(self.transform().fromScale(factor, factor))
        self.zoom_changed.emit(factor)
        self.minimap.schedule_update()

    def zoom_by(self, ratio: float) -> None:
        self.set_zoom(self.zoom() * ratio)

    def centre_on(self, point: QPointF) -> None:
        self._auto_fit = False
        self.centerOn(point)

    def show_notice(self, text: str) -> None:
        """A message over the canvas for a few seconds (refused gestures); the rename editor shows its own."""
        if text and not self.rename_editor.isVisible():
            self.notice_banner.show_text(text, QRectF(self.viewport().geometry()))

    def rename(self, node: StepNode | None = None) -> None:
        """Open the in-place editor on `node` (default: the single selected step)."""
        scene = self.template_scene()
        selected = scene.selected_steps()
        node = node or (scene.node(selected[0]) if len(selected) == 1 else None)
        if node is not None:
            self.rename_editor.start(node)

    def copy_selection(self) -> str:
        """Put the selected steps on the clipboard as YAML (and their arrangement for a canvas paste)."""
        editing = self.template_scene().editing
        names = self.template_scene().selected_steps()
        text = editing.steps_text(names)
        if text:
            mime = QMimeData()
            mime.setText(text)
            mime.setData(POSITIONS_MIME, json.dumps(editing.offsets(names)).encode())
            QGuiApplication.clipboard().setMimeData(mime)
        return text

    def paste_at(self, scene_pos: QPointF | None = None) -> list[str]:
        """Paste the clipboard's steps with their top-left at `scene_pos` (default: the pointer or centre)."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasText():
            self.show_notice("The clipboard holds no steps to paste")
            return []
        offsets = _offsets(bytes(mime.data(POSITIONS_MIME).data())) if mime.hasFormat(POSITIONS_MIME) else None
        corner = scene_pos if scene_pos is not None else self._paste_point()
        return self.template_scene().editing.paste(mime.text(), corner, offsets)

    # -- keys ----------------------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Claim the editing shortcuts while the canvas has focus (the window's menus would take them).
        if event.type() == QEvent.Type.ShortcutOverride and self._is_edit_key(cast(QKeyEvent, event)):
            event.accept()
            return True
        return super().event(event)

    def _is_edit_key(self, event: QKeyEvent) -> bool:
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        return any(event.matches(key) for key in _EDIT_KEYS) or event.key() in (
            Qt.Key.Key_Delete, Qt.Key.Key_Backspace, Qt.Key.Key_F2) or (event.key() == Qt.Key.Key_D and control)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._handle_key(event):
            super().keyPressEvent(event)

    def _handle_key(self, event: QKeyEvent) -> bool:
        scene, key = self.template_scene(), event.key()
        control = bool(event.modifiers() & Qt.KeyboardModifier.ControlModifier)
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            scene.editing.delete_selection()
        elif event.matches(QKeySequence.StandardKey.Copy):
            self.copy_selection()
        elif event.matches(QKeySequence.StandardKey.Paste):
            self.paste_at()
        elif key == Qt.Key.Key_D and control:
            scene.editing.duplicate(scene.selected_steps())
        elif event.matches(QKeySequence.StandardKey.SelectAll):
            scene.select_steps(scene.nodes)
        elif event.matches(QKeySequence.StandardKey.Find):
            self.find_bar.open_bar()
        elif key == Qt.Key.Key_F2:
            self.rename()
        elif key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_by(KEY_ZOOM_STEP)
        elif key == Qt.Key.Key_Minus:
            self.zoom_by(1 / KEY_ZOOM_STEP)
        elif key == Qt.Key.Key_0 and control:
            self.fit_all()
        elif key == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif key == Qt.Key.Key_Escape:
            if not scene.cancel_gesture():
                scene.clearSelection()
        else:
            return False
        return True

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
        super().keyReleaseEvent(event)

    # -- mouse: panning, rename on double-click, context menu -----------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        middle = event.button() == Qt.MouseButton.MiddleButton
        if middle or (self._space and event.button() == Qt.MouseButton.LeftButton):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self._auto_fit = False
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - round(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - round(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            self._pan_from = None
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor) if self._space else self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        node = self.template_scene().node_at(self.mapToScene(event.position().toPoint()))
        if node is not None and event.button() == Qt.MouseButton.LeftButton:
            self.rename(node)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = context_menu(self, self.mapToScene(event.pos()))
        menu.exec(event.globalPos())
        menu.deleteLater()

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom_by(ZOOM_STEP ** (event.angleDelta().y() / 120))
            event.accept()
        else:
            super().wheelEvent(event)

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        super().scrollContentsBy(dx, dy)
        if self.rename_editor.isVisible():
            self.rename_editor.place()

    # -- drops from the palette ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        self._accept_palette(event)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._accept_palette(event)

    def dropEvent(self, event: QDropEvent) -> None:
        kind = _palette_kind(event.mimeData())
        if kind is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.template_scene().editing.add_step(kind, self.mapToScene(event.position().toPoint()))
        self.setFocus()

    def _accept_palette(self, event: QDragMoveEvent) -> None:
        if _palette_kind(event.mimeData()) is not None and self.template_scene().session is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    # -- painting and geometry -----------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = QRectF(self.viewport().geometry())
        self.minimap.place()
        self.find_bar.place()
        self.legend.move(int(area.left()) + 10, int(area.top()) + 10)
        for banner in (self.stale_banner, self.notice_banner):
            banner.place(area)
        if self._auto_fit:
            self._fit()

    def drawBackground(self, painter: QPainter, exposed: QRectF | QRect) -> None:
        """A quiet dot grid on a background a shade off the cards' colour, in the palette's light or dark."""
        rect = QRectF(exposed)
        palette = self.palette()
        background = canvas_colour(palette)
        painter.fillRect(rect, background)
        if self.zoom() < 0.4:
            return
        painter.setPen(mix(background, palette.color(QPalette.ColorRole.Text), 0.16))
        left, top = int(rect.left() // GRID) * GRID, int(rect.top() // GRID) * GRID
        points = [QPointF(left + i * GRID, top + j * GRID)
                  for i in range(int(rect.width() // GRID) + 2) for j in range(int(rect.height() // GRID) + 2)]
        painter.drawPoints(points)

    def drawForeground(self, painter: QPainter, exposed: QRectF | QRect) -> None:
        scene = self.template_scene()
        if scene is not None and not scene.nodes:
            painter.resetTransform()
            painter.setPen(muted_text(self.palette()))
            text = self.placeholder if scene.session is None else EMPTY_TEXT
            painter.drawText(self.viewport().rect(), Qt.AlignmentFlag.AlignCenter, text)

    def _show_stale(self, stale: bool) -> None:
        if stale:
            self.stale_banner.show_text(STALE_TEXT, QRectF(self.viewport().geometry()))
        else:
            self.stale_banner.hide()

    def _show_legend(self, shown: bool) -> None:
        self.legend.setVisible(shown)
        if shown:
            self.legend.raise_()

    def _paste_point(self) -> QPointF:
        pointer = self.viewport().mapFromGlobal(QCursor.pos())
        if self.viewport().rect().contains(pointer):
            return self.mapToScene(pointer)
        return self.mapToScene(self.viewport().rect().center())

    def _fit(self) -> None:
        scene = self.template_scene()
        if not scene.nodes:
            return
        content = scene.itemsBoundingRect().adjusted(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN)
        self.fitInView(content, Qt.AspectRatioMode.KeepAspectRatio)
        if self.zoom() > MAX_FIT_ZOOM:
            self.setTransform(self.transform().fromScale(MAX_FIT_ZOOM, MAX_FIT_ZOOM))
        self.centerOn(content.center())
        self.zoom_changed.emit(self.zoom())
        self.minimap.schedule_update()


def _palette_kind(mime: QMimeData | None) -> str | None:
    """The action type or function name a palette drag carries, or None for any other drag."""
    for format_ in (ACTION_MIME, FUNCTION_MIME):
        if mime is not None and mime.hasFormat(format_):
            kind = bytes(mime.data(format_).data()).decode("utf-8", "replace").strip()
            return kind or None
    return None


def _offsets(raw: bytes) -> dict[str, tuple[float, float]] | None:
    try:
        data = json.loads(raw)
        return {str(name): (float(x), float(y)) for name, (x, y) in data.items()}
    except (ValueError, TypeError, AttributeError):
        return None  # arrangement from another program: ignore it, the steps still paste

