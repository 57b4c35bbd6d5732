"""Which scheduled messages ("nudges") exist and when they are due, from facts about a family.

Each rule returns the messages due in (now, now + horizon]: one already due is never returned (it
would go out late, at a wrong moment). Every moment is a local wall time of the unit, converted
DST-correctly and then held out of quiet hours. Keys name the cause, its moment and the recipient,
so re-planning yields the same keys and a changed cause (a rescheduled visit, a new deadline) new
ones; the planner cancels pending messages of a scope whose keys are no longer planned.
Blocked recipients get nothing; those with nudges off get only essential messages.
"""
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from program.clock import to_local
from program.nudge_schedule import NudgeSchedule
from program.quiet_hours import local_instant, release_time

UTC = UTC
OPEN_COMMITMENTS = frozenset({"pending", "in_progress"})
COMMITMENT_STATUSES = OPEN_COMMITMENTS | {"done", "not_done"}
BONO_ANSWERS = frozenset({"cobrado", "todavia_no", "problema", "no_cobrado", "no_sabe"})


@dataclass(frozen=True)
class Planned:
    key: str
    kind: str
    account_id: int
    template: str
    args: dict          # JSON-serialisable only
    due_at: datetime    # aware UTC, out of quiet hours
    essential: bool     # sent even to people who turned nudges off
    scope: str          # "family:<id>" or "staff:<id>"


@dataclass(frozen=True)
class Recipient:
    account_id: int
    nudges_off: bool = False
    blocked: bool = False


@dataclass(frozen=True)
class VisitFact:
    visit_id: int
    family_id: int
    at: datetime                       # aware UTC
    recipients: tuple[Recipient, ...]
    staff_name: str = ""


@dataclass(frozen=True)
class CommitmentFact:
    commitment_id: int
    family_id: int
    topic: str
    deadline: date
    status: str                        # pending | in_progress | done | not_done
    recipients: tuple[Recipient, ...]


@dataclass(frozen=True)
class BonoFact:
    family_id: int
    answers: dict[str, str]            # "YYYY-MM" → latest answer for that month
    recipients: tuple[Recipient, ...]  # the representative's accounts
    since: date | None = None          # intake: no question for months before it


def _due(day: date, at: time, tz_name: str, schedule: NudgeSchedule) -> datetime:
    return release_time(local_instant(day, at, tz_name), tz_name,
                        schedule.quiet_start, schedule.quiet_end)


def _in_window(due: datetime, now: datetime, schedule: NudgeSchedule) -> bool:
    return now < due <= now + timedelta(days=schedule.horizon_days)


def _to(recipients: Iterable[Recipient], essential: bool) -> list[int]:
    out: list[int] = []
    for r in recipients:
        if not r.blocked and (essential or not r.nudges_off) and r.account_id not in out:
            out.append(r.account_id)
    return out


def _fan_out(recipients: Iterable[Recipient], *, key: str, kind: str, template: str, args: dict,
             due_at: datetime, essential: bool, scope: str) -> list[Planned]:
    return [Planned(f"{key}:{a}", kind, a, template, dict(args), due_at, essential, scope)
            for a in _to(recipients, essential)]


def _sorted(planned: list[Planned]) -> list[Planned]:
    return sorted(planned, key=lambda p: (p.due_at, p.key))


