"""/idioma: the choice is stored per person and changes messages and command menus at once."""
from sqlmodel import select

from storage.models import ChatAccount
from tests.support import seed

FAMILY_USER, STRANGER = 6001, 7001


async def _linked_family(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-002"])
    await harness.say(FAMILY_USER, f"/start {code}")
    return unit


async def test_creole_speaker_reads_the_notice_in_creole_and_keeps_it(harness, session_factory, clock):
    await _linked_family(harness, session_factory, clock)
    await harness.say(FAMILY_USER, "/idioma")
    assert harness.buttons(FAMILY_USER) == ["🇨🇱 Español", "🇭🇹 Kreyòl ayisyen", "🇬🇧 English"]
    notice = (await harness.tap(FAMILY_USER, "Kreyòl"))[-1]
    assert "Ley 21.719" in notice and "Tus datos y tus derechos" not in notice
    commands = harness.api.requests("setMyCommands")[-1].params
    assert commands["scope"] == {"type": "chat", "chat_id": FAMILY_USER}
    assert "Cambiar idioma" not in str(commands["commands"])
    await harness.tap(FAMILY_USER, "✅")
    await harness.restart()
    menu = (await harness.say(FAMILY_USER, "/menu"))[-1]
    assert "Jean" in menu and "Hola" not in menu
    async with session_factory() as session:
        account = (await session.exec(select(ChatAccount).where(ChatAccount.telegram_user_id == FAMILY_USER))).one()
    assert account.language == "ht"


async def test_english_for_a_stranger_and_back_to_spanish(harness):
    await harness.say(STRANGER, "/idioma")
    welcome = (await harness.tap(STRANGER, "English"))[-1]
    assert "You need a code" in welcome or "code" in welcome.lower()
    assert "necesitas un código" not in welcome
    await harness.say(STRANGER, "/idioma")
    assert "necesitas un código" in (await harness.tap(STRANGER, "Español"))[-1]


async def test_telegram_language_is_only_a_first_guess(harness):
    english = (await harness.say(STRANGER, "hello", language_code="en"))[-1]
    assert "necesitas un código" not in english
    spanish = (await harness.say(STRANGER + 1, "hola", language_code="ru"))[-1]
    assert "necesitas un código" in spanish
