"""Builtin action plugins (echo, http, script, ssh, subtask, callback, notify, email, ping, tag, batch,
cache); see `base` for the contract."""
