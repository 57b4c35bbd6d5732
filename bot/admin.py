"""The admin's commands: units and their nudge schedule, staff, the cohort import and family invitations.

No aiogram here (it takes seconds to import): the bot's username for the deep link comes from one
plain getMe request, and a code is printed even when Telegram cannot be reached.
"""
import argparse
import getpass
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import admin_rights
from bot.admin_access import run_access
from bot.admin_catastro import CatastroFileError, export_catastro_file, import_catastro_file
from bot.admin_erasure import run_rights
from bot.settings import Settings
from program.access import Actor
from program.clock import UNIT_TIMEZONES, format_datetime
from program.codes import deep_link
from program.csv_file import MAX_FILE_BYTES, BadFile, decode
from program.nudge_schedule import NudgeScheduleError
from program.roles import STAFF_ROLES, Role
from services import audit, onboarding, units
from services.cohort_import import import_cohort
from services.errors import InvalidInput, NotFound
from services.indicators import import_indicators
from services.nudge_settings import parse_value, schedule_for, update_unit_schedule
from storage import people_repo
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade_async
from storage.types import utc_now
from texts.csv_files import file_problem
from texts.csv_rows import COHORT_REASONS, report_lines
from texts.markers import N_

GET_ME_TIMEOUT_SECONDS = 5

NOT_FOUND = {
    "unit": N_("No existe la unidad {unit} (revisa los ids con «python -m bot unit-list»)."),
    "family": N_("No existe la familia {family} en la unidad {unit}."),
    "representative": N_("La familia {family} no tiene persona representante registrada."),
    "staff": N_("No existe una persona activa del equipo con id {staff} (revisa «python -m bot staff-list»)."),
    "account": N_("No existe un chat vinculado con id {account} (revisa «python -m bot accounts-list»)."),
    "member": N_("No existe esa persona (revisa el id o el RUN)."),
}
INVALID = {
    "timezone": N_("Zona horaria desconocida «{timezone}»: usa una de {choices}."),
    "role": N_("Rol desconocido «{role}»: usa uno de {choices}."),
}


def _os_user() -> str:
    try:
        return getpass.getuser()[:64]
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        return f"uid:{os.getuid()}"


class AdminError(Exception):
    """One sentence for the admin (already translated)."""


async def bot_username(settings: Settings) -> str | None:
    """The bot's @username from getMe, or None when there is no token or Telegram does not answer."""
    if not settings.has_valid_token:
        return None
    import aiohttp

    url = f"{settings.bot_api_base_url}/bot{settings.bot_token.get_secret_value()}/getMe"
    try:
        timeout = aiohttp.ClientTimeout(total=GET_ME_TIMEOUT_SECONDS)
        async with aiohttp.ClientSession(timeout=timeout) as http, http.get(url) as response:
            payload = await response.json(content_type=None)
    except (TimeoutError, aiohttp.ClientError, OSError, ValueError):
        return None
    result = payload.get("result") if isinstance(payload, dict) and payload.get("ok") else None
    username = result.get("username") if isinstance(result, dict) else None
    return username if isinstance(username, str) and username else None


async def _print_code(settings: Settings, _, code: str, timezone: str, ttl: timedelta) -> None:
    username = await bot_username(settings)
    if username:
        print(_("Enlace (un solo uso): {link}").format(link=deep_link(username, code)))
    else:
        print(_("(Sin enlace: no pude consultar el nombre del bot en Telegram. La persona puede abrir "
                "el bot y escribir el código.)"))
    print(_("Código: {code}").format(code=code))
    print(_("Válido hasta el {date}.").format(date=format_datetime(utc_now() + ttl, timezone)))


