"""What erasure, blocking, consent withdrawal and retention change in bulk: accounts unlinked, outbox rows
cancelled or deleted, dialog state removed, columns blanked. Keyword-only functions that flush, never commit."""
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, func, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChatAccount, Family, FsmRecord, InviteCode, Member
from storage.outbox import SENDING, OutboxMessage
from storage.records import SessionRecord
from storage.rights import ConsentEvent, FamilyBlockEvent

# Alerts to professionals that name a family in their arguments (args["family_id"]).
FAMILY_ALERT_KINDS = ("bono_alert", "bono_escalation", "consent_alert")


async def add(session: AsyncSession, row: ConsentEvent | FamilyBlockEvent) -> None:
    session.add(row)
    await session.flush()


async def family_accounts(session: AsyncSession, *, family_id: int, member_ids: Sequence[int] | None = None,
                          ) -> list[ChatAccount]:
    query = (select(ChatAccount).join(Member, col(Member.id) == ChatAccount.member_id)
             .where(Member.family_id == family_id))
    if member_ids is not None:
        query = query.where(col(Member.id).in_(member_ids))
    return list((await session.exec(query)).all())


async def delete_messages(session: AsyncSession, *, account_ids: Sequence[int] = (), scopes: Sequence[str] = (),
                          family_id: int | None = None) -> int:
    """Every row (any status but one being sent right now) to these accounts, of these scopes, or alerting
    about `family_id`: their arguments may carry names and typed text."""
    ids: set[int] = set()
    where = [col(OutboxMessage.account_id).in_(account_ids)] if account_ids else []
    where += [col(OutboxMessage.scope).in_(scopes)] if scopes else []
    if where:
        ids |= set((await session.exec(select(OutboxMessage.id).where(or_(*where)))).all())
    if family_id is not None:
        alerts = await session.exec(select(OutboxMessage.id, OutboxMessage.args)
                                    .where(col(OutboxMessage.kind).in_(FAMILY_ALERT_KINDS)))
        ids |= {alert_id for alert_id, args in alerts.all() if (args or {}).get("family_id") == family_id}
    if not ids:
        return 0
    result = await session.exec(delete(OutboxMessage).where(col(OutboxMessage.id).in_(ids),
                                                            col(OutboxMessage.status) != SENDING))
    return result.rowcount or 0


async def delete_dialog_state(session: AsyncSession, *, accounts: Sequence[ChatAccount]) -> int:
    """aiogram keys are fsm:<bot>:<chat>:<user>:<destiny>: a person's half-typed drafts."""
    deleted = 0
    for account in accounts:
        pattern = f"fsm:%:{account.chat_id}:{account.telegram_user_id}:%"
        result = await session.exec(delete(FsmRecord).where(col(FsmRecord.key).like(pattern)))
        deleted += result.rowcount or 0
    return deleted


async def delete_unused_codes(session: AsyncSession, *, member_ids: Sequence[int]) -> int:
    if not member_ids:
        return 0
    result = await session.exec(delete(InviteCode).where(col(InviteCode.member_id).in_(member_ids),
                                                          col(InviteCode.used_at).is_(None)))
    return result.rowcount or 0


async def blank(session: AsyncSession, *, model, where, values: dict) -> int:
    """One UPDATE; rows already in the session are brought up to date ("auto" synchronisation)."""
    result = await session.exec(update(model).where(where).values(**values))
    return result.rowcount or 0


async def closed_families(session: AsyncSession, *, statuses: Sequence[str]) -> list[tuple[Family, date | None]]:
    """Closed families not yet anonymised, with the date of their last session record (when the closing
    outcome was recorded; NULL when none was)."""
    last = (select(SessionRecord.family_id, func.max(SessionRecord.held_on).label("closed_on"))
            .group_by(col(SessionRecord.family_id)).subquery())
    rows = await session.exec(select(Family, last.c.closed_on).outerjoin(last, last.c.family_id == Family.id)
                              .where(col(Family.status).in_(statuses), col(Family.anonymised_at).is_(None)))
    return list(rows.all())


async def delete_where(session: AsyncSession, *, model, where) -> int:
    result = await session.exec(delete(model).where(where))
    return result.rowcount or 0
