"""The webhook runner: the real aiohttp app, the real Dispatcher, the fake Bot API, a real database."""
import asyncio
import logging
import socket

import aiohttp
import pytest
import pytest_asyncio
from aiohttp.test_utils import TestClient, TestServer
from sqlmodel import select

from bot import runners
from bot.runners import HEALTH_PATH, WEBHOOK_PATH, build_webhook_app
from bot.settings import Settings, SettingsError
from storage.models import ChatAccount, CodeAttempt, InviteCode
from tests.support import seed, updates
from tests.support.harness import BotHarness

AFI_USER, STRANGER = 5101, 7101
SECRET = "s3cret-token"  # harness.settings()
WITH_SECRET = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


@pytest_asyncio.fixture
async def client(harness):
    app = build_webhook_app(harness.bot, harness.dispatcher, harness.settings())
    async with TestClient(TestServer(app, host="127.0.0.1")) as client:
        yield client


async def _accounts(session_factory) -> list[ChatAccount]:
    async with session_factory() as session:  # its own engine: sees only what was committed
        return list((await session.exec(select(ChatAccount))).all())


async def _invite(session_factory, staff_id: int) -> InviteCode:
    async with session_factory() as session:
        return (await session.exec(select(InviteCode).where(InviteCode.staff_id == staff_id))).one()


async def test_update_with_the_secret_is_answered(client, fake_api):
    response = await client.post(WEBHOOK_PATH, json=updates.message(STRANGER, "hola"), headers=WITH_SECRET)
    assert response.status == 200
    assert await response.json() == {}  # the reply goes through the API, not in the webhook response
    await fake_api.wait_for("sendMessage", chat_id=STRANGER)
    assert "necesitas un código" in fake_api.texts(STRANGER)[-1]


@pytest.mark.parametrize("headers", [{}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"},
                                     {"X-Telegram-Bot-Api-Secret-Token": SECRET + "x"},
                                     {"X-Telegram-Bot-Api-Secret-Token": ""}],
                         ids=["missing", "wrong", "longer", "empty"])
async def test_update_without_the_secret_is_rejected_and_not_processed(client, fake_api, session_factory, clock,
                                                                       headers):
    unit = await seed.unit_with_families(session_factory, clock())
    update = updates.command(AFI_USER, "start", unit.afi_code)
    response = await client.post(WEBHOOK_PATH, json=update, headers=headers)
    assert response.status == 401
    # A wrong code too: it would leave a code attempt behind if it were processed.
    response = await client.post(WEBHOOK_PATH, json=updates.command(AFI_USER, "start", "WRONG-CODE"),
                                 headers=headers)
    assert response.status == 401
    await asyncio.sleep(0.2)
    assert fake_api.calls == []
    assert await _accounts(session_factory) == []
    assert (await _invite(session_factory, unit.afi_id)).used_at is None
    async with session_factory() as session:
        assert (await session.exec(select(CodeAttempt))).all() == []


async def test_healthz(client):
    response = await client.get(HEALTH_PATH)
    assert response.status == 200
    assert await response.json() == {"ok": True}


async def test_only_post_on_the_webhook_path(client):
    assert (await client.get(WEBHOOK_PATH, headers=WITH_SECRET)).status == 405
    assert (await client.post("/", json={}, headers=WITH_SECRET)).status == 404


