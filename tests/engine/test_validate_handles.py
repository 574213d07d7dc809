"""Template-handle linting (spec §14.2) and json_schema path linting (§14.3), with the exact position of each handle."""

from __future__ import annotations

import textwrap

import pytest
from validation_support import WARNING, absent, check, expect, no_errors, only, swap, template_utask, with_code

from engine.validate.handles import TASK_KEYS, find_handles

PREFIX = "Invalid text-template handles within task template: "


def handle_utask(message: str) -> str:
    return template_utask(PREFIX + message)


def _template(value: str, *, schema: str = "") -> str:
    """`fetch` (its optional json_schema lines inserted after line 9) then `use`, whose `output: VALUE` is on line
    16 + the schema's lines, VALUE starting at column 17 (so `'{{` puts the handle at column 18)."""
    return ("name: my-template\n"
            "description: a test template\n"
            "title_format: a test task\n"
            "inputs:\n"
            "  - name: customer\n"
            "resolver_inputs:\n"
            "  - name: approver\n"
            "steps:\n"
            "  fetch:\n"
            f"{schema}"
            "    action: {type: echo, configuration: {output: {id: 1}}}\n"
            "  use:\n"
            "    dependencies: [fetch]\n"
            "    action:\n"
            "      type: echo\n"
            "      configuration:\n"
            f"        output: {value}\n")


def test_base_template_is_valid() -> None:
    no_errors(check(_template("'{{.step.fetch.output.id}} for {{.input.customer}}'")))


# ---------------------------------------------------------------------------------------------------------------
# .step

def test_unknown_step_handle() -> None:
    text = _template("'{{.step.fetchh.output.id}}'")
    message = "step: Wrong step key: fetchh"
    diagnostic = expect(check(text), "handle-unknown-step", 16, 18, utask=handle_utask(message))
    assert diagnostic.message == "`.step.fetchh` refers to no step"
    assert diagnostic.hint == "did you mean `fetch`?"
    no_errors(check(swap(text, "fetchh", "fetch")))


@pytest.mark.parametrize("handle", ["{{.step.this.output.anything.at.all}}", "{{ .step.this.state }}",
                                    "{{.step.fetch}}", "{{.step.fetch.metadata.HTTPStatus}}",
                                    "{{ index .step \"missing\" }}", "{{.step}}"])
def test_step_handles_that_are_accepted(handle: str) -> None:
    no_errors(check(_template(f"'{handle}'")))


def test_only_the_first_path_of_an_action_is_checked() -> None:
    # µTask's pattern captures the first dotted path of each `{{…}}` only.
    no_errors(check(_template("'{{ if eq .step.fetch.state .step.nothere.state }}x{{ end }}'")))
    expect(check(_template("'{{ if eq .step.nothere.state .step.fetch.state }}x{{ end }}'")),
           "handle-unknown-step", 16, 18, utask=handle_utask("step: Wrong step key: nothere"))


def test_foreach_child_handle_is_cut_at_the_dash() -> None:
    # µTask's pattern stops at `-`: `.step.fetch-0.output` is linted as `.step.fetch` (a step), so the handle passes;
    # Go cannot parse it though (`-` ends a field only at a terminator), reported at the `.fetch` field.
    result = check(_template("'{{.step.fetch-0.output}}'"))
    assert [d.code for d in result.errors] == ["template-syntax"]
    expect(result, "template-syntax", 16, 25)
    no_errors(check(_template("'{{ field \"step\" \"fetch-0\" \"output\" }}'")))


# ---------------------------------------------------------------------------------------------------------------
# .input, .resolver_input, .task

def test_unknown_input_handle() -> None:
    text = _template("'{{.input.customr}}'")
    diagnostic = expect(check(text), "handle-unknown-input", 16, 18, utask=handle_utask("Wrong input key: customr"))
    assert diagnostic.message == "`.input.customr` refers to no declared input"
    no_errors(check(swap(text, "customr", "customer")))


def test_resolver_input_handle() -> None:
    text = _template("'{{.resolver_input.approvr}}'")
    diagnostic = expect(check(text), "handle-unknown-input", 16, 18, utask=handle_utask("Wrong input key: approvr"))
    assert diagnostic.message == "`.resolver_input.approvr` refers to no declared resolver input"
    no_errors(check(swap(text, "approvr", "approver")))


def test_inputs_and_resolver_inputs_are_separate() -> None:
    expect(check(_template("'{{.input.approver}}'")), "handle-unknown-input", 16, 18,
           utask=handle_utask("Wrong input key: approver"))
    expect(check(_template("'{{.resolver_input.customer}}'")), "handle-unknown-input", 16, 18,
           utask=handle_utask("Wrong input key: customer"))


