"""Housekeeping: wrong-code attempts live two hours, invitation codes 90 days past their expiry; the
scheduler runs it, and the worker process runs the scheduler."""
import asyncio
from datetime import timedelta

from sqlmodel import select

from bot.housekeeping import purge
from bot.runners import run_worker
from bot.scheduler import Scheduler
from bot.settings import Settings
from storage.models import ChatAccount, CodeAttempt, InviteCode

TOKEN = "424242:AAHtestTOKENtestTOKENtestTOKENtest12"


async def _add(session_factory, *rows) -> None:
    async with session_factory() as session:
        session.add_all(rows)
        await session.commit()


async def _attempt_users(session_factory) -> list[int]:
    async with session_factory() as session:
        return sorted((await session.exec(select(CodeAttempt.telegram_user_id))).all())


async def _code_hashes(session_factory) -> list[str]:
    async with session_factory() as session:
        return sorted((await session.exec(select(InviteCode.code_hash))).all())


def _code(name: str, expires_at, **kw) -> InviteCode:
    return InviteCode(code_hash=name.ljust(64, "0"), created_by="test", created_at=expires_at - timedelta(days=14),
                      expires_at=expires_at, **kw)


async def test_purge_removes_old_attempts_and_long_expired_codes_only(session_factory, clock):
    now = clock()
    await _add(session_factory,
               CodeAttempt(telegram_user_id=1, at=now - timedelta(days=3)),
               CodeAttempt(telegram_user_id=2, at=now - timedelta(hours=2, seconds=1)),
               CodeAttempt(telegram_user_id=3, at=now - timedelta(hours=2)),  # exactly 2 h: not older
               CodeAttempt(telegram_user_id=4, at=now - timedelta(minutes=59)),
               CodeAttempt(telegram_user_id=5, at=now))
    account = ChatAccount(telegram_user_id=900, chat_id=900, created_at=now - timedelta(days=200))
    await _add(session_factory, account)
    await _add(session_factory,
               _code("expired-long-ago", now - timedelta(days=365)),
               _code("used-and-expired-91-days", now - timedelta(days=91), used_at=now - timedelta(days=100),
                     used_by_account_id=account.id),
               _code("expired-89-days", now - timedelta(days=89)),
               _code("expired-yesterday", now - timedelta(days=1)),
               _code("still-valid", now + timedelta(days=7)))

    purged = await purge(session_factory, now=now)

    assert (purged.attempts, purged.codes) == (2, 2)
    assert await _attempt_users(session_factory) == [3, 4, 5]
    assert await _code_hashes(session_factory) == sorted(
        name.ljust(64, "0") for name in ("expired-89-days", "expired-yesterday", "still-valid"))
    async with session_factory() as session:  # the account that used a purged code stays
        assert (await session.exec(select(ChatAccount.telegram_user_id))).all() == [900]


async def test_purge_on_an_empty_database_and_twice_in_a_row(session_factory, clock):
    assert await purge(session_factory, now=clock()) == await purge(session_factory, now=clock())
    await _add(session_factory, CodeAttempt(telegram_user_id=1, at=clock() - timedelta(hours=3)))
    assert (await purge(session_factory, now=clock())).attempts == 1
    assert (await purge(session_factory, now=clock())).attempts == 0


async def test_purge_defaults_to_the_real_time(session_factory, clock):
    # The fake clock is only for the tests' "now"; the scheduled job uses the real time.
    await _add(session_factory, CodeAttempt(telegram_user_id=1, at=clock() - timedelta(days=365 * 20)))
    assert (await purge(session_factory)).attempts == 1


async def test_scheduler_runs_a_purge_at_start_and_stops_cleanly(session_factory, clock):
    await _add(session_factory, CodeAttempt(telegram_user_id=1, at=clock() - timedelta(days=365 * 20)))
    engine = session_factory.kw["bind"]
    housekeeping = Scheduler(engine, session_factory)
    housekeeping.start()
    try:
        await _eventually(lambda: _attempt_users(session_factory), [])
    finally:
        await housekeeping.stop()
    assert not housekeeping.scheduler.running
    await housekeeping.stop()  # a second stop is harmless


async def test_worker_purges_until_told_to_stop(database_url, session_factory, clock, fake_api):
    await _add(session_factory, CodeAttempt(telegram_user_id=1, at=clock() - timedelta(days=365 * 20)),
               CodeAttempt(telegram_user_id=2, at=clock() + timedelta(days=365 * 20)))
    stop = asyncio.Event()
    worker = asyncio.create_task(run_worker(Settings(_env_file=None, database_url=database_url, bot_token=TOKEN,
                                                   bot_api_base_url=fake_api.base_url), stop=stop))
    try:
        await _eventually(lambda: _attempt_users(session_factory), [2])
        assert not worker.done()
    finally:
        stop.set()
        await asyncio.wait_for(worker, 10)


async def _eventually(read, expected, timeout: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while (value := await read()) != expected:
        assert loop.time() < deadline, f"still {value!r}, expected {expected!r}"
        await asyncio.sleep(0.05)


async def test_purge_forgets_handled_update_ids_after_a_day(session_factory, clock):
    from storage.processed_updates import ProcessedUpdate

    now = clock()
    await _add(session_factory,
               ProcessedUpdate(bot_id=1, update_id=10, processed_at=now - timedelta(days=1, seconds=1)),
               ProcessedUpdate(bot_id=1, update_id=11, processed_at=now - timedelta(hours=23)),
               ProcessedUpdate(bot_id=2, update_id=10, processed_at=now))  # another bot, same id
    assert (await purge(session_factory, now=now)).updates == 1
    async with session_factory() as session:
        kept = (await session.exec(select(ProcessedUpdate.bot_id, ProcessedUpdate.update_id))).all()
    assert sorted(kept) == [(1, 11), (2, 10)]
