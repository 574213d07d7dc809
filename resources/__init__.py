"""Data files shipped with the studio (icons, themes); always reached through `resource_path`, never `__file__`,
so they resolve the same way from a source tree, a wheel and a frozen PyInstaller bundle."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["resource_path"]


def resource_path(name: str) -> Path:
    """The path of the resource `name` (e.g. "icons/app.svg"), relative to this package."""
    return Path(str(resources.files(__name__).joinpath(name)))
