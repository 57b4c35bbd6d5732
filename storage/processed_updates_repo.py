"""Which updates were handled already (storage/processed_updates.py)."""
from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.processed_updates import ProcessedUpdate


async def was_processed(session: AsyncSession, *, bot_id: int, update_id: int) -> bool:
    query = select(ProcessedUpdate.update_id).where(col(ProcessedUpdate.bot_id) == bot_id,
                                                    col(ProcessedUpdate.update_id) == update_id)
    return (await session.exec(query)).first() is not None


async def mark_processed(session: AsyncSession, *, bot_id: int, update_id: int, at: datetime) -> None:
    session.add(ProcessedUpdate(bot_id=bot_id, update_id=update_id, processed_at=at))
    await session.flush()


async def purge_processed(session: AsyncSession, *, before: datetime) -> int:
    result = await session.exec(delete(ProcessedUpdate).where(col(ProcessedUpdate.processed_at) < before))
    return result.rowcount or 0
