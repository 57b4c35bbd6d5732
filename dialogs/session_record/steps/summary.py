"""Session record, the summary: everything entered, "✏️" to go back to any step, "💾 Guardar" to save."""
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Group, Row, SwitchTo

from dialogs.common.context import explain
from dialogs.common.record_labels import bono_label, outcome_label
from dialogs.common.states import RecordSession as R
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.session_record.flow import first_missing, get_draft, info, load_form, steps, to_menu
from dialogs.session_record.save import save_draft
from dialogs.session_record.steps.matriz import state_label
from dialogs.session_record.steps.outcome import reason_label
from dialogs.session_record.steps.plan import row_line
from program.clock import format_date, format_datetime
from program.session_draft import Outcome
from program.text_split import short

# Summary edit buttons, by id: the step they open.
EDITS = {"held_on": R.held_on, "outcome": R.outcome, "carta": R.carta, "reschedule": R.reschedule,
         "reason": R.reason, "products": R.products, "participant": R.participant, "bono": R.bono, "plan": R.plan,
         "matriz": R.matriz_dims, "asl": R.asl, "next": R.next_date, "notes": R.notes}


def _edit_labels() -> dict[str, str]:
    return {"held_on": _("✏️ Fecha"), "outcome": _("✏️ Resultado"), "carta": _("✏️ Carta de Aviso"),
            "reschedule": _("✏️ Nueva fecha"), "reason": _("✏️ Motivo"), "products": _("✏️ Productos"),
            "participant": _("✏️ Participante"), "bono": _("✏️ Bono"), "plan": _("✏️ Plan"),
            "matriz": _("✏️ Matriz"), "asl": _("✏️ ASL"), "next": _("✏️ Próxima visita"), "notes": _("✏️ Nota")}


def _done_lines(draft, form, members: dict[int, str], route) -> list[str]:
    lines = []
    products = list(form.session.products) if form else []
    if products:
        lines.append(_("✅ Productos: {done} de {total}").format(done=len(draft.products_done), total=len(products)))
        lines += [f"  {'✅' if i in draft.products_done else '⏳'} {short(name, 60)}"
                  for i, name in enumerate(products)]
    if R.participant in route:
        lines.append(_("👤 Participante ASL: {name}").format(name=members.get(draft.participant_member_id, "—")))
    if R.bono in route:
        note = f" — {short(draft.bono_note, 120)}" if draft.bono_note else ""
        lines.append(_("💳 Bono: {answer}").format(answer=bono_label(draft.bono) or "—") + note)
    if R.plan in route:
        lines.append(_("🗂 Compromisos: {count}").format(count=len(draft.plan_rows)))
        lines += [f"  {i}. {row_line(row, members, limit=60)}" for i, row in enumerate(draft.plan_rows, start=1)]
    if R.matriz_dims in route:
        states = ", ".join(f"{code} {state_label(state)}" for code, state in sorted(draft.matriz.items()))
        lines.append(_("📊 Matriz: {states}").format(states=states or "—"))
    if R.asl in route:
        names = ", ".join(members.get(member_id, "?") for member_id in draft.asl_participants)
        lines.append(_("👥 Participantes ASL: {names}").format(names=names or _("ninguno (solo APS)")))
    return lines


async def summary_getter(dialog_manager: DialogManager, **_kwargs) -> dict:
    draft, facts = get_draft(dialog_manager), info(dialog_manager)
    form = await load_form(dialog_manager)
    members = {m.member_id: m.name for m in form.members} if form else {}
    route = steps(draft, facts)
    tz = dialog_manager.middleware_data["viewer"].timezone
    lines = [
        f"👨‍👩‍👧 {facts.get('family_name', '')} · {facts.get('family_code', '')}",
        f"📌 {draft.code} · {facts.get('session_name', '')}",
        _("📅 Fecha: {date}").format(date=format_date(draft.held_on) if draft.held_on else "—"),
        _("Resultado: {outcome}").format(outcome=outcome_label(draft.outcome)),
    ]
    if draft.outcome == Outcome.DONE:
        lines += _done_lines(draft, form, members, route)
    elif draft.outcome == Outcome.NOT_FOUND:
        left = _("la dejé") if draft.carta_aviso_left else _("no la dejé")
        lines.append(_("Carta de Aviso: {answer}").format(answer=left))
    elif draft.outcome == Outcome.RESCHEDULED:
        lines.append(_("Nueva fecha: {date}").format(
            date=format_date(draft.rescheduled_to) if draft.rescheduled_to else "—"))
    else:
        lines.append(_("Motivo: {reason}").format(reason=short(reason_label(draft.reason), 200) or "—"))
    if R.next_date in route and draft.next_visit_at:
        lines.append(_("🗓 Próxima visita: {when}").format(when=format_datetime(draft.next_visit_at, tz)))
    if draft.note_text:
        lines.append(_("📝 Nota: {note}").format(note=short(draft.note_text, 300)))
    if draft.note_voice_file_id:
        lines.append(_("🎤 Audio de {voice} s").format(voice=draft.note_voice_duration or 0))
    labels = _edit_labels()
    edits = [(key, labels[key]) for key, state in EDITS.items() if state in route]
    return {"summary": "\n".join(lines), "edits": edits}


async def on_edit(_callback, _widget, manager: DialogManager, item_id: str) -> None:
    state = EDITS.get(item_id)
    if state is None or state not in steps(get_draft(manager), info(manager)):
        return
    manager.dialog_data["review"] = True
    await manager.switch_to(state)


async def on_save(_callback, _button, manager: DialogManager) -> None:
    missing = first_missing(get_draft(manager), info(manager))
    if missing is not None:
        manager.dialog_data["review"] = True
        await explain(manager, _("Falta un dato para poder guardar. Complétalo, por favor 👇"))
        await manager.switch_to(missing)
        return
    await save_draft(manager)


async def on_discard(_callback, _button, manager: DialogManager) -> None:
    data = manager.middleware_data
    await data["bot"].send_message(data["event_chat"].id, _("Listo, descarté este registro. No se guardó nada."))
    await to_menu(manager)


def summary_windows() -> list[Window]:
    return [
        Window(
            T("📋 Revisa antes de guardar\n\n{summary}"),
            Group(choices("edit", "edits", on_edit), width=2),
            Button(T("💾 Guardar"), id="save", on_click=on_save),
            SwitchTo(T("🗑 Descartar"), id="discard", state=R.discard),
            buttons_only(),
            state=R.summary,
            getter=summary_getter,
        ),
        Window(
            T("🗑 ¿Descartar este registro? No se guardará nada de lo que anotaste."),
            Row(Button(T("Sí, descartar"), id="discard_yes", on_click=on_discard),
                SwitchTo(T("No, volver al resumen"), id="discard_no", state=R.summary)),
            buttons_only(),
            state=R.discard,
        ),
    ]
