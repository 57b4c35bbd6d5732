"""The outbox dispatcher against the fake Bot API: once and only once, retries, blocked people, quiet
hours, long texts, leases after a crash; two workers on PostgreSQL."""
import asyncio
from datetime import timedelta

import pytest

from bot.telegram_sender import Limits
from services.delivery import OutboxDispatcher
from storage import outbox_repo
from storage.models import ChatAccount
from tests.support import seed
from tests.support.outbox import FAMILY_CHAT, enqueue, link_family, messages, row


@pytest.fixture
async def family(session_factory, clock):
    unit = await seed.unit_with_families(session_factory, clock())
    return await link_family(session_factory, family_id=unit.family_ids["F-001"], consent_at=clock())


def _sent(harness) -> list[str]:
    return [call.params["text"] for call in harness.api.requests("sendMessage", chat_id=FAMILY_CHAT)
            if not call.fault]


async def test_a_due_row_is_sent_once_and_a_later_one_waits(harness, session_factory, clock, family):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "now"),
                                    row(family, FAMILY_CHAT, clock() + timedelta(hours=1), "later")])
    delivery = harness.delivery()
    result = await delivery.tick()
    assert (result.claimed, result.outcomes) == (1, {"sent": 1})
    assert _sent(harness) == ["📌 Hoy vence un compromiso de tu plan: «Control sano de Pedro».\nTu plan está en /menu."]
    assert (await delivery.tick()).claimed == 0
    clock.advance(hours=1)
    await delivery.tick()
    assert len(_sent(harness)) == 2
    assert [(m.dedupe_key, m.status, m.attempts) for m in await messages(session_factory)] == [
        ("now", "sent", 1), ("later", "sent", 1)]


async def test_rendered_in_the_recipients_language_at_send_time(harness, session_factory, clock, family):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "kreyol")])
    async with session_factory() as session:  # changed after the row was planned
        account = await session.get(ChatAccount, family)
        account.language = "ht"
        session.add(account)
        await session.commit()
    await harness.delivery().tick()
    assert "Control sano de Pedro" in _sent(harness)[0] and "Hoy vence" not in _sent(harness)[0]


async def test_429_waits_retry_after_without_counting_an_attempt(harness, session_factory, clock, family):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "flood")])
    harness.api.fail_next("sendMessage", "429", retry_after=1)
    delivery = harness.delivery()
    assert (await delivery.tick()).outcomes == {"retry": 1}
    [message] = await messages(session_factory)
    assert (message.status, message.attempts, message.due_at, message.last_error) == (
        "pending", 0, clock() + timedelta(seconds=1), "429")
    clock.advance(seconds=1)
    assert (await delivery.tick()).outcomes == {"sent": 1}


@pytest.mark.parametrize("fault", ["500", "timeout"])
async def test_server_errors_and_timeouts_back_off_then_deliver(harness, session_factory, clock, family, fault):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "flaky")])
    harness.api.timeout_delay = 5
    harness.api.fail_next("sendMessage", fault, count=2)
    delivery = harness.delivery(Limits(per_chat_per_second=100, request_timeout=1))
    for attempt in (1, 2):
        assert (await delivery.tick()).outcomes == {"retry": 1}
        [message] = await messages(session_factory)
        assert message.attempts == attempt and message.status == "pending"
        assert timedelta(seconds=3) < message.due_at - clock() < timedelta(seconds=5 * 2 ** attempt)
        clock.now = message.due_at
    assert (await delivery.tick()).outcomes == {"sent": 1}
    assert len(_sent(harness)) == 1


async def test_gives_up_after_the_last_attempt(harness, session_factory, clock, family):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "never", expires_at=None)])
    harness.api.fail_next("sendMessage", "500", count=100)
    delivery = harness.delivery()
    for _ in range(20):
        await delivery.tick()
        clock.advance(hours=2)
    [message] = await messages(session_factory)
    assert (message.status, message.attempts) == ("failed", 8)


async def test_a_person_who_blocked_the_bot_is_marked_and_not_written_to_again(harness, session_factory, clock,
                                                                               family):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "first"),
                                    row(family, FAMILY_CHAT, clock() + timedelta(minutes=1), "second")])
    harness.api.block_chat(FAMILY_CHAT)
    delivery = harness.delivery()
    assert (await delivery.tick()).outcomes == {"skipped:blocked": 1}
    async with session_factory() as session:
        assert (await session.get(ChatAccount, family)).blocked_at == clock()
    clock.advance(minutes=1)
    assert (await delivery.tick()).outcomes == {"skipped:blocked": 1}
    assert len(harness.api.requests("sendMessage", chat_id=FAMILY_CHAT)) == 1  # the second was never tried
    # Writing to the bot again means they unblocked it.
    harness.api.unblock_chat(FAMILY_CHAT)
    await harness.say(FAMILY_CHAT, "hola")
    async with session_factory() as session:
        assert (await session.get(ChatAccount, family)).blocked_at is None


async def test_opted_out_gets_only_essential_messages(harness, session_factory, clock, family):
    async with session_factory() as session:
        account = await session.get(ChatAccount, family)
        account.nudges_opt_out = True
        session.add(account)
        await session.commit()
    bono = row(family, FAMILY_CHAT, clock(), "bono", kind="bono_question", template="bono_question", essential=True,
               args={"month": "2026-11", "family_id": 1, "ask": 1})
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "nudge"), bono])
    assert (await harness.delivery().tick()).outcomes == {"skipped:opted_out": 1, "sent": 1}
    [text] = _sent(harness)
    assert "¿Pudiste cobrar el Bono de Protección de noviembre 2026?" in text and "nunca te pedirá claves" in text


