"""The unit's Plan de Redes Institucionales y Comunitarias para el Bienestar (Guía N°20): the activities
agreed with the networks (description, responsible, indicator, resources, date). The Gestor
Sociocomunitario and the jefe/a write it; every professional of the unit reads it."""
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_edit_catastro, can_view_catastro
from program.roles import Role
from services import audit
from services.catastro import may_edit
from services.errors import InvalidInput, NotAllowed
from storage import catastro_repo
from storage.catastro import RedesActivity

LIMITS = {"description": 1000, "responsible": 200, "indicator": 500, "resources": 500}


def _required(field: str, value: str | None) -> str:
    text = _clean(field, value)
    if text is None:
        raise InvalidInput(f"missing_{field}")
    return text


def _clean(field: str, value: str | None) -> str | None:
    text = " ".join((value or "").split())
    if len(text) > LIMITS[field]:
        raise InvalidInput("too_long")
    return text or None


async def activities(session: AsyncSession, *, actor: Actor) -> list[RedesActivity]:
    if actor is None or actor.role is Role.FAMILY or actor.unit_id is None \
            or not can_view_catastro(actor, actor.unit_id):
        raise NotAllowed("redes")
    return list(await catastro_repo.list_activities(session, unit_id=actor.unit_id))


async def add_activity(session: AsyncSession, *, actor: Actor, description: str, responsible: str,
                       indicator: str | None = None, resources: str | None = None, on: date | None = None,
                       now: datetime) -> RedesActivity:
    unit_id = await may_edit(session, actor=actor)
    activity = RedesActivity(unit_id=unit_id, description=_required("description", description),
                             responsible=_required("responsible", responsible),
                             indicator=_clean("indicator", indicator), resources=_clean("resources", resources),
                             on=on, created_at=now)
    await catastro_repo.add(session, activity)
    await audit.record(session, actor=actor, action="redes.create", record_type="redes_activity",
                       record_id=activity.id, unit_id=unit_id)
    return activity


async def delete_activity(session: AsyncSession, *, actor: Actor, activity_id: int) -> None:
    activity = await catastro_repo.get_activity(session, activity_id=activity_id)
    if activity is None or actor is None or not can_edit_catastro(actor, activity.unit_id):
        await audit.record(session, actor=actor, action="denied.redes.delete", record_type="redes_activity",
                           record_id=activity_id)
        raise NotAllowed("redes_activity")
    await audit.record(session, actor=actor, action="redes.delete", record_type="redes_activity",
                       record_id=activity.id, unit_id=activity.unit_id)
    await catastro_repo.delete_activity(session, activity=activity)
