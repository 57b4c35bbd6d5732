"""No personal data in the logs, even at LOG_LEVEL=DEBUG: every logger (ours and every library's) is captured
while people link, a family accepts the notice, an AFI opens a family card and records a session with a typed
note, a family writes a note in its cuaderno and answers the Bono question. A RUN (both formats), a name,
a phone or anything typed must not appear in any captured line."""
import logging
import re

import pytest

from bot.logs import QUIET_LIBRARIES, configure_logging
from program.run import check_digit
from tests.support import seed

AFI, FAMILY = 5001, 6001
NOTE = "Firmaron la Carta; la hija mayor no estaba"
CUADERNO = "Llamar a la vecina Rosa al +56 9 8765 4321"


def _runs(body: int) -> list[str]:
    digit = check_digit(body)
    dotted = f"{body:,}".replace(",", ".")
    return [f"{dotted}-{digit}", f"{body}-{digit}"]


PERSONAL = [
    *_runs(12_345_678), *_runs(12_345_679), *_runs(12_345_680),  # the seeded cohort's RUNs
    "María", "Pérez Soto", "Pedro", "Jean Joseph", "Carla Rojas", "Luis Díaz",  # seeded names
    "+56 9 8765 4321", "987654321", "8765 4321",  # a phone, as typed
    NOTE, "hija mayor", CUADERNO, "vecina Rosa",  # typed text
]
FIRST_NAME = re.compile(r"\bAna\b")  # every fake Telegram user's first name


@pytest.fixture
def debug_logs(caplog):  # listed first by the test: set before the engine and Bot exist
    """LOG_LEVEL=DEBUG as the CLI applies it, every logger captured; library levels restored afterwards."""
    saved = {name: logging.getLogger(name).level for name in QUIET_LIBRARIES}
    caplog.set_level(logging.DEBUG)
    configure_logging("DEBUG")
    yield caplog
    for name, level in saved.items():
        logging.getLogger(name).setLevel(level)


def personal_lines(records: list[logging.LogRecord]) -> list[str]:
    found = []
    for record in records:
        try:
            text = f"{record.name} {record.getMessage()} {record.exc_text or ''}"
        except Exception:  # noqa: BLE001 — a record that cannot be formatted is still looked at raw
            text = f"{record.name} {record.msg!r} {record.args!r}"
        if any(value in text for value in PERSONAL) or FIRST_NAME.search(text):
            found.append(text[:300])
    return found


async def test_end_to_end_flows_at_debug_leave_no_personal_data(debug_logs, harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    assert any("Hola, Carla Rojas" in text for text in await harness.say(AFI, f"/start {unit.afi_code}"))
    family_code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id,
                                         family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {family_code}")
    await harness.tap(FAMILY, "Acepto")

    await harness.tap(AFI, "Mis familias")
    assert "12.345.678-5" in (await harness.tap(AFI, "Pérez Soto"))[-1]  # the card shows the RUN...
    await harness.say(AFI, "/menu")
    await harness.tap(AFI, "Registrar sesión")
    await harness.tap(AFI, "Pérez Soto")
    await harness.tap(AFI, "⭐ S1")
    await harness.tap(AFI, "Hoy")
    await harness.tap(AFI, "Realizada")
    await harness.tap(AFI, "Todo realizado")
    await harness.say(AFI, "30-11-2026")
    await harness.tap(AFI, "10:00")
    await harness.say(AFI, NOTE)
    assert any("Guardado ✅" in text for text in await harness.tap(AFI, "Guardar"))

    await harness.say(FAMILY, "/menu")
    await harness.tap(FAMILY, "Mi cuaderno")
    await harness.tap(FAMILY, "Salud")
    await harness.tap(FAMILY, "Agregar")
    await harness.tap(FAMILY, "nota")
    assert (await harness.say(FAMILY, CUADERNO))[0] == "✅ Guardado en tu cuaderno."
    texts = await harness.press(FAMILY, "bono:2026-11:cobrado", message_id=1)
    assert any("Gracias por contarnos" in text for text in texts)

    assert len(debug_logs.records) > 0  # the capture works: our own DEBUG/INFO lines are there
    leaks = personal_lines(debug_logs.records)
    print(f"personal-data lines at DEBUG: {len(leaks)} of {len(debug_logs.records)}")
    assert leaks == [], "\n".join(leaks[:20])
