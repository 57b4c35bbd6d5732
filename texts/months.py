"""Month names in the reader's language, for the chat and the scheduled messages alike. `_` is the
caller's gettext (aiogram's in dialogs, the recipient's catalog in the outbox)."""
import re

from texts.catalogs import Gettext
from texts.markers import N_

MONTHS = (N_("enero"), N_("febrero"), N_("marzo"), N_("abril"), N_("mayo"), N_("junio"), N_("julio"),
          N_("agosto"), N_("septiembre"), N_("octubre"), N_("noviembre"), N_("diciembre"))


def month_name(month: int, _: Gettext) -> str:
    return _(MONTHS[month - 1])


def month_label(value: str | None, _: Gettext) -> str:
    """"2026-05" → "mayo 2026"; anything else is shown as it came."""
    match = re.match(r"^(\d{4})-(\d{2})", value or "")
    if match and 1 <= int(match.group(2)) <= 12:
        return f"{month_name(int(match.group(2)), _)} {match.group(1)}"
    return value or ""
