"""`python -m bot ...`: run the bot, migrate, and the admin's commands."""
import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.admin import ADMIN_COMMANDS, run_admin
from bot.i18n import build_i18n
from bot.settings import SettingsError, load_settings


def parser(_=lambda msgid: msgid) -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m bot", description=_("Acompaña — asistente del Programa Familias"))
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help=_("ejecuta el bot (long polling; --webhook en producción)"))
    run.add_argument("--webhook", action="store_true", help=_("recibe el webhook de Telegram en vez de consultar"))
    commands.add_parser("worker", help=_("ejecuta el programador de tareas (exactamente uno por instalación)"))
    commands.add_parser("migrate", help=_("aplica las migraciones de la base de datos"))
    unit = commands.add_parser("unit-create", help=_("crea una unidad (Unidad de Intervención Familiar)"))
    unit.add_argument("--comuna", required=True)
    unit.add_argument("--name", required=True)
    unit.add_argument("--timezone", default="America/Santiago")
    for option in ("--phone", "--email", "--address", "--hours"):
        unit.add_argument(option)
    commands.add_parser("unit-list", help=_("lista las unidades"))
    staff = commands.add_parser("staff-add", help=_("agrega a una persona del equipo e imprime su enlace de un solo uso"))
    staff.add_argument("--unit", type=int, required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, choices=["afi", "gestor_socio", "gestor_familiar", "jefe"])
    cohort = commands.add_parser("families-import", help=_("importa las familias de la unidad desde CSV (todo o nada)"))
    cohort.add_argument("--unit", type=int, required=True)
    cohort.add_argument("file", type=Path)
    invite = commands.add_parser("family-invite", help=_("código de un solo uso para la persona representante"))
    invite.add_argument("--unit", type=int, required=True)
    invite.add_argument("--family", required=True, help=_("código de la familia"))
    return root


def main(argv: list[str] | None = None) -> None:
    try:
        settings = load_settings()
    except SettingsError as error:
        print(error, file=sys.stderr)
        sys.exit(2)
    i18n = build_i18n(settings.default_locale)

    def _(msgid: str) -> str:
        return i18n.gettext(msgid, locale=settings.default_locale)

    args = parser(_).parse_args(argv)
    try:
        logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s %(message)s")
        if args.command == "run":
            settings.require_token()
            from bot.runners import run_polling, run_webhook

            asyncio.run(run_webhook(settings) if args.webhook else run_polling(settings))
        elif args.command == "worker":
            from bot.runners import run_worker

            asyncio.run(run_worker(settings))
        elif args.command == "migrate":
            from storage.migrate import upgrade

            upgrade(settings.database_url)
        elif args.command in ADMIN_COMMANDS:
            code = asyncio.run(run_admin(args, settings, i18n))
            sys.exit(code)
    except SettingsError as error:
        print(_(str(error)), file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt:
        pass
