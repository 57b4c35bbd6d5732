"""A family's card (head: stage, last and next session, next visit, Bono, whether the representative
uses the bot, team, members) and its sections: sessions, plan, Matriz Línea Base → Línea de Salida."""

from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Row, SwitchTo

from dialogs.caseload.invite import on_invite
from dialogs.catastro.send import start_sending
from dialogs.common.context import today
from dialogs.common.labels import role_label, status_label, trajectory_label
from dialogs.common.record_labels import (
    bono_line, commitment_status_label, dimension_label, fit, last_session_label,
    matriz_state_label, next_due_label, outcome_label, responsible_label, session_code, stage_label,
)
from dialogs.common.states import Caseload
from dialogs.common.widgets import T, buttons_only
from program.clock import format_date, format_datetime
from program.roles import Role
from program.run import format_run
from program.text_split import short
from services import caseload, caseload_assign
from services.errors import NotAllowed, NotFound
from texts.markers import N_

DENIED = {"denied": True, "found": False}


def family_id(manager: DialogManager) -> int:
    return manager.dialog_data.get("family_id", 0)


def _members(members) -> str:
    lines = []
    for member in members:
        marks = [text for flag, text in ((member.is_representative, _("representante")),
                                         (member.is_bono_collector, _("cobra el bono")),
                                         (member.is_asl_participant, _("participante ASL"))) if flag]
        run = format_run(member.run) if member.run else _("sin RUN")
        extra = f" ({', '.join(marks)})" if marks else ""
        lines.append(f"• {member.given_names} {member.surnames} · {run} · {member.relation}{extra}")
    return "\n".join(lines) or _("Sin integrantes registrados.")


def _team(card) -> str:
    family = card.family
    lines = []
    for role, staff_id in ((Role.AFI, family.afi_id), (Role.GESTOR_SOCIO, family.gestor_socio_id),
                           (Role.GESTOR_FAMILIAR, family.gestor_familiar_id)):
        person = card.staff.get(staff_id)
        lines.append(f"• {role_label(role)}: {person.name if person else _('sin asignar')}")
    return "\n".join(lines)


def _link(state: str) -> str:
    return {"linked": _("✅ usa Acompaña"), "pending_consent": _("⏳ abrió el código, falta que acepte el aviso"),
            "not_linked": _("❌ aún no usa Acompaña"),
            "none": _("sin persona representante")}.get(state, state)


async def card_getter(dialog_manager: DialogManager, session, viewer, clock, **_kwargs) -> dict:
    on = today(dialog_manager)
    try:
        summary = await caseload.family_summary(session, actor=viewer.actor, family_id=family_id(dialog_manager),
                                                now=clock(), today=on)
    except (NotAllowed, NotFound):
        return DENIED | {"can_invite": False, "can_reassign": False, "can_send": False}
    card, row, family = summary.card, summary.row, summary.card.family
    return {
        "denied": False, "found": True,
        "can_invite": card.can_edit and summary.representative != "none",
        "can_reassign": summary.can_reassign, "can_send": card.can_edit,
        "family_name": family.family_name, "code": family.code, "sector": family.sector or "—",
        "status": status_label(family.status), "trajectory": trajectory_label(family.trajectory),
        "stage": stage_label(row.stage), "last": last_session_label(row.last), "next": next_due_label(row.next, on),
        "visit": format_datetime(summary.next_visit, viewer.timezone) if summary.next_visit else "—",
        "open": row.open_commitments, "bono": bono_line(row.bono), "link": _link(summary.representative),
        "team": _team(card), "members": _members(card.members),
    }


async def sessions_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    try:
        records = await caseload.family_sessions(session, actor=viewer.actor, family_id=family_id(dialog_manager))
    except NotAllowed:
        return DENIED
    lines = []
    for record in records:
        done = ""
        if record.outcome == "done" and record.products_total:
            done = " · " + _("productos {done}/{total}").format(done=len(record.products_done),
                                                                total=record.products_total)
        lines.append(f"• {session_code(record.track, record.code)} · {format_date(record.held_on)} · "
                     f"{outcome_label(record.outcome)}{done}")
    return {"denied": False, "found": True, "sessions": fit(lines) or _("Aún no hay sesiones registradas.")}


