"""Self-test of the fake Bot API server against a real aiogram Bot."""

from __future__ import annotations

import asyncio
import time

import aiohttp
import pytest
import pytest_asyncio
from aiogram import Bot, Dispatcher, F
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import TelegramMethod
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    Update,
)

from tests.support import updates
from tests.support.fake_bot_api import FakeBotAPI

USER = 1001


@pytest_asyncio.fixture
async def api():
    async with FakeBotAPI() as server:
        yield server


@pytest_asyncio.fixture
async def bot(api):
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url), timeout=5)
    bot = Bot(token="42:TEST", session=session)
    yield bot
    await bot.session.close()


def keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Sí", callback_data="yes")]])


@pytest.mark.asyncio
async def test_get_me(bot, api):
    me = await bot.get_me()
    assert (me.id, me.is_bot, me.first_name, me.username) == (42, True, "Acompaña", "acompana_test_bot")
    assert api.requests("getMe")[0].token == "42:TEST"


@pytest.mark.asyncio
async def test_send_message_round_trips_keyboard(bot, api):
    msg = await bot.send_message(USER, "Hola", reply_markup=keyboard())
    assert isinstance(msg, Message) and msg.text == "Hola" and msg.chat.type == "private"
    assert msg.reply_markup.model_dump() == keyboard().model_dump() and msg.from_user.id == 42
    call = api.requests("sendMessage", chat_id=USER)[0]
    assert call.params["chat_id"] == USER  # ints decoded from the form
    assert call.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "Sí", "callback_data": "yes"}]]
    }
    second = await bot.send_message(USER, "123")
    assert second.message_id == msg.message_id + 1
    assert api.texts(USER) == ["Hola", "123"]  # text fields are never re-typed


@pytest.mark.asyncio
async def test_edit_and_callback_answer(bot, api):
    sent = await bot.send_message(USER, "antes", reply_markup=keyboard())
    edited = await bot.edit_message_text("después", chat_id=USER, message_id=sent.message_id)
    assert edited.text == "después" and edited.message_id == sent.message_id
    assert edited.reply_markup is None  # Telegram drops the keyboard when not passed again
    assert await bot.edit_message_text("inline", inline_message_id="abc") is True
    assert await bot.answer_callback_query("cb-1", text="ok") is True
    assert api.requests("answerCallbackQuery")[0].params == {"callback_query_id": "cb-1", "text": "ok"}
    assert api.texts(USER) == ["antes", "después"]


@pytest.mark.asyncio
async def test_set_my_commands_with_scope(bot, api):
    commands = [BotCommand(command="start", description="Inicio")]
    assert await bot.set_my_commands(commands, scope=BotCommandScopeChat(chat_id=USER))
    params = api.requests("setMyCommands")[0].params
    assert params["scope"] == {"type": "chat", "chat_id": USER}
    assert params["commands"] == [{"command": "start", "description": "Inicio"}]
    got = await bot.get_my_commands(scope=BotCommandScopeChat(chat_id=USER))
    assert [c.model_dump() for c in got] == [c.model_dump() for c in commands]


@pytest.mark.asyncio
async def test_photo_upload_and_file_download(bot, api):
    msg = await bot.send_photo(USER, BufferedInputFile(b"\x89PNG", "a.png"), caption="foto")
    assert msg.caption == "foto" and len(msg.photo) == 2
    upload = api.requests("sendPhoto")[0].params["photo"]
    assert (upload.filename, upload.data) == ("a.png", b"\x89PNG")
    file = await bot.get_file(msg.photo[-1].file_id)
    assert (await bot.download_file(file.file_path)).read() == api.file_content


@pytest.mark.asyncio
async def test_get_updates_and_offset(bot, api):
    fed = api.feed_many([updates.message(USER, "hola"), updates.command(USER, "start", "abc")])
    got = await bot.get_updates(timeout=1)
    assert [u.update_id for u in got] == [u["update_id"] for u in fed]
    assert got[1].message.text == "/start abc"
    assert got[1].message.entities[0].type == "bot_command"
    again = await bot.get_updates(offset=got[0].update_id + 1)
    assert [u.update_id for u in again] == [got[1].update_id]
    assert api.confirmed_offset == got[0].update_id + 1
    assert len(api.pending_updates()) == 1
    started = time.monotonic()
    assert await bot.get_updates(offset=got[1].update_id + 1, timeout=30) == []
    assert time.monotonic() - started < 2  # long poll capped by poll_cap


