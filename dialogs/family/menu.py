"""The family's menu: their plan, their notebook, the Bono, their appointments, their team and how to reach
it, language, privacy. The representative sees everything; other linked members a narrower view (their
plan and appointments), and an ASL participant their Plan Laboral within the plan."""
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Column, Start, SwitchTo

from dialogs.common.labels import role_label
from dialogs.common.states import Appointments, Cuaderno, FamilyBono, FamilyMenu, FamilyPlan, Language
from dialogs.common.unit_texts import privacy_notice, unit_contact
from dialogs.common.widgets import T, buttons_only
from dialogs.family.resources import start_resources
from program.clock import format_datetime
from services import caseload
from services.errors import NotAllowed, NotFound


async def main_getter(viewer, **_kwargs) -> dict:
    representative = viewer.member.is_representative
    return {"name": viewer.member.given_names, "family_name": viewer.family.family_name,
            "representative": representative, "bono": representative or viewer.member.is_bono_collector}


async def family_getter(session, viewer, **_kwargs) -> dict:
    try:
        card = await caseload.family_card(session, actor=viewer.actor, family_id=viewer.family.id)
    except (NotAllowed, NotFound):
        return {"members": ""}
    lines = []
    for member in card.members:
        mark = " ⭐" if member.is_representative else ""
        relation = f" · {member.relation}" if member.relation else ""
        lines.append(f"• {member.given_names} {member.surnames}{relation}{mark}")
    return {"family_name": card.family.family_name, "members": "\n".join(lines)}


async def team_getter(session, viewer, **_kwargs) -> dict:
    card = await caseload.family_card(session, actor=viewer.actor, family_id=viewer.family.id)
    team = [f"• {person.name} — {role_label(person.role)}" for person in card.staff.values()]
    return {"team": "\n".join(team) or _("Tu equipo aún no ha sido asignado."), "contact": unit_contact(viewer.unit)}


async def privacy_getter(viewer, **_kwargs) -> dict:
    accepted = viewer.account.consent_at
    return {
        "notice": privacy_notice(viewer.unit),
        "accepted": format_datetime(accepted, viewer.timezone) if accepted else "—",
    }


def family_menu_dialog() -> Dialog:
    return Dialog(
        Window(
            T("Hola, {name} 👋\nEste es el espacio de la familia {family_name} en el Programa Familias."),
            Column(
                Start(T("🗂 Mi plan"), id="plan", state=FamilyPlan.plan),
                Start(T("📓 Mi cuaderno"), id="cuaderno", state=Cuaderno.dimensions, when="representative"),
                Start(T("💳 Bono de Protección"), id="bono", state=FamilyBono.status, when="bono"),
                Start(T("📅 Mis próximas citas"), id="appointments", state=Appointments.list),
                Button(T("🔎 ¿Dónde encuentro ayuda?"), id="resources", on_click=start_resources),
                SwitchTo(T("👨‍👩‍👧 Mi familia"), id="family", state=FamilyMenu.family),
                SwitchTo(T("📞 Mi equipo y cómo contactarlo"), id="team", state=FamilyMenu.team),
                Start(T("🌐 Idioma"), id="language", state=Language.choose),
                SwitchTo(T("🔒 Privacidad"), id="privacy", state=FamilyMenu.privacy),
            ),
            buttons_only(),
            state=FamilyMenu.main,
            getter=main_getter,
        ),
        Window(
            T("👨‍👩‍👧 Familia {family_name}\n\n{members}\n\n⭐ persona representante"),
            SwitchTo(T("⬅️ Menú"), id="back_family", state=FamilyMenu.main),
            buttons_only(),
            state=FamilyMenu.family,
            getter=family_getter,
        ),
        Window(
            T("📞 Tu equipo\n{team}\n\nOficina del programa:\n{contact}"),
            SwitchTo(T("⬅️ Menú"), id="back_team", state=FamilyMenu.main),
            buttons_only(),
            state=FamilyMenu.team,
            getter=team_getter,
        ),
        Window(
            T("{notice}\n\nAceptaste este aviso el {accepted}."),
            SwitchTo(T("⬅️ Menú"), id="back_privacy", state=FamilyMenu.main),
            buttons_only(),
            state=FamilyMenu.privacy,
            getter=privacy_getter,
        ),
    )
