"""The same update delivered twice (a webhook retry after a timeout, a polling batch fetched again) is
acknowledged and handled once: one Bono answer event, one audit row, one reply."""
import asyncio
import contextlib

from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import func, select

from bot.runners import WEBHOOK_PATH, build_webhook_app
from storage.models import AuditEvent
from storage.records import BonoFollowupEvent
from tests.support import seed, updates

FAMILY = 6001
WITH_SECRET = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"}  # harness.settings()


async def _count(session_factory, model, *where) -> int:
    async with session_factory() as session:
        return (await session.exec(select(func.count()).select_from(model).where(*where))).one()


async def _linked_family(harness, session_factory, clock) -> None:
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {code}")
    await harness.tap(FAMILY, "Acepto")


def _thanks(harness) -> list[str]:
    return [text for text in harness.api.texts(FAMILY) if "Gracias por contarnos" in text]


async def _answered_once(harness, session_factory) -> None:
    assert await _count(session_factory, BonoFollowupEvent) == 1
    assert await _count(session_factory, AuditEvent, AuditEvent.action == "bono.answer.cobrado") == 1
    assert len(_thanks(harness)) == 1


async def test_webhook_retry_of_a_bono_answer_is_handled_once(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock)
    answer = updates.callback(FAMILY, "bono:2026-11:cobrado", message_id=1)
    await harness.restart()  # a Dispatcher that has not handled updates yet (aiogram-dialog checks at start-up)
    app = build_webhook_app(harness.bot, harness.dispatcher, harness.settings())
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        for _ in range(2):
            response = await client.post(WEBHOOK_PATH, json=answer, headers=WITH_SECRET)
            assert response.status == 200  # the second one too: Telegram must stop retrying
        # Two deliveries at the same moment (a retry while the first is still in progress).
        again = updates.callback(FAMILY, "bono:2026-11:todavia_no", message_id=1)
        responses = await asyncio.gather(*(client.post(WEBHOOK_PATH, json=again, headers=WITH_SECRET)
                                           for _ in range(2)))
        assert [r.status for r in responses] == [200, 200]
    assert await _count(session_factory, BonoFollowupEvent) == 2  # "cobrado" once, "todavía no" once
    assert await _count(session_factory, AuditEvent, AuditEvent.action == "bono.answer.cobrado") == 1
    assert await _count(session_factory, AuditEvent, AuditEvent.action == "bono.answer.todavia_no") == 1


async def test_polling_the_same_update_twice_handles_it_once(harness, fake_api, session_factory, clock):
    await _linked_family(harness, session_factory, clock)
    answer = updates.callback(FAMILY, "bono:2026-11:cobrado", message_id=1)
    await harness.restart()  # a Dispatcher that has not handled updates yet (aiogram-dialog checks at start-up)
    dispatcher = harness.dispatcher
    task = asyncio.create_task(dispatcher.start_polling(harness.bot, handle_signals=False, close_bot_session=False,
                                                        polling_timeout=1))
    try:
        fake_api.feed(answer)
        await fake_api.wait_for("getUpdates", predicate=lambda c: c.params.get("offset") == answer["update_id"] + 1)
        # Telegram hands it again (as after a restart before the offset reached it).
        fake_api.feed(dict(answer))
        await fake_api.wait_for("getUpdates", count=2,
                                predicate=lambda c: c.params.get("offset") == answer["update_id"] + 1)
        await asyncio.sleep(0.2)
    finally:
        with contextlib.suppress(RuntimeError):
            await asyncio.wait_for(dispatcher.stop_polling(), 10)
        await asyncio.wait_for(task, 10)
    await _answered_once(harness, session_factory)
