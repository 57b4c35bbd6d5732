"""A whole group session from the chat, through the fake Bot API with Telegram's limits and the real rate
limiter: create → invite 25 families → answers (yes, no, silence) → the reminder the day before →
attendance → trajectories; a change of place; who may run it."""
from datetime import UTC, date, datetime

from sqlmodel import select

from bot.telegram_sender import Limits
from services import units
from services.cohort_import import import_cohort
from storage.groups import GroupInvitation, GroupSession
from storage.models import AuditEvent, ChatAccount, Family, Member
from storage.records import SessionRecord
from tests.support import seed

GESTOR, AFI = 5400, 5001
UTC = UTC
FIRST_CHAT = 7000
HEADER = "codigo_familia,apellido_familia,sector,trayectoria,nombres,apellidos,run,parentesco,representante,cobra_bono\n"


async def _unit_with_25_families(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    rows = "".join(f"G-{n:02d},Familia{n:02d},Villa Sur,aps,Rep{n:02d},Familia{n:02d},{seed._run(30_000_000 + n)},"
                   f"jefa de hogar,sí,sí\n" for n in range(25))
    async with session_factory() as session:
        report = await import_cohort(session, unit_id=unit.unit_id, text=HEADER + rows)
        assert not report.errors, report.errors
        gestor, code = await units.add_staff(session, unit_id=unit.unit_id, name="Rosa Gestora", role="gestor_socio",
                                             now=clock())
        families = (await session.exec(select(Family).where(Family.sector == "Villa Sur")
                                       .order_by(Family.code))).all()
        for n, family in enumerate(families):
            family.status, family.intake_date = "active", date(2026, 6, 1)
            member = (await session.exec(select(Member).where(Member.family_id == family.id))).one()
            session.add_all([family, ChatAccount(telegram_user_id=FIRST_CHAT + n, chat_id=FIRST_CHAT + n,
                                                 member_id=member.id, consent_at=clock(),
                                                 language="ht" if n == 0 else "es")])
        await session.commit()
    await harness.say(GESTOR, f"/start {code}")
    return unit, [f.id for f in families]


async def _create_s9(harness) -> None:
    await harness.tap(GESTOR, "Sesiones grupales")
    await harness.tap(GESTOR, "Nueva sesión")
    await harness.tap(GESTOR, "S9 · Aprendiendo Juntos")
    await harness.say(GESTOR, "02-12-2026")
    await harness.tap(GESTOR, "16:00")
    await harness.say(GESTOR, "Sede vecinal Villa Sur, Los Aromos 456")
    texts = await harness.tap(GESTOR, "Villa Sur")
    assert "Marcadas: 25" in texts[-1]
    texts = await harness.tap(GESTOR, "Continuar")
    assert "👨‍👩‍👧 25 familias" in texts[-1] and "sugieren" not in texts[-1]
    await harness.tap(GESTOR, "Crear e invitar")


def _sent_to(harness, chat: int) -> list:
    return [c for c in harness.api.requests("sendMessage", chat_id=chat) if not c.fault]


async def test_a_whole_group_session_from_the_chat(harness, session_factory, clock):
    unit, family_ids = await _unit_with_25_families(harness, session_factory, clock)
    await _create_s9(harness)
    harness.api.enforce_limits()  # Telegram's 30/s and 1/s per chat, answered with 429 when exceeded
    result = await harness.delivery(Limits()).tick()
    assert result.outcomes == {"sent": 25} and harness.api.stats["limited"] == 0
    harness.api.disable_limits()  # the families answer right away: replies in a dialog are not the outbox's
    invitation = _sent_to(harness, FIRST_CHAT + 1)[-1]
    assert invitation.params["text"].startswith("👥 Te invitamos a la sesión grupal S9 «Aprendiendo Juntos»")
    assert "📅 02-12-2026 a las 16:00" in invitation.params["text"] and "Sede vecinal Villa Sur" in invitation.params["text"]
    assert "Familia0" not in invitation.params["text"]  # no family's name in another's invitation
    assert "Aprendiendo Juntos" in _sent_to(harness, FIRST_CHAT)[-1].params["text"]  # Kreyòl: the name stays
    # Answers: 15 yes, 5 no, 5 silent.
    for n in range(20):
        chat = FIRST_CHAT + n
        message = _sent_to(harness, chat)[-1]
        [yes, no] = message.params["reply_markup"]["inline_keyboard"][0]
        await harness.press(chat, (yes if n < 15 else no)["callback_data"], message.result["message_id"])
    assert "Gracias por avisar" in _sent_to(harness, FIRST_CHAT + 19)[-1].params["text"]
    texts = await harness.tap(GESTOR, "S9")  # the list is where the creation left the Gestor
    assert "Invitadas: 25\n✅ Asistirán: 15 · ❌ No podrán: 5 · ❔ Sin respuesta: 5" in texts[-1]

    # The day before at 19:00: those who said yes and those who did not answer, not those who said no.
    await harness.plan()
    clock.now = datetime(2026, 12, 1, 22, 0, tzinfo=UTC)
    harness.api.enforce_limits()
    mark = len(harness.api.requests("sendMessage"))
    result = await harness.delivery(Limits()).tick()
    assert result.outcomes == {"sent": 20} and harness.api.stats["limited"] == 0
    reminders = [c for c in harness.api.requests("sendMessage")[mark:] if not c.fault]
    reminded = {c.params["chat_id"] for c in reminders}
    assert all(c.params["text"].startswith("🔔 Mañana 02-12-2026 a las 16:00 es la sesión grupal")
               for c in reminders if c.params["chat_id"] != FIRST_CHAT)  # FIRST_CHAT reads Kreyòl
    assert reminded == {FIRST_CHAT + n for n in list(range(15)) + list(range(20, 25))}

    harness.api.disable_limits()
    # After the session: 14 of the 15, one who had said no, and F-001 who came uninvited.
    clock.now = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)
    await harness.say(GESTOR, "/menu")
    await harness.tap(GESTOR, "Sesiones grupales")
    await harness.tap(GESTOR, "S9")
    await harness.tap(GESTOR, "Registrar asistencia")
    await harness.tap(GESTOR, "Familia00")  # untick: she said yes but did not come
    await harness.tap(GESTOR, "Familia17")  # tick: she had said no, and came
    await harness.tap(GESTOR, "sin invitación")
    await harness.tap(GESTOR, "Pérez Soto")
    await harness.tap(GESTOR, "Continuar")
    await harness.tap(GESTOR, "Continuar")
    await harness.say(GESTOR, "Juntarse de nuevo en enero")
    await harness.tap(GESTOR, "Omitir")
    summary = harness.last_text(GESTOR)
    assert "asistieron 16 familias" in summary and "Juntarse de nuevo en enero" in summary
    await harness.tap(GESTOR, "Guardar")
    async with session_factory() as session:
        records = (await session.exec(select(SessionRecord).where(SessionRecord.code == "S9"))).all()
        group = (await session.exec(select(GroupSession))).one()
    attended = {r.family_id for r in records}
    assert attended == {family_ids[n] for n in list(range(1, 15)) + [17]} | {unit.family_ids["F-001"]}
    assert (group.status, group.held_on, group.agreements) == ("held", date(2026, 12, 2), "Juntarse de nuevo en enero")
    assert all((r.outcome, r.held_on) == ("done", date(2026, 12, 2)) for r in records)


