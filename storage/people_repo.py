"""Units, staff, families and members: keyword-only functions that flush, never commit."""
from collections.abc import Sequence

from sqlalchemy import func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Family, Member, Staff, Unit
from storage.records import BonoFollowup, Commitment

CHUNK = 500  # IN (...) lists stay well under the drivers' bound-parameter limits
OPEN_COMMITMENT = ("pending", "in_progress")


async def add(session: AsyncSession, row):
    session.add(row)
    await session.flush()
    return row


async def get_unit(session: AsyncSession, *, unit_id: int) -> Unit | None:
    return await session.get(Unit, unit_id)


async def require_unit(session: AsyncSession, *, unit_id: int) -> Unit:
    """The unit a stored row points to: its foreign key guarantees that it exists."""
    unit = await session.get(Unit, unit_id)
    if unit is None:
        raise LookupError(f"unit {unit_id} does not exist")
    return unit


async def list_units(session: AsyncSession) -> Sequence[Unit]:
    return (await session.exec(select(Unit).order_by(col(Unit.id)))).all()


async def get_staff(session: AsyncSession, *, staff_id: int) -> Staff | None:
    return await session.get(Staff, staff_id)


async def list_staff(session: AsyncSession, *, unit_id: int) -> Sequence[Staff]:
    query = select(Staff).where(Staff.unit_id == unit_id).order_by(Staff.role, Staff.name)
    return (await session.exec(query)).all()


async def active_staff(session: AsyncSession, *, unit_id: int, role: str) -> Sequence[Staff]:
    query = select(Staff).where(Staff.unit_id == unit_id, Staff.role == role, col(Staff.active).is_(True))
    return (await session.exec(query.order_by(col(Staff.name), col(Staff.id)))).all()


async def get_family(session: AsyncSession, *, family_id: int) -> Family | None:
    return await session.get(Family, family_id)


async def find_family_by_code(session: AsyncSession, *, unit_id: int, code: str) -> Family | None:
    query = select(Family).where(Family.unit_id == unit_id, Family.code == code)
    return (await session.exec(query)).first()


async def existing_family_codes(session: AsyncSession, *, unit_id: int, codes: Sequence[str]) -> set[str]:
    if not codes:
        return set()
    query = select(Family.code).where(Family.unit_id == unit_id, col(Family.code).in_(codes))
    return set((await session.exec(query)).all())


def _families_query(*, unit_id: int, staff_id: int | None):
    query = select(Family).where(Family.unit_id == unit_id)
    if staff_id is not None:
        query = query.where(
            or_(col(Family.afi_id) == staff_id, col(Family.gestor_socio_id) == staff_id,
                col(Family.gestor_familiar_id) == staff_id)
        )
    return query


async def list_families(
    session: AsyncSession, *, unit_id: int, staff_id: int | None = None, offset: int = 0, limit: int = 50
) -> Sequence[Family]:
    query = _families_query(unit_id=unit_id, staff_id=staff_id).order_by(Family.family_name, Family.id)
    return (await session.exec(query.offset(offset).limit(limit))).all()


async def family_status_counts(session: AsyncSession, *, unit_id: int) -> dict[str, int]:
    query = select(Family.status, func.count()).where(Family.unit_id == unit_id).group_by(Family.status)
    return {status: count for status, count in (await session.exec(query)).all()}


async def get_member(session: AsyncSession, *, member_id: int) -> Member | None:
    return await session.get(Member, member_id)


async def list_members(session: AsyncSession, *, family_id: int) -> Sequence[Member]:
    query = select(Member).where(Member.family_id == family_id).order_by(
        col(Member.is_representative).desc(), col(Member.id)
    )
    return (await session.exec(query)).all()


async def representative(session: AsyncSession, *, family_id: int) -> Member | None:
    query = select(Member).where(Member.family_id == family_id, col(Member.is_representative).is_(True))
    return (await session.exec(query)).first()


async def runs_in_use(session: AsyncSession, *, runs: Sequence[str]) -> set[str]:
    if not runs:
        return set()
    query = select(Member.run).where(col(Member.run).in_(runs))
    return {run for run in (await session.exec(query)).all() if run is not None}


# ---- what "Mis familias" shows of many families at once ----------------------------------------------
def _chunks(ids: Sequence[int]):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


async def member_names(session: AsyncSession, *, family_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for chunk in _chunks(family_ids):
        query = select(Member.family_id, Member.given_names, Member.surnames).where(col(Member.family_id).in_(chunk))
        for family_id, given, surnames in (await session.exec(query)).all():
            found.setdefault(family_id, []).append(f"{given} {surnames}".strip())
    return found


async def open_commitment_counts(session: AsyncSession, *, family_ids: Sequence[int]) -> dict[int, int]:
    found: dict[int, int] = {}
    for chunk in _chunks(family_ids):
        query = (select(Commitment.family_id, func.count()).where(col(Commitment.family_id).in_(chunk),
                                                                  col(Commitment.status).in_(OPEN_COMMITMENT))
                 .group_by(col(Commitment.family_id)))
        found.update(dict((await session.exec(query)).all()))
    return found


async def latest_bono_answers(session: AsyncSession, *, family_ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Family id → (month "YYYY-MM", answer) of its newest month with an answer."""
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(family_ids):
        newest = (select(BonoFollowup.family_id, func.max(BonoFollowup.month).label("month"))
                  .where(col(BonoFollowup.family_id).in_(chunk)).group_by(col(BonoFollowup.family_id)).subquery())
        query = select(BonoFollowup.family_id, BonoFollowup.month, BonoFollowup.answer).join(
            newest, (col(BonoFollowup.family_id) == newest.c.family_id) & (col(BonoFollowup.month) == newest.c.month))
        found.update({family_id: (month, answer) for family_id, month, answer in (await session.exec(query)).all()})
    return found


async def blocked_families_of(session: AsyncSession, *, family_ids: set[int], member_ids: set[int],
                              ) -> list[tuple[int, int | None]]:
    """(family id, member id) of the blocked families among these families or these members' families."""
    query = (select(Family.id, Member.id).join(Member, col(Member.family_id) == Family.id, isouter=True)
             .where(col(Family.blocked_at).is_not(None),
                    col(Family.id).in_(family_ids) | col(Member.id).in_(member_ids)))
    return list((await session.exec(query)).all())
