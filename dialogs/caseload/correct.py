"""✏️ Corregir datos, from a family's card (rectification, Ley 21.719): the assigned AFI or the jefe/a
picks a member, then the field, then types the new value; and the corrections the family asked for,
listened to or read here and marked done. Old and new values go to member_change (services/rectification)."""
from datetime import date

from aiogram.enums import ContentType
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, Window
from aiogram_dialog.widgets.input import MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Column, SwitchTo

from dialogs.caseload.card import family_id
from dialogs.common.context import explain, today
from dialogs.common.states import Caseload
from dialogs.common.widgets import T, buttons_only, choices
from program.clock import format_date, format_datetime
from program.rectification import FIELDS, InvalidValue
from program.run import format_run
from program.text_split import short
from services import rectification
from services.errors import InvalidInput, NotAllowed, NotFound
from texts.markers import N_

FIELD_LABELS = {"given_names": N_("Nombres"), "surnames": N_("Apellidos"), "run": N_("RUN"),
                "birth_date": N_("Fecha de nacimiento"), "relation": N_("Parentesco")}
PROMPTS = {"given_names": N_("Escribe los nombres como deben quedar."),
           "surnames": N_("Escribe los apellidos como deben quedar."),
           "run": N_("Escribe el RUN con su dígito verificador (por ejemplo 12.345.678-5)."),
           "birth_date": N_("Escribe la fecha de nacimiento (dd-mm-aaaa, por ejemplo 05-03-1988)."),
           "relation": N_("Escribe el parentesco (por ejemplo «hija», «jefa de hogar»).")}
PROBLEMS = {"empty": N_("No escribiste nada. Escribe el nuevo valor o toca ⬅️ Atrás."),
            "too_long": N_("Es demasiado largo. Escríbelo más corto."),
            "run_malformed": N_("Eso no parece un RUN. Escríbelo así: 12.345.678-5."),
            "run_out_of_range": N_("Ese número de RUN no existe. Revísalo en la cédula."),
            "run_check_digit": N_("El dígito verificador no corresponde a ese RUN. Revísalo en la cédula."),
            "run_in_use": N_("Ese RUN ya está registrado para otra persona. Revísalo; si es un error, avisa a la "
                             "jefatura."),
            "bad_date": N_("No entendí la fecha. Escríbela así: 05-03-1988."),
            "future_date": N_("Esa fecha todavía no llega. Revisa el año."),
            "too_old": N_("Esa fecha es demasiado antigua. Revisa el año."),
            "unchanged": N_("Ese ya es el valor registrado: no cambié nada.")}


def _shown(field: str, value) -> str:
    if value in (None, ""):
        return "—"
    if field == "run":
        return format_run(value)
    if field == "birth_date":
        return format_date(value)
    return str(value)


