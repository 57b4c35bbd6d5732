"""The buttons under the monthly Bono question (sent by the outbox, so no dialog owns them): "Sí" and
"Todavía no" are recorded at once for the month the question was about; "Tengo un problema" opens the
Bono dialog on that month to say what happened."""
from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager, ShowMode, StartMode

from dialogs.common.navigation import show_menu
from dialogs.common.states import FamilyBono
from handlers.button_filter import ButtonData
from program.roles import Role
from services import bono
from services.errors import InvalidInput, NotAllowed
from services.message_buttons import BonoButton
from services.viewer import Viewer


async def on_answer(callback: CallbackQuery, callback_data: BonoButton, viewer: Viewer, session, clock,
                    dialog_manager: DialogManager) -> None:
    if viewer.role is not Role.FAMILY or viewer.needs_consent:
        await callback.answer(_("Esta pregunta es para la persona representante de la familia."), show_alert=True)
        await show_menu(dialog_manager, viewer)
        return
    if callback_data.answer == "problema":
        await callback.answer()
        await dialog_manager.start(FamilyBono.problem, data={"month": callback_data.month},
                                   mode=StartMode.RESET_STACK, show_mode=ShowMode.SEND)
        return
    try:
        await bono.answer(session, actor=viewer.actor, month=callback_data.month, answer=callback_data.answer,
                          now=clock())
    except NotAllowed:
        await callback.answer(_("Esta respuesta la da la persona representante de la familia."), show_alert=True)
        return
    except InvalidInput:
        await callback.answer(_("Esa pregunta ya no vale. Toca /menu y luego «Bono de Protección»."),
                              show_alert=True)
        return
    await callback.answer(_("¡Gracias! ✅"))
    await callback.message.edit_reply_markup(reply_markup=None)  # answered: the buttons go away
    text = (_("¡Qué bueno! Gracias por contarnos ✅") if callback_data.answer == "cobrado"
            else _("Gracias. Te preguntaremos de nuevo en unos días."))
    await callback.message.answer(text)


def build_router() -> Router:
    router = Router(name="bono")
    router.callback_query.register(on_answer, ButtonData(BonoButton))
    return router
