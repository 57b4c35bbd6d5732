"""Updates per second through our real Dispatcher, next to a bare aiogram echo bot, on the fake Bot API.

    python -m bench.updates_throughput [--updates 2000] [--database sqlite|postgresql] [--concurrency 20]

Each simulated person is new: /start with their own staff invitation code, then taps through the menu
("Mis familias", a family, back, back) using the keyboards the fake server recorded. People run in
parallel (at most --concurrency updates in flight); one person's updates stay in order. Only timings
are printed; nothing is asserted. All traffic goes to 127.0.0.1.
"""
import argparse
import asyncio
import logging
import os
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable

from aiogram import Dispatcher
from aiogram.types import CallbackQuery, Message
from sqlalchemy import event

from bot.settings import normalise_database_url
from services import units
from tests.support import seed, updates
from tests.support.clock import FakeClock
from tests.support.databases import create_tables, reset_postgres
from tests.support.fake_bot_api import FakeBotAPI
from tests.support.harness import BotHarness

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"
# One person's path: (what the update is, the label of the button pressed; None = the /start message).
PATH = [("/start <code>", None), ("tap Mis familias", "👥 Mis familias"), ("tap a family", "Pérez Soto"),
        ("tap ⬅️ Mis familias", "⬅️ Mis familias"), ("tap ⬅️ Menú", "⬅️ Menú")]
COUNTED_USERS = 3  # people run one at a time first, to count SQL per update (also warms up both bots)

STOPPED: Counter[str] = Counter()  # why simulated people could not go on (a missing button)
Step = Callable[[int, str, str | None], Awaitable[None]]


class LogCounter(logging.Handler):
    """Counts warnings and errors the bot logs (a failing update is answered by the error handler)."""
    count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class SqlCounter:
    """Statements, transactions and pool checkouts on an engine (statements kept for --show-sql)."""

    def __init__(self, engine) -> None:
        self.sync_engine, self.counts, self.statements = engine.sync_engine, Counter(), []
        self.hooks = [(self.sync_engine, "before_cursor_execute", self._statement),
                      (self.sync_engine, "begin", lambda _conn: self.counts.update(["transactions"])),
                      (self.sync_engine.pool, "checkout", lambda *_: self.counts.update(["checkouts"]))]
        for target, name, fn in self.hooks:
            event.listen(target, name, fn)

    def _statement(self, _conn, _cursor, statement, *_rest) -> None:
        self.counts["statements"] += 1
        self.statements.append(" ".join(statement.split())[:150])

    def take(self) -> tuple[Counter, list[str]]:
        (counts, statements), self.counts, self.statements = (self.counts, self.statements), Counter(), []
        return counts, statements

    def close(self) -> None:
        for target, name, fn in self.hooks:
            event.remove(target, name, fn)


def bare_echo_dispatcher() -> Dispatcher:
    """aiogram's defaults only (memory FSM, no isolation): none of our middlewares, routers or dialogs."""
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "…")

    @dispatcher.callback_query()
    async def ack(callback: CallbackQuery) -> None:
        await callback.answer()

    return dispatcher


async def timed(dispatcher: Dispatcher, h: BotHarness, update: dict, latencies: list | None, label) -> None:
    started = time.perf_counter()
    await dispatcher.feed_raw_update(h.bot, update)
    if latencies is not None:
        latencies.append((label, time.perf_counter() - started))


def ours_step(h: BotHarness, latencies: list[tuple[str | None, float]] | None) -> Step:
    async def step(user_id: int, code: str, label: str | None) -> None:
        if label is None:
            update = updates.command(user_id, "start", code)
        else:  # like BotHarness.tap: the button on the newest keyboard the bot sent this chat
            message_id, data = h.find_button(user_id, label)
            update = updates.callback(user_id, data, message_id=message_id)
        await timed(h.dispatcher, h, update, latencies, label)
    return step


def bare_step(h: BotHarness, dispatcher: Dispatcher, latencies: list[tuple[str | None, float]] | None) -> Step:
    async def step(user_id: int, code: str, label: str | None) -> None:
        update = (updates.command(user_id, "start", code) if label is None
                  else updates.callback(user_id, f"family:{user_id}", message_id=10_001))
        await timed(dispatcher, h, update, latencies, label)
    return step


async def drive(people: list[tuple[int, str, int]], concurrency: int, step: Step) -> tuple[float, float]:
    """Workers take one person at a time and play their path in order; returns wall and CPU seconds."""
    queue = iter(people)

    async def worker() -> None:
        for user_id, code, steps in queue:  # a shared iterator: each person goes to one worker
            try:
                for _kind, label in PATH[:steps]:
                    await step(user_id, code, label)
            except AssertionError as error:  # find_button: the button is not there; this person stops
                STOPPED[str(error)] += 1

    started, cpu = time.perf_counter(), time.process_time()  # CPU of this process, all its threads
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, time.process_time() - cpu


def figures(wall: float, latencies: list[tuple[str | None, float]], label=...) -> tuple[float, float, float]:
    seconds = [dt for kind, dt in latencies if label is ... or kind == label]
    cuts = statistics.quantiles(seconds * 2, n=100, method="inclusive")  # doubled: works for 1 sample too
    return len(seconds) / wall, cuts[49] * 1000, cuts[94] * 1000


