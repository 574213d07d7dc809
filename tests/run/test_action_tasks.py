"""subtask, batch and callback against a fake EngineServices."""

from __future__ import annotations

import asyncio
import datetime
import json

import pytest

from engine.run.actions.base import ActionError, ClientError, ConfigError, RetryLater, Waiting
from engine.run.actions.batch import BatchAction
from engine.run.actions.callback import CallbackAction
from engine.run.actions.subtask import SubtaskAction

subtask, batch, callback = SubtaskAction(), BatchAction(), CallbackAction()


def run(action, request):
    return asyncio.run(action.execute(request))


# ------------------------------------------------------------------------------------------------ subtask

def test_subtask_creates_then_follows_its_child(services, make_request):
    config = {"template": "child", "input": {"a": "1"}, "json_input": '{"b": 2, "a": "override"}',
              "tags": {"customer": "c1"}, "delay": "1m30s"}
    with pytest.raises(Waiting) as caught:
        run(subtask, make_request(config, context={"parent_task_id": "t-parent", "task_id": ""}))
    assert caught.value.message == 'Task "task-1" will start shortly'
    assert caught.value.output == {"id": "task-1", "state": "TODO", "result": {}, "resolver_username": None,
                                   "requester_username": "alice"}
    (created,) = services.created
    assert created["inputs"] == {"a": "override", "b": 2.0}
    assert created["tags"] == {"customer": "c1", "_utask_parent_task_id": "t-parent"}
    assert created["delay"] == 90.0

    services.tasks["task-1"].update(state="DONE", result={"r": 1}, resolver_username="bob")
    result = run(subtask, make_request(config, context={"task_id": "task-1"}))
    assert result.output["state"] == "DONE" and result.output["result"] == {"r": 1}
    assert len(services.created) == 1  # followed, not re-created
    # the previous output is enough to find the child when no context was rendered
    assert run(subtask, make_request(config, previous_output={"id": "task-1"})).output["id"] == "task-1"


@pytest.mark.parametrize(("state", "resolution", "cls", "message"), [
    ("CANCELLED", "r", ClientError, "Task 'task-1' changed state: cancelled"),
    ("WONTFIX", "r", ClientError, "Task 'task-1' changed state: wontfix"),
    ("BLOCKED", "r", ClientError, "Task 'task-1' changed state: blocked"),
    ("TODO", None, Waiting, 'Task "task-1" is waiting for human validation'),
    ("TODO", "r", Waiting, 'Task "task-1" will start shortly'),
    ("RUNNING", "r", RetryLater, 'Task "task-1" is currently RUNNING'),
    ("WAITING", "r", ActionError, 'Task "task-1" not done yet (current state is WAITING)'),
    ("DELAYED", None, ActionError, 'Task "task-1" not done yet (current state is DELAYED)'),
])
def test_subtask_state_mapping(services, make_request, state, resolution, cls, message):
    services.tasks["task-1"] = {"id": "task-1", "state": state, "result": None, "resolver_username": None,
                                "requester_username": "alice", "resolution_id": resolution}
    with pytest.raises(ActionError) as caught:
        run(subtask, make_request({"template": "child"}, context={"task_id": "task-1"}))
    assert type(caught.value) is cls
    assert caught.value.message == message
    assert caught.value.output["state"] == state


@pytest.mark.parametrize(("config", "message"), [
    ({"template": "child", "resolver_usernames": "[\"alice\""}, "can't convert JSON to row slice: unexpected end of "
                                                            "JSON input"),
    ({"template": "child", "watcher_groups": '{"a": 1}'}, "can't convert JSON to row slice: json: cannot unmarshal "
                                                          "object into Go value of type []string"),
    ({"template": "child", "json_input": "[1]"}, "can't parse `json_input`: json: cannot unmarshal array into Go "
                                                 "value of type map[string]interface {}"),
    ({"template": "child", "delay": "soon"}, 'delay: time: invalid duration "soon"'),
    ({"template": "ghost"}, "Template not found: ghost"),
])
def test_subtask_creation_errors_are_server_errors(services, make_request, config, message):
    with pytest.raises(ActionError) as caught:
        run(subtask, make_request(config))
    assert type(caught.value) is ActionError and caught.value.message == message


