"""Session record, when the visit did not happen as planned: Carta de Aviso, new date, or the reason."""
from datetime import timedelta

from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Row, SwitchTo

from dialogs.common.context import explain, today
from dialogs.common.inputs import date_input, text_input
from dialogs.common.pickers import ClockCalendar
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.session_record.flow import back_button, get_draft, go_next, keep_button, put_draft
from program.clock import format_date
from program.session_draft import Outcome
from texts.markers import N_

# The usual reasons, by id for the buttons; the draft keeps the Spanish text (the language of the
# program's forms), which reads the same in an export whatever language the professional uses.
REASONS: dict[str, dict[str, str]] = {
    Outcome.DECLINED: {
        "not_interested": N_("No le interesa participar"),
        "no_time": N_("No tiene tiempo por trabajo o cuidados"),
        "data": N_("Prefiere no entregar sus datos"),
        "moving": N_("Se cambiará de comuna"),
    },
    Outcome.ABANDONED: {
        "moved": N_("Se cambió de domicilio o de comuna"),
        "quit": N_("Ya no quiere continuar"),
        "no_time": N_("No tiene tiempo por trabajo o cuidados"),
        "health": N_("Problemas de salud"),
    },
}


def reason_label(reason: str | None) -> str:
    return _(reason) if reason else ""


async def _set_carta(manager: DialogManager, left: bool) -> None:
    draft = get_draft(manager)
    draft.carta_aviso_left = left
    put_draft(manager, draft)
    await go_next(manager, R.carta)


async def on_carta_yes(_callback, _button, manager: DialogManager) -> None:
    await _set_carta(manager, True)


async def on_carta_no(_callback, _button, manager: DialogManager) -> None:
    await _set_carta(manager, False)


async def reschedule_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    now, draft = today(dialog_manager), get_draft(dialog_manager)
    return {"today": now, "cal_min": now, "tomorrow": format_date(now + timedelta(days=1)),
            "chosen": format_date(draft.rescheduled_to) if draft.rescheduled_to else "",
            "has_chosen": draft.rescheduled_to is not None}


async def set_rescheduled(_event, manager: DialogManager, value) -> None:
    if value < today(manager):
        await explain(manager, _("Esa fecha ya pasó. Elige hoy o un día después."))
        return
    draft = get_draft(manager)
    draft.rescheduled_to = value
    put_draft(manager, draft)
    await go_next(manager, R.reschedule)


async def on_tomorrow(callback, _button, manager: DialogManager) -> None:
    await set_rescheduled(callback, manager, today(manager) + timedelta(days=1))


async def on_reschedule_calendar(callback, _widget, manager: DialogManager, value) -> None:
    await set_rescheduled(callback, manager, value)


async def reason_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    draft = get_draft(dialog_manager)
    reasons = REASONS.get(draft.outcome, {})
    return {"reasons": [(key, _(text)) for key, text in reasons.items()],
            "declined": draft.outcome == Outcome.DECLINED, "abandoned": draft.outcome != Outcome.DECLINED,
            "reason": reason_label(draft.reason), "has_reason": bool(draft.reason)}


async def _set_reason(manager: DialogManager, reason: str) -> None:
    draft = get_draft(manager)
    draft.reason = reason
    put_draft(manager, draft)
    await go_next(manager, R.reason)


async def on_reason(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    reason = REASONS.get(get_draft(manager).outcome, {}).get(item_id)
    if reason is not None:
        await _set_reason(manager, reason)


async def on_reason_text(_message, manager: DialogManager, text: str) -> None:
    await _set_reason(manager, text)


def outcome_windows() -> list[Window]:
    return [
        Window(
            T("🚪 Familia no encontrada\n¿Dejaste la Carta de Aviso (Familia Inubicable)?"),
            Row(Button(T("✅ Sí, la dejé"), id="carta_yes", on_click=on_carta_yes),
                Button(T("❌ No"), id="carta_no", on_click=on_carta_no)),
            back_button(R.carta, "back_carta"),
            buttons_only(),
            state=R.carta,
        ),
        Window(
            T("📅 Visita reprogramada\n¿Para qué día? Toca un día o escribe la fecha (día-mes-año)."),
            T("Elegida: {chosen}", when="has_chosen"),
            Button(T("Mañana ({tomorrow})"), id="resched_tomorrow", on_click=on_tomorrow),
            ClockCalendar("resched_cal", on_click=on_reschedule_calendar, min_key="cal_min"),
            keep_button(R.reschedule, "keep_resched", "has_chosen"),
            back_button(R.reschedule, "back_resched"),
            *date_input("resched_typed", set_rescheduled),
            state=R.reschedule,
            getter=reschedule_getter,
        ),
        Window(
            T("🙅 La familia no acepta participar\n¿Qué motivo dio en la Declaración Voluntaria de No Participación? "
              "Toca uno o escríbelo.", when="declined"),
            T("🛑 Abandono del programa\n¿Cuál es el motivo? Toca uno o escríbelo.", when="abandoned"),
            T("Motivo: {reason}", when="has_reason"),
            Column(choices("reason", "reasons", on_reason)),
            SwitchTo(T("✍️ Otro motivo"), id="reason_other", state=R.reason_text),
            keep_button(R.reason, "keep_reason", "has_reason"),
            back_button(R.reason, "back_reason"),
            *text_input("reason_typed", on_reason_text),
            state=R.reason,
            getter=reason_getter,
        ),
        Window(
            T("✍️ Escribe el motivo en pocas palabras (máximo 500 caracteres)."),
            SwitchTo(T("⬅️ Atrás"), id="back_reason_text", state=R.reason),
            *text_input("reason_other_typed", on_reason_text),
            state=R.reason_text,
        ),
    ]
