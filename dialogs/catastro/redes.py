"""🕸 Plan de Redes (Guía N°20): the activities agreed with the unit's networks, by date; add one
(description, responsible, indicator, resources, date; the last three may be skipped) or delete one.
Inside the Catastro dialog; the draft lives in dialog_data["activity"]."""
from datetime import date

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.common.context import explain, today
from dialogs.common.inputs import date_input, text_input
from dialogs.common.record_labels import fit
from dialogs.common.states import Catastro as C
from dialogs.common.widgets import T, buttons_only, choices
from program.clock import format_date
from program.text_split import short
from services import redes
from services.errors import InvalidInput, NotAllowed
from texts.markers import N_

STEPS = ("description", "responsible", "indicator", "resources")
OPTIONAL = ("indicator", "resources")
QUESTIONS = {
    "description": N_("¿Qué actividad se acordó con la red? Descríbela (por ejemplo: taller de liderazgo en la sede "
                      "vecinal)."),
    "responsible": N_("¿Quién es responsable (institución, organización o persona)?"),
    "indicator": N_("¿Con qué indicador se sabrá que se cumplió?"),
    "resources": N_("¿Qué recursos aporta la red?"),
}


def _line(n: int, activity) -> list[str]:
    when = format_date(activity.on) if activity.on else _("sin fecha")
    lines = [f"{n}. {when} · {short(activity.description, 200)}", "   " + _("👤 {who}").format(
        who=short(activity.responsible, 100))]
    if activity.indicator:
        lines.append("   " + _("📏 Indicador: {text}").format(text=short(activity.indicator, 150)))
    if activity.resources:
        lines.append("   " + _("🧰 Recursos: {text}").format(text=short(activity.resources, 150)))
    return lines


async def _activities(manager: DialogManager) -> list:
    data = manager.middleware_data
    try:
        return await redes.activities(data["session"], actor=data["viewer"].actor)
    except NotAllowed:
        return []


async def list_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    found = await _activities(dialog_manager)
    lines = [line for n, activity in enumerate(found, start=1) for line in _line(n, activity)]
    delete_id = dialog_manager.dialog_data.get("delete_id")
    doomed = next((a for a in found if a.id == delete_id), None)
    return {"lines": fit(lines), "has_items": bool(found), "empty": not found,
            "items": [(str(a.id), f"🗑 {n}. {short(a.description, 40)}") for n, a in enumerate(found, start=1)],
            "ask": doomed is not None, "doomed": short(doomed.description, 80) if doomed else "",
            "choose": doomed is None}


