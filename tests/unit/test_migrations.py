"""Migrations: every revision goes up, down and up again, and head matches the models exactly."""
import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Integer, MetaData, Table, inspect
from sqlmodel import SQLModel

import storage.tables  # noqa: F401  (registers every table on SQLModel.metadata)
from storage.engine import make_engine
from storage.migrate import alembic_config, downgrade, upgrade


def revisions_in_order(database_url: str) -> list:
    script = ScriptDirectory.from_config(alembic_config(database_url))
    return list(reversed(list(script.walk_revisions("base", "heads"))))


def test_there_is_one_head(tmp_path):
    script = ScriptDirectory.from_config(alembic_config(f"sqlite+aiosqlite:///{tmp_path / 'x.sqlite3'}"))
    assert len(script.get_heads()) == 1, "two migrations branch from the same parent: merge them"


async def test_stairway(empty_database_url):
    revisions = revisions_in_order(empty_database_url)
    assert revisions, "no migrations found"
    for revision in revisions:
        await asyncio.to_thread(upgrade, empty_database_url, revision.revision)
        await asyncio.to_thread(downgrade, empty_database_url, _one_step_down(revision))
        await asyncio.to_thread(upgrade, empty_database_url, revision.revision)
    assert await _current_revisions(empty_database_url) == {revisions[-1].revision}


async def test_downgrade_to_base_leaves_no_tables(empty_database_url):
    await asyncio.to_thread(upgrade, empty_database_url, "head")
    await asyncio.to_thread(downgrade, empty_database_url, "base")
    assert await _table_names(empty_database_url) <= {"alembic_version"}


async def test_head_matches_the_models(empty_database_url):
    """Adding or changing a model without a migration fails here, on both databases."""
    await asyncio.to_thread(upgrade, empty_database_url, "head")
    diffs = await _diff(empty_database_url, SQLModel.metadata)
    assert diffs == [], "the models and the migrations disagree; write a migration:\n" + "\n".join(map(str, diffs))


async def test_the_comparison_notices_drift(empty_database_url):
    """Guard the guard: a new table or a narrower Telegram id column must show up as a difference."""
    await asyncio.to_thread(upgrade, empty_database_url, "head")
    drifted = MetaData()
    for table in SQLModel.metadata.tables.values():
        table.to_metadata(drifted)
    drifted.tables["chat_account"].c.telegram_user_id.type = Integer()
    Table("model_without_migration", drifted, Column("id", Integer, primary_key=True))
    diffs = await _diff(empty_database_url, drifted)
    flat = [d for diff in diffs for d in (diff if isinstance(diff, list) else [diff])]
    assert ("add_table", "model_without_migration") in {(d[0], getattr(d[1], "name", None)) for d in flat}
    assert any(d[0] == "modify_type" and d[2:4] == ("chat_account", "telegram_user_id") for d in flat)


def _one_step_down(revision) -> str:
    if revision.down_revision is None:
        return "base"
    return revision.down_revision if isinstance(revision.down_revision, str) else f"{revision.revision}-1"


async def _diff(url: str, metadata: MetaData) -> list:
    def compare(connection) -> list:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "compare_server_default": True})
        return compare_metadata(context, metadata)

    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(compare)
    finally:
        await engine.dispose()


async def _current_revisions(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: MigrationContext.configure(c).get_current_heads()))
    finally:
        await engine.dispose()


async def _table_names(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()
