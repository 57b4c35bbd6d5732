"""📓 Mi cuaderno: a family keeps its interests, resources and notes — typed, voice notes, photos — through
the fake Bot API, on a real database; bad input, forged buttons and a restart mid-entry."""
from datetime import timedelta

from sqlmodel import select

from program.access import Actor
from program.roles import Role
from services import cuaderno
from services.cuaderno import NewEntry
from storage import people_repo
from storage.cuaderno import CuadernoEntry
from storage.models import AuditEvent
from tests.support import seed, updates

FAMILY = 6001
ASK = "Escribe, manda un audio 🎤 o una foto 📷"


async def _linked(harness, session_factory, clock) -> seed.Unit:
    """F-001's representative links with her code, accepts the notice and opens the notebook from her menu."""
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {code}")
    await harness.tap(FAMILY, "Acepto")
    texts = await harness.tap(FAMILY, "Mi cuaderno")
    assert "Elige un tema" in texts[-1]
    return unit


async def _entries(session_factory, family_id: int) -> list[CuadernoEntry]:
    async with session_factory() as session:
        query = select(CuadernoEntry).where(CuadernoEntry.family_id == family_id).order_by(CuadernoEntry.id)
        return list((await session.exec(query)).all())


async def _written(session_factory, unit, code: str, bodies: list[str], clock, dimension="salud") -> list[int]:
    """Entries the representative of `code` wrote earlier, one minute apart, through the service."""
    family_id = unit.family_ids[code]
    async with session_factory() as session:
        member = await people_repo.representative(session, family_id=family_id)
        actor = Actor(role=Role.FAMILY, unit_id=unit.unit_id, family_id=family_id, member_id=member.id,
                      is_representative=True)
        ids = []
        for minutes, body in enumerate(bodies):
            row = await cuaderno.add_entry(session, actor=actor, family_id=family_id, now=clock() + timedelta(
                minutes=minutes - len(bodies)), new=NewEntry(dimension=dimension, kind="interest",
                                                            content_type="text", text=body))
            ids.append(row.id)
        await session.commit()
    return ids


async def _send(harness, update: dict) -> list[str]:
    """What the family sees after any update (a sticker, a file, a location...)."""
    return harness._texts(await harness.feed(update), FAMILY)


async def _audit(session_factory, action: str) -> list[AuditEvent]:
    async with session_factory() as session:
        return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action))).all())


async def test_a_family_keeps_an_interest_a_resource_by_voice_and_a_photo(harness, session_factory, clock):
    unit = await _linked(harness, session_factory, clock)
    assert harness.buttons(FAMILY) == ["💼 Trabajo y Seguridad Social", "💰 Ingresos", "🩺 Salud", "📚 Educación",
                                       "🏠 Vivienda y Entorno", "📝 Notas", "⬅️ Menú"]
    assert "Aún no hay nada aquí" in (await harness.tap(FAMILY, "Salud"))[-1]
    await harness.tap(FAMILY, "Agregar")
    assert harness.buttons(FAMILY)[:3] == ["💭 Un interés o preocupación", "🤝 Un recurso que encontramos",
                                           "📝 Una nota"]
    assert ASK in (await harness.tap(FAMILY, "interés"))[-1]
    texts = await harness.say(FAMILY, "Queremos hora al dentista para los niños")
    assert texts[0] == "✅ Guardado en tu cuaderno." and "🩺 Salud" in texts[-1]
    assert harness.buttons(FAMILY)[0] == "💭 23-11-2026 · Queremos hora al dentista para los niños"

    # A resource: an organisation of the comuna, told in a voice note.
    await harness.tap(FAMILY, "Temas")
    await harness.tap(FAMILY, "Trabajo")
    await harness.tap(FAMILY, "Agregar")
    await harness.tap(FAMILY, "recurso")
    assert harness.buttons(FAMILY)[:3] == ["👤 Una persona", "👥 Una organización", "🏛 Una institución"]
    await harness.tap(FAMILY, "organización")
    assert harness.buttons(FAMILY)[:4] == ["👨‍👩‍👧 En la familia", "🏘 En la comunidad", "🏙 En la comuna",
                                           "🗺 En la región"]
    texts = await harness.tap(FAMILY, "comuna")
    assert "👥 Una organización · 🏙 En la comuna" in texts[-1] and ASK in texts[-1]
    await harness.feed(updates.voice(FAMILY, duration=12, file_id="voice-oficina-empleo"))
    assert harness.buttons(FAMILY)[0] == "🤝 23-11-2026 · 🎤 Audio de 12 s"

    # A photo in the notes: no kind to choose there.
    await harness.tap(FAMILY, "Temas")
    await harness.tap(FAMILY, "Notas")
    assert ASK in (await harness.tap(FAMILY, "Agregar"))[-1]
    await harness.feed(updates.photo(FAMILY, caption="Horario del consultorio", file_id="photo-horario"))
    assert harness.buttons(FAMILY)[0] == "📝 23-11-2026 · 📷 Foto"
    await harness.tap(FAMILY, "Temas")
    assert harness.buttons(FAMILY)[:3] == ["💼 Trabajo y Seguridad Social (1)", "💰 Ingresos", "🩺 Salud (1)"]
    assert harness.buttons(FAMILY)[5] == "📝 Notas (1)"

    interest, resource, photo = await _entries(session_factory, unit.family_ids["F-001"])
    assert (interest.dimension, interest.kind, interest.content_type, interest.text) == (
        "salud", "interest", "text", "Queremos hora al dentista para los niños")
    assert (resource.dimension, resource.kind, resource.content_type, resource.file_id, resource.duration,
            resource.resource_kind, resource.resource_level) == (
        "trabajo", "resource", "voice", "voice-oficina-empleo", 12, "organization", "comuna")
    assert resource.file_unique_id.startswith("uvoice")
    assert (photo.dimension, photo.kind, photo.content_type, photo.file_id, photo.text) == (
        None, "note", "photo", "photo-horario", "Horario del consultorio")  # the largest size, its caption
    assert len(await _audit(session_factory, "cuaderno.add")) == 3

    # Opened again, the voice note and the photo come back by their file ids.
    await harness.tap(FAMILY, "Trabajo")
    calls = await harness.feed(updates.callback(FAMILY, harness.find_button(FAMILY, "Audio")[1],
                                                message_id=harness.keyboard(FAMILY)[0]))
    [voice] = [call for call in calls if call.method == "sendVoice"]
    assert voice.params == {"chat_id": FAMILY, "voice": "voice-oficina-empleo"}
    shown = harness.last_text(FAMILY)
    assert "🤝 Recursos que encontramos · 23-11-2026" in shown and "🏙 En la comuna" in shown
    assert "🎤 Audio de 12 s" in shown and harness.buttons(FAMILY) == ["🗑 Borrar", "⬅️ Volver"]
    await harness.tap(FAMILY, "Volver")
    await harness.tap(FAMILY, "Temas")
    await harness.tap(FAMILY, "Notas")
    await harness.tap(FAMILY, "Foto")
    assert harness.api.requests("sendPhoto")[-1].params["photo"] == "photo-horario"
    assert "Horario del consultorio" in harness.last_text(FAMILY)


