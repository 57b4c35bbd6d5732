"""🗂 Mi plan: the family's commitments by dimension, how each one goes, with a note or a voice note.

Buttons first: a commitment is opened with one tap, marked with one more, and the note is optional
("⏭ Sin nota"). What was chosen lives in dialog_data (in the database), so a restart keeps it.
"""
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, ScrollingGroup, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.common.context import explain
from dialogs.common.record_labels import commitment_status_label, dimension_label, responsible_label
from dialogs.common.states import FamilyPlan as P
from dialogs.common.text_or_voice import family_text_problem, text_or_voice, voice_label
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.family.plan_add import add_windows, start_add
from program.clock import format_date
from services import family_plan
from services.errors import InvalidInput, NotAllowed

STATUS_BUTTONS = (("done", "✅ ¡Lo hicimos!"), ("in_progress", "🔄 Vamos avanzando"), ("not_done", "😕 No pudimos"))


def topic_text(commitment) -> str:
    if commitment.topic:
        return commitment.topic
    return voice_label(commitment.topic_voice_duration or 0) if commitment.topic_voice_file_id else "—"


def _who(commitment, members) -> str:
    member = members.get(commitment.responsible_member_id)
    return responsible_label(commitment.responsible, f"{member.given_names} {member.surnames}".strip() if member
                             else None)


async def plan_getter(session, viewer, **_kwargs) -> dict:
    view = await family_plan.my_plan(session, actor=viewer.actor)
    lines: list[str] = []
    dimension = None
    for c in view.commitments:
        if c.dimension != dimension:
            dimension = c.dimension
            lines += ([""] if lines else []) + [dimension_label(dimension)]
        deadline = f" · {format_date(c.deadline)}" if c.deadline else ""
        status = commitment_status_label(c.status)
        lines.append(f"• {topic_text(c)[:80]} — {_who(c, view.members)}{deadline} · {status}")
    items = [(str(c.id), f"{dimension_label(c.dimension).split(' ')[0]} {topic_text(c)[:40]}")
             for c in view.commitments]
    return {"lines": "\n".join(lines[:60]), "items": items, "empty": not items, "has_items": bool(items),
            "can_add": view.can_add}


async def on_open(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    data = manager.middleware_data
    try:
        await family_plan.commitment(data["session"], actor=data["viewer"].actor,
                                     commitment_id=int(item_id) if item_id.isdigit() else 0)
    except NotAllowed:
        await callback.answer(_("Ese compromiso no está en tu plan."), show_alert=True)
        return
    manager.dialog_data["commitment_id"] = int(item_id)
    await manager.switch_to(P.commitment)


async def commitment_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    commitment_id = dialog_manager.dialog_data.get("commitment_id", 0)
    try:
        c = await family_plan.commitment(session, actor=viewer.actor, commitment_id=commitment_id)
    except NotAllowed:
        return {"found": False, "text": _("Ese compromiso ya no está en tu plan."), "can_mark": False}
    view = await family_plan.my_plan(session, actor=viewer.actor)
    lines = [dimension_label(c.dimension), "", _("¿Qué tema trabajaremos? {topic}").format(topic=topic_text(c))]
    if c.action or c.action_voice_file_id:
        action = c.action or voice_label(c.action_voice_duration or 0)
        lines.append(_("¿Qué haremos? {action}").format(action=action))
    lines.append(_("¿Quién? {who}").format(who=_who(c, view.members)))
    if c.deadline:
        lines.append(_("¿Para cuándo? {date}").format(date=format_date(c.deadline)))
    lines.append(_("Estado: {status}").format(status=commitment_status_label(c.status)))
    return {"found": True, "text": "\n".join(lines), "can_mark": True,
            "has_voice": bool(c.topic_voice_file_id or c.action_voice_file_id)}


async def on_listen(callback: CallbackQuery, _button, manager: DialogManager) -> None:
    data = manager.middleware_data
    c = await family_plan.commitment(data["session"], actor=data["viewer"].actor,
                                     commitment_id=manager.dialog_data.get("commitment_id", 0))
    for file_id in (c.topic_voice_file_id, c.action_voice_file_id):
        if file_id and callback.message is not None:
            await callback.message.answer_voice(file_id)


def _status_button(status: str, label: str) -> Button:
    async def on_click(_callback, _button, manager: DialogManager) -> None:
        manager.dialog_data["status"] = status
        await manager.switch_to(P.progress_note)

    return Button(T(label), id=f"mark_{status}", on_click=on_click, when="can_mark")


async def _save(manager: DialogManager, note: str | None = None, voice=None) -> None:
    data = manager.middleware_data
    try:
        await family_plan.mark(data["session"], actor=data["viewer"].actor,
                               commitment_id=manager.dialog_data.get("commitment_id", 0),
                               status=manager.dialog_data.get("status", ""), note=note, voice=voice,
                               now=data["clock"]())
    except NotAllowed:
        await explain(manager, _("Ese compromiso no está en tu plan."))
        await manager.switch_to(P.plan)
        return
    except InvalidInput as error:
        await explain(manager, family_text_problem(error.reason))
        return
    await explain(manager, _("¡Gracias! Lo anotamos ✅ Tu Apoyo Familiar lo verá."))
    await manager.switch_to(P.plan)


async def on_note_text(_message: Message, manager: DialogManager, value: str) -> None:
    await _save(manager, note=value)


async def on_note_voice(_message: Message, manager: DialogManager, file_id: str, seconds: int) -> None:
    await _save(manager, voice=family_plan.Voice(file_id, seconds))


async def on_no_note(_callback, _button, manager: DialogManager) -> None:
    await _save(manager)


def family_plan_dialog() -> Dialog:
    return Dialog(
        Window(
            T("🗂 Mi plan\n\n{lines}", when="has_items"),
            T("🗂 Mi plan\n\nTodavía no hay compromisos en tu plan. Tu Apoyo Familiar los anota con ustedes.",
              when="empty"),
            ScrollingGroup(choices("commitment", "items", on_open), id="commitments", width=1, height=6,
                           hide_on_single_page=True),
            Button(T("➕ Agregar un compromiso"), id="add", on_click=start_add, when="can_add"),
            Cancel(T("⬅️ Menú")),
            buttons_only(),
            state=P.plan, getter=plan_getter,
        ),
        Window(
            Format("{text}"),
            Column(*(_status_button(status, label) for status, label in STATUS_BUTTONS)),
            Button(T("🎤 Escuchar"), id="listen", on_click=on_listen, when="has_voice"),
            SwitchTo(T("⬅️ Mi plan"), id="back_plan", state=P.plan),
            buttons_only(),
            state=P.commitment, getter=commitment_getter,
        ),
        Window(
            T("¿Quieres contar algo más? Escribe o manda un audio 🎤 (opcional)."),
            Button(T("⏭ Sin nota"), id="no_note", on_click=on_no_note),
            SwitchTo(T("⬅️ Atrás"), id="back_commitment", state=P.commitment),
            *text_or_voice("progress_text", on_note_text, on_note_voice,
                           hint=lambda: _("Aquí puedes escribir o mandar un audio 🎤. O toca «Sin nota».")),
            state=P.progress_note,
        ),
        *add_windows(),
    )
