"""The audit trail: append-only."""
from collections.abc import Sequence

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent


async def append(session: AsyncSession, *, event: AuditEvent) -> None:
    session.add(event)
    await session.flush()


async def list_events(session: AsyncSession, *, action: str | None = None, limit: int = 100) -> Sequence[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    return (await session.exec(query)).all()
