"""Translated names of the program's codes (roles, statuses, trajectories)."""
from aiogram.utils.i18n import gettext as _

from program.roles import FamilyStatus, Role, Trajectory


def role_label(role: str) -> str:
    return {
        Role.AFI: _("Apoyo Familiar Integral"),
        Role.GESTOR_SOCIO: _("Gestor/a Sociocomunitario/a"),
        Role.GESTOR_FAMILIAR: _("Gestor/a Familiar"),
        Role.JEFE: _("Jefe/a de Unidad"),
        Role.FAMILY: _("Representante de la familia"),
    }.get(role, role)


def status_label(status: str) -> str:
    return {
        FamilyStatus.INVITED: _("invitada"),
        FamilyStatus.ACTIVE: _("en acompañamiento"),
        FamilyStatus.DECLINED: _("no acepta participar"),
        FamilyStatus.NOT_FOUND: _("inubicable"),
        FamilyStatus.ABANDONED: _("abandono"),
        FamilyStatus.GRADUATED: _("egresada"),
    }.get(status, status)


def trajectory_label(trajectory: str) -> str:
    return {Trajectory.APS: _("APS"), Trajectory.APS_ASL: _("APS + ASL")}.get(trajectory, trajectory)