def visit_reminders(visit: VisitFact, now: datetime, tz_name: str,
                    schedule: NudgeSchedule) -> list[Planned]:
    at = visit.at.astimezone(UTC)
    if at <= now:
        return []
    day = to_local(at, tz_name).date()
    args = {"visit_id": visit.visit_id, "visit_at": at.isoformat(), "staff_name": visit.staff_name}
    common: dict[str, Any] = dict(kind="visit_reminder", args=args, essential=False,
                                  scope=f"family:{visit.family_id}")
    base = f"visit:{visit.visit_id}:{at.isoformat()}"
    out = []
    eve = _due(day - timedelta(days=1), schedule.visit_evening_before, tz_name, schedule)
    # Held by quiet hours into the visit's own day it is no longer an evening-before reminder: it
    # would repeat the morning one, or come too close to (or after) the visit.
    if to_local(eve, tz_name).date() < day and _in_window(eve, now, schedule):
        out += _fan_out(visit.recipients, key=f"{base}:eve", template="visit_evening_before",
                        due_at=eve, **common)
    morning = _due(day, schedule.visit_morning_of, tz_name, schedule)
    lead = timedelta(minutes=schedule.visit_min_lead_minutes)
    if morning <= at - lead and _in_window(morning, now, schedule):
        out += _fan_out(visit.recipients, key=f"{base}:morning", template="visit_morning_of",
                        due_at=morning, **common)
    return _sorted(out)


def commitment_nudges(commitment: CommitmentFact, now: datetime, tz_name: str,
                      schedule: NudgeSchedule) -> list[Planned]:
    if commitment.status not in COMMITMENT_STATUSES:
        raise ValueError(f"unknown commitment status {commitment.status!r}")
    if commitment.status not in OPEN_COMMITMENTS:
        return []
    d = commitment.deadline
    args = {"commitment_id": commitment.commitment_id, "topic": commitment.topic,
            "deadline": d.isoformat()}
    moments = (("commitment_deadline", "commitment_soon",
                d - timedelta(days=schedule.commitment_days_before)),
               ("commitment_deadline", "commitment_today", d),
               ("commitment_overdue", "commitment_overdue",
                d + timedelta(days=schedule.commitment_overdue_days)))
    out = []
    for kind, template, day in moments:
        due = _due(day, schedule.commitment_at, tz_name, schedule)
        if _in_window(due, now, schedule):
            out += _fan_out(commitment.recipients, kind=kind, template=template, args=args,
                            key=f"commitment:{commitment.commitment_id}:{d.isoformat()}:{template}",
                            due_at=due, essential=False, scope=f"family:{commitment.family_id}")
    return _sorted(out)


def _months(first: date, last: date) -> Iterable[date]:
    m = first.replace(day=1)
    while m <= last:
        yield m
        m = (m + timedelta(days=32)).replace(day=1)


def bono_questions(bono: BonoFact, now: datetime, tz_name: str,
                   schedule: NudgeSchedule) -> list[Planned]:
    if bad := sorted(set(bono.answers.values()) - BONO_ANSWERS):
        raise ValueError(f"unknown bono answers {bad!r}")
    today = to_local(now, tz_name).date()
    # From last month (its second ask may fall in this one) to the horizon's month.
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if bono.since is not None:
        first = max(first, bono.since.replace(day=1))
    last = to_local(now + timedelta(days=schedule.horizon_days), tz_name).date()
    out = []
    for month in _months(first, last):
        label = month.strftime("%Y-%m")
        answer = bono.answers.get(label)
        ask_day = month.replace(day=schedule.bono_day)
        asks = ((1, ask_day, answer is None),
                (2, ask_day + timedelta(days=schedule.bono_second_ask_days),
                 answer in (None, "todavia_no")))
        for ask, day, wanted in asks:
            due = _due(day, schedule.bono_at, tz_name, schedule)
            if wanted and _in_window(due, now, schedule):
                out += _fan_out(bono.recipients, key=f"bono:{bono.family_id}:{label}:{ask}",
                                kind="bono_question",
                                template="bono_question" if ask == 1 else "bono_second_ask",
                                args={"month": label, "family_id": bono.family_id, "ask": ask},
                                due_at=due, essential=True, scope=f"family:{bono.family_id}")
    return _sorted(out)


