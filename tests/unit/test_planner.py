"""The planner on a real database (SQLite and PostgreSQL): what is planned from visits, commitments, bono
answers and caseloads, at which UTC instant, and that re-planning never duplicates and cancels what lost
its cause."""
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from program.access import Actor
from program.roles import Role
from program.session_draft import PlanRow, SessionDraft
from services import planner, session_records
from storage.models import ChatAccount, Family, Unit
from storage.records import BonoFollowup, Commitment
from tests.support import seed
from tests.support.outbox import link_family, link_staff, messages

UTC = UTC


def at(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
async def unit(session_factory, clock):
    u = await seed.unit_with_families(session_factory, clock())
    async with session_factory() as session:  # F-001 signed its Carta de Compromiso in October
        family = await session.get(Family, u.family_ids["F-001"])
        family.status, family.intake_date = "active", date(2026, 10, 5)
        session.add(family)
        await session.commit()
    return u


async def _record(session_factory, unit, clock, **fields) -> None:
    actor = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    draft = SessionDraft(**({"family_id": unit.family_ids["F-001"], "code": "S7", "held_on": date(2026, 11, 23),
                             "bono": "cobrado"} | fields))  # S7 cannot be saved without the Bono follow-up
    async with session_factory() as session:
        await session_records.record_session(session, actor=actor, draft=draft, now=clock())
        await session.commit()


async def _plan(session_factory, clock):
    return await planner.plan_all(session_factory, now=clock())


async def _pending(session_factory) -> dict[str, datetime]:
    return {m.template: m.due_at for m in await messages(session_factory) if m.status == "pending"}


async def test_a_next_visit_gets_its_evening_and_morning_reminders(session_factory, clock, unit):
    await link_family(session_factory, family_id=unit.family_ids["F-001"], consent_at=clock())
    # The visit on Wednesday 25-11 at 11:00 Santiago (UTC-3): reminders on the 24th at 19:00 and the 25th at 09:00.
    await _record(session_factory, unit, clock, next_visit_at=at(2026, 11, 25, 14, 0))
    assert await _pending(session_factory) == {"visit_evening_before": at(2026, 11, 24, 22, 0),
                                               "visit_morning_of": at(2026, 11, 25, 12, 0)}
    [evening, _morning] = await messages(session_factory)
    assert (evening.kind, evening.essential, evening.scope, evening.expires_at) == (
        "visit_reminder", False, f"family:{unit.family_ids['F-001']}", at(2026, 11, 25, 14, 0))
    assert evening.args["staff_name"] == "Carla Rojas"
    first = await _plan(session_factory, clock)
    second = await _plan(session_factory, clock)
    assert (first.created, second.created, second.updated, second.cancelled) == (0, 0, 0, 0)
    assert len(await messages(session_factory)) == 2


async def test_a_rescheduled_visit_cancels_the_old_reminders(session_factory, clock, unit):
    await link_family(session_factory, family_id=unit.family_ids["F-001"], consent_at=clock())
    await _record(session_factory, unit, clock, next_visit_at=at(2026, 11, 25, 14, 0))
    await _record(session_factory, unit, clock, code="S8", outcome="rescheduled", rescheduled_to=date(2026, 11, 30),
                  next_visit_at=at(2026, 11, 30, 17, 0))
    rows = await messages(session_factory)
    assert [(m.template, m.status) for m in rows] == [
        ("visit_evening_before", "cancelled"), ("visit_morning_of", "cancelled"),
        ("visit_evening_before", "pending"), ("visit_morning_of", "pending")]
    assert rows[2].due_at == at(2026, 11, 29, 22, 0)


async def test_commitment_deadlines_and_done_cancels(session_factory, clock, unit):
    account = await link_family(session_factory, family_id=unit.family_ids["F-001"], consent_at=clock())
    row = PlanRow(dimension="salud", topic="Control sano de Pedro", resources="", action="Pedir hora",
                  responsible="family", deadline=date(2026, 12, 1))
    await _record(session_factory, unit, clock, plan_rows=[row])
    # 3 days before and on the day at 10:00, once overdue two days after (all Santiago, UTC-3 in summer).
    assert await _pending(session_factory) == {"commitment_soon": at(2026, 11, 28, 13, 0),
                                               "commitment_today": at(2026, 12, 1, 13, 0),
                                               "commitment_overdue": at(2026, 12, 3, 13, 0)}
    assert all(m.account_id == account for m in await messages(session_factory))
    async with session_factory() as session:
        commitment = (await session.exec(select(Commitment))).one()
        commitment.status = "done"
        session.add(commitment)
        await planner.plan_family(session, family_id=commitment.family_id, now=clock())
        await session.commit()
    assert {m.status for m in await messages(session_factory)} == {"cancelled"}


async def test_the_program_s_own_commitments_go_to_the_digest_not_to_the_family(session_factory, clock, unit):
    await link_family(session_factory, family_id=unit.family_ids["F-001"], consent_at=clock())
    await link_staff(session_factory, staff_id=unit.afi_id)
    row = PlanRow(dimension="ingresos", topic="Postular al SUF", resources="", action="Llevar papeles",
                  responsible="program", deadline=date(2026, 11, 23))
    await _record(session_factory, unit, clock, plan_rows=[row])
    clock.advance(days=1)  # Tuesday 24th, 12:00: the deadline passed
    await _plan(session_factory, clock)
    [digest] = [m for m in await messages(session_factory) if m.kind == "digest"]
    assert not [m for m in await messages(session_factory) if m.kind.startswith("commitment")]
    assert digest.due_at == at(2026, 11, 25, 12, 0) and digest.dedupe_key.startswith("digest:")
    assert digest.args["program_commitments"] == [{"family": "Pérez Soto · F-001", "topic": "Postular al SUF"}]


async def test_bono_question_on_the_units_day_and_answered_cancels_the_second_ask(session_factory, clock, unit):
    async with session_factory() as session:
        u = await session.get(Unit, unit.unit_id)
        u.nudge_settings = {"bono_day": 25}
        session.add(u)
        await session.commit()
    account = await link_family(session_factory, family_id=unit.family_ids["F-001"], consent_at=clock())
    async with session_factory() as session:  # nudges off: the bono question is essential and still comes
        linked = await session.get(ChatAccount, account)
        linked.nudges_opt_out = True
        session.add(linked)
        await session.commit()
    await _plan(session_factory, clock)
    assert await _pending(session_factory) == {"bono_question": at(2026, 11, 25, 13, 0),
                                               "bono_second_ask": at(2026, 11, 30, 13, 0)}
    async with session_factory() as session:
        session.add(BonoFollowup(family_id=unit.family_ids["F-001"], month="2026-11", answer="cobrado",
                                 source="family"))
        await session.commit()
    await _plan(session_factory, clock)
    assert await _pending(session_factory) == {}


async def test_nothing_for_a_family_that_has_not_accepted_or_blocked_the_bot(session_factory, clock, unit):
    account = await link_family(session_factory, family_id=unit.family_ids["F-001"], consent_at=None)
    await _record(session_factory, unit, clock, next_visit_at=at(2026, 11, 25, 14, 0))
    assert await messages(session_factory) == []
    async with session_factory() as session:
        linked = await session.get(ChatAccount, account)
        linked.consent_at, linked.blocked_at = clock(), clock()
        session.add(linked)
        await session.commit()
    await _plan(session_factory, clock)
    assert await messages(session_factory) == []


async def test_magallanes_keeps_utc_minus_3_and_a_units_quiet_hours(session_factory, clock):
    u = await seed.unit_with_families(session_factory, clock(), comuna="Punta Arenas")
    async with session_factory() as session:
        unit = await session.get(Unit, u.unit_id)
        unit.timezone, unit.nudge_settings = "America/Punta_Arenas", {"quiet_start": "18:00", "quiet_end": "08:00"}
        family = await session.get(Family, u.family_ids["F-001"])
        family.status, family.intake_date = "active", date(2026, 10, 5)
        session.add_all([unit, family])
        await session.commit()
    await link_family(session_factory, family_id=u.family_ids["F-001"], consent_at=clock())
    # A visit in winter (no DST in Magallanes): 2027-06-15 10:00 local is 13:00 UTC.
    clock.now = at(2027, 6, 10, 15, 0)
    # An S5 (no Bono follow-up: an S7 would answer June's question and there would be no second ask).
    await _record(session_factory, u, clock, code="S5", bono=None, held_on=date(2027, 6, 10),
                  next_visit_at=at(2027, 6, 15, 13, 0))
    # The 19:00 evening reminder falls in the unit's quiet hours (from 18:00) and would move into the visit's
    # morning: dropped. The 09:00 morning one stays.
    pending = await _pending(session_factory)
    assert {k: v for k, v in pending.items() if k.startswith("visit")} == {"visit_morning_of": at(2027, 6, 15, 12, 0)}
    assert pending["bono_second_ask"] == at(2027, 6, 15, 13, 0)  # the 10th's first ask already passed at 11:00
    [row] = [m for m in await messages(session_factory) if m.kind == "visit_reminder"]
    assert (row.timezone, row.quiet_hours) == ("America/Punta_Arenas", "18:00-08:00")
