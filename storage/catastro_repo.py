"""The Catastro and the Plan de Redes of a unit: keyword-only functions that flush, never commit.

A unit holds a few hundred entries at most, so lists are read whole and filtered by need or dimension in
Python: the JSON columns then work the same on SQLite and PostgreSQL."""
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.catastro import CatastroEntry, RedesActivity


async def add(session: AsyncSession, row):
    session.add(row)
    await session.flush()
    return row


async def get_entry(session: AsyncSession, *, entry_id: int) -> CatastroEntry | None:
    return await session.get(CatastroEntry, entry_id)


async def list_entries(session: AsyncSession, *, unit_id: int, active_only: bool = True) -> Sequence[CatastroEntry]:
    query = select(CatastroEntry).where(CatastroEntry.unit_id == unit_id)
    if active_only:
        query = query.where(col(CatastroEntry.active).is_(True))
    return (await session.exec(query.order_by(col(CatastroEntry.name), col(CatastroEntry.id)))).all()


async def get_activity(session: AsyncSession, *, activity_id: int) -> RedesActivity | None:
    return await session.get(RedesActivity, activity_id)


async def list_activities(session: AsyncSession, *, unit_id: int) -> Sequence[RedesActivity]:
    """By date (undated last), then in the order they were written."""
    query = select(RedesActivity).where(RedesActivity.unit_id == unit_id)
    query = query.order_by(col(RedesActivity.on).is_(None), col(RedesActivity.on), col(RedesActivity.id))
    return (await session.exec(query)).all()


async def delete_activity(session: AsyncSession, *, activity: RedesActivity) -> None:
    await session.delete(activity)
    await session.flush()
