"""The audit trail: append-only."""
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent


async def append(session: AsyncSession, *, event: AuditEvent) -> None:
    session.add(event)
    await session.flush()
