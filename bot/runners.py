"""Long polling (embedded default) and webhook (production) runners, plus the worker."""
import asyncio
import logging

from aiogram import Bot, Dispatcher
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web

from bot.app import build_bot, build_dispatcher
from bot.housekeeping import build_scheduler
from bot.settings import Settings
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade_async

log = logging.getLogger(__name__)
WEBHOOK_PATH = "/telegram/webhook"


async def _prepare(settings: Settings) -> tuple[Bot, Dispatcher, object, object]:
    bot = build_bot(settings)
    if settings.is_sqlite:
        await upgrade_async(settings.database_url)  # the embedded default needs no separate step
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    dispatcher = build_dispatcher(settings=settings, engine=engine, session_factory=factory)
    await dispatcher["command_menus"].apply_default(bot)
    return bot, dispatcher, engine, factory


async def run_polling(settings: Settings) -> None:
    bot, dispatcher, engine, factory = await _prepare(settings)
    scheduler = build_scheduler(factory)
    scheduler.start()
    try:
        await bot.delete_webhook(drop_pending_updates=False)
        log.info("polling started")
        await dispatcher.start_polling(bot, allowed_updates=dispatcher.resolve_used_update_types())
    finally:
        scheduler.shutdown(wait=False)
        await engine.dispose()


def build_webhook_app(bot: Bot, dispatcher: Dispatcher, settings: Settings) -> web.Application:
    app = web.Application()
    # handle_in_background=False: Telegram gets its 200 only after the update was handled and committed,
    # so a crash makes Telegram deliver the update again instead of losing it.
    SimpleRequestHandler(dispatcher, bot, handle_in_background=False,
                         secret_token=settings.webhook_secret or None).register(app, path=WEBHOOK_PATH)
    app.router.add_get("/healthz", _healthz)
    setup_application(app, dispatcher, bot=bot)
    return app


async def _healthz(_request: web.Request) -> web.Response:
    return web.json_response({"ok": True})


async def run_webhook(settings: Settings) -> None:
    if not settings.webhook_url or not settings.webhook_secret:
        raise SystemExit("WEBHOOK_URL and WEBHOOK_SECRET are required in webhook mode.")
    bot, dispatcher, engine, _factory = await _prepare(settings)
    await bot.set_webhook(settings.webhook_url.rstrip("/") + WEBHOOK_PATH, secret_token=settings.webhook_secret,
                          allowed_updates=dispatcher.resolve_used_update_types())
    runner = web.AppRunner(build_webhook_app(bot, dispatcher, settings))
    await runner.setup()
    await web.TCPSite(runner, settings.webhook_host, settings.webhook_port).start()
    log.info("webhook listening on port %s", settings.webhook_port)
    try:
        await asyncio.Event().wait()
    finally:
        await runner.cleanup()
        await engine.dispose()


async def run_worker(settings: Settings) -> None:
    """The one scheduler of a multi-worker deployment (the Procfile runs exactly one `worker`)."""
    engine = make_engine(settings.database_url)
    scheduler = build_scheduler(make_session_factory(engine))
    scheduler.start()
    log.info("worker started")
    try:
        await asyncio.Event().wait()
    finally:
        scheduler.shutdown(wait=False)
        await engine.dispose()
