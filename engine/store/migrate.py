"""Schema migrations: numbered SQL files shipped in `engine/store/migrations/`, applied at open.

A file is named `NNNN_what.sql`; its number is the schema version it produces. Versions must run 1, 2, 3…
without gaps. `schema_version` records one row per applied file. Pending files are applied in order inside
one IMMEDIATE transaction (SQLite's DDL is transactional): a crash or an error leaves the previous schema.
A database whose version is newer than the newest file is refused.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

from engine.store.errors import SchemaTooNewError, StoreError

__all__ = ["Migration", "apply_migrations", "load_migrations"]

_NAME = re.compile(r"(\d{4})_([a-z0-9_]+)\.sql")


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file's statements, split where SQLite says a statement is complete (triggers kept whole)."""
        found: list[str] = []
        pending = ""
        for line in self.sql.splitlines(keepends=True):
            pending += line
            if sqlite3.complete_statement(pending):
                statement = _strip_comments(pending)
                if statement:
                    found.append(statement)
                pending = ""
        if _strip_comments(pending):
            raise StoreError(f"migration {self.name}: unterminated statement: {pending.strip()[:80]!r}")
        return found


def _strip_comments(text: str) -> str:
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return "\n".join(lines).strip()


def load_migrations() -> list[Migration]:
    """The migrations shipped with the package, by version (read through importlib.resources)."""
    folder = resources.files("engine.store").joinpath("migrations")
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _NAME.fullmatch(entry.name)
        if match is None:
            continue
        found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda migration: migration.version)
    for expected, migration in enumerate(found, start=1):
        if migration.version != expected:
            raise StoreError(f"migrations must be numbered 1, 2, 3…: expected version {expected}, "
                             f"found {migration.name}")
    if not found:
        raise StoreError("no schema migrations found in engine/store/migrations")
    return found


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if exists is None:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def apply_migrations(conn: sqlite3.Connection, path: str, migrations: list[Migration] | None = None) -> int:
    """Bring the database to the newest schema; return its version. `conn` must be in autocommit mode."""
    migrations = load_migrations() if migrations is None else migrations
    newest = migrations[-1].version
    if current_version(conn) == newest:  # the usual case: nothing to do, no write lock taken
        return newest
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, "
                     "name TEXT NOT NULL, applied TEXT NOT NULL)")
        version = current_version(conn)  # again, under the write lock: another process may have migrated
        if version > newest:
            raise SchemaTooNewError(
                f"{path}: the database has schema version {version} but this version of µTask Studio knows "
                f"versions up to {newest}; open it with a newer µTask Studio (the database was left untouched)")
        for migration in migrations[version:]:
            for statement in migration.statements():
                conn.execute(statement)
            conn.execute("INSERT INTO schema_version (version, name, applied) VALUES (?, ?, ?)",
                         (migration.version, migration.name, dt.datetime.now(dt.UTC).isoformat()))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    return newest
