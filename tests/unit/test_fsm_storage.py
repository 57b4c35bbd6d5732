"""The FSM storage on our own table: round trips, typed dates, tidy rows, distinct keys, transactions."""
import asyncio
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey
from sqlmodel import func, select

from bot.fsm_storage import DatabaseStorage
from storage.models import FsmRecord
from storage.session_scope import current_session

KEY = StorageKey(bot_id=424242, chat_id=5001, user_id=5001)


class Form(StatesGroup):
    name = State()


@pytest.fixture
def storage(session_factory) -> DatabaseStorage:
    return DatabaseStorage(session_factory)


async def rows(session_factory) -> int:
    async with session_factory() as session:
        return (await session.exec(select(func.count()).select_from(FsmRecord))).one()


async def test_state_and_data_round_trip(storage):
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    await storage.set_state(KEY, Form.name)
    await storage.set_data(KEY, {"family_id": 7, "names": ["María", "Jean"], "nested": {"ok": True}, "none": None})
    assert await storage.get_state(KEY) == "Form:name"
    assert await storage.get_data(KEY) == {"family_id": 7, "names": ["María", "Jean"], "nested": {"ok": True},
                                           "none": None}
    await storage.set_state(KEY, "Other:step")  # plain strings too
    assert await storage.get_state(KEY) == "Other:step"
    assert await storage.get_data(KEY) == {"family_id": 7, "names": ["María", "Jean"], "nested": {"ok": True},
                                           "none": None}, "setting the state keeps the data"


async def test_update_data_merges(storage):
    await storage.set_data(KEY, {"a": 1})
    assert await storage.update_data(KEY, {"b": 2}) == {"a": 1, "b": 2}
    assert await storage.get_data(KEY) == {"a": 1, "b": 2}


async def test_dates_and_datetimes_keep_their_type(storage):
    santiago = timezone(timedelta(hours=-3))
    data = {
        "day": date(2026, 11, 23),
        "at": datetime(2026, 11, 23, 18, 30, 5, 123456, tzinfo=UTC),
        "local": datetime(2026, 11, 23, 15, 30, tzinfo=santiago),
        "naive": datetime(2026, 1, 2, 3, 4, 5),
        "inside": [{"when": date(2025, 12, 31)}],
        "tuple": (1, 2),
    }
    await storage.set_data(KEY, data)
    loaded = await storage.get_data(KEY)
    assert type(loaded["day"]) is date and loaded["day"] == date(2026, 11, 23)
    assert type(loaded["at"]) is datetime and loaded["at"] == data["at"] and loaded["at"].utcoffset() == timedelta(0)
    assert loaded["local"] == data["local"] and loaded["local"].utcoffset() == timedelta(hours=-3)
    assert loaded["naive"] == data["naive"] and loaded["naive"].tzinfo is None
    assert loaded["inside"] == [{"when": date(2025, 12, 31)}]
    assert loaded["tuple"] == [1, 2]


async def test_values_that_are_not_json_fail_loudly(storage):
    with pytest.raises(TypeError):
        await storage.set_data(KEY, {"bad": object()})


async def test_empty_state_and_data_remove_the_row(storage, session_factory):
    await storage.set_state(KEY, Form.name)
    await storage.set_data(KEY, {"x": 1})
    assert await rows(session_factory) == 1
    await storage.set_state(KEY, None)
    assert await rows(session_factory) == 1, "data is still there"
    await storage.set_data(KEY, {})
    assert await rows(session_factory) == 0
    assert await storage.get_state(KEY) is None and await storage.get_data(KEY) == {}
    await storage.set_data(KEY, {})  # clearing what is not there writes nothing
    await storage.set_state(KEY, None)
    assert await rows(session_factory) == 0


