"""The admin's set-up of a unit and its staff (from the command line)."""
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.clock import UNIT_TIMEZONES
from program.roles import STAFF_ROLES, Role
from services import audit, onboarding
from services.errors import InvalidInput, NotFound
from storage import people_repo
from storage.models import Staff, Unit

ADMIN = Actor(role=Role.ADMIN)


async def create_unit(session: AsyncSession, *, comuna: str, name: str, timezone: str = "America/Santiago",
                      phone: str | None = None, email: str | None = None, address: str | None = None,
                      hours: str | None = None) -> Unit:
    if timezone not in UNIT_TIMEZONES:
        raise InvalidInput("timezone")
    unit = await people_repo.add(session, Unit(comuna=comuna, name=name, timezone=timezone, contact_phone=phone,
                                              contact_email=email, contact_address=address, contact_hours=hours))
    await audit.record(session, actor=ADMIN, action="unit.create", record_type="unit", record_id=unit.id,
                       unit_id=unit.id)
    return unit


async def add_staff(session: AsyncSession, *, unit_id: int, name: str, role: str, now: datetime,
                    ttl: timedelta = onboarding.DEFAULT_TTL) -> tuple[Staff, str]:
    if role not in tuple(STAFF_ROLES):
        raise InvalidInput("role")
    if await people_repo.get_unit(session, unit_id=unit_id) is None:
        raise NotFound("unit")
    staff = await people_repo.add(session, Staff(unit_id=unit_id, name=name, role=role))
    await audit.record(session, actor=ADMIN, action="staff.create", record_type="staff", record_id=staff.id,
                       unit_id=unit_id)
    code = await onboarding.issue_staff_code(session, staff_id=staff.id, now=now, ttl=ttl)
    return staff, code
