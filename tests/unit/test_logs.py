"""No personal data in logs, even when a library logs an exception with its message."""
import logging

from bot.logs import RedactExceptions


def _format(record: logging.LogRecord) -> str:
    RedactExceptions().filter(record)
    return logging.Formatter("%(message)s").format(record)


def test_exception_messages_are_withheld_but_type_and_frames_kept():
    personal = "RUN " + "12.345.678-5" + " María Pérez 100%"  # built at run time, as real data would be
    try:
        raise ValueError(personal)
    except ValueError as error:
        record = logging.LogRecord("aiogram.event", logging.ERROR, __file__, 1,
                                   "Cause exception while process update id=%d\n%s: %s", (7, "ValueError", error),
                                   exc_info=(type(error), error, error.__traceback__))
    text = _format(record)
    assert personal not in text and "María Pérez" not in text
    assert "update id=7" in text and "ValueError (message withheld)" in text and "test_logs.py" in text


def test_plain_records_pass_unchanged():
    record = logging.LogRecord("bot", logging.INFO, __file__, 1, "polling started %s", ("ok",), None)
    assert _format(record) == "polling started ok"


def test_libraries_that_log_data_stay_above_debug_whatever_log_level_says():
    from bot.logs import QUIET_LIBRARIES, quiet_libraries

    saved = {name: logging.getLogger(name).level for name in QUIET_LIBRARIES}
    try:
        quiet_libraries("DEBUG")
        for name in ("aiosqlite", "aiogram_dialog", "aiogram.event", "asyncpg", "aiohttp.access"):
            assert not logging.getLogger(name).isEnabledFor(logging.DEBUG), name
        assert not logging.getLogger("sqlalchemy.engine.Engine").isEnabledFor(logging.INFO)  # statements + values
        quiet_libraries("ERROR")  # a stricter LOG_LEVEL still wins
        assert not logging.getLogger("aiogram.event").isEnabledFor(logging.WARNING)
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)
