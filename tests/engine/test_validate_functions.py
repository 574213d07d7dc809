"""Function files checked on their own, and through templates that call them."""

from __future__ import annotations

import textwrap
from pathlib import Path

from engine.load.functions import FunctionRegistry, required_arguments
from engine.validate import validate_file, validate_function_file


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_broken_function_file_reports_each_problem_in_place(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.yaml", """\
        name: broken::fn
        action:
          type: echoo
          configuration: {}
        custom_states: [DONE]
        conditions:
          - type: chek
            if:
              - {value: a, operator: EQUALS, expected: b}
        """)
    found = {(d.code, d.line, d.column) for d in validate_function_file(path)}
    assert found == {("action-type-unknown", 3, 9), ("custom-state-reserved", 5, 17),
                     ("condition-type-invalid", 7, 11), ("condition-operator-invalid", 9, 30)}


def test_function_calling_another_function_of_its_directory(tmp_path: Path) -> None:
    inner = "name: inner\naction: {type: echo, configuration: {output: '{{.function_args.x}}'}}\n"
    write(tmp_path, "inner.yaml", inner)
    outer = write(tmp_path, "outer.yaml", "name: outer\naction: {type: inner, configuration: {x: 1}}\n")
    assert validate_function_file(outer) == []


def test_plugin_configuration_of_a_function_is_checked(tmp_path: Path) -> None:
    path = write(tmp_path, "f.yaml", "name: f\naction: {type: echo, configuration: {error_type: nope}}\n")
    (diagnostic,) = validate_function_file(path)
    assert diagnostic.code == "configuration-invalid" and diagnostic.line == 2


def test_required_arguments_only_from_the_simple_form() -> None:
    config = {"a": "{{ .function_args.name }}", "b": ["{{.function_args.deep.path}}"],
              "c": "{{ .function_args.ignored | upper }}"}
    assert required_arguments(config) == ("name", "deep.path")


def test_duplicate_function_names(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: same\naction: {type: echo, configuration: {}}\n")
    write(tmp_path, "b.yaml", "name: same\naction: {type: echo, configuration: {}}\n")
    write(tmp_path, ".hidden.yaml", "name: hidden\naction: {type: echo, configuration: {}}\n")
    registry = FunctionRegistry.from_directory(tmp_path)
    assert registry.names() == ["same"]
    assert [d.code for d in registry.diagnostics] == ["function-duplicate"]


def test_functions_directory_beside_the_template_is_used(tmp_path: Path) -> None:
    (tmp_path / "functions").mkdir()
    write(tmp_path / "functions", "hello.yaml", """\
        name: say::hello
        action: {type: echo, configuration: {output: 'Hello {{.function_args.who}}'}}
        """)
    template = write(tmp_path, "t.yaml", """\
        name: greet
        description: greets someone
        title_format: greeting
        steps:
          hi:
            action: {type: say::hello, configuration: {someone: x}}
        """)
    result = validate_file(template)
    assert [(d.code, d.line) for d in result.errors] == [("function-argument-missing", 6)]
    assert 'missing function_args "who"' in result.utask_errors[0]


def test_a_type_error_does_not_cascade_into_rule_errors(tmp_path: Path) -> None:
    template = write(tmp_path, "t.yaml", """\
        name: [abc]
        description: desc
        title_format: title
        steps:
          x:
            action: echo
            dependencies: [nope]
        """)
    result = validate_file(template)
    assert [(d.code, d.line) for d in result.errors] == [
        ("type-mismatch", 1), ("type-mismatch", 6), ("dependency-unknown-step", 7)]