@pytest.mark.asyncio
async def test_update_factories_validate(bot):
    samples = [
        updates.message(USER, "hola"), updates.message(-100123, "grupo", chat_id=-100123),
        updates.callback(USER, "yes", message_id=7), updates.voice(USER), updates.photo(USER, caption="c"),
        updates.sticker(USER), updates.document(USER), updates.location(USER, -33.45, -70.66),
        updates.my_chat_member(USER),
    ]
    parsed = [Update.model_validate(s, context={"bot": bot}) for s in samples]
    assert parsed[2].callback_query.message.from_user.id == 42
    assert parsed[8].my_chat_member.new_chat_member.status == "kicked"
    assert len({u.update_id for u in parsed}) == len(parsed)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "error"),
    [("403", TelegramForbiddenError), ("500", TelegramServerError), ("502", TelegramServerError),
     ("400", TelegramBadRequest)],
)
async def test_fail_next_kinds(bot, api, kind, error):
    api.fail_next("sendMessage", kind)
    with pytest.raises(error):
        await bot.send_message(USER, "x")
    await bot.send_message(USER, "y")  # only the next call fails
    assert [c.fault for c in api.requests("sendMessage")] == [kind, None]
    assert api.stats[kind] == 1 and api.stats["delivered"] == 1 and api.texts() == ["y"]


@pytest.mark.asyncio
async def test_fail_next_429_retry_after(bot, api):
    api.fail_next("sendMessage", "429", retry_after=7, chat_id=USER)
    await bot.send_message(USER + 1, "other chat unaffected")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(USER, "x")
    assert info.value.retry_after == 7


@pytest.mark.asyncio
async def test_timeout_fault(api):
    api.timeout_delay = 3
    session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url), timeout=0.3)
    async with Bot(token="42:TEST", session=session) as bot:
        api.fail_next("sendMessage", "timeout")
        with pytest.raises(TelegramNetworkError):
            await bot.send_message(USER, "x")
    assert api.requests("sendMessage")[0].fault == "timeout"


@pytest.mark.asyncio
async def test_message_size_limits(bot, api):
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(USER, "a" * 4097)
    await bot.send_message(USER, "<b>" + "a" * 4096 + "</b>", parse_mode="HTML")  # tags don't count
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await bot.send_photo(USER, "photo-id", caption="c" * 1025)


@pytest.mark.asyncio
async def test_block_chat(bot, api):
    api.block_chat(USER)
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(USER, "x")
    await bot.send_message(USER + 1, "fine")


@pytest.mark.asyncio
async def test_enforce_limits(bot, api):
    api.enforce_limits(per_chat_per_second=1.0)
    await bot.send_message(USER, "1")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(USER, "2")
    assert info.value.retry_after == 1
    await bot.send_message(USER + 1, "other chat is fine")
    assert api.stats["429"] == 1 and api.stats["delivered"] == 2


@pytest.mark.asyncio
async def test_unknown_method_is_404(bot, api):
    class Bogus(TelegramMethod[bool]):
        __returning__ = bool
        __api_method__ = "doesNotExist"

    with pytest.raises(TelegramNotFound):
        await bot(Bogus())
    assert api.requests("doesNotExist")[0].fault == "404"


@pytest.mark.asyncio
async def test_wait_for(bot, api):
    async def later():
        await asyncio.sleep(0.05)
        await bot.send_message(USER, "tarde")

    task = asyncio.create_task(later())
    calls = await api.wait_for("sendmessage", chat_id=USER, timeout=2)
    await task
    assert calls[0].params["text"] == "tarde"
    with pytest.raises(AssertionError, match="timed out"):
        await api.wait_for("sendMessage", count=2, timeout=0.1)
    api.clear()
    assert api.calls == [] and api.texts() == []


@pytest.mark.asyncio
async def test_polling_echo(bot, api):
    dp = Dispatcher()

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        await message.answer(f"eco: {message.text}")

    polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False, polling_timeout=1))
    try:
        api.feed(updates.message(USER, "hola"))
        calls = await api.wait_for("sendMessage", chat_id=USER, timeout=5)
        assert calls[0].params["text"] == "eco: hola"
        # The next getUpdates acknowledges the processed update.
        await api.wait_for("getUpdates", predicate=lambda c: c.params.get("offset") is not None)
        assert api.pending_updates() == []
    finally:
        await dp.stop_polling()
        await polling


