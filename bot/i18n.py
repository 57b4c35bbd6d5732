"""gettext catalogs, compiled from locales/*.po at start-up (no committed .mo files to drift)."""
import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.settings import SUPPORTED_LOCALES

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


def compile_catalogs(source: Path, target: Path, domain: str = DOMAIN) -> None:
    for po_path in sorted(source.glob(f"*/LC_MESSAGES/{domain}.po")):
        locale = po_path.parent.parent.name
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, domain=domain)
        mo_path = target / locale / "LC_MESSAGES" / f"{domain}.mo"
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)


def build_i18n(default_locale: str = "es") -> I18n:
    """Compile the catalogs into a private directory at start-up, so no .mo file is ever committed."""
    target = Path(tempfile.mkdtemp(prefix="acompana-locales-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    compile_catalogs(LOCALES_DIR, target)
    return I18n(path=target, default_locale=default_locale, domain=DOMAIN)


class LocaleMiddleware(I18nMiddleware):
    """The language a person chose (/idioma) wins; Telegram's client language is only a first guess."""

    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        viewer = data.get("viewer")
        if viewer is not None and viewer.account is not None and viewer.account.language:
            return viewer.account.language
        user = data.get("event_from_user")
        guess = (user.language_code or "")[:2] if user is not None else ""
        return guess if guess in SUPPORTED_LOCALES else self.i18n.default_locale
