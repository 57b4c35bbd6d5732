"""👥 Mis familias, the family card, the invitation QR and the jefe's reassignment, through the fake Bot API."""
from datetime import UTC, date, datetime

from sqlmodel import select

from program.access import Actor
from program.roles import Role
from program.run import check_digit, format_run
from program.session_draft import PlanRow, SessionDraft
from services import session_records, units
from services.cohort_import import import_cohort
from storage import records_repo
from storage.models import AuditEvent, Family
from storage.records import MatrizState
from tests.support import seed

AFI, JEFE, AFI2, FAMILY = 5001, 5002, 5003, 6001
NOW = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # the FakeClock's: 12:00 in Santiago
NEXT_VISIT = datetime(2026, 12, 2, 13, 30, tzinfo=UTC)  # 10:30 in Santiago


async def _history(session_factory, unit) -> None:
    """F-001 held S1 and S2 (Línea Base, two plan rows, the next visit), then nothing: S3 is overdue.
    Its Línea de Salida is written through the repository (S22 is far ahead)."""
    actor = Actor(role=Role.AFI, unit_id=unit.unit_id, staff_id=unit.afi_id)
    family_id = unit.family_ids["F-001"]
    async with session_factory() as session:
        for code, held_on, extra in (
            ("S1", date(2026, 6, 20), {}),
            ("S2", date(2026, 6, 27), {"matriz": {"i32": "a_trabajar"}, "next_visit_at": NEXT_VISIT,
                                       "plan_rows": [PlanRow("salud", "Controles al día", "CESFAM", "Pedir hora",
                                                             deadline=date(2026, 12, 15))]}),
        ):
            await session_records.record_session(session, actor=actor, now=NOW,
                                                 draft=SessionDraft(family_id=family_id, code=code, held_on=held_on,
                                                                    **extra))
        await records_repo.add(session, MatrizState(family_id=family_id, indicator_code="i32", moment="linea_salida",
                                                    state="logrado"))
        await session.commit()


def _run(body: int) -> str:
    return format_run(f"{body}-{check_digit(body)}")


def _answers(harness) -> list[str]:
    """The texts of the little notices (callback answers) shown so far; aiogram-dialog adds empty ones."""
    return [call.params["text"] for call in harness.api.requests("answerCallbackQuery") if call.params.get("text")]


async def _audit(session_factory, action: str) -> list[AuditEvent]:
    async with session_factory() as session:
        return list((await session.exec(select(AuditEvent).where(AuditEvent.action == action))).all())


