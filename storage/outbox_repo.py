"""Outbox rows: claim due ones under a lease, mark what became of them, and keep planned ones in step.

Keyword-only functions that flush, never commit: the dispatcher commits each claim and each mark in a
transaction of its own, so a crash loses at most the leases, which expire and are claimed again.
"""
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, or_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.outbox import CANCELLED, PENDING, SENDING, SENT, OutboxMessage

CHUNK = 500  # IN (...) lists stay well under the drivers' bound-parameter limits
PLANNED_FIELDS = ("account_id", "chat_id", "kind", "template", "args", "buttons", "essential", "scope", "source",
                  "due_at", "expires_at", "timezone", "quiet_hours", "dedupe_key")


def _claimable(now: datetime):
    pending = and_(col(OutboxMessage.status) == PENDING, col(OutboxMessage.due_at) <= now)
    abandoned = and_(col(OutboxMessage.status) == SENDING, col(OutboxMessage.lease_expires_at) < now)  # its worker died
    return or_(pending, abandoned)


async def claim(session: AsyncSession, *, now: datetime, owner: str, lease: timedelta,
                limit: int) -> list[OutboxMessage]:
    """Take up to `limit` due rows for `owner` until now + lease. On PostgreSQL rows another worker is
    claiming are skipped (FOR UPDATE SKIP LOCKED); the UPDATE re-checks the condition, so on SQLite too
    a row is claimed by one owner only."""
    query = (select(col(OutboxMessage.id)).where(_claimable(now))
             .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id)))
    query = query.limit(limit)
    if _dialect(session) == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list((await session.exec(query)).all())
    if not ids:
        return []
    until = now + lease
    await session.exec(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids), _claimable(now))
        .values(status=SENDING, lease_owner=owner, lease_expires_at=until, attempts=OutboxMessage.attempts + 1,
                updated_at=now)
        .execution_options(synchronize_session=False)
    )
    rows = await session.exec(select(OutboxMessage).where(col(OutboxMessage.id).in_(ids),
                                                          OutboxMessage.lease_owner == owner,
                                                          OutboxMessage.status == SENDING)
                              .order_by(col(OutboxMessage.due_at), col(OutboxMessage.id))
                              .execution_options(populate_existing=True))
    return list(rows.all())


async def finish(session: AsyncSession, *, message_id: int, owner: str, now: datetime, status: str,
                 error: str | None = None) -> bool:
    """Sent, failed or skipped, only while `owner` still holds the lease; False when it had lost it."""
    values = {"status": status, "updated_at": now, "lease_owner": None, "lease_expires_at": None}
    if status == SENT:
        values["sent_at"] = now
    if error is not None:
        values["last_error"] = error[:300]
    result = await session.exec(
        update(OutboxMessage).where(col(OutboxMessage.id) == message_id, col(OutboxMessage.lease_owner) == owner,
                                    col(OutboxMessage.status) == SENDING).values(**values)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount)


async def retry_later(session: AsyncSession, *, message_id: int, owner: str, now: datetime, due_at: datetime,
                      error: str | None = None, count_attempt: bool = True) -> bool:
    """Back to pending, due again at `due_at` (a retry after an error, or the morning after quiet hours)."""
    values = {"status": PENDING, "due_at": due_at, "updated_at": now, "lease_owner": None, "lease_expires_at": None}
    if error is not None:
        values["last_error"] = error[:300]
    if not count_attempt:
        values["attempts"] = OutboxMessage.attempts - 1
    result = await session.exec(
        update(OutboxMessage).where(col(OutboxMessage.id) == message_id, col(OutboxMessage.lease_owner) == owner,
                                    col(OutboxMessage.status) == SENDING).values(**values)
        .execution_options(synchronize_session=False))
    return bool(result.rowcount)


def _dialect(session: AsyncSession) -> str:
    assert session.bind is not None  # every session comes from storage.engine's factory, bound to the engine
    return session.bind.dialect.name


def _insert(session: AsyncSession):
    return pg_insert if _dialect(session) == "postgresql" else sqlite_insert


