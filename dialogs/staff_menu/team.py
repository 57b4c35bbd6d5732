"""🧑‍💼 Accesos del equipo (jefe/a only, from 🏢 Mi unidad): the unit's active professionals with «Desactivar».

Every step asks services.revocation again, so a forged or stale button is refused kindly there, and audited.
A deactivated professional's chats hear one sentence from then on; their records stay (attributable)."""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, ScrollingGroup, SwitchTo

from dialogs.common.labels import role_label
from dialogs.common.states import StaffMenu
from dialogs.common.widgets import T, buttons_only, choices
from services import revocation
from services.errors import InvalidInput, NotAllowed

REFUSED = "Esta vista es de la jefatura de la unidad."


async def _team(manager: DialogManager):
    data = manager.middleware_data
    viewer = data["viewer"]
    people = await revocation.unit_staff(data["session"], actor=viewer.actor)
    return [p for p in people if p.id != viewer.staff.id]  # a jefe/a never deactivates themselves here


async def team_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    try:
        people = await _team(dialog_manager)
    except NotAllowed:
        return {"denied": True, "allowed": False}
    chosen = next((p for p in people if p.id == dialog_manager.dialog_data.get("deactivate")), None)
    return {"denied": False, "allowed": True, "nobody": not people,
            "people": [(str(p.id), _("🚫 Desactivar: {name} — {role}").format(name=p.name, role=role_label(p.role)))
                       for p in people],
            "person": chosen.name if chosen else "—", "role": role_label(chosen.role) if chosen else ""}


async def on_chosen(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    try:
        people = await _team(manager)
    except NotAllowed:
        await callback.answer(_(REFUSED), show_alert=True)
        return
    if item_id not in {str(p.id) for p in people}:
        await callback.answer(_("Esa persona ya no está en la lista."), show_alert=True)
        return
    manager.dialog_data["deactivate"] = int(item_id)
    await manager.switch_to(StaffMenu.deactivate_confirm)


async def on_confirm(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:
        staff = await revocation.deactivate_staff(data["session"], actor=data["viewer"].actor,
                                                  staff_id=manager.dialog_data.pop("deactivate", 0),
                                                  now=data["clock"]())
    except (NotAllowed, InvalidInput):
        await callback.answer(_(REFUSED), show_alert=True)
    else:
        await callback.answer(_("Listo: {name} ya no tiene acceso a Acompaña.").format(name=staff.name),
                              show_alert=True)
    await manager.switch_to(StaffMenu.team)


def team_windows() -> list[Window]:
    return [
        Window(
            T("🧑‍💼 Accesos del equipo\nQuien deje la unidad debe perder el acceso: desactívalo aquí. Sus "
              "registros quedan; sus familias, reasígnalas desde su ficha.", when="allowed"),
            T("No hay más personas activas en el equipo.", when="nobody"),
            T(REFUSED, when="denied"),
            ScrollingGroup(
                choices("deactivate_person", "people", on_chosen),
                id="team_page", width=1, height=8, hide_on_single_page=True, when="allowed",
            ),
            SwitchTo(T("⬅️ Mi unidad"), id="team_back", state=StaffMenu.unit),
            buttons_only(),
            state=StaffMenu.team,
            getter=team_getter,
        ),
        Window(
            T("🚫 ¿Desactivar a {person} ({role})? Dejará de tener acceso a Acompaña de inmediato y no recibirá "
              "más mensajes.", when="allowed"),
            T(REFUSED, when="denied"),
            Button(T("✅ Sí, desactivar"), id="deactivate_confirm", on_click=on_confirm, when="allowed"),
            SwitchTo(T("⬅️ No, volver"), id="deactivate_back", state=StaffMenu.team),
            buttons_only(),
            state=StaffMenu.deactivate_confirm,
            getter=team_getter,
        ),
    ]
