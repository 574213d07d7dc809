"""Helpers of the main-window tests: scripted answers to the window's questions, a window on temporary settings."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from pytestqt.qtbot import QtBot
from studio_support import ROOT

from studio.files_ui import Choice
from studio.main_window import MainWindow
from studio.settings import StudioSettings


@dataclass
class ScriptedPrompts:
    """Answers the window's questions from lists, and records what was asked."""

    unsaved: list[Choice] = field(default_factory=list)
    restore: list[bool] = field(default_factory=list)
    paths: list[Path | None] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def unsaved_changes(self, name: str) -> Choice:
        self.asked.append(f"unsaved {name}")
        return self.unsaved.pop(0) if self.unsaved else Choice.DISCARD  # (the test's teardown closes windows)

    def restore_recovery(self, path: Path, when: dt.datetime) -> bool:
        self.asked.append(f"restore {path.name} {when:%H:%M}")
        return self.restore.pop(0)

    def open_path(self, start: str) -> Path | None:
        self.asked.append("open")
        return self.paths.pop(0)

    def save_path(self, start: str) -> Path | None:
        self.asked.append(f"save as {Path(start).name}")
        return self.paths.pop(0)

    def functions_directory(self, start: str) -> Path | None:
        self.asked.append("functions")
        return self.paths.pop(0)

    def sample(self, samples: list[Path]) -> Path | None:
        self.asked.append("sample")
        return self.paths.pop(0)

    def error(self, title: str, message: str) -> None:
        self.errors.append(message)


def working_copy(path: Path, folder: Path) -> Path:
    """A copy of a file of the repository (with its functions/ folder) in `folder`: autosave and saves write
    beside the file they edit, and must never touch samples/ or the shared corpus."""
    if not path.resolve().is_relative_to(ROOT.parent):
        return path
    folder.mkdir(parents=True, exist_ok=True)
    if (path.parent / "functions").is_dir() and not (folder / "functions").exists():
        shutil.copytree(path.parent / "functions", folder / "functions")
    target = folder / path.name
    target.write_bytes(path.read_bytes())
    return target


def make_window(qtbot: QtBot, settings_dir: Path, prompts: ScriptedPrompts | None = None,
                path: Path | None = None, **options: object) -> MainWindow:
    """A shown 1280×800 window whose settings live in `settings_dir` (never the real home), on a working copy
    of `path` when that is a file of the repository."""
    settings_dir.mkdir(parents=True, exist_ok=True)
    window = MainWindow(settings=StudioSettings(settings_dir / "settings.ini"),
                        prompts=prompts or ScriptedPrompts(), **options)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.resize(1280, 800)
    if path is not None:
        assert window.open_file(working_copy(path, settings_dir / "work"))
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()  # shortcuts only reach the active window
    qtbot.waitUntil(window.isActiveWindow)
    return window
