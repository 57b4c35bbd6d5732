"""Session record, one plan row step by step: dimension, topic, resources, action, responsible, deadline.

When editing, every step shows the current value and a "✔️ Mantener" button, so changing one field
costs one tap per other field.
"""
from dataclasses import asdict
from datetime import timedelta

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo

from dialogs.common.context import explain, today
from dialogs.common.inputs import date_input, text_input
from dialogs.common.pickers import ClockCalendar
from dialogs.common.record_labels import dimension_label
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.session_record.flow import get_draft, load_form, put_draft
from dialogs.session_record.steps.plan import responsible_label
from program.clock import format_date
from program.matriz import DIMENSIONS
from program.session_draft import PlanRow, Responsible


def _row(manager: DialogManager) -> dict:
    return manager.dialog_data.setdefault("row", asdict(PlanRow(dimension="", topic="", resources="", action="")))


async def row_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    row = PlanRow(**_row(dialog_manager))
    form = await load_form(dialog_manager)
    members = {m.member_id: m.name for m in form.members} if form else {}
    now = today(dialog_manager)
    responsible = [("family", _("👨‍👩‍👧 La familia"))]
    responsible += [(f"m{m.member_id}", f"👤 {m.name}") for m in (form.members if form else [])]
    responsible += [("program", _("🏛 El programa"))]
    return {"dimensions": [(d.id, dimension_label(d.id)) for d in DIMENSIONS], "responsibles": responsible,
            "dimension": dimension_label(row.dimension) if row.dimension else "", "has_dimension": bool(row.dimension),
            "topic": row.topic, "has_topic": bool(row.topic), "resources": row.resources,
            "has_resources": bool(row.resources), "action": row.action, "has_action": bool(row.action),
            "responsible": responsible_label(row, members),
            "has_responsible": bool(dialog_manager.dialog_data.get("row_chosen")),
            "deadline": format_date(row.deadline) if row.deadline else "", "has_deadline": row.deadline is not None,
            "removable": dialog_manager.dialog_data.get("row_index") is not None,
            "resources_unknown": bool(dialog_manager.dialog_data.get("row_resources_unknown")) and not row.resources,
            "today": now, "cal_min": now, "week": format_date(now + timedelta(days=7)),
            "month": format_date(now + timedelta(days=30))}


def _keep(field: str, next_state) -> SwitchTo:
    return SwitchTo(T("✔️ Mantener"), id=f"keep_{field}", state=next_state, when=f"has_{field}")