async def database(kind: str, workdir: str) -> str:
    if kind == "sqlite":
        url = f"sqlite+aiosqlite:///{workdir}/bench.sqlite3"
    else:
        url = normalise_database_url(os.environ.get("TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)
        await reset_postgres(url)
    await create_tables(url)
    return url


async def staff_codes(h: BotHarness, now, count: int) -> list[str]:
    unit = await seed.unit_with_families(h.session_factory, now)  # "Pérez Soto" is in this unit
    codes = []
    async with h.session_factory() as session:
        for n in range(count):  # jefes see every family of the unit, so each person has a family to open
            codes.append((await units.add_staff(session, unit_id=unit.unit_id, name=f"Persona {n}",
                                                role="jefe", now=now))[1])
        await session.commit()
    return codes


async def count_sql(h: BotHarness, people: list[tuple[int, str, int]], show_sql: bool) -> list[tuple]:
    """One person at a time: SQL statements, transactions, pool checkouts and Bot API calls per update."""
    counter, rows, step = SqlCounter(h.engine), [], ours_step(h, None)
    try:
        for user_id, code, _steps in people:
            rows.clear()
            for kind, label in PATH:
                counter.take()
                calls = len(h.api.calls)
                await step(user_id, code, label)
                counts, statements = counter.take()
                rows.append((kind, counts["statements"], counts["transactions"], counts["checkouts"],
                             len(h.api.calls) - calls, statements))
    finally:
        counter.close()
    for kind, *_numbers, statements in rows if show_sql else ():
        print(f"\n-- {kind}: {len(statements)} statements\n" + "\n".join(f"   {s}" for s in statements))
    return rows  # the last person's, i.e. warmed up


async def main(args: argparse.Namespace) -> None:
    logs = LogCounter(logging.WARNING)
    logging.getLogger().addHandler(logs)
    clock = FakeClock()
    total_people = -(-args.updates // len(PATH))
    with tempfile.TemporaryDirectory(prefix="acompana-bench-") as workdir:
        url = await database(args.database, workdir)
        async with FakeBotAPI(bot_id=BotHarness.BOT_ID) as api:
            h = BotHarness(api, url, clock)
            await h.start()
            try:
                codes = await staff_codes(h, clock(), COUNTED_USERS + total_people)
                people = [(1_000_000 + n, code, len(PATH)) for n, code in enumerate(codes)]
                counted, people = people[:COUNTED_USERS], people[COUNTED_USERS:]
                people[-1] = people[-1][:2] + (args.updates - len(PATH) * (total_people - 1),)
                rows = await count_sql(h, counted, args.show_sql)

                bare, bare_latencies, our_latencies = bare_echo_dispatcher(), [], []
                bare_people = [(2_000_000 + n, code, steps) for n, (_u, code, steps) in enumerate(people)]
                await drive([(1_999_999, "WARMUP", len(PATH))], 1, bare_step(h, bare, None))
                api.clear()
                bare_time = await drive(bare_people, args.concurrency, bare_step(h, bare, bare_latencies))
                bare_calls = len(api.calls)
                api.clear()
                before = logs.count
                our_time = await drive(people, args.concurrency, ours_step(h, our_latencies))
                our_calls, our_logs = len(api.calls), logs.count - before
                finished = sum(1 for user_id, _c, steps in people  # the last person may stop half-way
                               if steps == len(PATH) and "Mis familias" in " ".join(h.buttons(user_id)))
                await bare.fsm.storage.close()
            finally:
                await h.stop()
    logging.getLogger().removeHandler(logs)

    print(f"\n{args.updates} updates ({len(people)} new people, each /start + up to 4 taps), "
          f"concurrency {args.concurrency}, database {args.database}, fake Bot API on 127.0.0.1\n")
    print(f"{'':24}{'updates/s':>10}{'p50 ms':>9}{'p95 ms':>9}{'CPU ms/update':>15}{'Bot API calls':>15}")
    (our_wall, our_cpu), (bare_wall, bare_cpu) = our_time, bare_time
    ours, base = figures(our_wall, our_latencies), figures(bare_wall, bare_latencies)
    for name, (rate, p50, p95), cpu, done, calls in (("ours", ours, our_cpu, len(our_latencies), our_calls),
                                                     ("bare echo", base, bare_cpu, len(bare_latencies), bare_calls)):
        print(f"{name:24}{rate:>10.1f}{p50:>9.1f}{p95:>9.1f}{cpu * 1000 / done:>15.2f}{calls:>15}")
    print(f"ratio (ours / bare echo): {ours[0] / base[0]:.2f}")
    full = sum(1 for *_rest, steps in people if steps == len(PATH))
    print(f"people back at the main menu: {finished}/{full}; warnings/errors logged by the bot: {our_logs}")
    for reason, count in STOPPED.items():
        print(f"{count} people stopped early: {reason}")
    print(f"\nper update of ours: counts with one person at a time, latency from the run above ({args.database})")
    print(f"{'':24}{'SQL stmts':>10}{'transactions':>14}{'checkouts':>11}{'Bot API calls':>15}"
          f"{'p50 ms':>9}{'p95 ms':>9}")
    for (_kind, label), (kind, statements, transactions, checkouts, calls, _) in zip(PATH, rows, strict=True):
        _rate, p50, p95 = figures(our_wall, our_latencies, label)
        print(f"{kind:24}{statements:>10}{transactions:>14}{checkouts:>11}{calls:>15}{p50:>9.1f}{p95:>9.1f}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.updates_throughput", description=__doc__.split("\n")[0])
    parser.add_argument("--updates", type=int, default=2000, help="updates per bot (default 2000)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="sqlite: a fresh temp file; postgresql: TEST_POSTGRES_URL, schema reset first")
    parser.add_argument("--concurrency", type=int, default=20, help="updates in flight at once (default 20)")
    parser.add_argument("--show-sql", action="store_true", help="print the SQL of each update of one person")
    args = parser.parse_args(argv)
    if args.updates < len(PATH) or args.concurrency < 1:
        parser.error(f"--updates must be at least {len(PATH)} and --concurrency at least 1")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
