"""A family's month in the chat, with buttons and voice notes: its plan, a commitment of its own said by voice
and marked done, the monthly Bono question answered, a problem that reaches the Gestor Familiar."""
from datetime import UTC, date, datetime

from sqlmodel import select

from program.access import Actor
from program.roles import Role
from program.session_draft import PlanRow, SessionDraft
from services import session_records, units
from storage.models import AuditEvent, Family, Unit
from storage.records import BonoFollowup, Commitment, CommitmentEvent
from tests.support import seed, updates
from tests.support.outbox import messages

AFI, FAMILY, GESTOR = 5001, 6001, 5300
UTC = UTC


async def _linked_family(harness, session_factory, clock, *, bono_day: int = 25):
    unit = await seed.unit_with_families(session_factory, clock())
    async with session_factory() as session:
        gestor, code = await units.add_staff(session, unit_id=unit.unit_id, name="Gloria Muñoz",
                                             role="gestor_familiar", now=clock())
        family = await session.get(Family, unit.family_ids["F-001"])
        family.status, family.intake_date, family.gestor_familiar_id = "active", date(2026, 10, 5), gestor.id
        row = await session.get(Unit, unit.unit_id)
        row.nudge_settings = {"bono_day": bono_day}
        session.add_all([family, row])
        await session.commit()
    await harness.say(GESTOR, f"/start {code}")
    await harness.say(AFI, f"/start {unit.afi_code}")
    family_code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id,
                                         family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {family_code}")
    await harness.tap(FAMILY, "Acepto")
    return unit


async def _afi_commitment(session_factory, clock, unit) -> None:
    actor = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    row = PlanRow(dimension="salud", topic="Control sano de Pedro", resources="CESFAM", action="Pedir hora",
                  responsible="family", deadline=date(2026, 12, 10))
    draft = SessionDraft(family_id=unit.family_ids["F-001"], code="S7", held_on=date(2026, 11, 20), plan_rows=[row],
                         bono="cobrado")
    async with session_factory() as session:
        await session_records.record_session(session, actor=actor, draft=draft, now=clock())
        await session.commit()


def _texts(harness, chat_id: int) -> list[str]:
    return [c.params["text"] for c in harness.api.requests("sendMessage", chat_id=chat_id) if not c.fault]


async def test_the_family_marks_a_commitment_done_with_a_voice_note_and_the_afi_sees_it(harness, session_factory,
                                                                                       clock):
    unit = await _linked_family(harness, session_factory, clock)
    await _afi_commitment(session_factory, clock, unit)
    await harness.say(FAMILY, "/menu")
    assert harness.buttons(FAMILY)[:4] == ["🗂 Mi plan", "📓 Mi cuaderno", "💳 Bono de Protección",
                                           "📅 Mis próximas citas"]
    plan = (await harness.tap(FAMILY, "Mi plan"))[-1]
    assert "🩺 Salud" in plan and "Control sano de Pedro — la familia · 10-12-2026 · ⏳ pendiente" in plan
    await harness.tap(FAMILY, "Control sano")
    assert harness.buttons(FAMILY)[:3] == ["✅ ¡Lo hicimos!", "🔄 Vamos avanzando", "😕 No pudimos"]
    await harness.tap(FAMILY, "¡Lo hicimos!")
    calls = await harness.feed(updates.voice(FAMILY, duration=9, file_id="voice-done"))
    assert any("¡Gracias! Lo anotamos" in (c.params.get("text") or "") for c in calls)
    async with session_factory() as session:
        commitment = (await session.exec(select(Commitment))).one()
        event = (await session.exec(select(CommitmentEvent).where(CommitmentEvent.action == "status"))).one()
    assert commitment.status == "done" and (event.actor_type, event.voice_file_id, event.voice_duration) == (
        "member", "voice-done", 9)
    # The reminders of a commitment done are cancelled.
    assert {m.status for m in await messages(session_factory) if m.kind.startswith("commitment")} == {"cancelled"}
    await harness.tap(AFI, "Mis familias")
    await harness.tap(AFI, "Pérez Soto")
    card_plan = (await harness.tap(AFI, "Plan"))[-1]
    assert "💬 Lo que contó la familia:\n• 23-11-2026 · ✅ cumplido · Control sano de Pedro 🎤" in card_plan
    # And in the next session record, where the plan is reviewed.
    await harness.say(AFI, "/menu")
    for label in ("Registrar sesión", "Pérez Soto", "S8 · Potenciando", "Hoy", "Realizada", "Todo realizado",
                  "✅ Cobrado"):
        await harness.tap(AFI, label)
    assert "💬 Lo que contó la familia:\n• 23-11-2026 · ✅ cumplido · Control sano de Pedro 🎤" in harness.last_text(AFI)


