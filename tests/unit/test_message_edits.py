"""edit_if_needed: Telegram's "nothing to edit" answers are no failure; every other refusal still is."""
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import TelegramBadRequest

from handlers.message_edits import edit_if_needed
from tests.support.fake_bot_api import FakeBotAPI

USER = 1001


async def test_unchanged_or_missing_messages_are_left_alone_other_refusals_are_not():
    async with FakeBotAPI() as api:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api.base_url), timeout=5)
        async with Bot(token="42:TEST", session=session) as bot:
            sent = await bot.send_message(USER, "igual")
            await edit_if_needed(bot.edit_message_text("igual", chat_id=USER, message_id=sent.message_id))
            await edit_if_needed(bot.edit_message_text("x", chat_id=USER, message_id=1))
            api.fail_next("editMessageText", "400")  # "chat not found"
            with pytest.raises(TelegramBadRequest, match="chat not found"):
                await edit_if_needed(bot.edit_message_text("otro", chat_id=USER, message_id=sent.message_id))
    assert [c.fault for c in api.requests("editMessageText")] == ["400", "400", "400"]
