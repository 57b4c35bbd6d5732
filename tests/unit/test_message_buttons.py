"""The buttons of scheduled messages: the callback data services/ write is what handlers/ read back, and it
fits Telegram's 64 bytes."""
from types import SimpleNamespace

import pytest

from handlers.button_filter import ButtonData
from services.message_buttons import BonoButton, RsvpButton, bono_buttons, pack, rsvp_buttons, unpack


def _data(rows: list[list[dict]]) -> list[str]:
    return [button["data"] for row in rows for button in row]


async def _read(kind: type, data: str):
    return await ButtonData(kind)(SimpleNamespace(data=data))


async def test_the_bono_buttons_are_read_back_by_the_handlers_filter():
    found = [await _read(BonoButton, data) for data in _data(bono_buttons("2026-05"))]
    assert [item["callback_data"] for item in found] == [
        BonoButton("2026-05", "cobrado"), BonoButton("2026-05", "todavia_no"), BonoButton("2026-05", "problema")]
    assert _data(bono_buttons("2026-05"))[0] == "bono:2026-05:cobrado"  # what rows already in the outbox carry


async def test_the_rsvp_buttons_are_read_back_with_an_integer_id():
    found = [await _read(RsvpButton, data) for data in _data(rsvp_buttons(123456789))]
    assert [item["callback_data"] for item in found] == [RsvpButton(123456789, "yes"), RsvpButton(123456789, "no")]
    assert found[0]["callback_data"].group_id == 123456789
    assert _data(rsvp_buttons(7)) == ["rsvp:7:yes", "rsvp:7:no"]


@pytest.mark.parametrize("kind, data", [
    (BonoButton, "rsvp:7:yes"),              # another button's
    (RsvpButton, "bono:2026-05:cobrado"),
    (RsvpButton, "rsvp:siete:yes"),          # forged: the id is not a number
    (RsvpButton, "rsvp:7"),                  # damaged: a part missing
    (BonoButton, "bono:2026-05:cobrado:x"),  # a part too many
    (BonoButton, ""),
    (BonoButton, None),
])
async def test_other_or_forged_data_is_not_taken(kind, data):
    assert unpack(kind, data) is None
    assert await _read(kind, data) is False


def test_every_button_fits_telegrams_64_bytes():
    longest = _data(bono_buttons("9999-12")) + _data(rsvp_buttons(2**63 - 1))
    assert max(len(data.encode()) for data in longest) <= 64


def test_packing_refuses_what_could_not_be_read_back():
    with pytest.raises(ValueError):
        pack(BonoButton("2026:05", "cobrado"))
    with pytest.raises(ValueError):
        pack(BonoButton("2026-05", "x" * 60))
