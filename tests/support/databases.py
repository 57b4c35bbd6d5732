"""The databases tests run on: a SQLite file always, PostgreSQL when TEST_POSTGRES_URL is set."""
import os

import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

import storage.tables  # noqa: F401
from bot.settings import normalise_database_url
from storage.engine import make_engine

POSTGRES_URL = os.environ.get("TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("REQUIRE_POSTGRES") == "1"


def postgres_url_or_skip() -> str:
    if POSTGRES_URL:
        return normalise_database_url(POSTGRES_URL)
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
