"""📝 Registrar sesión: a professional records a session after a home visit, through the fake Bot API."""
from datetime import UTC, date, datetime

from sqlmodel import select

from program.access import Actor
from program.roles import Role
from program.session_draft import SessionDraft
from services import session_records
from services.program_data import catalog
from storage import people_repo
from storage.models import AuditEvent, Family, Member
from storage.records import BonoFollowup, Commitment, MatrizState, SessionRecord, Visit
from tests.support import seed, updates

AFI = 5001
TODAY = "23-11-2026"  # the FakeClock's 2026-11-23 15:00 UTC is 12:00 in Santiago


class Taps:
    """Counts the professional's taps, and finds buttons by their exact label when needed."""

    def __init__(self, harness, user_id: int):
        self.harness, self.user_id, self.count = harness, user_id, 0

    async def __call__(self, label: str) -> list[str]:
        self.count += 1
        return await self.harness.tap(self.user_id, label)

    async def exact(self, label: str) -> list[str]:
        self.count += 1
        message_id, buttons = self.harness.keyboard(self.user_id)
        data = next(b["callback_data"] for b in buttons if b["text"] == label)
        return await self.harness.press(self.user_id, data, message_id)


async def _held(session_factory, unit, codes_and_days: list[tuple[str, date]]) -> None:
    """Sessions already recorded for F-001, through the same service the dialog uses."""
    actor = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    now = datetime(2026, 11, 1, 15, 0, tzinfo=UTC)
    async with session_factory() as session:
        for code, held_on in codes_and_days:
            # Sessions from S7 cannot be saved without the Bono follow-up (program.session_draft).
            bono = "cobrado" if catalog().session("aps", code).has("bono_followup") else None
            draft = SessionDraft(family_id=unit.family_ids["F-001"], code=code, held_on=held_on, bono=bono)
            await session_records.record_session(session, actor=actor, draft=draft, now=now)
        await session.commit()


ROUTINE = [("S1", date(2026, 6, 20)), ("S2", date(2026, 6, 27)), ("S3", date(2026, 7, 20)),
           ("S4", date(2026, 8, 20)), ("S5", date(2026, 9, 5)), ("S6", date(2026, 9, 20)), ("S7", date(2026, 10, 10))]


async def _start(harness, session_factory, clock, *, history=ROUTINE):
    unit = await seed.unit_with_families(session_factory, clock())
    if history:
        await _held(session_factory, unit, history)
    await harness.say(AFI, f"/start {unit.afi_code}")
    return unit, Taps(harness, AFI)


async def _records(session_factory, family_id: int) -> list[SessionRecord]:
    async with session_factory() as session:
        rows = await session.exec(select(SessionRecord).where(SessionRecord.family_id == family_id)
                                  .order_by(SessionRecord.id))
        return list(rows.all())


