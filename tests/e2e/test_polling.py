"""Long polling against the fake Bot API: the embedded default (`python -m bot run`)."""
import asyncio
import contextlib
import logging
import os
import signal

import pytest_asyncio
from sqlmodel import select

from bot import runners
from bot.settings import Settings
from storage.engine import make_engine, make_session_factory
from storage.models import ChatAccount, CodeAttempt
from tests.support import seed, updates
from tests.support.harness import BotHarness

AFI_USER, STRANGER = 5201, 7201
WELCOME = "necesitas un código"


@contextlib.asynccontextmanager
async def polling(dispatcher, run):
    """Run `run` (a coroutine that polls) as a task; stop the dispatcher's polling on the way out."""
    task = asyncio.create_task(run)
    try:
        yield task
    finally:
        if not task.done():
            await asyncio.wait_for(dispatcher.stop_polling(), 10)
        await asyncio.wait_for(task, 10)  # also raises what polling raised


def _offset_confirmed(update: dict):
    return lambda call: call.params.get("offset") == update["update_id"] + 1


async def test_polling_answers_a_stranger_and_confirms_the_update(harness, fake_api):
    update = fake_api.feed(updates.command(STRANGER, "start"))
    dispatcher = harness.dispatcher
    async with polling(dispatcher, dispatcher.start_polling(harness.bot, handle_signals=False,
                                                            close_bot_session=False, polling_timeout=1)):
        await fake_api.wait_for("sendMessage", chat_id=STRANGER)
        assert WELCOME in fake_api.texts(STRANGER)[-1]
        await fake_api.wait_for("getUpdates", predicate=_offset_confirmed(update))
        assert fake_api.confirmed_offset == update["update_id"] + 1
        assert fake_api.pending_updates() == []
        later = fake_api.feed(updates.message(STRANGER, "hola"))
        await fake_api.wait_for("sendMessage", chat_id=STRANGER, count=2)
        await fake_api.wait_for("getUpdates", predicate=_offset_confirmed(later))
    await runners.drain(dispatcher)


# ---- the runner: prepare() + poll(), as run_polling composes them ----------------------------------


@pytest_asyncio.fixture
async def settings(fake_api, fresh_database_url) -> Settings:
    return Settings(_env_file=None, bot_token=BotHarness.TOKEN, bot_api_base_url=fake_api.base_url,
                    database_url=fresh_database_url)


@pytest_asyncio.fixture
async def runtime(settings):
    runtime = await runners.prepare(settings)
    yield runtime
    await runtime.close()


async def test_runner_sets_menus_deletes_webhook_and_answers(fake_api, runtime):
    defaults = [call.params for call in fake_api.requests("setMyCommands")]
    assert [params.get("language_code") for params in defaults] == [None, "en"]
    assert all(params["scope"] == {"type": "default"} for params in defaults)
    fake_api.webhook_url = "https://old.example.cl/telegram/webhook"  # left over from webhook mode
    update = fake_api.feed(updates.command(STRANGER, "start"))
    async with polling(runtime.dispatcher, runners.poll(runtime, handle_signals=False, polling_timeout=1)):
        await fake_api.wait_for("sendMessage", chat_id=STRANGER)
        assert WELCOME in fake_api.texts(STRANGER)[-1]
        await fake_api.wait_for("getUpdates", predicate=_offset_confirmed(update))
    [delete] = fake_api.requests("deleteWebhook")
    assert delete.params.get("drop_pending_updates") in (None, False)  # what arrived meanwhile is kept
    assert fake_api.webhook_url == ""


async def test_failing_command_menus_do_not_stop_the_start(fake_api, settings, caplog):
    fake_api.fail_next("setMyCommands", "500", count=5)
    with caplog.at_level(logging.WARNING):
        runtime = await runners.prepare(settings)
    try:
        assert "could not set default command menus" in caplog.text
        fake_api.feed(updates.command(STRANGER, "start"))
        async with polling(runtime.dispatcher, runners.poll(runtime, handle_signals=False, polling_timeout=1)):
            await fake_api.wait_for("sendMessage", chat_id=STRANGER)
            assert WELCOME in fake_api.texts(STRANGER)[-1]
    finally:
        await runtime.close()


