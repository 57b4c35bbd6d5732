"""A second tap on a one-shot button, or a tap on the choice already shown: Telegram refuses an edit that
changes nothing ("message is not modified"), and that is no failure — the person gets the same kind answer
and no apology. The fake Bot API refuses such edits like Telegram (strict edits)."""
import logging
from datetime import UTC, datetime

import pytest

from tests.e2e.test_family_plan_bono import FAMILY, _linked_family
from tests.e2e.test_group_sessions import FIRST_CHAT, _create_s9, _sent_to, _unit_with_25_families

UTC = UTC
SORRY = "algo salió mal"


@pytest.fixture
def errors_log(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def failures(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR or "failed with" in r.getMessage()]


def refused_edits(harness, message_id: int) -> list[str]:
    return [c.method for c in harness.api.calls
            if c.method.startswith("editMessage") and c.params.get("message_id") == message_id and c.fault]


def toasts(harness) -> list[str | None]:
    return [c.params.get("text") for c in harness.api.requests("answerCallbackQuery")]


async def test_choosing_the_reminders_setting_already_shown(harness, session_factory, clock, errors_log):
    await _linked_family(harness, session_factory, clock)
    await harness.say(FAMILY, "/avisos")
    message_id, on = harness.find_button(FAMILY, "Recibir recordatorios")
    _, off = harness.find_button(FAMILY, "No recibirlos")
    shown = harness.last_text(FAMILY)
    texts = await harness.press(FAMILY, on, message_id)  # reminders are on already
    assert toasts(harness)[-1] == "Listo ✅" and SORRY not in " ".join(texts).lower()
    assert harness.last_text(FAMILY) == shown
    assert "🔕 Ahora no recibes recordatorios." in (await harness.press(FAMILY, off, message_id))[-1]
    texts = await harness.press(FAMILY, off, message_id)  # a second tap on the same choice
    assert toasts(harness)[-1] == "Listo ✅" and SORRY not in " ".join(texts).lower()
    assert refused_edits(harness, message_id) == ["editMessageText", "editMessageText"]  # Telegram's answer, taken calmly
    assert failures(errors_log) == []


async def test_two_taps_on_the_bono_answer(harness, session_factory, clock, errors_log):
    await _linked_family(harness, session_factory, clock)
    await harness.plan()
    clock.now = datetime(2026, 11, 25, 13, 0, tzinfo=UTC)
    await harness.delivery().tick()
    question = [c for c in harness.api.requests("sendMessage", chat_id=FAMILY) if "Bono" in c.params["text"]][-1]
    yes = question.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    for _tap in range(2):  # the second tap left the phone before the buttons went away
        texts = await harness.press(FAMILY, yes, question.result["message_id"])
        assert any("Gracias por contarnos" in t for t in texts) and SORRY not in " ".join(texts).lower()
    assert toasts(harness)[-2:] == ["¡Gracias! ✅", "¡Gracias! ✅"]
    assert failures(errors_log) == []


async def test_two_taps_on_an_invitation_answer(harness, session_factory, clock, errors_log):
    await _unit_with_25_families(harness, session_factory, clock)
    await _create_s9(harness)
    await harness.delivery().tick()
    invitation = _sent_to(harness, FIRST_CHAT + 1)[-1]
    yes = invitation.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    for _tap in range(2):
        texts = await harness.press(FIRST_CHAT + 1, yes, invitation.result["message_id"])
        assert "Te esperamos" in texts[-1] and SORRY not in " ".join(texts).lower()
    assert failures(errors_log) == []


async def test_two_taps_on_the_privacy_acceptance(harness, session_factory, clock, errors_log):
    await _linked_family(harness, session_factory, clock)  # accepted once already
    notice = [c for c in harness.api.requests("sendMessage", chat_id=FAMILY) if "Ley 21.719" in c.params["text"]][-1]
    [accept] = [b["callback_data"] for row in notice.params["reply_markup"]["inline_keyboard"] for b in row
                if "Acepto" in b["text"] and "No" not in b["text"]]
    texts = await harness.press(FAMILY, accept, notice.result["message_id"])
    assert SORRY not in " ".join(texts).lower() and "Hola, María" in texts[-1]
    assert failures(errors_log) == []
