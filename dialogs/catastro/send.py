"""📍 Enviar un recurso: from a family's card, the professional picks an entry of the unit's Catastro (pages,
search by typed name), sees what the family will get, and sends it; the family's representative receives
it through the outbox (services/catastro_send.py). Runs alone on its stack: back is the family's card again.
"""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, ScrollingGroup, SwitchTo

from dialogs.catastro.entries import entry_fields, on_entry_tapped, tapped_entry
from dialogs.catastro.labels import NOT_IN_UNIT, SEARCH_HINT
from dialogs.common.context import explain
from dialogs.common.search import clear_search, search_input
from dialogs.common.states import Caseload
from dialogs.common.states import CatastroSend as S
from dialogs.common.widgets import T, buttons_only, choices
from program.clock import format_datetime
from services import catastro, catastro_send
from services.errors import InvalidInput, NotAllowed, NotFound
from texts.catastro import entry_lines

PAGE = 8


def family_id(manager: DialogManager) -> int:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    return start.get("family_id", 0)


async def start_sending(callback: CallbackQuery, _button, manager: DialogManager) -> None:
    """The card's button: only a professional who may edit the family (a forged one is refused and audited)."""
    data, chosen = manager.middleware_data, manager.dialog_data.get("family_id", 0)
    try:
        await catastro_send.family_for_sending(data["session"], actor=data["viewer"].actor, family_id=chosen)
    except (NotAllowed, NotFound):
        await callback.answer(_("No puedes enviar recursos a esta familia."), show_alert=True)
        return
    await manager.start(S.pick, data={"family_id": chosen}, mode=StartMode.RESET_STACK)


async def back_to_card(_callback, _button, manager: DialogManager) -> None:
    await manager.start(Caseload.family, data={"family_id": family_id(manager)}, mode=StartMode.RESET_STACK)


async def pick_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    query = dialog_manager.dialog_data.get("query")
    try:
        family = await catastro_send.family_for_sending(session, actor=viewer.actor,
                                                        family_id=family_id(dialog_manager))
        linked = await catastro_send.recipient_linked(session, actor=viewer.actor, family_id=family.id)
        found = await catastro.entries(session, actor=viewer.actor, query=query)
    except (NotAllowed, NotFound):
        return {"denied": True, "allowed": False, "entries": [], "searching": False, "family": ""}
    return {"denied": False, "allowed": linked, "not_linked": not linked, "family": family.family_name,
            "entries": [(str(e.id), e.name[:60]) for e in found] if linked else [], "query": query or "",
            "searching": bool(query) and linked, "none_found": linked and not found and bool(query),
            "empty": linked and not found and not query}


async def confirm_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    found = await tapped_entry(dialog_manager, session, viewer)
    if found is None:
        return {"found": False, "missing": True, "preview": ""}
    return {"found": True, "missing": False, "preview": "\n".join(entry_lines(entry_fields(found), _))}


async def on_send(callback: CallbackQuery, _button, manager: DialogManager) -> None:
    data = manager.middleware_data
    viewer = data["viewer"]
    try:
        due = await catastro_send.send_entry(data["session"], actor=viewer.actor, family_id=family_id(manager),
                                             entry_id=manager.dialog_data.get("entry_id", 0), now=data["clock"]())
    except (NotAllowed, NotFound):
        await callback.answer(_("No se pudo enviar: esa familia o esa institución ya no está a tu cargo."),
                              show_alert=True)
        return
    except InvalidInput:
        await callback.answer(_("La persona representante aún no usa Acompaña. Invítala desde la ficha."),
                              show_alert=True)
        return
    if due > data["clock"]():
        await explain(manager, _("✅ Listo. Por el horario de descanso, le llegará a la familia el {when}.").format(
            when=format_datetime(due, viewer.timezone)))
    else:
        await explain(manager, _("✅ Listo: se lo enviamos a la familia."))
    await back_to_card(callback, None, manager)


def catastro_send_dialog() -> Dialog:
    return Dialog(
        Window(
            T("📍 Enviar un recurso a la familia {family}\nElige una institución u organización del Catastro. "
              "Para buscar, escribe parte del nombre.", when="allowed"),
            T("🔎 «{query}»", when="searching"),
            T("La persona representante de la familia {family} aún no usa Acompaña. Invítala desde la ficha.",
              when="not_linked"),
            T("El Catastro de tu unidad aún no tiene instituciones. Lo completa el Gestor Sociocomunitario.",
              when="empty"),
            T("No encontré instituciones con ese nombre.", when="none_found"),
            T("No puedes enviar recursos a esta familia.", when="denied"),
            ScrollingGroup(
                choices("entry", "entries", on_entry_tapped(S.confirm, NOT_IN_UNIT)),
                id="send_page", width=1, height=PAGE, hide_on_single_page=True,
            ),
            Button(T("✖️ Quitar búsqueda"), id="clear_search", on_click=clear_search("send_page"), when="searching"),
            Button(T("⬅️ Ficha de la familia"), id="back_card", on_click=back_to_card),
            search_input("send_page", SEARCH_HINT),
            buttons_only(),
            state=S.pick, getter=pick_getter,
        ),
        Window(
            T("La familia recibirá esto en Acompaña:\n\n{preview}", when="found"),
            T("Esa institución no está en el Catastro de tu unidad.", when="missing"),
            Button(T("✅ Enviar"), id="send", on_click=on_send, when="found"),
            SwitchTo(T("⬅️ Elegir otra"), id="back_pick", state=S.pick),
            buttons_only(), state=S.confirm, getter=confirm_getter,
        ),
    )
