"""The palette: every builtin action type and every function of the functions directory, searchable.

Drag an entry onto the canvas (MIME types of studio.document.skeleton) or double-click it to add a step.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.load.functions import FunctionRegistry
from schemas import action_types, load_schema
from studio.document import AddStep
from studio.document.skeleton import ACTION_MIME, FUNCTION_MIME, new_step
from studio.icons import action_icon
from studio.palette_delegate import SUMMARY_ROLE, PaletteDelegate
from studio.session import DocumentSession

__all__ = ["KIND_ROLE", "MIME_ROLE", "Palette", "PaletteTree"]

KIND_ROLE = Qt.ItemDataRole.UserRole  # the action type or function name
MIME_ROLE = Qt.ItemDataRole.UserRole + 1  # ACTION_MIME or FUNCTION_MIME


class PaletteTree(QTreeWidget):
    """Two groups (actions, functions) whose leaves drag as palette payloads."""

    enter_pressed = Signal(object)  # the current item

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentItem() is not None:
            self.enter_pressed.emit(self.currentItem())
            return
        super().keyPressEvent(event)

    def mimeTypes(self) -> list[str]:
        return [ACTION_MIME, FUNCTION_MIME]

    def mimeData(self, items: Sequence[QTreeWidgetItem]) -> QMimeData:
        data = QMimeData()
        for item in items:
            mime = item.data(0, MIME_ROLE)
            if mime:
                data.setData(mime, str(item.data(0, KIND_ROLE)).encode("utf-8"))
                data.setText(str(item.data(0, KIND_ROLE)))
        return data


class Palette(QWidget):
    """Search field over the action and function lists; see the module docstring."""

    step_added = Signal(str)  # name of a step added by double-click

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session: DocumentSession | None = None
        self.functions = FunctionRegistry()
        self.search = QLineEdit(placeholderText="Search")
        self.search.setClearButtonEnabled(True)
        self.search.setToolTip("Filter the actions and functions by name or description")
        self.search.textChanged.connect(self.filter)
        self.tree = PaletteTree()
        self._configure_tree()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.actions_group = self._group("Actions")
        self.functions_group = self._group("Functions")
        for kind in action_types():
            self._add_action(kind)
        self.set_functions(FunctionRegistry())

    def set_session(self, session: DocumentSession | None) -> None:
        self.session = session
        self.set_functions(session.document.functions if session is not None else self.functions)

    def set_functions(self, functions: FunctionRegistry) -> None:
        """Show the functions of `functions` (a directory's registry) under "Functions"."""
        self.functions = functions
        self.functions_group.takeChildren()
        for name in functions.names():
            self._add_function(name, functions)
        self.functions_group.setHidden(False)
        self._show_functions_hint()
        self.filter(self.search.text())

    def kinds(self, visible_only: bool = True) -> list[str]:
        """The entries, in order (action types, then function names)."""
        return [leaf.data(0, KIND_ROLE) for leaf in self._leaves()
                if leaf.data(0, KIND_ROLE) and not (visible_only and leaf.isHidden())]

    def item(self, kind: str) -> QTreeWidgetItem | None:
        return next((leaf for leaf in self._leaves() if leaf.data(0, KIND_ROLE) == kind), None)

    def filter(self, text: str) -> None:
        """Keep the entries whose name, title or description contains every word of `text`."""
        words = text.lower().split()
        for group in (self.actions_group, self.functions_group):
            shown = 0
            for leaf in _children(group):
                if not leaf.data(0, KIND_ROLE):  # the "no functions" hint only shows without a search
                    leaf.setHidden(bool(words))
                    continue
                haystack = f"{leaf.text(0)} {leaf.toolTip(0)}".lower()
                leaf.setHidden(not all(word in haystack for word in words))
                shown += not leaf.isHidden()
            group.setHidden(bool(words) and not shown)

    def add_step(self, kind: str) -> str | None:
        """Add a step of `kind` to the session's template and select it; its name, or None if refused."""
        if self.session is None:
            return None
        document = self.session.document
        name, step = new_step(kind, document.structure, functions=document.functions)
        if not self.session.push(AddStep(name, step)):
            return None
        self.session.select([name], origin=self)
        self.step_added.emit(name)
        return name

    def _configure_tree(self) -> None:
        tree = self.tree
        tree.setHeaderHidden(True)
        tree.setRootIsDecorated(False)
        tree.setIndentation(0)
        tree.setIconSize(QSize(20, 20))
        tree.setItemDelegate(PaletteDelegate(tree))  # (not a style sheet: those stop following the palette)
        tree.setDragEnabled(True)
        tree.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # Double-click or Enter: not itemActivated, which some styles emit on a single click.
        tree.itemDoubleClicked.connect(self._activate)
        tree.enter_pressed.connect(self._activate)

    def _group(self, title: str) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self.tree, [title.upper()])
        group.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = group.font(0)
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 0.85)
        group.setFont(0, font)
        group.setExpanded(True)
        return group

    def _add_action(self, kind: str) -> None:
        schema = load_schema(f"actions/{kind}")
        title, description = str(schema.get("title", kind)), str(schema.get("description", ""))
        leaf = self._leaf(self.actions_group, kind, ACTION_MIME, f"<b>{title}</b><br>{description}")
        leaf.setData(0, SUMMARY_ROLE, title.split(":", 1)[1].strip() if ":" in title else description)

    def _add_function(self, name: str, functions: FunctionRegistry) -> None:
        loaded = functions.get(name)
        description = loaded.definition.description if loaded is not None else ""
        arguments = ", ".join(loaded.arguments) if loaded is not None and loaded.arguments else "none"
        tip = f"<b>{name}</b> (function)<br>{description or ''}<br>Arguments: {arguments}"
        leaf = self._leaf(self.functions_group, name, FUNCTION_MIME, tip)
        leaf.setData(0, SUMMARY_ROLE, (description or "").split("\n")[0] or f"function · arguments: {arguments}")

    def _leaf(self, group: QTreeWidgetItem, kind: str, mime: str, tip: str) -> QTreeWidgetItem:
        leaf = QTreeWidgetItem(group, [kind])
        leaf.setIcon(0, action_icon(kind if mime == ACTION_MIME else "function"))
        leaf.setToolTip(0, tip)
        leaf.setData(0, KIND_ROLE, kind)
        leaf.setData(0, MIME_ROLE, mime)
        leaf.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
        return leaf

    def _show_functions_hint(self) -> None:
        if self.functions_group.childCount():
            return
        hint = QTreeWidgetItem(self.functions_group, ["No functions loaded"])
        hint.setToolTip(0, "File ▸ Choose Functions Directory… (or --functions-dir, or functions/ beside the file)")
        hint.setFlags(Qt.ItemFlag.NoItemFlags)

    def _leaves(self) -> list[QTreeWidgetItem]:
        return [*_children(self.actions_group), *_children(self.functions_group)]

    def _activate(self, item: QTreeWidgetItem, column: int = 0) -> None:
        kind = item.data(0, KIND_ROLE)
        if kind:
            self.add_step(str(kind))


def _children(group: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (group.child(index) for index in range(group.childCount()))
    return [child for child in children if child is not None]
