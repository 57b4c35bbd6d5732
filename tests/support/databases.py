"""The databases tests run on: a SQLite file always, PostgreSQL when TEST_POSTGRES_URL is set."""
import asyncio
import atexit
import os
from concurrent.futures import ThreadPoolExecutor
from functools import cache

import asyncpg
from sqlalchemy.engine import make_url

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from bot.settings import normalise_database_url
from storage.engine import make_engine

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


def postgres_url_or_skip() -> str:
    """A database of this test process's own, so parallel runs never reset each other's tables."""
    if POSTGRES_URL:
        return _process_database()
    reason = "PostgreSQL tests need TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"
    if REQUIRE_POSTGRES:
        pytest.fail(f"REQUIRE_POSTGRES=1 but {reason}")
    pytest.skip(reason)


async def reset_postgres(url: str) -> None:
    """Start each test from an empty schema, including Alembic's own table."""
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


def _in_thread(coroutine_function, *args):
    # Callers may already be inside an event loop; the admin connection gets a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function(*args)).result()


async def _admin(sql: str) -> None:
    url = make_url(normalise_database_url(POSTGRES_URL))
    connection = await asyncpg.connect(user=url.username, password=url.password, host=url.host,
                                       port=url.port or 5432, database=url.database)
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
