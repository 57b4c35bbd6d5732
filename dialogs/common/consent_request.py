"""The privacy notice with its Accept / Decline buttons (one-shot callbacks, routed on ids)."""
from aiogram import Bot
from aiogram.filters.callback_data import CallbackData
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from dialogs.common.unit_texts import privacy_notice
from services.viewer import Viewer


class ConsentAnswer(CallbackData, prefix="consent"):
    accept: bool


async def send_consent_request(bot: Bot, chat_id: int, viewer: Viewer) -> None:
    keyboard = InlineKeyboardBuilder()
    keyboard.button(text=_("✅ Acepto"), callback_data=ConsentAnswer(accept=True))
    keyboard.button(text=_("❌ No acepto"), callback_data=ConsentAnswer(accept=False))
    keyboard.adjust(1)
    question = _("¿Aceptas que guardemos y usemos estos datos para acompañar a tu familia?")
    await bot.send_message(chat_id, f"{privacy_notice(viewer.unit)}\n\n{question}", reply_markup=keyboard.as_markup())
