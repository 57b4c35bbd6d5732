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
from bot.settings import Settings, SettingsError, load_settings
from texts.catalogs import Gettext, translator
from texts.markers import N_

DATABASE_ERROR = N_("La base de datos respondió con un error ({error}): revisa DATABASE_URL y ejecuta "
                    "«python -m bot migrate».")


def _admin(command: str, *, reads_file: bool = False) -> dict[str, object]:
    """set_defaults of an admin command: `command` names its function in bot.admin.COMMANDS, imported
    only when it runs (bot.admin loads the database layer, which --help does not need)."""
    return {"func": _run_admin, "admin": command, "reads_file": reads_file, "database_sentences": True}


def parser(_: Gettext = lambda msgid: msgid) -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m bot", description=_("Acompaña — asistente del Programa Familias"))
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    run = commands.add_parser("run", help=_("ejecuta el bot (long polling; --webhook en producción)"))
    run.add_argument("--webhook", action="store_true", help=_("recibe el webhook de Telegram en vez de consultar"))
    run.set_defaults(func=_run_bot)
    worker = commands.add_parser("worker", help=_("ejecuta el programador de tareas (exactamente uno por instalación)"))
    worker.set_defaults(func=_run_worker)
    migrate = commands.add_parser("migrate", help=_("aplica las migraciones de la base de datos"))
    migrate.set_defaults(func=_migrate, database_sentences=True)
    unit = commands.add_parser("unit-create", help=_("crea una unidad (Unidad de Intervención Familiar)"))
    unit.add_argument("--comuna", required=True)
    unit.add_argument("--name", required=True)
    unit.add_argument("--timezone", default="America/Santiago")
    for option in ("--phone", "--email", "--address", "--hours"):
        unit.add_argument(option)
    unit.set_defaults(**_admin("unit_create"))
    commands.add_parser("unit-list", help=_("lista las unidades")).set_defaults(**_admin("unit_list"))
    schedule = commands.add_parser("unit-schedule", help=_(
        "muestra o cambia el horario de avisos de la unidad (horario de descanso, día del Bono, resúmenes)"))
    schedule.add_argument("--unit", type=int, required=True)
    schedule.add_argument("--set", nargs="*", default=[], metavar="CLAVE=VALOR",
                          help=_("por ejemplo quiet_start=20:00 bono_day=15 (claves de program/data/nudges.yaml)"))
    schedule.add_argument("--reset", action="store_true", help=_("vuelve al horario de program/data/nudges.yaml"))
    schedule.set_defaults(**_admin("unit_schedule"))
    staff = commands.add_parser("staff-add",
                                help=_("agrega a una persona del equipo e imprime su enlace de un solo uso"))
    staff.add_argument("--unit", type=int, required=True)
    staff.add_argument("--name", required=True)
    staff.add_argument("--role", required=True, help="afi, gestor_socio, gestor_familiar, jefe")
    staff.set_defaults(**_admin("staff_add"))
    staff_list = commands.add_parser("staff-list", help=_("lista el equipo de la unidad (id, rol, nombre, estado)"))
    staff_list.add_argument("--unit", type=int, required=True)
    staff_list.set_defaults(**_admin("access_command"))
    deactivate = commands.add_parser("staff-deactivate", help=_(
        "desactiva a una persona del equipo: pierde el acceso y sus mensajes pendientes se cancelan"))
    deactivate.add_argument("--staff", type=int, required=True)
    deactivate.set_defaults(**_admin("access_command"))
    staff_invite = commands.add_parser("staff-invite", help=_(
        "código nuevo para una persona del equipo (anula sus códigos anteriores sin usar)"))
    staff_invite.add_argument("--staff", type=int, required=True)
    staff_invite.set_defaults(**_admin("access_command"))
    accounts = commands.add_parser("accounts-list", help=_("lista los chats vinculados a la unidad (id, quién, desde)"))
    accounts.add_argument("--unit", type=int, required=True)
    accounts.set_defaults(**_admin("access_command"))
    unlink = commands.add_parser("account-unlink", help=_(
        "desvincula un chat (un teléfono perdido): recibe un solo aviso y sus mensajes pendientes se cancelan"))
    unlink.add_argument("--account", type=int, required=True)
    unlink.set_defaults(**_admin("access_command"))
    cohort = commands.add_parser("families-import", help=_("importa las familias de la unidad desde CSV (todo o nada)"))
    cohort.add_argument("--unit", type=int, required=True)
    cohort.add_argument("file", type=Path)
    cohort.set_defaults(**_admin("families_import", reads_file=True))
    invite = commands.add_parser("family-invite", help=_("código de un solo uso para la persona representante"))
    invite.add_argument("--unit", type=int, required=True)
    invite.add_argument("--family", required=True, help=_("código de la familia"))
    invite.set_defaults(**_admin("family_invite"))
    indicators = commands.add_parser("indicators-import", help=_(
        "importa los indicadores de la Matriz de Bienestar de la unidad desde CSV (code,dimension,text; todo o nada)"))
    indicators.add_argument("--unit", type=int, required=True)
    indicators.add_argument("file", type=Path)
    indicators.set_defaults(**_admin("indicators_import", reads_file=True))
    catastro_in = commands.add_parser("catastro-import", help=_(
        "importa el Catastro de instituciones de la unidad desde CSV (todo o nada; un nombre ya registrado se "
        "actualiza)"))
    catastro_in.add_argument("--unit", type=int, required=True)
    catastro_in.add_argument("file", type=Path)
    catastro_in.set_defaults(**_admin("catastro_import", reads_file=True))
    catastro_out = commands.add_parser("catastro-export", help=_(
        "exporta a CSV las instituciones activas del Catastro de la unidad"))
    catastro_out.add_argument("--unit", type=int, required=True)
    catastro_out.add_argument("file", type=Path)
    catastro_out.set_defaults(**_admin("catastro_export"))
    commands.add_parser("audit-verify", help=_(
        "comprueba la cadena del registro de auditoría: OK con el total, o el primer eslabón roto")
    ).set_defaults(**_admin("audit_verify"))
    subject = commands.add_parser("subject-export", help=_(
        "copia de todos los datos de una persona y su familia (zip con JSON y un documento legible)"))
    who = subject.add_mutually_exclusive_group(required=True)
    who.add_argument("--member", type=int, help=_("id de la persona"))
    who.add_argument("--run", help=_("RUN de la persona"))
    subject.add_argument("--language", choices=("es", "ht", "en"), help=_("idioma del documento"))
    subject.add_argument("--media", type=Path, metavar="CARPETA", help=_(
        "descarga además de Telegram las notas de voz y fotos de la persona a esta carpeta"))
    subject.add_argument("file", type=Path)
    subject.set_defaults(**_admin("subject_export"))
    erase = commands.add_parser("subject-erase", help=_(
        "anonimiza a una persona o a una familia entera (nombres, RUN, fecha de nacimiento, textos, audios, "
        "fotos y chats); quedan las cifras que la ley manda guardar"))
    erased = erase.add_mutually_exclusive_group(required=True)
    erased.add_argument("--member", type=int, help=_("id de la persona"))
    erased.add_argument("--family", type=int, help=_("id de la familia"))
    erase.add_argument("--yes", action="store_true", help=_("confirma (sin esto solo se muestra qué se anonimizaría)"))
    erase.set_defaults(**_admin("rights_command"))
    block = commands.add_parser("family-block", help=_(
        "bloquea una familia: no recibe mensajes y sus datos no cambian hasta desbloquearla"))
    block.add_argument("--family", type=int, required=True, help=_("id de la familia"))
    block.add_argument("--reason", required=True, help="request, opposition, dispute, consent_withdrawn, other")
    block.set_defaults(**_admin("rights_command"))
    unblock = commands.add_parser("family-unblock", help=_("levanta el bloqueo de una familia"))
    unblock.add_argument("--family", type=int, required=True, help=_("id de la familia"))
    unblock.add_argument("--reason", required=True, help="request_lifted, resolved, mistake, other")
    unblock.set_defaults(**_admin("rights_command"))
    commands.add_parser("retention-run", help=_(
        "aplica ahora los plazos de conservación (lo mismo que el trabajo nocturno)")
    ).set_defaults(**_admin("rights_command"))
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


