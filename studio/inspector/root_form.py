"""The template form (nothing or several steps selected): identity, inputs, variables, access flags."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from engine.diagnostics import JsonPath
from studio.document.forms import input_fields, root_fields, variable_fields
from studio.document.layout import Snapshot
from studio.inspector.form import Form, Push

__all__ = ["RootForm"]

GENERAL = ("name", "description", "title_format", "result_format", "long_description", "doc_link")
ACCESS = ("auto_runnable", "allow_all_resolver_usernames", "allowed_resolver_usernames", "allowed_resolver_groups",
          "blocked", "hidden", "allow_task_start_over", "retry_max", "tags")
INPUT_COLUMNS = ("name", "type", "description", "optional", "default", "regex", "legal_values", "collection")
VARIABLE_COLUMNS = ("name", "value", "expression")


class RootForm(Form):
    def __init__(self, push: Push, parent: QWidget | None = None) -> None:
        super().__init__((), push, parent)
        specs = root_fields()
        general = self.add_section("General")
        for key in GENERAL:
            self.add_field(general, (key,), specs[key])
        inputs, variables = input_fields(), variable_fields()
        self.add_table(self.add_section("Inputs"), ("inputs",), [inputs[k] for k in INPUT_COLUMNS], "input")
        self.resolver = self.add_section("Resolver inputs")
        self.add_table(self.resolver, ("resolver_inputs",), [inputs[k] for k in INPUT_COLUMNS], "input")
        self.resolver.set_expanded(False)  # rarely used: opened when the template has some
        self.add_table(self.add_section("Variables"), ("variables",), [variables[k] for k in VARIABLE_COLUMNS],
                       "variable")
        access = self.add_section("Access and flags")
        for key in ACCESS:
            self.add_field(access, (key,), specs[key])
        advanced = self.add_section("Advanced")
        self.add_field(advanced, ("base_configurations",), specs["base_configurations"])
        advanced.set_expanded(False)
        self.finish()

    def refresh(self, snapshot: Snapshot) -> None:
        first = self.snapshot is None
        super().refresh(snapshot)
        if first and self.tables[("resolver_inputs",)].records:
            self.resolver.set_expanded(True)

    def _relative(self, path: JsonPath) -> JsonPath | None:
        # Problems inside steps belong to the step form.
        return None if path[:1] == ("steps",) else super()._relative(path)
