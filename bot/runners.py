"""Long polling (embedded default) and webhook (production) runners, plus the worker."""
import asyncio
import contextlib
import logging
import signal
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.exceptions import TelegramUnauthorizedError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.app import build_bot, build_dispatcher
from bot.reachability import (DATABASE_UNREACHABLE, TELEGRAM_UNREACHABLE, database_address, database_reachable,
                              database_unreachable, telegram_unreachable, until_reachable)
from bot.scheduler import Scheduler
from bot.settings import TOKEN_REFUSED, Settings, SettingsError
from bot.telegram_sender import TelegramSender
from services.delivery import OutboxDispatcher
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade_async
from storage.types import utc_now
from texts.scheduled_messages import render

log = logging.getLogger(__name__)

ENGINE = web.AppKey("engine", AsyncEngine)
WEBHOOK_PATH = "/telegram/webhook"
HEALTH_PATH = "/healthz"
STARTUP_CALL_TIMEOUT = 15.0  # seconds a non-essential start-up call may hold up the start
DRAIN_TIMEOUT = 30.0  # seconds updates in progress get to finish when polling stops


@dataclass
class Runtime:
    """Everything one bot process needs, built from Settings."""

    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    engine: AsyncEngine
    session_factory: async_sessionmaker

    async def close(self) -> None:
        try:
            await self.bot.session.close()
        finally:
            await self.engine.dispose()


async def prepare(settings: Settings) -> Runtime:
    """Wait for the database, migrate the embedded SQLite one, build Bot and Dispatcher, and set the default
    command menus."""
    bot = build_bot(settings)  # checks the token; opens nothing yet
    engine = make_engine(settings.database_url)  # also creates the SQLite file's folder (data/ on a new install)
    await wait_for_database(engine, settings)
    if settings.is_sqlite:
        await upgrade_async(settings.database_url)  # the embedded default needs no separate step
    factory = make_session_factory(engine)
    dispatcher = build_dispatcher(settings=settings, engine=engine, session_factory=factory)
    runtime = Runtime(settings, bot, dispatcher, engine, factory)
    await _best_effort("set the default command menus", dispatcher["command_menus"].apply_default(runtime.bot))
    return runtime


async def wait_for_database(engine: AsyncEngine, settings: Settings) -> None:
    async def select_one() -> None:
        async with engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    await until_reachable(select_one, unreachable=database_unreachable, sentence=DATABASE_UNREACHABLE,
                          where=database_address(settings.database_url), locale=settings.default_locale)


async def wait_for_telegram(bot: Bot, settings: Settings, call: Callable[[], Awaitable[object]] | None = None):
    """getMe (or `call`) until the Bot API answers; a wrong token is not retried (SettingsError)."""
    try:
        return await until_reachable(call or bot.me, unreachable=telegram_unreachable, sentence=TELEGRAM_UNREACHABLE,
                                     where=settings.bot_api_base_url, locale=settings.default_locale)
    except TelegramUnauthorizedError:
        raise SettingsError(TOKEN_REFUSED) from None


async def _best_effort(what: str, call: Awaitable[object]) -> None:
    """A non-essential start-up call: a failure or a hanging API is logged, and the bot starts anyway."""
    try:
        async with asyncio.timeout(STARTUP_CALL_TIMEOUT):
            await call
    except Exception as error:  # noqa: BLE001 — by definition nothing depends on it
        log.warning("could not %s (%s); starting anyway", what, type(error).__name__)


# ---- long polling ---------------------------------------------------------------------------------


async def run_polling(settings: Settings) -> None:
    runtime = await prepare(settings)
    try:
        await poll(runtime)
    finally:
        await runtime.close()


async def poll(runtime: Runtime, *, handle_signals: bool = True, polling_timeout: int = 10) -> None:
    """Long polling plus the scheduler (outbox, planner, clean-up), in one process; returns after
    `dispatcher.stop_polling()` (or SIGINT/SIGTERM) once the updates in progress have finished. Leaves
    the Bot session open."""
    bot, dispatcher = runtime.bot, runtime.dispatcher
    scheduler = build_scheduler(runtime.bot, runtime.engine, runtime.session_factory, runtime.settings)
    scheduler.start()
    try:
        await wait_for_telegram(bot, runtime.settings)
        # Polling only works without a webhook; if this fails, getUpdates reports the conflict and retries.
        await _best_effort("delete the webhook", bot.delete_webhook(drop_pending_updates=False))
        log.info("polling started")
        await dispatcher.start_polling(bot, polling_timeout=polling_timeout, handle_signals=handle_signals,
                                       close_bot_session=False,
                                       allowed_updates=dispatcher.resolve_used_update_types())
    finally:
        try:
            await drain(dispatcher)
        finally:
            await scheduler.stop()


