"""The family's menu: their plan, their notebook, the Bono, their appointments, their team and how to reach
it, language, privacy. The representative sees everything; other linked members a narrower view (their
plan and appointments), and an ASL participant their Plan Laboral within the plan."""
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Button, Column, Start, SwitchTo

from dialogs.common.labels import role_label
from dialogs.common.states import Appointments, Cuaderno, FamilyBono, FamilyMenu, FamilyPlan, Language
from dialogs.common.unit_texts import PRIVACY_NOTICE_VERSION, privacy_notice, unit_contact
from dialogs.common.widgets import T, buttons_only
from dialogs.family.privacy_rights import rights_buttons, rights_windows
from dialogs.family.resources import start_resources
from program.clock import format_datetime
from services import caseload, consent
from services.errors import NotAllowed, NotFound


async def main_getter(viewer, **_kwargs) -> dict:
    representative = viewer.member.is_representative
    return {"name": viewer.member.given_names, "family_name": viewer.family.family_name,
            "representative": representative, "bono": representative or viewer.member.is_bono_collector,
            "blocked": viewer.family.blocked_at is not None}


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


async def withdraw_getter(viewer, **_kwargs) -> dict:
    representative = viewer.member.is_representative
    return {"representative": representative, "member": not representative, "contact": unit_contact(viewer.unit)}


async def on_withdraw(callback: CallbackQuery, _button: Button, manager: DialogManager) -> None:
    """Withdrawn, the chat no longer belongs to the family: close the menu and say what happened."""
    data = manager.middleware_data
    viewer = data["viewer"]
    blocked = await consent.withdraw(data["session"], viewer=viewer, notice_version=PRIVACY_NOTICE_VERSION,
                                     now=data["clock"]())
    await callback.answer()
    await manager.reset_stack()
    if blocked:
        text = _("Listo: retiraste tu consentimiento. Bloqueamos el uso de los datos de tu familia, este chat quedó "
                 "desvinculado y avisamos a tu unidad. Tus datos se guardan bloqueados hasta que la unidad los "
                 "borre, como permite la ley. Si cambias de opinión, pide un código nuevo a tu Apoyo Familiar.")
    else:
        text = _("Listo: retiraste tu consentimiento. Este chat quedó desvinculado y avisamos a tu unidad. Si "
                 "cambias de opinión, pide un código nuevo a tu Apoyo Familiar.")
    if callback.message is not None:  # an old (inaccessible) message can still be answered in its chat
        await callback.message.answer(text)


def family_menu_dialog() -> Dialog:
    return Dialog(
        Window(
            T("Hola, {name} 👋\nEste es el espacio de la familia {family_name} en el Programa Familias."),
            T("\n🔒 Los datos de tu familia están bloqueados: puedes mirarlos, pero no guardar cambios.",
              when="blocked"),
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
            *rights_buttons(),
            SwitchTo(T("🚫 Retirar mi consentimiento"), id="withdraw", state=FamilyMenu.withdraw),
            SwitchTo(T("⬅️ Menú"), id="back_privacy", state=FamilyMenu.main),
            buttons_only(),
            state=FamilyMenu.privacy,
            getter=privacy_getter,
        ),
        *rights_windows(),
        Window(
            T("🚫 Retirar tu consentimiento\n\nSi lo retiras:\n"
              "• dejamos de usar los datos de tu familia: no recibirán más mensajes y nadie podrá cambiarlos "
              "(quedan bloqueados);\n"
              "• este chat se desvincula del programa;\n"
              "• avisamos a tu unidad.\n\n"
              "Tus datos no se borran solos: se guardan bloqueados hasta que la unidad los borre, como permite "
              "la ley. Para pedir que los borren, habla con la unidad:\n{contact}\n\n"
              "Tu familia sigue en el programa con su Apoyo Familiar. ¿Quieres retirarlo?", when="representative"),
            T("🚫 Retirar tu consentimiento\n\nSi lo retiras:\n"
              "• este chat se desvincula del programa y no recibirás más mensajes aquí;\n"
              "• avisamos a tu unidad.\n\n"
              "Los datos de tu familia siguen en el programa. Para pedir que borren los tuyos, habla con la "
              "unidad:\n{contact}\n\n¿Quieres retirarlo?", when="member"),
            Button(T("🚫 Sí, retirar mi consentimiento"), id="withdraw_yes", on_click=on_withdraw),
            SwitchTo(T("⬅️ No, volver"), id="withdraw_back", state=FamilyMenu.privacy),
            buttons_only(),
            state=FamilyMenu.withdraw,
            getter=withdraw_getter,
        ),
    )
