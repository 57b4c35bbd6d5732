"""/idioma: the language is stored per person, because Telegram never reports Haitian Creole."""
from aiogram.types import CallbackQuery
from aiogram_dialog import Dialog, DialogManager, Window
from aiogram_dialog.widgets.kbd import Column

from dialogs.common.navigation import show_menu
from dialogs.common.states import Language
from dialogs.common.widgets import T, buttons_only, choices
from services import accounts

# Each language is named in itself, so a person who cannot read the current one still finds theirs.
CHOICES = [("es", "🇨🇱 Español"), ("ht", "🇭🇹 Kreyòl ayisyen"), ("en", "🇬🇧 English")]


async def choices_getter(**_kwargs) -> dict:
    return {"languages": CHOICES}


async def on_language(callback: CallbackQuery, _widget, manager: DialogManager, item_id: str) -> None:
    data = manager.middleware_data
    viewer = data["viewer"]
    if item_id not in accounts.LANGUAGES or callback.message is None:
        return
    await accounts.set_language(data["session"], viewer=viewer, telegram_user_id=callback.from_user.id,
                                chat_id=callback.message.chat.id, language=item_id, now=data["clock"]())
    # The rest of this update already speaks the new language.
    data["i18n"].current_locale = item_id
    await data["command_menus"].apply_for(callback.bot, viewer=viewer, chat_id=callback.message.chat.id)
    await show_menu(manager, viewer)


def language_dialog() -> Dialog:
    return Dialog(
        Window(
            T("🌐 Elige tu idioma"),
            Column(choices("lang", "languages", on_language)),
            buttons_only(),
            state=Language.choose,
            getter=choices_getter,
        ),
    )
