"""The admin's commands: units and their nudge schedule, staff, the cohort import and family invitations.

No aiogram here (it takes seconds to import): the bot's username for the deep link comes from one
plain getMe request, and a code is printed even when Telegram cannot be reached.
"""
import argparse
import asyncio
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from bot.admin_catastro import CatastroFileError, run_catastro
from bot.settings import Settings
from program.access import Actor
from program.clock import UNIT_TIMEZONES
from program.clock import format_datetime
from program.codes import deep_link
from program.nudge_schedule import NudgeScheduleError
from program.roles import STAFF_ROLES, Role
from services import onboarding, units
from services.cohort_import import import_cohort
from services.errors import InvalidInput, NotFound
from services.indicators import import_indicators
from services.nudge_settings import parse_value, schedule_for, update_unit_schedule
from storage import people_repo
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade_async
from storage.types import utc_now
from texts.csv_rows import COHORT_REASONS, report_lines
from texts.markers import N_

GET_ME_TIMEOUT_SECONDS = 5

NOT_FOUND = {
    "unit": N_("No existe la unidad {unit} (revisa los ids con «python -m bot unit-list»)."),
    "family": N_("No existe la familia {family} en la unidad {unit}."),
    "representative": N_("La familia {family} no tiene persona representante registrada."),
}
INVALID = {
    "timezone": N_("Zona horaria desconocida «{timezone}»: usa una de {choices}."),
    "role": N_("Rol desconocido «{role}»: usa uno de {choices}."),
}


class AdminError(Exception):
    """One sentence for the admin (already translated)."""


async def bot_username(settings: Settings) -> str | None:
    """The bot's @username from getMe, or None when there is no token or Telegram does not answer."""
    if not settings.has_valid_token:
        return None
    import aiohttp

    url = f"{settings.bot_api_base_url}/bot{settings.bot_token}/getMe"
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=GET_ME_TIMEOUT_SECONDS)) as http:
            async with http.get(url) as response:
                payload = await response.json(content_type=None)
    except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError):
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
    """UTF-8 (with or without BOM) or, as Excel saves «CSV» in Chile, Windows-1252."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise AdminError(_("No pude leer el archivo {path}: {reason}").format(
            path=path, reason=error.strerror or type(error).__name__)) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


async def run_admin(args: argparse.Namespace, settings: Settings, _: Callable[[str], str]) -> int:
    ttl = timedelta(days=settings.invite_ttl_days)
    try:
        text = read_cohort_file(args.file, _) if args.command in ("families-import", "indicators-import",
                                                                   "catastro-import") else ""
        if settings.is_sqlite:
            await upgrade_async(settings.database_url)
        engine = make_engine(settings.database_url)
        try:
            async with make_session_factory(engine)() as session:
                status, code = await _dispatch(args, session, _, ttl, text)
                if status == 0:
                    await session.commit()
        finally:
            await engine.dispose()
    except NotFound as missing:
        return _error(_(NOT_FOUND.get(str(missing), N_("No encontré: {what}"))).format(
            what=str(missing), unit=getattr(args, "unit", ""), family=getattr(args, "family", "")))
    except InvalidInput as invalid:
        choices = ", ".join(UNIT_TIMEZONES if invalid.reason == "timezone" else STAFF_ROLES)
        message = INVALID.get(invalid.reason, N_("Dato inválido: {what}"))
        return _error(_(message).format(what=invalid.reason, choices=choices, timezone=getattr(args, "timezone", ""),
                                        role=getattr(args, "role", "")))
    except (AdminError, CatastroFileError) as error:
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


async def _dispatch(args, session, _, ttl: timedelta, text: str) -> tuple[int, tuple[str, str] | None]:
    """The exit status, and the (code, unit time zone) of an invitation to print once committed."""
    now = utc_now()
    if args.command == "unit-create":
        unit = await units.create_unit(session, comuna=args.comuna, name=args.name, timezone=args.timezone,
                                       phone=args.phone, email=args.email, address=args.address, hours=args.hours)
        print(_("Unidad creada con id {id}.").format(id=unit.id))
    elif args.command == "unit-list":
        found = await people_repo.list_units(session)
        for unit in found:
            print(f"{unit.id}\t{unit.comuna}\t{unit.name}\t{unit.timezone}")
        if not found:
            print(_("Todavía no hay unidades: crea una con «python -m bot unit-create»."))
    elif args.command == "staff-add":
        staff, code = await units.add_staff(session, unit_id=args.unit, name=args.name, role=args.role,
                                            now=now, ttl=ttl)
        print(_("Persona del equipo creada con id {id}.").format(id=staff.id))
        unit = await people_repo.get_unit(session, unit_id=args.unit)
        return 0, (code, unit.timezone)
    elif args.command == "families-import":
        report = await import_cohort(session, unit_id=args.unit, text=text)
        if report.errors:
            lines = [_("No se importó nada. Corrige estas filas y vuelve a intentar:"),
                     *report_lines(report.errors, COHORT_REASONS, _)]
            return _error("\n".join(lines)), None
        print(_("Familias importadas: {families}. Integrantes: {members}.").format(
            families=report.families, members=report.members))
    elif args.command == "unit-schedule":
        return await _unit_schedule(args, session, _), None
    elif args.command in ("catastro-import", "catastro-export"):
        return await run_catastro(args, session, _, text), None
    elif args.command == "indicators-import":
        return _import_indicators(await import_indicators(session, unit_id=args.unit, text=text), _), None
    elif args.command == "family-invite":
        family = await people_repo.find_family_by_code(session, unit_id=args.unit, code=args.family.strip())
        if family is None:
            if await people_repo.get_unit(session, unit_id=args.unit) is None:
                raise NotFound("unit")
            raise NotFound("family")
        code = await onboarding.issue_family_code(session, actor=Actor(role=Role.ADMIN, unit_id=args.unit),
                                                  family_id=family.id, now=now, ttl=ttl)
        unit = await people_repo.get_unit(session, unit_id=args.unit)
        return 0, (code, unit.timezone)
    return 0, None
