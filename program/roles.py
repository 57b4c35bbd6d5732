"""The people the program knows, by the codes the product uses."""
from enum import StrEnum


class Role(StrEnum):
    AFI = "afi"
    GESTOR_SOCIO = "gestor_socio"
    GESTOR_FAMILIAR = "gestor_familiar"
    JEFE = "jefe"
    FAMILY = "family"
    ADMIN = "admin"


STAFF_ROLES = (Role.AFI, Role.GESTOR_SOCIO, Role.GESTOR_FAMILIAR, Role.JEFE)


class Trajectory(StrEnum):
    APS = "aps"
    APS_ASL = "aps_asl"


class FamilyStatus(StrEnum):
    INVITED = "invited"
    ACTIVE = "active"
    DECLINED = "declined"
    NOT_FOUND = "not_found"
    ABANDONED = "abandoned"
    GRADUATED = "graduated"
