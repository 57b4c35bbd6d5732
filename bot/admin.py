"""The admin's commands: units, staff, the cohort import and family invitations."""
import argparse
from datetime import timedelta

from aiogram.exceptions import TelegramAPIError
from aiogram.utils.i18n import I18n
from aiohttp import ClientError

from bot.markers import N_
from bot.settings import Settings
from program.access import Actor
from program.codes import deep_link
from program.roles import Role
from services import onboarding, units
from services.cohort_import import import_cohort
from services.errors import InvalidInput, NotFound
from storage import people_repo
from storage.engine import make_engine, make_session_factory
from storage.migrate import upgrade_async
from storage.types import utc_now

ADMIN_COMMANDS = ("unit-create", "unit-list", "staff-add", "families-import", "family-invite")

# Ids of the import's per-row reasons, as cohort_csv reports them, with their explanations.
ROW_REASONS = {
    "missing_column": N_("faltan columnas: {detail}"),
    "missing_field": N_("falta el dato «{detail}»"),
    "bad_run": N_("RUN inválido (revisa el dígito verificador)"),
    "run_repeated": N_("RUN repetido (ya aparece en la fila {detail})"),
    "run_in_use": N_("RUN ya registrado en otra familia"),
    "bad_date": N_("fecha inválida en «{detail}» (usa dd-mm-aaaa)"),
    "bad_flag": N_("en «{detail}» escribe sí o no"),
    "bad_trajectory": N_("trayectoria desconocida «{detail}» (aps o aps_asl)"),
    "family_name_conflict": N_("la familia {detail} aparece con otro apellido"),
    "family_code_exists": N_("el código de familia {detail} ya existe en la unidad"),
    "no_representative": N_("la familia {detail} no tiene persona representante"),
    "two_representatives": N_("la familia {detail} tiene más de una persona representante"),
}


async def _bot_username(settings: Settings) -> str | None:
    if not settings.bot_token:
        return None
    from bot.app import build_bot

    bot = build_bot(settings)
    try:
        return (await bot.get_me()).username
    except (TelegramAPIError, ClientError, OSError):
        return None
    finally:
        await bot.session.close()


async def _print_code(settings: Settings, _, code: str, ttl: timedelta) -> None:
    username = await _bot_username(settings)
    if username:
        print(_("Enlace (un solo uso): {link}").format(link=deep_link(username, code)))
    print(_("Código: {code}").format(code=code))
    print(_("Vence en {days} días.").format(days=ttl.days))


async def run_admin(args: argparse.Namespace, settings: Settings, i18n: I18n) -> int:
    def _(msgid: str) -> str:
        return i18n.gettext(msgid, locale=settings.default_locale)

    if settings.is_sqlite:
        await upgrade_async(settings.database_url)
    engine = make_engine(settings.database_url)
    factory = make_session_factory(engine)
    ttl = timedelta(days=settings.invite_ttl_days)
    try:
        async with factory() as session:
            status = await _dispatch(args, session, settings, _, ttl)
            if status == 0:
                await session.commit()
            return status
    except NotFound as missing:
        print(_("No encontré: {what}").format(what=str(missing)))
        return 1
    except InvalidInput as invalid:
        print(_("Dato inválido: {what}").format(what=invalid.reason))
        return 1
    finally:
        await engine.dispose()


async def _dispatch(args, session, settings: Settings, _, ttl: timedelta) -> int:
    now = utc_now()
    if args.command == "unit-create":
        unit = await units.create_unit(session, comuna=args.comuna, name=args.name, timezone=args.timezone,
                                       phone=args.phone, email=args.email, address=args.address, hours=args.hours)
        print(_("Unidad creada con id {id}.").format(id=unit.id))
    elif args.command == "unit-list":
        for unit in await people_repo.list_units(session):
            print(f"{unit.id}\t{unit.comuna}\t{unit.name}\t{unit.timezone}")
    elif args.command == "staff-add":
        staff, code = await units.add_staff(session, unit_id=args.unit, name=args.name, role=args.role,
                                            now=now, ttl=ttl)
        print(_("Persona del equipo creada con id {id}.").format(id=staff.id))
        await _print_code(settings, _, code, ttl)
    elif args.command == "families-import":
        report = await import_cohort(session, unit_id=args.unit, text=args.file.read_text(encoding="utf-8-sig"))
        if report.errors:
            print(_("No se importó nada. Corrige estas filas y vuelve a intentar:"))
            for error in report.errors:
                reason = _(ROW_REASONS[error.reason]).format(detail=error.detail)
                print(_("fila {line}: {reason}").format(line=error.line, reason=reason))
            return 1
        print(_("Importadas {families} familias con {members} integrantes.").format(
            families=report.families, members=report.members))
    elif args.command == "family-invite":
        family = await people_repo.find_family_by_code(session, unit_id=args.unit, code=args.family)
        if family is None:
            raise NotFound(args.family)
        code = await onboarding.issue_family_code(session, actor=Actor(role=Role.ADMIN, unit_id=args.unit),
                                                  family_id=family.id, now=now, ttl=ttl)
        await _print_code(settings, _, code, ttl)
    return 0
