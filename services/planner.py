"""The planner: from what the database says (visits, commitments, bono answers, caseloads) to outbox rows,
through the pure rules of program/nudge_rules.py. Run hourly for every unit, and for one family right
after a change (a session recorded, a commitment or a bono answered), in that change's transaction.

Re-planning never duplicates: each message has a dedupe key. A pending message whose cause disappeared
(a visit rescheduled, a commitment done, the bono confirmed) is cancelled; one already tried (a retry in
progress) is left to the dispatcher.
"""
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.clock import to_local
from program.nudge_rules import (
    BonoFact, CommitmentFact, GroupFact, Planned, Recipient, VisitFact, bono_escalations, bono_questions,
    commitment_nudges, digest, group_reminders, visit_reminders, weekly_summary,
)
from program.nudge_schedule import NudgeSchedule
from program.roles import Role
from services.group_messages import session_args
from services.message_buttons import bono_buttons
from services.nudge_settings import quiet_hours_text, schedule_for
from services.planner_digest import digest_content, weekly_content
from storage import outbox_repo, people_repo, planner_repo
from storage.models import ChatAccount, Unit

# How long after its moment a message still makes sense (the dispatcher skips it after that).
EXPIRES = {"commitment_deadline": timedelta(days=1), "commitment_overdue": timedelta(days=2),
           "bono_question": timedelta(days=20), "digest": timedelta(hours=10), "weekly_summary": timedelta(days=2)}


@dataclass
class PlanResult:
    planned: int = 0
    created: int = 0
    updated: int = 0
    cancelled: int = 0
    units: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)

    def add(self, other: "PlanResult") -> None:
        self.planned += other.planned
        self.created += other.created
        self.updated += other.updated
        self.cancelled += other.cancelled
        self.units += other.units
        for kind, count in other.by_kind.items():
            self.by_kind[kind] = self.by_kind.get(kind, 0) + count


def _recipient(account: ChatAccount) -> Recipient:
    return Recipient(account.id, nudges_off=account.nudges_opt_out, blocked=account.blocked_at is not None)


def _months(today: date, schedule: NudgeSchedule) -> list[str]:
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    last = today + timedelta(days=schedule.horizon_days)
    months, month = [], first
    while month <= last:
        months.append(month.strftime("%Y-%m"))
        month = (month + timedelta(days=32)).replace(day=1)
    return months