async def test_a_change_of_place_reaches_every_invited_family(harness, session_factory, clock):
    _unit, _ids = await _unit_with_25_families(harness, session_factory, clock)
    await _create_s9(harness)
    await harness.delivery().tick()
    await harness.tap(GESTOR, "S9")
    await harness.tap(GESTOR, "Cambiar lugar")
    texts = await harness.say(GESTOR, "Escuela Los Aromos, sala 3")
    assert any("avisé del cambio a todas las familias" in t for t in texts)
    result = await harness.delivery().tick()
    assert result.outcomes == {"sent": 25}
    changed = _sent_to(harness, FIRST_CHAT + 3)[-1]
    assert changed.params["text"].startswith("👥 Cambió la sesión grupal S9") and "Escuela Los Aromos" in \
        changed.params["text"]


async def test_only_the_gestor_and_the_jefe_run_group_sessions(harness, session_factory, clock):
    unit, _ids = await _unit_with_25_families(harness, session_factory, clock)
    await harness.say(AFI, f"/start {unit.afi_code}")
    assert "🧑‍🤝‍🧑 Sesiones grupales" not in harness.buttons(AFI)
    await harness.say(5002, f"/start {unit.jefe_code}")
    assert "🧑‍🤝‍🧑 Sesiones grupales" in harness.buttons(5002)
    # A forged RSVP for a session the family was not invited to is refused and audited.
    await _create_s9(harness)
    async with session_factory() as session:
        group = (await session.exec(select(GroupSession))).one()
        outsider = (await session.exec(select(Member).where(Member.given_names == "María"))).one()
        session.add(ChatAccount(telegram_user_id=6001, chat_id=6001, member_id=outsider.id, consent_at=clock()))
        await session.commit()
    await harness.say(6001, "/menu")
    message_id, _data = harness.keyboard(6001)
    await harness.press(6001, f"rsvp:{group.id}:yes", message_id)
    assert "Esta invitación no es para tu familia." in [c.params.get("text")
                                                        for c in harness.api.requests("answerCallbackQuery")]
    async with session_factory() as session:
        assert (await session.exec(select(AuditEvent).where(AuditEvent.action == "denied.rsvp"))).all()
        assert not (await session.exec(select(GroupInvitation).where(GroupInvitation.rsvp.is_not(None)))).all()


