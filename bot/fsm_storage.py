"""aiogram FSM storage on our own database table, shared by every worker and kept across restarts."""
from collections.abc import Mapping
from typing import Any

from aiogram.fsm.state import State
from aiogram.fsm.storage.base import BaseStorage, DefaultKeyBuilder, KeyBuilder, StateType, StorageKey
from sqlalchemy.ext.asyncio import async_sessionmaker

from storage import fsm_repo
from storage.session_scope import session_scope

SEEN = "fsm_data_seen"  # per database session: what this transaction last read or wrote, by key


class DatabaseStorage(BaseStorage):
    def __init__(self, session_factory: async_sessionmaker, key_builder: KeyBuilder | None = None):
        self._factory = session_factory
        self._keys = key_builder or DefaultKeyBuilder(with_bot_id=True, with_destiny=True)

    async def set_state(self, key: StorageKey, state: StateType = None) -> None:
        name = state.state if isinstance(state, State) else state
        async with session_scope(self._factory) as session:
            await fsm_repo.save(session, key=self._keys.build(key), state=name)

    async def get_state(self, key: StorageKey) -> str | None:
        async with session_scope(self._factory) as session:
            return await fsm_repo.load_state(session, key=self._keys.build(key))

    async def set_data(self, key: StorageKey, data: Mapping[str, Any]) -> None:
        text_key, encoded = self._keys.build(key), fsm_repo.dumps(dict(data))
        async with session_scope(self._factory) as session:
            # aiogram-dialog saves its stack on every tap even when nothing changed: skip those writes
            # (they would take SQLite's single write lock for nothing).
            seen = session.info.setdefault(SEEN, {})
            if seen.get(text_key) == encoded:
                return
            await fsm_repo.save(session, key=text_key, data=dict(data))
            seen[text_key] = encoded

    async def get_data(self, key: StorageKey) -> dict[str, Any]:
        text_key = self._keys.build(key)
        async with session_scope(self._factory) as session:
            data = await fsm_repo.load_data(session, key=text_key)
            session.info.setdefault(SEEN, {})[text_key] = fsm_repo.dumps(data)
        return data

    async def close(self) -> None:
        pass
