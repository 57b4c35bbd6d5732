"""The filter for the buttons scheduled messages carry: their callback data is defined once, in plain
Python, in services/message_buttons.py (services write it without aiogram); this reads it back and hands
the value to the handler as `callback_data`, as aiogram's CallbackData filter does."""
from aiogram.filters import Filter
from aiogram.types import CallbackQuery

from services.message_buttons import unpack


class ButtonData(Filter):
    """`router.callback_query.register(handler, ButtonData(BonoButton))`."""

    def __init__(self, kind: type):
        self.kind = kind

    async def __call__(self, callback: CallbackQuery) -> bool | dict:
        value = unpack(self.kind, callback.data)
        return False if value is None else {"callback_data": value}
