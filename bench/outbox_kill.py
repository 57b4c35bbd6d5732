"""kill -9 the outbox worker at random moments: is every message still delivered, and how many twice?

    python -m bench.outbox_kill [--messages 5000] [--chats 1000] [--kills 20] [--database sqlite|postgresql]

The fake Bot API runs in this process (no limits enforced). The worker is a child process,
`python -m bench.outbox_worker` (our real OutboxDispatcher, TelegramSender and render, a 3 s lease).
--messages rows due now (round-robin over --chats chats, each text naming its row: «msg-17») are
enqueued; then --kills times: start a worker, wait until it has sent something, wait a random
0–--max-delay s (seeded RNG), SIGKILL it, and count the rows it left in status "sending" (in flight).
A last worker then runs until every row is sent. Lost = rows whose text the fake server never
delivered; duplicates = extra deliveries, which must not exceed the rows in flight at the kills.
Nothing is asserted; everything is closed and the temporary SQLite file removed. Traffic: 127.0.0.1.
"""
import argparse
import asyncio
import os
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench.outbox_common import (
    BOT_ID,
    enqueue,
    fresh_database,
    lost_and_duplicates,
    message_rows,
    seed_chats,
    status_counts,
    unfinished,
)
from storage.engine import make_engine, make_session_factory
from storage.outbox import SENDING, OutboxMessage
from storage.types import utc_now
from tests.support.fake_bot_api import FakeBotAPI

ROOT = Path(__file__).resolve().parents[1]


async def start_worker(args, url: str, api: FakeBotAPI, owner: str, log) -> asyncio.subprocess.Process:
    command = [sys.executable, "-m", "bench.outbox_worker", "--database", url, "--api", api.base_url,
               "--owner", owner, "--lease-seconds", str(args.lease_seconds), "--rate", str(args.worker_rate)]
    return await asyncio.create_subprocess_exec(*command, cwd=ROOT, stdout=log, stderr=log,
                                                stdin=asyncio.subprocess.DEVNULL)


