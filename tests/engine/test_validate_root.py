"""Root fields, inputs and variables (spec §2.2, §3.1, §4): one failing and one passing template per rule."""

from __future__ import annotations

import pytest
from validation_support import (
    WARNING,
    absent,
    check,
    expect,
    no_errors,
    only,
    swap,
    template_utask,
    with_code,
)

STEPS = """\
steps:
  only:
    action:
      type: echo
      configuration: {output: done}
"""

# ---------------------------------------------------------------------------------------------------------------
# root field lengths


def _root(name: str = "my-template", description: str = "a test template", title: str = "a test task",
          extra: str = "") -> str:
    return f"name: {name}\ndescription: {description}\ntitle_format: {title}\n{extra}{STEPS}"


def test_minimal_template_is_valid() -> None:
    result = check(_root())
    no_errors(result)
    assert result.template is not None and result.template.normalized_name == "my-template"


@pytest.mark.parametrize(("field", "label", "line"), [
    ("name", "template name", 1),
    ("description", "template description", 2),
    ("title_format", "template title format", 3),
])
def test_required_field_shorter_than_3(field: str, label: str, line: int) -> None:
    values = {"name": "my-template", "description": "a test template", "title": "a test task"}
    values["title" if field == "title_format" else field] = "ab"
    result = check(_root(**values))
    message = f"{label} can't be shorter than 3 characters"
    expect(result, "field-too-short", line, len(field) + 3, message=message, utask=template_utask(message))
    assert result.utask_errors == [template_utask(message)]

    values["title" if field == "title_format" else field] = "abc"
    no_errors(check(_root(**values)))


@pytest.mark.parametrize(("field", "label", "limit"), [
    ("name", "template name", 1000),
    ("description", "template description", 1000),
    ("title_format", "template title format", 1000),
    ("doc_link", "template doc link", 1000),
    ("long_description", "template long description", 100000),
])
def test_field_longer_than_its_limit(field: str, label: str, limit: int) -> None:
    header = {"name": "my-template", "description": "a test template", "title_format": "a test task"}
    lines = list(header)
    header[field] = "x" * (limit + 1)
    if field not in lines:
        lines.append(field)
    text = "".join(f"{key}: {header[key]}\n" for key in lines) + STEPS
    message = f"{label} can't be longer than {limit} characters"
    expect(check(text), "field-too-long", lines.index(field) + 1, len(field) + 3, message=message,
           utask=template_utask(message))

    header[field] = "x" * limit
    no_errors(check("".join(f"{key}: {header[key]}\n" for key in lines) + STEPS))


def test_missing_name_is_reported_at_the_top() -> None:
    result = check("description: a test template\ntitle_format: a test task\n" + STEPS)
    expect(result, "field-too-short", 1, 1, utask=template_utask("template name can't be shorter than 3 characters"))


def test_name_is_trimmed_and_lower_cased_before_its_length_check() -> None:
    message = template_utask("template name can't be shorter than 3 characters")
    expect(check(_root(name='"  Ab  "')), "field-too-short", 1, 7, utask=message)
    result = check(_root(name='"  ABC  "'))
    no_errors(result)
    assert result.template is not None and result.template.normalized_name == "abc"


def test_lengths_are_counted_in_bytes_like_go() -> None:
    # Go's len() counts UTF-8 bytes: "éé" is 4 bytes long, "é" only 2.
    no_errors(check(_root(name="éé")))
    expect(check(_root(name="é")), "field-too-short", 1, 7)
    expect(check(_root(description="é" * 501)), "field-too-long", 2, 14)
    no_errors(check(_root(description="é" * 500)))


@pytest.mark.parametrize(("field", "label"), [("doc_link", "template doc link"),
                                              ("long_description", "template long description")])
def test_optional_text_fields_are_checked_only_when_present(field: str, label: str) -> None:
    message = template_utask(f"{label} can't be shorter than 3 characters")
    expect(check(_root(extra=f"{field}: ab\n")), "field-too-short", 4, len(field) + 3, utask=message)
    # An empty string is present (a non-nil pointer in Go): still too short; reported on the key.
    expect(check(_root(extra=f'{field}: ""\n')), "field-too-short", 4, 1, utask=message)
    no_errors(check(_root(extra=f"{field}:\n")))  # null: absent
    no_errors(check(_root(extra=f"{field}: abc\n")))
    no_errors(check(_root()))