async def test_a_dimension_with_more_than_one_page_newest_first(harness, session_factory, clock):
    unit = await _linked(harness, session_factory, clock)
    await _written(session_factory, unit, "F-001", [f"Preocupación {n}" for n in range(1, 8)], clock)
    texts = await harness.tap(FAMILY, "Salud")
    assert "Página 1 de 2" in texts[-1]
    assert harness.buttons(FAMILY) == [f"💭 23-11-2026 · Preocupación {n}" for n in (7, 6, 5, 4, 3)] + [
        "Más antiguas ➡️", "➕ Agregar", "⬅️ Temas"]
    assert "Página 2 de 2" in (await harness.tap(FAMILY, "Más antiguas"))[-1]
    assert harness.buttons(FAMILY) == ["💭 23-11-2026 · Preocupación 2", "💭 23-11-2026 · Preocupación 1",
                                       "⬅️ Más nuevas", "➕ Agregar", "⬅️ Temas"]
    await harness.tap(FAMILY, "Más nuevas")
    assert harness.buttons(FAMILY)[0] == "💭 23-11-2026 · Preocupación 7"
    # Deleting the only entry of the last page shows the page before.
    await harness.tap(FAMILY, "Más antiguas")
    await harness.tap(FAMILY, "Preocupación 1")
    await harness.tap(FAMILY, "Borrar")
    await harness.tap(FAMILY, "Sí, borrar")
    await harness.tap(FAMILY, "Preocupación 2")
    await harness.tap(FAMILY, "Borrar")
    texts = await harness.tap(FAMILY, "Sí, borrar")
    assert "Página" not in texts[-1] and len([b for b in harness.buttons(FAMILY) if "Preocupación" in b]) == 5


async def test_deleting_asks_once_more_and_hides_the_entry(harness, session_factory, clock):
    unit = await _linked(harness, session_factory, clock)
    [kept, gone] = await _written(session_factory, unit, "F-001", ["Se queda", "Se va"], clock)
    await harness.tap(FAMILY, "Salud")
    shown = (await harness.tap(FAMILY, "Se va"))[-1]
    assert "💭 Nuestros intereses y preocupaciones · 23-11-2026" in shown and "Se va" in shown
    assert "🗑 ¿Borrar esto de tu cuaderno?" in (await harness.tap(FAMILY, "Borrar"))[-1]
    await harness.tap(FAMILY, "No, dejarla")
    assert harness.buttons(FAMILY) == ["🗑 Borrar", "⬅️ Volver"]
    await harness.tap(FAMILY, "Borrar")
    texts = await harness.tap(FAMILY, "Sí, borrar")
    assert texts[0] == "🗑 Listo, se borró de tu cuaderno."
    assert harness.buttons(FAMILY) == ["💭 23-11-2026 · Se queda", "➕ Agregar", "⬅️ Temas"]
    rows = {row.id: row for row in await _entries(session_factory, unit.family_ids["F-001"])}
    assert rows[gone].deleted_at == clock() and rows[kept].deleted_at is None
    assert [e.record_id for e in await _audit(session_factory, "cuaderno.delete")] == [gone]


