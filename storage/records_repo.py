"""Session records, commitments, Matriz states, visits, bono follow-up and indicators:
keyword-only functions that flush, never commit."""
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Staff
from storage.records import (
    BonoFollowup,
    Commitment,
    CommitmentEvent,
    Indicator,
    MatrizState,
    SessionRecord,
    Visit,
)

CHUNK = 500  # IN (...) lists stay well under the drivers' bound-parameter limits


async def add(session: AsyncSession, row):
    session.add(row)
    await session.flush()
    return row


async def add_all(session: AsyncSession, rows: Iterable) -> None:
    session.add_all(list(rows))
    await session.flush()


# ---- session records ---------------------------------------------------------------------------
async def list_records(session: AsyncSession, *, family_id: int) -> Sequence[SessionRecord]:
    query = select(SessionRecord).where(SessionRecord.family_id == family_id).order_by(
        col(SessionRecord.held_on), col(SessionRecord.id))
    return (await session.exec(query)).all()


async def outcomes_by_family(
    session: AsyncSession, *, family_ids: Sequence[int]
) -> dict[int, list[tuple[str, str, date, str]]]:
    """(track, code, held_on, outcome) of every record, per family: what the trajectory needs."""
    found: dict[int, list[tuple[str, str, date, str]]] = defaultdict(list)
    ids = list(family_ids)
    for start in range(0, len(ids), CHUNK):
        # sqlmodel.select is typed for up to four columns; SQLAlchemy takes any number.
        query = (select(SessionRecord.family_id, SessionRecord.track, SessionRecord.code,  # type: ignore[call-overload]
                        SessionRecord.held_on, SessionRecord.outcome)
                 .where(col(SessionRecord.family_id).in_(ids[start:start + CHUNK]))
                 .order_by(SessionRecord.held_on, SessionRecord.id))
        for family_id, track, code, held_on, outcome in (await session.exec(query)).all():
            found[family_id].append((track, code, held_on, outcome))
    return found


# ---- commitments ---------------------------------------------------------------------------------
async def get_commitment(session: AsyncSession, *, commitment_id: int) -> Commitment | None:
    return await session.get(Commitment, commitment_id)


async def list_commitments(session: AsyncSession, *, family_id: int, plan: str | None = None) -> Sequence[Commitment]:
    query = select(Commitment).where(Commitment.family_id == family_id)
    if plan is not None:
        query = query.where(Commitment.plan == plan)
    return (await session.exec(query.order_by(col(Commitment.plan), col(Commitment.id)))).all()


async def family_commitment_news(session: AsyncSession, *, family_id: int, actor_type: str, limit: int,
                                 ) -> list[tuple[CommitmentEvent, Commitment]]:
    """The latest events of a family's commitments written by one kind of actor, newest first."""
    query = (select(CommitmentEvent, Commitment)
             .join(Commitment, col(Commitment.id) == col(CommitmentEvent.commitment_id))
             .where(Commitment.family_id == family_id, CommitmentEvent.actor_type == actor_type)
             .order_by(col(CommitmentEvent.at).desc(), col(CommitmentEvent.id).desc()).limit(limit))
    return list((await session.exec(query)).all())


async def commitment_history(session: AsyncSession, *, commitment_id: int) -> Sequence[CommitmentEvent]:
    query = select(CommitmentEvent).where(CommitmentEvent.commitment_id == commitment_id).order_by(
        col(CommitmentEvent.at), col(CommitmentEvent.id))
    return (await session.exec(query)).all()


# ---- Matriz de Bienestar --------------------------------------------------------------------------
async def get_matriz_state(
    session: AsyncSession, *, family_id: int, indicator_code: str, moment: str
) -> MatrizState | None:
    query = select(MatrizState).where(MatrizState.family_id == family_id, MatrizState.indicator_code == indicator_code,
                                      MatrizState.moment == moment)
    return (await session.exec(query)).first()


async def matriz_states(session: AsyncSession, *, family_id: int, moment: str | None = None) -> Sequence[MatrizState]:
    query = select(MatrizState).where(MatrizState.family_id == family_id)
    if moment is not None:
        query = query.where(MatrizState.moment == moment)
    return (await session.exec(query.order_by(MatrizState.moment, MatrizState.indicator_code))).all()


async def unit_indicators(session: AsyncSession, *, unit_id: int | None) -> Sequence[Indicator]:
    """A unit's imported list (unit_id None: the country-wide list, if one was imported)."""
    query = select(Indicator).where(
        col(Indicator.unit_id).is_(None) if unit_id is None else Indicator.unit_id == unit_id)
    return (await session.exec(query.order_by(col(Indicator.dimension), col(Indicator.id)))).all()


# ---- visits ----------------------------------------------------------------------------------------
async def planned_visits(session: AsyncSession, *, family_id: int) -> Sequence[Visit]:
    query = (select(Visit).where(Visit.family_id == family_id, Visit.status == "planned")
             .order_by(col(Visit.at), col(Visit.id)))
    return (await session.exec(query)).all()


async def upcoming_visits(session: AsyncSession, *, family_id: int, after: datetime,
                          ) -> list[tuple[Visit, str | None]]:
    """A family's planned visits after that moment, the soonest first, with the professional's name."""
    query = (select(Visit, Staff.name).join(Staff, col(Staff.id) == col(Visit.staff_id), isouter=True)
             .where(Visit.family_id == family_id, Visit.status == "planned", col(Visit.at) > after)
             .order_by(col(Visit.at)))
    return list((await session.exec(query)).all())


# ---- Bono de Protección follow-up ---------------------------------------------------------------------
async def get_bono_followup(session: AsyncSession, *, family_id: int, month: str) -> BonoFollowup | None:
    query = select(BonoFollowup).where(BonoFollowup.family_id == family_id, BonoFollowup.month == month)
    return (await session.exec(query)).first()
