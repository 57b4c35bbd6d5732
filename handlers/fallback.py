"""Whatever no dialog or command took: a typed code, an unknown command, text, media, old buttons."""
from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from dialogs.common.navigation import show_menu
from handlers.onboarding import link_with_code
from program.codes import looks_like_code
from services.viewer import Viewer



async def is_stranger(_event, viewer: Viewer) -> bool:
    return viewer.role is None


async def typed_code(message: Message, **data) -> None:
    await link_with_code(message, message.text, data)


async def unknown_command(message: Message, viewer: Viewer) -> None:
    await message.answer(_("No conozco ese comando. Prueba /menu o /ayuda."))


async def anything_else(message: Message, viewer: Viewer, dialog_manager: DialogManager) -> None:
    if viewer.role is not None:
        await message.answer(_("No entendí eso. Usa los botones del menú 👇"))
    await show_menu(dialog_manager, viewer)


async def old_button(callback: CallbackQuery, viewer: Viewer, dialog_manager: DialogManager) -> None:
    await callback.answer(_("Ese botón ya no sirve. Te muestro tu menú."))
    await show_menu(dialog_manager, viewer)


def build_router() -> Router:
    router = Router(name="fallback")
    router.message.register(typed_code, F.text.func(looks_like_code), is_stranger)
    router.message.register(unknown_command, F.text.startswith("/"))
    router.message.register(anything_else)
    router.callback_query.register(old_button)
    return router
