"""👥 Mis familias: the professional's caseload (the jefe's: the whole unit), what is due first, a search,
pages; then a family's card (dialogs/caseload/card.py) and the jefe's reassignment (dialogs/caseload/assign.py)."""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, ScrollingGroup
from aiogram_dialog.widgets.text import Format

from dialogs.caseload.assign import assign_windows
from dialogs.caseload.card import card_windows
from dialogs.caseload.chats import chats_windows
from dialogs.caseload.correct import correct_windows
from dialogs.caseload.rights import rights_windows
from dialogs.common.context import today
from dialogs.common.record_labels import bono_line, last_session_label, next_due_label, stage_label
from dialogs.common.scroll import scroll
from dialogs.common.search import clear_search, search_input
from dialogs.common.states import Caseload, StaffMenu
from dialogs.common.widgets import T, buttons_only, choices
from services import caseload
from services.errors import NotAllowed
from texts.markers import N_

PAGE = 6  # families per page: their details fit one message


def _mark(row) -> str:
    return "⚠️ " if row.overdue else "🕐 " if row.due else ""


def _details(row, on) -> str:
    return "\n".join((
        f"{_mark(row)}{row.family_name} · {row.code} · {stage_label(row.stage)}",
        "   " + _("Última: {last} · Próxima: {next}").format(last=last_session_label(row.last),
                                                         next=next_due_label(row.next, on)),
        "   " + _("📋 Compromisos abiertos: {count} · 💵 Bono: {bono}").format(count=row.open_commitments,
                                                                            bono=bono_line(row.bono)),
    ))


async def families_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    query = dialog_manager.dialog_data.get("query")
    on = today(dialog_manager)
    try:
        rows = await caseload.caseload(session, actor=viewer.actor, today=on, query=query)
    except NotAllowed:
        rows = []
    # The text describes the page of buttons on screen (the same slice ScrollingGroup shows).
    pages = max(1, -(-len(rows) // PAGE))
    page = min(await scroll(dialog_manager, "families_page").get_page(), pages - 1)
    shown = rows[page * PAGE:(page + 1) * PAGE]
    return {
        "families": [(str(row.family_id), f"{_mark(row)}{row.family_name} · {row.code}") for row in rows],
        "details": "\n\n".join(_details(row, on) for row in shown),
        "total": len(rows), "query": query or "", "searching": bool(query),
        "has_families": bool(rows), "empty": not rows and not query, "none_found": not rows and bool(query),
    }


async def on_family_chosen(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    # The card's getter asks the service, which refuses (and audits) an id outside the unit.
    manager.dialog_data["family_id"] = int(item_id) if item_id.isdigit() else 0
    await manager.switch_to(Caseload.family)


async def on_start(start_data, manager: DialogManager) -> None:
    """Started on a family's card (back from 📍 Enviar un recurso): the family comes in the start data."""
    if isinstance(start_data, dict) and start_data.get("family_id"):
        manager.dialog_data["family_id"] = int(start_data["family_id"])


async def on_menu(_callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    # This dialog runs alone on its stack (see dialogs/staff_menu/dialog.py): back is a fresh staff menu.
    await manager.start(StaffMenu.main, mode=StartMode.RESET_STACK)


def caseload_dialog() -> Dialog:
    return Dialog(
        Window(
            T("👥 Tus familias: {total}\n⚠️ sesión atrasada · 🕐 sesión que toca ahora\n"
              "Para buscar, escribe parte del nombre o el código.", when="has_families"),
            T("🔎 «{query}»", when="searching"),
            Format("\n{details}", when="has_families"),
            T("Aún no tienes familias asignadas. Tu jefatura las asigna.", when="empty"),
            T("No encontré familias con eso. Prueba con otra parte del nombre o el código.", when="none_found"),
            ScrollingGroup(
                choices("family", "families", on_family_chosen),
                id="families_page", width=1, height=PAGE, hide_on_single_page=True,
            ),
            Button(T("✖️ Quitar búsqueda"), id="clear_search", on_click=clear_search("families_page"), when="searching"),
            Button(T("⬅️ Menú"), id="back_main", on_click=on_menu),
            search_input("families_page", N_("Para buscar, escribe parte del nombre o el código (hasta {limit} "
                                             "caracteres).")),
            buttons_only(),
            state=Caseload.families,
            getter=families_getter,
        ),
        *card_windows(),
        *assign_windows(),
        *chats_windows(),
        *correct_windows(),
        *rights_windows(),
        on_start=on_start,
    )
