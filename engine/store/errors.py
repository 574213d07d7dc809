"""The store's exceptions."""

from __future__ import annotations

__all__ = ["NotFoundError", "SchemaTooNewError", "StoreError"]


class StoreError(Exception):
    """Something about the database or a request to it is wrong."""


class SchemaTooNewError(StoreError):
    """The database was written by a newer version of the code; it is left untouched."""


class NotFoundError(StoreError, LookupError):
    """No such template, task, resolution, step or callback."""
