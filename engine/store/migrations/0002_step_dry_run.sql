-- µTask Studio store, schema version 2.
--
-- steps.dry_run: what a dry run's side-effect action would have done (the action's description, JSON);
-- NULL outside dry runs. Kept so that a persisted dry run reads back as it ended.
ALTER TABLE steps ADD COLUMN dry_run TEXT;

-- Audit rows since version 2: a change of several fields of one record is one row whose `field` holds
-- the comma-separated field names and whose old_value/new_value are JSON objects of those fields' values
-- (`engine.store.writes.compact_audit`; read back as one entry per field). A single field keeps the
-- version 1 form (its name; the JSON values). No schema change: a comment for readers of the file.
