"""A family's upcoming appointments: the home visits its team planned (group sessions join them when the
group-sessions work lands)."""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.roles import Role
from services.errors import NotAllowed
from storage import records_repo


@dataclass(frozen=True)
class Appointment:
    at: datetime
    kind: str  # visit
    with_name: str


async def upcoming(session: AsyncSession, *, actor: Actor, now: datetime) -> list[Appointment]:
    if actor is None or actor.role is not Role.FAMILY or actor.family_id is None:
        raise NotAllowed("appointments")
    rows = await records_repo.upcoming_visits(session, family_id=actor.family_id, after=now)
    return [Appointment(visit.at, "visit", name or "") for visit, name in rows]
