"""Who may record which session for which family, and whether a draft makes sense, before any write.

Shared by services.session_records (what the dialog shows) and services.session_record_write (the
save). Reasons are ids (services.errors.InvalidInput.reason); the dialog translates them.
"""
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_edit_family
from program.catalog import Session
from program.clock import to_local
from program.matriz import DIMENSIONS, STATES
from program.roles import STAFF_ROLES, Role
from program.session_draft import BonoAnswer, Outcome, Responsible, SessionDraft, Step
from services import audit
from services.errors import InvalidInput, NotAllowed
from services.onboarding import family_scope
from services.program_data import catalog
from storage import people_repo
from storage.models import Family, Member
from storage.records import Commitment

MAX_ASL = 2  # "máximo dos por familia" (Guía N°2, S6)
ADULT_AGE = 18
FAMILY_SESSION_TYPES = ("familiar", "individual")
PLANS = ("familiar", "laboral")
VOICE_ID_MAX = 200
# The outcomes after which the family is out of the program (trajectory stage "cerrada"/"egresada").
CLOSED_STATUSES = frozenset({"declined", "abandoned", "graduated"})
# The refusal reason for each answer program.session_draft says a record cannot be saved without.
MISSING_REASONS = {
    Step.HELD_ON: "missing_date",
    Step.REASON: "missing_reason",
    Step.RESCHEDULE: "missing_new_date",
    Step.PARTICIPANT: "missing_participant",
    Step.BONO: "missing_bono",
}


def may_record(role: Role, session: Session) -> bool:
    """A role records the sessions the guides make it responsible for; the jefe/a may stand in for
    any family or individual visit (not group sessions: those are recorded with their attendance)."""
    if session.track == "transversal":  # G19/G20 are the Gestor's own work, never a family's session
        return False
    if role is Role.JEFE:
        return session.type in FAMILY_SESSION_TYPES
    return str(role) in session.roles


def in_trajectory(session: Session, trajectory: str) -> bool:
    return session.track == "aps" or (session.track == "asl" and trajectory == "aps_asl")


def local_today(now: datetime, tz_name: str) -> date:
    return to_local(now, tz_name).date()


def is_adult(birth_date: date | None, on: date) -> bool:
    """Unknown birth dates count as adult: migrants' records often lack one, and the AFI knows."""
    if birth_date is None:
        return True
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return age >= ADULT_AGE


def member_name(member: Member) -> str:
    return " ".join(part for part in (member.given_names, member.surnames) if part).strip()


async def editable_family(session: AsyncSession, *, actor: Actor, family_id: int, action: str) -> Family:
    """The family, if this staff member may edit it; else an audited NotAllowed. A missing id is
    refused the same way, so a forged button never tells whether a family exists elsewhere."""
    family = await people_repo.get_family(session, family_id=family_id)
    is_staff = actor.role in STAFF_ROLES and actor.staff_id is not None
    if family is None or not is_staff or not can_edit_family(actor, family_scope(family)):
        await audit.record(session, actor=actor, action=f"denied.{action}", record_type="family",
                           record_id=family_id)
        raise NotAllowed("family")
    return family


async def recordable_session(session: AsyncSession, *, actor: Actor, family: Family, track: str,
                             code: str) -> Session:
    try:
        found = catalog().session(track, code)
    except KeyError:
        raise InvalidInput("unknown_session") from None
    if found.track == "transversal":
        raise InvalidInput("unknown_session")
    if not in_trajectory(found, family.trajectory):
        raise InvalidInput("not_in_trajectory")
    if not may_record(actor.role, found):
        await audit.record(session, actor=actor, action="denied.session.role", record_type="family",
                           record_id=family.id)
        raise InvalidInput("not_allowed_for_role")
    return found


@dataclass(frozen=True)
class DraftContext:
    session: Session
    members: dict[int, Member]
    today: date  # the unit's local date now
    now: datetime
    indicator_codes: set[str]
    commitments: dict[int, Commitment]


