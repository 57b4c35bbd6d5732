"""The tests' databases: the schema is built once per process, yet every test starts from empty tables."""
import asyncio
from contextlib import suppress

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError
from sqlmodel import SQLModel, select

import storage.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.engine import make_engine, make_session_factory
from storage.models import Unit
from tests.support.databases import empty_postgres, postgres_with_tables, sqlite_with_tables


async def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        names = await connection.run_sync(lambda sync: set(inspect(sync).get_table_names()))
    await engine.dispose()
    return names


async def _add_unit(url: str) -> int:
    engine = make_engine(url)
    async with make_session_factory(engine)() as session:
        unit = Unit(comuna="Conchalí", name="UIF")
        session.add(unit)
        await session.commit()
        unit_id = unit.id
    await engine.dispose()
    return unit_id


async def _unit_ids(url: str) -> list[int]:
    engine = make_engine(url)
    async with make_session_factory(engine)() as session:
        ids = list((await session.exec(select(Unit.id))).all())
    await engine.dispose()
    return ids


async def _new_database(backend: str, folder) -> str:
    """What the `database_url` fixture gives the next test."""
    if backend == "postgresql":
        return await postgres_with_tables()
    folder.mkdir()
    return sqlite_with_tables(folder)


async def test_the_tables_are_the_models_tables(database_url):
    assert await _tables(database_url) == set(SQLModel.metadata.tables)


async def test_rows_and_ids_never_reach_the_next_test(backend, tmp_path):
    first = await _new_database(backend, tmp_path / "first")
    assert [await _add_unit(first), await _add_unit(first)] == [1, 2]
    second = await _new_database(backend, tmp_path / "second")
    assert await _unit_ids(second) == []
    assert await _add_unit(second) == 1  # ids start over, as in a new database


async def test_a_connection_left_open_does_not_block_the_next_test():
    url = await postgres_with_tables()
    await _add_unit(url)
    engine = make_engine(url)
    leftover = await engine.connect()
    await leftover.execute(text("UPDATE unit SET name = 'otra'"))
    # Its transaction is still open, holding the row's lock, when the next test starts.
    assert await _unit_ids(await asyncio.wait_for(postgres_with_tables(), timeout=30)) == []
    with suppress(DBAPIError):  # its connection was closed from the server's side
        await leftover.close()
    await engine.dispose()


async def test_after_a_migration_test_the_tables_come_back():
    url = await empty_postgres()
    assert await _tables(url) == set()
    engine = make_engine(url)
    async with engine.begin() as connection:  # what a test on the empty database may leave behind
        await connection.execute(text("CREATE TABLE alembic_version (version_num varchar(32))"))
    await engine.dispose()
    assert await _tables(await postgres_with_tables()) == set(SQLModel.metadata.tables)