@pytest.mark.parametrize("key", ["last_activity", "resolver_groups", "title", "id"])
def test_task_keys_utask_does_not_accept(key: str) -> None:
    text = _template(f"'{{{{.task.{key}}}}}'")
    expect(check(text), "handle-unknown-task-key", 16, 18, utask=handle_utask(f"Wrong task key: {key}"))


@pytest.mark.parametrize("key", sorted(TASK_KEYS))
def test_task_keys_utask_accepts(key: str) -> None:
    no_errors(check(_template(f"'{{{{.task.{key}}}}}'")))


def test_task_keys_are_the_nine_of_the_spec() -> None:
    assert TASK_KEYS == {"resolver_username", "created", "requester_username", "requester_groups", "task_id",
                         "region", "resolution_id", "watcher_usernames", "watcher_groups"}


@pytest.mark.parametrize("handle", ["{{.config.vault.token}}", "{{.iterator.name}}", "{{.function_args.x}}",
                                    "{{.pre_hook.output.token}}", "{{ range .input.customer }}{{.x.y}}{{ end }}"])
def test_other_roots_are_not_checked(handle: str) -> None:
    assert not [d for d in check(_template(f"'{handle}'")).errors if d.code.startswith("handle-")]


def test_handles_anywhere_in_the_template_are_checked() -> None:
    text = textwrap.dedent("""\
        name: my-template
        description: a test template
        title_format: "Order {{.input.order}}"
        result_format:
          ok: "{{.step.nowhere.output}}"
        steps:
          one:
            action: {type: echo, configuration: {output: x}}
            conditions:
              - type: check
                if:
                  - {value: "{{.task.nope}}", operator: EQ, expected: x}
                then: {this: DONE}
        """)
    result = check(text)
    assert [(d.code, d.line, d.column) for d in result.errors if d.code.startswith("handle-")] == [
        ("handle-unknown-input", 3, 22), ("handle-unknown-step", 5, 8), ("handle-unknown-task-key", 12, 22)]


# ---------------------------------------------------------------------------------------------------------------
# positions

def test_position_inside_a_double_quoted_string() -> None:
    result = check(_template('"id {{.step.fetch.output.id}} by {{ .input.who }}"'))
    expect(result, "handle-unknown-input", 16, 50, utask=handle_utask("Wrong input key: who"))


def test_position_inside_a_plain_scalar() -> None:
    expect(check(_template("id {{.input.who}}")), "handle-unknown-input", 16, 20)


def test_position_inside_a_literal_block_scalar() -> None:
    text = _template("|\n          first line\n\n            {{ .input.who }} indented\n          last line")
    expect(check(text), "handle-unknown-input", 19, 13, utask=handle_utask("Wrong input key: who"))


def test_position_inside_a_block_scalar_with_chomping_indicator() -> None:
    text = _template("|-\n          id: {{.step.fetch.output.id}}\n          who: {{.input.who}}")
    expect(check(text), "handle-unknown-input", 18, 16)


def test_each_bad_handle_of_a_string_is_reported_at_its_own_position() -> None:
    result = check(_template("'{{.input.a}} {{.input.customer}} {{.input.b}}'"))
    assert [(d.line, d.column, d.utask_message) for d in with_code(result, "handle-unknown-input")] == [
        (16, 18, handle_utask("Wrong input key: a")), (16, 51, handle_utask("Wrong input key: b"))]


# ---------------------------------------------------------------------------------------------------------------
# json_schema paths

SCHEMA = """\
    json_schema:
      type: object
      properties:
        id: {type: integer}
        owner:
          type: object
          properties:
            name: {type: string}
            address: {$ref: "#/definitions/address"}
        tree: {$ref: "#/definitions/node"}
        choice:
          anyOf:
            - {$ref: "#/definitions/address"}
            - properties:
                label: {type: string}
      definitions:
        address:
          type: object
          properties:
            city: {type: string}
        node:
          type: object
          properties:
            value: {type: string}
            children:
              type: array
              items: {$ref: "#/definitions/node"}
            left: {$ref: "#/definitions/node"}
"""
SCHEMA_LINE = 16 + SCHEMA.count("\n")  # the output line once the schema is inserted


@pytest.mark.parametrize("path", ["id", "owner.name", "owner.address.city", "tree.value", "tree.left.left.value",
                                  "tree.left.children", "choice.city", "choice.label"])
def test_output_path_present_in_the_schema(path: str) -> None:
    no_errors(check(_template(f"'{{{{.step.fetch.output.{path}}}}}'", schema=SCHEMA)))


