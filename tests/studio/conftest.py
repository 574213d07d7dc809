"""Studio test fixtures. Qt draws offscreen unless told otherwise (set before anything imports Qt)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTEST_QT_API", "pyside6")

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from studio_support import ARTIFACTS, BROKEN_TEMPLATE  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def ui_thread_collector(qapp: object) -> None:
    """As in the app: cyclic garbage is collected on the UI thread only (studio/collector.py)."""
    from studio.collector import install_collector

    install_collector(qapp)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every studio test gets its own settings file: never the user's, never another test's."""
    path = tmp_path_factory.mktemp("settings") / "studio.ini"
    monkeypatch.setenv("UTASK_STUDIO_SETTINGS", str(path))
    monkeypatch.setenv("UTASK_STUDIO_DATA", str(path.parent / "data"))  # runs.sqlite, last inputs
    return path


@pytest.fixture
def broken_template(tmp_path: Path) -> Path:
    path = tmp_path / "broken-example.yaml"
    path.write_text(BROKEN_TEMPLATE, encoding="utf-8")
    return path


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots are kept for a person to look at (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
