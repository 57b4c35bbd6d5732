"""Erasure (Ley 21.719): a person or a whole family is anonymised. Names, RUN, birth date, every text they
typed or said (notes, commitments, notebook, Bono problems), voice and photo file ids, the chats linked to
them, their dialog drafts and messages are removed or replaced; what the program's registry must keep
(program/data/retention.yaml: kept_after_erasure) stays, so the unit's statistics still count the
sessions held, their outcomes and the Matriz. Used by `subject-erase`, the jefe/a's button and retention."""
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from services import audit
from services.blocking import managed_family
from services.errors import NotFound
from storage import accounts_repo, people_repo, rights_repo
from storage.blocking import allowed
from storage.corrections import CorrectionRequest, MemberChange
from storage.cuaderno import CuadernoEntry
from storage.models import Family, Member
from storage.records import BonoFollowup, BonoFollowupEvent, Commitment, CommitmentEvent, SessionRecord

ANONYMOUS_PERSON = "Persona anonimizada"
ANONYMOUS_FAMILY = "Familia anonimizada"
REMOVED = "—"  # required texts (a commitment's topic and action) keep a placeholder


def _record_text() -> dict:
    return {"reason": None, "note_text": None, "note_voice_file_id": None}


def _commitment_text() -> dict:
    return {"topic": REMOVED, "resources": "", "action": REMOVED, "topic_voice_file_id": None,
            "action_voice_file_id": None}


def _event_text() -> dict:
    return {"note_text": None, "voice_file_id": None}


def _bono_event_text() -> dict:
    return {"note": None, "voice_file_id": None}


def _cuaderno_text(now: datetime) -> dict:
    return {"text": None, "file_id": None, "file_unique_id": None,
            "deleted_at": func.coalesce(CuadernoEntry.deleted_at, now)}


def _person(now: datetime) -> dict:
    return {"given_names": ANONYMOUS_PERSON, "surnames": "", "run": None, "birth_date": None, "anonymised_at": now}


def _change_values() -> dict:
    # A rectification's old and new values are the person's data (names, RUN, birth date): both go.
    return {"old_value": None, "new_value": None}


def _request_text() -> dict:
    return {"text": None, "voice_file_id": None}


def member_targets(member_ids: list[int], now: datetime) -> list[tuple]:
    """(model, which rows, new values) of what one person typed, said or is."""
    by_them = lambda model: and_(model.actor_type == "member", col(model.actor_id).in_(member_ids))  # noqa: E731
    return [
        (Member, col(Member.id).in_(member_ids), _person(now)),
        (CuadernoEntry, col(CuadernoEntry.member_id).in_(member_ids), _cuaderno_text(now)),
        (CommitmentEvent, by_them(CommitmentEvent), _event_text()),
        (BonoFollowupEvent, by_them(BonoFollowupEvent), _bono_event_text()),
        (Commitment, col(Commitment.member_id).in_(member_ids), _commitment_text()),  # their Plan Laboral
        (SessionRecord, col(SessionRecord.participant_member_id).in_(member_ids), _record_text()),
        (MemberChange, col(MemberChange.member_id).in_(member_ids), _change_values()),
        (CorrectionRequest, col(CorrectionRequest.member_id).in_(member_ids), _request_text()),
    ]


def family_targets(family_id: int, now: datetime) -> list[tuple]:
    commitments = select(Commitment.id).where(Commitment.family_id == family_id)
    followups = select(BonoFollowup.id).where(BonoFollowup.family_id == family_id)
    return [
        (Family, Family.id == family_id, {"family_name": ANONYMOUS_FAMILY, "sector": None, "anonymised_at": now}),
        (Member, Member.family_id == family_id, _person(now)),
        (SessionRecord, SessionRecord.family_id == family_id, _record_text()),
        (Commitment, Commitment.family_id == family_id, _commitment_text()),
        (CommitmentEvent, col(CommitmentEvent.commitment_id).in_(commitments), _event_text()),
        (BonoFollowup, BonoFollowup.family_id == family_id, {"note": None}),
        (BonoFollowupEvent, col(BonoFollowupEvent.followup_id).in_(followups), _bono_event_text()),
        (CuadernoEntry, CuadernoEntry.family_id == family_id, _cuaderno_text(now)),
        (MemberChange, col(MemberChange.family_id) == family_id, _change_values()),
        (CorrectionRequest, col(CorrectionRequest.family_id) == family_id, _request_text()),
    ]


def erased_columns() -> set[str]:
    """Every table.column an erasure overwrites (tests check none of them is kept by law)."""
    now = datetime.now()
    return {f"{model.__tablename__}.{name}" for model, _where, values in
            member_targets([0], now) + family_targets(0, now) for name in values}


@dataclass
class Erasure:
    members: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    accounts_unlinked: int = 0
    messages_deleted: int = 0
    drafts_deleted: int = 0
    codes_deleted: int = 0


async def _apply(session: AsyncSession, targets: list[tuple], member_ids: list[int], family_id: int,
                 whole_family: bool, now: datetime) -> Erasure:
    result = Erasure(members=len(member_ids))
    with allowed(session):
        for model, where, values in targets:
            result.rows[model.__tablename__] = result.rows.get(model.__tablename__, 0) + await rights_repo.blank(
                session, model=model, where=where, values=values)
        accounts = await rights_repo.family_accounts(session, family_id=family_id, member_ids=member_ids)
        account_ids = [a.id for a in accounts]
        result.drafts_deleted = await rights_repo.delete_dialog_state(session, accounts=accounts)
        result.messages_deleted = await rights_repo.delete_messages(
            session, account_ids=account_ids, scopes=[f"family:{family_id}"] if whole_family else [],
            family_id=family_id if whole_family else None)
        result.accounts_unlinked = await accounts_repo.unlink(session, account_ids=account_ids, now=now)
        result.codes_deleted = await rights_repo.delete_unused_codes(session, member_ids=member_ids)
    return result


async def erase_family(session: AsyncSession, *, actor: Actor | None, family_id: int, now: datetime) -> Erasure:
    """`actor` None: the retention job (system). Otherwise the jefe/a of the family's unit or the admin."""
    if actor is None:
        family = await people_repo.get_family(session, family_id=family_id)
        if family is None:
            raise NotFound("family")
    else:
        family = await managed_family(session, actor=actor, family_id=family_id, action="family.erase")
    member_ids = [m.id for m in await people_repo.list_members(session, family_id=family_id)]
    result = await _apply(session, family_targets(family_id, now) + member_targets(member_ids, now), member_ids,
                          family_id, whole_family=True, now=now)
    await audit.record(session, actor=actor, action="family.erase", record_type="family", record_id=family_id,
                       unit_id=family.unit_id)
    return result


async def erase_member(session: AsyncSession, *, actor: Actor, member_id: int, now: datetime) -> Erasure:
    member = await people_repo.get_member(session, member_id=member_id)
    if member is None:
        raise NotFound("member")
    family = await managed_family(session, actor=actor, family_id=member.family_id, action="member.erase")
    result = await _apply(session, member_targets([member_id], now), [member_id], family.id, whole_family=False,
                          now=now)
    await audit.record(session, actor=actor, action="member.erase", record_type="member", record_id=member_id,
                       unit_id=family.unit_id)
    return result
