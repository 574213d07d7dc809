"""The inspector: a dock panel showing the form of the selected step, or of the template when zero or
several steps are selected. It follows the model (reparsed, renames, diagnostics) without rebuilding the
form of the step it shows, and every commit is one edit pushed on the session."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPixmap
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from engine.diagnostics import Diagnostic
from studio.document import Edit, StructureChanged
from studio.inspector.badge import action_pixmap
from studio.inspector.form import Form
from studio.inspector.root_form import RootForm
from studio.inspector.section import SPACING
from studio.inspector.step_form import StepForm
from studio.session import DocumentSession
from studio.theme import tinted

__all__ = ["Inspector"]

MIN_WIDTH, PREFERRED_WIDTH = 320, 380
ICON_SIZE = 30
BANNER_STYLE = "QLabel {{ background: {bg}; color: {fg}; border-radius: 4px; padding: 6px 8px; }}"


class Inspector(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self.root_form: RootForm | None = None
        self.step_form: StepForm | None = None
        self._refusal: str | None = None
        self._connections: list[tuple[Any, Any]] = []
        self.setMinimumWidth(MIN_WIDTH)
        self.title = QLabel()
        font = QFont(self.title.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.subtitle = QLabel()
        self.subtitle.setEnabled(False)
        self.icon = QLabel()
        self.icon.setFixedSize(ICON_SIZE, ICON_SIZE)
        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.pages = QStackedWidget()
        self.root_scroll, self.step_scroll = self._scroll(), self._scroll()
        self.empty = QLabel("Open a template to edit it here.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setEnabled(False)
        for page in (self.empty, self.root_scroll, self.step_scroll):
            self.pages.addWidget(page)
        self._assemble()

    def sizeHint(self) -> QSize:
        return QSize(PREFERRED_WIDTH, 600)

    def _scroll(self) -> QScrollArea:
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return scroll

    def _assemble(self) -> None:
        head = QVBoxLayout()
        head.setContentsMargins(SPACING * 2, SPACING * 2, SPACING * 2, SPACING)
        head.setSpacing(2)
        titles = QVBoxLayout()
        titles.setSpacing(0)
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        top = QHBoxLayout()
        top.setSpacing(SPACING + 2)
        top.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addLayout(titles, 1)
        head.addLayout(top)
        head.addWidget(self.banner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(head)
        layout.addWidget(self.pages, 1)
        self._show_header("Inspector", "")

    # -- session -----------------------------------------------------------------------------------

    def set_session(self, session: DocumentSession | None) -> None:
        for signal, slot in self._connections:
            signal.disconnect(slot)
        self._connections = []
        self.session = session
        self._drop_forms()
        if session is None:
            self.pages.setCurrentWidget(self.empty)
            self._show_header("Inspector", "")
            self.banner.hide()
            return
        for signal, slot in ((session.selection_changed, self._on_selection),
                             (session.reparsed, self._on_reparsed),
                             (session.structure_changed, self._on_structure),
                             (session.diagnostics_changed, self._on_diagnostics),
                             (session.edit_refused, self._on_refused)):
            signal.connect(slot)
            self._connections.append((signal, slot))
        self._show_selection(session.selection)

    def _drop_forms(self) -> None:
        for scroll in (self.root_scroll, self.step_scroll):
            old = scroll.takeWidget()
            if old is not None:
                old.deleteLater()
        self.root_form = self.step_form = None

    @property
    def form(self) -> Form | None:
        """The form on show (the step's or the template's)."""
        if self.pages.currentWidget() is self.step_scroll:
            return self.step_form
        return self.root_form if self.pages.currentWidget() is self.root_scroll else None

    # -- following the session ---------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.session is not None:
            self._rebuild_forms()  # a theme switch: the forms' colours were chosen when they were built

    def _rebuild_forms(self) -> None:
        assert self.session is not None
        for scroll in (self.step_scroll, self.root_scroll):
            old = scroll.takeWidget()
            if old is not None:
                old.deleteLater()
        self.step_form = self.root_form = None
        self._show_selection(self.session.selection)

    def _on_selection(self, names: list[str], origin: object) -> None:
        if origin is not self:
            self._show_selection(names)

    def _show_selection(self, names: Sequence[str]) -> None:
        assert self.session is not None
        structure = self.session.document.structure
        if len(names) == 1 and names[0] in structure:
            self._show_step(names[0])
        else:
            self._show_root()

    def _show_step(self, name: str) -> None:
        assert self.session is not None
        if self.step_form is None or self.step_form.name != name:
            old = self.step_scroll.takeWidget()
            if old is not None:
                old.deleteLater()
            self.step_form = StepForm(name, self._push, self.session.document.functions, self._select_step)
            self.step_scroll.setWidget(self.step_form)
        self.pages.setCurrentWidget(self.step_scroll)
        self._refresh()

    def _show_root(self) -> None:
        if self.root_form is None:
            self.root_form = RootForm(self._push)
            self.root_scroll.setWidget(self.root_form)
        self.pages.setCurrentWidget(self.root_scroll)
        self._refresh()

    def _on_structure(self, change: StructureChanged) -> None:
        form = self.step_form
        if form is None or not change.parsed:
            return
        renamed = dict(change.renamed)
        if form.name in renamed:
            form.rename(renamed[form.name])
            if self.session is not None and renamed and any(n in renamed for n in self.session.selection):
                self.session.select([renamed.get(n, n) for n in self.session.selection], origin=self)
        elif form.name in change.removed and self.form is form:
            self._show_root()

    def _on_reparsed(self, ok: bool) -> None:
        if self.form is not None:
            self._refresh()

    def _on_diagnostics(self, diagnostics: Sequence[Diagnostic]) -> None:
        self._show_problems(diagnostics)

    def _on_refused(self, message: str) -> None:
        self._refusal = message

    # -- showing -----------------------------------------------------------------------------------

    def _refresh(self) -> None:
        form, session = self.form, self.session
        if form is None or session is None:
            return
        snapshot = session.document.snapshot
        form.setEnabled(snapshot is not None)
        if snapshot is not None:
            form.refresh(snapshot)
        self._update_header(snapshot is not None)
        self._show_problems(session.diagnostics)

    def _update_header(self, parsed: bool) -> None:
        assert self.session is not None
        if self.form is self.step_form and self.step_form is not None:
            action = self.step_form.value(("action", "type"))
            kind = action if isinstance(action, str) else "no action"
            self._show_header(self.step_form.name, f"Step · {kind}", kind)
        else:
            data = self.session.document.snapshot.data if parsed and self.session.document.snapshot else None
            name = data.get("name") if isinstance(data, dict) else None
            steps = len(self.session.document.structure)
            self._show_header(str(name or "Template"), f"Template · {steps} step{'s' * (steps != 1)}"
                              " · select one step to edit it")

    def _show_header(self, title: str, subtitle: str, action: str | None = None) -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.icon.setPixmap(action_pixmap(action, ICON_SIZE) if action is not None else QPixmap())
        self.icon.setVisible(action is not None)

    def _show_problems(self, diagnostics: Sequence[Diagnostic]) -> None:
        form, session = self.form, self.session
        if form is None or session is None:
            return
        if session.document.snapshot is None:
            self._show_banner("The YAML cannot be read right now: fix it in the text to edit it here.", "#d1242f")
            return
        unplaced = form.show_problems(diagnostics)
        if unplaced:
            lines = [f"• {d.full_message()}" for d in unplaced[:4]]
            more = len(unplaced) - len(lines)
            self._show_banner("\n".join(lines + ([f"… and {more} more"] if more > 0 else [])), "#d1242f")
        else:
            self.banner.hide()

    def _show_banner(self, text: str, accent: str) -> None:
        background, foreground = tinted(QColor(accent), self.palette())
        self.banner.setStyleSheet(BANNER_STYLE.format(bg=background.name(), fg=foreground.name()))
        self.banner.setText(text)
        self.banner.show()

    # -- editing -----------------------------------------------------------------------------------

    def _push(self, edit: Edit) -> str | None:
        """Push one edit; None when it landed, else the refusal to show where the user is."""
        if self.session is None:
            return "No template is open."
        self._refusal = None
        if self.session.push(edit):
            return None
        return self._refusal or "This change was refused."

    def _select_step(self, name: str) -> None:
        if self.session is not None and name in self.session.document.structure:
            self.session.select([name], origin=None)
