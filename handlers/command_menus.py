"""Command menus (setMyCommands): per language for strangers, per role and language for each chat."""
import logging

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault
from aiogram.utils.i18n import I18n

from program.roles import Role
from services.viewer import Viewer
from texts.markers import N_

log = logging.getLogger(__name__)

# (command, msgid of its description); descriptions are translated per language.
PUBLIC = [("start", N_("Empezar o usar un código")), ("ayuda", N_("Qué hago y cómo pedir acceso")),
          ("idioma", N_("Cambiar idioma"))]
STAFF = [("menu", N_("Mi menú")), ("ayuda", N_("Ayuda")), ("idioma", N_("Cambiar idioma")),
         ("avisos", N_("Recordatorios y resúmenes: sí o no")),
         ("cancelar", N_("Cancelar lo que estoy haciendo"))]
FAMILY = [("menu", N_("Mi menú")), ("ayuda", N_("Ayuda")), ("idioma", N_("Cambiar idioma")),
          ("privacidad", N_("Mis datos y mis derechos")), ("avisos", N_("Recordatorios: sí o no")), ("cancelar", N_("Cancelar lo que estoy haciendo"))]


class CommandMenus:
    def __init__(self, i18n: I18n):
        self.i18n = i18n

    def commands(self, entries: list[tuple[str, str]], locale: str) -> list[BotCommand]:
        return [BotCommand(command=name, description=self.i18n.gettext(desc, locale=locale))
                for name, desc in entries]

    async def apply_default(self, bot: Bot) -> None:
        """Best effort: a failure here must not stop the bot from starting."""
        try:
            await bot.set_my_commands(self.commands(PUBLIC, "es"), scope=BotCommandScopeDefault())
            await bot.set_my_commands(self.commands(PUBLIC, "en"), scope=BotCommandScopeDefault(), language_code="en")
        except TelegramAPIError as error:
            log.warning("could not set default command menus: %s", type(error).__name__)

    async def apply_for(self, bot: Bot, *, viewer: Viewer, chat_id: int) -> None:
        role = viewer.role
        entries = PUBLIC if role is None else FAMILY if role is Role.FAMILY else STAFF
        locale = (viewer.account.language if viewer.account else None) or self.i18n.default_locale
        try:
            await bot.set_my_commands(self.commands(entries, locale), scope=BotCommandScopeChat(chat_id=chat_id))
        except TelegramAPIError as error:
            log.warning("could not set a chat's command menu: %s", type(error).__name__)