async def test_quiet_hours_hold_a_message_until_the_morning(harness, session_factory, clock, family):
    clock.now = clock.now.replace(hour=2)  # 23:00 in Santiago: the worker was down since the evening
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock() - timedelta(hours=4), "evening")])
    delivery = harness.delivery()
    assert (await delivery.tick()).outcomes == {"quiet": 1}
    [message] = await messages(session_factory)
    assert (message.status, message.attempts) == ("pending", 0)
    assert message.due_at == clock().replace(hour=12)  # 09:00 in Santiago (UTC-3 in November)
    assert _sent(harness) == []
    clock.now = message.due_at
    assert (await delivery.tick()).outcomes == {"sent": 1}


async def test_expired_reminders_are_skipped(harness, session_factory, clock, family):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock() - timedelta(days=2), "stale",
                                        expires_at=clock() - timedelta(hours=1))])
    assert (await harness.delivery().tick()).outcomes == {"skipped:expired": 1}
    assert _sent(harness) == []


async def test_a_long_digest_is_split_never_cut(harness, session_factory, clock, family):
    rows = [{"family": f"Familia {n:03d} " + "x" * 150} for n in range(15)]
    content = {"day": "2026-11-24", "visits": [], "overdue": [{"family": r["family"], "code": "S8"} for r in rows],
               "bono_problems": rows, "program_commitments": [], "blocked": rows, "more": True}
    digest = row(family, FAMILY_CHAT, clock(), "digest", kind="digest", template="digest", args=content,
                 buttons=[[{"text": "⬅️ Menú", "data": "menu"}]])
    await enqueue(session_factory, [digest])
    await harness.delivery().tick()
    calls = [c for c in harness.api.requests("sendMessage", chat_id=FAMILY_CHAT) if not c.fault]
    assert len(calls) == 2 and all(len(c.params["text"]) <= 4096 for c in calls)
    joined = "\n".join(c.params["text"] for c in calls)
    assert all(r["family"] in joined for r in rows) and "Familia 014" in calls[-1].params["text"]
    assert "reply_markup" not in calls[0].params and calls[-1].params["reply_markup"]["inline_keyboard"]


async def test_a_crash_between_claim_and_send_loses_nothing(harness, session_factory, clock, family):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "crash")])
    async with session_factory() as session, session.begin():  # a worker claimed it, then died
        [claimed] = await outbox_repo.claim(session, now=clock(), owner="dead", lease=timedelta(minutes=2), limit=10)
    delivery = harness.delivery()
    assert (await delivery.tick()).claimed == 0  # the lease still holds
    clock.advance(minutes=2, seconds=1)
    assert (await delivery.tick()).outcomes == {"sent": 1}
    assert len(_sent(harness)) == 1


async def test_a_crash_between_send_and_mark_sends_it_once_more_and_no_more(harness, session_factory, clock, family):
    await enqueue(session_factory, [row(family, FAMILY_CHAT, clock(), "window")])

    class Killed(BaseException):  # like kill -9: no `except Exception` of ours runs
        pass

    class DiesAfterSending(OutboxDispatcher):
        async def _finish(self, row, status, error=None):
            raise Killed  # the process ends right after Telegram accepted the message

    dying = harness.delivery()
    dying.__class__ = DiesAfterSending
    with pytest.raises(Killed):
        await dying.tick()
    clock.advance(minutes=3)
    survivor = harness.delivery()
    assert (await survivor.tick()).outcomes == {"sent": 1}
    assert (await survivor.tick()).claimed == 0
    assert len(_sent(harness)) == 2  # the documented window: one duplicate at most per message in flight
    [message] = await messages(session_factory)
    assert (message.status, message.attempts) == ("sent", 2)


async def test_two_workers_never_send_the_same_row(harness, session_factory, clock, family, backend):
    if backend != "postgresql":
        pytest.skip("the embedded SQLite default runs one worker")
    async with session_factory() as session:
        account = await session.get(ChatAccount, family)
        # 300 phones of the family, each its own private chat (a row only ever goes to its account's chat).
        phones = [ChatAccount(telegram_user_id=FAMILY_CHAT + n, chat_id=FAMILY_CHAT + n, member_id=account.member_id,
                              consent_at=clock(), created_at=clock()) for n in range(1, 300)]
        session.add_all(phones)
        await session.commit()
        ids = [account.id] + [phone.id for phone in phones]
    await enqueue(session_factory, [row(ids[n], FAMILY_CHAT + n, clock(), f"row-{n}") for n in range(300)])
    # 300 chats, one row each: the per-chat limit does not slow the drain.
    fast = Limits(per_bot_per_second=1000, per_chat_per_second=1000, request_timeout=5)
    workers = [harness.delivery(fast, batch=20, owner=f"w{n}") for n in range(2)]
    results = await asyncio.gather(*(w.tick(max_batches=100) for w in workers))
    assert sum(r.claimed for r in results) == 300 and all(r.claimed > 0 for r in results)
    chats = [c.params["chat_id"] for c in harness.api.requests("sendMessage") if not c.fault]
    assert len(chats) == len(set(chats)) == 300
    assert account.id == family
