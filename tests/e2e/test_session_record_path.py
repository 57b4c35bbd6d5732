"""One family's first months, S1 → S2 … S6 → S7, recorded from the chat as the AFI would, visit by visit;
then the caseload shows where the family stands."""
from datetime import UTC, date

from sqlmodel import select

from services.program_data import catalog
from storage.models import Family, Member
from storage.records import BonoFollowup, Commitment, MatrizState, SessionRecord
from tests.support import seed

AFI = 5001


async def _visit(harness, code: str) -> None:
    """From the menu to the step after the products: the suggested session, today, held, all products."""
    await harness.tap(AFI, "Registrar sesión")
    await harness.tap(AFI, "Pérez Soto")
    assert harness.buttons(AFI)[0].startswith(f"⭐ {code} · "), harness.buttons(AFI)[:2]
    await harness.tap(AFI, f"⭐ {code}")
    await harness.tap(AFI, "Hoy")
    await harness.tap(AFI, "Realizada")
    await harness.tap(AFI, "Todo realizado")


async def _finish(harness, code: str) -> None:
    """No next visit, no note, save; back at the menu."""
    await harness.tap(AFI, "Omitir")
    texts = await harness.tap(AFI, "Omitir")
    assert "Guardar" in " ".join(harness.buttons(AFI)), texts[-1]
    texts = await harness.tap(AFI, "Guardar")
    assert any(f"Guardado ✅ {code} · Pérez Soto" in text for text in texts), texts
    assert "¿Qué necesitas?" in texts[-1]


async def _linea_base(harness, dimension: str, states: list[str]) -> None:
    assert "Línea Base" in harness.last_text(AFI)
    await harness.tap(AFI, dimension)
    await harness.tap(AFI, "Continuar")
    for state in states:
        await harness.tap(AFI, state)


