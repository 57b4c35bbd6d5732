"""Issue 10 §1: Acompaña serves private chats only. Nothing is posted in a group, supergroup or channel, a
code is never redeemed there, the bot leaves any of them, and scheduled sending never targets one."""
import time

from aiogram.types import ChatMemberAdministrator
from sqlmodel import select

from storage.models import ChatAccount, InviteCode
from storage.outbox import OutboxMessage
from tests.support import seed, updates

AFI_USER, STRANGER = 5001, 7001
GROUP, SUPERGROUP, CHANNEL = -4001, -1004002, -1004003


def _posted_in(harness, chat_id: int) -> list:
    return [c for c in harness.api.requests(chat_id=chat_id) if c.method.lower().startswith(("send", "edit"))]


def _left(harness, chat_id: int) -> bool:
    return any(c.params.get("chat_id") == chat_id for c in harness.api.requests("leaveChat"))


def _added_to(chat: dict, by: int, status: str = "member") -> dict:
    bot = dict(updates.BOT_USER)
    return {"update_id": int(time.time() * 1000) % 10**9 + by, "my_chat_member": {
        "chat": chat, "from": updates.user(by), "date": int(time.time()),
        "old_chat_member": {"status": "left", "user": bot}, "new_chat_member": {"status": status, "user": bot}}}


async def test_linked_afi_typing_menu_in_a_group_posts_nothing_and_the_bot_leaves(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    for chat_id in (GROUP, SUPERGROUP):
        for text in ("/menu", "/start", "/ayuda", "hola", "/privacidad"):
            calls = await harness.feed(updates.message(AFI_USER, text, chat_id=chat_id))
            assert [c.method for c in calls if c.method.lower().startswith(("send", "edit"))] == []
        assert _posted_in(harness, chat_id) == [] and _left(harness, chat_id)
    # Nothing of the family reached anyone but the AFI's own chat.
    assert all(c.params.get("chat_id") == AFI_USER for c in harness.api.requests("sendMessage"))


async def test_a_code_is_never_redeemed_in_a_group(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    code = await seed.family_code(session_factory, clock(), unit_id=unit.unit_id, family_id=unit.family_ids["F-001"])
    await harness.feed(updates.message(STRANGER, f"/start {code}", chat_id=GROUP))
    await harness.feed(updates.message(STRANGER, code, chat_id=SUPERGROUP))
    async with session_factory() as session:
        assert (await session.exec(select(ChatAccount))).all() == []
        assert all(invite.used_at is None for invite in (await session.exec(select(InviteCode))).all())
    assert _posted_in(harness, GROUP) == [] and _posted_in(harness, SUPERGROUP) == []
    # The same code still works where it should: the person's private chat, whose chat is the account's.
    await harness.say(STRANGER, f"/start {code}")
    async with session_factory() as session:
        account = (await session.exec(select(ChatAccount))).one()
    assert account.chat_id == STRANGER and account.member_id is not None


async def test_added_to_a_group_or_channel_the_bot_leaves_without_a_word(harness, clock):
    group = updates.chat(GROUP)
    channel = {"id": CHANNEL, "type": "channel", "title": "Canal"}
    for chat, status in ((group, "member"), (updates.chat(SUPERGROUP), "administrator"), (channel, "administrator")):
        member = _added_to(chat, by=AFI_USER, status=status)
        if status == "administrator":
            # Every right the installed aiogram requires of an administrator (a channel adds bots as one).
            fields = ChatMemberAdministrator.model_fields
            member["my_chat_member"]["new_chat_member"].update(
                {name: False for name, info in fields.items() if info.is_required() and name.startswith(("can_", "is_"))})
        await harness.feed(member)
        assert _left(harness, chat["id"]) and _posted_in(harness, chat["id"]) == []
    # Removed from a group: nothing to leave, nothing said.
    before = len(harness.api.requests("leaveChat"))
    await harness.feed(_added_to(group, by=AFI_USER, status="left"))
    assert len(harness.api.requests("leaveChat")) == before


async def test_an_old_button_in_a_group_answers_only_the_presser(harness, session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    _, data = harness.find_button(AFI_USER, "Mis familias")
    calls = await harness.feed(updates.callback(AFI_USER, data, message_id=1, chat_id=GROUP))
    [answer] = [c for c in calls if c.method == "answerCallbackQuery"]
    assert answer.params["text"] == "Acompaña solo funciona en un chat privado con el bot."
    assert answer.params.get("show_alert") is True
    assert _posted_in(harness, GROUP) == [] and _left(harness, GROUP)


async def test_scheduled_sending_never_targets_a_group(harness, session_factory, clock):
    """Even a row whose chat is a group (an old link, a bug) is skipped, not sent."""
    unit = await seed.unit_with_families(session_factory, clock())
    await harness.say(AFI_USER, f"/start {unit.afi_code}")
    async with session_factory() as session:
        account = (await session.exec(select(ChatAccount).where(ChatAccount.telegram_user_id == AFI_USER))).one()
        for key, chat_id in (("to-group", GROUP), ("to-own-chat", AFI_USER)):
            session.add(OutboxMessage(account_id=account.id, chat_id=chat_id, kind="alert",
                                      template="bono_problem_alert", essential=True, due_at=clock(),
                                      args={"family": "X", "family_id": 1, "month": "2026-11", "reason": "otro"},
                                      dedupe_key=key, timezone="UTC", quiet_hours="03:00-03:01"))
        await session.commit()
    result = await harness.delivery().tick()
    assert result.outcomes == {"sent": 1, "skipped:not_private": 1}
    assert _posted_in(harness, GROUP) == []


async def test_the_migration_moves_chats_linked_in_a_group_to_the_private_chat(empty_database_url):
    """Before issue 10 a code typed in a group made the group the account's chat; migration 0007 points those
    accounts back at the person's private chat and cancels what was still queued for a group."""
    import asyncio

    from sqlalchemy import text

    from storage.engine import make_engine
    from storage.migrate import upgrade

    await asyncio.to_thread(upgrade, empty_database_url, "0005")
    engine = make_engine(empty_database_url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text(
                "INSERT INTO chat_account (telegram_user_id, chat_id, nudges_opt_out, created_at) VALUES "
                "(5001, -1004002, false, CURRENT_TIMESTAMP), (5002, 5002, false, CURRENT_TIMESTAMP)"))
            await connection.execute(text(
                "INSERT INTO outbox (account_id, chat_id, kind, template, args, buttons, essential, scope, source, "
                "due_at, timezone, quiet_hours, dedupe_key, status, attempts, created_at, updated_at) "
                "SELECT id, chat_id, 'alert', 'x', '{}', '[]', false, '', 'event', CURRENT_TIMESTAMP, 'UTC', "
                "'21:00-09:00', 'k' || id, 'pending', 0, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM chat_account"))
        await asyncio.to_thread(upgrade, empty_database_url, "0007")
        async with engine.connect() as connection:
            chats = (await connection.execute(text(
                "SELECT telegram_user_id, chat_id FROM chat_account ORDER BY telegram_user_id"))).all()
            outbox = (await connection.execute(text("SELECT chat_id, status FROM outbox ORDER BY id"))).all()
    finally:
        await engine.dispose()
    assert [tuple(row) for row in chats] == [(5001, 5001), (5002, 5002)]
    assert [tuple(row) for row in outbox] == [(-1004002, "cancelled"), (5002, "pending")]
