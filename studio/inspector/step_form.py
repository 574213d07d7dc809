"""The form of one step: name, action (type + configuration from the action's schema), flow, retry, advanced.

The action rows follow the action type: when it changes (here or in the text) only those rows are
rebuilt; the rest of the form keeps its widgets and is refreshed in place.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtWidgets import QLabel, QWidget

from engine.load.functions import FunctionRegistry
from schemas import action_types
from studio.document import CompoundEdit, RenameStep, SetField
from studio.document.forms import (
    FieldSpec,
    Kind,
    action_fields,
    action_info,
    executor_fields,
    snippet_text,
    step_fields,
)
from studio.document.layout import Snapshot
from studio.document.skeleton import config_skeleton
from studio.inspector.badge import Badge
from studio.inspector.fields import MISSING, FieldEditor
from studio.inspector.flow import ConditionList, DependencyList
from studio.inspector.form import Form, Push

__all__ = ["StepForm"]

CONFIG = ("action", "configuration")
NAME_SPEC = FieldSpec(key="name", title="Name", kind=Kind.TEXT, required=True,
                      description="The step's key. Renaming updates every dependency, condition target and "
                                  "{{.step.NAME}} reference to it.")


class StepForm(Form):
    def __init__(self, name: str, push: Push, functions: FunctionRegistry, select: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(("steps", name), push, parent)
        self.name, self.functions = name, functions
        self._config_key: tuple[str, tuple[tuple[str, Kind], ...]] | None = None  # what the configuration rows show
        self._config_rows = 0  # rows of the Action section before the configuration fields
        steps, executor = step_fields(), executor_fields()
        general = self.add_section("General")
        self.name_field = FieldEditor(NAME_SPEC, self._rename)
        general.add_row(NAME_SPEC, self.name_field)
        self.add_field(general, ("description",), steps["description"])
        self._build_action(executor)
        self._build_flow(steps, select)
        retry = self.add_section("Retry")
        for key in ("retry_pattern", "max_retries", "execution_delay", "idempotent"):
            self.add_field(retry, (key,), steps[key])
        advanced = self.add_section("Advanced")
        for key in ("custom_states", "resources", "json_schema", "pre_hook"):
            self.add_field(advanced, (key,), steps[key])
        self.add_field(advanced, ("action", "output"), executor["output"])
        advanced.set_expanded(False)
        self.finish()

    def _build_action(self, executor: dict[str, FieldSpec]) -> None:
        action = self.add_section("Action")
        self.badge = Badge()
        action.trailing.addWidget(self.badge)
        names = [*action_types(), *self.functions.names()]
        type_spec = replace(executor["type"], kind=Kind.ENUM, choices=tuple(names), required=True)
        self.type_field = self.make_field(("action", "type"), type_spec)
        self.type_field.commit = self._change_type
        action.add_row(type_spec, self.type_field)
        self.add_field(action, ("action", "base_configuration"), executor["base_configuration"])
        self.action_help = QLabel()
        self.action_help.setWordWrap(True)
        self.action_help.setEnabled(False)  # the palette's muted text colour
        action.add_wide(self.action_help)
        self.action_section = action
        self._config_rows = action.form.rowCount()

    def _build_flow(self, steps: dict[str, FieldSpec], select: Callable[[str], None]) -> None:
        flow = self.add_section("Flow")
        self.dependencies = DependencyList(self.push, select)
        flow.add_block(steps["dependencies"], self.dependencies)
        self.conditions = ConditionList(self.push)
        flow.add_block(steps["conditions"], self.conditions)
        self.add_field(flow, ("foreach",), steps["foreach"])
        self.add_field(flow, ("foreach_strategy",), steps["foreach_strategy"])

    # -- refreshing --------------------------------------------------------------------------------

    def rename(self, name: str) -> None:
        """The step was renamed (here, in the text, or by undo): same widgets, new paths."""
        self.name, self.base = name, ("steps", name)

    def refresh(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        action_type = self.value(("action", "type"))
        self._ensure_config_rows(action_type if isinstance(action_type, str) else "", self.value(CONFIG))
        super().refresh(snapshot)
        self.name_field.show_value(self.name)
        structure = _structure(snapshot)
        self.dependencies.show_dependencies(self.name, structure.get(self.name, ()), list(structure))
        conditions = self.value(("conditions",))
        count = len(conditions) if isinstance(conditions, list) else 0
        sources = [snippet_text(snapshot, (*self.base, "conditions", i)) for i in range(count)]
        self.conditions.show_conditions(self.base, None if conditions is MISSING else conditions, sources)
        self._show_action_info(action_type, self.value(CONFIG))

    def _ensure_config_rows(self, action_type: str, configuration: Any) -> None:
        """Rebuild the configuration rows when the action type (or the set of keys to show) changed."""
        specs = self._config_specs(action_type, configuration)
        wanted = (action_type, tuple((key, spec.kind) for key, spec in specs.items()))
        if wanted == self._config_key:
            return
        self._config_key = wanted
        for relative in [r for r in self.fields if r[:2] == CONFIG]:
            del self.fields[relative]
        self.action_section.clear_rows(self._config_rows)
        if not isinstance(configuration, dict) and configuration is not MISSING and configuration is not None:
            spec = FieldSpec(key="configuration", title="Configuration", kind=Kind.YAML,
                             description=executor_fields()["configuration"].description)
            self.add_field(self.action_section, CONFIG, spec)
            return
        for spec in specs.values():
            self.add_field(self.action_section, (*CONFIG, spec.key), spec)
        self.align_labels()

    def _config_specs(self, action_type: str, configuration: Any) -> dict[str, FieldSpec]:
        loaded = self.functions.get(action_type)
        specs = action_fields(action_type, loaded.arguments if loaded is not None else ())
        for key in configuration if isinstance(configuration, dict) else ():
            if key not in specs:  # keys the schema does not know: still editable, as text or YAML
                value = configuration[key]
                kind = Kind.TEXT if isinstance(value, str) and "\n" not in value else Kind.YAML
                specs[key] = FieldSpec(key=str(key), title=str(key), kind=kind,
                                       description=f"{key} is not a documented key of {action_type or 'this action'}.")
        return specs

    def _show_action_info(self, action_type: Any, configuration: Any) -> None:
        kind = action_type if isinstance(action_type, str) else ""
        info = action_info(kind)
        if info.side_effects is None:
            self.badge.show_kind("function" if kind in self.functions else "unknown")
        elif not info.side_effects:
            self.badge.show_kind("safe")
        else:
            self.badge.show_kind("read-only" if info.is_read_only(configuration) else "side-effects")
        if info.description:
            self.badge.setToolTip(f"{self.badge.toolTip()}\n\n{info.description}")
        self.action_help.setText(info.title if info.side_effects is not None else
                                 f"Function {kind}" if kind in self.functions else "")
        self.action_help.setVisible(bool(self.action_help.text()))
        self.action_help.setToolTip(info.description)

    # -- special commits ---------------------------------------------------------------------------

    def _rename(self, value: Any) -> str | None:
        new = str(value).strip() if isinstance(value, str) else ""
        if new == self.name:
            return None
        if not new:
            return "A step needs a name."
        return self.push(RenameStep(self.name, new))

    def _change_type(self, value: Any) -> str | None:
        """A new action type replaces the configuration by that type's skeleton (one undo step)."""
        kind = str(value).strip() if isinstance(value, str) else ""
        if not kind:
            return "Choose an action type."
        if kind == self.value(("action", "type")):
            return None
        edits = [SetField((*self.base, "action", "type"), kind),
                 SetField((*self.base, *CONFIG), self._skeleton(kind))]
        return self.push(CompoundEdit(edits, f"Change the action of {self.name} to {kind}"))

    def _skeleton(self, kind: str) -> dict[str, Any]:
        if kind in action_types():
            return config_skeleton(kind)
        loaded = self.functions.get(kind)
        return {argument: "" for argument in (loaded.arguments if loaded is not None else ())}


def _structure(snapshot: Snapshot) -> dict[str, Sequence[str]]:
    steps = snapshot.data.get("steps") if isinstance(snapshot.data, dict) else None
    out: dict[str, Sequence[str]] = {}
    for name, step in (steps.items() if isinstance(steps, dict) else ()):
        deps = step.get("dependencies") if isinstance(step, dict) else None
        deps = [deps] if isinstance(deps, str) else deps
        out[str(name)] = tuple(d for d in deps if isinstance(d, str)) if isinstance(deps, list) else ()
    return out

