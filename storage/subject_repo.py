"""Everything stored about one family and its members, table by table, for the right of access
(services/subject_export.py). Plain reads; the caller authorises and audits."""
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.corrections import CorrectionRequest, MemberChange
from storage.cuaderno import CuadernoEntry
from storage.groups import GroupInvitation, GroupSession
from storage.models import ChatAccount, Member
from storage.outbox import OutboxMessage
from storage.records import (
    BonoFollowup,
    BonoFollowupEvent,
    Commitment,
    CommitmentEvent,
    MatrizState,
    SessionRecord,
    Visit,
)

# What a group session row tells about the family's part in it (its notes and agreements are the group's).
GROUP_SESSION_FIELDS = ("id", "track", "code", "starts_at", "place", "address", "territory", "status", "held_on")


async def _all(session: AsyncSession, query) -> list:
    return list((await session.exec(query)).all())


async def family_rows(session: AsyncSession, *, family_id: int) -> dict[str, Sequence]:
    """{table name: rows}, each in id order."""
    members = await _all(session, select(Member).where(Member.family_id == family_id).order_by(col(Member.id)))
    member_ids = [m.id for m in members]
    accounts = await _all(session, select(ChatAccount).where(col(ChatAccount.member_id).in_(member_ids))
                          .order_by(col(ChatAccount.id)))
    commitments = await _all(session, select(Commitment).where(Commitment.family_id == family_id)
                             .order_by(col(Commitment.id)))
    bono = await _all(session, select(BonoFollowup).where(BonoFollowup.family_id == family_id)
                      .order_by(col(BonoFollowup.id)))
    invitations = await _all(session, select(GroupInvitation).where(GroupInvitation.family_id == family_id)
                             .order_by(col(GroupInvitation.id)))
    groups = await _all(session, select(GroupSession).where(
        col(GroupSession.id).in_([i.group_session_id for i in invitations])).order_by(col(GroupSession.id)))

    def by_family(model):
        return select(model).where(model.family_id == family_id).order_by(col(model.id))

    return {
        "members": members,
        "chat_accounts": accounts,
        "session_records": await _all(session, by_family(SessionRecord)),
        "visits": await _all(session, by_family(Visit)),
        "matriz_states": await _all(session, by_family(MatrizState)),
        "commitments": commitments,
        "commitment_events": await _all(session, select(CommitmentEvent).where(
            col(CommitmentEvent.commitment_id).in_([c.id for c in commitments])).order_by(col(CommitmentEvent.id))),
        "cuaderno_entries": await _all(session, by_family(CuadernoEntry)),
        "bono_answers": bono,
        "bono_answer_events": await _all(session, select(BonoFollowupEvent).where(
            col(BonoFollowupEvent.followup_id).in_([b.id for b in bono])).order_by(col(BonoFollowupEvent.id))),
        "group_invitations": invitations,
        "group_sessions": [{name: getattr(g, name) for name in GROUP_SESSION_FIELDS} for g in groups],
        "member_changes": await _all(session, by_family(MemberChange)),
        "correction_requests": await _all(session, by_family(CorrectionRequest)),
        "messages_sent": await _all(session, select(OutboxMessage).where(
            col(OutboxMessage.account_id).in_([a.id for a in accounts])).order_by(col(OutboxMessage.id))),
    }


async def member_by_run(session: AsyncSession, *, run: str) -> Member | None:
    return (await session.exec(select(Member).where(Member.run == run))).first()
