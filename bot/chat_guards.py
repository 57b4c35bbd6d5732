"""Two guards in front of every router and dialog, so no handler can forget them.

PrivateChatsOnly: Acompaña serves private chats only. In a group, supergroup or channel anything the bot
said would be read by everyone there (a family card, a RUN), and a code redeemed there would make the group
the account's chat. So nothing posted there, ever: the bot leaves the chat as soon as it is added or hears
anything in it, and stays silent. A button pressed there (only possible on a message posted before this
guard) gets one neutral sentence in a pop-up that only the presser sees. Silence rather than a sentence
in the group: a sentence there would be read by every member and invite them to talk to a bot that is
leaving; the README tells the admin to turn off "Allow Groups" with @BotFather.

RevokedAccess: a deactivated professional or an unlinked chat hears one sentence and nothing else. A new
code from the unit (/start CODE or typed) still goes through: that is the way back.
"""
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.types import Chat, TelegramObject, Update
from aiogram.utils.i18n import gettext as _

from program.codes import looks_like_code
from services.viewer import Viewer

log = logging.getLogger(__name__)
Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
PRIVATE = "private"
GONE = ("left", "kicked")


class PrivateChatsOnly(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, Update):
            return await handler(event, data)
        chat: Chat | None = data.get("event_chat")
        if event.callback_query is not None and (chat is None or chat.type != PRIVATE):
            # Inline-message buttons (no chat) are refused too: the bot never sends inline messages.
            await event.callback_query.answer(_("Acompaña solo funciona en un chat privado con el bot."),
                                              show_alert=True)
            if chat is not None:
                await _leave(data["bot"], chat, event.update_id)
            return None
        if chat is None or chat.type == PRIVATE:
            return await handler(event, data)
        member = event.my_chat_member
        if member is None or member.new_chat_member.status not in GONE:
            await _leave(data["bot"], chat, event.update_id)
        return None


async def _leave(bot: Bot, chat: Chat, update_id: int) -> None:
    # Ids and the chat type only: a group's title may name people.
    log.info("leaving %s chat %s (update %s): Acompaña serves private chats only", chat.type, chat.id, update_id)
    try:
        await bot.leave_chat(chat.id)
    except Exception as error:  # already out, or Telegram down: nothing was posted either way
        log.warning("could not leave chat %s: %s", chat.id, type(error).__name__)


def _carries_code(event: Update) -> bool:
    text = event.message.text if event.message is not None else None
    if not text:
        return False
    if text.startswith("/start "):
        return True
    return looks_like_code(text)


class RevokedAccess(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        viewer: Viewer | None = data.get("viewer")
        if viewer is None or not viewer.revoked or not isinstance(event, Update) or _carries_code(event):
            return await handler(event, data)
        text = _("Tu acceso a Acompaña fue desactivado. Si crees que es un error, habla con tu unidad.")
        if event.callback_query is not None:
            await event.callback_query.answer(text, show_alert=True)
        elif event.message is not None:
            await event.message.answer(text)
        return None
