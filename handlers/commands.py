"""Commands that work from anywhere, even in the middle of a dialog."""
from aiogram import Bot, Router
from aiogram.filters import Command, CommandObject, CommandStart
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, StartMode

from dialogs.common.consent_request import send_consent_request
from dialogs.common.navigation import show_menu, welcome_text
from dialogs.common.states import FamilyMenu, Language
from dialogs.common.unit_texts import privacy_notice, unit_contact
from handlers.onboarding import link_with_code
from program.roles import Role
from services.viewer import Viewer


async def start_with_code(message: Message, command: CommandObject, **data) -> None:
    await link_with_code(message, command.args or "", data)  # registered for /start with a code only


async def menu(message: Message, viewer: Viewer, dialog_manager: DialogManager) -> None:
    await show_menu(dialog_manager, viewer)


async def cancel(message: Message, viewer: Viewer, dialog_manager: DialogManager) -> None:
    if viewer.role is not None:
        await message.answer(_("Listo, lo dejé de lado. Nada de lo que ya guardaste se perdió."))
    await show_menu(dialog_manager, viewer)


async def language(message: Message, dialog_manager: DialogManager) -> None:
    await dialog_manager.start(Language.choose, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)


async def privacy(message: Message, viewer: Viewer, bot: Bot, dialog_manager: DialogManager) -> None:
    if viewer.needs_consent:
        await send_consent_request(bot, message.chat.id, viewer)
    elif viewer.role is Role.FAMILY:  # the notice with a button for each right (Ley 21.719)
        await dialog_manager.start(FamilyMenu.privacy, mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
    else:
        await message.answer(privacy_notice(viewer.unit))


async def help_(message: Message, viewer: Viewer) -> None:
    role = viewer.role
    if role is None:
        await message.answer(welcome_text())
    elif role is Role.FAMILY:
        await message.answer(_(
            "Aquí puedes ver a tu familia y a tu equipo del Programa Familias.\n"
            "Usa los botones: no necesitas escribir.\n\n"
            "/menu — volver al menú\n/idioma — cambiar idioma\n/privacidad — tus datos y derechos\n\n"
            "¿Dudas? Contacta a tu unidad:\n{contact}"
        ).format(contact=unit_contact(viewer.unit)))
    else:
        await message.answer(_(
            "Acompaña registra el trabajo con tus familias desde el chat.\n\n"
            "/menu — tu menú\n/cancelar — dejar lo que estás haciendo (no se pierde lo guardado)\n"
            "/idioma — cambiar idioma\n\nTus accesos los administra la jefatura de tu unidad."
        ))


def build_router() -> Router:
    router = Router(name="commands")
    router.message.register(start_with_code, CommandStart(deep_link=True))
    router.message.register(menu, CommandStart())
    router.message.register(menu, Command("menu"))
    router.message.register(cancel, Command("cancelar"))
    router.message.register(language, Command("idioma"))
    router.message.register(privacy, Command("privacidad"))
    router.message.register(help_, Command("ayuda"))
    return router
