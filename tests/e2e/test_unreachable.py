"""The database or Telegram unreachable: /healthz says 503, polling keeps the updates it could not handle
(they are handled once the database is back, once), and starting prints one sentence and keeps trying."""
import asyncio
import contextlib

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import event
from sqlmodel import select

from bot import reachability, runners
from bot.runners import HEALTH_PATH, build_webhook_app
from bot.settings import Settings, SettingsError
from storage.models import ChatAccount
from tests.support import seed, updates
from tests.support.fake_bot_api import ApiError
from tests.support.harness import BotHarness

AFI = 5401


class Outage:
    """New connections to the database are refused while `down` (as a stopped server refuses them);
    the pool is emptied when it goes down, so no connection opened before survives."""

    def __init__(self, engine):
        self.engine, self.down = engine, False
        event.listen(engine.sync_engine, "do_connect", self._connect)

    def _connect(self, *_args):
        if self.down:
            raise ConnectionRefusedError(111, "Connection refused")

    async def start(self) -> None:
        self.down = True
        await self.engine.dispose()

    def end(self) -> None:
        self.down = False


async def test_healthz_checks_the_database(harness):
    outage = Outage(harness.engine)
    app = build_webhook_app(harness.bot, harness.dispatcher, harness.settings())
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        response = await client.get(HEALTH_PATH)
        assert (response.status, await response.json()) == (200, {"ok": True})
        await outage.start()
        response = await client.get(HEALTH_PATH)
        assert (response.status, await response.json()) == (503, {"ok": False, "database": "unreachable"})
        outage.end()
        assert (await client.get(HEALTH_PATH)).status == 200


async def test_polling_keeps_updates_while_the_database_is_down_and_handles_them_once_it_is_back(
        harness, fake_api, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    outage = Outage(harness.engine)
    await outage.start()
    update = fake_api.feed(updates.command(AFI, "start", unit.afi_code))
    dispatcher = harness.dispatcher
    task = asyncio.create_task(dispatcher.start_polling(harness.bot, handle_signals=False, close_bot_session=False,
                                                        polling_timeout=1))
    try:
        # Tried, failed, and fetched again: Telegram was never told the update was handled.
        await fake_api.wait_for("getUpdates", count=2, timeout=10,
                                predicate=lambda call: call.params.get("offset") == update["update_id"])
        assert [u["update_id"] for u in fake_api.pending_updates()] == [update["update_id"]]
        assert fake_api.requests("sendMessage", chat_id=AFI) == []  # nothing promised while nothing is saved
        outage.end()
        await fake_api.wait_for("getUpdates", timeout=15,
                                predicate=lambda call: call.params.get("offset") == update["update_id"] + 1)
    finally:
        with contextlib.suppress(RuntimeError):
            await asyncio.wait_for(dispatcher.stop_polling(), 10)
        await asyncio.wait_for(task, 10)
    assert len([t for t in fake_api.texts(AFI) if "Quedaste registrado/a" in t]) == 1
    async with session_factory() as session:
        [account] = (await session.exec(select(ChatAccount))).all()
    assert account.staff_id == unit.afi_id


async def test_an_update_that_fails_for_another_reason_is_not_retried_forever(harness, fake_api):
    """Only a database that cannot be reached keeps an update: one update's own failure must not block polling."""
    update = fake_api.feed(updates.message(7401, "hola"))
    fake_api.fail_next("sendMessage", "500", count=2)  # the answer and the apology fail: the update raises
    dispatcher = harness.dispatcher
    task = asyncio.create_task(dispatcher.start_polling(harness.bot, handle_signals=False, close_bot_session=False,
                                                        polling_timeout=1))
    try:
        await fake_api.wait_for("getUpdates", timeout=10,
                                predicate=lambda call: call.params.get("offset") == update["update_id"] + 1)
    finally:
        with contextlib.suppress(RuntimeError):
            await asyncio.wait_for(dispatcher.stop_polling(), 10)
        await asyncio.wait_for(task, 10)


# ---- start-up -------------------------------------------------------------------------------------


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(reachability, "FIRST_DELAY", 0.05)
    monkeypatch.setattr(reachability, "LONGEST_DELAY", 0.1)


async def test_starting_without_the_database_prints_one_sentence_and_keeps_trying(fake_api, tmp_path, capsys,
                                                                                quick_retries):
    settings = Settings(_env_file=None, bot_token=BotHarness.TOKEN, bot_api_base_url=fake_api.base_url,
                        database_url="postgresql://acompana:s3cr3t-pw@127.0.0.1:1/acompana")
    task = asyncio.create_task(runners.run_polling(settings))
    await asyncio.sleep(1.0)  # several tries
    assert not task.done()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert lines == ["No se pudo conectar a la base de datos en 127.0.0.1:1/acompana; revisa DATABASE_URL y que "
                     "la base de datos esté en marcha. Vuelvo a intentarlo cada vez más espaciado."], err
    assert "s3cr3t-pw" not in err and "Traceback" not in err
    assert fake_api.requests("getUpdates") == []


async def test_the_database_coming_up_lets_the_start_go_on(harness, capsys, quick_retries):
    outage = Outage(harness.engine)
    await outage.start()
    waiting = asyncio.create_task(runners.wait_for_database(harness.engine, harness.settings()))
    await asyncio.sleep(0.4)
    assert not waiting.done()
    outage.end()
    await asyncio.wait_for(waiting, 5)
    assert capsys.readouterr().err.count("No se pudo conectar a la base de datos") == 1


async def test_telegram_unreachable_at_start_prints_one_sentence_then_polls(harness, fake_api, capsys, quick_retries):
    fake_api.fail_next("getMe", "502", count=4)
    await asyncio.wait_for(runners.wait_for_telegram(harness.bot, harness.settings()), 10)
    err = capsys.readouterr().err
    assert err.count("No se pudo conectar con Telegram en http://127.0.0.1:") == 1, err
    assert "BOT_API_BASE_URL" in err and "Traceback" not in err
    assert len(fake_api.requests("getMe")) == 5


async def test_a_token_telegram_refuses_is_one_sentence_not_a_retry(harness, fake_api, quick_retries):
    def refuse(_params):
        raise ApiError(401, "Unauthorized", "401")

    fake_api.on("getMe", refuse)
    with pytest.raises(SettingsError) as refused:
        await runners.wait_for_telegram(harness.bot, harness.settings())
    assert "Telegram rechazó BOT_TOKEN" in str(refused.value)
    assert len(fake_api.requests("getMe")) == 1
