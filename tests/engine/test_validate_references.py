"""DAG-aware reference warnings: reading steps that are not upstream, `.iterator` outside foreach, …"""

from __future__ import annotations

import textwrap

from engine.validate import validate_text
from engine.validate.references import root_references


def codes_at(text: str) -> list[tuple[str, int, int]]:
    result = validate_text(textwrap.dedent(text))
    return [(d.code, d.line, d.column) for d in result.diagnostics]


TEMPLATE = """\
    name: refs-demo
    description: reference checks
    title_format: refs demo
    inputs:
      - name: used
      - name: unused
    steps:
      first:
        action: {type: echo, configuration: {output: '{{.input.used}}'}}
      second:
        dependencies: [first]
        action: {type: echo, configuration: {output: '{{.step.first.output}} {{.step.third.output}}'}}
      third:
        dependencies: [second]
        action: {type: echo, configuration: {output: '{{.step.first.output}}'}}
      loose:
        action:
          type: echo
          configuration:
            output: '{{.iterator}}{{range .step.first.output.list}}{{.name}}{{end}}{{ field "step" "second" }}'
    """


def test_reference_warnings_with_positions() -> None:
    found = codes_at(TEMPLATE)
    assert ("input-unused", 6, 11) in found
    assert ("step-read-before-run", 12, 76) in found  # second reads third, which runs after it
    assert ("iterator-outside-foreach", 20, 20) in found
    assert ("step-read-before-run", 20, 39) in found  # loose reads first without depending on it
    assert ("step-read-before-run", 20, 83) in found  # field "step" "second"
    # third reads first through second: that is upstream, no warning on line 15.
    assert not [f for f in found if f[1] == 15]


def test_range_body_fields_are_not_root_references() -> None:
    refs = root_references("{{range .step.a.output.items}}{{.name}}{{end}}{{with .input.x}}{{.y}}{{end}}")
    assert [r.path for r in refs] == [("step", "a", "output", "items"), ("input", "x")]


def test_dollar_and_field_calls_are_root_references() -> None:
    refs = root_references('{{range .step.a.output}}{{$.input.z}}{{end}}{{field "step" "my-step" "output"}}')
    assert [r.path for r in refs] == [("step", "a", "output"), ("input", "z"), ("step", "my-step", "output")]


def test_broken_templates_give_no_references() -> None:
    assert root_references("{{ .a ") == []
