"""Action and pre-hook rules (spec §5.3–§5.7, §14.1 4b–4c): runners, base configurations, plugin configurations,
function arguments, function cycles and pre-hooks."""

from __future__ import annotations

from pathlib import Path

import pytest
from validation_support import (
    WARNING,
    absent,
    check,
    expect,
    functions_in,
    no_errors,
    only,
    step_utask,
    swap,
    with_code,
)

HEADER = """\
name: my-template
description: a test template
title_format: a test task
base_configurations:
  api:
    url: https://api.example.com/v1
    method: GET
steps:
"""  # the first step's name is on line 9


def _step(body: str, name: str = "call") -> str:
    return f"{HEADER}  {name}:\n{body}"


# ---------------------------------------------------------------------------------------------------------------
# runner, base configuration, configuration

NO_ACTION = _step("    description: nothing to do\n")


def test_step_without_action() -> None:
    diagnostic = expect(check(NO_ACTION), "action-missing", 9, 3,
                        utask=step_utask("call", "Invalid executor action: No runner for type ''"))
    assert diagnostic.message == "the step has no `action`"
    no_errors(check(swap(NO_ACTION, "    description: nothing to do\n",
                         "    action:\n      type: echo\n      configuration: {output: x}\n")))


UNKNOWN_TYPE = _step("    action:\n      type: echoo\n      configuration: {output: x}\n")


def test_unknown_action_type() -> None:
    diagnostic = expect(check(UNKNOWN_TYPE), "action-type-unknown", 11, 13,
                        utask=step_utask("call", "Invalid executor action: No runner for type 'echoo'"))
    assert diagnostic.message == "unknown action type 'echoo'"
    assert "--functions-dir" in diagnostic.hint
    no_errors(check(swap(UNKNOWN_TYPE, "echoo", "echo")))


def test_action_without_type() -> None:
    text = _step("    action:\n      configuration: {output: x}\n")
    # There is no `type` to point at: the diagnostic lands on the action's mapping.
    expect(check(text), "action-type-unknown", 11, 7,
           utask=step_utask("call", "Invalid executor action: No runner for type ''"))


@pytest.mark.parametrize("action", ["echo", "http", "script", "ssh", "subtask", "callback", "ping", "notify",
                                    "email", "apiovh", "tag", "batch", "cache"])
def test_every_builtin_action_type_is_a_runner(action: str) -> None:
    absent(check(_step(f"    action:\n      type: {action}\n      configuration: {{}}\n")), "action-type-unknown")


BASE = _step("    action:\n      type: http\n      base_configuration: apii\n      configuration: {path: /x}\n")


def test_unknown_base_configuration() -> None:
    result = check(BASE)
    diagnostic = expect(result, "base-configuration-unknown", 12, 27,
                        utask=step_utask("call", "Invalid executor action: BaseConfiguration key not found"))
    assert diagnostic.message == "base configuration 'apii' is not defined"
    absent(check(swap(BASE, "apii", "api")), "base-configuration-unknown")


def test_base_configuration_of_a_pre_hook() -> None:
    text = _step("    pre_hook:\n      type: echo\n      base_configuration: nope\n      configuration: {}\n"
                 "    action:\n      type: echo\n      configuration: {output: x}\n")
    expect(check(text), "base-configuration-unknown", 12, 27,
           utask=step_utask("call", "Invalid prehook action: BaseConfiguration key not found"))


MISSING_CONFIGURATION = _step("    action:\n      type: echo\n")


def test_plugin_action_without_configuration() -> None:
    message = "Invalid executor action: failed to unmarshal configuration: EOF"
    diagnostic = expect(check(MISSING_CONFIGURATION), "configuration-missing", 10, 5,
                        utask=step_utask("call", message))
    assert diagnostic.message == "the echo action has no `configuration`"
    no_errors(check(MISSING_CONFIGURATION + "      configuration: {output: x}\n"))


def test_explicit_null_configuration_is_accepted() -> None:
    # `configuration:` decodes to JSON null, which µTask's plugins accept; only a missing key fails with EOF.
    no_errors(check(MISSING_CONFIGURATION + "      configuration:\n"))


def test_base_configuration_does_not_replace_a_missing_configuration() -> None:
    text = _step("    action:\n      type: http\n      base_configuration: api\n")
    expect(check(text), "configuration-missing", 10, 5,
           utask=step_utask("call", "Invalid executor action: failed to unmarshal configuration: EOF"))


ERROR_TYPE = _step("    action:\n      type: echo\n      configuration:\n        output: x\n"
                   "        error_type: fatal\n")