def check_draft(draft: SessionDraft, ctx: DraftContext) -> None:
    """Raise InvalidInput(reason) for the first problem. What only a held session carries (bono, plan,
    matriz, ASL choice) is checked only when the outcome is "done": for any other outcome the writer
    drops it, so a dialog that kept an earlier branch's answers does not block the save."""
    if draft.outcome not in tuple(Outcome):
        raise InvalidInput("unknown_outcome")
    # One completeness rule for every path (chat, CLI, tests): the one the dialog walks its steps by.
    missing = draft.first_missing(flags=ctx.session.flags, session_type=ctx.session.type)
    if missing is not None:
        raise InvalidInput(MISSING_REASONS[missing])
    if not isinstance(draft.held_on, date) or isinstance(draft.held_on, datetime):
        raise InvalidInput("missing_date")
    if draft.held_on > ctx.today:
        raise InvalidInput("date_in_future")
    # rescheduled_to is never None here (first_missing asked for it); the check only tells mypy so.
    if draft.outcome == Outcome.RESCHEDULED and draft.rescheduled_to is not None and draft.rescheduled_to < ctx.today:
        raise InvalidInput("new_date_in_past")
    _check_products(draft.products_done, ctx.session)
    if draft.participant_member_id is not None and draft.participant_member_id not in ctx.members:
        raise InvalidInput("unknown_member")
    if draft.next_visit_at is not None and (draft.next_visit_at.tzinfo is None or draft.next_visit_at <= ctx.now):
        raise InvalidInput("next_visit_in_past")
    if draft.note_voice_file_id is not None and len(draft.note_voice_file_id) > VOICE_ID_MAX:
        raise InvalidInput("bad_voice_note")
    if draft.outcome == Outcome.DONE:
        _check_held_session(draft, ctx)


def _check_products(done: list[int], session: Session) -> None:
    valid = range(len(session.products))
    bad = any(isinstance(i, bool) or not isinstance(i, int) or i not in valid for i in done)
    if bad or len(set(done)) != len(done):
        raise InvalidInput("unknown_product")


def _check_held_session(draft: SessionDraft, ctx: DraftContext) -> None:
    session = ctx.session
    held_on = draft.held_on
    assert held_on is not None  # check_draft refused a missing date first
    if draft.bono is not None:
        if not session.has("bono_followup"):
            raise InvalidInput("bono_not_in_session")
        if draft.bono not in tuple(BonoAnswer):
            raise InvalidInput("unknown_bono_answer")
    if draft.matriz:
        if not (session.has("linea_base") or session.has("linea_salida")):
            raise InvalidInput("matriz_not_in_session")
        if any(code not in ctx.indicator_codes for code in draft.matriz):
            raise InvalidInput("unknown_indicator")
        if any(state not in STATES for state in draft.matriz.values()):
            raise InvalidInput("unknown_state")
    if draft.asl_participants:
        if not session.has("asl_choice"):
            raise InvalidInput("asl_not_in_session")
        if len(set(draft.asl_participants)) > MAX_ASL:
            raise InvalidInput("too_many_asl")
        if any(member_id not in ctx.members for member_id in draft.asl_participants):
            raise InvalidInput("unknown_member")
        if not all(is_adult(ctx.members[m].birth_date, held_on) for m in draft.asl_participants):
            raise InvalidInput("asl_not_adult")
    for row in draft.plan_rows:
        _check_plan_row(row, draft, ctx)


def _check_plan_row(row, draft: SessionDraft, ctx: DraftContext) -> None:
    existing = None
    if row.commitment_id is not None:
        existing = ctx.commitments.get(row.commitment_id)
        if existing is None:  # another family's commitment, or none at all
            raise InvalidInput("unknown_commitment")
    if row.plan not in PLANS:
        raise InvalidInput("unknown_plan")
    if row.plan == "laboral" and draft.participant_member_id is None and existing is None:
        raise InvalidInput("missing_participant")  # a Plan Laboral belongs to one ASL participant
    if row.dimension not in {dimension.id for dimension in DIMENSIONS}:
        raise InvalidInput("unknown_dimension")
    if not (row.topic or "").strip() or not (row.action or "").strip():
        raise InvalidInput("missing_topic")
    if row.responsible not in tuple(Responsible):
        raise InvalidInput("unknown_responsible")
    if row.responsible == Responsible.MEMBER and row.member_id not in ctx.members:
        raise InvalidInput("unknown_member")
    # An old deadline kept while editing something else is fine; a new one must not be past.
    deadline_changed = existing is None or existing.deadline != row.deadline
    if row.deadline is not None and deadline_changed and row.deadline < ctx.today:
        raise InvalidInput("deadline_in_past")


def utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)
