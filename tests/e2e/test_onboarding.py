"""From the admin's invitation to the person's menu, through the fake Bot API, on a real database."""
from sqlmodel import select

from storage.models import AuditEvent, ChatAccount
from tests.support import seed, updates

AFI_USER, JEFE_USER, FAMILY_USER, STRANGER = 5001, 5002, 6001, 7001
REVOKED = "Tu acceso a Acompaña fue desactivado. Si crees que es un error, habla con tu unidad."


async def test_staff_member_links_with_deep_link_and_sees_menu(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    texts = await harness.say(AFI_USER, f"/start {unit.afi_code}")
    assert any("Quedaste registrado/a como Apoyo Familiar Integral en UIF Conchalí" in t for t in texts)
    assert "Hola, Carla Rojas" in texts[-1]
    assert harness.buttons(AFI_USER) == ["📝 Registrar sesión", "👥 Mis familias", "🌐 Idioma"]
    scopes = [call.params.get("scope") for call in harness.api.requests("setMyCommands")]
    assert {"type": "chat", "chat_id": AFI_USER} in scopes


async def test_family_representative_accepts_privacy_before_menu(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    texts = await harness.say(FAMILY_USER, f"/start {code}")
    assert "Ley 21.719" in texts[-1]
    assert harness.buttons(FAMILY_USER) == ["✅ Acepto", "❌ No acepto"]
    # Nothing else until consent: the menu shows the notice again.
    assert "Ley 21.719" in (await harness.say(FAMILY_USER, "/menu"))[-1]
    texts = await harness.tap(FAMILY_USER, "Acepto")
    assert "Hola, María" in texts[-1]
    assert harness.buttons(FAMILY_USER) == ["🗂 Mi plan", "📓 Mi cuaderno", "💳 Bono de Protección",
                                            "📅 Mis próximas citas", "🔎 ¿Dónde encuentro ayuda?", "👨‍👩‍👧 Mi familia",
                                            "📞 Mi equipo y cómo contactarlo", "🌐 Idioma", "🔒 Privacidad"]
    async with session_factory() as session:
        account = (await session.exec(select(ChatAccount).where(ChatAccount.telegram_user_id == FAMILY_USER))).one()
        assert account.consent_at == clock()
    texts = await harness.tap(FAMILY_USER, "Mi equipo")
    assert "Carla Rojas — Apoyo Familiar Integral" in texts[-1] and "+56 2 2345 6789" in texts[-1]
    assert "Aceptaste este aviso el 23-11-2026 12:00" in (await harness.tap(FAMILY_USER, "Menú") and
                                                          await harness.tap(FAMILY_USER, "Privacidad"))[-1]


async def test_family_that_declines_keeps_seeing_only_the_notice(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY_USER, f"/start {code}")
    assert "Si cambias de opinión" in (await harness.tap(FAMILY_USER, "No acepto"))[-1]
    assert "Ley 21.719" in (await harness.say(FAMILY_USER, "hola"))[-1]


async def test_wrong_expired_and_reused_codes(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    assert "no es válido" in (await harness.say(STRANGER, "/start AAAAAAAAAAAAAAAA"))[-1]
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    assert "ya fue usado" in (await harness.say(STRANGER, f"/start {unit.afi_code}"))[-1]
    clock.advance(days=15)
    assert "ya venció" in (await harness.say(JEFE_USER, f"/start {unit.jefe_code}"))[-1]


async def test_code_typed_as_text_and_in_lowercase_links_too(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    texts = await harness.say(JEFE_USER, unit.jefe_code.lower())
    assert any("Jefe/a de Unidad" in text for text in texts)
    assert harness.buttons(JEFE_USER) == ["📝 Registrar sesión", "👥 Mis familias", "🧑‍🤝‍🧑 Sesiones grupales",
                                          "🏛 Catastro", "🏢 Mi unidad", "🌐 Idioma"]


async def test_five_wrong_codes_lock_the_chat_for_an_hour(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    for attempt in range(4):
        assert "no es válido" in (await harness.say(STRANGER, f"/start WRONGCODE{attempt}XXXXXX"))[-1]
        clock.advance(minutes=5)
    locked = (await harness.say(STRANGER, "/start WRONGCODE9XXXXXX"))[-1]
    assert "Podrás intentar de nuevo a las" in locked
    # Even the right code waits until the hour is over.
    assert "Podrás intentar" in (await harness.say(STRANGER, f"/start {unit.afi_code}"))[-1]
    clock.advance(minutes=61)
    assert any("Quedaste registrado/a" in text for text in await harness.say(STRANGER, f"/start {unit.afi_code}"))


async def test_stranger_gets_kind_explanation_for_anything(harness, fake_api):
    for text in ("hola", "/menu", "/ayuda", "x" * 4000):
        assert "necesitas un código" in (await harness.say(STRANGER, text))[-1]
    assert "No conozco ese comando" in (await harness.say(STRANGER, "/borrar_todo"))[-1]


async def test_afi_sees_only_assigned_families_and_forged_ids_are_refused(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    other = await seed.unit_with_families(session_factory, clock(), comuna="Renca")
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    await harness.tap(AFI_USER, "Mis familias")
    assert harness.buttons(AFI_USER) == ["🕐 Pérez Soto · F-001", "⬅️ Menú"]  # 🕐: S1 is due
    message_id, data = harness.find_button(AFI_USER, "Pérez Soto")
    card = (await harness.tap(AFI_USER, "Pérez Soto"))[-1]
    assert "12.345.678-5" in card and "representante" in card
    # Same button, another unit's family id: refused kindly, and the attempt is audited.
    await harness.tap(AFI_USER, "Mis familias")
    message_id, data = harness.find_button(AFI_USER, "Pérez Soto")
    forged = data.rsplit(":", 1)[0] + f":{other.family_ids['F-001']}"
    assert "no está en tu lista" in (await harness.press(AFI_USER, forged, message_id))[-1]
    async with session_factory() as session:
        denied = (await session.exec(select(AuditEvent).where(AuditEvent.action == "denied.family.view"))).all()
    assert [event.record_id for event in denied] == [other.family_ids["F-001"]]


async def test_jefe_sees_the_unit(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(JEFE_USER, f"/start {unit.jefe_code}")
    await harness.tap(JEFE_USER, "Mis familias")
    assert harness.buttons(JEFE_USER)[:2] == ["🕐 Joseph · F-002", "🕐 Pérez Soto · F-001"]
    await harness.tap(JEFE_USER, "Menú")
    overview = (await harness.tap(JEFE_USER, "Mi unidad"))[-1]
    assert "invitada: 2" in overview and "Carla Rojas — Apoyo Familiar Integral" in overview


async def test_afi_invites_the_representative_from_the_family_card(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    await harness.tap(AFI_USER, "Mis familias")
    await harness.tap(AFI_USER, "Pérez Soto")
    invitation = [text for text in await harness.tap(AFI_USER, "Invitar") if "Código:" in text][0]
    code = invitation.split("Código: ")[1].split()[0]
    assert f"https://t.me/acompana_test_bot?start={code}" in invitation
    assert "Ley 21.719" in (await harness.say(FAMILY_USER, f"/start {code}"))[-1]


async def test_unexpected_input_in_a_menu_keeps_the_person_in_place(harness, session_factory, clock, fake_api):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    for update in (updates.sticker(AFI_USER), updates.voice(AFI_USER), updates.document(AFI_USER)):
        calls = await harness.feed(update)
        assert any("Usa los botones" in (call.params.get("text") or "") for call in calls)
    assert "Hola, Carla Rojas" in harness.last_text(AFI_USER)
    assert "Nada de lo que ya guardaste se perdió" in (await harness.say(AFI_USER, "/cancelar"))[0]


async def test_every_staff_role_reaches_its_menu(harness, session_factory, clock):
    from services import units

    unit = await seed.unit_with_families(session_factory, clock())
    async with session_factory() as session:
        codes = {role: (await units.add_staff(session, unit_id=unit.unit_id, name=f"Persona {role}", role=role,
                                              now=clock()))[1] for role in ("gestor_socio", "gestor_familiar")}
        await session.commit()
    # The Gestor Sociocomunitario records group sessions elsewhere; the Gestor Familiar records S1 with the AFI.
    for user_id, (role, label, menu) in enumerate([
            ("gestor_socio", "Gestor/a Sociocomunitario/a", ["👥 Mis familias", "🧑‍🤝‍🧑 Sesiones grupales",
                                                             "🏛 Catastro", "🌐 Idioma"]),
            ("gestor_familiar", "Gestor/a Familiar", ["📝 Registrar sesión", "👥 Mis familias", "🌐 Idioma"])],
            start=5100):
        texts = await harness.say(user_id, f"/start {codes[role]}")
        assert f"Hola, Persona {role}" in texts[-1] and label in texts[-1]
        assert harness.buttons(user_id) == menu
        assert "Aún no tienes familias asignadas" in (await harness.tap(user_id, "Mis familias"))[-1]


async def test_deactivated_staff_loses_access_to_the_units_data(harness, session_factory, clock):
    from storage.models import Staff

    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    message_id, families_button = harness.find_button(AFI_USER, "Mis familias")
    async with session_factory() as session:
        staff = await session.get(Staff, unit.afi_id)
        staff.active = False
        session.add(staff)
        await session.commit()
    # One sentence and nothing else (issue 10 §2).
    assert await harness.say(AFI_USER, "/menu") == [REVOKED]
    # The button from before still on screen: no family list, only the explanation, in a pop-up.
    calls = await harness.feed(updates.callback(AFI_USER, families_button, message_id=message_id))
    assert [(c.method, c.params.get("text")) for c in calls] == [("answerCallbackQuery", REVOKED)]


async def test_professional_deactivated_in_the_middle_of_a_dialog(harness, session_factory, clock):
    from storage.models import Staff

    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    await harness.tap(AFI_USER, "Mis familias")
    async with session_factory() as session:
        staff = await session.get(Staff, unit.afi_id)
        staff.active = False
        session.add(staff)
        await session.commit()
    message_id, data = harness.find_button(AFI_USER, "Pérez Soto")
    calls = await harness.feed(updates.callback(AFI_USER, data, message_id=message_id))
    assert [(c.method, c.params.get("text")) for c in calls] == [("answerCallbackQuery", REVOKED)]
