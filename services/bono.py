"""The family's monthly Bono de Protección answer: "Sí", "Todavía no" or "Tengo un problema" (and what).

Answers are stored per family and month (bono_followup), the same row an AFI's follow-up in a session
updates: the latest answer wins, every answer stays as an event. A problem alerts the family's Gestor
Familiar and AFI at once through the outbox (essential: it reaches them even with reminders off, but
never at night). An answer to an old question counts for the month it was about.
"""
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.clock import to_local
from program.quiet_hours import release_time
from program.roles import Role
from services import audit, planner
from services.errors import InvalidInput, NotAllowed
from services.nudge_settings import quiet_hours_text, schedule_for
from storage import accounts_repo, outbox_repo, people_repo, records_repo
from storage.models import ChatAccount
from storage.records import BonoFollowup, BonoFollowupEvent

ANSWERS = ("cobrado", "todavia_no", "problema")
REASONS = ("no_se_donde", "sin_cuenta", "no_llego", "otro")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
NOTE_MAX = 500


@dataclass(frozen=True)
class BonoStatus:
    month: str
    answer: str | None
    reason: str | None


def current_month(now: datetime, tz_name: str) -> str:
    return to_local(now, tz_name).strftime("%Y-%m")


def _family(actor: Actor) -> int:
    """The family of a family member answering for it."""
    if actor is None or actor.role is not Role.FAMILY or actor.family_id is None:
        raise NotAllowed("bono")
    return actor.family_id


async def status(session: AsyncSession, *, actor: Actor, month: str) -> BonoStatus:
    found = await records_repo.get_bono_followup(session, family_id=_family(actor), month=month)
    return BonoStatus(month, found.answer if found else None, found.reason if found else None)


def _check_month(month: str, *, today: date, intake: date | None) -> None:
    if not MONTH.match(month or ""):
        raise InvalidInput("bad_month")
    first = (intake or date(2000, 1, 1)).strftime("%Y-%m")
    if month > today.strftime("%Y-%m") or month < first:
        raise InvalidInput("bad_month")


async def answer(session: AsyncSession, *, actor: Actor, month: str, answer: str, reason: str | None = None,
                 note: str | None = None, voice_file_id: str | None = None, now: datetime) -> BonoFollowup:
    family_id = _family(actor)
    if not (actor.is_representative or await _collects(session, actor)):
        await audit.record(session, actor=actor, action="denied.bono.answer", record_type="family",
                           record_id=actor.family_id)
        raise NotAllowed("bono")
    if answer not in ANSWERS or (answer == "problema" and reason not in REASONS):
        raise InvalidInput("bad_answer")
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        raise InvalidInput("too_long")
    family = await people_repo.get_family(session, family_id=family_id)
    assert family is not None  # the actor's own family
    unit = await people_repo.require_unit(session, unit_id=family.unit_id)
    _check_month(month, today=to_local(now, unit.timezone).date(), intake=family.intake_date)
    followup = await records_repo.get_bono_followup(session, family_id=family.id, month=month)
    if followup is None:
        followup = BonoFollowup(family_id=family.id, month=month, answer=answer, source="family")
    followup.answer, followup.reason, followup.note = answer, reason if answer == "problema" else None, note
    followup.source, followup.record_id, followup.updated_at = "family", None, now
    await records_repo.add(session, followup)
    event = await records_repo.add(session, BonoFollowupEvent(
        followup_id=followup.id, at=now, actor_type="member", actor_id=actor.member_id, answer=answer,
        reason=followup.reason, note=note, voice_file_id=voice_file_id, source="family"))
    await audit.record(session, actor=actor, action=f"bono.answer.{answer}", record_type="bono_followup",
                       record_id=followup.id, unit_id=family.unit_id)
    if answer == "problema" and reason is not None:  # a problem always has a reason (checked above)
        await _alert(session, family=family, unit=unit, month=month, reason=reason, event_id=event.id,
                     voice_file_id=voice_file_id, now=now)
    await session.flush()
    await planner.plan_family(session, family_id=family.id, now=now)  # no second ask after an answer
    return followup


async def _collects(session: AsyncSession, actor: Actor) -> bool:
    member = await people_repo.get_member(session, member_id=actor.member_id) if actor.member_id else None
    return bool(member and member.is_bono_collector)


async def _alert(session: AsyncSession, *, family, unit, month: str, reason: str, event_id: int,
                 voice_file_id: str | None, now: datetime) -> None:
    """To the Gestor Familiar and the AFI of the family (the jefe/a when neither is assigned)."""
    staff_ids = [s for s in (family.gestor_familiar_id, family.afi_id) if s is not None]
    if not staff_ids:
        staff_ids = [s.id for s in await people_repo.active_staff(session, unit_id=unit.id, role="jefe")]
    schedule = schedule_for(unit)
    due = release_time(now, unit.timezone, schedule.quiet_start, schedule.quiet_end)
    rows = []
    for staff_id in dict.fromkeys(staff_ids):
        for account in await _staff_accounts(session, staff_id):
            rows.append({"account_id": account.id, "chat_id": account.chat_id, "kind": "bono_alert",
                         "template": "bono_problem_alert",
                         "args": {"family": f"{family.family_name} · {family.code}", "family_id": family.id,
                                  "month": month, "reason": reason, "has_voice": bool(voice_file_id)},
                         "buttons": [], "essential": True, "scope": f"staff:{staff_id}", "source": "event",
                         "due_at": due, "expires_at": None, "timezone": unit.timezone,
                         "quiet_hours": quiet_hours_text(schedule),
                         "dedupe_key": f"bono_alert:{family.id}:{month}:{event_id}:{account.id}"})
    await outbox_repo.enqueue(session, rows)


async def _staff_accounts(session: AsyncSession, staff_id: int) -> list[ChatAccount]:
    staff = await people_repo.get_staff(session, staff_id=staff_id)
    if staff is None or not staff.active:
        return []
    return list(await accounts_repo.accounts_for_staff(session, staff_id=staff_id))
