"""Shared pieces of the run-core tests (no tests here): a local HTTP server, small templates, a studio window with
its run panel on a temporary store, and helpers that drive the real dialogs."""

from __future__ import annotations

import asyncio
import json
import shutil
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from studio.main_window import MainWindow
from studio.run import attach_run_panel
from studio.run.inputs_form import InputMemory
from studio.run.loop import event_loop
from studio.run.panel import RunPanel
from studio.settings import StudioSettings

WAIT_MS = 20_000


class LocalServer:
    """http.server on 127.0.0.1 in a thread: `/hello` answers JSON at once, `/slow` once `gate` is set."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.requests: list[str] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                server.requests.append(self.path)
                if self.path.startswith("/slow"):
                    server.gate.wait(30)
                body = json.dumps({"hello": "world", "path": self.path, "served_by": "test"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def stop(self) -> None:
        self.gate.set()
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(autouse=True)
def release_the_loop() -> Iterator[None]:
    """The panel installs qasync's loop as this thread's running loop; other tests (asyncio.run) need it unset."""
    yield
    asyncio.events._set_running_loop(None)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    running = LocalServer()
    try:
        yield running
    finally:
        running.stop()


def http_template(url: str, *, slow: bool = False, idempotent: bool = True) -> str:
    """start (echo) → fetch (http GET) → report (echo of the response) and, after a NOT_FOUND, a pruned branch."""
    path = "/slow" if slow else "/hello"
    return f"""\
name: local-http
description: Calls a local server.
title_format: local http
steps:
  start:
    description: Say what happens.
    action:
      type: echo
      configuration:
        output: {{message: starting}}
  fetch:
    description: Call the local server.
    dependencies: [start]
    idempotent: {"true" if idempotent else "false"}
    custom_states: [NOT_FOUND]
    action:
      type: http
      configuration:
        url: "{url}{path}"
        method: GET
  report:
    description: Keep what the server said.
    dependencies: [fetch]
    action:
      type: echo
      configuration:
        output: {{said: "{{{{.step.fetch.output.hello}}}}"}}
  missing:
    description: Only when fetch found nothing.
    dependencies: ["fetch:NOT_FOUND"]
    action:
      type: echo
      configuration:
        output: {{}}
"""


def write_template(tmp_path: Path, text: str, name: str = "local-http.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def open_window(qtbot: QtBot, tmp_path: Path, template: Path, store: Path | None = None,
                ask_resume: Callable[[list[Any]], bool] | None = None) -> tuple[MainWindow, RunPanel]:
    event_loop()
    template = _private_copy(template, tmp_path)
    window = MainWindow(settings=StudioSettings(tmp_path / "settings.ini"), run_panel=False)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    assert window.open_file(template)
    panel = attach_run_panel(window, store_path=store or tmp_path / "runs.sqlite",
                             memory=InputMemory(tmp_path / "last-inputs.json"),
                             ask_resume=ask_resume or (lambda found: False))
    window.show()
    return window, panel


def _private_copy(template: Path, tmp_path: Path) -> Path:
    """A sample is copied (with its example inputs and functions) so that edits, sidecars and recovery files
    written by the studio never touch the repository."""
    if tmp_path in template.parents:
        return template
    folder = tmp_path / "samples"
    folder.mkdir(exist_ok=True)
    for sibling in (template, template.with_name(template.stem + ".inputs.json")):
        if sibling.exists():
            shutil.copy(sibling, folder / sibling.name)
    if (template.parent / "functions").is_dir() and not (folder / "functions").exists():
        shutil.copytree(template.parent / "functions", folder / "functions")
    return folder / template.name


def close_window(panel: RunPanel) -> None:
    panel.shutdown()
    assert panel.controller.idle()


def click_ok(dialog: QDialog, qtbot: QtBot) -> None:
    box = dialog.findChild(QDialogButtonBox)
    assert box is not None
    QTest.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), Qt.MouseButton.LeftButton)


def answering(qtbot: QtBot, fill: Callable[[Any], None],
              seen: list[QDialog] | None = None) -> Callable[[QDialog], bool]:
    """An `exec_dialog` for the panel: shows the real dialog, lets `fill` use it, clicks OK."""
    def exec_dialog(dialog: QDialog) -> bool:
        dialog.show()
        qtbot.waitExposed(dialog)
        if seen is not None:
            seen.append(dialog)
        fill(dialog)
        if dialog.isVisible():
            click_ok(dialog, qtbot)
        return dialog.result() == QDialog.DialogCode.Accepted
    return exec_dialog


def wait_idle(qtbot: QtBot, panel: RunPanel) -> str:
    qtbot.waitUntil(lambda: panel.controller.idle() and not panel.controller.busy, timeout=WAIT_MS)
    return panel.controller.state


def canvas_states(window: MainWindow) -> dict[str, str]:
    """The state each card paints (its run view), read from the scene."""
    return {name: node.run_view.state for name, node in window.scene.nodes.items() if node.run_view is not None}
