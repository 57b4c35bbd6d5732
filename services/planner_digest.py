"""What a professional's morning digest and the jefe/a's weekly summary say, computed when planning
(and refreshed every hour until sent). Names are the family's name and code, as in "Mis familias"."""
from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.clock import to_local
from program.nudge_schedule import NudgeSchedule
from program.roles import Role
from program.trajectory import TERMINAL_STAGES
from services import caseload
from storage import corrections_repo, people_repo, planner_repo
from storage.models import Family

MAX_LINES = 15  # per section: a digest is read on a phone; the rest is in "Mis familias"
BONO_PROBLEMS = ("no_cobrado", "problema", "no_sabe", "todavia_no")


def _next_digest_day(now: datetime, tz: str, schedule: NudgeSchedule) -> date:
    local = to_local(now, tz)
    day = local.date()
    if local.time() >= schedule.digest_at:
        day += timedelta(days=1)
    while day.weekday() not in schedule.digest_weekdays:
        day += timedelta(days=1)
    return day


def _label(family: Family) -> str:
    return f"{family.family_name} · {family.code}"


def _recent_months(day: date) -> tuple[str, str]:
    previous = (day.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return previous, day.strftime("%Y-%m")


async def digest_content(session: AsyncSession, *, actor: Actor, unit, schedule: NudgeSchedule,
                         now: datetime) -> dict:
    tz = unit.timezone
    day = _next_digest_day(now, tz, schedule)
    rows = await caseload.caseload(session, actor=actor, today=day)
    families = {f.id: f for f in await caseload.my_families(session, actor=actor)}
    mine = set(families)
    visits = await planner_repo.staff_planned_visits(session, staff_id=actor.staff_id, since=now)
    today_visits = [{"time": to_local(v.at, tz).strftime("%H:%M"), "family": _label(families[v.family_id])}
                    for v in visits if to_local(v.at, tz).date() == day and v.family_id in families]
    overdue = [{"family": f"{r.family_name} · {r.code}", "code": r.next.code if r.next else ""}
               for r in rows if r.overdue and r.stage not in TERMINAL_STAGES]
    recent = _recent_months(day)
    bono = [{"family": f"{r.family_name} · {r.code}"} for r in rows
            if r.bono and r.bono[0] in recent and r.bono[1] in BONO_PROBLEMS]
    program = [{"family": _label(families[c.family_id]), "topic": c.topic[:80]}
               for c in await planner_repo.overdue_program_commitments(session, unit_id=unit.id, before=day)
               if c.family_id in mine]
    blocked = [{"family": _label(families[family_id])}
               for family_id in sorted(await planner_repo.blocked_families(session, unit_id=unit.id))
               if family_id in mine]
    # Rectification requests (Ley 21.719) wait for the family's AFI (or the jefe) until marked done.
    corrections = [{"family": _label(families[family_id])}
                   for family_id in sorted(await corrections_repo.families_with_open_requests(session,
                                                                                               unit_id=unit.id))
                   if family_id in mine and actor.role in (Role.AFI, Role.JEFE)]
    sections = {"visits": today_visits, "overdue": overdue, "bono_problems": bono,
                "program_commitments": program, "blocked": blocked, "corrections": corrections}
    more = any(len(lines) > MAX_LINES for lines in sections.values())
    return {"day": day.isoformat(), **{key: lines[:MAX_LINES] for key, lines in sections.items()}, "more": more}


async def weekly_content(session: AsyncSession, *, unit, schedule: NudgeSchedule, now: datetime) -> dict:
    tz = unit.timezone
    today = to_local(now, tz).date()
    jefe = Actor(role=Role.JEFE, unit_id=unit.id)
    rows = await caseload.caseload(session, actor=jefe, today=today)
    statuses = await people_repo.family_status_counts(session, unit_id=unit.id)
    sessions = await planner_repo.sessions_held_after(session, unit_id=unit.id, after=today - timedelta(days=7))
    linked = {family_id for family_id, _member, _account in await planner_repo.family_accounts(session,
                                                                                              unit_id=unit.id)}
    active_ids = await planner_repo.active_family_ids(session, unit_id=unit.id)
    recent = _recent_months(today)
    counts = {
        "active": statuses.get("active", 0),
        "sessions_7d": sessions,
        "overdue": sum(1 for r in rows if r.overdue and r.stage not in TERMINAL_STAGES),
        "bono_problems": sum(1 for r in rows if r.bono and r.bono[0] in recent and r.bono[1] in BONO_PROBLEMS),
        "blocked": len(await planner_repo.blocked_families(session, unit_id=unit.id)),
        "unlinked": len(active_ids - linked),
    }
    return {"day": today.isoformat(), "counts": counts, **counts}
