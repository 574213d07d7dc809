"""The run side of the engine: resolutions, the execution cycle and the builtin actions.

* `engine.Engine` — facade: templates, `create` / `create_task` / `create_resolution`, `run` (one synchronous
  run, `RunRefused` with µTask's messages), `pause` / `cancel` / `extend`, `collect_retries` (retry collector
  pass), `mark_crashed`, `shutdown`; events on `engine.bus` (`events.EventBus`), records through a
  `recorder.RunRecorder` (`recorder.MemoryRecorder`, or `store_recorder.StoreRecorder` over `engine.store`:
  incremental, audited, resumable after a kill).
* `cycle.RunCycle` — the execution cycle of §10.1 (eligibility, pruning, conditions, foreach, RETRY_NOW,
  WAITING extra pass) over a dependents index; `pipeline` — one step's execution (§10.3);
  `conditions`, `foreach`, `functions`, `context` (Values and snapshots), `outcome` (resolution state,
  next_retry), `resources`, `create` (inputs), `services` (in-process EngineServices), `cli_run`.
* Dry runs: actions with side effects are not executed; `StepRun.dry_run` holds the plugin's `describe()`
  and output/metadata/state come from the fixtures (step name → {output, metadata, state, error}).
"""
