"""Session record: which day the session was (today by default), and how the visit went."""
from datetime import timedelta

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column

from dialogs.common.context import explain, today
from dialogs.common.inputs import date_input
from dialogs.common.pickers import ClockCalendar
from dialogs.common.record_labels import outcome_label
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.session_record.flow import back_button, get_draft, go_next, info, keep_button, put_draft
from program.clock import format_date
from program.session_draft import Outcome


async def held_on_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    now = today(dialog_manager)
    draft, facts = get_draft(dialog_manager), info(dialog_manager)
    return {"today": now, "today_label": format_date(now), "yesterday_label": format_date(now - timedelta(days=1)),
            "cal_max": now, "calendar": bool(dialog_manager.dialog_data.get("held_on_calendar")),
            "no_calendar": not dialog_manager.dialog_data.get("held_on_calendar"),
            "chosen": format_date(draft.held_on) if draft.held_on else "", "has_chosen": draft.held_on is not None,
            "code": draft.code, "session_name": facts.get("session_name", "")}


async def set_held_on(_event, manager: DialogManager, value) -> None:
    if value > today(manager):
        await explain(manager, _("Esa fecha todavía no llega 🙂 La sesión tiene que ser de hoy o de un día anterior."))
        return
    draft = get_draft(manager)
    draft.held_on = value
    put_draft(manager, draft)
    await go_next(manager, R.held_on)


async def on_today(callback, _button, manager: DialogManager) -> None:
    await set_held_on(callback, manager, today(manager))


async def on_yesterday(callback, _button, manager: DialogManager) -> None:
    await set_held_on(callback, manager, today(manager) - timedelta(days=1))


async def on_held_on_calendar(callback, _widget, manager: DialogManager, value) -> None:
    await set_held_on(callback, manager, value)


async def on_show_calendar(_callback, _button, manager: DialogManager) -> None:
    manager.dialog_data["held_on_calendar"] = True


def outcome_items() -> list[tuple[str, str]]:
    return [(outcome, outcome_label(outcome)) for outcome in Outcome]


async def outcome_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    draft = get_draft(dialog_manager)
    return {"outcomes": outcome_items(), "code": draft.code,
            "held_on": format_date(draft.held_on) if draft.held_on else ""}


async def on_outcome(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id not in {outcome.value for outcome in Outcome}:
        return
    draft = get_draft(manager)
    if draft.outcome != item_id:
        manager.dialog_data.pop("review", None)  # a new outcome asks its own questions, in order
    draft.outcome = item_id
    put_draft(manager, draft)
    await go_next(manager, R.outcome)


def when_windows() -> list[Window]:
    return [
        Window(
            T("📅 {code} · {session_name}\n¿Qué día fue la sesión? Toca un botón o escribe la fecha (día-mes-año)."),
            T("Elegida: {chosen}", when="has_chosen"),
            Column(
                Button(T("Hoy ({today_label})"), id="held_today", on_click=on_today),
                Button(T("Ayer ({yesterday_label})"), id="held_yesterday", on_click=on_yesterday),
                Button(T("📆 Otra fecha"), id="held_other", on_click=on_show_calendar, when="no_calendar"),
            ),
            ClockCalendar("held_cal", on_click=on_held_on_calendar, max_key="cal_max", when="calendar"),
            keep_button(R.held_on, "keep_held_on", "has_chosen"),
            back_button(R.held_on, "back_held_on"),
            *date_input("held_typed", set_held_on),
            state=R.held_on,
            getter=held_on_getter,
        ),
        Window(
            T("📋 {code} · {held_on}\n¿Cómo resultó la visita?"),
            Column(choices("outcome", "outcomes", on_outcome)),
            back_button(R.outcome, "back_outcome"),
            buttons_only(),
            state=R.outcome,
            getter=outcome_getter,
        ),
    ]
