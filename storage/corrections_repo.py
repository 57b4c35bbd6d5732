"""Corrections of members' data and the families' requests for one (storage/corrections.py)."""
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.corrections import CorrectionRequest, MemberChange
from storage.models import Family, Member


async def add(session: AsyncSession, row):
    session.add(row)
    await session.flush()
    return row


async def run_taken(session: AsyncSession, *, run: str, except_member_id: int) -> bool:
    found = await session.exec(select(Member.id).where(Member.run == run, Member.id != except_member_id))
    return found.first() is not None


async def get_request(session: AsyncSession, *, request_id: int) -> CorrectionRequest | None:
    return await session.get(CorrectionRequest, request_id)


async def open_requests(session: AsyncSession, *, family_id: int) -> Sequence[CorrectionRequest]:
    query = select(CorrectionRequest).where(CorrectionRequest.family_id == family_id,
                                            col(CorrectionRequest.done_at).is_(None))
    return (await session.exec(query.order_by(col(CorrectionRequest.id)))).all()


async def families_with_open_requests(session: AsyncSession, *, unit_id: int) -> set[int]:
    query = select(CorrectionRequest.family_id).join(Family, col(Family.id) == CorrectionRequest.family_id).where(
        Family.unit_id == unit_id, col(CorrectionRequest.done_at).is_(None))
    return set((await session.exec(query)).all())


async def changes(session: AsyncSession, *, member_id: int) -> Sequence[MemberChange]:
    query = select(MemberChange).where(MemberChange.member_id == member_id).order_by(col(MemberChange.id))
    return (await session.exec(query)).all()
