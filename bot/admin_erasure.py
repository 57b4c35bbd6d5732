"""The admin's commands for the data subject's rights (see bot/admin.py; parsers in bot/cli.py):
`subject-erase` (anonymise a person or a family), `family-block` / `family-unblock` (blocking and opposition)
and `retention-run` (the nightly retention job, on demand)."""
import argparse
import sys

from program.access import Actor
from program.roles import Role
from services import blocking, erasure, retention
from services.errors import NotFound
from storage import people_repo
from storage.types import utc_now
from texts.markers import N_


def _error(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


async def run_rights(args: argparse.Namespace, session, _, settings) -> int:
    try:
        return await _run(args, session, _, settings)
    except NotFound:
        return _error(_(NOT_FOUND_FAMILY).format(family=args.family))


async def _run(args: argparse.Namespace, session, _, settings) -> int:
    admin, now = Actor(role=Role.ADMIN), utc_now()
    if args.command == "retention-run":
        result = await retention.run(session, now=now, years_after_closure=settings.retention_years_after_closure)
        print(_("Conservación aplicada: {sent} mensajes enviados y {cancelled} cancelados borrados, {drafts} "
                "borradores de diálogo, {cuaderno} entradas ocultas del cuaderno, {attempts} intentos de código; "
                "{families} familias cerradas anonimizadas.").format(
            sent=result.outbox_sent, cancelled=result.outbox_cancelled, drafts=result.dialog_drafts,
            cuaderno=result.hidden_cuaderno, attempts=result.code_attempts, families=result.families_anonymised))
        return 0
    if args.command in ("family-block", "family-unblock"):
        reasons = blocking.BLOCK_REASONS if args.command == "family-block" else blocking.UNBLOCK_REASONS
        if args.reason not in reasons:
            return _error(_("Motivo desconocido «{reason}»: usa uno de {choices}.").format(
                reason=args.reason, choices=", ".join(reasons)))
        if args.command == "family-block":
            await blocking.block_family(session, actor=admin, family_id=args.family, reason=args.reason, now=now)
            print(_("Familia {family} bloqueada: no recibe mensajes y sus datos no cambian hasta que la "
                    "desbloquees con «family-unblock».").format(family=args.family))
        else:
            await blocking.unblock_family(session, actor=admin, family_id=args.family, reason=args.reason, now=now)
            print(_("Familia {family} desbloqueada.").format(family=args.family))
        return 0
    return await _erase(args, session, _, admin, now)


async def _erase(args, session, _, admin: Actor, now) -> int:
    if args.family is not None:
        family = await people_repo.get_family(session, family_id=args.family)
        if family is None:
            return _error(_(NOT_FOUND_FAMILY).format(family=args.family))
        members = await people_repo.list_members(session, family_id=family.id)
        what = _("la familia {family} ({code}) y sus {count} integrantes").format(
            family=family.id, code=family.code, count=len(members))
    else:
        member = await people_repo.get_member(session, member_id=args.member)
        if member is None:
            return _error(_("No existe la persona {member}.").format(member=args.member))
        what = _("la persona {member} de la familia {family}").format(member=member.id, family=member.family_id)
    if not args.yes:
        return _error(_("Esto anonimiza {what}: nombres, RUN, fecha de nacimiento, textos, audios, fotos y chats "
                        "vinculados, sin vuelta atrás. Repite el comando con --yes para confirmar.").format(what=what))
    if args.family is not None:
        result = await erasure.erase_family(session, actor=admin, family_id=args.family, now=now)
    else:
        result = await erasure.erase_member(session, actor=admin, member_id=args.member, now=now)
    print(_("Anonimizado: {what}. Chats desvinculados: {accounts}; mensajes borrados: {messages}; borradores "
            "borrados: {drafts}.").format(what=what, accounts=result.accounts_unlinked,
                                          messages=result.messages_deleted, drafts=result.drafts_deleted))
    return 0


NOT_FOUND_FAMILY = N_("No existe la familia {family}.")
