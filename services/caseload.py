"""What a professional sees of their families, always through the one authorization rule."""
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_edit_family, can_manage_unit, can_view_family
from program.roles import Role
from services import audit
from services.errors import NotAllowed, NotFound
from services.onboarding import family_scope
from storage import people_repo
from storage.models import Family, Member, Staff

@dataclass(frozen=True)
class FamilyCard:
    family: Family
    members: list[Member]
    staff: dict[int, Staff]
    can_edit: bool


async def my_families(session: AsyncSession, *, actor: Actor) -> list[Family]:
    """The jefe sees the whole unit; the others the families assigned to them (a unit has ~250)."""
    if actor.unit_id is None or actor.role is Role.FAMILY:
        raise NotAllowed("caseload")
    staff_filter = None if actor.role is Role.JEFE else actor.staff_id
    return list(await people_repo.list_families(session, unit_id=actor.unit_id, staff_id=staff_filter, limit=2000))


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
