"""What a professional sees of their families, always through the one authorization rule
(program.access on services.onboarding.family_scope): "Mis familias", a family's card and its
sections. The jefe's reassignment of a family lives in services.caseload_assign.
"""
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_edit_family, can_manage_unit, can_view_family
from program.matriz import DIMENSIONS
from program.roles import STAFF_ROLES, Role
from program.trajectory import OUTCOMES, TERMINAL_STAGES, TRAJECTORIES, Due, Progress, RecordedSession, progress
from services import audit
from services.errors import NotAllowed, NotFound
from services.indicators import indicators_for_unit
from services.onboarding import family_scope
from services.program_data import cadence, catalog
from services.session_record_checks import member_name
from storage import accounts_repo, people_repo, records_repo
from storage.models import Family, Member, Staff
from storage.records import Commitment, CommitmentEvent, SessionRecord

OPEN_COMMITMENT = people_repo.OPEN_COMMITMENT
_CLOSED = {"declined": "cerrada", "abandoned": "cerrada", "graduated": "egresada"}


@dataclass(frozen=True)
class FamilyCard:
    family: Family
    members: list[Member]
    staff: dict[int, Staff]
    can_edit: bool


@dataclass(frozen=True)
class CaseloadRow:
    family_id: int
    family_name: str
    code: str
    stage: str  # program.trajectory: ingreso ... cierre, egresada, cerrada
    last: RecordedSession | None  # the newest record, whatever its outcome
    next: Due | None  # what this professional's role does next (the jefe: anything)
    overdue: bool
    due: bool
    open_commitments: int
    bono: tuple[str, str] | None  # (month "YYYY-MM", answer) of the newest month answered


@dataclass(frozen=True)
class FamilySummary:
    card: FamilyCard
    row: CaseloadRow
    next_visit: datetime | None
    representative: str  # none | not_linked | pending_consent | linked
    can_reassign: bool


@dataclass(frozen=True)
class PlanItem:
    commitment: Commitment
    member_name: str | None  # the responsible member, when responsible == "member"


@dataclass(frozen=True)
class MatrizRow:
    dimension: str
    code: str
    text: str
    base: str | None  # a_trabajar | logrado | None
    exit: str | None