async def test_response_only_after_the_update_was_handled_and_committed(client, fake_api, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    # The chat's command menu answers after 0.5 s: a webhook that answered Telegram before the handler
    # finished (handle_in_background=True) would answer before the account was linked and committed.
    fake_api.timeout_delay = 0.5
    fake_api.fail_next("setMyCommands", "timeout", chat_id=None)
    loop = asyncio.get_running_loop()
    started = loop.time()
    response = await client.post(WEBHOOK_PATH, json=updates.command(AFI_USER, "start", unit.afi_code),
                                 headers=WITH_SECRET)
    assert response.status == 200
    assert loop.time() - started >= 0.5
    # Everything happened before Telegram got its answer: the replies went out, the link was committed.
    texts = [call.params.get("text", "") for call in fake_api.requests("sendMessage", chat_id=AFI_USER)]
    assert any("Quedaste registrado/a" in text for text in texts), texts
    assert any("Hola, Carla Rojas" in text for text in texts), texts
    [account] = await _accounts(session_factory)
    assert (account.telegram_user_id, account.staff_id) == (AFI_USER, unit.afi_id)
    assert (await _invite(session_factory, unit.afi_id)).used_by_account_id == account.id


async def test_update_that_failed_before_any_write_is_not_acknowledged_and_works_when_redelivered(
        client, fake_api, caplog):
    hello = updates.message(STRANGER, "hola")  # answered without writing anything
    fake_api.fail_next("sendMessage", "500", count=2)  # the answer and the apology
    with caplog.at_level(logging.ERROR):
        response = await client.post(WEBHOOK_PATH, json=hello, headers=WITH_SECRET)
    assert response.status == 500  # Telegram delivers it again
    response = await client.post(WEBHOOK_PATH, json=hello, headers=WITH_SECRET)  # Telegram's retry
    assert response.status == 200
    assert "necesitas un código" in fake_api.texts(STRANGER)[-1]  # handled the second time


async def test_a_link_whose_confirmation_and_apology_fail_stays_and_its_redelivery_is_skipped(
        client, fake_api, session_factory, clock, caplog):
    unit = await seed.unit_with_families(session_factory, clock())
    update = updates.command(AFI_USER, "start", unit.afi_code)
    fake_api.fail_next("sendMessage", "500", count=2)  # "Quedaste registrado/a" and the apology
    with caplog.at_level(logging.ERROR):
        response = await client.post(WEBHOOK_PATH, json=update, headers=WITH_SECRET)
    assert response.status == 500
    # The link was committed before the reply that confirms it was attempted: a failed reply undoes nothing.
    [account] = await _accounts(session_factory)
    assert (await _invite(session_factory, unit.afi_id)).used_by_account_id == account.id

    mark = len(fake_api.calls)
    response = await client.post(WEBHOOK_PATH, json=update, headers=WITH_SECRET)  # Telegram's retry
    assert response.status == 200  # acknowledged...
    assert fake_api.calls[mark:] == []  # ...and not handled again (no "code already used")
    assert len(await _accounts(session_factory)) == 1
    response = await client.post(WEBHOOK_PATH, json=updates.command(AFI_USER, "menu"), headers=WITH_SECRET)
    assert "Hola, Carla Rojas" in fake_api.texts(AFI_USER)[-1]


async def test_a_failed_confirmation_is_explained_truthfully_and_the_link_is_kept(client, fake_api,
                                                                                  session_factory, clock, caplog):
    unit = await seed.unit_with_families(session_factory, clock())
    fake_api.fail_next("sendMessage", "500", count=1)
    with caplog.at_level(logging.ERROR):
        response = await client.post(WEBHOOK_PATH, json=updates.command(AFI_USER, "start", unit.afi_code),
                                     headers=WITH_SECRET)
    # The error handler told the person, in words that are true: what they just did was saved.
    assert response.status == 200
    assert any("lo que acabas de hacer quedó guardado" in text for text in fake_api.texts(AFI_USER))
    [account] = await _accounts(session_factory)
    assert account.staff_id == unit.afi_id
    assert (await _invite(session_factory, unit.afi_id)).used_at is not None


async def test_updates_of_different_chats_are_handled_concurrently(client, fake_api):
    users = range(7200, 7210)
    responses = await asyncio.gather(*(client.post(WEBHOOK_PATH, json=updates.message(user, "hola"),
                                                   headers=WITH_SECRET) for user in users))
    assert [response.status for response in responses] == [200] * len(users)
    for user in users:
        assert "necesitas un código" in fake_api.texts(user)[-1]


def test_app_is_not_built_without_a_secret(harness):
    with pytest.raises(ValueError):
        build_webhook_app(harness.bot, harness.dispatcher, harness.settings(webhook_secret=""))


@pytest.mark.parametrize("overrides", [dict(webhook_url=""), dict(webhook_url="http://bot.example.cl"),
                                       dict(webhook_secret=""), dict(webhook_secret="has spaces"),
                                       dict(webhook_secret="x" * 257)])
async def test_run_webhook_refuses_incomplete_settings(fake_api, tmp_path, overrides):
    values = dict(bot_token=BotHarness.TOKEN, bot_api_base_url=fake_api.base_url, webhook_secret=SECRET,
                  webhook_url="https://bot.example.cl", database_url=f"sqlite:///{tmp_path / 'unused.sqlite3'}")
    settings = Settings(_env_file=None, **(values | overrides))
    with pytest.raises(SettingsError):  # the CLI shows its sentence to the admin
        await runners.run_webhook(settings, stop=asyncio.Event())
    assert fake_api.calls == []
    assert list(tmp_path.iterdir()) == []  # stopped before touching the database


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_run_webhook_serves_until_stopped(fake_api, fresh_database_url):
    port = _free_port()
    settings = Settings(_env_file=None, bot_token=BotHarness.TOKEN, bot_api_base_url=fake_api.base_url,
                        database_url=fresh_database_url, webhook_url="https://bot.example.cl/",
                        webhook_secret=SECRET, webhook_host="127.0.0.1", webhook_port=port)
    stop = asyncio.Event()
    server = asyncio.create_task(runners.run_webhook(settings, stop=stop))
    try:
        [call] = await fake_api.wait_for("setWebhook")
        assert call.params["url"] == "https://bot.example.cl" + WEBHOOK_PATH
        assert call.params["secret_token"] == SECRET
        assert "message" in call.params["allowed_updates"]
        assert "drop_pending_updates" not in call.params  # pending updates are kept
        base = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as http:
            async with http.get(base + HEALTH_PATH) as response:
                assert (response.status, await response.json()) == (200, {"ok": True})
            async with http.post(base + WEBHOOK_PATH, json=updates.message(STRANGER, "hola"),
                                 headers=WITH_SECRET) as response:
                assert response.status == 200
            assert "necesitas un código" in fake_api.texts(STRANGER)[-1]
            async with http.post(base + WEBHOOK_PATH, json=updates.message(STRANGER, "hola")) as response:
                assert response.status == 401
        assert not server.done()
    finally:
        stop.set()
        await asyncio.wait_for(server, 10)
    with pytest.raises(aiohttp.ClientConnectionError):  # stopped listening
        async with aiohttp.ClientSession() as http:
            await http.get(f"http://127.0.0.1:{port}{HEALTH_PATH}")
