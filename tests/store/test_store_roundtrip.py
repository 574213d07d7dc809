"""Every field of templates, tasks, resolutions and steps comes back as stored; numbers stay exact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from engine.model.run import Resolution, StepRun, Task
from engine.model.template import Condition, Step, Template
from engine.store import NotFoundError, Store, StoreError
from engine.templating.gotypes import JSONNumber
from tests.store.store_helpers import make_resolution, make_task, reader

N = JSONNumber
WHEN = dt.datetime(2024, 4, 26, 19, 7, 58, 123456, tzinfo=dt.UTC)


def full_step() -> StepRun:
    definition = Step.model_validate({
        "description": "get things",
        "action": {"type": "http", "base_configuration": "api",
                   "configuration": {"url": "http://x/{{.input.id}}", "timeout_ms": N("1.50"),
                                     "big": N("12345678901234567890"), "exact": N("1619464078")},
                   "output": {"strategy": "merge", "format": {"k": N("2.000")}}},
        "pre_hook": {"type": "echo", "configuration": {"output": {}}},
        "dependencies": ["a", "b:DONE,NOT_FOUND"], "custom_states": ["NOT_FOUND"],
        "conditions": [{"type": "check",
                        "if": [{"value": "{{.step.this.output.x}}", "operator": "EQ", "expected": "1"}],
                        "then": {"this": "NOT_FOUND"}, "message": "nope"}],
        "foreach": "{{.input.list}}", "foreach_strategy": "sequence", "idempotent": True,
        "json_schema": {"type": "object", "maximum": N("1e3")}, "retry_pattern": "minutes", "max_retries": 7,
        "execution_delay": 5_000_000_000, "resources": ["fork"], "an_unknown_key": [N("1"), N("2.5")],
    })
    return StepRun(
        name="get", definition=definition, state="NOT_FOUND",
        output={"id": N("1619464078"), "huge": N("12345678901234567890"), "price": N("1.50"), "nested": [N("-0.0")],
                "text": "1.50", "none": None, "yes": True},
        metadata={"HTTPStatus": N("404"), "headers": {"x": ["a"]}},
        children=[{"output": {"n": N("1")}, "metadata": {"iterator": N("3")}, "state": "DONE"}],
        error="not found: 404", try_count=3, max_retries=7, last_run=WHEN, item={"id": N("42.0")},
        children_steps=["get-0", "get-1"], tags={"customer": "1234"},
        dependencies=["a", "b:DONE,NOT_FOUND", "get-0:ANY"],
        conditions=[Condition.model_validate({"type": "check", "if": [], "then": {"this": "DONE"},
                                              "message": "rendered message 1619464078"})],
    )


async def test_every_field_round_trips(db_path: Path) -> None:
    task = Task(id="t1", template_name="http-thing", title="Thing 1619464078", state="RUNNING",
                inputs={"id": N("1619464078"), "big": N("12345678901234567890"), "price": N("1.50"), "name": "x",
                        "list": [N("1"), 2, 2.5], "flag": False, "nothing": None},
                tags={"customer": "1234", "env": "prod"}, result={"total": N("1.50")},
                requester_username="alice", resolver_username="bob", created=WHEN,
                last_activity=WHEN + dt.timedelta(seconds=1))
    step = full_step()
    other = StepRun.from_definition("other", Step())
    resolution = Resolution(id="r1", task_id="t1", steps={"get": step, "other": other},
                            state="RUNNING", resolver_inputs={"n": N("1619464078"), "s": "text"},
                            base_configurations={"api": {"url": "http://x", "timeout": N("1.50"), "n": 3}},
                            run_count=2, run_max=5, next_retry=WHEN + dt.timedelta(minutes=1),
                            last_start=WHEN, last_stop=WHEN + dt.timedelta(seconds=30), created=WHEN)
    async with Store.open(db_path) as store:
        await store.create_task(task, resolution)
    async with Store.open(db_path) as store:  # a fresh connection: nothing cached
        back = await store.load_task("t1")
        again = await store.load_resolution("r1")
        single = await store.load_step("r1", "get")

    # Task: inputs come back as binary floats (spec §13.6), everything else as given.
    assert back.inputs == {"id": 1619464078.0, "big": 1.2345678901234567e19, "price": 1.5, "name": "x",
                           "list": [1.0, 2.0, 2.5], "flag": False, "nothing": None}
    assert all(type(value) is float for value in (back.inputs["id"], back.inputs["price"], *back.inputs["list"]))
    assert (back.id, back.template_name, back.title, back.state, back.tags, back.requester_username,
            back.resolver_username, back.created, back.last_activity, back.resolution_id) == (
        "t1", "http-thing", "Thing 1619464078", "RUNNING", {"customer": "1234", "env": "prod"}, "alice", "bob",
        WHEN, WHEN + dt.timedelta(seconds=1), "r1")
    assert back.result == {"total": "1.50"} and type(back.result["total"]) is JSONNumber

    # Resolution: resolver inputs as floats too; base configurations exact.
    assert again.resolver_inputs == {"n": 1619464078.0, "s": "text"}
    assert again.base_configurations == {"api": {"url": "http://x", "timeout": N("1.50"), "n": N("3")}}
    assert (again.state, again.run_count, again.run_max, again.next_retry, again.last_start, again.last_stop,
            again.created) == ("RUNNING", 2, 5, resolution.next_retry, WHEN, resolution.last_stop, WHEN)
    assert list(again.steps) == ["get", "other"]

    # Steps: every field, exact numbers keep their text (1.50 is not 1.5).
    for loaded in (again.steps["get"], single):
        assert loaded == step
        assert loaded.output["price"] == "1.50" and type(loaded.output["price"]) is JSONNumber
        assert loaded.output["huge"] == "12345678901234567890" and loaded.output["text"] == "1.50"
        assert type(loaded.output["text"]) is str
        assert loaded.definition.max_retries == 7 and loaded.definition.execution_delay == 5_000_000_000
        configuration = loaded.definition.action.configuration  # type: ignore[union-attr]
        assert configuration["timeout_ms"] == "1.50" and type(configuration["timeout_ms"]) is JSONNumber
        assert configuration["big"] == "12345678901234567890"
        assert loaded.definition.model_extra == {"an_unknown_key": [N("1"), N("2.5")]}
    assert again.steps["other"] == resolution.steps["other"]


async def test_numbers_of_definitions_come_back_as_json_numbers(db_path: Path) -> None:
    # As in µTask, where a step's configuration is raw JSON: an int of the template reads back as its exact text;
    # the model's own integer fields stay ints.
    resolution = make_resolution()
    resolution.steps["s1"].definition = Step.model_validate({
        "action": {"type": "echo", "configuration": {"output": {"index": 1, "when": 1619464078, "f": 2.5}}},
        "dependencies": ["s0"], "max_retries": 3})
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), resolution)
        definition = (await store.load_step("r1", "s1")).definition
    assert definition.action is not None
    assert definition.action.configuration == {"output": {"index": N("1"), "when": N("1619464078"), "f": N("2.5")}}
    assert type(definition.max_retries) is int and definition.max_retries == 3
    assert definition.dependencies == ["s0"]


async def test_exact_text_in_the_file(db_path: Path) -> None:
    resolution = make_resolution()
    resolution.steps["s0"].output = {"a": N("1619464078"), "b": N("12345678901234567890"), "c": N("1.50")}
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), resolution)
    with reader(db_path) as conn:
        text = conn.execute("SELECT output FROM steps WHERE name = 's0'").fetchone()[0]
    assert text == '{"a":1619464078,"b":12345678901234567890,"c":1.50}'


async def test_none_and_empty_values_stay_apart(db_path: Path) -> None:
    resolution = make_resolution()
    resolution.steps["s0"].children = []
    resolution.steps["s0"].output = {}
    resolution.steps["s1"].output = ""
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), resolution)
        steps = (await store.load_resolution("r1")).steps
    assert (steps["s0"].children, steps["s0"].output, steps["s1"].output, steps["s2"].output) == ([], {}, "", None)
    assert steps["s2"].children is None and steps["s2"].last_run is None


async def test_naive_dates_stay_naive(db_path: Path) -> None:
    naive = dt.datetime(2024, 1, 1, 8, 30)
    async with Store.open(db_path) as store:
        await store.create_task(make_task(created=naive, last_activity=naive))
        task = await store.load_task("t1")
    assert task.created == naive and task.created.tzinfo is None and task.resolution_id is None


async def test_create_fills_dates_and_links(db_path: Path) -> None:
    clock = dt.datetime(2025, 3, 1, 10, 0, tzinfo=dt.UTC)
    task, resolution = make_task(), make_resolution()
    async with Store.open(db_path, clock=lambda: clock) as store:
        await store.create_task(task, resolution)
        assert (task.created, task.last_activity, resolution.created, task.resolution_id) == (clock, clock, clock, "r1")
        assert (await store.load_task("t1")).created == clock


async def test_templates(db_path: Path) -> None:
    source = "# a comment kept\nname: Hello-World\nretry_max: 3\nsteps:\n  a:\n    max_retries: 2\n"
    template = Template.model_validate({
        "name": " Hello-World ", "description": "say hello", "title_format": "Hello",
        "inputs": [{"name": "n", "type": "number", "default": N("1.50")}], "retry_max": 3,
        "steps": {"a": {"action": {"type": "echo", "configuration": {"output": {"x": 1619464078}}}, "max_retries": 2}},
        "base_configurations": {"api": {"t": N("2.0")}}, "tags": {"k": "v"},
    })
    async with Store.open(db_path) as store:
        saved = await store.save_template(template, source)
        assert saved.normalized == "hello-world"
        stored = await store.get_template("HELLO-world")
        assert (stored.name, stored.source, stored.etag, stored.updated) == (
            " Hello-World ", source, saved.etag, saved.updated)
        assert stored.template.retry_max == 3 and stored.template.steps["a"].max_retries == 2
        assert stored.template.inputs[0].default == "1.50" and type(stored.template.inputs[0].default) is JSONNumber
        assert stored.template.base_configurations == {"api": {"t": N("2.0")}}
        config = stored.template.steps["a"].action.configuration  # type: ignore[union-attr]
        assert config == {"output": {"x": N("1619464078")}}

        changed = template.model_copy(update={"description": "say hello again"})
        again = await store.save_template(changed)  # replace: same row, new body and etag
        assert again.etag != saved.etag
        assert [item.template.description for item in await store.list_templates()] == ["say hello again"]
        assert (await store.get_template("hello-world")).source is None

        await store.create_task(make_task(template="hello-world"))
        with pytest.raises(StoreError, match="used by 1 task"):
            await store.delete_template("hello-world")
        await store.delete_task("t1")
        assert await store.delete_template("Hello-World") is True
        with pytest.raises(NotFoundError):
            await store.get_template("hello-world")


async def test_mismatched_records_are_refused(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        with pytest.raises(ValueError, match="belongs to task"):
            await store.create_task(make_task("t1"), make_resolution(task_id="t2"))
        resolution = make_resolution()
        resolution.steps["renamed"] = resolution.steps.pop("s0")
        with pytest.raises(ValueError, match="filed under the name"):
            await store.create_task(make_task(), resolution)
        with pytest.raises(TypeError, match="tags"):
            await store.create_task(make_task(tags={"n": 1}))
        bad = make_resolution()
        bad.steps["s0"].output = {"x": float("nan")}
        with pytest.raises(ValueError):
            await store.create_task(make_task(), bad)
        assert await store.list_tasks() == []  # nothing half-created
        await store.create_task(make_task(), make_resolution())
        with pytest.raises(StoreError, match="cannot create task t1"):
            await store.create_task(make_task(), make_resolution(resolution_id="r2"))
        with pytest.raises(StoreError, match="has a resolution already"):
            await store.create_resolution(make_resolution(resolution_id="r2"))
        assert [task.id for task in await store.list_tasks()] == ["t1"]
        assert len((await store.load_resolution("r1")).steps) == 3