async def start_activity(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data.update(activity={}, redes_field=STEPS[0])
    await manager.switch_to(C.redes_text)


async def _next(manager: DialogManager, field: str) -> None:
    position = STEPS.index(field)
    if position + 1 < len(STEPS):
        manager.dialog_data["redes_field"] = STEPS[position + 1]
        await manager.switch_to(C.redes_text)
    else:
        await manager.switch_to(C.redes_date)


async def on_text(_message: Message, manager: DialogManager, value: str) -> None:
    field = manager.dialog_data.get("redes_field", STEPS[0])
    if len(value) > redes.LIMITS[field]:
        await explain(manager, _("Es muy largo: el máximo es {limit} caracteres y escribiste {count}. Acórtalo, por "
                                 "favor.").format(limit=redes.LIMITS[field], count=len(value)))
        return
    manager.dialog_data.setdefault("activity", {})[field] = value
    await _next(manager, field)


async def on_skip(_callback, _button, manager: DialogManager) -> None:
    field = manager.dialog_data.get("redes_field", STEPS[0])
    if field in OPTIONAL:
        manager.dialog_data.setdefault("activity", {})[field] = None
        await _next(manager, field)


async def text_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    field = dialog_manager.dialog_data.get("redes_field", STEPS[0])
    return {"question": _(QUESTIONS[field]), "step": STEPS.index(field) + 1, "steps": len(STEPS) + 1,
            "optional": field in OPTIONAL}


async def _save(manager: DialogManager, on: date | None) -> None:
    data, new = manager.middleware_data, manager.dialog_data.get("activity") or {}
    try:
        await redes.add_activity(data["session"], actor=data["viewer"].actor, description=new.get("description", ""),
                                 responsible=new.get("responsible", ""), indicator=new.get("indicator"),
                                 resources=new.get("resources"), on=on, now=data["clock"]())
    except NotAllowed:
        await explain(manager, _("Solo el Gestor Sociocomunitario y la jefatura de la unidad editan el Catastro."))
        await manager.switch_to(C.redes)
        return
    except InvalidInput:
        await explain(manager, _("Falta un dato o ya no vale. Revísalo, por favor."))
        await start_activity(None, None, manager)
        return
    manager.dialog_data.pop("activity", None)
    await explain(manager, _("✅ La actividad quedó en el Plan de Redes."))
    await manager.switch_to(C.redes)


async def on_date(_event, manager: DialogManager, value: date) -> None:
    await _save(manager, value)


async def on_no_date(_callback, _button, manager: DialogManager) -> None:
    await _save(manager, None)


async def date_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    return {"example": format_date(today(dialog_manager)), "step": len(STEPS) + 1, "steps": len(STEPS) + 1}


async def on_pick_delete(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    manager.dialog_data["delete_id"] = int(item_id) if item_id.isdigit() else 0


async def on_delete(callback: CallbackQuery, _button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:
        await redes.delete_activity(data["session"], actor=data["viewer"].actor,
                                    activity_id=manager.dialog_data.pop("delete_id", 0))
    except NotAllowed:
        await callback.answer(_("No se pudo borrar."), show_alert=True)
        return
    await explain(manager, _("🗑 Listo, se borró del Plan de Redes."))
    await manager.switch_to(C.redes)


async def on_keep(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data.pop("delete_id", None)


async def open_delete(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data.pop("delete_id", None)
    await manager.switch_to(C.redes_delete)


def redes_windows() -> list[Window]:
    return [
        Window(
            T("🕸 Plan de Redes Institucionales y Comunitarias para el Bienestar"),
            Format("\n{lines}", when="has_items"),
            T("\nAún no hay actividades. Agrega las que acordaron con las redes.", when="empty"),
            Button(T("➕ Agregar actividad"), id="redes_add", on_click=start_activity),
            Button(T("🗑 Borrar una actividad"), id="redes_delete", on_click=open_delete, when="has_items"),
            SwitchTo(T("⬅️ Catastro"), id="back_redes", state=C.list),
            buttons_only(), state=C.redes, getter=list_getter,
        ),
        Window(
            T("🕸 Nueva actividad · paso {step} de {steps}"),
            Format("{question}"),
            Button(T("⏭ Omitir"), id="redes_skip", on_click=on_skip, when="optional"),
            SwitchTo(T("✖️ Cancelar"), id="redes_cancel", state=C.redes),
            *text_input("redes_text", on_text, limit=max(redes.LIMITS.values())),
            state=C.redes_text, getter=text_getter,
        ),
        Window(
            T("🕸 Nueva actividad · paso {step} de {steps}\n¿Para qué fecha? Escríbela como día-mes-año, por ejemplo "
              "{example}."),
            Button(T("⏭ Sin fecha"), id="redes_no_date", on_click=on_no_date),
            SwitchTo(T("✖️ Cancelar"), id="redes_date_cancel", state=C.redes),
            *date_input("redes_date", on_date),
            state=C.redes_date, getter=date_getter,
        ),
        Window(
            T("🗑 ¿Qué actividad quieres borrar?", when="choose"),
            T("🗑 ¿Borrar «{doomed}» del Plan de Redes?", when="ask"),
            Column(choices("redes_item", "items", on_pick_delete), when="choose"),
            Row(Button(T("✅ Sí, borrar"), id="redes_delete_yes", on_click=on_delete),
                Button(T("↩️ No"), id="redes_delete_no", on_click=on_keep), when="ask"),
            SwitchTo(T("⬅️ Plan de Redes"), id="back_redes_delete", state=C.redes),
            buttons_only(), state=C.redes_delete, getter=list_getter,
        ),
    ]