async def test_a_commitment_of_the_family_s_own_said_by_voice(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock)
    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Mi plan")
    await harness.tap(FAMILY, "Agregar un compromiso")
    await harness.tap(FAMILY, "📚 Educación")
    # Bad input first: a sticker, 5,000 letters, a document; then the voice note.
    calls = await harness.feed(updates.sticker(FAMILY))
    assert any("escribir o mandar un audio" in (c.params.get("text") or "") for c in calls)
    assert "hasta 500 letras (escribiste 5000)" in (await harness.say(FAMILY, "x" * 5000))[0]
    calls = await harness.feed(updates.document(FAMILY))
    assert any("escribir o mandar un audio" in (c.params.get("text") or "") for c in calls)
    await harness.feed(updates.voice(FAMILY, duration=14, file_id="voice-topic"))
    await harness.restart()  # the draft lives in the database
    await harness.tap(FAMILY, "Omitir")
    await harness.tap(FAMILY, "Toda la familia")
    assert "Esa fecha ya pasó" in (await harness.say(FAMILY, "01-11-2026"))[0]
    summary = (await harness.tap(FAMILY, "+1 semana"))[-1]
    assert "🎤 Audio de 14 s" in summary and "30-11-2026" in summary
    texts = await harness.tap(FAMILY, "Guardar")
    assert any("El compromiso quedó en tu plan" in t for t in texts)
    async with session_factory() as session:
        commitment = (await session.exec(select(Commitment))).one()
    assert (commitment.dimension, commitment.topic, commitment.topic_voice_file_id, commitment.deadline,
            commitment.source_record_id) == ("educacion", "", "voice-topic", date(2026, 11, 30), None)
    assert {m.template for m in await messages(session_factory) if m.status == "pending"} >= {
        "commitment_soon", "commitment_today"}


