"""Database and Telegram unreachable: a health check, and waiting at start-up with one clear sentence.

When the database or the Bot API cannot be reached at start, the admin reads one sentence (what failed,
where, what to check; the address without its password) and the process keeps trying with a growing
delay, instead of a traceback.
"""
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram.exceptions import TelegramNetworkError, TelegramServerError
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from texts.catalogs import translator
from texts.markers import N_

log = logging.getLogger(__name__)
T = TypeVar("T")

HEALTH_TIMEOUT = 2.0  # seconds /healthz gives the database
FIRST_DELAY, LONGEST_DELAY = 1.0, 60.0  # seconds between start-up tries, doubling
DATABASE_UNREACHABLE = N_("No se pudo conectar a la base de datos en {where}; revisa DATABASE_URL y que la base "
                          "de datos esté en marcha. Vuelvo a intentarlo cada vez más espaciado.")
TELEGRAM_UNREACHABLE = N_("No se pudo conectar con Telegram en {where}; revisa la conexión a internet y "
                          "BOT_API_BASE_URL. Vuelvo a intentarlo cada vez más espaciado.")


def database_unreachable(error: BaseException) -> bool:
    """The database could not be reached (as opposed to a statement it refused)."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (OperationalError, InterfaceError, OSError, TimeoutError))


def telegram_unreachable(error: BaseException) -> bool:
    return isinstance(error, (TelegramNetworkError, TelegramServerError, OSError, TimeoutError))


def database_address(url: str) -> str:
    """Where the database is, never its password: host:port/name, or the SQLite file."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or ":memory:"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{parsed.host or 'localhost'}{port}/{parsed.database or ''}"


async def database_reachable(engine: AsyncEngine, timeout: float = HEALTH_TIMEOUT) -> bool:
    try:
        async with asyncio.timeout(timeout):
            async with engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        return True
    except Exception:  # noqa: BLE001 — any failure means: not serving
        return False


def _say(sentence: str) -> None:
    print(sentence, file=sys.stderr, flush=True)


async def until_reachable(attempt: Callable[[], Awaitable[T]], *, unreachable: Callable[[BaseException], bool],
                          sentence: str, where: str, locale: str, say: Callable[[str], None] = _say) -> T:
    """Run `attempt` until it works; while what it needs is unreachable, tell the admin once and retry."""
    delay, told = FIRST_DELAY, False
    while True:
        try:
            result = await attempt()
        except Exception as error:
            if not unreachable(error):
                raise
            if not told:
                say(translator(locale)(sentence).format(where=where))
                told = True
            log.debug("still unreachable (%s); next try in %.0f s", type(error).__name__, delay)  # one sentence only
            await asyncio.sleep(delay)
            delay = min(delay * 2, LONGEST_DELAY)
            continue
        if told:
            log.info("reachable again; starting")
        return result
