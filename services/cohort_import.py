"""Import a unit's cohort of families from CSV: all rows or none, with a per-row report."""
from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.cohort_csv import parse_cohort
from program.csv_rows import RowError
from program.roles import Role
from services import audit
from services.errors import NotFound
from storage import people_repo
from storage.models import Family, Member

CHUNK = 500


@dataclass(frozen=True)
class ImportReport:
    families: int
    members: int
    errors: list[RowError]


async def _in_chunks(lookup, session: AsyncSession, name: str, values: list[str], **kwargs) -> set[str]:
    """IN (...) lists stay well under the drivers' bound-parameter limits, whatever the file's size."""
    found: set[str] = set()
    for start in range(0, len(values), CHUNK):
        found |= await lookup(session, **{name: values[start:start + CHUNK]}, **kwargs)
    return found


async def import_cohort(session: AsyncSession, *, unit_id: int, text: str) -> ImportReport:
    if await people_repo.get_unit(session, unit_id=unit_id) is None:
        raise NotFound("unit")
    families, errors = parse_cohort(text)
    taken = await _in_chunks(people_repo.existing_family_codes, session, "codes", [f.code for f in families],
                             unit_id=unit_id)
    errors += [RowError(f.first_line, "family_code_exists", f.code) for f in families if f.code in taken]
    runs_in_use = await _in_chunks(people_repo.runs_in_use, session, "runs",
                                   [m.run for f in families for m in f.members])
    errors += [RowError(m.line, "run_in_use") for f in families for m in f.members if m.run in runs_in_use]
    if errors:
        return ImportReport(0, 0, sorted(errors, key=lambda error: error.line))

    admin = Actor(role=Role.ADMIN, unit_id=unit_id)
    members = 0
    for rows in families:
        family = await people_repo.add(session, Family(unit_id=unit_id, code=rows.code, family_name=rows.family_name,
                                                        sector=rows.sector or None, trajectory=rows.trajectory))
        for row in rows.members:
            session.add(Member(family_id=family.id, given_names=row.given_names, surnames=row.surnames,
                               run=row.run, relation=row.relation, birth_date=row.birth_date,
                               is_representative=row.is_representative, is_bono_collector=row.is_bono_collector))
            members += 1
        await audit.record(session, actor=admin, action="family.import", record_type="family", record_id=family.id)
    await session.flush()
    return ImportReport(len(families), members, [])
