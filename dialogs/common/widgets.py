"""A text widget that translates at render time, in the language of the person reading."""
from typing import Any

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager, ShowMode
from aiogram_dialog.widgets.common import WhenCondition
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Select
from aiogram_dialog.widgets.kbd.select import OnItemClick
from aiogram_dialog.widgets.text import Format, Text


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



def choices(id: str, items: str, on_click: OnItemClick[Any, str] | None) -> Select[str]:
    """One button per (id, label) pair of the getter's `items`: the list every picker of ours shows."""
    return Select(Format("{item[1]}"), id=id, item_id_getter=lambda item: item[0], items=items, on_click=on_click)


async def _explain_buttons(message: Message, _widget: MessageInput, manager: DialogManager) -> None:
    await message.answer(gettext("No entendí eso. Usa los botones del menú 👇"))
    manager.show_mode = ShowMode.SEND  # the menu again, below the hint, where the thumb is


def buttons_only() -> MessageInput:
    """For windows that take no typing: any text, voice, sticker or file gets a kind hint."""
    return MessageInput(_explain_buttons, content_types=ContentType.ANY)
