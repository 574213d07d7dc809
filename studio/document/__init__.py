"""The studio's document model: one per open template, Qt-free (see architecture.md).

It is shared by the canvas, the YAML pane, the inspector and the problems panel; the import-linter
contract and tests/test_headless.py keep Qt out of it.
"""