async def start_correcting(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:  # the button shows only to who may correct; a forged one is refused (and audited) by the service
        await rectification.correctable(data["session"], actor=data["viewer"].actor, family_id=family_id(manager))
    except NotAllowed:
        await callback.answer(_("Solo el Apoyo Familiar asignado o la jefatura pueden corregir estos datos."),
                              show_alert=True)
        return
    await manager.switch_to(Caseload.correct_member)


async def members_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    try:
        found = await rectification.correctable(session, actor=viewer.actor, family_id=family_id(dialog_manager))
    except NotAllowed:
        return {"members": [], "denied": True}
    return {"members": [(m.id, f"{m.given_names} {m.surnames}".strip()) for m in found.members], "denied": False}


async def fields_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    member_id = dialog_manager.dialog_data.get("correct_member")
    try:
        found = await rectification.correctable(session, actor=viewer.actor, family_id=family_id(dialog_manager))
    except NotAllowed:
        return {"fields": [], "name": ""}
    member = next((m for m in found.members if m.id == member_id), None)
    if member is None:
        return {"fields": [], "name": ""}
    fields = [(f, f"{_(FIELD_LABELS[f])}: {_shown(f, getattr(member, f))}") for f in FIELDS]
    return {"fields": fields, "name": f"{member.given_names} {member.surnames}".strip()}


async def value_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    field = dialog_manager.dialog_data.get("correct_field", "given_names")
    return {"field": _(FIELD_LABELS.get(field, "")), "prompt": _(PROMPTS.get(field, ""))}


async def on_member(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    manager.dialog_data["correct_member"] = int(item_id)
    await manager.switch_to(Caseload.correct_field)


async def on_field(_callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in FIELDS:
        manager.dialog_data["correct_field"] = item_id
        await manager.switch_to(Caseload.correct_value)


async def on_value(message: Message, _widget, manager: DialogManager, value: str) -> None:
    data, draft = manager.middleware_data, manager.dialog_data
    field = draft.get("correct_field", "")
    try:
        change = await rectification.correct_member(
            data["session"], actor=data["viewer"].actor, member_id=draft.get("correct_member", 0), field=field,
            raw_value=value, today=today(manager), now=data["clock"]())
    except (InvalidValue, InvalidInput) as problem:
        await explain(manager, _(PROBLEMS.get(problem.reason, PROBLEMS["empty"])))
        return
    except (NotAllowed, NotFound):
        await explain(manager, _("Solo el Apoyo Familiar asignado o la jefatura pueden corregir estos datos."))
        await manager.switch_to(Caseload.family)
        return
    old = _shown(field, change.old_value if field != "birth_date" else _date(change.old_value))
    new = _shown(field, change.new_value if field != "birth_date" else _date(change.new_value))
    await explain(manager, _("✅ Corregido · {field}: «{old}» → «{new}». El cambio queda registrado.").format(
        field=_(FIELD_LABELS[field]), old=old, new=new))
    await manager.switch_to(Caseload.correct_field)


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


async def on_not_text(message: Message, _widget, manager: DialogManager) -> None:
    await explain(manager, _("Escribe el nuevo valor con el teclado, o toca ⬅️ Atrás."))


async def requests_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    requests = await rectification.open_requests(session, actor=viewer.actor, family_id=family_id(dialog_manager))
    lines, items = [], []
    for number, request in enumerate(requests, start=1):
        said = f"«{short(request.text, 300)}»" if request.text else _("🎤 nota de voz")
        lines.append(f"{number}. {format_datetime(request.created_at, viewer.timezone)} · {said}")
        if request.voice_file_id:
            items.append((f"voice:{request.id}", _("🎧 Escuchar {number}").format(number=number)))
        items.append((f"done:{request.id}", _("✔️ {number} está corregido").format(number=number)))
    return {"requests": "\n".join(lines) or _("No hay pedidos pendientes."), "items": items,
            "has_items": bool(items)}


async def on_request(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    data = manager.middleware_data
    action, _sep, raw_id = item_id.partition(":")
    if not raw_id.isdigit():
        return
    viewer, session = data["viewer"], data["session"]
    if action == "voice":
        requests = await rectification.open_requests(session, actor=viewer.actor, family_id=family_id(manager))
        found = next((r for r in requests if r.id == int(raw_id) and r.voice_file_id), None)
        if found is not None:
            await data["bot"].send_voice(data["event_chat"].id, found.voice_file_id)
            manager.show_mode = ShowMode.SEND
        return
    try:
        await rectification.mark_done(session, actor=viewer.actor, request_id=int(raw_id), now=data["clock"]())
    except (NotAllowed, NotFound):
        await callback.answer(_("Solo el Apoyo Familiar asignado o la jefatura pueden marcarlo."), show_alert=True)
        return
    await callback.answer(_("Listo ✅"))


def correct_windows() -> list[Window]:
    back = SwitchTo(T("⬅️ Ficha de la familia"), id="back_correct", state=Caseload.family)
    return [
        Window(
            T("✏️ Corregir datos: ¿de quién?"),
            Column(choices("correct_who", "members", on_member)),
            back, buttons_only(), state=Caseload.correct_member, getter=members_getter,
        ),
        Window(
            T("✏️ {name}: ¿qué dato corriges?"),
            Column(choices("correct_what", "fields", on_field)),
            SwitchTo(T("⬅️ Atrás"), id="back_field", state=Caseload.correct_member),
            SwitchTo(T("⬅️ Ficha de la familia"), id="back_field_card", state=Caseload.family),
            buttons_only(), state=Caseload.correct_field, getter=fields_getter,
        ),
        Window(
            T("✏️ {field}\n{prompt}"),
            SwitchTo(T("⬅️ Atrás"), id="back_value", state=Caseload.correct_field),
            TextInput(id="correct_value", on_success=on_value),
            MessageInput(on_not_text, content_types=ContentType.ANY),
            state=Caseload.correct_value, getter=value_getter,
        ),
        Window(
            T("✏️ Correcciones que pidió la familia:\n\n{requests}"),
            Column(choices("correction_item", "items", on_request), when="has_items"),
            Button(T("✏️ Corregir datos"), id="requests_correct", on_click=start_correcting),
            SwitchTo(T("⬅️ Ficha de la familia"), id="back_requests", state=Caseload.family),
            buttons_only(), state=Caseload.corrections, getter=requests_getter,
        ),
    ]