async def test_bad_input_is_answered_kindly_and_nothing_is_saved(harness, session_factory, clock):
    unit = await _linked(harness, session_factory, clock)
    # Where only buttons make sense.
    assert "Usa los botones" in (await _send(harness, updates.sticker(FAMILY)))[0]
    await harness.tap(FAMILY, "Educación")
    await harness.tap(FAMILY, "Agregar")
    await harness.tap(FAMILY, "nota")
    cases = [
        (updates.sticker(FAMILY), "Los stickers no se guardan"),
        (updates.document(FAMILY, "carnet.pdf"), "No puedo guardar archivos"),
        (updates.location(FAMILY, -33.38, -70.67), "No puedo guardar ubicaciones"),
        (updates.message(FAMILY, "x" * 5000), "el máximo es 1000 caracteres y escribiste 5000"),
        (updates.message(FAMILY, "   "), "Está vacío"),
        (updates.message(FAMILY, "/borrar_todo"), "parece un comando"),
    ]
    for update, hint in cases:
        texts = await _send(harness, update)
        assert hint in texts[0], (hint, texts)
        assert ASK in texts[-1]  # the same step again, below the hint
    assert await _entries(session_factory, unit.family_ids["F-001"]) == []
    # Emojis alone are an entry for a family.
    texts = await harness.say(FAMILY, "🙏😟")
    assert texts[0] == "✅ Guardado en tu cuaderno."
    [entry] = await _entries(session_factory, unit.family_ids["F-001"])
    assert (entry.dimension, entry.kind, entry.text) == ("educacion", "note", "🙏😟")


async def test_another_familys_entry_is_refused_and_audited(harness, session_factory, clock):
    unit = await _linked(harness, session_factory, clock)
    await _written(session_factory, unit, "F-001", ["Lo nuestro"], clock)
    [theirs] = await _written(session_factory, unit, "F-002", ["Lo de la familia Joseph"], clock)
    await harness.tap(FAMILY, "Salud")
    message_id, data = harness.find_button(FAMILY, "Lo nuestro")
    calls = await harness.feed(updates.callback(FAMILY, data.rsplit(":", 1)[0] + f":{theirs}",
                                                message_id=message_id))
    answer = next(call for call in calls if call.method == "answerCallbackQuery")  # aiogram-dialog answers again, empty
    assert answer.params["text"] == "Eso no está en tu cuaderno." and answer.params["show_alert"] is True
    assert not any(call.method in ("sendVoice", "sendPhoto") for call in calls)
    assert not any("Joseph" in str(call.params) for call in calls)
    assert harness.buttons(FAMILY)[0] == "💭 23-11-2026 · Lo nuestro"  # still the list
    denied = await _audit(session_factory, "denied.cuaderno.view")
    assert [(e.record_type, e.record_id, e.actor_type) for e in denied] == [("cuaderno_entry", theirs, "member")]
    # A forged section changes nothing.
    await harness.tap(FAMILY, "Temas")
    message_id, data = harness.find_button(FAMILY, "Salud")
    await harness.press(FAMILY, data.rsplit(":", 1)[0] + ":deporte", message_id)
    assert "Elige un tema" in harness.last_text(FAMILY)


async def test_a_half_done_entry_survives_a_restart(harness, session_factory, clock):
    unit = await _linked(harness, session_factory, clock)
    await harness.tap(FAMILY, "Salud")
    await harness.tap(FAMILY, "Agregar")
    await harness.tap(FAMILY, "interés")
    await harness.restart()
    texts = await harness.say(FAMILY, "Que el consultorio atienda en la tarde")
    assert texts[0] == "✅ Guardado en tu cuaderno."
    await harness.tap(FAMILY, "Agregar")
    await harness.tap(FAMILY, "recurso")
    await harness.tap(FAMILY, "institución")
    await harness.restart()
    await harness.tap(FAMILY, "región")
    await harness.restart()
    await harness.feed(updates.voice(FAMILY, duration=30, file_id="voice-hospital"))
    first, second = await _entries(session_factory, unit.family_ids["F-001"])
    assert (first.dimension, first.kind, first.text) == ("salud", "interest", "Que el consultorio atienda en la tarde")
    assert (second.dimension, second.kind, second.resource_kind, second.resource_level, second.file_id) == (
        "salud", "resource", "institution", "region", "voice-hospital")
