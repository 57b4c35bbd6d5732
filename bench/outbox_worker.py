"""An outbox worker process for bench.outbox_kill: ticks our real OutboxDispatcher until it is killed.

    python -m bench.outbox_worker --database URL --api BASE_URL [--lease-seconds 3] [--owner NAME]

Builds our Bot (bot/app.py) with BASE_URL as the Bot API, TelegramSender with generous Limits (the
fake server enforces none in that benchmark), and an OutboxDispatcher with a short lease, then loops
tick(), sleeping --sleep seconds when nothing was due. It is meant to be ended by SIGKILL; SIGTERM
ends it cleanly; it also stops by itself after --max-seconds or when its parent process is gone.
"""
import argparse
import asyncio
import os
import signal
import time
from datetime import timedelta

from bench.outbox_common import make_bot
from texts.scheduled_messages import render
from bot.telegram_sender import Limits, TelegramSender
from services.delivery import OutboxDispatcher
from storage.engine import make_engine, make_session_factory
from storage.types import utc_now


async def main(args: argparse.Namespace) -> None:
    parent, started = os.getppid(), time.monotonic()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    engine = make_engine(args.database)
    bot = make_bot(args.api)
    limits = Limits(per_bot_per_second=args.rate, per_chat_per_second=args.rate, request_timeout=5)
    dispatcher = OutboxDispatcher(make_session_factory(engine), TelegramSender(bot, limits), render, clock=utc_now,
                                  owner=args.owner, batch=args.batch, lease=timedelta(seconds=args.lease_seconds))
    try:
        while not stop.is_set() and time.monotonic() - started < args.max_seconds and os.getppid() == parent:
            result = await dispatcher.tick(max_batches=1)
            if not result.claimed:
                try:
                    await asyncio.wait_for(stop.wait(), args.sleep)
                except TimeoutError:
                    pass
    finally:
        await bot.session.close()
        await engine.dispose()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_worker", description=__doc__.split("\n")[0])
    parser.add_argument("--database", required=True, help="SQLAlchemy URL (sqlite+aiosqlite:///… or postgresql+asyncpg://…)")
    parser.add_argument("--api", required=True, help="base URL of the (fake) Bot API, http://127.0.0.1:PORT")
    parser.add_argument("--lease-seconds", type=float, default=3.0, help="lease of a claimed row (default 3)")
    parser.add_argument("--owner", default=None, help="lease owner name (default: worker-<random>)")
    parser.add_argument("--batch", type=int, default=200, help="rows claimed per batch (default 200)")
    parser.add_argument("--rate", type=float, default=1000.0, help="Limits per bot and per chat, msgs/s (default 1000)")
    parser.add_argument("--sleep", type=float, default=0.05, help="pause when nothing is due, seconds (default 0.05)")
    parser.add_argument("--max-seconds", type=float, default=900.0, help="stop by itself after this (default 900)")
    return parser.parse_args(argv)


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
