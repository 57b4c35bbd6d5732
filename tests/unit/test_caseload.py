"""Mis familias, the family card and the jefe's reassignment, on a real database (SQLite and PostgreSQL),
from records written through services.session_records.record_session and the repositories."""
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from program.access import Actor
from program.roles import Role
from program.session_draft import PlanRow, SessionDraft
from services import caseload, caseload_assign, onboarding, session_records, units
from services.errors import InvalidInput, NotAllowed
from storage import people_repo, records_repo
from storage.models import AuditEvent, Family, Staff
from storage.records import MatrizState, Visit
from tests.support import seed

TODAY = date(2026, 11, 23)  # the FakeClock's 15:00 UTC is 12:00 in Santiago
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)
NEXT_VISIT = datetime(2026, 12, 2, 13, 30, tzinfo=UTC)
ROUTINE = [("S1", date(2026, 6, 20)), ("S2", date(2026, 6, 27)), ("S3", date(2026, 7, 20)),
           ("S4", date(2026, 8, 20)), ("S5", date(2026, 9, 5)), ("S6", date(2026, 9, 20))]


@dataclass
class Db:
    factory: object
    unit: seed.Unit
    f1: int  # Pérez Soto, APS: stopped after S2 (S3 overdue)
    f2: int  # Joseph, APS + ASL: up to S7 (S8 due, not overdue)
    afi: Actor
    jefe: Actor

    async def record(self, family_id: int, code: str, held_on: date, **fields) -> int:
        async with self.factory() as session:
            record_id = await session_records.record_session(
                session, actor=self.afi, now=NOW,
                draft=SessionDraft(family_id=family_id, code=code, held_on=held_on, **fields))
            await session.commit()
        return record_id

    async def call(self, function, **kwargs):
        """One update's worth: the dialog catches a refusal and the update commits (with its audit row)."""
        async with self.factory() as session:
            try:
                return await function(session, **kwargs)
            finally:
                await session.commit()

    async def audit(self, action: str) -> list[AuditEvent]:
        async with self.factory() as session:
            return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action))).all())


async def _new_staff(db: Db, name: str, role: str, *, active: bool = True, unit_id: int | None = None) -> Actor:
    async with db.factory() as session:
        staff, _code = await units.add_staff(session, unit_id=unit_id or db.unit.unit_id, name=name, role=role, now=NOW)
        staff.active = active
        await people_repo.add(session, staff)
        await session.commit()
    return Actor(role=Role(role), unit_id=staff.unit_id, staff_id=staff.id)


@pytest.fixture
async def db(session_factory) -> Db:
    unit = await seed.unit_with_families(session_factory, NOW)
    async with session_factory() as session:  # both families with the same AFI
        family = await people_repo.get_family(session, family_id=unit.family_ids["F-002"])
        family.afi_id = unit.afi_id
        await people_repo.add(session, family)
        await session.commit()
    db = Db(session_factory, unit, unit.family_ids["F-001"], unit.family_ids["F-002"],
            Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id),
            Actor(role=Role.JEFE, unit_id=unit.unit_id, staff_id=unit.jefe_id))
    await db.record(db.f1, "S1", date(2026, 6, 20))
    await db.record(db.f1, "S2", date(2026, 6, 27), next_visit_at=NEXT_VISIT, matriz={"i32": "a_trabajar"},
                    plan_rows=[PlanRow("salud", "Controles al día", "CESFAM cercano", "Pedir hora", deadline=TODAY),
                               PlanRow("trabajo", "Buscar empleo", "", "Ir a la OMIL", responsible="program")])
    for code, held_on in ROUTINE:
        await db.record(db.f2, code, held_on)
    await db.record(db.f2, "S7", date(2026, 10, 10), bono="cobrado")
    return db


async def test_rows_show_stage_last_next_overdue_commitments_and_bono(db):
    rows = {row.code: row for row in await db.call(caseload.caseload, actor=db.afi, today=TODAY)}
    f1, f2 = rows["F-001"], rows["F-002"]
    assert (f1.stage, f1.last.code, f1.last.held_on) == ("construccion_planes", "S2", date(2026, 6, 27))
    assert (f1.next.code, f1.next.due_by, f1.overdue, f1.due) == ("S3", date(2026, 8, 19), True, True)
    assert (f1.open_commitments, f1.bono) == (2, None)
    assert (f2.stage, f2.last.code, f2.last.held_on) == ("apoyo_bienestar", "S7", date(2026, 10, 10))
    assert (f2.next.track, f2.next.code, f2.overdue, f2.due) == ("aps", "S8", False, True)
    assert (f2.open_commitments, f2.bono) == (0, ("2026-10", "cobrado"))