async def _family_plan(session: AsyncSession, *, unit: Unit, schedule: NudgeSchedule, now: datetime,
                       family_ids: list[int] | None) -> tuple[list[Planned], set[str], dict[int, ChatAccount]]:
    tz = unit.timezone
    today = to_local(now, tz).date()
    families = await planner_repo.active_families(session, unit_id=unit.id, family_ids=family_ids)
    scopes = {f"family:{family_id}" for family_id in (family_ids or [])} | {f"family:{f.id}" for f in families}
    by_family: dict[int, list[tuple]] = defaultdict(list)
    accounts: dict[int, ChatAccount] = {}
    for family_id, member, account in await planner_repo.family_accounts(session, unit_id=unit.id,
                                                                          family_ids=family_ids):
        by_family[family_id].append((member, account))
        accounts[account.id] = account

    def everyone(family_id: int) -> tuple[Recipient, ...]:
        return tuple(_recipient(account) for _member, account in by_family.get(family_id, ()))

    def member_or_family(family_id: int, member_id: int | None) -> tuple[Recipient, ...]:
        own = tuple(_recipient(a) for m, a in by_family.get(family_id, ()) if m.id == member_id)
        return own or everyone(family_id)

    def representative(family_id: int) -> tuple[Recipient, ...]:
        linked = by_family.get(family_id, ())
        chosen = [a for m, a in linked if m.is_representative] or [a for m, a in linked if m.is_bono_collector]
        return tuple(_recipient(a) for a in chosen)

    planned: list[Planned] = []
    staff_names = {staff.id: staff.name for staff in await people_repo.list_staff(session, unit_id=unit.id)}
    for visit in await planner_repo.planned_visits(session, unit_id=unit.id, after=now, family_ids=family_ids):
        fact = VisitFact(visit.id, visit.family_id, visit.at, everyone(visit.family_id),
                         staff_names.get(visit.staff_id, ""))
        planned += visit_reminders(fact, now, tz, schedule)
    for invitation, group in await planner_repo.upcoming_invitations(session, unit_id=unit.id, after=now,
                                                                     family_ids=family_ids):
        linked = by_family.get(invitation.family_id, ())
        chosen = [a for m, a in linked if (m.is_asl_participant if group.track == "asl" else m.is_representative)]
        if not chosen and group.track != "asl":
            chosen = [a for _m, a in linked]
        fact = GroupFact(group.id, invitation.family_id, group.starts_at, tuple(_recipient(a) for a in chosen),
                         session_args(group))
        planned += group_reminders(fact, now, tz, schedule)
    window_from = today - timedelta(days=schedule.commitment_overdue_days + 1)
    window_to = today + timedelta(days=schedule.horizon_days + schedule.commitment_days_before)
    for c in await planner_repo.open_commitments(session, unit_id=unit.id, deadline_from=window_from,
                                                 deadline_to=window_to, family_ids=family_ids):
        if c.responsible == "program":  # the program's own tasks go to the professional's digest
            continue
        recipients = member_or_family(c.family_id, c.responsible_member_id or c.member_id)
        planned += commitment_nudges(CommitmentFact(c.id, c.family_id, c.topic, c.deadline, c.status, recipients),
                                     now, tz, schedule)
    answers: dict[int, dict[str, str]] = defaultdict(dict)
    for row in await planner_repo.bono_answers(session, unit_id=unit.id, months=_months(today, schedule),
                                               family_ids=family_ids):
        answers[row.family_id][row.month] = row.answer
    staff_accounts: dict[int, list[ChatAccount]] = defaultdict(list)
    for staff, account in await planner_repo.staff_accounts(session, unit_id=unit.id):
        staff_accounts[staff.id].append(account)
    for family in families:
        recipients = representative(family.id)
        if not recipients:
            continue
        fact = BonoFact(family.id, dict(answers.get(family.id, {})), recipients, since=family.intake_date)
        planned += bono_questions(fact, now, tz, schedule)
        watchers = staff_accounts.get(family.gestor_familiar_id) or staff_accounts.get(family.afi_id) or []
        accounts.update({account.id: account for account in watchers})
        planned += bono_escalations(fact, tuple(_recipient(a) for a in watchers),
                                    f"{family.family_name} · {family.code}", now, tz, schedule)
    return planned, scopes, accounts


async def _staff_plan(session: AsyncSession, *, unit: Unit, schedule: NudgeSchedule,
                      now: datetime) -> tuple[list[Planned], set[str], dict[int, ChatAccount]]:
    planned: list[Planned] = []
    scopes: set[str] = set()
    accounts: dict[int, ChatAccount] = {}
    for staff, account in await planner_repo.staff_accounts(session, unit_id=unit.id):
        scopes.add(f"staff:{staff.id}")
        accounts[account.id] = account
        actor = Actor(role=Role(staff.role), unit_id=unit.id, staff_id=staff.id)
        off, blocked = account.nudges_opt_out, account.blocked_at is not None
        content = await digest_content(session, actor=actor, unit=unit, schedule=schedule, now=now)
        planned += digest(account.id, staff.id, now, unit.timezone, schedule, content, nudges_off=off,
                          blocked=blocked)
        if actor.role is Role.JEFE:
            weekly = await weekly_content(session, unit=unit, schedule=schedule, now=now)
            planned += weekly_summary(account.id, staff.id, now, unit.timezone, schedule, weekly,
                                      nudges_off=off, blocked=blocked)
    return planned, scopes, accounts


