"""A name typed above a paged list (the Catastro, the AFI's "📍 Enviar un recurso", Mis familias): what
counts as a search, and the list's search and "✖️ Quitar búsqueda" handlers. The query lives in
dialog_data["query"] for the window's getter; a new or cleared query shows the list from its first page."""
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import TextInput

from dialogs.common.context import explain

SEARCH_MAX = 60


def search_text(text: str) -> str:
    value = " ".join((text or "").split())
    if not value or len(value) > SEARCH_MAX or value.startswith("/") or not any(c.isalnum() for c in value):
        raise ValueError("search")
    return value


def search_input(pages_id: str, hint: str) -> TextInput:
    """The typed search for the list whose ScrollingGroup is `pages_id`; a bad one gets `hint` (a msgid
    marked with N_, with a {limit} placeholder)."""

    async def on_search(_message, _widget, manager: DialogManager, text: str) -> None:
        manager.dialog_data["query"] = text
        await manager.find(pages_id).set_page(0)

    async def on_bad(_message, _widget, manager: DialogManager, _error: ValueError) -> None:
        await explain(manager, _(hint).format(limit=SEARCH_MAX))

    return TextInput(id="search", type_factory=search_text, on_success=on_search, on_error=on_bad)


def clear_search(pages_id: str):
    """on_click for "✖️ Quitar búsqueda"."""

    async def on_clear(_callback, _button, manager: DialogManager) -> None:
        manager.dialog_data.pop("query", None)
        await manager.find(pages_id).set_page(0)

    return on_clear
