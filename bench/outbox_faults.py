"""The outbox dispatcher under 10 % injected 429 / 500 / time-outs, next to a clean run of the same messages.

    python -m bench.outbox_faults [--messages 2000] [--chats 2000] [--fault-rate 0.10] [--database sqlite|postgresql]

Our real OutboxDispatcher + TelegramSender + render on the real clock, generous Limits (1000/s per bot
and per chat) and a 2 s request time-out; the fake Bot API enforces no limits. First a clean run:
--messages rows due now, drained with tick() until none is pending. Then the same messages again
(new rows) with set_fault_rate(rate, kinds=("429", "500", "timeout")): a "timeout" holds the request
3 s (above the 2 s time-out) and is then delivered after all, as Telegram may do. The dispatcher's
retry delays are real (backoff 5 s, 10 s … and retry_after for a 429), so the faulty run takes a
minute or two. Nothing is asserted; everything is closed. All traffic goes to 127.0.0.1.
"""
import argparse
import asyncio
import tempfile
from collections import Counter

from sqlalchemy import select

from bench.outbox_common import (
    BOT_ID,
    drain,
    enqueue,
    fresh_database,
    histogram,
    lost_and_duplicates,
    make_bot,
    message_rows,
    requests_per_topic,
    seed_chats,
)
from texts.scheduled_messages import render
from bot.telegram_sender import Limits, TelegramSender
from services.delivery import OutboxDispatcher
from storage.engine import make_engine, make_session_factory
from storage.outbox import OutboxMessage
from storage.types import utc_now
from tests.support.fake_bot_api import FakeBotAPI

KINDS = ("429", "500", "timeout")


async def rows_of(session_factory, prefix: str) -> list[tuple[str, int, str | None]]:
    async with session_factory() as session:
        found = await session.exec(select(OutboxMessage.status, OutboxMessage.attempts, OutboxMessage.last_error)
                                   .where(OutboxMessage.dedupe_key.like(f"{prefix}-%")))
        return list(found.all())


async def one_run(api: FakeBotAPI, dispatcher, session_factory, chats, args, prefix: str) -> dict:
    api.clear()
    topics = [f"{prefix}-{n}" for n in range(args.messages)]
    await enqueue(session_factory, message_rows(chats, args.messages, utc_now(), prefix=prefix))
    done, wall, ticks = await drain(dispatcher, session_factory, seconds=args.deadline)
    lost, extra, twice = lost_and_duplicates(api, topics)
    rows = await rows_of(session_factory, prefix)
    return {"done": done, "wall": wall, "ticks": ticks, "lost": lost, "extra": extra, "twice": twice,
            "stats": {kind: api.stats.get(kind, 0) for kind in (*KINDS, "delivered", "sendMessage")},
            "status": Counter(status for status, _a, _e in rows),
            "attempts": Counter(attempts for _s, attempts, _e in rows),
            "errors": Counter(error for _s, _a, error in rows if error),
            "requests": Counter(requests_per_topic(api).values())}


async def main(args: argparse.Namespace) -> None:
    limits = Limits(per_bot_per_second=1000, per_chat_per_second=1000, request_timeout=args.request_timeout)
    with tempfile.TemporaryDirectory(prefix="acompana-bench-") as workdir:
        url = await fresh_database(args.database, workdir)
        engine = make_engine(url)
        session_factory = make_session_factory(engine)
        try:
            async with FakeBotAPI(bot_id=BOT_ID, timeout_delay=args.request_timeout + 1) as api:
                bot = make_bot(api.base_url)
                try:
                    chats = await seed_chats(session_factory, args.chats)
                    dispatcher = OutboxDispatcher(session_factory, TelegramSender(bot, limits), render, clock=utc_now)
                    clean = await one_run(api, dispatcher, session_factory, chats, args, "clean")
                    api.set_fault_rate(args.fault_rate, kinds=KINDS, seed=args.seed)
                    faulty = await one_run(api, dispatcher, session_factory, chats, args, "faulty")
                    api.set_fault_rate(0.0)
                finally:
                    await bot.session.close()
        finally:
            await engine.dispose()

    print(f"\n{args.messages} messages to {args.chats} chats, database {args.database}, Limits 1000/s, "
          f"request_timeout {args.request_timeout:g} s, fake time-outs hold {args.request_timeout + 1:g} s; "
          f"faults {args.fault_rate:.0%} of sendMessage ({', '.join(KINDS)}; seed {args.seed})\n")
    print(f"{'':8}{'drained':>9}{'wall s':>9}{'ticks':>7}{'sent':>7}{'failed':>8}{'lost':>6}{'dupes':>7}"
          f"{'requests':>10}{'429':>6}{'500':>6}{'timeout':>9}")
    for name, r in (("clean", clean), ("faulty", faulty)):
        s = r["stats"]
        print(f"{name:8}{r['done']!s:>9}{r['wall']:>9.1f}{r['ticks']:>7}{r['status'].get('sent', 0):>7}"
              f"{r['status'].get('failed', 0):>8}{len(r['lost']):>6}{r['extra']:>7}{s['sendMessage']:>10}"
              f"{s['429']:>6}{s['500']:>6}{s['timeout']:>9}")
    print(f"ratio (faulty / clean wall time): {faulty['wall'] / clean['wall']:.2f}")
    print(f"faulty run, attempts per row (DB; a 429 is not counted): {histogram(faulty['attempts'])}")
    print(f"faulty run, sendMessage requests per message (fake server): {histogram(faulty['requests'])}")
    print(f"faulty run, last_error of the rows: {dict(faulty['errors'].most_common())}")
    print(f"faulty run: {len(faulty['lost'])} lost; {faulty['extra']} delivered twice or more "
          f"({faulty['twice']} rows): time-outs Telegram delivered after all, then sent again")
    print(f"all delivered: {not faulty['lost'] and not clean['lost']}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_faults", description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=2000, help="messages per run (default 2000)")
    parser.add_argument("--chats", type=int, default=2000, help="chats, round-robin (default 2000)")
    parser.add_argument("--fault-rate", type=float, default=0.10, help="share of sendMessage calls failed (default 0.10)")
    parser.add_argument("--request-timeout", type=float, default=2.0, help="the sender's time-out, s (default 2)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the injected faults (default 0)")
    parser.add_argument("--deadline", type=float, default=600.0, help="seconds each run may take at most (default 600)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="sqlite: a fresh temp file; postgresql: TEST_POSTGRES_URL, schema reset first")
    args = parser.parse_args(argv)
    if args.messages < 1 or args.chats < 1 or not 0 <= args.fault_rate < 1:
        parser.error("--messages and --chats must be at least 1, --fault-rate in [0, 1)")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
