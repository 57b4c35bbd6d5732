"""A family member answers the privacy notice before anything else (Ley 21.719); both answers are kept with
the notice's version (services/consent.py)."""
from aiogram import F, Router
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager

from dialogs.common.consent_request import ConsentAnswer
from dialogs.common.navigation import show_menu
from dialogs.common.unit_texts import PRIVACY_NOTICE_VERSION
from handlers.message_edits import edit_if_needed
from services import consent
from services.viewer import Viewer


async def accepted(callback: CallbackQuery, session, viewer: Viewer, clock, dialog_manager: DialogManager) -> None:
    await callback.answer()
    if viewer.account is None or viewer.member is None:
        await show_menu(dialog_manager, viewer)
        return
    await consent.accept(session, viewer=viewer, notice_version=PRIVACY_NOTICE_VERSION, now=clock())
    if isinstance(callback.message, Message):  # a message older than 48 h is inaccessible: no buttons to remove
        await edit_if_needed(callback.message.edit_reply_markup(reply_markup=None))
    if callback.message is not None:
        await callback.message.answer(_("¡Gracias! Ya puedes usar Acompaña. 🙌"))
    await show_menu(dialog_manager, viewer)


async def declined(callback: CallbackQuery, session, viewer: Viewer, clock, dialog_manager: DialogManager) -> None:
    await callback.answer()
    if callback.message is None:  # only for inline-mode messages, which this bot does not send
        return
    if viewer.account is None or viewer.member is None or not viewer.needs_consent:
        await show_menu(dialog_manager, viewer)  # a stranger, or an old button after accepting
        return
    await consent.refuse(session, viewer=viewer, notice_version=PRIVACY_NOTICE_VERSION, now=clock())
    if isinstance(callback.message, Message):
        await edit_if_needed(callback.message.edit_reply_markup(reply_markup=None))
    # The chat is already linked to the family by the code: say so, and what the refusal does.
    await callback.message.answer(_(
        "Entendido, anotamos tu respuesta. Este chat ya quedó vinculado a tu familia con el código, pero "
        "mientras no aceptes no te enviaré mensajes ni usaré este chat para tus datos. Tu participación en el "
        "programa sigue igual con tu Apoyo Familiar. Si cambias de opinión, escribe /privacidad; si quieres "
        "que desvinculemos este chat, pídelo en tu unidad."
    ))


def build_router() -> Router:
    router = Router(name="consent")
    router.callback_query.register(accepted, ConsentAnswer.filter(F.accept))
    router.callback_query.register(declined, ConsentAnswer.filter(~F.accept))
    return router
