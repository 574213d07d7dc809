"""pydantic models of a µTask template and of a function file.

The models decode like µTask: numbers and booleans given to string fields become strings, nulls become
Go zero values, unknown keys are kept (in `model_extra`) rather than rejected. They accept values that
µTask's own validation later refuses (an unknown operator, a dependency to a missing step…): those
rules live in `engine.validate`, which reports them with positions and µTask's messages.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from engine.model.types import GoBool, GoInt, GoString, GoStringList

__all__ = [
    "Assertion",
    "Condition",
    "Executor",
    "FunctionDefinition",
    "Input",
    "OutputStrategy",
    "Step",
    "Template",
    "Variable",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True, validate_default=False)


def _none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


def _none_to_empty_dict(value: Any) -> Any:
    return {} if value is None else value


class Input(_Model):
    """A requester or resolver input."""

    name: GoString = ""
    description: GoString = ""
    type: GoString = ""
    regex: GoString | None = None
    legal_values: Annotated[list[Any], BeforeValidator(_none_to_empty_list)] = Field(default_factory=list)
    collection: GoBool = False
    optional: GoBool = False
    default: Any = None
    hidden: GoBool = False


class Variable(_Model):
    """A template variable: a fixed value or a JavaScript expression, read through eval/evalCache."""

    name: GoString = ""
    value: Any = None
    expression: GoString = ""
    expression_timeout: GoString = ""


class OutputStrategy(_Model):
    """How a step's output is reshaped after its plugin ran (`merge` or `template`)."""

    strategy: GoString = ""
    format: Any = None


class Executor(_Model):
    """What a step (or a pre-hook, or a function) executes."""

    type: GoString = ""
    configuration: Any = None
    base_configuration: GoString = ""
    output: OutputStrategy | None = None
    base_output: Any = None


class Assertion(_Model):
    """One test of a condition: `value OPERATOR expected`, both rendered as templates."""

    value: GoString = ""
    operator: GoString = ""
    expected: GoString = ""
    list_separator: GoString = ""
    message: GoString = ""


class Condition(_Model):
    """A skip (before the action) or check (after it) condition and the states it sets."""

    type: GoString = ""
    if_: Annotated[list[Assertion], BeforeValidator(_none_to_empty_list)] = Field(
        default_factory=list, alias="if"
    )
    then: Annotated[dict[str, GoString], BeforeValidator(_none_to_empty_dict)] = Field(default_factory=dict)
    final: GoBool = False
    foreach: GoString = ""
    message: GoString = ""


class Step(_Model):
    """One node of the template's DAG."""

    description: GoString = ""
    action: Executor | None = None
    pre_hook: Executor | None = None
    dependencies: GoStringList = Field(default_factory=list)
    custom_states: GoStringList = Field(default_factory=list)
    conditions: Annotated[list[Condition], BeforeValidator(_none_to_empty_list)] = Field(default_factory=list)
    foreach: GoString = ""
    foreach_strategy: GoString = ""
    idempotent: GoBool = False
    json_schema: Any = None
    retry_pattern: GoString = ""
    max_retries: GoInt = 0
    execution_delay: GoInt = 0
    resources: GoStringList = Field(default_factory=list)


class Template(_Model):
    """A whole µTask task template."""

    name: GoString = ""
    description: GoString = ""
    long_description: GoString | None = None
    doc_link: GoString | None = None
    title_format: GoString = ""
    result_format: Any = None
    inputs: Annotated[list[Input], BeforeValidator(_none_to_empty_list)] = Field(default_factory=list)
    resolver_inputs: Annotated[list[Input], BeforeValidator(_none_to_empty_list)] = Field(default_factory=list)
    variables: Annotated[list[Variable], BeforeValidator(_none_to_empty_list)] = Field(default_factory=list)
    steps: Annotated[dict[str, Step], BeforeValidator(_none_to_empty_dict)] = Field(default_factory=dict)
    base_configurations: Annotated[dict[str, Any], BeforeValidator(_none_to_empty_dict)] = Field(
        default_factory=dict
    )
    tags: Annotated[dict[str, GoString], BeforeValidator(_none_to_empty_dict)] = Field(default_factory=dict)
    retry_max: GoInt | None = None
    auto_runnable: GoBool = False
    allow_all_resolver_usernames: GoBool = False
    allowed_resolver_usernames: GoStringList = Field(default_factory=list)
    allowed_resolver_groups: GoStringList = Field(default_factory=list)
    blocked: GoBool = False
    hidden: GoBool = False
    allow_task_start_over: GoBool = False

    @property
    def normalized_name(self) -> str:
        """µTask's identity for the template: trimmed and lower-cased."""
        return self.name.strip().lower()


class FunctionDefinition(_Model):
    """A function file: a named, reusable action with its own conditions and custom states."""

    name: GoString = ""
    description: GoString = ""
    action: Executor | None = None
    pre_hook: Executor | None = None
    conditions: Annotated[list[Condition], BeforeValidator(_none_to_empty_list)] = Field(default_factory=list)
    custom_states: GoStringList = Field(default_factory=list)


# Keys each object accepts, for the unknown-key warnings (aliases as written in YAML).
KNOWN_KEYS: dict[type[_Model], frozenset[str]] = {
    model: frozenset(info.alias or name for name, info in model.model_fields.items())
    for model in (Input, Variable, OutputStrategy, Executor, Assertion, Condition, Step, Template,
                  FunctionDefinition)
}
