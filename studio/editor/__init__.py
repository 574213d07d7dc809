"""The YAML pane: a read-only text view with line numbers and syntax highlighting (editing comes later)."""