async def drain(dispatcher: Dispatcher, timeout: float = DRAIN_TIMEOUT) -> None:
    """Wait for the updates polling handed to tasks (aiogram does not wait for them when it stops)."""
    tasks = {task for task in getattr(dispatcher, "_handle_update_tasks", ()) if not task.done()}
    if not tasks:
        return
    log.info("waiting for %d update(s) in progress", len(tasks))
    _done, pending = await asyncio.wait(tasks, timeout=timeout)
    for task in pending:
        task.cancel()
    await asyncio.gather(*pending, return_exceptions=True)


# ---- webhook --------------------------------------------------------------------------------------


def build_webhook_app(bot: Bot, dispatcher: Dispatcher, settings: Settings) -> web.Application:
    if not settings.webhook_secret:
        # aiogram would accept every request without a secret: never serve the webhook like that.
        raise ValueError("the webhook needs WEBHOOK_SECRET")
    app = web.Application()
    # handle_in_background=False: Telegram gets its 200 only after the update was handled and committed,
    # so a crash makes Telegram deliver the update again instead of losing it. Requests whose
    # X-Telegram-Bot-Api-Secret-Token header is not the secret get 401 and are not processed.
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False,
                         secret_token=settings.webhook_secret).register(app, path=WEBHOOK_PATH)
    app.router.add_get(HEALTH_PATH, _healthz)
    app[ENGINE] = dispatcher.engine
    setup_application(app, dispatcher, bot=bot)
    return app


async def _healthz(request: web.Request) -> web.Response:
    """200 only when the database answers SELECT 1 within HEALTH_TIMEOUT: a worker that cannot save
    anything should be taken out of rotation (and updates sent to it fail, so Telegram keeps them)."""
    if await database_reachable(request.app[ENGINE]):
        return web.json_response({"ok": True})
    return web.json_response({"ok": False, "database": "unreachable"}, status=503)


async def run_webhook(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """Serve the webhook until `stop` is set (by default: until SIGINT/SIGTERM). No scheduler here:
    several web workers may run, and the one `worker` process runs the scheduler."""
    settings.require_webhook()  # https:// URL and a secret Telegram accepts, or a SettingsError for the admin
    runtime = await prepare(settings)
    try:
        bot, dispatcher = runtime.bot, runtime.dispatcher
        runner = web.AppRunner(build_webhook_app(bot, dispatcher, settings))
        await runner.setup()
        try:
            # Listen first, then tell Telegram: updates it sends right away find the server up.
            await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
            log.info("webhook listening on %s", ", ".join(map(str, runner.addresses)))
            await wait_for_telegram(bot, settings, lambda: bot.set_webhook(
                settings.webhook_url.rstrip("/") + WEBHOOK_PATH, secret_token=settings.webhook_secret,
                allowed_updates=dispatcher.resolve_used_update_types()))
            with _stop_signals(stop) as stopping:
                await stopping.wait()
        finally:
            await runner.cleanup()  # waits for requests in progress, then closes the Bot session
    finally:
        await runtime.close()


# ---- worker ---------------------------------------------------------------------------------------


def build_scheduler(bot: Bot, engine: AsyncEngine, session_factory: async_sessionmaker,
                    settings: Settings) -> Scheduler:
    dispatcher = OutboxDispatcher(session_factory, TelegramSender(bot), render, clock=utc_now,
                                  default_locale=settings.default_locale)
    return Scheduler(engine, session_factory, dispatcher=dispatcher)


async def run_worker(settings: Settings, *, stop: asyncio.Event | None = None) -> None:
    """The one scheduler of a multi-worker deployment (the Procfile runs exactly one `worker`; see
    bot/scheduler.py for what keeps a second one idle)."""
    bot = build_bot(settings)
    engine = make_engine(settings.database_url)
    await wait_for_database(engine, settings)
    scheduler = build_scheduler(bot, engine, make_session_factory(engine), settings)
    try:
        scheduler.start()
        log.info("worker started")
        with _stop_signals(stop) as stopping:
            await stopping.wait()
    finally:
        try:
            await scheduler.stop()
        finally:
            await bot.session.close()
            await engine.dispose()


@contextlib.contextmanager
def _stop_signals(stop: asyncio.Event | None) -> Iterator[asyncio.Event]:
    """The given event, or one that SIGINT/SIGTERM set, so the process stops cleanly (platforms send SIGTERM)."""
    if stop is not None:
        yield stop
        return
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    installed = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):  # Windows, not the main thread
            loop.add_signal_handler(sig, stop.set)
            installed.append(sig)
    try:
        yield stop
    finally:
        for sig in installed:
            loop.remove_signal_handler(sig)