async def test_s1_to_s7_through_the_chat(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    family_id = unit.family_ids["F-001"]
    await harness.say(AFI, f"/start {unit.afi_code}")

    # S1, Nuestro Primer Encuentro: the Carta de Compromiso signed; the family enters the program.
    await _visit(harness, "S1")
    await _finish(harness, "S1")
    assert len(harness.api.requests("sendPhoto", chat_id=AFI)) == 1  # the representative's invitation QR

    # S2: a first commitment of the plan, and the Línea Base of Salud.
    clock.advance(days=14)
    await _visit(harness, "S2")
    await harness.tap(AFI, "Agregar compromiso")
    await harness.tap(AFI, "🩺 Salud")
    await harness.say(AFI, "Controles de salud al día")
    await harness.say(AFI, "CESFAM cerca de la casa")
    await harness.say(AFI, "Pedir hora para el control de Pedro")
    await harness.tap(AFI, "La familia")
    await harness.tap(AFI, "+1 mes")
    await harness.tap(AFI, "Listo")
    await _linea_base(harness, "🩺 Salud", ["Logrado", "A trabajar"])
    await _finish(harness, "S2")

    # S3-S5: the plan is built over several visits; Educación's Línea Base at S4.
    for code in ("S3", "S4", "S5"):
        clock.advance(days=14)
        await _visit(harness, code)
        await harness.tap(AFI, "Listo")
        if code == "S4":
            await _linea_base(harness, "📚 Educación", ["A trabajar", "A trabajar", "Logrado"])
        else:
            await harness.tap(AFI, "Omitir")  # the Matriz was not worked that day
        await _finish(harness, code)

    # S6 closes the plan-building stage: the ASL participants are chosen.
    clock.advance(days=14)
    await _visit(harness, "S6")
    await harness.tap(AFI, "Listo")
    await harness.tap(AFI, "Omitir")
    assert "Participantes del Acompañamiento Sociolaboral" in harness.last_text(AFI)
    await harness.tap(AFI, "María")
    await harness.tap(AFI, "Continuar")
    await _finish(harness, "S6")

    # S7, Iniciando Nuestro Plan: the first Bono follow-up; the commitment of S2 is there to review.
    clock.advance(days=14)
    await _visit(harness, "S7")
    assert "Bono de Protección" in harness.last_text(AFI)
    assert "No sabe dónde cobrar" in (await harness.say(AFI, "No sabe dónde cobrar"))[-1]  # a note, then the answer
    await harness.tap(AFI, "No cobrado")
    assert "✏️ Controles de salud al día" in harness.buttons(AFI)
    await harness.tap(AFI, "Listo")
    await _finish(harness, "S7")

    async with session_factory() as session:
        records = (await session.exec(select(SessionRecord).where(SessionRecord.family_id == family_id)
                                      .order_by(SessionRecord.held_on))).all()
        family = await session.get(Family, family_id)
        matriz = {(m.indicator_code, m.state) for m in (await session.exec(select(MatrizState))).all()}
        commitment = (await session.exec(select(Commitment))).one()
        bono = (await session.exec(select(BonoFollowup))).one()
        maria = (await session.exec(select(Member).where(Member.given_names == "María"))).one()
    assert [r.code for r in records] == ["S1", "S2", "S3", "S4", "S5", "S6", "S7"]
    assert all(r.outcome == "done" for r in records)
    assert (family.status, family.trajectory, family.intake_date) == ("active", "aps_asl", date(2026, 11, 23))
    assert maria.is_asl_participant
    assert matriz == {("i32", "logrado"), ("i33", "a_trabajar"), ("i41", "a_trabajar"), ("i42", "a_trabajar"),
                      ("i43", "logrado")}
    assert (commitment.dimension, commitment.responsible, commitment.deadline) == ("salud", "family",
                                                                                   date(2027, 1, 6))
    assert (bono.month, bono.answer, bono.note) == ("2027-02", "no_cobrado", "No sabe dónde cobrar")

    # Mis familias: the stage, the last session and what is next.
    await harness.tap(AFI, "Mis familias")
    listing = harness.last_text(AFI)
    card = (await harness.tap(AFI, "Pérez Soto"))[-1]
    assert "Pérez Soto · F-001 · Apoyo al Bienestar" in listing
    assert "Última: S7 15-02-2027 · Próxima: S8" in listing and "💵 Bono: febrero 2027 ❌ No cobrado" in listing
    assert "Etapa: Apoyo al Bienestar" in card and "APS + ASL" in card and "📋 Compromisos abiertos: 1" in card
    assert "participante ASL" in card


async def test_s22_records_the_linea_de_salida_and_the_card_compares_it(harness, session_factory, clock):
    from datetime import datetime, timedelta

    from program.access import Actor
    from program.roles import Role
    from program.session_draft import SessionDraft
    from services import session_records

    unit = await seed.unit_with_families(session_factory, clock())
    family_id = unit.family_ids["F-001"]
    actor = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    codes = ["S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S10", "S12", "S15", "S18", "S19", "S20"]
    start = date(2025, 1, 10)
    async with session_factory() as session:  # 22 months of visits, with the Línea Base at S2
        for index, code in enumerate(codes):
            matriz = {"i32": "a_trabajar", "i33": "a_trabajar"} if code == "S2" else {}
            bono = "cobrado" if catalog().session("aps", code).has("bono_followup") else None  # required from S7
            draft = SessionDraft(family_id=family_id, code=code, held_on=start + timedelta(days=48 * index),
                                 matriz=matriz, bono=bono)
            await session_records.record_session(session, actor=actor, draft=draft,
                                                 now=datetime(2026, 11, 1, tzinfo=UTC))
        await session.commit()
    await harness.say(AFI, f"/start {unit.afi_code}")
    await harness.tap(AFI, "Registrar sesión")
    await harness.tap(AFI, "Pérez Soto")
    texts = await harness.say(AFI, "s22")
    assert "S22 · Reconociendo Nuestro Bienestar" in texts[-1]
    await harness.tap(AFI, "Hoy")
    await harness.tap(AFI, "Realizada")
    await harness.tap(AFI, "Todo realizado")
    await harness.tap(AFI, "Listo")
    assert "Línea de Salida" in harness.last_text(AFI)
    await harness.tap(AFI, "🩺 Salud")
    await harness.tap(AFI, "Continuar")
    assert "Línea de Salida · 1/2" in harness.last_text(AFI)
    await harness.tap(AFI, "Logrado")
    await harness.tap(AFI, "A trabajar")
    await _finish(harness, "S22")
    async with session_factory() as session:
        states = {(m.indicator_code, m.moment, m.state) for m in (await session.exec(select(MatrizState))).all()}
    assert states == {("i32", "linea_base", "a_trabajar"), ("i33", "linea_base", "a_trabajar"),
                      ("i32", "linea_salida", "logrado"), ("i33", "linea_salida", "a_trabajar")}
    await harness.tap(AFI, "Mis familias")
    await harness.tap(AFI, "Pérez Soto")
    matriz = (await harness.tap(AFI, "Matriz"))[-1]
    assert "i32" in matriz and "🔧 A trabajar → 🏆 Logrado" in matriz
    assert "🔧 A trabajar → 🔧 A trabajar" in matriz
