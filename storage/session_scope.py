"""The database session of the update being handled, so helpers deep in the stack share it."""
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from contextvars import ContextVar

from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlmodel.ext.asyncio.session import AsyncSession

current_session: ContextVar[AsyncSession | None] = ContextVar("current_session", default=None)


@asynccontextmanager
async def session_scope(factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """Join the update's transaction if there is one; otherwise run a short one of our own."""
    session = current_session.get()
    if session is not None:
        yield session
        return
    async with factory() as session, session.begin():
        yield session
