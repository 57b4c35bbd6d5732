"""Logging without personal data: exceptions are reduced to their type and code frames, and the libraries
that log SQL parameters or Telegram objects at DEBUG stay quieter than LOG_LEVEL=DEBUG.

Exception messages can carry what people typed or SQL parameters (names, RUN); aiogram and aiohttp
log them as they are, so the filter sits on the root handlers and covers every library.
"""
import logging
import traceback

# Whatever LOG_LEVEL says, these never log below the level given: at DEBUG, aiosqlite logs every statement
# with its values (names, RUNs, typed text), aiogram-dialog the chat object (first names), aiogram the
# update's content, and SQLAlchemy logs statements and parameters already at INFO.
QUIET_LIBRARIES = {
    "aiosqlite": logging.INFO,
    "asyncpg": logging.INFO,
    "sqlalchemy": logging.WARNING,
    "sqlalchemy.engine": logging.WARNING,
    "sqlalchemy.pool": logging.WARNING,
    "aiogram": logging.INFO,
    "aiogram.event": logging.INFO,
    "aiogram_dialog": logging.INFO,
    "aiohttp": logging.INFO,
    "aiohttp.access": logging.INFO,
    "apscheduler": logging.INFO,
    "alembic": logging.INFO,
}


class RedactExceptions(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(type(arg).__name__ if isinstance(arg, BaseException) else arg for arg in record.args)
        if record.exc_info and record.exc_info[1] is not None:
            error = record.exc_info[1]
            frames = "".join(traceback.format_tb(error.__traceback__)).replace("%", "%%")
            record.msg = f"{record.msg}\n{type(error).__name__} (message withheld)\n{frames}"
            record.exc_info, record.exc_text = None, None
        return True


def configure_logging(level: str) -> None:
    logging.basicConfig(level=level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for handler in logging.getLogger().handlers:
        if not any(isinstance(existing, RedactExceptions) for existing in handler.filters):
            handler.addFilter(RedactExceptions())
    quiet_libraries(level)


def quiet_libraries(level: str) -> None:
    for name, floor in QUIET_LIBRARIES.items():
        logging.getLogger(name).setLevel(max(floor, logging.getLevelName(level.upper())))
