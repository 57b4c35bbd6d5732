"""services.sender.Sender over the Bot API: Telegram's limits kept on our side (aiolimiter), its errors
turned into the three outcomes the dispatcher knows, long texts split, never cut.

Limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this): about 30
messages a second per bot, one a second per chat, 20 a minute per group. Telegram counts in sliding
windows, so each limiter is a bucket of one that refills at the rate (no bursts), a little under it.
"""
import asyncio
from collections import OrderedDict
from dataclasses import dataclass

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest, TelegramForbiddenError, TelegramNetworkError, TelegramNotFound, TelegramRetryAfter,
    TelegramServerError, TelegramUnauthorizedError,
)
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiolimiter import AsyncLimiter

from program.text_split import split_message
from services.sender import Buttons, SendBlocked, SendRejected, SendRetry

MARGIN = 0.98  # network jitter can bring two requests closer together at Telegram's end than we sent them


@dataclass(frozen=True)
class Limits:
    per_bot_per_second: float = 30.0
    per_chat_per_second: float = 1.0
    per_group_per_minute: float = 20.0
    request_timeout: float = 15.0  # seconds; a time-out is retried (it may have been delivered)


def pace(per_second: float) -> AsyncLimiter:
    return AsyncLimiter(1, 1.0 / (per_second * MARGIN))


class TelegramSender:
    MAX_CHATS = 20_000  # per-chat limiters kept (least recently used dropped): an idle chat needs none

    def __init__(self, bot: Bot, limits: Limits = Limits()):
        self.bot, self.limits = bot, limits
        self._global = pace(limits.per_bot_per_second)
        self._chats: OrderedDict[int, AsyncLimiter] = OrderedDict()
        self._paused_until = 0.0  # Telegram's retry_after applies to the whole bot

    def _chat_limiter(self, chat_id: int) -> AsyncLimiter:
        limiter = self._chats.pop(chat_id, None)
        if limiter is None:
            per_second = self.limits.per_group_per_minute / 60 if chat_id < 0 else self.limits.per_chat_per_second
            limiter = pace(per_second)
        self._chats[chat_id] = limiter
        if len(self._chats) > self.MAX_CHATS:
            self._chats.popitem(last=False)
        return limiter

    async def _wait_out_flood(self) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self._paused_until - loop.time()) > 0:
            await asyncio.sleep(delay)

    async def send(self, chat_id: int, text: str, buttons: Buttons | None = None) -> None:
        parts = split_message(text)
        markup = None
        if buttons:
            markup = InlineKeyboardMarkup(inline_keyboard=[
                [InlineKeyboardButton(text=label, callback_data=data) for label, data in row] for row in buttons])
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            await self._send_one(chat_id, part, markup if last else None)

    async def _send_one(self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> None:
        async with self._chat_limiter(chat_id):  # the chat first: waiting for it must not hold a bot-wide slot
            await self._wait_out_flood()
            async with self._global:
                try:
                    await self.bot.send_message(chat_id, text, reply_markup=markup,
                                                request_timeout=int(self.limits.request_timeout))
                except TelegramRetryAfter as error:
                    self._paused_until = asyncio.get_running_loop().time() + error.retry_after
                    raise SendRetry("429", retry_after=error.retry_after) from None
                except (TelegramForbiddenError, TelegramUnauthorizedError) as error:
                    if isinstance(error, TelegramUnauthorizedError):
                        raise SendRetry("401") from None  # our token, not the person: keep the message
                    raise SendBlocked() from None
                except (TelegramServerError, TelegramNetworkError, asyncio.TimeoutError) as error:
                    raise SendRetry(type(error).__name__) from None
                except (TelegramBadRequest, TelegramNotFound) as error:
                    raise SendRejected(error.message[:120]) from None
