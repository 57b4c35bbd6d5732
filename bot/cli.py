"""`python -m bot ...`: run the bot, migrate, and the admin's commands.

Only `run` imports aiogram (several seconds on a small machine): `--help`, `migrate`, `worker` and
the admin's commands start in well under a second, and errors are one translated sentence, never
a traceback.
"""
import argparse
import asyncio
import logging
import sys
from pathlib import Path

from bot.logs import configure_logging
from bot.settings import SettingsError, load_settings
from texts.catalogs import Gettext, translator
from texts.markers import N_

ADMIN_COMMANDS = ("unit-create", "unit-list", "unit-schedule", "staff-add", "families-import", "family-invite",
                  "indicators-import", "catastro-import", "catastro-export")
DATABASE_ERROR = N_("La base de datos respondió con un error ({error}): revisa DATABASE_URL y ejecuta "
                    "«python -m bot migrate».")

def parser(_: Gettext = lambda msgid: msgid) -> argparse.ArgumentParser:
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
    schedule = commands.add_parser("unit-schedule", help=_(
        "muestra o cambia el horario de avisos de la unidad (horario de descanso, día del Bono, resúmenes)"))
    schedule.add_argument("--unit", type=int, required=True)
    schedule.add_argument("--set", nargs="*", default=[], metavar="CLAVE=VALOR",
                          help=_("por ejemplo quiet_start=20:00 bono_day=15 (claves de program/data/nudges.yaml)"))
    schedule.add_argument("--reset", action="store_true", help=_("vuelve al horario de program/data/nudges.yaml"))
    staff = commands.add_parser("staff-add", help=_("agrega a una persona del equipo e imprime su enlace de un solo uso"))
    staff.add_argument("--unit", type=int, required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, help="afi, gestor_socio, gestor_familiar, jefe")
    cohort = commands.add_parser("families-import", help=_("importa las familias de la unidad desde CSV (todo o nada)"))
    cohort.add_argument("--unit", type=int, required=True)
    cohort.add_argument("file", type=Path)
    invite = commands.add_parser("family-invite", help=_("código de un solo uso para la persona representante"))
    invite.add_argument("--unit", type=int, required=True)
    invite.add_argument("--family", required=True, help=_("código de la familia"))
    indicators = commands.add_parser("indicators-import", help=_(
        "importa los indicadores de la Matriz de Bienestar de la unidad desde CSV (code,dimension,text; todo o nada)"))
    indicators.add_argument("--unit", type=int, required=True)
    indicators.add_argument("file", type=Path)
    catastro_in = commands.add_parser("catastro-import", help=_(
        "importa el Catastro de instituciones de la unidad desde CSV (todo o nada; un nombre ya registrado se "
        "actualiza)"))
    catastro_in.add_argument("--unit", type=int, required=True)
    catastro_in.add_argument("file", type=Path)
    catastro_out = commands.add_parser("catastro-export", help=_(
        "exporta a CSV las instituciones activas del Catastro de la unidad"))
    catastro_out.add_argument("--unit", type=int, required=True)
    catastro_out.add_argument("file", type=Path)
    return root


def _fail(message: str, status: int) -> None:
    print(message, file=sys.stderr)
    sys.exit(status)


def _ensure_sqlite_directory(url: str) -> None:
    """Alembic opens the file itself, so the default ./data/ must exist before `migrate`."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)


def _use_program_files(settings, _: Gettext) -> None:
    from program.catalog import CatalogError
    from program.trajectory import CadenceError
    from services import program_data

    try:
        program_data.use_files(catalog_file=settings.catalog_file, cadence_file=settings.cadence_file)
    except (CatalogError, CadenceError) as error:
        _fail(_("El catálogo de sesiones (CATALOG_FILE) o su cadencia (CADENCE_FILE) no es válido:\n- {errors}")
              .format(errors="\n- ".join(error.errors)), 2)
    except OSError as error:
        _fail(_("No pude leer el archivo {file} ({error}).").format(file=error.filename, error=type(error).__name__), 2)


def _run(args: argparse.Namespace, settings, _: Gettext) -> int:
    if args.command == "run":
        settings.require_token()
        if args.webhook:
            settings.require_webhook()
        _use_program_files(settings, _)
        from bot.runners import run_polling, run_webhook

        asyncio.run(run_webhook(settings) if args.webhook else run_polling(settings))
    elif args.command == "worker":
        settings.require_token()  # the worker sends the reminders
        _use_program_files(settings, _)
        from bot.runners import run_worker

        asyncio.run(run_worker(settings))
    elif args.command == "migrate":
        from storage.migrate import upgrade

        if settings.is_sqlite:
            _ensure_sqlite_directory(settings.database_url)
        upgrade(settings.database_url)
        print(_("Base de datos al día."))
    elif args.command in ADMIN_COMMANDS:
        logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
        from bot.admin import run_admin

        if settings.is_sqlite:
            _ensure_sqlite_directory(settings.database_url)
        return asyncio.run(run_admin(args, settings, _))
    return 0


def main(argv: list[str] | None = None) -> None:
    try:
        settings = load_settings()
    except SettingsError as error:
        _fail(error.translated(translator("es")), 2)
    _ = translator(settings.default_locale)
    args = parser(_).parse_args(argv)
    configure_logging(settings.log_level)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    from sqlalchemy.exc import DBAPIError

    try:
        status = _run(args, settings, _)
    except SettingsError as error:
        _fail(error.translated(_), 2)
    except KeyboardInterrupt:
        status = 0
    except (DBAPIError, OSError) as error:
        if args.command not in ("migrate", *ADMIN_COMMANDS):
            raise
        # Only the class name: the driver's message may quote SQL parameters (personal data).
        cause = getattr(error, "orig", None) or error
        while cause.__cause__ is not None:  # the driver's own class (InvalidCatalogNameError, ...)
            cause = cause.__cause__
        _fail(_(DATABASE_ERROR).format(error=type(cause).__name__), 1)
    sys.exit(status)
