"""Long polling that confirms an update to Telegram only after it was handled.

aiogram's polling moves getUpdates' offset past every update as soon as it is handed to a task, so an
update that fails because the database is down is confirmed and lost (nobody gets a reply, nothing is
saved). Here each batch is handled (concurrently; the chat lock keeps one chat's updates in order) and
the offset moves past an update only when it was handled, or failed for a reason of its own. When
updates failed because the database cannot be reached, the offset stays at the first of them, polling
backs off, and Telegram hands the batch again; the updates of that batch that did get committed are
then skipped (processed_update, bot/update_transaction.py).
"""
import asyncio
import logging
from collections.abc import AsyncGenerator

from aiogram import Bot, Dispatcher
from aiogram.methods import GetUpdates
from aiogram.types import Update
from aiogram.utils.backoff import Backoff, BackoffConfig
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.reachability import database_reachable, database_unreachable

log = logging.getLogger(__name__)

BACKOFF = BackoffConfig(min_delay=1.0, max_delay=30.0, factor=2.0, jitter=0.1)


class ConfirmingDispatcher(Dispatcher):
    def __init__(self, *, engine: AsyncEngine, **kwargs):
        super().__init__(**kwargs)
        self.engine = engine
        # Update ids of the batch being polled whose handling failed with a database connection error.
        self.database_failures: set[int] = set()
        self._polling_now = False

    async def feed_update(self, bot: Bot, update: Update, **kwargs):
        try:
            return await super().feed_update(bot, update, **kwargs)
        except Exception as error:
            # The error handler, failing on the database too, raises its own error with this one as context.
            if self._polling_now and any(map(database_unreachable, _chain(error))):
                self.database_failures.add(update.update_id)
            raise

    # aiogram declares _listen_updates a classmethod; this one needs the instance (the batch's failures, the
    # engine, the running tasks). aiogram calls it through self, so an instance method works; mypy cannot know.
    async def _listen_updates(  # type: ignore[override]
            self, bot: Bot, polling_timeout: int = 30, backoff_config: BackoffConfig = BACKOFF,
            allowed_updates: list[str] | None = None) -> AsyncGenerator[Update, None]:
        self._polling_now = True  # from now on feed_update notes database failures for this loop
        backoff = Backoff(config=BACKOFF)
        get_updates = GetUpdates(timeout=polling_timeout, allowed_updates=allowed_updates)
        kwargs = {"request_timeout": int(bot.session.timeout + polling_timeout)} if bot.session.timeout else {}
        while True:
            try:
                updates = await bot(get_updates, **kwargs)
            except Exception as error:  # noqa: BLE001 — Telegram unreachable: keep trying
                log.warning("could not fetch updates (%s); next try in %.0f s", type(error).__name__,
                            backoff.next_delay)
                await backoff.asleep()
                continue
            for update in updates:
                yield update  # aiogram's _polling starts a task for it
            await self._batch_finished()
            failed = sorted(u.update_id for u in updates if u.update_id in self.database_failures)
            self.database_failures.difference_update(failed)
            if failed and not await database_reachable(self.engine):
                # Not confirmed: Telegram hands these (and the later ones of the batch) again.
                get_updates.offset = failed[0]
                log.warning("database unreachable: %d update(s) kept for later; next try in %.0f s",
                            len(updates) - [u.update_id for u in updates].index(failed[0]), backoff.next_delay)
                await backoff.asleep()
                continue
            backoff.reset()
            if updates:
                get_updates.offset = updates[-1].update_id + 1

    async def _batch_finished(self) -> None:
        tasks = [task for task in self._handle_update_tasks if not task.done()]
        if tasks:
            await asyncio.wait(tasks)


def _chain(error: BaseException | None):
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = error.__cause__ or error.__context__
