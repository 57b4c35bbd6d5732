"""Cuaderno Familiar entries: keyword-only functions that flush, never commit. Entries a family deleted
(deleted_at set) are invisible to every function here."""
from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.cuaderno import CuadernoEntry


async def add(session: AsyncSession, entry: CuadernoEntry) -> CuadernoEntry:
    session.add(entry)
    await session.flush()
    return entry


def _live(family_id: int):
    return select(CuadernoEntry).where(CuadernoEntry.family_id == family_id, col(CuadernoEntry.deleted_at).is_(None))


def _of_dimension(query, dimension: str | None):
    # None is the family's free notes, outside every dimension.
    column = col(CuadernoEntry.dimension)
    return query.where(column.is_(None) if dimension is None else column == dimension)


async def get_entry(session: AsyncSession, *, entry_id: int, family_id: int) -> CuadernoEntry | None:
    """By id AND family: an id from another family's button finds nothing."""
    query = _live(family_id).where(CuadernoEntry.id == entry_id)
    return (await session.exec(query)).first()


async def list_entries(session: AsyncSession, *, family_id: int, dimension: str | None, offset: int,
                       limit: int) -> Sequence[CuadernoEntry]:
    """Newest first; the id breaks ties between entries saved in the same instant."""
    query = (_of_dimension(_live(family_id), dimension)
             .order_by(col(CuadernoEntry.created_at).desc(), col(CuadernoEntry.id).desc())
             .offset(offset).limit(limit))
    return (await session.exec(query)).all()


async def count_entries(session: AsyncSession, *, family_id: int, dimension: str | None) -> int:
    query = _of_dimension(
        select(func.count()).select_from(CuadernoEntry).where(
            CuadernoEntry.family_id == family_id, col(CuadernoEntry.deleted_at).is_(None)),
        dimension)
    return (await session.exec(query)).one()


async def counts_by_dimension(session: AsyncSession, *, family_id: int) -> dict[str | None, int]:
    query = (select(CuadernoEntry.dimension, func.count())
             .where(CuadernoEntry.family_id == family_id, col(CuadernoEntry.deleted_at).is_(None))
             .group_by(CuadernoEntry.dimension))
    return {dimension: count for dimension, count in (await session.exec(query)).all()}
