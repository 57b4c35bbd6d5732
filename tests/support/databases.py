"""The databases tests run on: a SQLite file always, PostgreSQL when TEST_POSTGRES_URL is set.

Creating the tables costs a test a quarter of a second or more, so the schema is built once per
test process from the models (SQLModel.metadata, as the tests always did) and each test starts
from a copy of it:
- SQLite: a template file built once, copied into the test's own folder (a file copy).
- PostgreSQL: the process's own database keeps the tables; each test empties every table and
  restarts every sequence, after closing whatever connections an earlier test left open. This
  was measured against `CREATE DATABASE … TEMPLATE` per test on the shared machine (interleaved,
  10 rounds, PostgreSQL 15 with fsync on): emptying took 0.07 s (median), copying the template
  2.0 s and today's drop-and-create 3.1 s, because both DDL schemes write files and WAL.
A test that changes the schema (migrations, the CLI's `migrate`) goes through
`empty_postgres` / `postgres_url_or_skip` / `reset_postgres`, which mark the schema for a
rebuild before the next test that wants the tables.
"""
import asyncio
import atexit
import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from bot.settings import normalise_database_url
from storage.engine import make_engine

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"
SQLITE_NAME = "acompana.sqlite3"

# Whether the process database holds exactly the models' tables (then emptying them is enough).
_postgres_has_the_tables = False


def sqlite_url(folder: Path) -> str:
    return f"sqlite+aiosqlite:///{folder / SQLITE_NAME}"


def sqlite_with_tables(folder: Path) -> str:
    """A SQLite database of this test's own with every table, copied from the process's template."""
    shutil.copy(_sqlite_template(), folder / SQLITE_NAME)
    return sqlite_url(folder)


@cache
def _sqlite_template() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="acompana_schema_"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    path = folder / SQLITE_NAME
    # A plain (rollback-journal) file, so the one file is the whole database; the app's engine
    # switches a copy to WAL when it first connects, as it does with any new file.
    engine = create_engine(f"sqlite:///{path}")
    SQLModel.metadata.create_all(engine)
    engine.dispose()
    return path


def postgres_url_or_skip() -> str:
    """A database of this test process's own, so parallel runs never reset each other's tables.
    The caller may do anything with it, so the next test that wants the tables rebuilds them."""
    global _postgres_has_the_tables
    url = _postgres_url_or_skip()
    _postgres_has_the_tables = False
    return url


def _postgres_url_or_skip() -> str:
    if POSTGRES_URL:
        return _process_database()
    reason = "PostgreSQL tests need TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"
    if REQUIRE_POSTGRES:
        pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


async def empty_postgres() -> str:
    """The process database with no tables at all, not even Alembic's (for migration tests)."""
    url = postgres_url_or_skip()
    await reset_postgres(url)
    return url


async def postgres_with_tables() -> str:
    """The process database with every table of the models, all of them empty."""
    global _postgres_has_the_tables
    url = _postgres_url_or_skip()
    if _postgres_has_the_tables:
        await _empty_every_table(url)
    else:
        await reset_postgres(url)
        await create_tables(url)
        _postgres_has_the_tables = True
    return url


async def reset_postgres(url: str) -> None:
    """Start from an empty schema, including Alembic's own table."""
    global _postgres_has_the_tables
    _postgres_has_the_tables = False
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


async def create_tables(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(SQLModel.metadata.create_all)
    await engine.dispose()


@cache
def _emptying_sql() -> str:
    # Children before parents, so no foreign key is ever violated in between.
    deletes = [f'DELETE FROM "{table.name}"' for table in reversed(SQLModel.metadata.sorted_tables)]
    return ";\n".join([
        # An earlier test's engine left open would hold locks (and its advisory locks) over into this test.
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = current_database() AND pid <> pg_backend_pid()",
        *deletes,
        # Ids start at 1 again, as in a new database.
        "SELECT setval(c.oid, 1, false) FROM pg_class c"
        " WHERE c.relkind = 'S' AND c.relnamespace = 'public'::regnamespace",
    ])


async def _empty_every_table(url: str) -> None:
    connection = await _connect(url)
    try:
        async with connection.transaction():
            await connection.execute(_emptying_sql())
    finally:
        await connection.close()


async def _connect(url: str) -> asyncpg.Connection:
    parsed = make_url(normalise_database_url(url))
    return await asyncpg.connect(user=parsed.username, password=parsed.password, host=parsed.host,
                                 port=parsed.port or 5432, database=parsed.database)


def _in_thread(coroutine_function, *args):
    # Callers may already be inside an event loop; the admin connection gets a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function(*args)).result()


async def _admin(sql: str) -> None:
    connection = await _connect(POSTGRES_URL)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@cache
def _process_database() -> str:
    name = f"acompana_test_{os.getpid()}"
    _in_thread(_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _in_thread(_admin, f'CREATE DATABASE "{name}"')
    # At exit no event loop is running any more, so a plain asyncio.run will do.
    atexit.register(asyncio.run, _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return make_url(normalise_database_url(POSTGRES_URL)).set(database=name).render_as_string(hide_password=False)
