"""🧑‍🤝‍🧑 Sesiones grupales: the unit's group and community sessions, each one's answers, a change of time or
place, a cancellation; creating one (group_session_new.py) and recording it (group_session_record.py)."""
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, Column, Row, ScrollingGroup, SwitchTo

from dialogs.common.context import explain
from dialogs.common.inputs import text_input
from dialogs.common.states import GroupSessions as G
from dialogs.common.widgets import T, buttons_only, choices
from dialogs.group_session.new import new_windows, start_new
from dialogs.group_session.record import record_windows, start_record
from program.clock import format_datetime
from services import group_sessions
from services.errors import InvalidInput, NotAllowed


def status_label(status: str) -> str:
    return {"planned": _("📅 programada"), "held": _("✅ realizada"), "cancelled": _("🚫 suspendida")}.get(status, "")


def session_title(track: str, code: str) -> str:
    found = group_sessions.catalog_session(track, code)
    return f"{'ASL ' if track == 'asl' else ''}{code} · {found.name}"


async def list_getter(session, viewer, **_kwargs) -> dict:
    try:
        rows = await group_sessions.list_sessions(session, actor=viewer.actor)
    except NotAllowed:
        return {"items": [], "denied": True, "allowed": False, "empty": False}
    items = [(str(g.id), f"{format_datetime(g.starts_at, viewer.timezone)} · {g.code} · {status_label(g.status)}")
             for g in rows]
    return {"items": items, "denied": False, "allowed": True, "empty": not items}


async def on_open(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    data = manager.middleware_data
    try:
        await group_sessions.get(data["session"], actor=data["viewer"].actor,
                                 group_session_id=int(item_id) if item_id.isdigit() else 0)
    except NotAllowed:
        await callback.answer(_("Esa sesión no es de tu unidad."), show_alert=True)
        return
    manager.dialog_data["group_id"] = int(item_id)
    await manager.switch_to(G.detail)


async def detail_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    group_id = dialog_manager.dialog_data.get("group_id", 0)
    group = await group_sessions.get(session, actor=viewer.actor, group_session_id=group_id)
    counts = await group_sessions.counts(session, actor=viewer.actor, group_session_id=group_id)
    return {"title": session_title(group.track, group.code), "when": format_datetime(group.starts_at, viewer.timezone),
            "place": " · ".join(p for p in (group.place, group.address) if p), "status": status_label(group.status),
            "invited": counts.invited, "yes": counts.yes, "no": counts.no, "silent": counts.silent,
            "attended": counts.attended, "planned": group.status == "planned", "held": group.status == "held",
            "can_record": group.status != "cancelled"}


async def _change(manager: DialogManager, **change) -> None:
    data = manager.middleware_data
    try:
        await group_sessions.change(data["session"], actor=data["viewer"].actor,
                                    group_session_id=manager.dialog_data.get("group_id", 0), now=data["clock"](),
                                    **change)
    except InvalidInput:
        await explain(manager, _("No puedo cambiar esa sesión: ya pasó, se suspendió o la hora ya pasó."))
        return
    await explain(manager, _("Listo: avisé del cambio a todas las familias invitadas ✅"))
    await manager.switch_to(G.detail)


async def on_new_time(message: Message, manager: DialogManager, text: str) -> None:
    from dialogs.group_session.new import parse_when

    try:
        starts_at = parse_when(text, manager)
    except ValueError:
        await explain(manager, _("Escríbelo como día-mes-año hora, por ejemplo 15-12-2026 16:00."))
        return
    await _change(manager, starts_at=starts_at)


async def on_new_place(message: Message, manager: DialogManager, text: str) -> None:
    await _change(manager, place=text)


async def on_cancel_session(_callback, _button, manager: DialogManager) -> None:
    data = manager.middleware_data
    try:
        await group_sessions.cancel(data["session"], actor=data["viewer"].actor,
                                    group_session_id=manager.dialog_data.get("group_id", 0), now=data["clock"]())
    except InvalidInput:
        await explain(manager, _("Esa sesión ya no se puede suspender."))
        return
    await explain(manager, _("Sesión suspendida. Avisé a todas las familias invitadas."))
    await manager.switch_to(G.detail)


def group_session_dialog() -> Dialog:
    return Dialog(
        Window(
            T("🧑‍🤝‍🧑 Sesiones grupales y comunitarias de tu unidad", when="allowed"),
            T("Aún no hay sesiones. Toca ➕ para crear la primera.", when="empty"),
            T("Las sesiones grupales las crea la o el Gestor Sociocomunitario de la unidad.", when="denied"),
            ScrollingGroup(choices("group", "items", on_open), id="groups_page", width=1, height=6,
                           hide_on_single_page=True),
            Button(T("➕ Nueva sesión"), id="new", on_click=start_new, when="allowed"),
            Cancel(T("⬅️ Menú")),
            buttons_only(), state=G.list, getter=list_getter,
        ),
        Window(
            T("👥 {title}\n📅 {when}\n📍 {place}\n{status}\n\nInvitadas: {invited}\n✅ Asistirán: {yes} · "
              "❌ No podrán: {no} · ❔ Sin respuesta: {silent}"),
            T("🙋 Asistieron: {attended}", when="held"),
            Row(SwitchTo(T("🕐 Cambiar hora"), id="change_time", state=G.change_time, when="planned"),
                SwitchTo(T("📍 Cambiar lugar"), id="change_place", state=G.change_place, when="planned")),
            SwitchTo(T("🚫 Suspender"), id="cancel", state=G.cancel_confirm, when="planned"),
            Button(T("📋 Registrar asistencia y sesión"), id="record", on_click=start_record, when="can_record"),
            SwitchTo(T("⬅️ Sesiones"), id="back_list", state=G.list),
            buttons_only(), state=G.detail, getter=detail_getter,
        ),
        Window(
            T("🕐 Escribe la nueva fecha y hora (día-mes-año hora), por ejemplo 15-12-2026 16:00."),
            SwitchTo(T("⬅️ Atrás"), id="back_time", state=G.detail),
            *text_input("new_time_text", on_new_time, limit=40),
            state=G.change_time,
        ),
        Window(
            T("📍 Escribe el nuevo lugar (nombre y dirección)."),
            SwitchTo(T("⬅️ Atrás"), id="back_place", state=G.detail),
            *text_input("new_place_text", on_new_place, limit=200),
            state=G.change_place,
        ),
        Window(
            T("🚫 ¿Suspender esta sesión? Se avisará a todas las familias invitadas."),
            Column(Button(T("🚫 Sí, suspender"), id="cancel_yes", on_click=on_cancel_session),
                   SwitchTo(T("↩️ No"), id="cancel_no", state=G.detail)),
            buttons_only(), state=G.cancel_confirm,
        ),
        *new_windows(),
        *record_windows(),
    )