# ---------------------------------------------------------------------------------------------------------------
# tags, auto_runnable, allow_all_resolver_usernames

TAGS = """\
name: my-template
description: a test template
title_format: a test task
tags:
  team: payments
  _utask_parent_task_id: "{{.task.task_id}}"
""" + STEPS


def test_reserved_tag_name() -> None:
    message = 'tag name "_utask_parent_task_id" not allowed'
    expect(check(TAGS), "tag-reserved", 6, 3, message=message, utask=template_utask(message))
    no_errors(check(swap(TAGS, "_utask_parent_task_id", "parent_task")))


AUTORUN = """\
name: my-template
description: a test template
title_format: a test task
auto_runnable: true
resolver_inputs:
  - name: approver
""" + STEPS


def test_auto_runnable_with_resolver_inputs() -> None:
    message = "A template can't be auto runnable if it has resolver inputs"
    expect(check(AUTORUN), "autorun-with-resolver-inputs", 4, 16, message=message, utask=template_utask(message))
    no_errors(check(swap(AUTORUN, "auto_runnable: true", "auto_runnable: false")))
    no_errors(check(swap(AUTORUN, "resolver_inputs:\n  - name: approver\n", "resolver_inputs: []\n")))


RESOLVE_ALL = """\
name: my-template
description: a test template
title_format: a test task
allow_all_resolver_usernames: true
auto_runnable: false
""" + STEPS


def test_allow_all_resolver_usernames_needs_auto_runnable() -> None:
    message = "A template that can be resolved by everybody have to be auto-runnable"
    expect(check(RESOLVE_ALL), "resolve-all-needs-autorun", 4, 31, message=message, utask=template_utask(message))
    no_errors(check(swap(RESOLVE_ALL, "auto_runnable: false", "auto_runnable: true")))


# ---------------------------------------------------------------------------------------------------------------
# inputs

def _inputs(body: str, key: str = "inputs") -> str:
    """A template whose inputs start on line 5 (`key:` is line 4)."""
    return f"name: my-template\ndescription: a test template\ntitle_format: a test task\n{key}:\n{body}{STEPS}"


REGEX_AND_LEGAL = _inputs("""\
  - name: region
    regex: "^eu-"
    legal_values: [eu-west, eu-north]
""")


def test_regex_and_legal_values_together() -> None:
    message = "Invalid input 'region': both regex and legal value list configured"
    expect(check(REGEX_AND_LEGAL), "input-regex-and-legal-values", 6, 12, message=message,
           utask=template_utask(message))
    no_errors(check(swap(REGEX_AND_LEGAL, '    regex: "^eu-"\n', "")))
    no_errors(check(swap(REGEX_AND_LEGAL, "    legal_values: [eu-west, eu-north]\n", "")))
    # An empty regex is still "configured" (a non-nil pointer in µTask).
    expect(check(swap(REGEX_AND_LEGAL, '"^eu-"', '""')), "input-regex-and-legal-values", 6, 12)


@pytest.mark.parametrize("pattern", ["^a(?=b)", "(?<!x)y", "(a)\\\\1", "[a-"])
def test_regex_that_go_cannot_compile(pattern: str) -> None:
    text = _inputs(f'  - name: code\n    regex: "{pattern}"\n')
    diagnostic = expect(check(text), "input-regex-invalid", 6, 12,
                        utask=template_utask("Invalid regex for input 'code'"))
    assert diagnostic.message.startswith("Invalid regex for input 'code': ")
    no_errors(check(_inputs('  - name: code\n    regex: "^a[bc]+$"\n')))


def test_input_type_must_be_one_of_four() -> None:
    text = _inputs("  - name: count\n    type: integer\n")
    message = "Invalid input type 'integer': must be either [string password bool number]"
    expect(check(text), "input-type-invalid", 6, 11, message=message, utask=template_utask(message))
    for good in ("string", "password", "bool", "number", '""'):
        no_errors(check(swap(text, "integer", good)))


def test_input_type_is_checked_on_resolver_inputs_too() -> None:
    text = _inputs("  - name: note\n    type: text\n", key="resolver_inputs")
    expect(check(text), "input-type-invalid", 6, 11,
           utask=template_utask("Invalid input type 'text': must be either [string password bool number]"))