async def test_overdue_first_then_due_then_by_name_and_jefe_sees_the_unit(db):
    # Joseph comes before Pérez Soto by name, but Pérez Soto's S3 is overdue.
    assert [r.code for r in await db.call(caseload.caseload, actor=db.jefe, today=TODAY)] == ["F-001", "F-002"]
    # Once S3 is recorded nothing is overdue any more.
    await db.record(db.f1, "S3", date(2026, 11, 20))
    rows = {r.code: r for r in await db.call(caseload.caseload, actor=db.jefe, today=TODAY)}
    assert rows["F-001"].last.code == "S3" and not rows["F-001"].overdue
    # The gestor sees only families assigned to them, and the jefe everything, even unassigned ones.
    gestor = await _new_staff(db, "Rosa Vidal", "gestor_socio")
    assert await db.call(caseload.caseload, actor=gestor, today=TODAY) == []


@pytest.mark.parametrize("query, codes", [("perez", ["F-001"]), ("PÉREZ soto", ["F-001"]), ("f-002", ["F-002"]),
                                          ("jean", ["F-002"]), ("pedro", ["F-001"]), ("nadie", []),
                                          ("  ", ["F-001", "F-002"])])
async def test_search_by_family_or_member_name_or_code(db, query, codes):
    rows = await db.call(caseload.caseload, actor=db.afi, today=TODAY, query=query)
    assert [r.code for r in rows] == codes


async def test_family_card_sections(db):
    async with db.factory() as session:  # a Línea de Salida written straight through the repository
        await records_repo.add(session, MatrizState(family_id=db.f1, indicator_code="i32", moment="linea_salida",
                                                    state="logrado"))
        await session.commit()
    summary = await db.call(caseload.family_summary, actor=db.afi, family_id=db.f1, now=NOW, today=TODAY)
    assert (summary.next_visit, summary.representative, summary.can_reassign) == (NEXT_VISIT, "not_linked", False)
    assert summary.row.open_commitments == 2 and summary.card.can_edit
    assert (await db.call(caseload.family_summary, actor=db.jefe, family_id=db.f1, now=NOW, today=TODAY)).can_reassign

    sessions = await db.call(caseload.family_sessions, actor=db.afi, family_id=db.f1)
    assert [(r.code, r.outcome) for r in sessions] == [("S2", "done"), ("S1", "done")]
    items, closed = await db.call(caseload.family_plan, actor=db.afi, family_id=db.f1)
    # In the Matriz's order of dimensions: Trabajo before Salud.
    assert [(i.commitment.dimension, i.commitment.responsible) for i in items] == [("trabajo", "program"),
                                                                                   ("salud", "family")]
    assert closed == 0
    [row] = await db.call(caseload.family_matriz, actor=db.afi, family_id=db.f1)
    assert (row.dimension, row.code, row.base, row.exit) == ("salud", "i32", "a_trabajar", "logrado")
    assert row.text


async def test_representative_link_state(db):
    code = await seed.family_code(db.factory, NOW, unit_id=db.unit.unit_id, family_id=db.f1)
    async with db.factory() as session:
        await onboarding.redeem(session, telegram_user_id=6001, chat_id=6001, code=code, now=NOW, language=None)
        await session.commit()
    summary = await db.call(caseload.family_summary, actor=db.afi, family_id=db.f1, now=NOW, today=TODAY)
    assert summary.representative == "pending_consent"


async def test_another_units_professional_is_refused_and_audited(db):
    other = await seed.unit_with_families(db.factory, NOW, comuna="Renca")
    stranger = Actor(role=Role.JEFE, unit_id=other.unit_id, staff_id=other.jefe_id)
    family_actor = Actor(role=Role.FAMILY, unit_id=db.unit.unit_id, family_id=db.f1, member_id=1)
    for function, kwargs in ((caseload.family_summary, {"now": NOW, "today": TODAY}), (caseload.family_sessions, {}),
                             (caseload.family_plan, {}), (caseload.family_matriz, {})):
        for actor in (stranger, family_actor):
            with pytest.raises(NotAllowed):
                await db.call(function, actor=actor, family_id=db.f1, **kwargs)
    assert len(await db.audit("denied.family.view")) == 8
    assert {r.code for r in await db.call(caseload.caseload, actor=stranger, today=TODAY)} == {"F-001", "F-002"}
    assert all(r.family_id not in (db.f1, db.f2) for r in await db.call(caseload.caseload, actor=stranger, today=TODAY))