async def test_the_monthly_bono_question_answered_with_one_tap(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock)
    await harness.plan()
    clock.now = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)  # the unit's day, 10:00 in Santiago
    await harness.delivery().tick()
    question = [c for c in harness.api.requests("sendMessage", chat_id=FAMILY) if "Bono" in c.params["text"]][-1]
    assert "¿Pudiste cobrar el Bono de Protección de noviembre 2026?" in question.params["text"]
    assert "nunca te pedirá claves" in question.params["text"]
    labels = [b["text"] for row in question.params["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["✅ Sí, lo cobré", "⏳ Todavía no", "⚠️ Tengo un problema"]
    yes = question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    # A month later the old question still counts for November.
    clock.now = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)
    texts = await harness.press(FAMILY, yes, question.result["message_id"])
    assert any("Gracias por contarnos" in t for t in texts)
    async with session_factory() as session:
        answer = (await session.exec(select(BonoFollowup))).one()
    assert (answer.month, answer.answer, answer.source) == ("2026-11", "cobrado", "family")
    # A forged month (the future) is refused kindly and changes nothing.
    texts = await harness.press(FAMILY, "bono:2027-05:cobrado", question.result["message_id"])
    assert harness.api.requests("answerCallbackQuery")[-1].params.get("show_alert") is True
    async with session_factory() as session:
        assert len((await session.exec(select(BonoFollowup))).all()) == 1


async def test_a_bono_problem_reaches_the_gestor_familiar_and_the_afi_at_once(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock)
    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Bono de Protección")
    assert "nunca te pedirá claves" in harness.last_text(FAMILY)
    await harness.tap(FAMILY, "Tengo un problema")
    texts = await harness.tap(FAMILY, "No me llegó")
    assert any("Ya le avisamos a tu Gestor Familiar" in t for t in texts)
    await harness.delivery().tick()
    for chat in (GESTOR, AFI):
        assert ("⚠️ Bono de Protección de noviembre 2026: la familia Pérez Soto · F-001 tiene un problema para "
                "cobrarlo (no le llegó).") in _texts(harness, chat)
    async with session_factory() as session:
        answer = (await session.exec(select(BonoFollowup))).one()
    assert (answer.answer, answer.reason) == ("problema", "no_llego")


async def test_still_not_collected_after_the_second_ask_alerts_the_gestor(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock, bono_day=10)
    clock.now = datetime(2026, 12, 12, 15, 0, tzinfo=UTC)  # after December's first ask (10-12)
    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Bono de Protección")
    await harness.tap(FAMILY, "Todavía no")
    # Second ask on 15-12; still "todavía no" five days later (20-12, 10:00 = 13:00 UTC): the Gestor hears of it.
    second = [m for m in await messages(session_factory) if m.template == "bono_second_ask" and m.status == "pending"]
    assert [m.due_at for m in second] == [datetime(2026, 12, 15, 13, 0, tzinfo=UTC)]
    [escalation] = [m for m in await messages(session_factory) if m.template == "bono_escalation"]
    assert (escalation.args["month"], escalation.status, escalation.essential) == ("2026-12", "pending", True)
    assert escalation.due_at == datetime(2026, 12, 20, 13, 0, tzinfo=UTC)
    clock.now = escalation.due_at
    await harness.delivery().tick()
    assert any("todavía no lo cobra, después de dos preguntas" in t for t in _texts(harness, GESTOR))
    assert not any("después de dos preguntas" in t for t in _texts(harness, AFI))


async def test_collected_in_time_cancels_the_second_ask_and_the_alert(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock, bono_day=10)
    clock.now = datetime(2026, 12, 12, 15, 0, tzinfo=UTC)
    await harness.plan()
    assert {m.template for m in await messages(session_factory) if m.status == "pending"} >= {
        "bono_second_ask", "bono_escalation"}
    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Bono de Protección")
    await harness.tap(FAMILY, "Sí, lo cobré")
    assert not [m for m in await messages(session_factory)
                if m.template in ("bono_second_ask", "bono_escalation") and m.status == "pending"]


async def test_another_family_s_commitment_is_refused_and_audited(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    await _afi_commitment(session_factory, clock, unit)
    other = await seed.unit_with_families(session_factory, clock(), comuna="Renca")
    async with session_factory() as session:
        foreign = Commitment(family_id=other.family_ids["F-001"], dimension="salud", topic="Ajeno", action="x")
        session.add(foreign)
        await session.commit()
    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Mi plan")
    message_id, data = harness.find_button(FAMILY, "Control sano")
    texts = await harness.press(FAMILY, data.rsplit(":", 1)[0] + f":{foreign.id}", message_id)
    assert "Ajeno" not in " ".join(texts)
    assert "Ese compromiso no está en tu plan." in [c.params.get("text") for c in harness.api.requests("answerCallbackQuery")]
    async with session_factory() as session:
        denied = (await session.exec(select(AuditEvent).where(AuditEvent.action == "denied.commitment"))).all()
    assert {e.record_id for e in denied} == {foreign.id}


async def test_other_members_get_a_narrower_menu(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    from storage.models import ChatAccount, Member

    async with session_factory() as session:
        pedro = (await session.exec(select(Member).where(Member.given_names == "Pedro"))).one()
        session.add(ChatAccount(telegram_user_id=6002, chat_id=6002, member_id=pedro.id, consent_at=clock()))
        await session.commit()
    await harness.say(6002, "/menu")
    assert harness.buttons(6002)[:2] == ["🗂 Mi plan", "📅 Mis próximas citas"]
    assert "💳 Bono de Protección" not in harness.buttons(6002) and unit.unit_id


async def test_an_asl_participant_sees_their_plan_laboral_and_not_another_s(harness, session_factory, clock):
    unit = await _linked_family(harness, session_factory, clock)
    from storage.models import ChatAccount, Member

    async with session_factory() as session:
        pedro = (await session.exec(select(Member).where(Member.given_names == "Pedro"))).one()
        maria = (await session.exec(select(Member).where(Member.given_names == "María"))).one()
        pedro.is_asl_participant = True
        session.add_all([pedro, ChatAccount(telegram_user_id=6002, chat_id=6002, member_id=pedro.id,
                                            consent_at=clock()),
                         Commitment(family_id=unit.family_ids["F-001"], plan="laboral", member_id=pedro.id,
                                    dimension="trabajo", topic="Curso de grúa horquilla", action="Inscribirse"),
                         Commitment(family_id=unit.family_ids["F-001"], plan="laboral", member_id=maria.id,
                                    dimension="trabajo", topic="Emprendimiento de María", action="Feria")])
        await session.commit()
    await harness.say(6002, "/menu")
    plan = (await harness.tap(6002, "Mi plan"))[-1]
    assert "Curso de grúa horquilla" in plan and "Emprendimiento de María" not in plan
    assert "Agregar un compromiso" not in " ".join(harness.buttons(6002))


async def test_tengo_un_problema_under_the_monthly_question_opens_that_month(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock)
    await harness.plan()
    clock.now = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    await harness.delivery().tick()
    question = [c for c in harness.api.requests("sendMessage", chat_id=FAMILY) if "Bono" in c.params["text"]][-1]
    problem = question.params["reply_markup"]["inline_keyboard"][1][0]["callback_data"]
    clock.now = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # answered in December, about November
    texts = await harness.press(FAMILY, problem, question.result["message_id"])
    assert "⚠️ Bono de Protección · noviembre 2026\n¿Qué pasó?" in texts[-1]
    await harness.tap(FAMILY, "Otro")
    assert "Cuéntanos qué pasó" in harness.last_text(FAMILY)
    calls = await harness.feed(updates.voice(FAMILY, duration=20, file_id="voice-bono"))
    assert any("Ya le avisamos" in (c.params.get("text") or "") for c in calls)
    async with session_factory() as session:
        answer = (await session.exec(select(BonoFollowup))).one()
    assert (answer.month, answer.answer, answer.reason) == ("2026-11", "problema", "otro")
    await harness.delivery().tick()
    alert = [t for t in _texts(harness, GESTOR) if "tiene un problema" in t][-1]
    assert "(otro motivo)" in alert and "Dejó un audio con el detalle." in alert