def _row(p: Planned, account: ChatAccount, unit: Unit, schedule: NudgeSchedule) -> dict:
    expires = p.due_at + EXPIRES[p.kind] if p.kind in EXPIRES else None
    if p.kind == "visit_reminder":
        expires = datetime.fromisoformat(p.args["visit_at"])
    elif p.kind == "group_reminder":
        expires = datetime.fromisoformat(p.args["starts_at"])
    buttons = bono_buttons(p.args["month"]) if p.kind == "bono_question" else []
    return {"account_id": p.account_id, "chat_id": account.chat_id, "kind": p.kind, "template": p.template,
            "args": p.args, "buttons": buttons, "essential": p.essential, "scope": p.scope, "source": "planner",
            "due_at": p.due_at, "expires_at": expires, "timezone": unit.timezone,
            "quiet_hours": quiet_hours_text(schedule), "dedupe_key": p.key}


async def _sync(session: AsyncSession, *, planned: list[Planned], scopes: set[str], accounts: dict[int, ChatAccount],
                unit: Unit, schedule: NudgeSchedule, now: datetime) -> PlanResult:
    rows = {p.key: _row(p, accounts[p.account_id], unit, schedule) for p in planned if p.account_id in accounts}
    result = PlanResult(planned=len(rows), units=1)
    for p in planned:
        result.by_kind[p.kind] = result.by_kind.get(p.kind, 0) + 1
    found = await outbox_repo.existing(session, keys=rows)
    result.created = await outbox_repo.enqueue(session, [row for key, row in rows.items() if key not in found])
    for key, existing in found.items():
        row = rows[key]
        changed = {name: row[name] for name in ("due_at", "args", "expires_at", "quiet_hours", "chat_id")
                   if getattr(existing, name) != row[name]}
        if changed and existing.status == "pending" and existing.attempts == 0:
            await outbox_repo.refresh_pending(session, row=existing, values=changed, now=now)
            result.updated += 1
    stale = [row.id for row in await outbox_repo.pending_planned(session, scopes=scopes)
             if row.dedupe_key not in rows and row.attempts == 0 and row.due_at > now]
    result.cancelled = await outbox_repo.cancel(session, ids=stale, now=now, reason="no longer planned")
    return result


async def plan_unit(session: AsyncSession, *, unit: Unit, now: datetime) -> PlanResult:
    schedule = schedule_for(unit)
    family_planned, family_scopes, family_accounts = await _family_plan(session, unit=unit, schedule=schedule,
                                                                        now=now, family_ids=None)
    staff_planned, staff_scopes, staff_accounts = await _staff_plan(session, unit=unit, schedule=schedule, now=now)
    return await _sync(session, planned=family_planned + staff_planned, scopes=family_scopes | staff_scopes,
                       accounts=family_accounts | staff_accounts, unit=unit, schedule=schedule, now=now)


async def plan_family(session: AsyncSession, *, family_id: int, now: datetime) -> PlanResult:
    """After a change to one family: its reminders follow at once (its professionals' digests, hourly)."""
    family = await people_repo.get_family(session, family_id=family_id)
    if family is None:
        return PlanResult()
    unit = await people_repo.get_unit(session, unit_id=family.unit_id)
    schedule = schedule_for(unit)
    planned, scopes, accounts = await _family_plan(session, unit=unit, schedule=schedule, now=now,
                                                   family_ids=[family_id])
    return await _sync(session, planned=planned, scopes=scopes, accounts=accounts, unit=unit, schedule=schedule,
                       now=now)


async def plan_all(session_factory: async_sessionmaker, *, now: datetime) -> PlanResult:
    """Every unit, each in its own short transaction (a unit's failure does not hold back the others)."""
    total = PlanResult()
    async with session_factory() as session:
        unit_ids = [unit.id for unit in await people_repo.list_units(session)]
    for unit_id in unit_ids:
        async with session_factory() as session, session.begin():
            unit = await people_repo.get_unit(session, unit_id=unit_id)
            total.add(await plan_unit(session, unit=unit, now=now))
    return total