async def test_jefe_reassigns_the_afi_and_the_planned_visit_follows(db):
    ana = await _new_staff(db, "Ana Soto", "afi")
    await _new_staff(db, "Pablo Ruiz", "afi", active=False)
    options = await db.call(caseload_assign.reassign_options, actor=db.jefe, family_id=db.f1, role="afi")
    assert ([s.name for s in options.staff], options.current_id) == (["Ana Soto", "Carla Rojas"], db.unit.afi_id)

    person = await db.call(caseload_assign.reassign_family, actor=db.jefe, family_id=db.f1, role="afi",
                           staff_id=ana.staff_id, now=NOW)
    assert person.name == "Ana Soto"
    async with db.factory() as session:
        assert (await session.get(Family, db.f1)).afi_id == ana.staff_id
        [visit] = (await session.exec(select(Visit).where(Visit.family_id == db.f1))).all()
        assert visit.staff_id == ana.staff_id
    [event] = await db.audit("family.reassign")
    assert (event.actor_type, event.actor_id, event.record_id, event.unit_id) == ("staff", db.unit.jefe_id, db.f1,
                                                                                  db.unit.unit_id)
    assert len(await db.audit("visit.reassign")) == 1
    assert [r.code for r in await db.call(caseload.caseload, actor=db.afi, today=TODAY)] == ["F-002"]
    assert [r.code for r in await db.call(caseload.caseload, actor=ana, today=TODAY)] == ["F-001"]


async def test_gestores_are_reassigned_too(db):
    for role in ("gestor_socio", "gestor_familiar"):
        person = await _new_staff(db, f"Persona {role}", role)
        await db.call(caseload_assign.reassign_family, actor=db.jefe, family_id=db.f2, role=role,
                      staff_id=person.staff_id, now=NOW)
        assert [r.code for r in await db.call(caseload.caseload, actor=person, today=TODAY)] == ["F-002"]


async def test_only_the_jefe_of_the_unit_reassigns(db):
    ana = await _new_staff(db, "Ana Soto", "afi")
    other = await seed.unit_with_families(db.factory, NOW, comuna="Renca")
    other_jefe = Actor(role=Role.JEFE, unit_id=other.unit_id, staff_id=other.jefe_id)
    for actor in (db.afi, other_jefe):
        with pytest.raises(NotAllowed):
            await db.call(caseload_assign.reassign_family, actor=actor, family_id=db.f1, role="afi",
                          staff_id=ana.staff_id, now=NOW)
        with pytest.raises(NotAllowed):
            await db.call(caseload_assign.may_reassign, actor=actor, family_id=db.f1)
    # The jefe cannot hand a family to another unit's AFI, nor to a missing one.
    for staff_id in (other.afi_id, 999_999):
        with pytest.raises(NotAllowed):
            await db.call(caseload_assign.reassign_family, actor=db.jefe, family_id=db.f1, role="afi",
                          staff_id=staff_id, now=NOW)
    assert len(await db.audit("denied.family.reassign")) == 6
    async with db.factory() as session:
        assert (await session.get(Family, db.f1)).afi_id == db.unit.afi_id
    assert await db.audit("family.reassign") == []


async def test_reassign_refuses_the_wrong_role_or_an_inactive_person(db):
    gone = await _new_staff(db, "Pablo Ruiz", "afi", active=False)
    gestor = await _new_staff(db, "Rosa Vidal", "gestor_socio")
    for role, staff_id in (("afi", gone.staff_id), ("afi", gestor.staff_id), ("jefe", db.unit.jefe_id),
                           ("admin", db.unit.afi_id)):
        with pytest.raises(InvalidInput):
            await db.call(caseload_assign.reassign_family, actor=db.jefe, family_id=db.f1, role=role,
                          staff_id=staff_id, now=NOW)
    async with db.factory() as session:
        assert (await session.get(Staff, gone.staff_id)).active is False
        assert (await session.get(Family, db.f1)).afi_id == db.unit.afi_id