def test_subtask_bad_inputs_stay_client_errors(services, make_request):
    services.create_error = ClientError("Invalid input: missing a")
    with pytest.raises(ClientError, match="Invalid input: missing a"):
        run(subtask, make_request({"template": "child"}))


def test_subtask_validate_context_and_describe(services, make_request):
    with pytest.raises(ConfigError, match='^tag name "_utask_parent_task_id" not allowed$'):
        subtask.validate({"template": "x", "tags": {"_utask_parent_task_id": "1"}})
    subtask.validate({"template": "x", "tags": {"a": "b"}})
    context = subtask.context("stepA")
    assert context["task_id"] == ("{{ if (index .step `stepA` ) }}{{ if (index .step `stepA` `output`) }}"
                                  "{{ index .step `stepA` `output` `id` }}{{ end }}{{ end }}")
    described = subtask.describe(make_request({"template": "child", "resolver_usernames": '["bob"]'},
                                              context={"requester_username": "alice", "requester_groups": "g1,g2"}))
    assert described["create_task"]["resolver_usernames"] == ["bob"]
    assert described["create_task"]["requester_groups"] == ["g1", "g2"]
    assert described["create_task"]["comment"] == "Auto created subtask, parent task t-parent"
    assert services.calls == []


# ------------------------------------------------------------------------------------------------ batch

def _metadata(text):
    return json.loads(text.replace('\\"', '"'))


def test_batch_runs_in_sub_batches(services, make_request):
    config = {"template_name": "batched", "inputs": [{"n": "1"}, {"n": "2"}, {"n": "3"}],
              "common_inputs": {"shared": "s"}, "sub_batch_size": "2", "tags": {"k": "v"}}
    with pytest.raises(Waiting) as caught:
        run(batch, make_request(config, context={"parent_task_id": "t-parent", "metadata": ""}))
    first = _metadata(caught.value.metadata)
    assert caught.value.message == f'tasks from batch "{first["batch_id"]}" will start shortly'
    assert first["remaining_tasks"] == 3 and first["tasks_started"] == 2
    assert '\\"batch_id\\"' in caught.value.metadata
    assert [c["inputs"] for c in services.created] == [{"n": "1", "shared": "s"}, {"n": "2", "shared": "s"}]
    assert services.created[0]["tags"] == {"k": "v", "_utask_parent_task_id": "t-parent"}

    # one child finishes: the engine wakes the parent, which refills the window
    services.tasks["task-1"]["state"] = "DONE"
    raw = caught.value.metadata.replace('\\"', '"')  # what the rendered context gives back
    with pytest.raises(Waiting) as caught:
        run(batch, make_request(config, context={"metadata": raw}))
    second = _metadata(caught.value.metadata)
    assert caught.value.message == f'batch "{first["batch_id"]}" is currently RUNNING'
    assert second["tasks_started"] == 3 and second["remaining_tasks"] == 2 and len(services.created) == 3

    for task in services.tasks.values():
        task["state"] = "DONE" if task["id"] != "task-3" else "WONTFIX"
    result = run(batch, make_request(config, context={"metadata": caught.value.metadata.replace('\\"', '"')}))
    assert result.output is None
    assert _metadata(result.metadata)["remaining_tasks"] == 0


def test_batch_empty_inputs_done_at_once(services, make_request):
    result = run(batch, make_request({"template_name": "batched", "json_inputs": "[]"}))
    assert result.metadata == {"batch_id": "", "remaining_tasks": 0, "tasks_started": 0}
    assert services.created == []


def test_batch_json_inputs_and_conflicts(services, make_request):
    config = {"template_name": "batched", "json_inputs": '[{"a": 1}]', "common_json_inputs": '{"a": 2}'}
    with pytest.raises(ClientError, match="^Conflicting keys in input maps$") as caught:
        run(batch, make_request(config))
    assert caught.value.metadata is None
    with pytest.raises(ClientError, match="^JSON inputs unmarshalling failure: unexpected end of JSON input$"):
        run(batch, make_request({"template_name": "batched", "json_inputs": "[{"}))
    with pytest.raises(ClientError) as caught:
        run(batch, make_request({"template_name": "batched", "inputs": [{}], "sub_batch_size": "two"},
                                context={"metadata": '{"batch_id":"b"}'}))
    assert caught.value.message.startswith("parsing failure of field 'SubBatchSize'")
    assert caught.value.metadata == '{\\"batch_id\\":\\"b\\"}'


