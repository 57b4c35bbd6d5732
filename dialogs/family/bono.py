"""💳 Bono de Protección: this month's answer, from the menu or from the monthly question's buttons
(handlers/bono.py), and "Tengo un problema": what happened, which reaches the Gestor Familiar and the AFI.
Every screen says the program never asks for passwords or card numbers (fake-bono scams circulate)."""
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Row, SwitchTo

from dialogs.common.context import explain
from dialogs.common.states import FamilyBono as B
from dialogs.common.text_or_voice import text_or_voice
from dialogs.common.widgets import T, buttons_only
from services import bono
from services.errors import InvalidInput, NotAllowed
from texts.months import month_label
from texts.scheduled_messages import NEVER_ASK

REASONS = (("no_se_donde", "📍 No sé dónde cobrar"), ("sin_cuenta", "💳 No tengo la cuenta / CuentaRUT"),
           ("no_llego", "📭 No me llegó"), ("otro", "💬 Otro"))


def answer_label(answer: str | None) -> str:
    return {"cobrado": _("✅ Lo cobraste"), "todavia_no": _("⏳ Todavía no"), "problema": _("⚠️ Tuviste un problema"),
            "no_cobrado": _("❌ No cobrado"), "no_sabe": _("❓ No sabían")}.get(answer, _("Aún no nos cuentas."))


def month_of(manager: DialogManager) -> str:
    start = manager.start_data if isinstance(manager.start_data, dict) else {}
    month = manager.dialog_data.get("month") or start.get("month")
    if not month:
        data = manager.middleware_data
        month = bono.current_month(data["clock"](), data["viewer"].timezone)
    manager.dialog_data["month"] = month
    return month


async def status_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    month = month_of(dialog_manager)
    found = await bono.status(session, actor=viewer.actor, month=month)
    return {"month": month_label(month, _), "answer": answer_label(found.answer), "never": _(NEVER_ASK)}


async def save(manager: DialogManager, answer: str, reason: str | None = None, note: str | None = None,
               voice: str | None = None) -> bool:
    data = manager.middleware_data
    try:
        await bono.answer(data["session"], actor=data["viewer"].actor, month=month_of(manager), answer=answer,
                          reason=reason, note=note, voice_file_id=voice, now=data["clock"]())
    except NotAllowed:
        await explain(manager, _("Esta respuesta la da la persona representante de la familia."))
        return False
    except InvalidInput:
        await explain(manager, _("Esa pregunta ya no vale. Mira el mes de hoy aquí 👇"))
        manager.dialog_data["month"] = bono.current_month(data["clock"](), data["viewer"].timezone)
        await manager.switch_to(B.status)
        return False
    thanks = {"cobrado": _("¡Qué bueno! Gracias por contarnos ✅"),
              "todavia_no": _("Gracias. Te preguntaremos de nuevo en unos días."),
              "problema": _("Gracias. Ya le avisamos a tu Gestor Familiar y a tu Apoyo Familiar: te van a contactar.")}
    await explain(manager, thanks[answer])
    await manager.switch_to(B.status)
    return True


def _answer_button(answer: str, label: str) -> Button:
    async def on_click(_callback, _button, manager: DialogManager) -> None:
        await save(manager, answer)

    return Button(T(label), id=f"bono_{answer}", on_click=on_click)


def _reason_button(reason: str, label: str) -> Button:
    async def on_click(_callback, _button, manager: DialogManager) -> None:
        if reason == "otro":
            await manager.switch_to(B.problem_note)
        else:
            await save(manager, "problema", reason)

    return Button(T(label), id=f"reason_{reason}", on_click=on_click)


async def on_note(_message: Message, manager: DialogManager, value: str) -> None:
    await save(manager, "problema", "otro", note=value)


async def on_voice(_message: Message, manager: DialogManager, file_id: str, _seconds: int) -> None:
    await save(manager, "problema", "otro", voice=file_id)


def family_bono_dialog() -> Dialog:
    return Dialog(
        Window(
            T("💳 Bono de Protección · {month}\n{answer}\n\n¿Pudiste cobrarlo?\n\n{never}"),
            Row(_answer_button("cobrado", "✅ Sí, lo cobré"), _answer_button("todavia_no", "⏳ Todavía no")),
            SwitchTo(T("⚠️ Tengo un problema"), id="bono_problem", state=B.problem),
            Cancel(T("⬅️ Menú")),
            buttons_only(), state=B.status, getter=status_getter,
        ),
        Window(
            T("⚠️ Bono de Protección · {month}\n¿Qué pasó?\n\n{never}"),
            Column(*(_reason_button(reason, label) for reason, label in REASONS)),
            SwitchTo(T("⬅️ Atrás"), id="back_problem", state=B.status),
            buttons_only(), state=B.problem, getter=status_getter,
        ),
        Window(
            T("💬 Cuéntanos qué pasó: escribe o manda un audio 🎤.\n\n{never}"),
            SwitchTo(T("⬅️ Atrás"), id="back_note", state=B.problem),
            *text_or_voice("bono_note", on_note, on_voice),
            state=B.problem_note, getter=status_getter,
        ),
    )
