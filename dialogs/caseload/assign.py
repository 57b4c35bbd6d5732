"""🔁 Reasignar (jefe/a only): choose the role, then the person of the unit, then confirm.

Every step asks the service again (services.caseload_assign), so a forged or stale button is refused
kindly there, and audited."""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, ScrollingGroup, SwitchTo

from dialogs.caseload.card import family_id
from dialogs.common.labels import role_label
from dialogs.common.states import Caseload
from dialogs.common.widgets import T, buttons_only, choices
from services import caseload_assign
from services.caseload_assign import ASSIGNABLE
from services.errors import InvalidInput, NotAllowed

NOT_ALLOWED = {"denied": True, "allowed": False}


def _actor(manager: DialogManager):
    data = manager.middleware_data
    return data["session"], data["viewer"].actor


async def _options(manager: DialogManager):
    session, actor = _actor(manager)
    return await caseload_assign.reassign_options(session, actor=actor, family_id=family_id(manager),
                                                  role=manager.dialog_data.get("reassign_role", ""))


async def role_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    session, actor = _actor(dialog_manager)
    try:
        family = await caseload_assign.may_reassign(session, actor=actor, family_id=family_id(dialog_manager))
    except NotAllowed:
        return NOT_ALLOWED
    return {"denied": False, "allowed": True, "family_name": family.family_name, "code": family.code,
            "roles": [(str(role), role_label(role)) for role in ASSIGNABLE]}


async def on_role(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id not in {str(role) for role in ASSIGNABLE}:
        return
    manager.dialog_data["reassign_role"] = item_id
    await manager.switch_to(Caseload.reassign_person)


async def person_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    try:
        options = await _options(dialog_manager)
    except (NotAllowed, InvalidInput):
        return NOT_ALLOWED
    chosen = next((p.name for p in options.staff if p.id == dialog_manager.dialog_data.get("reassign_to")), "—")
    current = next((p.name for p in options.staff if p.id == options.current_id), _("sin asignar"))
    people = [(str(p.id), f"{'✓ ' if p.id == options.current_id else ''}{p.name}") for p in options.staff]
    return {"denied": False, "allowed": True, "role": role_label(options.role), "current": current,
            "people": people, "nobody": not people, "family_name": options.family.family_name,
            "code": options.family.code, "person": chosen}


async def on_person(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    try:
        options = await _options(manager)
    except (NotAllowed, InvalidInput):
        await callback.answer(_("Solo la jefatura de la unidad puede reasignar familias."), show_alert=True)
        return
    if item_id not in {str(p.id) for p in options.staff}:
        await callback.answer(_("Esa persona ya no está en la lista. Elige otra."), show_alert=True)
        return
    manager.dialog_data["reassign_to"] = int(item_id)
    await manager.switch_to(Caseload.reassign_confirm)


async def on_confirm(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    session, actor = _actor(manager)
    try:
        person = await caseload_assign.reassign_family(
            session, actor=actor, family_id=family_id(manager), role=manager.dialog_data.get("reassign_role", ""),
            staff_id=manager.dialog_data.get("reassign_to", 0), now=manager.middleware_data["clock"]())
    except NotAllowed:
        await callback.answer(_("Solo la jefatura de la unidad puede reasignar familias."), show_alert=True)
        await manager.switch_to(Caseload.family)
        return
    except InvalidInput:
        await callback.answer(_("Esa persona ya no está en la lista. Elige otra."), show_alert=True)
        await manager.switch_to(Caseload.reassign_person)
        return
    await callback.answer(_("Listo: la familia quedó asignada a {name}.").format(name=person.name))
    for key in ("reassign_role", "reassign_to"):
        manager.dialog_data.pop(key, None)
    await manager.switch_to(Caseload.family)


def _to_card(widget_id: str) -> SwitchTo:
    return SwitchTo(T("⬅️ Ficha de la familia"), id=widget_id, state=Caseload.family)


def assign_windows() -> list[Window]:
    return [
        Window(
            T("🔁 Reasignar la familia {family_name} · {code}\n¿Qué rol quieres cambiar?", when="allowed"),
            T("Solo la jefatura de la unidad puede reasignar familias.", when="denied"),
            Column(choices("reassign_role", "roles", on_role), when="allowed"),
            _to_card("reassign_role_back"),
            buttons_only(),
            state=Caseload.reassign_role,
            getter=role_getter,
        ),
        Window(
            T("🔁 {family_name} · {code}\n{role}: ¿a quién se la asignas?\nAhora: {current}", when="allowed"),
            T("No hay personas activas con ese rol en la unidad.", when="nobody"),
            T("Solo la jefatura de la unidad puede reasignar familias.", when="denied"),
            ScrollingGroup(
                choices("reassign_person", "people", on_person),
                id="reassign_people", width=1, height=8, hide_on_single_page=True, when="allowed",
            ),
            SwitchTo(T("⬅️ Elegir otro rol"), id="reassign_person_back", state=Caseload.reassign_role),
            buttons_only(),
            state=Caseload.reassign_person,
            getter=person_getter,
        ),
        Window(
            T("🔁 ¿Asignar la familia {family_name} · {code} a {person} como {role}?\nAhora: {current}",
              when="allowed"),
            T("Solo la jefatura de la unidad puede reasignar familias.", when="denied"),
            Button(T("✅ Confirmar"), id="reassign_confirm", on_click=on_confirm, when="allowed"),
            SwitchTo(T("⬅️ Elegir a otra persona"), id="reassign_confirm_back", state=Caseload.reassign_person),
            _to_card("reassign_cancel"),
            buttons_only(),
            state=Caseload.reassign_confirm,
            getter=person_getter,
        ),
    ]
