"""The canvas's menus: the right-click menu of a card, an arrow or the background, and the qualifier menu
shown when connecting to a step that can end in several states.

Menus are built by functions that return them unopened, so tests can read and trigger their actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from studio.canvas.edge import DependencyEdge
from studio.canvas.node import StepNode

if TYPE_CHECKING:
    from studio.canvas.view import CanvasView

__all__ = ["context_menu", "qualifier_menu", "qualifier_states"]


def qualifier_states(node: StepNode) -> list[tuple[str, str]]:
    """(state, label) a dependency on `node` may wait for: µTask accepts DONE, the step's custom states and
    ANY (any final state); other built-in states are refused in dependencies."""
    states = [("DONE", "DONE  (default)")]
    states += [(state, state) for state in node.custom_states if state not in ("DONE", "ANY")]
    states.append(("ANY", "ANY  (whatever state it ends in)"))
    return states


def qualifier_menu(node: StepNode, parent: QWidget | None = None) -> QMenu:
    menu = QMenu(parent)
    menu.addSection(f"Wait for {node.name} to be…")
    for state, label in qualifier_states(node):
        action = menu.addAction(label)
        action.setData(state)
    return menu


def choose_qualifier(node: StepNode, screen_pos: QPointF, parent: QWidget | None = None) -> str | None:
    chosen = qualifier_menu(node, parent).exec(screen_pos.toPoint())
    return str(chosen.data()) if chosen is not None else None


def context_menu(view: CanvasView, scene_pos: QPointF) -> QMenu:
    """What the user can do with what is under the pointer (the selection follows the click)."""
    scene = view.template_scene()
    menu = QMenu(view)
    item = next((i for i in scene.items(scene_pos) if isinstance(i, StepNode | DependencyEdge)), None)
    if isinstance(item, StepNode):
        if not item.isSelected():
            scene.select_step(item.name)
        _node_actions(menu, view, item)
    elif isinstance(item, DependencyEdge):
        scene.clearSelection()
        item.setSelected(True)
        dependency, dependent = item.key
        _add(menu, f"Remove dependency of {dependent} on {dependency}", scene.editing.delete_selection,
             QKeySequence.StandardKey.Delete)
    else:
        _add(menu, "Paste", lambda: view.paste_at(scene_pos), QKeySequence.StandardKey.Paste)
        menu.addSeparator()
        _add(menu, "Arrange automatically", scene.editing.arrange)
        _add(menu, "Fit graph", view.fit_all)
        _add(menu, "Find step…", view.find_bar.open_bar, QKeySequence.StandardKey.Find)
    return menu


def _node_actions(menu: QMenu, view: CanvasView, node: StepNode) -> None:
    scene = view.template_scene()
    names = scene.selected_steps()
    several = len(names) > 1
    rename = _add(menu, "Rename…", lambda: view.rename(node), QKeySequence("F2"))
    rename.setEnabled(not several)
    _add(menu, f"Duplicate {len(names)} steps" if several else "Duplicate", lambda: scene.editing.duplicate(names),
         QKeySequence("Ctrl+D"))
    _add(menu, "Copy", view.copy_selection, QKeySequence.StandardKey.Copy)
    menu.addSeparator()
    disconnect = _add(menu, "Disconnect dependencies", lambda: scene.editing.disconnect_dependencies(node.name))
    disconnect.setEnabled(not several and any(edge.target is node for edge in node.edges))
    menu.addSeparator()
    _add(menu, f"Delete {len(names)} steps" if several else "Delete", scene.editing.delete_selection,
         QKeySequence.StandardKey.Delete)


def _add(menu: QMenu, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | None = None
         ) -> QAction:
    action = menu.addAction(text)
    action.triggered.connect(slot)
    if shortcut is not None:
        # Shown as a hint only: the view handles the keys itself.
        action.setShortcut(QKeySequence(shortcut))
    return action