LEGAL_TYPES = _inputs("""\
  - name: size
    type: number
    legal_values: [1, "two", 3.5]
""")


def test_legal_values_must_match_the_type() -> None:
    message = "Invalid value 'size': expected a number"
    expect(check(LEGAL_TYPES), "input-legal-value-type", 7, 23, message=message, utask=template_utask(message))
    no_errors(check(swap(LEGAL_TYPES, '"two"', "2")))


def test_legal_values_of_a_string_input_must_be_strings() -> None:
    text = _inputs('  - name: answer\n    legal_values: ["yes", "no", 42]\n')
    expect(check(text), "input-legal-value-type", 6, 33,
           utask=template_utask("Invalid value 'answer': expected a string"))
    # Unquoted yes/no are YAML 1.1 booleans, not strings.
    unquoted = _inputs("  - name: answer\n    legal_values: [yes, maybe]\n")
    expect(check(unquoted), "input-legal-value-type", 6, 20)
    no_errors(check(swap(text, "42", '"42"')))


QUOTE_DEFAULT = _inputs("""\
  - name: greeting
    default: 'say "hi"'
""")


def test_default_with_a_double_quote() -> None:
    message = "Invalid input 'greeting': cannot contain double quotes"
    diagnostic = expect(check(QUOTE_DEFAULT), "input-default-invalid", 6, 14, utask=template_utask(message))
    assert diagnostic.message == f"default value: {message}"
    no_errors(check(swap(QUOTE_DEFAULT, '"hi"', "hi")))
    # With a regex (or legal values) the double-quote rule does not apply.
    no_errors(check(swap(QUOTE_DEFAULT, "    default:", '    regex: "say"\n    default:')))


REGEX_DEFAULT = _inputs("""\
  - name: ticket
    regex: "^[A-Z]+-[0-9]+$"
    default: ops-12
""")


def test_default_must_comply_with_the_regex() -> None:
    message = "Invalid input 'ticket': 'ops-12' doesnt comply with regex '^[A-Z]+-[0-9]+$'"
    expect(check(REGEX_DEFAULT), "input-default-invalid", 7, 14, utask=template_utask(message))
    no_errors(check(swap(REGEX_DEFAULT, "ops-12", "OPS-12")))


def test_regex_is_an_unanchored_search() -> None:
    no_errors(check(_inputs('  - name: ticket\n    regex: "[0-9]"\n    default: abc1def\n')))


LEGAL_DEFAULT = _inputs("""\
  - name: tier
    legal_values: [gold, silver]
    default: bronze
""")


def test_default_must_be_a_legal_value() -> None:
    message = "Invalid input 'tier': 'bronze' is not a legal value ([gold silver])"
    expect(check(LEGAL_DEFAULT), "input-default-invalid", 7, 14, utask=template_utask(message))
    no_errors(check(swap(LEGAL_DEFAULT, "bronze", "silver")))


def test_number_legal_values_compare_as_go_floats() -> None:
    # At template load every JSON number is a float64 in Go, so 2 and 2.0 are the same legal value.
    no_errors(check(_inputs("  - name: num\n    type: number\n    legal_values: [1, 2]\n    default: 2.0\n")))
    bad = _inputs("  - name: num\n    type: number\n    legal_values: [1, 2]\n    default: 2.5\n")
    expect(check(bad), "input-default-invalid", 8, 14,
           utask=template_utask("Invalid input 'num': '2.5' is not a legal value ([1 2])"))


@pytest.mark.parametrize(("kind", "bad", "good", "word"), [
    ("bool", '"true"', "true", "a boolean"),
    ("number", '"5"', "5", "a number"),
    ("string", "5", '"5"', "a string"),
    ("password", "false", '"false"', "a string"),
])
def test_default_must_match_the_type(kind: str, bad: str, good: str, word: str) -> None:
    text = _inputs(f"  - name: flag\n    type: {kind}\n    default: {bad}\n")
    expect(check(text), "input-default-invalid", 7, 14, utask=template_utask(f"Invalid value 'flag': expected {word}"))
    no_errors(check(_inputs(f"  - name: flag\n    type: {kind}\n    default: {good}\n")))