def read_cohort_file(path: Path, _) -> str:
    """A CSV file's text, decoded as program.csv_file decides (BOM, UTF-8, Windows-1252); a bad file is
    one sentence for the admin. At most MAX_FILE_BYTES + 1 bytes are read, so a huge file costs nothing."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise AdminError(_("No pude leer el archivo {path}: {reason}").format(
            path=path, reason=error.strerror or type(error).__name__)) from None
    try:
        return decode(data)
    except BadFile as bad:
        problem = file_problem(bad, _)
        raise AdminError(_("No pude importar {path}. {problem}").format(path=path, problem=problem)) from None


Printed = tuple[int, tuple[str, str] | None]  # exit status, and (code, unit time zone) to print once committed
AdminCommand = Callable[[argparse.Namespace, AsyncSession, Callable[[str], str], timedelta, str], Awaitable[Printed]]


async def run_admin(args: argparse.Namespace, settings: Settings, _: Callable[[str], str]) -> int:
    """Run the admin command that the CLI's parser chose (`args.admin`, a name in COMMANDS) in one
    transaction, committed only when it succeeded."""
    command = COMMANDS[args.admin]
    args.settings = settings  # subject-export --media downloads from Telegram with the bot's settings
    ttl = timedelta(days=settings.invite_ttl_days)
    audit.operator.set(_os_user())  # every event this command writes names who ran it
    try:
        text = read_cohort_file(args.file, _) if args.reads_file else ""
        if settings.is_sqlite:
            await upgrade_async(settings.database_url)
        engine = make_engine(settings.database_url)
        try:
            async with make_session_factory(engine)() as session:
                status, code = await command(args, session, _, ttl, text)
                if status == 0:
                    await session.commit()
        finally:
            await engine.dispose()
    except NotFound as missing:
        return _error(_(NOT_FOUND.get(str(missing), N_("No encontré: {what}"))).format(
            what=str(missing), unit=getattr(args, "unit", ""), family=getattr(args, "family", ""),
            staff=getattr(args, "staff", ""), account=getattr(args, "account", "")))
    except InvalidInput as invalid:
        choices = ", ".join(UNIT_TIMEZONES if invalid.reason == "timezone" else STAFF_ROLES)
        message = INVALID.get(invalid.reason, N_("Dato inválido: {what}"))
        return _error(_(message).format(what=invalid.reason, choices=choices, timezone=getattr(args, "timezone", ""),
                                        role=getattr(args, "role", "")))
    except (AdminError, CatastroFileError, admin_rights.RightsFileError) as error:
        return _error(str(error))
    if code is not None:  # only once committed: a printed code always works
        await _print_code(settings, _, *code, ttl)
    return status


def _import_indicators(report, _) -> int:
    if report.errors:
        # The row messages come from program.matriz, in Spanish like the file's own column names.
        lines = [_("No se importó ningún indicador. Corrige estas filas y vuelve a intentar:"), *report.errors]
        return _error("\n".join(lines))
    if report.empty:
        return _error(_("El archivo no tiene filas de indicadores (encabezado: code,dimension,text)."))
    print(_("Indicadores importados: {created} nuevos, {updated} actualizados, {unchanged} sin cambios.").format(
        created=report.created, updated=report.updated, unchanged=report.unchanged))
    return 0


async def _unit_schedule(args, session, _) -> int:
    values = {}
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            return _error(_("Escribe cada cambio como CLAVE=VALOR (por ejemplo bono_day=15): «{item}».").format(
                item=item))
        values[key.strip()] = parse_value(value)
    if values or args.reset:
        try:
            schedule = await update_unit_schedule(session, unit_id=args.unit, values=values, reset=args.reset)
        except NudgeScheduleError as error:
            # The problems come from program.nudge_schedule, in Spanish like the file's own keys.
            return _error("\n".join([_("No cambié nada. Revisa estos valores:"), *error.errors]))
    else:
        unit = await people_repo.get_unit(session, unit_id=args.unit)
        if unit is None:
            raise NotFound("unit")
        schedule = schedule_for(unit)
    for name, value in sorted(vars(schedule).items()):
        shown = value.strftime("%H:%M") if hasattr(value, "strftime") else value
        print(f"{name}: {shown}")
    return 0


def _error(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


async def rights_command(args, session, _, ttl, text) -> Printed:
    """subject-erase, family-block, family-unblock, retention-run (bot/admin_erasure.py)."""
    return await run_rights(args, session, _, args.settings), None


async def audit_verify(args, session, _, ttl, text) -> Printed:
    return await admin_rights.verify(session, _), None


async def subject_export(args, session, _, ttl, text) -> Printed:
    return await admin_rights.export(session, args, args.settings, _), None


async def access_command(args, session, _, ttl, text) -> Printed:
    """staff-list, staff-deactivate, staff-invite, accounts-list, account-unlink (bot/admin_access.py)."""
    return await run_access(args, session, _, ttl)


# ---- the commands (the CLI's parser names them in set_defaults(admin=...)) -------------------------

async def unit_create(args, session, _, ttl, text) -> Printed:
    unit = await units.create_unit(session, comuna=args.comuna, name=args.name, timezone=args.timezone,
                                   phone=args.phone, email=args.email, address=args.address, hours=args.hours)
    print(_("Unidad creada con id {id}.").format(id=unit.id))
    return 0, None


async def unit_list(args, session, _, ttl, text) -> Printed:
    found = await people_repo.list_units(session)
    for unit in found:
        print(f"{unit.id}\t{unit.comuna}\t{unit.name}\t{unit.timezone}")
    if not found:
        print(_("Todavía no hay unidades: crea una con «python -m bot unit-create»."))
    return 0, None


async def unit_schedule(args, session, _, ttl, text) -> Printed:
    return await _unit_schedule(args, session, _), None


async def staff_add(args, session, _, ttl, text) -> Printed:
    staff, code = await units.add_staff(session, unit_id=args.unit, name=args.name, role=args.role,
                                        now=utc_now(), ttl=ttl)
    print(_("Persona del equipo creada con id {id}.").format(id=staff.id))
    return 0, (code, await _unit_timezone(session, args.unit))


async def families_import(args, session, _, ttl, text) -> Printed:
    report = await import_cohort(session, unit_id=args.unit, text=text)
    if report.errors:
        lines = [_("No se importó nada. Corrige estas filas y vuelve a intentar:"),
                 *report_lines(report.errors, COHORT_REASONS, _)]
        return _error("\n".join(lines)), None
    print(_("Familias importadas: {families}. Integrantes: {members}.").format(
        families=report.families, members=report.members))
    return 0, None


async def family_invite(args, session, _, ttl, text) -> Printed:
    family = await people_repo.find_family_by_code(session, unit_id=args.unit, code=args.family.strip())
    if family is None:
        if await people_repo.get_unit(session, unit_id=args.unit) is None:
            raise NotFound("unit")
        raise NotFound("family")
    code = await onboarding.issue_family_code(session, actor=Actor(role=Role.ADMIN, unit_id=args.unit),
                                              family_id=family.id, now=utc_now(), ttl=ttl)
    assert code is not None  # None only with unless_linked
    return 0, (code, await _unit_timezone(session, args.unit))


async def indicators_import(args, session, _, ttl, text) -> Printed:
    return _import_indicators(await import_indicators(session, unit_id=args.unit, text=text), _), None


async def catastro_import(args, session, _, ttl, text) -> Printed:
    return await import_catastro_file(args, session, _, text), None


async def catastro_export(args, session, _, ttl, text) -> Printed:
    return await export_catastro_file(args, session, _), None


async def _unit_timezone(session: AsyncSession, unit_id: int) -> str:
    unit = await people_repo.get_unit(session, unit_id=unit_id)
    if unit is None:
        raise NotFound("unit")
    return unit.timezone


# The names the CLI's subparsers give in set_defaults(admin=...) (bot/cli.py).
COMMANDS: dict[str, AdminCommand] = {
    "unit_create": unit_create, "unit_list": unit_list, "unit_schedule": unit_schedule, "staff_add": staff_add,
    "families_import": families_import, "family_invite": family_invite, "indicators_import": indicators_import,
    "catastro_import": catastro_import, "catastro_export": catastro_export, "access_command": access_command,
    "audit_verify": audit_verify, "subject_export": subject_export, "rights_command": rights_command,
}
