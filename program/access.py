"""The one place that decides what a person may do with a family's records.

Need to know (Ley 21.719's data minimisation): the full card of a family — its members and RUNs, its
sessions, plan, Matriz and Cuaderno — is for the staff assigned to it (its AFI, Gestor/a
Sociocomunitario/a and Gestor/a Familiar, each in their own role's column) and the unit's jefe/a. The
Gestor/a Familiar follows the Bono alerts of the families assigned to them (services/bono.py sends
them there), so the same rule covers them. The unit's other professionals see only what their task
needs of any family of the unit: its name, code, sector and stage (BASIC_FIELDS), for example to invite
it to a group session or record its attendance. A family sees its own records; nobody sees another
unit's families.
"""
from dataclasses import dataclass
from enum import IntEnum

from program.roles import STAFF_ROLES, Role


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


class Sight(IntEnum):
    """How much of a family a person may see; higher includes lower."""

    NONE = 0
    BASICS = 1  # BASIC_FIELDS only
    FULL = 2  # the card and every record


# What a professional of the unit not assigned to a family may see of it.
BASIC_FIELDS = ("family_name", "code", "sector", "stage")


def is_assigned(actor: Actor, family: FamilyScope) -> bool:
    """The professional accompanies the family in their own role."""
    column = {
        Role.AFI: family.afi_id,
        Role.GESTOR_SOCIO: family.gestor_socio_id,
        Role.GESTOR_FAMILIAR: family.gestor_familiar_id,
    }.get(actor.role)
    return actor.staff_id is not None and column is not None and column == actor.staff_id


def family_sight(actor: Actor | None, family: FamilyScope) -> Sight:
    if actor is None:
        return Sight.NONE
    if actor.role is Role.ADMIN:
        return Sight.FULL
    if actor.role is Role.FAMILY:
        return Sight.FULL if actor.family_id is not None and actor.family_id == family.id else Sight.NONE
    if actor.unit_id is None or actor.unit_id != family.unit_id or actor.role not in STAFF_ROLES:
        return Sight.NONE
    if actor.role is Role.JEFE or is_assigned(actor, family):
        return Sight.FULL
    return Sight.BASICS


def can_view_family(actor: Actor | None, family: FamilyScope) -> bool:
    """The full card and its records (members, RUNs, sessions, plan, Matriz, Cuaderno)."""
    return family_sight(actor, family) is Sight.FULL


def can_see_family_basics(actor: Actor | None, family: FamilyScope) -> bool:
    """Name, code, sector and stage (BASIC_FIELDS): enough to invite it or take its attendance."""
    return family_sight(actor, family) >= Sight.BASICS


def can_edit_family(actor: Actor | None, family: FamilyScope) -> bool:
    if actor is None or not can_view_family(actor, family):
        return False
    if actor.role in (Role.ADMIN, Role.JEFE):
        return True
    if actor.role is Role.FAMILY:
        return actor.is_representative
    return is_assigned(actor, family)


def can_manage_unit(actor: Actor | None, unit_id: int) -> bool:
    if actor is None:
        return False
    return actor.role is Role.ADMIN or (actor.role is Role.JEFE and actor.unit_id == unit_id)


def can_unlink_family_chat(actor: Actor | None, family: FamilyScope) -> bool:
    """Who may cut a lost phone off a family: its assigned AFI and the unit's jefe/a (and the admin)."""
    if actor is None or not can_view_family(actor, family):
        return False
    return actor.role in (Role.ADMIN, Role.JEFE) or (actor.role is Role.AFI and is_assigned(actor, family))


# The Catastro (Guía N°19) and the Plan de Redes (Guía N°20) are kept by the unit's Gestor Sociocomunitario,
# with the jefe/a; every professional of the unit consults them, and its families see the active entries.
CATASTRO_EDITORS = (Role.GESTOR_SOCIO, Role.JEFE)


def can_view_catastro(actor: Actor, unit_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.unit_id is not None and actor.unit_id == unit_id)


def can_edit_catastro(actor: Actor, unit_id: int) -> bool:
    return actor.role is Role.ADMIN or (actor.role in CATASTRO_EDITORS and actor.unit_id == unit_id)
