"""What a held session writes besides its record: Bono follow-up, Plan rows, Matriz states, ASL choice.

Called by services.session_record_write after the draft was checked; each write is audited (ids only).
"""
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.catalog import Session
from program.session_draft import PlanRow, Responsible, SessionDraft
from services import audit
from storage import people_repo, records_repo
from storage.models import Family, Member
from storage.records import BonoFollowup, BonoFollowupEvent, Commitment, CommitmentEvent, MatrizState, SessionRecord

_EDITABLE = ("plan", "member_id", "dimension", "topic", "resources", "action", "responsible",
             "responsible_member_id", "deadline")


def _actor_ids(actor: Actor) -> tuple[str, int | None]:
    if actor.staff_id is not None:
        return "staff", actor.staff_id
    if actor.member_id is not None:
        return "member", actor.member_id
    return str(actor.role), None


async def save_bono(session: AsyncSession, *, actor: Actor, family: Family, record: SessionRecord,
                    draft: SessionDraft, catalog_session: Session, now: datetime) -> None:
    """The answer is for the month the session was held in; a later answer for that month (from a
    session or from the family) replaces it, and every answer stays as an event."""
    if draft.bono is None or not catalog_session.has("bono_followup"):
        return
    assert draft.held_on is not None  # checked before saving
    month = draft.held_on.strftime("%Y-%m")
    note = (draft.bono_note or "").strip() or None
    followup = await records_repo.get_bono_followup(session, family_id=family.id, month=month)
    if followup is None:
        followup = BonoFollowup(family_id=family.id, month=month, answer=str(draft.bono), source="session")
    followup.answer, followup.note, followup.source = str(draft.bono), note, "session"
    followup.record_id, followup.updated_at = record.id, now
    await records_repo.add(session, followup)
    actor_type, actor_id = _actor_ids(actor)
    await records_repo.add(session, BonoFollowupEvent(
        followup_id=followup.id, at=now, actor_type=actor_type, actor_id=actor_id, answer=followup.answer,
        note=note, source="session", record_id=record.id))
    await audit.record(session, actor=actor, action="bono.followup", record_type="bono_followup",
                       record_id=followup.id, unit_id=family.unit_id)


def _values(row: PlanRow, draft: SessionDraft, existing: Commitment | None) -> dict:
    member = row.member_id if row.responsible == Responsible.MEMBER else None
    plan_member = None
    if row.plan == "laboral":  # a Plan Laboral is one ASL participant's
        plan_member = draft.participant_member_id or (existing.member_id if existing else None)
    return {"plan": row.plan, "member_id": plan_member, "dimension": row.dimension, "topic": row.topic.strip(),
            "resources": (row.resources or "").strip(), "action": row.action.strip(),
            "responsible": str(row.responsible), "responsible_member_id": member, "deadline": row.deadline}


async def save_plan_rows(session: AsyncSession, *, actor: Actor, family: Family, record: SessionRecord,
                         draft: SessionDraft, commitments: dict[int, Commitment], now: datetime) -> None:
    """New rows become commitments ("created"); rows naming a commitment edit it ("edited", only when
    something changed). The status is the family's and the AFI's to move elsewhere (cuaderno)."""
    actor_type, actor_id = _actor_ids(actor)
    for row in draft.plan_rows:
        existing = commitments.get(row.commitment_id) if row.commitment_id is not None else None
        values = _values(row, draft, existing)
        if existing is None:
            commitment = Commitment(family_id=family.id, source_record_id=record.id, created_at=now,
                                    updated_at=now, **values)
            event = "created"
        elif any(getattr(existing, key) != values[key] for key in _EDITABLE):
            commitment = existing
            for key in _EDITABLE:
                setattr(commitment, key, values[key])
            commitment.updated_at = now
            event = "edited"
        else:
            continue
        await records_repo.add(session, commitment)
        await records_repo.add(session, CommitmentEvent(commitment_id=commitment.id, at=now, actor_type=actor_type,
                                                        actor_id=actor_id, action=event, status=commitment.status))
        await audit.record(session, actor=actor, action=f"commitment.{'create' if event == 'created' else 'edit'}",
                           record_type="commitment", record_id=commitment.id, unit_id=family.unit_id)


async def save_matriz(session: AsyncSession, *, actor: Actor, family: Family, record: SessionRecord,
                      draft: SessionDraft, catalog_session: Session, now: datetime) -> None:
    """Línea Base on the plan-building sessions (S2-S6), Línea de Salida on S22; latest wins."""
    if not draft.matriz:
        return
    moment = "linea_base" if catalog_session.has("linea_base") else "linea_salida"
    for code, state in sorted(draft.matriz.items()):
        row = await records_repo.get_matriz_state(session, family_id=family.id, indicator_code=code, moment=moment)
        if row is None:
            row = MatrizState(family_id=family.id, indicator_code=code, moment=moment, state=state)
        row.state, row.record_id, row.recorded_at = state, record.id, now
        await records_repo.add(session, row)
        await audit.record(session, actor=actor, action=f"matriz.{moment}", record_type="matriz_state",
                           record_id=row.id, unit_id=family.unit_id)


async def save_asl_choice(session: AsyncSession, *, actor: Actor, family: Family, draft: SessionDraft,
                          members: dict[int, Member], catalog_session: Session) -> None:
    """S6 confirms up to two ASL participants: they are flagged, the others unflagged, and the family
    follows the double trajectory (APS + ASL). An empty choice changes nothing: the draft's default
    cannot be told apart from "nobody", and dropping an imported aps_asl family would lose its ASL."""
    if not draft.asl_participants or not catalog_session.has("asl_choice"):
        return
    chosen = set(draft.asl_participants)
    for member in members.values():
        if member.is_asl_participant != (member.id in chosen):
            member.is_asl_participant = member.id in chosen
            await people_repo.add(session, member)
            await audit.record(session, actor=actor, action="member.asl." + ("set" if member.id in chosen else "unset"),
                               record_type="member", record_id=member.id, unit_id=family.unit_id)
    if family.trajectory != "aps_asl":
        family.trajectory = "aps_asl"
        await people_repo.add(session, family)
        await audit.record(session, actor=actor, action="family.trajectory", record_type="family",
                           record_id=family.id, unit_id=family.unit_id)
