"""Canvas gestures as document edits: add from the palette, connect, move, rename, delete, copy/paste,
duplicate, disconnect. Every change goes through `session.push`; a refused edit changes nothing and its
message is re-emitted by the scene's `notice` so the canvas can show it where the user is looking.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF

from engine.model.graph import parse_dependency
from studio.canvas.clipboard import parse_steps, plan_paste, steps_yaml
from studio.canvas.layout import NODE_GAP, RANK_GAP
from studio.canvas.node import WIDTH, card_height
from studio.canvas.placement import auto_layout, dependency_links
from studio.document import AddStep, CompoundEdit, Connect, Disconnect, Edit, MoveSteps, RemoveStep, RenameStep
from studio.document.skeleton import new_step

if TYPE_CHECKING:
    from studio.canvas.scene import TemplateScene

__all__ = ["CanvasEditing"]

PASTE_COLUMNS = 4  # steps pasted from plain text, without their canvas arrangement, go in a small grid
DUPLICATE_OFFSET = 36.0

Offsets = Mapping[str, tuple[float, float]]


class CanvasEditing:
    def __init__(self, scene: TemplateScene) -> None:
        # Weak: the scene owns this object, and a cycle could be cleared by the collector while Qt still
        # calls the scene.
        self._scene = weakref.ref(scene)
        self.last_refusal = ""  # the message of the last refused edit

    @property
    def scene(self) -> TemplateScene:
        scene = self._scene()
        assert scene is not None, "the scene of these edits is gone"
        return scene

    def remember_refusal(self, message: str) -> None:
        self.last_refusal = message

    def push(self, edit: Edit) -> bool:
        session = self.scene.session
        if session is None:
            return False
        self.last_refusal = ""
        if session.push(edit):
            return True
        self.last_refusal = self.last_refusal or f"{edit.description}: refused"
        self.scene.notice.emit(self.last_refusal)
        return False

    # -- single gestures -----------------------------------------------------------------------------

    def move_steps(self, positions: Mapping[str, tuple[float, float]]) -> bool:
        return self.push(MoveSteps(positions))

    def connect_steps(self, dependent: str, dependency: str, state: str | None = None) -> bool:
        """`dependent` waits for `dependency` (in `state`; None for a plain DONE dependency)."""
        return self.push(Connect(dependent, dependency, state))

    def rename_step(self, old: str, new: str) -> bool:
        return new == old or self.push(RenameStep(old, new))

    def add_step(self, kind: str, centre: QPointF) -> str | None:
        """A new step of action type (or function) `kind` whose card is centred on `centre`."""
        session = self.scene.session
        if session is None:
            return None
        document = session.document
        name, step = new_step(kind, document.structure, functions=document.functions)
        corner = (centre.x() - WIDTH / 2, centre.y() - card_height() / 2)
        if not self.push(CompoundEdit([AddStep(name, step), MoveSteps({name: corner})], f"Add step {name}")):
            return None
        self.scene.select_step(name)
        return name

    def arrange(self) -> bool:
        """Auto-layout every card again (one undo step; the places are then kept in the sidecar)."""
        nodes = self.scene.nodes
        session = self.scene.session
        if session is None or not nodes:
            return False
        _, corners = auto_layout({name: node.size() for name, node in nodes.items()},
                                 dependency_links(session.document.structure))
        return self.move_steps(corners)

    def disconnect_dependencies(self, name: str) -> bool:
        """Remove every dependency of `name` (one undo step)."""
        session = self.scene.session
        if session is None:
            return False
        targets = list(dict.fromkeys(parse_dependency(d).step for d in session.document.structure.get(name, ())))
        if not targets:
            self.scene.notice.emit(f"{name} has no dependencies")
            return False
        edits: list[Edit] = [Disconnect(name, target) for target in targets]
        return self.push(_one(edits, f"Disconnect {name} from its dependencies"))

    def delete_selection(self) -> bool:
        """Selected steps (with every reference to them) and selected arrows, as one undo step."""
        names = self.scene.selected_steps()
        arrows = [edge.key for edge in self.scene.selected_edges()
                  if edge.source.name not in names and edge.target.name not in names]
        edits: list[Edit] = [RemoveStep(name) for name in names]
        edits += [Disconnect(dependent, dependency) for dependency, dependent in arrows]
        if not edits:
            return False
        what = f"{len(names)} steps" if len(names) > 1 else f"step {names[0]}" if names else "dependencies"
        return self.push(_one(edits, f"Delete {what}"))

    # -- clipboard -----------------------------------------------------------------------------------

    def steps_text(self, names: Iterable[str]) -> str:
        """The steps `names` as YAML (a `steps:` section); empty when there is nothing to copy."""
        session = self.scene.session
        snapshot = session.document.snapshot if session is not None else None
        data = snapshot.data.get("steps") if snapshot is not None and isinstance(snapshot.data, dict) else None
        if not isinstance(data, dict):
            return ""
        chosen = {name: data[name] for name in names if name in data}
        return steps_yaml(chosen, session.document.style) if chosen and session is not None else ""

    def offsets(self, names: Iterable[str]) -> dict[str, tuple[float, float]]:
        """Where the cards of `names` are, relative to the top-left of their group (kept by a paste)."""
        nodes = [node for name in names if (node := self.scene.node(name)) is not None]
        if not nodes:
            return {}
        left = min(node.pos().x() for node in nodes)
        top = min(node.pos().y() for node in nodes)
        return {node.name: (node.pos().x() - left, node.pos().y() - top) for node in nodes}

    def paste(self, text: str, corner: QPointF | None = None, offsets: Offsets | None = None) -> list[str]:
        """Add the steps in `text` with unique names, their group's top-left at `corner` (None: free spots)."""
        session = self.scene.session
        steps = parse_steps(text)
        if session is None:
            return []
        if not steps:
            self.scene.notice.emit("The clipboard holds no steps to paste")
            return []
        plan = plan_paste(steps, session.document.structure)
        edits: list[Edit] = [AddStep(new, step) for _, new, step in plan]
        if corner is not None:
            edits.append(MoveSteps(_arranged(plan, corner, offsets or {})))
        names = [new for _, new, _ in plan]
        if not self.push(CompoundEdit(edits, f"Paste {len(names)} step{'s' if len(names) > 1 else ''}")):
            return []
        self.scene.select_steps(names)
        return names

    def duplicate(self, names: Iterable[str]) -> list[str]:
        chosen = list(names)
        offsets = self.offsets(chosen)
        if not offsets:
            return []
        nodes = [self.scene.node(name) for name in offsets]
        left = min(node.pos().x() for node in nodes if node is not None)
        top = min(node.pos().y() for node in nodes if node is not None)
        corner = QPointF(left + DUPLICATE_OFFSET, top + DUPLICATE_OFFSET)
        return self.paste(self.steps_text(chosen), corner, offsets)


def _one(edits: list[Edit], description: str) -> Edit:
    return edits[0] if len(edits) == 1 else CompoundEdit(edits, description)


def _arranged(plan: list[Any], corner: QPointF, offsets: Offsets) -> dict[str, tuple[float, float]]:
    """Pasted cards keep their copied arrangement; others fill a small grid."""
    out = {}
    for index, (old, new, _) in enumerate(plan):
        dx, dy = offsets.get(old) or ((index % PASTE_COLUMNS) * (WIDTH + NODE_GAP),
                                      (index // PASTE_COLUMNS) * (card_height() + RANK_GAP))
        out[new] = (corner.x() + dx, corner.y() + dy)
    return out
