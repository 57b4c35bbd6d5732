"""Event isolation: one update at a time per chat, here and (PostgreSQL) in other worker processes."""
import asyncio

import pytest
import pytest_asyncio
from aiogram.fsm.storage.base import StorageKey
from sqlalchemy import text

from bot.isolation import DatabaseEventIsolation, advisory_number
from storage.engine import make_engine
from tests.support.databases import postgres_url_or_skip

ANA = StorageKey(bot_id=424242, chat_id=5001, user_id=5001)
ANA_STACK = StorageKey(bot_id=424242, chat_id=5001, user_id=5001, destiny="aiogd:stack:")
LUIS = StorageKey(bot_id=424242, chat_id=6001, user_id=6001)


@pytest_asyncio.fixture
async def engine(empty_database_url):
    engine = make_engine(empty_database_url)
    yield engine
    await engine.dispose()


@pytest_asyncio.fixture
async def isolation(engine):
    isolation = DatabaseEventIsolation(engine)
    yield isolation
    await isolation.close()


async def hold(isolation, key, name, log, *, entered=None, leave=None, pause=0.0):
    async with isolation.lock(key):
        log.append(f"{name} in")
        if entered is not None:
            entered.set()
        if leave is not None:
            await leave.wait()
        await asyncio.sleep(pause)
        log.append(f"{name} out")


async def test_same_key_is_serialised(isolation):
    log, entered = [], asyncio.Event()
    first = asyncio.create_task(hold(isolation, ANA, "first", log, entered=entered, pause=0.05))
    await entered.wait()
    second = asyncio.create_task(hold(isolation, ANA, "second", log))
    third = asyncio.create_task(hold(isolation, ANA, "third", log))
    await asyncio.gather(first, second, third)
    assert log == ["first in", "first out", "second in", "second out", "third in", "third out"]
    assert isolation._locks == {}


async def test_different_keys_do_not_wait_for_each_other(isolation):
    log, entered, leave = [], asyncio.Event(), asyncio.Event()
    ana = asyncio.create_task(hold(isolation, ANA, "ana", log, entered=entered, leave=leave))
    await entered.wait()
    # Luis, and Ana's dialog stack (another key, nested inside her update), go through meanwhile.
    await asyncio.wait_for(hold(isolation, LUIS, "luis", log), timeout=5)
    await asyncio.wait_for(hold(isolation, ANA_STACK, "stack", log), timeout=5)
    leave.set()
    await ana
    assert log == ["ana in", "luis in", "luis out", "stack in", "stack out", "ana out"]
    assert isolation._locks == {}


async def test_nested_keys_in_one_update(isolation):
    async with isolation.lock(ANA):
        async with isolation.lock(ANA_STACK):
            assert set(isolation._locks) == {ANA, ANA_STACK}
    assert isolation._locks == {}


async def test_a_failing_or_cancelled_holder_frees_the_key(isolation):
    with pytest.raises(RuntimeError):
        async with isolation.lock(ANA):
            raise RuntimeError("handler failed")
    log, entered, leave = [], asyncio.Event(), asyncio.Event()
    holder = asyncio.create_task(hold(isolation, ANA, "holder", log, entered=entered, leave=leave))
    await entered.wait()
    waiter = asyncio.create_task(hold(isolation, ANA, "waiter", log))
    await asyncio.sleep(0.05)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    assert isolation._locks[ANA][1] == 1, "the cancelled waiter is no longer counted"
    leave.set()
    await holder
    await asyncio.wait_for(hold(isolation, ANA, "after", log), timeout=5)
    assert log == ["holder in", "holder out", "after in", "after out"]
    assert isolation._locks == {}


async def test_many_chats_at_once(isolation):
    log = []
    keys = [StorageKey(bot_id=1, chat_id=n, user_id=n) for n in range(50)]
    await asyncio.wait_for(asyncio.gather(*(hold(isolation, k, str(k.chat_id), log, pause=0.01) for k in keys)),
                           timeout=30)
    assert len(log) == 100
    assert isolation._locks == {}


# PostgreSQL: the advisory lock that keeps several worker processes apart.

@pytest_asyncio.fixture
async def pg_url():
    return postgres_url_or_skip()


@pytest_asyncio.fixture
async def other_worker(pg_url):
    """A second process's isolation: its own engine, so its own connections and PostgreSQL sessions."""
    engine = make_engine(pg_url)
    isolation = DatabaseEventIsolation(engine)
    yield isolation
    await isolation.close()
    await engine.dispose()


