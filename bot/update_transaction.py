"""What a confirmation means: the data it confirms is committed before it is sent.

One database session per update (bot/middlewares.py), but not one commit at the end: the update's writes
so far are committed before every Bot API request made during the update (CommitBeforeRequest, on the
Bot's request path). So when Telegram fails the reply that says "Guardado ✅" (5xx, 429, a timeout), the
write stays saved; only what the update would have written after that reply is lost, and the person was
never told it was saved. Dialog state written through the FSM storage joins the same transaction.

The update's processed_update row (storage/processed_updates.py) rides along with its first commit that
carries a write, or with the final one, so a redelivered update is recognised exactly when its work is in
the database.
"""
import asyncio
import logging
from datetime import datetime

from aiogram import Bot
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import TelegramMethod
from sqlalchemy import event
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import processed_updates_repo
from storage.session_scope import current_session

log = logging.getLogger(__name__)

WROTE = "update_wrote"  # session.info: something was written since the last commit
SAVED = "update_saved"  # session.info: this update committed a write (for the error handler's words)
MARK = "update_mark"  # session.info: the processed_update row still to be written, as keyword arguments
LOCK = "update_commit_lock"
RETRIES_ON_429 = 2  # an interactive reply waits Telegram's retry_after at most this many times...
LONGEST_WAIT = 10  # ...and only when each wait is this many seconds or less (the person is waiting)


def track_writes(session: AsyncSession) -> None:
    def flushed(*_args) -> None:
        session.info[WROTE] = True

    def executed(state) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            session.info[WROTE] = True

    event.listen(session.sync_session, "after_flush", flushed)
    event.listen(session.sync_session, "do_orm_execute", executed)


def has_writes(session: AsyncSession) -> bool:
    return bool(session.info.get(WROTE) or session.new or session.dirty or session.deleted)


def remember_update(session: AsyncSession, *, bot_id: int, update_id: int, at: datetime) -> None:
    session.info[MARK] = {"bot_id": bot_id, "update_id": update_id, "at": at}


async def commit(session: AsyncSession) -> None:
    """Commit the update's work so far, with its processed_update row the first time."""
    wrote = has_writes(session)
    mark = session.info.pop(MARK, None)
    if mark is not None:
        await processed_updates_repo.mark_processed(session, **mark)
    await session.commit()
    session.info[WROTE] = False
    if wrote:
        session.info[SAVED] = True


class CommitBeforeRequest(BaseRequestMiddleware):
    """Installed on every Bot (bot/app.py build_bot); acts only inside an update, where a session is current."""

    async def __call__(self, make_request: NextRequestMiddlewareType, bot: Bot, method: TelegramMethod):
        session = current_session.get()
        if session is None:  # polling's getUpdates, the outbox, start-up calls: nothing to commit or wait for
            return await make_request(bot, method)
        if has_writes(session):
            # Two requests of one update at once (gather) must not commit the same session twice.
            async with session.info.setdefault(LOCK, asyncio.Lock()):
                if has_writes(session):
                    await commit(session)
        for attempt in range(RETRIES_ON_429 + 1):
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if attempt == RETRIES_ON_429 or error.retry_after > LONGEST_WAIT:
                    raise
                log.info("Telegram asked to wait %s s before %s; waiting", error.retry_after, type(method).__name__)
                await asyncio.sleep(error.retry_after)