async def test_a_cancellation_and_asl_sessions_go_to_the_participants(harness, session_factory, clock):
    from program.access import Actor
    from program.roles import Role
    from services import group_sessions

    unit, family_ids = await _unit_with_25_families(harness, session_factory, clock)
    async with session_factory() as session:  # F-002 (Joseph) is APS + ASL; Jean is its participant
        jean = (await session.exec(select(Member).where(Member.given_names == "Jean"))).one()
        family = await session.get(Family, unit.family_ids["F-002"])
        family.status, jean.is_asl_participant = "active", True
        session.add_all([family, jean, ChatAccount(telegram_user_id=6101, chat_id=6101, member_id=jean.id,
                                                   consent_at=clock())])
        gestor = (await session.exec(select(ChatAccount).where(ChatAccount.telegram_user_id == GESTOR))).one()
        actor = Actor(role=Role.GESTOR_SOCIO, unit_id=unit.unit_id, staff_id=gestor.staff_id)
        assert [f.id for f in await group_sessions.candidates(session, actor=actor, track="asl", code="S2",
                                                                by="all", today=date(2026, 11, 23))] == [family.id]
        group = await group_sessions.create(session, actor=actor, track="asl", code="S2",
                                            starts_at=datetime(2026, 12, 4, 19, 0, tzinfo=UTC), place="OMIL",
                                            address=None, territory=None, family_ids=[family.id], now=clock())
        await session.commit()
    await harness.delivery().tick()
    assert _sent_to(harness, 6101)[-1].params["text"].startswith("👥 Te invitamos a la sesión grupal ASL S2")
    async with session_factory() as session:
        await group_sessions.cancel(session, actor=actor, group_session_id=group.id, now=clock())
        await session.commit()
    await harness.delivery().tick()
    assert _sent_to(harness, 6101)[-1].params["text"].startswith("👥 Se suspendió la sesión grupal ASL S2")
    assert all(not c.params["text"].startswith("👥") for chat in range(FIRST_CHAT, FIRST_CHAT + 25)
               for c in _sent_to(harness, chat))
