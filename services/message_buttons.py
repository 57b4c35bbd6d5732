"""The buttons under the messages the outbox sends (the monthly Bono question, a group-session invitation),
defined once: their labels (msgids, translated when the message is rendered) and their callback data.

services/ write the callback data into outbox rows without aiogram; handlers/ read it back with
`unpack` (handlers/button_filter.py). A kind is a NamedTuple whose fields are packed in order after
its prefix, as aiogram's CallbackData does ("bono:2026-05:cobrado"); Telegram allows 64 bytes.
"""
from typing import NamedTuple, get_type_hints

from texts.markers import N_

MAX_BYTES = 64
SEPARATOR = ":"


class BonoButton(NamedTuple):
    """Under the monthly Bono question: the month asked about ("2026-05") and the answer."""
    month: str
    answer: str  # cobrado | todavia_no | problema


class RsvpButton(NamedTuple):
    """Under a group-session invitation: the session's id only (the family comes from the person)."""
    group_id: int
    answer: str  # yes | no


PREFIXES = {BonoButton: "bono", RsvpButton: "rsvp"}


def pack(value: NamedTuple) -> str:
    parts = [str(part) for part in value]
    if any(SEPARATOR in part for part in parts):
        raise ValueError(f"{SEPARATOR!r} inside a callback value")
    data = SEPARATOR.join([PREFIXES[type(value)], *parts])
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"callback data over {MAX_BYTES} bytes")
    return data


def unpack(kind: type, data: str | None):
    """The `kind` value `data` packs, or None when it is another button's (or forged, or damaged)."""
    prefix, *parts = (data or "").split(SEPARATOR)
    if prefix != PREFIXES[kind] or len(parts) != len(kind._fields):
        return None
    types = get_type_hints(kind)
    try:
        return kind(*(types[name](part) for name, part in zip(kind._fields, parts)))
    except ValueError:
        return None


def bono_buttons(month: str) -> list[list[dict]]:
    def button(text: str, answer: str) -> dict:
        return {"text": text, "data": pack(BonoButton(month, answer))}

    return [[button(N_("✅ Sí, lo cobré"), "cobrado"), button(N_("⏳ Todavía no"), "todavia_no")],
            [button(N_("⚠️ Tengo un problema"), "problema")]]


def rsvp_buttons(group_id: int) -> list[list[dict]]:
    return [[{"text": N_("✅ Asistiré"), "data": pack(RsvpButton(group_id, "yes"))},
             {"text": N_("❌ No podré"), "data": pack(RsvpButton(group_id, "no"))}]]
