"""Saving a recorded session: one transaction's worth of writes (flush only; the caller commits).

What a record means for the program (Orientaciones Metodológicas / Guías; product brief):
- "done" counts for the trajectory (program.trajectory reads the records). S1 done = the Carta de
  Compromiso was signed: the family becomes "active" and its intake date (start of the 24 months)
  is S1's date unless one was already known.
- "not_found" (Familia inubicable): status "not_found", and whether the Carta de Aviso was left is kept
  on the record; a later session held with the family makes it "active" again.
- "declined" (Declaración Voluntaria de No Participación) and "abandoned" (the formal abandonment
  procedure) close the case with their reason; planned visits are cancelled.
- "rescheduled": the visit failed; the record stays (it is part of the case's history) and a visit is
  planned on the new date.
- S22 done records the Línea de Salida, but the family stays "active": the accompaniment closes with
  the cierre sessions (S23, ASL S9) or the end of month 24, which program.trajectory reports as stage
  "egresada"; marking the family "graduated" is the closure's job, not a single visit's.
- Only a held session carries checklist-bound answers: Bono follow-up (sessions flagged bono_followup,
  for the month of the session, latest answer wins, every answer kept as an event), Plan rows
  (commitments, with their history), Matriz states (Línea Base on linea_base sessions, Línea de Salida
  on linea_salida ones; latest wins per family, indicator and moment) and the ASL choice (S6).
"""
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.catalog import Session
from program.clock import to_local
from program.session_draft import Outcome, SessionDraft
from services import audit, planner
from services.indicators import indicator_codes
from services.program_data import catalog
from services.session_record_checks import (
    CLOSED_STATUSES,
    DraftContext,
    check_draft,
    editable_family,
    local_today,
    recordable_session,
    utc,
)
from services.session_record_effects import save_asl_choice, save_bono, save_matriz, save_plan_rows
from storage import people_repo, records_repo
from storage.models import Family
from storage.records import SessionRecord, Visit

# A new date without a time (a rescheduled visit) is planned at the start of the working day, local time.
RESCHEDULED_VISIT_TIME = time(9, 0)


async def record_session(session: AsyncSession, *, actor: Actor, draft: SessionDraft, now: datetime) -> int:
    family = await editable_family(session, actor=actor, family_id=draft.family_id, action="session.record")
    catalog_session = await recordable_session(session, actor=actor, family=family, track=draft.track,
                                               code=draft.code)
    unit = await people_repo.require_unit(session, unit_id=family.unit_id)
    held = draft.outcome == Outcome.DONE
    members = {member.id: member for member in await people_repo.list_members(session, family_id=family.id)}
    commitments = ({c.id: c for c in await records_repo.list_commitments(session, family_id=family.id)}
                   if held and draft.plan_rows else {})
    codes = await indicator_codes(session, unit_id=family.unit_id) if held and draft.matriz else set()
    check_draft(draft, DraftContext(catalog_session, members, local_today(now, unit.timezone), now, codes,
                                    commitments))

    record = await records_repo.add(session, _record(draft, family, catalog_session, actor, now))
    await audit.record(session, actor=actor, action="session.record", record_type="session_record",
                       record_id=record.id, unit_id=family.unit_id)
    await _family_status(session, actor=actor, family=family, draft=draft, catalog_session=catalog_session)
    await _visits(session, actor=actor, family=family, record=record, draft=draft, tz_name=unit.timezone, now=now)
    if held:
        await save_bono(session, actor=actor, family=family, record=record, draft=draft,
                        catalog_session=catalog_session, now=now)
        await save_plan_rows(session, actor=actor, family=family, record=record, draft=draft,
                             commitments=commitments, now=now)
        await save_matriz(session, actor=actor, family=family, record=record, draft=draft,
                          catalog_session=catalog_session, now=now)
        await save_asl_choice(session, actor=actor, family=family, draft=draft, members=members,
                              catalog_session=catalog_session)
    # The family's reminders follow the record at once (a new visit, a rescheduled one, new commitments).
    await session.flush()
    await planner.plan_family(session, family_id=family.id, now=now)
    return record.id


