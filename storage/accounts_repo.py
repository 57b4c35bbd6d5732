"""Chat accounts, invitation codes and wrong-code attempts."""
from datetime import datetime

from sqlalchemy import func, update
from sqlmodel import select
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
        select(ChatAccount, Staff, Member, Family, Unit)
        .outerjoin(Staff, ChatAccount.staff_id == Staff.id)
        .outerjoin(Member, ChatAccount.member_id == Member.id)
        .outerjoin(Family, Member.family_id == Family.id)
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
    statement = (update(InviteCode).where(InviteCode.id == code_id, InviteCode.used_at.is_(None))
                 .values(used_at=now).execution_options(synchronize_session=False))
    return (await session.exec(statement)).rowcount == 1


async def add_attempt(session: AsyncSession, *, telegram_user_id: int, at: datetime) -> None:
    session.add(CodeAttempt(telegram_user_id=telegram_user_id, at=at))
    await session.flush()


async def recent_attempts(session: AsyncSession, *, telegram_user_id: int, since: datetime) -> list[datetime]:
    query = (
        select(CodeAttempt.at)
        .where(CodeAttempt.telegram_user_id == telegram_user_id, CodeAttempt.at >= since)
        .order_by(CodeAttempt.at)
    )
    return list((await session.exec(query)).all())


async def count_accounts(session: AsyncSession) -> int:
    return (await session.exec(select(func.count()).select_from(ChatAccount))).one()
