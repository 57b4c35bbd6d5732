"""The gettext catalogs in locales/, compiled with Babel; no aiogram here, so the CLI starts fast."""
import atexit
import gettext
import shutil
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"

Gettext = Callable[[str], str]


def compile_catalogs(target: Path, source: Path = LOCALES_DIR, domain: str = DOMAIN) -> None:
    """One .mo per locale into `target` (Babel leaves fuzzy entries out)."""
    for po_path in sorted(source.glob(f"*/LC_MESSAGES/{domain}.po")):
        locale = po_path.parent.parent.name
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=locale, domain=domain)
        mo_path = target / locale / "LC_MESSAGES" / f"{domain}.mo"
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog)


@cache
def compiled_locales() -> Path:
    """Compiled once per process into a private folder, removed at exit: no .mo file is ever committed."""
    target = Path(tempfile.mkdtemp(prefix="acompana-locales-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    compile_catalogs(target)
    return target


def translator(locale: str) -> Gettext:
    """A plain gettext function for one locale, for the command line."""
    return gettext.translation(DOMAIN, localedir=compiled_locales(), languages=[locale], fallback=True).gettext
