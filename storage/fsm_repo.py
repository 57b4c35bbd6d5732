"""Rows of dialog state: one per storage key, with the state name and its data as JSON."""
import json
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import FsmRecord
from storage.types import utc_now


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


async def load(session: AsyncSession, *, key: str) -> FsmRecord | None:
    return await session.get(FsmRecord, key)


async def save(session: AsyncSession, *, key: str, state: str | None = ..., data: dict | None = None) -> None:
    """Write the state (when given) and/or data; an empty record is deleted to keep the table small."""
    record = await session.get(FsmRecord, key)
    stored = record is not None
    if record is None:
        record = FsmRecord(key=key)
    if state is not ...:
        record.state = state
    if data is not None:
        record.data = dumps(data)
    record.updated_at = utc_now()
    if record.state is None and record.data in ("{}", ""):
        if stored:
            await session.delete(record)
    else:
        session.add(record)
    await session.flush()
