"""A family member accepts the privacy notice before anything else (Ley 21.719)."""
from aiogram import F, Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from dialogs.common.consent_request import ConsentAnswer
from dialogs.common.navigation import show_menu
from services import accounts
from services.viewer import Viewer



async def accepted(callback: CallbackQuery, session, viewer: Viewer, clock, dialog_manager: DialogManager) -> None:
    await callback.answer()
    if viewer.account is None or viewer.member is None:
        await show_menu(dialog_manager, viewer)
        return
    await accounts.accept_consent(session, viewer=viewer, now=clock())
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(_("¡Gracias! Ya puedes usar Acompaña. 🙌"))
    await show_menu(dialog_manager, viewer)


async def declined(callback: CallbackQuery) -> None:
    await callback.answer()
    await callback.message.answer(_(
        "Entendido. Sin tu aceptación no guardaré nada aquí. Tu participación en el programa sigue igual "
        "con tu Apoyo Familiar. Si cambias de opinión, escribe /privacidad."
    ))


def build_router() -> Router:
    router = Router(name="consent")
    router.callback_query.register(accepted, ConsentAnswer.filter(F.accept))
    router.callback_query.register(declined, ConsentAnswer.filter(~F.accept))
    return router