async def test_routine_s8_with_the_bono_in_twelve_taps_or_less(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    assert harness.buttons(AFI)[0] == "📝 Registrar sesión"
    await tap("Registrar sesión")
    assert harness.buttons(AFI)[0].startswith("🕐 Pérez Soto · F-001 · S8")
    texts = await tap("Pérez Soto")
    assert harness.buttons(AFI)[0] == "⭐ S8 · Potenciando Nuestro Bienestar"
    await tap("⭐ S8")
    assert f"Hoy ({TODAY})" in harness.buttons(AFI)
    await tap("Hoy")
    await tap("Realizada")
    texts = await tap("Todo realizado")
    assert "Bono de Protección (noviembre 2026)" in texts[-1]
    await tap("✅ Cobrado")
    await tap("Listo")
    await tap("Omitir")
    texts = await tap("Omitir")
    summary = texts[-1]
    assert "Productos: 3 de 3" in summary and "Bono: ✅ Cobrado" in summary and TODAY in summary
    texts = await tap("Guardar")
    assert any("Guardado ✅ S8 · Pérez Soto · 23-11-2026" in text for text in texts)
    assert "¿Qué necesitas?" in texts[-1]
    assert tap.count <= 12, tap.count
    records = await _records(session_factory, unit.family_ids["F-001"])
    assert (records[-1].code, records[-1].outcome, records[-1].held_on) == ("S8", "done", date(2026, 11, 23))
    assert records[-1].products_done == [0, 1, 2]
    async with session_factory() as session:
        bono = (await session.exec(select(BonoFollowup).where(BonoFollowup.month == "2026-11"))).one()
    assert (bono.month, bono.answer) == ("2026-11", "cobrado")


async def _family(session_factory, family_id: int) -> Family:
    async with session_factory() as session:
        return await session.get(Family, family_id)


async def _to_outcome(tap, session_label: str, outcome: str) -> None:
    await tap("Registrar sesión")
    await tap("Pérez Soto")
    await tap(session_label)
    await tap("Hoy")
    await tap(outcome)


async def test_s1_signed_makes_the_family_active_with_its_next_visit(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=None)
    await tap("Registrar sesión")
    await tap("Pérez Soto")
    assert harness.buttons(AFI)[0] == "⭐ S1 · Nuestro Primer Encuentro"
    await tap("⭐ S1")
    await tap("Hoy")
    await tap("Realizada")
    await tap("Todo realizado")
    # S1 carries no Bono, plan or Matriz step: straight to the next visit.
    assert "próxima visita" in harness.last_text(AFI)
    assert "¿A qué hora, el 30-11-2026?" in (await harness.say(AFI, "30-11-2026"))[-1]
    texts = await tap("10:00")
    assert "nota" in texts[-1]
    texts = await harness.say(AFI, "Firmaron la Carta de Compromiso; la hija mayor no estaba.")
    assert "Próxima visita: 30-11-2026 10:00" in texts[-1] and "Firmaron la Carta" in texts[-1]
    texts = await tap("Guardar")
    # The Carta de Compromiso is signed: the representative's invitation comes at once, as text and QR.
    [photo] = harness.api.requests("sendPhoto", chat_id=AFI)
    code = photo.params["caption"].split("Código: ")[1].split()[0]
    assert any(f"?start={code}" in text for text in texts) and "¿Qué necesitas?" in texts[-1]
    assert "Ley 21.719" in (await harness.say(6001, f"/start {code}"))[-1]
    family = await _family(session_factory, unit.family_ids["F-001"])
    assert (family.status, family.intake_date) == ("active", date(2026, 11, 23))
    async with session_factory() as session:
        visit = (await session.exec(select(Visit))).one()
        record = (await session.exec(select(SessionRecord))).one()
    # 10:00 in Santiago (summer time, UTC-3) is 13:00 UTC.
    assert (visit.at, visit.status) == (datetime(2026, 11, 30, 13, 0, tzinfo=UTC), "planned")
    assert record.note_text == "Firmaron la Carta de Compromiso; la hija mayor no estaba."


async def test_no_invitation_after_s1_when_the_representative_already_uses_the_bot(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=None)
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(6001, f"/start {code}")
    await _to_outcome(tap, "⭐ S1", "Realizada")
    await tap("Todo realizado")
    await tap("Omitir")
    await tap("Omitir")
    texts = await tap("Guardar")
    assert any("Guardado ✅ S1" in text for text in texts)
    assert harness.api.requests("sendPhoto", chat_id=AFI) == []


async def test_family_not_found_with_the_carta_de_aviso(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=None)
    await _to_outcome(tap, "⭐ S1", "Familia no encontrada")
    assert "¿Dejaste la Carta de Aviso" in harness.last_text(AFI)
    await tap("Sí, la dejé")
    await tap("Omitir")
    texts = await tap("Omitir")
    assert "Carta de Aviso: la dejé" in texts[-1]
    await tap("Guardar")
    [record] = await _records(session_factory, unit.family_ids["F-001"])
    assert (record.outcome, record.carta_aviso_left) == ("not_found", True)
    assert (await _family(session_factory, unit.family_ids["F-001"])).status == "not_found"


async def test_rescheduled_visit_gets_its_new_date(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await _to_outcome(tap, "⭐ S8", "Reprogramada")
    assert "Esa fecha ya pasó" in (await harness.say(AFI, "20-11-2026"))[0]
    assert "¿Para qué día?" in harness.last_text(AFI)
    texts = await harness.say(AFI, "25/11/2026")
    assert "nota" in texts[-1]
    texts = await tap("Omitir")
    assert "Nueva fecha: 25-11-2026" in texts[-1] and "Productos" not in texts[-1]
    await tap("Guardar")
    record = (await _records(session_factory, unit.family_ids["F-001"]))[-1]
    assert (record.outcome, record.rescheduled_to) == ("rescheduled", date(2026, 11, 25))
    async with session_factory() as session:
        visit = (await session.exec(select(Visit))).one()
    assert visit.at == datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 09:00 in Santiago


async def test_family_declines_with_a_typed_reason(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=None)
    await _to_outcome(tap, "⭐ S1", "no acepta participar")
    assert "Declaración Voluntaria de No Participación" in harness.last_text(AFI)
    await tap("Otro motivo")
    texts = await harness.say(AFI, "Se va a vivir con su hija a Temuco")
    assert "nota" in texts[-1]
    texts = await tap("Atrás")
    assert "Motivo: Se va a vivir con su hija a Temuco" in texts[-1]
    await tap("Atrás")
    await tap("no acepta participar")
    await tap("Mantener")
    texts = await tap("Omitir")
    assert "Motivo: Se va a vivir con su hija a Temuco" in texts[-1]
    await tap("Guardar")
    [record] = await _records(session_factory, unit.family_ids["F-001"])
    assert (record.outcome, record.reason) == ("declined", "Se va a vivir con su hija a Temuco")
    assert (await _family(session_factory, unit.family_ids["F-001"])).status == "declined"


async def test_abandonment_with_a_common_reason(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await _to_outcome(tap, "⭐ S8", "Abandono")
    await tap("Ya no quiere continuar")
    await tap("Omitir")
    await tap("Guardar")
    record = (await _records(session_factory, unit.family_ids["F-001"]))[-1]
    assert (record.outcome, record.reason, record.products_done) == ("abandoned", "Ya no quiere continuar", [])
    assert (await _family(session_factory, unit.family_ids["F-001"])).status == "abandoned"
    # A closed case no longer appears among the families to record.
    await tap("Registrar sesión")
    assert not any("Pérez Soto" in label for label in harness.buttons(AFI))


async def _to_plan(tap) -> None:
    await _to_outcome(tap, "⭐ S8", "Realizada")
    await tap("Todo realizado")
    await tap("✅ Cobrado")


async def test_plan_row_added_with_a_typed_deadline(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await _to_plan(tap)
    await tap("Agregar compromiso")
    assert "💼 Trabajo y Seguridad Social" in harness.buttons(AFI)
    await tap("🩺 Salud")
    await harness.say(AFI, "Control sano de Pedro")
    await harness.say(AFI, "CESFAM a tres cuadras")
    await harness.say(AFI, "Pedir hora para el control")
    await tap("Pedro Pérez Soto")
    texts = await harness.say(AFI, "05-12-2026")
    assert "1. 🩺 Salud · Control sano de Pedro" in texts[-1] and "Pedro Pérez Soto · 05-12-2026" in texts[-1]
    await tap("Listo")
    await tap("Omitir")
    texts = await tap("Omitir")
    assert "Compromisos: 1" in texts[-1]
    await tap("Guardar")
    async with session_factory() as session:
        commitment = (await session.exec(select(Commitment))).one()
        pedro = (await session.exec(select(Member).where(Member.given_names == "Pedro"))).one()
    assert (commitment.dimension, commitment.topic, commitment.resources, commitment.action) == (
        "salud", "Control sano de Pedro", "CESFAM a tres cuadras", "Pedir hora para el control")
    assert (commitment.responsible, commitment.responsible_member_id, commitment.deadline) == (
        "member", pedro.id, date(2026, 12, 5))
    # A week later, S10: the commitment is in the plan and can be edited, one field at a time.
    clock.advance(days=7)
    await tap("Registrar sesión")
    await tap("Pérez Soto")
    await tap("S10")
    await tap("Hoy")
    await tap("Realizada")
    await tap("Todo realizado")
    await tap("✅ Cobrado")
    assert "✏️ Control sano de Pedro" in harness.buttons(AFI)
    await tap("✏️ Control sano de Pedro")
    assert "Ahora: 🩺 Salud" in harness.last_text(AFI)
    await tap("Mantener")
    await tap("Mantener")
    if "Mantener" not in " ".join(harness.buttons(AFI)):  # the service does not hand back the resources
        assert "escríbelo de nuevo" in harness.last_text(AFI)
        await harness.say(AFI, "CESFAM a tres cuadras")
    else:
        await tap("Mantener")
    await harness.say(AFI, "Llevar a Pedro al control el viernes")
    assert "Ahora: Pedro Pérez Soto" in harness.last_text(AFI)
    await tap("La familia")
    texts = await tap("Mantener")
    assert "→ Llevar a Pedro al control el viernes · la familia · 05-12-2026" in texts[-1]
    assert not any("✏️ Control sano" in label for label in harness.buttons(AFI))  # already in today's rows
    await tap("Listo")
    await tap("Omitir")
    await tap("Omitir")
    await tap("Guardar")
    async with session_factory() as session:
        edited = (await session.exec(select(Commitment))).one()
    assert (edited.id, edited.action, edited.responsible, edited.deadline, edited.resources) == (
        commitment.id, "Llevar a Pedro al control el viernes", "family", date(2026, 12, 5), "CESFAM a tres cuadras")


async def test_asl_individual_session_builds_the_plan_laboral_of_one_participant(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=None)
    async with session_factory() as session:
        family = await session.get(Family, unit.family_ids["F-002"])
        family.afi_id = unit.afi_id
        await people_repo.add(session, family)
        await session.commit()
    await tap("Registrar sesión")
    await tap("Joseph")
    assert "ASL S1" not in " ".join(harness.buttons(AFI))  # on a later page: typing the code is quicker
    assert "No encontré esa sesión" in (await harness.say(AFI, "S99"))[0]
    texts = await harness.say(AFI, "asl s1")
    assert "S1 · Construyendo Mi Plan Laboral" in texts[-1]
    await tap("Hoy")
    await tap("Realizada")
    texts = await tap("Todo realizado")
    assert "Plan Laboral: ¿con qué participante ASL" in texts[-1]
    texts = await tap("Jean Joseph")
    assert "🗂 Plan Laboral" in texts[-1]
    await tap("Agregar compromiso")
    await tap("💼 Trabajo")
    await harness.say(AFI, "Buscar trabajo en bodega")
    await harness.say(AFI, "Curso de grúa horquilla de la OMIL")
    await harness.say(AFI, "Inscribirse en la OMIL")
    await tap("Jean Joseph")
    await harness.say(AFI, "15-12-2026")
    await tap("Listo")
    await tap("Omitir")
    texts = await tap("Omitir")
    assert "👤 Participante ASL: Jean Joseph" in texts[-1]
    await tap("Guardar")
    async with session_factory() as session:
        commitment = (await session.exec(select(Commitment))).one()
        jean = (await session.exec(select(Member).where(Member.given_names == "Jean"))).one()
        record = (await session.exec(select(SessionRecord))).one()
    assert (record.track, record.code, record.participant_member_id) == ("asl", "S1", jean.id)
    assert (commitment.plan, commitment.member_id, commitment.dimension) == ("laboral", jean.id, "trabajo")


async def test_bad_inputs_get_a_kind_message_and_the_step_goes_on(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await tap("Registrar sesión")
    await tap("Pérez Soto")
    await tap("⭐ S8")
    # The date: words, a future day, a year typo, a photo.
    assert "No entendí la fecha" in (await harness.say(AFI, "el martes"))[0]
    assert "todavía no llega" in (await harness.say(AFI, "24-11-2026"))[0]
    assert "Revisa el año" in (await harness.say(AFI, "20-11-26"))[0]
    calls = await harness.feed(updates.photo(AFI))
    assert any("Aquí necesito una fecha" in (call.params.get("text") or "") for call in calls)
    assert "¿Qué día fue la sesión?" in harness.last_text(AFI)
    # A sticker where only buttons make sense.
    await harness.say(AFI, "22-11-2026")
    calls = await harness.feed(updates.sticker(AFI))
    assert any("Usa los botones" in (call.params.get("text") or "") for call in calls)
    await tap("Realizada")
    await tap("Todo realizado")
    await tap("✅ Cobrado")
    await tap("Agregar compromiso")
    await tap("📚 Educación")
    # The topic: 5,000 characters, only emojis, blank, a sticker, a command-looking text.
    assert "el máximo es 500 caracteres y escribiste 5000" in (await harness.say(AFI, "x" * 5000))[0]
    assert "solo emojis" in (await harness.say(AFI, "🙂🙂🙂"))[0]
    assert "Está vacío" in (await harness.say(AFI, "   "))[0]
    calls = await harness.feed(updates.sticker(AFI))
    assert any("Aquí necesito un texto escrito" in (call.params.get("text") or "") for call in calls)
    assert "parece un comando" in (await harness.say(AFI, "/nivelacion"))[0]
    assert "¿Qué tema trabajaremos?" in harness.last_text(AFI)
    await harness.say(AFI, "Nivelación de estudios de María")
    await harness.say(AFI, "Programa de la municipalidad")
    await harness.say(AFI, "Inscribirse en marzo")
    await tap("La familia")
    # The deadline: in the past, then words, then a good one.
    assert "Esa fecha ya pasó" in (await harness.say(AFI, "01-11-2026"))[0]
    assert "No entendí la fecha" in (await harness.say(AFI, "pronto"))[0]
    assert "¿Para cuándo?" in harness.last_text(AFI)
    await tap("+1 mes")
    await tap("Listo")
    # The next visit's time: nonsense, then a time already past today (it is 12:00 in Santiago).
    await tap("·23·")
    assert "No entendí la hora" in (await harness.say(AFI, "25:99"))[0]
    assert "Esa hora ya pasó" in (await harness.say(AFI, "09:30"))[0]
    await harness.say(AFI, "17:30")
    assert "solo emojis" in (await harness.say(AFI, "👍"))[0]
    calls = await harness.feed(updates.photo(AFI))
    assert any("un texto o un audio" in (call.params.get("text") or "") for call in calls)
    texts = await harness.say(AFI, "y" * 501)
    assert "escribiste 501" in texts[0]
    texts = await tap("Omitir")
    assert "Próxima visita: 23-11-2026 17:30" in texts[-1] and "📅 Fecha: 22-11-2026" in texts[-1]
    await tap("Guardar")
    async with session_factory() as session:
        commitment = (await session.exec(select(Commitment))).one()
    assert (commitment.topic, commitment.responsible, commitment.deadline) == (
        "Nivelación de estudios de María", "family", date(2026, 12, 23))


async def test_editing_from_the_summary_returns_to_the_summary(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await _to_plan(tap)
    await tap("Listo")
    await tap("Omitir")
    texts = await tap("Omitir")
    assert "📅 Fecha: 23-11-2026" in texts[-1]
    assert harness.buttons(AFI)[:4] == ["✏️ Fecha", "✏️ Resultado", "✏️ Productos", "✏️ Bono"]
    await tap("✏️ Fecha")
    await tap("Otra fecha")
    assert "24" not in harness.buttons(AFI)  # no future days in the calendar
    texts = await tap.exact("20")
    assert "Revisa antes de guardar" in texts[-1] and "📅 Fecha: 20-11-2026" in texts[-1]
    await tap("✏️ Productos")
    assert harness.buttons(AFI)[0].startswith("✅ Indicadores")  # the ticks are still there
    await tap("Compromisos de acción")
    texts = await tap("Continuar")
    assert "Productos: 2 de 3" in texts[-1] and "⏳ Compromisos de acción revisados" in texts[-1]
    await tap("✏️ Bono")
    texts = await harness.say(AFI, "Dice que la cuenta está bloqueada")
    assert "📝 Nota: Dice que la cuenta está bloqueada" in texts[-1]
    texts = await tap("No cobrado")
    assert "Bono: ❌ No cobrado — Dice que la cuenta está bloqueada" in texts[-1]
    # Another outcome asks its own questions, in order, then comes back to the summary.
    await tap("✏️ Resultado")
    await tap("Reprogramada")
    await tap("Mañana")
    texts = await tap("Omitir")
    assert "Nueva fecha: 24-11-2026" in texts[-1] and "Bono" not in texts[-1]
    await tap("✏️ Resultado")
    await tap("Realizada")
    await tap("Continuar")
    await tap("❌ No cobrado")
    await tap("Listo")
    await tap("Omitir")
    await tap("Omitir")
    await tap("Guardar")
    record = (await _records(session_factory, unit.family_ids["F-001"]))[-1]
    assert (record.outcome, record.held_on, record.products_done, record.rescheduled_to) == (
        "done", date(2026, 11, 20), [0, 2], None)
    async with session_factory() as session:
        bono = (await session.exec(select(BonoFollowup).where(BonoFollowup.month == "2026-11"))).one()
    assert (bono.answer, bono.note) == ("no_cobrado", "Dice que la cuenta está bloqueada")


async def test_a_restart_in_the_middle_keeps_the_draft(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await _to_plan(tap)
    await tap("Agregar compromiso")
    await tap("💰 Ingresos")
    await harness.say(AFI, "Postular al Subsidio Único Familiar")
    await harness.restart()
    texts = await harness.say(AFI, "Certificado de nacimiento de Pedro")
    assert "¿Qué haremos?" in texts[-1]
    await tap("Atrás")
    assert "Ahora: Certificado de nacimiento de Pedro" in harness.last_text(AFI)
    await tap("Atrás")
    assert "Ahora: Postular al Subsidio Único Familiar" in harness.last_text(AFI)
    await tap("Mantener")
    await tap("Mantener")
    await harness.say(AFI, "Ir a la municipalidad con los papeles")
    await tap("El programa")
    await harness.restart()
    await tap("+1 semana")
    await tap("Listo")
    await harness.restart()
    await tap("Omitir")
    texts = await tap("Omitir")
    summary = texts[-1]
    assert "📅 Fecha: 23-11-2026" in summary and "Productos: 3 de 3" in summary and "Bono: ✅ Cobrado" in summary
    assert "💰 Ingresos · Postular al Subsidio Único Familiar" in summary and "el programa · 30-11-2026" in summary
    await tap("Guardar")
    async with session_factory() as session:
        commitment = (await session.exec(select(Commitment))).one()
    assert (commitment.resources, commitment.responsible, commitment.deadline) == (
        "Certificado de nacimiento de Pedro", "program", date(2026, 11, 30))


async def test_a_forged_family_id_is_refused_kindly_and_audited(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=None)
    other = await seed.unit_with_families(session_factory, clock(), comuna="Renca")
    await tap("Registrar sesión")
    message_id, data = harness.find_button(AFI, "Pérez Soto")
    forged = data.rsplit(":", 1)[0] + f":{other.family_ids['F-001']}"
    texts = await harness.press(AFI, forged, message_id)
    assert "Esa familia no está en tu lista" in texts[0]
    assert "¿Con qué familia fue?" in texts[-1]
    # Not assigned to me either (F-002 of my own unit has no AFI): same answer.
    texts = await harness.press(AFI, data.rsplit(":", 1)[0] + f":{unit.family_ids['F-002']}", message_id)
    assert "Esa familia no está en tu lista" in texts[0]
    async with session_factory() as session:
        denied = (await session.exec(select(AuditEvent).where(AuditEvent.action.startswith("denied.")))).all()
    assert {event.record_id for event in denied} == {other.family_ids["F-001"], unit.family_ids["F-002"]}
    assert await _records(session_factory, other.family_ids["F-001"]) == []


async def test_s6_linea_base_and_asl_choice_with_at_most_two(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=ROUTINE[:5])
    async with session_factory() as session:  # a third adult, to try a third ASL participant
        await people_repo.add(session, Member(family_id=unit.family_ids["F-001"], given_names="Rosa",
                                              surnames="Soto", relation="abuela", birth_date=date(1960, 2, 1)))
        await session.commit()
    await _to_outcome(tap, "⭐ S6", "Realizada")
    await tap("Todo realizado")
    await tap("Listo")  # the plan: nothing new today
    assert "Línea Base" in harness.last_text(AFI)
    assert harness.buttons(AFI)[:2] == ["⬜ 🩺 Salud (2)", "⬜ 📚 Educación (3)"]
    assert "Marca al menos una dimensión" in (await tap("Continuar"))[0]
    await tap("🩺 Salud")
    texts = await tap("Continuar")
    assert "Línea Base · 1/2" in texts[-1] and "i32:" in texts[-1]
    await tap("Logrado")
    await tap("A trabajar")
    assert "Participantes del Acompañamiento Sociolaboral" in harness.last_text(AFI)
    await tap("María")
    await tap("Pedro")
    texts = await tap("Rosa")
    assert "dos participantes ASL como máximo" in texts[0]
    assert harness.buttons(AFI)[:3] == ["✅ María Pérez Soto", "✅ Pedro Pérez Soto", "⬜ Rosa Soto"]
    await tap("Pedro")
    await tap("Rosa")
    await tap("Continuar")
    await tap("Omitir")
    texts = await tap("Omitir")
    assert "📊 Matriz: i32 🏆 Logrado, i33 🔧 A trabajar" in texts[-1]
    assert "Participantes ASL: María Pérez Soto, Rosa Soto" in texts[-1]
    await tap("Guardar")
    async with session_factory() as session:
        states = {(m.indicator_code, m.moment, m.state) for m in (await session.exec(select(MatrizState))).all()}
        asl = {m.given_names for m in (await session.exec(select(Member).where(Member.is_asl_participant))).all()}
    assert states == {("i32", "linea_base", "logrado"), ("i33", "linea_base", "a_trabajar")}
    assert asl == {"María", "Rosa"}
    assert (await _family(session_factory, unit.family_ids["F-001"])).trajectory == "aps_asl"


async def test_voice_note_is_kept_with_its_duration(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=None)
    await _to_outcome(tap, "⭐ S1", "Familia no encontrada")
    await tap("No")
    await tap("Omitir")
    calls = await harness.feed(updates.voice(AFI, duration=42, file_id="voice-note-1"))
    summary = [call.params.get("text") for call in calls if call.params.get("text")][-1]
    assert "🎤 Audio de 42 s" in summary and "Carta de Aviso: no la dejé" in summary
    await tap("Guardar")
    [record] = await _records(session_factory, unit.family_ids["F-001"])
    assert (record.note_voice_file_id, record.note_voice_duration, record.carta_aviso_left) == ("voice-note-1", 42, False)


async def test_a_refusal_at_save_time_leads_to_the_step_to_fix(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await _to_plan(tap)
    await tap("Listo")
    await tap("·23·")
    await tap("13:00")
    texts = await tap("Omitir")
    assert "Próxima visita: 23-11-2026 13:00" in texts[-1]
    clock.advance(hours=2)  # 14:00 in Santiago: the visit planned at 13:00 is already past
    texts = await tap("Guardar")
    assert "La hora de la próxima visita ya pasó" in texts[0]
    assert "¿Cuándo es la próxima visita?" in texts[-1]
    assert await _records(session_factory, unit.family_ids["F-001"]) != [] and \
        (await _records(session_factory, unit.family_ids["F-001"]))[-1].code == "S7"
    await tap("Quitar")
    texts = await tap("Guardar")
    assert any("Guardado ✅" in text for text in texts)


async def test_search_by_typed_name_or_code(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock, history=None)
    async with session_factory() as session:  # the AFI gets F-002 too, to have something to filter
        family = await session.get(Family, unit.family_ids["F-002"])
        family.afi_id = unit.afi_id
        await people_repo.add(session, family)
        await session.commit()
    await tap("Registrar sesión")
    assert [label.split(" · ")[0] for label in harness.buttons(AFI)[:2]] == ["🕐 Joseph", "🕐 Pérez Soto"]
    texts = await harness.say(AFI, "perez")
    assert "🔎 «perez»: 1" in texts[-1] and harness.buttons(AFI)[0].startswith("🕐 Pérez Soto")
    texts = await harness.say(AFI, "zzz")
    assert "No encontré familias" in texts[-1]
    assert "el máximo es 60" in (await harness.say(AFI, "z" * 5000))[0]
    await harness.say(AFI, "f-002")
    await tap("Joseph")
    assert "Joseph · F-002" in harness.last_text(AFI)
    await tap("Atrás")
    await tap("Quitar búsqueda")
    assert len([b for b in harness.buttons(AFI) if "F-00" in b]) == 2


async def test_staff_roles_and_the_language_of_the_dialog(harness, session_factory, clock):
    from services import units

    unit, tap = await _start(harness, session_factory, clock, history=None)
    async with session_factory() as session:
        _staff, code = await units.add_staff(session, unit_id=unit.unit_id, name="Gestor Socio", role="gestor_socio",
                                             now=clock())
        await session.commit()
    await harness.say(5100, f"/start {code}")
    assert "📝 Registrar sesión" not in harness.buttons(5100)
    # The jefe records for any family of the unit.
    await harness.say(5002, f"/start {unit.jefe_code}")
    await harness.tap(5002, "Registrar sesión")
    assert len([b for b in harness.buttons(5002) if "F-00" in b]) == 2
    # English, chosen with /idioma.
    await harness.say(AFI, "/idioma")
    await tap("English")
    await tap("Record a session")
    await tap("Pérez Soto")
    await tap("⭐ S1")
    assert f"Today ({TODAY})" in harness.buttons(AFI)
    assert "I didn't understand the date" in (await harness.say(AFI, "someday"))[0]
    await tap("Today")
    assert harness.buttons(AFI)[0] == "✅ Held"
