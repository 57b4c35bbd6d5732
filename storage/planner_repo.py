"""What the planner reads, one query per kind of fact for a unit (or a few families): accounts, visits,
commitments, bono answers. A unit has ~250 families; the whole country is planned unit by unit."""
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.groups import GroupInvitation, GroupSession
from storage.models import ChatAccount, Family, Member, Staff
from storage.records import BonoFollowup, Commitment, SessionRecord, Visit

OPEN = ("pending", "in_progress")


# A blocked family (Ley 21.719: blocking, opposition, consent withdrawn) or an anonymised one gets nothing.
def _plannable(query):
    return query.where(col(Family.blocked_at).is_(None), col(Family.anonymised_at).is_(None))


def _families(unit_id: int, family_ids: Sequence[int] | None):
    query = _plannable(select(Family.id).where(Family.unit_id == unit_id, Family.status == "active"))
    if family_ids is not None:
        query = query.where(col(Family.id).in_(family_ids))
    return query


async def active_families(session: AsyncSession, *, unit_id: int,
                          family_ids: Sequence[int] | None = None) -> list[Family]:
    query = _plannable(select(Family).where(Family.unit_id == unit_id, Family.status == "active"))
    if family_ids is not None:
        query = query.where(col(Family.id).in_(family_ids))
    return list((await session.exec(query)).all())


async def family_accounts(session: AsyncSession, *, unit_id: int, family_ids: Sequence[int] | None = None,
                          ) -> list[tuple[int, Member, ChatAccount]]:
    """(family id, member, account) of members who linked a chat and accepted the privacy notice."""
    rows = await session.exec(
        select(Member.family_id, Member, ChatAccount)
        .join(ChatAccount, col(ChatAccount.member_id) == col(Member.id))
        .where(col(Member.family_id).in_(_families(unit_id, family_ids)), col(ChatAccount.consent_at).is_not(None)))
    return list(rows.all())


async def staff_accounts(session: AsyncSession, *, unit_id: int) -> list[tuple[Staff, ChatAccount]]:
    rows = await session.exec(select(Staff, ChatAccount).join(ChatAccount, col(ChatAccount.staff_id) == col(Staff.id))
                              .where(Staff.unit_id == unit_id, Staff.active))
    return list(rows.all())


async def planned_visits(session: AsyncSession, *, unit_id: int, after: datetime,
                         family_ids: Sequence[int] | None = None) -> list[Visit]:
    rows = await session.exec(select(Visit).where(col(Visit.family_id).in_(_families(unit_id, family_ids)),
                                                  Visit.status == "planned", Visit.at > after))
    return list(rows.all())


async def open_commitments(session: AsyncSession, *, unit_id: int, deadline_from: date, deadline_to: date,
                           family_ids: Sequence[int] | None = None) -> list[Commitment]:
    rows = await session.exec(select(Commitment).where(
        col(Commitment.family_id).in_(_families(unit_id, family_ids)), col(Commitment.status).in_(OPEN),
        col(Commitment.deadline).is_not(None), col(Commitment.deadline) >= deadline_from,
        col(Commitment.deadline) <= deadline_to))
    return list(rows.all())


async def bono_answers(session: AsyncSession, *, unit_id: int, months: Sequence[str],
                       family_ids: Sequence[int] | None = None) -> list[BonoFollowup]:
    rows = await session.exec(select(BonoFollowup).where(
        col(BonoFollowup.family_id).in_(_families(unit_id, family_ids)), col(BonoFollowup.month).in_(months)))
    return list(rows.all())


async def blocked_families(session: AsyncSession, *, unit_id: int) -> set[int]:
    rows = await session.exec(select(col(Member.family_id))
                              .join(ChatAccount, col(ChatAccount.member_id) == col(Member.id))
                              .where(col(Member.family_id).in_(_families(unit_id, None)),
                                     col(ChatAccount.blocked_at).is_not(None)))
    return set(rows.all())


async def overdue_program_commitments(session: AsyncSession, *, unit_id: int, before: date,
                                      ) -> list[Commitment]:
    rows = await session.exec(select(Commitment).where(
        col(Commitment.family_id).in_(_families(unit_id, None)), col(Commitment.status).in_(OPEN),
        Commitment.responsible == "program", col(Commitment.deadline).is_not(None),
        col(Commitment.deadline) < before))
    return list(rows.all())


async def upcoming_invitations(session: AsyncSession, *, unit_id: int, after: datetime,
                               family_ids: Sequence[int] | None = None) -> list[tuple[GroupInvitation, GroupSession]]:
    """Invitations to planned group sessions still ahead, except those the family declined."""
    rows = await session.exec(
        select(GroupInvitation, GroupSession)
        .join(GroupSession, col(GroupSession.id) == col(GroupInvitation.group_session_id))
        .where(GroupSession.unit_id == unit_id, GroupSession.status == "planned", GroupSession.starts_at > after,
               GroupInvitation.invited, col(GroupInvitation.family_id).in_(_families(unit_id, family_ids)),
               or_(col(GroupInvitation.rsvp).is_(None), col(GroupInvitation.rsvp) != "no")))
    return list(rows.all())


# ---- what the digests read --------------------------------------------------------------------------
async def staff_planned_visits(session: AsyncSession, *, staff_id: int | None, since: datetime) -> list[Visit]:
    """One professional's planned visits from `since` on, the soonest first."""
    query = (select(Visit).where(Visit.staff_id == staff_id, Visit.status == "planned", col(Visit.at) >= since)
             .order_by(col(Visit.at)))
    return list((await session.exec(query)).all())


async def sessions_held_after(session: AsyncSession, *, unit_id: int, after: date) -> int:
    """How many session records of the unit were held after that day."""
    query = select(func.count()).select_from(SessionRecord).where(SessionRecord.unit_id == unit_id,
                                                                  col(SessionRecord.held_on) > after)
    return (await session.exec(query)).one()


async def active_family_ids(session: AsyncSession, *, unit_id: int) -> set[int]:
    return set((await session.exec(_families(unit_id, None))).all())
