"""Rectification (Ley 21.719): the assigned AFI or the jefe/a corrects a member's names, RUN, birth date
or relationship, keeping the old and new value in member_change; a family asks for a correction from
the privacy menu, and the request waits on the card and in the AFI's digest until marked done.

The audit trail gets ids and the field's name only; the values live in member_change, which the erase
feature anonymises with the person.
"""
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_view_family
from program.rectification import FIELDS, InvalidValue, as_text, can_correct, parse_value
from program.roles import STAFF_ROLES, Role
from services import audit
from services.errors import InvalidInput, NotAllowed, NotFound
from services.onboarding import family_scope
from storage import corrections_repo, people_repo
from storage.corrections import CorrectionRequest, MemberChange
from storage.models import Family, Member

MAX_REQUEST_TEXT = 2000


@dataclass(frozen=True)
class Correctable:
    family: Family
    members: list[Member]


async def _family_for_correction(session: AsyncSession, *, actor: Actor, family_id: int) -> Family:
    family = await people_repo.get_family(session, family_id=family_id)
    if family is None or not can_correct(actor, family_scope(family)):
        await audit.record(session, actor=actor, action="denied.member.correct", record_type="family",
                           record_id=family_id)
        raise NotAllowed("family")
    return family


async def correctable(session: AsyncSession, *, actor: Actor, family_id: int) -> Correctable:
    family = await _family_for_correction(session, actor=actor, family_id=family_id)
    return Correctable(family, list(await people_repo.list_members(session, family_id=family.id)))


def may_correct(actor: Actor, family: Family) -> bool:
    return can_correct(actor, family_scope(family))


async def correct_member(session: AsyncSession, *, actor: Actor, member_id: int, field: str, raw_value: str,
                         today: date, now: datetime) -> MemberChange:
    """InvalidValue (program.rectification) for a bad value, InvalidInput('run_in_use' | 'unchanged')."""
    member = await people_repo.get_member(session, member_id=member_id)
    if member is None:
        await audit.record(session, actor=actor, action="denied.member.correct", record_type="member",
                           record_id=member_id)
        raise NotAllowed("member")
    family = await _family_for_correction(session, actor=actor, family_id=member.family_id)
    if field not in FIELDS:
        raise InvalidValue("unknown_field")
    value = parse_value(field, raw_value, today=today)
    old = getattr(member, field)
    if old == value:
        raise InvalidInput("unchanged")
    if field == "run" and isinstance(value, str) and await corrections_repo.run_taken(
            session, run=value, except_member_id=member.id):
        raise InvalidInput("run_in_use")
    setattr(member, field, value)
    await people_repo.add(session, member)
    change = await corrections_repo.add(session, MemberChange(
        member_id=member.id, family_id=family.id, field=field, old_value=as_text(old), new_value=as_text(value),
        changed_by_id=actor.staff_id, at=now))
    await audit.record(session, actor=actor, action=f"member.correct.{field}", record_type="member",
                       record_id=member.id, unit_id=family.unit_id)
    return change


async def ask_correction(session: AsyncSession, *, actor: Actor, text: str | None, voice_file_id: str | None,
                         voice_duration: int | None, now: datetime) -> CorrectionRequest:
    if actor.role is not Role.FAMILY or actor.member_id is None or actor.family_id is None:
        raise NotAllowed("correction_request")
    text = (text or "").strip() or None
    if text is None and not voice_file_id:
        raise InvalidInput("empty")
    if text is not None and len(text) > MAX_REQUEST_TEXT:
        raise InvalidInput("too_long")
    request = await corrections_repo.add(session, CorrectionRequest(
        family_id=actor.family_id, member_id=actor.member_id, text=text, voice_file_id=voice_file_id,
        voice_duration=voice_duration, created_at=now))
    await audit.record(session, actor=actor, action="correction.request", record_type="correction_request",
                       record_id=request.id)
    return request


async def open_requests(session: AsyncSession, *, actor: Actor, family_id: int) -> list[CorrectionRequest]:
    """For the family's card: what the family asked for and is not yet done (its professionals see it)."""
    family = await people_repo.get_family(session, family_id=family_id)
    if family is None or actor.role not in STAFF_ROLES or not can_view_family(actor, family_scope(family)):
        return []
    return list(await corrections_repo.open_requests(session, family_id=family_id))


async def mark_done(session: AsyncSession, *, actor: Actor, request_id: int, now: datetime) -> CorrectionRequest:
    request = await corrections_repo.get_request(session, request_id=request_id)
    if request is None:
        raise NotFound("correction_request")
    await _family_for_correction(session, actor=actor, family_id=request.family_id)
    if request.done_at is None:
        request.done_at, request.done_by_id = now, actor.staff_id
        await corrections_repo.add(session, request)
        await audit.record(session, actor=actor, action="correction.done", record_type="correction_request",
                           record_id=request.id)
    return request
