"""Event isolation: one update at a time per chat, in this process and (on PostgreSQL) across workers."""
import asyncio
import hashlib
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine


class DatabaseEventIsolation(BaseEventIsolation):
    def __init__(self, engine: AsyncEngine | None = None):
        self._engine = engine if engine is not None and engine.dialect.name == "postgresql" else None
        self._locks: dict[StorageKey, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                if self._engine is None:
                    yield
                else:
                    async with self._advisory_lock(key):
                        yield
        finally:
            # Forget idle locks so a long-running bot does not keep one per person ever seen.
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    @asynccontextmanager
    async def _advisory_lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        number = int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=8).digest(), "big", signed=True)
        async with self._engine.connect() as connection:
            await connection.execute(text("SELECT pg_advisory_lock(:n)"), {"n": number})
            try:
                yield
            finally:
                await connection.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": number})
                await connection.commit()

    async def close(self) -> None:
        self._locks.clear()
