"""Scheduled clean-up: wrong-code attempts and spent invitation codes are not kept longer than needed."""
from datetime import datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import delete
from sqlalchemy.ext.asyncio import async_sessionmaker

from program.codes import LOCKOUT_WINDOW_SECONDS
from storage.models import CodeAttempt, InviteCode
from storage.types import utc_now

SPENT_CODE_RETENTION = timedelta(days=90)


async def purge(session_factory: async_sessionmaker, now: datetime | None = None) -> None:
    now = now or utc_now()
    async with session_factory() as session, session.begin():
        await session.exec(delete(CodeAttempt).where(
            CodeAttempt.at < now - 2 * timedelta(seconds=LOCKOUT_WINDOW_SECONDS)))
        await session.exec(delete(InviteCode).where(InviteCode.expires_at < now - SPENT_CODE_RETENTION))


def build_scheduler(session_factory: async_sessionmaker) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(purge, "interval", hours=1, args=[session_factory], id="housekeeping",
                      max_instances=1, coalesce=True, next_run_time=utc_now())
    return scheduler
