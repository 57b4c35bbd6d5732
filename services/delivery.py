"""The outbox dispatcher: claim due rows under a lease, send each once, mark what became of it.

Nothing lost: a row is claimed (status sending, a lease) in one transaction and marked in another after
Telegram answered. If the process dies in between, the lease expires and another tick claims it again.
Nothing twice: a row marked sent is never claimed again, and on PostgreSQL two workers never claim the
same row (FOR UPDATE SKIP LOCKED). The one window left is a message Telegram accepted whose mark was
not written (a crash, or a time-out that was delivered after all): it is sent again. The mark is one
small UPDATE right after each send: a few milliseconds on PostgreSQL; on SQLite the 64 concurrent marks queue
for its single write lock, so the window is up to a few hundred milliseconds (bench/outbox_kill.py).
"""
import asyncio
import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker

from program.quiet_hours import is_quiet, release_time
from services import audit
from services.sender import Buttons, SendBlocked, Sender, SendRejected, SendRetry
from storage import accounts_repo, outbox_repo, people_repo
from storage.models import ChatAccount
from storage.outbox import FAILED, SENT, SKIPPED, OutboxMessage

log = logging.getLogger(__name__)

Renderer = Callable[[OutboxMessage, str], tuple[str, Buttons]]
MAX_ATTEMPTS = 8
FIRST_BACKOFF, MAX_BACKOFF = timedelta(seconds=5), timedelta(hours=1)


def backoff(attempts: int, rng: random.Random | None = None) -> timedelta:
    """5 s, 10 s, 20 s ... up to an hour, with ±20 % jitter so a burst of failures does not return at once."""
    base = min(FIRST_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)
    return base * (0.8 + 0.4 * (rng or random).random())


def quiet_window(text: str) -> tuple[time, time]:
    start, end = text.split("-")
    return time.fromisoformat(start), time.fromisoformat(end)


@dataclass
class TickResult:
    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


class OutboxDispatcher:
    def __init__(self, session_factory: async_sessionmaker, sender: Sender, render: Renderer, *,
                 clock: Callable[[], datetime], default_locale: str = "es", owner: str | None = None,
                 batch: int = 200, concurrency: int = 64, lease: timedelta = timedelta(minutes=2)):
        self.session_factory, self.sender, self.render, self.clock = session_factory, sender, render, clock
        self.default_locale = default_locale
        self.owner = owner or f"worker-{uuid.uuid4().hex[:12]}"
        self.batch, self.lease = batch, lease
        self._slots = asyncio.Semaphore(concurrency)

    async def tick(self, *, max_batches: int = 50) -> TickResult:
        """Drain what is due now, batch by batch (a tick of the scheduler, or a test's step)."""
        result = TickResult()
        for _ in range(max_batches):
            async with self.session_factory() as session, session.begin():
                rows = await outbox_repo.claim(session, now=self.clock(), owner=self.owner, lease=self.lease,
                                               limit=self.batch)
                accounts = await accounts_repo.accounts_by_id(session, account_ids=(row.account_id for row in rows))
                blocked = await self._blocked_families(session, rows, accounts)
            if not rows:
                break
            result.claimed += len(rows)
            outcomes = await asyncio.gather(*(self._deliver(row, accounts.get(row.account_id),
                                                            family_blocked=row.id in blocked)
                                              for row in rows))
            for outcome in outcomes:
                result.count(outcome)
        return result

    @staticmethod
    async def _blocked_families(session, rows: list[OutboxMessage], accounts: dict[int, ChatAccount]) -> set[int]:
        """Ids of the rows that concern a blocked family, read at send time: to one of the family's chats, or
        of the family's scope (a block set after the row was planned stops it here)."""
        scoped = {row.id: int(row.scope.split(":")[1]) for row in rows if row.scope.startswith("family:")}
        members = {a.member_id for a in accounts.values() if a.member_id is not None}
        if not scoped and not members:
            return set()
        found = await people_repo.blocked_families_of(session, family_ids=set(scoped.values()), member_ids=members)
        families, blocked_members = {f for f, _m in found}, {m for _f, m in found if m in members}
        return {row.id for row in rows if scoped.get(row.id) in families
                or getattr(accounts.get(row.account_id), "member_id", None) in blocked_members}

    async def _deliver(self, row: OutboxMessage, account: ChatAccount | None, *, family_blocked: bool = False) -> str:
        async with self._slots:
            now = self.clock()
            if family_blocked:
                return await self._finish(row, SKIPPED, "family_blocked")
            reason = self._skip_reason(row, account, now)
            if reason or account is None:  # no account: the reason is "unlinked"
                return await self._finish(row, SKIPPED, reason or "unlinked")
            start, end = quiet_window(row.quiet_hours)
            if is_quiet(now, row.timezone, start, end):  # due while the worker was down, or a retry at night
                await self._retry(row, release_time(now, row.timezone, start, end), "quiet", count_attempt=False)
                return "quiet"
            text, buttons = self.render(row, account.language or self.default_locale)
            try:
                await self.sender.send(row.chat_id, text, buttons)
            except SendBlocked:
                await self._mark_blocked(account.id)
                return await self._finish(row, SKIPPED, "blocked")
            except SendRetry as error:
                if row.attempts >= MAX_ATTEMPTS:
                    return await self._finish(row, FAILED, error.reason)
                delay = timedelta(seconds=error.retry_after) if error.retry_after else backoff(row.attempts)
                await self._retry(row, now + delay, error.reason, count_attempt=error.reason != "429")
                return "retry"
            except SendRejected as error:
                return await self._finish(row, FAILED, str(error))
            return await self._finish(row, SENT)

    @staticmethod
    def _skip_reason(row: OutboxMessage, account: ChatAccount | None, now: datetime) -> str | None:
        if account is None or (account.staff_id is None and account.member_id is None):
            return "unlinked"
        if row.chat_id <= 0 or row.chat_id != account.telegram_user_id:
            # Only a person's private chat has their own (positive) id; groups and channels are negative.
            return "not_private"
        if account.blocked_at is not None:
            return "blocked"
        if account.nudges_opt_out and not row.essential:
            return "opted_out"
        if row.expires_at is not None and now >= row.expires_at:
            return "expired"
        return None

    async def _finish(self, row: OutboxMessage, status: str, error: str | None = None) -> str:
        async with self.session_factory() as session, session.begin():
            kept = await outbox_repo.finish(session, message_id=row.id, owner=self.owner, now=self.clock(),
                                            status=status, error=error)
        if not kept:  # our lease ran out and another worker took the row over
            log.warning("outbox row %s: lease lost before marking it %s", row.id, status)
        return status if status != SKIPPED else f"skipped:{error}"

    async def _retry(self, row: OutboxMessage, due_at: datetime, error: str, *, count_attempt: bool) -> None:
        async with self.session_factory() as session, session.begin():
            await outbox_repo.retry_later(session, message_id=row.id, owner=self.owner, now=self.clock(),
                                          due_at=due_at, error=error, count_attempt=count_attempt)

    async def _mark_blocked(self, account_id: int) -> None:
        async with self.session_factory() as session, session.begin():
            if not await accounts_repo.mark_blocked(session, account_id=account_id, at=self.clock()):
                return
            # Telegram answered 403: the person blocked the bot (no actor of ours did anything).
            await audit.record(session, actor=None, action="account.blocked", record_type="chat_account",
                               record_id=account_id)
