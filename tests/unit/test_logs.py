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