@pytest.mark.parametrize("path", ["nope", "owner.city", "owner.address.street", "tree.left.city", "city",
                                  "choice.value", "id.value"])
def test_output_path_missing_from_the_schema(path: str) -> None:
    text = _template(f"'{{{{.step.fetch.output.{path}}}}}'", schema=SCHEMA)
    message = f"Linting error: step fetch: Variable {path} does not exist"
    diagnostic = expect(check(text), "handle-output-not-in-schema", SCHEMA_LINE, 18, utask=handle_utask(message))
    assert diagnostic.message == f"`{path}` is not in the json_schema of step `fetch`"


def test_properties_are_keyed_by_name_like_utask() -> None:
    # `city` is only defined under `address`, but µTask's table is keyed by property name, so `owner.address`
    # and `choice` (which references the same definition) both allow it; `name` is allowed under any `owner`.
    no_errors(check(_template("'{{.step.fetch.output.choice.city}} {{.step.fetch.output.owner.name}}'", schema=SCHEMA)))


def test_one_segment_after_output_is_checked_but_metadata_is_not() -> None:
    expect(check(_template("'{{.step.fetch.output.nope}}'", schema=SCHEMA)), "handle-output-not-in-schema",
           SCHEMA_LINE, 18)
    no_errors(check(_template("'{{.step.fetch.output}} {{.step.fetch.metadata.nope}}'", schema=SCHEMA)))


def test_no_schema_means_no_path_check() -> None:
    no_errors(check(_template("'{{.step.fetch.output.anything.goes}}'")))


def test_schema_without_properties_accepts_no_path() -> None:
    text = _template("'{{.step.fetch.output.x}}'", schema="    json_schema: {type: object}\n")
    expect(check(text), "handle-output-not-in-schema", 17, 18,
           utask=handle_utask("Linting error: step fetch: Variable x does not exist"))


RESERVED = """\
    json_schema:
      type: object
      properties:
        data:
          type: object
          properties:
            utaskRootKey: {type: string}
"""


def test_reserved_utask_root_key_property_fails_linting_of_its_handles() -> None:
    text = _template("'{{.step.fetch.output.data.utaskRootKey}}'", schema=RESERVED)
    message = ('Linting error: step fetch: Cannot use property "utaskRootKey" as it\'s a reserved keyword. '
               "Please rename your property")
    expect(check(text), "handle-schema-reserved-property", 23, 18, utask=handle_utask(message))
    # The schema itself is only a warning: µTask loads it as long as no handle is linted against it.
    result = check(_template("'{{.step.fetch.output}} {{.step.this.output.data}}'", schema=RESERVED))
    no_errors(result)
    expect(result, "json-schema-reserved-property", 11, 7, severity=WARNING)
    # Renamed: nothing at all.
    renamed = check(swap(text, "            utaskRootKey:", "            rootKey:").replace(
        "data.utaskRootKey", "data.rootKey"))
    no_errors(renamed)
    absent(renamed, "json-schema-reserved-property")


# ---------------------------------------------------------------------------------------------------------------
# the scanner itself

@pytest.mark.parametrize(("text", "found"), [
    ("{{.a.b}}", [(0, ".a.b")]),
    ("x {{ .step.this.output }} y {{.input.z}}", [(2, ".step.this.output"), (28, ".input.z")]),
    ("{{ index .step \"this\" \"output\" }}", [(0, ".step")]),
    ("{{ len (fromJson .step.this.output.list) }}", [(0, ".step.this.output.list")]),
    ("{{ }} {{ .a }", []),
    ("{{ $x := 1 }}", []),
    ("{{}}{{.a.b}}", [(4, ".a.b")]),
])
def test_find_handles_reproduces_utasks_pattern(text: str, found: list[tuple[int, str]]) -> None:
    assert list(find_handles(text)) == found


def test_find_handles_is_linear_on_hostile_input() -> None:
    # Many `{{` without a closing pair: a backtracking regex would be quadratic; the scan just finds nothing.
    assert list(find_handles("{{ ." * 50_000)) == []
    only_one = list(find_handles("{{" * 10_000 + ".a.b}}"))
    assert only_one == [(0, ".a.b")]  # leftmost match: `[^}.]*` swallows the other `{`


def test_handle_diagnostics_use_the_handles_prefix() -> None:
    diagnostic = only(check(_template("'{{.input.nope}}'")), "handle-unknown-input")
    assert diagnostic.utask_message is not None
    assert diagnostic.utask_message.startswith("Invalid task template: Invalid text-template handles within task "
                                               "template: ")
