"""Session record, last steps before the summary: the next visit (date and time) and a note or voice note."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.input import MessageInput, TextInput
from aiogram_dialog.widgets.kbd import Button, Group, Row, SwitchTo

from dialogs.common.context import explain, today
from dialogs.common.inputs import InputProblem, date_input, parse_time, text_input, time_problem
from dialogs.common.pickers import ClockCalendar
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, choices
from dialogs.session_record.flow import back_button, get_draft, go_next, put_draft
from program.clock import format_date, format_datetime

TIMES = [f"{hour:02d}:00" for hour in range(9, 19)]


async def next_date_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    now, draft = today(dialog_manager), get_draft(dialog_manager)
    tz = dialog_manager.middleware_data["viewer"].timezone
    current = format_datetime(draft.next_visit_at, tz) if draft.next_visit_at else ""
    return {"today": now, "cal_min": now, "current": current, "has_current": bool(current), "empty": not current}


async def set_next_date(_event, manager: DialogManager, value) -> None:
    if value < today(manager):
        await explain(manager, _("Esa fecha ya pasó. Elige hoy o un día después."))
        return
    manager.dialog_data["next_day"] = value
    await manager.switch_to(R.next_time)


async def on_next_calendar(callback, _widget, manager: DialogManager, value) -> None:
    await set_next_date(callback, manager, value)


async def on_next_skip(_callback, _button, manager: DialogManager) -> None:
    await go_next(manager, R.next_date)


async def on_next_clear(_callback, _button, manager: DialogManager) -> None:
    draft = get_draft(manager)
    draft.next_visit_at = None
    put_draft(manager, draft)
    await go_next(manager, R.next_date)


async def next_time_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    day = dialog_manager.dialog_data.get("next_day")
    return {"day": format_date(day) if day else "", "times": [(value.replace(":", ""), value) for value in TIMES]}


async def set_next_time(_event, manager: DialogManager, value) -> None:
    day = manager.dialog_data.get("next_day")
    if day is None:
        await manager.switch_to(R.next_date)
        return
    data = manager.middleware_data
    local = datetime.combine(day, value, tzinfo=ZoneInfo(data["viewer"].timezone))
    if local <= data["clock"]():
        await explain(manager, _("Esa hora ya pasó. Elige una hora más tarde u otro día."))
        return
    draft = get_draft(manager)
    draft.next_visit_at = local.astimezone(UTC)
    put_draft(manager, draft)
    await go_next(manager, R.next_date)


async def on_time_button(callback, _widget, manager: DialogManager, item_id: str) -> None:
    if item_id.isdigit() and len(item_id) == 4:
        await set_next_time(callback, manager, parse_time(f"{item_id[:2]}:{item_id[2:]}"))


async def on_time_typed(message: Message, _widget, manager: DialogManager, value) -> None:
    await set_next_time(message, manager, value)


async def on_time_error(message: Message, _widget, manager: DialogManager, error: ValueError) -> None:
    await explain(manager, time_problem(error if isinstance(error, InputProblem) else InputProblem("time_format")))


async def _not_a_time(message: Message, _widget, manager: DialogManager) -> None:
    await explain(manager, _("Aquí necesito una hora: escríbela como 09:30 o usa los botones."))


async def _not_a_note(message: Message, _widget, manager: DialogManager) -> None:
    await explain(manager, _("Aquí puedo guardar un texto o un audio 🙂 Escribe la nota, manda un audio o usa los "
                             "botones."))


async def notes_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    draft = get_draft(dialog_manager)
    has_note = bool(draft.note_text or draft.note_voice_file_id)
    return {"note": draft.note_text or "", "has_text": bool(draft.note_text),
            "voice": draft.note_voice_duration or 0, "has_voice": bool(draft.note_voice_file_id),
            "has_note": has_note, "empty": not has_note}


async def on_note_text(_message, manager: DialogManager, text: str) -> None:
    draft = get_draft(manager)
    draft.note_text = text
    put_draft(manager, draft)
    await go_next(manager, R.notes)


async def on_note_voice(message: Message, _widget, manager: DialogManager) -> None:
    draft = get_draft(manager)
    assert message.voice is not None  # MessageInput(content_types=VOICE)
    draft.note_voice_file_id, draft.note_voice_duration = message.voice.file_id, message.voice.duration
    put_draft(manager, draft)
    await go_next(manager, R.notes)


async def on_note_clear(_callback, _button, manager: DialogManager) -> None:
    draft = get_draft(manager)
    draft.note_text = draft.note_voice_file_id = draft.note_voice_duration = None
    put_draft(manager, draft)


async def on_notes_next(_callback, _button, manager: DialogManager) -> None:
    await go_next(manager, R.notes)


def next_windows() -> list[Window]:
    text_note = text_input("note_text", on_note_text)[0]
    return [
        Window(
            T("🗓 ¿Cuándo es la próxima visita? (opcional)\nToca un día o escribe la fecha (día-mes-año)."),
            T("Ahora: {current}", when="has_current"),
            ClockCalendar("next_cal", on_click=on_next_calendar, min_key="cal_min"),
            Button(T("⏭ Omitir"), id="next_skip", on_click=on_next_skip, when="empty"),
            Row(Button(T("✔️ Mantener"), id="next_keep", on_click=on_next_skip, when="has_current"),
                Button(T("🗑 Quitar"), id="next_clear", on_click=on_next_clear, when="has_current")),
            back_button(R.next_date, "back_next_date"),
            *date_input("next_typed", set_next_date),
            state=R.next_date,
            getter=next_date_getter,
        ),
        Window(
            T("🕘 ¿A qué hora, el {day}? Toca una hora o escríbela (por ejemplo 09:30)."),
            Group(choices("next_time", "times", on_time_button), width=5),
            SwitchTo(T("⬅️ Atrás"), id="back_next_time", state=R.next_date),
            TextInput(id="next_time_typed", type_factory=parse_time, on_success=on_time_typed, on_error=on_time_error),
            MessageInput(_not_a_time, content_types=ContentType.ANY),
            state=R.next_time,
            getter=next_time_getter,
        ),
        Window(
            T("📝 ¿Alguna nota de la visita? Escríbela o manda un audio (opcional, máximo 500 caracteres)."),
            T("📝 Nota: {note}", when="has_text"),
            T("🎤 Audio de {voice} s", when="has_voice"),
            Button(T("⏭ Omitir"), id="notes_skip", on_click=on_notes_next, when="empty"),
            Row(Button(T("✔️ Mantener"), id="notes_keep", on_click=on_notes_next, when="has_note"),
                Button(T("🗑 Quitar nota"), id="notes_clear", on_click=on_note_clear, when="has_note")),
            back_button(R.notes, "back_notes"),
            text_note,
            MessageInput(on_note_voice, content_types=ContentType.VOICE),
            MessageInput(_not_a_note, content_types=ContentType.ANY),
            state=R.notes,
            getter=notes_getter,
        ),
    ]
