"""The planner at country scale: plan_all for --families families and 10 commitments each, next to a bare SELECT.

    python -m bench.planner_scale [--families 100000] [--commitments-per-family 10] [--database sqlite|postgresql]

Data straight into the tables (multi-row Core inserts, 10,000 rows a statement batch): units of 250
families; one AFI per 50 families with a linked chat account; each family active (intake 1–17 months
ago) with one representative, linked and with consent; --commitments-per-family commitments with
deadlines spread over ±60 days (80 % open: pending or in progress); one planned visit in the next 14
days. Then, at a fixed `now` (2026-12-01 15:00 UTC, noon in Santiago): the bare select (per unit, the
open commitments with a deadline inside the planning window and the planned visits after now, with
the planner's filters, as plain tuples), plan_all (first run: creates the outbox rows), plan_all again
one minute later (re-planning: must create nothing), and the bare select again. On PostgreSQL the
tables are ANALYZEd after loading, and the outbox every --analyze-every seconds while the planner
runs (autovacuum's job in production; it is off on the bench server). Nothing is asserted;
everything is closed and the temporary SQLite file removed.
"""
import argparse
import asyncio
import random
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time

from sqlalchemy import event, func, insert, select, text
from sqlmodel import col

from bench.outbox_common import fresh_database
from program.nudge_schedule import load_schedule
from program.quiet_hours import local_instant
from services import planner
from storage.engine import make_engine, make_session_factory
from storage.models import ChatAccount, Family, Member, Staff, Unit
from storage.outbox import OutboxMessage
from storage.planner_repo import OPEN
from storage.records import Commitment, Visit

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)
TZ = "America/Santiago"
TODAY = date(2026, 12, 1)  # NOW in Santiago
PER_UNIT, PER_AFI, CHUNK = 250, 50, 10_000
STATUSES = ("pending",) * 6 + ("in_progress",) * 2 + ("done", "not_done")
DIMENSIONS = ("salud", "educacion", "trabajo", "vivienda", "ingresos")


class SqlTimer:
    """Statements run and seconds spent inside them (cursor execute, waits for the database included)."""

    def __init__(self, engine) -> None:
        self.engine, self.statements, self.seconds, self._started = engine.sync_engine, 0, 0.0, []
        event.listen(self.engine, "before_cursor_execute", self._before)
        event.listen(self.engine, "after_cursor_execute", self._after)

    def _before(self, *_args) -> None:
        self._started.append(time.perf_counter())

    def _after(self, *_args) -> None:
        self.statements += 1
        self.seconds += time.perf_counter() - self._started.pop()

    def take(self) -> tuple[int, float]:
        (statements, seconds), self.statements, self.seconds = (self.statements, self.seconds), 0, 0.0
        return statements, seconds

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)
        event.remove(self.engine, "after_cursor_execute", self._after)


async def bulk(connection, model, rows) -> int:
    for start in range(0, len(rows), CHUNK):
        await connection.execute(insert(model.__table__), rows[start:start + CHUNK])
    return len(rows)