def _record(draft: SessionDraft, family: Family, catalog_session: Session, actor: Actor,
            now: datetime) -> SessionRecord:
    closing = draft.outcome in (Outcome.DECLINED, Outcome.ABANDONED)
    assert draft.held_on is not None and actor.staff_id is not None  # checked: a dated draft, by a professional
    return SessionRecord(
        family_id=family.id, unit_id=family.unit_id, track=catalog_session.track, code=catalog_session.code,
        catalog_version=catalog().version, held_on=draft.held_on, outcome=str(draft.outcome),
        reason=draft.reason.strip() if closing and draft.reason else None,
        carta_aviso_left=bool(draft.carta_aviso_left) if draft.outcome == Outcome.NOT_FOUND else False,
        rescheduled_to=draft.rescheduled_to if draft.outcome == Outcome.RESCHEDULED else None,
        participant_member_id=draft.participant_member_id,
        products_done=sorted(draft.products_done), products_total=len(catalog_session.products),
        recorded_by_id=actor.staff_id, note_text=(draft.note_text or "").strip() or None,
        note_voice_file_id=draft.note_voice_file_id, note_voice_duration=draft.note_voice_duration,
        created_at=now,
    )


async def _family_status(session: AsyncSession, *, actor: Actor, family: Family, draft: SessionDraft,
                         catalog_session: Session) -> None:
    status, intake = family.status, family.intake_date
    if family.status in CLOSED_STATUSES:
        pass  # a closed case is reopened by the unit's procedure, not by a session record
    elif draft.outcome == Outcome.DONE and catalog_session.has("carta_compromiso"):
        status, intake = "active", intake or draft.held_on
    elif draft.outcome == Outcome.DONE and family.status == "not_found" and intake is not None:
        status = "active"  # found again
    elif draft.outcome in (Outcome.NOT_FOUND, Outcome.DECLINED, Outcome.ABANDONED):
        status = str(draft.outcome)
    if (status, intake) == (family.status, family.intake_date):
        return
    if intake != family.intake_date:
        await audit.record(session, actor=actor, action="family.intake", record_type="family", record_id=family.id,
                           unit_id=family.unit_id)
    if status != family.status:
        await audit.record(session, actor=actor, action=f"family.status.{status}", record_type="family",
                           record_id=family.id, unit_id=family.unit_id)
    family.status, family.intake_date = status, intake
    await people_repo.add(session, family)


async def _visits(session: AsyncSession, *, actor: Actor, family: Family, record: SessionRecord,
                  draft: SessionDraft, tz_name: str, now: datetime) -> None:
    """At most one planned visit per family: the one this session reports on is done (or failed),
    and a new date replaces whatever was planned before. A rescheduled visit uses the next-visit
    moment when the dialog asked for one (it has the time), else the new date at 09:00."""
    closing = draft.outcome in (Outcome.DECLINED, Outcome.ABANDONED)
    held_on = draft.held_on
    assert held_on is not None  # checked before saving
    new_at = None
    if draft.outcome == Outcome.RESCHEDULED:
        assert draft.rescheduled_to is not None  # checked before saving
        new_at = draft.next_visit_at or datetime.combine(draft.rescheduled_to, RESCHEDULED_VISIT_TIME,
                                                         tzinfo=ZoneInfo(tz_name))
    elif not closing:
        new_at = draft.next_visit_at
    for visit in await records_repo.planned_visits(session, family_id=family.id):
        reported = to_local(visit.at, tz_name).date() <= held_on
        if not (closing or reported or new_at is not None):
            continue
        visit.status = "done" if reported and draft.outcome == Outcome.DONE else "cancelled"
        visit.updated_at = now
        await records_repo.add(session, visit)
        await audit.record(session, actor=actor, action=f"visit.{visit.status}", record_type="visit",
                           record_id=visit.id, unit_id=family.unit_id)
    if new_at is not None:
        visit = await records_repo.add(session, Visit(family_id=family.id, staff_id=actor.staff_id, at=utc(new_at),
                                                      status="planned", source_record_id=record.id,
                                                      created_at=now, updated_at=now))
        await audit.record(session, actor=actor, action="visit.plan", record_type="visit", record_id=visit.id,
                           unit_id=family.unit_id)

