"""gettext catalogs, compiled from locales/*.po at start-up (no committed .mo files to drift)."""
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from bot.settings import SUPPORTED_LOCALES
from texts.catalogs import DOMAIN, compiled_locales


def build_i18n(default_locale: str = "es") -> I18n:
    return I18n(path=compiled_locales(), default_locale=default_locale, domain=DOMAIN)


class LocaleMiddleware(I18nMiddleware):
    """The language a person chose (/idioma) wins; Telegram's client language is only a first guess."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        viewer = data.get("viewer")
        if viewer is not None and viewer.account is not None and viewer.account.language:
            return viewer.account.language
        user = data.get("event_from_user")
        guess = (user.language_code or "")[:2] if user is not None else ""
        return guess if guess in SUPPORTED_LOCALES else self.i18n.default_locale
