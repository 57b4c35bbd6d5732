"""The audit trail: append-only, each row chained to the one before it (program/audit_chain.py).

Nothing here updates or deletes a row. Appends are serialised so two writers never chain to the same
predecessor: on PostgreSQL with a transaction-scoped advisory lock held until commit; on SQLite writers
are serialised by the database itself (WAL: a transaction whose snapshot is stale cannot write, so a
fork becomes an error, never a silent second branch).
"""
from collections.abc import AsyncIterator, Sequence

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from program.audit_chain import GENESIS, HASHED_FIELDS, link_hash
from storage.models import AuditEvent

# Any constant shared by every writer of this database; "acompaña audit" in ASCII bytes, truncated.
CHAIN_LOCK_KEY = 0x4163_6F6D_7061_41


async def _lock_chain(session: AsyncSession) -> None:
    if session.bind.dialect.name == "postgresql":
        await session.exec(text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=CHAIN_LOCK_KEY))


async def head_hash(session: AsyncSession) -> str:
    last = (await session.exec(select(AuditEvent.hash).order_by(col(AuditEvent.id).desc()).limit(1))).first()
    return last or GENESIS


async def append(session: AsyncSession, *, event: AuditEvent) -> None:
    await session.flush()  # the caller's own writes first, so the lock is held for as short as possible
    await _lock_chain(session)
    event.prev_hash = await head_hash(session)
    event.hash = link_hash(event.prev_hash, {name: getattr(event, name) for name in HASHED_FIELDS})
    session.add(event)
    await session.flush()


async def list_events(session: AsyncSession, *, action: str | None = None, limit: int = 100) -> Sequence[AuditEvent]:
    query = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    return (await session.exec(query)).all()


async def chain_rows(session: AsyncSession, *, batch: int = 5000) -> AsyncIterator[dict]:
    """Every event in id order, as plain mappings for program.audit_chain.verify, a batch at a time."""
    after = 0
    while True:
        rows = (await session.exec(select(AuditEvent).where(col(AuditEvent.id) > after)
                                   .order_by(col(AuditEvent.id)).limit(batch))).all()
        for row in rows:
            yield row.model_dump()
            session.expunge(row)  # a million events need not stay in memory
        if len(rows) < batch:
            return
        after = rows[-1].id


async def events_about(session: AsyncSession, *, actor_member_ids: Sequence[int],
                       records: dict[str, Sequence[int]]) -> Sequence[AuditEvent]:
    """The events done by these members, or on these records ({record_type: ids}), oldest first."""
    from sqlalchemy import and_, or_

    conditions = [and_(AuditEvent.actor_type == "member", col(AuditEvent.actor_id).in_(list(actor_member_ids)))]
    conditions += [and_(AuditEvent.record_type == kind, col(AuditEvent.record_id).in_(list(ids)))
                   for kind, ids in records.items() if ids]
    return (await session.exec(select(AuditEvent).where(or_(*conditions)).order_by(col(AuditEvent.id)))).all()
