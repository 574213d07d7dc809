"""The Flow section's lists: a step's dependencies (with their state qualifiers) and its conditions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from engine.model.graph import parse_dependency
from studio.document import DELETE, Connect, Disconnect, Edit, SetField
from studio.document.forms import FieldSpec, Kind
from studio.inspector.fields import ERROR_COLOUR, MISSING, FieldEditor
from studio.theme import muted_text

__all__ = ["ConditionList", "DependencyList", "condition_skeleton"]

Push = Callable[[Edit], str | None]


def condition_skeleton(kind: str) -> dict[str, Any]:
    """A new condition to fill in: one assertion, and the state the step gets when it holds."""
    target = "PRUNE" if kind == "skip" else "CLIENT_ERROR"
    return {"type": kind, "if": [{"value": "{{.step.this.output.status}}" if kind == "check" else "",
                                  "operator": "EQ", "expected": ""}], "then": {"this": target}}


class DependencyList(QWidget):
    """Dependencies as rows `step · STATES`; add one from the other steps (Connect refuses cycles)."""

    def __init__(self, push: Push, select: Callable[[str], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push, self.select = push, select
        self.step = ""
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setToolTip("Double-click a dependency to select that step.")
        self.tree.itemDoubleClicked.connect(lambda item, _column: self.select(item.text(0)))
        self.target = QComboBox()
        self.target.setEditable(True)
        self.target.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.target.setMinimumContentsLength(5)
        line = self.target.lineEdit()
        if line is not None:
            line.setPlaceholderText("step")
        self.states = QLineEdit()
        self.states.setPlaceholderText("DONE")
        self.states.setMinimumWidth(40)
        self.states.setToolTip("Accepted states, comma-separated (DONE when empty; ANY: whatever the outcome).")
        self.add_button = QPushButton("Add")
        self.add_button.clicked.connect(self.add_dependency)
        self.remove_button = QToolButton()
        self.remove_button.setText("−")
        self.remove_button.setToolTip("Remove the selected dependency")
        self.remove_button.setAutoRaise(True)
        self.remove_button.clicked.connect(self.remove_selected)
        self.none = QLabel("None: this step can start right away.")
        self.none.setEnabled(False)
        self.error = _error_label()
        self._assemble()

    def _assemble(self) -> None:
        adder = QHBoxLayout()
        adder.setContentsMargins(0, 0, 0, 0)
        adder.addWidget(self.target, 3)
        adder.addWidget(self.states, 2)
        adder.addWidget(self.add_button)
        adder.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.tree)
        layout.addWidget(self.none)
        layout.addLayout(adder)
        layout.addWidget(self.error)

    def show_dependencies(self, step: str, dependencies: Sequence[str], steps: Sequence[str]) -> None:
        self.step = step
        muted = muted_text(self.palette())
        self.tree.clear()
        for dependency in dependencies:
            parsed = parse_dependency(dependency)
            states = dependency[len(parsed.step) + 1:] if ":" in dependency else "DONE"
            item = QTreeWidgetItem([parsed.step, states])
            item.setForeground(1, muted)
            item.setToolTip(0, dependency)
            self.tree.addTopLevelItem(item)
        self.tree.resizeColumnToContents(0)
        self.tree.setVisible(bool(dependencies))
        self.none.setVisible(not dependencies)
        if dependencies:
            self.tree.setFixedHeight(len(dependencies) * self.tree.sizeHintForRow(0) + 2 * self.tree.frameWidth() + 2)
        self._fill_targets(step, dependencies, steps)
        self.remove_button.setEnabled(bool(dependencies))

    def _fill_targets(self, step: str, dependencies: Sequence[str], steps: Sequence[str]) -> None:
        taken = {parse_dependency(d).step for d in dependencies} | {step}
        current = self.target.currentText()
        self.target.clear()
        self.target.addItems([name for name in steps if name not in taken])
        self.target.setCurrentText(current if current not in taken else "")

    def add_dependency(self) -> None:
        target = self.target.currentText().strip()
        if not target:
            self._show_error("Choose the step to wait for.")
            return
        states = ",".join(part.strip() for part in self.states.text().split(",") if part.strip())
        message = self.push(Connect(self.step, target, states or None))
        self._show_error(message)
        if message is None:
            self.states.clear()

    def remove_selected(self) -> None:
        item = self.tree.currentItem()
        if item is None:
            self._show_error("Select the dependency to remove first.")
            return
        self._show_error(self.push(Disconnect(self.step, item.text(0))))

    def _show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


class ConditionList(QWidget):
    """Each condition as a YAML snippet (committed as one SetField), with a summary and a remove button."""

    def __init__(self, push: Push, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.push = push
        self.base: tuple[str | int, ...] = ()
        self.editors: list[FieldEditor] = []
        self.summaries: list[QLabel] = []
        self.rows = QVBoxLayout()
        self.rows.setContentsMargins(0, 0, 0, 0)
        self.rows.setSpacing(6)
        self.empty = QLabel("No conditions.")
        self.empty.setEnabled(False)
        self.error = _error_label()
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for kind in ("skip", "check"):
            button = QPushButton(f"Add {kind}")
            button.setToolTip(f"Append a {kind} condition to fill in")
            button.clicked.connect(lambda _checked=False, kind=kind: self.add_condition(kind))
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.empty)
        layout.addLayout(self.rows)
        layout.addLayout(buttons)
        layout.addWidget(self.error)

    @property
    def path(self) -> tuple[str | int, ...]:
        return (*self.base, "conditions")

    def show_conditions(self, base: tuple[str | int, ...], conditions: Any, sources: Sequence[str | None]) -> None:
        self.base = base
        items = conditions if isinstance(conditions, list) else []
        while len(self.editors) < len(items):
            self._add_row(len(self.editors))
        while len(self.editors) > len(items):
            self._drop_row()
        for index, condition in enumerate(items):
            self.summaries[index].setText(_summary(condition))
            self.editors[index].show_value(condition, sources[index] if index < len(sources) else None)
        self.empty.setVisible(not items)

    def _add_row(self, index: int) -> None:
        spec = FieldSpec(key=f"conditions[{index}]", title=f"Condition {index + 1}", kind=Kind.YAML,
                         description="One condition as YAML: type, if (assertions), then (states), message, final.")
        editor = FieldEditor(spec, self._committer(index))
        editor.value = MISSING
        summary = QLabel()
        summary.setTextFormat(Qt.TextFormat.RichText)
        summary.setWordWrap(True)
        remove = QToolButton()
        remove.setText("−")
        remove.setAutoRaise(True)
        remove.setToolTip("Remove this condition")
        remove.clicked.connect(lambda _checked=False, index=index: self._remove(index))
        head = QHBoxLayout()
        head.addWidget(summary, 1)
        head.addWidget(remove)
        row = QVBoxLayout()
        row.setSpacing(2)
        row.addLayout(head)
        row.addWidget(editor)
        self.rows.addLayout(row)
        self.editors.append(editor)
        self.summaries.append(summary)

    def _drop_row(self) -> None:
        item = self.rows.takeAt(self.rows.count() - 1)
        if item is not None:
            _delete_layout(item.layout())
        self.editors.pop()
        self.summaries.pop()

    def _committer(self, index: int) -> Callable[[Any], str | None]:
        return lambda value: self.push(SetField((*self.path, index), value))

    def _remove(self, index: int) -> None:
        path = (*self.path, index) if len(self.editors) > 1 else self.path
        self._show_error(self.push(SetField(path, DELETE)))

    def add_condition(self, kind: str) -> None:
        condition = condition_skeleton(kind)
        edit = SetField((*self.path, len(self.editors)), condition) if self.editors else SetField(self.path,
                                                                                                  [condition])
        self._show_error(self.push(edit))

    def _show_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))


def _summary(condition: Any) -> str:
    if not isinstance(condition, dict):
        return "<i>not a condition</i>"
    kind = str(condition.get("type", "?"))
    assertions = condition.get("if")
    assertions = assertions if isinstance(assertions, list) else []
    then = condition.get("then")
    then = then if isinstance(then, dict) else {}
    effects = ", ".join(f"{step} → {state}" for step, state in then.items())
    count = f"{len(assertions)} assertion{'s' if len(assertions) != 1 else ''}"
    return f"<b>{kind}</b> · {count}{' · ' + effects if effects else ''}"


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.hide()
    return label


def _delete_layout(layout: Any) -> None:
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()
        elif item.layout() is not None:
            _delete_layout(item.layout())
    layout.deleteLater()
