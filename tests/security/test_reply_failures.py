"""A confirmation means the data is committed, once: Telegram failing the reply that confirms a write
(5xx, 429) never undoes the write, a 429 on an interactive reply is waited out, and the same update
delivered again (a webhook retry) changes nothing."""
import asyncio

import pytest
from aiogram.exceptions import TelegramServerError
from sqlmodel import func, select

from storage.models import AuditEvent
from storage.processed_updates import ProcessedUpdate
from storage.records import BonoFollowupEvent, SessionRecord
from tests.support import seed, updates

AFI, FAMILY = 5001, 6001
NOTE = "Firmaron la Carta de Compromiso."


async def _count(session_factory, model, *where) -> int:
    async with session_factory() as session:  # a session of its own: sees only what was committed
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()


async def _audits(session_factory, action: str) -> int:
    return await _count(session_factory, AuditEvent, AuditEvent.action == action)


async def _ready_to_save_s1(harness, session_factory, clock) -> dict:
    """The AFI has filled in S1 for F-001 and sees «Guardar»; returns the update that taps it."""
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI, f"/start {unit.afi_code}")
    for label in ("Registrar sesión", "Pérez Soto", "⭐ S1", "Hoy", "Realizada", "Todo realizado"):
        await harness.tap(AFI, label)
    await harness.say(AFI, "30-11-2026")
    await harness.tap(AFI, "10:00")
    await harness.say(AFI, NOTE)
    message_id, data = harness.find_button(AFI, "Guardar")
    return updates.callback(AFI, data, message_id=message_id)


@pytest.mark.parametrize("fault", ["500", "502"])
async def test_a_session_record_whose_confirmation_fails_is_saved_once(harness, session_factory, clock, fault):
    save = await _ready_to_save_s1(harness, session_factory, clock)
    harness.api.fail_next("sendMessage", fault)  # «Guardado ✅ S1 · Pérez Soto» does not arrive
    texts = harness._texts(await harness.feed(save), AFI)
    assert not any("Guardado ✅" in text for text in texts)
    assert any("lo que acabas de hacer quedó guardado" in text for text in texts), texts  # the apology says what is true
    assert await _count(session_factory, SessionRecord) == 1
    assert await _audits(session_factory, "session.record") == 1

    assert "¿Qué necesitas?" in harness.last_text(AFI)  # a fresh menu below the apology

    assert await harness.feed(save) == []  # Telegram delivers the same update again: acknowledged, skipped
    query = save["callback_query"]  # the person taps the old «Guardar» again: stale now, nothing saved twice
    texts = harness._texts(await harness.feed(updates.callback(AFI, query["data"],
                                                               message_id=query["message"]["message_id"])), AFI)
    assert "Ese botón es de una conversación anterior" in texts[0], texts
    assert await _count(session_factory, SessionRecord) == 1
    assert await _audits(session_factory, "session.record") == 1
    assert "¿Qué necesitas?" in (await harness.say(AFI, "/menu"))[-1]  # and the person goes on


async def test_a_session_record_saved_when_even_the_apology_fails(harness, session_factory, clock):
    save = await _ready_to_save_s1(harness, session_factory, clock)
    harness.api.fail_next("*", "500", count=3)  # the confirmation, then both parts of the apology
    with pytest.raises(TelegramServerError):  # the webhook answers 500 to this: Telegram will redeliver
        await harness.feed(save)
    assert await _count(session_factory, SessionRecord) == 1
    assert await harness.feed(save) == []  # the redelivery finds the work done
    assert await _count(session_factory, SessionRecord) == 1
    assert await _audits(session_factory, "session.record") == 1


async def test_a_429_on_the_confirmation_is_waited_out_and_shown(harness, session_factory, clock):
    save = await _ready_to_save_s1(harness, session_factory, clock)
    harness.api.fail_next("*", "429", retry_after=1)
    loop = asyncio.get_running_loop()
    started = loop.time()
    texts = harness._texts(await harness.feed(save), AFI)
    assert loop.time() - started >= 1  # Telegram's retry_after was honoured, once
    assert any("Guardado ✅ S1 · Pérez Soto" in text for text in texts), texts
    assert await _count(session_factory, SessionRecord) == 1


async def test_a_long_flood_wait_is_not_waited_in_a_chat_and_the_record_stays(harness, session_factory, clock):
    save = await _ready_to_save_s1(harness, session_factory, clock)
    harness.api.fail_next("sendMessage", "429", retry_after=30)  # longer than a person should wait
    loop = asyncio.get_running_loop()
    started = loop.time()
    texts = harness._texts(await harness.feed(save), AFI)
    assert loop.time() - started < 5
    assert any("lo que acabas de hacer quedó guardado" in text for text in texts), texts
    assert await _count(session_factory, SessionRecord) == 1


async def _family_asked_about_the_bono(harness, session_factory, clock) -> dict:
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {code}")
    await harness.tap(FAMILY, "Acepto")
    return updates.callback(FAMILY, "bono:2026-11:cobrado", message_id=1)


@pytest.mark.parametrize("fault", ["500", "429"])
async def test_a_bono_answer_whose_thanks_fail_is_saved_once(harness, session_factory, clock, fault):
    answer = await _family_asked_about_the_bono(harness, session_factory, clock)
    # «¡Gracias! ✅» fails (a 429 three times: more than an interactive reply waits); the apology arrives.
    harness.api.fail_next("answerCallbackQuery", fault, count=3 if fault == "429" else 1, retry_after=1)
    texts = harness._texts(await harness.feed(answer), FAMILY)
    assert any("lo que acabas de hacer quedó guardado" in text for text in texts), texts
    assert await _count(session_factory, BonoFollowupEvent) == 1
    assert await _audits(session_factory, "bono.answer.cobrado") == 1
    await harness.feed(answer)  # redelivered
    assert await _count(session_factory, BonoFollowupEvent) == 1
    assert await _audits(session_factory, "bono.answer.cobrado") == 1


async def test_a_redelivered_bono_answer_is_acknowledged_and_skipped(harness, session_factory, clock):
    answer = await _family_asked_about_the_bono(harness, session_factory, clock)
    texts = harness._texts(await harness.feed(answer), FAMILY)
    assert any("Gracias por contarnos" in text for text in texts)
    assert await harness.feed(answer) == []  # no second "gracias", no second event
    assert await _count(session_factory, BonoFollowupEvent) == 1
    assert await _audits(session_factory, "bono.answer.cobrado") == 1
    assert await _count(session_factory, ProcessedUpdate, ProcessedUpdate.update_id == answer["update_id"]) == 1