# ---- the commands (each subparser's set_defaults(func=...)) ---------------------------------------

def _run_bot(args: argparse.Namespace, settings: Settings, _: Gettext) -> int:
    settings.require_token()
    if args.webhook:
        settings.require_webhook()
    _use_program_files(settings, _)
    from bot.runners import run_polling, run_webhook  # aiogram: only for the commands that need it

    asyncio.run(run_webhook(settings) if args.webhook else run_polling(settings))
    return 0


def _run_worker(args: argparse.Namespace, settings: Settings, _: Gettext) -> int:
    settings.require_token()  # the worker sends the reminders
    _use_program_files(settings, _)
    from bot.runners import run_worker

    asyncio.run(run_worker(settings))
    return 0


def _migrate(args: argparse.Namespace, settings: Settings, _: Gettext) -> int:
    from storage.migrate import upgrade

    if settings.is_sqlite:
        _ensure_sqlite_directory(settings.database_url)
    upgrade(settings.database_url)
    print(_("Base de datos al día."))
    return 0


def _run_admin(args: argparse.Namespace, settings: Settings, _: Gettext) -> int:
    logging.getLogger("alembic").setLevel(max(logging.WARNING, logging.getLogger().level))
    from bot.admin import run_admin

    if settings.is_sqlite:
        _ensure_sqlite_directory(settings.database_url)
    return asyncio.run(run_admin(args, settings, _))


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
        status = args.func(args, settings, _)
    except SettingsError as error:
        _fail(error.translated(_), 2)
    except KeyboardInterrupt:
        status = 0
    except (DBAPIError, OSError) as error:
        if not getattr(args, "database_sentences", False):  # run / worker: the traceback is for the logs
            raise
        # Only the class name: the driver's message may quote SQL parameters (personal data).
        cause = getattr(error, "orig", None) or error
        while cause.__cause__ is not None:  # the driver's own class (InvalidCatalogNameError, ...)
            cause = cause.__cause__
        _fail(_(DATABASE_ERROR).format(error=type(cause).__name__), 1)
    sys.exit(status)
