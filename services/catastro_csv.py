"""The Catastro to and from CSV, from the chat (a document the Gestor sends) or the admin's command line.

An import is all or nothing: every bad row is reported and then nothing is written. A row whose name
(case and accents aside) is already in the unit's Catastro updates that entry (and makes it active
again), so a unit can export, correct in a spreadsheet and import again; other rows are added.
"""
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor, can_view_catastro
from program.catastro import fold
from program.catastro_csv import format_catastro, parse_catastro
from program.csv_rows import RowError
from services import audit
from services.catastro import apply, by_name, entry_data, may_edit
from services.errors import NotAllowed, NotFound
from storage import catastro_repo, people_repo
from storage.catastro import CatastroEntry


@dataclass(frozen=True)
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: tuple[RowError, ...] = ()


def _existing(entries: list[CatastroEntry]) -> dict[str, CatastroEntry]:
    """By folded name; an active entry wins over an inactive one of the same name, then the newest."""
    found: dict[str, CatastroEntry] = {}
    for e in sorted(entries, key=lambda e: (e.active, e.id)):
        found[fold(e.name)] = e
    return found


async def _unit(session: AsyncSession, unit_id: int | None) -> int:
    if unit_id is None or await people_repo.get_unit(session, unit_id=unit_id) is None:
        raise NotFound("unit")
    return unit_id


async def import_catastro(session: AsyncSession, *, actor: Actor, text: str, now: datetime,
                          unit_id: int | None = None) -> ImportReport:
    """`unit_id` for the admin (Actor role admin); the unit's staff import into their own unit."""
    unit_id = await may_edit(session, actor=actor, unit_id=unit_id)
    await _unit(session, unit_id)
    rows, errors = parse_catastro(text)
    if errors:
        return ImportReport(errors=tuple(errors))
    known = _existing(list(await catastro_repo.list_entries(session, unit_id=unit_id, active_only=False)))
    created = updated = unchanged = 0
    for row in rows:
        entry = known.get(fold(row.data.name))
        if entry is None:
            entry = await catastro_repo.add(session, CatastroEntry(unit_id=unit_id, **row.data.as_dict(),
                                                                   created_at=now, updated_at=now))
            created += 1
            action = "catastro.import.create"
        elif entry.active and entry_data(entry) == row.data:
            unchanged += 1
            continue
        else:
            apply(entry, row.data, now)
            entry.active = True
            await catastro_repo.add(session, entry)
            updated += 1
            action = "catastro.import.update"
        await audit.record(session, actor=actor, action=action, record_type="catastro_entry", record_id=entry.id,
                           unit_id=unit_id)
    return ImportReport(created, updated, unchanged)


async def export_catastro(session: AsyncSession, *, actor: Actor, unit_id: int | None = None) -> tuple[str, int]:
    """Every active entry as CSV text (header first) and how many there are; any professional of the unit."""
    unit_id = unit_id if unit_id is not None else (actor.unit_id if actor else None)
    if actor is None or unit_id is None or not can_view_catastro(actor, unit_id):
        await audit.record(session, actor=actor, action="denied.catastro.export", record_type="unit",
                           record_id=unit_id)
        raise NotAllowed("catastro")
    await _unit(session, unit_id)
    entries = by_name(await catastro_repo.list_entries(session, unit_id=unit_id))
    await audit.record(session, actor=actor, action="catastro.export", record_type="unit", record_id=unit_id,
                       unit_id=unit_id)
    return format_catastro(entry_data(e) for e in entries), len(entries)
