"""Logging without personal data: exceptions are reduced to their type and code frames.

Exception messages can carry what people typed or SQL parameters (names, RUN); aiogram and aiohttp
log them as they are, so the filter sits on the root handlers and covers every library.
"""
import logging
import traceback


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
        handler.addFilter(RedactExceptions())