def test_echo_error_type() -> None:
    message = "Invalid executor action: Wrong error type: expecting 'client' or 'server'"
    expect(check(ERROR_TYPE), "configuration-invalid", 14, 21, utask=step_utask("call", message))
    for good in ("client", "server", '""'):
        no_errors(check(swap(ERROR_TYPE, "fatal", good)))


HTTP = _step("    action:\n      type: http\n      configuration:\n        url: 8080\n        method: GET\n")


def test_http_configuration_type_mismatch() -> None:
    diagnostic = expect(check(HTTP), "configuration-invalid", 13, 14)
    assert diagnostic.message == "http configuration: `url` must be a string, got number"
    assert diagnostic.utask_message == step_utask(
        "call", "Invalid executor action: failed to unmarshal configuration: json: cannot unmarshal number")
    no_errors(check(swap(HTTP, "8080", "https://example.com:8080/")))


def test_type_mismatch_in_the_base_configuration_is_reported_there() -> None:
    text = swap(HEADER, "method: GET", "method: 5") + (
        "  call:\n    action:\n      type: http\n      base_configuration: api\n      configuration: {}\n")
    diagnostic = expect(check(text), "configuration-invalid", 7, 13)
    assert diagnostic.path == ("base_configurations", "api", "method")
    assert diagnostic.utask_message == step_utask(
        "call", "Invalid executor action: failed to unmarshal base configuration: json: cannot unmarshal number")
    no_errors(check(HEADER + "  call:\n    action:\n      type: http\n      base_configuration: api\n"
                             "      configuration: {}\n"))


UNKNOWN_KEY = _step("    action:\n      type: echo\n      configuration:\n        output: x\n        outptu: y\n")


def test_unknown_configuration_key_is_only_a_warning() -> None:
    result = check(UNKNOWN_KEY)
    no_errors(result)
    diagnostic = expect(result, "configuration-unknown-key", 14, 9, severity=WARNING)
    assert diagnostic.message == "unknown key `outptu` is ignored by the echo action"
    assert diagnostic.utask_message is None
    assert "output" in diagnostic.hint
    absent(check(swap(UNKNOWN_KEY, "        outptu: y\n", "")), "configuration-unknown-key")


# ---------------------------------------------------------------------------------------------------------------
# functions

FUNCTIONS = {
    "hello.yaml": """\
        name: echo::hello
        action:
          type: echo
          configuration:
            output: "hello {{ .function_args.name }} from {{.function_args.origin.city}}"
        """,
    "greet.yaml": """\
        name: greet::team
        action:
          type: echo::hello
          configuration:
            name: "{{.function_args.team}}"
        """,
    "self.yaml": """\
        name: loop::self
        action:
          type: loop::self
          configuration: {}
        """,
    "a.yaml": """\
        name: loop::a
        action:
          type: loop::b
          configuration: {}
        """,
    "b.yaml": """\
        name: loop::b
        action:
          type: loop::a
          configuration: {}
        """,
    "hooked.yaml": """\
        name: with::hook
        pre_hook:
          type: echo
          configuration: {output: warm-up}
        action:
          type: echo
          configuration: {output: main}
        """,
    "broken.yaml": """\
        name: uses::nothing
        action:
          type: not-a-plugin
          configuration: {}
        """,
}


@pytest.fixture
def functions(tmp_path: Path):
    return functions_in(tmp_path / "functions", FUNCTIONS)


CALL = _step("    action:\n      type: echo::hello\n      configuration:\n        name: world\n"
             "        origin: {city: Roubaix}\n")


def test_function_with_all_its_arguments(functions) -> None:
    no_errors(check(CALL, functions=functions))


def test_function_is_an_unknown_type_without_the_functions(functions) -> None:
    expect(check(CALL), "action-type-unknown", 11, 13,
           utask=step_utask("call", "Invalid executor action: No runner for type 'echo::hello'"))


def test_function_argument_missing(functions) -> None:
    text = swap(CALL, "        name: world\n", "        nom: world\n")
    message = 'missing function_args "name"'
    diagnostic = expect(check(text, functions=functions), "function-argument-missing", 13, 9,
                        utask=step_utask("call", f"Invalid executor action: {message}"))
    assert diagnostic.message == message
    assert diagnostic.hint == "function 'echo::hello' needs `name` in its caller's configuration"


def test_function_argument_is_a_dotted_path(functions) -> None:
    text = swap(CALL, "{city: Roubaix}", "{town: Roubaix}")
    expect(check(text, functions=functions), "function-argument-missing", 13, 9,
           utask=step_utask("call", 'Invalid executor action: missing function_args "origin.city"'))


def test_a_null_argument_counts_as_present(functions) -> None:
    no_errors(check(swap(CALL, "        name: world\n", "        name:\n"), functions=functions))


NESTED = _step("    action:\n      type: greet::team\n      configuration: {team: sre}\n")