async def test_afi_sees_markers_and_the_family_card(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await _history(session_factory, unit)
    await harness.say(AFI, f"/start {unit.afi_code}")
    listing = (await harness.tap(AFI, "Mis familias"))[-1]
    assert "👥 Tus familias: 1" in listing
    assert "⚠️ Pérez Soto · F-001 · Construcción de Planes" in listing
    assert "Última: S2 27-06-2026 · Próxima: S3 hasta 19-08-2026 ⚠️" in listing
    assert "📋 Compromisos abiertos: 1 · 💵 Bono: —" in listing
    assert harness.buttons(AFI) == ["⚠️ Pérez Soto · F-001", "⬅️ Menú"]

    card = (await harness.tap(AFI, "Pérez Soto"))[-1]
    for line in ("Etapa: Construcción de Planes", "Última sesión: S2 27-06-2026", "Próxima sesión: S3 hasta 19-08-2026",
                 "Próxima visita: 02-12-2026 10:30", "📋 Compromisos abiertos: 1",
                 "Persona representante: ❌ aún no usa Acompaña", "• Apoyo Familiar Integral: Carla Rojas",
                 "12.345.678-5"):
        assert line in card, line
    assert "🔁 Reasignar" not in harness.buttons(AFI)

    sessions = (await harness.tap(AFI, "Sesiones"))[-1]
    assert sessions.index("S2 · 27-06-2026 · ✅ Realizada") < sessions.index("S1 · 20-06-2026 · ✅ Realizada")
    await harness.tap(AFI, "Ficha de la familia")
    plan = (await harness.tap(AFI, "Plan"))[-1]
    assert "🩺 Salud\n• Controles al día → Pedir hora\n   la familia · plazo 15-12-2026 · ⏳ pendiente" in plan
    await harness.tap(AFI, "Ficha de la familia")
    matriz = (await harness.tap(AFI, "Matriz"))[-1]
    assert "🩺 Salud\n• i32 " in matriz and ": 🔧 A trabajar → 🏆 Logrado" in matriz
    await harness.tap(AFI, "Ficha de la familia")
    await harness.tap(AFI, "Mis familias")
    assert "Hola, Carla Rojas" in (await harness.tap(AFI, "Menú"))[-1]


async def test_invite_sends_the_code_as_text_and_qr_and_the_code_links_the_family(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI, f"/start {unit.afi_code}")
    await harness.tap(AFI, "Mis familias")
    await harness.tap(AFI, "Pérez Soto")
    await harness.tap(AFI, "Invitar")
    [photo] = harness.api.requests("sendPhoto", chat_id=AFI)
    caption = photo.params["caption"]
    code = caption.split("Código: ")[1].split()[0]
    assert "Vale una sola vez, hasta el 07-12-2026 12:00." in caption  # 14 days, Santiago time
    png = photo.params["photo"].data
    assert png.startswith(b"\x89PNG")
    # 8 px per module and a 4-module quiet zone around a full-size QR symbol (21 + 4k modules a side).
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    modules = width // 8 - 2 * 4
    assert width == height and width % 8 == 0 and modules >= 21 and (modules - 21) % 4 == 0
    assert f"https://t.me/acompana_test_bot?start={code}" in harness.api.texts(chat_id=AFI)[-3]
    assert "Ley 21.719" in (await harness.say(FAMILY, f"/start {code}"))[-1]
    # The card says the representative opened the code (and has yet to accept the notice).
    await harness.say(AFI, "/menu")
    await harness.tap(AFI, "Mis familias")
    assert "⏳ abrió el código" in (await harness.tap(AFI, "Pérez Soto"))[-1]


async def test_jefe_searches_and_pages_the_unit(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    rows = "\n".join(f"F-1{i:02d},Familia {i:02d},Centro,aps,Ana,Familia {i:02d},{_run(20_000_000 + i)},madre,sí,sí"
                     for i in range(7))
    async with session_factory() as session:
        report = await import_cohort(session, unit_id=unit.unit_id, text=seed.COHORT.splitlines()[0] + "\n" + rows)
        assert not report.errors, report.errors
        await session.commit()
    await harness.say(JEFE, f"/start {unit.jefe_code}")
    first = (await harness.tap(JEFE, "Mis familias"))[-1]
    assert "👥 Tus familias: 9" in first and first.count("\n🕐 ") == 6  # one page: six families and their details
    labels = harness.buttons(JEFE)
    assert labels[0] == "🕐 Familia 00 · F-100" and labels[6:11] == ["1", "<", "1", ">", "2"]  # the pager
    second = (await harness.tap(JEFE, ">"))[-1]
    assert "Pérez Soto · F-001" in second and "Familia 00" not in second

    found = (await harness.say(JEFE, "jean"))[-1]
    assert "🔎 «jean»" in found and "Joseph · F-002" in found and "Pérez Soto" not in found
    assert harness.buttons(JEFE) == ["🕐 Joseph · F-002", "✖️ Quitar búsqueda", "⬅️ Menú"]
    assert "No encontré familias" in (await harness.say(JEFE, "zzz"))[-1]
    assert "👥 Tus familias: 9" in (await harness.tap(JEFE, "Quitar búsqueda"))[-1]


async def test_jefe_reassigns_a_family_to_another_afi(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    async with session_factory() as session:
        ana, ana_code = await units.add_staff(session, unit_id=unit.unit_id, name="Ana Soto", role="afi", now=clock())
        await session.commit()
    await harness.say(JEFE, f"/start {unit.jefe_code}")
    await harness.tap(JEFE, "Mis familias")
    await harness.tap(JEFE, "Pérez Soto")
    assert "Reasignar la familia Pérez Soto · F-001" in (await harness.tap(JEFE, "Reasignar"))[-1]
    assert harness.buttons(JEFE)[:3] == ["Apoyo Familiar Integral", "Gestor/a Sociocomunitario/a", "Gestor/a Familiar"]
    assert "Ahora: Carla Rojas" in (await harness.tap(JEFE, "Apoyo Familiar Integral"))[-1]
    assert harness.buttons(JEFE)[:2] == ["Ana Soto", "✓ Carla Rojas"]
    assert "a Ana Soto como Apoyo Familiar Integral?" in (await harness.tap(JEFE, "Ana Soto"))[-1]
    card = (await harness.tap(JEFE, "Confirmar"))[-1]
    assert "• Apoyo Familiar Integral: Ana Soto" in card
    assert "Listo: la familia quedó asignada a Ana Soto." in _answers(harness)
    [event] = await _audit(session_factory, "family.reassign")
    assert (event.actor_id, event.record_id) == (unit.jefe_id, unit.family_ids["F-001"])

    await harness.say(AFI2, f"/start {ana_code}")
    assert "👥 Tus familias: 1" in (await harness.tap(AFI2, "Mis familias"))[-1]
    assert harness.buttons(AFI2)[0] == "🕐 Pérez Soto · F-001"
    await harness.say(AFI, f"/start {unit.afi_code}")
    assert "Aún no tienes familias asignadas" in (await harness.tap(AFI, "Mis familias"))[-1]


async def test_an_afi_forging_the_reassign_button_is_refused_and_audited(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI, f"/start {unit.afi_code}")
    await harness.tap(AFI, "Mis familias")
    await harness.tap(AFI, "Pérez Soto")
    message_id, data = harness.find_button(AFI, "Mis familias")
    forged = data.rsplit("\x1d", 1)[0] + "\x1dreassign"
    texts = await harness.press(AFI, forged, message_id)
    assert not any("Reasignar la familia" in text for text in texts)
    assert "Solo la jefatura de la unidad puede reasignar familias." in _answers(harness)
    [event] = await _audit(session_factory, "denied.family.reassign")
    assert (event.actor_id, event.record_id) == (unit.afi_id, unit.family_ids["F-001"])
    async with session_factory() as session:
        assert (await session.get(Family, unit.family_ids["F-001"])).afi_id == unit.afi_id
