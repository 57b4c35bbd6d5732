"""The family's side of the Plan Familiar de Desarrollo (and a participant's Plan Laboral): see it, say how
each commitment goes ("¡Lo hicimos!", "Vamos avanzando", "No pudimos") and add one of their own.

Every change keeps its history (commitment_event: who, what, when, the note or voice note), is audited,
and re-plans the family's reminders in the same transaction (a commitment done stops its nudges).
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.matriz import DIMENSIONS
from program.roles import Role
from services import audit, planner
from services.errors import InvalidInput, NotAllowed
from storage import people_repo, records_repo
from storage.models import Member
from storage.records import Commitment, CommitmentEvent

PROGRESS = ("done", "in_progress", "not_done")
OPEN = ("pending", "in_progress")
TEXT_MAX = 500


@dataclass(frozen=True)
class Voice:
    file_id: str
    duration: int


@dataclass(frozen=True)
class PlanView:
    commitments: list[Commitment]  # open first, then by dimension and deadline
    members: dict[int, Member]
    can_add: bool


def _family_actor(actor: Actor) -> int:
    """The family of a family member acting on its own plan."""
    if actor is None or actor.role is not Role.FAMILY or actor.family_id is None:
        raise NotAllowed("family_plan")
    return actor.family_id


def _visible(actor: Actor, commitment: Commitment) -> bool:
    """The family plan is the whole family's; a Plan Laboral is its participant's (and the representative's)."""
    if commitment.family_id != actor.family_id:
        return False
    return commitment.plan != "laboral" or actor.is_representative or commitment.member_id == actor.member_id


def _may_mark(actor: Actor, commitment: Commitment) -> bool:
    return _visible(actor, commitment) and (
        actor.is_representative or actor.member_id in (commitment.responsible_member_id, commitment.member_id))


async def my_plan(session: AsyncSession, *, actor: Actor) -> PlanView:
    family_id = _family_actor(actor)
    rows = [c for c in await records_repo.list_commitments(session, family_id=family_id) if _visible(actor, c)]
    order = [d.id for d in DIMENSIONS]
    rows.sort(key=lambda c: (c.status not in OPEN, order.index(c.dimension) if c.dimension in order else 9,
                             c.deadline or date.max, c.id))
    members = {m.id: m for m in await people_repo.list_members(session, family_id=family_id)}
    return PlanView(rows, members, can_add=actor.is_representative)


async def _own(session: AsyncSession, actor: Actor, commitment_id: int, *, to_mark: bool) -> Commitment:
    _family_actor(actor)
    commitment = await records_repo.get_commitment(session, commitment_id=commitment_id)
    allowed = commitment is not None and (_may_mark(actor, commitment) if to_mark else _visible(actor, commitment))
    if commitment is None or not allowed:
        await audit.record(session, actor=actor, action="denied.commitment", record_type="commitment",
                           record_id=commitment_id)
        raise NotAllowed("commitment")
    return commitment


async def commitment(session: AsyncSession, *, actor: Actor, commitment_id: int) -> Commitment:
    return await _own(session, actor, commitment_id, to_mark=False)


async def history(session: AsyncSession, *, actor: Actor, commitment_id: int) -> list[CommitmentEvent]:
    await _own(session, actor, commitment_id, to_mark=False)
    return list(await records_repo.commitment_history(session, commitment_id=commitment_id))


def _note(text: str | None) -> str | None:
    value = (text or "").strip()
    if len(value) > TEXT_MAX:
        raise InvalidInput("too_long")
    return value or None


async def mark(session: AsyncSession, *, actor: Actor, commitment_id: int, status: str, note: str | None = None,
               voice: Voice | None = None, now: datetime) -> Commitment:
    if status not in PROGRESS:
        raise InvalidInput("unknown_status")
    found = await _own(session, actor, commitment_id, to_mark=True)
    found.status, found.updated_at = status, now
    await records_repo.add(session, found)
    await records_repo.add(session, CommitmentEvent(
        commitment_id=found.id, at=now, actor_type="member", actor_id=actor.member_id, action="status",
        status=status, note_text=_note(note), voice_file_id=voice.file_id if voice else None,
        voice_duration=voice.duration if voice else None))
    await audit.record(session, actor=actor, action=f"commitment.status.{status}", record_type="commitment",
                       record_id=found.id, unit_id=actor.unit_id)
    await session.flush()
    await planner.plan_family(session, family_id=found.family_id, now=now)
    return found


@dataclass(frozen=True)
class NewCommitment:
    dimension: str
    topic: str = ""
    topic_voice: Voice | None = None
    action: str = ""
    action_voice: Voice | None = None
    responsible_member_id: int | None = None  # None: the whole family
    deadline: date | None = None


async def add(session: AsyncSession, *, actor: Actor, new: NewCommitment, today: date, now: datetime) -> Commitment:
    """A commitment of the family's own, in its Plan Familiar (only the representative adds)."""
    family_id = _family_actor(actor)
    if not actor.is_representative:
        await audit.record(session, actor=actor, action="denied.commitment.create", record_type="family",
                           record_id=actor.family_id)
        raise NotAllowed("commitment")
    if new.dimension not in {d.id for d in DIMENSIONS}:
        raise InvalidInput("unknown_dimension")
    if not (new.topic.strip() or new.topic_voice):
        raise InvalidInput("missing_topic")
    if new.deadline is None or new.deadline < today:
        raise InvalidInput("deadline_in_past")
    if new.responsible_member_id is not None:
        member = await people_repo.get_member(session, member_id=new.responsible_member_id)
        if member is None or member.family_id != actor.family_id:
            raise InvalidInput("unknown_member")
    found = Commitment(
        family_id=family_id, plan="familiar", dimension=new.dimension, topic=_note(new.topic) or "",
        action=_note(new.action) or "", responsible="member" if new.responsible_member_id else "family",
        responsible_member_id=new.responsible_member_id, deadline=new.deadline, created_at=now, updated_at=now,
        topic_voice_file_id=new.topic_voice.file_id if new.topic_voice else None,
        topic_voice_duration=new.topic_voice.duration if new.topic_voice else None,
        action_voice_file_id=new.action_voice.file_id if new.action_voice else None,
        action_voice_duration=new.action_voice.duration if new.action_voice else None)
    await records_repo.add(session, found)
    await records_repo.add(session, CommitmentEvent(commitment_id=found.id, at=now, actor_type="member",
                                                    actor_id=actor.member_id, action="created", status=found.status))
    await audit.record(session, actor=actor, action="commitment.create", record_type="commitment",
                       record_id=found.id, unit_id=actor.unit_id)
    await session.flush()
    await planner.plan_family(session, family_id=family_id, now=now)
    return found