def fold(text: str) -> str:
    plain = "".join(c for c in unicodedata.normalize("NFKD", text or "") if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


async def my_families(session: AsyncSession, *, actor: Actor) -> list[Family]:
    """The jefe sees the whole unit; the others the families assigned to them (a unit has ~250)."""
    if actor.unit_id is None or actor.role is Role.FAMILY:
        raise NotAllowed("caseload")
    staff_filter = None if actor.role is Role.JEFE else actor.staff_id
    return list(await people_repo.list_families(session, unit_id=actor.unit_id, staff_id=staff_filter, limit=2000))


def family_progress(family: Family, outcomes: list[tuple], today: date) -> Progress:
    """Where the family stands on its trajectory (what is done, due, next); a closed case stays closed."""
    trajectory = family.trajectory if family.trajectory in TRAJECTORIES else "aps"
    recorded = [RecordedSession(*row) for row in outcomes if row[3] in OUTCOMES]
    found = progress(catalog=catalog(), cadence=cadence(), trajectory=trajectory, intake=family.intake_date,
                     recorded=recorded, today=today)
    if family.status in _CLOSED and found.stage not in TERMINAL_STAGES:
        return Progress(_CLOSED[family.status], found.done, (), (), ())
    return found


def _row(actor: Actor, family: Family, outcomes: list[tuple], today: date, open_count: int,
         bono: tuple[str, str] | None) -> CaseloadRow:
    p = family_progress(family, outcomes, today)

    def mine(due: Due) -> bool:
        return actor.role in (Role.JEFE, Role.ADMIN) or str(actor.role) in due.roles

    due_now = sorted((d for d in p.due if mine(d)), key=lambda d: (d.due_by, d.due_from))
    later = sorted((d for d in p.upcoming if mine(d)), key=lambda d: (d.due_from, d.due_by))
    last = outcomes[-1] if outcomes else None  # sorted by (held_on, id)
    return CaseloadRow(
        family_id=family.id, family_name=family.family_name, code=family.code, stage=p.stage,
        last=RecordedSession(*last) if last else None, next=(due_now + later)[0] if due_now + later else None,
        overdue=any(d.overdue for d in due_now), due=bool(due_now), open_commitments=open_count, bono=bono)


async def _rows(session: AsyncSession, *, actor: Actor, families: list[Family], today: date) -> list[CaseloadRow]:
    ids = [family.id for family in families]
    outcomes = await records_repo.outcomes_by_family(session, family_ids=ids)
    counts = await people_repo.open_commitment_counts(session, family_ids=ids)
    bono = await people_repo.latest_bono_answers(session, family_ids=ids)
    return [_row(actor, f, outcomes.get(f.id, []), today, counts.get(f.id, 0), bono.get(f.id)) for f in families]


async def caseload(session: AsyncSession, *, actor: Actor, today: date, query: str | None = None) -> list[CaseloadRow]:
    """"Mis familias": overdue first, then what is due now, then the rest; closed cases last; by name.
    `query` matches (accents and case aside) the family's name or code, or a member's name."""
    families = await my_families(session, actor=actor)
    if query and (needle := fold(query)):
        names = await people_repo.member_names(session, family_ids=[f.id for f in families])
        families = [f for f in families
                    if any(needle in fold(text) for text in (f.family_name, f.code, *names.get(f.id, ())))]
    rows = await _rows(session, actor=actor, families=families, today=today)
    return sorted(rows, key=lambda r: (not r.overdue, not r.due, r.stage in TERMINAL_STAGES, fold(r.family_name),
                                       r.family_id))


async def family_card(session: AsyncSession, *, actor: Actor, family_id: int) -> FamilyCard:
    family = await people_repo.get_family(session, family_id=family_id)
    if family is None:
        raise NotFound("family")
    scope = family_scope(family)
    if not can_view_family(actor, scope):
        # A forged or stale button must not reveal whether the family exists elsewhere.
        await audit.record(session, actor=actor, action="denied.family.view", record_type="family",
                           record_id=family_id)
        raise NotAllowed("family")
    members = list(await people_repo.list_members(session, family_id=family_id))
    staff = {}
    for staff_id in {family.afi_id, family.gestor_socio_id, family.gestor_familiar_id} - {None}:
        person = await people_repo.get_staff(session, staff_id=staff_id)
        if person is not None:
            staff[staff_id] = person
    return FamilyCard(family, members, staff, can_edit_family(actor, scope))


async def _staff_view(session: AsyncSession, *, actor: Actor, family_id: int) -> Family:
    """A family a professional of its unit may look at; anything else (another unit's id, a missing
    one, a family's account) is refused the same way, and audited."""
    family = await people_repo.get_family(session, family_id=family_id)
    is_staff = actor.role in STAFF_ROLES and actor.staff_id is not None
    if family is None or not is_staff or not can_view_family(actor, family_scope(family)):
        await audit.record(session, actor=actor, action="denied.family.view", record_type="family",
                           record_id=family_id)
        raise NotAllowed("family")
    return family


async def _representative(session: AsyncSession, members: list[Member]) -> str:
    member = next((m for m in members if m.is_representative), None)
    if member is None:
        return "none"
    accounts = await accounts_repo.accounts_for_member(session, member_id=member.id)
    if not accounts:
        return "not_linked"
    return "linked" if any(account.consent_at is not None for account in accounts) else "pending_consent"


async def family_summary(session: AsyncSession, *, actor: Actor, family_id: int, now: datetime,
                         today: date) -> FamilySummary:
    """The card's head: who the family is, where it stands, what comes next, whether it uses the bot."""
    await _staff_view(session, actor=actor, family_id=family_id)
    card = await family_card(session, actor=actor, family_id=family_id)
    [row] = await _rows(session, actor=actor, families=[card.family], today=today)
    visits = await records_repo.planned_visits(session, family_id=family_id)
    upcoming = [v.at for v in visits if v.at >= now] or [v.at for v in visits]
    return FamilySummary(card=card, row=row, next_visit=upcoming[0] if upcoming else None,
                         representative=await _representative(session, card.members),
                         can_reassign=can_manage_unit(actor, card.family.unit_id))


async def family_sessions(session: AsyncSession, *, actor: Actor, family_id: int) -> list[SessionRecord]:
    """Every recorded session, newest first."""
    await _staff_view(session, actor=actor, family_id=family_id)
    records = await records_repo.list_records(session, family_id=family_id)
    return sorted(records, key=lambda r: (r.held_on, r.id), reverse=True)


async def family_plan(session: AsyncSession, *, actor: Actor, family_id: int) -> tuple[list[PlanItem], int]:
    """The open commitments (by the Matriz's dimension order, then deadline), and how many are closed."""
    await _staff_view(session, actor=actor, family_id=family_id)
    names = {m.id: member_name(m) for m in await people_repo.list_members(session, family_id=family_id)}
    commitments = await records_repo.list_commitments(session, family_id=family_id)
    order = {dimension.id: index for index, dimension in enumerate(DIMENSIONS)}
    open_ = sorted((c for c in commitments if c.status in OPEN_COMMITMENT),
                   key=lambda c: (order.get(c.dimension, 9), c.deadline or date.max, c.id))
    return [PlanItem(c, names.get(c.responsible_member_id)) for c in open_], len(commitments) - len(open_)


async def family_matriz(session: AsyncSession, *, actor: Actor, family_id: int) -> list[MatrizRow]:
    """Línea Base → Línea de Salida of every indicator recorded at least once, in the Matriz's order."""
    family = await _staff_view(session, actor=actor, family_id=family_id)
    states: dict[str, dict[str, str]] = {}
    for row in await records_repo.matriz_states(session, family_id=family_id):
        states.setdefault(row.indicator_code, {})[row.moment] = row.state
    rows = []
    for dimension, indicators in (await indicators_for_unit(session, unit_id=family.unit_id)).items():
        for indicator in indicators:
            found = states.pop(indicator.code, None)
            if found:
                rows.append(MatrizRow(dimension, indicator.code, indicator.text, found.get("linea_base"),
                                      found.get("linea_salida")))
    # Codes no longer in the unit's list keep their recorded states (without a text).
    rows += [MatrizRow("", code, "", found.get("linea_base"), found.get("linea_salida"))
             for code, found in sorted(states.items())]
    return rows


@dataclass(frozen=True)
class UnitOverview:
    status_counts: dict[str, int]
    staff: list[Staff]


async def unit_overview(session: AsyncSession, *, actor: Actor) -> UnitOverview:
    if actor.unit_id is None or not can_manage_unit(actor, actor.unit_id):
        raise NotAllowed("unit")
    counts = await people_repo.family_status_counts(session, unit_id=actor.unit_id)
    staff = await people_repo.list_staff(session, unit_id=actor.unit_id)
    return UnitOverview(counts, [person for person in staff if person.active])


async def family_news(session: AsyncSession, *, actor: Actor, family_id: int, limit: int = 5,
                      ) -> list[tuple[CommitmentEvent, Commitment]]:
    """What the family itself said lately about its commitments (newest first): the AFI sees it on the card
    before the next visit."""
    await _staff_view(session, actor=actor, family_id=family_id)
    rows = await session.exec(
        select(CommitmentEvent, Commitment).join(Commitment, Commitment.id == CommitmentEvent.commitment_id)
        .where(Commitment.family_id == family_id, CommitmentEvent.actor_type == "member")
        .order_by(CommitmentEvent.at.desc(), CommitmentEvent.id.desc()).limit(limit))
    return list(rows.all())
