"""The DAG canvas: layout (pure Python), scene, node and edge items, and the view."""
