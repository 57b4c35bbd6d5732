"""The real Dispatcher and Bot, talking to the fake Bot API, on a real database, with a fake clock."""
from typing import Any

from aiogram import Bot, Dispatcher

from bot.app import build_bot, build_dispatcher
from bot.settings import Settings
from storage.engine import make_engine, make_session_factory
from tests.support import updates
from tests.support.clock import FakeClock
from tests.support.fake_bot_api import Call, FakeBotAPI

SENDS = {"sendmessage", "editmessagetext", "editmessagereplymarkup", "sendphoto"}


class BotHarness:
    BOT_ID = 424242
    TOKEN = f"{BOT_ID}:AAHtestTOKENtestTOKENtestTOKENtest12"

    def __init__(self, api: FakeBotAPI, database_url: str, clock: FakeClock):
        self.api, self.database_url, self.clock = api, database_url, clock
        self.bot: Bot | None = None
        self.dispatcher: Dispatcher | None = None

    def settings(self, **overrides) -> Settings:
        values = dict(bot_token=self.TOKEN, bot_api_base_url=self.api.base_url, database_url=self.database_url,
                      webhook_secret="s3cret-token")
        return Settings(_env_file=None, **(values | overrides))

    async def start(self) -> None:
        settings = self.settings()
        self.engine = make_engine(self.database_url)
        self.session_factory = make_session_factory(self.engine)
        self.bot = build_bot(settings)
        self.dispatcher = build_dispatcher(settings=settings, engine=self.engine,
                                          session_factory=self.session_factory, clock=self.clock)

    def delivery(self, limits=None, **kw):
        """The outbox dispatcher of this process: the real sender and renderer, this harness's clock."""
        from texts.scheduled_messages import render
        from bot.telegram_sender import Limits, TelegramSender
        from services.delivery import OutboxDispatcher

        # Generous limits unless a test passes Telegram's: pacing is measured in bench/, not waited for here.
        fast = Limits(per_bot_per_second=1000, per_chat_per_second=1000, request_timeout=2)
        sender = TelegramSender(self.bot, limits or fast)
        return OutboxDispatcher(self.session_factory, sender, render, clock=self.clock, **kw)

    async def plan(self):
        from services import planner

        return await planner.plan_all(self.session_factory, now=self.clock())

    async def stop(self) -> None:
        await self.bot.session.close()
        await self.engine.dispose()

    async def restart(self) -> None:
        """A new process: new Dispatcher, Bot and engine; only the database survives."""
        await self.stop()
        await self.start()

    async def feed(self, update: dict[str, Any]) -> list[Call]:
        mark = len(self.api.calls)
        await self.dispatcher.feed_raw_update(self.bot, update)
        return self.api.calls[mark:]

    async def say(self, user_id: int, text: str, **kw) -> list[str]:
        return self._texts(await self.feed(updates.message(user_id, text, **kw)), user_id)

    async def tap(self, user_id: int, label: str, **kw) -> list[str]:
        """Press the button whose label contains `label` on the newest keyboard sent to this chat."""
        message_id, data = self.find_button(user_id, label)
        return self._texts(await self.feed(updates.callback(user_id, data, message_id=message_id, **kw)), user_id)

    async def press(self, user_id: int, data: str, message_id: int, **kw) -> list[str]:
        """Send raw callback data (forged or stale buttons)."""
        return self._texts(await self.feed(updates.callback(user_id, data, message_id=message_id, **kw)), user_id)

    def keyboard(self, user_id: int) -> tuple[int, list[dict]]:
        for call in reversed(self.api.calls):
            if call.method.lower() not in SENDS or call.params.get("chat_id") != user_id or call.fault:
                continue
            markup = call.params.get("reply_markup") or {}
            message_id = call.params.get("message_id") or (call.result or {}).get("message_id")
            return message_id, [button for row in markup.get("inline_keyboard", []) for button in row]
        raise AssertionError(f"no message with a keyboard was sent to {user_id}")

    def buttons(self, user_id: int) -> list[str]:
        return [button["text"] for button in self.keyboard(user_id)[1]]

    def find_button(self, user_id: int, label: str) -> tuple[int, str]:
        message_id, buttons = self.keyboard(user_id)
        for button in buttons:
            if label in button["text"]:
                return message_id, button["callback_data"]
        raise AssertionError(f"no button {label!r} in {[b['text'] for b in buttons]}")

    def last_text(self, user_id: int) -> str:
        texts = self.api.texts(chat_id=user_id)
        return texts[-1] if texts else ""

    @staticmethod
    def _texts(calls: list[Call], user_id: int) -> list[str]:
        return [call.params.get("text") or call.params.get("caption") or "" for call in calls
                if call.method.lower() in SENDS and call.params.get("chat_id") == user_id and not call.fault]
