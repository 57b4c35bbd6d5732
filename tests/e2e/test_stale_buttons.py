"""A forged or stale button on a menu gets a kind word in the person's language — never silence (Telegram
keeps a spinner on a button whose callback is not answered) — and the dialog goes on."""
import logging

import pytest

from tests.support import seed, updates

AFI, FAMILY = 5001, 6001
OLDER = {"es": "Ese botón es de una conversación anterior.",
         "en": "That button is from an earlier conversation.",
         "ht": "Bouton sa a se pou yon ansyen konvèsasyon."}


@pytest.fixture
def errors_log(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def failures(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or "failed with" in r.getMessage()]


async def press(harness, user_id: int, data: str, message_id: int):
    """Feed one callback; return the answers to it and the other calls it caused."""
    update = updates.callback(user_id, data, message_id=message_id)
    calls = await harness.feed(update)
    query_id = update["callback_query"]["id"]
    answers = [c for c in calls if c.method == "answerCallbackQuery" and c.params["callback_query_id"] == query_id]
    return answers, [c for c in calls if c.method != "answerCallbackQuery"]


async def staff_in_english(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI, f"/start {unit.afi_code}")
    await harness.say(AFI, "/idioma")
    await harness.tap(AFI, "English")
    await harness.say(AFI, "/menu")
    return unit


async def family_in_creole(harness, session_factory, clock, unit):
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.say(FAMILY, f"/start {code}")
    await harness.tap(FAMILY, "Acepto")
    await harness.say(FAMILY, "/idioma")
    await harness.tap(FAMILY, "Kreyòl")
    await harness.say(FAMILY, "/menu")


@pytest.mark.parametrize("who", ["staff", "family"])
async def test_a_forged_button_on_the_menu_gets_a_kind_word_and_the_menu_stays(harness, session_factory, clock,
                                                                              errors_log, who):
    unit = await staff_in_english(harness, session_factory, clock)
    await family_in_creole(harness, session_factory, clock, unit)
    user, language = (AFI, "en") if who == "staff" else (FAMILY, "ht")
    message_id, buttons = harness.keyboard(user)
    intent = buttons[0]["callback_data"].split("\x1d")[0]
    shown = harness.last_text(user)
    for forged in ("xyz", f"{intent}\x1dxyz", f"{intent}\x1dxyz:1"):
        answers, others = await press(harness, user, forged, message_id)
        assert [a.params.get("text") for a in answers] == [OLDER[language]], forged
        assert others == [], forged  # nothing redrawn, nothing sent
    assert harness.last_text(user) == shown
    # The dialog goes on: the menu's own buttons still work.
    second = harness.buttons(user)[1]
    answers, others = await press(harness, user, harness.find_button(user, second)[1], message_id)
    assert len(answers) == 1 and any(c.method.startswith(("send", "edit")) and not c.fault for c in others)
    assert failures(errors_log) == []


@pytest.mark.parametrize("who", ["staff", "family"])
async def test_a_menu_button_from_an_earlier_conversation(harness, session_factory, clock, errors_log, who):
    unit = await staff_in_english(harness, session_factory, clock)
    await family_in_creole(harness, session_factory, clock, unit)
    user, language = (AFI, "en") if who == "staff" else (FAMILY, "ht")
    old_message, buttons = harness.keyboard(user)
    await harness.say(user, "/menu")  # a new dialog stack replaces the one of the old menu
    menu = harness.last_text(user)
    answers, others = await press(harness, user, buttons[1]["callback_data"], old_message)
    assert [a.params.get("text") for a in answers] == [OLDER[language]]
    assert harness.last_text(user) == menu  # the menu again, in the person's language
    new_message, new_buttons = harness.keyboard(user)
    assert new_message != old_message and [b["text"] for b in new_buttons] == [b["text"] for b in buttons]
    answers, others = await press(harness, user, new_buttons[1]["callback_data"], new_message)
    assert len(answers) == 1 and any(c.method.startswith(("send", "edit")) and not c.fault for c in others)
    assert failures(errors_log) == []