@pytest.mark.parametrize("other", [
    StorageKey(bot_id=424242, chat_id=5001, user_id=5001, destiny="aiogd:stack:"),
    StorageKey(bot_id=999, chat_id=5001, user_id=5001),
    StorageKey(bot_id=424242, chat_id=5001, user_id=5001, thread_id=12),
    StorageKey(bot_id=424242, chat_id=-1005001, user_id=5001),
    StorageKey(bot_id=424242, chat_id=5001, user_id=6001),
])
async def test_keys_are_distinct(storage, session_factory, other):
    await storage.set_state(KEY, "Mine:one")
    await storage.set_data(KEY, {"owner": "key"})
    assert await storage.get_state(other) is None and await storage.get_data(other) == {}
    await storage.set_state(other, "Theirs:two")
    await storage.set_data(other, {"owner": "other"})
    assert await storage.get_state(KEY) == "Mine:one" and await storage.get_data(KEY) == {"owner": "key"}
    assert await storage.get_state(other) == "Theirs:two" and await storage.get_data(other) == {"owner": "other"}
    assert await rows(session_factory) == 2


async def test_long_keys_fit(storage):
    # aiogram-dialog keys: bot, a supergroup id, a thread, a user and a context destiny.
    key = StorageKey(bot_id=7_999_999_999, chat_id=-1_009_999_999_999, user_id=9_999_999_999,
                     thread_id=2_147_483_647, destiny="aiogd:context:" + "x" * 20)
    await storage.set_data(key, {"ok": 1})
    assert await storage.get_data(key) == {"ok": 1}


async def test_writes_join_the_update_transaction(storage, session_factory):
    """Inside an update the dialog state commits or rolls back with everything else the update did."""
    async with session_factory() as session:
        token = current_session.set(session)
        try:
            await storage.set_state(KEY, Form.name)
            await storage.set_data(KEY, {"draft": date(2026, 11, 23)})
            # Read back through the same transaction...
            assert await storage.get_state(KEY) == "Form:name"
            assert await storage.get_data(KEY) == {"draft": date(2026, 11, 23)}
            # ...but nobody else sees it before the commit.
            assert await rows(session_factory) == 0
            await session.rollback()
        finally:
            current_session.reset(token)
    assert await storage.get_state(KEY) is None
    assert await storage.get_data(KEY) == {}
    assert await rows(session_factory) == 0


async def test_writes_in_the_update_transaction_commit_with_it(storage, session_factory):
    async with session_factory() as session:
        token = current_session.set(session)
        try:
            await storage.set_state(KEY, Form.name)
            await session.commit()
        finally:
            current_session.reset(token)
    assert await storage.get_state(KEY) == "Form:name"


async def test_writes_outside_an_update_commit_on_their_own(storage, session_factory):
    assert current_session.get() is None
    await storage.set_state(KEY, Form.name)
    await storage.set_data(KEY, {"n": 1})
    async with session_factory() as session:  # a separate connection sees it: it was committed
        record = await session.get(FsmRecord, "fsm:424242:5001:5001:default")
    assert record is not None and record.state == "Form:name"
    assert record.updated_at.tzinfo is not None


async def test_reads_in_one_transaction_see_its_latest_write(storage, session_factory):
    await storage.set_data(KEY, {"step": 1})
    async with session_factory() as session:
        token = current_session.set(session)
        try:
            assert await storage.get_data(KEY) == {"step": 1}
            await storage.set_data(KEY, {"step": 2})
            assert await storage.get_data(KEY) == {"step": 2}
            await storage.set_data(KEY, {})
            assert await storage.get_data(KEY) == {}
            await storage.set_data(KEY, {"step": 3})
            assert await storage.get_data(KEY) == {"step": 3}
            await session.commit()
        finally:
            current_session.reset(token)
    assert await storage.get_data(KEY) == {"step": 3}


async def test_a_second_writer_of_the_same_new_key_overwrites_instead_of_failing(storage, session_factory):
    """Two transactions create the same record (e.g. an error handler outside the chat lock)."""
    async with session_factory() as first:
        token = current_session.set(first)
        try:
            await storage.set_data(KEY, {"by": "first"})
        finally:
            current_session.reset(token)
        second = asyncio.create_task(storage.set_data(KEY, {"by": "second"}))  # waits for the first's commit
        await asyncio.sleep(0.2)
        await first.commit()
    await asyncio.wait_for(second, timeout=30)
    assert await storage.get_data(KEY) == {"by": "second"}
    assert await rows(session_factory) == 1
