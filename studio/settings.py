"""What the studio remembers between sessions: recent files, window layout, theme, functions directory.

One INI file under the user's config directory (platformdirs), or wherever `UTASK_STUDIO_SETTINGS` points
(tests and portable installs), so a test run never touches the real home.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

__all__ = ["MAX_RECENT", "SETTINGS_ENV", "StudioSettings", "default_settings_path"]

SETTINGS_ENV = "UTASK_STUDIO_SETTINGS"
MAX_RECENT = 10


def default_settings_path() -> Path:
    """`$UTASK_STUDIO_SETTINGS`, else `<user config dir>/utask-studio/settings.ini`."""
    override = os.environ.get(SETTINGS_ENV)
    if override:
        return Path(override)
    import platformdirs  # noqa: PLC0415 - only when the settings are first read, not at import

    return Path(platformdirs.user_config_dir("utask-studio", appauthor=False)) / "settings.ini"


class StudioSettings:
    """Typed access to the studio's QSettings file."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_settings_path()
        self.store = QSettings(str(self.path), QSettings.Format.IniFormat)

    # -- recent files ----------------------------------------------------------------------------------

    def recent_files(self) -> list[Path]:
        value = self.store.value("files/recent", [])
        names = [value] if isinstance(value, str) else list(value) if isinstance(value, list | tuple) else []
        return [Path(name) for name in names if name]

    def add_recent(self, path: Path) -> None:
        """Put `path` first in the list (once), keeping the `MAX_RECENT` latest."""
        resolved = path.resolve()
        files = [resolved, *(p for p in self.recent_files() if p != resolved)]
        self._set_recent(files[:MAX_RECENT])

    def prune_recent(self) -> list[Path]:
        """Drop files that no longer exist; returns the ones dropped."""
        files = self.recent_files()
        missing = [path for path in files if not path.is_file()]
        if missing:
            self._set_recent([path for path in files if path not in missing])
        return missing

    def clear_recent(self) -> None:
        self._set_recent([])

    def _set_recent(self, files: list[Path]) -> None:
        self.store.setValue("files/recent", [str(path) for path in files])
        self.store.sync()

    # -- window layout ---------------------------------------------------------------------------------

    def layout(self, key: str) -> QByteArray | None:
        """A saved `saveState()`/`saveGeometry()` blob, or None."""
        value = self.store.value(f"layout/{key}")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def set_layout(self, key: str, state: QByteArray) -> None:
        self.store.setValue(f"layout/{key}", state)

    def flag(self, key: str, default: bool) -> bool:
        value = self.store.value(f"view/{key}", default)
        return value in (True, "true", "1", 1) if not isinstance(value, bool) else value

    def set_flag(self, key: str, value: bool) -> None:
        self.store.setValue(f"view/{key}", value)

    # -- preferences -----------------------------------------------------------------------------------

    def theme(self) -> str:
        return str(self.store.value("view/theme", "system"))

    def set_theme(self, theme: str) -> None:
        self.store.setValue("view/theme", theme)
        self.store.sync()

    def functions_dir(self) -> Path | None:
        value = self.store.value("files/functions_dir", "")
        return Path(str(value)) if value else None

    def set_functions_dir(self, directory: Path | None) -> None:
        self.store.setValue("files/functions_dir", str(directory) if directory else "")
        self.store.sync()

    def sync(self) -> None:
        self.store.sync()
