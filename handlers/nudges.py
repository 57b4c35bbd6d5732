"""/avisos (reminders on or off) and Telegram's word that a person blocked or unblocked the bot."""
from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, ChatMemberUpdated, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from dialogs.common.navigation import welcome_text
from program.roles import Role
from services import accounts
from services.nudge_settings import quiet_hours_of
from services.viewer import Viewer


class NudgesChoice(CallbackData, prefix="avisos"):
    on: bool


def _state_text(viewer: Viewer) -> str:
    essential = (_("La pregunta mensual del Bono de Protección seguirá llegando: es importante para tu familia.")
                 if viewer.role is Role.FAMILY else
                 _("Las alertas sobre tus familias (por ejemplo, un Bono no cobrado) seguirán llegando."))
    state = (_("🔕 Ahora no recibes recordatorios.") if viewer.account.nudges_opt_out
             else _("🔔 Ahora recibes recordatorios de visitas, compromisos y resúmenes."))
    start, end = quiet_hours_of(viewer.unit)
    return _("{state}\n\nNunca escribimos de noche ({start} a {end}).\n{essential}").format(
        state=state, start=start.strftime("%H:%M"), end=end.strftime("%H:%M"), essential=essential)


def _keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=_("🔔 Recibir recordatorios"), callback_data=NudgesChoice(on=True).pack()),
        InlineKeyboardButton(text=_("🔕 No recibirlos"), callback_data=NudgesChoice(on=False).pack()),
    ]])


async def show(message: Message, viewer: Viewer) -> None:
    if viewer.role is None or viewer.account is None:
        await message.answer(welcome_text())
        return
    await message.answer(_state_text(viewer), reply_markup=_keyboard())


async def choose(callback: CallbackQuery, callback_data: NudgesChoice, viewer: Viewer, session) -> None:
    if not await accounts.set_nudges(session, viewer=viewer, enabled=callback_data.on):
        await callback.answer(_("Primero necesitas un código de tu unidad."), show_alert=True)
        return
    await callback.answer(_("Listo ✅"))
    await callback.message.edit_text(_state_text(viewer), reply_markup=_keyboard())


async def member_changed(update: ChatMemberUpdated, viewer: Viewer, session, clock) -> None:
    if viewer.account is None:
        return
    blocked = update.new_chat_member.status in ("kicked", "left")
    await accounts.set_blocked(session, account=viewer.account, now=clock() if blocked else None)


def build_router() -> Router:
    router = Router(name="nudges")
    router.message.register(show, Command("avisos"))
    router.callback_query.register(choose, NudgesChoice.filter())
    router.my_chat_member.register(member_changed)
    return router
