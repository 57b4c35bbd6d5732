"""Sustained send rate of the outbox dispatcher against Telegram's limits, on the fake Bot API.

    python -m bench.outbox_rate [--messages 20000] [--chats 5000] [--database sqlite|postgresql]

Enqueues --messages rows due now, round-robin over --chats chats, and drains them with our real
OutboxDispatcher + TelegramSender(bot, Limits()) + render on the real clock, calling tick() until no
row is left (bounded by --deadline seconds). The fake server enforces Telegram's limits (30/s per bot,
1/s per chat, sliding windows) and answers 429 when they are broken. Then, for context, a bare loop
sends the same number of messages with bot.send_message through the same aiolimiter pacing (one
limiter per chat and one for the bot, as bot/telegram_sender.py builds them), without any database.
The full default run takes about 2 × 11 minutes (the bare loop is paced the same); nothing is asserted.
All traffic goes to 127.0.0.1.
"""
import argparse
import asyncio
import tempfile
import time

from bench.outbox_common import (
    BOT_ID,
    delivered,
    drain,
    enqueue,
    fresh_database,
    make_bot,
    message_rows,
    quantiles,
    seed_chats,
    sent_lateness,
    status_counts,
)
from texts.scheduled_messages import render
from bot.telegram_sender import Limits, TelegramSender, pace
from services.delivery import OutboxDispatcher
from storage.engine import make_engine, make_session_factory
from storage.types import utc_now
from tests.support.fake_bot_api import FakeBotAPI

CONCURRENCY = 64  # OutboxDispatcher's default; the bare loop uses as many senders


def arrival_rate(api: FakeBotAPI, since: int) -> float:
    """Deliveries per second between the first and the last delivery the fake server saw (steady state)."""
    times = [call.at for call in api.requests("sendMessage")[since:] if call.result is not None]
    return (len(times) - 1) / (times[-1] - times[0]) if len(times) > 1 else 0.0


async def bare_loop(bot, chats: list[int], count: int, limits: Limits) -> tuple[float, int]:
    """bot.send_message for `count` messages round-robin over `chats`, paced like TelegramSender."""
    bot_wide, per_chat = pace(limits.per_bot_per_second), {}
    numbers = iter(range(count))
    errors = 0

    async def sender() -> None:
        nonlocal errors
        for n in numbers:  # a shared iterator: each message goes to one sender
            chat_id = chats[n % len(chats)]
            limiter = per_chat.setdefault(chat_id, pace(limits.per_chat_per_second))
            async with limiter, bot_wide:  # the chat first, then the bot, like TelegramSender._send_one
                try:
                    await bot.send_message(chat_id, f"bare-{n}", request_timeout=int(limits.request_timeout))
                except Exception:  # noqa: BLE001 - a 429 or a time-out: counted, not retried
                    errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(sender() for _ in range(CONCURRENCY)))
    return time.perf_counter() - started, errors


async def main(args: argparse.Namespace) -> None:
    limits = Limits()  # Telegram's: 30/s per bot, 1/s per chat, 20/min per group, 15 s request time-out
    with tempfile.TemporaryDirectory(prefix="acompana-bench-") as workdir:
        url = await fresh_database(args.database, workdir)
        engine = make_engine(url)
        session_factory = make_session_factory(engine)
        try:
            async with FakeBotAPI(bot_id=BOT_ID) as api:
                api.enforce_limits(per_chat_per_second=1.0, global_per_second=30.0, group_per_minute=20)
                bot = make_bot(api.base_url)
                try:
                    chats = await seed_chats(session_factory, args.chats)
                    rows = message_rows(chats, args.messages, utc_now())
                    await enqueue(session_factory, rows)
                    dispatcher = OutboxDispatcher(session_factory, TelegramSender(bot, limits), render, clock=utc_now)
                    done, ours_wall, ticks = await drain(dispatcher, session_factory, seconds=args.deadline)
                    ours_stats = dict(api.stats)
                    got = delivered(api)
                    steady = arrival_rate(api, 0)
                    counts = await status_counts(session_factory)
                    lateness = await sent_lateness(session_factory)

                    api.clear()
                    bare_count = args.bare_messages if args.bare_messages is not None else args.messages
                    bare_wall, bare_errors = (await bare_loop(bot, [chat for _a, chat in chats], bare_count, limits)
                                              if bare_count else (0.0, 0))
                    bare_stats, bare_steady = dict(api.stats), arrival_rate(api, 0)
                finally:
                    await bot.session.close()
        finally:
            await engine.dispose()

    sent = counts.get("sent", 0)
    configured = limits.per_bot_per_second
    print(f"\n{args.messages} messages due now, round-robin over {args.chats} chats, database {args.database}, "
          f"fake Bot API enforcing 30/s per bot and 1/s per chat (127.0.0.1)\n")
    print(f"dispatcher: {'drained' if done else f'NOT drained within {args.deadline:.0f} s'} in {ticks} ticks; "
          f"rows by status: {dict(sorted(counts.items()))}")
    print(f"{'':30}{'sent':>8}{'elapsed s':>11}{'msgs/s':>9}{'steady/s':>10}{'ratio':>8}{'429s':>6}")
    rate = sent / ours_wall if ours_wall else 0.0
    print(f"{'ours (dispatcher, DB)':30}{sent:>8}{ours_wall:>11.1f}{rate:>9.2f}{steady:>10.2f}"
          f"{rate / configured:>8.3f}{ours_stats.get('429', 0):>6}")
    if bare_count:
        bare_sent = bare_stats.get("delivered", 0)
        bare_rate = bare_sent / bare_wall
        print(f"{'bare send_message loop':30}{bare_sent:>8}{bare_wall:>11.1f}{bare_rate:>9.2f}{bare_steady:>10.2f}"
              f"{bare_rate / configured:>8.3f}{bare_stats.get('429', 0):>6}")
    print(f"{'configured limit (the ideal)':30}{'':>8}{'':>11}{configured:>9.2f}{'':>10}{1:>8.3f}")
    print(f"pacing ceiling: {configured * 0.98:.2f} msgs/s (aiolimiter at 0.98 of the limit, ratio 0.980)")
    if lateness:
        p50, p95 = quantiles(lateness, 50, 95)
        print(f"lateness (sent_at - due_at): p50 {p50:.1f} s, p95 {p95:.1f} s, max {max(lateness):.1f} s")
    print(f"texts delivered by the fake server: {sum(got.values())} ({len(got)} distinct rows)")
    if bare_count and bare_rate:
        print(f"ratio (ours / configured limit): {rate / configured:.3f}; "
              f"ratio (ours / bare loop): {rate / bare_rate:.3f}; bare loop errors: {bare_errors}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_rate", description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=20000, help="outbox rows to drain (default 20000)")
    parser.add_argument("--chats", type=int, default=5000, help="chats they go to, round-robin (default 5000)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="sqlite: a fresh temp file; postgresql: TEST_POSTGRES_URL, schema reset first")
    parser.add_argument("--bare-messages", type=int, default=None,
                        help="messages of the bare loop (default: as many as --messages; 0 skips it)")
    parser.add_argument("--deadline", type=float, default=None,
                        help="seconds the drain may take at most (default: 2 × messages / 29.4 + 60)")
    args = parser.parse_args(argv)
    if args.messages < 1 or args.chats < 1:
        parser.error("--messages and --chats must be at least 1")
    if args.deadline is None:
        args.deadline = 2 * args.messages / 29.4 + 60
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
