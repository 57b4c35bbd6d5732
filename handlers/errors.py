"""When something fails: a short apology in the person's language and a way back; ids-only logs."""
import logging
import traceback

from aiogram import Bot, Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.api.exceptions import OutdatedIntent, UnknownIntent, UnknownState

from dialogs.common.navigation import show_menu
from services.viewer import Viewer

log = logging.getLogger(__name__)


def _chat_id(event: ErrorEvent) -> int | None:
    update = event.update
    if update.message:
        return update.message.chat.id
    if update.callback_query and update.callback_query.message:
        return update.callback_query.message.chat.id
    return None


async def _answer_callback(event: ErrorEvent, text: str) -> None:
    if event.update.callback_query:
        await event.update.callback_query.answer(text)


async def stale_dialog(event: ErrorEvent, viewer: Viewer, dialog_manager: DialogManager, bot: Bot) -> None:
    log.info("stale dialog button in update %s: %s", event.update.update_id, type(event.exception).__name__)
    await _answer_callback(event, _("Ese botón es de una conversación anterior."))
    chat_id = _chat_id(event)
    if chat_id is not None:
        await bot.send_message(chat_id, _("Ese botón es de una conversación anterior. Aquí está tu menú 👇"))
    await show_menu(dialog_manager, viewer)


async def unexpected(event: ErrorEvent, bot: Bot, viewer: Viewer, dialog_manager: DialogManager,
                     saved_before_failure: bool = False) -> None:
    # Only the code path: exception messages can carry people's data (SQL parameters, texts).
    frames = "".join(traceback.format_tb(event.exception.__traceback__))
    log.error("update %s failed with %s\n%s", event.update.update_id, type(event.exception).__name__, frames)
    await _answer_callback(event, _("Algo salió mal."))
    chat_id = _chat_id(event)
    if chat_id is None:
        return
    # True either way: writes are committed before any reply (bot/update_transaction.py), so what was
    # confirmed earlier is saved, and this update's writes are saved exactly when saved_before_failure.
    if saved_before_failure:
        text = _("Lo siento, algo salió mal de mi lado, pero lo que acabas de hacer quedó guardado. "
                 "Escribe /menu para ver cómo quedó.")
    else:
        text = _("Lo siento, algo salió mal de mi lado y lo último que hiciste no se guardó; lo que ya te "
                 "confirmé antes sí está guardado. Escribe /menu para volver al menú.")
    await bot.send_message(chat_id, text)
    if saved_before_failure:
        # The dialog did not get to move on after the save, so its old buttons («Guardar») would save again:
        # a fresh menu makes them stale. (The reset is committed before the menu is sent.)
        await show_menu(dialog_manager, viewer)


def build_router() -> Router:
    router = Router(name="errors")
    router.errors.register(stale_dialog, ExceptionTypeFilter(UnknownIntent, OutdatedIntent, UnknownState))
    router.errors.register(unexpected)
    return router
