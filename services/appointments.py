"""A family's upcoming appointments: the home visits its team planned (group sessions join them when the
group-sessions work lands)."""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.roles import Role
from services.errors import NotAllowed
from storage.models import Staff
from storage.records import Visit


@dataclass(frozen=True)
class Appointment:
    at: datetime
    kind: str  # visit
    with_name: str


async def upcoming(session: AsyncSession, *, actor: Actor, now: datetime) -> list[Appointment]:
    if actor is None or actor.role is not Role.FAMILY or actor.family_id is None:
        raise NotAllowed("appointments")
    rows = await session.exec(select(Visit, Staff.name).join(Staff, col(Staff.id) == Visit.staff_id, isouter=True)
                              .where(Visit.family_id == actor.family_id, Visit.status == "planned", Visit.at > now)
                              .order_by(col(Visit.at)))
    return [Appointment(visit.at, "visit", name or "") for visit, name in rows.all()]