async def plan_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    try:
        items, closed = await caseload.family_plan(session, actor=viewer.actor, family_id=family_id(dialog_manager))
    except NotAllowed:
        return DENIED
    on, lines, dimension = today(dialog_manager), [], None
    for item in items:
        c = item.commitment
        if c.dimension != dimension:
            dimension = c.dimension
            lines += (["", dimension_label(dimension)] if lines else [dimension_label(dimension)])
        late = " ⚠️" if c.deadline and c.deadline < on else ""
        deadline = format_date(c.deadline) if c.deadline else "—"
        lines.append(f"• {short(c.topic, 60)} → {short(c.action, 80)}")
        lines.append("   " + _("{who} · plazo {deadline}{late} · {status}").format(
            who=responsible_label(c.responsible, item.member_name), deadline=deadline, late=late,
            status=commitment_status_label(c.status)))
    news = []
    for event, c in await caseload.family_news(session, actor=viewer.actor, family_id=family_id(dialog_manager)):
        said = " 🎤" if event.voice_file_id else (f" «{short(event.note_text, 60)}»" if event.note_text else "")
        what = _("agregó un compromiso") if event.action == "created" else commitment_status_label(event.status)
        topic = short(c.topic, 50) or "🎤"
        news.append(f"• {format_date(event.at, viewer.timezone)} · {what} · {topic}{said}")
    return {"denied": False, "found": True, "plan": fit(lines) or _("Aún no hay compromisos abiertos."),
            "closed": closed, "has_closed": bool(closed), "news": "\n".join(news), "has_news": bool(news)}


async def matriz_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    try:
        rows = await caseload.family_matriz(session, actor=viewer.actor, family_id=family_id(dialog_manager))
    except NotAllowed:
        return DENIED
    lines, dimension = [], None
    for row in rows:
        if row.dimension != dimension:
            dimension = row.dimension
            lines += ([""] if lines else []) + ([dimension_label(dimension)] if dimension else [])
        text = f" {short(row.text, 50)}" if row.text else ""
        lines.append(f"• {row.code}{text}: {matriz_state_label(row.base)} → {matriz_state_label(row.exit)}")
    return {"denied": False, "found": True, "matriz": fit(lines) or _("Aún no hay estados de la Matriz registrados.")}


async def on_reassign(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:  # the button shows only to the jefe; a forged one is refused (and audited) by the service
        await caseload_assign.may_reassign(data["session"], actor=data["viewer"].actor, family_id=family_id(manager))
    except NotAllowed:
        await callback.answer(_("Solo la jefatura de la unidad puede reasignar familias."), show_alert=True)
        return
    await manager.switch_to(Caseload.reassign_role)


def _back(widget_id: str) -> SwitchTo:
    return SwitchTo(T("⬅️ Ficha de la familia"), id=widget_id, state=Caseload.family)


DENIED_TEXT = N_("Esa familia no está en tu lista. Si crees que es un error, habla con tu jefatura.")


def card_windows() -> list[Window]:
    return [
        Window(
            T("👨‍👩‍👧 Familia {family_name} · {code}\nSector: {sector}\nEstado: {status} · {trajectory}\n"
              "Etapa: {stage}\nÚltima sesión: {last}\nPróxima sesión: {next}\nPróxima visita: {visit}\n"
              "📋 Compromisos abiertos: {open}\n💵 Bono: {bono}\nPersona representante: {link}\n\n"
              "Equipo:\n{team}\n\nIntegrantes:\n{members}", when="found"),
            T(DENIED_TEXT, when="denied"),
            Row(
                SwitchTo(T("🗓 Sesiones"), id="sessions", state=Caseload.sessions),
                SwitchTo(T("📋 Plan"), id="plan", state=Caseload.plan),
                SwitchTo(T("📊 Matriz"), id="matriz", state=Caseload.matriz),
                when="found",
            ),
            Button(T("✉️ Invitar a la persona representante"), id="invite", on_click=on_invite, when="can_invite"),
            Button(T("📍 Enviar un recurso"), id="send_resource", on_click=start_sending, when="can_send"),
            Button(T("🔁 Reasignar"), id="reassign", on_click=on_reassign, when="can_reassign"),
            SwitchTo(T("⬅️ Mis familias"), id="back_families", state=Caseload.families),
            buttons_only(),
            state=Caseload.family,
            getter=card_getter,
        ),
        Window(
            T("🗓 Sesiones registradas (la más reciente primero):\n\n{sessions}", when="found"),
            T(DENIED_TEXT, when="denied"),
            _back("back_sessions"),
            buttons_only(),
            state=Caseload.sessions,
            getter=sessions_getter,
        ),
        Window(
            T("📋 Plan de la familia: compromisos abiertos\n\n{plan}", when="found"),
            T("✅ Compromisos cerrados: {closed}", when="has_closed"),
            T("\n💬 Lo que contó la familia:\n{news}", when="has_news"),
            T(DENIED_TEXT, when="denied"),
            _back("back_plan"),
            buttons_only(),
            state=Caseload.plan,
            getter=plan_getter,
        ),
        Window(
            T("📊 Matriz de Bienestar: Línea Base → Línea de Salida\n\n{matriz}", when="found"),
            T(DENIED_TEXT, when="denied"),
            _back("back_matriz"),
            buttons_only(),
            state=Caseload.matriz,
            getter=matriz_getter,
        ),
    ]
