"""`audit-verify` and `subject-export` (see bot/admin.py): the audit chain's integrity, and a person's
copy of their data for a request made at the unit (Ley 21.719, access and portability)."""
import gettext
import sys
from pathlib import Path

from bot import admin_media
from program.access import Actor
from program.roles import Role
from program.run import InvalidRun, normalise_run
from services import audit, subject_document, subject_export
from services.errors import NotFound
from storage import people_repo, subject_repo
from storage.types import utc_now
from texts.catalogs import DOMAIN, compiled_locales
from texts.markers import N_

BROKEN_REASONS = {"prev": N_("el evento anterior fue borrado o cambiado de lugar"),
                  "content": N_("su contenido fue modificado"),
                  "tail": N_("faltan los eventos posteriores a este: el último registrado no coincide")}


class RightsFileError(Exception):
    """One sentence for the admin (already translated)."""


async def verify(session, _) -> int:
    report = await audit.verify_chain(session)
    if report.ok:
        print(_("Registro de auditoría íntegro: {count} eventos encadenados. Hash del último: {head}").format(
            count=report.count, head=report.head))
        print(_("Anota ese hash fuera del servidor: si el registro se reescribiera entero, no coincidiría."))
        return 0
    assert report.reason is not None  # verify_chain always says why a chain is broken
    print(_("¡Registro de auditoría alterado! Primer eslabón roto: evento {id} ({reason}). Eventos íntegros "
            "antes de él: {count}.").format(id=report.broken_id, reason=_(BROKEN_REASONS[report.reason]),
                                            count=report.count - 1), file=sys.stderr)
    return 3


async def _member_id(session, args, _) -> int:
    if args.member is not None:
        return args.member
    try:
        run = normalise_run(args.run)
    except InvalidRun:
        raise RightsFileError(_("RUN inválido (revisa el dígito verificador)")) from None
    member = await subject_repo.member_by_run(session, run=run)
    if member is None:
        raise NotFound("member")
    return member.id


async def export(session, args, settings, _) -> int:
    member_id = await _member_id(session, args, _)
    result = await subject_export.build(session, actor=Actor(role=Role.ADMIN), member_id=member_id, now=utc_now())
    unit = await people_repo.get_unit(session, unit_id=result.unit_id)
    assert unit is not None  # the export's unit is its family's, a foreign key
    language = args.language or next((a["language"] for a in result.tables["chat_accounts"]
                                      if a["member_id"] == member_id and a["language"]), settings.default_locale)
    translation = gettext.translation(DOMAIN, localedir=compiled_locales(), languages=[language], fallback=True)
    document = subject_document.render(result, gettext=translation.gettext, ngettext=translation.ngettext,
                                       language=language, timezone=unit.timezone)
    data = subject_export.zip_bytes(result, document_name=subject_document.DOCUMENT_NAME, document=document)
    path: Path = args.file
    try:
        path.write_bytes(data)
    except OSError as error:
        raise RightsFileError(_("No pude escribir el archivo {path}: {reason}").format(
            path=path, reason=error.strerror or type(error).__name__)) from None
    print(_("Copia de los datos de la persona {member} (familia {family}) en {path}: {count} registros, "
            "{media} notas de voz y fotos listadas.").format(member=member_id, family=result.family_id, path=path,
                                                             count=result.count(), media=len(result.media)))
    if args.media is not None:
        fetched, failed = await admin_media.download(settings, result.media, args.media)
        print(_("Notas de voz y fotos descargadas en {folder}: {fetched}; sin descargar: {failed}.").format(
            folder=args.media, fetched=fetched, failed=failed))
    return 0
