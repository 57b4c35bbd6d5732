"""The app factory: one Dispatcher wired with storage, middlewares, routers and dialogs."""
from collections.abc import Callable
from datetime import datetime

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram_dialog import setup_dialogs
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from bot.fsm_storage import DatabaseStorage
from bot.i18n import LocaleMiddleware, build_i18n
from bot.isolation import DatabaseEventIsolation
from bot.polling import ConfirmingDispatcher
from bot.middlewares import DbSessionMiddleware, ErrorChatLockMiddleware, ViewerMiddleware
from bot.settings import Settings
from bot.update_transaction import CommitBeforeRequest
from dialogs.caseload.dialog import caseload_dialog
from dialogs.catastro.dialog import catastro_dialog
from dialogs.catastro.send import catastro_send_dialog
from dialogs.common.navigation import is_family_with_consent, is_staff, only_for
from dialogs.cuaderno.dialog import cuaderno_dialog
from dialogs.family.appointments import appointments_dialog
from dialogs.family.bono import family_bono_dialog
from dialogs.family.menu import family_menu_dialog
from dialogs.family.plan import family_plan_dialog
from dialogs.family.resources import resources_dialog
from dialogs.group_session.dialog import group_session_dialog
from dialogs.language.dialog import language_dialog
from dialogs.session_record.dialog import session_record_dialog
from dialogs.staff_menu.dialog import staff_menu_dialog
from handlers import bono, commands, consent, errors, fallback, nudges, rsvp
from handlers.command_menus import CommandMenus
from storage.types import utc_now


def build_bot(settings: Settings) -> Bot:
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.bot_api_base_url))
    session.middleware(CommitBeforeRequest())  # a reply confirms only what is committed (bot/update_transaction.py)
    # Plain text: names typed by people may contain < or &, which HTML parse mode would reject.
    return Bot(token=settings.require_token(), session=session, default=DefaultBotProperties(parse_mode=None))


def build_dispatcher(
    *,
    settings: Settings,
    engine: AsyncEngine,
    session_factory: async_sessionmaker,
    clock: Callable[[], datetime] = utc_now,
) -> Dispatcher:
    i18n = build_i18n(settings.default_locale)
    isolation = DatabaseEventIsolation(engine)
    dispatcher = ConfirmingDispatcher(
        engine=engine,
        storage=DatabaseStorage(session_factory),
        events_isolation=isolation,
        clock=clock,
        settings=settings,
        command_menus=CommandMenus(i18n),
    )
    locale = LocaleMiddleware(i18n)
    dispatcher.errors.outer_middleware(ErrorChatLockMiddleware(dispatcher.fsm, isolation))
    for observer in (dispatcher.update, dispatcher.errors):
        observer.outer_middleware(DbSessionMiddleware(session_factory, once=observer is dispatcher.update))
        observer.outer_middleware(ViewerMiddleware())
        observer.outer_middleware(locale)

    dispatcher.include_routers(errors.build_router(), commands.build_router(), nudges.build_router(),
                               bono.build_router(), rsvp.build_router(), consent.build_router())
    dispatcher.include_routers(only_for(staff_menu_dialog(), is_staff), only_for(session_record_dialog(), is_staff),
                               only_for(caseload_dialog(), is_staff), only_for(group_session_dialog(), is_staff),
                               only_for(family_menu_dialog(), is_family_with_consent),
                               only_for(cuaderno_dialog(), is_family_with_consent),
                               only_for(family_plan_dialog(), is_family_with_consent),
                               only_for(family_bono_dialog(), is_family_with_consent),
                               only_for(appointments_dialog(), is_family_with_consent), language_dialog())
    dispatcher.include_routers(only_for(catastro_dialog(), is_staff), only_for(catastro_send_dialog(), is_staff),
                               only_for(resources_dialog(), is_family_with_consent))
    dispatcher.include_router(fallback.build_router())
    # aiogram-dialog's stack lock nests inside the chat lock above, which already keeps workers apart;
    # in-process locks are enough for it and spare a second advisory lock per update.
    setup_dialogs(dispatcher, events_isolation=DatabaseEventIsolation())
    return dispatcher