async def enqueue(session: AsyncSession, rows: Sequence[dict]) -> int:
    """Insert rows whose dedupe_key is new; a key already there (in any status) is left alone. Returns
    how many rows were offered (the callers checked the keys first; a concurrent planner's row wins)."""
    if not rows:
        return 0
    # One compiled statement, executed for many parameter sets (SQLAlchemy's insertmanyvalues): a
    # multi-row VALUES literal would be compiled anew for every chunk, which dominates a large run.
    statement = _insert(session)(OutboxMessage).on_conflict_do_nothing(index_elements=["dedupe_key"])
    for start in range(0, len(rows), CHUNK):
        await session.exec(statement, params=[dict(row) for row in rows[start:start + CHUNK]])
    return len(rows)


# What re-planning compares; plain rows, not ORM objects: a country-wide run reads ~700,000 of them.
PLANNED_VIEW = (OutboxMessage.id, OutboxMessage.dedupe_key, OutboxMessage.status, OutboxMessage.attempts,
                OutboxMessage.due_at, OutboxMessage.args, OutboxMessage.expires_at, OutboxMessage.quiet_hours,
                OutboxMessage.chat_id)


async def existing(session: AsyncSession, *, keys: Iterable[str]) -> dict[str, Any]:
    """dedupe key -> a row with the PLANNED_VIEW columns, in any status."""
    keys = list(keys)
    found: dict[str, Any] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start:start + CHUNK]
        # sqlmodel.select is typed for up to four columns; SQLAlchemy takes any number.
        query = select(*PLANNED_VIEW).where(col(OutboxMessage.dedupe_key).in_(chunk))  # type: ignore[call-overload]
        rows = await session.exec(query)
        found.update({row.dedupe_key: row for row in rows.all()})
    return found


async def pending_planned(session: AsyncSession, *, scopes: Iterable[str]) -> list:
    """(id, dedupe_key, attempts, due_at) of the pending planned rows of these scopes."""
    scopes = list(scopes)
    found: list = []
    for start in range(0, len(scopes), CHUNK):
        rows = await session.exec(select(OutboxMessage.id, OutboxMessage.dedupe_key, OutboxMessage.attempts,
                                         OutboxMessage.due_at)
                                  .where(col(OutboxMessage.scope).in_(scopes[start:start + CHUNK]),
                                         OutboxMessage.status == PENDING, OutboxMessage.source == "planner"))
        found.extend(rows.all())
    return found


async def cancel(session: AsyncSession, *, ids: Sequence[int], now: datetime, reason: str) -> int:
    cancelled = 0
    for start in range(0, len(ids), CHUNK):
        result = await session.exec(
            update(OutboxMessage).where(col(OutboxMessage.id).in_(ids[start:start + CHUNK]),
                                        col(OutboxMessage.status) == PENDING)
            .values(status=CANCELLED, last_error=reason, updated_at=now)
            .execution_options(synchronize_session=False))
        cancelled += result.rowcount or 0
    return cancelled


async def refresh_pending(session: AsyncSession, *, row, values: dict, now: datetime) -> None:
    """A pending planned row whose cause changed its moment or its words (same key): update it in place."""
    await session.exec(update(OutboxMessage)
                       .where(col(OutboxMessage.id) == row.id, col(OutboxMessage.status) == PENDING)
                       .values(**values, updated_at=now).execution_options(synchronize_session=False))


async def counts_by_status(session: AsyncSession) -> dict[str, int]:
    from sqlalchemy import func

    rows = await session.exec(select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))
    return dict(rows.all())


async def cancel_pending(session: AsyncSession, *, account_ids: Sequence[int] = (), scopes: Sequence[str] = (),
                         now: datetime, reason: str) -> int:
    """Pending rows (planned or event) to these accounts or of these scopes: a revoked chat or a blocked family
    hears nothing more (a row being sent re-checks at send time)."""
    accounts, kinds, cancelled = list(account_ids), list(scopes), 0
    for start in range(0, max(len(accounts), len(kinds)), CHUNK):
        where = [col(OutboxMessage.account_id).in_(accounts[start:start + CHUNK])] if accounts[start:] else []
        where += [col(OutboxMessage.scope).in_(kinds[start:start + CHUNK])] if kinds[start:] else []
        result = await session.exec(
            update(OutboxMessage).where(or_(*where), col(OutboxMessage.status) == PENDING)
            .values(status=CANCELLED, last_error=reason, updated_at=now)
            .execution_options(synchronize_session=False))
        cancelled += result.rowcount or 0
    return cancelled
