"""A Catastro entry tapped in a list, for the three dialogs that open one (the editor, the AFI's
"📍 Enviar un recurso", the family's "¿Dónde encuentro ayuda?"): its id kept in dialog_data["entry_id"],
the entry loaded again by the next window's getter, and the fields texts/catastro.entry_lines shows."""
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from services import catastro
from services.errors import NotAllowed

FIELDS = ("name", "contact_person", "address", "sector", "phones", "email_web", "programs_services",
          "access_requirements")


def entry_fields(entry) -> dict:
    return {field: getattr(entry, field) for field in FIELDS}


def on_entry_tapped(then: State, refused: str):
    """on_click for the list's Select. The service refuses (and audits) an entry the person may not see —
    another unit's, a forged button, for a family an inactive one — and `refused` (a msgid) says so."""

    async def on_tapped(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
        data = manager.middleware_data
        try:
            found = await catastro.entry(data["session"], actor=data["viewer"].actor,
                                         entry_id=int(item_id) if item_id.isdigit() else 0)
        except NotAllowed:
            await callback.answer(_(refused), show_alert=True)
            return
        manager.dialog_data["entry_id"] = found.id
        await manager.switch_to(then)

    return on_tapped


async def tapped_entry(manager: DialogManager, session, viewer):
    """The entry tapped before, or None when it is no longer the person's to see."""
    try:
        return await catastro.entry(session, actor=viewer.actor, entry_id=manager.dialog_data.get("entry_id", 0))
    except NotAllowed:
        return None