async def test_hanging_command_menus_do_not_hold_up_the_start(fake_api, settings, caplog, monkeypatch):
    monkeypatch.setattr(runners, "STARTUP_CALL_TIMEOUT", 0.3)
    fake_api.fail_next("setMyCommands", "timeout")  # the fake API answers only when it stops
    loop = asyncio.get_running_loop()
    started = loop.time()
    with caplog.at_level(logging.WARNING):
        runtime = await runners.prepare(settings)
    try:
        assert loop.time() - started < 10
        assert "could not set the default command menus (TimeoutError); starting anyway" in caplog.text
        fake_api.feed(updates.command(STRANGER, "start"))
        async with polling(runtime.dispatcher, runners.poll(runtime, handle_signals=False, polling_timeout=1)):
            await fake_api.wait_for("sendMessage", chat_id=STRANGER)
    finally:
        await runtime.close()


async def test_failing_delete_webhook_does_not_stop_the_start(fake_api, runtime, caplog):
    fake_api.fail_next("deleteWebhook", "502")
    fake_api.feed(updates.command(STRANGER, "start"))
    with caplog.at_level(logging.WARNING):
        async with polling(runtime.dispatcher, runners.poll(runtime, handle_signals=False, polling_timeout=1)):
            await fake_api.wait_for("sendMessage", chat_id=STRANGER)
    assert "could not delete the webhook" in caplog.text


async def test_stopping_lets_the_update_in_progress_finish(fake_api, runtime, settings, clock):
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    try:
        unit = await seed.unit_with_families(factory, clock())
        fake_api.timeout_delay = 0.5  # the chat's command menu answers after half a second
        fake_api.fail_next("setMyCommands", "timeout")
        fake_api.feed(updates.command(AFI_USER, "start", unit.afi_code))
        async with polling(runtime.dispatcher, runners.poll(runtime, handle_signals=False, polling_timeout=1)):
            await fake_api.wait_for("setMyCommands", chat_id=None,
                                    predicate=lambda call: (call.params.get("scope") or {}).get("type") == "chat")
        # poll() returned: the update that was in progress when polling stopped was finished and committed.
        assert any("Quedaste registrado/a" in text for text in fake_api.texts(AFI_USER))
        async with factory() as session:
            [account] = (await session.exec(select(ChatAccount))).all()
        assert account.staff_id == unit.afi_id
    finally:
        await engine.dispose()


async def test_housekeeping_runs_while_polling(fake_api, runtime, settings, clock):
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    try:
        async with factory() as session:
            session.add(CodeAttempt(telegram_user_id=1, at=clock().replace(year=2000)))
            await session.commit()
        async with polling(runtime.dispatcher, runners.poll(runtime, handle_signals=False, polling_timeout=1)):
            for _ in range(100):
                async with factory() as session:
                    if not (await session.exec(select(CodeAttempt))).all():
                        break
                await asyncio.sleep(0.05)
            else:
                raise AssertionError("the purge did not run")
    finally:
        await engine.dispose()


async def test_run_polling_until_sigterm(fake_api, settings):
    """`python -m bot run` as a whole: migrate, start, answer, stop on SIGTERM, close everything."""
    update = fake_api.feed(updates.command(STRANGER, "start"))
    task = asyncio.create_task(runners.run_polling(settings))
    try:
        await fake_api.wait_for("sendMessage", chat_id=STRANGER)
        await fake_api.wait_for("getUpdates", predicate=_offset_confirmed(update))
    finally:
        if not task.done() and fake_api.requests("getUpdates"):
            # Polling has started, so aiogram's SIGTERM handler is installed on this loop.
            os.kill(os.getpid(), signal.SIGTERM)
        elif not task.done():
            task.cancel()
        await asyncio.wait_for(task, 10)
    assert WELCOME in fake_api.texts(STRANGER)[-1]
