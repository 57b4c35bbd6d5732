"""➕ Adding a Catastro entry field by field (the guide's order; every field but the name may be skipped),
then a summary to save; ✏️ editing one field of an entry, saved at once.

What is being written lives in dialog_data["draft"] (the EntryData fields), with dialog_data["mode"]
"new" or "edit" and dialog_data["field"] the text field on screen, so a restart loses nothing.
"""
from types import SimpleNamespace
from typing import Any

from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.catastro.labels import QUESTIONS, entry_details, field_label
from dialogs.common.context import explain
from dialogs.common.inputs import InputProblem, text_input, text_problem
from dialogs.common.states import Catastro as C
from dialogs.common.widgets import T, buttons_only, choices
from program.catastro import TEXT_LIMITS, EntryData, FieldProblem, clean_text, fold
from program.text_split import short
from services import catastro
from services.errors import InvalidInput, NotAllowed
from texts.markers import N_

STEPS = ("name", "contact_person", "address", "sector", "phones", "email_web", "target_population", "theme",
         "dimensions", "programs_services", "access_requirements", "needs")
REASONS = {
    "name_taken": N_("Ya hay una institución con ese nombre en el Catastro. Búscala en la lista para editarla."),
    "missing_name": N_("El nombre no puede quedar vacío."),
    "too_long": N_("Ese dato es muy largo. Acórtalo, por favor."),
}


def draft(manager: DialogManager) -> dict:
    return manager.dialog_data.setdefault("draft", EntryData(name="").as_dict())


def editing(manager: DialogManager) -> bool:
    return manager.dialog_data.get("mode") == "edit"


