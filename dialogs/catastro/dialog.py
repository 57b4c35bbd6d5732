"""🏛 Catastro: the Gestor Sociocomunitario's (and the jefe/a's) list of the unit's institutions and
organisations (Guía N°19): search by typed name, pages, an entry with every field of the guide, deactivate.
Adding and editing live in dialogs/catastro/edit.py (its dimension and need lists in
dialogs/catastro/choices.py), the CSV import and export in dialogs/catastro/csv_files.py, the Plan de Redes in
dialogs/catastro/redes.py.

The dialog runs alone on its stack (see dialogs/staff_menu/dialog.py). Every getter and handler asks the
services, which refuse (and audit) a professional outside GROUP_ROLES or an entry id of another unit.
"""
from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Row, ScrollingGroup, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.catastro.choices import choice_windows
from dialogs.catastro.csv_files import csv_windows, on_document, on_export
from dialogs.catastro.edit import edit_windows, start_adding, start_editing
from dialogs.catastro.entries import on_entry_tapped, tapped_entry
from dialogs.catastro.labels import NOT_IN_UNIT, SEARCH_HINT, entry_details
from dialogs.catastro.redes import redes_windows
from dialogs.common.context import explain
from dialogs.common.search import clear_search, search_input
from dialogs.common.states import Catastro as C
from dialogs.common.states import StaffMenu
from dialogs.common.widgets import T, buttons_only, choices
from services import catastro
from services.errors import NotAllowed, NotFound
from texts.markers import N_

PAGE = 8
DENIED_TEXT = N_("Solo el Gestor Sociocomunitario y la jefatura de la unidad editan el Catastro.")


async def may_edit(manager: DialogManager) -> bool:
    data = manager.middleware_data
    try:
        await catastro.may_edit(data["session"], actor=data["viewer"].actor)
    except NotAllowed:
        return False
    return True


async def open_catastro(callback: CallbackQuery, _button, manager: DialogManager) -> None:
    """The staff menu's button: only GROUP_ROLES get in (a forged button is refused and audited)."""
    if not await may_edit(manager):
        await callback.answer(_(DENIED_TEXT), show_alert=True)
        return
    await manager.start(C.list, mode=StartMode.RESET_STACK)


async def list_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    query = dialog_manager.dialog_data.get("query")
    if not await may_edit(dialog_manager):
        return {"denied": True, "allowed": False, "entries": [], "searching": False}
    found = await catastro.entries(session, actor=viewer.actor, query=query)
    return {"denied": False, "allowed": True, "entries": [(str(e.id), e.name[:60]) for e in found],
            "total": len(found), "query": query or "", "searching": bool(query), "has_entries": bool(found),
            "empty": not found and not query, "none_found": not found and bool(query)}


async def _not_text(_message: Message, _widget, manager: DialogManager) -> None:
    await explain(manager, _("No entendí eso. Escribe parte de un nombre para buscar, envíame un archivo .csv "
                             "para importar, o usa los botones 👇"))


async def on_menu(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    await manager.start(StaffMenu.main, mode=StartMode.RESET_STACK)


async def entry_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    found = await tapped_entry(dialog_manager, session, viewer)
    if found is None:
        return {"found": False, "missing": True, "active": False}
    return {"found": True, "missing": False, "details": entry_details(found), "active": found.active,
            "name": found.name}


async def on_deactivate(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:
        await catastro.deactivate(data["session"], actor=data["viewer"].actor,
                                  entry_id=manager.dialog_data.get("entry_id", 0), now=data["clock"]())
    except (NotAllowed, NotFound):
        await callback.answer(_("No se pudo desactivar."), show_alert=True)
        return
    await explain(manager, _("🚫 Listo: ya no aparece en el Catastro ni en la búsqueda de las familias."))
    await manager.switch_to(C.list)


def catastro_dialog() -> Dialog:
    return Dialog(
        Window(
            T("🏛 Catastro de instituciones y organizaciones: {total}\nPara buscar, escribe parte del nombre. "
              "Para importar, envíame un archivo .csv.", when="allowed"),
            T("🔎 «{query}»", when="searching"),
            T("Aún no hay instituciones. Agrégalas una a una o importa un archivo .csv.", when="empty"),
            T("No encontré instituciones con ese nombre.", when="none_found"),
            T(DENIED_TEXT, when="denied"),
            ScrollingGroup(
                choices("entry", "entries", on_entry_tapped(C.entry, NOT_IN_UNIT)),
                id="entries_page", width=1, height=PAGE, hide_on_single_page=True,
            ),
            Button(T("✖️ Quitar búsqueda"), id="clear_search", on_click=clear_search("entries_page"), when="searching"),
            Button(T("➕ Agregar"), id="add", on_click=start_adding, when="allowed"),
            Row(SwitchTo(T("📥 Importar CSV"), id="import", state=C.import_csv),
                Button(T("📤 Exportar"), id="export", on_click=on_export), when="allowed"),
            SwitchTo(T("🕸 Plan de Redes"), id="redes", state=C.redes, when="allowed"),
            Button(T("⬅️ Menú"), id="back_main", on_click=on_menu),
            search_input("entries_page", SEARCH_HINT),
            MessageInput(on_document, content_types=ContentType.DOCUMENT),
            MessageInput(_not_text, content_types=ContentType.ANY),
            state=C.list, getter=list_getter,
        ),
        Window(
            Format("{details}", when="found"),
            T("Esa institución no está en el Catastro de tu unidad.", when="missing"),
            Row(Button(T("✏️ Editar un dato"), id="edit", on_click=start_editing),
                SwitchTo(T("🚫 Desactivar"), id="deactivate", state=C.deactivate), when="active"),
            SwitchTo(T("⬅️ Catastro"), id="back_list", state=C.list),
            buttons_only(), state=C.entry, getter=entry_getter,
        ),
        Window(
            T("🚫 ¿Desactivar «{name}»?\nDeja de aparecer en el Catastro y en la búsqueda de las familias.",
              when="found"),
            Row(Button(T("✅ Sí, desactivar"), id="deactivate_yes", on_click=on_deactivate),
                SwitchTo(T("↩️ No"), id="deactivate_no", state=C.entry), when="active"),
            SwitchTo(T("⬅️ Catastro"), id="back_list_deactivate", state=C.list, when="missing"),
            buttons_only(), state=C.deactivate, getter=entry_getter,
        ),
        *edit_windows(),
        *choice_windows(),
        *csv_windows(),
        *redes_windows(),
    )