@pytest_asyncio.fixture
async def this_worker(pg_url):
    engine = make_engine(pg_url)
    isolation = DatabaseEventIsolation(engine)
    yield isolation
    await isolation.close()
    await engine.dispose()


async def test_another_worker_waits_for_the_same_chat(this_worker, other_worker):
    log, entered, leave = [], asyncio.Event(), asyncio.Event()
    here = asyncio.create_task(hold(this_worker, ANA, "here", log, entered=entered, leave=leave))
    await entered.wait()
    there = asyncio.create_task(hold(other_worker, ANA, "there", log))
    await asyncio.sleep(0.3)
    assert log == ["here in"], "the other worker went in while this one held the chat"
    # Other chats are not held up by it.
    await asyncio.wait_for(hold(other_worker, LUIS, "luis", log), timeout=5)
    leave.set()
    await asyncio.wait_for(asyncio.gather(here, there), timeout=10)
    assert log == ["here in", "luis in", "luis out", "here out", "there in", "there out"]
    assert this_worker._locks == {} and other_worker._locks == {}


async def test_the_lock_is_a_postgres_advisory_lock(this_worker, pg_url):
    async def free(key) -> bool:
        """Another session can take the advisory lock (then gives it back)."""
        async with probe.connect() as connection:
            number = advisory_number(key)
            taken = (await connection.execute(text("SELECT pg_try_advisory_lock(:n)"), {"n": number})).scalar_one()
            if taken:
                await connection.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": number})
            return taken

    probe = make_engine(pg_url)
    try:
        async with this_worker.lock(ANA):
            async with this_worker.lock(ANA_STACK):
                assert not await free(ANA) and not await free(ANA_STACK)
                assert await free(LUIS)
            assert not await free(ANA) and await free(ANA_STACK)
        assert await free(ANA)
    finally:
        await probe.dispose()


async def test_no_connection_is_kept_while_idle(pg_url):
    engine = make_engine(pg_url)
    isolation = DatabaseEventIsolation(engine)
    try:
        async with isolation.lock(ANA), isolation.lock(ANA_STACK), isolation.lock(LUIS):
            assert engine.pool.checkedout() == 1, "all held locks share one connection"
        assert engine.pool.checkedout() == 0
    finally:
        await isolation.close()
        await engine.dispose()


async def test_a_burst_of_updates_does_not_starve_the_pool(pg_url):
    """Each update holds its chat lock, then a session, then aiogram-dialog's stack lock.

    With a pooled connection per held lock, a burst larger than the pool deadlocks until the pool
    times out: every connection is a lock waiting for a session connection.
    """
    engine = make_engine(pg_url, pool_size=2, max_overflow=0, pool_timeout=5)
    isolation = DatabaseEventIsolation(engine)

    async def update(chat_id: int) -> None:
        chat = StorageKey(bot_id=1, chat_id=chat_id, user_id=chat_id)
        stack = StorageKey(bot_id=1, chat_id=chat_id, user_id=chat_id, destiny="aiogd:stack:")
        async with isolation.lock(chat):
            async with engine.connect() as session:
                await session.execute(text("SELECT 1"))
                async with isolation.lock(stack):
                    await asyncio.sleep(0.01)
                    await session.execute(text("SELECT 2"))

    try:
        await asyncio.wait_for(asyncio.gather(*(update(n) for n in range(1, 13))), timeout=30)
        assert isolation._locks == {}
    finally:
        await isolation.close()
        await engine.dispose()


async def test_a_lost_lock_connection_does_not_fail_the_update(pg_url, caplog):
    """PostgreSQL restarted or the connection was cut while a chat was locked: finish, then reconnect."""
    engine, probe = make_engine(pg_url), make_engine(pg_url)
    isolation = DatabaseEventIsolation(engine)
    number = advisory_number(ANA)
    try:
        async with isolation.lock(ANA):
            async with probe.connect() as connection:
                killed = (await connection.execute(text(
                    "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
                    "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
                    "AND classid = :high AND objid = :low"),
                    {"high": (number >> 32) & 0xFFFFFFFF, "low": number & 0xFFFFFFFF})).scalars().all()
            assert killed == [True]
        assert "advisory lock" in caplog.text
        async with isolation.lock(ANA):  # a fresh connection
            pass
        assert isolation._locks == {} and engine.pool.checkedout() == 0
    finally:
        await isolation.close()
        await engine.dispose()
        await probe.dispose()
