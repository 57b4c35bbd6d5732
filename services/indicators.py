"""The Matriz de Bienestar indicators a unit works with: its own imported list, or the shipped seeds.

The official list has 63 indicators and changes between program years, so it is data a unit imports
(`python -m bot indicators-import --unit ID FILE.csv`), never code.
"""
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from sqlmodel.ext.asyncio.session import AsyncSession

from program.access import Actor
from program.matriz import DIMENSIONS, Indicator, Matriz, load_matriz, merge_indicators_csv
from program.roles import Role
from services import audit
from services.errors import NotFound
from storage import people_repo, records_repo
from storage import records as tables
from storage.types import utc_now


@cache
def seed_matriz() -> Matriz:
    return load_matriz()


@dataclass(frozen=True)
class IndicatorImport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[str] = field(default_factory=list)  # per row, from program.matriz (Spanish)
    empty: bool = False  # a header and no rows: nothing to import

    @property
    def ok(self) -> bool:
        return not self.errors and not self.empty


def _order(indicator: Indicator) -> tuple[int, str]:
    digits = "".join(c for c in indicator.code if c.isdigit())
    return (int(digits) if digits else 0, indicator.code)


def by_dimension(indicators: list[Indicator]) -> dict[str, list[Indicator]]:
    """Every dimension id as a key (in the program's order), its indicators by number."""
    grouped: dict[str, list[Indicator]] = {dimension.id: [] for dimension in DIMENSIONS}
    for indicator in sorted(indicators, key=_order):
        grouped.setdefault(indicator.dimension, []).append(indicator)
    return grouped


async def indicators_for_unit(session: AsyncSession, *, unit_id: int) -> dict[str, list[Indicator]]:
    """The unit's imported list; else a country-wide imported list; else program/data/matriz.yaml."""
    rows = await records_repo.unit_indicators(session, unit_id=unit_id)
    if not rows:
        rows = await records_repo.unit_indicators(session, unit_id=None)
    if rows:
        return by_dimension([Indicator(code=row.code, dimension=row.dimension, text=row.text) for row in rows])
    return by_dimension(list(seed_matriz().indicators))


async def indicator_codes(session: AsyncSession, *, unit_id: int) -> set[str]:
    grouped = await indicators_for_unit(session, unit_id=unit_id)
    return {indicator.code for indicators in grouped.values() for indicator in indicators}


async def import_indicators(
    session: AsyncSession, *, unit_id: int, text: str, now: datetime | None = None
) -> IndicatorImport:
    """All rows or none: any bad row and nothing is written. Known codes are updated, new ones added;
    codes missing from the file stay (states already recorded against them keep their meaning)."""
    if await people_repo.get_unit(session, unit_id=unit_id) is None:
        raise NotFound("unit")
    parsed, errors = merge_indicators_csv(text, seed_matriz().dimensions)
    if errors:
        return IndicatorImport(errors=errors)
    if not parsed:
        return IndicatorImport(empty=True)
    now = now or utc_now()
    existing = {row.code: row for row in await records_repo.unit_indicators(session, unit_id=unit_id)}
    admin = Actor(role=Role.ADMIN, unit_id=unit_id)
    created = updated = unchanged = 0
    for indicator in parsed:
        row = existing.get(indicator.code)
        if row is not None and (row.dimension, row.text) == (indicator.dimension, indicator.text):
            unchanged += 1
            continue
        if row is None:
            row = tables.Indicator(unit_id=unit_id, code=indicator.code, dimension=indicator.dimension,
                                   text=indicator.text)
            action = "indicator.create"
            created += 1
        else:
            action = "indicator.update"
            updated += 1
        row.dimension, row.text, row.updated_at = indicator.dimension, indicator.text, now
        await records_repo.add(session, row)
        await audit.record(session, actor=admin, action=action, record_type="indicator", record_id=row.id,
                           unit_id=unit_id)
    return IndicatorImport(created=created, updated=updated, unchanged=unchanged)