@pytest.mark.asyncio
async def test_raw_json_body_lowercase_method_and_overrides(api):
    api.on("getChat", lambda p: {"id": p["chat_id"], "type": "private"})
    async with aiohttp.ClientSession() as http:
        url = f"{api.base_url}/bot42:TEST/sendmessage"
        async with http.post(url, json={"chat_id": "7", "text": "json", "reply_markup": "{\"a\": 1}"}) as r:
            body = await r.json()
        async with http.get(f"{api.base_url}/bot42:TEST/getChat?chat_id=9") as r:
            chat = await r.json()
    assert body["ok"] and body["result"]["chat"]["id"] == 7
    call = api.requests("sendMessage", chat_id=7)[0]
    assert call.method == "sendMessage" and call.params["reply_markup"] == {"a": 1}
    assert chat == {"ok": True, "result": {"id": 9, "type": "private"}}


@pytest.mark.asyncio
async def test_strict_edits_by_default(bot, api):
    sent = await bot.send_message(USER, "igual", reply_markup=keyboard())
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text("igual", chat_id=USER, message_id=sent.message_id, reply_markup=keyboard())
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id, reply_markup=keyboard())
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=USER, message_id=1)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(chat_id=USER, message_id=1)
    # A real change goes through: the keyboard only, then the text (the keyboard goes with it).
    await bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id, reply_markup=None)
    await bot.edit_message_text("otro", chat_id=USER, message_id=sent.message_id)
    assert [c.fault for c in api.requests("editMessageText")] == ["400", "400", None]
    assert api.texts(USER) == ["igual", "otro"]


@pytest.mark.asyncio
async def test_lenient_edits_when_asked():
    async with FakeBotAPI(strict_edits=False) as api:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url), timeout=5)
        async with Bot(token="42:TEST", session=session) as bot:
            sent = await bot.send_message(USER, "igual")
            await bot.edit_message_text("igual", chat_id=USER, message_id=sent.message_id)
            await bot.edit_message_text("x", chat_id=USER, message_id=1)
            assert await bot.delete_message(chat_id=USER, message_id=1)


def data_keyboard(data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="Ok", callback_data="ok")],
                                                 [InlineKeyboardButton(text="Largo", callback_data=data)]])


@pytest.mark.asyncio
async def test_callback_data_up_to_64_bytes(bot, api):
    fits, too_long = "ñ" * 32, "ñ" * 32 + "a"  # 64 and 65 bytes of UTF-8 (32 and 33 characters)
    sent = await bot.send_message(USER, "cabe", reply_markup=data_keyboard(fits))
    await bot.send_photo(USER, "photo-id", caption="cabe", reply_markup=data_keyboard("x" * 64))
    attempts = [
        bot.send_message(USER, "no cabe", reply_markup=data_keyboard(too_long)),
        bot.edit_message_text("no cabe", chat_id=USER, message_id=sent.message_id,
                              reply_markup=data_keyboard(too_long)),
        bot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id, reply_markup=data_keyboard(too_long)),
        bot.send_photo(USER, "photo-id", reply_markup=data_keyboard(too_long)),
        bot.send_document(USER, BufferedInputFile(b"pdf", "a.pdf"), reply_markup=data_keyboard(too_long)),
    ]
    for attempt in attempts:
        with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
            await attempt
    assert api.stats["delivered"] == 2 and api.texts(USER) == ["cabe", "cabe"]
    assert [c.fault for c in api.requests(chat_id=USER)] == [None, None, "400", "400", "400", "400", "400"]


@pytest.mark.asyncio
async def test_random_faults_and_group_limit(bot, api):
    api.set_fault_rate(0.5, kinds=("500",), seed=1)
    outcomes = []
    for i in range(20):
        try:
            await bot.send_message(USER + i, "x")
            outcomes.append("ok")
        except TelegramServerError:
            outcomes.append("500")
    assert 0 < outcomes.count("500") < 20 and api.stats["500"] == outcomes.count("500")
    api.set_fault_rate(0)
    api.enforce_limits(per_chat_per_second=100, group_per_minute=2)
    await bot.send_message(-100555, "a")
    await bot.send_message(-100555, "b")
    with pytest.raises(TelegramRetryAfter) as info:
        await bot.send_message(-100555, "c")
    assert info.value.retry_after > 50  # the group window is a minute
