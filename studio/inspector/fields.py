"""One form field: an editor chosen from the schema's kind, committing one value at a time.

A field commits when editing is finished (Enter, focus leaving, a choice picked), never per keystroke.
`commit(value)` returns None when the edit landed, or the message to show under the field (the typed
text stays, so nothing is lost). A value the native editor cannot show (a template string in a boolean
field, a mapping in a text field) is shown as text or YAML instead, and never rewritten by the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFocusEvent, QFontDatabase, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from studio.document import DELETE
from studio.document.emit import flow_text
from studio.document.forms import (
    FieldError,
    FieldSpec,
    Kind,
    representable,
    text_of,
    value_from_snippet,
    value_from_text,
)
from studio.document.forms import value_from_scalar_text as scalar_value

__all__ = ["Commit", "FieldEditor", "SnippetEdit", "field_tooltip"]

Commit = Callable[[Any], str | None]  # the value (or DELETE) → None when it landed, else why not
ERROR_COLOUR = "#d1242f"
MISSING: Any = object()


def field_tooltip(spec: FieldSpec) -> str:
    lines = [f"<b>{spec.title}</b> <code>{spec.key}</code>"]
    if spec.description:
        lines.append(spec.description)
    if spec.placeholder:
        lines.append(f"<i>Example:</i> <code>{spec.placeholder}</code>")
    if not spec.templates:
        lines.append("<i>Read before rendering: template strings are not allowed here.</i>")
    return "<br>".join(lines)


def _short(placeholder: str, limit: int = 26) -> str:
    """Placeholders of multi-line editors: only those that fit on their one empty line."""
    return placeholder if len(placeholder) <= limit and "\n" not in placeholder else ""


class SnippetEdit(QPlainTextEdit):
    """A small monospace editor (YAML or long text) that grows with its content and commits when focus
    leaves it or on Ctrl+Enter; Escape puts the last shown text back."""

    finished = Signal()

    def __init__(self, parent: QWidget | None = None, *, max_lines: int = 12) -> None:
        super().__init__(parent)
        self.max_lines = max_lines
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.document().documentLayout().documentSizeChanged.connect(lambda _size: self.fit_height())
        self.shown_text = ""
        self.fit_height()

    def show_text(self, text: str) -> None:
        self.shown_text = text
        if self.toPlainText() != text:
            self.setPlainText(text)

    def fit_height(self) -> None:
        # The document layout of a QPlainTextEdit counts visual (wrapped) lines.
        lines = min(max(int(self.document().size().height()), 1), self.max_lines)
        height = lines * self.fontMetrics().lineSpacing() + 2 * int(self.document().documentMargin()) + 2
        height += 2 * self.frameWidth()
        if height != self.maximumHeight():
            self.setFixedHeight(height)
            self.updateGeometry()
            stack = self.parentWidget()
            if isinstance(stack, QStackedWidget):  # it takes its height from the page on show
                stack.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit_height()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self.maximumHeight())

    def minimumSizeHint(self) -> QSize:
        return QSize(60, self.maximumHeight())


    def keyPressEvent(self, event: QKeyEvent) -> None:
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if enter and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.finished.emit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.setPlainText(self.shown_text)
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.finished.emit()


class _PageStack(QStackedWidget):
    """A stacked widget as tall as the page on show (QStackedWidget takes the tallest page)."""

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        return page.minimumSizeHint() if page is not None else super().minimumSizeHint()


class FieldEditor(QWidget):
    """The editor of one key; see the module docstring. Pages: native editor, scalar text, YAML."""

    def __init__(self, spec: FieldSpec, commit: Commit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec, self.commit = spec, commit
        self.value: Any = MISSING
        self.source: str | None = None
        self.frame = QFrame()
        self.frame.setObjectName("fieldFrame")
        self.stack = _PageStack()
        self.stack.currentChanged.connect(lambda _index: self.stack.updateGeometry())
        self.native = self._native_editor()
        self.scalar = self._line_edit(self._finish_scalar)
        self.snippet = SnippetEdit()
        self.snippet.setPlaceholderText(_short(spec.placeholder))
        self.snippet.finished.connect(self._finish_snippet)
        for page in (self.native, self.scalar, self.snippet):
            self.stack.addWidget(page)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.hide()
        self._assemble()
        self.set_problems([])

    # -- public ------------------------------------------------------------------------------------

    def show_value(self, value: Any, source: str | None = None) -> None:
        """Show `value` (MISSING when the key is absent) unless the user is in the middle of editing it;
        `source` is how the file writes a mapping or list (comments kept), for the YAML page."""
        if self.is_editing():
            return
        self.value, self.source = value, source
        shown = None if value is MISSING else value
        if self.spec.kind is not Kind.YAML and representable(shown, self.spec.kind):
            self._show_native(shown)
            self.stack.setCurrentWidget(self.native)
        elif isinstance(shown, dict | list) or self.spec.kind is Kind.YAML or "\n" in str(shown):
            self.snippet.show_text(self._yaml_text(shown))
            self.stack.setCurrentWidget(self.snippet)
        else:
            self._show_line(self.scalar, text_of(shown))
            self.stack.setCurrentWidget(self.scalar)
        self.stack.updateGeometry()
        self.set_error(None)

    def is_editing(self) -> bool:
        """Focus is in the field and its text differs from what was last shown."""
        page = self.editor_widget()
        focus = QApplication.focusWidget()
        if focus is None or not (focus is page or page.isAncestorOf(focus)):
            return False
        if isinstance(page, QPlainTextEdit):
            return page.toPlainText() != getattr(page, "shown_text", "")
        line = page.lineEdit() if isinstance(page, QComboBox) else page
        return isinstance(line, QLineEdit) and line.text() != line.property("shownText")

    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))

    def set_problems(self, messages: list[str]) -> None:
        """Diagnostics about this key: a red outline and the messages as tooltip (help text otherwise)."""
        colour = ERROR_COLOUR if messages else "transparent"
        self.frame.setStyleSheet(f"QFrame#fieldFrame {{ border: 1px solid {colour}; border-radius: 3px; }}")
        self.frame.setToolTip("<br>".join(messages) if messages else field_tooltip(self.spec))
        self.problems = messages

    def editor_widget(self) -> QWidget:
        """The widget showing the value now (tests type into it)."""
        page = self.stack.currentWidget()
        assert page is not None  # the three pages are added at construction
        return page

    # -- building ----------------------------------------------------------------------------------

    def _assemble(self) -> None:
        inner = QVBoxLayout(self.frame)
        inner.setContentsMargins(1, 1, 1, 1)
        inner.addWidget(self.stack)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.frame)
        layout.addWidget(self.error)

    def _native_editor(self) -> QWidget:
        kind = self.spec.kind
        if kind is Kind.BOOL:
            box = QCheckBox()
            box.clicked.connect(self._finish_bool)
            return box
        if kind is Kind.ENUM:
            return self._combo()
        if kind is Kind.MULTILINE:
            edit = SnippetEdit(max_lines=10)
            edit.setFont(self.font())
            edit.fit_height()
            edit.setPlaceholderText(_short(self.spec.placeholder))
            edit.finished.connect(self._finish_multiline)
            return edit
        if kind is Kind.YAML:
            return QWidget()  # never shown: YAML values use the snippet page
        return self._line_edit(self._finish_text)

    def _line_edit(self, finished: Callable[[], None]) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(self.spec.placeholder)
        edit.setClearButtonEnabled(not self.spec.required)
        edit.editingFinished.connect(finished)
        edit.installEventFilter(self)
        return edit

    def _combo(self) -> QComboBox:
        combo = QComboBox()
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(6)
        combo.setEditable(self.spec.templates)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        if not self.spec.required:
            combo.addItem("", DELETE)
        for choice in self.spec.choices:
            combo.addItem(text_of(choice), choice)
        line = combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.spec.placeholder or "(not set)")
            line.editingFinished.connect(self._finish_combo_text)
            line.installEventFilter(self)
        combo.activated.connect(self._finish_combo_choice)
        return combo

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Escape in a line edit puts the last shown text back (and leaves nothing to commit).
        if isinstance(watched, QLineEdit) and event.type() == QEvent.Type.KeyPress:
            if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape:
                watched.setText(str(watched.property("shownText") or ""))
                return True
        return super().eventFilter(watched, event)

    # -- showing -----------------------------------------------------------------------------------

    def _show_native(self, value: Any) -> None:
        native = self.native
        if isinstance(native, QCheckBox):
            native.setChecked(bool(value) if value is not None else bool(self.spec.default))
        elif isinstance(native, QComboBox):
            self._show_combo(native, value)
        elif isinstance(native, SnippetEdit):
            native.show_text(text_of(value))
        elif isinstance(native, QLineEdit):
            self._show_line(native, text_of(value))

    def _show_line(self, edit: QLineEdit, text: str) -> None:
        edit.setProperty("shownText", text)
        if edit.text() != text:
            edit.setText(text)
            edit.setCursorPosition(0)

    def _show_combo(self, combo: QComboBox, value: Any) -> None:
        index = combo.findData(DELETE if value is None else value)
        if index < 0 and value is not None:  # a value outside the choices (a template, a typo) is kept
            combo.addItem(text_of(value), value)
            index = combo.count() - 1
        combo.setCurrentIndex(index)
        line = combo.lineEdit()
        if line is not None:
            self._show_line(line, text_of(value))

    def _yaml_text(self, value: Any) -> str:
        if value is None:
            return ""
        return self.source if self.source is not None else flow_text(value)

    # -- committing --------------------------------------------------------------------------------

    def _deliver(self, make_value: Callable[[], Any]) -> None:
        try:
            value = make_value()
        except FieldError as exc:
            self.set_error(str(exc))
            return
        if value is DELETE and self.value is MISSING:
            self.set_error(None)
            return
        # Marked clean first: the refresh that a landed edit triggers must show the new value here.
        page, previous = self._mark_clean()
        message = self.commit(value)
        if message is not None:
            self._set_shown(page, previous)  # refused: the typed text stays, still to be committed
        self.set_error(message)

    def _mark_clean(self) -> tuple[QWidget, str]:
        page = self.editor_widget()
        if isinstance(page, SnippetEdit):
            previous = page.shown_text
            self._set_shown(page, page.toPlainText())
            return page, previous
        line = page.lineEdit() if isinstance(page, QComboBox) else page
        if isinstance(line, QLineEdit):
            previous = str(line.property("shownText") or "")
            self._set_shown(line, line.text())
            return line, previous
        return page, ""

    @staticmethod
    def _set_shown(page: QWidget, text: str) -> None:
        if isinstance(page, SnippetEdit):
            page.shown_text = text
        elif isinstance(page, QLineEdit):
            page.setProperty("shownText", text)

    def _finish_text(self) -> None:
        edit = self.native
        assert isinstance(edit, QLineEdit)
        if edit.text() != edit.property("shownText"):
            self._deliver(lambda: value_from_text(edit.text(), self.spec))

    def _finish_scalar(self) -> None:
        if self.scalar.text() != self.scalar.property("shownText"):
            self._deliver(lambda: scalar_value(self.scalar.text(), self.spec))

    def _finish_multiline(self) -> None:
        edit = self.native
        assert isinstance(edit, SnippetEdit)
        if edit.toPlainText() != edit.shown_text:
            self._deliver(lambda: value_from_text(edit.toPlainText(), self.spec))

    def _finish_snippet(self) -> None:
        if self.snippet.toPlainText() != self.snippet.shown_text:
            self._deliver(lambda: value_from_snippet(self.snippet.toPlainText(), self.spec))

    def _finish_bool(self, checked: bool) -> None:
        clears = not checked and not self.spec.required and self.spec.default in (False, None)
        self._deliver(lambda: DELETE if clears else checked)

    def _finish_combo_choice(self, index: int) -> None:
        combo = self.native
        assert isinstance(combo, QComboBox)
        value = combo.itemData(index)
        if value != self.value and not (value is DELETE and self.value in (MISSING, None)):
            self._deliver(lambda: value)

    def _finish_combo_text(self) -> None:
        combo = self.native
        assert isinstance(combo, QComboBox)
        line = combo.lineEdit()
        if line is not None and line.text() != line.property("shownText"):
            self._deliver(lambda: value_from_text(line.text(), self.spec))
