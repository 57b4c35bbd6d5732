"""The professionals' menu: record a session, their families (dialogs/caseload/dialog.py), and (for the jefe) the unit."""
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Column, Start, SwitchTo

from dialogs.catastro.dialog import open_catastro
from dialogs.common.labels import role_label, status_label
from dialogs.common.states import Caseload, GroupSessions, Language, RecordSession, StaffMenu
from dialogs.common.widgets import T, buttons_only
from program.roles import Role
from services import caseload
from services.errors import NotAllowed


# Who records family and individual sessions (the Gestor Sociocomunitario records group sessions elsewhere).
RECORDING_ROLES = (Role.AFI, Role.GESTOR_FAMILIAR, Role.JEFE)
GROUP_ROLES = (Role.GESTOR_SOCIO, Role.JEFE)  # who creates group sessions and edits the Catastro


async def main_getter(viewer, **_kwargs) -> dict:
    return {
        "name": viewer.staff.name,
        "role": role_label(viewer.staff.role),
        "unit": viewer.unit.name if viewer.unit else "",
        "is_jefe": viewer.role is Role.JEFE,
        "can_record": viewer.role in RECORDING_ROLES,
        "runs_groups": viewer.role in GROUP_ROLES,
    }


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
                # Alone on the stack: see dialogs/session_record/flow.to_menu.
                Start(T("📝 Registrar sesión"), id="record", state=RecordSession.family, when="can_record",
                      mode=StartMode.RESET_STACK),
                # Alone on the stack too (same reason); its "⬅️ Menú" starts this menu again.
                Start(T("👥 Mis familias"), id="families", state=Caseload.families, mode=StartMode.RESET_STACK),
                Start(T("🧑‍🤝‍🧑 Sesiones grupales"), id="groups", state=GroupSessions.list, when="runs_groups"),
                # Alone on the stack too; the service refuses (and audits) a forged button.
                Button(T("🏛 Catastro"), id="catastro", on_click=open_catastro, when="runs_groups"),
                SwitchTo(T("🏢 Mi unidad"), id="unit", state=StaffMenu.unit, when="is_jefe"),
                Start(T("🌐 Idioma"), id="language", state=Language.choose),
            ),
            buttons_only(),
            state=StaffMenu.main,
            getter=main_getter,
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
