"""Scheduled clean-up: wrong-code attempts and spent invitation codes are not kept longer than needed."""
import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import async_sessionmaker

from program.codes import LOCKOUT_WINDOW_SECONDS
from storage.models import CodeAttempt, InviteCode
from storage.types import utc_now

log = logging.getLogger(__name__)

ATTEMPT_RETENTION = 2 * timedelta(seconds=LOCKOUT_WINDOW_SECONDS)  # the lockout only looks one window back
SPENT_CODE_RETENTION = timedelta(days=90)
INTERVAL = timedelta(hours=1)


@dataclass(frozen=True)
class Purged:
    attempts: int
    codes: int


async def purge(session_factory: async_sessionmaker, now: datetime | None = None) -> Purged:
    """Delete wrong-code attempts older than two lockout windows and codes expired more than 90 days ago."""
    now = now or utc_now()
    async with session_factory() as session, session.begin():
        attempts = await session.exec(delete(CodeAttempt).where(CodeAttempt.at < now - ATTEMPT_RETENTION))
        codes = await session.exec(delete(InviteCode).where(InviteCode.expires_at < now - SPENT_CODE_RETENTION))
    purged = Purged(attempts=attempts.rowcount or 0, codes=codes.rowcount or 0)
    if purged.attempts or purged.codes:
        log.info("housekeeping purged %d code attempt(s) and %d invitation code(s)", purged.attempts, purged.codes)
    return purged


class Housekeeping:
    """The APScheduler jobs: one run at start, then every hour. Exactly one per installation."""

    def __init__(self, session_factory: async_sessionmaker, *, interval: timedelta = INTERVAL):
        self.session_factory = session_factory
        self.scheduler = AsyncIOScheduler(timezone="UTC")
        self.scheduler.add_job(self._purge, "interval", seconds=interval.total_seconds(), id="housekeeping",
                               max_instances=1, coalesce=True, next_run_time=utc_now())
        self._runs: set[asyncio.Task] = set()

    async def _purge(self) -> None:
        task = asyncio.current_task()
        self._runs.add(task)
        try:
            await purge(self.session_factory)
        finally:
            self._runs.discard(task)

    def start(self) -> None:
        """Needs a running event loop (the scheduler runs its jobs on it)."""
        self.scheduler.start()

    async def stop(self, timeout: float = 10.0) -> None:
        """No new runs; a run in progress (one short transaction) gets `timeout` seconds to finish."""
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
