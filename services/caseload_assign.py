"""The jefe/a reassigns a family to another AFI, Gestor/a Sociocomunitario/a or Gestor/a Familiar of the unit.

Only who manages the family's unit (program.access.can_manage_unit) may; any other attempt (an AFI's
forged button, another unit's family or staff id) is refused and audited. The change itself is audited
as "family.reassign" (ids only). A new AFI also takes over the visits the old one had planned, so the
family's next visit is not left with someone who no longer accompanies it.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_manage_unit
from program.roles import Role
from services import audit
from services.errors import InvalidInput, NotAllowed
from storage import people_repo, records_repo
from storage.models import Family, Staff

# The role → the family's column that names who accompanies it in that role.
ASSIGNABLE = {Role.AFI: "afi_id", Role.GESTOR_SOCIO: "gestor_socio_id", Role.GESTOR_FAMILIAR: "gestor_familiar_id"}


@dataclass(frozen=True)
class ReassignOptions:
    family: Family
    role: Role
    current_id: int | None
    staff: list[Staff]  # the unit's active staff of that role


async def _managed_family(session: AsyncSession, *, actor: Actor, family_id: int) -> Family:
    family = await people_repo.get_family(session, family_id=family_id)
    if family is None or not can_manage_unit(actor, family.unit_id):
        await audit.record(session, actor=actor, action="denied.family.reassign", record_type="family",
                           record_id=family_id)
        raise NotAllowed("family")
    return family


def _role(role: str) -> Role:
    if role not in {str(r) for r in ASSIGNABLE}:
        raise InvalidInput("role")
    return Role(role)


async def may_reassign(session: AsyncSession, *, actor: Actor, family_id: int) -> Family:
    """The family, if this actor may reassign it; else an audited NotAllowed."""
    return await _managed_family(session, actor=actor, family_id=family_id)


async def reassign_options(session: AsyncSession, *, actor: Actor, family_id: int, role: str) -> ReassignOptions:
    family = await _managed_family(session, actor=actor, family_id=family_id)
    chosen = _role(role)
    staff = await people_repo.active_staff(session, unit_id=family.unit_id, role=str(chosen))
    return ReassignOptions(family, chosen, getattr(family, ASSIGNABLE[chosen]), list(staff))


async def reassign_family(session: AsyncSession, *, actor: Actor, family_id: int, role: str, staff_id: int,
                          now: datetime) -> Staff:
    """Assign `staff_id` to the family in `role`. Returns the person now assigned."""
    family = await _managed_family(session, actor=actor, family_id=family_id)
    chosen = _role(role)
    person = await people_repo.get_staff(session, staff_id=staff_id)
    if person is None or person.unit_id != family.unit_id:
        await audit.record(session, actor=actor, action="denied.family.reassign", record_type="staff",
                           record_id=staff_id)
        raise NotAllowed("staff")
    if not person.active or person.role != str(chosen):
        raise InvalidInput("staff")  # a stale list: the person left, or changed role
    column = ASSIGNABLE[chosen]
    previous = getattr(family, column)
    if previous == person.id:
        return person
    setattr(family, column, person.id)
    await people_repo.add(session, family)
    await audit.record(session, actor=actor, action="family.reassign", record_type="family", record_id=family.id,
                       unit_id=family.unit_id)
    if chosen is Role.AFI:
        for visit in await records_repo.planned_visits(session, family_id=family.id):
            if visit.staff_id in (previous, None):
                visit.staff_id, visit.updated_at = person.id, now
                await records_repo.add(session, visit)
                await audit.record(session, actor=actor, action="visit.reassign", record_type="visit",
                                   record_id=visit.id, unit_id=family.unit_id)
    return person
