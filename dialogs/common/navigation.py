"""Bringing a person to the menu of their role, from any command, button or error."""
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, StartMode

from dialogs.common.consent_request import send_consent_request
from dialogs.common.states import FamilyMenu, StaffMenu
from program.roles import Role
from services.viewer import Viewer


def welcome_text() -> str:
    return _(
        "Hola 👋 Soy Acompaña, el asistente del Programa Familias de tu municipalidad.\n\n"
        "Acompaño a las familias del programa y a sus equipos: citas, compromisos y avisos.\n\n"
        "Para usarme necesitas un código de tu Unidad de Intervención Familiar. "
        "Si ya lo tienes, ábrelo como enlace o escríbelo aquí. "
        "Si no lo tienes, pídelo a tu Apoyo Familiar o en la oficina del programa.\n\n"
        "🌐 /idioma — Español · Kreyòl · English"
    )


async def show_menu(manager: DialogManager, viewer: Viewer) -> None:
    """Every way to a menu passes here, so a family sees the privacy notice before anything else."""
    bot, chat = manager.middleware_data["bot"], manager.middleware_data["event_chat"]
    role = viewer.role
    if role is None or viewer.needs_consent:
        await manager.reset_stack(remove_keyboard=False)
        if role is None:
            await bot.send_message(chat.id, welcome_text())
        else:
            await send_consent_request(bot, chat.id, viewer)
        return
    state = FamilyMenu.main if role is Role.FAMILY else StaffMenu.main
    await manager.start(state, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)


async def is_staff(_event, viewer: Viewer) -> bool:
    return viewer.role is not None and viewer.role is not Role.FAMILY


async def is_family_with_consent(_event, viewer: Viewer) -> bool:
    return viewer.role is Role.FAMILY and not viewer.needs_consent


def only_for(dialog, role_filter):
    """A role's dialog sees only its role's events; the rest (a professional deactivated mid-dialog,
    a forged intent) falls through to the fallback, which shows the person's own menu."""
    dialog.message.filter(role_filter)
    dialog.callback_query.filter(role_filter)
    return dialog
