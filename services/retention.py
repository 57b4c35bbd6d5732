"""The nightly retention run (bot/scheduler.py, and `python -m bot retention-run`): what the schedule in
program/data/retention.yaml says is no longer needed is deleted, and families closed for longer than
RETENTION_YEARS_AFTER_CLOSURE are anonymised (services/erasure.py). Each run is audited with its counts.

Closure: there is no closing step yet, so a family counts as closed when its status is one a session record
closes it with (declined, abandoned) or graduated, and its closure date is the day of its last session record
(the one that recorded that outcome). A closed family with no session record at all is left alone."""
import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from program.retention import RetentionSchedule, closed_before, load_schedule
from services import audit
from services.erasure import erase_family
from services.session_record_checks import CLOSED_STATUSES
from storage import rights_repo
from storage.blocking import allowed
from storage.cuaderno import CuadernoEntry
from storage.models import CodeAttempt, FsmRecord
from storage.outbox import CANCELLED, FAILED, SENT, SKIPPED, OutboxMessage

log = logging.getLogger(__name__)


@dataclass
class RetentionRun:
    outbox_sent: int = 0
    outbox_cancelled: int = 0
    dialog_drafts: int = 0
    hidden_cuaderno: int = 0
    code_attempts: int = 0
    families_anonymised: int = 0
    anonymised_ids: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {name: value for name, value in vars(self).items() if isinstance(value, int)}


async def run(session: AsyncSession, *, now: datetime, years_after_closure: int,
              schedule: RetentionSchedule | None = None) -> RetentionRun:
    schedule = schedule or load_schedule()
    result = RetentionRun()
    cut = lambda name: schedule.cutoff(name, now)  # noqa: E731
    with allowed(session):
        result.outbox_sent = await rights_repo.delete_where(session, model=OutboxMessage, where=and_(
            col(OutboxMessage.status).in_((SENT, SKIPPED, FAILED)),
            col(OutboxMessage.updated_at) < cut("outbox_sent_days")))
        result.outbox_cancelled = await rights_repo.delete_where(session, model=OutboxMessage, where=and_(
            col(OutboxMessage.status) == CANCELLED, col(OutboxMessage.updated_at) < cut("outbox_cancelled_days")))
        result.dialog_drafts = await rights_repo.delete_where(
            session, model=FsmRecord, where=col(FsmRecord.updated_at) < cut("dialog_drafts_days"))
        result.hidden_cuaderno = await rights_repo.delete_where(session, model=CuadernoEntry, where=and_(
            col(CuadernoEntry.deleted_at).is_not(None), col(CuadernoEntry.deleted_at) <= cut("hidden_cuaderno_days")))
        result.code_attempts = await rights_repo.delete_where(
            session, model=CodeAttempt, where=col(CodeAttempt.at) < cut("code_attempts_days"))
    for family, closed_on in await rights_repo.closed_families(session, statuses=sorted(CLOSED_STATUSES)):
        if closed_before(closed_on, now.date(), years_after_closure):
            await erase_family(session, actor=None, family_id=family.id, now=now)
            result.anonymised_ids.append(family.id)
    result.families_anonymised = len(result.anonymised_ids)
    # The audit row has no free field: each count is an event of its own whose record_id is the count
    # (record_type "count"), plus one retention.run with the total. Every family anonymised is audited by
    # erase_family as family.erase by the system.
    for name, count in result.counts().items():
        if count:
            await audit.record(session, actor=None, action=f"retention.{name}", record_type="count", record_id=count)
    await audit.record(session, actor=None, action="retention.run", record_type="count",
                       record_id=sum(result.counts().values()))
    return result


async def run_nightly(session_factory: async_sessionmaker, *, now: datetime, years_after_closure: int) -> RetentionRun:
    async with session_factory() as session, session.begin():
        result = await run(session, now=now, years_after_closure=years_after_closure)
    log.info("retention: %s", ", ".join(f"{k} {v}" for k, v in result.counts().items()))
    return result

