"""Go-template syntax of every value µTask renders (spec §13.5): the parse error and the position it points to."""

from __future__ import annotations

import pytest
from validation_support import absent, check, expect, no_errors, swap, with_code


def _step(body: str) -> str:
    """One step `go` whose body starts on line 6."""
    return f"name: my-template\ndescription: a test template\ntitle_format: a test task\nsteps:\n  go:\n{body}"


CONFIGURATION = _step("""\
    action:
      type: echo
      configuration:
        output:
          list: [ok, "{{ if }}"]
""")


def test_syntax_error_in_a_configuration_leaf() -> None:
    result = check(CONFIGURATION)
    diagnostic = expect(result, "template-syntax", 10, 29, message="Go template error: template: tmpl:1: missing "
                        "value for if")
    assert diagnostic.utask_message is None  # µTask only fails when the step runs
    assert diagnostic.path == ("steps", "go", "action", "configuration", "output", "list", 1)
    assert result.utask_errors == []
    no_errors(check(swap(CONFIGURATION, "{{ if }}", "{{ if .input }}x{{ end }}")))


def test_unclosed_action_points_at_the_end_of_the_value() -> None:
    text = _step("    action: {type: echo, configuration: {output: '{{ .step.go.output '}}\n")
    expect(check(text), "template-syntax", 6, 70, message="Go template error: template: tmpl:1: unclosed action")
    no_errors(check(swap(text, "'{{ .step.go.output '", "'{{ .step.go.output }}'")))


def test_unknown_function() -> None:
    text = _step("    action: {type: echo, configuration: {output: '{{ .step.go.output | shout }}'}}\n")
    expect(check(text), "template-syntax", 6, 72, message='Go template error: template: tmpl:1: function "shout" '
                                                          "not defined")
    no_errors(check(swap(text, "shout", "upper")))


@pytest.mark.parametrize("expression", [
    '{{ evalCache "v" }}', '{{ eval "v" }}', '{{ field "step" "go" "output" }}', '{{ .step.go | fieldFrom "a" "b" }}',
    "{{ uuid }}", '{{ b64RawEnc "x" }}', '{{ fromJson "{}" }}', '{{ mustFromJson "1" }}', '{{ default "a" .x }}',
    "{{ now | date \"2006\" }}", '{{ list 1 2 | toJson }}', "{{/* comment */}}", "{{- .a -}}",
])
def test_utask_and_sprig_functions_are_known(expression: str) -> None:
    text = _step(f"    action: {{type: echo, configuration: {{output: '{expression}'}}}}\n")
    absent(check(text), "template-syntax")


BLOCK = _step("""\
    action:
      type: echo
      configuration:
        output: |
          first line
          {{ end }}
""")


def test_syntax_error_on_the_second_line_of_a_block_scalar() -> None:
    expect(check(BLOCK), "template-syntax", 11, 18, message="Go template error: template: tmpl:2: unexpected {{end}}")
    no_errors(check(swap(BLOCK, "{{ end }}", "{{ .step.go.state }}")))


FOREACH = _step("""\
    foreach: '{{ .input.items | toJson '
    action: {type: echo, configuration: {output: x}}
""")


def test_syntax_error_in_foreach() -> None:
    expect(check(FOREACH), "template-syntax", 6, 40, message="Go template error: template: tmpl:1: unclosed action")
    # (the input handle is not declared either: that is a separate rule)
    fixed = check(swap(FOREACH, "toJson '", "toJson }}'"))
    absent(fixed, "template-syntax")
    assert [d.code for d in fixed.errors] == ["handle-unknown-input"]


CONDITIONS = _step("""\
    action: {type: echo, configuration: {output: x}}
    conditions:
      - type: check
        if:
          - value: "{{ .step.this.output }"
            operator: EQ
            expected: "{{ \\"unterminated }}"
        then: {this: DONE}
        message: "{{ if .step.this.output }}done"
""")


def test_syntax_errors_in_conditions() -> None:
    result = check(CONDITIONS)
    found = [(d.line, d.column, d.message, d.path[-1]) for d in with_code(result, "template-syntax")]
    assert found == [
        (10, 42, 'Go template error: template: tmpl:1: unexpected "}" in operand', "value"),
        (12, 27, "Go template error: template: tmpl:1: unterminated quoted string", "expected"),
        (14, 49, "Go template error: template: tmpl:1: unexpected EOF", "message"),
    ]
    fixed = CONDITIONS.replace("output }\"", "output }}\"").replace('\\"unterminated', '\\"terminated\\"').replace(
        '}}done"', '}}done{{ end }}"')
    no_errors(check(fixed))


ROOT = """\
name: my-template
description: "{{ if }} is not rendered"
title_format: "Task {{ .task.task_id "
tags:
  owner: "{{ .input.owner | nofunc }}"
variables:
  - name: v
    value: "{{ else }}"
  - name: w
    expression: "{{ end }}"
base_configurations:
  api:
    url: "{{ .config.url "
result_format:
  nested:
    text: "{{ if }}"
  list: ["{{ if }}"]
steps:
  go:
    action:
      type: echo
      configuration: {}
      output:
        strategy: template
        format: {a: "{{ else }}"}
      base_output: {b: "{{ end }}"}
"""


def test_every_rendered_root_value_is_checked_and_only_those() -> None:
    result = check(ROOT)
    found = [(d.line, d.column, d.path) for d in with_code(result, "template-syntax")]
    assert found == [
        (3, 38, ("title_format",)),
        (5, 29, ("tags", "owner")),
        (8, 21, ("variables", 0, "value")),
        (10, 25, ("variables", 1, "expression")),
        (13, 26, ("base_configurations", "api", "url")),
        (16, 18, ("result_format", "nested", "text")),
        (25, 30, ("steps", "go", "action", "output", "format", "a")),
        (26, 32, ("steps", "go", "action", "base_output", "b")),
    ]
    # description is never rendered; result_format lists are left untouched by µTask.


def test_values_without_actions_or_non_strings_are_not_parsed() -> None:
    text = _step("    action: {type: echo, configuration: {output: {num: 1, flag: true, s: 'a { b } c', "
                 "t: 'a }} b'}}}\n")
    absent(check(text), "template-syntax")


def test_one_error_per_value() -> None:
    text = _step("    action: {type: echo, configuration: {output: '{{ if }} {{ end }} {{ nofunc }}'}}\n")
    assert len(with_code(check(text), "template-syntax")) == 1
