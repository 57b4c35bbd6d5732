"""Group and community sessions, their invitations, and the families a session may invite:
keyword-only functions that flush, never commit."""
from collections.abc import Sequence
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.groups import GroupInvitation, GroupSession
from storage.models import ChatAccount, Family, Member
from storage.records import SessionRecord


async def get_group_session(session: AsyncSession, *, group_session_id: int) -> GroupSession | None:
    return await session.get(GroupSession, group_session_id)


async def list_group_sessions(session: AsyncSession, *, unit_id: int, limit: int) -> list[GroupSession]:
    """A unit's sessions, the latest first."""
    query = (select(GroupSession).where(GroupSession.unit_id == unit_id)
             .order_by(col(GroupSession.starts_at).desc(), col(GroupSession.id).desc()).limit(limit))
    return list((await session.exec(query)).all())


async def add_group_session(session: AsyncSession, *, group: GroupSession, family_ids: Sequence[int],
                            now: datetime) -> GroupSession:
    """The session, then an invitation for each family (they need the session's id)."""
    session.add(group)
    await session.flush()
    session.add_all([GroupInvitation(group_session_id=group.id, family_id=family_id, created_at=now)
                     for family_id in family_ids])
    await session.flush()
    return group


async def active_sectors(session: AsyncSession, *, unit_id: int) -> list[str]:
    """The territories (sectors) of a unit's active families, sorted."""
    query = select(Family.sector).where(Family.unit_id == unit_id, Family.status == "active",
                                        col(Family.sector).is_not(None)).distinct()
    return sorted(s for s in (await session.exec(query)).all() if s)


async def active_families(session: AsyncSession, *, unit_id: int, trajectory: str | None = None,
                          sector: str | None = None, by_sector: bool = False) -> list[Family]:
    """A unit's active families by name; only one trajectory's, or one sector's when `by_sector`
    (sector None: the families without one)."""
    query = select(Family).where(Family.unit_id == unit_id, Family.status == "active")
    if trajectory is not None:
        query = query.where(Family.trajectory == trajectory)
    if by_sector:
        query = query.where(Family.sector == sector)
    return list((await session.exec(query.order_by(col(Family.family_name), col(Family.id)))).all())


async def invitations_with_families(session: AsyncSession, *, group_session_id: int,
                                    ) -> list[tuple[GroupInvitation, Family]]:
    """Every invitation of a session (invited or walk-in) with its family, by family name."""
    query = (select(GroupInvitation, Family).join(Family, col(Family.id) == col(GroupInvitation.family_id))
             .where(GroupInvitation.group_session_id == group_session_id)
             .order_by(col(Family.family_name), col(Family.id)))
    return list((await session.exec(query)).all())


async def invited_families(session: AsyncSession, *, group_session_id: int) -> list[Family]:
    """The families invited to a session (not the walk-ins): those told of a change or a cancellation."""
    query = (select(Family).join(GroupInvitation, col(GroupInvitation.family_id) == col(Family.id))
             .where(GroupInvitation.group_session_id == group_session_id, col(GroupInvitation.invited)))
    return list((await session.exec(query)).all())


async def get_invitation(session: AsyncSession, *, group_session_id: int, family_id: int | None,
                         ) -> GroupInvitation | None:
    query = select(GroupInvitation).where(GroupInvitation.group_session_id == group_session_id,
                                          GroupInvitation.family_id == family_id)
    return (await session.exec(query)).first()


async def families_with_record(session: AsyncSession, *, family_ids: Sequence[int], track: str, code: str,
                               held_on: date) -> set[int]:
    """Which of these families already have this session recorded as held on that day."""
    query = select(SessionRecord.family_id).where(
        col(SessionRecord.family_id).in_(list(family_ids)), SessionRecord.track == track,
        SessionRecord.code == code, SessionRecord.held_on == held_on)
    return set((await session.exec(query)).all())


async def consented_member_accounts(session: AsyncSession, *, family_ids: Sequence[int],
                                    ) -> list[tuple[Member, ChatAccount]]:
    """The members of these families who linked a chat and accepted the privacy notice, with that chat."""
    query = (select(Member, ChatAccount).join(ChatAccount, col(ChatAccount.member_id) == col(Member.id))
             .where(col(Member.family_id).in_(list(family_ids)), col(ChatAccount.consent_at).is_not(None)))
    return list((await session.exec(query)).all())
