"""Rows of dialog state: one per storage key, with the state name and its data as JSON."""
import json
from datetime import date, datetime
from types import EllipsisType

from sqlalchemy import Table, delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import FsmRecord
from storage.types import utc_now

TABLE: Table = FsmRecord.__table__  # type: ignore[attr-defined]  # set by SQLModel's metaclass, not declared
EMPTY = "{}"


def _encode(value):
    # Dialog data may hold dates; keep their type across a restart instead of turning them into text.
    if isinstance(value, datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, date):
        return {"__date__": value.isoformat()}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def _decode(obj: dict):
    if len(obj) == 1:
        if "__datetime__" in obj:
            return datetime.fromisoformat(obj["__datetime__"])
        if "__date__" in obj:
            return date.fromisoformat(obj["__date__"])
    return obj


def dumps(data: dict) -> str:
    return json.dumps(data, default=_encode, ensure_ascii=False, separators=(",", ":"))


def loads(text: str) -> dict:
    return json.loads(text or "{}", object_hook=_decode)


async def load_state(session: AsyncSession, *, key: str) -> str | None:
    # Plain column reads, no ORM objects: a stale copy in the identity map could hide a newer write.
    return (await session.exec(select(col(FsmRecord.state)).where(col(FsmRecord.key) == key))).one_or_none()


async def load_data(session: AsyncSession, *, key: str) -> dict:
    data = (await session.exec(select(col(FsmRecord.data)).where(col(FsmRecord.key) == key))).one_or_none()
    return loads(data or EMPTY)


async def save(session: AsyncSession, *, key: str, state: str | None | EllipsisType = ...,
               data: dict | None = None) -> None:
    """Write the state (when given) and/or data; an empty record is deleted to keep the table small.

    Upsert, not read-then-write: a second writer of the same key (another worker, an error handler
    outside the chat lock) then overwrites instead of failing on the primary key.
    """
    values: dict[str, object] = {}
    if state is not ...:
        values["state"] = state
    if data is not None:
        values["data"] = dumps(data)
    if not values:
        return
    values["updated_at"] = utc_now()
    if values.get("state") is None and values.get("data", EMPTY) == EMPTY:
        # A missing record stays missing; an existing one is cleared, and deleted once empty.
        await session.exec(update(TABLE).where(TABLE.c.key == key).values(**values))
        await session.exec(delete(TABLE).where(TABLE.c.key == key, TABLE.c.state.is_(None), TABLE.c.data == EMPTY))
        return
    insert = _dialect_insert(session)(TABLE).values(**({"key": key, "state": None, "data": EMPTY} | values))
    await session.exec(insert.on_conflict_do_update(index_elements=[TABLE.c.key], set_=values))


def _dialect_insert(session: AsyncSession):
    return pg_insert if session.sync_session.get_bind().dialect.name == "postgresql" else sqlite_insert
