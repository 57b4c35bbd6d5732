"""The APScheduler jobs of an installation: the outbox dispatcher every few seconds, the planner every
hour, the clean-up every hour, the retention run every night (services/retention.py). The database, not the
scheduler, holds what is due.

Exactly one scheduler: only the `worker` process starts one (the embedded default's single `run`
process starts its own), and on PostgreSQL it also holds an advisory lock for as long as it runs, so
a second worker started by mistake waits as a standby and takes over only if the first one dies.
Even without it, two dispatchers would not send a row twice (SKIP LOCKED), and the planner's dedupe
keys make a second planning run a no-op.
"""
import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, async_sessionmaker

from bot.housekeeping import purge
from services import planner, retention
from services.delivery import OutboxDispatcher
from storage.types import utc_now

log = logging.getLogger(__name__)

DISPATCH_EVERY = timedelta(seconds=5)
PLAN_EVERY = timedelta(hours=1)
PURGE_EVERY = timedelta(hours=1)
RETENTION_AT_UTC = 7  # 03:00–04:00 in Chile's mainland, when nobody is working
RETENTION_YEARS_AFTER_CLOSURE = 5  # bot/settings.py's default; the runners pass the setting
LEADER_LOCK = 0x41636F6D70616E61  # "Acompana": the one scheduler of a PostgreSQL installation


class Leadership:
    """On PostgreSQL, a session-level advisory lock on a connection of its own; elsewhere always leader."""

    def __init__(self, engine: AsyncEngine):
        self.engine = engine
        self._connection: AsyncConnection | None = None
        self.is_postgres = engine.dialect.name == "postgresql"
        self._asking = asyncio.Lock()  # the jobs start together: one question to PostgreSQL, not three

    async def hold(self) -> bool:
        if not self.is_postgres:
            return True
        async with self._asking:
            return await self._try()

    async def _try(self) -> bool:
        if self._connection is not None:
            return True
        connection = await self.engine.connect()
        try:
            got = (await connection.execute(text("SELECT pg_try_advisory_lock(:n)"), {"n": LEADER_LOCK})).scalar()
        except Exception:
            await connection.close()
            raise
        if got:
            self._connection = connection
            log.info("this process runs the scheduler")
            return True
        await connection.close()
        return False

    async def release(self) -> None:
        if self._connection is not None:
            connection, self._connection = self._connection, None
            try:  # the pool keeps the session open, so unlock it by name (a dead process releases it anyway)
                await connection.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": LEADER_LOCK})
            finally:
                await connection.close()


class Scheduler:
    def __init__(self, engine: AsyncEngine, session_factory: async_sessionmaker, *,
                 dispatcher: OutboxDispatcher | None = None, clock: Callable[[], datetime] = utc_now,
                 dispatch_every: timedelta = DISPATCH_EVERY, plan_every: timedelta = PLAN_EVERY,
                 retention_years: int = RETENTION_YEARS_AFTER_CLOSURE):
        self.session_factory, self.dispatcher, self.clock = session_factory, dispatcher, clock
        self.retention_years = retention_years
        self.leadership = Leadership(engine)
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        start = utc_now()
        self.scheduler.add_job(self._purge, "interval", seconds=PURGE_EVERY.total_seconds(), id="housekeeping",
                               max_instances=1, coalesce=True, next_run_time=start)
        self.scheduler.add_job(self._plan, "interval", seconds=plan_every.total_seconds(), id="planner",
                               max_instances=1, coalesce=True, next_run_time=start)
        self.scheduler.add_job(self._retain, "cron", hour=RETENTION_AT_UTC, id="retention", max_instances=1,
                               coalesce=True, misfire_grace_time=6 * 3600)
        if dispatcher is not None:
            self.scheduler.add_job(self._dispatch, "interval", seconds=dispatch_every.total_seconds(), id="outbox",
                                   max_instances=1, coalesce=True, next_run_time=start)
        self._runs: set[asyncio.Task] = set()

    async def _guarded(self, what: str, job) -> None:
        task = asyncio.current_task()
        assert task is not None  # APScheduler's asyncio executor runs each job as a task
        self._runs.add(task)
        try:
            if await self.leadership.hold():
                await job()
        except Exception as error:  # noqa: BLE001 — the next run tries again; the scheduler must go on
            log.error("%s failed: %s", what, type(error).__name__)
        finally:
            self._runs.discard(task)

    async def _purge(self) -> None:
        await self._guarded("housekeeping", lambda: purge(self.session_factory))

    async def _plan(self) -> None:
        async def run() -> None:
            result = await planner.plan_all(self.session_factory, now=self.clock())
            log.info("planner: %d planned, %d new, %d updated, %d cancelled", result.planned, result.created,
                     result.updated, result.cancelled)
        await self._guarded("planner", run)

    async def _retain(self) -> None:
        await self._guarded("retention", lambda: retention.run_nightly(
            self.session_factory, now=self.clock(), years_after_closure=self.retention_years))

    async def _dispatch(self) -> None:
        dispatcher = self.dispatcher
        assert dispatcher is not None  # the job is added only with a dispatcher

        async def run() -> None:
            result = await dispatcher.tick()
            if result.claimed:
                log.info("outbox: %s", ", ".join(f"{k} {v}" for k, v in sorted(result.outcomes.items())))
        await self._guarded("outbox", run)

    def start(self) -> None:
        """Needs a running event loop (the scheduler runs its jobs on it)."""
        self.scheduler.start()

    async def stop(self, timeout: float = 10.0) -> None:
        """No new runs; a run in progress gets `timeout` seconds to finish (a claimed outbox row that it
        could not mark goes back to the queue when its lease expires)."""
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        runs = set(self._runs)
        if runs:
            _done, pending = await asyncio.wait(runs, timeout=timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        # AsyncIOScheduler.shutdown only schedules the shutdown on the loop (and it cancels a run that was
        # submitted but had not started yet): give it and those cancellations a turn before returning.
        self.scheduler.shutdown(wait=False)
        await asyncio.sleep(0)
        await asyncio.gather(*self._runs, return_exceptions=True)
        await asyncio.sleep(0)
        await self.leadership.release()
