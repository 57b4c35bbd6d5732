"""Recording a session on a real database (SQLite and PostgreSQL): effects, checks, authorization."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from program.access import Actor
from program.roles import Role
from program.session_draft import PlanRow, SessionDraft
from services import session_records as sr
from services import units
from services.errors import InvalidInput, NotAllowed
from storage.models import AuditEvent, Family, Member
from storage.records import (
    BonoFollowup,
    BonoFollowupEvent,
    Commitment,
    CommitmentEvent,
    MatrizState,
    SessionRecord,
    Visit,
)
from tests.support import seed

TODAY = date(2026, 11, 23)  # the FakeClock's 15:00 UTC is 12:00 in Santiago


@dataclass
class Db:
    """The seeded unit (F-001 assigned to its AFI, F-002 to nobody) and short ways to save and look."""

    factory: object
    unit: seed.Unit
    now: datetime
    f1: int
    afi: Actor
    jefe: Actor

    async def save(self, actor=None, now=None, **fields) -> int:
        fields = {"family_id": self.f1, "held_on": TODAY} | fields
        async with self.factory() as session:
            record_id = await sr.record_session(session, actor=actor or self.afi, draft=SessionDraft(**fields),
                                                now=now or self.now)
            await session.commit()
        return record_id

    async def fails(self, **fields) -> str:
        with pytest.raises(InvalidInput) as error:
            await self.save(**fields)
        return error.value.reason

    async def rows(self, model, *where) -> list:
        async with self.factory() as session:
            return list((await session.exec(select(model).where(*where).order_by(model.id))).all())

    async def family(self) -> Family:
        return (await self.rows(Family, Family.id == self.f1))[0]


@pytest.fixture
async def db(session_factory, clock) -> Db:
    u = await seed.unit_with_families(session_factory, clock.now)
    return Db(session_factory, u, clock.now, u.family_ids["F-001"],
              Actor(role=Role.AFI, unit_id=u.unit_id, staff_id=u.afi_id),
              Actor(role=Role.JEFE, unit_id=u.unit_id, staff_id=u.jefe_id))


async def test_s1_done_activates_the_family_and_sets_intake(db):
    record_id = await db.save(code="S1", held_on=date(2026, 11, 20), products_done=[0, 1, 2])
    f = await db.family()
    assert (f.status, f.intake_date) == ("active", date(2026, 11, 20))
    [r] = await db.rows(SessionRecord)
    assert (r.id, r.outcome, r.products_done, r.products_total, r.recorded_by_id) == (record_id, "done", [0, 1, 2], 6,
                                                                                      db.unit.afi_id)
    assert {"session.record", "family.status.active", "family.intake"} <= {e.action for e in await db.rows(AuditEvent)}


@pytest.mark.parametrize("outcome, extra, status", [
    ("not_found", {"carta_aviso_left": True}, "not_found"),
    ("declined", {"reason": "no tiene tiempo"}, "declined"),
    ("abandoned", {"reason": "se mudó de comuna"}, "abandoned"),
    ("rescheduled", {"rescheduled_to": TODAY + timedelta(days=3)}, "active"),
])
async def test_other_outcomes(db, outcome, extra, status):
    planned = db.now + timedelta(days=20)
    await db.save(code="S1", next_visit_at=planned if outcome != "rescheduled" else None)
    await db.save(code="S2", outcome=outcome, **extra)
    assert (await db.family()).status == status
    r = (await db.rows(SessionRecord))[-1]
    assert (r.outcome, r.carta_aviso_left, r.reason) == (outcome, outcome == "not_found", extra.get("reason"))
    visits = [(v.status, v.at) for v in await db.rows(Visit)]
    if outcome in ("declined", "abandoned"):
        assert visits == [("cancelled", planned)]
    elif outcome == "rescheduled":  # the new date, at 09:00 in Santiago (UTC-3 in summer)
        assert visits == [("planned", datetime(2026, 11, 26, 12, 0, tzinfo=UTC))]


@pytest.mark.parametrize("fields, reason", [
    ({"outcome": "declined"}, "missing_reason"),
    ({"outcome": "rescheduled"}, "missing_new_date"),
    ({"held_on": TODAY + timedelta(days=1)}, "date_in_future"),
    ({"products_done": [6]}, "unknown_product"),
    ({"products_done": [1, 1]}, "unknown_product"),
    ({"code": "S9"}, "not_allowed_for_role"),
    ({"code": "S7", "bono": "maybe"}, "unknown_bono_answer"),
    ({"code": "S2", "bono": "cobrado"}, "bono_not_in_session"),
    ({"code": "S7", "bono": "cobrado", "matriz": {"i32": "logrado"}}, "matriz_not_in_session"),
    ({"code": "S8"}, "missing_bono"),  # the completeness rule of program.session_draft, on every path
    ({"code": "S8", "bono": ""}, "missing_bono"),
    ({"code": "S8", "outcome": "abandoned", "reason": "  "}, "missing_reason"),
    ({"code": "S2", "matriz": {"i99": "logrado"}}, "unknown_indicator"),
    ({"code": "S2", "plan_rows": [PlanRow("salud", "t", "r", "a", deadline=TODAY - timedelta(days=1))]},
     "deadline_in_past"),
    ({"code": "S2", "plan_rows": [PlanRow("salud", "t", "r", "a", responsible="member", member_id=999_999)]},
     "unknown_member"),
    ({"next_visit_at": datetime(2026, 11, 1, tzinfo=UTC)}, "next_visit_in_past"),
])
async def test_invalid_drafts_write_nothing(db, fields, reason):
    assert await db.fails(**({"code": "S1"} | fields)) == reason
    assert await db.rows(SessionRecord) == []


async def test_s22_records_linea_salida_and_family_stays_active(db):
    await db.save(code="S1", held_on=date(2024, 12, 2))
    await db.save(code="S2", held_on=date(2025, 1, 2), matriz={"i32": "a_trabajar", "i41": "a_trabajar"})
    await db.save(code="S3", held_on=date(2025, 1, 20), matriz={"i32": "logrado"})  # latest wins
    await db.save(code="S22", matriz={"i32": "logrado", "i41": "logrado"})
    states = {(s.moment, s.indicator_code): s.state for s in await db.rows(MatrizState)}
    assert states == {("linea_base", "i32"): "logrado", ("linea_base", "i41"): "a_trabajar",
                      ("linea_salida", "i32"): "logrado", ("linea_salida", "i41"): "logrado"}
    assert (await db.family()).status == "active"


async def test_bono_latest_answer_wins_and_history_is_kept(db):
    await db.save(code="S1", held_on=date(2026, 6, 1))
    await db.save(code="S7", held_on=date(2026, 11, 3), bono="no_cobrado")
    await db.save(code="S8", held_on=date(2026, 11, 20), bono="cobrado", bono_note="fue al banco")
    [f] = await db.rows(BonoFollowup)
    assert (f.month, f.answer, f.note, f.source) == ("2026-11", "cobrado", "fue al banco", "session")
    assert [e.answer for e in await db.rows(BonoFollowupEvent)] == ["no_cobrado", "cobrado"]
    await db.save(code="S10", outcome="not_found", bono="no_sabe")  # a visit that failed has no bono answer
    assert len(await db.rows(BonoFollowupEvent)) == 2


async def test_plan_rows_create_then_edit_with_history(db):
    [pedro], f2 = await db.rows(Member, Member.given_names == "Pedro"), db.unit.family_ids["F-002"]
    await db.save(code="S2", plan_rows=[
        PlanRow("educacion", "Nivelar estudios", "liceo", "Inscribirse", responsible="member", member_id=pedro.id,
                deadline=TODAY + timedelta(days=30)),
        PlanRow("salud", "Control sano", "CESFAM", "Pedir hora")])
    first, second = await db.rows(Commitment)
    assert (first.responsible_member_id, first.status, second.responsible) == (pedro.id, "pending", "family")
    edit = PlanRow("educacion", "Nivelar estudios", "liceo", "Inscribirse en 2027", responsible="member",
                   member_id=pedro.id, deadline=first.deadline, commitment_id=first.id)
    same = PlanRow("salud", "Control sano", "CESFAM", "Pedir hora", commitment_id=second.id)
    await db.save(code="S3", plan_rows=[edit, same])
    events = [(e.commitment_id, e.action) for e in await db.rows(CommitmentEvent)]
    assert events == [(first.id, "created"), (second.id, "created"), (first.id, "edited")]
    assert (await db.rows(Commitment, Commitment.id == first.id))[0].action == "Inscribirse en 2027"
    foreign = [PlanRow("salud", "x", "y", "z", commitment_id=first.id)]  # F-001's commitment, on F-002
    assert await db.fails(code="S2", plan_rows=foreign, family_id=f2, actor=db.jefe) == "unknown_commitment"


async def test_asl_choice_max_two_adults_and_trajectory(db):
    maria, pedro = await db.rows(Member, Member.family_id == db.f1)
    async with db.factory() as session:
        session.add(sofia := Member(family_id=db.f1, given_names="Sofía", birth_date=date(2010, 5, 1)))
        await session.commit()
    assert await db.fails(code="S6", asl_participants=[maria.id, pedro.id, sofia.id]) == "too_many_asl"
    assert await db.fails(code="S6", asl_participants=[sofia.id]) == "asl_not_adult"
    assert await db.fails(code="S5", asl_participants=[maria.id]) == "asl_not_in_session"
    await db.save(code="S6", asl_participants=[maria.id, pedro.id])
    await db.save(code="S6", asl_participants=[pedro.id])
    flags = {m.given_names: m.is_asl_participant for m in await db.rows(Member, Member.family_id == db.f1)}
    assert flags == {"María": False, "Pedro": True, "Sofía": False}
    assert (await db.family()).trajectory == "aps_asl"


async def test_an_individual_asl_session_is_refused_without_its_participant(db):
    f2 = db.unit.family_ids["F-002"]  # an APS + ASL family, recorded by the jefe (nobody is assigned)
    assert await db.fails(code="S1", track="asl", family_id=f2, actor=db.jefe) == "missing_participant"
    assert await db.rows(SessionRecord) == []
    jean = (await db.rows(Member, Member.family_id == f2))[0]
    await db.save(code="S1", track="asl", family_id=f2, actor=db.jefe, participant_member_id=jean.id)
    assert [(r.track, r.code, r.participant_member_id) for r in await db.rows(SessionRecord)] == [
        ("asl", "S1", jean.id)]


async def test_next_visit_replaces_the_planned_one(db):
    first, second = db.now + timedelta(days=10), db.now + timedelta(days=12)
    await db.save(code="S1", next_visit_at=first)
    await db.save(code="S2", next_visit_at=second, actor=db.jefe)
    assert [(v.at, v.status) for v in await db.rows(Visit)] == [(first, "cancelled"), (second, "planned")]
    later = db.now + timedelta(days=13)  # the planned visit happened; recorded a day later
    await db.save(code="S3", held_on=later.date(), now=later)
    assert [v.status for v in await db.rows(Visit)] == ["cancelled", "done"]


@pytest.mark.parametrize("who", ["other_unit", "unassigned_afi", "forged_id", "family"])
async def test_refusals_are_audited(db, who):
    other = await seed.unit_with_families(db.factory, db.now, comuna="Renca")
    actor, fid = {"other_unit": (Actor(role=Role.AFI, unit_id=other.unit_id, staff_id=other.afi_id), db.f1),
                  "unassigned_afi": (db.afi, db.unit.family_ids["F-002"]),
                  "forged_id": (db.afi, 987_654),
                  "family": (Actor(role=Role.FAMILY, unit_id=db.unit.unit_id, family_id=db.f1,
                                   is_representative=True), db.f1)}[who]
    draft = SessionDraft(fid, code="S1", held_on=TODAY)
    for call in (lambda s: sr.record_session(s, actor=actor, draft=draft, now=db.now),
                 lambda s: sr.session_choices(s, actor=actor, family_id=fid, today=TODAY),
                 lambda s: sr.record_form(s, actor=actor, family_id=fid, track="aps", code="S1", today=TODAY)):
        async with db.factory() as session:
            with pytest.raises(NotAllowed):
                await call(session)
            await session.commit()
    denied = [(e.action, e.record_id) for e in await db.rows(AuditEvent) if e.action.startswith("denied.")]
    assert denied == [("denied.session.record", fid), ("denied.session.choices", fid), ("denied.session.form", fid)]
    assert await db.rows(SessionRecord) == []


async def test_families_for_recording_order_and_search(db):
    await db.save(code="S1", held_on=date(2026, 8, 3))  # S2 long overdue
    async with db.factory() as session:  # a family with nothing due yet: S2 comes 7 days after S1
        session.add(Family(unit_id=db.unit.unit_id, code="F-003", family_name="Álvarez", status="active",
                           intake_date=TODAY, afi_id=db.unit.afi_id))
        session.add(Family(unit_id=db.unit.unit_id, code="F-004", family_name="Bravo", status="declined"))
        await session.commit()
    async with db.factory() as session:
        async def listed(actor, query=None):
            return await sr.families_for_recording(session, actor=actor, today=TODAY, query=query)
        assert [(r.code, r.overdue, r.due, r.next_code) for r in await listed(db.jefe)] == [
            ("F-001", True, True, "S2"), ("F-002", False, True, "S1"), ("F-003", False, False, "S2")]
        assert [r.code for r in await listed(db.afi)] == ["F-001", "F-003"]
        assert [(r.family_name, r.stage) for r in await listed(db.jefe, " PEREZ ")] == [
            ("Pérez Soto", "construccion_planes")]
        assert [r.code for r in await listed(db.jefe, "f-00")] == ["F-001", "F-002", "F-003"]


async def test_session_choices_by_role(db):
    await db.save(code="S1", held_on=date(2026, 11, 2))
    async with db.factory() as session:
        gestor, _ = await units.add_staff(session, unit_id=db.unit.unit_id, name="G", role="gestor_socio", now=db.now)
        f2 = await session.get(Family, db.unit.family_ids["F-002"])
        f2.gestor_socio_id = gestor.id
        await session.commit()

        async def keys(actor, family_id):
            return [(c.track, c.code, c.suggested)
                    for c in await sr.session_choices(session, actor=actor, family_id=family_id, today=TODAY)]

        mine = await keys(db.afi, db.f1)
        assert mine[0] == ("aps", "S2", True) and not any(suggested for *_, suggested in mine[1:])
        assert {track for track, *_ in mine} == {"aps"} and ("aps", "S9", False) not in mine
        group = {key[:2] for key in await keys(Actor(role=Role.GESTOR_SOCIO, unit_id=db.unit.unit_id,
                                                     staff_id=gestor.id), f2.id)}
        assert group >= {("aps", "S9"), ("aps", "S11"), ("asl", "S2")}
        assert not {("aps", "S1"), ("aps", "S2"), ("asl", "S1")} & group
        boss = {key[:2] for key in await keys(db.jefe, f2.id)}
        assert ("asl", "S1") in boss and ("aps", "S9") not in boss and ("transversal", "G19") not in boss


async def test_record_form(db):
    async with db.factory() as session:
        form = await sr.record_form(session, actor=db.afi, family_id=db.f1, track="aps", code="S2", today=TODAY)
        with pytest.raises(InvalidInput, match="not_in_trajectory"):
            await sr.record_form(session, actor=db.afi, family_id=db.f1, track="asl", code="S1", today=TODAY)
    assert (form.code, form.session.has("linea_base"), form.bono_month) == ("S2", True, "2026-11")
    assert [(m.name, m.adult) for m in form.members] == [("María Pérez Soto", True), ("Pedro Pérez Soto", True)]
    assert [i.code for i in form.indicators["salud"]] == ["i32", "i33"] and form.commitments == []



async def test_a_units_own_catalog_file_is_the_one_in_force(db, tmp_path):
    from importlib import resources

    import yaml

    from services import program_data

    raw = yaml.safe_load(resources.files("program").joinpath("data/catalog.yaml").read_text("utf-8"))
    raw["version"] = "2027-conchali"
    s2 = next(s for s in raw["sessions"] if (s["track"], s["code"]) == ("aps", "S2"))
    s2["products"] = s2["products"] + ["Ecomapa de la familia dibujado"]
    own = tmp_path / "catalogo-unidad.yaml"
    own.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    try:
        assert program_data.use_files(catalog_file=own).version == "2027-conchali"
        async with db.factory() as session:
            form = await sr.record_form(session, actor=db.afi, family_id=db.f1, track="aps", code="S2", today=TODAY)
        assert form.session.products[-1] == "Ecomapa de la familia dibujado"
        record_id = await db.save(code="S2", products_done=[len(form.session.products) - 1])
        [record] = await db.rows(SessionRecord, SessionRecord.id == record_id)
        assert record.catalog_version == "2027-conchali"
    finally:
        program_data.use_files()
    assert program_data.catalog().version != "2027-conchali"
