"""The engine (and the studio's document model) must never import Qt: they run on servers and in CI
without it. Imports run in a fresh interpreter where PySide6, shiboken6 and qasync cannot be found."""

from __future__ import annotations

import subprocess
import sys
import textwrap

BLOCKER = textwrap.dedent(
    """
    import importlib.abc, pkgutil, sys

    class BlockQt(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in ("PySide6", "shiboken6", "qasync", "pygraphviz"):
                raise ImportError(f"{name} is blocked in this test")
            return None

    sys.meta_path.insert(0, BlockQt())
    import engine
    for module in pkgutil.walk_packages(engine.__path__, "engine."):
        if not module.name.endswith("__main__"):
            __import__(module.name)
    try:
        import studio.document
        for module in pkgutil.walk_packages(studio.document.__path__, "studio.document."):
            __import__(module.name)
    except ModuleNotFoundError as exc:
        if exc.name not in ("studio.document",):
            raise
    print("imported", len(sys.modules))
    """
)


def test_engine_imports_without_qt() -> None:
    result = subprocess.run([sys.executable, "-c", BLOCKER], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("imported")


def test_blocker_really_blocks() -> None:
    # Guard against a blocker that blocks nothing: importing PySide6 under it must fail.
    script = BLOCKER.replace("import engine\n", "import PySide6\nimport engine\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "blocked in this test" in result.stderr