def test_default_longer_than_100000() -> None:
    text = _inputs(f"  - name: blob\n    regex: x\n    default: {'x' * 100001}\n")
    expect(check(text), "input-default-invalid", 7, 14,
           utask=template_utask("Invalid input 'blob': value can't be longer than 100000"))
    no_errors(check(_inputs(f"  - name: blob\n    regex: x\n    default: {'x' * 100000}\n")))


COLLECTION = _inputs("""\
  - name: hosts
    collection: true
    default: a.example.com
""")


def test_collection_default_that_is_not_a_list() -> None:
    expect(check(COLLECTION), "input-default-invalid", 7, 14,
           utask=template_utask("Input 'hosts' is expected to be an array"))
    no_errors(check(swap(COLLECTION, "collection: true", "collection: false")))
    no_errors(check(swap(COLLECTION, "    default: a.example.com\n", "")))


def test_collection_default_list_fails_the_type_check_like_utask() -> None:
    # µTask type-checks the whole default before the collection check: a list is never "a string".
    text = swap(COLLECTION, "a.example.com", "[a.example.com, b.example.com]")
    expect(check(text), "input-default-invalid", 7, 14,
           utask=template_utask("Invalid value 'hosts': expected a string"))


def test_null_default_is_not_checked() -> None:
    no_errors(check(_inputs("  - name: flag\n    type: bool\n    default:\n")))


def test_input_name_warnings() -> None:
    text = _inputs("  - name: env\n  - name: env\n  - description: no name\n")
    result = check(text)
    no_errors(result)
    assert [(d.code, d.severity, d.line, d.column) for d in with_code(result, "input-duplicate")] == [
        ("input-duplicate", WARNING, 6, 5)]
    expect(result, "input-name-missing", 7, 5, severity=WARNING)
    absent(check(_inputs("  - name: env\n  - name: region\n")), "input-duplicate")


# ---------------------------------------------------------------------------------------------------------------
# variables

def _variables(body: str) -> str:
    """A template whose variables start on line 5."""
    return f"name: my-template\ndescription: a test template\ntitle_format: a test task\nvariables:\n{body}{STEPS}"


def test_variable_without_name() -> None:
    text = _variables("  - value: 1\n")
    message = "variable name can't be empty"
    expect(check(text), "variable-name-missing", 5, 5, message=message, utask=template_utask(message))
    no_errors(check(_variables("  - name: one\n    value: 1\n")))


def test_variable_with_value_and_expression() -> None:
    text = _variables('  - name: total\n    value: 1\n    expression: "1 + 1"\n')
    message = 'variable "total" can\'t have both value and expression defined'
    expect(check(text), "variable-value-and-expression", 7, 17, message=message, utask=template_utask(message))
    no_errors(check(swap(text, "    value: 1\n", "")))


def test_variable_without_value_nor_expression() -> None:
    text = _variables("  - name: total\n    value:\n")
    message = 'variable "total" expression and value can\'t be empty at the same time'
    expect(check(text), "variable-empty", 5, 5, message=message, utask=template_utask(message))
    # Zero values are values: only null counts as "no value".
    for value in ("0", "false", '""', "[]"):
        no_errors(check(swap(text, "value:\n", f"value: {value}\n")))


def test_variable_timeout_with_a_value() -> None:
    text = _variables("  - name: total\n    value: 3\n    expression_timeout: 5s\n")
    message = 'variable "total" expression timeout cannot be defined when value is defined'
    expect(check(text), "variable-timeout-with-value", 7, 25, message=message, utask=template_utask(message))
    no_errors(check(swap(text, "value: 3", 'expression: "1 + 2"')))


def test_variable_timeout_must_be_a_go_duration() -> None:
    text = _variables('  - name: total\n    expression: "1 + 2"\n    expression_timeout: foo\n')
    message = 'variable "total" time: invalid duration "foo"'
    expect(check(text), "variable-timeout-invalid", 7, 25, message=message, utask=template_utask(message))
    for good in ("1m30s", "250ms", "10s"):
        no_errors(check(swap(text, "foo", good)))


def test_each_invalid_variable_is_reported() -> None:
    text = _variables("  - value: 1\n  - name: b\n  - name: c\n    value: 1\n    expression: x\n")
    result = check(text)
    assert [(d.code, d.line) for d in result.errors] == [
        ("variable-name-missing", 5), ("variable-empty", 6), ("variable-value-and-expression", 9)]
    only(result, "variable-empty")
