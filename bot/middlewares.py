"""Outer middlewares: one database session per update, the person behind it, their language."""
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.fsm.middleware import FSMContextMiddleware
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.types import TelegramObject, Update
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot import update_transaction
from services import accounts
from services.viewer import Viewer, load_viewer
from storage import processed_updates_repo
from storage.session_scope import current_session
from storage.types import utc_now

log = logging.getLogger(__name__)

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class DbSessionMiddleware(BaseMiddleware):
    """One session per update; its writes are committed before each reply (bot/update_transaction.py) and
    at the end. With `once`, an update whose work is already committed (a redelivery) is acknowledged and
    skipped."""

    def __init__(self, session_factory: async_sessionmaker, *, once: bool = False):
        self.session_factory, self.once = session_factory, once

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        # The error path gets a fresh session: what the failed update had not committed yet was rolled back.
        async with self.session_factory() as session:
            update_transaction.track_writes(session)
            token = current_session.set(session)
            data["session"] = session
            try:
                if self.once and isinstance(event, Update):
                    bot_id = data["bot"].id
                    if await processed_updates_repo.was_processed(session, bot_id=bot_id, update_id=event.update_id):
                        log.info("update %s was handled already; acknowledged and skipped", event.update_id)
                        return UNHANDLED
                    # The real time, not the dispatcher's clock: housekeeping purges these after a real day.
                    update_transaction.remember_update(session, bot_id=bot_id, update_id=event.update_id,
                                                       at=utc_now())
                result = await handler(event, data)
                await update_transaction.commit(session)
                return result
            except Exception:
                # For the error handler: were some of this update's writes committed before it failed?
                data["saved_before_failure"] = bool(session.info.get(update_transaction.SAVED))
                raise
            finally:
                current_session.reset(token)


class ViewerMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user = data.get("event_from_user")
        if user is None:
            data["viewer"] = Viewer()
        else:
            viewer = data["viewer"] = await load_viewer(data["session"], telegram_user_id=user.id)
            if viewer.account is not None and viewer.account.blocked_at is not None and _written_by_them(event):
                await accounts.set_blocked(data["session"], account=viewer.account, now=None,  # so they unblocked us
                                           actor=viewer.actor)
        return await handler(event, data)


def _written_by_them(event: TelegramObject) -> bool:
    return isinstance(event, Update) and (event.message is not None or event.callback_query is not None)


class ErrorChatLockMiddleware(BaseMiddleware):
    """aiogram runs error handlers outside the per-chat lock (its errors middleware wraps the FSM one),
    yet ours write dialog state (back to the menu); take the chat's lock again for them."""

    def __init__(self, fsm: FSMContextMiddleware, isolation: BaseEventIsolation):
        self.fsm, self.isolation = fsm, isolation

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        context = self.fsm.resolve_event_context(data["bot"], data) if data.get("event_context") else None
        if context is None:
            return await handler(event, data)
        async with self.isolation.lock(context.key):
            return await handler(event, data)