async def on_dimension(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id in {d.id for d in DIMENSIONS}:
        _row(manager)["dimension"] = item_id
        await manager.switch_to(R.row_topic)


async def on_remove_row(_callback, _button, manager: DialogManager) -> None:
    index, draft = manager.dialog_data.pop("row_index", None), get_draft(manager)
    if index is not None and index < len(draft.plan_rows):
        draft.plan_rows.pop(index)
        put_draft(manager, draft)
    await manager.switch_to(R.plan)


def _text_step(field: str, next_state):
    async def on_text(_message, manager: DialogManager, text: str) -> None:
        _row(manager)[field] = text
        await manager.switch_to(next_state)

    return on_text


async def on_responsible(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    row, form = _row(manager), await load_form(manager)
    if item_id in ("family", "program"):
        row.update(responsible=Responsible.FAMILY if item_id == "family" else Responsible.PROGRAM, member_id=None)
    elif form and any(f"m{m.member_id}" == item_id for m in form.members):
        row.update(responsible=Responsible.MEMBER, member_id=int(item_id[1:]))
    else:
        await explain(manager, _("Esa persona no es integrante de esta familia. Elige de la lista 👇"))
        return
    manager.dialog_data["row_chosen"] = True
    await manager.switch_to(R.row_deadline)


async def set_deadline(_event, manager: DialogManager, value) -> None:
    if value < today(manager):
        await explain(manager, _("Esa fecha ya pasó. Elige hoy o un día después."))
        return
    _row(manager)["deadline"] = value
    await _finish_row(manager)


async def _finish_row(manager: DialogManager) -> None:
    row, index = PlanRow(**manager.dialog_data.pop("row")), manager.dialog_data.pop("row_index", None)
    draft = get_draft(manager)
    same = next((i for i, r in enumerate(draft.plan_rows)
                 if row.commitment_id and r.commitment_id == row.commitment_id),
                None)
    index = index if index is not None else same
    if index is not None and index < len(draft.plan_rows):
        draft.plan_rows[index] = row
    else:
        draft.plan_rows.append(row)
    put_draft(manager, draft)
    await manager.switch_to(R.plan)


async def on_keep_deadline(_callback, _button, manager: DialogManager) -> None:
    await _finish_row(manager)


def _in_days(days: int):
    async def on_click(callback, _button, manager: DialogManager) -> None:
        await set_deadline(callback, manager, today(manager) + timedelta(days=days))

    return on_click


async def on_deadline_calendar(callback, _widget, manager: DialogManager, value) -> None:
    await set_deadline(callback, manager, value)


def row_windows() -> list[Window]:
    return [
        Window(
            T("✏️ Compromiso · 1/6\n¿En qué dimensión?"), T("Ahora: {dimension}", when="has_dimension"),
            Column(choices("row_dim", "dimensions", on_dimension)),
            _keep("dimension", R.row_topic),
            Button(T("🗑 Quitar este compromiso"), id="row_remove", on_click=on_remove_row, when="removable"),
            SwitchTo(T("⬅️ Atrás"), id="back_row_dim", state=R.plan),
            buttons_only(), state=R.row_dimension, getter=row_getter,
        ),
        Window(
            T("✏️ Compromiso · 2/6\n¿Qué tema trabajaremos? Escríbelo (máximo 500 caracteres)."),
            T("Ahora: {topic}", when="has_topic"),
            _keep("topic", R.row_resources),
            SwitchTo(T("⬅️ Atrás"), id="back_row_topic", state=R.row_dimension),
            *text_input("row_topic_text", _text_step("topic", R.row_resources)),
            state=R.row_topic, getter=row_getter,
        ),
        Window(
            T("✏️ Compromiso · 3/6\n¿Con qué contamos? Personas, lugares o recursos (máximo 500 caracteres)."),
            T("Ahora: {resources}", when="has_resources"),
            T("No tengo a mano lo que se anotó antes aquí: escríbelo de nuevo, por favor.", when="resources_unknown"),
            _keep("resources", R.row_action),
            SwitchTo(T("⬅️ Atrás"), id="back_row_resources", state=R.row_topic),
            *text_input("row_resources_text", _text_step("resources", R.row_action)),
            state=R.row_resources, getter=row_getter,
        ),
        Window(
            T("✏️ Compromiso · 4/6\n¿Qué haremos? Escribe la acción (máximo 500 caracteres)."),
            T("Ahora: {action}", when="has_action"),
            _keep("action", R.row_responsible),
            SwitchTo(T("⬅️ Atrás"), id="back_row_action", state=R.row_resources),
            *text_input("row_action_text", _text_step("action", R.row_responsible)),
            state=R.row_action, getter=row_getter,
        ),
        Window(
            T("✏️ Compromiso · 5/6\n¿Quién es responsable?"), T("Ahora: {responsible}", when="has_responsible"),
            Column(choices("row_resp", "responsibles", on_responsible)),
            _keep("responsible", R.row_deadline),
            SwitchTo(T("⬅️ Atrás"), id="back_row_resp", state=R.row_action),
            buttons_only(), state=R.row_responsible, getter=row_getter,
        ),
        Window(
            T("✏️ Compromiso · 6/6\n¿Para cuándo? Toca un día o escribe la fecha (día-mes-año)."),
            T("Ahora: {deadline}", when="has_deadline"),
            Row(Button(T("+1 semana ({week})"), id="deadline_7", on_click=_in_days(7)),
                Button(T("+1 mes ({month})"), id="deadline_30", on_click=_in_days(30))),
            ClockCalendar("deadline_cal", on_click=on_deadline_calendar, min_key="cal_min"),
            Button(T("✔️ Mantener"), id="keep_deadline", on_click=on_keep_deadline, when="has_deadline"),
            SwitchTo(T("⬅️ Atrás"), id="back_row_deadline", state=R.row_responsible),
            *date_input("row_deadline_text", set_deadline),
            state=R.row_deadline, getter=row_getter,
        ),
    ]
