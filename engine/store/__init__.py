"""Persistence: templates, tasks, resolutions and their steps in one SQLite file (aiosqlite, WAL).

Step changes are written incrementally — only the changed columns of the changed steps — each with an
audit row (field, from → to, when, why), in one transaction. See `engine.store.store` for the connection
settings and `engine.store.codec` for how numbers stay exact.
"""

from engine.store.errors import NotFoundError, SchemaTooNewError, StoreError
from engine.store.records import AuditEntry, Callback, ResolutionInfo, StepChange, StoredTemplate
from engine.store.store import Store

__all__ = [
    "AuditEntry",
    "Callback",
    "NotFoundError",
    "ResolutionInfo",
    "SchemaTooNewError",
    "StepChange",
    "Store",
    "StoreError",
    "StoredTemplate",
]