def test_batch_context_and_describe(services, make_request):
    assert batch.context("b")["metadata"] == ("{{ if (index .step `b` ) }}{{ if (index .step `b` `metadata`) }}"
                                              "{{ index .step `b` `metadata` }}{{ end }}{{ end }}")
    described = batch.describe(make_request({"template_name": "batched", "inputs": [{"a": 1}, {"a": 2}]}))
    assert described["children"] == 2
    assert services.calls == []


# ------------------------------------------------------------------------------------------------ callback

class RegistryServices:
    """Adds the optional CallbackRegistry methods to the fake services."""

    def __init__(self, base):
        self._base = base
        self.registered = {}
        self.scripts_dir, self.now = base.scripts_dir, base.now

    def __getattr__(self, name):
        return getattr(self._base, name)

    def register_callback(self, callback_id, secret, schema, *, task_id, step_name, resolver_username):
        self.registered[callback_id] = (secret, schema, task_id, step_name, resolver_username)

    def callback_called_at(self, callback_id):
        return datetime.datetime(2025, 5, 6, 7, 8, 9, tzinfo=datetime.UTC)


def test_callback_create_and_wait(services, make_request):
    created = run(callback, make_request({"action": "create", "schema": '{"type": "object", "version": 4}'})).output
    assert set(created) == {"id", "url", "token", "schema"}
    assert created["url"] == f"http://127.0.0.1:8081/unsecured/callback/{created['id']}?t={created['token']}"
    assert created["schema"] == {"type": "object", "$schema": "http://json-schema.org/draft-04/schema#"}

    services.callbacks[created["id"]] = None
    with pytest.raises(Waiting, match="^task is waiting for a callback$"):
        run(callback, make_request({"action": "WAIT", "id": created["id"]}))
    services.callbacks[created["id"]] = {"approved": True}
    result = run(callback, make_request({"action": "wait", "id": created["id"]}))
    assert result.output == {"id": created["id"], "date": "2026-01-02T03:04:05Z", "body": {"approved": True}}
    with pytest.raises(ActionError) as caught:
        run(callback, make_request({"action": "wait", "id": "unknown"}))
    assert type(caught.value) is ActionError


def test_callback_without_schema_and_with_registry(services, make_request):
    registry = RegistryServices(services)
    output = run(callback, make_request({"action": "create"}, svc=registry,
                                        context={"step": "cb", "task_id": "t9", "requester_username": "zoe"})).output
    assert output["schema"] is None
    assert registry.registered[output["id"]] == (output["token"], None, "t9", "cb", "zoe")
    services.callbacks[output["id"]] = {"x": 1}
    waited = run(callback, make_request({"action": "wait", "id": output["id"]}, svc=registry)).output
    assert waited["date"] == "2025-05-06T07:08:09Z"


def test_callback_invalid_schema_is_client_error(make_request):
    with pytest.raises(ClientError, match="^Failed to create callback: unable to parse provided schema: "):
        run(callback, make_request({"action": "create", "schema": '{"type": 12}'}))
    with pytest.raises(ClientError, match="unable to parse provided schema"):
        run(callback, make_request({"action": "create", "schema": "{not json"}))


def test_callback_validate_and_describe(services, make_request):
    callback.validate({"action": "Create"})
    callback.validate({"action": "wait", "id": "{{.step.c.output.id}}"})
    with pytest.raises(ConfigError, match='^missing "id" parameter$'):
        callback.validate({"action": "wait"})
    with pytest.raises(ConfigError, match='^invalid action "poll"$'):
        callback.validate({"action": "poll"})
    assert callback.context("cb") == {"step": "cb", "task_id": "{{.task.task_id}}",
                                      "requester_username": "{{.task.requester_username}}"}
    assert callback.describe(make_request({"action": "create"}))["create_callback"] == {"schema": None}
    assert services.calls == []
