"""A text widget that translates at render time, in the language of the person reading."""
from typing import Any

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.text import Text


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


class T(Text):
    """`T("Hola, {name}")`: the msgid is extracted by pybabel (keyword T) and formatted with the getter's data."""

    def __init__(self, msgid: str, when: WhenCondition = None):
        super().__init__(when=when)
        self.msgid = msgid

    async def _render_text(self, data: dict[str, Any], manager: DialogManager) -> str:
        return gettext(self.msgid).format_map(_Blank(data))


async def _explain_buttons(message: Message, _widget: MessageInput, manager: DialogManager) -> None:
    await message.answer(gettext("No entendí eso. Usa los botones del menú 👇"))
    manager.show_mode = ShowMode.SEND  # the menu again, below the hint, where the thumb is


def buttons_only() -> MessageInput:
    """For windows that take no typing: any text, voice, sticker or file gets a kind hint."""
    return MessageInput(_explain_buttons, content_types=ContentType.ANY)
