"""Event isolation: one update at a time per chat, in this process and (on PostgreSQL) across workers."""
import asyncio
import hashlib
import logging
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager, suppress

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

log = logging.getLogger(__name__)

TRY_LOCK = text("SELECT pg_try_advisory_lock(:n)")
UNLOCK = text("SELECT pg_advisory_unlock(:n)")
FIRST_RETRY, LAST_RETRY = 0.01, 0.2  # seconds between tries while another worker holds the chat


class DatabaseEventIsolation(BaseEventIsolation):
    def __init__(self, engine: AsyncEngine | None = None):
        pg = engine is not None and engine.dialect.name == "postgresql"
        self._advisory = AdvisoryLocks(engine) if engine is not None and pg else None
        self._locks: dict[StorageKey, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncGenerator[None, None]:
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            # Same-process waiters queue here, so at most one of them at a time asks PostgreSQL.
            async with lock:
                if self._advisory is None:
                    yield
                else:
                    number = advisory_number(key)
                    await self._advisory.acquire(number)
                    try:
                        yield
                    finally:
                        # Even when the update is cancelled, or the count and the lock drift apart.
                        await asyncio.shield(self._advisory.release(number))
        finally:
            # Forget idle locks so a long-running bot does not keep one per person ever seen.
            lock, users = self._locks.get(key, (lock, 1))
            if users <= 1:
                self._locks.pop(key, None)
            else:
                self._locks[key] = (lock, users - 1)

    async def close(self) -> None:
        self._locks.clear()
        if self._advisory is not None:
            await self._advisory.close()


def advisory_number(key: StorageKey) -> int:
    # repr of the frozen dataclass is stable across processes, unlike hash().
    return int.from_bytes(hashlib.blake2b(repr(key).encode(), digest_size=8).digest(), "big", signed=True)


class AdvisoryLocks:
    """Session-level advisory locks, all on ONE connection that is held only while some lock is.

    A connection per held lock would take it from the pool the update's own session needs: an
    update holds the chat lock, then a session, then aiogram-dialog's stack lock, so a burst of
    updates from different chats (one getUpdates batch, or a webhook spike) would hold every pooled
    connection as locks and wait forever for sessions. Trying (never blocking) keeps the shared
    connection free for the other chats while one waits for another worker.
    """

    def __init__(self, engine: AsyncEngine):
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._io = asyncio.Lock()  # one statement at a time on the shared connection
        self._held = 0

    async def acquire(self, number: int) -> None:
        delay = FIRST_RETRY
        while True:
            async with self._io:
                if await self._execute(TRY_LOCK, number):
                    self._held += 1
                    return
                if self._held == 0:
                    await self._disconnect()
            await asyncio.sleep(delay)
            delay = min(delay * 2, LAST_RETRY)

    async def release(self, number: int) -> None:
        async with self._io:
            self._held = max(self._held - 1, 0)  # close() may have reset it meanwhile
            try:
                if self._connection is not None and not await self._execute(UNLOCK, number):
                    log.warning("advisory lock %s was already gone (its connection was lost)", number)
            except Exception:
                # The update itself went fine; a lock whose connection died is released already.
                log.warning("could not release advisory lock %s; its connection is gone", number)
            finally:
                if self._held == 0:
                    await self._disconnect()

    async def _execute(self, statement, number: int) -> bool:
        if self._connection is None:
            # Autocommit: no transaction stays open ("idle in transaction") while the lock is held.
            connection = await self._engine.connect()
            self._connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
        try:
            return bool((await self._connection.execute(statement, {"n": number})).scalar_one())
        except BaseException:
            # Unknown state (cancelled mid-statement, network): drop the connection; PostgreSQL then
            # frees its locks, and the in-process locks still keep this worker's updates apart.
            log.warning("advisory lock connection dropped; locks held on it are released")
            connection, self._connection = self._connection, None
            with suppress(Exception):
                await connection.invalidate()
            raise

    async def _disconnect(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with suppress(Exception):  # a dead connection is invalidated by the pool on close
                await connection.close()

    async def close(self) -> None:
        async with self._io:
            self._held = 0
            await self._disconnect()
