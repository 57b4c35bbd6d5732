"""The unit's Catastro de Instituciones y Organizaciones Comunitarias (Guía N°19): its Gestor
Sociocomunitario and jefe/a add, edit and deactivate entries; every professional of the unit consults
them. Who may do what is program.access (can_view_catastro / can_edit_catastro); every change and every
refusal is audited. The CSV import and export live in services.catastro_csv, the family's search in
services.resources, sending an entry to a family in services.catastro_send.
"""
from dataclasses import replace
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_edit_catastro, can_view_catastro
from program.catastro import FIELDS, EntryData, FieldProblem, clean_entry, fold
from program.roles import Role
from services import audit
from services.errors import InvalidInput, NotAllowed, NotFound
from storage import catastro_repo
from storage.catastro import CatastroEntry

SEARCH_MAX = 60


def entry_data(entry: CatastroEntry) -> EntryData:
    return EntryData(**{field: getattr(entry, field) for field in FIELDS if field not in ("dimensions", "needs")},
                     dimensions=tuple(entry.dimensions or ()), needs=tuple(entry.needs or ()))


def problem_reason(problem: FieldProblem) -> str:
    """The InvalidInput reason for a field that does not fit (the dialogs explain each one)."""
    if problem.kind == "missing":
        return "missing_name"
    if problem.kind == "too_long":
        return "too_long"
    return {"dimensions": "unknown_dimension", "needs": "unknown_need"}.get(problem.field, "unknown_field")


def cleaned(data: EntryData) -> EntryData:
    try:
        return clean_entry(data)
    except FieldProblem as problem:
        raise InvalidInput(problem_reason(problem)) from None


async def may_edit(session: AsyncSession, *, actor: Actor | None, unit_id: int | None = None) -> int:
    """The unit whose Catastro the actor may change; a refusal is audited."""
    unit_id = unit_id if unit_id is not None else (actor.unit_id if actor else None)
    if actor is None or unit_id is None or not can_edit_catastro(actor, unit_id):
        await audit.record(session, actor=actor, action="denied.catastro.edit", record_type="unit",
                           record_id=unit_id)
        raise NotAllowed("catastro")
    return unit_id


def _viewer_unit(actor: Actor | None) -> int:
    if actor is None or actor.unit_id is None or not can_view_catastro(actor, actor.unit_id):
        raise NotAllowed("catastro")
    return actor.unit_id


def by_name(entries) -> list[CatastroEntry]:
    return sorted(entries, key=lambda e: (fold(e.name), e.id))


async def entries(session: AsyncSession, *, actor: Actor, query: str | None = None) -> list[CatastroEntry]:
    """The active entries of the actor's unit, by name; `query` keeps those whose name contains it."""
    unit_id = _viewer_unit(actor)
    found = by_name(await catastro_repo.list_entries(session, unit_id=unit_id))
    wanted = fold(query)
    return [e for e in found if wanted in fold(e.name)] if wanted else found


async def entry(session: AsyncSession, *, actor: Actor, entry_id: int) -> CatastroEntry:
    """One entry of the actor's own unit (a family: only an active one); any other id is refused and audited."""
    found = await catastro_repo.get_entry(session, entry_id=entry_id)
    visible = found is not None and actor is not None and can_view_catastro(actor, found.unit_id) and (
        found.active or actor.role is not Role.FAMILY)
    if found is None or not visible:
        await audit.record(session, actor=actor, action="denied.catastro_entry", record_type="catastro_entry",
                           record_id=entry_id)
        raise NotAllowed("catastro_entry")
    return found


async def _editable(session: AsyncSession, actor: Actor, entry_id: int) -> CatastroEntry:
    found = await catastro_repo.get_entry(session, entry_id=entry_id)
    if found is None or actor is None or not can_edit_catastro(actor, found.unit_id):
        await audit.record(session, actor=actor, action="denied.catastro.edit", record_type="catastro_entry",
                           record_id=entry_id)
        raise NotAllowed("catastro_entry")
    return found


async def _check_name(session: AsyncSession, *, unit_id: int, name: str, keep_id: int | None = None) -> None:
    for other in await catastro_repo.list_entries(session, unit_id=unit_id):
        if other.id != keep_id and fold(other.name) == fold(name):
            raise InvalidInput("name_taken")


async def add_entry(session: AsyncSession, *, actor: Actor, data: EntryData, now: datetime) -> CatastroEntry:
    unit_id = await may_edit(session, actor=actor)
    clean = cleaned(data)
    await _check_name(session, unit_id=unit_id, name=clean.name)
    found = await catastro_repo.add(session, CatastroEntry(unit_id=unit_id, **clean.as_dict(), created_at=now,
                                                           updated_at=now))
    await audit.record(session, actor=actor, action="catastro.create", record_type="catastro_entry",
                       record_id=found.id, unit_id=unit_id)
    return found


def apply(entry: CatastroEntry, data: EntryData, now: datetime) -> None:
    for field, value in data.as_dict().items():
        setattr(entry, field, value)
    entry.updated_at = now


async def edit_entry(session: AsyncSession, *, actor: Actor, entry_id: int, field: str, value,
                     now: datetime) -> CatastroEntry:
    """One field: a text (None or "" empties an optional one) or, for dimensions and needs, a list of ids."""
    found = await _editable(session, actor, entry_id)
    if field not in FIELDS:
        raise InvalidInput("unknown_field")
    if field in ("dimensions", "needs"):
        value = tuple(value or ())
    clean = cleaned(replace(entry_data(found), **{field: value}))
    if field == "name":
        await _check_name(session, unit_id=found.unit_id, name=clean.name, keep_id=found.id)
    apply(found, clean, now)
    await catastro_repo.add(session, found)
    await audit.record(session, actor=actor, action=f"catastro.edit.{field}", record_type="catastro_entry",
                       record_id=found.id, unit_id=found.unit_id)
    return found


async def deactivate(session: AsyncSession, *, actor: Actor, entry_id: int, now: datetime) -> CatastroEntry:
    """Out of the lists and of the families' search; kept (an old message may name it)."""
    found = await _editable(session, actor, entry_id)
    if not found.active:
        raise NotFound("catastro_entry")
    found.active, found.updated_at = False, now
    await catastro_repo.add(session, found)
    await audit.record(session, actor=actor, action="catastro.deactivate", record_type="catastro_entry",
                       record_id=found.id, unit_id=found.unit_id)
    return found