def test_nested_function_argument_missing(functions) -> None:
    # greet::team passes `name` but not `origin.city` to echo::hello: µTask annotates with the outer function.
    result = check(NESTED, functions=functions)
    diagnostic = expect(result, "function-argument-missing", 11, 13, utask=step_utask(
        "call", 'Invalid executor action: function "greet::team": missing function_args "origin.city"'))
    assert diagnostic.message == "missing function_args \"origin.city\" (in function 'greet::team')"


def test_outer_function_argument_missing(functions) -> None:
    text = swap(NESTED, "{team: sre}", "{squad: sre}")
    expect(check(text, functions=functions), "function-argument-missing", 12, 22,
           utask=step_utask("call", 'Invalid executor action: missing function_args "team"'))


def test_nested_function_arguments_satisfied(tmp_path: Path) -> None:
    files = dict(FUNCTIONS)
    files["greet.yaml"] = files["greet.yaml"].replace(
        'name: "{{.function_args.team}}"', 'name: "{{.function_args.team}}"\n            origin: {city: Paris}')
    no_errors(check(NESTED, functions=functions_in(tmp_path / "fixed", files)))


@pytest.mark.parametrize(("entry", "utask"), [
    ("loop::self", 'function "loop::self": invalid cyclic import in function for "loop::self"'),
    ("loop::a", 'function "loop::b": function "loop::a": invalid cyclic import in function for "loop::a"'),
])
def test_function_cycle(functions, entry: str, utask: str) -> None:
    text = _step(f"    action:\n      type: {entry}\n      configuration: {{}}\n")
    diagnostic = expect(check(text, functions=functions), "function-cycle", 11, 13,
                        utask=step_utask("call", f"Invalid executor action: {utask}"))
    assert diagnostic.message.startswith("invalid cyclic import in function for ")


def test_function_ending_on_an_unknown_plugin(functions) -> None:
    text = _step("    action:\n      type: uses::nothing\n      configuration: {}\n")
    expect(check(text, functions=functions), "action-type-unknown", 11, 13,
           utask=step_utask("call", "Invalid executor action: No runner for type 'not-a-plugin'"))


PRE_HOOK = """\
    pre_hook:
      type: echo
      configuration: {output: ready}
    action:
      type: echo
      configuration: {output: x}
"""


def test_step_with_a_plain_pre_hook(functions) -> None:
    no_errors(check(_step(PRE_HOOK), functions=functions))


def test_pre_hook_with_an_unknown_type(functions) -> None:
    text = _step(swap(PRE_HOOK, "type: echo\n      configuration: {output: ready}", "type: ech"))
    expect(check(text, functions=functions), "action-type-unknown", 11, 13,
           utask=step_utask("call", "Invalid prehook action: No runner for type 'ech'"))


def test_pre_hook_without_configuration(functions) -> None:
    text = _step(swap(PRE_HOOK, "      configuration: {output: ready}\n", ""))
    expect(check(text, functions=functions), "configuration-missing", 10, 5,
           utask=step_utask("call", "Invalid prehook action: failed to unmarshal configuration: EOF"))


def test_pre_hook_on_a_pre_hook(functions) -> None:
    text = _step(swap(PRE_HOOK, "    pre_hook:\n      type: echo\n", "    pre_hook:\n      type: with::hook\n"))
    result = check(text, functions=functions)
    diagnostic = expect(result, "prehook-on-prehook", 11, 13, utask=step_utask("call", "Invalid prehook on a prehook"))
    assert diagnostic.path == ("steps", "call", "pre_hook", "type")
    # The same function as the main action is fine: its pre-hook becomes the step's.
    no_errors(check(_step("    action:\n      type: with::hook\n      configuration: {}\n"), functions=functions))


def test_function_pre_hook_overriding_the_steps(functions) -> None:
    text = _step(swap(PRE_HOOK, "    action:\n      type: echo\n", "    action:\n      type: with::hook\n"))
    diagnostic = expect(check(text, functions=functions), "prehook-override", 14, 13, utask=step_utask(
        "call", 'Invalid executor action: function "with::hook": pre_hook override'))
    assert diagnostic.message == "function 'with::hook' declares a pre_hook but one is already set"


def test_each_step_gets_its_own_executor_errors(functions) -> None:
    text = (HEADER + "  one:\n    action:\n      type: nope\n      configuration: {}\n"
            "  two:\n    action:\n      type: echo\n")
    result = check(text, functions=functions)
    assert [(d.code, d.line) for d in result.errors] == [("action-type-unknown", 11), ("configuration-missing", 14)]
    only(result, "configuration-missing")
    assert with_code(result, "action-type-unknown")[0].utask_message == step_utask(
        "one", "Invalid executor action: No runner for type 'nope'")
