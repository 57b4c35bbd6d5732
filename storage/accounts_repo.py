"""Chat accounts, invitation codes and wrong-code attempts."""
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ChatAccount, CodeAttempt, Family, InviteCode, Member, Staff, Unit


async def get_account(session: AsyncSession, *, telegram_user_id: int) -> ChatAccount | None:
    query = select(ChatAccount).where(ChatAccount.telegram_user_id == telegram_user_id)
    return (await session.exec(query)).first()


async def account_with_links(
    session: AsyncSession, *, telegram_user_id: int
) -> tuple[ChatAccount, Staff | None, Member | None, Family | None, Unit | None] | None:
    """The account and whoever it is linked to, in one query (it runs on every update)."""
    query = (
        select(ChatAccount, Staff, Member, Family, Unit)  # type: ignore[call-overload]  # typed up to 4 entities
        .outerjoin(Staff, col(ChatAccount.staff_id) == Staff.id)
        .outerjoin(Member, col(ChatAccount.member_id) == Member.id)
        .outerjoin(Family, col(Member.family_id) == Family.id)
        .outerjoin(Unit, Unit.id == func.coalesce(Staff.unit_id, Family.unit_id))
        .where(ChatAccount.telegram_user_id == telegram_user_id)
    )
    return (await session.exec(query)).first()


async def accounts_for_staff(session: AsyncSession, *, staff_id: int) -> list[ChatAccount]:
    return list((await session.exec(select(ChatAccount).where(ChatAccount.staff_id == staff_id))).all())


async def accounts_for_member(session: AsyncSession, *, member_id: int) -> list[ChatAccount]:
    return list((await session.exec(select(ChatAccount).where(ChatAccount.member_id == member_id))).all())


async def find_code(session: AsyncSession, *, code_hash: str) -> InviteCode | None:
    query = select(InviteCode).where(InviteCode.code_hash == code_hash).with_for_update()
    return (await session.exec(query)).first()


async def claim_code(session: AsyncSession, *, code_id: int, now: datetime) -> bool:
    """Spend the code unless someone else did first: one conditional UPDATE whose row count says who won.
    Atomic on SQLite too, where the FOR UPDATE above is a no-op and two readers both see it unused."""
    # Not expired either: a newer code cancels the older ones by expiring them (services/onboarding.py).
    statement = (update(InviteCode).where(col(InviteCode.id) == code_id, col(InviteCode.used_at).is_(None),
                                          col(InviteCode.expires_at) > now)
                 .values(used_at=now).execution_options(synchronize_session=False))
    return (await session.exec(statement)).rowcount == 1


async def add_attempt(session: AsyncSession, *, telegram_user_id: int, at: datetime,
                      unit_id: int | None = None) -> None:
    """A wrong code: per person (the lockout) and per unit of the code, None when it matched none (the ceiling)."""
    session.add(CodeAttempt(telegram_user_id=telegram_user_id, unit_id=unit_id, at=at))
    await session.flush()


async def recent_attempts(session: AsyncSession, *, telegram_user_id: int, since: datetime) -> list[datetime]:
    query = (
        select(CodeAttempt.at)
        .where(CodeAttempt.telegram_user_id == telegram_user_id, CodeAttempt.at >= since)
        .order_by(col(CodeAttempt.at))
    )
    return list((await session.exec(query)).all())


async def accounts_by_id(session: AsyncSession, *, account_ids: Iterable[int]) -> dict[int, ChatAccount]:
    ids = set(account_ids)
    if not ids:
        return {}
    found = await session.exec(select(ChatAccount).where(col(ChatAccount.id).in_(ids)))
    return {account.id: account for account in found.all()}


async def mark_blocked(session: AsyncSession, *, account_id: int, at: datetime) -> bool:
    """The person blocked the bot (Telegram said so when sending): nothing more is sent to this chat.
    True when this is news (the chat was not marked yet)."""
    account = await session.get(ChatAccount, account_id)
    if account is None or account.blocked_at is not None:
        return False
    account.blocked_at = at
    session.add(account)
    await session.flush()
    return True


async def get_account_by_id(session: AsyncSession, *, account_id: int) -> ChatAccount | None:
    return await session.get(ChatAccount, account_id)


async def accounts_for_family(session: AsyncSession, *, family_id: int) -> list[tuple[ChatAccount, Member]]:
    """The chats linked to any member of the family, oldest link first."""
    query = (select(ChatAccount, Member).join(Member, col(ChatAccount.member_id) == Member.id)
             .where(Member.family_id == family_id).order_by(col(ChatAccount.created_at), col(ChatAccount.id)))
    return list((await session.exec(query)).all())


async def linked_accounts(session: AsyncSession, *, unit_id: int) -> list[tuple[ChatAccount, Staff | None,
                                                                                Member | None, Family | None]]:
    """Every chat linked to the unit's staff or families (the admin's accounts-list)."""
    query = (
        select(ChatAccount, Staff, Member, Family)
        .outerjoin(Staff, col(ChatAccount.staff_id) == Staff.id)
        .outerjoin(Member, col(ChatAccount.member_id) == Member.id)
        .outerjoin(Family, col(Member.family_id) == Family.id)
        .where(func.coalesce(Staff.unit_id, Family.unit_id) == unit_id)
        .order_by(col(ChatAccount.id))
    )
    return list((await session.exec(query)).all())


async def unused_codes(session: AsyncSession, *, staff_id: int | None = None, member_id: int | None = None,
                       now: datetime) -> list[InviteCode]:
    """Codes of this person that could still be redeemed (not used, not expired)."""
    query = select(InviteCode).where(col(InviteCode.used_at).is_(None), InviteCode.expires_at > now)
    if staff_id is not None:
        query = query.where(InviteCode.staff_id == staff_id)
    elif member_id is not None:
        query = query.where(InviteCode.member_id == member_id)
    else:
        return []
    return list((await session.exec(query)).all())


async def newest_attempts_in_scope(session: AsyncSession, *, unit_id: int | None, since: datetime,
                                   limit: int) -> list[datetime]:
    """The newest `limit` wrong-code times since `since` of one unit (None: codes that matched no unit)."""
    scope = CodeAttempt.unit_id == unit_id if unit_id is not None else col(CodeAttempt.unit_id).is_(None)
    query = (select(CodeAttempt.at).where(scope, CodeAttempt.at >= since)
             .order_by(col(CodeAttempt.at).desc()).limit(limit))
    return list((await session.exec(query)).all())


async def unlink(session: AsyncSession, *, account_ids: Sequence[int], now: datetime) -> int:
    """The chats stay known (telegram id, language) but belong to nobody, and hear only that their access ended
    until a new code links them; a new link asks for consent again."""
    if not account_ids:
        return 0
    result = await session.exec(update(ChatAccount).where(col(ChatAccount.id).in_(account_ids))
                                .values(member_id=None, staff_id=None, consent_at=None, consent_version=None,
                                        revoked_at=now).execution_options(synchronize_session="fetch"))
    return result.rowcount or 0
