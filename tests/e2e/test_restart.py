"""A restart in the middle of a dialog: the conversation goes on where it was, or kindly starts over."""
import asyncio
import logging

import pytest
from sqlmodel import delete, select

from bot.app import build_dispatcher
from storage.engine import make_engine, make_session_factory
from storage.models import FsmRecord
from tests.support import seed, updates

AFI = 5001


@pytest.fixture
def errors_log(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def failures(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "failed with" in r.getMessage() or r.levelno >= logging.ERROR]


async def afi_at_families(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI, f"/start {unit.afi_code}")
    texts = await harness.tap(AFI, "Mis familias")
    assert "Tus familias: 1" in texts[-1]
    return unit


async def test_dialog_resumes_after_restart(harness, session_factory, clock, errors_log):
    await afi_at_families(harness, session_factory, clock)
    old_message, family_button = harness.find_button(AFI, "Pérez Soto")
    async with session_factory() as session:
        assert (await session.exec(select(FsmRecord))).all(), "the dialog lives in the database"

    await harness.restart()

    texts = await harness.press(AFI, family_button, old_message)
    assert any("Familia Pérez Soto · F-001" in t for t in texts), texts
    assert "María Pérez Soto" in texts[-1]
    assert "conversación anterior" not in " ".join(texts)
    # ...and the same dialog keeps going: back to the list, then to the menu.
    assert "Tus familias: 1" in (await harness.tap(AFI, "Mis familias"))[-1]
    assert "¿Qué necesitas?" in (await harness.tap(AFI, "Menú"))[-1]
    assert failures(errors_log) == []


async def test_lost_context_brings_the_person_back_to_the_menu(harness, session_factory, clock, errors_log):
    await afi_at_families(harness, session_factory, clock)
    old_message, family_button = harness.find_button(AFI, "Pérez Soto")
    await harness.restart()
    async with session_factory() as session:  # the dialog's context got lost (a wiped table, an old backup)
        await session.exec(delete(FsmRecord))
        await session.commit()

    texts = await harness.press(AFI, family_button, old_message)
    assert any("conversación anterior" in t for t in texts), texts
    assert "¿Qué necesitas?" in texts[-1]
    assert harness.buttons(AFI) == ["📝 Registrar sesión", "👥 Mis familias", "🌐 Idioma"]
    answers = harness.api.requests("answerCallbackQuery")
    assert "conversación anterior" in (answers[-1].params.get("text") or "")
    assert failures(errors_log) == []
    # The new menu works.
    assert "Tus familias: 1" in (await harness.tap(AFI, "Mis familias"))[-1]


@pytest.mark.parametrize("data", ["zzzzzz\x1dfamily:1", "zzzzzz\x1dfamilies"])
async def test_forged_or_unknown_intent_is_not_an_error(harness, session_factory, clock, errors_log, data):
    await afi_at_families(harness, session_factory, clock)
    old_message, _ = harness.find_button(AFI, "Pérez Soto")
    await harness.restart()
    texts = await harness.press(AFI, data, old_message)
    assert any("conversación anterior" in t for t in texts), texts
    assert "¿Qué necesitas?" in texts[-1]
    assert failures(errors_log) == []


async def test_stale_button_of_a_finished_dialog_after_restart(harness, session_factory, clock, errors_log):
    await afi_at_families(harness, session_factory, clock)
    old_message, family_button = harness.find_button(AFI, "Pérez Soto")
    await harness.say(AFI, "/menu")  # a new dialog replaces the one on the old message
    await harness.restart()
    texts = await harness.press(AFI, family_button, old_message)
    assert "¿Qué necesitas?" in texts[-1]
    assert failures(errors_log) == []


async def test_two_quick_taps(harness, session_factory, clock, errors_log):
    await afi_at_families(harness, session_factory, clock)
    message_id, family_button = harness.find_button(AFI, "Pérez Soto")
    _, back_button = harness.find_button(AFI, "Menú")
    mark = len(harness.api.requests("answerCallbackQuery"))
    await asyncio.gather(
        harness.feed(updates.callback(AFI, family_button, message_id=message_id)),
        harness.feed(updates.callback(AFI, family_button, message_id=message_id)),
    )
    assert failures(errors_log) == []
    assert len(harness.api.requests("answerCallbackQuery")) == mark + 2, "every tap gets its spinner stopped"
    assert "Familia Pérez Soto" in harness.last_text(AFI)
    assert "Invitar" in " ".join(harness.buttons(AFI))

    # One tap on the card and one on the list's (now gone) "Menú" button: both answered.
    _, card_back = harness.find_button(AFI, "Mis familias")
    await asyncio.gather(
        harness.feed(updates.callback(AFI, card_back, message_id=message_id)),
        harness.feed(updates.callback(AFI, back_button, message_id=message_id)),
    )
    assert failures(errors_log) == []
    assert len(harness.api.requests("answerCallbackQuery")) == mark + 4
    await harness.restart()
    texts = await harness.say(AFI, "/menu")
    assert "¿Qué necesitas?" in texts[-1], "the state after the taps is still usable"
    assert "Tus familias: 1" in (await harness.tap(AFI, "Mis familias"))[-1]
    assert failures(errors_log) == []


async def dialog_contexts(session_factory) -> list[str]:
    async with session_factory() as session:
        keys = (await session.exec(select(FsmRecord.key))).all()
    return [key for key in keys if ":aiogd:context:" in key]


async def test_two_workers_take_turns_with_one_person(harness, session_factory, clock, backend, errors_log):
    """Webhook workers share the database: a tap and a command at the same moment never interleave.

    Interleaved, both /menu would read the same empty stack and each start a dialog: the loser's
    context stays behind as an orphan row. Taking turns, the second /menu replaces the first.
    """
    if backend != "postgresql":
        pytest.skip("the embedded SQLite default runs one process")
    await afi_at_families(harness, session_factory, clock)
    message_id, family_button = harness.find_button(AFI, "Pérez Soto")
    engine = make_engine(harness.database_url)
    other = build_dispatcher(settings=harness.settings(), engine=engine,
                             session_factory=make_session_factory(engine), clock=clock)
    try:
        for _ in range(3):
            async with session_factory() as session:  # no dialog yet: both would insert the same rows
                await session.exec(delete(FsmRecord))
                await session.commit()
            await asyncio.gather(harness.say(AFI, "/menu"), other.feed_raw_update(harness.bot, updates.message(AFI, "/menu")))
            assert failures(errors_log) == []
            assert len(await dialog_contexts(session_factory)) == 1
            await asyncio.gather(
                harness.feed(updates.callback(AFI, family_button, message_id=message_id)),
                other.feed_raw_update(harness.bot, updates.message(AFI, "/menu")),
                other.feed_raw_update(harness.bot, updates.callback(AFI, family_button, message_id=message_id)),
            )
            assert failures(errors_log) == []
    finally:
        await other.fsm.close()
        await engine.dispose()
    assert "¿Qué necesitas?" in (await harness.say(AFI, "/menu"))[-1]
    assert "Tus familias: 1" in (await harness.tap(AFI, "Mis familias"))[-1]
    assert any("Familia Pérez Soto" in t for t in await harness.tap(AFI, "Pérez Soto"))
    assert failures(errors_log) == []