async def start_adding(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data.update(mode="new", draft=EntryData(name="").as_dict(), review=False, field="name")
    await manager.switch_to(C.text)


async def start_editing(callback: CallbackQuery, _button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:
        found = await catastro.entry(data["session"], actor=data["viewer"].actor,
                                     entry_id=manager.dialog_data.get("entry_id", 0))
    except NotAllowed:
        await callback.answer(_("Esa institución no está en el Catastro de tu unidad."), show_alert=True)
        return
    manager.dialog_data.update(mode="edit", draft=catastro.entry_data(found).as_dict())
    await manager.switch_to(C.fields)


async def go_to(manager: DialogManager, field: str) -> None:
    if field in TEXT_LIMITS:
        manager.dialog_data["field"] = field
        await manager.switch_to(C.text)
    else:
        await manager.switch_to(C.dimensions if field == "dimensions" else C.areas)


async def after(manager: DialogManager, field: str) -> None:
    """A new entry's next step (or the summary); an edited entry's card."""
    if editing(manager):
        await manager.switch_to(C.entry)
    elif manager.dialog_data.get("review") or field == STEPS[-1]:
        await manager.switch_to(C.confirm)
    else:
        await go_to(manager, STEPS[STEPS.index(field) + 1])


async def save_field(manager: DialogManager, field: str, value) -> None:
    """In edit mode, the service stores it now; in new mode it stays in the draft."""
    if not editing(manager):
        draft(manager)[field] = value
        await after(manager, field)
        return
    data = manager.middleware_data
    try:
        found = await catastro.edit_entry(data["session"], actor=data["viewer"].actor,
                                          entry_id=manager.dialog_data.get("entry_id", 0), field=field, value=value,
                                          now=data["clock"]())
    except NotAllowed:
        await explain(manager, _("No puedes cambiar esa institución."))
        await manager.switch_to(C.list)
        return
    except InvalidInput as error:
        await explain(manager, _(REASONS.get(error.reason, REASONS["too_long"])))
        return
    manager.dialog_data["draft"] = catastro.entry_data(found).as_dict()
    await explain(manager, _("✅ Cambio guardado."))
    await after(manager, field)


async def on_text(_message: Message, manager: DialogManager, value: str) -> None:
    field = manager.dialog_data.get("field", "name")
    try:
        cleaned = clean_text(field, value)
    except FieldProblem:
        await explain(manager, text_problem(InputProblem("too_long", limit=TEXT_LIMITS[field], count=len(value))))
        return
    if field == "name" and not editing(manager):
        data = manager.middleware_data
        same = [e for e in await catastro.entries(data["session"], actor=data["viewer"].actor, query=cleaned)
                if fold(e.name) == fold(cleaned)]
        if same:
            await explain(manager, _(REASONS["name_taken"]))
            return
    await save_field(manager, field, cleaned)


async def on_skip(_callback, _button, manager: DialogManager) -> None:
    await save_field(manager, manager.dialog_data.get("field", "name"), None)


async def back_from(manager: DialogManager, field: str) -> None:
    if editing(manager):
        await manager.switch_to(C.fields)
    elif manager.dialog_data.get("review"):
        await manager.switch_to(C.confirm)
    elif field == STEPS[0]:
        manager.dialog_data.pop("draft", None)
        await manager.switch_to(C.list)
    else:
        await go_to(manager, STEPS[STEPS.index(field) - 1])


def back_button(field: str | None = None):
    async def on_click(_callback, _button, manager: DialogManager) -> None:
        await back_from(manager, field or manager.dialog_data.get("field", "name"))

    return on_click


def header(dialog_manager: DialogManager, field: str) -> dict:
    return {"new": not editing(dialog_manager) and not dialog_manager.dialog_data.get("review"),
            "step": STEPS.index(field) + 1, "steps": len(STEPS)}


async def text_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    field = dialog_manager.dialog_data.get("field", "name")
    current = draft(dialog_manager).get(field)
    new = not editing(dialog_manager)
    return header(dialog_manager, field) | {
        "question": _(QUESTIONS[field]), "current": short(current, 300), "has_current": bool(current),
        "can_skip": new and field != "name", "can_clear": not new and field != "name" and bool(current)}


async def fields_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    return {"fields": [(field, field_label(field)) for field in STEPS], "name": draft(dialog_manager).get("name", "")}


async def on_field(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in STEPS:
        manager.dialog_data["review"] = not editing(manager)
        await go_to(manager, item_id)


async def on_fields_back(_callback, _button, manager: DialogManager) -> None:
    await manager.switch_to(C.entry if editing(manager) else C.confirm)


async def confirm_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    return {"details": entry_details(SimpleNamespace(**draft(dialog_manager), active=True))}


async def on_save(_callback, _button, manager: DialogManager) -> None:
    data = manager.middleware_data
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in draft(manager).items()}
    try:
        found = await catastro.add_entry(data["session"], actor=data["viewer"].actor, now=data["clock"](),
                                         data=EntryData(**values))
    except NotAllowed:
        await explain(manager, _("No puedes agregar instituciones al Catastro."))
        await manager.switch_to(C.list)
        return
    except InvalidInput as error:
        await explain(manager, _(REASONS.get(error.reason, REASONS["too_long"])))
        return
    manager.dialog_data.update(entry_id=found.id, mode="edit", review=False)
    manager.dialog_data.pop("draft", None)
    await explain(manager, _("✅ «{name}» quedó en el Catastro.").format(name=found.name))
    await manager.switch_to(C.entry)


async def on_discard(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data.pop("draft", None)
    await manager.switch_to(C.list)


def edit_windows() -> list[Window]:
    return [
        Window(
            T("➕ Nueva institución · paso {step} de {steps}", when="new"),
            Format("{question}"),
            T("Ahora: {current}", when="has_current"),
            Button(T("⏭ Omitir"), id="skip", on_click=on_skip, when="can_skip"),
            Button(T("🧹 Dejar vacío"), id="clear", on_click=on_skip, when="can_clear"),
            Button(T("⬅️ Atrás"), id="back_text", on_click=back_button()),
            *text_input("catastro_text", on_text, limit=max(TEXT_LIMITS.values())),
            state=C.text, getter=text_getter,
        ),
        Window(
            T("✏️ {name}\n¿Qué dato quieres cambiar?"),
            Column(choices("field", "fields", on_field)),
            Button(T("⬅️ Volver"), id="back_fields", on_click=on_fields_back),
            buttons_only(), state=C.fields, getter=fields_getter,
        ),
        Window(
            T("Revisa la nueva institución:"),
            Format("{details}"),
            Button(T("💾 Guardar"), id="save", on_click=on_save),
            SwitchTo(T("✏️ Cambiar un dato"), id="change", state=C.fields),
            Button(T("✖️ Descartar"), id="discard", on_click=on_discard),
            buttons_only(), state=C.confirm, getter=confirm_getter,
        ),
    ]
