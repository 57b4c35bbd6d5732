"""Scheduled clean-up (bot/scheduler.py): wrong-code attempts and spent invitation codes are not kept longer
than needed."""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col

from program.codes import LOCKOUT_WINDOW_SECONDS
from storage import processed_updates_repo
from storage.models import CodeAttempt, InviteCode
from storage.types import utc_now

log = logging.getLogger(__name__)

ATTEMPT_RETENTION = 2 * timedelta(seconds=LOCKOUT_WINDOW_SECONDS)  # the lockout only looks one window back
SPENT_CODE_RETENTION = timedelta(days=90)
PROCESSED_UPDATE_RETENTION = timedelta(days=1)  # Telegram gives up redelivering an update after 24 hours


@dataclass(frozen=True)
class Purged:
    attempts: int
    codes: int
    updates: int = 0


async def purge(session_factory: async_sessionmaker, now: datetime | None = None) -> Purged:
    """Delete wrong-code attempts older than two lockout windows, codes expired more than 90 days ago and the
    ids of updates handled more than a day ago."""
    now = now or utc_now()
    async with session_factory() as session, session.begin():
        attempts = await session.exec(delete(CodeAttempt).where(col(CodeAttempt.at) < now - ATTEMPT_RETENTION))
        codes = await session.exec(delete(InviteCode).where(col(InviteCode.expires_at) < now - SPENT_CODE_RETENTION))
        updates = await processed_updates_repo.purge_processed(session, before=now - PROCESSED_UPDATE_RETENTION)
    purged = Purged(attempts=attempts.rowcount or 0, codes=codes.rowcount or 0, updates=updates)
    if purged.attempts or purged.codes:
        log.info("housekeeping purged %d code attempt(s) and %d invitation code(s)", purged.attempts, purged.codes)
    if purged.updates:
        log.info("housekeeping forgot %d handled update id(s) older than a day", purged.updates)
    return purged
