"""Opening a database: settings, migrations from numbered SQL files, refusal of newer schemas."""

from __future__ import annotations

import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from engine.store import SchemaTooNewError, Store, StoreError
from engine.store.migrate import Migration, apply_migrations, current_version, load_migrations
from tests.store.store_helpers import make_resolution, make_task, reader

TABLES = {"templates", "tasks", "task_tags", "resolutions", "steps", "audit", "callbacks", "cache", "schema_version"}


def tables(path: Path) -> set[str]:
    with reader(path) as conn:
        rows = conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return {row[0] for row in rows}


def test_migrations_are_package_data_numbered_from_one() -> None:
    folder = resources.files("engine.store").joinpath("migrations")
    names = sorted(entry.name for entry in folder.iterdir() if entry.name.endswith(".sql"))
    migrations = load_migrations()
    assert [migration.name for migration in migrations] == names
    assert [migration.version for migration in migrations] == list(range(1, len(names) + 1))
    assert all(migration.statements() for migration in migrations)


async def test_fresh_database(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        assert store.schema_version == load_migrations()[-1].version
        assert await store.integrity_check() == []
    assert tables(db_path) >= TABLES
    with reader(db_path) as conn:
        rows = conn.execute("SELECT version, name FROM schema_version ORDER BY version").fetchall()
        assert rows == [(migration.version, migration.name) for migration in load_migrations()]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # persistent in the file


async def test_connection_settings(db_path: Path) -> None:
    async with Store.open(db_path, busy_timeout=2.5) as store:
        def pragmas(conn: sqlite3.Connection) -> tuple[object, ...]:
            return tuple(conn.execute(f"PRAGMA {name}").fetchone()[0]
                         for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout"))
        assert await store._db.read(pragmas) == ("wal", 1, 1, 2500)  # synchronous 1 = NORMAL


async def test_reopening_is_idempotent_and_keeps_data(db_path: Path) -> None:
    async with Store.open(db_path) as store:
        await store.create_task(make_task(), make_resolution())
    schema = tables(db_path)
    for _ in range(3):
        async with Store.open(db_path) as store:
            assert len((await store.load_resolution("r1")).steps) == 3
            assert await store.total_changes() == 0  # nothing was migrated again
    assert tables(db_path) == schema
    with reader(db_path) as conn:
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone()[0] == len(load_migrations())


async def test_a_newer_schema_is_refused_and_left_untouched(db_path: Path) -> None:
    async with Store.open(db_path):
        pass
    with reader(db_path) as conn:
        conn.execute("INSERT INTO schema_version (version, name, applied) VALUES (99, '0099_future.sql', 'x')")
        conn.execute("CREATE TABLE from_the_future (x)")
    newest = load_migrations()[-1].version
    with pytest.raises(SchemaTooNewError, match=rf"schema version 99 .* versions up to {newest}"):
        await Store.open(db_path)
    assert "from_the_future" in tables(db_path)
    with reader(db_path) as conn:
        assert current_version(conn) == 99


def test_version_1_files_gain_the_dry_run_column_and_keep_their_rows(db_path: Path) -> None:
    with sqlite3.connect(db_path, isolation_level=None) as conn:
        assert apply_migrations(conn, str(db_path), load_migrations()[:1]) == 1
        conn.execute("INSERT INTO tasks VALUES ('t1', 'x', 'x', 'TODO', '{}', NULL, '', '', '2025', '2025')")
        conn.execute("INSERT INTO resolutions VALUES ('r1', 't1', 'TODO', '{}', '{}', 0, 1, NULL, NULL, NULL, '2025')")
        conn.execute("INSERT INTO steps (resolution_id, name, state, error, try_count, max_retries, children_steps, "
                     "tags, dependencies, conditions, definition) VALUES ('r1', 's', 'DONE', '', 1, 0, '[]', '{}', "
                     "'[]', '[]', '{}')")
        assert apply_migrations(conn, str(db_path)) == load_migrations()[-1].version
        assert conn.execute("SELECT name, state, dry_run FROM steps").fetchall() == [("s", "DONE", None)]


def test_a_failing_migration_leaves_the_previous_schema(db_path: Path) -> None:
    good = Migration(1, "0001_a.sql", "CREATE TABLE a (x);\n-- a comment; with a semicolon\n")
    bad = Migration(2, "0002_b.sql", "CREATE TABLE b (x);\nCREATE TABLE a (y);\n")
    with sqlite3.connect(db_path, isolation_level=None) as conn:
        assert apply_migrations(conn, str(db_path), [good]) == 1
        with pytest.raises(sqlite3.OperationalError, match="already exists"):
            apply_migrations(conn, str(db_path), [good, bad])
        assert current_version(conn) == 1
        assert conn.execute("SELECT count(*) FROM sqlite_schema WHERE name = 'b'").fetchone()[0] == 0
        assert not conn.in_transaction


def test_statements_are_split_like_sqlite_does() -> None:
    migration = Migration(1, "0001_x.sql", "-- header;\nCREATE TABLE t (x TEXT DEFAULT ';');\n"
                          "CREATE TRIGGER g AFTER INSERT ON t BEGIN\n  UPDATE t SET x = 'a;b';\nEND;\n")
    assert len(migration.statements()) == 2
    with pytest.raises(StoreError, match="unterminated"):
        Migration(1, "0001_y.sql", "CREATE TABLE t (x)").statements()


async def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("these are not the pages you are looking for " * 100)
    with pytest.raises(StoreError, match="not a usable µTask Studio database"):
        await Store.open(path)


async def test_a_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot open"):
        await Store.open(tmp_path / "no" / "such" / "dir" / "x.db")


async def test_closed_store_refuses_work(db_path: Path) -> None:
    store = await Store.open(db_path)
    await store.close()
    await store.close()  # twice is fine
    with pytest.raises(StoreError, match="closed"):
        await store.load_task("t1")
    with pytest.raises(StoreError, match="closed"):
        await store.delete_task("t1")


async def test_a_file_that_cannot_be_opened(tmp_path: Path) -> None:
    folder = tmp_path / "a-folder.db"
    folder.mkdir()
    with pytest.raises(StoreError, match="cannot open"):
        await Store.open(folder)
