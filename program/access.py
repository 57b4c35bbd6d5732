"""The one place that decides what a person may do with a family's records."""
from dataclasses import dataclass

from program.roles import Role


@dataclass(frozen=True)
class Actor:
    role: Role
    unit_id: int | None = None
    staff_id: int | None = None
    family_id: int | None = None
    member_id: int | None = None
    is_representative: bool = False


@dataclass(frozen=True)
class FamilyScope:
    id: int
    unit_id: int
    afi_id: int | None = None
    gestor_socio_id: int | None = None
    gestor_familiar_id: int | None = None


def can_view_family(actor: Actor, family: FamilyScope) -> bool:
    if actor.role is Role.ADMIN:
        return True
    if actor.role is Role.FAMILY:
        return actor.family_id == family.id
    return actor.unit_id is not None and actor.unit_id == family.unit_id


def can_edit_family(actor: Actor, family: FamilyScope) -> bool:
    if not can_view_family(actor, family):
        return False
    if actor.role in (Role.ADMIN, Role.JEFE):
        return True
    if actor.role is Role.FAMILY:
        return actor.is_representative
    assigned = {
        Role.AFI: family.afi_id,
        Role.GESTOR_SOCIO: family.gestor_socio_id,
        Role.GESTOR_FAMILIAR: family.gestor_familiar_id,
    }.get(actor.role)
    return assigned is not None and assigned == actor.staff_id


def can_manage_unit(actor: Actor, unit_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role is Role.JEFE and actor.unit_id == unit_id)


# The Catastro (Guía N°19) and the Plan de Redes (Guía N°20) are kept by the unit's Gestor Sociocomunitario,
# with the jefe/a; every professional of the unit consults them, and its families see the active entries.
CATASTRO_EDITORS = (Role.GESTOR_SOCIO, Role.JEFE)


def can_view_catastro(actor: Actor, unit_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.unit_id is not None and actor.unit_id == unit_id)


def can_edit_catastro(actor: Actor, unit_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role in CATASTRO_EDITORS and actor.unit_id == unit_id)
