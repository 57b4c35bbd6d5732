"""A visit recorded with a next date reaches the family the evening before and that morning, and the AFI's
digest lists it — at the right local times, through a restart, once; /avisos turns reminders off."""
from datetime import UTC, datetime

from tests.e2e.test_session_record import AFI, _start
from tests.support import seed

FAMILY = 6001
UTC = UTC


async def _family_links(harness, session_factory, clock, unit) -> None:
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {code}")
    await harness.tap(FAMILY, "Acepto")


async def _record_s8_with_next_visit(harness, tap) -> None:
    await tap("Registrar sesión")
    await tap("Pérez Soto")
    await tap("⭐ S8")
    await tap("Hoy")
    await tap("Realizada")
    await tap("Todo realizado")
    await tap("✅ Cobrado")
    await tap("Listo")
    await harness.say(AFI, "25-11-2026")
    await harness.say(AFI, "11:00")
    await tap("Omitir")
    await tap("Guardar")


def _texts(harness, chat_id: int) -> list[str]:
    return [c.params["text"] for c in harness.api.requests("sendMessage", chat_id=chat_id) if not c.fault]


async def test_visit_reminders_and_the_afi_digest_arrive_once_at_local_times(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await _family_links(harness, session_factory, clock, unit)
    await _record_s8_with_next_visit(harness, tap)
    await harness.plan()  # the hourly run adds the AFI's digest for Wednesday
    before = len(_texts(harness, FAMILY))

    clock.now = datetime(2026, 11, 24, 21, 59, tzinfo=UTC)  # 18:59 in Santiago: not yet
    assert (await harness.delivery().tick()).claimed == 0
    clock.now = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)  # 19:00 the evening before
    await harness.delivery().tick()
    reminder = _texts(harness, FAMILY)[before:]
    assert reminder == ["🔔 Recordatorio: mañana 25-11-2026 a las 11:00 tienes visita de Carla Rojas, del Programa "
                        "Familias.\nSi no puedes, avisa a tu unidad (/ayuda)."]

    await harness.restart()  # a deploy in the night: nothing is sent twice, nothing at night
    clock.now = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    await harness.plan()
    assert (await harness.delivery().tick()).claimed == 0

    clock.now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # 09:00 on the day
    await harness.delivery().tick()
    assert _texts(harness, FAMILY)[before + 1:] == [
        "🔔 Hoy a las 11:00 tienes visita de Carla Rojas, del Programa Familias.\nSi no puedes, avisa a tu unidad "
        "(/ayuda)."]
    digest = _texts(harness, AFI)[-1]
    assert digest.startswith("☀️ Tu día en Acompaña · 25-11-2026")
    assert "🏠 Visitas de hoy:\n• 11:00 · Pérez Soto · F-001" in digest
    await harness.plan()
    assert (await harness.delivery().tick()).claimed == 0
    assert len(_texts(harness, FAMILY)) == before + 2


async def test_avisos_off_stops_reminders_but_not_the_bono_question(harness, session_factory, clock):
    unit, tap = await _start(harness, session_factory, clock)
    await _family_links(harness, session_factory, clock, unit)
    texts = await harness.say(FAMILY, "/avisos")
    assert "🔔 Ahora recibes recordatorios" in texts[-1] and "Bono de Protección seguirá llegando" in texts[-1]
    texts = await harness.tap(FAMILY, "No recibirlos")
    assert "🔕 Ahora no recibes recordatorios." in texts[-1]
    await _record_s8_with_next_visit(harness, tap)
    clock.now = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    result = await harness.delivery().tick()
    assert result.outcomes == {}  # not even planned: the family turned reminders off
    assert "Recordatorio" not in " ".join(_texts(harness, FAMILY))
    # A professional without a role-less account gets the kind explanation instead.
    assert "código" in (await harness.say(7777, "/avisos"))[-1]
