"""Recording a session ("Registrar sesión"): which family, which session, the form, and the save.

The write lives in services.session_record_write (re-exported here); the checks shared by both in
services.session_record_checks.
"""
import unicodedata
from dataclasses import dataclass
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_edit_family
from program.catalog import Session
from program.matriz import Indicator
from program.roles import STAFF_ROLES, Role
from program.trajectory import OUTCOMES, TRAJECTORIES, Due, Progress, RecordedSession, next_due_by_role, progress
from services import audit
from services.errors import NotAllowed
from services.indicators import indicators_for_unit
from services.onboarding import family_scope
from services.program_data import cadence, catalog
from services.session_record_checks import (
    CLOSED_STATUSES,
    editable_family,
    in_trajectory,
    is_adult,
    may_record,
    member_name,
    recordable_session,
)
from services.session_record_write import record_session
from storage import people_repo, records_repo
from storage.models import Family

__all__ = ["CommitmentView", "FamilyRow", "MemberOption", "RecordForm", "SessionChoice", "families_for_recording",
           "record_form", "record_session", "session_choices"]


@dataclass(frozen=True)
class FamilyRow:
    family_id: int
    family_name: str
    code: str
    stage: str  # program.trajectory stage: ingreso, construccion_planes, ..., cierre
    next_code: str | None  # the next session this actor records for the family
    overdue: bool  # a session of this actor's is overdue
    due: bool  # a session of this actor's is due now
    next_track: str | None = None  # aps | asl: "S1" alone is ambiguous for APS + ASL families


@dataclass(frozen=True)
class SessionChoice:
    track: str
    code: str
    name: str
    suggested: bool


@dataclass(frozen=True)
class MemberOption:
    member_id: int
    name: str
    adult: bool  # 18 or older today; True when the birth date is unknown
    is_asl_participant: bool


@dataclass(frozen=True)
class CommitmentView:
    commitment_id: int
    plan: str
    dimension: str
    topic: str
    action: str
    responsible: str
    member_name: str | None  # the responsible member, when responsible == "member"
    deadline: date | None
    status: str


@dataclass(frozen=True)
class RecordForm:
    family_id: int
    family_name: str
    track: str
    code: str
    session: Session
    members: list[MemberOption]
    commitments: list[CommitmentView]
    indicators: dict[str, list[Indicator]]  # by dimension id
    bono_month: str  # "2026-11"


def _fold(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _progress(family: Family, outcomes: list[tuple], today: date) -> Progress:
    trajectory = family.trajectory if family.trajectory in TRAJECTORIES else "aps"
    recorded = [RecordedSession(*row) for row in outcomes if row[3] in OUTCOMES]
    return progress(catalog=catalog(), cadence=cadence(), trajectory=trajectory, intake=family.intake_date,
                    recorded=recorded, today=today)


def _mine(role: Role, due: Due) -> bool:
    return may_record(role, catalog().session(due.track, due.code))


def _next_for(role: Role, p: Progress) -> list[Due]:
    """The next session per track (APS, then ASL) this role records, earliest first."""
    found = []
    for track in ("aps", "asl"):
        mine = Progress(p.stage, p.done, tuple(d for d in p.due if d.track == track and _mine(role, d)), (),
                        tuple(d for d in p.upcoming if d.track == track and _mine(role, d)))
        if role is Role.JEFE:  # stands in for any role: the first one due
            found += list(mine.due + mine.upcoming)[:1]
        elif (due := next_due_by_role(mine).get(str(role))) is not None:
            found.append(due)
    return sorted(found, key=lambda d: d.due_from)


async def families_for_recording(session: AsyncSession, *, actor: Actor, today: date,
                                 query: str | None = None) -> list[FamilyRow]:
    """The families this staff member may record for, overdue first, then due, then by name.
    Closed cases (declined, abandoned, graduated) are left out: no session is recorded for them."""
    if actor.role not in STAFF_ROLES or actor.unit_id is None or actor.staff_id is None:
        await audit.record(session, actor=actor, action="denied.session.families", record_type="unit",
                           record_id=actor.unit_id)
        raise NotAllowed("caseload")
    staff_filter = None if actor.role is Role.JEFE else actor.staff_id
    families = [f for f in await people_repo.list_families(session, unit_id=actor.unit_id, staff_id=staff_filter,
                                                           limit=10_000)
                if f.status not in CLOSED_STATUSES and f.blocked_at is None
                and can_edit_family(actor, family_scope(f))]
    if query and (needle := _fold(query)):
        families = [f for f in families if needle in _fold(f.family_name) or needle in _fold(f.code)]
    outcomes = await records_repo.outcomes_by_family(session, family_ids=[f.id for f in families])
    rows = []
    for family in families:
        p = _progress(family, outcomes.get(family.id, []), today)
        nexts = _next_for(actor.role, p)
        rows.append(FamilyRow(
            family_id=family.id, family_name=family.family_name, code=family.code, stage=p.stage,
            next_code=nexts[0].code if nexts else None, next_track=nexts[0].track if nexts else None,
            overdue=any(_mine(actor.role, d) for d in p.overdue), due=any(_mine(actor.role, d) for d in p.due)))
    return sorted(rows, key=lambda r: (not r.overdue, not r.due, _fold(r.family_name), r.family_id))


async def session_choices(session: AsyncSession, *, actor: Actor, family_id: int, today: date) -> list[SessionChoice]:
    """The sessions this actor may record for the family: the suggested next one(s) first (one per
    track), then the others in catalog order."""
    family = await editable_family(session, actor=actor, family_id=family_id, action="session.choices")
    outcomes = await records_repo.outcomes_by_family(session, family_ids=[family.id])
    p = _progress(family, outcomes.get(family.id, []), today)
    suggested = [(d.track, d.code) for d in _next_for(actor.role, p)]
    allowed = [s for s in catalog().sessions if may_record(actor.role, s) and in_trajectory(s, family.trajectory)]
    allowed.sort(key=lambda s: suggested.index((s.track, s.code)) if (s.track, s.code) in suggested else len(suggested))
    return [SessionChoice(s.track, s.code, s.name, (s.track, s.code) in suggested) for s in allowed]


async def record_form(session: AsyncSession, *, actor: Actor, family_id: int, track: str, code: str,
                      today: date) -> RecordForm:
    family = await editable_family(session, actor=actor, family_id=family_id, action="session.form")
    found = await recordable_session(session, actor=actor, family=family, track=track, code=code)
    members = list(await people_repo.list_members(session, family_id=family.id))
    names: dict[int | None, str] = {member.id: member_name(member) for member in members}
    commitments = [
        CommitmentView(commitment_id=c.id, plan=c.plan, dimension=c.dimension, topic=c.topic, action=c.action,
                       responsible=c.responsible, member_name=names.get(c.responsible_member_id),
                       deadline=c.deadline, status=c.status)
        for c in await records_repo.list_commitments(session, family_id=family.id)
    ]
    return RecordForm(
        family_id=family.id, family_name=family.family_name, track=found.track, code=found.code, session=found,
        members=[MemberOption(m.id, names[m.id], is_adult(m.birth_date, today), m.is_asl_participant)
                 for m in members],
        commitments=commitments,
        indicators=await indicators_for_unit(session, unit_id=family.unit_id),
        bono_month=today.strftime("%Y-%m"),
    )
