"""The audit trail: append-only, each row chained to the one before it (program/audit_chain.py).

Nothing here updates or deletes an audit row. Appends are serialised by the single audit_chain_head
row, which each append UPDATEs first and holds until commit: on PostgreSQL that is a row lock (a second
writer waits, then reads the head the first one committed); on SQLite the UPDATE opens the write
transaction (pysqlite would otherwise read the head outside any transaction, in autocommit, and two
writers could chain to the same predecessor).
"""
from collections.abc import AsyncIterator, Mapping, Sequence

from sqlalchemy import and_, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from program.audit_chain import GENESIS, HASHED_FIELDS, link_hash
from storage.models import AuditChainHead, AuditEvent

HEAD_ID = 1


async def _lock_head(session: AsyncSession) -> AuditChainHead:
    bump = update(AuditChainHead).where(col(AuditChainHead.id) == HEAD_ID).values(count=AuditChainHead.count + 1)
    if (await session.exec(bump)).rowcount == 0:  # a database made by create_all (tests): no head row yet
        session.add(AuditChainHead(id=HEAD_ID, hash=GENESIS, count=0))
        await session.flush()
        await session.exec(bump)
    head = await session.get(AuditChainHead, HEAD_ID, populate_existing=True)
    assert head is not None  # the row was bumped or inserted just above, in this transaction
    return head


async def append(session: AsyncSession, *, event: AuditEvent) -> None:
    await session.flush()  # the caller's own writes first
    head = await _lock_head(session)
    event.prev_hash = head.hash
    event.hash = link_hash(event.prev_hash, {name: getattr(event, name) for name in HASHED_FIELDS})
    session.add(event)
    head.hash = event.hash
    session.add(head)
    await session.flush()


async def head(session: AsyncSession) -> AuditChainHead | None:
    return await session.get(AuditChainHead, HEAD_ID, populate_existing=True)


async def chain_rows(session: AsyncSession, *, batch: int = 5000) -> AsyncIterator[dict]:
    """Every event in id order, as plain mappings for program.audit_chain, a batch at a time."""
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
                       records: Mapping[str, Sequence[int]]) -> Sequence[AuditEvent]:
    """The events done by these members, or on these records ({record_type: ids}), oldest first."""
    conditions = [and_(col(AuditEvent.actor_type) == "member", col(AuditEvent.actor_id).in_(list(actor_member_ids)))]
    conditions += [and_(col(AuditEvent.record_type) == kind, col(AuditEvent.record_id).in_(list(ids)))
                   for kind, ids in records.items() if ids]
    return (await session.exec(select(AuditEvent).where(or_(*conditions)).order_by(col(AuditEvent.id)))).all()