async def generate(engine, families: int, per_family: int, seed: int) -> dict[str, int]:
    rng, made = random.Random(seed), time.perf_counter()
    units, staff = -(-families // PER_UNIT), -(-families // PER_AFI)
    counts = {}
    async with engine.begin() as c:
        counts["unit"] = await bulk(c, Unit, [{"id": u, "comuna": f"Comuna {u}", "name": f"UIF {u}", "timezone": TZ,
                                               "created_at": NOW} for u in range(1, units + 1)])
        counts["staff"] = await bulk(c, Staff, [{"id": s, "unit_id": (s - 1) * PER_AFI // PER_UNIT + 1,
                                                 "name": f"AFI {s}", "role": "afi", "active": True, "created_at": NOW}
                                                for s in range(1, staff + 1)])
        counts["family"] = await bulk(c, Family, [
            {"id": f, "unit_id": (f - 1) // PER_UNIT + 1, "code": f"F-{f:06d}", "family_name": f"Familia {f}",
             "trajectory": "aps", "status": "active", "afi_id": (f - 1) // PER_AFI + 1,
             "intake_date": TODAY - timedelta(days=30 + f % 500), "created_at": NOW} for f in range(1, families + 1)])
        counts["member"] = await bulk(c, Member, [
            {"id": f, "family_id": f, "given_names": "Persona", "surnames": f"Familia {f}", "relation": "jefa de hogar",
             "is_representative": True, "is_bono_collector": True, "is_asl_participant": False, "created_at": NOW}
            for f in range(1, families + 1)])
        accounts = [{"id": s, "telegram_user_id": 1_000_000 + s, "chat_id": 1_000_000 + s, "language": "es",
                     "staff_id": s, "member_id": None, "consent_at": None, "nudges_opt_out": False, "created_at": NOW}
                    for s in range(1, staff + 1)]
        accounts += [{"id": staff + f, "telegram_user_id": 10_000_000 + f, "chat_id": 10_000_000 + f, "language": "es",
                      "staff_id": None, "member_id": f, "consent_at": NOW - timedelta(days=30), "nudges_opt_out": False,
                      "created_at": NOW} for f in range(1, families + 1)]
        counts["chat_account"] = await bulk(c, ChatAccount, accounts)
        counts["visit"] = await bulk(c, Visit, [
            {"family_id": f, "staff_id": (f - 1) // PER_AFI + 1, "status": "planned", "created_at": NOW,
             "updated_at": NOW, "at": local_instant(TODAY + timedelta(days=rng.randint(1, 14)),
                                                    clock_time(rng.randint(9, 16), rng.choice((0, 30))), TZ)}
            for f in range(1, families + 1)])
        counts["commitment"] = 0
        step = max(CHUNK // max(per_family, 1), 1)  # families per chunk: generated a chunk at a time
        for first in range(1, families + 1, step):
            last = min(first + step, families + 1)
            counts["commitment"] += await bulk(c, Commitment, [
                {"family_id": f, "plan": "familiar", "dimension": DIMENSIONS[k % 5], "topic": f"Compromiso {k + 1}",
                 "resources": "", "action": "Acción acordada", "responsible": "family", "status": rng.choice(STATUSES),
                 "deadline": TODAY + timedelta(days=rng.randint(-60, 60)), "created_at": NOW, "updated_at": NOW}
                for f in range(first, last) for k in range(per_family)])
        if c.dialect.name == "postgresql":
            await c.execute(text("ANALYZE"))
    counts["seconds"] = time.perf_counter() - made
    return counts


async def bare_select(engine) -> tuple[float, int, int]:
    """Per unit, the rows the planner reads facts from: open commitments due in the window, planned visits."""
    schedule = load_schedule()
    window_from = TODAY - timedelta(days=schedule.commitment_overdue_days + 1)
    window_to = TODAY + timedelta(days=schedule.horizon_days + schedule.commitment_days_before)
    started, commitments, visits = time.perf_counter(), 0, 0
    async with engine.connect() as c:
        unit_ids = (await c.execute(select(Unit.id).order_by(Unit.id))).scalars().all()
        for unit_id in unit_ids:
            families = select(Family.id).where(Family.unit_id == unit_id, Family.status == "active")
            commitments += len((await c.execute(select(
                Commitment.id, Commitment.family_id, Commitment.topic, Commitment.deadline, Commitment.status,
                Commitment.responsible, Commitment.member_id, Commitment.responsible_member_id).where(
                col(Commitment.family_id).in_(families), col(Commitment.status).in_(OPEN),
                col(Commitment.deadline).is_not(None), Commitment.deadline >= window_from,
                Commitment.deadline <= window_to))).all())
            visits += len((await c.execute(select(Visit.id, Visit.family_id, Visit.staff_id, Visit.at).where(
                col(Visit.family_id).in_(families), Visit.status == "planned", Visit.at > NOW))).all())
    return time.perf_counter() - started, commitments, visits


async def autoanalyze(engine, every: float) -> None:
    """PostgreSQL, on an engine of its own: ANALYZE outbox every `every` s while the planner runs (at most an hour), as autovacuum
    does in production (autovacuum_naptime 1 min). Without it (autovacuum is off on the bench server)
    the outbox keeps the statistics of an empty table, and asyncpg's prepared statements keep a
    generic plan made when it was small (a sequential scan per dedupe-key lookup)."""
    deadline = time.monotonic() + 3600
    try:
        while time.monotonic() < deadline:
            await asyncio.sleep(every)
            async with engine.begin() as c:
                await c.execute(text("ANALYZE outbox"))
    finally:
        await engine.dispose()


async def timed_plan(session_factory, timer: SqlTimer, now: datetime):
    timer.take()
    started = time.perf_counter()
    result = await planner.plan_all(session_factory, now=now)
    return result, time.perf_counter() - started, *timer.take()


async def main(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="acompana-bench-") as workdir:
        url = await fresh_database(args.database, workdir)
        engine = make_engine(url)
        timer = SqlTimer(engine)
        try:
            counts = await generate(engine, args.families, args.commitments_per_family, args.seed)
            print(f"\ndata ({args.database}): " + ", ".join(f"{k} {v:,}" for k, v in counts.items() if k != "seconds")
                  + f"; generated in {counts['seconds']:.1f} s", flush=True)
            bare_before = await bare_select(engine)
            analyzer = asyncio.create_task(autoanalyze(make_engine(url), args.analyze_every)) if args.database == "postgresql" \
                else None
            first = await timed_plan(make_session_factory(engine), timer, NOW)
            print(f"first plan_all done in {first[1]:.1f} s", flush=True)
            second = await timed_plan(make_session_factory(engine), timer, NOW + timedelta(minutes=1))
            if analyzer is not None:
                analyzer.cancel()
                await asyncio.gather(analyzer, return_exceptions=True)
            bare_after = await bare_select(engine)
            async with engine.connect() as c:
                outbox_rows = (await c.execute(select(OutboxMessage.kind, func.count()).group_by(OutboxMessage.kind)
                                               .order_by(OutboxMessage.kind))).all()
        finally:
            timer.close()
            await engine.dispose()

    units = counts["unit"]
    print(f"\nplanner at {args.families:,} families ({units} units), {counts['commitment']:,} commitments, "
          f"{args.database}, now = {NOW:%Y-%m-%d %H:%M} UTC\n")
    print(f"{'':30}{'seconds':>9}{'ms/unit':>9}{'SQL stmts':>11}{'SQL s':>8}{'created':>9}{'updated':>9}"
          f"{'cancelled':>11}{'planned':>9}")
    for name, (result, seconds, statements, sql_seconds) in (("plan_all, first run", first),
                                                              ("plan_all, re-planning +1 min", second)):
        print(f"{name:30}{seconds:>9.1f}{seconds * 1000 / units:>9.1f}{statements:>11}{sql_seconds:>8.1f}"
              f"{result.created:>9}{result.updated:>9}{result.cancelled:>11}{result.planned:>9}")
    for name, (seconds, commitments, visits) in (("bare select, before", bare_before),
                                                 ("bare select, after", bare_after)):
        print(f"{name:30}{seconds:>9.2f}{seconds * 1000 / units:>9.1f}{2 * units:>11}"
              f"{'':>8}  rows: {commitments:,} commitments + {visits:,} visits")
    print(f"ratio (plan_all first / bare select before): {first[1] / bare_before[0]:.0f}; "
          f"(re-planning / bare select after): {second[1] / bare_after[0]:.0f}")
    print(f"outbox rows by kind: {dict(outbox_rows)}; planned by kind (first run): {first[0].by_kind}")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.planner_scale", description=__doc__.split("\n")[0])
    parser.add_argument("--families", type=int, default=100_000, help="families (default 100000)")
    parser.add_argument("--commitments-per-family", type=int, default=10, help="commitments per family (default 10)")
    parser.add_argument("--analyze-every", type=float, default=10.0,
                        help="PostgreSQL: seconds between the ANALYZE outbox that stand in for autovacuum (default 10)")
    parser.add_argument("--seed", type=int, default=0, help="RNG seed of the generated data (default 0)")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite",
                        help="sqlite: a fresh temp file; postgresql: TEST_POSTGRES_URL, schema reset first")
    args = parser.parse_args(argv)
    if args.families < 1 or args.commitments_per_family < 0:
        parser.error("--families must be at least 1 and --commitments-per-family at least 0")
    return args


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
