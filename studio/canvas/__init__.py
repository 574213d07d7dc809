"""The DAG canvas: an editor attached to a DocumentSession.

`TemplateScene` (scene.py) follows the session incrementally and turns gestures into edits (editing.py);
`CanvasView` (view.py) adds zoom/pan, drops from the palette, keys, menus, find, the minimap and overlays.
Layout (layout.py, layered.py, graphviz_layout.py, placement.py) and the clipboard format are Qt-free where
they can be.
"""
