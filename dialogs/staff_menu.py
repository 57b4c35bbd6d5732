"""The professionals' menu: their families, a family's card, and (for the jefe) the unit."""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, ShowMode, Window
from aiogram_dialog.widgets.kbd import Button, Column, ScrollingGroup, Select, Start, SwitchTo
from aiogram_dialog.widgets.text import Format

from dialogs.labels import role_label, status_label, trajectory_label
from dialogs.states import Language, StaffMenu
from dialogs.widgets import T, buttons_only
from program.clock import format_datetime
from program.codes import deep_link
from program.roles import Role
from program.run import format_run
from services import caseload, onboarding
from services.errors import NotAllowed, NotFound


async def main_getter(viewer, **_kwargs) -> dict:
    return {
        "name": viewer.staff.name,
        "role": role_label(viewer.staff.role),
        "unit": viewer.unit.name if viewer.unit else "",
        "is_jefe": viewer.role is Role.JEFE,
    }


async def families_getter(session, viewer, **_kwargs) -> dict:
    families = await caseload.my_families(session, actor=viewer.actor)
    items = [(str(f.id), f"{f.family_name} · {f.code}") for f in families]
    return {"families": items, "total": len(items), "has_families": bool(items), "empty": not items}


async def on_family_chosen(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    manager.dialog_data["family_id"] = int(item_id) if item_id.isdigit() else 0
    await manager.switch_to(StaffMenu.family)


def _members_text(card) -> str:
    lines = []
    for member in card.members:
        marks = []
        if member.is_representative:
            marks.append(_("representante"))
        if member.is_bono_collector:
            marks.append(_("cobra el bono"))
        if member.is_asl_participant:
            marks.append(_("participante ASL"))
        run = format_run(member.run) if member.run else _("sin RUN")
        extra = f" ({', '.join(marks)})" if marks else ""
        lines.append(f"• {member.given_names} {member.surnames} · {run} · {member.relation}{extra}")
    return "\n".join(lines) or _("Sin integrantes registrados.")


async def family_getter(dialog_manager: DialogManager, session, viewer, **_kwargs) -> dict:
    family_id = dialog_manager.dialog_data.get("family_id", 0)
    try:
        card = await caseload.family_card(session, actor=viewer.actor, family_id=family_id)
    except (NotAllowed, NotFound):
        return {"denied": True, "found": False, "can_invite": False}
    family = card.family
    afi = card.staff.get(family.afi_id)
    return {
        "denied": False,
        "found": True,
        "can_invite": card.can_edit and any(m.is_representative for m in card.members),
        "family_name": family.family_name,
        "code": family.code,
        "sector": family.sector or "—",
        "status": status_label(family.status),
        "trajectory": trajectory_label(family.trajectory),
        "afi": afi.name if afi else _("sin asignar"),
        "members": _members_text(card),
    }


async def on_invite(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    data = manager.middleware_data
    viewer, session = data["viewer"], data["session"]
    now = data["clock"]()
    try:
        code = await onboarding.issue_family_code(session, actor=viewer.actor,
                                                  family_id=manager.dialog_data.get("family_id", 0), now=now)
    except (NotAllowed, NotFound):
        await callback.answer(_("No puedes invitar a esta familia."), show_alert=True)
        return
    me = await callback.bot.me()
    until = format_datetime(now + onboarding.DEFAULT_TTL, viewer.timezone)
    # Sent apart from the menu message, so the code stays on screen while the family types it.
    await callback.message.answer(
        _("Invitación para la persona representante de la familia.\n\nEnlace: {link}\nCódigo: {code}\n"
          "Vale una sola vez, hasta el {until}.").format(link=deep_link(me.username, code), code=code, until=until)
    )
    manager.show_mode = ShowMode.SEND


async def unit_getter(session, viewer, **_kwargs) -> dict:
    try:
        overview = await caseload.unit_overview(session, actor=viewer.actor)
    except NotAllowed:
        return {"denied": True, "allowed": False}
    counts = "\n".join(f"• {status_label(status)}: {count}" for status, count in sorted(overview.status_counts.items()))
    staff = "\n".join(f"• {person.name} — {role_label(person.role)}" for person in overview.staff)
    return {"unit": viewer.unit.name, "comuna": viewer.unit.comuna, "counts": counts or _("Aún no hay familias."),
            "staff": staff, "allowed": True, "denied": False}


def staff_menu_dialog() -> Dialog:
    return Dialog(
        Window(
            T("Hola, {name} 👋\n{role} · {unit}\n\n¿Qué necesitas?"),
            Column(
                SwitchTo(T("👥 Mis familias"), id="families", state=StaffMenu.families),
                SwitchTo(T("🏢 Mi unidad"), id="unit", state=StaffMenu.unit, when="is_jefe"),
                Start(T("🌐 Idioma"), id="language", state=Language.choose),
            ),
            buttons_only(),
            state=StaffMenu.main,
            getter=main_getter,
        ),
        Window(
            T("👥 Tus familias: {total}", when="has_families"),
            T("Aún no tienes familias asignadas. Tu jefatura las asigna.", when="empty"),
            ScrollingGroup(
                Select(Format("{item[1]}"), id="family", item_id_getter=lambda item: item[0], items="families",
                       on_click=on_family_chosen),
                id="families_page", width=1, height=8, hide_on_single_page=True,
            ),
            SwitchTo(T("⬅️ Menú"), id="back_main", state=StaffMenu.main),
            buttons_only(),
            state=StaffMenu.families,
            getter=families_getter,
        ),
        Window(
            T("👨‍👩‍👧 Familia {family_name} · {code}\nSector: {sector}\nEstado: {status} · {trajectory}\n"
              "Apoyo Familiar: {afi}\n\nIntegrantes:\n{members}", when="found"),
            T("Esa familia no está en tu lista. Si crees que es un error, habla con tu jefatura.", when="denied"),
            Button(T("✉️ Invitar a la persona representante"), id="invite", on_click=on_invite, when="can_invite"),
            SwitchTo(T("⬅️ Mis familias"), id="back_families", state=StaffMenu.families),
            buttons_only(),
            state=StaffMenu.family,
            getter=family_getter,
        ),
        Window(
            T("🏢 {unit} · {comuna}\n\nFamilias por estado:\n{counts}\n\nEquipo:\n{staff}", when="allowed"),
            T("Esta vista es de la jefatura de la unidad.", when="denied"),
            SwitchTo(T("⬅️ Menú"), id="back_main_unit", state=StaffMenu.main),
            buttons_only(),
            state=StaffMenu.unit,
            getter=unit_getter,
        ),
    )
