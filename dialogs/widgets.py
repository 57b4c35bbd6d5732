"""A text widget that translates at render time, in the language of the person reading."""
from typing import Any

from aiogram.utils.i18n import gettext
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.common import WhenCondition
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
