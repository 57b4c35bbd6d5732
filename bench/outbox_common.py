"""What the outbox benchmarks share (outbox_rate, outbox_kill, outbox_faults and the outbox_worker child):
a fresh database, a Bot pointed at the fake Bot API, linked chat accounts, identifiable outbox rows, a
bounded drain loop, and reading back what the fake server delivered. Not a benchmark itself.

Rows are `commitment_today` messages whose topic is their own name (``msg-17``), so the rendered text
says which row it was: "📌 Hoy vence un compromiso de tu plan: «msg-17». …". Their quiet hours are
"00:00-00:00" (none) and they never expire, so a run does not depend on the time of day in Santiago.
"""
import asyncio
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from datetime import datetime

from aiogram import Bot
from sqlalchemy import func, insert, select
from sqlmodel import col

from bot.app import build_bot
from bot.settings import Settings, normalise_database_url
from storage import outbox_repo
from storage.models import ChatAccount, Staff, Unit
from storage.outbox import PENDING, SENDING, OutboxMessage
from storage.types import utc_now
from tests.support.databases import create_tables, reset_postgres
from tests.support.fake_bot_api import FakeBotAPI

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
BOT_ID = 424242
TOKEN = f"{BOT_ID}:AAHtestTOKENtestTOKENtestTOKENtest12"
FIRST_CHAT = 7_000_000  # chat i is FIRST_CHAT + i (private chats: positive ids)
TOPIC = re.compile(r"«([a-z]+-\d+)»")
NO_QUIET_HOURS = "00:00-00:00"  # start == end: none (program/quiet_hours.py)


def postgres_url() -> str:
    return normalise_database_url(os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)


async def fresh_database(kind: str, workdir: str) -> str:
    """sqlite: a new file in workdir; postgresql: TEST_POSTGRES_URL with its public schema dropped first."""
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir}/bench.sqlite3"
    else:
        url = postgres_url()
        await reset_postgres(url)
    await create_tables(url)
    return url


def make_bot(api_base_url: str) -> Bot:
    """Our own Bot (bot/app.py: build_bot) with the fake server's base URL."""
    return build_bot(Settings(_env_file=None, bot_token=TOKEN, bot_api_base_url=api_base_url))


async def seed_chats(session_factory, chats: int) -> list[tuple[int, int]]:
    """One unit, one AFI, and `chats` chat accounts linked to that AFI: [(account id, chat id)]."""
    now = utc_now()
    async with session_factory() as session, session.begin():
        unit_id = (await session.exec(insert(Unit).values(comuna="Bench", name="UIF Bench", created_at=now)
                                         .returning(Unit.id))).scalar_one()
        staff_id = (await session.exec(insert(Staff).values(unit_id=unit_id, name="AFI Bench", role="afi",
                                                               active=True, created_at=now)
                                          .returning(Staff.id))).scalar_one()
        accounts = [{"telegram_user_id": FIRST_CHAT + n, "chat_id": FIRST_CHAT + n, "language": "es",
                     "staff_id": staff_id, "nudges_opt_out": False, "created_at": now} for n in range(chats)]
        for start in range(0, len(accounts), 5000):
            await session.exec(insert(ChatAccount), params=accounts[start:start + 5000])
        found = await session.exec(select(ChatAccount.id, ChatAccount.chat_id).order_by(ChatAccount.chat_id))
        return [(account_id, chat_id) for account_id, chat_id in found.all()]


def message_rows(chats: Sequence[tuple[int, int]], count: int, due_at: datetime, prefix: str = "msg") -> list[dict]:
    """`count` rows, round-robin over `chats` (row i to chat i % len(chats)), all due at `due_at`."""
    rows = []
    for n in range(count):
        account_id, chat_id = chats[n % len(chats)]
        rows.append({"account_id": account_id, "chat_id": chat_id, "kind": "commitment_deadline",
                     "template": "commitment_today",
                     "args": {"commitment_id": n, "topic": f"{prefix}-{n}", "deadline": due_at.date().isoformat()},
                     "buttons": [], "essential": False, "scope": f"bench:{prefix}", "source": "event",
                     "due_at": due_at, "expires_at": None, "timezone": "America/Santiago",
                     "quiet_hours": NO_QUIET_HOURS, "dedupe_key": f"{prefix}-{n}"})
    return rows


async def enqueue(session_factory, rows: list[dict]) -> int:
    """Through storage.outbox_repo.enqueue (INSERT ... ON CONFLICT DO NOTHING), 5,000 rows a transaction."""
    inserted = 0
    for start in range(0, len(rows), 5000):
        async with session_factory() as session, session.begin():
            inserted += await outbox_repo.enqueue(session, rows[start:start + 5000])
    return inserted


async def unfinished(session_factory) -> int:
    """Rows still pending or sending."""
    async with session_factory() as session:
        query = select(func.count()).select_from(OutboxMessage).where(col(OutboxMessage.status).in_((PENDING, SENDING)))
        return (await session.exec(query)).scalar_one()


async def status_counts(session_factory) -> dict[str, int]:
    async with session_factory() as session:
        return await outbox_repo.counts_by_status(session)


async def drain(dispatcher, session_factory, *, seconds: float, idle: float = 0.2) -> tuple[bool, float, int]:
    """tick() until no row is pending or sending, at most `seconds`; sleeps `idle` when a tick found
    nothing due (rows waiting for a retry). Returns (all done, wall seconds, ticks)."""
    started = time.perf_counter()
    ticks = 0
    while time.perf_counter() - started < seconds:
        result = await dispatcher.tick()
        ticks += 1
        if not result.claimed:
            if not await unfinished(session_factory):
                return True, time.perf_counter() - started, ticks
            await asyncio.sleep(idle)
    return False, time.perf_counter() - started, ticks


def delivered(api: FakeBotAPI) -> Counter[str]:
    """Topic → times the fake server delivered it (a "timeout" fault is delivered after the client gave up)."""
    found: Counter[str] = Counter()
    for call in api.requests("sendMessage"):
        if call.result is not None and (match := TOPIC.search(call.params.get("text", ""))):
            found[match.group(1)] += 1
    return found


def requests_per_topic(api: FakeBotAPI) -> Counter[str]:
    """Topic → sendMessage requests the fake server received for it (faults included)."""
    return Counter(match.group(1) for call in api.requests("sendMessage")
                   if (match := TOPIC.search(call.params.get("text", ""))))


def lost_and_duplicates(api: FakeBotAPI, topics: Sequence[str]) -> tuple[list[str], int, int]:
    """(topics never delivered, extra deliveries, topics delivered more than once)."""
    got = delivered(api)
    lost = [topic for topic in topics if not got[topic]]
    return lost, sum(n - 1 for n in got.values() if n > 1), sum(1 for n in got.values() if n > 1)


def quantiles(values: Sequence[float], *cuts: int) -> list[float]:
    """Percentiles (e.g. 50, 95) of values, inclusive method; works for a single value too."""
    points = statistics.quantiles(list(values) * 2, n=100, method="inclusive")
    return [points[cut - 1] for cut in cuts]


def histogram(counts: Counter) -> str:
    return ", ".join(f"{key}: {counts[key]}" for key in sorted(counts))


async def sent_lateness(session_factory) -> list[float]:
    """Seconds between due_at and sent_at of every sent row."""
    async with session_factory() as session:
        rows = await session.exec(select(OutboxMessage.due_at, OutboxMessage.sent_at)
                                     .where(col(OutboxMessage.sent_at).is_not(None)))
        return [(sent - due).total_seconds() for due, sent in rows.all()]
