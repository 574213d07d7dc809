-- µTask Studio store, schema version 1.
-- JSON columns hold text written by engine.store.codec (numbers exact); NULL in a nullable JSON column
-- means None. Dates are ISO 8601 text (UTC, microseconds), so text order is time order.

CREATE TABLE templates (
    normalized  TEXT PRIMARY KEY,          -- trimmed, lower-cased name: µTask's identity
    name        TEXT NOT NULL,             -- as written
    source      TEXT,                      -- original YAML text (comments and order kept), if known
    body        TEXT NOT NULL,             -- JSON of the Template model
    etag        TEXT NOT NULL,             -- sha256 of body
    updated     TEXT NOT NULL
);

CREATE TABLE tasks (
    id                  TEXT PRIMARY KEY,
    template_name       TEXT NOT NULL,
    title               TEXT NOT NULL,
    state               TEXT NOT NULL,
    inputs              TEXT NOT NULL,     -- JSON object; numbers re-read as floats (spec §13.6)
    result              TEXT,              -- JSON
    requester_username  TEXT NOT NULL,
    resolver_username   TEXT NOT NULL,
    created             TEXT NOT NULL,
    last_activity       TEXT NOT NULL      -- bumped by every write to the task or its resolution
);
-- Only one index holds last_activity: it changes at every write to the task, and each index holding it
-- would be rewritten each time.
CREATE INDEX tasks_by_activity ON tasks (last_activity, id);
CREATE INDEX tasks_by_state ON tasks (state);
CREATE INDEX tasks_by_template ON tasks (template_name);

-- Tags in their own table so that `tag=key=value` filters use an index.
CREATE TABLE task_tags (
    task_id  TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    key      TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (task_id, key)
) WITHOUT ROWID;
CREATE INDEX task_tags_by_pair ON task_tags (key, value);

-- One resolution per task (µTask's unique constraint); start-over deletes it and creates another.
CREATE TABLE resolutions (
    id                   TEXT PRIMARY KEY,
    task_id              TEXT NOT NULL UNIQUE REFERENCES tasks (id) ON DELETE CASCADE,
    state                TEXT NOT NULL,
    resolver_inputs      TEXT NOT NULL,    -- JSON object; numbers re-read as floats (spec §13.6)
    base_configurations  TEXT NOT NULL,    -- JSON object
    run_count            INTEGER NOT NULL,
    run_max              INTEGER NOT NULL,
    next_retry           TEXT,
    last_start           TEXT,
    last_stop            TEXT,
    created              TEXT NOT NULL
);
CREATE INDEX resolutions_by_state ON resolutions (state, next_retry);
CREATE INDEX resolutions_by_created ON resolutions (created, id);

-- One row per step of a resolution, foreach children included while they exist. Each state change
-- rewrites only the columns that changed, in this row only.
CREATE TABLE steps (
    id              INTEGER PRIMARY KEY,   -- insertion order = the order of the resolution's steps
    resolution_id   TEXT NOT NULL REFERENCES resolutions (id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    state           TEXT NOT NULL,
    output          TEXT,                  -- JSON
    metadata        TEXT,                  -- JSON
    children        TEXT,                  -- JSON array (a foreach parent's collected children)
    error           TEXT NOT NULL,
    try_count       INTEGER NOT NULL,
    max_retries     INTEGER NOT NULL,
    last_run        TEXT,
    item            TEXT,                  -- JSON (a foreach child's element)
    children_steps  TEXT NOT NULL,         -- JSON array of step names
    tags            TEXT NOT NULL,         -- JSON object
    dependencies    TEXT NOT NULL,         -- JSON array: live (a foreach parent gains `child:ANY`)
    conditions      TEXT NOT NULL,         -- JSON array of conditions: live (rendered messages kept)
    definition      TEXT NOT NULL,         -- JSON of the Step model copied from the template
    UNIQUE (resolution_id, name)
);

-- What changed, from → to, when and why. One row per changed field (`step` NULL for resolution and task
-- fields; field `step` with from/to NULL records a step added or removed). Rows live as long as the task:
-- a resolution deleted by start-over keeps its history.
CREATE TABLE audit (
    id             INTEGER PRIMARY KEY,
    task_id        TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    resolution_id  TEXT,
    step           TEXT,
    field          TEXT NOT NULL,
    old_value      TEXT,                   -- JSON; NULL when there was nothing before
    new_value      TEXT,                   -- JSON; NULL when nothing is left
    at             TEXT NOT NULL,
    reason         TEXT NOT NULL
);
CREATE INDEX audit_by_task ON audit (task_id, resolution_id, id);

-- The callback plugin: an endpoint a step waits on (spec plugins §6).
CREATE TABLE callbacks (
    id             TEXT PRIMARY KEY,
    task_id        TEXT NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    resolution_id  TEXT NOT NULL,
    step           TEXT NOT NULL,
    token          TEXT NOT NULL,
    schema         TEXT,                   -- JSON schema the body must match
    body           TEXT,                   -- JSON; NULL until called
    called         TEXT,                   -- when it was called
    created        TEXT NOT NULL
);
CREATE INDEX callbacks_by_task ON callbacks (task_id);

-- The cache plugin: a global key → JSON value table with optional expiry (spec plugins §13).
CREATE TABLE cache (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    expires_at  TEXT
);
