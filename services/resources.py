"""🔎 ¿Dónde encuentro ayuda?: a family looks for a local service by Matriz dimension or by need, among
the active entries of its own unit's Catastro (never another unit's, never a deactivated one)."""
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_view_catastro
from program.matriz import DIMENSIONS
from program.needs import needs
from services.catastro import by_name
from services.errors import InvalidInput, NotAllowed
from storage import catastro_repo
from storage.catastro import CatastroEntry


@dataclass(frozen=True)
class Counts:
    by_dimension: dict[str, int]
    by_need: dict[str, int]
    by_area: dict[str, int]  # entries serving at least one need of the área


async def _active(session: AsyncSession, actor: Actor | None) -> list[CatastroEntry]:
    if actor is None or actor.unit_id is None or not can_view_catastro(actor, actor.unit_id):
        raise NotAllowed("catastro")
    return by_name(await catastro_repo.list_entries(session, unit_id=actor.unit_id))


async def counts(session: AsyncSession, *, actor: Actor) -> Counts:
    entries = await _active(session, actor)
    by_dimension = {d.id: sum(d.id in (e.dimensions or ()) for e in entries) for d in DIMENSIONS}
    by_need = {need_id: sum(need_id in (e.needs or ()) for e in entries) for need_id in needs().ids}
    by_area = {area.id: sum(any(n.id in (e.needs or ()) for n in area.needs) for e in entries)
               for area in needs().areas}
    return Counts(by_dimension, by_need, by_area)


async def find(session: AsyncSession, *, actor: Actor, need: str | None = None,
               dimension: str | None = None) -> list[CatastroEntry]:
    """The unit's active entries serving one need, or working on one dimension, by name."""
    if need is not None and need not in needs().ids:
        raise InvalidInput("unknown_need")
    if dimension is not None and dimension not in {d.id for d in DIMENSIONS}:
        raise InvalidInput("unknown_dimension")
    if (need is None) == (dimension is None):
        raise InvalidInput("need_or_dimension")
    entries = await _active(session, actor)
    if need is not None:
        return [e for e in entries if need in (e.needs or ())]
    return [e for e in entries if dimension in (e.dimensions or ())]
