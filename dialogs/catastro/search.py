"""Searching the Catastro by typed name: the editor's list and the AFI's "📍 Enviar un recurso" share it."""
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from dialogs.common.context import explain

SEARCH_MAX = 60


def search_text(text: str) -> str:
    value = " ".join((text or "").split())
    if not value or len(value) > SEARCH_MAX or value.startswith("/") or not any(c.isalnum() for c in value):
        raise ValueError("search")
    return value


async def bad_search(_message: Message, _widget, manager: DialogManager, _error: ValueError) -> None:
    await explain(manager, _("Para buscar, escribe parte del nombre (hasta {limit} caracteres).").format(
        limit=SEARCH_MAX))
