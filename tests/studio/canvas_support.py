"""Shared helpers of the canvas tests: open a shown canvas on a session, copy a sample, find cards; every session a
test opened is closed after it (import `close_sessions` into the test module to use that autouse fixture)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from studio_support import SAMPLE_DIR

from studio.canvas.node import StepNode
from studio.canvas.view import CanvasView
from studio.session import DocumentSession

OPENED: list[tuple[CanvasView, DocumentSession]] = []


@pytest.fixture(autouse=True)
def close_sessions() -> Iterator[None]:
    """Detach and close every session a test opened (no validation thread nor timer outlives its test)."""
    yield
    while OPENED:
        view, session = OPENED.pop()
        view.set_session(None)
        session.close()


def open_canvas(qtbot: QtBot, path: Path, size: tuple[int, int] = (1400, 1000)) -> CanvasView:
    """A shown canvas on a validated session of the template at `path`."""
    session = DocumentSession.open(path)
    session.validate_now()
    view = CanvasView()
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_session(session)
    OPENED.append((view, session))
    return view


def sample(tmp_path: Path, name: str) -> Path:
    """A copy of a sample in `tmp_path` (so no sidecar is ever written next to the samples)."""
    path = tmp_path / f"{name}.yaml"
    shutil.copy(SAMPLE_DIR / f"{name}.yaml", path)
    return path


def session_of(view: CanvasView) -> DocumentSession:
    session = view.template_scene().session
    assert session is not None
    return session


def node(view: CanvasView, name: str) -> StepNode:
    found = view.template_scene().node(name)
    assert found is not None, f"no card for {name}"
    return found