async def wait_for_sends(api: FakeBotAPI, mark: int, proc, seconds: float) -> bool:
    """Until the fake server got a sendMessage beyond `mark` (the worker is up and sending)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.returncode is None:
        if api.stats["sendMessage"] > mark:
            return True
        await asyncio.sleep(0.01)
    return False


async def in_flight(session_factory, owner: str) -> tuple[int, int]:
    """(rows in status sending leased to `owner`, rows in status sending in all)."""
    async with session_factory() as session:
        count = select(func.count()).select_from(OutboxMessage).where(OutboxMessage.status == SENDING)
        total = (await session.exec(count)).scalar_one()
        mine = (await session.exec(count.where(OutboxMessage.lease_owner == owner))).scalar_one()
    return mine, total


async def stop(proc) -> None:
    if proc.returncode is None:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def run(args, url: str, workdir: str, session_factory) -> dict:
    rng = random.Random(args.seed)
    chats = await seed_chats(session_factory, args.chats)
    await enqueue(session_factory, message_rows(chats, args.messages, utc_now()))
    kills, problems = [], []
    log = os.open(Path(workdir) / "workers.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)  # the workers' output
    try:
        async with FakeBotAPI(bot_id=BOT_ID) as api:
            started = time.perf_counter()
            for n in range(args.kills):
                if not await unfinished(session_factory):
                    break  # everything went out before all the kills were used
                owner = f"killed-{n}"
                proc = await start_worker(args, url, api, owner, log)
                try:
                    up = await wait_for_sends(api, api.stats["sendMessage"], proc, 60)
                    await asyncio.sleep(rng.uniform(0, args.max_delay))
                    alive = proc.returncode is None
                    if alive:
                        proc.send_signal(signal.SIGKILL)
                    await proc.wait()
                finally:
                    if proc.returncode is None:
                        proc.kill()
                        await proc.wait()
                if not (up and alive):
                    problems.append(f"worker {owner} {'never sent' if not up else 'exited'} (rc {proc.returncode})")
                mine, total = await in_flight(session_factory, owner)
                sent = (await status_counts(session_factory)).get("sent", 0)
                kills.append((n + 1, time.perf_counter() - started, mine, total, sent))
            final = await start_worker(args, url, api, "final", log)
            try:
                deadline = time.monotonic() + args.deadline
                while time.monotonic() < deadline and final.returncode is None and await unfinished(session_factory):
                    await asyncio.sleep(0.2)
            finally:
                await stop(final)
            wall = time.perf_counter() - started
            lost, extra, twice = lost_and_duplicates(api, [f"msg-{n}" for n in range(args.messages)])
            requests = api.stats["sendMessage"]
    finally:
        os.close(log)
    log_tail = (Path(workdir) / "workers.log").read_text(errors="replace")[-2000:]
    return {"kills": kills, "problems": problems, "wall": wall, "lost": lost, "extra": extra, "twice": twice,
            "requests": requests, "counts": await status_counts(session_factory), "log_tail": log_tail}


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="acompana-bench-") as workdir:
        url = await fresh_database(args.database, workdir)
        engine = make_engine(url)
        try:
            r = await run(args, url, workdir, make_session_factory(engine))
        finally:
            await engine.dispose()

    print(f"\n{args.messages} messages to {args.chats} chats, database {args.database}, worker lease "
          f"{args.lease_seconds:g} s, {len(r['kills'])} kills -9 (seed {args.seed}), fake Bot API on 127.0.0.1\n")
    print(f"{'kill':>5}{'at s':>8}{'in flight':>11}{'sending (all)':>15}{'sent so far':>13}")
    for n, at, mine, total, sent in r["kills"]:
        print(f"{n:>5}{at:>8.1f}{mine:>11}{total:>15}{sent:>13}")
    in_flight_sum = sum(mine for _n, _at, mine, _t, _s in r["kills"])
    print(f"\nrows by status at the end: {dict(sorted(r['counts'].items()))}")
    print(f"sendMessage requests received: {r['requests']}; total time {r['wall']:.1f} s")
    print(f"lost messages (never delivered): {len(r['lost'])}" + (f"  e.g. {r['lost'][:5]}" if r["lost"] else ""))
    print(f"duplicates (extra deliveries): {r['extra']} over {r['twice']} rows; "
          f"in flight at the kills, summed: {in_flight_sum}; duplicates <= in flight: {r['extra'] <= in_flight_sum}")
    for problem in r["problems"]:
        print(f"problem: {problem}")
    if r["problems"] or r["lost"]:
        print("last lines of the workers' output:\n" + r["log_tail"])


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.outbox_kill", description=__doc__.split("\n")[0])
    parser.add_argument("--messages", type=int, default=5000, help="outbox rows (default 5000)")
    parser.add_argument("--chats", type=int, default=1000, help="chats, round-robin (default 1000)")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs of the worker (default 20)")
    parser.add_argument("--max-delay", type=float, default=1.0,
                        help="a kill comes 0..this many seconds after the worker's first send (default 1.0)")
    parser.add_argument("--lease-seconds", type=float, default=3.0, help="the worker's lease (default 3)")
    parser.add_argument("--worker-rate", type=float, default=300.0,
                        help="the worker's Limits per bot and per chat, msgs/s (default 300)")
    parser.add_argument("--seed", type=int, default=1, help="RNG seed of the kill moments (default 1)")
    parser.add_argument("--deadline", type=float, default=300.0, help="seconds the last worker may take (default 300)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="sqlite: a fresh temp file; postgresql: TEST_POSTGRES_URL, schema reset first")
    args = parser.parse_args(argv)
    if args.messages < 1 or args.chats < 1 or args.kills < 0:
        parser.error("--messages and --chats must be at least 1, --kills at least 0")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