def bono_escalations(bono: BonoFact, staff: tuple[Recipient, ...], family_label: str, now: datetime,
                     tz_name: str, schedule: NudgeSchedule) -> list[Planned]:
    """Still not collected (no answer, or "todavía no") as long after the second ask as that one came
    after the first: the Gestor Familiar hears of it, before the payment lapses. Essential."""
    today = to_local(now, tz_name).date()
    first = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    if bono.since is not None:
        first = max(first, bono.since.replace(day=1))
    out = []
    for month in _months(first, today):
        label = month.strftime("%Y-%m")
        if bono.answers.get(label) not in (None, "todavia_no"):
            continue
        day = month.replace(day=schedule.bono_day) + timedelta(days=2 * schedule.bono_second_ask_days)
        due = _due(day, schedule.bono_at, tz_name, schedule)
        if _in_window(due, now, schedule):
            out += _fan_out(staff, key=f"bono_escalation:{bono.family_id}:{label}", kind="bono_alert",
                            template="bono_escalation",
                            args={"month": label, "family_id": bono.family_id, "family": family_label},
                            due_at=due, essential=True, scope=f"family:{bono.family_id}")
    return _sorted(out)


@dataclass(frozen=True)
class GroupFact:
    group_id: int
    family_id: int
    starts_at: datetime  # aware UTC
    recipients: tuple[Recipient, ...]
    args: dict  # what the reminder says: the session's code, name, place


def group_reminders(group: GroupFact, now: datetime, tz_name: str, schedule: NudgeSchedule) -> list[Planned]:
    """The evening before a group session, to those who said yes and those who did not answer."""
    at = group.starts_at.astimezone(UTC)
    day = to_local(at, tz_name).date()
    due = _due(day - timedelta(days=1), schedule.visit_evening_before, tz_name, schedule)
    if at <= now or to_local(due, tz_name).date() >= day or not _in_window(due, now, schedule):
        return []
    return _fan_out(group.recipients, key=f"group:{group.group_id}:{at.isoformat()}:eve", kind="group_reminder",
                    template="group_reminder", args=dict(group.args), due_at=due, essential=False,
                    scope=f"family:{group.family_id}")


def _has_news(content: dict) -> bool:
    return any(bool(v) for v in content.values() if isinstance(v, (list, tuple, dict)))


def _next_staff_message(kind: str, weekdays: tuple[int, ...], at: time, account_id: int,
                        staff_id: int, now: datetime, tz_name: str, schedule: NudgeSchedule,
                        content: dict, nudges_off: bool, blocked: bool) -> list[Planned]:
    if not _has_news(content):
        return []
    today = to_local(now, tz_name).date()
    for day in (today + timedelta(days=n) for n in range(9)):
        if day.weekday() not in weekdays:
            continue
        due = _due(day, at, tz_name, schedule)
        if due <= now:
            continue
        if not _in_window(due, now, schedule):
            return []
        prefix = "weekly" if kind == "weekly_summary" else kind
        return _fan_out([Recipient(account_id, nudges_off, blocked)], kind=kind, template=kind,
                        key=f"{prefix}:{staff_id}:{day.isoformat()}", args=content, due_at=due,
                        essential=False, scope=f"staff:{staff_id}")
    return []


def digest(account_id: int, staff_id: int, now: datetime, tz_name: str, schedule: NudgeSchedule,
           content: dict, *, nudges_off: bool = False, blocked: bool = False) -> list[Planned]:
    """The professional's next daily digest (one message), if ``content`` has anything to say."""
    return _next_staff_message("digest", schedule.digest_weekdays, schedule.digest_at, account_id,
                               staff_id, now, tz_name, schedule, content, nudges_off, blocked)


def weekly_summary(account_id: int, staff_id: int, now: datetime, tz_name: str,
                   schedule: NudgeSchedule, content: dict, *, nudges_off: bool = False,
                   blocked: bool = False) -> list[Planned]:
    """The professional's next weekly summary (one message), if ``content`` has anything to say."""
    return _next_staff_message("weekly_summary", (schedule.weekly_weekday,), schedule.weekly_at,
                               account_id, staff_id, now, tz_name, schedule, content,
                               nudges_off, blocked)
