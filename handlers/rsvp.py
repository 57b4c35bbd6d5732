"""The buttons under a group-session invitation ("✅ Asistiré" / "❌ No podré"), sent by the outbox: the answer
is the family's own (the callback carries only the session's id; the family comes from the person)."""
from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from handlers.button_filter import ButtonData
from program.roles import Role
from services import group_sessions
from services.errors import InvalidInput, NotAllowed, NotFound
from services.message_buttons import RsvpButton
from services.viewer import Viewer


async def on_rsvp(callback: CallbackQuery, callback_data: RsvpButton, viewer: Viewer, session, clock) -> None:
    if viewer.role is not Role.FAMILY or viewer.needs_consent:
        await callback.answer(_("Esta invitación es para una familia del programa."), show_alert=True)
        return
    try:
        await group_sessions.rsvp(session, actor=viewer.actor, group_session_id=callback_data.group_id,
                                  answer=callback_data.answer, now=clock())
    except (NotAllowed, NotFound):
        await callback.answer(_("Esta invitación no es para tu familia."), show_alert=True)
        return
    except InvalidInput:
        await callback.answer(_("Esta sesión ya pasó o se suspendió."), show_alert=True)
        return
    if callback_data.answer == "yes":
        await callback.answer(_("¡Te esperamos! ✅"))
        text = _("¡Gracias! Te esperamos. Te recordaré el día anterior.")
    else:
        await callback.answer(_("Gracias por avisar."))
        text = _("Gracias por avisar. Tu Gestor Sociocomunitario te contará la próxima.")
    await callback.message.edit_reply_markup(reply_markup=None)
    await callback.message.answer(text)


def build_router() -> Router:
    router = Router(name="rsvp")
    router.callback_query.register(on_rsvp, ButtonData(RsvpButton))
    return router
