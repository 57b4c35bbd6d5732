"""➕ A commitment of the family's own: dimension → topic → what we will do → who → deadline → save.

Topic and action take text or a voice note; who and when are buttons (and a calendar); the draft is kept
in dialog_data["new"] after every step, so a restart in the middle loses nothing.
"""
from datetime import date, timedelta

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo

from dialogs.common.context import explain, today
from dialogs.common.inputs import date_input
from dialogs.common.pickers import ClockCalendar
from dialogs.common.record_labels import dimension_label
from dialogs.common.states import FamilyPlan as P
from dialogs.common.text_or_voice import text_or_voice, voice_label
from dialogs.common.widgets import T, buttons_only, choices
from program.clock import format_date
from program.matriz import DIMENSIONS
from services import family_plan
from services.errors import InvalidInput, NotAllowed


def _new(manager: DialogManager) -> dict:
    return manager.dialog_data.setdefault("new", {})


async def start_add(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data["new"] = {}
    await manager.switch_to(P.add_dimension)


def _said(new: dict, field: str) -> str:
    if new.get(field):
        return new[field]
    voice = new.get(f"{field}_voice")
    return voice_label(voice[1]) if voice else ""


async def add_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    new = _new(dialog_manager)
    members = (await family_plan.my_plan(session, actor=viewer.actor)).members
    now = today(dialog_manager)
    who = [("family", _("👨‍👩‍👧 Toda la familia"))] + [
        (str(m.id), f"👤 {m.given_names} {m.surnames}".strip()) for m in members.values()]
    chosen = dict(who).get(new.get("who", "family"), "")
    deadline = date.fromisoformat(new["deadline"]) if new.get("deadline") else None
    return {"dimensions": [(d.id, dimension_label(d.id)) for d in DIMENSIONS], "who": who,
            "dimension": dimension_label(new["dimension"]) if new.get("dimension") else "",
            "topic": _said(new, "topic"), "action": _said(new, "action") or "—", "chosen": chosen,
            "deadline": format_date(deadline) if deadline else "", "today": now, "cal_min": now,
            "week": format_date(now + timedelta(days=7)), "month": format_date(now + timedelta(days=30))}


async def on_dimension(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in {d.id for d in DIMENSIONS}:
        _new(manager)["dimension"] = item_id
        await manager.switch_to(P.add_topic)


def _text_step(field: str, following):
    async def on_text(_message: Message, manager: DialogManager, value: str) -> None:
        new = _new(manager)
        new[field], new[f"{field}_voice"] = value, None
        await manager.switch_to(following)

    async def on_voice(_message: Message, manager: DialogManager, file_id: str, seconds: int) -> None:
        new = _new(manager)
        new[field], new[f"{field}_voice"] = "", [file_id, seconds]
        await manager.switch_to(following)

    return text_or_voice(f"new_{field}", on_text, on_voice)


async def on_skip_action(_callback, _button, manager: DialogManager) -> None:
    new = _new(manager)
    new["action"], new["action_voice"] = "", None
    await manager.switch_to(P.add_who)


async def on_who(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    _new(manager)["who"] = item_id
    await manager.switch_to(P.add_deadline)


async def set_deadline(_event, manager: DialogManager, value: date) -> None:
    if value < today(manager):
        await explain(manager, _("Esa fecha ya pasó. Elige hoy o un día que viene, por favor."))
        return
    _new(manager)["deadline"] = value.isoformat()
    await manager.switch_to(P.add_confirm)


def _in_days(days: int):
    async def on_click(callback, _button, manager: DialogManager) -> None:
        await set_deadline(callback, manager, today(manager) + timedelta(days=days))

    return on_click


async def on_calendar(callback, _widget, manager: DialogManager, value: date) -> None:
    await set_deadline(callback, manager, value)


def _voice(value) -> family_plan.Voice | None:
    return family_plan.Voice(value[0], int(value[1])) if value else None


async def on_save(_callback, _button, manager: DialogManager) -> None:
    data, new = manager.middleware_data, _new(manager)
    who = new.get("who", "family")
    draft = family_plan.NewCommitment(
        dimension=new.get("dimension", ""), topic=new.get("topic") or "", topic_voice=_voice(new.get("topic_voice")),
        action=new.get("action") or "", action_voice=_voice(new.get("action_voice")),
        responsible_member_id=int(who) if who.isdigit() else None,
        deadline=date.fromisoformat(new["deadline"]) if new.get("deadline") else None)
    try:
        await family_plan.add(data["session"], actor=data["viewer"].actor, new=draft, today=today(manager),
                              now=data["clock"]())
    except NotAllowed:
        await explain(manager, _("Solo la persona representante puede agregar compromisos."))
        await manager.switch_to(P.plan)
        return
    except InvalidInput as error:
        step = {"deadline_in_past": P.add_deadline, "missing_topic": P.add_topic, "unknown_member": P.add_who
                }.get(error.reason, P.add_dimension)
        await explain(manager, _("Falta un dato o ya no vale. Revísalo, por favor."))
        await manager.switch_to(step)
        return
    manager.dialog_data.pop("new", None)
    await explain(manager, _("¡Listo! El compromiso quedó en tu plan ✅ Te recordaré el plazo."))
    await manager.switch_to(P.plan)


def add_windows() -> list[Window]:
    return [
        Window(
            T("➕ Nuevo compromiso · 1/5\n¿En qué parte de su bienestar?"),
            Column(choices("new_dim", "dimensions", on_dimension)),
            SwitchTo(T("⬅️ Mi plan"), id="back_new_dim", state=P.plan),
            buttons_only(), state=P.add_dimension, getter=add_getter,
        ),
        Window(
            T("➕ {dimension} · 2/5\n¿Qué tema trabajaremos? Escríbelo o manda un audio 🎤."),
            SwitchTo(T("⬅️ Atrás"), id="back_new_topic", state=P.add_dimension),
            *_text_step("topic", P.add_action),
            state=P.add_topic, getter=add_getter,
        ),
        Window(
            T("➕ {dimension} · 3/5\n¿Qué haremos? Escríbelo o manda un audio 🎤."),
            Button(T("⏭ Omitir"), id="skip_action", on_click=on_skip_action),
            SwitchTo(T("⬅️ Atrás"), id="back_new_action", state=P.add_topic),
            *_text_step("action", P.add_who),
            state=P.add_action, getter=add_getter,
        ),
        Window(
            T("➕ {dimension} · 4/5\n¿Quién lo hará?"),
            Column(choices("new_who", "who", on_who)),
            SwitchTo(T("⬅️ Atrás"), id="back_new_who", state=P.add_action),
            buttons_only(), state=P.add_who, getter=add_getter,
        ),
        Window(
            T("➕ {dimension} · 5/5\n¿Para cuándo? Toca un botón o un día."),
            Row(Button(T("+1 semana ({week})"), id="new_7", on_click=_in_days(7)),
                Button(T("+1 mes ({month})"), id="new_30", on_click=_in_days(30))),
            ClockCalendar("new_cal", on_click=on_calendar, min_key="cal_min"),
            SwitchTo(T("⬅️ Atrás"), id="back_new_deadline", state=P.add_who),
            *date_input("new_deadline_text", set_deadline),
            state=P.add_deadline, getter=add_getter,
        ),
        Window(
            T("➕ ¿Guardamos este compromiso?\n\n{dimension}\n¿Qué tema? {topic}\n¿Qué haremos? {action}\n"
              "¿Quién? {chosen}\n¿Para cuándo? {deadline}"),
            Button(T("💾 Guardar"), id="new_save", on_click=on_save),
            SwitchTo(T("✏️ Cambiar la fecha"), id="new_change_date", state=P.add_deadline),
            SwitchTo(T("🗑 No guardar"), id="new_drop", state=P.plan),
            buttons_only(), state=P.add_confirm, getter=add_getter,
        ),
    ]
