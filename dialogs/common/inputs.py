"""What a professional types during the session record: free text, dates and times, checked kindly.

Every typing step answers bad input (empty, too long, only emojis, a command, a sticker or photo where
text is expected, text where a date is expected) with a short message in the person's language and
shows the same step again.
"""
import re
from datetime import date, time

from aiogram.enums import ContentType
from aiogram.types import Message
from aiogram.utils.i18n import gettext as _
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput, TextInput

from dialogs.common.context import explain, today
from program.clock import format_date, parse_date

TEXT_MAX = 500  # a plan topic, an action, a reason or a note: enough for a paragraph, not for a report
OLDEST_YEAR = 2015  # the program as it is today; an older year is a typo (26 instead of 2026)


class InputProblem(ValueError):
    def __init__(self, kind: str, **details):
        super().__init__(kind)
        self.kind, self.details = kind, details


def clean_text(text: str | None, limit: int = TEXT_MAX) -> str:
    value = (text or "").strip()
    if not value:
        raise InputProblem("empty")
    if len(value) > limit:
        raise InputProblem("too_long", limit=limit, count=len(value))
    if not any(char.isalnum() for char in value):
        raise InputProblem("no_words")
    if value.startswith("/"):
        raise InputProblem("command")
    return value


def text_problem(problem: InputProblem) -> str:
    if problem.kind == "too_long":
        return _("Es muy largo: el máximo es {limit} caracteres y escribiste {count}. Acórtalo, por favor."
                 ).format(**problem.details)
    if problem.kind == "no_words":
        return _("Escríbelo con palabras, por favor: solo emojis o signos no me sirven aquí.")
    if problem.kind == "command":
        return _("Eso parece un comando. Si quieres salir, escribe /cancelar; si no, escribe el texto sin la barra.")
    return _("Está vacío. Escribe unas palabras, por favor.")


def parse_day(text: str) -> date:
    try:
        value = parse_date(text)
    except (ValueError, TypeError) as error:
        raise InputProblem("date_format") from error
    if value.year < OLDEST_YEAR:
        raise InputProblem("date_year")
    return value


def date_problem(problem: InputProblem, today: date) -> str:
    if problem.kind == "date_year":
        return _("Revisa el año, por favor: escribe la fecha completa, por ejemplo {example}."
                 ).format(example=format_date(today))
    return _("No entendí la fecha. Escríbela como día-mes-año, por ejemplo {example}, o usa los botones."
             ).format(example=format_date(today))


_TIME = re.compile(r"^\s*(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(?:hrs?\.?)?\s*$", re.IGNORECASE)


def parse_time(text: str) -> time:
    match = _TIME.match(text or "")
    if not match:
        raise InputProblem("time_format")
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    if hour > 23 or minute > 59:
        raise InputProblem("time_format")
    return time(hour, minute)


def time_problem(_problem: InputProblem) -> str:
    return _("No entendí la hora. Escríbela como 09:30 o 15:00, o usa los botones.")


async def _not_text(message: Message, _widget, manager: DialogManager) -> None:
    await explain(manager, _("Aquí necesito un texto escrito 🙂 Escríbelo, o usa los botones."))


async def _not_a_date(message: Message, _widget, manager: DialogManager) -> None:
    await explain(manager, _("Aquí necesito una fecha: escríbela como día-mes-año o usa los botones."))


def text_input(id: str, on_text, limit: int = TEXT_MAX) -> list:
    """Typed text for `on_text(message, manager, value)`; anything else gets a kind hint."""

    async def ok(message: Message, _widget, manager: DialogManager, value: str) -> None:
        await on_text(message, manager, value)

    async def bad(message: Message, _widget, manager: DialogManager, error: ValueError) -> None:
        problem = error if isinstance(error, InputProblem) else InputProblem("empty")
        await explain(manager, text_problem(problem))

    return [TextInput(id=id, type_factory=lambda text: clean_text(text, limit), on_success=ok, on_error=bad),
            MessageInput(_not_text, content_types=ContentType.ANY)]


def date_input(id: str, on_date) -> list:
    """A typed date for `on_date(event, manager, value)` (the same handler the calendar and buttons use)."""

    async def ok(message: Message, _widget, manager: DialogManager, value: date) -> None:
        await on_date(message, manager, value)

    async def bad(message: Message, _widget, manager: DialogManager, error: ValueError) -> None:
        problem = error if isinstance(error, InputProblem) else InputProblem("date_format")
        await explain(manager, date_problem(problem, today(manager)))

    return [TextInput(id=id, type_factory=parse_day, on_success=ok, on_error=bad),
            MessageInput(_not_a_date, content_types=ContentType.ANY)]
